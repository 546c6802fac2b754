"""The STPA workbench dock (``dock.stpa``): every STPA table beside the diagram.

Tabs: losses, hazards (a tree with sub-hazards), system-level constraints, responsibilities,
UCAs, the UCA table per control action, controller constraints, loss scenarios, context
tables and the trace of a loss. Every edit is one call of the document's mutation API, so
it is one step on the same undo stack as the canvas. The tables follow document events row
by row; selecting a record tints what it traces to (both ways) in every table and lights up
its controllers and control actions on the canvas; "Filter by canvas selection" shows only
the records that concern the components or links selected on the canvas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QPalette,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from stipa.export.tables import control_actions
from stipa.model import (
    ComponentKind,
    ControllerConstraint,
    Document,
    Event,
    Hazard,
    HistoryChanged,
    Loss,
    LossScenario,
    ModelError,
    RecordAdded,
    RecordChanged,
    RecordRemoved,
    RecordsAdded,
    Responsibility,
    SafetyRequirement,
    SystemConstraint,
    UCAStatus,
    UCAType,
    UnsafeControlAction,
)
from stipa.operations.tracing import canvas_targets, concerns, loss_chain, related, upward
from stipa.ui.following import DocumentFollower
from stipa.ui.theme import show_refusal
from stipa.ui.workbench.context import ContextPage
from stipa.ui.workbench.models import (
    ID_ROLE,
    KEY_ROLE,
    AnyIndex,
    HazardTreeModel,
    RecordFilter,
    RecordTableModel,
    UcaMatrixModel,
    choice_labels,
    ordered,
    reference_column,
    summary,
)
from stipa.ui.workbench.picker import ReferencePicker
from stipa.ui.workbench.references import ReferenceCombo, ReferencesEdit
from stipa.ui.workbench.wrapping import WrappedTree, WrappingDelegate

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext
    from stipa.ui.workbench.excel import ExcelActions

#: Canvas highlight of the components and links a selected record traces to.
CANVAS_HIGHLIGHT = QColor("#FF8F00")
#: How many ids the trace line under the tables lists before "… (n more)".
TRACE_LABEL_IDS = 24


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workbench", text)


def tab_titles() -> dict[str, str]:
    """Translated tab titles by tab key."""
    return {
        "losses": _tr("Losses"),
        "hazards": _tr("Hazards"),
        "constraints": _tr("System constraints"),
        "responsibilities": _tr("Responsibilities"),
        "ucas": _tr("UCAs"),
        "uca_table": _tr("UCA table"),
        "controller_constraints": _tr("Controller constraints"),
        "scenarios": _tr("Loss scenarios"),
        "requirements": _tr("Safety requirements"),
        "context": _tr("Context tables"),
        "trace": _tr("Trace"),
    }


def tab_labels() -> dict[str, str]:
    """The names on the tabs, by tab key: short, so that every tab shows without scroll arrows
    in the panel under the canvas of a 1366 px wide screen; each tab's tooltip is its title."""
    return {
        **tab_titles(),
        "constraints": _tr("Constraints"),
        "controller_constraints": _tr("Ctrl. constraints"),
        "scenarios": _tr("Scenarios"),
        "requirements": _tr("Requirements"),
        "context": _tr("Context"),
    }


class CompactTabStyle(QProxyStyle):
    """The application's style with less room either side of a tab's name (Fusion's 12 px
    become 7): with the short names, the eleven STPA tabs fit a laptop screen's panel."""

    def __init__(self) -> None:
        super().__init__(QApplication.style().name())  # by name: the proxy owns its base

    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        value = super().pixelMetric(metric, option, widget)
        return value * 7 // 12 if metric == QStyle.PixelMetric.PM_TabBarTabHSpace else value


#: The field the "Link…" button edits, by table.
LINK_FIELD = {
    "hazards": "losses",
    "constraints": "hazards",
    "responsibilities": "constraints",
    "ucas": "hazards",
    "controller_constraints": "ucas",
    "scenarios": "ucas+hazards",
    "requirements": "scenarios",
}
#: Reference fields that name one record: edited with a combo box.
SINGLE_REFERENCES = frozenset({"owner", "action", "parent"})
#: The column an added record's editor opens on.
FIRST_EDIT = {"ucas": "context"}


