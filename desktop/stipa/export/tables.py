"""The STPA tables of a document as plain tables: a sheet name, headers and rows of strings.

One :class:`PlainTable` per table of records (components, losses, hazards, system-level
constraints, responsibilities, unsafe control actions, controller constraints, loss scenarios,
context rules, safety requirements), plus the practitioners' UCA table (one row per control
action, one column per UCA type), which is a view computed from the UCAs and cannot be
imported back.

Every cell is a string, so any writer (CSV, HTML, DOCX, XLSX) can take a table as it is.
Ids are the model's ids (``H-4.1``, ``UCA-3``); a cell referring to other records holds
their ids joined with :data:`ID_SEPARATOR` (``"H-4.1, H-4.2"``), and :func:`split_ids` takes
it apart again. The :class:`Column` of each cell says what it holds (``kind``), which record
field it shows (``field``; ``None`` for derived, read-only columns) and which tables its ids
point into (``refers_to``); :func:`parse_cell` turns an edited cell back into a field value.

No Qt and no lxml here: ``stipa.export`` runs headless.

Examples
--------
>>> from stipa.model import Document, Loss, Hazard
>>> doc = Document()
>>> loss = doc.add(Loss(text="Loss of life"))
>>> hazard = doc.add(Hazard(text="Aircraft too close to objects", losses=[loss.id]))
>>> table = record_table(doc, "hazards")
>>> table.headers
('ID', 'Alias', 'Parent', 'Hazard', 'Losses', 'Description')
>>> table.rows
(('H-1', '', '', 'Aircraft too close to objects', 'L-1', ''),)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from stipa.model import (
    CausalFactor,
    ComponentKind,
    Condition,
    ContextRule,
    LinkKind,
    ModelError,
    Nature,
    RaciAssignment,
    RaciRole,
    ScenarioCategory,
    UCAStatus,
    UCASubtype,
    UCAType,
    UnsafeControlAction,
)
from stipa.model.view import DocumentView

__all__ = [
    "ID_SEPARATOR",
    "RECORD_TABLES",
    "UCA_TYPE_HEADINGS",
    "Column",
    "ColumnKind",
    "ControlAction",
    "PlainTable",
    "TableSpec",
    "control_actions",
    "document_tables",
    "format_record",
    "parse_cell",
    "process_model_text",
    "record_hash",
    "record_table",
    "reference_ids",
    "split_ids",
    "uca_line",
    "uca_matrix",
]

#: How the ids of a reference cell are joined.
ID_SEPARATOR = ", "
_SPLIT = re.compile(r"[\s,;]+")


class ColumnKind(StrEnum):
    """What a cell holds, so writers and importers know how to treat it."""

    #: The record's own id.
    ID = "id"
    #: Free text.
    TEXT = "text"
    #: One id of another record (empty for none).
    REF = "ref"
    #: Ids of other records, joined with :data:`ID_SEPARATOR`.
    REFS = "refs"
    #: One value of a fixed list (``Column.choices``).
    CHOICE = "choice"
    #: ``yes`` or ``no``.
    FLAG = "flag"
    #: A whole number, or empty for none.
    INTEGER = "integer"
    #: A context rule's conditions, one ``variable-id=value`` per line.
    CONDITIONS = "conditions"
    #: RACI roles, ``component-id:role`` joined with :data:`ID_SEPARATOR`.
    RACI = "raci"
    #: Computed from other fields for reading; never imported.
    DERIVED = "derived"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a plain table.

    Attributes
    ----------
    key
        A stable machine name (``"hazards"``); used by importers, never translated.
    header
        The heading written above the column (``"Hazards"``).
    kind
        What the cells hold.
    field
        The record field the column shows, or None for derived columns.
    refers_to
        For ``REF``/``REFS``/``RACI`` columns: the document tables the ids must belong to.
    choices
        For ``CHOICE`` columns: the allowed values.
    """

    key: str
    header: str
    kind: ColumnKind
    field: str | None = None
    refers_to: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()

    @property
    def editable(self) -> bool:
        """Whether an edited cell of this column can be imported back."""
        return self.field is not None and self.kind not in (ColumnKind.ID, ColumnKind.DERIVED)


@dataclass(frozen=True, slots=True)
class TableSpec:
    """How one document table becomes a plain table."""

    key: str
    sheet: str
    title: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        """The column headings."""
        return tuple(column.header for column in self.columns)


