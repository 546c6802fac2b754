"""The responsibility matrix and accountability chains: views of the responsibility analysis.

Both show data a plugin contributes through the ``stipa_views`` hook (views of the kinds
``responsibility_matrix``, ``human_roles`` and ``accountability_chain``, see
``stipa.plugin.VIEW_KINDS``): the built-in responsibility plugin, or an in-house
replacement. ``stipa`` never imports ``stipa_builtins`` and never reaches into a plugin
module. Without such a plugin the actions are disabled and say why.

* **Responsibility matrix** (``action.responsibility_matrix``): controllers x system-level
  constraints with R/A/C/I, a table view over a model (no widget per cell), and a second tab
  with, per person, the responsibility carried against the control and feedback held.
* **Accountability chain** (``action.accountability_chain``): pick a loss, see the tree
  loss -> hazards -> constraints -> responsibilities -> controllers -> ... up to the
  organisations and regulators that answer for it; the chain is highlighted on the canvas
  (breaks in the error colour) until the view closes.
"""

from __future__ import annotations

import textwrap
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from stipa.model import DocumentView
from stipa.plugin import PluginView
from stipa.ui.actions import make_action
from stipa.ui.following import DocumentFollower

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext

#: The analysis whose plugin (built in) contributes the views, named when none does.
ANALYSIS_ID = "stipa.responsibility"
#: Colours on the canvas: the chain (Okabe–Ito bluish green) and where it breaks (vermillion).
CHAIN_COLOUR = "#009E73"
BREAK_COLOUR = "#D55E00"
#: Cell tints of the matrix: Accountable, Responsible, Consulted or Informed (translucent).
_TINTS = {"A": "#0072B2", "R": "#009E73", "C": "#E69F00", "I": "#999999"}
#: Milliseconds to wait after an edit before the views compute again.
REFRESH_DELAY = 300

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResponsibilityView", text)


def _tint(letter: str) -> QColor:
    colour = QColor(_TINTS[letter])
    colour.setAlpha(70)
    return colour


class Provider:
    """The views plugins contribute through ``stipa_views``, by kind, called safely.

    A failure of the plugin is recorded against it in the host (plugins panel) and raised
    as :class:`ProviderError` with one readable sentence.
    """

    def __init__(self, window: PanelContext) -> None:
        self.host = window.host

    def view(self, kind: str) -> PluginView | None:
        """The first view of ``kind`` a plugin contributes, or None."""
        views = self.host.views_of(kind)
        return views[0] if views else None

    def has(self, kind: str) -> bool:
        """Whether a plugin contributes a view of ``kind``."""
        return self.view(kind) is not None

    def call(self, kind: str, *args: object) -> Any:
        """Compute the data of the view of ``kind``; failures become :class:`ProviderError`."""
        view = self.view(kind)
        if view is None:
            raise ProviderError(
                _tr("No installed plugin provides {0} (the {1} analysis).").format(
                    kind, ANALYSIS_ID
                )
            )
        try:
            return view.compute(*args)
        except Exception as error:
            plugin = self.host.plugin_name(view)
            message = f"{type(error).__name__}: {error}"
            self.host.record_failure(plugin, kind, message, traceback.format_exc())
            raise ProviderError(
                _tr("The {0} plugin failed: {1}").format(plugin, message)
            ) from error


class ProviderError(Exception):
    """The responsibility data could not be computed; the message says why."""


# --- the matrix --------------------------------------------------------------------------------


#: A matrix column's header: its constraint's first words, this many characters in lines of
#: this many (the whole text is in its tooltip).
HEADER_CHARS = 60
HEADER_LINE = 20


