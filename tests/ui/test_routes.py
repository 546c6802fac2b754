"""Editing link routes: dragging an elbow's middle segment, bends on straight links, the menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt

from stipa.model import Component, Link, LinkItem, LinkLayout, NodeLayout, Routing
from stipa.ui import MainWindow
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui
Left = Qt.MouseButton.LeftButton
NoMod = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    win = make_window()
    doc = win.document
    with doc.transaction("Set up"):
        top = doc.add(Component(name="Controller"))
        bottom = doc.add(Component(name="Process", kind="controlled_process"))
        doc.set_layout(NodeLayout(id=top.id, x=0, y=0))
        doc.set_layout(NodeLayout(id=bottom.id, x=300, y=300))
        doc.add(Link(source=top.id, target=bottom.id, items=[LinkItem(name="Brake")]))
    win.view.zoom_reset()
    win.view.centerOn(230, 200)
    return win


def drag(qtbot, window: MainWindow, start: QPointF, end: QPointF) -> None:
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, Left, NoMod, window.view.mapFromScene(start))
    for i in range(1, 5):
        qtbot.mouseMove(viewport, window.view.mapFromScene(start + (end - start) * (i / 4)))
    qtbot.mouseRelease(viewport, Left, NoMod, window.view.mapFromScene(end))


def test_dragging_the_middle_segment_moves_the_elbow_in_one_undo_step(qtbot, window) -> None:
    doc = window.document
    link = window.diagram.links["LK-1"]
    start, p1, p2, end = link.points()
    assert p1.y() == p2.y()  # a horizontal middle segment between two vertical ones
    link.setSelected(True)
    middle = (p1 + p2) / 2
    drag(qtbot, window, middle, middle + QPointF(0, 60))
    layout = doc.link_layout["LK-1"]
    assert layout.routing == Routing.ORTHOGONAL
    moved = link.points()
    assert moved[1].y() == pytest.approx(p1.y() + 60, abs=10)
    assert moved[0] == start and moved[-1] == end  # the ends stay on the components
    doc.undo()
    assert "LK-1" not in doc.link_layout
    assert link.points()[1].y() == pytest.approx(p1.y())


def test_the_moved_segment_stays_orthogonal_when_a_component_moves(window) -> None:
    doc = window.document
    doc.set_layout(LinkLayout(id="LK-1", bends=((0.0, 200.0),)))
    doc.set_layout(NodeLayout(id="C-2", x=420, y=320))
    points = window.diagram.links["LK-1"].points()
    assert points[1].y() == points[2].y() == 200
    assert points[0].x() == points[1].x() and points[2].x() == points[3].x()


def test_a_straight_link_gets_a_bend_where_it_is_dragged(qtbot, window) -> None:
    doc = window.document
    window.view.set_routing(window.diagram.links["LK-1"], True)
    assert doc.link_layout["LK-1"].routing == Routing.STRAIGHT
    link = window.diagram.links["LK-1"]
    assert len(link.points()) == 2
    link.setSelected(True)
    start, end = link.points()
    middle = (start + end) / 2
    drag(qtbot, window, middle, middle + QPointF(-80, 0))
    bends = doc.link_layout["LK-1"].bends
    assert len(bends) == 1
    assert bends[0][0] == pytest.approx(middle.x() - 80, abs=10)
    assert len(link.points()) == 3
    doc.undo()
    assert doc.link_layout["LK-1"].bends == ()


def test_context_menu_switches_routing_and_resets_the_route(window) -> None:
    doc = window.document
    link = window.diagram.links["LK-1"]
    _start, p1, p2, _end = link.points()
    menu = window.view.context_menu((p1 + p2) / 2)
    assert link.isSelected()
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names[:2] == ["action.route_straight", "action.route_reset"]
    assert "action.delete" in names and "action.rename" in names
    straight = next(a for a in menu.actions() if a.objectName() == "action.route_straight")
    straight.trigger()
    assert doc.link_layout["LK-1"].routing == Routing.STRAIGHT
    menu = window.view.context_menu(link.points()[0] + (link.points()[1] - link.points()[0]) / 2)
    reset = next(a for a in menu.actions() if a.objectName() == "action.route_reset")
    assert reset.isEnabled()
    reset.trigger()
    assert doc.link_layout["LK-1"] == LinkLayout(id="LK-1")
    doc.undo()
    doc.undo()
    assert "LK-1" not in doc.link_layout


def test_context_menu_on_empty_canvas_offers_paste_and_select_all(window) -> None:
    menu = window.view.context_menu(QPointF(-300, -300))
    names = [a.objectName() for a in menu.actions()]
    assert "action.select_all" in names
    assert "action.paste" in names
