"""The records of a Stipa document: immutable values, one class per concept of STPA.

Every record is a frozen dataclass. An edit never changes a record; it replaces it with a new
one through the document's mutation API, which is what makes undo, snapshots and change events
cheap and exact. Enumerated fields accept their string values and are converted on creation.
"""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Self, TypeAlias

from stipa.model.errors import ModelError


class ComponentKind(StrEnum):
    """The STPA role of a component in the control structure."""

    CONTROLLER = "controller"
    CONTROLLED_PROCESS = "controlled_process"
    ACTUATOR = "actuator"
    SENSOR = "sensor"
    EXTERNAL = "external"
    #: Not an actor: a frame marking what the analysis calls "the system" (it holds the
    #: components inside it through their ``parent``, and sends and receives nothing).
    BOUNDARY = "boundary"


class Nature(StrEnum):
    """What a component is, independent of its STPA role."""

    HUMAN = "human"
    ORGANISATION = "organisation"
    REGULATOR = "regulator"
    SOFTWARE = "software"
    AI_MODEL = "ai_model"
    PHYSICAL = "physical"


class TrainingLevel(StrEnum):
    """How well a human component is trained for its role (empty when not stated)."""

    UNKNOWN = ""
    NONE = "none"
    BASIC = "basic"
    TRAINED = "trained"
    EXPERT = "expert"


class LinkKind(StrEnum):
    """What flows along a link."""

    CONTROL_ACTION = "control_action"
    FEEDBACK = "feedback"
    INFORMATION = "information"


class UCAType(StrEnum):
    """The four ways a control action can be unsafe (STPA Handbook, step 3)."""

    NOT_PROVIDED = "not_provided"
    PROVIDED = "provided"
    TIMING = "timing"
    DURATION = "duration"


class UCASubtype(StrEnum):
    """The finer kind of a timing or duration UCA that other STPA tools keep (empty: not stated).

    Timing (:attr:`UCAType.TIMING`) splits into too early, too late and out of order; duration
    (:attr:`UCAType.DURATION`) into stopped too soon and applied too long.
    """

    UNSPECIFIED = ""
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    OUT_OF_ORDER = "out_of_order"
    STOPPED_TOO_SOON = "stopped_too_soon"
    APPLIED_TOO_LONG = "applied_too_long"

    @property
    def type(self) -> UCAType | None:
        """The Handbook type this subtype refines (None when unspecified)."""
        return _SUBTYPE_TYPE.get(self)


_SUBTYPE_TYPE = {
    UCASubtype.TOO_EARLY: UCAType.TIMING,
    UCASubtype.TOO_LATE: UCAType.TIMING,
    UCASubtype.OUT_OF_ORDER: UCAType.TIMING,
    UCASubtype.STOPPED_TOO_SOON: UCAType.DURATION,
    UCASubtype.APPLIED_TOO_LONG: UCAType.DURATION,
}


class UCAStatus(StrEnum):
    """Where an unsafe control action stands in the analyst's review."""

    DRAFT = "draft"
    ACCEPTED = "accepted"
    NOT_APPLICABLE = "not_applicable"


class ScenarioCategory(StrEnum):
    """The four causal-factor categories of loss scenarios (Handbook, step 4)."""

    UNSPECIFIED = ""
    CONTROLLER = "controller"
    FEEDBACK = "feedback"
    CONTROL_PATH = "control_path"
    PROCESS = "process"


class CausalFactor(StrEnum):
    """A loss scenario's causal-factor keyword, as PASTA names them (empty: not stated).

    Structured beside the free-text ``LossScenario.causal_factor``, so scenarios can be
    counted and filtered by factor and carried to and from PASTA's ``<keyword>``.
    """

    UNSPECIFIED = ""
    CONTROL_ACTION = "control_action"
    INADEQUATE_OPERATION = "inadequate_operation"
    DELAYED_OPERATION = "delayed_operation"
    COMPONENT_FAILURE = "component_failure"
    CHANGES_OVER_TIME = "changes_over_time"
    CONFLICTING_CONTROL_ACTION = "conflicting_control_action"
    WRONG_PROCESS_INPUT = "wrong_process_input"
    DISTURBANCE = "disturbance"
    PROCESS_OUTPUT = "process_output"
    DELAYED_FEEDBACK = "delayed_feedback"
    MEASUREMENT_INACCURATE = "measurement_inaccurate"
    INCORRECT_INFORMATION_PROVIDED = "incorrect_information_provided"
    MISSING_FEEDBACK = "missing_feedback"
    INADEQUATE_CONTROL_ALGORITHM = "inadequate_control_algorithm"
    WRONG_PROCESS_MODEL = "wrong_process_model"
    WRONG_CONTROL_INPUT = "wrong_control_input"