class MatrixModel(QAbstractTableModel):
    """Controllers (rows) x system-level constraints (columns), cells ``R/A/C/I``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.columns: list[dict[str, Any]] = []
        self.cells: dict[str, dict[str, dict[str, Any]]] = {}
        self.texts: dict[str, str] = {}

    def set_matrix(self, matrix: dict[str, Any], texts: dict[str, str]) -> None:
        """Show ``responsibility_matrix``'s result; ``texts`` maps responsibility ids to text."""
        self.beginResetModel()
        self.rows = list(matrix.get("rows", []))
        self.columns = list(matrix.get("columns", []))
        self.cells = dict(matrix.get("cells", {}))
        self.texts = texts
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def cell(self, row: int, column: int) -> dict[str, Any] | None:
        """The cell's data, or None when the controller holds nothing for the constraint."""
        found: dict[str, Any] | None = self.cells.get(self.rows[row]["id"], {}).get(
            self.columns[column]["id"]
        )
        return found

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.cell(index.row(), index.column())
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell["label"] if cell else ""
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if cell and cell["roles"]:
                return QBrush(_tint(cell["roles"][0] if "A" not in cell["roles"] else "A"))
            if not column.get("assigned", True):
                colour = QColor(BREAK_COLOUR)
                colour.setAlpha(28)
                return QBrush(colour)
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            row = self.rows[index.row()]
            head = f"{row['name']} — {column['id']}"
            if not cell:
                return _tr("{0}: no role").format(head)
            lines = [f"{head}: {cell['label']}"]
            lines += [
                f"{rid} {self.texts.get(rid, '')}".strip() for rid in cell["responsibilities"]
            ]
            return "\n".join(lines)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:  # the constraint's id over its first words
                words = textwrap.shorten(str(column.get("text", "")), HEADER_CHARS, placeholder="…")
                lines = textwrap.wrap(words, HEADER_LINE)
                return "\n".join([column["id"], *lines])
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = f"{column['id']} {column['text']}"
                if not column.get("assigned", True):
                    tip += "\n" + _tr("No one is Responsible or Accountable for it.")
                return tip
            if role == Qt.ItemDataRole.ForegroundRole and not column.get("assigned", True):
                return QBrush(QColor(BREAK_COLOUR))
            return None
        if not 0 <= section < len(self.rows):
            return None
        row = self.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return row["name"] or row["id"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row['id']} · {row['nature']} · {row['kind']}"
        return None


def _role(person: dict[str, Any]) -> str:
    role = str(person["role"])
    if person["lay_user"] and "lay" not in role.lower():
        role = f"{role} ({_tr('lay user')})" if role else _tr("lay user")
    return role


#: Columns of the people table: (title, how to show a ``human_roles`` entry).
_PEOPLE_COLUMNS: tuple[tuple[str, Callable[[dict[str, Any], Callable[[str], str]], str]], ...] = (
    ("Person", lambda p, n: str(p["name"])),
    ("Role", lambda p, n: _role(p)),
    ("Responsibilities", lambda p, n: str(len(p["responsibilities"]))),
    ("Catching automation", lambda p, n: ", ".join(n(a) for a in p["automation"])),
    ("Control actions", lambda p, n: str(p["control_actions"])),
    ("Feedback from", lambda p, n: str(len(p["feedback_from"]))),
    ("Feedback on automation", lambda p, n: str(p["means"].get("feedback", ""))),
    ("Uncertainty shown", lambda p, n: str(p["means"].get("uncertainty", ""))),
    ("Override or stop", lambda p, n: str(p["means"].get("override", ""))),
    ("Training", lambda p, n: str(p["training"] or "not stated")),
    ("Time to act", lambda p, n: str(p["time_to_act"] or "not stated")),
    ("Missing means", lambda p, n: ", ".join(p["missing"])),
)