@dataclass(frozen=True, slots=True)
class PlainTable:
    """One STPA table as strings.

    Attributes
    ----------
    key
        The document table the rows come from (``"hazards"``), or a view's name
        (``"uca_matrix"``).
    sheet
        A short name fit for a spreadsheet tab (at most 31 characters).
    title
        A heading for reports.
    columns
        What each cell of a row holds.
    rows
        One tuple of strings per record (per control action for the UCA table).
    importable
        Whether the rows are records that an importer may match back by id.
    """

    key: str
    sheet: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    importable: bool = True

    @property
    def headers(self) -> tuple[str, ...]:
        """The column headings."""
        return tuple(column.header for column in self.columns)

    def column(self, key: str) -> int:
        """The position of the column named ``key``; ValueError if there is none."""
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise ValueError(f"{self.key} has no column {key!r}")


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


_ID = Column("id", "ID", ColumnKind.ID, "id")
#: The record's id in the tool it was imported from (PASTA's ``UCA3``), shown beside the id.
_ALIAS = Column("alias", "Alias", ColumnKind.TEXT, "alias")


def _text(key: str, header: str) -> Column:
    return Column(key, header, ColumnKind.TEXT, key)


def _refs(key: str, header: str, table: str) -> Column:
    return Column(key, header, ColumnKind.REFS, key, (table,))


def _subtype() -> Column:
    return Column("subtype", "Subtype", ColumnKind.CHOICE, "subtype", (), _values(UCASubtype))


#: Every importable table, in document order. The keys are the document's table names.
RECORD_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "components",
        "Components",
        "Components",
        (
            _ID,
            _ALIAS,
            _text("name", "Name"),
            Column("parent", "Inside", ColumnKind.REF, "parent", ("components",)),
            Column("level", "Level", ColumnKind.INTEGER, "level"),
            Column("kind", "STPA role", ColumnKind.CHOICE, "kind", (), _values(ComponentKind)),
            Column("nature", "Nature", ColumnKind.CHOICE, "nature", (), _values(Nature)),
            _text("role", "Role"),
            _text("description", "Description"),
            Column("variables", "Process model", ColumnKind.DERIVED),
        ),
    ),
    TableSpec(
        "losses",
        "Losses",
        "Losses",
        (_ID, _ALIAS, _text("text", "Loss"), _text("description", "Description")),
    ),
    TableSpec(
        "hazards",
        "Hazards",
        "System-level hazards",
        (
            _ID,
            _ALIAS,
            Column("parent", "Parent", ColumnKind.REF, "parent", ("hazards",)),
            _text("text", "Hazard"),
            _refs("losses", "Losses", "losses"),
            _text("description", "Description"),
        ),
    ),
    TableSpec(
        "constraints",
        "System constraints",
        "System-level constraints",
        (
            _ID,
            _ALIAS,
            _text("text", "Constraint"),
            _refs("hazards", "Hazards", "hazards"),
            _text("description", "Description"),
        ),
    ),
    TableSpec(
        "responsibilities",
        "Responsibilities",
        "Responsibilities",
        (
            _ID,
            _ALIAS,
            Column("owner", "Owner", ColumnKind.REF, "owner", ("components",)),
            Column("owner_name", "Owner name", ColumnKind.DERIVED),
            _text("text", "Responsibility"),
            _refs("constraints", "Constraints", "constraints"),
            _refs("processes", "Processes", "components"),
            Column("raci", "RACI", ColumnKind.RACI, "raci", ("components",), _values(RaciRole)),
        ),
    ),
    TableSpec(
        "ucas",
        "UCAs",
        "Unsafe control actions",
        (
            _ID,
            _ALIAS,
            Column("controller", "Controller", ColumnKind.DERIVED),
            Column("action", "Control action", ColumnKind.REF, "action", ("item",)),
            Column("action_name", "Control action name", ColumnKind.DERIVED),
            Column("type", "Type", ColumnKind.CHOICE, "type", (), _values(UCAType)),
            _subtype(),
            _text("context", "Context"),
            _refs("hazards", "Hazards", "hazards"),
            Column("status", "Status", ColumnKind.CHOICE, "status", (), _values(UCAStatus)),
            _text("rationale", "Rationale"),
        ),
    ),
    TableSpec(
        "controller_constraints",
        "Controller constraints",
        "Controller constraints",
        (_ID, _ALIAS, _text("text", "Controller constraint"), _refs("ucas", "UCAs", "ucas")),
    ),
    TableSpec(
        "scenarios",
        "Loss scenarios",
        "Loss scenarios",
        (
            _ID,
            _ALIAS,
            Column(
                "category", "Category", ColumnKind.CHOICE, "category", (), _values(ScenarioCategory)
            ),
            _text("text", "Scenario"),
            _text("causal_factor", "Causal factor"),
            Column(
                "factor", "Factor keyword", ColumnKind.CHOICE, "factor", (), _values(CausalFactor)
            ),
            _refs("ucas", "UCAs", "ucas"),
            _refs("hazards", "Hazards", "hazards"),
        ),
    ),
    TableSpec(
        "context_rules",
        "Context rules",
        "Context-table rules",
        (
            _ID,
            _ALIAS,
            Column("action", "Control action", ColumnKind.REF, "action", ("item",)),
            Column("action_name", "Control action name", ColumnKind.DERIVED),
            Column("type", "Type", ColumnKind.CHOICE, "type", (), _values(UCAType)),
            _subtype(),
            Column("conditions", "Conditions", ColumnKind.CONDITIONS, "conditions", ("variable",)),
            Column("context", "Context", ColumnKind.DERIVED),
            Column("hazardous", "Hazardous", ColumnKind.FLAG, "hazardous", (), ("yes", "no")),
            _refs("hazards", "Hazards", "hazards"),
            _text("rationale", "Rationale"),
        ),
    ),
    TableSpec(
        "requirements",
        "Safety requirements",
        "Safety requirements",
        (
            _ID,
            _ALIAS,
            _text("text", "Requirement"),
            _refs("scenarios", "Loss scenarios", "scenarios"),
            _refs("ucas", "UCAs", "ucas"),
            _refs("hazards", "Hazards", "hazards"),
            _refs("constraints", "Constraints", "constraints"),
            _text("description", "Description"),
        ),
    ),
)
_SPEC_BY_KEY: dict[str, TableSpec] = {spec.key: spec for spec in RECORD_TABLES}

