"""Drawing fast, by mouse and by keyboard: sticky tools, Align/Distribute, keyboard placing and
connecting, Find and Zoom to Selection; real events on the real widgets, model and undo checked.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLineEdit,
    QListWidget,
    QToolButton,
)

from stipa import io
from stipa.diagram.metrics import drawing_of
from stipa.model import Document, Hazard, Loss
from stipa.operations.drawing import connect, place_component
from stipa.testing import generate_document
from stipa.ui import MainWindow
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.tools import PlaceTool, SelectTool
from stipa.ui.canvas.view import READABLE_ZOOM, CanvasView
from stipa.ui.findings import ID_ROLE

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("recovery_dir", "cursor_off_the_canvas")]

Key = Qt.Key
Mod = Qt.KeyboardModifier
Left = Qt.MouseButton.LeftButton


def _window(qtbot, make_window, document: Document | None = None) -> MainWindow:
    """A shown, active window (shortcuts only reach an active one), keys on its canvas."""
    window: MainWindow = make_window(document)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    return window


def vp(window: MainWindow, point: QPointF) -> QPoint:
    return window.view.mapFromScene(point)


def click(qtbot, window: MainWindow, point: QPointF, modifier=Mod.NoModifier) -> None:
    qtbot.mouseClick(window.view.viewport(), Left, modifier, vp(window, point))


def type_name(qtbot, window: MainWindow, text: str) -> None:
    assert window.view.editor is not None
    qtbot.keyClicks(window.view, text)
    qtbot.keyClick(window.view, Key.Key_Return)


def palette_button(window: MainWindow, key: str) -> QToolButton:
    action = window.findChild(QAction, f"tool.{key}")
    return next(
        b for b in window.palette_widget.findChildren(QToolButton) if b.defaultAction() is action
    )


def three_boxes(qtbot, make_window) -> tuple[MainWindow, list[str]]:
    doc = Document()
    ids = [
        place_component(doc, "Box", "controller", "software", x, y).id
        for x, y in ((0, 0), (300, 60), (120, 200))
    ]
    return _window(qtbot, make_window, io.loads(io.dumps(doc))), ids


def select_by_clicks(qtbot, window: MainWindow, ids: list[str]) -> None:
    click(qtbot, window, window.diagram.components[ids[0]].scene_rect().center())
    for record_id in ids[1:]:
        centre = window.diagram.components[record_id].scene_rect().center()
        click(qtbot, window, centre, Mod.ControlModifier)
    assert set(window.diagram.selected_ids()) == set(ids)


def test_double_clicked_tool_stays_until_escape(qtbot, make_window) -> None:
    window = _window(qtbot, make_window)
    doc, view = window.document, window.view
    qtbot.mouseDClick(palette_button(window, "controller"), Left)
    view.setFocus()
    for i, x in enumerate((0, 250, 500)):
        click(qtbot, window, QPointF(x, 100))
        type_name(qtbot, window, f"Part {i}")
        assert isinstance(view.tool, PlaceTool)  # still placing
    assert sorted(c.name for c in doc.components.values()) == ["Part 0", "Part 1", "Part 2"]
    assert window.findChild(QAction, "tool.controller").isChecked()
    qtbot.keyClick(view, Key.Key_Escape)
    assert isinstance(view.tool, SelectTool)
    assert window.findChild(QAction, "tool.select").isChecked()
    # a single click still chooses the tool for one use
    window.findChild(QAction, "tool.controller").trigger()
    click(qtbot, window, QPointF(0, 400))
    qtbot.keyClick(view, Key.Key_Escape)
    assert isinstance(view.tool, SelectTool) and len(doc.components) == 4
    while doc.can_undo:
        doc.undo()
    assert not doc.components


def test_sticky_link_tool_draws_several_links(qtbot, make_window) -> None:
    window, ids = three_boxes(qtbot, make_window)
    doc, view = window.document, window.view
    qtbot.mouseDClick(palette_button(window, "control_action"), Left)
    view.setFocus()
    for source, target in ((ids[0], ids[1]), (ids[0], ids[2])):
        viewport = view.viewport()
        start = window.diagram.components[source].scene_rect().center()
        end = window.diagram.components[target].scene_rect().center()
        qtbot.mousePress(viewport, Left, Mod.NoModifier, vp(window, start))
        qtbot.mouseMove(viewport, vp(window, (start + end) / 2))
        qtbot.mouseMove(viewport, vp(window, end))
        qtbot.mouseRelease(viewport, Left, Mod.NoModifier, vp(window, end))
        type_name(qtbot, window, f"Command to {target}")
    assert sorted((link.source, link.target) for link in doc.links.values()) == [
        (ids[0], ids[1]),
        (ids[0], ids[2]),
    ]
    assert view.tool.key == "control_action"
    qtbot.keyClick(view, Key.Key_Escape)
    assert isinstance(view.tool, SelectTool)
    doc.undo(), doc.undo(), doc.undo()  # the second link: rename and add; the first's rename
    assert [link.target for link in doc.links.values()] == [ids[1]]


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("align_left", lambda ls: len({n.x for n in ls}) == 1),
        ("align_top", lambda ls: len({n.y for n in ls}) == 1),
        ("align_centre", lambda ls: len({n.x + n.width / 2 for n in ls}) == 1),
        ("align_bottom", lambda ls: len({n.y + n.height for n in ls}) == 1),
        ("distribute_horizontal", lambda ls: sorted(n.x for n in ls)[1] == 150),
        ("distribute_vertical", lambda ls: sorted(n.y for n in ls)[1] == 100),
    ],
)
def test_align_and_distribute_the_selection_in_one_undo_step(
    qtbot, make_window, name, check
) -> None:
    window, ids = three_boxes(qtbot, make_window)
    doc = window.document
    before = io.dumps(doc)
    select_by_clicks(qtbot, window, ids)
    menu_action = window.findChild(QAction, f"action.{name}")
    assert menu_action is not None
    menu_action.trigger()
    layouts = [doc.node_layout[i] for i in ids]
    assert check(layouts)
    assert [window.diagram.components[i].layout() for i in ids] == layouts  # drawn there
    doc.undo()
    assert io.dumps(doc) == before
    assert not doc.can_undo


def test_align_needs_a_selection_and_says_so(qtbot, make_window) -> None:
    window, ids = three_boxes(qtbot, make_window)
    click(qtbot, window, window.diagram.components[ids[0]].scene_rect().center())
    window.findChild(QAction, "action.align_left").trigger()
    assert "two or more" in window.statusBar().currentMessage()
    assert not window.document.can_undo


def test_keyboard_only_place_tab_and_connect(qtbot, make_window) -> None:
    window = _window(qtbot, make_window)
    doc, view = window.document, window.view
    window.findChild(QAction, "tool.organisation").trigger()  # the palette, by keyboard or not
    view.setFocus()
    qtbot.keyClick(view, Key.Key_Return, Mod.ControlModifier)
    type_name(qtbot, window, "Provider")
    assert isinstance(view.tool, SelectTool)  # one use, as a click
    qtbot.mouseDClick(palette_button(window, "ai_model"), Left)  # sticky
    view.setFocus()
    qtbot.keyClick(view, Key.Key_Return, Mod.ControlModifier)
    type_name(qtbot, window, "Model")
    rects = [item.scene_rect() for item in window.diagram.components.values()]
    assert rects[0].contains(view.visible_rect().center())
    assert not rects[0].intersects(rects[1])  # the second went beside the first
    qtbot.keyClick(view, Key.Key_Escape)
    provider = next(c.id for c in doc.components.values() if c.name == "Provider")
    model = next(c.id for c in doc.components.values() if c.name == "Model")
    # Tab walks the canvas items; the link goes from the one chosen before to the current
    assert window.diagram.selected_ids() == [model]  # just placed: the last in Tab order
    qtbot.keyClick(view, Key.Key_Tab, Mod.ShiftModifier)
    first = window.diagram.selected_ids()
    qtbot.keyClick(view, Key.Key_Tab)
    second = window.diagram.selected_ids()
    assert {*first, *second} == {provider, model} and first != second
    qtbot.keyClick(view, Key.Key_L, Mod.ControlModifier)
    (link,) = doc.links.values()
    assert (link.source, link.target, link.kind) == (first[0], second[0], "control_action")
    type_name(qtbot, window, "Train")
    assert doc.links[link.id].items[0].name == "Train"
    assert window.diagram.selected_ids() == [link.id]  # links come after components
    qtbot.keyClick(view, Key.Key_Tab, Mod.ShiftModifier)
    assert window.diagram.selected_ids() == second
    doc.undo()
    doc.undo()
    assert not doc.links


def test_tab_walks_the_canvas_items_then_moves_on_to_the_next_widget(qtbot, make_window) -> None:
    window, ids = three_boxes(qtbot, make_window)
    doc, view = window.document, window.view
    link = connect(doc, ids[0], ids[1], "control_action", "Command").id
    before_walk = io.dumps(doc)
    order = window.drawing_keys.tab_order()
    assert order[-1] == link  # components by rows, then links
    window.diagram.select_ids([])
    view.setFocus()
    walked = []
    for _ in order:
        qtbot.keyClick(view, Key.Key_Tab)
        assert view.hasFocus()
        walked += window.diagram.selected_ids()
    assert walked == order  # each item once, in Tab order
    qtbot.keyClick(view, Key.Key_Tab)  # past the last item: on to the Properties panel
    after = QApplication.focusWidget()
    assert after is not None and window.inspector.isAncestorOf(after)
    assert window.diagram.selected_ids() == []  # walked off the items
    qtbot.keyClick(after, Key.Key_Backtab)  # Shift+Tab comes back, at the last item
    assert view.hasFocus() and window.diagram.selected_ids() == [link]
    for expected in reversed(order[:-1]):
        qtbot.keyClick(view, Key.Key_Tab, Mod.ShiftModifier)
        assert window.diagram.selected_ids() == [expected]
    qtbot.keyClick(view, Key.Key_Tab, Mod.ShiftModifier)  # before the first: the widget before
    before = QApplication.focusWidget()  # the palette, left of the canvas
    palette = window.findChild(QDockWidget, "dock.palette")
    assert before is not None and palette.isAncestorOf(before)
    qtbot.keyClick(before, Key.Key_Tab)  # Tab enters at the first item
    assert view.hasFocus() and window.diagram.selected_ids() == [order[0]]
    qtbot.keyClick(view, Key.Key_Tab)
    assert window.diagram.selected_ids() == [order[1]]
    # Ctrl+Tab leaves at once, to the chosen item's properties, and Shift+Tab resumes there
    qtbot.keyClick(view, Key.Key_Tab, Mod.ControlModifier)
    focused = QApplication.focusWidget()
    assert focused is not None and window.inspector.isAncestorOf(focused)
    assert window.diagram.selected_ids() == [order[1]]
    qtbot.keyClick(focused, Key.Key_Backtab)
    assert view.hasFocus() and window.diagram.selected_ids() == [order[1]]
    qtbot.keyClick(view, Key.Key_Backtab, Mod.ControlModifier | Mod.ShiftModifier)
    assert QApplication.focusWidget() is before
    assert io.dumps(doc) == before_walk  # walking changed nothing


def test_connect_selected_refused_says_why(qtbot, make_window) -> None:
    window, _ids = three_boxes(qtbot, make_window)
    window.diagram.select_ids([])
    qtbot.keyClick(window.view, Key.Key_L, Mod.ControlModifier)
    assert "two components" in window.statusBar().currentMessage()
    assert not window.document.links


def test_find_jumps_to_a_component_and_to_an_stpa_record(qtbot, make_window) -> None:
    doc = Document()
    far = place_component(doc, "Far away", "controller", "software", 3000, 2500)
    near = place_component(doc, "Near", "controller", "software", 0, 0)
    report = connect(doc, near.id, far.id, "control_action", "Weekly report")
    loss = doc.add(Loss(text="Citizen loses benefits", alias="PASTA-L7"))
    doc.add(Hazard(text="Wrong advice is given", losses=(loss.id,)))
    window = _window(qtbot, make_window, io.loads(io.dumps(doc)))
    window.view.zoom_fit()
    qtbot.keyClick(window.view, Key.Key_F, Mod.ControlModifier)
    dialog = window.findChild(QDialog, "dialog.find")
    assert dialog is not None and dialog.isVisible()
    query = dialog.findChild(QLineEdit, "find.query")
    qtbot.keyClicks(query, "far")
    qtbot.keyClick(query, Key.Key_Return)
    assert window.diagram.selected_ids() == [far.id]
    assert window.view.zoom >= READABLE_ZOOM
    box = window.diagram.components[far.id].sceneBoundingRect()
    assert window.view.visible_rect().contains(box)
    query.clear()
    qtbot.keyClicks(query, "weekly")  # the link's item
    results = dialog.findChild(QListWidget, "find.results")
    assert results.count() == 1 and report.items[0].id in results.item(0).text()
    qtbot.keyClick(query, Key.Key_Return)
    assert window.diagram.selected_ids() == [report.id]  # an item shows as its link
    query.clear()
    qtbot.keyClicks(query, "pasta-l7")
    qtbot.keyClick(query, Key.Key_Return)
    assert window.workbench.isVisible()
    page = window.workbench.pages["losses"]
    assert page.selected_ids() == [loss.id]
    assert not window.document.modified and not window.document.can_undo


def test_zoom_to_selection_shows_the_selection_readably(qtbot, make_window) -> None:
    doc = Document()
    for i in range(12):
        place_component(doc, "Part", "controller", "software", 400 * i, 300 * (i % 3))
    window = _window(qtbot, make_window, io.loads(io.dumps(doc)))
    window.view.zoom_fit()
    assert window.view.zoom < READABLE_ZOOM
    target = window.diagram.components["C-7"]
    click(qtbot, window, target.scene_rect().center())
    qtbot.keyClick(window.view, Key.Key_3, Mod.ControlModifier)
    assert window.view.zoom >= READABLE_ZOOM
    assert window.view.visible_rect().contains(target.sceneBoundingRect())
    assert not window.document.can_undo  # zooming is not an edit


def test_examples_open_readably_and_new_component_stays_where_dropped(qtbot, make_window) -> None:
    window = _window(qtbot, make_window)
    view = window.view
    path = next(p for p in window.examples_menu.actions() if "citizen" in p.text().lower())
    path.trigger()
    assert view.zoom >= READABLE_ZOOM
    top_left = window.diagram.diagram_rect().topLeft()
    assert view.visible_rect().contains(top_left)
    # a nearly empty canvas: drag the only component to the top left, it stays there
    view.set_zoom(0.6)
    window.new_document()
    assert view.zoom == 1.0  # File > New starts at 100 %, not at the last document's zoom
    view.set_zoom(0.5)  # the scene rect is then smaller than the viewport
    window.findChild(QAction, "tool.controller").trigger()
    click(qtbot, window, view.visible_rect().center())
    qtbot.keyClick(view, Key.Key_Escape)
    (item,) = window.diagram.components.values()
    start = vp(window, item.scene_rect().center())
    end = QPoint(60, 50)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Left, Mod.NoModifier, start)
    for i in range(1, 5):
        qtbot.mouseMove(viewport, start + (end - start) * i / 4)
    qtbot.mouseRelease(viewport, Left, Mod.NoModifier, end)
    assert window.document.undo_label == "Move component"
    dropped = vp(window, item.scene_rect().center())
    assert (dropped - end).manhattanLength() <= 12  # within the grid snap, not re-centred
    window.findChild(QAction, "action.zoom_reset").trigger()
    assert view.visible_rect().intersects(item.sceneBoundingRect())


def test_a_drag_far_out_and_its_undo_leave_the_view_as_it_was(qtbot) -> None:
    # a big diagram fitted into the view: the scene rect grows on release to hold what the view
    # shows; a rect exactly as large as the viewport rounded up to scroll bars, which narrowed
    # the viewport and moved the whole picture by their width (and kept it moved after undo)
    doc = generate_document(1000, links_per_component=3, seed=0)
    view = CanvasView(DiagramScene(doc))
    qtbot.addWidget(view)
    # the labels with no free place by their links are placed between events (some beyond
    # the diagram's edge): the view is fitted to them too
    qtbot.waitUntil(lambda: not view.diagram.placing_labels, timeout=30_000)
    view.resize(1280, 820)
    view.zoom_fit()
    view.show()
    qtbot.waitExposed(view)
    QApplication.processEvents()
    item = next(iter(view.diagram.components.values()))
    view.centerOn(item)
    QApplication.processEvents()
    picture = view.viewport().grab().toImage()
    start = view.mapFromScene(item.scene_rect().center())
    viewport = view.viewport()
    qtbot.mousePress(viewport, Left, Mod.NoModifier, start)
    for i in range(1, 11):
        qtbot.mouseMove(viewport, start + QPoint(3 * i, 2 * i))
    qtbot.mouseRelease(viewport, Left, Mod.NoModifier, start + QPoint(30, 20))
    assert doc.undo_label == "Move component"
    assert not view.horizontalScrollBar().isVisible() and not view.verticalScrollBar().isVisible()
    doc.undo()
    view.diagram.clearSelection()
    qtbot.waitUntil(lambda: not view.diagram.placing_labels, timeout=30_000)
    QApplication.processEvents()
    assert view.viewport().grab().toImage() == picture


def test_dragging_the_connect_handle_draws_a_linked_component_in_one_step(
    qtbot, make_window
) -> None:
    window, ids = three_boxes(qtbot, make_window)
    doc, view = window.document, window.view
    before = io.dumps(doc)
    source = window.diagram.components[ids[0]]
    click(qtbot, window, source.scene_rect().center())
    handle = window.drawing_keys.handles.handle
    assert handle is not None and handle.parentItem() is source
    start = handle.scenePos()
    end = start + QPointF(0, 220)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Left, Mod.NoModifier, vp(window, start))
    for i in range(1, 5):
        qtbot.mouseMove(viewport, vp(window, start + (end - start) * (i / 4)))
    qtbot.mouseRelease(viewport, Left, Mod.NoModifier, vp(window, end))
    qtbot.waitUntil(lambda: len(doc.components) == 4)
    (new_id,) = set(doc.components) - set(ids)
    (link,) = doc.links.values()
    assert (link.source, link.target, link.kind) == (ids[0], new_id, "control_action")
    assert window.diagram.components[new_id].scene_rect().contains(end)
    assert doc.components[new_id].kind == doc.components[ids[0]].kind
    type_name(qtbot, window, "Case worker")
    assert doc.components[new_id].name == "Case worker"
    doc.undo()  # the name
    assert doc.undo_label.startswith("Add connected")
    doc.undo()  # component and link together
    assert io.dumps(doc) == before


def test_alignment_guides_snap_a_dragged_component_to_another_centre(qtbot, make_window) -> None:
    doc = Document()
    wide = place_component(doc, "Wide", "controller", "software", 0, 0)
    doc.set_layout(doc.node_layout[wide.id].replace(width=130.0))  # centre at x = 65
    moved = place_component(doc, "Moved", "controller", "software", 300, 200)
    window = _window(qtbot, make_window, io.loads(io.dumps(doc)))
    view, doc = window.view, window.document
    before = io.dumps(doc)
    view.zoom_reset()
    item = window.diagram.components[moved.id]
    width = item.scene_rect().width()
    start = item.scene_rect().center()
    end = QPointF(65 + 3, start.y())  # 3 px off the wide one's centre line
    viewport = view.viewport()
    qtbot.mousePress(viewport, Left, Mod.NoModifier, vp(window, start))
    for i in range(1, 5):
        qtbot.mouseMove(viewport, vp(window, start + (end - start) * (i / 4)), delay=-1)
    guides = window.drawing_keys.guides
    assert any(line.line().x1() == 65 for line in guides.lines)  # the guide shows
    qtbot.mouseRelease(viewport, Left, Mod.NoModifier, vp(window, end))
    assert guides.lines == []
    layout = doc.node_layout[moved.id]
    assert layout.x + width / 2 == 65  # on the centre line, off the 10 px grid
    assert layout.y == 200
    doc.undo()
    assert io.dumps(doc) == before


class Gestures:
    """Real gestures on a window, counted: each click, double-click, drag, key chord and
    typed name is one (the count the issue's "about 54 gestures" is compared with)."""

    def __init__(self, qtbot, window: MainWindow) -> None:
        self.qtbot, self.window, self.count = qtbot, window, 0

    def tool(self, key: str, keep: bool = False) -> None:
        button = palette_button(self.window, key)
        if keep:
            self.qtbot.mouseDClick(button, Left)
        else:
            self.qtbot.mouseClick(button, Left)
        self.count += 1

    def click(self, point: QPointF) -> None:
        click(self.qtbot, self.window, point)
        self.count += 1

    def drag(self, start: QPointF, end: QPointF) -> None:
        viewport = self.window.view.viewport()
        self.qtbot.mousePress(viewport, Left, Mod.NoModifier, vp(self.window, start))
        self.qtbot.mouseMove(viewport, vp(self.window, (start + end) / 2))
        self.qtbot.mouseMove(viewport, vp(self.window, end))
        self.qtbot.mouseRelease(viewport, Left, Mod.NoModifier, vp(self.window, end))
        self.count += 1

    def type(self, text: str) -> None:
        assert self.window.view.editor is not None
        self.qtbot.keyClicks(self.window.view, text)
        self.count += 1

    def key(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.window.view, key)
        self.count += 1


def test_six_part_citizen_assistant_structure_in_40_gestures(qtbot, make_window) -> None:
    """6 components and 10 named links; typing a name and clicking on commits the name."""
    window = _window(qtbot, make_window)
    doc = window.document
    g = Gestures(qtbot, window)
    places = {
        "Model provider": ("organisation", QPointF(100, 100)),
        "Municipality": ("organisation", QPointF(600, 100)),
        "Language model": ("ai_model", QPointF(350, 350)),
        "Content filter": ("controller", QPointF(0, 350)),
        "Case worker": ("human_operator", QPointF(750, 350)),
        "Citizen": ("lay_user", QPointF(350, 650)),
    }
    chosen = ""
    for name, (preset, point) in places.items():
        if preset != chosen:  # the two organisations: one double-click keeps the tool
            g.tool(preset, keep=preset == "organisation")
            chosen = preset
        g.click(point)
        g.type(name)
    pairs = [
        ("Model provider", "Language model", "Train"),
        ("Model provider", "Content filter", "Set filter policy"),
        ("Municipality", "Language model", "Set scope"),
        ("Municipality", "Case worker", "Assign requests"),
        ("Language model", "Citizen", "Answer"),
    ]
    centre = {name: places[name][1] for name in places}
    g.tool("control_action", keep=True)
    for source, target, item in pairs:
        g.drag(centre[source], centre[target])
        g.type(item)
    g.tool("feedback", keep=True)
    for source, target, _item in pairs:
        g.drag(centre[target], centre[source])
        g.type(f"Reports from {target}")
    g.key(Key.Key_Return)
    ids = {c.name: c.id for c in doc.components.values()}
    assert set(ids) == set(places)
    links = {(lk.source, lk.target, lk.kind, lk.items[0].name) for lk in doc.links.values()}
    expected = {(ids[s], ids[t], "control_action", i) for s, t, i in pairs}
    expected |= {(ids[t], ids[s], "feedback", f"Reports from {t}") for s, t, _i in pairs}
    assert links == expected
    assert g.count == 40
    while doc.can_undo:
        doc.undo()
    assert not doc.components and not doc.links


def test_show_on_canvas_zooms_so_the_target_is_readable(qtbot, make_window) -> None:
    window = _window(qtbot, make_window)
    path = next(p for p in window.examples_menu.actions() if "citizen" in p.text().lower())
    path.trigger()
    window.view.set_zoom(0.3)  # zoomed far out, as after Fit Diagram on a small screen
    dock = window.analysis.findings
    dock.show()
    table = dock.findings_table
    proxy = dock.findings_proxy
    row = next(
        r
        for r in range(proxy.rowCount())
        if set(window.document.findings[str(proxy.index(r, 0).data(ID_ROLE))].targets)
        & set(window.document.components)
    )
    table.scrollTo(proxy.index(row, 0))
    cell = table.visualRect(proxy.index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), Left, Mod.NoModifier, cell)
    qtbot.mouseDClick(table.viewport(), Left, Mod.NoModifier, cell)
    assert window.view.zoom >= READABLE_ZOOM
    shown = window.diagram.selected_ids()
    assert shown
    visible = window.view.visible_rect()
    assert any(
        visible.intersects(window.diagram.components[i].sceneBoundingRect())
        for i in shown
        if i in window.diagram.components
    )
    assert not window.document.can_undo  # looking is not an edit


