"""The property inspector: every field of the selection, edited through real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QWidget,
)
from ui_gestures import choose, click, type_line

import stipa
from stipa.model import (
    Component,
    Document,
    Hazard,
    Link,
    LinkItem,
    NodeLayout,
    ProcessVariable,
    Property,
    Responsibility,
    UnsafeControlAction,
)
from stipa.ui import MainWindow
from stipa.ui.inspector import summary_text
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui


def make_document() -> Document:
    doc = Document()
    doc.add(Component(id="C-1", name="Pilot", nature="human", role="operator"))
    doc.add(
        Component(
            id="C-2",
            name="Autopilot",
            variables=[ProcessVariable(id="PV-1", name="mode", values=["on", "off"])],
            properties=[Property(namespace="ai", name="flops", value="3e9", unit="FLOP/s")],
        )
    )
    doc.add(Component(id="C-3", name="Aircraft", kind="controlled_process", nature="physical"))
    for cid, x in (("C-1", 0), ("C-2", 300), ("C-3", 600)):
        doc.set_layout(NodeLayout(id=cid, x=x, y=0))
    doc.add(
        Link(
            id="LK-1",
            source="C-1",
            target="C-2",
            items=[LinkItem(id="CA-1", name="engage"), LinkItem(id="CA-2", name="disengage")],
        )
    )
    doc.add(Link(id="LK-2", source="C-2", target="C-3", items=[LinkItem(id="CA-3", name="pitch")]))
    doc.add(Hazard(id="H-1", text="Aircraft leaves its envelope"))
    doc.add(UnsafeControlAction(id="UCA-1", action="CA-3", type="provided", hazards=["H-1"]))
    doc.add(Responsibility(id="R-1", text="Monitor the autopilot", owner="C-1"))
    doc.mark_saved()
    return doc


@pytest.fixture
def window(qtbot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    return WindowFactory(qtbot, monkeypatch)(make_document())


def find(window: MainWindow, cls: type[QWidget], name: str):
    widget = window.inspector.findChild(cls, name)
    assert widget is not None, name
    return widget


def type_text(edit: QPlainTextEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)
    edit.clearFocus()  # focus-out commits


def edit_cell(view: QAbstractItemView, item, text: str) -> None:
    """Open the item's editor, type ``text`` over it and press Enter."""
    if isinstance(view, QTableWidget):
        index = view.model().index(item.row(), item.column())
    else:
        index = view.model().index(view.row(item), 0)
    view.setFocus()
    view.editItem(item)
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    QTest.keyClicks(editor, text) if text else QTest.keyClick(editor, Qt.Key.Key_Delete)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits and closes the editor queued


def undo(window: MainWindow) -> None:
    window.actions_by_name["undo"].trigger()


def redo(window: MainWindow) -> None:
    window.actions_by_name["redo"].trigger()


def error_text(window: MainWindow) -> str:
    label = find(window, QLabel, "inspector.error")
    return label.text() if label.isVisible() else ""


# --- component fields --------------------------------------------------------------------------


def test_component_fields_are_edited_one_undo_step_each(qtbot, window: MainWindow) -> None:
    doc = window.document
    click(qtbot, window, "C-1")
    name = find(window, QLineEdit, "inspector.name")
    assert name.text() == "Pilot"

    type_line(name, "Captain")
    assert doc.components["C-1"].name == "Captain"
    undo(window)
    assert doc.components["C-1"].name == "Pilot"
    assert name.text() == "Pilot"

    kind = find(window, QComboBox, "inspector.kind")
    choose(kind, "external")
    assert doc.components["C-1"].kind == "external"
    undo(window)
    assert doc.components["C-1"].kind == "controller"
    assert kind.currentData() == "controller"

    role = find(window, QComboBox, "inspector.role")
    training = find(window, QComboBox, "inspector.training")
    assert role.isEnabled() and training.isEnabled()
    type_line(role.lineEdit(), "auditor")
    assert doc.components["C-1"].role == "auditor"
    undo(window)
    assert doc.components["C-1"].role == "operator"
    assert role.currentText() == "operator"

    choose(training, "expert")
    assert doc.components["C-1"].training == "expert"
    undo(window)
    assert doc.components["C-1"].training == ""

    nature = find(window, QComboBox, "inspector.nature")
    choose(nature, "organisation")
    assert doc.components["C-1"].nature == "organisation"
    assert not role.isEnabled() and not training.isEnabled()
    undo(window)
    assert doc.components["C-1"].nature == "human"
    assert role.isEnabled() and nature.currentData() == "human"

    description = find(window, QPlainTextEdit, "inspector.description")
    type_text(description, "Flies the aircraft")
    assert doc.components["C-1"].description == "Flies the aircraft"
    undo(window)
    assert doc.components["C-1"].description == ""
    assert description.toPlainText() == ""
    assert not doc.modified  # every edit above was exactly one undo step


