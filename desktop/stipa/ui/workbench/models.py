"""Item models of the STPA tables: one row per record, updated row by row from document events.

The models never change the document themselves: ``setData`` hands the parsed value to the
dock's ``edit`` callback, which runs one call of the document's mutation API (one undo step)
and shows a refused edit's sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from stipa.export.tables import (
    RECORD_TABLES,
    UCA_TYPE_HEADINGS,
    Column,
    ColumnKind,
    ControlAction,
    control_actions,
    format_record,
    parse_cell,
    uca_line,
)
from stipa.model import (
    CausalFactor,
    Event,
    Hazard,
    ModelError,
    RecordAdded,
    RecordChanged,
    RecordRemoved,
    RecordsAdded,
    ScenarioCategory,
    UCAStatus,
    UCASubtype,
    UCAType,
)
from stipa.model.view import DocumentView

#: The record id of a row, for views, tests and the dock.
ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The column's key (``"hazards"``), on the header and on cells.
KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 2
#: Background of rows related to the selected record.
HIGHLIGHT = QColor(255, 193, 7, 90)

AnyIndex = QModelIndex | QPersistentModelIndex
Editor = Callable[[Callable[[], object]], bool]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workbench", text)


def choice_labels(key: str) -> dict[str, str]:
    """Readable labels of the values of a choice column (``type``, ``status``, ``category``)."""
    if key == "type":
        return {
            UCAType.NOT_PROVIDED.value: _tr("Not provided"),
            UCAType.PROVIDED.value: _tr("Provided"),
            UCAType.TIMING.value: _tr("Too early / too late / order"),
            UCAType.DURATION.value: _tr("Stopped too soon / too long"),
        }
    if key == "status":
        return {
            UCAStatus.DRAFT.value: _tr("Draft"),
            UCAStatus.ACCEPTED.value: _tr("Accepted"),
            UCAStatus.NOT_APPLICABLE.value: _tr("Not applicable"),
        }
    if key == "category":
        return {
            ScenarioCategory.UNSPECIFIED.value: _tr("Unspecified"),
            ScenarioCategory.CONTROLLER.value: _tr("Unsafe controller behaviour"),
            ScenarioCategory.FEEDBACK.value: _tr("Inadequate feedback"),
            ScenarioCategory.CONTROL_PATH.value: _tr("Control path"),
            ScenarioCategory.PROCESS.value: _tr("Controlled process"),
        }
    if key == "subtype":
        return {
            UCASubtype.UNSPECIFIED.value: "",
            UCASubtype.TOO_EARLY.value: _tr("Too early"),
            UCASubtype.TOO_LATE.value: _tr("Too late"),
            UCASubtype.OUT_OF_ORDER.value: _tr("Out of order"),
            UCASubtype.STOPPED_TOO_SOON.value: _tr("Stopped too soon"),
            UCASubtype.APPLIED_TOO_LONG.value: _tr("Applied too long"),
        }
    if key == "factor":
        return {
            factor.value: factor.value.replace("_", " ").capitalize() if factor else ""
            for factor in CausalFactor
        }
    return {}


def header_labels() -> dict[str, str]:
    """Translated column headings by column key."""
    return {
        "id": _tr("ID"),
        "text": _tr("Text"),
        "description": _tr("Description"),
        "parent": _tr("Parent"),
        "losses": _tr("Losses"),
        "hazards": _tr("Hazards"),
        "owner_name": _tr("Owner"),
        "constraints": _tr("Constraints"),
        "processes": _tr("Processes"),
        "raci": _tr("RACI"),
        "controller": _tr("Controller"),
        "action_name": _tr("Control action"),
        "type": _tr("Type"),
        "context": _tr("Context"),
        "status": _tr("Status"),
        "rationale": _tr("Rationale"),
        "ucas": _tr("UCAs"),
        "category": _tr("Category"),
        "causal_factor": _tr("Causal factor"),
        "alias": _tr("Alias"),
        "subtype": _tr("Subtype"),
        "factor": _tr("Factor keyword"),
        "scenarios": _tr("Scenarios"),
    }


#: The columns each tab shows, by column key of ``stipa.export.tables``.
VISIBLE: dict[str, tuple[str, ...]] = {
    "losses": ("id", "text", "description"),
    "hazards": ("id", "text", "losses", "description"),
    "constraints": ("id", "text", "hazards", "description"),
    "responsibilities": ("id", "owner_name", "text", "constraints", "processes", "raci"),
    # the status beside the id: whether a UCA is a decision is seen without scrolling
    "ucas": (
        "id",
        "status",
        "alias",
        "controller",
        "action_name",
        "type",
        "subtype",
        "context",
        "hazards",
        "rationale",
    ),
    "controller_constraints": ("id", "text", "ucas"),
    "scenarios": ("id", "category", "text", "causal_factor", "ucas", "hazards"),
    "requirements": ("id", "alias", "text", "scenarios", "ucas", "hazards", "constraints"),
}
#: Derived columns whose cell edits another (reference) field, through the picker.
EDITED_THROUGH = {"owner_name": "owner", "action_name": "action"}
_SPECS = {spec.key: spec for spec in RECORD_TABLES}


def spec_column(table: str, key: str) -> Column:
    """The ``stipa.export.tables`` column ``key`` of ``table``."""
    return next(c for c in _SPECS[table].columns if c.key == key)


def reference_column(table: str, key: str) -> Column | None:
    """The reference column a cell of column ``key`` edits through the picker, or None."""
    column = spec_column(table, EDITED_THROUGH.get(key, key))
    if column.kind in (ColumnKind.REF, ColumnKind.REFS):
        return column
    return None


def summary(view: DocumentView, record_id: str) -> str:
    """``"H-4.1: Deceleration is insufficient…"``: an id and its text or name."""
    record = view.get(record_id)
    if record is None:
        return record_id
    text = getattr(record, "text", None) or getattr(record, "name", None)
    if text is None and hasattr(record, "context"):
        text = getattr(record, "context", "")
    return f"{record_id}: {text}" if text else record_id


class _Rows:
    """Cell texts of records, cached per record version."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.positions = {c.key: i for i, c in enumerate(_SPECS[table].columns)}
        self._cache: dict[str, tuple[object, tuple[str, ...]]] = {}

    def cells(self, view: DocumentView, record_id: str) -> tuple[str, ...]:
        record = view.table(self.table)[record_id]
        cached = self._cache.get(record_id)
        if cached is not None and cached[0] is record:
            return cached[1]
        cells = format_record(view, self.table, record)
        self._cache[record_id] = (record, cells)
        return cells

    def clear(self) -> None:
        self._cache.clear()


