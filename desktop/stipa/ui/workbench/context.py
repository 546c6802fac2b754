"""Process models and context tables (Thomas 2013) of the STPA workbench.

A control action's context table has one row per combination of its controller's
process-model variable values: the product of the domain sizes, which reaches tens of
thousands of rows quickly (10 variables of 3 values: 59,049). So nothing is materialised:

* :class:`stipa.model.context.ContextGrid` (no Qt, shared with the hazards analysis through
  :class:`stipa.ContextTable`) decodes a row number into values, the last variable changing
  fastest; each rule is compiled once into a predicate, and the rules matching a row are
  cached for the rows that are painted;
* :class:`ContextTableModel` answers ``data()`` from the index alone;
* a rule fixing k of n variables ("don't care" for the rest) decides every row it matches;
  where rules of one type overlap, the most specific one decides, and equally specific rules
  that disagree show as a conflict.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QSignalBlocker,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stipa.export.tables import control_actions
from stipa.model import (
    Component,
    Condition,
    ContextRule,
    Document,
    ProcessVariable,
    UCAType,
)
from stipa.model.context import ContextGrid
from stipa.ui.workbench.models import HIGHLIGHT, ID_ROLE, AnyIndex

if TYPE_CHECKING:
    from stipa.ui.workbench.dock import StpaDock

#: Cell colours of decided rows (translucent: they work on light and dark palettes).
HAZARDOUS = QColor(229, 57, 53, 70)
SAFE = QColor(67, 160, 71, 60)
CONFLICT = QColor(142, 36, 170, 90)
#: The decisions the table shows and edits, by rule type.
DECISION_TYPES = (UCAType.PROVIDED, UCAType.NOT_PROVIDED)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workbench", text)


# --- Qt models ----------------------------------------------------------------------------------


class ContextTableModel(QAbstractTableModel):
    """A lazy context table: every cell is computed from its row number."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid = ContextGrid((), ())
        self.highlight_rule = ""
        self.edit: Callable[[list[int], UCAType, str], object] | None = None
        self._italic = QFont()
        self._italic.setItalic(True)

    @property
    def variable_count(self) -> int:
        """How many columns hold variable values."""
        return len(self.grid.variables)

    def decision_type(self, column: int) -> UCAType | None:
        """The rule type of a decision column, None for the others."""
        offset = column - self.variable_count
        return DECISION_TYPES[offset] if 0 <= offset < len(DECISION_TYPES) else None

    def set_grid(self, grid: ContextGrid) -> None:
        """Show another grid: a reset when the variables changed, else a repaint."""
        same_shape = [(v.id, v.values) for v in grid.variables] == [
            (v.id, v.values) for v in self.grid.variables
        ] and grid.size == self.grid.size
        if not same_shape:
            self.beginResetModel()
            self.grid = grid
            self.endResetModel()
            return
        self.grid = grid
        if grid.size:
            first = self.variable_count
            self.dataChanged.emit(
                self.index(0, first), self.index(grid.size - 1, self.columnCount() - 1)
            )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.grid.variables else self.grid.size

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.variable_count + len(DECISION_TYPES) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        if section < self.variable_count:
            return self.grid.variables[section].name
        kind = self.decision_type(section)
        if kind == UCAType.PROVIDED:
            return _tr("Hazardous if provided?")
        if kind == UCAType.NOT_PROVIDED:
            return _tr("Hazardous if not provided?")
        return _tr("Rules")

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.decision_type(index.column()) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        grid = self.grid
        if column < self.variable_count:
            if role == Qt.ItemDataRole.DisplayRole:
                variable = grid.variables[column]
                return variable.values[(row // grid.weights[column]) % grid.radices[column]]
            if role == Qt.ItemDataRole.BackgroundRole and self.highlight_rule:
                return QBrush(HIGHLIGHT) if grid.covers(self.highlight_rule, row) else None
            return None
        kind = self.decision_type(column)
        if kind is None:  # the rules column
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return ", ".join(rule.id for rule in grid.matching(row))
            return None
        decision = grid.decision(row, kind)
        rule = decision.rule
        if role == Qt.ItemDataRole.DisplayRole:
            if rule is None:
                return ""
            if decision.conflict:
                return _tr("conflict ({0})").format(rule.id)
            word = _tr("hazardous") if rule.hazardous else _tr("not hazardous")
            hazards = f" [{', '.join(rule.hazards)}]" if rule.hazards else ""
            return f"{word}{hazards} ({rule.id})"
        if role == Qt.ItemDataRole.EditRole:
            if rule is None:
                return ""
            return "hazardous" if rule.hazardous else "not hazardous"
        if role == Qt.ItemDataRole.BackgroundRole:
            if rule is None:
                return None
            if decision.conflict:
                return QBrush(CONFLICT)
            return QBrush(HAZARDOUS if rule.hazardous else SAFE)
        if role == Qt.ItemDataRole.FontRole:
            # decided by a rule with "don't care" values, not by a rule for this row alone
            if rule is not None and rule.specificity < self.variable_count:
                return self._italic
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if rule is None:
                return _tr("No rule decides this context; double-click to decide it.")
            exact = rule.specificity == self.variable_count
            return (
                _tr("Decided by {0} for this context only").format(rule.id)
                if exact
                else _tr("Decided by {0}, which leaves other variables as don't care").format(
                    rule.id
                )
            )
        if role == ID_ROLE:
            return rule.id if rule is not None else ""
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        kind = self.decision_type(index.column())
        if kind is None or self.edit is None or role != Qt.ItemDataRole.EditRole:
            return False
        self.edit([index.row()], kind, str(value))
        return True

    def set_highlight_rule(self, rule_id: str) -> None:
        """Tint the rows a rule covers."""
        if rule_id != self.highlight_rule:
            self.highlight_rule = rule_id
            if self.grid.size and self.variable_count:
                self.dataChanged.emit(
                    self.index(0, 0),
                    self.index(self.grid.size - 1, self.variable_count - 1),
                    [Qt.ItemDataRole.BackgroundRole],
                )


class DecisionDelegate(QStyledItemDelegate):
    """A combo box for a decision cell: undecided, hazardous, not hazardous."""

    CHOICES = ("", "hazardous", "not hazardous")

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("stpa.context.decision")
        labels = (_tr("Undecided"), _tr("Hazardous"), _tr("Not hazardous"))
        for value, label in zip(self.CHOICES, labels, strict=True):
            combo.addItem(label, value)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        if editor.currentData() != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class RulesModel(QAbstractTableModel):
    """The rules of one control action, with how many rows each stands for."""

    HEADERS = ("ID", "Type", "Context", "Hazardous", "Hazards", "Rows", "Rationale")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rules: list[ContextRule] = []
        self.grid = ContextGrid((), ())
        self.edit: Callable[[str, str], object] | None = None

    def set_rules(self, rules: list[ContextRule], grid: ContextGrid) -> None:
        """Show these rules."""
        self.beginResetModel()
        self.rules = rules
        self.grid = grid
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rules)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.HEADERS[section])
        return None

    def context_text(self, rule: ContextRule) -> str:
        """``"Aircraft state=takeoff roll; other variables: any"``."""
        names = {v.id: v.name for v in self.grid.variables}
        parts = [f"{names.get(c.variable, c.variable)}={c.value}" for c in rule.conditions]
        if len(parts) < len(self.grid.variables):
            parts.append(_tr("others: any") if parts else _tr("any context"))
        return "; ".join(parts)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rule = self.rules[index.row()]
        if role == ID_ROLE:
            return rule.id
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.EditRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        column = index.column()
        if column == 0:
            return rule.id
        if column == 1:
            return {
                UCAType.PROVIDED: _tr("provided"),
                UCAType.NOT_PROVIDED: _tr("not provided"),
                UCAType.TIMING: _tr("timing"),
                UCAType.DURATION: _tr("duration"),
            }[rule.type]
        if column == 2:
            return self.context_text(rule)
        if column == 3:
            return _tr("yes") if rule.hazardous else _tr("no")
        if column == 4:
            return ", ".join(rule.hazards)
        if column == 5:
            return f"{self.grid.count(rule.id):,}"
        return rule.rationale

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 6:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() != 6 or self.edit is None or role != Qt.ItemDataRole.EditRole:
            return False
        rule = self.rules[index.row()]
        if str(value) == rule.rationale:
            return False
        self.edit(rule.id, str(value))
        return True


