"""Deleting a container from the canvas asks what happens to its contents (issue 18)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

import stipa
from stipa.model import Component, Document, Link, LinkItem, NodeLayout
from stipa.operations.hierarchy import Contents
from stipa.ui import MainWindow

pytestmark = pytest.mark.gui


def make_document() -> Document:
    doc = Document()
    doc.add(Component(id="C-1", name="Agency", nature="organisation"))
    doc.add(Component(id="C-2", name="Case worker", nature="human", parent="C-1"))
    doc.add(Component(id="C-3", name="Scoring model", nature="ai_model", parent="C-1"))
    doc.add(Component(id="C-4", name="Citizen", kind="external", nature="human"))
    for cid, x in (("C-1", 0), ("C-2", 250), ("C-3", 500), ("C-4", 750)):
        doc.set_layout(NodeLayout(id=cid, x=x, y=0))
    doc.add(Link(id="LK-1", source="C-2", target="C-3", items=[LinkItem(name="Score")]))
    doc.mark_saved()
    return doc


@pytest.fixture
def window(qtbot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    win = MainWindow(make_document())
    monkeypatch.setattr(win, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def delete_by_mouse_and_key(qtbot, window: MainWindow, record_id: str) -> None:
    diagram, view = window.diagram, window.view
    point = diagram.components[record_id].sceneBoundingRect().center()
    pos: QPoint = view.mapFromScene(point)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert diagram.selected_ids() == [record_id]
    qtbot.keyClick(view, Qt.Key.Key_Delete)


def answer(button_text: str) -> list[str]:
    """Click ``button_text`` in the question box once it is open; returns the box's text."""
    shown: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        shown.append(box.text())
        [button] = [b for b in box.findChildren(QPushButton) if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, click)
    return shown


@pytest.mark.parametrize(
    ("button", "left"),
    [("Keep contents", ["C-2", "C-3", "C-4"]), ("Delete contents too", ["C-4"])],
)
def test_deleting_a_container_asks_and_is_one_undo_step(
    qtbot, window: MainWindow, button: str, left: list[str]
) -> None:
    doc = window.document
    before = stipa.dumps(doc)
    shown = answer(button)
    delete_by_mouse_and_key(qtbot, window, "C-1")
    assert shown == [
        "Agency contains other components. Delete them too, or keep them one level up?"
    ]
    assert list(doc.components) == left
    assert all(doc.components[cid].parent == "" for cid in left)
    assert sorted(window.diagram.components) == left
    window.actions_by_name["undo"].trigger()
    assert stipa.dumps(doc) == before and not doc.modified
    assert sorted(window.diagram.components) == ["C-1", "C-2", "C-3", "C-4"]


def test_cancel_deletes_nothing_and_a_plain_component_is_not_asked_about(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = window.document
    before = stipa.dumps(doc)
    shown = answer("Cancel")
    delete_by_mouse_and_key(qtbot, window, "C-1")
    assert len(shown) == 1
    assert stipa.dumps(doc) == before and not doc.modified
    asked: list[list[str]] = []
    monkeypatch.setattr(window, "ask_contents", lambda ids: asked.append(ids) or Contents.LIFT)
    window.diagram.select_ids(["C-4"])
    window.actions_by_name["delete"].trigger()  # Edit > Delete
    assert asked == [] and "C-4" not in doc.components
    window.diagram.select_ids(["C-1", "C-2"])  # C-3 stays: the box asks about it
    window.actions_by_name["delete"].trigger()
    assert asked == [["C-1"]] and list(doc.components) == ["C-3"]
    assert doc.components["C-3"].parent == ""
