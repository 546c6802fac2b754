"""Editors for plugin-declared component properties, part of the property inspector.

Each :class:`stipa.PropertySpec` that applies to the selected component gets an editor made
from its type; a committed value is checked with ``spec.parse`` and stored with one
``document.update(component, properties=...)`` (one undo step). Properties no installed
plugin declares are shown read-only and always kept.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from stipa.model import Component, ModelError, Property
from stipa.plugin import PropertySpec

if TYPE_CHECKING:
    from stipa.ui.inspector import ComponentPage

_Key = tuple[str, str]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Inspector", text)


def properties_with(
    properties: tuple[Property, ...], spec: PropertySpec, value: str
) -> tuple[Property, ...]:
    """``properties`` with ``spec``'s value set to ``value`` (removed when empty).

    A present property is replaced where it is, a new one goes last; every other property,
    from any plugin, installed or not, is kept as it was.
    """
    key = (spec.namespace, spec.name)
    new = Property(namespace=spec.namespace, name=spec.name, value=value, unit=spec.unit)
    result: list[Property] = []
    found = False
    for prop in properties:
        if (prop.namespace, prop.name) != key:
            result.append(prop)
        elif not found:
            found = True
            if value:
                result.append(new)
    if not found and value:
        result.append(new)
    return tuple(result)


def _describe(prop: Property) -> str:
    return f"{prop.namespace}: {prop.name} = {prop.value} {prop.unit}".rstrip()


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def _read_only(name: str, accessible: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def general_group() -> str:
    """The heading of properties that name no group of their own."""
    return _tr("Plugin properties")


class PluginPropertiesBox(QGroupBox):
    """The plugin properties of the component page, under their domains' names: the box is
    titled by the one group shown ("AI footprint"), or "Plugin properties" with a heading
    per group."""

    def __init__(self, page: ComponentPage) -> None:
        super().__init__(general_group())
        self.setObjectName("inspector.plugin_properties")
        self.page = page
        layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.addLayout(self.form)
        # declared by no installed plugin: shown, never edited, never dropped
        self.properties = _read_only("inspector.properties", _tr("Properties of other plugins"))
        self.properties_note = _note(_tr("From a plugin that is not installed: kept as is."))
        layout.addWidget(self.properties)
        layout.addWidget(self.properties_note)
        # declared, but for other kinds of component (e.g. after the nature changed)
        self.unused = _read_only("inspector.properties.unused", _tr("Unused plugin properties"))
        self.unused_note = _note(_tr("Not used by this kind of component: kept as is."))
        layout.addWidget(self.unused)
        layout.addWidget(self.unused_note)
        self._specs: tuple[PropertySpec, ...] = ()
        #: The editor of each shown property, by (namespace, name).
        self.editors: dict[_Key, QWidget] = {}

    # --- showing -----------------------------------------------------------------------------
    def _declared(self) -> list[PropertySpec]:
        return list(self.page.inspector.window_.host.properties)

    @staticmethod
    def _field(spec: PropertySpec) -> str:
        return f"property:{spec.namespace}:{spec.name}"

    def fill(self, component: Component) -> None:
        """Show ``component``'s plugin properties: editors, then the ones kept as they are."""
        declared = self._declared()
        specs = tuple(spec for spec in declared if spec.applies_to(component))
        if specs != self._specs:
            self._build(specs)
        stored = {(p.namespace, p.name): p for p in component.properties}
        for spec in specs:
            prop = stored.get((spec.namespace, spec.name))
            self._show_value(spec, prop.value if prop is not None else "")
        applicable = {(s.namespace, s.name) for s in specs}
        known = {(s.namespace, s.name) for s in declared}
        others = [p for p in component.properties if (p.namespace, p.name) not in applicable]
        foreign = [_describe(p) for p in others if (p.namespace, p.name) not in known]
        unused = [_describe(p) for p in others if (p.namespace, p.name) in known]
        for label, note, lines in (
            (self.properties, self.properties_note, foreign),
            (self.unused, self.unused_note, unused),
        ):
            label.setText("\n".join(lines))
            label.setVisible(bool(lines))
            note.setVisible(bool(lines))
        self.setVisible(bool(specs or others))

    def _show_value(self, spec: PropertySpec, value: str) -> None:
        page, field = self.page, self._field(spec)
        editor = self.editors[(spec.namespace, spec.name)]
        if isinstance(editor, QLineEdit):
            page._set_line(field, editor, value)
        elif isinstance(editor, QComboBox):
            if page._changed(field, value):
                blocker = QSignalBlocker(editor)
                while editor.count() > len(spec.choices) + 1:  # drop an earlier odd value
                    editor.removeItem(editor.count() - 1)
                index = editor.findData(value)
                if index < 0:  # stored by another version of the plugin: show it as it is
                    editor.addItem(_tr("{0} (not a choice)").format(value), value)
                    index = editor.count() - 1
                editor.setCurrentIndex(index)
                blocker.unblock()
        elif isinstance(editor, QCheckBox) and page._changed(field, value):
            blocker = QSignalBlocker(editor)
            editor.setChecked(value == "true")
            blocker.unblock()

    def _build(self, specs: tuple[PropertySpec, ...]) -> None:
        """Replace the editors with ones for ``specs``."""
        for editor in self.editors.values():
            editor.blockSignals(True)  # a focused editor must not commit while it goes
        while self.form.rowCount():
            row = self.form.takeRow(0)
            for item in (row.labelItem, row.fieldItem):
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.setParent(None)  # gone from the inspector now, deleted later
                    widget.deleteLater()
        self.editors.clear()
        for field in [f for f in self.page._shown if f.startswith("property:")]:
            del self.page._shown[field]
        self._specs = specs
        groups = list(dict.fromkeys(spec.group for spec in specs))
        self.setTitle(groups[0] if len(groups) == 1 and groups[0] else general_group())
        ordered = sorted(specs, key=lambda spec: groups.index(spec.group))
        group = None
        for spec in ordered:
            if len(groups) > 1 and spec.group != group:
                group = spec.group
                heading = QLabel(f"<b>{html.escape(group or general_group())}</b>")
                heading.setObjectName("inspector.properties.group")
                self.form.addRow(heading)
                heading.show()
            editor, field_widget = self._editor(spec)
            self.editors[(spec.namespace, spec.name)] = editor
            if isinstance(editor, QCheckBox):
                self.form.addRow(field_widget)
            else:
                label = QLabel(spec.label)
                label.setBuddy(editor)
                label.setToolTip(editor.toolTip())
                self.form.addRow(label, field_widget)
                label.show()  # now, not queued: the inspector is already on screen
            field_widget.show()

    def _editor(self, spec: PropertySpec) -> tuple[QWidget, QWidget]:
        """The editor for ``spec`` and the widget to put in the form (the editor and unit)."""
        editor: QWidget
        if spec.type == "choice":
            combo = QComboBox()
            combo.addItem(_tr("(not set)"), "")
            for choice in spec.choices:
                combo.addItem(choice, choice)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)
            combo.activated.connect(lambda _i, s=spec, c=combo: self.commit(s, c.currentData()))
            editor = combo
        elif spec.type == "boolean":
            check = QCheckBox(spec.label)  # its own label, so the whole text is clickable
            check.clicked.connect(lambda on, s=spec: self.commit(s, "true" if on else "false"))
            editor = check
        else:
            line = QLineEdit()
            line.editingFinished.connect(lambda s=spec, e=line: self.commit(s, e.text()))
            editor = line
        editor.setObjectName(f"inspector.property.{spec.name}")
        tooltip = spec.description or spec.label
        if spec.unit:
            tooltip = _tr("{0} (in {1})").format(tooltip, spec.unit)
        editor.setToolTip(tooltip)
        editor.setAccessibleName(spec.label)
        editor.setAccessibleDescription(tooltip)
        if not spec.unit or not isinstance(editor, QLineEdit):
            return editor, editor
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor, 1)
        unit = QLabel(spec.unit)
        unit.setObjectName(f"inspector.property.{spec.name}.unit")
        unit.setTextFormat(Qt.TextFormat.PlainText)
        unit.setToolTip(tooltip)
        layout.addWidget(unit)
        return editor, row

    # --- committing --------------------------------------------------------------------------
    def commit(self, spec: PropertySpec, text: str) -> None:
        """Store ``text`` as ``spec``'s value: one undo step, or the model's refusal shown."""
        page, field = self.page, self._field(spec)
        if page.record_id not in page.document.components:
            return
        try:
            value = spec.parse(text)
        except ModelError as error:
            page.inspector.show_error(str(error))
            page.fill_forced(field)  # the field shows the stored value again
            return
        component = page.component
        properties = properties_with(component.properties, spec, value)
        if not spec.applies_to(component) or properties == component.properties:
            page.fill_forced(field)  # nothing to change (the same value, normalised)
            return
        record_id, document = page.record_id, page.document
        page.inspector.try_edit(lambda: document.update(record_id, properties=properties))