class _Common:
    """What the table and tree models share: columns, display, editing."""

    table: str
    view: DocumentView
    keys: tuple[str, ...]
    highlighted: set[str]
    edit: Editor | None
    _rows: _Rows

    def _cell(self, record_id: str, column: int, role: int) -> Any:
        key = self.keys[column]
        if role == ID_ROLE:
            return record_id
        if role == KEY_ROLE:
            return key
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(HIGHLIGHT) if record_id in self.highlighted else None
        cells = self._rows.cells(self.view, record_id)
        text = cells[self._rows.positions[key]]
        if role == Qt.ItemDataRole.DisplayRole:
            labels = choice_labels(key) if self.table != "losses" else {}
            if labels:
                return labels.get(text, text)
            return text.replace("\n", " ") if len(text) < 400 else text[:400] + "…"
        if role == Qt.ItemDataRole.EditRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            ref = (
                reference_column(self.table, key)
                if key in EDITED_THROUGH
                or key
                in (
                    "losses",
                    "hazards",
                    "constraints",
                    "processes",
                    "ucas",
                    "scenarios",
                )
                else None
            )
            if ref is not None:
                target = getattr(self.view.table(self.table)[record_id], ref.field or "")
                ids = [target] if isinstance(target, str) else list(target or ())
                lines = [summary(self.view, i) for i in ids if i]
                hint = _tr("Double-click to choose")
                return "\n".join([*lines, hint]) if lines else hint
            return text or None
        return None

    def _flags(self, column: int) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column_spec = _SPECS[self.table].columns[self._rows.positions[self.keys[column]]]
        if column_spec.kind in (ColumnKind.TEXT, ColumnKind.CHOICE, ColumnKind.RACI):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _set(self, record_id: str, column: int, value: Any) -> bool:
        key = self.keys[column]
        spec = spec_column(self.table, key)
        if not spec.editable or self.edit is None:
            return False
        field = spec.field or ""
        text = str(value)
        try:
            parsed = parse_cell(spec, text)
        except ModelError as error:
            message = str(error)

            def refuse() -> None:
                raise ModelError(message)

            return self.edit(refuse)
        record = self.view.table(self.table)[record_id]
        if getattr(record, field) == parsed:
            return False
        doc = self.view
        return self.edit(lambda: doc.update(record_id, **{field: parsed}))  # type: ignore[attr-defined]

    def _header(self, section: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return header_labels().get(self.keys[section], self.keys[section])
        if role == KEY_ROLE:
            return self.keys[section]
        return None


class RecordTableModel(_Common, QAbstractTableModel):
    """The records of one document table, one row each, in document order."""

    def __init__(self, table: str, view: DocumentView, parent: QObject | None = None) -> None:
        QAbstractTableModel.__init__(self, parent)
        self.table = table
        self.view = view
        self.keys = VISIBLE[table]
        self.highlighted = set()
        self.edit = None
        self._rows = _Rows(table)
        self._ids: list[str] = list(view.table(table))

    # --- reading -------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.keys)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._cell(self._ids[index.row()], index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return self._header(section, role)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return self._flags(index.column()) if index.isValid() else Qt.ItemFlag.NoItemFlags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        return self._set(self._ids[index.row()], index.column(), value)

    def record_id(self, row: int) -> str:
        """The id of the record in ``row``."""
        return self._ids[row]

    def row_of(self, record_id: str) -> int:
        """The row of a record, or -1."""
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def index_of(self, record_id: str, column: int = 0) -> QModelIndex:
        """The index of a record's cell (invalid if the record is not shown)."""
        row = self.row_of(record_id)
        return self.index(row, column) if row >= 0 else QModelIndex()

    # --- following the document ------------------------------------------------------------
    def rebind(self, view: DocumentView) -> None:
        """Show another document."""
        self.beginResetModel()
        self.view = view
        self._rows.clear()
        self._ids = list(view.table(self.table))
        self.highlighted = set()
        self.endResetModel()

    def handle(self, event: Event) -> None:
        """Follow one document event: insert, remove, move or refresh one row."""
        if isinstance(event, RecordAdded) and event.table == self.table:
            row = self.view.index_of(event.record.id)
            self.beginInsertRows(QModelIndex(), row, row)
            self._ids.insert(row, event.record.id)
            self.endInsertRows()
        elif isinstance(event, RecordsAdded) and event.table == self.table:
            first, count = event.index, len(event.records)
            self.beginInsertRows(QModelIndex(), first, first + count - 1)
            self._ids[first:first] = [record.id for record in event.records]
            self.endInsertRows()
        elif isinstance(event, RecordRemoved) and event.table == self.table:
            row = self.row_of(event.record.id)
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._ids[row]
                self.endRemoveRows()
        elif isinstance(event, RecordChanged) and event.table == self.table:
            row = self.row_of(event.new.id)
            if row < 0:
                return
            target = self.view.index_of(event.new.id)
            if event.index is not None and target != row:
                # Qt's destination is the row before which the moved row lands
                destination = target + 1 if target > row else target
                self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
                del self._ids[row]
                self._ids.insert(target, event.new.id)
                self.endMoveRows()
                row = target
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.keys) - 1))
        elif isinstance(
            event, RecordAdded | RecordsAdded | RecordRemoved | RecordChanged
        ) and event.table in ("components", "links"):
            self.refresh_all()

    def refresh_all(self) -> None:
        """Derived cells (names) may have changed: repaint every row."""
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self.keys) - 1)
            )

    def set_highlighted(self, ids: set[str]) -> None:
        """Mark the rows of ``ids`` as related to the current selection."""
        if ids == self.highlighted:
            return
        self.highlighted = set(ids)
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._ids) - 1, len(self.keys) - 1),
                [Qt.ItemDataRole.BackgroundRole],
            )


