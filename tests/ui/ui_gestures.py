"""What a user does with the mouse and keys, shared by the UI tests: click, type, choose."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit

from stipa.diagram.containers import TITLE_HEIGHT
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.view import CanvasView


class Canvas(Protocol):
    """A window with a canvas: the main window, or a test's stand-in for it."""

    diagram: DiagramScene
    view: CanvasView


def click(qtbot, window: Canvas, record_id: str) -> None:
    """Click a component (a frame by its title bar) or a link's label on the canvas."""
    diagram, view = window.diagram, window.view
    if record_id in diagram.components:
        box = diagram.components[record_id].sceneBoundingRect()
        point = box.center()
        if diagram.hierarchy.is_container(record_id):  # a frame is picked by its title bar
            point = QPointF(point.x(), box.top() + TITLE_HEIGHT / 2)
    else:
        point = diagram.links[record_id].label_rect().center()
    pos: QPoint = view.mapFromScene(point)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert diagram.selected_ids() == [record_id]


def type_line(edit: QLineEdit, text: str) -> None:
    """Type ``text`` over a line's content (Delete for none) and press Enter."""
    edit.setFocus()
    edit.selectAll()
    if text:
        QTest.keyClicks(edit, text)
    else:
        QTest.keyClick(edit, Qt.Key.Key_Delete)
    QTest.keyClick(edit, Qt.Key.Key_Return)


def choose(combo: QComboBox, data: str) -> None:
    """Choose the entry holding ``data``, as a click in the open list does."""
    index = combo.findData(data)
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
