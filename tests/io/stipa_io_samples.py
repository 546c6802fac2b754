"""Documents for the tests of ``stipa.io``; run as a script to rewrite the golden file.

    .venv/bin/python tests/io/stipa_io_samples.py   # rewrites tests/data/format-v2.stipa

Only rewrite the golden file of the current format version, and only on purpose: the golden
file of an old version is what proves that its upgrade path keeps working.
"""

from __future__ import annotations

import sys
from pathlib import Path

from stipa.io import FORMAT_VERSION
from stipa.model import (
    Component,
    Condition,
    ContextRule,
    ControllerConstraint,
    Document,
    Finding,
    Hazard,
    Link,
    LinkItem,
    LinkLayout,
    Loss,
    LossScenario,
    NodeLayout,
    ProcessVariable,
    Property,
    RaciAssignment,
    Responsibility,
    SafetyRequirement,
    Suggestion,
    SystemConstraint,
    UnsafeControlAction,
)

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN_V1 = DATA / "format-v1.stipa"
#: The golden file of the current version.
GOLDEN = DATA / f"format-v{FORMAT_VERSION}.stipa"
HW = "urn:example:ai-hardware"
OPS = "https://example.org/stipa/operations"
REVIEW = (
    '<rv:review xmlns:rv="urn:example:review" status="done">\n'
    '    <rv:note by="QA">Checked against the hazard log &amp; the FHA.</rv:note>\n'
    "  </rv:review>"
)