class ChoiceDelegate(WrappingDelegate):
    """The editors of a record table's cells: a combo box for choice columns (UCA type and
    status, scenario category), and for reference columns ids typed with completion (one
    record: a combo box); text columns edit as text."""

    def __init__(self, view: QAbstractItemView, page: RecordPage | None = None) -> None:
        super().__init__(view)
        self.page = page

    def _reference(self, index: AnyIndex) -> tuple[str, str] | None:
        """(record id, field) when ``index`` is a reference cell of the page's table."""
        if self.page is None:
            return None
        key = str(index.model().headerData(index.column(), Qt.Orientation.Horizontal, KEY_ROLE))
        column = reference_column(self.page.table, key)
        if column is None or not column.field:
            return None
        return str(index.data(ID_ROLE)), column.field

    def _current(self, record_id: str, field: str) -> list[str]:
        """The ids ``field`` of ``record_id`` names now."""
        assert self.page is not None
        value = getattr(self.page.dock.document.get(record_id), field, None)
        return [value] if isinstance(value, str) and value else list(value or ())

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        reference = self._reference(index)
        if reference is not None and self.page is not None:
            record_id, field = reference
            candidates = self.page.dock.candidates(record_id, field)
            if field in SINGLE_REFERENCES:
                return ReferenceCombo(candidates, parent, optional=field == "parent")
            return ReferencesEdit(candidates, parent)
        labels = choice_labels(
            str(index.model().headerData(index.column(), Qt.Orientation.Horizontal, KEY_ROLE))
        )
        if not labels:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName("stpa.choice")
        for value, label in labels.items():
            combo.addItem(label, value)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        reference = self._reference(index)
        if reference is not None and isinstance(editor, ReferencesEdit | ReferenceCombo):
            ids = self._current(*reference)
            if isinstance(editor, ReferenceCombo):
                editor.set_id(ids[0] if ids else "")
            else:
                editor.set_ids(ids)
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        reference = self._reference(index)
        if reference is not None and isinstance(editor, ReferencesEdit | ReferenceCombo):
            assert self.page is not None
            record_id, field = reference
            dock = self.page.dock
            unknown = editor.unknown()
            if unknown:
                dock.show_error(
                    _tr("{0}: no such record to refer to; nothing was changed.").format(
                        ", ".join(unknown)
                    )
                )
                return
            ids = editor.ids()
            if ids != self._current(record_id, field):
                dock.apply_references(record_id, field, ids)
        elif isinstance(editor, QComboBox):
            if editor.currentData() != index.data(Qt.ItemDataRole.EditRole):
                model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class VisibleRowSizer(QObject):
    """Fits the rows of a table in sight to their wrapped text, soon after they come into view.

    Rows out of sight keep their height until seen: sizing every row measures every cell of
    every record (seconds for thousands of them). A row grows to at most ``max_lines`` lines;
    its tooltip and editor show the rest.
    """

    def __init__(self, view: QTableView, max_lines: int = 8) -> None:
        super().__init__(view)
        self.view = view
        self.max_height = view.fontMetrics().lineSpacing() * max_lines + 8
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.size_visible_rows)
        model = view.model()
        for signal in (
            model.modelReset,
            model.dataChanged,
            model.layoutChanged,
            model.rowsInserted,
            view.verticalScrollBar().valueChanged,
            view.horizontalHeader().sectionResized,  # narrower columns wrap into more lines
        ):
            signal.connect(lambda *_a: self.timer.start())
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.timer.start()
        return False

    def size_visible_rows(self) -> None:
        """Fit the rows in sight to their contents."""
        view = self.view
        if not shiboken6.isValid(view):
            return
        row = view.rowAt(0)
        if row < 0:
            return
        bottom = view.viewport().height()
        count = view.model().rowCount()
        while row < count and view.rowViewportPosition(row) < bottom:
            view.resizeRowToContents(row)
            if view.rowHeight(row) > self.max_height:
                view.setRowHeight(row, self.max_height)
            row += 1


class RecordPage(QWidget):
    """One tab of records: a view over a filtered model."""

    def __init__(
        self, dock: StpaDock, table: str, model: RecordTableModel | HazardTreeModel
    ) -> None:
        super().__init__()
        self.dock = dock
        self.table = table
        self.model = model
        self.proxy = RecordFilter(self)
        self.proxy.setSourceModel(model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        view: QTableView | QTreeView
        if isinstance(model, HazardTreeModel):
            view = WrappedTree()  # long texts wrap; rows in sight are measured
            view.setAllColumnsShowFocus(True)
        else:
            view = QTableView()
            view.verticalHeader().hide()
            view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
            view.setWordWrap(True)  # long texts wrap; VisibleRowSizer heightens rows in sight
        self.view = view
        view.setObjectName(f"stpa.{table}")
        view.setAccessibleName(tab_titles()[table])
        view.setModel(self.proxy)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        view.setItemDelegate(ChoiceDelegate(view, self))
        view.setAlternatingRowColors(True)
        header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)  # a tree's too, as a table's
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._size_columns(header)
        view.selectionModel().selectionChanged.connect(
            lambda *_a: dock.page_selection_changed(self)
        )
        view.installEventFilter(dock.key_filter)
        layout.addWidget(view)
        if isinstance(view, QTableView):
            self.sizer = VisibleRowSizer(view)
        if isinstance(view, QTreeView):
            view.expandAll()
            model.modelReset.connect(view.expandAll)
            model.rowsInserted.connect(lambda *_a: view.expandAll())

    def _size_columns(self, header: QHeaderView) -> None:
        widths = {
            "id": 64,
            "text": 360,
            "description": 200,
            "losses": 110,
            "hazards": 110,
            "constraints": 120,
            "processes": 90,
            "raci": 140,
            "owner_name": 150,
            "controller": 130,
            "action_name": 120,
            "type": 190,
            "context": 300,
            "status": 100,
            "rationale": 200,
            "ucas": 110,
            "category": 170,
            "causal_factor": 220,
        }
        if self.table == "hazards":
            widths["id"] = 90
        if self.table == "responsibilities":
            widths.update(text=330, constraints=170, processes=110)
        for column, key in enumerate(self.model.keys):
            # never narrower than its title: no clipped headers
            header.resizeSection(column, max(widths.get(key, 120), header.sectionSizeHint(column)))

    def current_id(self) -> str:
        """The record of the current row ("" when none)."""
        index = self.view.currentIndex()
        return str(index.data(ID_ROLE) or "") if index.isValid() else ""

    def selected_ids(self) -> list[str]:
        """The records of the selected rows, in document order."""
        rows = self.view.selectionModel().selectedRows()
        ids = [str(index.data(ID_ROLE)) for index in rows]
        return ordered(self.dock.document, ids)

    def select(self, record_id: str, edit: str = "") -> bool:
        """Make ``record_id`` current (and open the editor of column ``edit``)."""
        source = self.model.index_of(record_id)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():  # filtered out: show everything again
            self.dock.clear_filters()
            index = self.proxy.mapFromSource(self.model.index_of(record_id))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.view.selectionModel().setCurrentIndex(index, flags)
        self.view.scrollTo(index)
        if edit and edit in self.model.keys:
            cell = index.siblingAtColumn(self.model.keys.index(edit))
            self.view.setCurrentIndex(cell)
            self.view.edit(cell)
        return True