def test_an_unchanged_value_pushes_nothing(qtbot, window: MainWindow) -> None:
    doc = window.document
    label = doc.undo_label
    click(qtbot, window, "C-1")
    type_line(find(window, QLineEdit, "inspector.name"), "Pilot")
    type_line(find(window, QLineEdit, "inspector.name"), "  Pilot ")  # stripped: the same
    type_text(find(window, QPlainTextEdit, "inspector.description"), "")
    choose(find(window, QComboBox, "inspector.kind"), "controller")
    assert not doc.modified and doc.undo_label == label
    assert find(window, QLineEdit, "inspector.name").text() == "Pilot"


def test_plugin_properties_are_shown_read_only(qtbot, window: MainWindow) -> None:
    click(qtbot, window, "C-2")
    label = find(window, QLabel, "inspector.properties")
    assert label.text() == "ai: flops = 3e9 FLOP/s"
    role = find(window, QComboBox, "inspector.role")
    assert not role.isEnabled()  # software: no role


# --- process model and responsibilities ----------------------------------------------------


def test_variables_add_edit_remove(qtbot, window: MainWindow) -> None:
    doc = window.document
    click(qtbot, window, "C-2")
    table = find(window, QTableWidget, "inspector.variables")
    assert table.rowCount() == 1 and table.item(0, 1).text() == "on, off"

    find(window, QToolButton, "inspector.variables.add").click()
    variables = doc.components["C-2"].variables
    assert len(variables) == 2 and variables[1].id.startswith("PV-")
    assert table.rowCount() == 2
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # the name editor opened

    edit_cell(table, table.item(1, 0), "altitude")
    edit_cell(table, table.item(1, 1), "low, normal,high")
    new = doc.components["C-2"].variables[1]
    assert (new.name, new.values) == ("altitude", ("low", "normal", "high"))
    assert table.item(1, 1).text() == "low, normal, high"
    undo(window)
    assert doc.components["C-2"].variables[1].values == ("unknown",)
    assert table.item(1, 1).text() == "unknown"
    redo(window)

    table.selectRow(0)
    find(window, QToolButton, "inspector.variables.remove").click()
    assert [v.name for v in doc.components["C-2"].variables] == ["altitude"]
    assert table.rowCount() == 1
    undo(window)
    assert [v.name for v in doc.components["C-2"].variables] == ["mode", "altitude"]
    assert table.item(0, 0).text() == "mode"


def test_responsibilities_add_edit_remove(qtbot, window: MainWindow) -> None:
    doc = window.document
    click(qtbot, window, "C-1")
    listing = find(window, QListWidget, "inspector.responsibilities")
    assert [listing.item(i).text() for i in range(listing.count())] == ["Monitor the autopilot"]

    find(window, QToolButton, "inspector.responsibilities.add").click()
    owned = [r for r in doc.responsibilities.values() if r.owner == "C-1"]
    assert len(owned) == 2 and listing.count() == 2
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)

    edit_cell(listing, listing.item(1), "Keep the crew briefed")
    added = owned[1].id
    assert doc.responsibilities[added].text == "Keep the crew briefed"
    undo(window)
    assert doc.responsibilities[added].text == "New responsibility"
    assert listing.item(1).text() == "New responsibility"

    listing.setCurrentRow(0)
    find(window, QToolButton, "inspector.responsibilities.remove").click()
    assert "R-1" not in doc.responsibilities and listing.count() == 1
    undo(window)
    assert doc.responsibilities["R-1"].owner == "C-1" and listing.count() == 2


# --- links -------------------------------------------------------------------------------------


