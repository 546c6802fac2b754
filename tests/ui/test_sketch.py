"""A big diagram far out is painted as a sketch: it shows the components and links where the
items are, marks what is selected, follows a collapse, and at readable zoom the items paint
themselves as before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPaintEvent, QRegion
from PySide6.QtWidgets import QGraphicsItem, QWidget

from stipa.model import Component, Document, NodeLayout
from stipa.testing.generate import generate_document
from stipa.ui.canvas import sketch as sketch_module
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.sketch import SKETCH_BELOW, Piece, Sketch
from stipa.ui.canvas.style import component_style
from stipa.ui.canvas.view import FREEZE_MIN_ITEMS, CanvasView

pytestmark = pytest.mark.gui

FAR = 0.12
#: Members of the container the tests collapse.
MEMBERS = 4


def _document() -> Document:
    """A generated diagram of some 600 components and links; its first components inside a
    container ("Region") drawn around them."""
    doc = generate_document(150, links_per_component=3, seed=1)
    members = list(doc.components)[:MEMBERS]
    boxes = [doc.node_layout[member] for member in members]
    left, top = min(box.x for box in boxes) - 20, min(box.y for box in boxes) - 40
    right = max(box.x + box.width for box in boxes) + 20
    bottom = max(box.y + box.height for box in boxes) + 20
    region = doc.add(Component(name="Region"))
    doc.set_layout(NodeLayout(id=region.id, x=left, y=top, width=right - left, height=bottom - top))
    for member in members:
        doc.update(member, parent=region.id)
    return doc


@pytest.fixture
def view(qtbot) -> Iterator[CanvasView]:
    doc = _document()
    scene = DiagramScene(doc)
    assert len(scene.components) + len(scene.links) >= FREEZE_MIN_ITEMS
    canvas = CanvasView(scene)
    qtbot.addWidget(canvas)
    canvas.resize(900, 700)
    # far out from the first paint, as a big document opens fitted
    canvas.set_zoom(FAR)
    canvas.centerOn(scene.components[next(iter(doc.components))].scene_rect().center())
    canvas.show()
    qtbot.waitExposed(canvas)
    # the labels with no free room by their links are placed from the event loop
    qtbot.waitUntil(lambda: not scene.placing_labels, timeout=30_000)
    yield canvas


def _grab(view: CanvasView) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage()


def _pixel(view: CanvasView, image: QImage, point: QPointF) -> QColor:
    at = view.mapFromScene(point)
    return image.pixelColor(at.x(), at.y())


def _items_painted(view: CanvasView, monkeypatch: pytest.MonkeyPatch) -> QImage:
    """The picture as the items paint themselves (the sketch turned off)."""
    with monkeypatch.context() as patch:
        patch.setattr(CanvasView, "sketching", property(lambda _view: False))
        return _grab(view)


def _distance(a: QColor, b: QColor) -> int:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))


def _differing(a: QImage, b: QImage) -> float:
    """The share of pixels of clearly different colour between two pictures of a size."""
    step = 3
    points = [(x, y) for x in range(0, a.width(), step) for y in range(0, a.height(), step)]
    apart = sum(_distance(a.pixelColor(x, y), b.pixelColor(x, y)) > 40 for x, y in points)
    return apart / len(points)


def test_far_out_the_sketch_shows_the_components_and_links_where_the_items_are(
    view: CanvasView, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert view.zoom < SKETCH_BELOW and view.sketching
    sketch = _grab(view)
    items = _items_painted(view, monkeypatch)
    background = sketch.pixelColor(2, 2)
    shown = [
        item
        for item in view.diagram.components.values()
        if not item.drawn_as_frame
        and view.viewport().rect().contains(view.mapFromScene(item.scene_rect().center()))
    ]
    assert len(shown) > 20
    for item in shown:  # each body in its fill, where the item paints it
        fill = component_style(item.preset).fill.color()
        centre = item.scene_rect().center()
        assert _distance(_pixel(view, sketch, centre), fill) < 24
        assert _distance(_pixel(view, items, centre), fill) < 24
    # and the links: what the lines cover differs from the background in both pictures,
    # and the two pictures are nearly the same
    lined = _differing(sketch, _blank_like(sketch, background))
    assert lined > 0.05
    assert _differing(sketch, items) < lined / 5


def _blank_like(image: QImage, colour: QColor) -> QImage:
    blank = QImage(image.size(), image.format())
    blank.fill(colour)
    return blank


def test_far_out_a_clicked_component_is_ringed_in_the_selection_colour(
    qtbot, view: CanvasView
) -> None:
    item = next(
        item
        for item in view.diagram.components.values()
        if not item.drawn_as_frame and item.isVisible() and not item.component.parent
    )
    rect = item.scene_rect()
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.mapFromScene(rect.center()),
    )
    assert view.diagram.selectedItems() == [item]  # hit-testing works far out
    assert view.sketching
    image = _grab(view)
    ring = view.palette().color(view.palette().ColorRole.Highlight)
    left = view.mapFromScene(rect.topLeft())
    edge = [QPoint(left.x() + dx, left.y() + dy) for dx in (-1, 0, 1) for dy in (3, 4, 5)]
    assert any(_distance(image.pixelColor(point), ring) < 60 for point in edge)
    item.setSelected(False)
    image = _grab(view)
    assert not any(_distance(image.pixelColor(point), ring) < 60 for point in edge)


class _Repaints(QObject):
    """The regions of a widget's paint events."""

    def __init__(self, qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
        super().__init__(widget)
        self.regions: list[QRegion] = []
        widget.installEventFilter(self)
        qtbot.wait(50)  # the paints due so far (the first one's comes late): not of what follows
        self.regions.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            assert isinstance(event, QPaintEvent)
            self.regions.append(QRegion(event.region()))
        return False

    def covered(self, point: QPoint) -> bool:
        """Whether a paint since the last call covered ``point``."""
        found = any(region.contains(point) for region in self.regions)
        self.regions.clear()
        return found


def test_far_out_a_collapse_and_its_undo_repaint_the_sketch(qtbot, view: CanvasView) -> None:
    doc = view.diagram.document
    region = next(c.id for c in doc.components.values() if c.name == "Region")
    member = view.diagram.components[doc.children_of(region)[0]]
    fill = component_style(member.preset).fill.color()
    centre = member.scene_rect().center()
    assert _distance(_pixel(view, _grab(view), centre), fill) < 24
    repaints = _Repaints(qtbot, view.viewport())
    at = view.mapFromScene(centre)
    view.diagram.hierarchy.toggle(region)
    assert doc.node_layout[region].collapsed and not member.isVisible()
    qtbot.waitUntil(lambda: repaints.covered(at))  # the view repaints where the member was
    assert _distance(_pixel(view, _grab(view), centre), fill) >= 24  # and it is gone
    doc.undo()
    assert not doc.node_layout[region].collapsed
    qtbot.waitUntil(lambda: repaints.covered(at))
    assert _distance(_pixel(view, _grab(view), centre), fill) < 24


def test_items_paint_themselves_at_readable_zoom_and_in_small_diagrams(qtbot) -> None:
    doc = _document()
    view = CanvasView(DiagramScene(doc))
    qtbot.addWidget(view)
    view.zoom_reset()
    assert not view.sketching
    view.set_zoom(FAR)
    assert view.sketching
    small = CanvasView(DiagramScene(generate_document(20, links_per_component=2, seed=1)))
    qtbot.addWidget(small)
    small.set_zoom(FAR)
    assert not small.sketching


def test_far_out_a_removed_component_leaves_the_sketch_at_once(qtbot, view: CanvasView) -> None:
    doc = view.diagram.document
    item = next(
        item
        for item in view.diagram.components.values()
        if not item.drawn_as_frame and not item.component.parent
    )
    fill = component_style(item.preset).fill.color()
    centre = item.scene_rect().center()
    at = view.mapFromScene(centre)
    assert _distance(_pixel(view, _grab(view), centre), fill) < 24
    repaints = _Repaints(qtbot, view.viewport())
    doc.remove(item.record_id)
    qtbot.waitUntil(lambda: repaints.covered(at))
    assert _distance(_pixel(view, _grab(view), centre), fill) >= 24
    doc.undo()
    qtbot.waitUntil(lambda: repaints.covered(at))
    assert _distance(_pixel(view, _grab(view), centre), fill) < 24


def _noting_gathers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[DiagramScene, int]]:
    """Note each gathering of a sketch: its diagram, and how many items it looked at."""
    gathered: list[tuple[DiagramScene, int]] = []
    gather = Sketch._gather

    def noting(sketch: Sketch, items: list[QGraphicsItem], *rest: Any) -> None:
        gathered.append((sketch.diagram, len(items)))
        gather(sketch, items, *rest)

    monkeypatch.setattr(Sketch, "_gather", noting)
    return gathered


