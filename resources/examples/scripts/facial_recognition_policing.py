"""Build ``resources/examples/facial-recognition-policing.stipa``: facial recognition in policing.

The policy brief's example of a reliable component in an unsafe system (Dobbe, *AI Safety is
Stuck in Technical Terms*, TU Delft, 2025, §6.3): "An example of this is the rise of increasingly
more accurate and reliable facial recognition systems. In the hands of those with malicious
intent, such systems may work perfectly to reliably marginalize certain individuals or groups,
leading to grave safety concerns and harm." This example draws a police force's live facial
recognition: cameras in public space, a watchlist kept by an intelligence unit, a control-room
operator who checks every alert, street officers, the technology vendor and the
data-protection authority. The police force and the vendor are generic. Run::

    .venv/bin/python resources/examples/scripts/facial_recognition_policing.py

What the analysis shows: the model is accurate and the operator who checks its alerts has the
means to do so (score, photo, a stop action, training), so no finding blames the model or the
people at the screen. The hazards come from the system around it: nobody is responsible for
who goes on the watchlist or for independent scrutiny of deployments, so those hazards are
unassigned and the accountability chains of the rights losses break; the data-protection
authority has authority over the police but no feedback from them.
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
OUTPUT = RESOURCES / "examples" / "facial-recognition-policing.stipa"


def build() -> stipa.Document:
    """Return the analysed example.

    Returns
    -------
    stipa.Document
        The analysis, built in one transaction, analysed by the built-in analyses, with the
        analyst's dispositions; ``doc.check()`` is empty.
    """
    return analysed_example("Build the facial recognition example", _build, _dispose)


def _build(doc: stipa.Document) -> None:
    doc.set_info(
        title="Facial recognition in policing",
        version="1.0",
        author="Stipa examples",
        organisation="Stipa",
        description=(
            "A reliable component in an unsafe system (Dobbe, AI Safety is Stuck in Technical "
            "Terms, TU Delft, 2025, §6.3). A police force runs live facial recognition on "
            "cameras in public space against a watchlist its intelligence unit keeps; a "
            "control-room operator checks every alert and dispatches street officers. The "
            "model is accurate and the operator has the means to check it, so no finding "
            "blames either. The hazards come from the system around them: nobody is "
            "responsible for who goes on the watchlist or for independent scrutiny of where "
            "the system is used, so those hazards are unassigned, the accountability chains "
            "of the rights losses break, and the data-protection authority hears nothing from "
            "the police. An accurate system reliably finds whoever it is pointed at. Generic "
            "example. The loss-scenario drafts the hazards analysis proposes for categories "
            "not written here are left open for the reader to triage."
        ),
    )

    # --- step 1: losses, hazards, system-level constraints ---------------------------------
    l1 = doc.add(
        Loss(
            text="Violation of fundamental rights: privacy, freedom of assembly and expression",
        )
    ).id
    l2 = doc.add(Loss(text="Harm to people wrongly stopped, detained or arrested")).id
    l3 = doc.add(Loss(text="Discrimination and marginalisation of groups")).id
    l4 = doc.add(Loss(text="Loss of public trust in the police and the rule of law")).id
    l5 = doc.add(
        Loss(
            text="Loss of mission: people sought by a court for serious crime are not found",
            description="The purpose the system serves: the analysis keeps it in view.",
        )
    ).id

    h1 = doc.add(
        Hazard(
            text="People are identified in public space without individual legal grounds",
            losses=(l1, l3, l4),
        )
    ).id
    h11 = doc.add(
        Hazard(
            text="People are on a watchlist without legal grounds, or for lawful activity such "
            "as protest or journalism",
            losses=(l1, l3, l4),
            parent=h1,
        )
    ).id
    h12 = doc.add(
        Hazard(
            text="The system is deployed where people exercise lawful assembly: protests, "
            "places of worship",
            losses=(l1, l3, l4),
            parent=h1,
        )
    ).id
    h2 = doc.add(
        Hazard(
            text="A person is stopped or held on an alert that should not concern them "
            "(another person, or a lapsed entry)",
            losses=(l2, l1, l4),
        )
    ).id
    h3 = doc.add(
        Hazard(
            text="Surveillance is concentrated on particular neighbourhoods or groups",
            losses=(l3, l4),
        )
    ).id
    h4 = doc.add(
        Hazard(
            text="Images of passers-by are kept or reused beyond the purpose of the deployment",
            losses=(l1, l4),
        )
    ).id
    h5 = doc.add(
        Hazard(
            text="The use of the system escapes scrutiny by anyone who could stop it",
            losses=(l1, l2, l3, l4),
        )
    ).id
    h6 = doc.add(
        Hazard(
            text="A person sought by a court for serious crime passes the cameras unnoticed",
            losses=(l5,),
        )
    ).id

    constraint = functools.partial(add_constraint, doc)

    sc1 = constraint(
        "People must only be identified in public space on individual legal grounds", (h1,)
    )
    # SC-1.1 and SC-5 are the constraints nobody holds: the gap the analysis finds.
    constraint(
        "Every watchlist entry must have individual legal grounds, be authorised by someone "
        "outside the police, and expire",
        (h11,),
        "SC-1.1",
    )
    sc12 = constraint(
        "The system must not be deployed at lawful assemblies; every deployment needs a "
        "documented necessity and proportionality assessment",
        (h12,),
        "SC-1.2",
    )
    sc2 = constraint(
        "No one may be stopped on an alert before an officer has verified the match and that "
        "the entry is current",
        (h2,),
    )
    sc3 = constraint(
        "Deployments must not concentrate on particular neighbourhoods or groups without a "
        "documented reason",
        (h3,),
    )
    sc4 = constraint("Images of people who do not match must be deleted at once", (h4,))
    constraint(
        "Every deployment and the watchlist must be reported to, and stoppable by, an "
        "independent supervisor",
        (h5,),
    )
    sc6 = constraint(
        "A verified alert on a person sought for serious crime must lead to an intervention",
        (h6,),
    )

    # --- step 2: the control structure -----------------------------------------------------
    def variable(name: str, *values: str) -> ProcessVariable:
        return ProcessVariable(name=name, values=values)

    dpa = doc.add(
        Component(
            name="Data-protection authority",
            kind="controller",
            nature="regulator",
            description="Supervises the police's processing of personal data, biometric data "
            "included; can order a stop and impose fines.",
            variables=(variable("Lawfulness of the processing", "lawful", "unlawful", "unknown"),),
        )
    )
    leadership = doc.add(
        Component(
            name="Police leadership",
            kind="controller",
            nature="organisation",
            description="Decides where and when the system is deployed, with which threshold "
            "and which watchlist.",
            variables=(
                variable("Deployment need", "specific threat", "general crime", "public order"),
                variable("Effect on groups and neighbourhoods", "known", "unknown"),
            ),
        )
    )
    vendor = doc.add(
        Component(
            name="Technology vendor",
            kind="controller",
            nature="organisation",
            description="Develops, trains and updates the face-matching model.",
            variables=(variable("Accuracy per demographic group", "benchmarked", "unknown"),),
        )
    )
    unit = doc.add(
        Component(
            name="Intelligence unit",
            kind="controller",
            nature="human",
            role="analyst",
            training="trained",
            description="Compiles the watchlist from warrants, investigations and 'persons of "
            "interest'.",
            variables=(
                variable("Grounds for an entry", "warrant", "investigation", "interest only"),
                variable("Entry still sought", "yes", "lapsed"),
            ),
        )
    )
    system = doc.add(
        Component(
            name="Facial recognition system",
            kind="controller",
            nature="ai_model",
            description="Matches faces in live video against the watchlist and alerts the "
            "control room above a similarity threshold. Highly accurate in independent "
            "benchmarks, across demographic groups. Advisory: it issues no control action; "
            "its alerts are feedback to the operator.",
            variables=(
                variable("Face in view", "on the watchlist", "not on the watchlist"),
                variable("Similarity", "above threshold", "below threshold"),
            ),
        )
    )
    operator = doc.add(
        Component(
            name="Control-room operator",
            kind="controller",
            nature="human",
            role="operator",
            training="trained",
            description="Checks every alert against the watchlist photo before dispatching "
            "officers; can dismiss alerts and stop the matching.",
            variables=(
                variable("Alert", "verified", "doubtful", "dismissed"),
                variable("Entry", "current", "lapsed"),
            ),
        )
    )
    officers = doc.add(
        Component(
            name="Street officer",
            kind="controller",
            nature="human",
            role="operator",
            training="trained",
            description="Intercept the person, check identity, and act.",
            variables=(variable("Identity", "confirmed as the entry", "not the entry", "unknown"),),
        )
    )
    watchlist = doc.add(
        Component(
            name="Watchlist",
            kind="controlled_process",
            nature="software",
            description="Photos and identities of the people the system looks for.",
        )
    )
    cameras = doc.add(
        Component(
            name="Surveillance cameras",
            kind="sensor",
            nature="physical",
            description="Cameras at the deployment site, streaming live video.",
        )
    )
    people = doc.add(
        Component(
            name="People in public space",
            kind="external",
            nature="human",
            role="affected person",
            description="Everyone who passes the cameras: almost none of them on the watchlist.",
        )
    )

    ca, fb, info = "control_action", "feedback", "information"
    items: dict[str, str] = {}

    def link(source: Component, target: Component, kind: str, *names: str) -> Link:
        return add_link(doc, items, source, target, kind, names)

    link(dpa, leadership, ca, "Order a stop to unlawful processing", "Impose a fine")
    link(
        leadership,
        vendor,
        ca,
        "Procure the system and set the match threshold",
    )
    link(vendor, leadership, fb, "Accuracy per demographic group")
    link(vendor, system, ca, "Train and update the model")
    link(system, vendor, fb, "Benchmark test results")
    deploy = link(leadership, system, ca, "Deploy live facial recognition (place, time)")
    link(leadership, unit, ca, "Task: find wanted persons and persons of interest")
    link(unit, leadership, fb, "Watchlist size")
    link(leadership, operator, ca, "Set procedures for alerts")
    link(operator, leadership, fb, "Deployment statistics (alerts, stops, arrests)")
    link(unit, watchlist, ca, "Add or remove watchlist entries")
    link(watchlist, unit, fb, "Watchlist entries")
    link(watchlist, system, info, "Watchlist photos")
    link(cameras, system, fb, "Live video of passers-by")
    link(people, cameras, fb, "Faces in view")
    link(system, operator, fb, "Match alert with similarity score and watchlist photo")
    link(operator, system, ca, "Dismiss alert or stop live matching")
    link(operator, officers, ca, "Dispatch officers to intercept")
    link(officers, operator, fb, "Outcome of the stop")
    link(officers, people, ca, "Stop, question and identify a person", "Arrest")
    link(people, officers, fb, "Identity documents and answers")

    places = {
        dpa: (420, 0, 220),
        leadership: (420, 220, 220),
        vendor: (0, 440, 200),
        unit: (420, 440, 220),
        operator: (880, 440, 220),
        system: (160, 700, 240),
        watchlist: (560, 700, 200),
        cameras: (0, 960, 200),
        officers: (880, 960, 220),
        people: (420, 1220, 240),
    }
    for component, (x, y, width) in places.items():
        doc.set_layout(NodeLayout(id=component.id, x=x, y=y, width=width, height=70))
    # The deployment decision passes above the intelligence unit, not through it.
    doc.set_layout(LinkLayout(id=deploy.id, bends=((0.0, 370.0),)))
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
        dpa,
        "Supervise the lawfulness of the police's biometric processing and stop unlawful "
        "processing",
        (sc4, sc1),
        (leadership,),
    )
    responsibility(
        leadership,
        "Deploy the system only where the law allows, with a necessity and proportionality "
        "assessment for each deployment",
        (sc1, sc12, sc3),
        (system,),
    )
    responsibility(
        leadership,
        "Set procedures for alerts and keep the control room staffed to check every alert",
        (sc2, sc6),
        (operator,),
    )
    responsibility(
        vendor,
        "Keep the matching accurate across demographic groups, and test every update",
        (sc2,),
        (system,),
    )
    responsibility(
        system,
        "Match faces against the watchlist, alert above the threshold, and discard the images "
        "of non-matches at once",
        (sc2, sc4, sc6),
        (),
    )
    responsibility(
        unit,
        "Keep the watchlist current: remove entries whose warrant or reason has lapsed",
        (sc2,),
        (watchlist,),
    )
    responsibility(
        operator,
        "Verify each alert against the watchlist photo and the entry's status before "
        "dispatching officers; dismiss the rest",
        (sc2, sc6),
        (system,),
    )
    responsibility(
        officers,
        "Confirm the person's identity before any further action; end the stop when it does "
        "not match",
        (sc2, sc6),
        (people,),
    )

    # --- step 3: unsafe control actions and controller constraints --------------------------
    uca_ids: dict[str, str] = {}

    def ucas(action: str, rows: Iterable[tuple[str, str, str, tuple[str, ...], str]]) -> None:
        add_ucas(doc, items[action], rows, uca_ids)

    discrete = "A discrete action: it has no duration that could be too short or too long."
    ucas(
        "Deploy live facial recognition (place, time)",
        (
            (
                "deploy-assembly",
                "provided",
                "at a protest, a place of worship or another lawful assembly",
                (h12,),
                "Police leadership must not deploy the system at a lawful assembly",
            ),
            (
                "deploy-neighbourhoods",
                "provided",
                "again and again in the same neighbourhoods",
                (h3,),
                "Police leadership must not concentrate deployments on particular "
                "neighbourhoods without a documented reason",
            ),
            (
                "deploy-unassessed",
                "provided",
                "without a necessity and proportionality assessment",
                (h1,),
                "Police leadership must not deploy the system without a documented necessity "
                "and proportionality assessment",
            ),
            (
                "deploy-permanent",
                "duration",
                "applied too long: a deployment for one event stays in place afterwards",
                (h1, h4),
                "Police leadership must end each deployment when its assessed purpose ends",
            ),
            (
                "",
                "not_provided",
                "",
                (),
                "Not deploying the system leaves policing as it was without it; people sought "
                "for serious crime are still looked for by other means.",
            ),
            (
                "",
                "timing",
                "",
                (),
                "A deployment at the wrong time is a deployment at the wrong event (provided, "
                "above).",
            ),
        ),
    )
    ucas(
        "Procure the system and set the match threshold",
        (
            (
                "threshold-lowered",
                "provided",
                "with a threshold lowered to produce more alerts",
                (h2,),
                "Police leadership must not lower the match threshold below the level tested "
                "for false matches",
            ),
            (
                "",
                "not_provided",
                "",
                (),
                "Without a procured system there is no deployment; not hazardous here.",
            ),
            (
                "",
                "timing",
                "",
                (),
                "A threshold set late is set before the next deployment; no hazard.",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Add or remove watchlist entries",
        (
            (
                "add-no-grounds",
                "provided",
                "adding people without individual legal grounds: activists, journalists, "
                "'persons of interest'",
                (h11,),
                "Intelligence unit must not add a person to the watchlist without individual "
                "legal grounds",
            ),
            (
                "add-wrong-photo",
                "provided",
                "adding a photo of poor quality, or of another person",
                (h2,),
                "Intelligence unit must not add a photo that does not identify the person sought",
            ),
            (
                "remove-missing",
                "not_provided",
                "when the warrant or the reason for the entry has lapsed",
                (h2, h11),
                "Intelligence unit must remove an entry as soon as its warrant or reason lapses",
            ),
            (
                "remove-late",
                "timing",
                "too late, weeks after the person is no longer sought",
                (h2,),
                "Intelligence unit must review every entry before each deployment",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Dispatch officers to intercept",
        (
            (
                "dispatch-unchecked",
                "provided",
                "on an alert not checked against the watchlist photo",
                (h2,),
                "Control-room operator must not dispatch officers on an unchecked alert",
            ),
            (
                "dispatch-lapsed",
                "provided",
                "on a match to an entry whose warrant has lapsed",
                (h2,),
                "Control-room operator must check that the entry is current before dispatching",
            ),
            (
                "dispatch-missing",
                "not_provided",
                "when the alert is verified and the person is sought for serious crime",
                (h6,),
                "Control-room operator must dispatch officers on a verified alert of a person "
                "sought for serious crime",
            ),
            (
                "dispatch-late",
                "timing",
                "too late, after the person has left the area",
                (h6,),
                "Control-room operator must dispatch officers within the time the person "
                "stays in the area",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Dismiss alert or stop live matching",
        (
            (
                "dismiss-missing",
                "not_provided",
                "when the watchlist photo does not match the person on camera",
                (h2,),
                "Control-room operator must dismiss an alert whose photo does not match the "
                "person on camera",
            ),
            (
                "dismiss-correct",
                "provided",
                "when the match is correct and the person is sought for serious crime",
                (h6,),
                "Control-room operator must not dismiss a verified alert of a person sought "
                "for serious crime",
            ),
            (
                "",
                "timing",
                "",
                (),
                "An alert dismissed late has already led to a dispatch: see 'Dispatch officers "
                "to intercept'.",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Stop, question and identify a person",
        (
            (
                "stop-mismatch",
                "provided",
                "continuing after the identity check shows the person is not the entry",
                (h2,),
                "Street officer must end the stop when the identity check shows the person is "
                "not the entry",
            ),
            (
                "stop-force",
                "provided",
                "with force, because the alert said 'violent', before checking identity",
                (h2,),
                "Street officer must check identity before using force, unless there is an "
                "immediate threat",
            ),
            (
                "stop-long",
                "duration",
                "applied too long: the person is held waiting for a confirmation",
                (h2,),
                "Street officer must release a person whose identity is not confirmed within "
                "minutes",
            ),
            (
                "",
                "not_provided",
                "",
                (),
                "Not stopping a dispatched match is analysed as the operator's dispatch not "
                "provided; officers who see the person stop them.",
            ),
            (
                "",
                "timing",
                "",
                (),
                "A late stop is a dispatch too late (see 'Dispatch officers to intercept').",
            ),
        ),
    )
    ucas(
        "Arrest",
        (
            (
                "arrest-on-match",
                "provided",
                "on the match alone, without an identity check",
                (h2,),
                "Street officer must not arrest on a match alone",
            ),
            (
                "arrest-missing",
                "not_provided",
                "when the identity is confirmed and a warrant is current",
                (h6,),
                "Street officer must arrest a person whose identity is confirmed and whose "
                "warrant is current",
            ),
            (
                "",
                "timing",
                "",
                (),
                "An arrest follows the identity check; its timing is that of the stop.",
            ),
            ("", "duration", "", (), discrete),
        ),
    )

    # --- step 4: loss scenarios --------------------------------------------------------------
    scenario = functools.partial(add_scenario, doc, uca_ids)

    scenario(
        "Leadership deploys the system at a demonstration against the police to identify "
        "'known agitators'. The system identifies them accurately: the harm comes from the "
        "purpose, not from an error.",
        "controller",
        "Unsafe control algorithm: the purpose drifts to lawful activity",
        ("deploy-assembly", "deploy-unassessed"),
    )
    scenario(
        "With no criteria for entries and no one outside the police to authorise them, the "
        "unit adds people from protest footage as 'persons of interest'.",
        "controller",
        "Inadequate control algorithm: no criteria, no outside authorisation",
        ("add-no-grounds",),
        (h11,),
    )
    scenario(
        "Nothing about the watchlist or the deployments reaches the data-protection authority "
        "or a court: no reports, no notifications, no register. Whatever drift happens is "
        "seen only by those who decide it.",
        "feedback",
        "Feedback not in the design: no reporting to an independent supervisor",
        ("deploy-assembly", "add-no-grounds", "deploy-permanent"),
        (h5,),
    )
    scenario(
        "Deployments follow past arrest statistics, which reflect where police patrolled "
        "before, so the same neighbourhoods get the cameras again.",
        "feedback",
        "Feedback inaccurate: arrest statistics as a measure of crime",
        ("deploy-neighbourhoods",),
    )
    scenario(
        "A deployment for a festival stays in place afterwards because the cameras are "
        "installed and the system is 'working well'.",
        "controller",
        "Inadequate process model: success measured by alerts",
        ("deploy-permanent",),
    )
    scenario(
        "After a quiet first month leadership lowers the threshold to 'get results'; false "
        "matches rise while the benchmark figures stay what they were.",
        "controller",
        "Unsafe input from another controller: pressure for results",
        ("threshold-lowered",),
    )
    scenario(
        "Entries are never reviewed: a person whose warrant was withdrawn stays on the list, "
        "the system matches them correctly, and they are stopped again and again.",
        "process",
        "Process changes over time: the watchlist goes stale",
        ("remove-missing", "remove-late", "dispatch-lapsed"),
    )
    scenario(
        "A photo from an old case file shows someone else with the same name; the system "
        "matches that other person, accurately.",
        "controller",
        "Inadequate process model: the entry's photo believed correct",
        ("add-wrong-photo", "dismiss-missing"),
    )
    scenario(
        "At a crowded station alerts come in bursts; the operator dispatches on the score to "
        "keep up.",
        "controller",
        "Inadequate control algorithm under workload",
        ("dispatch-unchecked", "dismiss-missing"),
    )
    scenario(
        "The alert reads 'wanted for violent offence'; officers approach with force before "
        "checking identity, and hold the person while the control room checks.",
        "feedback",
        "Feedback shapes the officers' process model: the alert's wording",
        ("stop-force", "stop-long", "arrest-on-match", "stop-mismatch"),
    )
    scenario(
        "An operator dismisses a correct alert because the watchlist photo is fifteen years "
        "old; by the time a colleague checks, the person has left.",
        "controller",
        "Inadequate process model: an old photo doubted",
        ("dismiss-correct", "dispatch-late", "dispatch-missing"),
    )
    scenario(
        "The officers' radios lose the control room in the station hall, so the dispatch "
        "reaches them after the person has gone and no arrest follows.",
        "control_path",
        "Action delayed on the control path: radio coverage",
        ("dispatch-late", "arrest-missing"),
    )


# --- analyses and dispositions ---------------------------------------------------------------


SCOPE = (
    "Outside the scope of this example, which analyses how the system is pointed at people: "
    "deployments, the watchlist, alerts and stops. The supervisor's and leadership's other "
    "control actions are drawn to show who answers for the system, not analysed for unsafe "
    "control actions."
)
MODEL = (
    "Outside the scope of this example on purpose: the model is taken to be as accurate as "
    "its independent benchmarks say. The brief's point is that the hazards remain; this "
    "analysis looks for them in the system around the model."
)


def _dispose(doc: stipa.Document) -> None:
    for action, rationale in (
        ("Order a stop to unlawful processing", SCOPE),
        ("Impose a fine", SCOPE),
        ("Task: find wanted persons and persons of interest", SCOPE),
        ("Set procedures for alerts", SCOPE),
        ("Train and update the model", MODEL),
    ):
        dispose(
            doc,
            "stipa.hazards",
            "stpa.undecided-uca-types",
            (named(doc, action),),
            "not_applicable",
            rationale,
        )
        reject(doc, "stpa.candidate-uca", named(doc, action), rationale)
    dispose(
        doc,
        "stipa.footprint",
        "footprint.inputs",
        (named(doc, "Facial recognition system"),),
        "not_applicable",
        "Not estimated: the footprint of the matching is not the question of this example. "
        "Enter the system's hardware and usage in the inspector to get a footprint note.",
    )


def main() -> int:
    """Write the example next to this script's directory and report where."""
    from stipa import io

    io.save(build(), OUTPUT)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
