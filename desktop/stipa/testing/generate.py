"""Synthetic, valid, deterministic STPA documents of any size, for tests and benchmarks.

The documents look like real analyses: a layered control structure (about a third of the
components are controllers, arranged in a tree; the rest are controlled processes, actuators,
sensors and external parties below them), control actions pointing down, feedback pointing up,
some information links, a process model for every controller, a node layout for every
component, and STPA records in the proportions of a typical analysis.

Everything is built through the public API of :class:`stipa.Document` in one transaction, so
the result is exactly what an analyst could have drawn (and ``doc.check()`` is empty).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from stipa.model import (
    Component,
    ComponentKind,
    Condition,
    ContextRule,
    ControllerConstraint,
    Disposition,
    Document,
    Finding,
    Hazard,
    Link,
    LinkItem,
    LinkKind,
    Loss,
    LossScenario,
    Nature,
    NodeLayout,
    ProcessVariable,
    RaciAssignment,
    RaciRole,
    Responsibility,
    ScenarioCategory,
    Severity,
    SystemConstraint,
    TrainingLevel,
    UCAStatus,
    UCAType,
    UnsafeControlAction,
)

__all__ = ["expected_counts", "generate_document"]

#: STPA records per ten components (rounded half up, at least one of each).
PER_TEN: dict[str, int] = {
    "losses": 1,
    "hazards": 2,
    "constraints": 2,
    "responsibilities": 3,
    "ucas": 4,
    "controller_constraints": 3,
    "scenarios": 2,
    "context_rules": 1,
    "findings": 2,
}

#: Id prefixes of link items, as the document numbers them.
_ITEM_PREFIX = {
    LinkKind.CONTROL_ACTION: "CA-",
    LinkKind.FEEDBACK: "FB-",
    LinkKind.INFORMATION: "IN-",
}

#: Node size and the gaps between nodes of the generated layout, in scene pixels.
NODE_WIDTH = 160.0
NODE_HEIGHT = 70.0
GAP_X = 60.0
GAP_Y = 60.0
#: Nodes per row before a level of the hierarchy wraps onto another row.
COLUMNS = 40

# --- vocabulary ------------------------------------------------------------------------------

_CONTROLLER_NAMES: dict[Nature, tuple[str, ...]] = {
    Nature.HUMAN: ("Operator", "Shift supervisor", "Pilot", "Dispatcher", "Clinician"),
    Nature.ORGANISATION: ("Operations management", "Safety office", "Maintenance department"),
    Nature.REGULATOR: ("Safety regulator", "Certification authority"),
    Nature.SOFTWARE: ("Control unit", "Supervisory software", "Scheduler", "Interlock logic"),
    Nature.AI_MODEL: ("Perception model", "Triage model", "Planning model", "Forecast model"),
}
_CONTROLLER_NATURES: tuple[tuple[Nature, int], ...] = (
    (Nature.SOFTWARE, 35),
    (Nature.HUMAN, 25),
    (Nature.AI_MODEL, 15),
    (Nature.ORGANISATION, 20),
    (Nature.REGULATOR, 5),
)
#: (kind, nature, weight, names) of the components below the controllers.
_LOWER: tuple[tuple[ComponentKind, Nature, int, tuple[str, ...]], ...] = (
    (ComponentKind.CONTROLLED_PROCESS, Nature.PHYSICAL, 28, ("Pump", "Conveyor", "Reactor")),
    (ComponentKind.CONTROLLED_PROCESS, Nature.SOFTWARE, 6, ("Booking service", "Database")),
    (ComponentKind.CONTROLLED_PROCESS, Nature.AI_MODEL, 6, ("Deployed model", "Ranking model")),
    (ComponentKind.ACTUATOR, Nature.PHYSICAL, 15, ("Valve", "Motor drive", "Brake actuator")),
    (ComponentKind.ACTUATOR, Nature.SOFTWARE, 5, ("Command gateway", "Release pipeline")),
    (ComponentKind.SENSOR, Nature.PHYSICAL, 15, ("Speed sensor", "Pressure sensor", "Camera")),
    (ComponentKind.SENSOR, Nature.SOFTWARE, 5, ("Monitoring service", "Drift monitor")),
    (ComponentKind.EXTERNAL, Nature.HUMAN, 10, ("Passenger", "Patient", "Bystander")),
    (ComponentKind.EXTERNAL, Nature.ORGANISATION, 10, ("Supplier", "Emergency services")),
)
_HUMAN_ROLES = ("operator", "manager", "lay user", "affected person", "maintainer")
_TRAINING = (TrainingLevel.BASIC, TrainingLevel.TRAINED, TrainingLevel.EXPERT, TrainingLevel.NONE)
_VARIABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mode", ("off", "standby", "active")),
    ("process state", ("idle", "running", "fault")),
    ("speed", ("zero", "low", "high")),
    ("load", ("normal", "overload")),
    ("phase", ("startup", "operation", "shutdown", "maintenance")),
    ("confidence", ("low", "high")),
    ("door state", ("open", "closed")),
)
_ITEMS: dict[LinkKind, tuple[str, ...]] = {
    LinkKind.CONTROL_ACTION: (
        "Start",
        "Stop",
        "Set speed",
        "Open valve",
        "Close valve",
        "Apply brake",
        "Release brake",
        "Approve release",
        "Issue procedure",
        "Retrain model",
        "Adjust setpoint",
        "Override",
        "Schedule maintenance",
    ),
    LinkKind.FEEDBACK: (
        "Measured speed",
        "Valve position",
        "Line pressure",
        "Temperature",
        "Alarm",
        "Incident report",
        "Performance metrics",
        "Confidence score",
        "Audit report",
        "Acknowledgement",
    ),
    LinkKind.INFORMATION: (
        "Shift handover",
        "Maintenance schedule",
        "Weather report",
        "Traffic information",
        "Policy update",
        "Coordination request",
    ),
}
_LOSSES = (
    "Loss of life or injury to people",
    "Damage to equipment or property",
    "Harm to the environment",
    "Loss of mission or service",
    "Loss of public trust or reputation",
    "Violation of people's rights",
)
#: (hazardous state, its inversion) pairs for hazards and system-level constraints.
_HAZARDS = (
    ("{0} operates outside its safe envelope", "{0} must operate within its safe envelope"),
    ("{0} comes too close to people or other objects", "{0} must keep a safe distance"),
    ("{0} releases energy or material uncontrolled", "{0} must contain energy and material"),
    ("{0} makes decisions on stale or wrong data", "{0} must act on current, correct data"),
    ("{0} denies service to people who need it", "{0} must serve people who need it"),
    ("{0} exposes personal data", "{0} must protect personal data"),
)
_CONTEXTS = (
    "while the process is running",
    "during start-up",
    "when a fault is present",
    "when the operator has already intervened",
    "during maintenance",
    "when feedback is delayed",
    "when confidence is low",
)
_UCA_TEXT: dict[UCAType, str] = {
    UCAType.NOT_PROVIDED: "does not provide",
    UCAType.PROVIDED: "provides",
    UCAType.TIMING: "provides too late",
    UCAType.DURATION: "stops too soon",
}
_CAUSAL_FACTORS: dict[ScenarioCategory, tuple[str, ...]] = {
    ScenarioCategory.CONTROLLER: ("inadequate process model", "inadequate control algorithm"),
    ScenarioCategory.FEEDBACK: ("feedback delayed", "sensor cannot measure what is needed"),
    ScenarioCategory.CONTROL_PATH: ("action sent but not received", "action applied wrongly"),
    ScenarioCategory.PROCESS: ("conflicting actions from other controllers", "disturbance"),
}
_RULES = (
    ("structure.feedback", Severity.WARNING, "{0} acts without feedback from its process."),
    ("structure.process-model", Severity.ERROR, "{0} declares no process-model variable."),
    ("responsibility.overlap", Severity.WARNING, "{0} shares a process with another controller."),
    ("labels.placeholder", Severity.INFO, "{0} uses a placeholder label."),
)


def expected_counts(components: int, links_per_component: int = 3) -> dict[str, int]:
    """How many records of each table ``generate_document`` makes.

    Parameters
    ----------
    components : int
        Number of components, at least 1.
    links_per_component : int, optional
        Links per component, at least 0.

    Returns
    -------
    dict of str to int
        Table name (``"components"``, ``"links"``, ``"hazards"``, ...) to record count.
        UCAs and context rules need control actions, so they are 0 when there are none.
    """
    _check_arguments(components, links_per_component)
    counts = {"components": components, "links": components * links_per_component}
    for table, per_ten in PER_TEN.items():
        counts[table] = max(1, (components * per_ten + 5) // 10)
    if links_per_component == 0:
        for table in ("ucas", "controller_constraints", "context_rules"):
            counts[table] = 0
    return counts


def generate_document(components: int, links_per_component: int = 3, seed: int = 0) -> Document:
    """Build a realistic, valid STPA document of a given size.

    Parameters
    ----------
    components : int
        Number of components, at least 1. About a third are controllers.
    links_per_component : int, optional
        Links per component; the document has exactly ``components * links_per_component``
        links. Mostly control actions down and feedback up the hierarchy, some information
        links; each carries one or two items; no link joins a component to itself.
    seed : int, optional
        Seed of the pseudo-random choices; the same arguments always give the same document.

    Returns
    -------
    stipa.Document
        The document, built in one undoable transaction named "Generate". Its record counts
        are those of :func:`expected_counts`, and ``doc.check()`` is empty.

    Raises
    ------
    ValueError
        If ``components`` is below 1 or ``links_per_component`` below 0.
    """
    counts = expected_counts(components, links_per_component)
    builder = _Builder(random.Random(seed), components, links_per_component, counts)
    doc = Document()
    with doc.transaction("Generate"):
        builder.build(doc)
    return doc


def _pick(rng: random.Random, choices: Sequence[str], most: int) -> tuple[str, ...]:
    """One to ``most`` different elements of ``choices`` (as many as there are, if fewer)."""
    return tuple(rng.sample(choices, min(len(choices), rng.randint(1, most))))


def _check_arguments(components: int, links_per_component: int) -> None:
    if components < 1:
        raise ValueError(f"A document needs at least one component, not {components}.")
    if links_per_component < 0:
        raise ValueError(f"links_per_component must be 0 or more, not {links_per_component}.")
    if components == 1 and links_per_component:
        raise ValueError("A single component cannot have links: a link needs two ends.")


@dataclass
class _Planned:
    """A component before it is added: its place in the hierarchy and its link partners."""

    kind: ComponentKind
    nature: Nature
    name: str
    level: int
    controller: int  # index of the controller above it (-1 for the root)
    id: str = ""
    variables: tuple[str, ...] = ()
    ca_items: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    controls: list[int] = field(default_factory=list)


class _Builder:
    """The state of one generation run."""

    def __init__(
        self, rng: random.Random, components: int, links_per: int, counts: dict[str, int]
    ) -> None:
        self.rng = rng
        self.n = components
        self.links_per = links_per
        self.counts = counts
        self.plan: list[_Planned] = []
        self.controllers: list[int] = []
        self.counters: dict[str, int] = {}

    def new_id(self, prefix: str) -> str:
        """The next id with ``prefix``, as the document would number it (and faster)."""
        number = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = number
        return f"{prefix}{number}"

    # --- the control structure ---------------------------------------------------------------
    def build(self, doc: Document) -> None:
        self.plan_components()
        self.add_components(doc)
        self.add_layout(doc)
        self.add_links(doc)
        self.add_stpa(doc)
        doc.set_info(
            title=f"Generated analysis ({self.n} components)",
            version="1",
            author="stipa.testing",
            organisation="Stipa",
            description="A synthetic document made by stipa.testing.generate_document.",
        )

    def plan_components(self) -> None:
        rng, n = self.rng, self.n
        n_controllers = max(1, round(n / 3))
        natures = [nature for nature, _ in _CONTROLLER_NATURES]
        weights = [weight for _, weight in _CONTROLLER_NATURES]
        for i in range(n_controllers):
            if i == 0:
                nature, parent, level = Nature.ORGANISATION, -1, 0
            else:
                nature = rng.choices(natures, weights)[0]
                parent = (i - 1) // 3
                level = self.plan[parent].level + 1
            name = f"{rng.choice(_CONTROLLER_NAMES[nature])} {i + 1}"
            self.plan.append(_Planned(ComponentKind.CONTROLLER, nature, name, level, parent))
            self.controllers.append(i)
        bottom = max(p.level for p in self.plan) + 1
        lower_weights = [entry[2] for entry in _LOWER]
        for i in range(n_controllers, n):
            kind, nature, _, names = rng.choices(_LOWER, lower_weights)[0]
            if i == n_controllers:  # the first one is a process, so every structure has control
                kind, nature, _, names = _LOWER[0]
            # Spread the lower components over the controllers, deepest controllers first.
            controller = self.controllers[-1 - (i - n_controllers) % n_controllers]
            name = f"{rng.choice(names)} {i + 1}"
            self.plan.append(_Planned(kind, nature, name, bottom, controller))

    def add_components(self, doc: Document) -> None:
        rng = self.rng
        for planned in self.plan:
            role, training = "", TrainingLevel.UNKNOWN
            if planned.nature == Nature.HUMAN:
                role = rng.choice(_HUMAN_ROLES)
                training = rng.choice(_TRAINING)
            variables: list[ProcessVariable] = []
            if planned.kind == ComponentKind.CONTROLLER:
                for name, values in rng.sample(_VARIABLES, rng.randint(1, 2)):
                    variables.append(
                        ProcessVariable(id=self.new_id("PV-"), name=name, values=values)
                    )
            component = doc.add(
                Component(
                    id=self.new_id("C-"),
                    name=planned.name,
                    kind=planned.kind,
                    nature=planned.nature,
                    role=role,
                    training=training,
                    variables=tuple(variables),
                )
            )
            planned.id = component.id
            planned.variables = tuple(v.id for v in component.variables)

    def add_layout(self, doc: Document) -> None:
        """Place each hierarchy level on its own rows, controllers above what they control."""
        by_level: dict[int, list[_Planned]] = {}
        for planned in self.plan:
            by_level.setdefault(planned.level, []).append(planned)
        row = 0
        for level in sorted(by_level):
            members = by_level[level]
            for index, planned in enumerate(members):
                r, column = divmod(index, COLUMNS)
                x = column * (NODE_WIDTH + GAP_X)
                y = (row + r) * (NODE_HEIGHT + GAP_Y)
                doc.set_layout(NodeLayout(id=planned.id, x=x, y=y))
            row += math.ceil(len(members) / COLUMNS)

    def add_links(self, doc: Document) -> None:
        total = self.n * self.links_per
        if total == 0:
            return
        down: list[tuple[LinkKind, int, int]] = []
        up: list[tuple[LinkKind, int, int]] = []
        for index, planned in enumerate(self.plan):
            above = planned.controller
            if above < 0:
                continue
            if planned.kind == ComponentKind.SENSOR:
                # A sensor measures a process of its controller and reports to the controller.
                up.append((LinkKind.FEEDBACK, index, above))
                processes = [
                    i for i in self.plan[above].controls if self.plan[i].level == planned.level
                ]
                source = processes[-1] if processes else above
                down.append((LinkKind.FEEDBACK if processes else LinkKind.INFORMATION,
                             source, index))  # fmt: skip
            else:
                down.append((LinkKind.CONTROL_ACTION, above, index))
                up.append((LinkKind.FEEDBACK, index, above))
                self.plan[above].controls.append(index)
        planned_links = down + up
        while len(planned_links) < total:
            planned_links.append(self.extra_link())
        for kind, source, target in planned_links[:total]:
            names = self.rng.sample(_ITEMS[kind], self.rng.randint(1, 2))
            link = doc.add(
                Link(
                    id=self.new_id("LK-"),
                    source=self.plan[source].id,
                    target=self.plan[target].id,
                    kind=kind,
                    items=tuple(
                        LinkItem(id=self.new_id(_ITEM_PREFIX[kind]), name=name) for name in names
                    ),
                )
            )
            if kind == LinkKind.CONTROL_ACTION:
                self.plan[source].ca_items.extend((item.id, item.name) for item in link.items)

    def extra_link(self) -> tuple[LinkKind, int, int]:
        """A link beyond the basic hierarchy: coordination, overlapping control, reporting."""
        rng, n = self.rng, self.n
        roll = rng.random()
        source = rng.randrange(n)
        target = rng.randrange(n - 1)
        target += target >= source
        if roll < 0.4:
            return LinkKind.INFORMATION, source, target
        if roll < 0.75:
            controller = rng.choice(self.controllers)
            lower = rng.randrange(n - 1)
            lower += lower >= controller
            if self.plan[lower].level <= self.plan[controller].level:
                controller, lower = lower, controller  # both are controllers: keep it downward
            return LinkKind.CONTROL_ACTION, controller, lower
        if self.plan[source].level < self.plan[target].level:
            source, target = target, source
        return LinkKind.FEEDBACK, source, target

    # --- STPA records --------------------------------------------------------------------------
    def add_stpa(self, doc: Document) -> None:
        rng, counts = self.rng, self.counts
        losses = [
            doc.add(Loss(id=self.new_id("L-"), text=f"{_LOSSES[i % len(_LOSSES)]} ({i + 1})")).id
            for i in range(counts["losses"])
        ]
        n_hazards = counts["hazards"]
        n_top = max(1, math.ceil(n_hazards * 0.7))
        hazards: list[str] = []
        top: list[Hazard] = []
        for i in range(n_hazards):
            subject = self.plan[rng.randrange(self.n)].name
            state = _HAZARDS[i % len(_HAZARDS)][0].format(subject)
            if i < n_top:
                traced = _pick(rng, losses, 2)
                hazard = doc.add(Hazard(text=state, losses=traced))
                top.append(hazard)
            else:
                parent = top[i % len(top)]
                hazard = doc.add(
                    Hazard(
                        text=f"{state} {rng.choice(_CONTEXTS)}",
                        losses=parent.losses[:1],
                        parent=parent.id,
                    )
                )
            hazards.append(hazard.id)
        constraints: list[str] = []
        for i in range(counts["constraints"]):
            hazard_id = hazards[i % len(hazards)]
            text = doc.hazards[hazard_id].text
            constraints.append(
                doc.add(
                    SystemConstraint(
                        id=self.new_id("SC-"),
                        text=f"Prevent: {text}",
                        hazards=(hazard_id,),
                        description="Inverts it.",
                    )
                ).id
            )
        self.add_responsibilities(doc, constraints)
        actions = [
            (controller, item) for controller in self.controllers
            for item in self.plan[controller].ca_items
        ]  # fmt: skip
        ucas: list[str] = []
        uca_types = list(UCAType)
        for i in range(counts["ucas"] if actions else 0):
            controller, (action, name) = actions[(i * 7919) % len(actions)]
            uca_type = uca_types[i % 4]
            context = rng.choice(_CONTEXTS)
            status = UCAStatus.ACCEPTED if rng.random() < 0.6 else UCAStatus.DRAFT
            ucas.append(
                doc.add(
                    UnsafeControlAction(
                        id=self.new_id("UCA-"),
                        action=action,
                        type=uca_type,
                        context=context,
                        hazards=_pick(rng, hazards, 2),
                        rationale=f"{self.plan[controller].name} {_UCA_TEXT[uca_type]} "
                        f"{name} {context}.",
                        status=status,
                    )
                ).id
            )
        for i in range(counts["controller_constraints"] if ucas else 0):
            uca = doc.ucas[ucas[i % len(ucas)]]
            doc.add(
                ControllerConstraint(
                    id=self.new_id("CC-"),
                    text=f"Must not: {uca.rationale.rstrip('.')}",
                    ucas=(uca.id,),
                )
            )
        categories = [c for c in ScenarioCategory if c != ScenarioCategory.UNSPECIFIED]
        for i in range(counts["scenarios"]):
            category = categories[i % len(categories)]
            factor = rng.choice(_CAUSAL_FACTORS[category])
            traced_ucas = (ucas[(i * 3) % len(ucas)],) if ucas else ()
            doc.add(
                LossScenario(
                    id=self.new_id("LS-"),
                    text=f"The loop fails because of {factor}.",
                    category=category,
                    ucas=traced_ucas,
                    hazards=() if traced_ucas else (hazards[i % len(hazards)],),
                    causal_factor=factor,
                )
            )
        for i in range(counts["context_rules"] if actions else 0):
            controller, (action, _name) = actions[(i * 104729) % len(actions)]
            component = doc.components[self.plan[controller].id]
            fixed = rng.sample(component.variables, rng.randint(1, len(component.variables)))
            hazardous = rng.random() < 0.7
            doc.add(
                ContextRule(
                    id=self.new_id("CR-"),
                    action=action,
                    type=uca_types[i % 4],
                    conditions=tuple(
                        Condition(variable=v.id, value=rng.choice(v.values)) for v in fixed
                    ),
                    hazardous=hazardous,
                    hazards=(rng.choice(hazards),) if hazardous else (),
                    rationale="Derived from the context table.",
                )
            )
        self.add_findings(doc)

    def add_responsibilities(self, doc: Document, constraints: Sequence[str]) -> None:
        rng = self.rng
        for i in range(self.counts["responsibilities"]):
            owner = self.plan[self.controllers[i % len(self.controllers)]]
            concerned = [self.plan[index].id for index in owner.controls[:2]]
            raci: list[RaciAssignment] = []
            if i % 5 == 0:
                raci.append(RaciAssignment(component=owner.id, role=RaciRole.ACCOUNTABLE))
            doc.add(
                Responsibility(
                    id=self.new_id("R-"),
                    text=f"{owner.name} keeps its processes within safe limits ({i + 1})",
                    owner=owner.id,
                    constraints=_pick(rng, constraints, 2),
                    processes=tuple(concerned),
                    raci=tuple(raci),
                )
            )

    def add_findings(self, doc: Document) -> None:
        rng = self.rng
        dispositions = list(Disposition)
        for i in range(self.counts["findings"]):
            rule, severity, message = _RULES[i % len(_RULES)]
            target = self.plan[rng.choice(self.controllers)]
            disposition = dispositions[i % len(dispositions)] if i % 3 == 0 else Disposition.OPEN
            doc.add(
                Finding(
                    id=self.new_id("F-"),
                    plugin="stipa.builtins.structure",
                    rule=rule,
                    severity=severity,
                    message=message.format(target.name),
                    targets=(target.id,),
                    disposition=disposition,
                    rationale="" if disposition == Disposition.OPEN else "Reviewed with the team.",
                )
            )