#: The four UCA types as the columns of the practitioners' UCA table.
UCA_TYPE_HEADINGS: Mapping[UCAType, str] = {
    UCAType.NOT_PROVIDED: "Not providing causes hazard",
    UCAType.PROVIDED: "Providing causes hazard",
    UCAType.TIMING: "Too early, too late, out of order",
    UCAType.DURATION: "Stopped too soon, applied too long",
}


# --- formatting ---------------------------------------------------------------------------------


def _join(ids: Sequence[str]) -> str:
    return ID_SEPARATOR.join(ids)


def split_ids(text: str) -> tuple[str, ...]:
    """The ids of a reference cell: ``"H-4.1, H-4.2"`` → ``("H-4.1", "H-4.2")``.

    Commas, semicolons and white space all separate ids (none of them can be part of one).
    """
    return tuple(part for part in _SPLIT.split(text.strip()) if part)


def _name_of(view: DocumentView, record_id: str) -> str:
    record = view.get(record_id)
    return str(getattr(record, "name", "")) if record is not None else ""


def _action_names(view: DocumentView, action_id: str) -> tuple[str, str]:
    """(controller name, control-action name) of a control-action item id."""
    found = view.control_action(action_id)
    if found is None:
        return "", ""
    link, item = found
    controller = view.components.get(link.source)
    return (controller.name if controller is not None else ""), item.name


def _context_words(view: DocumentView, rule: ContextRule) -> str:
    parts = []
    for condition in rule.conditions:
        variable = view.get(condition.variable)
        name = getattr(variable, "name", condition.variable)
        parts.append(f"{name}={condition.value}")
    return ", ".join(parts) if parts else "every context"


