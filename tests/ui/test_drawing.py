"""Drawing a control structure as a person would: real mouse and keyboard on the real widgets.

Every step checks the model; at the end everything is undone back to the empty document,
redone, saved, reopened in a new window and compared byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QWheelEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from stipa import io
from stipa.model import LinkKind
from stipa.ui import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("recovery_dir", "cursor_off_the_canvas")]

Key = Qt.Key
Mod = Qt.KeyboardModifier
Left = Qt.MouseButton.LeftButton


# --- fixtures and gestures ------------------------------------------------------------------
def focused(window: MainWindow) -> MainWindow:
    """``window`` with the keyboard on its canvas."""
    window.view.setFocus()
    return window


@pytest.fixture
def window(make_window) -> MainWindow:
    """A shown window whose modal dialogs never open (errors are collected, close discards)."""
    return focused(make_window())


def vp(window: MainWindow, point: QPointF) -> QPoint:
    """A scene point in viewport coordinates (mapped anew: the view may have scrolled)."""
    return window.view.mapFromScene(point)


def click(qtbot, window: MainWindow, point: QPointF, modifier=Mod.NoModifier) -> None:
    qtbot.mouseClick(window.view.viewport(), Left, modifier, vp(window, point))


def drag(qtbot, window: MainWindow, start: QPointF, end: QPointF, steps: int = 4) -> None:
    """Press at ``start``, move in a few steps, release at ``end``."""
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, Left, Mod.NoModifier, vp(window, start))
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        qtbot.mouseMove(viewport, vp(window, point))
    qtbot.mouseRelease(viewport, Left, Mod.NoModifier, vp(window, end))


def tool(window: MainWindow, key: str) -> None:
    """Choose a palette entry, found by its object name as a user's click would trigger it."""
    action = window.findChild(QAction, f"tool.{key}")
    assert action is not None, key
    action.trigger()


def type_name(qtbot, window: MainWindow, text: str) -> None:
    """Type into the open in-place editor and press Enter."""
    assert window.view.editor is not None
    qtbot.keyClicks(window.view, text)
    qtbot.keyClick(window.view, Key.Key_Return)


def centre(window: MainWindow, component_id: str) -> QPointF:
    return window.diagram.components[component_id].scene_rect().center()


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def history_depth(window: MainWindow) -> int:
    return window.document._position