def test_link_kind_description_and_items(qtbot, window: MainWindow) -> None:
    doc = window.document
    click(qtbot, window, "LK-1")
    assert find(window, QLabel, "inspector.ends").text() == "Pilot → Autopilot"
    items = find(window, QListWidget, "inspector.items")
    texts = lambda: [items.item(i).text() for i in range(items.count())]  # noqa: E731
    assert texts() == ["engage", "disengage"]

    edit_cell(items, items.item(0), "engage autopilot")
    assert [(i.id, i.name) for i in doc.links["LK-1"].items] == [
        ("CA-1", "engage autopilot"),
        ("CA-2", "disengage"),
    ]
    undo(window)
    assert texts() == ["engage", "disengage"]

    find(window, QToolButton, "inspector.items.add").click()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert [i.name for i in doc.links["LK-1"].items][-1] == "control action"
    assert doc.links["LK-1"].items[-1].id not in ("", "CA-1", "CA-2")
    undo(window)
    assert len(doc.links["LK-1"].items) == 2 and items.count() == 2

    items.setCurrentRow(1)
    find(window, QToolButton, "inspector.items.up").click()
    assert [i.id for i in doc.links["LK-1"].items] == ["CA-2", "CA-1"]
    assert items.currentRow() == 0
    find(window, QToolButton, "inspector.items.down").click()
    assert [i.id for i in doc.links["LK-1"].items] == ["CA-1", "CA-2"]
    undo(window)
    undo(window)
    assert texts() == ["engage", "disengage"]

    items.setCurrentRow(0)
    find(window, QToolButton, "inspector.items.remove").click()
    assert [i.id for i in doc.links["LK-1"].items] == ["CA-2"]
    undo(window)
    assert texts() == ["engage", "disengage"]

    choose(find(window, QComboBox, "inspector.link_kind"), "information")
    assert doc.links["LK-1"].kind == "information"
    undo(window)
    assert doc.links["LK-1"].kind == "control_action"

    description = find(window, QPlainTextEdit, "inspector.link_description")
    type_text(description, "Mode panel")
    assert doc.links["LK-1"].description == "Mode panel"
    undo(window)
    assert not doc.modified


# --- refused values ----------------------------------------------------------------------------


def test_refused_values_show_the_message_and_change_nothing(qtbot, window: MainWindow) -> None:
    doc = window.document
    before = doc.snapshot()
    status = window.statusBar()

    click(qtbot, window, "C-1")
    name = find(window, QLineEdit, "inspector.name")
    type_line(name, "")
    assert "must not be empty" in error_text(window)
    assert status.currentMessage() == error_text(window)
    assert name.text() == "Pilot"
    type_line(name, "Pilot in command")  # a valid edit clears the message
    assert error_text(window) == ""
    undo(window)

    click(qtbot, window, "C-2")
    table = find(window, QTableWidget, "inspector.variables")
    edit_cell(table, table.item(0, 1), " , ")
    assert "needs at least one value" in error_text(window)
    assert table.item(0, 1).text() == "on, off"
    find(window, QToolButton, "inspector.variables.add").click()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    edit_cell(table, table.item(1, 0), "mode")
    assert "two process variables named 'mode'" in error_text(window)
    assert table.item(1, 0).text() == "New variable"
    undo(window)  # the added variable

    click(qtbot, window, "LK-1")
    items = find(window, QListWidget, "inspector.items")
    edit_cell(items, items.item(1), "engage")
    assert "'engage' twice" in error_text(window)
    assert items.item(1).text() == "disengage"

    click(qtbot, window, "LK-2")
    link_kind = find(window, QComboBox, "inspector.link_kind")
    choose(link_kind, "feedback")
    assert "UCA-1" in error_text(window)
    assert link_kind.currentData() == "control_action"

    assert doc.snapshot().components == before.components
    assert doc.snapshot().links == before.links
    assert not doc.modified


# --- following the document --------------------------------------------------------------------


def test_undo_and_redo_elsewhere_refresh_the_inspector(qtbot, window: MainWindow) -> None:
    doc = window.document
    click(qtbot, window, "C-1")
    name = find(window, QLineEdit, "inspector.name")
    doc.update("C-1", name="First officer")  # an edit made elsewhere (canvas, panel)
    assert name.text() == "First officer"
    undo(window)
    assert name.text() == "Pilot"
    redo(window)
    assert name.text() == "First officer"
    window.actions_by_name["delete"].trigger()
    assert "C-1" not in doc.components
    assert window.inspector.stack.currentWidget() is window.inspector.info_page