def _cell(view: DocumentView, record: Any, column: Column) -> str:
    key = column.key
    if column.kind == ColumnKind.DERIVED:
        if key == "owner_name":
            return _name_of(view, record.owner)
        if key == "controller":
            return _action_names(view, record.action)[0]
        if key == "action_name":
            return _action_names(view, record.action)[1]
        if key == "context":
            return _context_words(view, record)
        if key == "variables":
            return process_model_text(record)
        raise ValueError(f"no derived column {key!r}")
    assert column.field is not None
    value = getattr(record, column.field)
    if column.kind == ColumnKind.REFS:
        return _join(value)
    if column.kind == ColumnKind.REF:
        return value or ""
    if column.kind == ColumnKind.FLAG:
        return "yes" if value else "no"
    if column.kind == ColumnKind.INTEGER:
        return "" if value is None else str(value)
    if column.kind == ColumnKind.CONDITIONS:
        return "\n".join(f"{c.variable}={c.value}" for c in value)
    if column.kind == ColumnKind.RACI:
        return _join([f"{a.component}:{a.role.value}" for a in value])
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def process_model_text(component: Any) -> str:
    """A component's process model, one ``variable: value, value`` per line."""
    return "\n".join(
        f"{v.name}: {', '.join(v.values)}" if v.values else v.name for v in component.variables
    )


def format_record(view: DocumentView, key: str, record: Any) -> tuple[str, ...]:
    """The cells of one record of table ``key``, as :func:`record_table` writes them."""
    spec = _SPEC_BY_KEY[key]
    return tuple(_cell(view, record, column) for column in spec.columns)


def record_hash(spec: TableSpec, cells: Sequence[str]) -> str:
    """A short fingerprint of a row's importable cells (to notice edits made since export)."""
    editable = [cell for column, cell in zip(spec.columns, cells, strict=True) if column.editable]
    digest = hashlib.sha256("\x1f".join(editable).encode("utf-8")).hexdigest()
    return digest[:12]


def record_table(view: DocumentView, key: str) -> PlainTable:
    """The plain table of the document table ``key`` (one of :data:`RECORD_TABLES`)."""
    spec = _SPEC_BY_KEY[key]
    rows = tuple(format_record(view, key, record) for record in view.table(key).values())
    return PlainTable(spec.key, spec.sheet, spec.title, spec.columns, rows)


# --- the practitioners' UCA table ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ControlAction:
    """One control-action item with the names of its controller and target."""

    id: str
    name: str
    link: str
    controller: str
    controller_name: str
    target: str
    target_name: str

    @property
    def label(self) -> str:
        """``"BSCU Autobrake: Brake"``."""
        return f"{self.controller_name}: {self.name}"


def control_actions(view: DocumentView) -> list[ControlAction]:
    """Every control-action item of the document, in link and item order."""
    result = []
    for link in view.links.values():
        if link.kind != LinkKind.CONTROL_ACTION:
            continue
        source, target = view.components.get(link.source), view.components.get(link.target)
        for item in link.items:
            result.append(
                ControlAction(
                    item.id,
                    item.name,
                    link.id,
                    link.source,
                    source.name if source is not None else link.source,
                    link.target,
                    target.name if target is not None else link.target,
                )
            )
    return result


def uca_line(uca: UnsafeControlAction) -> str:
    """A UCA as one line of the UCA table: ``"UCA-1: during landing roll [H-4.1]"``.

    A UCA marked not applicable reads ``"UCA-7: N/A — <rationale>"``; an alias follows the id
    (``"UCA-3 (UCA3): …"``) and a subtype leads the context (``"too late: …"``).
    """
    label = f"{uca.id} ({uca.alias})" if uca.alias else uca.id
    if uca.status == UCAStatus.NOT_APPLICABLE:
        return f"{label}: N/A — {uca.rationale}"
    hazards = f" [{_join(uca.hazards)}]" if uca.hazards else ""
    subtype = f"{uca.subtype.value.replace('_', ' ')}: " if uca.subtype else ""
    return f"{label}: {subtype}{uca.context}{hazards}"


def uca_matrix(view: DocumentView) -> PlainTable:
    """The UCA table: one row per control action, one column per UCA type.

    Each cell lists the UCAs of its type, one :func:`uca_line` per line. Controllers that
    are not controllers by kind still appear: a control action is analysed wherever it
    starts.
    """
    by_action: dict[str, dict[UCAType, list[str]]] = {}
    for uca in view.ucas.values():
        by_action.setdefault(uca.action, {}).setdefault(uca.type, []).append(uca_line(uca))
    rows = []
    for action in control_actions(view):
        cells = by_action.get(action.id, {})
        rows.append(
            (
                action.id,
                action.controller_name,
                action.name,
                *("\n".join(cells.get(kind, [])) for kind in UCA_TYPE_HEADINGS),
            )
        )
    columns = (
        Column("action", "Control action ID", ColumnKind.ID),
        Column("controller", "Controller", ColumnKind.DERIVED),
        Column("action_name", "Control action", ColumnKind.DERIVED),
        *(Column(t.value, h, ColumnKind.DERIVED) for t, h in UCA_TYPE_HEADINGS.items()),
    )
    return PlainTable(
        "uca_matrix", "UCA table", "UCA table", columns, tuple(rows), importable=False
    )