class RuleEditor(QDialog):
    """Edit a rule's conditions ("any" = don't care), type, verdict and rationale."""

    def __init__(
        self,
        parent: QWidget,
        variables: Sequence[ProcessVariable],
        rule: ContextRule | None,
        done: Callable[[tuple[Condition, ...], UCAType, bool, str], object],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stpa.rule_editor")
        self.setWindowTitle(_tr("Context rule {0}").format(rule.id) if rule else _tr("New rule"))
        self._done = done
        layout = QVBoxLayout(self)
        form = QFormLayout()
        fixed = {c.variable: c.value for c in rule.conditions} if rule else {}
        self.combos: dict[str, QComboBox] = {}
        for variable in variables:
            combo = QComboBox()
            combo.setObjectName(f"stpa.rule_editor.{variable.id}")
            combo.setAccessibleName(variable.name)
            combo.addItem(_tr("any (don't care)"), "")
            for value in variable.values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(fixed.get(variable.id, ""))))
            form.addRow(variable.name, combo)
            self.combos[variable.id] = combo
        self.type = QComboBox()
        self.type.setObjectName("stpa.rule_editor.type")
        for kind, label in (
            (UCAType.PROVIDED, _tr("Provided")),
            (UCAType.NOT_PROVIDED, _tr("Not provided")),
            (UCAType.TIMING, _tr("Too early / too late")),
            (UCAType.DURATION, _tr("Stopped too soon / too long")),
        ):
            self.type.addItem(label, kind.value)
        self.type.setCurrentIndex(max(0, self.type.findData(rule.type.value if rule else "")))
        form.addRow(_tr("Type"), self.type)
        self.hazardous = QCheckBox(_tr("Hazardous in these contexts"))
        self.hazardous.setObjectName("stpa.rule_editor.hazardous")
        self.hazardous.setChecked(rule.hazardous if rule else True)
        form.addRow("", self.hazardous)
        self.rationale = QLineEdit(rule.rationale if rule else "")
        self.rationale.setObjectName("stpa.rule_editor.rationale")
        form.addRow(_tr("Rationale"), self.rationale)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.accepted.connect(self._accepted)
        self.finished.connect(self.deleteLater)

    def _accepted(self) -> None:
        conditions = tuple(
            Condition(variable=vid, value=combo.currentData())
            for vid, combo in self.combos.items()
            if combo.currentData()
        )
        self._done(
            conditions,
            UCAType(self.type.currentData()),
            self.hazardous.isChecked(),
            self.rationale.text().strip(),
        )