class UcaTablePage(QWidget):
    """The practitioners' UCA table: one row per control action, four UCA types."""

    def __init__(self, dock: StpaDock) -> None:
        super().__init__()
        self.dock = dock
        self.model = UcaMatrixModel(dock.document, self)
        self.proxy = RecordFilter(self)
        self.proxy.setSourceModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = QTableView()
        self.view.setObjectName("stpa.uca_table")
        self.view.setAccessibleName(_tr("UCA table"))
        self.view.setModel(self.proxy)
        self.view.setWordWrap(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 170)
        for column in range(1, 5):
            header.resizeSection(column, 300)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().currentChanged.connect(lambda *_a: self._current_changed())
        self.sizer = VisibleRowSizer(self.view)
        layout.addWidget(self.view)

    def size_visible_rows(self) -> None:
        """Fit the rows in sight to their contents (the others keep their height until seen)."""
        self.sizer.size_visible_rows()

    def current(self) -> tuple[str, UCAType | None, list[str]]:
        """(control action id, UCA type, UCA ids) of the current cell."""
        index = self.view.currentIndex()
        if not index.isValid():
            return "", None, []
        source = self.proxy.mapToSource(index)
        action = self.model.action(source.row()).id
        return action, self.model.uca_type(source.column()), self.model.ucas_at(source)

    def select_cell(self, action_id: str, kind: UCAType) -> bool:
        """Make the cell of ``action_id`` and ``kind`` current."""
        row = self.model.row_of(action_id)
        if row < 0:
            return False
        column = 1 + list(self.model.TYPES).index(kind)
        index = self.proxy.mapFromSource(self.model.index(row, column))
        self.view.setCurrentIndex(index)
        return index.isValid()

    def _current_changed(self) -> None:
        _action, _kind, ids = self.current()
        self.dock.trace_selection(ids)

    def _double_clicked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        ids = self.model.ucas_at(source)
        if ids:
            self.dock.reveal(ids[0])
        elif self.model.uca_type(source.column()) is not None:
            self.dock.add_uca_here()


class TracePage(QWidget):
    """A loss's whole chain as a tree: hazards, sub-hazards, constraints, responsibilities,
    UCAs, controller constraints and scenarios."""

    def __init__(self, dock: StpaDock) -> None:
        super().__init__()
        self.dock = dock
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Loss")))
        self.loss = QComboBox()
        self.loss.setObjectName("stpa.trace.loss")
        self.loss.setAccessibleName(_tr("Loss to trace"))
        self.loss.setToolTip(_tr("The loss whose chain is shown"))
        self.loss.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.loss.setMinimumContentsLength(30)
        self.loss.activated.connect(lambda _i: self.show_loss(str(self.loss.currentData() or "")))
        top.addWidget(self.loss, 1)
        layout.addLayout(top)
        self.model = QStandardItemModel(self)
        self.tree = WrappedTree()
        self.tree.setObjectName("stpa.trace.tree")
        self.tree.setAccessibleName(_tr("Trace of the loss"))
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.selectionModel().currentChanged.connect(lambda *_a: self._current_changed())
        self.tree.doubleClicked.connect(
            lambda index: self.dock.reveal(str(index.data(ID_ROLE) or ""))
        )
        layout.addWidget(self.tree, 1)
        self.loss_id = ""
        #: the losses changed while the page was hidden: rebuilt when it is shown
        self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Re-read the losses and rebuild the tree; while the page is hidden, only note that
        it must (a 100,000-loss import would otherwise fill the list for nobody)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        doc = self.dock.document
        self.loss.clear()
        for loss in doc.losses.values():
            self.loss.addItem(summary(doc, loss.id), loss.id)
        if self.loss_id not in doc.losses:
            self.loss_id = next(iter(doc.losses), "")
        self.loss.setCurrentIndex(max(0, self.loss.findData(self.loss_id)))
        self.show_loss(self.loss_id)

    def show_loss(self, loss_id: str) -> None:
        """Show the chain of ``loss_id``."""
        self.loss_id = loss_id
        self.model.clear()
        doc = self.dock.document
        if loss_id not in doc.losses:
            return
        kinds = {
            "loss": _tr("Loss"),
            "hazard": _tr("Hazard"),
            "constraint": _tr("Constraint"),
            "responsibility": _tr("Responsibility"),
            "uca": _tr("UCA"),
            "controller_constraint": _tr("Controller constraint"),
            "scenario": _tr("Scenario"),
        }

        def add(node: Any, parent: QStandardItem | QStandardItemModel) -> None:
            text = f"{kinds[node.kind]} {summary(doc, node.record_id)}"
            if node.kind == "responsibility":
                owner = doc.components.get(doc.responsibilities[node.record_id].owner)
                text += f" — {owner.name}" if owner else ""
            item = QStandardItem(text)
            item.setData(node.record_id, ID_ROLE)
            item.setToolTip(text)
            item.setEditable(False)
            parent.appendRow(item)
            for child in node.children:
                add(child, item)

        add(loss_chain(doc, loss_id), self.model)
        self.tree.expandAll()

    def ids(self) -> list[str]:
        """Every record id in the tree, depth first."""
        found: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                found.append(str(index.data(ID_ROLE)))
                walk(index)

        walk(QModelIndex())
        return found

    def _current_changed(self) -> None:
        index = self.tree.currentIndex()
        if index.isValid():
            self.dock.trace_selection([str(index.data(ID_ROLE))])