class RaciRole(StrEnum):
    """A RACI role a component holds for a responsibility."""

    RESPONSIBLE = "responsible"
    ACCOUNTABLE = "accountable"
    CONSULTED = "consulted"
    INFORMED = "informed"


class Severity(StrEnum):
    """How serious a finding is."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Order for comparisons: info < warning < error."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Disposition(StrEnum):
    """The analyst's decision on a finding."""

    OPEN = "open"
    ACCEPTED_RISK = "accepted_risk"
    NOT_APPLICABLE = "not_applicable"
    RESOLVED = "resolved"


class SuggestionStatus(StrEnum):
    """The analyst's decision on a suggestion."""

    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Routing(StrEnum):
    """How a link is drawn between its ends."""

    ORTHOGONAL = "orthogonal"
    STRAIGHT = "straight"


EnumClass: TypeAlias = type[StrEnum]


def _coerce(value: Any, enum: EnumClass) -> StrEnum:
    if type(value) is enum:
        return value
    member = enum._value2member_map_.get(value) if isinstance(value, str) else None
    if member is None:
        allowed = ", ".join(repr(m.value) for m in enum)
        raise ModelError(f"{value!r} is not a valid {enum.__name__}; use one of {allowed}.")
    return member  # type: ignore[return-value]


def _freeze(instance: Any, name: str, value: Any) -> None:
    object.__setattr__(instance, name, value)


class _Record:
    """Shared behaviour of records: enum coercion and tuple freezing after ``__init__``."""

    #: Fields holding enums, converted from strings on creation.
    _enums: ClassVar[dict[str, EnumClass]] = {}
    #: Fields holding sequences, stored as tuples.
    _tuples: ClassVar[tuple[str, ...]] = ()
    #: The class of the elements of tuple fields that hold parts rather than ids (text).
    _parts: ClassVar[dict[str, builtins.type]] = {}

    def __post_init__(self) -> None:
        # runs for every record of every loaded file: kept lean on purpose
        setter = object.__setattr__
        for name, enum in self._enums.items():
            value = getattr(self, name)
            if type(value) is not enum:
                setter(self, name, _coerce(value, enum))
        parts = self._parts
        for name in self._tuples:
            value = getattr(self, name)
            if type(value) is not tuple:
                if isinstance(value, str) or not isinstance(value, Iterable):
                    owner = f"{type(self).__name__}.{name}"
                    raise ModelError(f"{owner} must be a sequence, not {value!r}.")
                value = tuple(value)
                setter(self, name, value)
            element = parts.get(name, str)
            for part in value:
                if type(part) is not element and not isinstance(part, element):
                    owner = f"{type(self).__name__}.{name}"
                    raise ModelError(
                        f"{owner} holds {part!r}; each element must be a {element.__name__}."
                    )

    def replace(self, **changes: Any) -> Self:
        """Return a copy with ``changes`` applied (the record itself never changes)."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    #: A constructor for values that already have the right types (see ``_trusted_constructor``).
    _trusted: ClassVar[Callable[..., Any]]


# --- parts nested in components and links -------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessVariable(_Record):
    """A variable of a controller's process model and the values it can take."""

    id: str = ""
    name: str
    values: tuple[str, ...] = ()
    _tuples: ClassVar[tuple[str, ...]] = ("values",)


@dataclass(frozen=True, slots=True, kw_only=True)
class Property:
    """A plugin-declared property value of a component, kept in the plugin's namespace.

    ``value`` is stored as text; the declaring plugin gives it a type and ``unit``.
    """

    namespace: str
    name: str
    value: str
    unit: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkItem(_Record):
    """One named control action, feedback or information item carried by a link."""

    id: str = ""
    name: str
    description: str = ""
    alias: str = ""


