"""The property inspector: edits every field of the selection through the document's API."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFocusEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stipa.model import (
    MAX_LEVEL,
    Component,
    ComponentKind,
    Document,
    Event,
    HistoryChanged,
    Link,
    LinkKind,
    ModelError,
    Nature,
    ProcessVariable,
    Responsibility,
    TrainingLevel,
)
from stipa.model import LinkItem as ModelLinkItem
from stipa.operations.hierarchy import reparent
from stipa.ui.document_info import info_labels
from stipa.ui.following import DocumentFollower
from stipa.ui.plugin_properties import PluginPropertiesBox
from stipa.ui.presets import LINK_STYLE_BY_KIND
from stipa.ui.theme import show_refusal

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext

#: Role suggestions for human components. They are stored values (the presets and analyses
#: read them in English), so they are offered untranslated.
ROLE_SUGGESTIONS = ("operator", "lay user", "affected person", "manager", "developer", "auditor")
_ID = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("Inspector", text)


def kind_labels() -> dict[ComponentKind, str]:
    """Readable names of the component kinds."""
    return {
        ComponentKind.CONTROLLER: _tr("Controller"),
        ComponentKind.CONTROLLED_PROCESS: _tr("Controlled process"),
        ComponentKind.ACTUATOR: _tr("Actuator"),
        ComponentKind.SENSOR: _tr("Sensor"),
        ComponentKind.EXTERNAL: _tr("External (environment, affected parties)"),
        ComponentKind.BOUNDARY: _tr("System boundary (a frame marking the system)"),
    }


def nature_labels() -> dict[Nature, str]:
    """Readable names of the component natures."""
    return {
        Nature.HUMAN: _tr("Human"),
        Nature.ORGANISATION: _tr("Organisation"),
        Nature.REGULATOR: _tr("Regulator"),
        Nature.SOFTWARE: _tr("Software"),
        Nature.AI_MODEL: _tr("AI model"),
        Nature.PHYSICAL: _tr("Physical"),
    }


def training_labels() -> dict[TrainingLevel, str]:
    """Readable names of the training levels."""
    return {
        TrainingLevel.UNKNOWN: _tr("Not stated"),
        TrainingLevel.NONE: _tr("None"),
        TrainingLevel.BASIC: _tr("Basic"),
        TrainingLevel.TRAINED: _tr("Trained"),
        TrainingLevel.EXPERT: _tr("Expert"),
    }


def link_kind_labels() -> dict[LinkKind, str]:
    """Readable names of the link kinds."""
    return {
        LinkKind.CONTROL_ACTION: _tr("Control action"),
        LinkKind.FEEDBACK: _tr("Feedback"),
        LinkKind.INFORMATION: _tr("Information"),
    }


def split_values(text: str) -> tuple[str, ...]:
    """Comma-separated values as a tuple, blanks dropped."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base 2``, ``base 3``... whichever is not taken."""
    if base not in taken:
        return base
    number = 2
    while f"{base} {number}" in taken:
        number += 1
    return f"{base} {number}"


class CommitTextEdit(QPlainTextEdit):
    """A multi-line text field that reports ``editingFinished`` when it loses focus."""

    #: The user left the field; commit its text.
    editingFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(60)
        self.setMaximumHeight(120)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


