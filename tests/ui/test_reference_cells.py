"""Tracing in the cell: ids typed with completion by id or text, one owner from a combo box."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDockWidget

from stipa.model import Document
from stipa.ui import MainWindow
from stipa.ui.workbench.dock import StpaDock
from stipa.ui.workbench.references import ReferenceCombo, ReferencesEdit

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, stipa_example: Callable[[str], Document]) -> MainWindow:
    win = make_window(stipa_example("wheel-brakes"))
    win.resize(1366, 768)
    return win


def _dock(window: MainWindow, table: str) -> StpaDock:
    dock = window.findChild(QDockWidget, "dock.stpa")
    assert isinstance(dock, StpaDock)
    dock.show_tab(table)
    return dock


def _double_click_cell(qtbot, dock: StpaDock, table: str, record_id: str, key: str):
    page = dock.pages[table]
    view = page.view
    index = page.proxy.mapFromSource(page.model.index_of(record_id))
    cell = index.siblingAtColumn(page.model.keys.index(key))
    view.scrollTo(cell)
    point = view.visualRect(cell).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)  # lacks a press
    assert view.state() == QAbstractItemView.State.EditingState
    found = [*view.findChildren(ReferencesEdit), *view.findChildren(ReferenceCombo)]
    editors = [editor for editor in found if editor.isVisible()]
    assert len(editors) == 1  # one editor, in the cell
    return view, editors[0]


def test_references_are_typed_in_the_cell_with_completion_by_text(qtbot, window) -> None:
    doc = window.document
    dock = _dock(window, "constraints")
    view, editor = _double_click_cell(qtbot, dock, "constraints", "SC-1", "hazards")
    assert isinstance(editor, ReferencesEdit)
    assert editor.text() == "H-1"
    assert not window.findChildren(QDialog, "stpa.picker")  # no dialog: the cell is the editor
    editor.end(False)
    QTest.keyClicks(editor, ", airframe")  # words of H-2's text, not its id
    popup = editor.completer_.popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == ["H-2: Aircraft airframe integrity is lost"]
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert editor.text() == "H-1, H-2, "
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    assert doc.constraints["SC-1"].hazards == ("H-1", "H-2")
    assert doc.undo_label  # one undoable edit
    doc.undo()
    assert doc.constraints["SC-1"].hazards == ("H-1",)
    doc.redo()
    assert doc.constraints["SC-1"].hazards == ("H-1", "H-2")

    # an id that names nothing: said so, nothing changed
    view, editor = _double_click_cell(qtbot, dock, "constraints", "SC-1", "hazards")
    editor.selectAll()
    QTest.keyClicks(editor, "H-1, H-99")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    assert doc.constraints["SC-1"].hazards == ("H-1", "H-2")
    assert "H-99" in dock.error.text() and dock.error.isVisible()


def test_the_owner_is_one_choice_from_a_combo_box(qtbot, window) -> None:
    doc = window.document
    dock = _dock(window, "responsibilities")
    view, editor = _double_click_cell(qtbot, dock, "responsibilities", "R-5", "owner_name")
    assert isinstance(editor, ReferenceCombo)
    assert editor.currentData() == "C-2"
    assert editor.findData("C-3") >= 0 and editor.count() == len(doc.components)
    line = editor.lineEdit()
    line.selectAll()
    QTest.keyClicks(line, "hydraulic c")  # words of the name find it
    popup = editor.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert editor.currentData() == "C-3"
    QTest.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    assert doc.responsibilities["R-5"].owner == "C-3"
    doc.undo()
    assert doc.responsibilities["R-5"].owner == "C-2"
