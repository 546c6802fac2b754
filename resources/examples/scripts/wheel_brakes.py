"""Build ``resources/examples/wheel-brakes.stipa``: the wheel braking system of the STPA Handbook.

The aircraft wheel braking system (WBS) is the worked example of chapter 2 of the *STPA Handbook*
(N. Leveson and J. Thomas, MIT, 2018). This script rebuilds the example document through the
public API, so the file is always regenerable and in sync::

    .venv/bin/python resources/examples/scripts/wheel_brakes.py

What follows the Handbook word for word: the losses; hazards H-1 to H-4 and the sub-hazards
H-4.1 to H-4.6; system-level constraints SC-1, SC-2 and SC-4.1 to SC-4.3 (the Handbook's
SC-6.1 to SC-6.3, renumbered after the hazards they invert); the six unsafe control actions of
the BSCU Autobrake's "Brake" command (Handbook Table 2.3: one not provided, three provided, one
timing, one duration, tracing to H-4.1, H-4.2, H-4.3 and H-4.6) and the six controller
constraints that invert them (Table 2.5). Everything else (the other constraints, the
responsibilities, process models, context rules, loss scenarios and the layout) is written in
the Handbook's style for this example; each such record says so in its description where the
record type has one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import stipa
from stipa import (
    Component,
    Condition,
    ContextRule,
    ControllerConstraint,
    Hazard,
    Link,
    LinkItem,
    Loss,
    LossScenario,
    NodeLayout,
    ProcessVariable,
    Responsibility,
    SystemConstraint,
    UnsafeControlAction,
)

#: Where the example lives, relative to this script.
OUTPUT = Path(__file__).resolve().parents[1] / "wheel-brakes.stipa"

HANDBOOK = "STPA Handbook (Leveson & Thomas, 2018), chapter 2"
OWN = "Not in the Handbook: written for this example in the Handbook's style."


def build() -> stipa.Document:
    """Return the wheel braking system example as a new document.

    Returns
    -------
    stipa.Document
        The analysis, built in one transaction; ``doc.check()`` is empty.
    """
    doc = stipa.Document()
    with doc.transaction("Build the wheel braking system example"):
        _build(doc)
    return doc


def _build(doc: stipa.Document) -> None:
    doc.set_info(
        title="Wheel braking system (STPA Handbook ch. 2)",
        version="1.0",
        author="Stipa examples",
        organisation="Stipa",
        description=(
            "The aircraft wheel braking system analysed in chapter 2 of the STPA Handbook "
            "(Leveson & Thomas, 2018), focused on hazard H-4 and the BSCU Autobrake. "
            "Hazards H-1 to H-3 are listed for context; this example does not analyse them."
        ),
    )

    # --- step 1: losses, hazards, system-level constraints ---------------------------------
    l1 = doc.add(Loss(text="Loss of life or injury to people")).id
    l2 = doc.add(
        Loss(text="Loss of or damage to vehicle", description="The vehicle is the aircraft.")
    ).id
    l3 = doc.add(Loss(text="Loss of or damage to objects outside the vehicle")).id
    l4 = doc.add(
        Loss(
            text="Loss of mission (e.g. transportation mission, surveillance mission, "
            "scientific mission, defense mission, etc.)"
        )
    ).id
    l5 = doc.add(Loss(text="Loss of customer satisfaction")).id

    out_of_scope = "Outside the scope of this wheel braking example."
    h1 = doc.add(
        Hazard(
            text="Aircraft violate minimum separation standards in flight",
            losses=(l1, l2, l4, l5),
            description=out_of_scope,
        )
    ).id
    h2 = doc.add(
        Hazard(
            text="Aircraft airframe integrity is lost",
            losses=(l1, l2, l4, l5),
            description=out_of_scope,
        )
    ).id
    h3 = doc.add(
        Hazard(
            text="Aircraft leaves designated taxiway, runway, or apron on ground",
            losses=(l1, l2, l5),
            description=out_of_scope,
        )
    ).id
    h4_losses = (l1, l2, l3, l5)
    h4 = doc.add(
        Hazard(
            text="Aircraft comes too close to other objects on the ground",
            losses=h4_losses,
            description=(
                "The Handbook traces H-4 to L-1, L-2 and L-5; this example adds L-3, since the "
                "objects the aircraft comes close to are outside it."
            ),
        )
    ).id
    sub = {
        number: doc.add(Hazard(text=text, losses=h4_losses, parent=h4)).id
        for number, text in (
            (1, "Deceleration is insufficient upon landing, rejected takeoff, or during taxiing"),
            (2, "Asymmetric deceleration maneuvers aircraft toward other objects"),
            (3, "Deceleration occurs after V1 point during takeoff"),
            (4, "Excessive acceleration provided while taxiing"),
            (5, "Asymmetric acceleration maneuvers aircraft toward other objects"),
            (6, "Acceleration is insufficient during takeoff"),
        )
    }

    doc.add(
        SystemConstraint(
            text="Aircraft must satisfy minimum separation standards from other aircraft and "
            "objects",
            hazards=(h1,),
            description=HANDBOOK,
        )
    )
    doc.add(
        SystemConstraint(
            text="Aircraft airframe integrity must be maintained under worst-case conditions",
            hazards=(h2,),
            description=HANDBOOK,
        )
    )
    doc.add(
        SystemConstraint(
            text="Aircraft must remain on designated taxiway, runway, or apron on ground",
            hazards=(h3,),
            description=OWN,
        )
    )
    sc4 = doc.add(
        SystemConstraint(
            text="Aircraft must maintain a safe distance from other objects on the ground",
            hazards=(h4,),
            description=OWN,
        )
    ).id
    sc_texts = {
        1: (
            "Deceleration must occur within TBD seconds of landing or rejected takeoff at a "
            "rate of at least TBD m/s²",
            "Handbook SC-6.1.",
        ),
        2: (
            "Asymmetric deceleration must not lead to loss of directional control or cause "
            "aircraft to depart taxiway, runway, or apron",
            "Handbook SC-6.2.",
        ),
        3: ("Deceleration must not be provided after V1 point during takeoff", "Handbook SC-6.3."),
        4: ("Acceleration must not be excessive while taxiing", OWN),
        5: ("Asymmetric acceleration must not maneuver aircraft toward other objects", OWN),
        6: ("Acceleration must be sufficient during takeoff", OWN),
    }
    sc = {
        number: doc.add(
            SystemConstraint(
                id=f"SC-4.{number}", text=text, hazards=(sub[number],), description=note
            )
        ).id
        for number, (text, note) in sc_texts.items()
    }

    # --- step 2: the control structure -----------------------------------------------------
    crew = doc.add(
        Component(
            name="Flight crew",
            kind="controller",
            nature="human",
            role="operator",
            training="expert",
            description="Pilot flying and pilot monitoring.",
            variables=(
                ProcessVariable(
                    name="Aircraft phase",
                    values=("taxiing", "takeoff roll", "in flight", "landing roll"),
                ),
                ProcessVariable(
                    name="Autobrake status", values=("disarmed", "armed", "braking", "fault")
                ),
            ),
        )
    )
    autobrake = doc.add(
        Component(
            name="BSCU Autobrake",
            kind="controller",
            nature="software",
            description=(
                "The Brake System Control Unit's autobrake function: brakes automatically on "
                "landing or rejected takeoff at the deceleration the crew selected."
            ),
            variables=(
                ProcessVariable(
                    name="Aircraft state",
                    values=("in flight", "landing roll", "takeoff roll", "taxiing", "stopped"),
                ),
                ProcessVariable(name="Autobrake mode", values=("disarmed", "armed")),
                ProcessVariable(
                    name="Wheel speed", values=("zero", "below taxi speed", "above taxi speed")
                ),
                ProcessVariable(name="Brake pedals", values=("released", "applied")),
            ),
        )
    )
    hydraulic_controller = doc.add(
        Component(
            name="BSCU Hydraulic controller",
            kind="controller",
            nature="software",
            description=(
                "The Brake System Control Unit's hydraulic controller: turns autobrake and "
                "pedal commands into valve commands, with anti-skid."
            ),
            variables=(
                ProcessVariable(name="Braking requested", values=("none", "manual", "autobrake")),
                ProcessVariable(name="Wheel skid", values=("no skid", "skidding")),
            ),
        )
    )
    hydraulics = doc.add(
        Component(
            name="Hydraulic system",
            kind="actuator",
            nature="physical",
            description="Shut-off, meter and anti-skid valves; the hydraulic lines to the brakes.",
        )
    )
    wheels = doc.add(
        Component(
            name="Wheels",
            kind="controlled_process",
            nature="physical",
            description="Main-gear wheels and brakes: the aircraft's deceleration on the ground.",
        )
    )
    sensors = doc.add(
        Component(
            name="Wheel speed sensors",
            kind="sensor",
            nature="physical",
            description="One speed sensor per braked wheel.",
        )
    )
    others = doc.add(
        Component(
            name="Other aircraft systems",
            kind="controlled_process",
            nature="physical",
            description="Engines (thrust), landing gear (weight on wheels) and air data.",
        )
    )

    def link(source: Component, target: Component, kind: str, *names: str) -> Link:
        items = tuple(LinkItem(name=name) for name in names)
        added: Link = doc.add(Link(source=source.id, target=target.id, kind=kind, items=items))
        return added

    ca, fb, info = "control_action", "feedback", "information"
    link(crew, autobrake, ca, "Arm and set autobrake", "Disarm autobrake")
    link(crew, hydraulic_controller, ca, "Manual braking", "Power off BSCU")
    brake_link = link(autobrake, hydraulic_controller, ca, "Brake")
    link(hydraulic_controller, hydraulics, ca, "Open or close shut-off valve", "Set brake pressure")
    link(hydraulics, wheels, ca, "Apply brake pressure")
    link(crew, others, ca, "Set thrust")
    link(wheels, sensors, fb, "Wheel rotation")
    link(sensors, autobrake, fb, "Wheel speed")
    link(sensors, hydraulic_controller, fb, "Wheel speed")
    link(hydraulics, hydraulic_controller, fb, "Brake pressure")
    link(hydraulic_controller, autobrake, fb, "Brake pedals applied")
    link(autobrake, crew, fb, "Autobrake status", "Deceleration achieved")
    link(hydraulic_controller, crew, fb, "BSCU fault", "Brake pressure indication")
    link(others, crew, fb, "Airspeed and V1 call-out")
    link(others, autobrake, info, "Weight on wheels", "Throttle position")
    brake = brake_link.items[0].id

    # Controllers above what they control (control actions point down, feedback up):
    # 160 × 70 boxes, rows 170 px apart, at least 90 px between boxes side by side.
    places = {
        crew: (300, 0),
        autobrake: (60, 170),
        hydraulic_controller: (300, 340),
        hydraulics: (150, 510),
        wheels: (300, 680),
        sensors: (450, 510),
        others: (570, 170),
    }
    for component, (x, y) in places.items():
        doc.set_layout(NodeLayout(id=component.id, x=x, y=y))

    # Responsibilities, adapted from the Handbook's responsibilities for this example.
    for owner, text, constraints, processes in (
        (
            hydraulics,
            "Decelerate the wheels when commanded by the BSCU or the flight crew",
            (sc[1],),
            (wheels,),
        ),
        (
            hydraulic_controller,
            "Actuate the brakes when requested by the flight crew or the Autobrake",
            (sc[1],),
            (hydraulics,),
        ),
        (
            hydraulic_controller,
            "Pulse the brakes in case of a skid (anti-skid)",
            (sc[2],),
            (hydraulics,),
        ),
        (
            autobrake,
            "Automatically engage the brakes on landing or rejected takeoff at the selected "
            "deceleration",
            (sc[1],),
            (hydraulic_controller,),
        ),
        (
            autobrake,
            "Never brake during a normal takeoff or after V1",
            (sc[3], sc[6]),
            (hydraulic_controller,),
        ),
        (
            autobrake,
            "Command symmetric braking during landing roll",
            (sc[2],),
            (hydraulic_controller,),
        ),
        (
            crew,
            "Manually brake in case of an Autobrake or BSCU malfunction, and power off a "
            "malfunctioning BSCU",
            (sc[1], sc[2]),
            (hydraulic_controller,),
        ),
        (
            crew,
            "Arm and set the autobrake for landing and rejected takeoff, and disarm it when it "
            "is not appropriate",
            (sc[1], sc[3]),
            (autobrake,),
        ),
        (
            crew,
            "Keep the aircraft at a safe distance from other objects on the ground, controlling "
            "thrust and braking while taxiing and taking off",
            (sc4, sc[4], sc[5], sc[6]),
            (others, hydraulic_controller),
        ),
    ):
        doc.add(
            Responsibility(
                text=text,
                owner=owner.id,
                constraints=constraints,
                processes=tuple(p.id for p in processes),
            )
        )

    # --- step 3: the BSCU Autobrake's Brake command (Handbook Table 2.3) --------------------
    uca_rows = (
        ("not_provided", "during landing roll when the BSCU is armed", (sub[1],)),
        ("provided", "during a normal takeoff", (sub[3], sub[6])),
        ("timing", "too late (>TBD seconds) after touchdown", (sub[1],)),
        ("duration", "too early (before TBD taxi speed attained) when aircraft lands", (sub[1],)),
        ("provided", "with an insufficient level of braking during landing roll", (sub[1],)),
        (
            "provided",
            "with directional or asymmetrical braking during landing roll",
            (sub[1], sub[2]),
        ),
    )
    ucas = [
        doc.add(
            UnsafeControlAction(
                action=brake,
                type=uca_type,
                context=context,
                hazards=hazards,
                rationale=f"{HANDBOOK}, Table 2.3.",
                status="accepted",
            )
        ).id
        for uca_type, context, hazards in uca_rows
    ]
    for uca, text in zip(
        ucas,
        (
            "BSCU Autobrake must provide the Brake control action during landing roll when the "
            "BSCU is armed",
            "BSCU Autobrake must not provide Brake control action during a normal takeoff",
            "BSCU Autobrake must provide the Brake control action within TBD seconds after "
            "touchdown",
            "BSCU Autobrake must not stop providing the Brake control action before TBD taxi "
            "speed is attained during landing roll",
            "BSCU Autobrake must not provide less than TBD level of braking during landing roll",
            "BSCU Autobrake must not provide directional or asymmetrical braking during landing "
            "roll",
        ),
        strict=True,
    ):
        doc.add(ControllerConstraint(text=text, ucas=(uca,)))

    # Two rows of the Brake command's context table, over the Autobrake's process model.
    state, mode = autobrake.variables[0].id, autobrake.variables[1].id
    doc.add(
        ContextRule(
            action=brake,
            type="not_provided",
            conditions=(
                Condition(variable=state, value="landing roll"),
                Condition(variable=mode, value="armed"),
            ),
            hazards=(sub[1],),
            rationale="Not braking during an armed landing roll leaves deceleration insufficient.",
        )
    )
    doc.add(
        ContextRule(
            action=brake,
            type="provided",
            conditions=(Condition(variable=state, value="takeoff roll"),),
            hazards=(sub[3], sub[6]),
            rationale="Braking during a normal takeoff slows the aircraft when it must accelerate.",
        )
    )

    # --- step 4: loss scenarios ---------------------------------------------------------------
    for text, category, factor, scenario_ucas, hazards in (
        (
            "The BSCU Autobrake physical controller fails during landing roll when the BSCU is "
            "armed, so the Brake control action is not provided and deceleration is "
            "insufficient upon landing.",
            "controller",
            "Physical failure of the controller",
            (ucas[0],),
            (),
        ),
        (
            "The aircraft lands, but processing delays within the BSCU result in the Brake "
            "control action being provided too late.",
            "controller",
            "Inadequate control algorithm: processing delay",
            (ucas[2],),
            (),
        ),
        (
            "During a normal takeoff the Autobrake believes the aircraft is landing (for example "
            "after a momentary loss of the weight-on-wheels signal), so it provides Brake.",
            "controller",
            "Inadequate process model: wrong aircraft state",
            (ucas[1],),
            (),
        ),
        (
            "Touchdown is not indicated on touchdown: the reported wheel speed is too low "
            "(hydroplaning on a wet runway) or weight on wheels is not reported, so the "
            "Autobrake believes the aircraft is still in the air and does not brake.",
            "feedback",
            "Feedback inaccurate or missing: wheel speed, weight on wheels",
            (ucas[0], ucas[2]),
            (),
        ),
        (
            "The Autobrake provides Brake, but the shut-off valve stays closed after a "
            "hydraulic fault, so no brake pressure reaches the wheels.",
            "control_path",
            "Action sent but not applied",
            (),
            (sub[1],),
        ),
        (
            "Brake pressure is applied, but on a contaminated runway the wheels do not "
            "decelerate the aircraft as expected.",
            "process",
            "Process does not respond as expected: runway contamination",
            (),
            (sub[1],),
        ),
    ):
        doc.add(
            LossScenario(
                text=text,
                category=category,
                causal_factor=factor,
                ucas=scenario_ucas,
                hazards=hazards,
            )
        )


def main() -> int:
    """Write the example next to this script's directory and report where."""
    from stipa import io

    io.save(build(), OUTPUT)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
