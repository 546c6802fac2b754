"""A public-sector benefit decision supported by an AI model: the known answer of the
``stipa.responsibility`` analysis, built through the public API.

A regulator approves the provider that develops the model; a deployer's case worker decides
with the model's recommendation; the citizen is expected to detect and contest a wrong
recommendation. The analysis finds, among others: nobody responsible for contestability, a
moral crumple zone on the citizen, uncoordinated control of the decision by the model and the
case worker, a case worker reviewing a model it hears nothing from, and no feedback from
operation reaching the deployer or the regulator.
"""

from __future__ import annotations

from stipa import (
    Component,
    ComponentKind,
    Document,
    Hazard,
    Link,
    LinkItem,
    LinkKind,
    Loss,
    Nature,
    NodeLayout,
    ProcessVariable,
    Responsibility,
    SystemConstraint,
    TrainingLevel,
)

__all__ = ["IDS", "benefit_decision_example"]

#: Names -> ids of the example's components, for scripts and tests.
IDS: dict[str, str] = {
    "Regulator": "C-1",
    "Provider": "C-2",
    "Deployer": "C-3",
    "AI model": "C-4",
    "Case worker": "C-5",
    "Citizen": "C-6",
    "Benefit decision": "C-7",
}


_CONTROLLER, _PROCESS = ComponentKind.CONTROLLER, ComponentKind.CONTROLLED_PROCESS
_ACTION, _FEEDBACK = LinkKind.CONTROL_ACTION, LinkKind.FEEDBACK


def _variable(vid: str, name: str, *values: str) -> tuple[ProcessVariable, ...]:
    return (ProcessVariable(id=vid, name=name, values=values),)


def benefit_decision_example() -> Document:
    """Build the example: 7 components, 6 links, 2 losses, 2 hazards, 2 constraints and 2
    responsibilities, with a layout. Each controller that acts declares a process model."""
    doc = Document()
    with doc.transaction("Benefit decision example"):
        for cid, name, kind, nature, role, training, variables, x, y in (
            (
                "C-1", "Regulator", _CONTROLLER, Nature.REGULATOR, "", TrainingLevel.UNKNOWN,
                _variable("PV-1", "provider compliance", "compliant", "non-compliant"),
                220, 0,
            ),
            (
                "C-2", "Provider", _CONTROLLER, Nature.ORGANISATION, "", TrainingLevel.UNKNOWN,
                _variable("PV-2", "model performance", "adequate", "degraded"),
                0, 160,
            ),
            (
                "C-3", "Deployer", _CONTROLLER, Nature.ORGANISATION, "", TrainingLevel.UNKNOWN,
                _variable("PV-3", "case worker readiness", "ready", "not ready"),
                440, 160,
            ),
            (
                "C-4", "AI model", _CONTROLLER, Nature.AI_MODEL, "", TrainingLevel.UNKNOWN,
                _variable("PV-4", "applicant eligibility", "eligible", "not eligible"),
                0, 320,
            ),
            (
                "C-5", "Case worker", _CONTROLLER, Nature.HUMAN, "operator", TrainingLevel.TRAINED,
                _variable("PV-5", "recommendation correct", "yes", "no", "unknown"),
                440, 320,
            ),
            (
                "C-6", "Citizen", _CONTROLLER, Nature.HUMAN, "lay user", TrainingLevel.NONE, (),
                720, 320,
            ),
            (
                "C-7", "Benefit decision", _PROCESS, Nature.SOFTWARE, "", TrainingLevel.UNKNOWN,
                (), 220, 480,
            ),
        ):  # fmt: skip
            doc.add(
                Component(
                    id=cid,
                    name=name,
                    kind=kind,
                    nature=nature,
                    role=role,
                    training=training,
                    variables=variables,
                )
            )
            doc.set_layout(NodeLayout(id=cid, x=x, y=y))
        for lid, source, target, link_kind, item_id, item in (
            ("LK-1", "C-1", "C-2", _ACTION, "CA-1", "approve / require audit"),
            ("LK-2", "C-2", "C-1", _FEEDBACK, "FB-1", "audit report"),
            ("LK-3", "C-2", "C-4", _ACTION, "CA-2", "train / update"),
            ("LK-4", "C-4", "C-7", _ACTION, "CA-3", "recommend"),
            ("LK-5", "C-5", "C-7", _ACTION, "CA-4", "decide"),
            ("LK-6", "C-3", "C-5", _ACTION, "CA-5", "procedures and training"),
        ):
            doc.add(
                Link(
                    id=lid,
                    source=source,
                    target=target,
                    kind=link_kind,
                    items=(LinkItem(id=item_id, name=item),),
                )
            )
        doc.add(Loss(id="L-1", text="Citizens are denied benefits they are entitled to"))
        doc.add(Loss(id="L-2", text="Citizens lose their right to redress"))
        doc.add(Hazard(id="H-1", text="Benefits wrongly denied", losses=("L-1",)))
        doc.add(Hazard(id="H-2", text="Decisions cannot be contested", losses=("L-1", "L-2")))
        doc.add(
            SystemConstraint(
                id="SC-1", text="Benefits must not be wrongly denied", hazards=("H-1",)
            )
        )
        doc.add(
            SystemConstraint(
                id="SC-2", text="Every decision must be open to contest", hazards=("H-2",)
            )
        )
        # Both responsibilities concern the AI model: what is detected, contested or
        # reviewed is its recommendation.
        doc.add(
            Responsibility(
                id="R-1",
                text="Detect and contest a wrong recommendation",
                owner="C-6",
                constraints=("SC-1",),
                processes=("C-4",),
            )
        )
        doc.add(
            Responsibility(
                id="R-2",
                text="Review the recommendation",
                owner="C-5",
                constraints=("SC-1",),
                processes=("C-4",),
            )
        )
    doc.set_info(
        title="Benefit decision with an AI recommendation",
        description="Known answer of the stipa.responsibility analysis.",
    )
    doc.mark_saved()
    return doc
