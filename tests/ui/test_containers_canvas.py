"""Containers on the canvas, driven with the mouse and keyboard: drag into and out of a frame,
move a frame with its contents, resize it no smaller than its contents, collapse and expand,
drill down and back, and place containers from the palette. Each step checks the model and
is undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QToolButton

from stipa import io
from stipa.diagram.containers import TITLE_HEIGHT
from stipa.model import Component, Document, Link, LinkItem, NodeLayout
from stipa.operations.hierarchy import Contents
from stipa.ui import MainWindow
from stipa.ui.canvas.drill import Breadcrumb
from stipa.ui.canvas.style import link_pens

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("recovery_dir", "cursor_off_the_canvas")]

Left = Qt.MouseButton.LeftButton
NoMod = Qt.KeyboardModifier.NoModifier


def _document() -> Document:
    """A service (C-1) holding an assistant (C-2); a citizen (C-3) outside, linked to both."""
    doc = Document()
    service = doc.add(Component(name="Citizen service", nature="organisation"))
    assistant = doc.add(Component(name="Assistant", nature="software", parent=service.id))
    citizen = doc.add(Component(name="Citizen", kind="external", nature="human"))
    doc.add(Link(source=citizen.id, target=assistant.id, kind="information",
                 items=[LinkItem(name="Question")]))  # fmt: skip
    doc.add(Link(source=citizen.id, target=service.id, kind="information",
                 items=[LinkItem(name="Complaint")]))  # fmt: skip
    doc.set_layout(NodeLayout(id=service.id, x=0, y=0, width=400, height=260))
    doc.set_layout(NodeLayout(id=assistant.id, x=40, y=80))
    doc.set_layout(NodeLayout(id=citizen.id, x=600, y=400))
    doc.mark_saved()
    return doc


@pytest.fixture
def window(make_window) -> MainWindow:
    win = make_window(document=_document())
    win.view.setFocus()
    return win


def vp(window: MainWindow, point: QPointF) -> QPoint:
    return window.view.mapFromScene(point)


def drag(qtbot, window: MainWindow, start: QPointF, end: QPointF, steps: int = 5) -> None:
    viewport = window.view.viewport()
    qtbot.mousePress(viewport, Left, NoMod, vp(window, start))
    for i in range(1, steps + 1):
        qtbot.mouseMove(viewport, vp(window, start + (end - start) * (i / steps)))
    qtbot.mouseRelease(viewport, Left, NoMod, vp(window, end))


def centre(window: MainWindow, component_id: str) -> QPointF:
    return window.view.diagram.components[component_id].scene_rect().center()


def saved(doc: Document) -> bytes:
    return io.dumps(doc)


def test_frames_are_drawn_behind_their_contents(window: MainWindow) -> None:
    items = window.view.diagram.components
    assert items["C-1"].drawn_as_frame and not items["C-2"].drawn_as_frame
    assert items["C-1"].zValue() < 0 < items["C-2"].zValue()
    # the inside of a frame is the canvas's: the component under a point there is the child
    assert window.view.diagram.component_at(centre(window, "C-2")) is items["C-2"]


def test_drag_into_and_out_of_a_container(qtbot, window: MainWindow) -> None:
    doc = window.document
    before = saved(doc)
    # out: the assistant dragged from the service onto empty canvas
    drag(qtbot, window, centre(window, "C-2"), QPointF(700, 100))
    assert doc.components["C-2"].parent == ""
    assert doc.node_layout["C-2"].x > 400
    assert not window.view.diagram.components["C-1"].drawn_as_frame  # nothing inside now
    # in: the citizen dragged into the service, highlighted while over it
    viewport = window.view.viewport()
    start, end = centre(window, "C-3"), QPointF(200, 170)
    qtbot.mousePress(viewport, Left, NoMod, vp(window, start))
    for i in range(1, 6):
        qtbot.mouseMove(viewport, vp(window, start + (end - start) * (i / 5)))
    assert window.view.diagram.components["C-1"].highlight is not None
    qtbot.mouseRelease(viewport, Left, NoMod, vp(window, end))
    assert window.view.diagram.components["C-1"].highlight is None
    assert doc.components["C-3"].parent == "C-1"
    assert doc.undo_label.startswith("Move Citizen into")
    doc.undo()  # one step takes back the move and the re-parenting
    assert doc.components["C-3"].parent == ""
    assert doc.node_layout["C-3"].x == 600
    doc.undo()
    assert doc.components["C-2"].parent == "C-1"
    assert saved(doc) == before


def test_dropping_where_it_sticks_out_grows_the_container(qtbot, window: MainWindow) -> None:
    doc = window.document
    drag(qtbot, window, centre(window, "C-3"), QPointF(380, 240))
    assert doc.components["C-3"].parent == "C-1"
    citizen, service = doc.node_layout["C-3"], doc.node_layout["C-1"]
    assert service.x + service.width >= citizen.x + citizen.width
    assert service.y + service.height >= citizen.y + citizen.height


def test_moving_a_container_moves_its_contents(qtbot, window: MainWindow) -> None:
    doc = window.document
    before = saved(doc)
    title = QPointF(200, TITLE_HEIGHT / 2)
    drag(qtbot, window, title, title + QPointF(100, 60))
    assert (doc.node_layout["C-1"].x, doc.node_layout["C-1"].y) == (100, 60)
    assert (doc.node_layout["C-2"].x, doc.node_layout["C-2"].y) == (140, 140)
    assert doc.components["C-2"].parent == "C-1"
    doc.undo()
    assert saved(doc) == before
    assert window.view.diagram.components["C-2"].pos() == QPointF(40, 80)


def test_resizing_never_cuts_a_child_off(qtbot, window: MainWindow) -> None:
    doc = window.document
    window.view.diagram.select_ids(["C-1"])
    handle = window.view.diagram.components["C-1"].handle_rect().center()
    drag(qtbot, window, handle, QPointF(50, 50))
    box, child = doc.node_layout["C-1"], doc.node_layout["C-2"]
    assert box.width >= child.x + child.width and box.height >= child.y + child.height


def test_collapse_and_expand(qtbot, window: MainWindow) -> None:
    doc = window.document
    before = saved(doc)
    scene = window.view.diagram
    # double-click on the title bar collapses
    qtbot.mouseDClick(window.view.viewport(), Left, NoMod, vp(window, QPointF(200, 12)))
    assert doc.node_layout["C-1"].collapsed
    assert doc.node_layout["C-1"].width == 400  # the expanded size is kept
    assert not scene.components["C-2"].isVisible()
    assert not scene.links["LK-1"].isVisible()  # citizen -> assistant, drawn to the service
    assert scene.links["LK-2"].isVisible()  # citizen -> service itself stays as it was
    arrows = scene.hierarchy.aggregates
    assert [(a.aggregate.source, a.aggregate.target, a.count) for a in arrows] == [
        ("C-3", "C-1", 1)
    ]
    assert scene.components["C-1"].size()[0] < 400  # drawn as one component
    assert doc.undo_label == "Collapse Citizen service"
    # the keyboard expands: + on the selected container
    scene.select_ids(["C-1"])
    qtbot.keyClick(window.view, Qt.Key.Key_Plus)
    assert not doc.node_layout["C-1"].collapsed
    assert scene.components["C-2"].isVisible() and scene.links["LK-1"].isVisible()
    assert not scene.hierarchy.aggregates
    doc.undo()
    assert scene.components["C-2"].isVisible() is False
    doc.undo()
    assert saved(doc) == before
    assert scene.components["C-2"].isVisible()


def test_collapsed_state_is_saved(window: MainWindow, tmp_path: Path) -> None:
    doc = window.document
    window.view.diagram.hierarchy.toggle("C-1")
    text = saved(doc).decode()
    assert 'collapsed="true"' in text
    again = io.loads(text.encode())
    assert again.node_layout["C-1"].collapsed
    doc.undo()
    assert 'collapsed="true"' not in saved(doc).decode()


def test_drill_down_opens_the_container_as_its_own_view(qtbot, window: MainWindow) -> None:
    doc = window.document
    before = saved(doc)
    main = window.view
    window.views.resize(1000, 700)
    menu = main.context_menu(QPointF(200, 12))  # on the service's title bar
    opened = next(a for a in menu.actions() if a.objectName() == "action.open_container")
    opened.trigger()
    # a tab of its own, beside the whole diagram, which still shows everything
    assert window.views.count() == 2
    sub = window.views.current_view()
    assert sub is not main and sub.objectName() == "containerView"
    assert window.views.tabText(1) == "Citizen service"
    items = sub.diagram.components
    assert items["C-1"].isVisible() and items["C-2"].isVisible()
    assert not items["C-3"].isVisible() and not sub.diagram.links["LK-1"].isVisible()
    assert main.diagram.components["C-3"].isVisible()
    bar = sub.findChild(Breadcrumb)
    assert bar is not None and bar.isVisible()
    assert [b.text() for b in bar.buttons] == ["Diagram ›", "Citizen service"]

    # selecting in the container's view selects in the whole diagram...
    assistant = items["C-2"].scene_rect().center()
    qtbot.mouseClick(sub.viewport(), Left, NoMod, sub.mapFromScene(assistant))
    assert sub.diagram.selected_ids() == ["C-2"]
    assert main.diagram.selected_ids() == ["C-2"]
    assert window.inspector.isEnabled()
    # ...and the other way round, what the container's view shows
    main.diagram.select_ids(["C-1", "C-3"])
    assert sub.diagram.selected_ids() == ["C-1"]
    main.diagram.select_ids(["C-2"])

    # its context menu offers the window's edits
    menu = sub.context_menu(assistant)
    assert "action.delete" in [a.objectName() for a in menu.actions()]
    menu.deleteLater()

    # an edit there is an ordinary edit of the document, undone as one
    start = sub.mapFromScene(assistant)
    end = sub.mapFromScene(assistant + QPointF(120, 40))
    qtbot.mousePress(sub.viewport(), Left, NoMod, start)
    for step in range(1, 6):
        qtbot.mouseMove(sub.viewport(), start + (end - start) * (step / 5))
    qtbot.mouseRelease(sub.viewport(), Left, NoMod, end)
    moved = doc.node_layout["C-2"]
    assert (moved.x, moved.y) == (160, 120)
    assert doc.components["C-2"].parent == "C-1"
    assert main.diagram.components["C-2"].pos() == QPointF(160, 120)  # both views follow
    window.findChild(QAction, "action.undo").trigger()
    assert (doc.node_layout["C-2"].x, doc.node_layout["C-2"].y) == (40, 80)
    assert items["C-2"].pos() == QPointF(40, 80)
    assert saved(doc) == before

    # a component placed from the palette in the container's view goes into the container
    window.findChild(QAction, "tool.controller").trigger()
    qtbot.mouseClick(sub.viewport(), Left, NoMod, sub.mapFromScene(QPointF(250, 200)))
    sub.finish_rename(False)
    added = list(doc.components.values())[-1]
    assert added.parent == "C-1" and added.id in sub.diagram.components
    assert sub.diagram.components[added.id].isVisible()
    doc.undo()
    assert saved(doc) == before
    qtbot.mouseClick(sub.viewport(), Left, NoMod, sub.mapFromScene(assistant))

    # back through the breadcrumb: the tab closes, the whole diagram shows, selection kept
    back = bar.findChild(QToolButton, "breadcrumb.0")
    assert back is not None
    qtbot.mouseClick(back, Left)
    assert window.views.count() == 1
    assert window.views.current_view() is main
    assert main.diagram.selected_ids() == ["C-2"]


def _open_service(window: MainWindow):  # type: ignore[no-untyped-def]
    """Open the service (C-1) as its own view from its title bar's context menu."""
    window.views.resize(1000, 700)
    menu = window.view.context_menu(QPointF(200, 12))
    next(a for a in menu.actions() if a.objectName() == "action.open_container").trigger()
    menu.deleteLater()
    return window.views.current_view()