def complete_document(version: int = FORMAT_VERSION) -> Document:
    """A small document using every record type, every field and every enum value.

    ``version=1`` leaves out what version 2 of the format added: it is the document of
    ``format-v1.stipa``.
    """
    doc = Document()
    doc.set_info(
        title="Wheel brake system",
        version="1.2",
        author="A. Analyst",
        organisation="Example Aero",
        description='STPA of the wheel brake system.\nSecond line, with <markup> & "quotes".',
    )
    crew = doc.add(
        Component(
            name="Flight crew",
            kind="controller",
            nature="human",
            role="operator",
            training="trained",
            description="Captain and first officer.",
            variables=[ProcessVariable(name="Autobrake armed", values=["yes", "no"])],
        )
    )
    bscu = doc.add(
        Component(
            name="BSCU",
            kind="controller",
            nature="software",
            description="Brake system control unit.",
            variables=[
                ProcessVariable(name="Aircraft state", values=["in flight", "landed"]),
                ProcessVariable(name="Wheel speed", values=["low", "high"]),
            ],
            properties=[
                Property(namespace=OPS, name="criticality", value="DAL A"),
                Property(namespace=HW, name="gpu-hours", value="120", unit="h"),
            ],
        )
    )
    model = doc.add(
        Component(
            name="Brake predictor",
            kind="actuator",
            nature="ai_model",
            training="expert",
            properties=[Property(namespace=HW, name="energy", value=" 3.5 ", unit="kWh")],
        )
    )
    wheels = doc.add(Component(name="Wheels", kind="controlled_process", nature="physical"))
    sensor = doc.add(Component(name="Wheel speed sensor", kind="sensor", nature="physical"))
    airline = doc.add(
        Component(name="Airline", kind="controller", nature="organisation", training="basic")
    )
    authority = doc.add(
        Component(name="Aviation authority", kind="external", nature="regulator", training="none")
    )

    arm = doc.add(
        Link(
            source=crew.id,
            target=bscu.id,
            kind="control_action",
            description="Cockpit panel.",
            items=[
                LinkItem(name="Arm autobrake", description="Before landing."),
                LinkItem(name="Disarm autobrake"),
            ],
        )
    )
    brake = doc.add(Link(source=bscu.id, target=wheels.id, items=[LinkItem(name="Brake")]))
    doc.add(Link(source=bscu.id, target=model.id, items=[LinkItem(name="Predict")]))
    speed = doc.add(
        Link(source=sensor.id, target=bscu.id, kind="feedback", items=[LinkItem(name="Speed")])
    )
    doc.add(
        Link(
            source=airline.id,
            target=crew.id,
            kind="information",
            items=[LinkItem(name="Procedures")],
        )
    )
    brake_action = brake.items[0].id
    state = bscu.variables[0]

    loss = doc.add(Loss(text="Loss of life or injury", description="Passengers and crew."))
    damage = doc.add(Loss(text="Damage to the aircraft"))
    hazard = doc.add(
        Hazard(
            text="Aircraft violates minimum separation on the runway",
            losses=[loss.id, damage.id],
            description="Includes overruns.",
        )
    )
    sub = doc.add(Hazard(text="Aircraft overruns the runway", losses=[loss.id], parent=hazard.id))
    constraint = doc.add(
        SystemConstraint(
            text="The aircraft must stop within the runway",
            hazards=[hazard.id, sub.id],
            description="Derived from H-1.",
        )
    )
    doc.add(
        Responsibility(
            text="Command braking when landed",
            owner=bscu.id,
            constraints=[constraint.id],
            processes=[wheels.id],
            raci=[
                RaciAssignment(component=bscu.id, role="responsible"),
                RaciAssignment(component=airline.id, role="accountable"),
                RaciAssignment(component=crew.id, role="consulted"),
                RaciAssignment(component=authority.id, role="informed"),
            ],
        )
    )
    uca = doc.add(
        UnsafeControlAction(
            action=brake_action,
            type="not_provided",
            context="the aircraft has landed",
            hazards=[hazard.id],
            rationale="Without braking the aircraft overruns.",
            status="accepted",
        )
    )
    doc.add(
        UnsafeControlAction(
            action=brake_action,
            type="provided",
            context="in flight",
            status="not_applicable",
            rationale="The wheels are not on the ground; no effect.",
        )
    )
    late = doc.add(
        UnsafeControlAction(
            action=brake_action, type="timing", context="too late", hazards=[sub.id]
        )
    )
    doc.add(UnsafeControlAction(action=arm.items[0].id, type="duration", status="draft"))
    doc.add(
        ControllerConstraint(text="The BSCU must brake after touchdown", ucas=[uca.id, late.id])
    )
    doc.add(
        LossScenario(
            text="The BSCU believes the aircraft is in flight",
            category="controller",
            ucas=[uca.id],
            hazards=[hazard.id],
            causal_factor="Weight-on-wheels feedback missing",
        )
    )
    doc.add(LossScenario(text="Feedback is delayed", category="feedback", hazards=[sub.id]))
    doc.add(LossScenario(text="Hydraulic line leaks", category="control_path"))
    doc.add(LossScenario(text="Runway is wet", category="process"))
    doc.add(LossScenario(text="Unclassified"))
    doc.add(
        ContextRule(
            action=brake_action,
            type="not_provided",
            conditions=[
                Condition(variable=state.id, value="landed"),
                Condition(variable=bscu.variables[1].id, value="high"),
            ],
            hazardous=True,
            hazards=[hazard.id],
            rationale="Overrun.",
        )
    )
    doc.add(
        ContextRule(
            action=brake_action,
            type="provided",
            conditions=[Condition(variable=state.id, value="in flight")],
            hazardous=False,
        )
    )
    doc.add(
        Finding(
            plugin="stipa.builtins.completeness",
            rule="hazard-without-constraint",
            severity="warning",
            message="H-1 has no constraint of its own.",
            targets=[hazard.id, constraint.id],
            source="completeness",
            data=[("count", "1"), ("note", "two\nlines")],
            disposition="accepted_risk",
            rationale="Covered by SC-1.",
        )
    )
    doc.add(
        Finding(plugin="p", rule="r", severity="error", message="Open error.", targets=[uca.id])
    )
    doc.add(
        Finding(
            plugin="p",
            rule="r",
            severity="info",
            message="Fixed.",
            disposition="not_applicable",
            rationale="Does not apply.",
        )
    )
    doc.add(Finding(plugin="p", rule="r", message="Done.", disposition="resolved", rationale="Ok"))
    proposals = [
        Loss(text="Loss of mission"),
        Hazard(text="Proposed hazard", losses=[loss.id], parent=hazard.id, description="d"),
        SystemConstraint(text="Proposed constraint", hazards=[hazard.id]),
        Responsibility(
            text="Proposed responsibility",
            owner=airline.id,
            raci=[RaciAssignment(component=airline.id, role="responsible")],
        ),
        UnsafeControlAction(id="UCA-99", action=brake_action, type="duration", context="too long"),
        ControllerConstraint(text="Proposed controller constraint", ucas=[uca.id]),
        LossScenario(text="Proposed scenario", category="process", causal_factor="Ice"),
        ContextRule(
            action=brake_action,
            type="timing",
            conditions=[Condition(variable=state.id, value="landed")],
            hazardous=False,
        ),
    ]
    statuses = ["open", "accepted", "rejected"]
    for number, proposal in enumerate(proposals):
        status = statuses[number % 3]
        doc.add(
            Suggestion(
                plugin="stipa.builtins.drafts",
                rule=f"draft-{number}",
                message=f"Consider this {type(proposal).__name__}.",
                proposal=proposal,
                targets=[hazard.id] if number % 2 else [],
                status=status,
                rationale="Not needed." if status == "rejected" else "",
            )
        )

    if version >= 2:
        _add_version_2(doc)

    positions = [(40, 40), (40, 200), (320, 200.5), (40, 360), (320, 360), (-120, 40), (600, 40)]
    for component, (x, y) in zip(doc.components.values(), positions, strict=False):
        doc.set_layout(NodeLayout(id=component.id, x=x, y=y))
    doc.set_layout(NodeLayout(id=bscu.id, x=40, y=200, width=200.25, height=90))
    doc.set_layout(
        LinkLayout(
            id=arm.id, routing="straight", bends=[(100, 120), (110.5, 130)], label_dx=4, label_dy=-6
        )
    )
    doc.set_layout(LinkLayout(id=speed.id, routing="orthogonal"))
    if version >= 2:
        doc.set_layout(
            NodeLayout(id="C-8", x=-1_000_000, y=-20, width=20_000, height=1, collapsed=True)
        )
        doc.set_layout(LinkLayout(id="LK-2", routing="straight", bends=[(1_000_000, -1e6)]))
    doc.extensions = (REVIEW,)
    doc.mark_saved()
    return doc