# --- the control structure ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Component(_Record):
    """A part of the control structure (controller, process, actuator, sensor, external), or
    a system boundary.

    Components nest: ``parent`` is the id of the component containing this one ("" at the
    top), so an organisation contains its departments and a system boundary the components
    inside it. Positions stay absolute (see ``NodeLayout``). ``level`` is an optional
    hierarchy level (PASTA's ``hierarchyLevel``, 0 at the top of the control structure) that
    automatic layout may use. ``alias`` is the component's id in the tool it came from.
    """

    id: str = ""
    name: str
    kind: ComponentKind = ComponentKind.CONTROLLER
    nature: Nature = Nature.SOFTWARE
    description: str = ""
    role: str = ""
    training: TrainingLevel = TrainingLevel.UNKNOWN
    variables: tuple[ProcessVariable, ...] = ()
    properties: tuple[Property, ...] = ()
    parent: str = ""
    level: int | None = None
    alias: str = ""
    _enums: ClassVar[dict[str, EnumClass]] = {
        "kind": ComponentKind,
        "nature": Nature,
        "training": TrainingLevel,
    }
    _tuples: ClassVar[tuple[str, ...]] = ("variables", "properties")
    _parts: ClassVar[dict[str, builtins.type]] = {
        "variables": ProcessVariable,
        "properties": Property,
    }

    def property(self, namespace: str, name: str) -> Property | None:
        """The property ``name`` of plugin ``namespace``, or None."""
        for prop in self.properties:
            if prop.namespace == namespace and prop.name == name:
                return prop
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Link(_Record):
    """An arrow from one component to another carrying one or more named items."""

    id: str = ""
    source: str
    target: str
    kind: LinkKind = LinkKind.CONTROL_ACTION
    items: tuple[LinkItem, ...] = ()
    description: str = ""
    alias: str = ""
    _enums: ClassVar[dict[str, EnumClass]] = {"kind": LinkKind}
    _tuples: ClassVar[tuple[str, ...]] = ("items",)
    _parts: ClassVar[dict[str, builtins.type]] = {"items": LinkItem}

    @property
    def label(self) -> str:
        """The items' names as shown on the arrow."""
        return ", ".join(item.name for item in self.items)


# --- STPA records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Loss(_Record):
    """Something unacceptable to the stakeholders (L-n)."""

    id: str = ""
    text: str
    description: str = ""
    alias: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Hazard(_Record):
    """A system state that, with worst-case conditions, leads to a loss (H-n, H-n.m)."""

    id: str = ""
    text: str
    losses: tuple[str, ...] = ()
    parent: str | None = None
    description: str = ""
    alias: str = ""
    _tuples: ClassVar[tuple[str, ...]] = ("losses",)


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemConstraint(_Record):
    """A system-level constraint: a hazard inverted (SC-n)."""

    id: str = ""
    text: str
    hazards: tuple[str, ...] = ()
    description: str = ""
    alias: str = ""
    _tuples: ClassVar[tuple[str, ...]] = ("hazards",)


@dataclass(frozen=True, slots=True, kw_only=True)
class RaciAssignment(_Record):
    """The RACI role a component holds for a responsibility."""

    component: str
    role: RaciRole
    _enums: ClassVar[dict[str, EnumClass]] = {"role": RaciRole}


@dataclass(frozen=True, slots=True, kw_only=True)
class Responsibility(_Record):
    """What a component must do to enforce system-level constraints (R-n).

    ``processes`` names the components the responsibility concerns, so analyses can ask
    whether the owner has authority over and feedback from them.
    """

    id: str = ""
    text: str
    owner: str
    constraints: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    raci: tuple[RaciAssignment, ...] = ()
    alias: str = ""
    _tuples: ClassVar[tuple[str, ...]] = ("constraints", "processes", "raci")
    _parts: ClassVar[dict[str, builtins.type]] = {"raci": RaciAssignment}