def test_a_container_view_shows_the_links_to_the_outside_as_named_stubs(
    qtbot, window: MainWindow
) -> None:
    doc = window.document
    before = saved(doc)
    sub = _open_service(window)
    layer = sub.diagram.hierarchy.stub_layer
    frame = sub.diagram.components["C-1"].scene_rect()
    # the citizen's question to the assistant, and complaint to the service: each a stub
    # from a port out of the frame (on the side facing the citizen) naming the citizen
    assert [(c.inside, c.outside, c.links, c.outgoing) for c, _stub in layer.stubs] == [
        ("C-2", "C-3", ("LK-1",), False),
        ("C-1", "C-3", ("LK-2",), False),
    ]
    for _crossing, stub in layer.stubs:
        assert stub.text.text == "Citizen"
        (sx, sy), (ex, ey) = stub.route.points[0], stub.route.points[-1]
        assert not frame.contains(QPointF(sx, sy)) and sx > frame.right()  # the citizen's side
        assert frame.adjusted(-1, -1, 1, 1).contains(QPointF(ex, ey))  # the arrow ends inside
        label = QRectF(stub.label.x, stub.label.y, stub.label.width, stub.label.height)
        assert not label.intersects(frame) and sub.visible_rect().contains(label)
    assert not sub.diagram.components["C-3"].isVisible()  # the citizen itself stays out
    # drawn: the label's box in the link's colour, where the background was plain
    image = sub.viewport().grab().toImage()
    colour = link_pens(layer.stubs[0][0].kind).label_pen.color()
    box = layer.stubs[0][1].label
    edge = sub.mapFromScene(QPointF(box.x + box.width / 2, box.y))
    near = [image.pixelColor(edge.x(), edge.y() + dy) for dy in (-1, 0, 1)]
    assert any(_close(pixel, colour) for pixel in near)
    # read-only: a click on a stub's label selects nothing and changes nothing
    centre = sub.mapFromScene(QPointF(box.x + box.width / 2, box.y + box.height / 2))
    qtbot.mouseClick(sub.viewport(), Left, NoMod, centre)
    assert sub.diagram.selected_ids() == [] and saved(doc) == before
    assert layer.crossing_at(sub.mapToScene(centre)) is layer.stubs[0][0]
    # the assistant dragged further down: its stub follows it
    assistant = sub.diagram.components["C-2"].scene_rect().center()
    start, end = sub.mapFromScene(assistant), sub.mapFromScene(assistant + QPointF(0, 60))
    qtbot.mousePress(sub.viewport(), Left, NoMod, start)
    for step in range(1, 6):
        qtbot.mouseMove(sub.viewport(), start + (end - start) * (step / 5))
    qtbot.mouseRelease(sub.viewport(), Left, NoMod, end)
    (_crossing, stub), _frame_stub = layer.stubs
    assert stub.route.points[-1][1] == sub.diagram.components["C-2"].scene_rect().center().y()
    assert doc.node_layout["C-2"].y == 140
    doc.undo()
    assert saved(doc) == before
    # the stubs follow the document: a link removed (its stub goes), undone (back)
    doc.remove("LK-1")
    assert [c.links for c, _stub in layer.stubs] == [("LK-2",)]
    doc.undo()
    assert [c.links for c, _stub in layer.stubs] == [("LK-1",), ("LK-2",)]
    # the citizen moved to the left of the service: the stubs leave by the left side
    doc.set_layout(NodeLayout(id="C-3", x=-600, y=100))
    assert all(stub.route.points[0][0] < frame.left() for _c, stub in layer.stubs)
    doc.undo()
    assert saved(doc) == before
    # the whole diagram draws the links themselves, no stub
    assert window.view.diagram.hierarchy.stub_layer.stubs == []