class _Node:
    """The internal pointer of a hazard's index."""

    __slots__ = ("record_id",)

    def __init__(self, record_id: str) -> None:
        self.record_id = record_id


class HazardTreeModel(_Common, QAbstractItemModel):
    """Hazards as a tree: sub-hazards below their parent, siblings in document order."""

    def __init__(self, view: DocumentView, parent: QObject | None = None) -> None:
        QAbstractItemModel.__init__(self, parent)
        self.table = "hazards"
        self.view = view
        self.keys = VISIBLE["hazards"]
        self.highlighted = set()
        self.edit = None
        self._rows = _Rows("hazards")
        #: One node object per hazard id, kept alive for Qt's internal pointers.
        self._nodes: dict[str, _Node] = {}
        self._children: dict[str | None, list[str]] = {}
        self._parent: dict[str, str | None] = {}
        self._build()

    def _node(self, record_id: str) -> _Node:
        node = self._nodes.get(record_id)
        if node is None:
            node = self._nodes[record_id] = _Node(record_id)
        return node

    def _structure(self) -> tuple[dict[str | None, list[str]], dict[str, str | None]]:
        hazards = self.view.hazards
        children: dict[str | None, list[str]] = {None: []}
        parents: dict[str, str | None] = {}
        for hazard in hazards.values():
            parent = hazard.parent if hazard.parent in hazards else None
            parents[hazard.id] = parent
            children.setdefault(parent, []).append(hazard.id)
        return children, parents

    def _build(self) -> None:
        self._children, self._parent = self._structure()

    # --- reading -------------------------------------------------------------------------------
    def _id(self, index: AnyIndex) -> str | None:
        if not index.isValid():
            return None
        node = index.internalPointer()
        return node.record_id if isinstance(node, _Node) else None

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        siblings = self._children.get(self._id(parent), [])
        if not 0 <= row < len(siblings) or not 0 <= column < len(self.keys):
            return QModelIndex()
        return self.createIndex(row, column, self._node(siblings[row]))

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        record_id = self._id(index)
        if record_id is None:
            return QModelIndex()
        parent = self._parent.get(record_id)
        if parent is None:
            return QModelIndex()
        grand = self._parent.get(parent)
        row = self._children.get(grand, []).index(parent)
        return self.createIndex(row, 0, self._node(parent))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children.get(self._id(parent), []))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.keys)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record_id = self._id(index)
        if record_id is None or record_id not in self.view.hazards:
            return None
        return self._cell(record_id, index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            return self._header(section, role)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return self._flags(index.column()) if index.isValid() else Qt.ItemFlag.NoItemFlags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        record_id = self._id(index)
        if record_id is None or role != Qt.ItemDataRole.EditRole:
            return False
        return self._set(record_id, index.column(), value)

    def index_of(self, record_id: str, column: int = 0) -> QModelIndex:
        """The index of a hazard's cell (invalid if it is not shown)."""
        if record_id not in self._parent:
            return QModelIndex()
        siblings = self._children.get(self._parent[record_id], [])
        return self.createIndex(siblings.index(record_id), column, self._node(record_id))

    def siblings(self, record_id: str) -> list[str]:
        """The hazards with the same parent as ``record_id``, in order (itself included)."""
        return list(self._children.get(self._parent.get(record_id), []))

    # --- following the document ------------------------------------------------------------
    def rebind(self, view: DocumentView) -> None:
        """Show another document."""
        self.beginResetModel()
        self.view = view
        self._rows.clear()
        self.highlighted = set()
        self._build()
        self.endResetModel()

    def handle(self, event: Event) -> None:
        """Follow one document event; structure changes other than a leaf in or out reset."""
        if not isinstance(event, RecordAdded | RecordsAdded | RecordRemoved | RecordChanged):
            return
        if event.table != "hazards":
            return
        children, parents = self._structure()
        if isinstance(event, RecordAdded):
            hazard: Hazard = event.record
            parent = parents.get(hazard.id)
            if not children.get(hazard.id) and parent == (
                hazard.parent if hazard.parent in self._parent else None
            ):
                row = children[parent].index(hazard.id)
                parent_index = self.index_of(parent) if parent else QModelIndex()
                self.beginInsertRows(parent_index, row, row)
                self._children, self._parent = children, parents
                self.endInsertRows()
                return
        elif isinstance(event, RecordRemoved):
            record_id = event.record.id
            if record_id in self._parent and not self._children.get(record_id):
                parent = self._parent[record_id]
                row = self._children[parent].index(record_id)
                parent_index = self.index_of(parent) if parent else QModelIndex()
                self.beginRemoveRows(parent_index, row, row)
                self._children, self._parent = children, parents
                self.endRemoveRows()
                return
        elif (
            isinstance(event, RecordChanged)
            and event.index is None
            and event.old.parent == event.new.parent
        ):
            index = self.index_of(event.new.id)
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(len(self.keys) - 1))
                return
        self.beginResetModel()
        self._children, self._parent = children, parents
        self.endResetModel()

    def set_highlighted(self, ids: set[str]) -> None:
        """Mark the hazards of ``ids`` as related to the current selection."""
        if ids == self.highlighted:
            return
        self.highlighted = set(ids)
        self._repaint([Qt.ItemDataRole.BackgroundRole])

    def refresh_all(self) -> None:
        """Repaint every row."""
        self._rows.clear()
        self._repaint([])

    def _repaint(self, roles: list[Qt.ItemDataRole]) -> None:
        """dataChanged for every row of every level."""
        for parent_id, children in self._children.items():
            if not children:
                continue
            parent = self.index_of(parent_id) if parent_id else QModelIndex()
            first = self.index(0, 0, parent)
            last = self.index(len(children) - 1, len(self.keys) - 1, parent)
            self.dataChanged.emit(first, last, roles)