@dataclass(frozen=True, slots=True, kw_only=True)
class UnsafeControlAction(_Record):
    """A control action that, in a context, leads to a hazard (UCA-n).

    ``subtype`` refines a timing or duration ``type`` (too early, stopped too soon...).
    """

    id: str = ""
    action: str
    type: UCAType
    context: str = ""
    hazards: tuple[str, ...] = ()
    rationale: str = ""
    status: UCAStatus = UCAStatus.DRAFT
    subtype: UCASubtype = UCASubtype.UNSPECIFIED
    alias: str = ""
    _enums: ClassVar[dict[str, EnumClass]] = {
        "type": UCAType,
        "status": UCAStatus,
        "subtype": UCASubtype,
    }
    _tuples: ClassVar[tuple[str, ...]] = ("hazards",)


@dataclass(frozen=True, slots=True, kw_only=True)
class ControllerConstraint(_Record):
    """What a controller must or must not do, usually a UCA inverted (CC-n)."""

    id: str = ""
    text: str
    ucas: tuple[str, ...] = ()
    alias: str = ""
    _tuples: ClassVar[tuple[str, ...]] = ("ucas",)


@dataclass(frozen=True, slots=True, kw_only=True)
class LossScenario(_Record):
    """Why an unsafe control action could occur, or a safe one be badly executed (LS-n).

    ``causal_factor`` is free text; ``factor`` the structured keyword (PASTA's).
    """

    id: str = ""
    text: str
    category: ScenarioCategory = ScenarioCategory.UNSPECIFIED
    ucas: tuple[str, ...] = ()
    hazards: tuple[str, ...] = ()
    causal_factor: str = ""
    factor: CausalFactor = CausalFactor.UNSPECIFIED
    alias: str = ""
    _enums: ClassVar[dict[str, EnumClass]] = {
        "category": ScenarioCategory,
        "factor": CausalFactor,
    }
    _tuples: ClassVar[tuple[str, ...]] = ("ucas", "hazards")


@dataclass(frozen=True, slots=True, kw_only=True)
class Condition(_Record):
    """One process-model variable fixed to one value in a context rule."""

    variable: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextRule(_Record):
    """A row or rule of a control action's context table (CR-n).

    Variables of the controller that ``conditions`` leaves out are "don't care": the rule
    stands for every combination of their values.
    """

    id: str = ""
    action: str
    type: UCAType = UCAType.PROVIDED
    conditions: tuple[Condition, ...] = ()
    hazardous: bool = True
    hazards: tuple[str, ...] = ()
    rationale: str = ""
    subtype: UCASubtype = UCASubtype.UNSPECIFIED
    alias: str = ""
    _enums: ClassVar[dict[str, EnumClass]] = {"type": UCAType, "subtype": UCASubtype}
    _tuples: ClassVar[tuple[str, ...]] = ("conditions", "hazards")
    _parts: ClassVar[dict[str, builtins.type]] = {"conditions": Condition}


@dataclass(frozen=True, slots=True, kw_only=True)
class SafetyRequirement(_Record):
    """A requirement on the design that prevents or mitigates loss scenarios (SR-n).

    It traces to what it answers: loss scenarios, UCAs, hazards and system constraints.
    """

    id: str = ""
    text: str
    description: str = ""
    scenarios: tuple[str, ...] = ()
    ucas: tuple[str, ...] = ()
    hazards: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    alias: str = ""
    _tuples: ClassVar[tuple[str, ...]] = ("scenarios", "ucas", "hazards", "constraints")


# --- analysis results -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding(_Record):
    """What an analysis found, and the analyst's disposition of it."""

    id: str = ""
    plugin: str
    rule: str
    severity: Severity = Severity.WARNING
    message: str
    targets: tuple[str, ...] = ()
    source: str = ""
    data: tuple[tuple[str, str], ...] = ()
    disposition: Disposition = Disposition.OPEN
    rationale: str = ""
    _enums: ClassVar[dict[str, EnumClass]] = {
        "severity": Severity,
        "disposition": Disposition,
    }
    _tuples: ClassVar[tuple[str, ...]] = ("targets", "data")
    _parts: ClassVar[dict[str, builtins.type]] = {"data": tuple}

    def __post_init__(self) -> None:
        _Record.__post_init__(self)
        _freeze(self, "data", tuple((str(k), str(v)) for k, v in self.data))