def test_far_out_a_small_repaint_draws_from_the_kept_picture(
    qtbot, view: CanvasView, monkeypatch: pytest.MonkeyPatch
) -> None:
    gathered = _noting_gathers(monkeypatch)
    before = _grab(view)
    assert len(gathered) <= 1
    gathered.clear()
    view.viewport().repaint(QRect(100, 100, 40, 40))  # a hover, a tooltip's leftovers
    assert gathered == []
    assert _differing(_grab(view), before) == 0
    next(iter(view.diagram.components.values())).setSelected(True)
    _grab(view)
    everything = len(view.diagram.components) + len(view.diagram.links)
    assert gathered == [(view.diagram, everything)]  # what the diagram shows changed


def _drawn(pieces: list[Piece]) -> Counter[tuple[object, ...]]:
    """What ``pieces`` draw: each rectangle and line with the look of its pen and brush."""
    found: Counter[tuple[object, ...]] = Counter()
    for pen, brush, rects, lines in pieces:
        look = (pen.color().rgba(), pen.widthF(), pen.style(), brush and brush.color().rgba())
        found.update((look, rect.getCoords()) for rect in rects)
        found.update((look, (line.x1(), line.y1(), line.x2(), line.y2())) for line in lines)
    return found


def test_far_out_a_collapse_gathers_again_only_what_it_changed(
    qtbot, view: CanvasView, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = view.diagram.document
    region = next(c.id for c in doc.components.values() if c.name == "Region")
    everything = len(view.diagram.components) + len(view.diagram.links)
    _grab(view)
    gathered = _noting_gathers(monkeypatch)
    for change in (lambda: view.diagram.hierarchy.toggle(region), doc.undo, doc.redo):
        gathered.clear()
        change()
        _grab(view)
        # the container, its members and their links: a few of the diagram's hundreds
        assert gathered and all(count < everything / 10 for _diagram, count in gathered)
        kept = _drawn(view.diagram.sketch.pieces())
        view.diagram.sketch.forget()  # and the sketch is what gathering everything draws
        assert _drawn(view.diagram.sketch.pieces()) == kept
    assert doc.node_layout[region].collapsed


def test_far_out_a_collapse_toggled_back_shows_the_sketch_from_before_it(
    qtbot, view: CanvasView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Undone, redone, or expanded again with nothing else changed meanwhile, a collapse
    shows the sketch it showed before, gathering and drawing nothing again; after any other
    change it gathers again. Each time the picture is what gathering everything draws."""
    doc = view.diagram.document
    region = next(c.id for c in doc.components.values() if c.name == "Region")
    expanded = _grab(view)
    view.diagram.hierarchy.toggle(region)
    collapsed = _grab(view)
    assert _differing(collapsed, expanded) > 0
    gathered = _noting_gathers(monkeypatch)
    drawn = []
    monkeypatch.setattr(sketch_module, "paint", lambda *args: drawn.append(args))
    for change, picture in ((doc.undo, expanded), (doc.redo, collapsed)) * 2:
        change()
        assert _differing(_grab(view), picture) == 0
        assert gathered == [] and drawn == []  # the kept sketch and its picture
    kept = _drawn(view.diagram.sketch.pieces())
    view.diagram.sketch.forget()
    assert _drawn(view.diagram.sketch.pieces()) == kept
    monkeypatch.undo()
    # something else changed meanwhile (a component moved): the expand is gathered again
    outside = next(
        item for item in view.diagram.components.values()
        if not item.component.parent and not item.drawn_as_frame
    )  # fmt: skip
    doc.set_layout(doc.node_layout[outside.record_id].replace(x=outside.x() + 300))
    _grab(view)
    gathered = _noting_gathers(monkeypatch)
    view.diagram.hierarchy.toggle(region)
    assert _differing(_grab(view), expanded) > 0  # the moved component is not where it was
    assert gathered
    kept = _drawn(view.diagram.sketch.pieces())
    view.diagram.sketch.forget()
    assert _drawn(view.diagram.sketch.pieces()) == kept


def _labels(diagram: DiagramScene) -> dict[str, object]:
    return {key: link.label_box() for key, link in diagram.links.items() if link.isVisible()}


def test_far_out_the_labels_a_collapse_moves_are_placed_once_the_view_has_painted(
    qtbot, view: CanvasView
) -> None:
    doc = view.diagram.document
    region = next(c.id for c in doc.components.values() if c.name == "Region")
    near = CanvasView(DiagramScene(doc))  # at 100 %: its labels show, and are placed at once
    qtbot.addWidget(near)
    near.zoom_reset()
    qtbot.waitUntil(lambda: not near.diagram.placing_labels, timeout=30_000)
    assert _labels(near.diagram) == _labels(view.diagram)
    waiting_at_paint: list[int] = []

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                waiting_at_paint.append(len(view.diagram.after_paint))
            return False

    paints = Paints(view)
    view.viewport().installEventFilter(paints)
    for change in (lambda: view.diagram.hierarchy.toggle(region), doc.undo):
        waiting_at_paint.clear()
        change()
        due = len(view.diagram.after_paint)
        assert due and not near.diagram.after_paint
        qtbot.waitUntil(lambda: not view.diagram.after_paint)
        assert waiting_at_paint[0] == due  # the view painted the change before they moved
        assert _labels(view.diagram) == _labels(near.diagram)


def test_far_out_the_sketch_follows_a_change_of_appearance(qtbot, view: CanvasView) -> None:
    """Switched to dark and back, the sketch is drawn in the new palette's colours, a
    collapse toggled back too (never a picture kept from the other palette)."""
    from stipa.ui.theme import apply_appearance

    doc = view.diagram.document
    region = next(c.id for c in doc.components.values() if c.name == "Region")
    light = _grab(view).pixelColor(2, 2)
    view.diagram.hierarchy.toggle(region)
    _grab(view)
    try:
        apply_appearance("dark")
        doc.undo()  # toggled back: what was kept is of the light palette
        dark = _grab(view).pixelColor(2, 2)
        assert dark.lightness() < 100 < light.lightness()
    finally:
        apply_appearance("light")
    assert _distance(_grab(view).pixelColor(2, 2), light) == 0