def test_several_selected_show_a_summary(qtbot, window: MainWindow) -> None:
    window.diagram.select_ids(["C-1", "C-2", "C-3", "LK-1", "LK-2"])
    summary = find(window, QLabel, "inspector.summary")
    assert window.inspector.stack.currentWidget() is window.inspector.summary_page
    assert summary.text() == "3 components, 2 links selected"
    assert summary_text(1, 0) == "1 component selected"


def test_document_information_when_nothing_is_selected(qtbot, window: MainWindow) -> None:
    doc = window.document
    title = find(window, QLineEdit, "inspector.info.title")
    type_line(title, "Autoland STPA")
    assert doc.info.title == "Autoland STPA"
    type_text(find(window, QPlainTextEdit, "inspector.info.description"), "Scope: landing")
    assert doc.info.description == "Scope: landing"
    undo(window)
    undo(window)
    assert doc.info.title == "" and title.text() == ""


def test_a_new_document_rebinds_the_inspector(qtbot, window: MainWindow) -> None:
    old = window.document
    window.new_document()
    assert window.document is not old
    title = find(window, QLineEdit, "inspector.info.title")
    type_line(title, "Fresh")
    assert window.document.info.title == "Fresh" and old.info.title == ""
    old.set_info(title="Stale")  # the old document no longer reaches the inspector
    assert title.text() == "Fresh"
    window.document.add(Component(id="C-9", name="Nurse", nature="human"))
    window.diagram.select_ids(["C-9"])
    assert find(window, QLineEdit, "inspector.name").text() == "Nurse"


def test_the_inspector_shows_and_edits_containment(qtbot, window: MainWindow) -> None:
    """Inside (the parent), Level and Alias of a component; a loop is never offered."""
    doc = window.document
    before_bytes = stipa.dumps(doc)
    click(qtbot, window, "C-2")
    inside = find(window, QComboBox, "inspector.parent")
    level = find(window, QSpinBox, "inspector.level")
    alias = find(window, QLineEdit, "inspector.alias")
    assert inside.currentData() == "" and level.text() == "Not stated" and alias.text() == ""
    assert [inside.itemData(i) for i in range(inside.count())] == ["", "C-1", "C-3"]

    choose(inside, "C-1")
    assert doc.components["C-2"].parent == "C-1"
    assert doc.undo_label == "Move Autopilot into Pilot"
    level.setFocus()
    level.selectAll()
    QTest.keyClicks(level, "2")
    QTest.keyClick(level, Qt.Key.Key_Return)
    assert doc.components["C-2"].level == 2
    type_line(alias, "Node7")
    assert doc.components["C-2"].alias == "Node7"

    # the pilot now contains the autopilot: it cannot go inside it
    click(qtbot, window, "C-1")
    assert [inside.itemData(i) for i in range(inside.count())] == ["", "C-3"]
    click(qtbot, window, "C-2")
    assert inside.currentData() == "C-1" and level.value() == 2 and alias.text() == "Node7"
    for _ in range(3):
        undo(window)
    assert inside.currentData() == "" and level.text() == "Not stated"
    assert stipa.dumps(doc) == before_bytes and not doc.modified


def test_a_system_boundary_is_drawn_and_chosen_in_the_inspector(qtbot, window: MainWindow) -> None:
    """A boundary draws (as a dashed outline until frames come) and is a kind the inspector
    offers; a component with links cannot become one."""
    doc = window.document
    click(qtbot, window, "C-3")
    kind = find(window, QComboBox, "inspector.kind")
    choose(kind, "boundary")
    assert doc.components["C-3"].kind == "controlled_process"
    assert "is a system boundary: it marks the system and receives nothing" in error_text(window)
    boundary = doc.add(Component(name="Flight deck", kind="boundary", nature="organisation"))
    doc.set_layout(NodeLayout(id=boundary.id, x=0, y=200))
    doc.update("C-1", parent=boundary.id)
    item = window.diagram.components[boundary.id]
    assert item.isVisible() and item.sceneBoundingRect().width() > 0
    click(qtbot, window, boundary.id)
    assert kind.currentData() == "boundary"