def test_labels_placed_between_events_wait_while_the_mouse_button_is_down(qtbot) -> None:
    # the generator's crowded rows of 100: hundreds of labels have no free place by their
    # links and are placed between events; a press (a drag may follow) pauses them
    doc = generate_document(100)
    scene = DiagramScene(doc)
    view = CanvasView(scene)
    qtbot.addWidget(view)
    view.resize(1280, 820)
    assert scene.placing_labels

    def unplaced() -> int:
        return sum(1 for link in scene.links.values() if link.label_box() is None)

    waiting = unplaced()
    assert waiting > 200
    component = next(iter(scene.components.values()))
    point = view.mapFromScene(component.scene_rect().center())
    qtbot.mousePress(view.viewport(), Left, Mod.NoModifier, point)
    qtbot.wait(100)
    assert unplaced() == waiting and scene.placing_labels  # paused while the button is down
    qtbot.mouseRelease(view.viewport(), Left, Mod.NoModifier, point)
    qtbot.waitUntil(lambda: not scene.placing_labels, timeout=10_000)
    assert unplaced() == 0
    # where the engine places them (a click re-places its component's own links' labels)
    clicked = {
        key for key, link in doc.links.items() if component.record_id in (link.source, link.target)
    }
    engine = drawing_of(doc).labels
    for key, link in scene.links.items():
        if key not in clicked:
            assert link.label_box() == engine[key].rect()


def test_links_skipping_pieces_outside_a_repaint_change_no_pixel(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the generator's crowded rows of 100: hundreds of labels far from their links, whose
    # boxes (label and leader line) reach over the view; a link wholly inside a repaint
    # draws whole, one reaching beyond draws only its pieces inside, to the same picture
    from stipa.ui.canvas.link import LinkItem

    scene = DiagramScene(generate_document(100))
    view = CanvasView(scene)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: not scene.placing_labels, timeout=20_000)
    view.zoom_reset()
    leader = next(link for link in scene.links.values() if link.leader() is not None)
    view.centerOn(QPointF(*leader.label_box()[:2]))
    pictures = []
    for whole in (False, True):
        if whole:  # every link drawn whole: Qt clips what lies outside
            monkeypatch.setattr(LinkItem, "_within", lambda *_args: True)
        view.viewport().repaint()
        pictures.append(view.viewport().grab().toImage())
        drawn_whole = sum(1 for link in scene.links.values() if link._device is None)
        if not whole:
            assert drawn_whole < len(scene.links)  # some links were drawn piece by piece
    assert pictures[0] == pictures[1]
