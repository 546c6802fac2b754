"""Plugin properties in the inspector: editors made from PropertySpecs, one undo step each."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget
from ui_gestures import choose, click, type_line

import stipa
from stipa.model import Component, Document, NodeLayout, Property
from stipa.plugin import PluginHost
from stipa.ui import MainWindow
from stipa.ui.plugin_properties import properties_with
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui

NS = "https://acme.example/stipa/ai"
OTHER = "https://other.example/not-installed"


class Acme:
    @stipa.hookimpl
    def stipa_component_properties(self) -> list[stipa.PropertySpec]:
        ai = ("ai_model",)
        return [
            stipa.PropertySpec(NS, "hardware", "Hardware", natures=ai, description="Accelerators"),
            stipa.PropertySpec(NS, "power", "Power draw", "number", unit="kW", natures=ai),
            stipa.PropertySpec(NS, "users", "Users", "integer", natures=ai),
            stipa.PropertySpec(
                NS, "risk", "Risk class", "choice", choices=("minimal", "high"), natures=ai
            ),
            stipa.PropertySpec(
                NS,
                "oversight",
                "Human oversight",
                "boolean",
                kinds=("controller",),
                description="A person can stop the component",
            ),
        ]


class Broken:
    @stipa.hookimpl
    def stipa_component_properties(self, no_such_argument: object) -> list[object]:
        return []


def make_document() -> Document:
    doc = Document()
    doc.add(
        Component(
            id="C-1",
            name="Triage model",
            nature="ai_model",
            properties=[
                Property(namespace=OTHER, name="legacy", value="42", unit="h"),
                Property(namespace=NS, name="power", value="3", unit="kW"),
            ],
        )
    )
    doc.add(Component(id="C-2", name="Nurse", nature="human"))
    doc.add(Component(id="C-3", name="Patient", kind="external", nature="human"))
    for cid, x in (("C-1", 0), ("C-2", 300), ("C-3", 600)):
        doc.set_layout(NodeLayout(id=cid, x=x, y=0))
    doc.mark_saved()
    return doc


@pytest.fixture
def window(qtbot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    host = PluginHost()
    host.register(Acme(), "acme")
    host.register(Broken(), "broken")
    monkeypatch.setattr(MainWindow, "_restore_window_state", lambda self: None)  # default docks
    return WindowFactory(qtbot, monkeypatch)(make_document(), host=host)


def editor(window: MainWindow, cls: type[QWidget], name: str):
    widget = window.inspector.findChild(cls, f"inspector.property.{name}")
    assert widget is not None, name
    assert widget.isVisible()
    return widget


def editor_names(window: MainWindow) -> set[str]:
    return {
        w.objectName().removeprefix("inspector.property.")
        for w in window.inspector.findChildren(QWidget)
        if w.objectName().startswith("inspector.property.") and not w.objectName().endswith(".unit")
    }


def stored(window: MainWindow, name: str, cid: str = "C-1") -> Property | None:
    props = window.document.components[cid].properties
    return next((p for p in props if (p.namespace, p.name) == (NS, name)), None)


def error_text(window: MainWindow) -> str:
    label = window.inspector.findChild(QLabel, "inspector.error")
    return label.text() if label.isVisible() else ""


def test_editors_only_for_the_components_the_specs_apply_to(qtbot, window: MainWindow) -> None:
    click(qtbot, window, "C-1")  # an AI model and a controller: everything
    assert editor_names(window) == {"hardware", "power", "users", "risk", "oversight"}
    assert isinstance(editor(window, QLineEdit, "hardware"), QLineEdit)
    assert isinstance(editor(window, QComboBox, "risk"), QComboBox)
    assert isinstance(editor(window, QCheckBox, "oversight"), QCheckBox)
    assert editor(window, QLineEdit, "hardware").toolTip() == "Accelerators"
    assert "A person can stop" in editor(window, QCheckBox, "oversight").toolTip()
    unit = window.inspector.findChild(QLabel, "inspector.property.power.unit")
    assert unit.text() == "kW" and unit.isVisible()
    assert editor(window, QLineEdit, "power").text() == "3"

    click(qtbot, window, "C-2")  # a human controller: only oversight
    assert editor_names(window) == {"oversight"}
    click(qtbot, window, "C-3")  # a human outside: none, and no group either
    assert editor_names(window) == set()
    box = window.inspector.findChild(QWidget, "inspector.plugin_properties")
    assert not box.isVisible()


def test_editing_each_type_is_one_undo_step(qtbot, window: MainWindow) -> None:
    doc = window.document
    original = doc.components["C-1"].properties
    click(qtbot, window, "C-1")

    type_line(editor(window, QLineEdit, "hardware"), "  8 GPUs ")
    assert stored(window, "hardware") == Property(
        namespace=NS, name="hardware", value="8 GPUs", unit=""
    )
    type_line(editor(window, QLineEdit, "power"), "12.50")
    assert stored(window, "power") == Property(namespace=NS, name="power", value="12.5", unit="kW")
    assert editor(window, QLineEdit, "power").text() == "12.5"  # as stored, normalised
    type_line(editor(window, QLineEdit, "users"), "1200")
    assert stored(window, "users") == Property(namespace=NS, name="users", value="1200", unit="")
    choose(editor(window, QComboBox, "risk"), "high")
    assert stored(window, "risk") == Property(namespace=NS, name="risk", value="high", unit="")
    check = editor(window, QCheckBox, "oversight")
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(10, check.height() // 2))
    assert stored(window, "oversight") == Property(
        namespace=NS, name="oversight", value="true", unit=""
    )
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(10, check.height() // 2))
    assert stored(window, "oversight") == Property(
        namespace=NS, name="oversight", value="false", unit=""
    )
    # the replaced power stays where it was; the unknown plugin's value is untouched
    names = [p.name for p in doc.components["C-1"].properties]
    assert names == ["legacy", "power", "hardware", "users", "risk", "oversight"]
    assert doc.components["C-1"].properties[0] == Property(
        namespace=OTHER, name="legacy", value="42", unit="h"
    )

    for _ in range(6):
        doc.undo()
    assert doc.components["C-1"].properties == original
    assert not doc.modified  # six edits, six undo steps
    assert editor(window, QLineEdit, "hardware").text() == ""
    assert editor(window, QLineEdit, "power").text() == "3"
    assert editor(window, QComboBox, "risk").currentData() == ""
    assert not editor(window, QCheckBox, "oversight").isChecked()
    doc.redo()
    assert stored(window, "hardware").value == "8 GPUs"
    assert editor(window, QLineEdit, "hardware").text() == "8 GPUs"


def test_emptying_a_value_removes_the_property(qtbot, window: MainWindow) -> None:
    doc = window.document
    click(qtbot, window, "C-1")
    type_line(editor(window, QLineEdit, "power"), "")
    assert stored(window, "power") is None
    assert [p.name for p in doc.components["C-1"].properties] == ["legacy"]
    choose(editor(window, QComboBox, "risk"), "minimal")
    choose(editor(window, QComboBox, "risk"), "")  # "(not set)"
    assert stored(window, "risk") is None
    doc.undo()
    assert stored(window, "risk").value == "minimal"
    doc.undo()
    doc.undo()
    assert (
        stored(window, "power") == Property(namespace=NS, name="power", value="3", unit="kW")
        and not doc.modified
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("power", "lots", "Power draw must be a number, not 'lots'."),
        ("power", "inf", "Power draw must be a number, not 'inf'."),
        ("users", "12.5", "Users must be a whole number, not '12.5'."),
    ],
)
def test_invalid_numbers_are_refused(
    qtbot, window: MainWindow, name: str, text: str, message: str
) -> None:
    doc = window.document
    before, label = doc.components["C-1"], doc.undo_label
    click(qtbot, window, "C-1")
    edit = editor(window, QLineEdit, name)
    shown = edit.text()
    type_line(edit, text)
    assert error_text(window) == message
    assert message in window.statusBar().currentMessage()
    assert doc.components["C-1"] == before and not doc.modified and doc.undo_label == label
    assert edit.text() == shown  # the field shows the stored value again
    type_line(edit, "7")  # a good value clears the message
    assert error_text(window) == "" and stored(window, name).value == "7"


def test_an_unchanged_value_pushes_nothing(qtbot, window: MainWindow) -> None:
    doc = window.document
    label = doc.undo_label
    click(qtbot, window, "C-1")
    type_line(editor(window, QLineEdit, "power"), "3.0")  # the same number
    type_line(editor(window, QLineEdit, "hardware"), "   ")  # still unset
    choose(editor(window, QComboBox, "risk"), "")
    assert not doc.modified and doc.undo_label == label


def test_properties_of_plugins_not_installed_are_kept(qtbot, window: MainWindow) -> None:
    doc = window.document
    click(qtbot, window, "C-1")
    kept = window.inspector.findChild(QLabel, "inspector.properties")
    assert kept.isVisible() and kept.text() == f"{OTHER}: legacy = 42 h"
    notes = [w.text() for w in window.inspector.findChildren(QLabel) if w.isVisible()]
    assert "From a plugin that is not installed: kept as is." in notes
    assert window.inspector.findChild(QWidget, "inspector.property.legacy") is None

    type_line(editor(window, QLineEdit, "power"), "9")
    type_line(editor(window, QLineEdit, "power"), "")
    assert doc.components["C-1"].properties == (
        Property(namespace=OTHER, name="legacy", value="42", unit="h"),
    )
    assert kept.text() == f"{OTHER}: legacy = 42 h"


def test_declared_properties_that_stop_applying_are_kept(qtbot, window: MainWindow) -> None:
    doc = window.document
    click(qtbot, window, "C-1")
    nature = window.inspector.findChild(QComboBox, "inspector.nature")
    choose(nature, "software")  # no longer an AI model: power has no editor now
    assert editor_names(window) == {"oversight"}
    unused = window.inspector.findChild(QLabel, "inspector.properties.unused")
    assert unused.isVisible() and unused.text() == f"{NS}: power = 3 kW"
    check = editor(window, QCheckBox, "oversight")
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(10, check.height() // 2))
    assert [p.name for p in doc.components["C-1"].properties] == ["legacy", "power", "oversight"]
    doc.undo()
    doc.undo()
    assert editor(window, QLineEdit, "power").text() == "3"
    assert not unused.isVisible() and not doc.modified


def test_properties_with_replaces_in_place_and_keeps_the_rest() -> None:
    spec = stipa.PropertySpec(NS, "power", "Power", "number", unit="kW")
    old = (
        Property(
            namespace=OTHER, name="power", value="1", unit="W"
        ),  # the same name in another namespace
        Property(
            namespace=NS, name="power", value="2", unit="W"
        ),  # the declared unit wins on the next edit
        Property(namespace=OTHER, name="x", value="y"),
    )
    assert properties_with(old, spec, "5") == (
        old[0],
        Property(namespace=NS, name="power", value="5", unit="kW"),
        old[2],
    )
    assert properties_with(old, spec, "") == (old[0], old[2])
    assert properties_with((), spec, "") == ()
    assert properties_with((), spec, "5") == (
        Property(namespace=NS, name="power", value="5", unit="kW"),
    )