class UcaMatrixModel(QAbstractTableModel):
    """The practitioners' UCA table: a row per control action, a column per UCA type."""

    TYPES: tuple[UCAType, ...] = tuple(UCA_TYPE_HEADINGS)

    def __init__(self, view: DocumentView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.highlighted: set[str] = set()
        self._actions: list[ControlAction] = []
        self._cells: dict[tuple[str, UCAType], list[str]] = {}
        self._compute()

    def _compute(self) -> None:
        self._actions = control_actions(self.view)
        self._cells = {}
        for uca in self.view.ucas.values():
            self._cells.setdefault((uca.action, uca.type), []).append(uca.id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self.TYPES)

    def action(self, row: int) -> ControlAction:
        """The control action of ``row``."""
        return self._actions[row]

    def uca_type(self, column: int) -> UCAType | None:
        """The UCA type of ``column`` (None for the first, the control action)."""
        return self.TYPES[column - 1] if column >= 1 else None

    def ucas_at(self, index: AnyIndex) -> list[str]:
        """The ids of the UCAs listed in a cell."""
        kind = self.uca_type(index.column())
        if not index.isValid() or kind is None:
            return []
        return list(self._cells.get((self._actions[index.row()].id, kind), []))

    def row_of(self, action_id: str) -> int:
        """The row of a control action, or -1."""
        for row, action in enumerate(self._actions):
            if action.id == action_id:
                return row
        return -1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        action = self._actions[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{action.controller_name}\n→ {action.name}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return _tr("{0} provides {1} to {2} ({3})").format(
                    action.controller_name, action.name, action.target_name, action.id
                )
            if role == ID_ROLE:
                return action.id
            return None
        ids = self.ucas_at(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            ucas = self.view.ucas
            lines = []
            # a repaint may come between an undo and this model's refresh: skip what is gone
            for uca_id in (i for i in ids if i in ucas):
                line = uca_line(ucas[uca_id])
                if ucas[uca_id].status == UCAStatus.NOT_APPLICABLE:
                    line = line.replace("N/A —", _tr("N/A —"), 1)
                lines.append(line)
            return "\n".join(lines)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(HIGHLIGHT) if self.highlighted.intersection(ids) else None
        if role == ID_ROLE:
            return ids[0] if ids else ""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headings = [
            _tr("Control action"),
            _tr("Not providing\ncauses hazard"),
            _tr("Providing\ncauses hazard"),
            _tr("Too early, too late,\nwrong order"),
            _tr("Stopped too soon,\napplied too long"),
        ]
        return headings[section]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def rebind(self, view: DocumentView) -> None:
        """Show another document."""
        self.beginResetModel()
        self.view = view
        self.highlighted = set()
        self._compute()
        self.endResetModel()

    def handle(self, event: Event) -> None:
        """Follow UCA, link and component changes (cells refresh; new actions reset)."""
        if not isinstance(event, RecordAdded | RecordsAdded | RecordRemoved | RecordChanged):
            return
        if event.table not in ("ucas", "links", "components"):
            return
        before = [a.id for a in self._actions]
        after = [a.id for a in control_actions(self.view)]
        if before != after:
            self.beginResetModel()
            self._compute()
            self.endResetModel()
            return
        self._compute()
        if self._actions:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._actions) - 1, len(self.TYPES))
            )

    def set_highlighted(self, ids: set[str]) -> None:
        """Mark the cells holding UCAs of ``ids``."""
        if ids == self.highlighted:
            return
        self.highlighted = set(ids)
        if self._actions:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._actions) - 1, len(self.TYPES)),
                [Qt.ItemDataRole.BackgroundRole],
            )


class RecordFilter(QSortFilterProxyModel):
    """Shows the rows whose record is in ``allowed`` (all when None) and match the text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.allowed: set[str] | None = None
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setRecursiveFilteringEnabled(True)

    def set_allowed(self, allowed: Iterable[str] | None) -> None:
        """Restrict the rows to these record ids (None: no restriction)."""
        self.beginFilterChange()
        self.allowed = set(allowed) if allowed is not None else None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self.allowed is not None:
            index = self.sourceModel().index(source_row, 0, source_parent)
            if index.data(ID_ROLE) not in self.allowed:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


def ordered(view: DocumentView, ids: Sequence[str]) -> list[str]:
    """``ids`` in document order (tables in save order, then position)."""
    wanted = set(ids)
    return [r.id for r in view.records() if r.id in wanted]