def _close(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 60


def test_drill_down_with_the_keyboard_and_up_again(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "ask_contents", lambda ids: Contents.DELETE)
    doc = window.document
    main = window.view
    main.diagram.select_ids(["C-1"])
    qtbot.keyClick(main, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    sub = window.views.current_view()
    assert sub is not main and sub.diagram.hierarchy.focus == "C-1"
    # opening it again shows the same tab
    qtbot.keyClick(main, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.views.count() == 2
    # deleting the container closes its view; undo brings the container back
    window.findChild(QAction, "action.delete").trigger()
    assert "C-1" not in doc.components
    assert window.views.count() == 1
    doc.undo()
    assert "C-1" in doc.components
    qtbot.keyClick(main, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    sub = window.views.current_view()
    qtbot.keyClick(sub, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.views.count() == 1 and window.views.current_view() is main


def test_palette_places_a_container_and_a_boundary(qtbot, window: MainWindow) -> None:
    doc = window.document
    for key, kind in (("container", "controller"), ("boundary", "boundary")):
        action = window.findChild(QAction, f"tool.{key}")
        assert action is not None
        action.trigger()
        qtbot.mouseClick(window.view.viewport(), Left, NoMod, vp(window, QPointF(1200, 300)))
        window.view.finish_rename(False)
        added = list(doc.components.values())[-1]
        assert added.kind == kind
        assert doc.node_layout[added.id].width >= 400
    boundary = list(doc.components.values())[-1]
    assert window.view.diagram.components[boundary.id].drawn_as_frame
    # a component placed inside a frame goes into it
    window.findChild(QAction, "tool.controller").trigger()
    qtbot.mouseClick(window.view.viewport(), Left, NoMod, vp(window, QPointF(1200, 320)))
    window.view.finish_rename(False)
    assert list(doc.components.values())[-1].parent == boundary.id


def _nested_document() -> Document:
    """Two outer containers, each holding a component and an inner container of two; links
    inside, across and to an outsider, so collapsing one container changes what the others
    draw."""
    doc = Document()
    outsider = doc.add(Component(name="Regulator", nature="regulator"))
    doc.set_layout(NodeLayout(id=outsider.id, x=1200, y=0))
    members: list[str] = []
    for index in range(2):
        left = index * 600.0
        outer = doc.add(Component(name=f"Outer {index}", nature="organisation"))
        doc.set_layout(NodeLayout(id=outer.id, x=left, y=0, width=560, height=420))
        inner = doc.add(Component(name=f"Inner {index}", nature="organisation", parent=outer.id))
        doc.set_layout(NodeLayout(id=inner.id, x=left + 20, y=160, width=520, height=240))
        loose = doc.add(Component(name=f"Clerk {index}", nature="human", parent=outer.id))
        doc.set_layout(NodeLayout(id=loose.id, x=left + 20, y=50))
        members.append(loose.id)
        for slot in range(2):
            leaf = doc.add(Component(name=f"Tool {index}.{slot}", parent=inner.id))
            doc.set_layout(NodeLayout(id=leaf.id, x=left + 40 + slot * 250, y=220))
            members.append(leaf.id)
    for source, target in zip(members, members[1:] + members[:1], strict=True):
        doc.add(Link(source=source, target=target, kind="control_action",
                     items=[LinkItem(name=f"Order {source}")]))  # fmt: skip
        doc.add(Link(source=target, target=outsider.id, kind="feedback",
                     items=[LinkItem(name=f"Report {target}")]))  # fmt: skip
    doc.mark_saved()
    return doc


def _drawn(scene) -> tuple[dict[str, bool], dict[str, bool], list[tuple[str, str, str, int]]]:
    """What a scene shows: components and links visible, aggregated arrows with counts."""
    arrows = sorted(
        (a.aggregate.source, a.aggregate.target, a.aggregate.kind.value, a.count)
        for a in scene.hierarchy.aggregates
    )
    components = {cid: item.isVisible() for cid, item in scene.components.items()}
    links = {lid: item.isVisible() for lid, item in scene.links.items()}
    return components, links, arrows


def test_collapse_and_expand_in_any_order_draw_what_a_fresh_canvas_draws(
    qtbot, make_window
) -> None:
    """Collapse and expand change only what they touch; after any sequence, undone or not,
    the canvas shows what a canvas opened on the same document shows."""
    from stipa.ui.canvas.scene import DiagramScene

    doc = _nested_document()
    window = make_window(document=doc)
    scene = window.view.diagram
    before = saved(doc)
    containers = [c.id for c in doc.components.values() if c.name.startswith(("Outer", "Inner"))]
    order = [containers[i] for i in (1, 0, 3, 0, 2, 1, 3, 2, 0)]
    for container_id in order:
        scene.hierarchy.toggle(container_id)
        fresh = DiagramScene(doc)
        assert _drawn(scene) == _drawn(fresh)
        fresh.close()
    assert scene.hierarchy.aggregates  # some are still collapsed: arrows drawn to them
    for _ in order:
        doc.undo()
        fresh = DiagramScene(doc)
        assert _drawn(scene) == _drawn(fresh)
        fresh.close()
    assert saved(doc) == before
    assert not scene.hierarchy.aggregates


def test_collapse_moves_only_the_labels_near_the_container(make_window) -> None:
    doc = _nested_document()
    window = make_window(document=doc)
    scene = window.view.diagram
    outer = next(c.id for c in doc.components.values() if c.name == "Outer 1")
    box = scene.components[outer].scene_rect()
    far = {
        lid: link.label_box()
        for lid, link in scene.links.items()
        if link.isVisible() and not box.intersects(link.boundingRect())
    }
    scene.hierarchy.toggle(outer)
    assert scene.links[next(iter(far))].isVisible()
    assert {lid: scene.links[lid].label_box() for lid in far} == far
    collapsed = scene.components[outer].scene_rect()
    for link in scene.links.values():  # no label is left under the collapsed container
        if link.isVisible() and link.label_box() is not None:
            assert not collapsed.intersects(link.label_rect())


def _through_titles(scene) -> list[tuple[str, str]]:
    """(link, frame) for every shown link segment running through a frame's title bar."""
    from itertools import pairwise

    from stipa.diagram.containers import title_rect

    strips = {
        cid: title_rect(item.box())
        for cid, item in scene.components.items()
        if item.drawn_as_frame and item.isVisible()
    }
    return [
        (link_id, frame)
        for link_id, link in scene.links.items()
        if link.isVisible()
        for (x1, y1), (x2, y2) in pairwise(link._pts)
        for frame, (x, y, w, h) in strips.items()
        if min(x1, x2) < x + w and max(x1, x2) > x and min(y1, y2) < y + h and max(y1, y2) > y
    ]


def test_links_keep_off_the_titles_on_the_canvas(qtbot, make_window) -> None:
    from stipa import resources

    (path,) = [p for p in resources.examples() if p.stem == "language-model-citizen-assistant"]
    window = make_window(document=io.load(path))
    scene = window.view.diagram
    assert sum(item.drawn_as_frame for item in scene.components.values()) == 3
    assert _through_titles(scene) == []
    # the same routes as the exports draw
    from stipa.diagram.scene import diagram_geometry

    doc = window.document
    geometry = diagram_geometry(doc.components, doc.links, doc.node_layout, doc.link_layout)
    for link_id, shape in geometry.links.items():
        assert [tuple(p) for p in scene.links[link_id]._pts] == list(shape.route.points)
    # dragged with the mouse to another place above the municipality, still clear
    provider = next(c.id for c in doc.components.values() if c.name == "Model provider")
    before = saved(doc)
    start = centre(window, provider)
    window.view.centerOn(start)
    drag(qtbot, window, start, start + QPointF(-300, 0))
    assert doc.node_layout[provider].x != 1520
    assert _through_titles(scene) == []
    doc.undo()
    assert saved(doc) == before
    assert _through_titles(scene) == []


def _drawn_by_arrows(window: MainWindow, box: QRectF) -> set[int]:
    """The colours the aggregated arrows draw over ``box`` (scene coordinates) on white."""
    image = QImage(box.size().toSize(), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.translate(-box.topLeft())
    option = QStyleOptionGraphicsItem()
    option.exposedRect = box
    window.view.diagram.hierarchy.layer.paint(painter, option, None)
    painter.end()
    return {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}


def test_aggregated_arrows_are_drawn_with_their_counts_and_follow_their_ends(
    qtbot, window: MainWindow
) -> None:
    scene = window.view.diagram
    window.view.zoom_reset()
    scene.hierarchy.toggle("C-1")
    (arrow,) = scene.hierarchy.aggregates
    tag = arrow.label
    (x1, y1), (x2, y2) = arrow.route.points[:2]  # the first segment, out of the citizen
    line = QRectF(QPointF(x1, y1), QPointF(x2, y2)).normalized().adjusted(-3, 5, 3, -5)
    white = QColor(Qt.GlobalColor.white).rgba()
    style = link_pens(arrow.aggregate.kind)
    drawn = _drawn_by_arrows(window, tag)
    # a box with "×1" written in it
    assert {style.label_brush.color().rgba(), style.text_pen.color().rgba()} <= drawn
    assert _drawn_by_arrows(window, line) - {white}  # the line runs there
    nowhere = QRectF(-300, -300, 50, 50)
    assert _drawn_by_arrows(window, nowhere) == {white}
    # the tag tells how many links the arrow stands for
    window.view.centerOn(tag.center())
    qtbot.mouseMove(window.view.viewport(), vp(window, tag.center()))
    qtbot.waitUntil(lambda: scene.hierarchy.layer.toolTip() == "1 links")
    # the arrow follows the citizen when it is dragged away
    drag(qtbot, window, centre(window, "C-3"), centre(window, "C-3") + QPointF(200, 0))
    assert scene.hierarchy.aggregates == [arrow]
    (x1, y1), (x2, y2) = arrow.route.points[:2]
    moved = QRectF(QPointF(x1, y1), QPointF(x2, y2)).normalized().adjusted(-3, 5, 3, -5)
    assert moved.left() > line.right()
    assert _drawn_by_arrows(window, moved) - {white}
    assert _drawn_by_arrows(window, line) == {white}
    doc = window.document
    doc.undo()  # the drag
    assert arrow.route.points[:2] == ((x1 - 200, y1), (x2 - 200, y2))
    scene.hierarchy.toggle("C-1")  # expanded: the arrow is gone
    assert not scene.hierarchy.aggregates
    assert _drawn_by_arrows(window, tag) == _drawn_by_arrows(window, line) == {white}


def test_toggling_back_draws_the_arrows_made_before_unless_something_else_changed(
    qtbot, window: MainWindow
) -> None:
    """A collapse undone and redone (or expanded and collapsed again) shows the arrows its
    first collapse made, without making them again; once anything else changed, they are
    made anew and follow the change."""
    doc = window.document
    scene = window.view.diagram
    window.view.zoom_reset()
    scene.hierarchy.toggle("C-1")
    (arrow,) = scene.hierarchy.aggregates
    route = arrow.route
    doc.undo()
    assert not scene.hierarchy.aggregates
    doc.redo()
    assert scene.hierarchy.aggregates == [arrow] and arrow.route == route  # kept, as it was
    scene.hierarchy.toggle("C-1")  # expanded: the arrow is gone
    # the citizen dragged away while the service is open, then the service collapsed
    drag(qtbot, window, centre(window, "C-3"), centre(window, "C-3") + QPointF(200, 0))
    assert doc.node_layout["C-3"].x == 800
    scene.hierarchy.toggle("C-1")
    (made,) = scene.hierarchy.aggregates
    assert made is not arrow  # made anew: it starts where the citizen is now
    citizen = scene.components["C-3"].scene_rect()
    start = QPointF(*made.route.points[0])
    assert citizen.adjusted(-1, -1, 1, 1).contains(start)
    assert not citizen.adjusted(-1, -1, 1, 1).contains(QPointF(*route.points[0]))
    assert _drawn_by_arrows(window, QRectF(start, start).adjusted(-3, -3, 3, 3)) - {
        QColor(Qt.GlobalColor.white).rgba()
    }


def test_an_arrow_at_a_container_follows_its_collapse(qtbot, make_window) -> None:
    """An arrow of a container's own link (to a component hidden in another collapsed
    container) runs from the container's collapsed box once it collapses, and back."""
    doc = Document()
    office = doc.add(Component(name="Office", nature="organisation"))
    clerk = doc.add(Component(name="Clerk", nature="human", parent=office.id))
    agency = doc.add(Component(name="Agency", nature="organisation"))
    tool = doc.add(Component(name="Tool", parent=agency.id))
    doc.add(Link(source=office.id, target=tool.id, kind="control_action",
                 items=[LinkItem(name="Order")]))  # fmt: skip
    doc.set_layout(NodeLayout(id=office.id, x=0, y=0, width=500, height=400))
    doc.set_layout(NodeLayout(id=clerk.id, x=40, y=80))
    doc.set_layout(NodeLayout(id=agency.id, x=0, y=700, width=400, height=260))
    doc.set_layout(NodeLayout(id=tool.id, x=40, y=780))
    doc.mark_saved()
    window = make_window(document=doc)
    scene = window.view.diagram
    scene.hierarchy.toggle(agency.id)
    (arrow,) = scene.hierarchy.aggregates
    assert arrow.route.points[0][1] == pytest.approx(400)  # from the open office's bottom
    scene.hierarchy.toggle(office.id)
    (arrow,) = scene.hierarchy.aggregates
    _x, y, _width, height = scene.components[office.id].box()
    assert height < 400 and arrow.route.points[0][1] == pytest.approx(y + height)
    doc.undo()
    (arrow,) = scene.hierarchy.aggregates
    assert arrow.route.points[0][1] == pytest.approx(400)