@dataclass(frozen=True, slots=True, kw_only=True)
class Suggestion(_Record):
    """A candidate record an analysis proposes, for the analyst to accept, edit or reject."""

    id: str = ""
    plugin: str
    rule: str
    message: str
    proposal: StpaRecord
    targets: tuple[str, ...] = ()
    status: SuggestionStatus = SuggestionStatus.OPEN
    rationale: str = ""
    _enums: ClassVar[dict[str, EnumClass]] = {"status": SuggestionStatus}
    _tuples: ClassVar[tuple[str, ...]] = ("targets",)


# --- the diagram ----------------------------------------------------------------------------


#: The deepest hierarchy level a component may state (PASTA counts from 0 at the top).
MAX_LEVEL = 999
#: Positions, bends and label offsets lie within ±COORDINATE_LIMIT scene units (pixels at 100 %).
COORDINATE_LIMIT = 1_000_000.0
#: A component's box is MIN_SIZE to MAX_SIZE units wide and high.
MIN_SIZE = 1.0
MAX_SIZE = 20_000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeLayout(_Record):
    """Where a component is drawn; ``id`` is the component's id.

    Coordinates are absolute scene coordinates, also for components inside a container;
    ``x``/``y`` within ±``COORDINATE_LIMIT``, ``width``/``height`` from ``MIN_SIZE`` to
    ``MAX_SIZE`` (the document refuses anything else). ``collapsed``: a container drawn
    as one component, its contents hidden (its ``width``/``height`` stay the expanded size).
    """

    id: str
    x: float
    y: float
    width: float = 160.0
    height: float = 70.0
    collapsed: bool = False

    def __post_init__(self) -> None:
        for name in ("x", "y", "width", "height"):
            _freeze(self, name, float(getattr(self, name)))


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkLayout(_Record):
    """How a link is drawn; ``id`` is the link's id, ``bends`` its inner points."""

    id: str
    routing: Routing = Routing.ORTHOGONAL
    bends: tuple[tuple[float, float], ...] = ()
    label_dx: float = 0.0
    label_dy: float = 0.0
    _enums: ClassVar[dict[str, EnumClass]] = {"routing": Routing}

    def __post_init__(self) -> None:
        _Record.__post_init__(self)
        _freeze(self, "bends", tuple((float(x), float(y)) for x, y in self.bends))
        _freeze(self, "label_dx", float(self.label_dx))
        _freeze(self, "label_dy", float(self.label_dy))


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentInfo(_Record):
    """Title-block facts about the analysis."""

    title: str = ""
    version: str = ""
    author: str = ""
    organisation: str = ""
    description: str = ""


StpaRecord: TypeAlias = (
    Loss
    | Hazard
    | SystemConstraint
    | Responsibility
    | UnsafeControlAction
    | ControllerConstraint
    | LossScenario
    | ContextRule
    | SafetyRequirement
)
Record: TypeAlias = Component | Link | StpaRecord | Finding | Suggestion
LayoutRecord: TypeAlias = NodeLayout | LinkLayout


@dataclass(frozen=True, slots=True)
class Table:
    """Where records of one class live in a document and how their ids are made."""

    name: str
    record_class: type
    prefix: str


#: Every table of semantic records, in the order they are saved.
TABLES: tuple[Table, ...] = (
    Table("components", Component, "C-"),
    Table("links", Link, "LK-"),
    Table("losses", Loss, "L-"),
    Table("hazards", Hazard, "H-"),
    Table("constraints", SystemConstraint, "SC-"),
    Table("responsibilities", Responsibility, "R-"),
    Table("ucas", UnsafeControlAction, "UCA-"),
    Table("controller_constraints", ControllerConstraint, "CC-"),
    Table("scenarios", LossScenario, "LS-"),
    Table("context_rules", ContextRule, "CR-"),
    Table("requirements", SafetyRequirement, "SR-"),
    Table("findings", Finding, "F-"),
    Table("suggestions", Suggestion, "S-"),
)
#: The tables of STPA records (what a suggestion may propose).
STPA_TABLES: tuple[Table, ...] = TABLES[2:11]
#: The diagram's tables, kept apart from the semantics.
LAYOUT_TABLES: tuple[Table, ...] = (
    Table("node_layout", NodeLayout, ""),
    Table("link_layout", LinkLayout, ""),
)
TABLE_OF: dict[type, Table] = {table.record_class: table for table in TABLES + LAYOUT_TABLES}