def _combo(name: str, accessible: str, labels: dict[Any, str]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    for value, label in labels.items():
        combo.addItem(label, value.value)
    # long labels ("controlled process — the process being controlled") must not widen the dock
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    return combo


def _line(name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    return edit


def _text(name: str, accessible: str) -> CommitTextEdit:
    edit = CommitTextEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    return edit


def _button(name: str, text: str, tooltip: str, slot: Callable[[], object]) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setObjectName(name)
    button.setToolTip(tooltip)
    button.setAccessibleName(tooltip)
    button.clicked.connect(lambda checked=False: slot())
    return button


def _buttons(*buttons: QToolButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


class _Page(QWidget):
    """One page of the inspector; ``show_record`` fills it from the model."""

    def __init__(self, inspector: Inspector) -> None:
        super().__init__()
        self.inspector = inspector
        self.record_id = ""
        #: The model value each field last showed, so unrelated edits keep unsaved typing.
        self._shown: dict[str, object] = {}

    @property
    def document(self) -> Document:
        return self.inspector.document

    def show_record(self, record_id: str, force: bool) -> None:
        if force:
            self._shown.clear()
        self.record_id = record_id
        self.fill()

    def fill(self) -> None:
        raise NotImplementedError

    def _changed(self, field: str, value: object) -> bool:
        """Whether ``field`` must be refilled with ``value`` (and remember it)."""
        if field in self._shown and self._shown[field] == value:
            return False
        self._shown[field] = value
        return True

    def _set_line(self, field: str, edit: QLineEdit, value: str) -> None:
        if self._changed(field, value) and edit.text() != value:
            edit.setText(value)
            edit.setCursorPosition(0)

    def _set_text(self, field: str, edit: QPlainTextEdit, value: str) -> None:
        if self._changed(field, value) and edit.toPlainText() != value:
            edit.setPlainText(value)

    def _set_combo(self, field: str, combo: QComboBox, value: str) -> None:
        if self._changed(field, value):
            index = combo.findData(value)
            if combo.isEditable() and index < 0:
                combo.setCurrentIndex(-1)
                combo.setEditText(value)
            elif combo.isEditable():
                combo.setCurrentIndex(index)
                combo.setEditText(value)
            else:
                combo.setCurrentIndex(index)

    def _set_rows(
        self, field: str, widget: QListWidget, rows: Sequence[tuple[str, str]], editable: bool
    ) -> None:
        """Fill a list with (id, text) rows, keeping items (and the current row) when it can."""
        if not self._changed(field, tuple(rows)):
            return
        blocker = QSignalBlocker(widget)
        current = widget.currentItem()
        current_id = current.data(_ID) if current is not None else None
        same_ids = widget.count() == len(rows) and all(
            widget.item(i).data(_ID) == rid for i, (rid, _text) in enumerate(rows)
        )
        if same_ids:
            for i, (_rid, text) in enumerate(rows):
                if widget.item(i).text() != text:
                    widget.item(i).setText(text)
        else:
            widget.clear()
            for rid, text in rows:
                item = QListWidgetItem(text)
                item.setData(_ID, rid)
                if editable:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                widget.addItem(item)
                if rid == current_id:
                    widget.setCurrentItem(item)
        blocker.unblock()

    def _commit_field(self, field: str, text: str, edit: Callable[[], object]) -> None:
        """Run ``edit`` unless ``text`` equals what the model holds."""
        if self._shown.get(field) == text:
            self.fill_forced(field)
            return
        self.inspector.try_edit(edit)

    def fill_forced(self, field: str) -> None:
        """Show the model's value of ``field`` again (after a no-op or refused edit)."""
        self._shown.pop(field, None)
        self.fill()


class InfoPage(_Page):
    """Nothing selected: the document information (title block)."""

    FIELDS = ("title", "version", "author", "organisation")

    def __init__(self, inspector: Inspector) -> None:
        super().__init__(inspector)
        layout = QVBoxLayout(self)
        heading = QLabel(_tr("<b>Document</b>"))
        layout.addWidget(heading)
        form = _form()
        labels = info_labels()  # as File > Document Properties names them
        self.lines: dict[str, QLineEdit] = {}
        for field in self.FIELDS:
            edit = _line(f"inspector.info.{field}", _tr("Document {0}").format(labels[field]))
            edit.editingFinished.connect(lambda f=field: self._commit(f))
            form.addRow(labels[field], edit)
            self.lines[field] = edit
        self.description = _text("inspector.info.description", _tr("Document description"))
        self.description.editingFinished.connect(lambda: self._commit("description"))
        form.addRow(labels["description"], self.description)
        layout.addLayout(form)
        hint = QLabel(_tr("Select a component or a link on the canvas to edit it."))
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(hint)
        layout.addStretch(1)

    def fill(self) -> None:
        info = self.document.info
        for field, edit in self.lines.items():
            self._set_line(field, edit, getattr(info, field))
        self._set_text("description", self.description, info.description)

    def _commit(self, field: str) -> None:
        if field == "description":
            text = self.description.toPlainText()
        else:
            text = self.lines[field].text().strip()
        self._commit_field(field, text, lambda: self.document.set_info(**{field: text}))


class ComponentPage(_Page):
    """One component: every field of it, its process model and its responsibilities."""

    def __init__(self, inspector: Inspector) -> None:
        super().__init__(inspector)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("inspector.heading")
        layout.addWidget(self.heading)
        form = _form()
        self.name = _line("inspector.name", _tr("Component name"))
        self.name.editingFinished.connect(self._commit_name)
        form.addRow(_tr("Name"), self.name)
        self.kind = _combo("inspector.kind", _tr("STPA kind"), kind_labels())
        self.kind.setToolTip(_tr("The component's role in the control structure"))
        self.kind.activated.connect(lambda _i: self._commit_enum("kind", self.kind))
        form.addRow(_tr("Kind"), self.kind)
        self.nature = _combo("inspector.nature", _tr("Nature"), nature_labels())
        self.nature.setToolTip(_tr("What the component is"))
        self.nature.activated.connect(lambda _i: self._commit_enum("nature", self.nature))
        form.addRow(_tr("Nature"), self.nature)
        self.role = QComboBox()
        self.role.setObjectName("inspector.role")
        self.role.setAccessibleName(_tr("Role of the person"))
        self.role.setToolTip(_tr("The person's role; choose a suggestion or type your own"))
        self.role.setEditable(True)
        self.role.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for role in ROLE_SUGGESTIONS:
            self.role.addItem(role, role)
        line_edit = self.role.lineEdit()
        assert line_edit is not None  # an editable combo box has one
        line_edit.setObjectName("inspector.role.edit")
        line_edit.setAccessibleName(_tr("Role of the person"))
        line_edit.editingFinished.connect(self._commit_role)
        self.role.activated.connect(lambda _i: self._commit_role())
        form.addRow(_tr("Role"), self.role)
        self.training = _combo("inspector.training", _tr("Training level"), training_labels())
        self.training.setToolTip(_tr("How well the person is trained for the role"))
        self.training.activated.connect(lambda _i: self._commit_enum("training", self.training))
        form.addRow(_tr("Training"), self.training)
        self.description = _text("inspector.description", _tr("Component description"))
        self.description.editingFinished.connect(self._commit_description)
        form.addRow(_tr("Description"), self.description)
        self.parent_box = _combo("inspector.parent", _tr("Containing component"), {})
        self.parent_box.setToolTip(_tr("The component or system boundary this one is inside"))
        self.parent_box.activated.connect(lambda _i: self._commit_parent())
        form.addRow(_tr("Inside"), self.parent_box)
        self.level = QSpinBox()
        self.level.setObjectName("inspector.level")
        self.level.setAccessibleName(_tr("Hierarchy level"))
        self.level.setToolTip(_tr("The level in the control hierarchy, 0 at the top"))
        self.level.setRange(-1, MAX_LEVEL)  # -1 shows the special text: not stated
        self.level.setSpecialValueText(_tr("Not stated"))
        self.level.editingFinished.connect(self._commit_level)
        form.addRow(_tr("Level"), self.level)
        self.alias = _line("inspector.alias", _tr("Alias"))
        self.alias.setToolTip(_tr("The component's id in the tool it came from"))
        self.alias.editingFinished.connect(self._commit_alias)
        form.addRow(_tr("Alias"), self.alias)
        layout.addLayout(form)

        # editors made from the plugins' property specs, and other plugins' values kept as is:
        # near the top, under their domain's name ("AI footprint" for an AI model)
        self.properties_box = PluginPropertiesBox(self)
        layout.addWidget(self.properties_box)

        variables_box = QGroupBox(_tr("Process model"))
        box_layout = QVBoxLayout(variables_box)
        self.variables = QTableWidget(0, 2)
        self.variables.setObjectName("inspector.variables")
        self.variables.setAccessibleName(_tr("Process-model variables"))
        self.variables.setToolTip(_tr("Variables of the process model and their possible values"))
        # short titles fit the panel's width; how to type the values is their title's tooltip
        values_title = QTableWidgetItem(_tr("Values"))
        values_title.setToolTip(_tr("Its values, separated by commas"))
        self.variables.setHorizontalHeaderItem(0, QTableWidgetItem(_tr("Variable")))
        self.variables.setHorizontalHeaderItem(1, values_title)
        header = self.variables.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.variables.verticalHeader().hide()
        self.variables.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.variables.setMinimumHeight(90)
        self.variables.setMaximumHeight(170)
        self.variables.itemChanged.connect(lambda _item: self._commit_variables())
        box_layout.addWidget(self.variables)
        box_layout.addLayout(
            _buttons(
                _button(
                    "inspector.variables.add",
                    _tr("Add"),
                    _tr("Add a process-model variable"),
                    self.add_variable,
                ),
                _button(
                    "inspector.variables.remove",
                    _tr("Remove"),
                    _tr("Remove the selected process-model variables"),
                    self.remove_variables,
                ),
            )
        )
        layout.addWidget(variables_box)

        responsibilities_box = QGroupBox(_tr("Responsibilities"))
        box_layout = QVBoxLayout(responsibilities_box)
        self.responsibilities = QListWidget()
        self.responsibilities.setObjectName("inspector.responsibilities")
        self.responsibilities.setAccessibleName(_tr("Responsibilities"))
        self.responsibilities.setToolTip(_tr("What this component must do; double-click to edit"))
        self.responsibilities.setWordWrap(True)
        self.responsibilities.setMinimumHeight(70)
        self.responsibilities.setMaximumHeight(150)
        self.responsibilities.itemChanged.connect(self._commit_responsibility)
        box_layout.addWidget(self.responsibilities)
        box_layout.addLayout(
            _buttons(
                _button(
                    "inspector.responsibilities.add",
                    _tr("Add"),
                    _tr("Add a responsibility of this component"),
                    self.add_responsibility,
                ),
                _button(
                    "inspector.responsibilities.remove",
                    _tr("Remove"),
                    _tr("Remove the selected responsibilities"),
                    self.remove_responsibilities,
                ),
            )
        )
        layout.addWidget(responsibilities_box)
        layout.addStretch(1)

    @property
    def component(self) -> Component:
        return self.document.components[self.record_id]

    def fill(self) -> None:
        c = self.component
        self.heading.setText(f"<b>{_tr('Component')}</b> {c.id}")
        self._set_line("name", self.name, c.name)
        self._set_combo("kind", self.kind, c.kind.value)
        self._set_combo("nature", self.nature, c.nature.value)
        self._set_combo("role", self.role, c.role)
        self._set_combo("training", self.training, c.training.value)
        human = c.nature == Nature.HUMAN
        self.role.setEnabled(human)
        self.training.setEnabled(human)
        self._set_text("description", self.description, c.description)
        self._fill_containment(c)
        self._set_line("alias", self.alias, c.alias)
        self._fill_variables(c)
        owned = [(r.id, r.text) for r in self.document.responsibilities.values() if r.owner == c.id]
        self._set_rows("responsibilities", self.responsibilities, owned, editable=True)
        self.properties_box.fill(c)

    def _fill_containment(self, c: Component) -> None:
        doc = self.document
        inside = {c.id, *doc.descendants_of(c.id)}  # refused as containers: a loop
        containers = [
            (other.id, f"{other.name} ({other.id})")
            for other in doc.components.values()
            if other.id not in inside
        ]
        choices = (("", _tr("(top level)")), *containers)
        if self._changed("parent choices", choices):
            blocker = QSignalBlocker(self.parent_box)
            self.parent_box.clear()
            for value, label in choices:
                self.parent_box.addItem(label, value)
            blocker.unblock()
            self._shown.pop("parent", None)
        self._set_combo("parent", self.parent_box, c.parent)
        level = -1 if c.level is None else c.level
        if self._changed("level", c.level) and self.level.value() != level:
            self.level.setValue(level)

    def _fill_variables(self, c: Component) -> None:
        rows = tuple((v.id, v.name, ", ".join(v.values)) for v in c.variables)
        if not self._changed("variables", rows):
            return
        table = self.variables
        blocker = QSignalBlocker(table)
        same_ids = table.rowCount() == len(rows) and all(
            (item := table.item(i, 0)) is not None and item.data(_ID) == vid
            for i, (vid, _n, _v) in enumerate(rows)
        )
        if not same_ids:
            table.setRowCount(len(rows))
        for i, (vid, name, values) in enumerate(rows):
            for column, text in ((0, name), (1, values)):
                item = table.item(i, column)
                if item is None:
                    item = QTableWidgetItem()
                    table.setItem(i, column, item)
                item.setData(_ID, vid)
                if item.text() != text:
                    item.setText(text)
        blocker.unblock()

    # --- commits ---------------------------------------------------------------------------
    def _update(self, **changes: object) -> Callable[[], object]:
        record_id = self.record_id
        return lambda: self.document.update(record_id, **changes)

    def _commit_name(self) -> None:
        text = self.name.text().strip()
        self._commit_field("name", text, self._update(name=text))

    def _commit_description(self) -> None:
        text = self.description.toPlainText()
        self._commit_field("description", text, self._update(description=text))

    def _commit_parent(self) -> None:
        parent = self.parent_box.currentData()
        record_id = self.record_id
        self._commit_field("parent", parent, lambda: reparent(self.document, record_id, parent))

    def _commit_level(self) -> None:
        level = None if self.level.value() < 0 else self.level.value()
        if self._shown.get("level") == level:
            return
        self.inspector.try_edit(self._update(level=level))

    def _commit_alias(self) -> None:
        text = self.alias.text().strip()
        self._commit_field("alias", text, self._update(alias=text))

    def _commit_role(self) -> None:
        text = self.role.currentText().strip()
        self._commit_field("role", text, self._update(role=text))

    def _commit_enum(self, field: str, combo: QComboBox) -> None:
        value = combo.currentData()
        self._commit_field(field, value, self._update(**{field: value}))

    def _table_variables(self) -> tuple[ProcessVariable, ...]:
        old = {v.id: v for v in self.component.variables}
        result = []
        for row in range(self.variables.rowCount()):
            name_item, values_item = self.variables.item(row, 0), self.variables.item(row, 1)
            vid = name_item.data(_ID) if name_item is not None else ""
            name = name_item.text().strip() if name_item is not None else ""
            values = split_values(values_item.text()) if values_item is not None else ()
            if vid in old:
                result.append(old[vid].replace(name=name, values=values))
            else:
                result.append(ProcessVariable(name=name, values=values))
        return tuple(result)

    def _commit_variables(self) -> None:
        variables = self._table_variables()
        if variables == self.component.variables:
            self.fill_forced("variables")
            return
        self.inspector.try_edit(self._update(variables=variables))

    def add_variable(self) -> None:
        """Add a process-model variable with a placeholder name and value, then edit it."""
        c = self.component
        name = unique_name(_tr("New variable"), {v.name for v in c.variables})
        new = ProcessVariable(name=name, values=(_tr("unknown"),))
        if self.inspector.try_edit(self._update(variables=(*c.variables, new))):
            row = self.variables.rowCount() - 1
            self.variables.setCurrentCell(row, 0)
            item = self.variables.item(row, 0)
            if item is not None:
                self.variables.editItem(item)

    def remove_variables(self) -> None:
        """Remove the selected variables (and the context rules that use them)."""
        rows = {index.row() for index in self.variables.selectionModel().selectedRows()}
        if not rows and self.variables.currentRow() >= 0:
            rows = {self.variables.currentRow()}
        c = self.component
        kept = tuple(v for i, v in enumerate(c.variables) if i not in rows)
        if kept != c.variables:
            self.inspector.try_edit(self._update(variables=kept))

    def _commit_responsibility(self, item: QListWidgetItem) -> None:
        rid, text = item.data(_ID), item.text().strip()
        current = self.document.responsibilities.get(rid)
        if current is None or current.text == text:
            self.fill_forced("responsibilities")
            return
        self.inspector.try_edit(lambda: self.document.update(rid, text=text))

    def add_responsibility(self) -> None:
        """Add a responsibility owned by this component, then edit its text."""
        record = Responsibility(text=_tr("New responsibility"), owner=self.record_id)
        added: list[Responsibility] = []
        if self.inspector.try_edit(lambda: added.append(self.document.add(record))):
            for row in range(self.responsibilities.count()):
                item = self.responsibilities.item(row)
                if item.data(_ID) == added[0].id:
                    self.responsibilities.setCurrentItem(item)
                    self.responsibilities.editItem(item)

    def remove_responsibilities(self) -> None:
        """Remove the selected responsibilities as one undo step."""
        ids = [item.data(_ID) for item in self.responsibilities.selectedItems()]
        if not ids and self.responsibilities.currentItem() is not None:
            ids = [self.responsibilities.currentItem().data(_ID)]
        if ids:
            self.inspector.try_edit(lambda: self.document.remove(*ids))


class LinkPage(_Page):
    """One link: its kind, description and the items it carries."""

    def __init__(self, inspector: Inspector) -> None:
        super().__init__(inspector)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        layout.addWidget(self.heading)
        form = _form()
        self.ends = QLabel()
        self.ends.setObjectName("inspector.ends")
        self.ends.setAccessibleName(_tr("Source and target"))
        self.ends.setWordWrap(True)
        self.ends.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(_tr("From → to"), self.ends)
        self.kind = _combo("inspector.link_kind", _tr("Link kind"), link_kind_labels())
        self.kind.setToolTip(_tr("What flows along the link"))
        self.kind.activated.connect(lambda _i: self._commit_kind())
        form.addRow(_tr("Kind"), self.kind)
        self.description = _text("inspector.link_description", _tr("Link description"))
        self.description.editingFinished.connect(self._commit_description)
        form.addRow(_tr("Description"), self.description)
        layout.addLayout(form)

        box = QGroupBox(_tr("Items"))
        box_layout = QVBoxLayout(box)
        self.items = QListWidget()
        self.items.setObjectName("inspector.items")
        self.items.setAccessibleName(_tr("Items carried by the link"))
        self.items.setToolTip(_tr("The named items this link carries; double-click to rename"))
        self.items.setMinimumHeight(70)
        self.items.setMaximumHeight(170)
        self.items.itemChanged.connect(lambda _item: self._commit_items())
        box_layout.addWidget(self.items)
        box_layout.addLayout(
            _buttons(
                _button("inspector.items.add", _tr("Add"), _tr("Add an item"), self.add_item),
                _button(
                    "inspector.items.remove",
                    _tr("Remove"),
                    _tr("Remove the selected item"),
                    self.remove_item,
                ),
                _button("inspector.items.up", _tr("Up"), _tr("Move the item up"), self.move_up),
                _button(
                    "inspector.items.down",
                    _tr("Down"),
                    _tr("Move the item down"),
                    self.move_down,
                ),
            )
        )
        layout.addWidget(box)
        layout.addStretch(1)

    @property
    def link(self) -> Link:
        return self.document.links[self.record_id]

    def fill(self) -> None:
        link = self.link
        doc = self.document
        self.heading.setText(f"<b>{_tr('Link')}</b> {link.id}")
        source, target = doc.components[link.source], doc.components[link.target]
        self.ends.setText(f"{source.name} → {target.name}")
        self._set_combo("kind", self.kind, link.kind.value)
        self._set_text("description", self.description, link.description)
        rows = [(item.id, item.name) for item in link.items]
        self._set_rows("items", self.items, rows, editable=True)

    def _update(self, **changes: object) -> Callable[[], object]:
        record_id = self.record_id
        return lambda: self.document.update(record_id, **changes)

    def _commit_kind(self) -> None:
        value = self.kind.currentData()
        self._commit_field("kind", value, self._update(kind=value))

    def _commit_description(self) -> None:
        text = self.description.toPlainText()
        self._commit_field("description", text, self._update(description=text))

    def _commit_items(self) -> None:
        old = {item.id: item for item in self.link.items}
        items = []
        for row in range(self.items.count()):
            widget_item = self.items.item(row)
            iid, name = widget_item.data(_ID), widget_item.text().strip()
            items.append(old[iid].replace(name=name) if iid in old else ModelLinkItem(name=name))
        self._commit_tuple(tuple(items))

    def _commit_tuple(self, items: tuple[ModelLinkItem, ...], current: int = -1) -> None:
        if items == self.link.items:
            self.fill_forced("items")
            return
        if self.inspector.try_edit(self._update(items=items)) and current >= 0:
            self.items.setCurrentRow(current)

    def add_item(self) -> None:
        """Add an item with a placeholder name, then edit it."""
        link = self.link
        base = LINK_STYLE_BY_KIND[link.kind].default_item
        name = unique_name(_tr(base), {item.name for item in link.items})
        self._commit_tuple((*link.items, ModelLinkItem(name=name)), len(link.items))
        row = self.items.count() - 1
        if row == len(link.items):
            self.items.editItem(self.items.item(row))

    def remove_item(self) -> None:
        """Remove the current item (and the UCAs and context rules analysing it)."""
        row = self.items.currentRow()
        if row < 0:
            return
        items = self.link.items
        self._commit_tuple(items[:row] + items[row + 1 :], min(row, len(items) - 2))

    def _move(self, step: int) -> None:
        row = self.items.currentRow()
        items = list(self.link.items)
        target = row + step
        if row < 0 or not 0 <= target < len(items):
            return
        items[row], items[target] = items[target], items[row]
        self._commit_tuple(tuple(items), target)

    def move_up(self) -> None:
        """Move the current item one place up."""
        self._move(-1)

    def move_down(self) -> None:
        """Move the current item one place down."""
        self._move(1)


class SummaryPage(_Page):
    """Several records selected: how many of each, no editors."""

    def __init__(self, inspector: Inspector) -> None:
        super().__init__(inspector)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("inspector.summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        hint = QLabel(_tr("Select a single component or link to edit its properties."))
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.ids: list[str] = []

    def fill(self) -> None:
        doc = self.document
        components = sum(1 for i in self.ids if i in doc.components)
        links = sum(1 for i in self.ids if i in doc.links)
        self.summary.setText(summary_text(components, links))


def summary_text(components: int, links: int) -> str:
    """``"3 components, 2 links selected"``."""
    parts = []
    if components:
        one = _tr("1 component")
        parts.append(one if components == 1 else _tr("{0} components").format(components))
    if links:
        parts.append(_tr("1 link") if links == 1 else _tr("{0} links").format(links))
    return _tr("{0} selected").format(_tr(", ").join(parts))


class Inspector(QDockWidget):
    """The property inspector dock (``dock.properties``) of a main window.

    It shows the document information when nothing is selected, the fields of a single
    selected component or link, or a summary of a larger selection. Every committed field
    edit is one call of the document's mutation API (one undo step); a refused edit shows the
    model's sentence in red and in the status bar, and the field returns to the model's value.
    """

    def __init__(self, window: PanelContext) -> None:
        super().__init__(_tr("Properties"), window.window())
        self.setObjectName("dock.properties")
        self.setAccessibleName(_tr("Properties"))
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.window_ = window
        self.document: Document = window.document
        self._key: tuple[str, ...] | None = None

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        self.error = QLabel()
        self.error.setObjectName("inspector.error")
        self.error.setAccessibleName(_tr("Error"))
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        layout.addWidget(self.error)
        self.stack = QStackedWidget()
        self.info_page = InfoPage(self)
        self.component_page = ComponentPage(self)
        self.link_page = LinkPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.info_page, self.component_page, self.link_page, self.summary_page):
            self.stack.addWidget(page)
        layout.addWidget(self.stack)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(320)
        self.setWidget(scroll)
        self.follower = DocumentFollower(
            self, window, self._on_event, self._bind, on_selection=self.refresh
        )
        self._bind()

    # --- following the window ----------------------------------------------------------------
    def _bind(self) -> None:
        """Show the window's current document."""
        self.document = self.window_.document
        self._key = None
        self.refresh()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, HistoryChanged) and shiboken6.isValid(self):
            self.refresh()

    # --- showing -----------------------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        """The selected components and links that still exist."""
        doc = self.document
        return [
            i for i in self.window_.diagram.selected_ids() if i in doc.components or i in doc.links
        ]

    def refresh(self, force: bool = False) -> None:
        """Show the selection; fields whose model value changed (or all, with ``force``)."""
        ids = self.selected_ids()
        page: _Page
        if not ids:
            key: tuple[str, ...] = ("info",)
            page = self.info_page
        elif len(ids) == 1 and ids[0] in self.document.components:
            key, page = ("component", ids[0]), self.component_page
        elif len(ids) == 1:
            key, page = ("link", ids[0]), self.link_page
        else:
            key, page = ("many", *ids), self.summary_page
            self.summary_page.ids = ids
        if key != self._key:
            self._key = key
            force = True
            self.clear_error()
        self.stack.setCurrentWidget(page)
        page.show_record(ids[0] if len(ids) == 1 else "", force)

    # --- editing -----------------------------------------------------------------------------
    def try_edit(self, edit: Callable[[], object]) -> bool:
        """Run one edit of the document; on refusal show why and restore the fields."""
        try:
            edit()
        except ModelError as error:
            self.show_error(str(error))
            self.refresh(force=True)
            return False
        self.clear_error()
        return True

    def show_error(self, message: str) -> None:
        """Show a refused edit's sentence in red here and in the status bar."""
        show_refusal(self.error, message)
        self.window_.statusBar().showMessage(message, 8000)

    def clear_error(self) -> None:
        """Hide the error message."""
        self.error.clear()
        self.error.hide()
