"""Build the fraud-risk scoring examples: a machine-learning model in benefits administration.

A public benefits agency uses a machine-learning model to select applicants for fraud
investigation. The agency, the model and everything about them are invented; the pattern is
the one documented for public-sector fraud-risk scoring (Delfos et al., "Integral system
safety for machine learning in the public sector", Government Information Quarterly 41(3)
101963, 2024) and discussed in Dobbe, *AI Safety is Stuck in Technical Terms* (TU Delft policy
brief, 2025), §6.4 on foreseeable malfunction and moral crumple zones.

This script writes two files::

    .venv/bin/python resources/examples/scripts/benefits_fraud_risk_scoring.py

* ``benefits-fraud-risk-scoring.stipa``: the system as it is. The model directs the case
  workers' work: it puts applicants on an investigation list, with no score, confidence or
  reasons. Case workers must catch its wrong selections under recovery targets, without the
  means; applicants are left to object to suspicions they cannot see; nobody watches the
  model in operation.
* ``benefits-fraud-risk-scoring-mitigated.stipa``: the same system redesigned. The model
  advises; case workers decide. They get the score with its confidence and reasons and can
  dismiss a flag; applicants get reasons and an independent objection committee;
  investigation outcomes and flag rates per group reach the data science team and the
  oversight body.

Both are analysed by the built-in analyses (``stipa.hazards``, ``stipa.responsibility``,
``stipa.footprint``); the analyst's dispositions follow, each with its rationale. The responsibility
findings of the first file are the story: the second clears them.
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
    Loss,
    NodeLayout,
    ProcessVariable,
    Property,
    RaciAssignment,
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
OUTPUT = RESOURCES / "examples" / "benefits-fraud-risk-scoring.stipa"
OUTPUT_MITIGATED = RESOURCES / "examples" / "benefits-fraud-risk-scoring-mitigated.stipa"

#: The footprint analysis records the constants file it read; naming it relative to the
#: resources folder keeps the examples the same on every machine.
OPTIONS = {"constants": "footprint/constants.csv"}
#: The responsibility plugin's property: does a person have time to act?
RESPONSIBILITY_NS = "https://stipa.dev/ns/responsibility"

SOURCE = (
    "Invented example after the pattern in Delfos et al., Government Information Quarterly "
    "41(3) 101963 (2024), and Dobbe, AI Safety is Stuck in Technical Terms (2025), §6.4."
)


def build(mitigated: bool = False) -> stipa.Document:
    """Return the analysed example: as it is, or with the mitigations when ``mitigated``.

    Returns
    -------
    stipa.Document
        The analysis, built in one transaction, analysed by the built-in analyses, with the
        analyst's dispositions; ``doc.check()`` is empty.
    """
    return analysed_example(
        "Build the fraud-risk scoring example",
        lambda doc: _build(doc, mitigated),
        lambda doc: _dispose(doc, mitigated),
    )


def _build(doc: stipa.Document, mitigated: bool) -> None:
    if mitigated:
        doc.set_info(
            title="Fraud-risk scoring in benefits administration (mitigated)",
            version="1.0",
            author="Stipa examples",
            organisation="Stipa",
            description=(
                "The benefits-fraud example redesigned so that the responsibility findings of "
                "the as-is analysis clear. The model no longer directs case workers: it "
                "reports a risk score with its confidence and main reasons, and case workers "
                "decide and can dismiss a flag. Targets are replaced by time per review. "
                "Applicants are heard before a decision, get its reasons and can object to an "
                "independent committee. Investigation outcomes and flag rates per group reach "
                "the data science team, and its monitoring reports reach the oversight body. "
                + SOURCE
            ),
        )
    else:
        doc.set_info(
            title="Fraud-risk scoring in benefits administration (as is)",
            version="1.0",
            author="Stipa examples",
            organisation="Stipa",
            description=(
                "A benefits agency uses a machine-learning model to select applicants for "
                "fraud investigation. The model puts applicants on an investigation list; "
                "case workers under recovery targets must catch its wrong selections with no "
                "score, confidence or reasons and no way to dismiss a flag; applicants are "
                "left to object to suspicions they cannot see; nobody watches how the model "
                "selects in operation. The analysis shows where responsibility outruns "
                "control: the moral crumple zones (Elish 2019) of case workers and "
                "applicants, a broken accountability chain for contestability, and the data "
                "science team and oversight body blind to the model in use. See the "
                "mitigated variant for a redesign that clears these findings. " + SOURCE
            ),
        )

    # --- step 1: losses, hazards, system-level constraints ---------------------------------
    l1 = doc.add(
        Loss(text="Financial hardship of applicants through wrongful stops and recoveries")
    ).id
    l2 = doc.add(
        Loss(text="Violation of applicants' rights: due process, presumption of innocence, privacy")
    ).id
    l3 = doc.add(Loss(text="Discrimination against groups of applicants")).id
    l4 = doc.add(Loss(text="Loss of public trust in the agency and the rule of law")).id
    l5 = doc.add(
        Loss(
            text="Loss of public funds through benefits paid without entitlement",
            description="The purpose the model serves: the analysis keeps it in view.",
        )
    ).id

    h1 = doc.add(
        Hazard(
            text="Applicants are treated as suspected fraudsters without individual, verified "
            "grounds",
            losses=(l1, l2, l3, l4),
        )
    ).id
    h11 = doc.add(
        Hazard(
            text="Applicants are selected for investigation on grounds that correlate with "
            "nationality, ethnicity, income or another protected characteristic",
            losses=(l2, l3, l4),
            parent=h1,
        )
    ).id
    h12 = doc.add(
        Hazard(
            text="Benefits are stopped or reclaimed on the strength of a risk flag alone",
            losses=(l1, l2, l4),
            parent=h1,
        )
    ).id
    h2 = doc.add(
        Hazard(
            text="An applicant cannot learn of, understand or contest a decision that affects them",
            losses=(l1, l2, l4),
        )
    ).id
    h3 = doc.add(
        Hazard(
            text="How the model selects applicants shifts or skews in operation unseen by "
            "those who can correct it",
            losses=(l1, l2, l3, l4),
        )
    ).id
    h4 = doc.add(
        Hazard(
            text="Applicants' personal data is processed beyond what the law allows",
            losses=(l2, l4),
        )
    ).id
    h5 = doc.add(
        Hazard(
            text="Benefits are paid on fraudulent applications without investigation", losses=(l5,)
        )
    ).id

    constraint = functools.partial(add_constraint, doc)

    sc1 = constraint(
        "Applicants must not be treated as suspected fraudsters without individual, verified "
        "grounds",
        (h1,),
    )
    sc11 = constraint(
        "Selection for investigation must not depend on protected characteristics or their proxies",
        (h11,),
        "SC-1.1",
    )
    sc12 = constraint(
        "Benefits must not be stopped or reclaimed without a decision by a person on verified "
        "facts",
        (h12,),
        "SC-1.2",
    )
    sc2 = constraint(
        "Every applicant must be told of decisions that affect them, with their reasons, and be "
        "able to contest them before an independent party",
        (h2,),
    )
    sc3 = constraint(
        "How the model selects applicants in operation must be monitored by those who can "
        "correct or withdraw it",
        (h3,),
    )
    sc4 = constraint("Applicants' personal data must only be processed as the law allows", (h4,))
    sc5 = constraint("Applications with indications of fraud must be investigated", (h5,))

    # --- step 2: the control structure -----------------------------------------------------
    def variable(name: str, *values: str) -> ProcessVariable:
        return ProcessVariable(name=name, values=values)

    dpa = doc.add(
        Component(
            name="Data-protection authority",
            kind="controller",
            nature="regulator",
            description="Supervises the processing of personal data (GDPR): can order a stop "
            "to unlawful processing and impose fines.",
            variables=(variable("Lawfulness of the processing", "lawful", "unlawful", "unknown"),),
        )
    )
    oversight = doc.add(
        Component(
            name="Algorithm oversight body",
            kind="controller",
            nature="regulator",
            description="An independent supervisor of the government's use of algorithms "
            "(an audit office or algorithm regulator).",
            variables=(
                variable("How the model selects in operation", "as validated", "skewed", "unknown"),
            ),
        )
    )
    agency = doc.add(
        Component(
            name="Benefits agency",
            kind="controller",
            nature="organisation",
            description="The agency's management: decides on the use of the model, the work "
            "instructions and the targets of the investigation teams.",
            variables=(
                variable("Fraud rate", "low", "rising", "unknown"),
                variable("Wrongful accusations", "none known", "reported", "unknown"),
            ),
        )
    )
    team = doc.add(
        Component(
            name="Data science team",
            kind="controller",
            nature="organisation",
            description="Builds, validates and maintains the fraud-risk model inside the agency.",
            variables=(
                variable("Error rates per group", "validated", "drifting", "unknown"),
                variable("Training data", "checked for bias", "unchecked"),
            ),
        )
    )
    model = doc.add(
        Component(
            name="Fraud-risk model",
            kind="controller",
            nature="ai_model",
            description=(
                "A gradient-boosted classifier trained on past investigations; scores every "
                "application for the risk of fraud. "
                + (
                    "Advisory: it reports its score, confidence and main reasons to case "
                    "workers, who decide."
                    if mitigated
                    else "Directs the work: the highest-scoring applicants go onto the "
                    "investigation list, without score or reasons."
                )
            ),
            variables=(
                variable("Applicant's risk", "low", "medium", "high"),
                variable("Input data", "current", "outdated"),
            ),
        )
    )
    case_workers = doc.add(
        Component(
            name="Case worker",
            kind="controller",
            nature="human",
            role="operator",
            training="trained" if mitigated else "basic",
            description=(
                "Decide on investigations, payment stops and recoveries. "
                + (
                    "Trained in how the model works and where it is weak; time per review "
                    "set by quality, not by targets."
                    if mitigated
                    else "Trained in case handling, not in the model; recovery targets leave "
                    "minutes per flagged case."
                )
            ),
            variables=(
                variable("Grounds for suspicion", "verified facts", "risk flag only", "none"),
                variable("Applicant heard", "yes", "no"),
            ),
            properties=(
                Property(
                    namespace=RESPONSIBILITY_NS,
                    name="time-to-act",
                    value="sufficient" if mitigated else "insufficient",
                ),
            ),
        )
    )
    applicant = doc.add(
        Component(
            name="Applicant",
            kind="controller",
            nature="human",
            role="lay user",
            description="A citizen who applies for a benefit and lives with the decisions.",
            variables=(
                variable("Knows of the suspicion", "yes", "no"),
                variable("Knows the reasons", "yes", "no"),
            ),
        )
    )
    case = doc.add(
        Component(
            name="Benefit case",
            kind="controlled_process",
            nature="software",
            description="The applicant's case in the case-management system: payments, "
            "investigations and recoveries.",
        )
    )
    committee = None
    if mitigated:
        committee = doc.add(
            Component(
                name="Objection committee",
                kind="controller",
                nature="human",
                role="independent reviewer",
                training="expert",
                description="Hears objections and appeals; none of its members took part in "
                "the decision objected to.",
                variables=(variable("Grounds of the decision", "sound", "unsound", "unknown"),),
            )
        )

    ca, fb, info = "control_action", "feedback", "information"
    items: dict[str, str] = {}

    def link(source: Component, target: Component, kind: str, *names: str) -> Link:
        return add_link(doc, items, source, target, kind, names)

    link(dpa, agency, ca, "Order a stop to unlawful processing", "Impose a fine")
    link(agency, dpa, fb, "Data-protection impact assessment")
    link(oversight, agency, ca, "Audit the use of algorithms", "Require corrective measures")
    link(agency, oversight, fb, "Annual report")
    link(dpa, oversight, info, "Coordination of supervision")
    link(agency, team, ca, "Commission and approve model versions")
    link(team, agency, fb, "Model validation report")
    if mitigated:
        link(agency, case_workers, ca, "Set work instructions and time per review")
    else:
        link(agency, case_workers, ca, "Set investigation targets and work instructions")
    link(case_workers, agency, fb, "Investigation and recovery figures")
    if mitigated:
        link(team, model, ca, "Retrain, recalibrate or withdraw the model")
        link(case_workers, model, ca, "Dismiss flag (mark unfounded)")
        link(model, case_workers, fb, "Risk score with confidence and main reasons")
    else:
        link(team, model, ca, "Train and deploy model version")
        link(model, case_workers, ca, "Place applicant on investigation list")
    link(case, model, fb, "Applicant data and risk indicators")
    link(case_workers, case, ca, "Open investigation", "Stop payment and reclaim benefits")
    link(case, case_workers, fb, "Case file")
    link(applicant, case, ca, "Apply and report changes")
    if mitigated:
        link(case, applicant, fb, "Decision with reasons, the risk flag and how to object")
    else:
        link(case, applicant, fb, "Decision letter")
    if mitigated:
        assert committee is not None
        link(case_workers, applicant, info, "Hearing before a decision")
        link(case_workers, team, info, "Investigation outcomes (confirmed or unfounded)")
        link(model, team, fb, "Flag rates and error rates per group")
        link(team, oversight, fb, "Model monitoring reports")
        link(agency, committee, ca, "Appoint members and set the procedure")
        link(committee, agency, fb, "Objection outcomes")
        link(applicant, committee, info, "Objection or appeal")
        link(committee, case, ca, "Overturn decision and restore payments")
        link(case, committee, fb, "Case file and hearing record")
        link(committee, case_workers, info, "Objection decisions and their reasons")

    # Controllers above what they control. In the as-is structure the model sits above the
    # case workers it directs; in the mitigated one below them, as their advisor.
    if mitigated:
        assert committee is not None
        places = {
            dpa: (0, 0),
            oversight: (640, 0),
            agency: (320, 220),
            case_workers: (0, 440),
            team: (640, 440),
            committee: (320, 660),
            model: (640, 660),
            applicant: (0, 880),
            case: (320, 1100),
        }
    else:
        places = {
            dpa: (0, 0),
            oversight: (640, 0),
            agency: (320, 220),
            team: (640, 440),
            model: (640, 660),
            applicant: (0, 880),
            case_workers: (320, 880),
            case: (560, 1100),
        }
    for component, (x, y) in places.items():
        doc.set_layout(NodeLayout(id=component.id, x=x, y=y, width=180, height=70))
    auto_layout(doc)  # by control authority: it scores better than the places above

    # --- responsibilities ------------------------------------------------------------------
    def responsibility(
        owner: Component,
        text: str,
        constraints: Iterable[str],
        processes: Iterable[Component] = (),
        raci: Iterable[tuple[Component, str]] = (),
    ) -> str:
        added: Responsibility = doc.add(
            Responsibility(
                text=text,
                owner=owner.id,
                constraints=tuple(constraints),
                processes=tuple(p.id for p in processes),
                raci=tuple(RaciAssignment(component=c.id, role=role) for c, role in raci),
            )
        )
        return added.id

    responsibility(
        dpa,
        "Supervise the lawfulness of the processing of applicants' data, including the "
        "model's risk indicators, and stop unlawful processing",
        (sc4, sc11),
        (agency,),
    )
    responsibility(
        oversight,
        "Audit the agency's use of the fraud-risk model and require corrective measures",
        (sc3, sc1),
        (agency,),
    )
    responsibility(
        agency,
        "Use fraud-risk scoring only within the law, and set work instructions that keep a "
        "flag from counting as grounds for suspicion",
        (sc1, sc12, sc5),
        (case_workers, team),
    )
    responsibility(
        agency,
        "Process applicants' personal data only as the law allows (impact assessment, purpose "
        "limitation)",
        (sc4,),
        (team,),
    )
    responsibility(
        team,
        "Build and validate the model so that its selection does not depend on protected "
        "characteristics or their proxies",
        (sc11,),
        (model,),
    )
    responsibility(
        team,
        "Monitor the model's flag rates and error rates per group in operation; retrain or "
        "withdraw it when it drifts",
        (sc3,),
        (model,),
        ((team, "responsible"), (agency, "accountable"), (oversight, "informed"))
        if mitigated
        else (),
    )
    responsibility(
        model,
        "Score every application for the risk of fraud so that the riskiest are reviewed first",
        (sc5,),
    )
    responsibility(
        case_workers,
        "Check every flag of the fraud-risk model against verified facts before opening an "
        "investigation or stopping a payment",
        (sc1, sc12),
        (model, case),
    )
    responsibility(
        case_workers,
        "Investigate applications with indications of fraud and reclaim benefits paid without "
        "entitlement",
        (sc5,),
        (case,),
    )
    responsibility(
        applicant,
        "Apply with correct information and report changes in circumstances on time",
        (sc5,),
        (case,),
    )
    if mitigated:
        assert committee is not None
        responsibility(
            case_workers,
            "Hear the applicant before a decision and give its reasons, including the risk flag "
            "and its confidence",
            (sc2,),
            (case,),
        )
        responsibility(
            committee,
            "Hear objections and appeals independently of the original decision, and overturn "
            "wrongful decisions",
            (sc2, sc12),
            (case,),
        )
    else:
        responsibility(
            applicant,
            "Object within six weeks to a wrongful suspicion or recovery",
            (sc2,),
            (case, model),
        )

    # --- step 3: unsafe control actions and controller constraints --------------------------
    uca_ids: dict[str, str] = {}

    def ucas(action: str, rows: Iterable[tuple[str, str, str, tuple[str, ...], str]]) -> None:
        add_ucas(doc, items[action], rows, uca_ids)

    discrete = "A discrete action: it has no duration that could be too short or too long."
    if not mitigated:
        ucas(
            "Place applicant on investigation list",
            (
                (
                    "list-proxies",
                    "provided",
                    "when the applicant's score rests on nationality, postcode or another proxy "
                    "of a protected characteristic",
                    (h11,),
                    "Fraud-risk model must not place an applicant on the investigation list "
                    "when the score rests on a proxy of a protected characteristic",
                ),
                (
                    "list-stale",
                    "provided",
                    "when the applicant data it scored is outdated or wrong",
                    (h1,),
                    "Fraud-risk model must not place an applicant on the investigation list "
                    "on outdated or wrong applicant data",
                ),
                (
                    "list-missed",
                    "not_provided",
                    "when the application shows indications of fraud",
                    (h5,),
                    "Fraud-risk model must place an application that shows indications of "
                    "fraud on the investigation list",
                ),
                (
                    "list-late",
                    "timing",
                    "too late, after benefits have been paid on a fraudulent application for "
                    "months",
                    (h5,),
                    "Fraud-risk model must flag an application with indications of fraud "
                    "before the first payment",
                ),
                ("", "duration", "", (), discrete),
            ),
        )
    ucas(
        "Open investigation",
        (
            (
                "open-flag-only",
                "provided",
                "when the only grounds are the model's flag",
                (h12, h1),
                "Case worker must not open an investigation on the model's flag alone",
            ),
            (
                "open-missed",
                "not_provided",
                "when verified facts indicate fraud",
                (h5,),
                "Case worker must open an investigation when verified facts indicate fraud",
            ),
            (
                "",
                "timing",
                "",
                (),
                "A late investigation is an investigation not opened while the facts indicate "
                "fraud (see that UCA); an early one harms no one until a payment is stopped "
                "(see 'Stop payment and reclaim benefits').",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Stop payment and reclaim benefits",
        (
            (
                "stop-flag-only",
                "provided",
                "when the only grounds are the model's flag, with no verified facts",
                (h12,),
                "Case worker must not stop a payment or reclaim benefits without verified facts",
            ),
            (
                "stop-unheard",
                "provided",
                "when the applicant has not been heard",
                (h2, h12),
                "Case worker must hear the applicant before stopping a payment or reclaiming "
                "benefits",
            ),
            (
                "stop-missed",
                "not_provided",
                "when fraud is established by verified facts",
                (h5,),
                "Case worker must stop payment and reclaim benefits when fraud is established "
                "by verified facts",
            ),
            (
                "stop-early",
                "timing",
                "too early, before the applicant has been told of the suspicion and could respond",
                (h2, h12),
                "Case worker must not stop a payment before the applicant has been told of "
                "the suspicion and could respond",
            ),
            (
                "stop-long",
                "duration",
                "applied too long, after an objection is upheld or the suspicion is dropped",
                (h12,),
                "Case worker must end the recovery as soon as an objection is upheld or the "
                "suspicion is dropped",
            ),
        ),
    )
    if mitigated:
        ucas(
            "Set work instructions and time per review",
            (
                (
                    "instructions-flag",
                    "provided",
                    "when the instructions let a flag count as grounds for suspicion",
                    (h12,),
                    "Benefits agency must not issue work instructions that let a flag count "
                    "as grounds for suspicion",
                ),
                (
                    "instructions-missing",
                    "not_provided",
                    "when a model version is introduced",
                    (h12, h1),
                    "Benefits agency must instruct case workers on how to treat the flags of "
                    "every model version before it is introduced",
                ),
                (
                    "instructions-time",
                    "provided",
                    "with less time per review than checking a flag against the facts takes",
                    (h12,),
                    "Benefits agency must allow the time a review of a flag takes",
                ),
                (
                    "",
                    "timing",
                    "",
                    (),
                    "Instructions given late are instructions not provided when the model "
                    "version is introduced: see that UCA.",
                ),
                (
                    "",
                    "duration",
                    "",
                    (),
                    "Instructions stay in force until replaced; no duration to get wrong.",
                ),
            ),
        )
    else:
        ucas(
            "Set investigation targets and work instructions",
            (
                (
                    "targets-recoveries",
                    "provided",
                    "with targets that reward the number of recoveries rather than correct "
                    "decisions",
                    (h1, h12),
                    "Benefits agency must not set targets that reward the number of recoveries",
                ),
                (
                    "instructions-flag",
                    "provided",
                    "when the instructions let a flag count as grounds for suspicion",
                    (h12,),
                    "Benefits agency must not issue work instructions that let a flag count "
                    "as grounds for suspicion",
                ),
                (
                    "instructions-missing",
                    "not_provided",
                    "when a model version is introduced",
                    (h12, h1),
                    "Benefits agency must instruct case workers on how to treat the flags of "
                    "every model version before it is introduced",
                ),
                (
                    "",
                    "timing",
                    "",
                    (),
                    "Instructions given late are instructions not provided when the model "
                    "version is introduced: see that UCA.",
                ),
                (
                    "",
                    "duration",
                    "",
                    (),
                    "Targets and instructions stay in force until replaced; no duration to "
                    "get wrong.",
                ),
            ),
        )
    deploy = (
        "Retrain, recalibrate or withdraw the model"
        if mitigated
        else "Train and deploy model version"
    )
    ucas(
        deploy,
        (
            (
                "deploy-unchecked",
                "provided",
                "with a model version whose error rates per group of applicants were not checked",
                (h11,),
                "Data science team must not deploy a model version without checking its error "
                "rates per group of applicants",
            ),
            (
                "deploy-biased-labels",
                "provided",
                "with a model trained on the outcomes of past investigations that were "
                "themselves selective",
                (h11, h3),
                "Data science team must not train the model on investigation outcomes "
                "without correcting for how those investigations were selected",
            ),
            (
                "deploy-unlawful-features",
                "provided",
                "with features the law does not allow for this purpose, such as nationality",
                (h4, h11),
                "Data science team must not use a feature without a legal basis for this purpose",
            ),
            (
                "deploy-no-retrain",
                "not_provided",
                "when the model in use has drifted",
                (h3, h1),
                "Data science team must retrain, recalibrate or withdraw the model when it drifts",
            ),
            (
                "deploy-late",
                "timing",
                "too late, months after a change in the law or in the population of applicants",
                (h3,),
                "Data science team must revalidate the model when the law or the population of "
                "applicants changes",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    if mitigated:
        ucas(
            "Dismiss flag (mark unfounded)",
            (
                (
                    "dismiss-missed",
                    "not_provided",
                    "when the facts do not support the flag",
                    (h1, h12),
                    "Case worker must dismiss a flag that the facts do not support",
                ),
                (
                    "dismiss-wrong",
                    "provided",
                    "when verified facts indicate fraud",
                    (h5,),
                    "Case worker must not dismiss a flag that verified facts support",
                ),
                (
                    "",
                    "timing",
                    "",
                    (),
                    "No payment stops before a review in this design, so a late dismissal "
                    "costs time, not a hazard.",
                ),
                ("", "duration", "", (), discrete),
            ),
        )
        ucas(
            "Overturn decision and restore payments",
            (
                (
                    "overturn-missed",
                    "not_provided",
                    "when the decision rests on a risk flag without verified facts",
                    (h12, h2),
                    "Objection committee must overturn a decision that rests on a risk flag "
                    "without verified facts",
                ),
                (
                    "overturn-late",
                    "timing",
                    "too late, after months of recovery",
                    (h2, h12),
                    "Objection committee must decide on an objection within the legal term",
                ),
                (
                    "",
                    "provided",
                    "",
                    (),
                    "Overturning a sound decision is caught by the agency's right of appeal "
                    "and does not lead to a hazard of this analysis beyond H-5, which case "
                    "workers' investigations cover.",
                ),
                ("", "duration", "", (), discrete),
            ),
        )

    ucas(
        "Apply and report changes",
        (
            (
                "report-missed",
                "not_provided",
                "when the applicant's circumstances change (income, household, address)",
                (h5,),
                "Applicant must report a change in circumstances that affects the benefit",
            ),
            (
                "report-wrong",
                "provided",
                "with wrong or incomplete information",
                (h5,),
                "Applicant must apply with correct and complete information",
            ),
            (
                "report-late",
                "timing",
                "too late, after benefits have been paid on the old circumstances",
                (h5,),
                "Applicant must report a change within the legal term",
            ),
            ("", "duration", "", (), discrete),
        ),
    )

    # --- step 4: loss scenarios --------------------------------------------------------------
    scenario = functools.partial(add_scenario, doc, uca_ids)

    if mitigated:
        scenario(
            "The risk score and its confidence are shown, but on the case screen a "
            "low-confidence flag looks like a high-confidence one, so case workers still open "
            "investigations and stop payments on the flag alone.",
            "feedback",
            "Feedback inadequate in presentation: the confidence is not legible",
            ("open-flag-only", "stop-flag-only"),
        )
        scenario(
            "Dismissing a flag needs a written reason and following it does not, so under "
            "workload case workers follow flags they doubt.",
            "controller",
            "Inadequate control algorithm: overriding costs more effort than complying",
            ("dismiss-missed",),
        )
        scenario(
            "An urgent procedure for suspected identity fraud lets case workers stop a payment "
            "before the hearing; under workload it becomes the routine for every flag.",
            "controller",
            "Inadequate control algorithm: an exception becomes the rule",
            ("stop-unheard", "stop-early"),
        )
        scenario(
            "The model learned from past investigations that concentrated on some "
            "neighbourhoods and nationalities, so its flags repeat those selections; the "
            "monthly flag rates per group show the skew, but retraining waits for the next "
            "budget cycle.",
            "controller",
            "Inadequate control algorithm: trained on selective labels",
            ("deploy-biased-labels", "deploy-no-retrain"),
        )
        scenario(
            "After a change in the law a hurried retrain goes into use before its error rates "
            "per group are checked, because the old version no longer fits the rules.",
            "controller",
            "Unsafe input from another controller: deadline of the law change",
            ("deploy-unchecked", "deploy-late"),
        )
        scenario(
            "A model version is recalibrated, so a score of 0.7 means something else than "
            "before; the work instructions still refer to the old scale and a high score "
            "reads as grounds for suspicion.",
            "controller",
            "Inadequate process model: stale instructions for a new model version",
            ("instructions-missing", "instructions-flag"),
        )
        scenario(
            "Time per review is set from the average case; complex households take three times "
            "as long, so their reviews are cut short.",
            "controller",
            "Inadequate process model: the agency sees averages only",
            ("instructions-time",),
        )
        scenario(
            "Organised fraud uses a pattern past investigations never found (many applications "
            "from one address). The model scores it low, and a rare flag on it looks unfounded "
            "to case workers who have not seen the pattern before, so they dismiss it.",
            "controller",
            "Inadequate control algorithm: a pattern absent from the training data",
            ("open-missed", "stop-missed", "dismiss-wrong"),
        )
        scenario(
            "The committee gets the case file but not the model's score and reasons, so it "
            "cannot see that a decision rested on the flag; and with a backlog it decides "
            "after months of recovery.",
            "feedback",
            "Feedback missing: the role of the flag in the decision",
            ("overturn-missed", "overturn-late"),
        )
        scenario(
            "The committee upholds an objection, but the deductions run in a separate payments "
            "system that follows the case system weeks later.",
            "control_path",
            "Action sent but applied late: recovery order not withdrawn in time",
            ("stop-long",),
        )
    else:
        scenario(
            "Case workers see only that the model put an applicant on the investigation list: "
            "no score, no confidence, no reasons. They take the selection for evidence "
            "(automation bias) and stop the payment with the flag as the only grounds.",
            "feedback",
            "Feedback not in the design: the model's confidence and reasons",
            ("stop-flag-only", "open-flag-only"),
        )
        scenario(
            "Management counts recovered euros per team. Checking a flag against the facts "
            "takes longer than the targets allow, so case workers stop payments first and "
            "hear the applicant later, if at all.",
            "controller",
            "Unsafe input from another controller: recovery targets",
            ("targets-recoveries", "stop-early", "stop-unheard"),
        )
        scenario(
            "When the model was introduced, management treated it as the data science team's "
            "tool and issued no instructions on how to treat a flag; the teams' own practice "
            "made a listed applicant a suspect.",
            "controller",
            "Inadequate process model: the model seen as a technical matter",
            ("instructions-missing", "instructions-flag"),
        )
        scenario(
            "The model learned from past investigations that concentrated on some "
            "neighbourhoods and nationalities; it takes those selections for risk and puts "
            "the same groups on the list again (a feedback loop of selection bias).",
            "controller",
            "Inadequate control algorithm: trained on selective labels",
            ("list-proxies", "deploy-biased-labels"),
        )
        scenario(
            "Model approval asks for overall accuracy only, so the error rates per group of "
            "applicants are never computed before a version goes into use.",
            "controller",
            "Unsafe input from another controller: an approval that asks the wrong question",
            ("deploy-unchecked",),
        )
        scenario(
            "No investigation outcomes flow back to the data science team and no flag rates "
            "per group are reported, so the team believes the model still performs as "
            "validated while it drifts.",
            "feedback",
            "Feedback missing: outcomes and flag rates per group",
            ("deploy-no-retrain", "deploy-late"),
        )
        scenario(
            "Organised fraud uses a pattern past investigations never found (many applications "
            "from one address), so the model scores it low and never lists it; case workers "
            "work from the list and believe there is nothing else to investigate.",
            "controller",
            "Inadequate control algorithm: a pattern absent from the training data",
            ("list-missed", "list-late", "open-missed", "stop-missed"),
        )
        scenario(
            "The decision letter states the outcome only. The applicant does not know that a "
            "model selected them, or why, so an objection cannot address the grounds; it is "
            "handled by the team that decided.",
            "feedback",
            "Feedback inadequate: the reasons and the model's role are not given",
            ("stop-unheard",),
            (h2,),
        )
        scenario(
            "An objection is upheld, but the recovery order in the case system is not "
            "withdrawn, so deductions continue.",
            "control_path",
            "Action sent but not applied: recovery order not withdrawn",
            ("stop-long",),
        )
        scenario(
            "A change in the benefit rules changes who applies; the applicant data the model "
            "scores no longer looks like its training data and its scores shift.",
            "process",
            "Process changes over time: population and rules",
            ("deploy-late", "list-stale"),
        )
    scenario(
        "A second nationality improves the model's accuracy on past cases, so the team adds it "
        "as a feature; the data-protection impact assessment was written for an earlier "
        "version and nobody checks the new feature's legal basis.",
        "controller",
        "Inadequate process model: accuracy taken for lawfulness",
        ("deploy-unlawful-features",),
    )
    scenario(
        "The rules are complex and the letters do not explain them, so the applicant does not "
        "know that a new partner's income counts and reports it late or not at all.",
        "controller",
        "Inadequate process model: the applicant does not know what counts",
        ("report-missed", "report-wrong", "report-late"),
    )


# --- analyses and dispositions ---------------------------------------------------------------


SCOPE = (
    "Outside the scope of this example, which analyses the loop from the model through the "
    "case workers to the applicant. The supervisors' and the agency's control actions are "
    "drawn to show who answers for the system, not analysed for unsafe control actions."
)


def _dispose(doc: stipa.Document, mitigated: bool) -> None:
    hazards = "stipa.hazards"
    out_of_scope = [
        "Order a stop to unlawful processing",
        "Impose a fine",
        "Audit the use of algorithms",
        "Require corrective measures",
        "Commission and approve model versions",
    ]
    if mitigated:
        out_of_scope.append("Appoint members and set the procedure")
    for action in out_of_scope:
        dispose(
            doc, hazards, "stpa.undecided-uca-types", (named(doc, action),), "not_applicable", SCOPE
        )
        reject(doc, "stpa.candidate-uca", named(doc, action), SCOPE)
    dispose(
        doc,
        "stipa.footprint",
        "footprint.inputs",
        (named(doc, "Fraud-risk model"),),
        "not_applicable",
        "Not estimated: a small tabular model scored on the agency's own servers. Its energy "
        "use is not the question of this example; enter its hardware and usage in the "
        "inspector to get a footprint note.",
    )


def main() -> int:
    """Write both examples next to this script's directory and report where."""
    from stipa import io

    for mitigated, path in ((False, OUTPUT), (True, OUTPUT_MITIGATED)):
        io.save(build(mitigated), path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