# --- the scenario ---------------------------------------------------------------------------
def test_draw_edit_undo_everything_redo_save_and_reopen(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch, errors, make_window
) -> None:
    doc = window.document
    view = window.view

    # place a controller from the palette and name it in place
    tool(window, "controller")
    click(qtbot, window, QPointF(200, 100))
    assert len(doc.components) == 1
    crew_id = next(iter(doc.components))
    assert doc.components[crew_id].kind == "controller"
    assert crew_id in doc.node_layout
    type_name(qtbot, window, "Flight crew")
    assert doc.components[crew_id].name == "Flight crew"
    assert view.editor is None
    assert doc.undo_label  # placing and renaming are undo steps

    # a controlled process below it
    tool(window, "controlled_process")
    click(qtbot, window, QPointF(200, 400))
    assert len(doc.components) == 2
    plant_id = next(cid for cid in doc.components if cid != crew_id)
    assert doc.components[plant_id].kind == "controlled_process"
    type_name(qtbot, window, "Aircraft")
    assert doc.components[plant_id].name == "Aircraft"

    # a control action from the crew to the aircraft: press, move, release
    tool(window, "control_action")
    drag(qtbot, window, centre(window, crew_id), centre(window, plant_id))
    assert len(doc.links) == 1
    action_id = next(iter(doc.links))
    action = doc.links[action_id]
    assert (action.source, action.target, action.kind) == (crew_id, plant_id, "control_action")
    assert view.editor is not None  # the new link's item is renamed in place ...
    qtbot.keyClick(view, Key.Key_Escape)  # ... or not
    assert view.editor is None
    assert doc.links[action_id].items[0].name == action.items[0].name

    # feedback from the aircraft back to the crew
    tool(window, "feedback")
    drag(qtbot, window, centre(window, plant_id), centre(window, crew_id))
    assert len(doc.links) == 2
    feedback_id = next(lid for lid in doc.links if lid != action_id)
    feedback = doc.links[feedback_id]
    assert (feedback.source, feedback.target, feedback.kind) == (plant_id, crew_id, "feedback")
    type_name(qtbot, window, "Attitude")
    assert doc.links[feedback_id].items[0].name == "Attitude"

    # rename the control action by double-clicking its label
    label = window.diagram.links[action_id].label_rect().center()
    qtbot.mouseDClick(view.viewport(), Left, Mod.NoModifier, vp(window, label))
    assert view.editor is not None
    type_name(qtbot, window, "Pitch command")
    assert doc.links[action_id].items[0].name == "Pitch command"
    assert doc.links[action_id].items[0].id == action.items[0].id

    # drag the crew to the right: one undo step, layout changed, links follow
    before = doc.node_layout[crew_id]
    route_before = window.diagram.links[action_id].points()
    depth = history_depth(window)
    start = centre(window, crew_id)
    drag(qtbot, window, start, start + QPointF(150, 0))
    after = doc.node_layout[crew_id]
    assert (after.x, after.y) == (before.x + 150, before.y)
    assert history_depth(window) == depth + 1
    assert doc.undo_label == "Move component"
    assert window.diagram.links[action_id].points() != route_before
    assert (
        window.diagram.links[action_id].points() == window.diagram.links[action_id].compute_points()
    )

    qtbot.keyClick(view, Key.Key_Z, Mod.ControlModifier)  # undo puts item and links back
    assert doc.node_layout[crew_id] == before
    assert window.diagram.components[crew_id].layout() == before
    assert window.diagram.links[action_id].points() == route_before
    qtbot.keyClick(view, Key.Key_Y, Mod.ControlModifier)
    assert window.diagram.components[crew_id].layout() == after

    # rubber band around both components selects them and their links
    click(qtbot, window, QPointF(-200, -200))  # empty canvas: clears the selection
    assert window.diagram.selected_ids() == []
    drag(qtbot, window, QPointF(-100, -100), QPointF(700, 700))
    assert set(window.diagram.selected_ids()) == {crew_id, plant_id, action_id, feedback_id}

    # click one, Ctrl-click the other
    click(qtbot, window, QPointF(-200, -200))
    click(qtbot, window, centre(window, crew_id))
    assert window.diagram.selected_ids() == [crew_id]
    click(qtbot, window, centre(window, plant_id), Mod.ControlModifier)
    assert set(window.diagram.selected_ids()) == {crew_id, plant_id}

    # arrow key nudges both by one grid step, as one undo step
    layouts = {cid: doc.node_layout[cid] for cid in (crew_id, plant_id)}
    depth = history_depth(window)
    qtbot.keyClick(view, Key.Key_Down)
    assert history_depth(window) == depth + 1
    for cid, layout in layouts.items():
        assert (doc.node_layout[cid].x, doc.node_layout[cid].y) == (layout.x, layout.y + 10)

    # resize the crew by dragging its handle
    click(qtbot, window, QPointF(-200, -200))
    click(qtbot, window, centre(window, crew_id))
    before = doc.node_layout[crew_id]
    handle = window.diagram.components[crew_id].mapToScene(
        window.diagram.components[crew_id].handle_rect().center()
    )
    depth = history_depth(window)
    drag(qtbot, window, handle, handle + QPointF(40, 30))
    after = doc.node_layout[crew_id]
    assert (after.x, after.y) == (before.x, before.y)
    assert (after.width, after.height) == (before.width + 40, before.height + 30)
    assert history_depth(window) == depth + 1

    # Delete removes the crew and both links; Ctrl+Z brings all of it back
    snapshot = io.dumps(doc)
    assert window.diagram.selected_ids() == [crew_id]
    qtbot.keyClick(view, Key.Key_Delete)
    assert crew_id not in doc.components and crew_id not in doc.node_layout
    assert len(doc.links) == 0
    assert set(window.diagram.components) == {plant_id} and not window.diagram.links
    qtbot.keyClick(view, Key.Key_Z, Mod.ControlModifier)
    assert io.dumps(doc) == snapshot
    assert set(window.diagram.links) == {action_id, feedback_id}

    # copy and paste the crew: a new component with a new id, selected
    window.diagram.select_ids([crew_id])
    qtbot.keyClick(view, Key.Key_C, Mod.ControlModifier)
    assert QApplication.clipboard().mimeData().hasFormat("application/x-stipa+xml")
    qtbot.keyClick(view, Key.Key_V, Mod.ControlModifier)
    assert len(doc.components) == 3
    (copy_id,) = set(doc.components) - {crew_id, plant_id}
    assert doc.components[copy_id].name == "Flight crew"
    assert copy_id in doc.node_layout
    assert window.diagram.selected_ids() == [copy_id]
    assert len(doc.links) == 2  # links to components left behind are not copied
    assert doc.undo_label == "Paste 1 element"

    # Esc cancels a link drag: nothing added, a message says so
    links_before = dict(doc.links)
    tool(window, "information")
    viewport = view.viewport()
    qtbot.mousePress(viewport, Left, Mod.NoModifier, vp(window, centre(window, crew_id)))
    qtbot.mouseMove(viewport, vp(window, centre(window, copy_id)))
    qtbot.keyClick(view, Key.Key_Escape)
    assert status(window) == "Link cancelled."
    qtbot.mouseRelease(viewport, Left, Mod.NoModifier, vp(window, centre(window, copy_id)))
    assert dict(doc.links) == links_before
    assert view.tool.key == "select"

    # refused links: a control action from a sensor, and a link to itself
    tool(window, "sensor")
    click(qtbot, window, QPointF(650, 400))
    qtbot.keyClick(view, Key.Key_Escape)  # keep the default name
    (sensor_id,) = set(doc.components) - {crew_id, plant_id, copy_id}
    depth = history_depth(window)
    tool(window, "control_action")
    drag(qtbot, window, centre(window, sensor_id), centre(window, plant_id))
    assert "sensor" in status(window)
    assert dict(doc.links) == links_before
    tool(window, "feedback")
    drag(qtbot, window, centre(window, plant_id), centre(window, plant_id) + QPointF(10, 5))
    assert "itself" in status(window)
    assert dict(doc.links) == links_before
    assert history_depth(window) == depth
    assert not any(item.highlight for item in window.diagram.components.values())

    # zoom: Ctrl+wheel and Ctrl++
    zoom = view.zoom
    position = QPointF(vp(window, centre(window, plant_id)))
    wheel = QWheelEvent(
        position,
        QPointF(viewport.mapToGlobal(position.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Mod.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    assert view.zoom == pytest.approx(zoom * 1.25)
    qtbot.keyClick(view, Key.Key_Plus, Mod.ControlModifier)
    assert view.zoom == pytest.approx(zoom * 1.25 * 1.25)
    assert doc.undo_label != "" and doc.modified  # zoom is not an edit

    # undo everything with Ctrl+Z: back to the empty document, no layouts left
    drawn = io.dumps(doc)
    undo, redo = window.actions_by_name["undo"], window.actions_by_name["redo"]
    steps = 0
    while undo.isEnabled():
        qtbot.keyClick(view, Key.Key_Z, Mod.ControlModifier)
        steps += 1
        assert steps < 100
    assert len(doc) == 0
    assert not doc.node_layout and not doc.link_layout
    assert not window.diagram.components and not window.diagram.links
    assert io.dumps(doc) == io.dumps(type(doc)())

    # redo all of it with Ctrl+Y
    while redo.isEnabled():
        qtbot.keyClick(view, Key.Key_Y, Mod.ControlModifier)
        steps -= 1
    assert steps == 0
    assert io.dumps(doc) == drawn
    assert set(window.diagram.components) == set(doc.components)
    assert set(window.diagram.links) == set(doc.links)

    # save through the (patched) file dialog, reopen in a new window, compare
    target = tmp_path / "drawn.stipa"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kw: (str(target), ""))
    )
    qtbot.keyClick(view, Key.Key_S, Mod.ControlModifier)
    assert target.exists()
    assert not doc.modified
    other = focused(make_window())
    assert other.open_path(target)
    assert io.dumps(other.document) == io.dumps(doc) == drawn
    assert set(other.diagram.components) == set(doc.components)
    for cid, item in other.diagram.components.items():
        assert item.layout() == doc.node_layout[cid]
    assert errors == []


def test_copy_in_one_window_paste_in_another(qtbot, make_window) -> None:
    first = focused(make_window())
    second = focused(make_window())
    tool(first, "human_operator")
    click(qtbot, first, QPointF(100, 100))
    type_name(qtbot, first, "Operator")
    tool(first, "actuator")
    click(qtbot, first, QPointF(100, 350))
    type_name(qtbot, first, "Valve")
    op, valve = list(first.document.components)
    tool(first, "control_action")
    drag(qtbot, first, centre(first, op), centre(first, valve))
    type_name(qtbot, first, "Open valve")
    first.actions_by_name["select_all"].trigger()
    first.actions_by_name["copy"].trigger()
    assert QApplication.clipboard().text() == "Operator\nValve"

    second.activateWindow()
    second.view.setFocus()
    second.actions_by_name["paste"].trigger()
    doc = second.document
    assert [c.name for c in doc.components.values()] == ["Operator", "Valve"]
    (link,) = doc.links.values()
    assert link.kind == LinkKind.CONTROL_ACTION
    assert [item.name for item in link.items] == ["Open valve"]
    assert (link.source, link.target) == tuple(doc.components)
    assert set(second.diagram.selected_ids()) == {*doc.components, link.id}
    assert doc.undo_label == "Paste 3 elements"
    for new_id, old_id in zip(doc.components, first.document.components, strict=True):
        old, new = first.document.node_layout[old_id], doc.node_layout[new_id]
        assert (new.width, new.height) == (old.width, old.height)
        assert new.x - old.x == new.y - old.y
    second.actions_by_name["undo"].trigger()
    assert len(doc) == 0 and not doc.node_layout
    assert len(first.document.components) == 2  # the source window is untouched


# --- canvas bugs met on the way, one test each ----------------------------------------------
def two_components(qtbot, window: MainWindow) -> tuple[str, str]:
    tool(window, "controller")
    click(qtbot, window, QPointF(100, 100))
    type_name(qtbot, window, "Upper")
    tool(window, "controlled_process")
    click(qtbot, window, QPointF(100, 400))
    qtbot.keyClick(window.view, Key.Key_Escape)
    upper, lower = list(window.document.components)
    return upper, lower


def test_enter_and_escape_really_close_the_in_place_editor(qtbot, window: MainWindow) -> None:
    # Bug: the editor closed itself on Enter/Esc but the view kept it as ``editor``, so
    # Delete, arrow keys and the clipboard stayed dead until the next click on the canvas.
    upper, lower = two_components(qtbot, window)
    assert window.view.editor is None
    assert window.diagram.selected_ids() == [lower]
    y = window.document.node_layout[lower].y
    qtbot.keyClick(window.view, Key.Key_Down)
    assert window.document.node_layout[lower].y == y + 10
    qtbot.keyClick(window.view, Key.Key_Delete)
    assert list(window.document.components) == [upper]


def test_delete_key_in_the_in_place_editor_edits_the_text(qtbot, window: MainWindow) -> None:
    upper, _lower = two_components(qtbot, window)
    window.diagram.select_ids([upper])
    qtbot.keyClick(window.view, Key.Key_F2)
    assert window.view.editor is not None
    qtbot.keyClick(window.view, Key.Key_Delete)  # the whole name is selected: clears it
    type_name(qtbot, window, "Renamed")
    assert window.document.components[upper].name == "Renamed"


def test_adding_or_removing_a_link_re_routes_its_siblings(qtbot, window: MainWindow) -> None:
    # Bug: a second link between the same components shifted lanes, but the first link kept
    # its old route until one of the components moved (and saved/reopened looked different).
    upper, lower = two_components(qtbot, window)
    tool(window, "control_action")
    drag(qtbot, window, centre(window, upper), centre(window, lower))
    qtbot.keyClick(window.view, Key.Key_Escape)
    tool(window, "feedback")
    drag(qtbot, window, centre(window, lower), centre(window, upper))
    qtbot.keyClick(window.view, Key.Key_Escape)
    action, feedback = (window.diagram.links[k] for k in window.document.links)
    for link in (action, feedback):
        assert link.points() == link.compute_points()
    xs = {p.x() for p in action.points()} & {p.x() for p in feedback.points()}
    assert not xs  # separate lanes
    window.document.remove(feedback.record_id)
    assert action.points() == action.compute_points()
