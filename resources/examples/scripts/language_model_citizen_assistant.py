"""Build ``resources/examples/language-model-citizen-assistant.stipa``.

A municipality deploys a provider's general-purpose language model as a citizen-facing
assistant that answers questions about municipal services. The municipality, the provider and
every figure are invented; the actors and duties follow the EU AI Act: the provider of the
general-purpose model answers to the EU AI Office (the Code of Practice for general-purpose AI is
the reference for its obligations), the municipality as deployer to the national
market-surveillance authority. The analysis follows Dobbe, *AI Safety is Stuck in Technical
Terms* (TU Delft policy brief, 2025): §6.2 (a system is more than model, filter and interface),
§6.4 (foreseeable malfunction is not the lay user's to catch), §6.6 and §6.9 (post-hoc
mitigation), §6.7 (the curse of flexibility), §6.8 (scaling and rebound) and §8 (the Code of
Practice). Run::

    .venv/bin/python resources/examples/scripts/language_model_citizen_assistant.py

The built-in analyses (``stipa.hazards``, ``stipa.responsibility``, ``stipa.footprint``) run
on the built document; the analyst's dispositions follow, each with its rationale.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from pathlib import Path

import stipa
from stipa import (
    Component,
    Hazard,
    Link,
    LinkLayout,
    Loss,
    NodeLayout,
    ProcessVariable,
    Property,
    Responsibility,
)
from stipa.operations.layout import auto_layout

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers shared by the scripts
from example_analysis import (
    add_constraint,
    add_link,
    add_scenario,
    add_ucas,
    analysed_example,
    dispose,
    named,
    reject,
)

#: The resources folder (this script lives in resources/examples/scripts).
RESOURCES = Path(__file__).resolve().parents[2]
OUTPUT = RESOURCES / "examples" / "language-model-citizen-assistant.stipa"

FOOTPRINT_NS = "https://stipa.dev/ns/footprint"


def build() -> stipa.Document:
    """Return the analysed example.

    Returns
    -------
    stipa.Document
        The analysis, built in one transaction, analysed by the built-in analyses, with the
        analyst's dispositions; ``doc.check()`` is empty.
    """
    return analysed_example("Build the citizen-assistant example", _build, _dispose)


def _build(doc: stipa.Document) -> None:
    doc.set_info(
        title="General-purpose language model as a municipal citizen assistant",
        version="1.0",
        author="Stipa examples",
        organisation="Stipa",
        description=(
            "A municipality deploys a provider's general-purpose language model as a chat "
            "assistant that answers citizens' questions about municipal services: benefits, "
            "permits, taxes, deadlines. The provider trains the model and runs an output "
            "filter; the municipality sets the assistant's scope and instructions; case "
            "workers take the questions the assistant cannot answer; the provider answers to "
            "the EU AI Office (AI Act, Code of Practice for general-purpose AI), the "
            "municipality to the national market-surveillance authority. The analysis shows "
            "what the technical subsystem (model, filter, interface) leaves out: a "
            "general-purpose model in a loop traced to hazards (the curse of flexibility), a "
            "lay user made responsible for catching the model's fabrications (a moral crumple "
            "zone), and a supervisor that learns nothing of how the assistant performs. "
            "Invented example after Dobbe, AI Safety is Stuck in Technical Terms (TU Delft, "
            "2025). The loss-scenario drafts the hazards analysis proposes for categories not "
            "written here are left open for the reader to triage."
        ),
    )

    # --- step 1: losses, hazards, system-level constraints ---------------------------------
    l1 = doc.add(Loss(text="Citizens lose benefits, services or rights they are entitled to")).id
    l2 = doc.add(Loss(text="Harm to the health or safety of citizens")).id
    l3 = doc.add(Loss(text="Disclosure or misuse of citizens' personal data")).id
    l4 = doc.add(Loss(text="Unequal treatment of citizens")).id
    l5 = doc.add(Loss(text="Loss of public trust in the municipality")).id

    h1 = doc.add(
        Hazard(
            text="Citizens act on information about their rights, obligations or procedures "
            "that is incorrect or incomplete",
            losses=(l1, l2, l5),
        )
    ).id
    h11 = doc.add(
        Hazard(
            text="The assistant states rules, amounts or deadlines that do not exist or do not "
            "apply to the citizen's situation",
            losses=(l1, l5),
            parent=h1,
        )
    ).id
    h12 = doc.add(
        Hazard(
            text="The assistant gives legal, medical or financial advice beyond municipal "
            "services as if it were authoritative",
            losses=(l1, l2, l5),
            parent=h1,
        )
    ).id
    h2 = doc.add(
        Hazard(
            text="A citizen in an urgent or vulnerable situation is not connected to a person "
            "who can help",
            losses=(l1, l2),
        )
    ).id
    h3 = doc.add(
        Hazard(
            text="Citizens' personal data is exposed or used beyond the purpose they gave it for",
            losses=(l3, l5),
        )
    ).id
    h4 = doc.add(
        Hazard(
            text="The quality of answers depends on the citizen's language, literacy or background",
            losses=(l1, l4, l5),
        )
    ).id
    h5 = doc.add(
        Hazard(
            text="Harmful answers and their patterns continue in service without reaching "
            "those who can correct or stop the assistant",
            losses=(l1, l2, l5),
        )
    ).id

    constraint = functools.partial(add_constraint, doc)

    sc1 = constraint(
        "Citizens must be able to rely on the information the municipality gives them, "
        "whichever channel gives it",
        (h1,),
    )
    sc11 = constraint(
        "The assistant must only state rules, amounts and deadlines it can trace to current "
        "municipal sources, and must say so when it cannot",
        (h11,),
        "SC-1.1",
    )
    sc12 = constraint(
        "The assistant must stay within municipal services and refer other questions to the "
        "proper service",
        (h12,),
        "SC-1.2",
    )
    sc2 = constraint(
        "Citizens in urgent or vulnerable situations must be connected to a person without delay",
        (h2,),
    )
    sc3 = constraint(
        "Personal data given to the assistant must only be used to answer the citizen and must "
        "stay under the municipality's control",
        (h3,),
    )
    sc4 = constraint(
        "Every citizen must get answers of the same quality, or be referred to a person",
        (h4,),
    )
    sc5 = constraint(
        "Harmful answers must be detected in operation and reach those who can correct or stop "
        "the assistant",
        (h5,),
    )
    sc6 = constraint(
        "The model's systemic risks must be evaluated and mitigated, and its known limitations "
        "documented for those who deploy it",
        (h11, h5),
    )

    # --- step 2: the control structure -----------------------------------------------------
    def variable(name: str, *values: str) -> ProcessVariable:
        return ProcessVariable(name=name, values=values)

    # Only the model's own texts may say "general-purpose": the hazards analysis reads them.
    office = doc.add(
        Component(
            name="EU AI Office",
            kind="controller",
            nature="regulator",
            description="The European Commission's office that supervises and enforces the AI "
            "Act's obligations of model providers; the Code of Practice is its reference for "
            "compliance.",
            variables=(
                variable("Provider's compliance", "documented", "gaps", "unknown"),
                variable("Systemic risks of the model", "assessed", "emerging", "unknown"),
            ),
        )
    )
    authority = doc.add(
        Component(
            name="Market-surveillance authority",
            kind="controller",
            nature="regulator",
            description="The national authority that supervises AI systems in use and handles "
            "complaints about them (AI Act, Art. 85).",
            variables=(variable("How the assistant performs", "acceptable", "harmful", "unknown"),),
        )
    )
    provider = doc.add(
        Component(
            name="Model provider",
            kind="controller",
            nature="organisation",
            description="Develops and trains the model, runs it as a service, and ships an "
            "output filter with it.",
            variables=(
                variable("Known limitations", "documented", "undocumented"),
                variable("Model version in use", "tested by deployer", "new"),
            ),
        )
    )
    municipality = doc.add(
        Component(
            name="Municipality",
            kind="controller",
            nature="organisation",
            description="The deployer: its digital-services department runs the assistant on "
            "the municipal website; its service desk employs the case workers.",
            variables=(
                variable("Quality of the answers", "tested", "harmful reported", "unknown"),
                variable("Municipal rules in the instructions", "current", "outdated"),
            ),
        )
    )
    model = doc.add(
        Component(
            name="General-purpose language model",
            kind="controller",
            nature="ai_model",
            description=(
                "A large language model trained for any text task, not for municipal "
                "services; answers citizens from the municipality's instructions and its "
                "training data. Footprint inputs are illustrative: 5,000 questions a day "
                "(assumed) at 2.9 Wh each, the IEA's figure for a chatbot request "
                "(Electricity 2024); estimates for newer models are several times lower."
            ),
            variables=(
                variable("Question in scope", "municipal service", "other", "urgent situation"),
                variable("Source for the answer", "current municipal source", "none"),
            ),
            properties=(
                Property(namespace=FOOTPRINT_NS, name="phase", value="inference"),
                Property(namespace=FOOTPRINT_NS, name="queries_per_day", value="5000", unit="1/d"),
                Property(namespace=FOOTPRINT_NS, name="energy_per_query", value="2.9", unit="Wh"),
                Property(namespace=FOOTPRINT_NS, name="general_purpose", value="yes"),
            ),
        )
    )
    content_filter = doc.add(
        Component(
            name="Content filter",
            kind="controller",
            nature="software",
            description="The provider's output classifier: blocks or rewrites answers it "
            "classifies as harmful, by the provider's policy for all its customers.",
            variables=(variable("Answer", "acceptable", "harmful"),),
        )
    )
    case_workers = doc.add(
        Component(
            name="Case worker",
            kind="controller",
            nature="human",
            role="operator",
            training="trained",
            description="The municipal service desk: phone, counter and e-mail.",
            variables=(variable("Citizen's situation", "routine", "urgent"),),
        )
    )
    citizen = doc.add(
        Component(
            name="Citizen",
            kind="controller",
            nature="human",
            role="lay user",
            description="Any resident: including people with low literacy, another first "
            "language, or in crisis.",
            variables=(
                variable("Believes the answer", "yes", "no"),
                variable("Knows the real rule", "yes", "no"),
            ),
        )
    )
    case = doc.add(
        Component(
            name="Citizen's case",
            kind="controlled_process",
            nature="software",
            description="The citizen's applications, payments and deadlines at the municipality.",
        )
    )

    # The two boundaries of the brief (§6.2): the provider's technical system (model and
    # filter) inside the municipality's service, inside the sociotechnical system that also
    # holds the citizens, their cases and the regulators.
    sociotechnical = doc.add(
        Component(
            name="Sociotechnical system",
            kind="boundary",
            description="The assistant with the people, organisations and rules around it: "
            "what the analysis calls the system.",
        )
    )
    technical = doc.add(
        Component(
            name="Provider's technical system",
            kind="boundary",
            parent=municipality.id,
            description="Model, filter and interface: what an AI system is often taken to be.",
        )
    )
    for inside, container in (
        (office, sociotechnical),
        (authority, sociotechnical),
        (provider, sociotechnical),
        (municipality, sociotechnical),
        (citizen, sociotechnical),
        (case, sociotechnical),
        (case_workers, municipality),
        (model, technical),
        (content_filter, technical),
    ):
        doc.update(inside.id, parent=container.id)

    ca, fb, info = "control_action", "feedback", "information"
    items: dict[str, str] = {}

    def link(source: Component, target: Component, kind: str, *names: str) -> Link:
        return add_link(doc, items, source, target, kind, names)

    link(
        office,
        provider,
        ca,
        "Request documentation and evaluations",
        "Enforce obligations (fines, withdrawal)",
    )
    link(
        provider,
        office,
        fb,
        "Technical documentation, systemic-risk assessments, serious-incident reports",
    )
    link(office, authority, info, "Cooperation on systems built on the model")
    link(authority, municipality, ca, "Require corrective action or withdrawal")
    link(provider, municipality, info, "Model documentation and acceptable-use policy")
    link(provider, model, ca, "Train, fine-tune and release model versions")
    link(model, provider, fb, "Usage telemetry")
    link(provider, content_filter, ca, "Set the filter policy")
    link(content_filter, provider, fb, "Blocked-output statistics")
    link(
        municipality,
        model,
        ca,
        "Set scope and instructions (system prompt)",
        "Take the assistant offline",
    )
    link(model, municipality, fb, "Usage statistics")
    link(municipality, case_workers, ca, "Assign requests and set service procedures")
    link(case_workers, municipality, fb, "Case outcomes and complaints")
    link(content_filter, model, ca, "Block or rewrite an answer")
    link(model, content_filter, fb, "Draft answer")
    link(model, citizen, ca, "Answer question", "Refer to a case worker or emergency service")
    link(citizen, model, fb, "Question and personal details")
    link(citizen, case, ca, "Apply, report changes, meet deadlines")
    link(case, citizen, fb, "Decisions and letters")
    link(case_workers, case, ca, "Decide on applications")
    link(case, case_workers, fb, "Case file")
    ask = link(citizen, case_workers, info, "Ask for a case worker (phone, counter)")
    complaint = link(citizen, authority, info, "Complaint")

    # Controllers above what they control; regulators on top, the citizen's case at the bottom.
    places = {
        office: (240, 0, 200),
        authority: (1040, 0, 220),
        provider: (240, 200, 200),
        content_filter: (40, 440, 200),
        case_workers: (1040, 440, 200),
        model: (400, 660, 240),
        citizen: (440, 1000, 200),
        case: (840, 1180, 200),
    }
    for component, (x, y, width) in places.items():
        doc.set_layout(NodeLayout(id=component.id, x=x, y=y, width=width, height=70))
    # The frames: each boundary holds its contents with room to spare.
    frames = {
        sociotechnical: (-60, -60, 1720, 1350),
        municipality: (-20, 340, 1320, 580),
        technical: (10, 390, 720, 480),
    }
    for component, (x, y, width, height) in frames.items():
        doc.set_layout(NodeLayout(id=component.id, x=x, y=y, width=width, height=height))
    # The citizen's links upward pass below the municipality's frame, not through the model.
    doc.set_layout(LinkLayout(id=ask.id, bends=((0.0, 955.0),)))
    doc.set_layout(
        LinkLayout(id=complaint.id, routing="straight", bends=((1600.0, 1035.0), (1600.0, 35.0)))
    )
    auto_layout(doc)  # by control authority: it scores better than the places above

    # --- responsibilities ------------------------------------------------------------------
    def responsibility(
        owner: Component, text: str, constraints: Iterable[str], processes: Iterable[Component]
    ) -> None:
        doc.add(
            Responsibility(
                text=text,
                owner=owner.id,
                constraints=tuple(constraints),
                processes=tuple(p.id for p in processes),
            )
        )

    responsibility(
        office,
        "Enforce the provider's obligations: documentation for deployers, evaluation and "
        "mitigation of systemic risks, serious-incident reporting",
        (sc6,),
        (provider,),
    )
    responsibility(
        authority,
        "Supervise the assistant the municipality puts into service; act on complaints and "
        "incidents",
        (sc5, sc1),
        (municipality,),
    )
    responsibility(
        provider,
        "Evaluate and mitigate the model's systemic risks, and document its known limitations "
        "for deployers",
        (sc6,),
        (model,),
    )
    responsibility(
        provider,
        "Keep the filter policy able to block harmful and discriminatory answers",
        (sc12, sc4),
        (content_filter,),
    )
    responsibility(
        municipality,
        "Decide the assistant's scope and instructions, test it on municipal questions before "
        "each release, and take it offline when it misleads citizens",
        (sc1, sc11, sc12, sc5),
        (model,),
    )
    responsibility(
        municipality,
        "Protect the personal data citizens give the assistant (impact assessment, contract "
        "with the provider)",
        (sc3,),
        (model,),
    )
    responsibility(
        municipality,
        "Staff the service desk to take referred and urgent questions without delay",
        (sc2,),
        (case_workers,),
    )
    responsibility(
        model,
        "Answer questions about municipal services from current municipal sources only, and "
        "say when it has none",
        (sc11, sc12, sc4),
        (citizen,),
    )
    responsibility(
        model,
        "Refer citizens in urgent situations, or with questions beyond municipal services, to "
        "a case worker or an emergency service",
        (sc2, sc12),
        (citizen,),
    )
    responsibility(
        content_filter,
        "Block answers that are harmful, discriminatory or outside the policy",
        (sc12, sc4),
        (model,),
    )
    responsibility(
        case_workers,
        "Take over referred and urgent questions, and correct wrong information citizens received",
        (sc1, sc2),
        (case,),
    )
    responsibility(
        citizen,
        "Check the assistant's answers against official sources before acting on them (the "
        "assistant's disclaimer)",
        (sc11,),
        (model,),
    )

    # --- step 3: unsafe control actions and controller constraints --------------------------
    uca_ids: dict[str, str] = {}

    def ucas(action: str, rows: Iterable[tuple[str, str, str, tuple[str, ...], str]]) -> None:
        add_ucas(doc, items[action], rows, uca_ids)

    discrete = "A discrete action: it has no duration that could be too short or too long."
    ucas(
        "Answer question",
        (
            (
                "answer-fabricated",
                "provided",
                "with a rule, amount or deadline that does not exist or does not apply to the "
                "citizen",
                (h11,),
                "General-purpose language model must not state a rule, amount or deadline it "
                "cannot trace to a current municipal source",
            ),
            (
                "answer-out-of-scope",
                "provided",
                "with legal, medical or financial advice beyond municipal services, worded as "
                "authoritative",
                (h12,),
                "General-purpose language model must not give advice beyond municipal services",
            ),
            (
                "answer-personal-data",
                "provided",
                "that asks for or repeats personal data the question does not need",
                (h3,),
                "General-purpose language model must not ask for personal data the question "
                "does not need",
            ),
            (
                "answer-unequal",
                "provided",
                "of lower quality when the question is asked in another language or in plain words",
                (h4,),
                "General-purpose language model must refer the citizen to a person when it "
                "cannot answer in the citizen's language as well as in the official one",
            ),
            (
                "",
                "not_provided",
                "",
                (),
                "Not answering is not hazardous as long as the citizen is referred to a "
                "person; a missing referral is analysed under 'Refer to a case worker or "
                "emergency service'.",
            ),
            (
                "",
                "timing",
                "",
                (),
                "Answers come within the conversation; a citizen who waits in vain is a "
                "missing referral (see that action).",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Refer to a case worker or emergency service",
        (
            (
                "refer-urgent",
                "not_provided",
                "when the citizen describes an urgent or dangerous situation (a crisis, "
                "violence, no place to sleep tonight)",
                (h2,),
                "General-purpose language model must refer a citizen who describes an urgent "
                "or dangerous situation to a person at once",
            ),
            (
                "refer-no-source",
                "not_provided",
                "when it has no current municipal source for the answer",
                (h11, h12),
                "General-purpose language model must refer the citizen to a case worker when "
                "it has no current municipal source",
            ),
            (
                "refer-late",
                "timing",
                "too late, after several turns of generic advice to a citizen in crisis",
                (h2,),
                "General-purpose language model must refer a citizen in crisis in its first answer",
            ),
            (
                "",
                "provided",
                "",
                (),
                "A needless referral costs the service desk time but harms no one; the desk "
                "is staffed for referrals (R-7).",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Set scope and instructions (system prompt)",
        (
            (
                "scope-too-wide",
                "provided",
                "with a scope that includes rules and amounts the assistant has no current "
                "source for",
                (h11, h12),
                "Municipality must limit the assistant's scope to topics it has current "
                "municipal sources for",
            ),
            (
                "scope-missing",
                "not_provided",
                "when the assistant is released (no scope: it answers anything)",
                (h12,),
                "Municipality must set the assistant's scope before it is released",
            ),
            (
                "scope-late",
                "timing",
                "too late, after a change in municipal rules has taken effect",
                (h11,),
                "Municipality must update the assistant's instructions before a rule change "
                "takes effect",
            ),
            (
                "",
                "duration",
                "",
                (),
                "Instructions stay in force until replaced; there is no duration to get wrong.",
            ),
        ),
    )
    ucas(
        "Take the assistant offline",
        (
            (
                "offline-missing",
                "not_provided",
                "when harmful answers are reported or found",
                (h5, h1),
                "Municipality must take the assistant offline when harmful answers are "
                "reported or found, until their cause is fixed",
            ),
            (
                "offline-late",
                "timing",
                "too late, weeks after the first reports",
                (h5,),
                "Municipality must decide on taking the assistant offline within a day of a "
                "report of harmful answers",
            ),
            (
                "offline-too-short",
                "duration",
                "stopped too soon: back online before the cause of the harmful answers is fixed",
                (h5,),
                "Municipality must keep the assistant offline until the cause is fixed and tested",
            ),
            (
                "",
                "provided",
                "",
                (),
                "While the assistant is offline citizens use the phone, counter and e-mail, "
                "which stay open: costly, not hazardous.",
            ),
        ),
    )
    ucas(
        "Assign requests and set service procedures",
        (
            (
                "procedure-missing",
                "not_provided",
                "when the assistant goes live (no procedure for referred conversations)",
                (h2,),
                "Municipality must set a procedure for referred and urgent conversations "
                "before the assistant goes live",
            ),
            (
                "",
                "provided",
                "",
                (),
                "Procedures that send urgent cases into a slow queue are the missing "
                "procedure for urgent conversations (above).",
            ),
            (
                "",
                "timing",
                "",
                (),
                "A procedure set after go-live is a procedure missing at go-live (above).",
            ),
            (
                "",
                "duration",
                "",
                (),
                "Procedures stay in force until replaced; there is no duration to get wrong.",
            ),
        ),
    )
    ucas(
        "Block or rewrite an answer",
        (
            (
                "filter-missed",
                "not_provided",
                "when the draft answer is harmful or discriminatory",
                (h12, h4),
                "Content filter must block a harmful or discriminatory answer",
            ),
            (
                "filter-blocks-help",
                "provided",
                "when the draft answer refers a citizen in crisis to help and is classified as "
                "sensitive content",
                (h2,),
                "Content filter must not block or rewrite a referral to help",
            ),
            (
                "",
                "timing",
                "",
                (),
                "The filter acts on every answer before it is shown; it cannot act early or late.",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Train, fine-tune and release model versions",
        (
            (
                "release-unannounced",
                "provided",
                "with a new version that changes the model's behaviour without notice to deployers",
                (h11, h5),
                "Model provider must announce new model versions and their changes to "
                "deployers before release",
            ),
            (
                "",
                "not_provided",
                "",
                (),
                "Not releasing a new version leaves the tested version in use: not hazardous "
                "by itself.",
            ),
            (
                "release-late-fix",
                "timing",
                "too late, months after evaluations show a systemic risk",
                (h5,),
                "Model provider must mitigate a systemic risk found by evaluation without "
                "undue delay",
            ),
            ("", "duration", "", (), discrete),
        ),
    )

    # --- step 4: loss scenarios --------------------------------------------------------------
    scenario = functools.partial(add_scenario, doc, uca_ids)

    scenario(
        "Asked about a benefit the instructions do not cover, the model writes a fluent answer "
        "from patterns in its training data: an amount and a deadline from another "
        "municipality or another year. Nothing in its process model marks the answer as "
        "unsourced.",
        "controller",
        "Inadequate control algorithm: generation without a source",
        ("answer-fabricated", "refer-no-source"),
    )
    scenario(
        "The answer shows no source and no confidence, and the page says 'answers may contain "
        "mistakes; check them'. The citizen cannot tell a fabricated deadline from a real one, "
        "trusts the municipality's website, and misses the real deadline.",
        "feedback",
        "Feedback not in the design: sources and confidence of the answer",
        ("answer-fabricated",),
        (h1, h11),
    )
    scenario(
        "A citizen asks in plain words how to contest a fine; the model, built to be helpful "
        "on any subject, drafts legal advice with a confident tone instead of referring to "
        "legal aid.",
        "controller",
        "Inadequate control algorithm: a general-purpose model's helpfulness",
        ("answer-out-of-scope",),
    )
    scenario(
        "To 'look up the case' the model asks for the citizen's social security number, "
        "which it cannot use; the conversation, number included, is kept in the provider's "
        "logs.",
        "controller",
        "Inadequate process model: the model believes it can look up cases",
        ("answer-personal-data",),
    )
    scenario(
        "Questions in other languages get shorter, vaguer answers, because the model saw far "
        "less of those languages in training; nobody measures answer quality per language.",
        "controller",
        "Inadequate control algorithm: uneven training data",
        ("answer-unequal",),
    )
    scenario(
        "A citizen writes that they will have no place to sleep tonight. The model, "
        "instructed to resolve questions in the chat, gives generic advice for several "
        "turns before mentioning the service desk.",
        "controller",
        "Unsafe input from another controller: instructions that reward resolving in the chat",
        ("refer-urgent", "refer-late"),
    )
    scenario(
        "The model writes a referral to a crisis line, but the filter, tuned to the provider's "
        "policy for all its customers, classifies the mention of self-harm as sensitive "
        "content and replaces the answer with a refusal.",
        "control_path",
        "Action altered on the control path: the filter rewrites a referral",
        ("filter-blocks-help",),
    )
    scenario(
        "The filter was trained mostly on English; harmful answers in other languages pass it.",
        "controller",
        "Inadequate control algorithm: the filter's training data",
        ("filter-missed",),
    )
    scenario(
        "The usage statistics count conversations and thumbs-up clicks, not wrong answers; "
        "complaints reach the service desk as 'the website said ...' and are not traced to "
        "the assistant, so the municipality believes it works well.",
        "feedback",
        "Feedback inadequate: what the statistics measure",
        ("offline-missing", "offline-late"),
    )
    scenario(
        "After a fabrication makes the news, the municipality patches the instructions and "
        "puts the assistant back the same day; the same fabrication recurs with other "
        "wording, because the cause is the model's generation, not the instructions.",
        "controller",
        "Inadequate process model: the cause believed fixed",
        ("offline-too-short",),
    )
    scenario(
        "The instructions were written at launch; the rule changes of 1 January are not in "
        "them, and nobody owns updating them.",
        "controller",
        "Inadequate control algorithm: no owner for the instructions",
        ("scope-late", "scope-too-wide"),
    )
    scenario(
        "The assistant was launched as a pilot without a written scope, so its default of "
        "answering anything stayed in place.",
        "controller",
        "Inadequate process model: a pilot treated as harmless",
        ("scope-missing",),
    )
    scenario(
        "Referrals from the assistant land in the general mailbox, answered within five "
        "working days, because no procedure for them was set when it went live.",
        "control_path",
        "Action sent but not applied in time: referrals in a slow queue",
        ("procedure-missing", "refer-urgent"),
    )
    scenario(
        "The provider replaces the model version behind the same name; it refuses less and "
        "answers more. The municipality's tests were run on the previous version.",
        "process",
        "Process changes over time: the model changes under the deployer",
        ("release-unannounced",),
    )
    scenario(
        "Evaluations show the new version fabricates more often in long conversations; the "
        "fix waits for the next training run, months later.",
        "controller",
        "Unsafe input from competitive pressure: release schedules",
        ("release-late-fix",),
    )


# --- analyses and dispositions ---------------------------------------------------------------


SCOPE = (
    "Outside the scope of this example, which analyses the assistant's loop: provider, "
    "municipality, model, filter and citizen. The supervisors' and the case workers' control "
    "actions are drawn to show who answers for the system, not analysed for unsafe control "
    "actions."
)


def _dispose(doc: stipa.Document) -> None:
    for action in (
        "Request documentation and evaluations",
        "Enforce obligations (fines, withdrawal)",
        "Require corrective action or withdrawal",
        "Set the filter policy",
        "Decide on applications",
    ):
        dispose(
            doc,
            "stipa.hazards",
            "stpa.undecided-uca-types",
            (named(doc, action),),
            "not_applicable",
            SCOPE,
        )
        reject(doc, "stpa.candidate-uca", named(doc, action), SCOPE)
    citizen_action = named(doc, "Apply, report changes, meet deadlines")
    lay_user = (
        "The citizen is a lay user whose actions the design cannot constrain: a citizen acting "
        "on a wrong answer is hazard H-1 itself. The constraints fall on those who can foresee "
        "the malfunction, the municipality and the provider (SC-1, SC-1.1, SC-6), not on the "
        "citizen."
    )
    dispose(
        doc,
        "stipa.hazards",
        "stpa.undecided-uca-types",
        (citizen_action,),
        "not_applicable",
        lay_user,
    )
    reject(doc, "stpa.candidate-uca", citizen_action, lay_user)


def main() -> int:
    """Write the example next to this script's directory and report where."""
    from stipa import io

    io.save(build(), OUTPUT)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