class _KeyFilter(QObject):
    """Delete in a table deletes its records (not the canvas selection)."""

    def __init__(self, dock: StpaDock) -> None:
        super().__init__(dock)
        self.dock = dock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.key() not in (
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
        ):
            return False
        if isinstance(watched, QAbstractItemView) and (
            watched.state() == QAbstractItemView.State.EditingState
        ):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the window's Delete shortcut must not fire
            return True
        if event.type() == QEvent.Type.KeyPress:
            self.dock.delete_selected()
            return True
        return False


class StpaDock(QDockWidget):
    """The STPA workbench dock of a main window (``dock.stpa``)."""

    def __init__(self, window: PanelContext) -> None:
        super().__init__(_tr("STPA"), window.window())
        self.setObjectName("dock.stpa")
        self.setAccessibleName(_tr("STPA workbench"))
        self.window_ = window
        self.document: Document = window.document
        #: File > Export Tables to Excel and Import Tables from Excel (``install_excel``).
        self.excel: ExcelActions | None = None
        self._lit: list[tuple[str, str]] = []
        self._dirty = False
        self.picker: ReferencePicker | None = None
        self.na_dialog: QInputDialog | None = None
        self.key_filter: _KeyFilter = _KeyFilter(self)
        self.actions_by_name: dict[str, QAction] = {}

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.setSpacing(3)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("stpa.toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._build_actions()
        self.search = QLineEdit()
        self.search.setObjectName("stpa.search")
        self.search.setPlaceholderText(_tr("Filter rows…"))
        self.search.setAccessibleName(_tr("Filter the rows of the STPA tables"))
        self.search.setToolTip(_tr("Show only rows containing this text"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(220)
        self.search.textChanged.connect(self._search_changed)
        top = QHBoxLayout()
        top.addWidget(self.toolbar, 1)
        top.addWidget(self.search)
        layout.addLayout(top)
        self.error = QLabel()
        self.error.setObjectName("stpa.error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        layout.addWidget(self.error)

        self.models: dict[str, RecordTableModel | HazardTreeModel] = {}
        self.pages: dict[str, RecordPage] = {}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("stpa.tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)  # in a panel narrower than a laptop's
        self.tab_style = CompactTabStyle()
        self.tab_style.setParent(self.tabs)
        self.tabs.tabBar().setStyle(self.tab_style)
        labels = tab_labels()
        for table in ("losses", "hazards", "constraints", "responsibilities", "ucas"):
            self._add_record_page(table, labels[table])
        self.uca_table = UcaTablePage(self)
        self.tabs.addTab(self.uca_table, labels["uca_table"])
        for table in ("controller_constraints", "scenarios", "requirements"):
            self._add_record_page(table, labels[table])
        self.context = ContextPage(self)
        self.tabs.addTab(self.context, labels["context"])
        self.trace = TracePage(self)
        self.tabs.addTab(self.trace, labels["trace"])
        self.tab_keys = [*labels]
        for index, title in enumerate(tab_titles().values()):
            self.tabs.setTabToolTip(index, title)
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        layout.addWidget(self.tabs, 1)
        self.trace_label = QLabel()
        self.trace_label.setObjectName("stpa.trace_label")
        self.trace_label.setWordWrap(True)
        self.trace_label.setTextFormat(Qt.TextFormat.PlainText)
        self.trace_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.trace_label)
        self.setWidget(content)
        self.follower = DocumentFollower(
            self, window, self._on_event, self._bind, on_selection=self._canvas_selection_changed
        )
        # hidden (closed or tabbed behind another dock), its highlights leave the canvas;
        # shown again, the selection is traced again
        self.visibilityChanged.connect(
            lambda visible: (
                self.page_selection_changed(self.tabs.currentWidget())
                if visible
                else self.clear_canvas()
            )
        )
        self._bind()
        self._tab_changed()

    # --- construction --------------------------------------------------------------------------
    def _action(self, name: str, text: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"action.stpa_{name}")
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())
        self.toolbar.addAction(action)
        button = self.toolbar.widgetForAction(action)
        if button is not None:
            button.setObjectName(f"stpa.button.{name}")
            button.setAccessibleName(tip)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        a = self._action
        a("add", _tr("Add"), _tr("Add a record to this table"), self.add_record)
        a(
            "add_sub_hazard",
            _tr("Add sub-hazard"),
            _tr("Refine the selected hazard into a sub-hazard (H-n.m)"),
            self.add_sub_hazard,
        )
        a("delete", _tr("Delete"), _tr("Delete the selected records"), self.delete_selected)
        a("move_up", _tr("Up"), _tr("Move the record up"), lambda: self.move_selected(-1))
        a("move_down", _tr("Down"), _tr("Move the record down"), lambda: self.move_selected(1))
        a(
            "link",
            _tr("Link…"),
            _tr("Choose the records this one traces to"),
            self.link_selected,
        )
        a(
            "add_uca",
            _tr("Add UCA"),
            _tr("Add a UCA of this type to this control action"),
            self.add_uca_here,
        )
        a(
            "mark_na",
            _tr("Mark N/A…"),
            _tr("Mark this UCA type not applicable to the control action, with a rationale"),
            self.mark_not_applicable,
        )
        self.toolbar.addSeparator()
        toggle = a(
            "filter_canvas",
            _tr("Filter by canvas selection"),
            _tr("Show only the records that concern the components selected on the canvas"),
            self._filter_toggled,
        )
        toggle.setCheckable(True)

    def _add_record_page(self, table: str, title: str) -> None:
        model: RecordTableModel | HazardTreeModel
        if table == "hazards":
            model = HazardTreeModel(self.document, self)
        else:
            model = RecordTableModel(table, self.document, self)
        model.edit = self.try_edit
        page = RecordPage(self, table, model)
        self.models[table] = model
        self.pages[table] = page
        self.tabs.addTab(page, title)

    # --- following the window ------------------------------------------------------------------
    def _bind(self) -> None:
        self.clear_canvas()
        self.document = self.window_.document
        for model in self.models.values():
            model.rebind(self.document)
        self.uca_table.model.rebind(self.document)
        self.context.action_id = ""
        self.context.refresh()
        self.trace.loss_id = ""
        self.trace.refresh()
        self._canvas_selection_changed()
        self.clear_error()

    def _on_event(self, event: Event) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(event, RecordAdded | RecordsAdded | RecordRemoved | RecordChanged):
            for model in self.models.values():
                model.handle(event)
            self.uca_table.model.handle(event)
            if event.table not in ("node_layout", "link_layout", "findings", "suggestions"):
                self._dirty = True
        elif isinstance(event, HistoryChanged) and self._dirty:
            self.refresh_derived()

    def refresh_derived(self) -> None:
        """After a command: context table, trace, filter and highlights follow the document."""
        self._dirty = False
        self.context.refresh()
        self.trace.refresh()
        if self.actions_by_name["filter_canvas"].isChecked():
            self._filter_to_canvas()
        self.page_selection_changed(self.tabs.currentWidget())

    # --- errors ----------------------------------------------------------------------------------
    def try_edit(self, edit: Callable[[], object]) -> bool:
        """Run one edit; on refusal show the model's sentence and keep the document."""
        try:
            edit()
        except ModelError as error:
            self.show_error(str(error))
            if self._dirty:
                self.refresh_derived()
            return False
        self.clear_error()
        return True

    def show_error(self, message: str) -> None:
        """Show a refused edit's sentence here and in the status bar."""
        show_refusal(self.error, message)
        self.window_.statusBar().showMessage(message, 8000)

    def show_notice(self, message: str) -> None:
        """Say what was chosen for the analyst, to check (not an error): here and in the
        status bar."""
        self.error.setPalette(self.palette())
        self.error.setText(message)
        self.error.show()
        self.window_.statusBar().showMessage(message, 8000)

    def clear_error(self) -> None:
        """Hide the error line."""
        self.error.clear()
        self.error.hide()

    # --- pages -------------------------------------------------------------------------------
    def current_key(self) -> str:
        """The key of the current tab (``"hazards"``, ``"uca_table"``, ``"trace"``…)."""
        return self.tab_keys[self.tabs.currentIndex()]

    def show_tab(self, key: str) -> QWidget:
        """Bring the tab ``key`` forward (and the dock) and return its page."""
        self.show()
        self.raise_()
        self.tabs.setCurrentIndex(self.tab_keys.index(key))
        return self.tabs.currentWidget()

    def current_page(self) -> RecordPage | None:
        """The record page shown, if the current tab is one."""
        page = self.tabs.currentWidget()
        return page if isinstance(page, RecordPage) else None

    def _tab_changed(self) -> None:
        key = self.current_key()
        record = key in self.pages
        acts = self.actions_by_name
        for name in ("add", "delete", "move_up", "move_down"):
            acts[name].setVisible(record)
        acts["add_sub_hazard"].setVisible(key == "hazards")
        acts["link"].setVisible(key in LINK_FIELD)
        acts["add_uca"].setVisible(key == "uca_table")
        acts["mark_na"].setVisible(key == "uca_table")
        self.page_selection_changed(self.tabs.currentWidget())

    def reveal(self, record_id: str) -> bool:
        """Show a record in its tab, selected."""
        table = self.document.table_of(record_id)
        if table not in self.pages:
            if table == "context_rules":
                rule = self.document.context_rules[record_id]
                self.show_tab("context")
                self.context.show_action(rule.action)
                self.context.action.setCurrentIndex(self.context.action.findData(rule.action))
                return True
            return False
        self.show_tab(table)
        return self.pages[table].select(record_id)

    # --- selection, tracing, highlighting --------------------------------------------------
    def page_selection_changed(self, page: QWidget | None) -> None:
        """A record page's selection changed: trace what it selects."""
        if page is not self.tabs.currentWidget():
            return
        if isinstance(page, RecordPage):
            self.trace_selection(page.selected_ids())
        elif page is self.uca_table:
            self.trace_selection(self.uca_table.current()[2])
        elif page is self.context:
            rule = self.context.selected_rule()
            self.trace_selection([rule.id] if rule else [])
        elif page is self.trace:
            index = self.trace.tree.currentIndex()
            self.trace_selection([str(index.data(ID_ROLE))] if index.isValid() else [])

    def trace_selection(self, ids: list[str]) -> None:
        """Tint what ``ids`` trace to (both ways) in every table and light it on the canvas."""
        doc = self.document
        ids = [i for i in ids if i in doc]
        linked = related(doc, ids) if ids else set()
        for model in self.models.values():
            model.set_highlighted(linked - set(ids))
        self.uca_table.model.set_highlighted(linked)
        self.light_canvas(linked | set(ids))
        if not ids:
            self.trace_label.setText("")
            return
        up: set[str] = set()
        for record_id in ids:
            todo = upward(doc, record_id)
            while todo:
                current = todo.pop()
                if current not in up:
                    up.add(current)
                    todo.extend(upward(doc, current))
        down = linked - up - set(ids)

        def listing(found: set[str]) -> str:
            names = ordered(doc, list(found))
            if len(names) > TRACE_LABEL_IDS:
                more = _tr("… ({0} more)").format(len(names) - TRACE_LABEL_IDS)
                return ", ".join(names[:TRACE_LABEL_IDS]) + more
            return ", ".join(names)

        parts = []
        if up:
            parts.append(_tr("Traces to: {0}").format(listing(up)))
        if down:
            parts.append(_tr("Traced by: {0}").format(listing(down)))
        if not parts:
            parts.append(_tr("{0} traces to nothing yet.").format(", ".join(ids)))
        self.trace_label.setText(" · ".join(parts))

    def light_canvas(self, ids: set[str]) -> None:
        """Highlight the components and links the records ``ids`` concern."""
        self.clear_canvas()
        diagram = self.window_.diagram
        components, links = canvas_targets(self.document, ids)
        for cid in components:
            item = diagram.components.get(cid)
            if item is not None:
                item.highlight = CANVAS_HIGHLIGHT
                item.update()
                self._lit.append(("components", cid))
        for lid in links:
            link = diagram.links.get(lid)
            if link is not None:
                link.highlight = CANVAS_HIGHLIGHT
                self._lit.append(("links", lid))
        diagram.decorationsChanged.emit()  # the overview's picture shows them too

    def clear_canvas(self) -> None:
        """Take this dock's highlights off the canvas."""
        diagram = self.window_.diagram
        for table, record_id in self._lit:
            item = getattr(diagram, table).get(record_id)
            if item is not None and shiboken6.isValid(item):
                item.highlight = None
                if table == "components":
                    item.update()
        if self._lit and shiboken6.isValid(diagram):
            diagram.decorationsChanged.emit()
        self._lit = []

    def lit(self) -> set[str]:
        """The ids of the canvas items this dock highlights now."""
        return {record_id for _table, record_id in self._lit}

    # --- filtering -------------------------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        for page in self.pages.values():
            page.proxy.setFilterFixedString(text)
            if isinstance(page.view, QTreeView):
                page.view.expandAll()
        self.uca_table.proxy.setFilterFixedString(text)

    def _filter_toggled(self) -> None:
        self._filter_to_canvas()

    def _canvas_selection_changed(self) -> None:
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.window_.diagram):
            return  # the window is closing
        if self.actions_by_name["filter_canvas"].isChecked():
            self._filter_to_canvas()

    def _filter_to_canvas(self) -> None:
        allowed: set[str] | None = None
        actions: set[str] | None = None
        on = self.actions_by_name["filter_canvas"].isChecked()
        selected = self.window_.diagram.selected_ids() if on else []
        if selected:
            doc = self.document
            allowed = concerns(doc, selected)
            actions = {
                a.id
                for a in control_actions(doc)
                if a.controller in selected or a.target in selected or a.link in selected
            }
            first = next((a for a in control_actions(doc) if a.id in actions), None)
            if first is not None and self.context.action_id not in actions:
                self.context.action.setCurrentIndex(self.context.action.findData(first.id))
                self.context.show_action(first.id)
        for page in self.pages.values():
            page.proxy.set_allowed(allowed)
            if isinstance(page.view, QTreeView):
                page.view.expandAll()
        self.uca_table.proxy.set_allowed(actions)
        if on and selected:
            self.window_.statusBar().showMessage(
                _tr("STPA tables filtered to what concerns the canvas selection"), 4000
            )

    def clear_filters(self) -> None:
        """Show every row again (text filter and canvas filter off)."""
        self.search.clear()
        action = self.actions_by_name["filter_canvas"]
        if action.isChecked():
            action.setChecked(False)
            self._filter_to_canvas()

    # --- editing ---------------------------------------------------------------------------------
    def _added(self, table: str, record: Any) -> bool:
        made: list[Any] = []
        if not self.try_edit(lambda: made.append(self.document.add(record))):
            return False
        self.pages[table].select(made[0].id, edit=FIRST_EDIT.get(table, "text"))
        return True

    def add_record(self) -> None:
        """Add a record to the current table and edit its text."""
        key = self.current_key()
        doc = self.document
        if key == "losses":
            self._added(key, Loss(text=_tr("New loss")))
        elif key == "hazards":
            self._added(key, Hazard(text=_tr("New hazard")))
        elif key == "constraints":
            self._added(key, SystemConstraint(text=_tr("New system-level constraint")))
        elif key == "responsibilities":
            owner, why = self._default_owner()
            if not owner:
                self.show_error(_tr("Draw a controller first: a responsibility needs an owner."))
                return
            if self._added(key, Responsibility(text=_tr("New responsibility"), owner=owner)):
                self.show_notice(
                    _tr("Owner proposed: {0} ({1}). Choose another in the Owner column.").format(
                        doc.components[owner].name or owner, why
                    )
                )
        elif key == "ucas":
            action, why = self._default_action()
            if not action:
                self.show_error(_tr("Draw a control action first: a UCA analyses one."))
                return
            current = self.pages["ucas"].current_id()
            kind = doc.ucas[current].type if current in doc.ucas else UCAType.PROVIDED
            # written by the analyst, a UCA is a decision: accepted, not a draft to review
            uca = UnsafeControlAction(action=action, type=kind, status=UCAStatus.ACCEPTED)
            if self._added(key, uca):
                self.show_notice(
                    _tr(
                        "Control action proposed: {0} ({1}). Choose another in the Control "
                        "action column."
                    ).format(self._action_label(action), why)
                )
        elif key == "controller_constraints":
            self._added(key, ControllerConstraint(text=_tr("New controller constraint")))
        elif key == "scenarios":
            self._added(key, LossScenario(text=_tr("New loss scenario")))
        elif key == "requirements":
            self._added(key, SafetyRequirement(text=_tr("New safety requirement")))

    def _default_owner(self) -> tuple[str, str]:
        """The owner to propose for a new responsibility, and why it is proposed."""
        doc = self.document
        for cid in self.window_.diagram.selected_ids():
            if cid in doc.components:
                return cid, _tr("selected on the canvas")
        current = self.pages["responsibilities"].current_id()
        if current in doc.responsibilities:
            return doc.responsibilities[current].owner, _tr("owner of the current row")
        controllers = [c.id for c in doc.components.values() if c.kind == ComponentKind.CONTROLLER]
        if controllers:
            return controllers[0], _tr("the first controller")
        return next(iter(doc.components), ""), _tr("the first component")

    def _default_action(self) -> tuple[str, str]:
        """The control action to propose for a new UCA, and why it is proposed."""
        doc = self.document
        current = self.pages["ucas"].current_id()
        if current in doc.ucas:
            return doc.ucas[current].action, _tr("action of the current row")
        actions = control_actions(doc)
        selected = set(self.window_.diagram.selected_ids())
        for action in actions:
            if action.link in selected or action.controller in selected:
                return action.id, _tr("selected on the canvas")
        return (actions[0].id, _tr("the first control action")) if actions else ("", "")

    def _action_label(self, action_id: str) -> str:
        return next((a.label for a in control_actions(self.document) if a.id == action_id), "")

    def add_sub_hazard(self) -> None:
        """Add a sub-hazard under the selected hazard (traced to the same losses)."""
        page = self.pages["hazards"]
        parent = page.current_id()
        if parent not in self.document.hazards:
            self.show_error(_tr("Select the hazard to refine first."))
            return
        losses = self.document.hazards[parent].losses
        self._added("hazards", Hazard(text=_tr("New sub-hazard"), parent=parent, losses=losses))

    def delete_selected(self) -> None:
        """Delete the selected records (and what depends on them) as one undo step."""
        page = self.current_page()
        if page is None:
            if self.tabs.currentWidget() is self.context:
                self.context.delete_rule()
            return
        ids = page.selected_ids() or ([page.current_id()] if page.current_id() else [])
        if ids:
            self.try_edit(lambda: self.document.remove(*ids))

    def move_selected(self, step: int) -> None:
        """Move the current record one place up (-1) or down (1) in its table."""
        page = self.current_page()
        if page is None:
            return
        record_id = page.current_id()
        doc = self.document
        if not record_id:
            return
        if isinstance(page.model, HazardTreeModel):
            siblings = page.model.siblings(record_id)
            position = siblings.index(record_id) + step
            if not 0 <= position < len(siblings):
                return
            target = doc.index_of(siblings[position])
        else:
            target = doc.index_of(record_id) + step
            if not 0 <= target < len(doc.table(page.table)):
                return
        if self.try_edit(lambda: doc.move(record_id, target)):
            page.select(record_id)

    # --- linking -----------------------------------------------------------------------------
    def link_selected(self) -> None:
        """Open the picker for the current record's main references."""
        page = self.current_page()
        key = self.current_key()
        if page is None or key not in LINK_FIELD:
            return
        record_id = page.current_id()
        if not record_id:
            self.show_error(_tr("Select a record first."))
            return
        self.pick_references(record_id, LINK_FIELD[key])

    def candidates(self, record_id: str, field: str) -> list[tuple[str, str]]:
        """(id, label) of the records ``field`` of ``record_id`` may refer to."""
        doc = self.document
        if field == "losses":
            ids = list(doc.losses)
        elif field in ("hazards", "parent"):
            ids = list(doc.hazards)
            if field == "parent":
                below = {record_id}
                changed = True
                while changed:
                    changed = False
                    for h in doc.hazards.values():
                        if h.parent in below and h.id not in below:
                            below.add(h.id)
                            changed = True
                ids = [i for i in ids if i not in below]
        elif field == "constraints":
            ids = list(doc.constraints)
        elif field == "scenarios":
            ids = list(doc.scenarios)
        elif field == "ucas":
            labels = choice_labels("type")
            result = []
            for uca in doc.ucas.values():
                found = doc.control_action(uca.action)
                where = f"{doc.components[found[0].source].name} {found[1].name}" if found else ""
                text = f"{uca.id}: {where} — {labels[uca.type.value].lower()} — {uca.context}"
                result.append((uca.id, text))
            return result
        elif field in ("owner", "processes"):
            return [(c.id, f"{c.id}: {c.name}") for c in doc.components.values()]
        elif field == "action":
            return [(a.id, f"{a.id}: {a.label}") for a in control_actions(doc)]
        elif field == "ucas+hazards":
            return self.candidates(record_id, "ucas") + self.candidates(record_id, "hazards")
        else:
            return []
        return [(i, summary(doc, i)) for i in ids]

    def pick_references(self, record_id: str, field: str) -> ReferencePicker | None:
        """Open the picker for ``field`` of ``record_id``; the choice is one undo step."""
        doc = self.document
        record = doc.get(record_id)
        if record is None:
            return None
        single = field in SINGLE_REFERENCES
        if field == "ucas+hazards":
            checked = [*getattr(record, "ucas", ()), *getattr(record, "hazards", ())]
        else:
            value = getattr(record, field, None)
            checked = [value] if isinstance(value, str) else list(value or ())
        titles = {
            "losses": _tr("Losses of {0}"),
            "hazards": _tr("Hazards of {0}"),
            "parent": _tr("Parent hazard of {0}"),
            "constraints": _tr("Constraints of {0}"),
            "scenarios": _tr("Loss scenarios {0} answers"),
            "processes": _tr("Processes {0} concerns"),
            "ucas": _tr("UCAs of {0}"),
            "owner": _tr("Owner of {0}"),
            "action": _tr("Control action of {0}"),
            "ucas+hazards": _tr("UCAs and hazards of {0}"),
        }

        def chosen(ids: list[str]) -> None:
            self.apply_references(record_id, field, ids)

        if self.picker is not None and shiboken6.isValid(self.picker):
            self.picker.close()
        self.picker = ReferencePicker(
            self,
            titles[field].format(record_id),
            self.candidates(record_id, field),
            checked,
            chosen,
            single,
        )
        self.picker.show()
        return self.picker

    def apply_references(self, record_id: str, field: str, ids: list[str]) -> bool:
        """Set ``field`` of ``record_id`` to ``ids`` (one undo step)."""
        doc = self.document
        if field in ("owner", "action"):
            if not ids:
                self.show_error(_tr("{0} needs one; nothing was changed.").format(record_id))
                return False
            changes: dict[str, Any] = {field: ids[0]}
        elif field == "parent":
            changes = {"parent": ids[0] if ids else None}
        elif field == "ucas+hazards":
            changes = {
                "ucas": tuple(i for i in ids if i in doc.ucas),
                "hazards": tuple(i for i in ids if i in doc.hazards),
            }
        else:
            changes = {field: tuple(ids)}
        return self.try_edit(lambda: doc.update(record_id, **changes))

    # --- the UCA table -------------------------------------------------------------------------
    def add_uca_here(self) -> None:
        """Add a UCA of the current cell's type and control action, then edit its context."""
        action, kind, _ids = self.uca_table.current()
        if not action or kind is None:
            self.show_error(_tr("Select a cell of the UCA table (a control action and a type)."))
            return
        made: list[UnsafeControlAction] = []
        # written by the analyst, a UCA is a decision: accepted, not a draft to review
        record = UnsafeControlAction(action=action, type=kind, status=UCAStatus.ACCEPTED)
        if self.try_edit(lambda: made.append(self.document.add(record))):
            self.show_tab("ucas")
            self.pages["ucas"].select(made[0].id, edit="context")

    def mark_not_applicable(self) -> QInputDialog | None:
        """Ask why the current cell's UCA type does not apply, then record it as a UCA with
        status not applicable and that rationale (an empty rationale is refused)."""
        action, kind, _ids = self.uca_table.current()
        if not action or kind is None:
            self.show_error(_tr("Select a cell of the UCA table (a control action and a type)."))
            return None
        dialog = QInputDialog(self)
        dialog.setObjectName("stpa.na_rationale")
        dialog.setWindowTitle(_tr("Not applicable"))
        dialog.setLabelText(
            _tr("Why is “{0}” not applicable to {1}?").format(
                choice_labels("type")[kind.value], action
            )
        )
        dialog.setInputMode(QInputDialog.InputMode.TextInput)

        def chosen(text: str) -> None:
            record = UnsafeControlAction(
                action=action,
                type=kind,
                status=UCAStatus.NOT_APPLICABLE,
                rationale=text.strip(),
            )
            self.try_edit(lambda: self.document.add(record))

        dialog.textValueSelected.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.na_dialog = dialog
        dialog.open()
        return dialog