def _add_version_2(doc: Document) -> None:
    """Containment, levels, a boundary, aliases, UCA subtypes, factors and requirements."""
    boundary = doc.add(
        Component(name="Aircraft", kind="boundary", nature="physical", alias="ACFT", level=0)
    )
    doc.update("C-1", parent=boundary.id, level=1, alias="Crew")
    doc.update("C-2", parent=boundary.id, level=2)
    doc.update("C-3", parent="C-2", level=3, alias="Predictor")
    arm = doc.links["LK-1"]
    items = (arm.items[0].replace(alias="arm"), arm.items[1])
    doc.update("LK-1", alias="cockpit", items=items)
    doc.update("L-1", alias="L1")
    doc.update("H-1", alias="H1")
    doc.update("H-1.1", alias="H1.1")
    doc.update("SC-1", alias="SC1")
    doc.update("R-1", alias="R1")
    doc.update("UCA-3", subtype="too_late", alias="UCA3")
    doc.update("UCA-4", subtype="stopped_too_soon")
    doc.update("CC-1", alias="C1")
    doc.update("LS-1", factor="wrong_process_model", alias="S1")
    doc.update("LS-2", factor="delayed_feedback")
    doc.update("CR-1", alias="RL1")
    doc.add(
        ContextRule(
            action="CA-3",
            type="timing",
            subtype="too_early",
            conditions=[Condition(variable="PV-2", value="in flight")],
            hazards=["H-1.1"],
        )
    )
    doc.add(
        SafetyRequirement(
            text="The BSCU shall read weight on wheels from two independent sensors",
            description="Answers the missing-feedback scenario.",
            scenarios=["LS-1", "LS-2"],
            ucas=["UCA-1"],
            hazards=["H-1"],
            constraints=["SC-1"],
            alias="SR1",
        )
    )
    doc.add(SafetyRequirement(text="Untraced requirement"))
    for subtype in ("out_of_order", "applied_too_long"):
        kind = "timing" if subtype == "out_of_order" else "duration"
        doc.add(UnsafeControlAction(action="CA-3", type=kind, subtype=subtype))
    for factor in ("control_action", "inadequate_operation", "delayed_operation"):
        doc.add(LossScenario(text=f"Scenario with factor {factor}", factor=factor))
    doc.add(
        Suggestion(
            plugin="stipa.builtins.drafts",
            rule="draft-requirement",
            message="Consider this SafetyRequirement.",
            proposal=SafetyRequirement(text="Proposed requirement", scenarios=["LS-1"], alias="x"),
        )
    )


if __name__ == "__main__":
    from stipa.io import dumps

    GOLDEN.write_bytes(dumps(complete_document()))
    sys.stdout.write(f"wrote {GOLDEN}\n")