def _trusted_constructor(cls: builtins.type) -> Callable[..., Any]:
    """A keyword constructor of ``cls`` for values that already have their final types.

    For ``stipa.io``, which builds tens of thousands of records from schema-valid files: when
    every enum field already holds a member of its enum, every sequence field a tuple and every
    float field a float, the record is made without ``__post_init__``: no generic coercion
    loops, and none of the per-element checks and conversions of tuples (parts of the right
    class, ``str`` pairs in ``Finding.data``, ``float`` pairs in ``LinkLayout.bends``), which
    the caller guarantees. Any other value falls back to the public constructor, so it is
    converted, or refused with the same error, exactly as ``cls(**fields)`` would.

    Like ``dataclasses`` itself, the function is generated, one assignment per field.
    Nothing about references or values is checked here: that is ``document_problems``' work.
    """
    fields = dataclasses.fields(cls)
    # Each field is stored through its slot's own setter, a third faster than
    # object.__setattr__, which first looks the slot up by name.
    namespace: dict[str, Any] = {"_cls": cls, "_new": object.__new__}
    namespace.update({f"_set_{field.name}": cls.__dict__[field.name].__set__ for field in fields})
    params, tests = [], []
    enums: dict[str, EnumClass] = getattr(cls, "_enums", {})
    tuples: tuple[str, ...] = getattr(cls, "_tuples", ())
    for field in fields:
        name = field.name
        if field.default is dataclasses.MISSING:
            params.append(name)
        else:
            namespace[f"_default_{name}"] = field.default
            params.append(f"{name}=_default_{name}")
        if name in enums:
            namespace[f"_enum_{name}"] = enums[name]
            tests.append(f"{name}.__class__ is not _enum_{name}")
        elif name in tuples:
            tests.append(f"{name}.__class__ is not tuple")
        elif field.type == "float":
            tests.append(f"{name}.__class__ is not float")
    keywords = ", ".join(f"{field.name}={field.name}" for field in fields)
    lines = [f"def _trusted(*, {', '.join(params)}):"]
    if tests:
        lines.append(f"    if {' or '.join(tests)}:")
        lines.append(f"        return _cls({keywords})")
    lines.append("    self = _new(_cls)")
    lines += [f"    _set_{field.name}(self, {field.name})" for field in fields]
    lines.append("    return self")
    exec("\n".join(lines), namespace)  # the source is made of the field names above
    function: Callable[..., Any] = namespace["_trusted"]
    function.__qualname__ = f"{cls.__name__}._trusted"
    return function


_class: Any
for _class in (ProcessVariable, LinkItem, RaciAssignment, Condition, *TABLE_OF):
    _class._trusted = staticmethod(_trusted_constructor(_class))
del _class

#: Id prefixes of the parts nested in components and links.
ITEM_PREFIX = {
    LinkKind.CONTROL_ACTION: "CA-",
    LinkKind.FEEDBACK: "FB-",
    LinkKind.INFORMATION: "IN-",
}
VARIABLE_PREFIX = "PV-"

__all__ = [
    "COORDINATE_LIMIT",
    "LAYOUT_TABLES",
    "MAX_LEVEL",
    "MAX_SIZE",
    "MIN_SIZE",
    "STPA_TABLES",
    "TABLES",
    "TABLE_OF",
    "CausalFactor",
    "Component",
    "ComponentKind",
    "Condition",
    "ContextRule",
    "ControllerConstraint",
    "Disposition",
    "DocumentInfo",
    "Finding",
    "Hazard",
    "LayoutRecord",
    "Link",
    "LinkItem",
    "LinkKind",
    "LinkLayout",
    "Loss",
    "LossScenario",
    "Nature",
    "NodeLayout",
    "ProcessVariable",
    "Property",
    "RaciAssignment",
    "RaciRole",
    "Record",
    "Responsibility",
    "Routing",
    "SafetyRequirement",
    "ScenarioCategory",
    "Severity",
    "StpaRecord",
    "Suggestion",
    "SuggestionStatus",
    "SystemConstraint",
    "Table",
    "TrainingLevel",
    "UCAStatus",
    "UCASubtype",
    "UCAType",
    "UnsafeControlAction",
]