def document_tables(view: DocumentView) -> list[PlainTable]:
    """Every STPA table of the document: the record tables, then the UCA table."""
    return [*(record_table(view, spec.key) for spec in RECORD_TABLES), uca_matrix(view)]


# --- parsing edited cells back ------------------------------------------------------------------


def _choice(column: Column, text: str) -> str:
    wanted = text.strip().casefold().replace(" ", "_").replace("-", "_")
    for choice in column.choices:
        if choice.casefold() == wanted:
            return choice
    if column.key == "raci":  # single letters R/A/C/I
        for choice in column.choices:
            if wanted and choice.startswith(wanted) and len(wanted) == 1:
                return choice
    allowed = ", ".join(repr(c) for c in column.choices if c) or "''"
    raise ModelError(f"{text.strip()!r} is not a {column.header.lower()}; use one of {allowed}.")


_TRUE = {"yes", "y", "true", "1", "x", "hazardous"}
_FALSE = {"no", "n", "false", "0", "", "not hazardous"}


def parse_cell(column: Column, text: str) -> Any:
    """The field value an edited cell stands for; ModelError with a clear sentence if none.

    References are returned as ids without checking that they exist (the caller knows the
    document); ``REF`` columns give ``None`` for an empty cell where the field allows it
    (a hazard's parent).
    """
    if not column.editable:
        raise ValueError(f"column {column.key!r} cannot be imported")
    kind = column.kind
    if kind == ColumnKind.TEXT:
        return text
    if kind == ColumnKind.REFS:
        return split_ids(text)
    if kind == ColumnKind.REF:
        ids = split_ids(text)
        if len(ids) > 1:
            raise ModelError(f"{column.header} takes one id, not {len(ids)}.")
        if not ids:
            return None if column.refers_to == ("hazards",) else ""  # a hazard's parent is None
        return ids[0]
    if kind == ColumnKind.CHOICE:
        return _choice(column, text)
    if kind == ColumnKind.INTEGER:
        if not text.strip():
            return None
        try:
            return int(text.strip())
        except ValueError:
            raise ModelError(f"{text.strip()!r} is not a whole number.") from None
    if kind == ColumnKind.FLAG:
        word = text.strip().casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ModelError(f"{text.strip()!r} is not yes or no.")
    if kind == ColumnKind.CONDITIONS:
        conditions = []
        for line in text.splitlines():
            if not line.strip():
                continue
            variable, sep, value = line.partition("=")
            if not sep or not variable.strip():
                raise ModelError(f"{line.strip()!r} is not a condition 'variable-id=value'.")
            conditions.append(Condition(variable=variable.strip(), value=value.strip()))
        return tuple(conditions)
    if kind == ColumnKind.RACI:
        assignments = []
        for part in (p.strip() for p in re.split(r"[,;\n]+", text)):
            if not part:
                continue
            component, sep, role = part.partition(":")
            if not sep or not component.strip():
                raise ModelError(f"{part!r} is not a RACI role 'component-id:role'.")
            role_value = RaciRole(_choice(column, role))
            assignments.append(RaciAssignment(component=component.strip(), role=role_value))
        return tuple(assignments)
    raise ValueError(f"unknown column kind {kind}")


def reference_ids(column: Column, value: Any) -> Iterator[str]:
    """The ids a parsed value of ``column`` refers to (to check that they exist)."""
    if column.kind == ColumnKind.REFS:
        yield from value
    elif column.kind == ColumnKind.REF:
        if value:
            yield value
    elif column.kind == ColumnKind.RACI:
        yield from (assignment.component for assignment in value)
    elif column.kind == ColumnKind.CONDITIONS:
        yield from (condition.variable for condition in value)