def _button(name: str, text: str, tooltip: str, slot: Callable[[], object]) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setToolTip(tooltip)
    button.setAccessibleName(tooltip)
    button.clicked.connect(lambda checked=False: slot())
    return button


class ContextPage(QWidget):
    """The context-table tab: a control action, its controller's process model, its table."""

    def __init__(self, dock: StpaDock) -> None:
        super().__init__()
        self.dock = dock
        self.action_id = ""
        #: The (text, id) entries the action box lists, to refill it only when they change.
        self._listed: list[tuple[str, str]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Control action")))
        self.action = QComboBox()
        self.action.setObjectName("stpa.context.action")
        self.action.setAccessibleName(_tr("Control action of the context table"))
        self.action.setToolTip(_tr("The control action whose contexts are listed"))
        self.action.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.action.setMinimumContentsLength(24)
        self.action.activated.connect(lambda _i: self.show_action(self.action.currentData()))
        top.addWidget(self.action, 1)
        layout.addLayout(top)

        # left: the process model and the rules; right: the (possibly huge) table
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("stpa.context.splitter")
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)

        variables_box = QGroupBox(_tr("Process model"))
        box = QVBoxLayout(variables_box)
        self.variables = QTableWidget(0, 2)
        self.variables.setObjectName("stpa.context.variables")
        self.variables.setAccessibleName(_tr("Process-model variables of the controller"))
        # titles as in the Properties panel: how to type the values is their title's tooltip
        values_title = QTableWidgetItem(_tr("Values"))
        values_title.setToolTip(_tr("Its values, separated by commas"))
        self.variables.setHorizontalHeaderItem(0, QTableWidgetItem(_tr("Variable")))
        self.variables.setHorizontalHeaderItem(1, values_title)
        self.variables.horizontalHeader().setStretchLastSection(True)
        self.variables.verticalHeader().hide()
        self.variables.setWordWrap(False)
        self.variables.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.variables.horizontalHeader().resizeSection(0, 140)
        self.variables.itemChanged.connect(lambda _item: self._commit_variables())
        box.addWidget(self.variables)
        row = QHBoxLayout()
        row.addWidget(
            _button(
                "stpa.context.add_variable",
                _tr("Add"),
                _tr("Add a process-model variable to the controller"),
                self.add_variable,
            )
        )
        row.addWidget(
            _button(
                "stpa.context.remove_variable",
                _tr("Remove"),
                _tr("Remove the selected variable (and the rules using it)"),
                self.remove_variable,
            )
        )
        row.addStretch(1)
        box.addLayout(row)
        upper_layout.addWidget(variables_box, 2)

        rules_box = QGroupBox(_tr("Rules"))
        box = QVBoxLayout(rules_box)
        self.rules_model = RulesModel(self)
        self.rules_model.edit = self._edit_rationale
        self.rules = QTableView()
        self.rules.setObjectName("stpa.context.rules")
        self.rules.setAccessibleName(_tr("Context rules of the control action"))
        self.rules.setModel(self.rules_model)
        self.rules.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rules.verticalHeader().hide()
        self.rules.horizontalHeader().setStretchLastSection(True)
        self.rules.setWordWrap(False)
        self.rules.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        for column, width in enumerate((50, 90, 200, 70, 90, 50)):
            self.rules.horizontalHeader().resizeSection(column, width)
        self.rules.doubleClicked.connect(self._rule_double_clicked)
        self.rules.selectionModel().currentRowChanged.connect(lambda *_a: self._rule_selected())
        box.addWidget(self.rules)
        row = QHBoxLayout()
        for name, text, tip, slot in (
            (
                "stpa.context.add_rule",
                _tr("Add rule…"),
                _tr("A rule over some variables; the others are don't care"),
                self.add_rule,
            ),
            ("stpa.context.edit_rule", _tr("Edit…"), _tr("Edit the selected rule"), self.edit_rule),
            (
                "stpa.context.rule_hazards",
                _tr("Hazards…"),
                _tr("Link the selected rule to hazards"),
                self.rule_hazards,
            ),
            (
                "stpa.context.delete_rule",
                _tr("Delete"),
                _tr("Delete the selected rule"),
                self.delete_rule,
            ),
        ):
            row.addWidget(_button(name, text, tip, slot))
        row.addStretch(1)
        box.addLayout(row)
        upper_layout.addWidget(rules_box, 3)
        # scrolls rather than forcing its height on the dock (the dock may be short)
        upper_scroll = QScrollArea()
        upper_scroll.setWidget(upper)
        upper_scroll.setWidgetResizable(True)
        upper_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        splitter.addWidget(upper_scroll)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setObjectName("stpa.context.summary")
        self.summary.setWordWrap(True)
        lower_layout.addWidget(self.summary)
        self.model = ContextTableModel(self)
        self.model.edit = self.decide
        self.table = QTableView()
        self.table.setObjectName("stpa.context.table")
        self.table.setAccessibleName(_tr("Context table"))
        self.table.setModel(self.model)
        self.table.setItemDelegate(DecisionDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(130)
        self.model.modelReset.connect(self._size_columns)
        header.setStretchLastSection(True)
        lower_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        for name, text, tip, kind, verdict in (
            (
                "stpa.context.hazardous_provided",
                _tr("Hazardous if provided"),
                _tr("Mark the selected contexts hazardous if the action is provided"),
                UCAType.PROVIDED,
                "hazardous",
            ),
            (
                "stpa.context.hazardous_not_provided",
                _tr("Hazardous if not provided"),
                _tr("Mark the selected contexts hazardous if the action is not provided"),
                UCAType.NOT_PROVIDED,
                "hazardous",
            ),
            (
                "stpa.context.safe",
                _tr("Not hazardous"),
                _tr("Mark the selected decision cells not hazardous"),
                None,
                "not hazardous",
            ),
            (
                "stpa.context.clear",
                _tr("Clear"),
                _tr("Remove the per-context rules of the selected decision cells"),
                None,
                "",
            ),
        ):
            row.addWidget(
                _button(name, text, tip, functools.partial(self.mark_selected, kind, verdict))
            )
        row.addStretch(1)
        lower_layout.addLayout(row)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 780])
        layout.addWidget(splitter, 1)
        self._variables_shown: tuple[tuple[str, str, str], ...] | None = None

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        for column in range(self.model.columnCount()):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            if self.model.decision_type(column) is not None:
                width = max(150, metrics.horizontalAdvance(title) + 24)
            elif column < self.model.variable_count:
                variable = self.model.grid.variables[column]
                longest = max([title, *variable.values], key=metrics.horizontalAdvance)
                width = min(220, metrics.horizontalAdvance(longest) + 24)
            else:
                width = 120
            header.resizeSection(column, width)

    # --- following the document ------------------------------------------------------------
    @property
    def document(self) -> Document:
        return self.dock.document

    def controller(self) -> Component | None:
        """The controller of the shown control action."""
        found = self.document.control_action(self.action_id)
        return self.document.components.get(found[0].source) if found else None

    def refresh(self) -> None:
        """Re-read actions, variables and rules from the document."""
        actions = control_actions(self.document)
        blocker = QSignalBlocker(self.action)
        current = self.action_id
        listed = [(f"{action.label} ({action.id})", action.id) for action in actions]
        if listed != self._listed:
            # refilled only when the actions changed: a big model lists thousands, and every
            # edit (an import of losses, too) comes here
            self._listed = listed
            self.action.clear()
            for text, action_id in listed:
                self.action.addItem(text, action_id)
        ids = [a.id for a in actions]
        if current not in ids:
            current = next((i for i in ids if self._has_rules(i)), ids[0] if ids else "")
        self.action.setCurrentIndex(max(0, self.action.findData(current)))
        blocker.unblock()
        self.show_action(current, force=False)

    def _has_rules(self, action_id: str) -> bool:
        return any(r.action == action_id for r in self.document.context_rules.values())

    def show_action(self, action_id: str, force: bool = True) -> None:
        """Show the context table of ``action_id``."""
        self.action_id = action_id or ""
        controller = self.controller()
        variables = controller.variables if controller is not None else ()
        rules = [r for r in self.document.context_rules.values() if r.action == self.action_id]
        grid = ContextGrid(variables, rules)
        self.model.set_grid(grid)
        self.rules_model.set_rules(rules, grid)
        self._fill_variables(variables, force)
        if controller is None:
            self.summary.setText(_tr("Draw a control action to build its context table."))
        elif not variables:
            self.summary.setText(
                _tr("{0} has no process-model variables yet: add them above.").format(
                    controller.name
                )
            )
        else:
            sizes = " × ".join(str(len(v.values)) for v in variables)
            self.summary.setText(
                _tr(
                    "{0:,} contexts ({1}) · {2} rules · italic: decided by a rule with "
                    "don't-care values"
                ).format(grid.size, sizes, len(rules))
            )

    def _fill_variables(self, variables: Sequence[ProcessVariable], force: bool) -> None:
        rows = tuple((v.id, v.name, ", ".join(v.values)) for v in variables)
        if rows == self._variables_shown and not force:
            return
        self._variables_shown = rows
        blocker = QSignalBlocker(self.variables)
        self.variables.setRowCount(len(rows))
        for i, (vid, name, values) in enumerate(rows):
            for column, text in ((0, name), (1, values)):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, vid)
                self.variables.setItem(i, column, item)
        blocker.unblock()

    # --- process model -------------------------------------------------------------------------
    def _commit_variables(self) -> None:
        controller = self.controller()
        if controller is None:
            return
        old = {v.id: v for v in controller.variables}
        result = []
        for row in range(self.variables.rowCount()):
            name_item, values_item = self.variables.item(row, 0), self.variables.item(row, 1)
            vid = name_item.data(ID_ROLE) if name_item is not None else ""
            name = name_item.text().strip() if name_item is not None else ""
            text = values_item.text() if values_item is not None else ""
            values = tuple(part.strip() for part in text.split(",") if part.strip())
            if vid in old:
                result.append(old[vid].replace(name=name, values=values))
            else:
                result.append(ProcessVariable(name=name, values=values))
        if tuple(result) == controller.variables:
            return
        cid = controller.id
        if not self.dock.try_edit(lambda: self.document.update(cid, variables=tuple(result))):
            self.show_action(self.action_id, force=True)

    def add_variable(self) -> None:
        """Add a variable with two placeholder values to the controller."""
        controller = self.controller()
        if controller is None:
            return
        taken = {v.name for v in controller.variables}
        name, number = _tr("variable"), 1
        while f"{name} {number}" in taken:
            number += 1
        new = ProcessVariable(name=f"{name} {number}", values=(_tr("value 1"), _tr("value 2")))
        cid = controller.id
        self.dock.try_edit(
            lambda: self.document.update(cid, variables=(*controller.variables, new))
        )

    def remove_variable(self) -> None:
        """Remove the current variable (the model removes the rules that use it)."""
        controller = self.controller()
        row = self.variables.currentRow()
        if controller is None or not 0 <= row < len(controller.variables):
            return
        kept = controller.variables[:row] + controller.variables[row + 1 :]
        cid = controller.id
        self.dock.try_edit(lambda: self.document.update(cid, variables=kept))

    # --- decisions -----------------------------------------------------------------------------
    def decide(self, rows: list[int], kind: UCAType, verdict: str) -> bool:
        """Decide rows for ``kind``: "hazardous", "not hazardous" or "" (undecided).

        A decision is stored as a rule fixing every variable (full conditions); clearing
        removes such rules. Rows decided by a rule with "don't care" values keep it.
        """
        grid = self.model.grid
        action = self.action_id
        doc = self.document
        adds: list[ContextRule] = []
        updates: list[tuple[str, bool]] = []
        removals: list[str] = []
        for row in rows:
            exact = grid.exact.get((kind, row))
            if verdict == "":
                if exact:
                    removals.append(exact)
                continue
            hazardous = verdict == "hazardous"
            if exact:
                if grid.by_id[exact].hazardous != hazardous:
                    updates.append((exact, hazardous))
                continue
            adds.append(
                ContextRule(
                    action=action,
                    type=kind,
                    conditions=grid.conditions(row),
                    hazardous=hazardous,
                )
            )
        if verdict == "" and not removals:
            covering = [r.id for row in rows for r in grid.matching(row) if r.type == kind]
            if covering:
                self.dock.show_error(
                    _tr(
                        "These contexts are decided by {0}, which has don't-care values: "
                        "edit or delete that rule."
                    ).format(", ".join(dict.fromkeys(covering)))
                )
            return False
        if not adds and not updates and not removals:
            return False
        count = len(rows)
        label = _tr("Decide {0} contexts of {1}").format(count, action)

        def edit() -> None:
            with doc.transaction(label):
                for rule_id, hazardous in updates:
                    doc.update(rule_id, hazardous=hazardous)
                for rule in adds:
                    doc.add(rule)
                if removals:
                    doc.remove(*removals)

        return self.dock.try_edit(edit)

    def mark_selected(self, kind: UCAType | None, verdict: str) -> None:
        """Decide the selected cells: in ``kind``'s column for every selected row, or (with
        None) in the decision columns selected."""
        selection = self.table.selectionModel().selectedIndexes()
        by_kind: dict[UCAType, set[int]] = {}
        for index in selection:
            column_kind = self.model.decision_type(index.column())
            target = kind or column_kind
            if target is not None and (kind is not None or column_kind is not None):
                by_kind.setdefault(target, set()).add(index.row())
        if not by_kind:
            self.dock.show_error(_tr("Select contexts (rows or decision cells) first."))
            return
        for target, rows in by_kind.items():
            self.decide(sorted(rows), target, verdict)

    # --- rules ---------------------------------------------------------------------------------
    def selected_rule(self) -> ContextRule | None:
        """The rule selected in the rules list."""
        index = self.rules.currentIndex()
        if not index.isValid():
            return None
        return self.document.context_rules.get(str(index.data(ID_ROLE)))

    def _rule_selected(self) -> None:
        rule = self.selected_rule()
        self.model.set_highlight_rule(rule.id if rule else "")
        if rule is not None:
            self.dock.trace_selection([rule.id])

    def _rule_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == 4:
            self.rule_hazards()
        elif index.column() != 6:
            self.edit_rule()

    def add_rule(self) -> None:
        """Open the rule editor for a new rule of the shown action."""
        controller = self.controller()
        if controller is None:
            self.dock.show_error(_tr("Choose a control action first."))
            return
        action = self.action_id
        doc = self.document

        def done(
            conditions: tuple[Condition, ...], kind: UCAType, hazardous: bool, why: str
        ) -> None:
            rule = ContextRule(
                action=action, type=kind, conditions=conditions, hazardous=hazardous, rationale=why
            )
            self.dock.try_edit(lambda: doc.add(rule))

        self.editor = RuleEditor(self, controller.variables, None, done)
        self.editor.open()

    def edit_rule(self) -> None:
        """Open the rule editor on the selected rule."""
        rule = self.selected_rule()
        controller = self.controller()
        if rule is None or controller is None:
            self.dock.show_error(_tr("Select a rule first."))
            return
        doc = self.document

        def done(
            conditions: tuple[Condition, ...], kind: UCAType, hazardous: bool, why: str
        ) -> None:
            self.dock.try_edit(
                lambda: doc.update(
                    rule.id, conditions=conditions, type=kind, hazardous=hazardous, rationale=why
                )
            )

        self.editor = RuleEditor(self, controller.variables, rule, done)
        self.editor.open()

    def rule_hazards(self) -> None:
        """Pick the hazards of the selected rule."""
        rule = self.selected_rule()
        if rule is None:
            self.dock.show_error(_tr("Select a rule first."))
            return
        self.dock.pick_references(rule.id, "hazards")

    def delete_rule(self) -> None:
        """Delete the selected rule."""
        rule = self.selected_rule()
        if rule is not None:
            self.dock.try_edit(lambda: self.document.remove(rule.id))

    def _edit_rationale(self, rule_id: str, text: str) -> None:
        self.dock.try_edit(lambda: self.document.update(rule_id, rationale=text))