class PeopleModel(QAbstractTableModel):
    """Per person: responsibility carried for catching automation against control held."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people: list[dict[str, Any]] = []
        self.names: dict[str, str] = {}

    def set_people(self, people: list[dict[str, Any]], names: dict[str, str]) -> None:
        """Show ``human_roles``'s result; ``names`` maps component ids to names."""
        self.beginResetModel()
        self.people = list(people)
        self.names = names
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_PEOPLE_COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person = self.people[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            show = _PEOPLE_COLUMNS[index.column()][1]
            return show(person, lambda cid: self.names.get(cid, cid))
        if role == Qt.ItemDataRole.BackgroundRole and person["missing"] and index.column() == 0:
            colour = QColor(BREAK_COLOUR)
            colour.setAlpha(50)
            return QBrush(colour)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(_PEOPLE_COLUMNS):
            return _tr(_PEOPLE_COLUMNS[section][0])
        return section + 1 if orientation == Qt.Orientation.Vertical else None


class _LiveView(QDialog):
    """A non-modal view of a window's document that computes again shortly after edits."""

    def __init__(self, window: PanelContext, provider: Provider) -> None:
        super().__init__(window.window())
        self.window_ = window
        self.provider = provider
        self.setModal(False)
        self.follower = DocumentFollower(
            self, window, self._changed, self._document_replaced, start=False
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY)
        self._timer.timeout.connect(self.refresh)
        self.message = QLabel()
        self.message.setObjectName("responsibility.message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.finished.connect(self._stop_listening)

    @property
    def view(self) -> DocumentView:
        """The document shown (read only)."""
        return self.window_.document

    def showEvent(self, event: Any) -> None:
        self._listen()
        self.refresh()
        super().showEvent(event)

    def _listen(self) -> None:
        self.follower.start()

    def _changed(self, event: object) -> None:
        try:
            self._timer.start()
        except RuntimeError:  # the view is gone (its window closed): stop listening
            self.follower.stop()

    def _stop_listening(self) -> None:
        self.follower.stop()
        self._timer.stop()

    def _document_replaced(self) -> None:
        if self.isVisible():
            self._listen()
            self.refresh()

    def show_message(self, text: str) -> None:
        """Show ``text`` above the view (empty hides it)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def refresh(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class ResponsibilityMatrixDialog(_LiveView):
    """Controllers x system-level constraints with R/A/C/I, and the people table."""

    def __init__(self, window: PanelContext, provider: Provider) -> None:
        super().__init__(window, provider)
        self.setObjectName("dialog.responsibility_matrix")
        self.setWindowTitle(_tr("Responsibility Matrix"))
        self.setAccessibleName(_tr("Responsibility matrix"))
        self.resize(820, 520)
        self.matrix_model = MatrixModel(self)
        self.table = QTableView()
        self.table.setObjectName("responsibilityMatrix")
        self.table.setAccessibleName(_tr("Controllers by system-level constraints"))
        self.table.setModel(self.matrix_model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setDefaultSectionSize(150)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        )
        self.table.doubleClicked.connect(self._select_row_component)
        self.people_model = PeopleModel(self)
        self.people = QTableView()
        self.people.setObjectName("humanRoles")
        self.people.setAccessibleName(_tr("Responsibility and control of each person"))
        self.people.setModel(self.people_model)
        self.people.doubleClicked.connect(self._select_person)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("responsibility.tabs")
        self.tabs.addTab(
            _with_note(
                self.table,
                _tr(
                    "R Responsible · A Accountable · C Consulted · I Informed. The owner of a "
                    "responsibility counts as Responsible unless roles are entered for it. "
                    "Constraints in red have no one Responsible or Accountable."
                ),
            ),
            _tr("&Matrix"),
        )
        self.tabs.addTab(
            _with_note(
                self.people,
                _tr(
                    "Each person's responsibility for catching failures of automation against "
                    "the means to do it: feedback on the automation's state and uncertainty, "
                    "an override or stop action, training and time to act. Missing means make "
                    "a moral crumple zone (Elish 2019)."
                ),
            ),
            _tr("&People"),
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

    def refresh(self) -> None:
        """Compute the matrix and the people table again from the document."""
        view = self.view
        try:
            matrix = self.provider.call("responsibility_matrix", view)
            people = (
                self.provider.call("human_roles", view) if self.provider.has("human_roles") else []
            )
        except ProviderError as error:
            self.show_message(str(error))
            self.matrix_model.set_matrix({}, {})
            self.people_model.set_people([], {})
            return
        texts = {rid: r.text for rid, r in view.responsibilities.items()}
        self.matrix_model.set_matrix(matrix, texts)
        self.people_model.set_people(people, {cid: c.name for cid, c in view.components.items()})
        self.people.resizeColumnsToContents()
        if not matrix.get("columns"):
            self.show_message(_tr("The analysis has no system-level constraints yet."))
        else:
            self.show_message("")

    def _select_row_component(self, index: QModelIndex) -> None:
        if index.isValid():
            _select_on_canvas(self.window_, self.matrix_model.rows[index.row()]["id"])

    def _select_person(self, index: QModelIndex) -> None:
        if index.isValid():
            _select_on_canvas(self.window_, self.people_model.people[index.row()]["id"])


# --- the accountability chain ------------------------------------------------------------------

#: Data roles of the chain tree's items.
ID_ROLE = Qt.ItemDataRole.UserRole + 1
TYPE_ROLE = Qt.ItemDataRole.UserRole + 2
_TYPE_LABELS = {
    "loss": "Loss",
    "hazard": "Hazard",
    "constraint": "Constraint",
    "responsibility": "Responsibility",
    "component": "Controller",
}


class AccountabilityChainDialog(_LiveView):
    """A loss picker and the tree of its accountability chain, highlighted on the canvas."""

    def __init__(self, window: PanelContext, provider: Provider) -> None:
        super().__init__(window, provider)
        self.setObjectName("dialog.accountability_chain")
        self.setWindowTitle(_tr("Accountability Chain"))
        self.setAccessibleName(_tr("Accountability chain"))
        self.resize(760, 520)
        self.loss_box = QComboBox()
        self.loss_box.setObjectName("chainLoss")
        self.loss_box.setAccessibleName(_tr("Loss"))
        self.loss_box.setToolTip(_tr("The loss whose accountability chain is shown"))
        self.loss_box.currentIndexChanged.connect(lambda _index: self.show_chain())
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels([_tr("Element"), _tr("Where it breaks")])
        self.tree = QTreeView()
        self.tree.setObjectName("chainTree")
        self.tree.setAccessibleName(_tr("Accountability chain of the loss"))
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setWordWrap(True)  # long hazard and constraint texts wrap in a wide column
        self.tree.setUniformRowHeights(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 240)
        self.tree.clicked.connect(self._select_item)
        self.summary = QLabel()
        self.summary.setObjectName("chainSummary")
        self.summary.setWordWrap(True)
        #: The chain shown: ``accountability_chain``'s result, or None.
        self.chain: dict[str, Any] | None = None
        #: What this view marked on the canvas: ("components" or "links", id).
        self._highlighted: list[tuple[str, str]] = []
        picker = QHBoxLayout()
        label = QLabel(_tr("&Loss:"))
        label.setBuddy(self.loss_box)
        picker.addWidget(label)
        picker.addWidget(self.loss_box, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(picker)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.finished.connect(self.clear_highlight)

    # --- losses ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Fill the loss picker again (keeping the loss shown) and show its chain."""
        current = self.loss_box.currentData()
        self.loss_box.blockSignals(True)
        self.loss_box.clear()
        for loss in self.view.losses.values():
            self.loss_box.addItem(f"{loss.id} {loss.text}", loss.id)
            self.loss_box.setItemData(
                self.loss_box.count() - 1, loss.text, Qt.ItemDataRole.ToolTipRole
            )
        position = self.loss_box.findData(current) if current is not None else -1
        self.loss_box.setCurrentIndex(max(position, 0) if self.loss_box.count() else -1)
        self.loss_box.blockSignals(False)
        self.show_chain()

    def select_loss(self, loss_id: str) -> None:
        """Show the chain of ``loss_id``."""
        position = self.loss_box.findData(loss_id)
        if position >= 0:
            self.loss_box.setCurrentIndex(position)

    def show_chain(self) -> None:
        """Compute and show the chain of the loss picked, and highlight it on the canvas."""
        self.clear_highlight()
        self.model.removeRows(0, self.model.rowCount())
        self.chain = None
        loss_id = self.loss_box.currentData()
        if loss_id is None:
            self.summary.setText(_tr("The analysis has no losses yet."))
            return
        try:
            chain = self.provider.call("accountability_chain", self.view, str(loss_id))
        except ProviderError as error:
            self.show_message(str(error))
            self.summary.setText("")
            return
        self.show_message("")
        self.chain = chain
        self.model.appendRow(self._row(chain))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        widest = int(self.tree.viewport().width() * 0.62)
        if self.tree.columnWidth(0) > widest > 0:
            self.tree.setColumnWidth(0, widest)
        breaks = chain.get("breaks", [])
        if breaks:
            self.summary.setText(
                _tr("The chain breaks: {0}.").format("; ".join(str(b[1]) for b in breaks))
            )
        else:
            self.summary.setText(
                _tr("The chain holds: every hazard reaches an organisation or regulator.")
            )
        self.highlight(chain)

    def hideEvent(self, event: Any) -> None:
        self.clear_highlight()  # shown again, the chain is computed and highlighted anew
        super().hideEvent(event)

    def _row(self, node: dict[str, Any]) -> list[QStandardItem]:
        kind = str(node.get("type", ""))
        text = f"{_tr(_TYPE_LABELS.get(kind, kind))}: {node.get('label', '')}"
        if node.get("repeat"):
            text += " " + _tr("(shown above)")
        item = QStandardItem(text)
        item.setData(str(node.get("id", "")), ID_ROLE)
        item.setData(kind, TYPE_ROLE)
        item.setToolTip(text)
        status = QStandardItem(str(node.get("break", "")))
        status.setToolTip(str(node.get("break", "")))
        if node.get("break"):
            brush = QBrush(QColor(BREAK_COLOUR))
            item.setForeground(brush)
            status.setForeground(brush)
        elif not node.get("holds", True):
            item.setForeground(QBrush(QColor(BREAK_COLOUR)))
        for child in node.get("children", []):
            item.appendRow(self._row(child))
        return [item, status]

    # --- the canvas ----------------------------------------------------------------------------
    def highlight(self, chain: dict[str, Any]) -> None:
        """Mark the chain's components and links on the canvas; breaks in the error colour."""
        self.clear_highlight()
        diagram = self.window_.diagram
        broken = set()

        def walk(node: dict[str, Any]) -> None:
            if node.get("type") == "component" and node.get("break"):
                broken.add(node.get("id"))
            for child in node.get("children", []):
                walk(child)

        walk(chain)
        marks = chain.get("highlight", {})
        for cid in marks.get("components", []):
            item = diagram.components.get(cid)
            if item is not None:
                item.highlight = QColor(BREAK_COLOUR if cid in broken else CHAIN_COLOUR)
                item.update()
                self._highlighted.append(("components", cid))
        for lid in marks.get("links", []):
            link = diagram.links.get(lid)
            if link is not None:
                link.highlight = QColor(CHAIN_COLOUR)
                link.update()
                self._highlighted.append(("links", lid))

    def clear_highlight(self) -> None:
        """Remove this view's marks from the canvas (items deleted since are skipped)."""
        diagram = self.window_.diagram
        for table, record_id in self._highlighted:
            items: dict[str, Any] = getattr(diagram, table)
            item = items.get(record_id)
            if item is not None:
                item.highlight = None
                item.update()
        self._highlighted = []

    def _select_item(self, index: QModelIndex) -> None:
        first = index.siblingAtColumn(0)
        record_id = str(first.data(ID_ROLE) or "")
        if first.data(TYPE_ROLE) == "component":
            _select_on_canvas(self.window_, record_id)
        elif first.data(TYPE_ROLE) == "responsibility":
            resp = self.view.responsibilities.get(record_id)
            if resp is not None:
                _select_on_canvas(self.window_, resp.owner)


def _with_note(view: QWidget, note: str) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(view, 1)
    label = QLabel(note)
    label.setWordWrap(True)
    layout.addWidget(label)
    return page


def _select_on_canvas(window: PanelContext, component_id: str) -> None:
    item = window.diagram.components.get(component_id)
    if item is not None:
        window.diagram.select_ids([component_id])
        window.view.ensureVisible(item)


# --- installation ------------------------------------------------------------------------------


class ResponsibilityViews:
    """The two actions of a window and the views they open (made on first use).

    The window puts :attr:`actions_by_name` into its Analysis menu.
    """

    def __init__(self, window: PanelContext) -> None:
        self.window = window
        self.provider = Provider(window)
        self.matrix_dialog: ResponsibilityMatrixDialog | None = None
        self.chain_dialog: AccountabilityChainDialog | None = None
        self.matrix_action = self._action(
            "responsibility_matrix",
            _tr("Responsibility &Matrix…"),
            _tr(
                "Controllers by system-level constraints with R/A/C/I, and per person the "
                "responsibility carried against the control held"
            ),
            self.open_matrix,
            "responsibility_matrix",
        )
        self.chain_action = self._action(
            "accountability_chain",
            _tr("Accountability &Chain…"),
            _tr(
                "Trace a loss to the organisations and regulators that answer for it, "
                "highlighted on the diagram"
            ),
            self.open_chain,
            "accountability_chain",
        )
        self.actions_by_name = {
            "responsibility_matrix": self.matrix_action,
            "accountability_chain": self.chain_action,
        }

    def _action(
        self, name: str, text: str, tooltip: str, slot: Callable[[], object], needs: str
    ) -> QAction:
        action = make_action(self.window.window(), name, text, tooltip, slot)
        if not self.provider.has(needs):
            action.setEnabled(False)
            action.setToolTip(_tr("Needs a plugin providing the {0} analysis").format(ANALYSIS_ID))
        return action

    def open_matrix(self) -> ResponsibilityMatrixDialog:
        """Show the responsibility matrix (one per window)."""
        if self.matrix_dialog is None:
            self.matrix_dialog = ResponsibilityMatrixDialog(self.window, self.provider)
        _present(self.matrix_dialog)
        return self.matrix_dialog

    def open_chain(self) -> AccountabilityChainDialog:
        """Show the accountability chain view (one per window)."""
        if self.chain_dialog is None:
            self.chain_dialog = AccountabilityChainDialog(self.window, self.provider)
        _present(self.chain_dialog)
        return self.chain_dialog


def _present(dialog: QDialog) -> None:
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
