"""Containers on the canvas: frames, carried contents, drop targets, collapse and drill-down."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QMenu,
    QStyleOptionGraphicsItem,
    QWidget,
)

from stipa.diagram.containers import (
    TITLE_HEIGHT,
    Aggregate,
    Crossing,
    Stub,
    TitleIndex,
    aggregate_links,
    aggregate_route,
    aggregate_routes,
    boundary_crossings,
    boundary_stubs,
    collapsed_ids,
    count_label,
    depths,
    drop_target,
    frame_ids,
    frame_title,
    merged_segments,
    minimum_frame,
    routed_clear_of_titles,
    shown_as,
    title_index,
)
from stipa.diagram.geometry import Point, Rect, Route, TextLine
from stipa.diagram.text import LABEL, elide
from stipa.model import (
    ComponentKind,
    Event,
    HistoryChanged,
    Link,
    LinkKind,
    ModelError,
    RecordChanged,
    Routing,
)
from stipa.operations.hierarchy import set_collapsed
from stipa.ui import collector
from stipa.ui.canvas.repaint import ARROW_DETAIL, LABEL_DETAIL, detail_of
from stipa.ui.canvas.style import engine_font, link_pens

if TYPE_CHECKING:
    from stipa.ui.canvas.component import ComponentItem
    from stipa.ui.canvas.link import LinkItem
    from stipa.ui.canvas.scene import DiagramScene
    from stipa.ui.canvas.view import CanvasView

#: Where frames sit: below links (z 0) and components (z 1), deeper frames above outer ones.
_FRAME_Z, _DEPTH_Z = -1.0, 0.01
#: The longest the collector waits for a collapse or expand to be painted (see
#: ``Hierarchy._follow_toggles``).
_COLLECTION_PAUSE_MS = 1000
#: How far an aggregated arrow's head and "×n" tag reach out of the box around its ends.
_ARROW_REACH = 40.0
#: The width of a frame's border that picks the frame (its inside belongs to the canvas).
_BORDER = 6.0
#: The widest an outside component's name is shown on a stub, in a container's own view;
#: the most stubs that follow a component while it is dragged.
_STUB_NAME_WIDTH, _LIVE_STUBS = 160.0, 200


def _tr(text: str) -> str:
    return QCoreApplication.translate("Containers", text)


# --- painting a frame ------------------------------------------------------------------------
def frame_shape(item: ComponentItem) -> QPainterPath:
    """What picks a frame: its title bar and a band along its border, not its inside."""
    rect = item.rect()
    outer = QPainterPath()
    outer.addRect(rect.adjusted(-2, -2, 2, 2))
    inner = QPainterPath()
    inner.addRect(rect.adjusted(_BORDER, TITLE_HEIGHT, -_BORDER, -_BORDER))
    return outer.subtracted(inner)


def paint_frame(item: ComponentItem, painter: QPainter, selected: bool) -> None:
    """A container as a frame with a title bar; a system boundary dashed, with its name."""
    palette = QApplication.palette()
    text = palette.color(palette.ColorRole.Text)
    rect = item.rect()
    boundary = item.component.kind == ComponentKind.BOUNDARY
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(text, 2.4 if selected else 1.3)
    if boundary:
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        tint = QColor(item.preset.colour)
        tint.setAlpha(28)
        painter.setBrush(QBrush(tint))
    painter.setPen(pen)
    painter.drawRect(rect)
    title = QRectF(rect.left(), rect.top(), rect.width(), min(TITLE_HEIGHT, rect.height()))
    if not boundary:
        band = QColor(item.preset.colour)
        band.setAlpha(110)
        painter.fillRect(title, band)
        painter.drawLine(title.bottomLeft(), title.bottomRight())
    if item.highlight is not None:
        painter.setPen(QPen(item.highlight, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
    if selected:
        painter.setPen(QPen(palette.color(palette.ColorRole.Highlight), 1.5, Qt.PenStyle.DotLine))
        painter.setBrush(palette.color(palette.ColorRole.Highlight))
        painter.drawRect(item.handle_rect())
    line = frame_title((0.0, 0.0, rect.width(), rect.height()), item.component.name)
    painter.setPen(text)
    painter.setFont(engine_font(line.style))
    painter.drawText(QPointF(line.x, line.y), line.text)


def paint_collapsed_mark(item: ComponentItem, painter: QPainter) -> None:
    """The mark of a collapsed container: a small boxed plus at its top right corner."""
    rect = item.rect()
    box = QRectF(rect.right() - 15, rect.top() + 3, 12, 12)
    painter.setPen(QPen(QApplication.palette().color(QApplication.palette().ColorRole.Text), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(box)
    centre = box.center()
    painter.drawLine(QPointF(box.left() + 3, centre.y()), QPointF(box.right() - 3, centre.y()))
    painter.drawLine(QPointF(centre.x(), box.top() + 3), QPointF(centre.x(), box.bottom() - 3))


# --- aggregated links ------------------------------------------------------------------------
#: An aggregated arrow's key: its shown source, its shown target, the links' kind.
AggregateKey = tuple[str, str, LinkKind]


class AggregateArrow:
    """The links between a collapsed container and another shown component, drawn as one
    arrow with a count by the :class:`AggregateLayer` (not an item of its own: a collapsed
    container of hundreds has thousands, and each item would cost the scene's index).

    The route is made when first drawn, its "×n" tag when first drawn in view: a big
    collapse makes thousands of arrows, of which a view zoomed in shows a few tags.
    """

    __slots__ = ("_bundle", "_extent", "_route", "_tag", "aggregate", "key", "source", "target")

    def __init__(self, aggregate: Aggregate, source: ComponentItem, target: ComponentItem) -> None:
        self.aggregate = aggregate
        self.key: AggregateKey = (aggregate.source, aggregate.target, aggregate.kind)
        self.source = source
        self.target = target
        self._bundle: weakref.ref[Bundle] | None = None
        self._route: Route | None = None
        self._tag: tuple[QRectF, TextLine] | None = None
        self._extent: tuple[float, float, float, float] | None = None

    @property
    def count(self) -> int:
        """How many links the arrow stands for."""
        return len(self.aggregate.links)

    @property
    def bundle(self) -> Bundle | None:
        """The arrows made with it, drawn with it (held weakly: no cycle of references,
        which the garbage collector alone frees, and not at all once put out of its sight)."""
        return None if self._bundle is None else self._bundle()

    @bundle.setter
    def bundle(self, bundle: Bundle) -> None:
        self._bundle = weakref.ref(bundle)

    def reroute(self) -> None:
        """Follow the ends (after one moved or changed size)."""
        self._route = None
        self._tag = None
        self._extent = None
        bundle = self.bundle
        if bundle is not None:
            bundle.forget()

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """The box the arrow draws in: left, top, right, bottom."""
        if self._extent is None:
            self._extent = _span([self.source, self.target])
        return self._extent

    @property
    def bounds(self) -> QRectF:
        """The box the arrow draws in."""
        return _united([self.extent])

    @property
    def route(self) -> Route:
        """The line's points and its arrow head."""
        if self._route is None:
            self._route = aggregate_route(self.source.box(), self.target.box())
        return self._route

    @staticmethod
    def route_all(arrows: Iterable[AggregateArrow]) -> None:
        """Make the routes of ``arrows`` not made yet, all at once (much faster)."""
        unrouted = [arrow for arrow in arrows if arrow._route is None]
        ends = [(arrow.source.box(), arrow.target.box()) for arrow in unrouted]
        for arrow, route in zip(unrouted, aggregate_routes(ends), strict=True):
            arrow._route = route

    @property
    def tag(self) -> tuple[QRectF, TextLine]:
        """The "×n" tag's box and its text."""
        if self._tag is None:
            box, text = count_label(self.route, self.count)
            self._tag = (QRectF(box.x, box.y, box.width, box.height), text)
        return self._tag

    @property
    def label(self) -> QRectF:
        """The "×n" tag's box."""
        return self.tag[0]


def _span(items: Iterable[ComponentItem]) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) the arrows between ``items`` draw in: the route
    runs between the ends' boxes (its elbows too); the tag and the arrow head stick out of
    them by less than the margin. (Thousands at once: no min, max per item.)"""
    left = top = float("inf")
    right = bottom = float("-inf")
    for item in items:
        x, y, width, height = item.box()
        if x < left:
            left = x
        if y < top:
            top = y
        if x + width > right:
            right = x + width
        if y + height > bottom:
            bottom = y + height
    m = _ARROW_REACH
    return (left - m, top - m, right + m, bottom + m)


def _arrows_span(arrows: Iterable[AggregateArrow]) -> QRectF:
    """The box ``arrows`` draw in (empty for none): around their ends, each counted once."""
    ends: dict[ComponentItem, None] = {}
    for arrow in arrows:
        ends[arrow.source] = None
        ends[arrow.target] = None
    return _united([_span(ends)]) if ends else QRectF()


class _Drawing:
    """What the aggregated arrows of one kind of link draw, gathered for a few painter
    calls: their lines joined where they overlap (one call draws them all), and where
    each arrow's head and tag lie (only those in the exposed area are drawn)."""

    __slots__ = ("_all", "_heads", "arrows", "extent", "lines", "style")

    def __init__(self, kind: LinkKind, arrows: list[AggregateArrow]) -> None:
        self.arrows = arrows
        self.style = link_pens(kind)
        AggregateArrow.route_all(arrows)
        self.lines = merged_segments([arrow.route.points for arrow in arrows])
        #: the box around the lines (left, top, right, bottom): a view showing all of it
        #: draws them as they are, without cutting them to the view
        xs = [x for (x1, _), (x2, _) in self.lines for x in (x1, x2)]
        ys = [y for (_, y1), (_, y2) in self.lines for y in (y1, y2)]
        self.extent = (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)
        self._all: list[QLineF] | None = None
        self._heads: list[tuple[Point, Point, Point]] | None = None

    @property
    def heads(self) -> list[tuple[Point, Point, Point]]:
        """The arrow heads (when first drawn: far out, none is)."""
        if self._heads is None:
            # the arrows into a collapsed container end at the same port: one head each place
            self._heads = list({arrow.route.arrow: None for arrow in self.arrows})
        return self._heads

    def _lines_in(self, left: float, top: float, right: float, bottom: float) -> list[QLineF]:
        """The lines, cut to the box: Qt strokes a wide pen's whole line before clipping,
        and the arrows of a big collapse run across the whole diagram."""
        x1, y1, x2, y2 = self.extent
        if left <= x1 and top <= y1 and x2 <= right and y2 <= bottom:  # all in view
            if self._all is None:
                self._all = [QLineF(*start, *end) for start, end in self.lines]
            return self._all
        lines = []
        for (x1, y1), (x2, y2) in self.lines:
            if x1 == x2 and left <= x1 <= right:  # the joined lines run from low to high
                if y1 <= bottom and y2 >= top:
                    lines.append(QLineF(x1, max(y1, top), x2, min(y2, bottom)))
            elif y1 == y2 and top <= y1 <= bottom:
                if x1 <= right and x2 >= left:
                    lines.append(QLineF(max(x1, left), y1, min(x2, right), y2))
            elif (
                min(x1, x2) <= right
                and max(x1, x2) >= left
                and min(y1, y2) <= bottom
                and max(y1, y2) >= top
            ):  # a slanted line near the box: Qt cuts it
                lines.append(QLineF(x1, y1, x2, y2))
        return lines

    def paint(self, painter: QPainter, exposed: QRectF, detail: float) -> None:
        """Draw the lines, and the heads and tags inside ``exposed`` that ``detail`` shows."""
        style = self.style
        # heads and tags reach less than _ARROW_REACH from the point they sit at
        m = _ARROW_REACH
        left, top = exposed.left() - m, exposed.top() - m
        right, bottom = exposed.right() + m, exposed.bottom() + m
        pen = QPen(style.pen)
        pen.setWidthF(pen.widthF() * 1.6)  # thicker than a link's: it stands for several
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # lines thinner than a pixel (far out) as plain hairlines, as the sketch draws them:
        # Qt draws those as hairlines either way, antialiased several times slower
        width = pen.widthF() * painter.worldTransform().m11()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, width > 1.0)
        painter.drawLines(self._lines_in(left, top, right, bottom))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if detail < ARROW_DETAIL:
            return
        painter.setPen(style.arrow_pen)
        painter.setBrush(style.arrow_brush)
        for head in self.heads:
            x, y = head[0]
            if left <= x <= right and top <= y <= bottom:
                painter.drawPolygon(QPolygonF([QPointF(px, py) for px, py in head]))
        if detail < LABEL_DETAIL:
            return
        for arrow in self.arrows:
            points = arrow.route.points
            middle = len(points) // 2
            (ax, ay), (bx, by) = points[middle - 1], points[middle]
            if left <= (ax + bx) / 2 <= right and top <= (ay + by) / 2 <= bottom:
                box, text = arrow.tag
                painter.setPen(style.label_pen)
                painter.setBrush(style.label_brush)
                painter.drawRoundedRect(box, 8, 8)
                painter.setPen(style.text_pen)
                painter.setFont(engine_font(text.style))
                painter.drawText(QPointF(text.x, text.y), text.text)


class Bundle:
    """Aggregated arrows made together (by one collapse, say), drawn together: their
    drawing is kept while none of them changes, so a container collapsed again, with
    nothing else changed meanwhile, is drawn with the arrows its last collapse made
    (``Hierarchy`` keeps what a toggle took away for the toggle back)."""

    __slots__ = ("__weakref__", "_drawings", "arrows")

    def __init__(self, arrows: list[AggregateArrow]) -> None:
        self.arrows: dict[AggregateArrow, None] = dict.fromkeys(arrows)
        self._drawings: list[_Drawing] | None = None
        for arrow in arrows:
            arrow.bundle = self

    def forget(self) -> None:
        """Draw the arrows anew when next painted (one changed, or was taken away)."""
        self._drawings = None

    def drawings(self) -> list[_Drawing]:
        """The arrows gathered by kind of link, made again after they changed."""
        if self._drawings is None:
            kinds: dict[LinkKind, list[AggregateArrow]] = {}
            for arrow in self.arrows:
                kinds.setdefault(arrow.aggregate.kind, []).append(arrow)
            self._drawings = [_Drawing(kind, arrows) for kind, arrows in kinds.items()]
        return self._drawings


class AggregateLayer(QGraphicsItem):
    """Draws every aggregated arrow of the scene, as one item: adding or removing thousands
    costs one entry of the scene's index, not thousands spanning the whole diagram, and
    they are drawn with a few painter calls per kind of link and bundle (see
    :class:`_Drawing`). Its shape is the arrows' "×n" tags, which tell how many links an
    arrow stands for."""

    def __init__(self) -> None:
        super().__init__()
        self.arrows: dict[AggregateKey, AggregateArrow] = {}
        self.bundles: dict[Bundle, None] = {}
        self._bounds = QRectF()
        self._tags: QPainterPath | None = None
        self.setZValue(0.5)
        self.setAcceptHoverEvents(True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def add(self, bundle: Bundle) -> None:
        """Draw the arrows of ``bundle`` too."""
        self.bundles[bundle] = None
        for arrow in bundle.arrows:
            self.arrows[arrow.key] = arrow

    def take(self, keys: Iterable[AggregateKey]) -> list[Bundle]:
        """Stop drawing the arrows of ``keys``; they come back as bundles (those taken whole
        keep their drawing)."""
        taken: dict[Bundle, list[AggregateArrow]] = {}
        for key in keys:
            arrow = self.arrows.pop(key)
            bundle = arrow.bundle
            assert bundle is not None  # the layer holds the bundles of its arrows
            taken.setdefault(bundle, []).append(arrow)
        bundles = []
        parts: list[AggregateArrow] = []
        for bundle, arrows in taken.items():
            if len(arrows) == len(bundle.arrows):
                del self.bundles[bundle]
                bundles.append(bundle)
                continue
            for arrow in arrows:
                del bundle.arrows[arrow]
            bundle.forget()
            parts.extend(arrows)
        if parts:
            bundles.append(Bundle(parts))
        return bundles

    def clear(self) -> None:
        """Stop drawing every arrow."""
        self.arrows.clear()
        self.bundles.clear()

    def changed(self, gone: QRectF, added: QRectF) -> None:
        """Arrows went from ``gone`` and came in ``added``: repaint those places.

        The layer's box only grows: shrinking it re-indexes the whole area it covered
        (a tenth of a second for a big diagram), while a larger box costs nothing, as only
        the arrows in the exposed area are drawn.
        """
        if not added.isEmpty() and not self._bounds.contains(added):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(added)
        self._tags = None
        for area in (gone, added):
            if not area.isEmpty():
                self.update(area)

    def moved(self, arrow: AggregateArrow, before: QRectF) -> None:
        """``arrow`` was re-routed from where ``before`` bounded it: repaint the two places."""
        if not self._bounds.contains(arrow.bounds):
            self.prepareGeometryChange()
            self._bounds = self._bounds.united(arrow.bounds)
        self._tags = None
        self.update(before)
        self.update(arrow.bounds)

    def arrow_at(self, point: QPointF) -> AggregateArrow | None:
        """The arrow whose tag is under ``point``."""
        return next((a for a in self.arrows.values() if a.label.contains(point)), None)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._tags is None:
            self._tags = QPainterPath()
            for arrow in self.arrows.values():
                self._tags.addRect(arrow.label)
        return self._tags

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        arrow = self.arrow_at(event.pos())
        self.setToolTip("" if arrow is None else _tr("{0} links").format(arrow.count))

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        detail = detail_of(painter, widget)
        for bundle in self.bundles:
            for drawing in bundle.drawings():
                drawing.paint(painter, option.exposedRect, detail)


class StubLayer(QGraphicsItem):
    """In a container's own view, the links between what it holds and the components
    outside it (hidden there): each drawn as a stub out of its frame to a port with the
    outside component's name, as sub-diagrams in Capella and PASTA show what crosses their
    boundary. Read-only: it takes no click (what lies under it does), only a tooltip."""

    def __init__(self) -> None:
        super().__init__()
        self.stubs: list[tuple[Crossing, Stub]] = []
        self.names: dict[str, str] = {}
        self._bounds = QRectF()
        self.setZValue(0.5)
        self.setAcceptHoverEvents(True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_stubs(self, stubs: list[tuple[Crossing, Stub]], names: Mapping[str, str]) -> None:
        """Draw ``stubs`` instead of those drawn; ``names``: the outside components'."""
        self.prepareGeometryChange()
        self.stubs = stubs
        self.names = dict(names)
        extents = []
        for _crossing, stub in stubs:
            xs = [x for x, _y in (*stub.route.points, *stub.route.arrow)]
            ys = [y for _x, y in (*stub.route.points, *stub.route.arrow)]
            box = stub.label
            extents.append((min(xs), min(ys), max(xs), max(ys)))
            extents.append((box.x, box.y, box.x + box.width, box.y + box.height))
        self._bounds = _united(extents).adjusted(-4, -4, 4, 4)
        self.update()

    def crossing_at(self, point: QPointF) -> Crossing | None:
        """The crossing whose label is under ``point``."""
        for crossing, stub in self.stubs:
            box = stub.label
            if QRectF(box.x, box.y, box.width, box.height).contains(point):
                return crossing
        return None

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        labels = QPainterPath()
        for _crossing, stub in self.stubs:
            labels.addRect(QRectF(stub.label.x, stub.label.y, stub.label.width, stub.label.height))
        return labels

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        crossing = self.crossing_at(event.pos())
        text = _tr("Links with {0}, outside this container: {1}")
        self.setToolTip(
            ""
            if crossing is None
            else text.format(self.names.get(crossing.outside, ""), len(crossing.links))
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        detail = detail_of(painter, widget)
        for crossing, stub in self.stubs:
            style = link_pens(crossing.kind)
            painter.setPen(style.pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(QPolygonF([QPointF(x, y) for x, y in stub.route.points]))
            if detail < ARROW_DETAIL:
                continue
            painter.setPen(style.arrow_pen)
            painter.setBrush(style.arrow_brush)
            painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in stub.route.arrow]))
            if detail < LABEL_DETAIL:
                continue
            box, text = stub.label, stub.text
            painter.setPen(style.label_pen)
            painter.setBrush(style.label_brush)
            painter.drawRoundedRect(QRectF(box.x, box.y, box.width, box.height), 8, 8)
            painter.setPen(style.text_pen)
            painter.setFont(engine_font(text.style))
            painter.drawText(QPointF(text.x, text.y), text.text)


def _united(extents: list[tuple[float, float, float, float]]) -> QRectF:
    """The box around ``extents`` (left, top, right, bottom; empty for none)."""
    if not extents:
        return QRectF()
    lefts, tops, rights, bottoms = zip(*extents, strict=True)
    left, top = min(lefts), min(tops)
    return QRectF(left, top, max(rights) - left, max(bottoms) - top)


def clear_route(link: LinkItem, points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """``points``, the route of ``link``, leaving the frames around its ends beside their
    title bars and passing other frames above them, rather than through their titles
    (``stipa.diagram.containers.clear_of_titles``); a route the analyst set (straight, or
    with a moved segment) stays as it is."""
    hierarchy = link.source.hierarchy
    if hierarchy is None or not hierarchy.frames:
        return points
    layout = link.route_layout
    if layout.bends or layout.routing != Routing.ORTHOGONAL:
        return points
    source, target = link.source, link.target
    titles, boxes = hierarchy.titles()
    return routed_clear_of_titles(
        points,
        titles,
        (source.record_id, target.record_id),
        (
            [item.record_id for item in source.frames_around],
            [item.record_id for item in target.frames_around],
        ),
        boxes,
    )


# --- the scene's containment ------------------------------------------------------------------
class Hierarchy:
    """What the scene knows about containment: frames, depths, what is collapsed or out of
    the drilled-down view, and the aggregated arrows. Recomputed after each undo step that
    touched it, in one pass; an undo step that only collapses or expands containers changes
    only what they contain, their links, and the labels near them."""

    def __init__(self, scene: DiagramScene) -> None:
        self.scene = scene
        self.frames: set[str] = set()
        self.depth: dict[str, int] = {}
        self.children: dict[str, list[str]] = {}
        #: hidden component -> the collapsed container standing for it
        self.hidden: dict[str, str] = {}
        #: the container opened as its own view ("" for the whole diagram)
        self.focus = ""
        self._dirty = True
        #: containers collapsed or expanded in this undo step (nothing else changed)
        self._toggled: set[str] = set()
        #: draws the aggregated arrows; added to the scene when first needed
        self.layer = AggregateLayer()
        #: the arrow each aggregated link is drawn in, and the arrows at each component
        self._arrow_of: dict[str, AggregateKey] = {}
        self._ends: dict[str, set[AggregateKey]] = {}
        #: the containers the last undo step collapsed or expanded, and the arrows it took
        #: away: toggled back with nothing else changed meanwhile (undone, say), they are
        #: drawn again as they were, not made anew (None: something else changed since)
        self._toggled_back: tuple[set[str], list[Bundle]] | None = None
        #: the open frames' title bars, and their boxes (made again after a frame changed)
        self._titles: tuple[TitleIndex | None, dict[str, Rect]] | None = None
        #: in a container's own view: the links crossing its frame, and what they start at
        self.stub_layer = StubLayer()
        self._stub_ends: set[str] = set()
        self._restub_due = False

    def titles(self) -> tuple[TitleIndex | None, dict[str, Rect]]:
        """The title bars of the frames shown, and the frames' boxes (routes keep off the
        titles)."""
        if self._titles is None:
            items = self.scene.components
            boxes = {
                key: items[key].box()
                for key in self.frames
                if key in items and items[key].drawn_as_frame and items[key].isVisible()
            }
            self._titles = (title_index(boxes), boxes)
        return self._titles

    @property
    def aggregates(self) -> list[AggregateArrow]:
        """The aggregated arrows shown."""
        return list(self.layer.arrows.values())

    # --- following the model ---------------------------------------------------------------
    def note(self, event: Event) -> bool:
        """Mark the containment stale after an event that may change it; refresh once the
        undo step is complete. Returns whether the event only collapsed or expanded a
        container: the labels it moves are placed again here, near it, not everywhere."""
        if isinstance(event, HistoryChanged):
            if self._dirty:
                self._toggled = set()
                self.refresh()
            elif self._toggled:
                self._follow_toggles()
            elif self._restub_due:  # links added or removed, components moved
                self._restub()
            self._restub_due = False
            return False
        table = getattr(event, "table", "")
        if table not in ("components", "links", "node_layout"):
            return False
        if self.focus:
            self._restub_due = True
        if (
            table == "node_layout"
            and isinstance(event, RecordChanged)
            and event.old.replace(collapsed=event.new.collapsed) == event.new
            and event.old.collapsed != event.new.collapsed
        ):
            self._toggled.add(event.new.id)
            return True
        self._toggled_back = None  # something else changed: the arrows kept are stale
        if table == "components":
            if isinstance(event, RecordChanged):
                old, new = event.old, event.new
                if old.parent == new.parent and old.kind == new.kind and old.name == new.name:
                    return False
            self._dirty = True
        elif table == "node_layout":
            if isinstance(event, RecordChanged) and event.old.collapsed == event.new.collapsed:
                return False  # moved or resized: the items follow
            self._dirty = True
        return False

    def _in_view(self) -> set[str] | None:
        """What the drilled-down view shows (None: everything)."""
        return {self.focus, *self.descendants(self.focus)} if self.focus else None

    def _collapsed(self) -> set[str]:
        """The containers drawn collapsed: all but the opened one and those around it."""
        collapsed = collapsed_ids(self.scene.document.node_layout)
        return collapsed - set(self.ancestors(self.focus, True))

    def refresh(self) -> None:
        """Recompute frames, depths, hidden contents and aggregated arrows, and show them."""
        self._dirty = False
        self._titles = None
        self.scene.sketch.forget()
        doc = self.scene.document
        components = doc.components
        items = self.scene.components
        if self.focus and self.focus not in components:
            self.focus = ""
        self.frames = frame_ids(components)
        self.depth = depths(components)
        self.children = {}
        for component in components.values():
            if component.parent:
                self.children.setdefault(component.parent, []).append(component.id)
        self.hidden = shown_as(components, self._collapsed())
        in_view = self._in_view()
        moved: set[LinkItem] = set()
        for component_id, item in items.items():
            frame = component_id in self.frames
            if item.frame != frame:
                item.set_frame(frame)
            self._show(component_id, item, in_view)
            item.hierarchy = self
            around = [items[c] for c in self.ancestors(component_id) if c in items]
            if around != item.frames_around:
                item.frames_around = around
                moved.update(link for link in item.links if link.scene() is not None)
        for link in moved:  # into or out of a container: its way out of the frames changed
            link.update_route()
        for link in self.scene.links.values():
            visible = link.source.isVisible() and link.target.isVisible()
            if link.isVisible() != visible:
                link.setVisible(visible)
        gone = _arrows_span(self.layer.arrows.values())
        self.layer.clear()
        self._arrow_of = {}
        self._ends = {}
        self._toggled_back = None
        self._add_arrows(self.scene.document.links, in_view, gone)
        self._restub()

    def _show(self, component_id: str, item: ComponentItem, in_view: set[str] | None) -> None:
        """Stack ``item`` as a frame or a component, and show it unless it is hidden."""
        z = _FRAME_Z + _DEPTH_Z * self.depth.get(component_id, 0) if item.drawn_as_frame else 1
        if item.zValue() != z:
            item.setZValue(z)
        visible = component_id not in self.hidden and (in_view is None or component_id in in_view)
        if item.isVisible() != visible:
            item.setVisible(visible)

    def _follow_toggles(self) -> None:
        """Show what the containers collapsed or expanded in this undo step changed: their
        contents, the links at them, the aggregated arrows of those links, and the labels
        near the containers."""
        # no collection until the views have painted the answer: it would walk the
        # thousands of arrows made here in the middle of it (it runs once painted)
        pause = collector.Pause()
        QTimer.singleShot(_COLLECTION_PAUSE_MS, pause.resume)  # at the latest
        try:
            self._show_toggles()
        finally:
            self.scene.unseen(pause.resume)

    def _show_toggles(self) -> None:
        toggled, self._toggled = self._toggled, set()
        self._titles = None
        doc = self.scene.document
        components = doc.components
        items = self.scene.components
        collapsed = self._collapsed()
        in_view = self._in_view()
        changed: list[str] = []
        for container_id in toggled:
            item = items.get(container_id)
            if item is None:
                continue
            self._show(container_id, item, in_view)
            members = self.descendants(container_id)
            now = shown_as(components, collapsed, members)
            for member in members:
                if self.hidden.get(member) != now.get(member):
                    changed.append(member)
                    if member in now:
                        self.hidden[member] = now[member]
                    else:
                        del self.hidden[member]
        links = {link for member in changed for link in items[member].links}
        shown = set()
        for member in changed:
            self._show(member, items[member], in_view)
        hidden = self.hidden
        for link in links:  # (thousands: what the ends show, not asked of Qt)
            source, target = link.source.record_id, link.target.record_id
            visible = (
                source not in hidden
                and target not in hidden
                and (in_view is None or (source in in_view and target in in_view))
            )
            if link.isVisible() != visible:
                link.setVisible(visible)
                if visible:
                    shown.add(link)
        # (thousands of links: no property)
        back = self._regroup(toggled, {link.link.id for link in links}, in_view)
        routed = {link for c in toggled if c in items for link in items[c].links}
        # the sketch gathers again what changed: the containers, what they hid or showed,
        # and the links a container's new size re-routed (its own, and its neighbours')
        touched: set[QGraphicsItem] = {items[c] for c in toggled if c in items}
        touched.update(items[member] for member in changed)
        touched.update(links)
        for link in routed:
            touched.update(link.source.links)
            touched.update(link.target.links)
        self.scene.sketch.touch(touched, back)
        self.scene.repaint_all()
        areas = [items[c].scene_rect() for c in toggled if c in items]

        def place_labels() -> None:
            moved = routed
            for area in areas:
                self.scene.arrange_labels_near(area, moved, keep=shown)
                moved = set()

        self.scene.unseen(place_labels)
        if self.focus:
            self._restub()

    def _regroup(self, toggled: set[str], link_ids: set[str], in_view: set[str] | None) -> bool:
        """Draw the aggregated arrows of ``link_ids`` anew (their ends were hidden or shown
        by collapsing or expanding ``toggled``), with the arrows they were drawn in. Returns
        whether this toggled back the last undo step's containers, nothing else changed
        since: the arrows are then those from before it."""
        layer = self.layer
        regroup = set(link_ids)
        keys = {self._arrow_of[i] for i in link_ids if i in self._arrow_of}
        for key in keys:
            for link_id in layer.arrows[key].aggregate.links:
                regroup.add(link_id)
                del self._arrow_of[link_id]
            for end in key[:2]:
                self._ends[end].discard(key)
        taken = layer.take(keys)
        gone = _arrows_span(arrow for bundle in taken for arrow in bundle.arrows)
        # the arrows left at the toggled containers run to their new size
        for container_id in toggled:
            for key in self._ends.get(container_id, ()):
                layer.arrows[key].reroute()
        back, self._toggled_back = self._toggled_back, (toggled, taken)
        if back is not None and back[0] == toggled:  # toggled back: drawn as they were
            self._restore(back[1], gone)
            return True
        links = self.scene.document.links
        self._add_arrows({i: links[i] for i in links if i in regroup}, in_view, gone)
        return False

    def _add_arrows(
        self, links: Mapping[str, Link], in_view: set[str] | None, gone: QRectF
    ) -> None:
        """Draw the arrows standing for those of ``links`` with an end hidden (arrows went
        from ``gone``)."""
        items = self.scene.components
        arrows = []
        for aggregate in aggregate_links(links, self.hidden):
            source, target = aggregate.source, aggregate.target
            if in_view is not None and (source not in in_view or target not in in_view):
                continue
            arrows.append(AggregateArrow(aggregate, items[source], items[target]))
        self._restore([Bundle(arrows)] if arrows else [], gone)

    def _restore(self, bundles: list[Bundle], gone: QRectF) -> None:
        """Draw the arrows of ``bundles`` (arrows went from ``gone``)."""
        layer = self.layer
        arrow_of, ends = self._arrow_of, self._ends
        for bundle in bundles:
            layer.add(bundle)
            arrow_of.update(
                {link_id: arrow.key for arrow in bundle.arrows for link_id in arrow.aggregate.links}
            )
            for arrow in bundle.arrows:
                key = arrow.key
                ends.setdefault(key[0], set()).add(key)
                ends.setdefault(key[1], set()).add(key)
        if layer.scene() is None and layer.arrows:
            self.scene.addItem(layer)
        added = _arrows_span(arrow for bundle in bundles for arrow in bundle.arrows)
        layer.changed(gone, added)

    def _restub(self) -> None:
        """Draw the links crossing the opened container's frame as stubs (none at the top:
        see :class:`StubLayer`)."""
        layer = self.stub_layer
        items = self.scene.components
        frame = items.get(self.focus) if self.focus else None
        if frame is None:
            if layer.stubs:
                layer.set_stubs([], {})
            self._stub_ends = set()
            return
        components = self.scene.document.components
        crossings = [
            crossing
            for crossing in boundary_crossings(
                self.scene.document.links, self._in_view() or set(), self.hidden
            )
            if crossing.inside in items and crossing.outside in items
        ]
        ends = []
        for crossing in crossings:
            name = elide(components[crossing.outside].name, _STUB_NAME_WIDTH, LABEL)
            count = len(crossing.links)
            text = name if count == 1 else f"{name} ×{count}"
            box = items[crossing.inside].box()
            ends.append((box, items[crossing.outside].box(), crossing.outgoing, text))
        stubs = boundary_stubs(frame.box(), ends)
        names = {crossing.outside: components[crossing.outside].name for crossing in crossings}
        layer.set_stubs(list(zip(crossings, stubs, strict=True)), names)
        self._stub_ends = {self.focus, *(crossing.inside for crossing in crossings)}
        if layer.scene() is None and layer.stubs:
            self.scene.addItem(layer)

    def follow(self, item: ComponentItem) -> None:
        """Re-route the aggregated arrows at ``item`` (it moved or changed size), and the
        stubs out of the opened container's frame."""
        if item.record_id in self._stub_ends and len(self.stub_layer.stubs) <= _LIVE_STUBS:
            self._restub()  # (more follow once the gesture is over: see ``note``)
        if item.frame:
            self._titles = None
        self._toggled_back = None  # the arrows kept for a toggle back may run to it
        for key in self._ends.get(item.record_id, ()):
            arrow = self.layer.arrows[key]
            before = arrow.bounds
            arrow.reroute()
            self.layer.moved(arrow, before)

    # --- queries ---------------------------------------------------------------------------
    def descendants(self, component_id: str) -> list[str]:
        """Everything inside ``component_id``, at any depth, parents first."""
        found: list[str] = []
        queue = list(self.children.get(component_id, ()))
        seen = {component_id}
        while queue:
            child = queue.pop(0)
            if child not in seen:
                seen.add(child)
                found.append(child)
                queue.extend(self.children.get(child, ()))
        return found

    def ancestors(self, component_id: str, inclusive: bool = False) -> list[str]:
        """The containers around ``component_id``, innermost first."""
        components = self.scene.document.components
        found = [component_id] if inclusive and component_id else []
        current = components[component_id].parent if component_id in components else ""
        while current and current in components and current not in found:
            found.append(current)
            current = components[current].parent
        return found

    def is_container(self, component_id: str) -> bool:
        """Whether the component contains others or is a system boundary."""
        return component_id in self.frames

    def drop_target(self, box: QRectF, moving: set[str]) -> str:
        """The container a component dropped at ``box`` (scene coordinates) lands in: an
        open frame under its centre, or a component with nothing inside yet (a new
        container) holding it whole; "" for the top level. What is ``moving``, and what it
        contains, is left out."""
        exclude = set(moving)
        for component_id in moving:
            exclude.update(self.descendants(component_id))
        frames: dict[str, tuple[float, float, float, float]] = {}
        others: dict[str, tuple[float, float, float, float]] = {}
        for component_id, item in self.scene.components.items():
            if not item.isVisible() or (item.frame and item.collapsed):
                continue
            (frames if item.drawn_as_frame else others)[component_id] = item.box()
        rect = (box.x(), box.y(), box.width(), box.height())
        return drop_target(rect, frames, others, self.depth, exclude)

    def minimum_size(self, item: ComponentItem) -> tuple[float, float]:
        """The smallest a frame can be resized to without cutting off what it contains."""
        if not item.drawn_as_frame:
            return (0.0, 0.0)
        items = self.scene.components
        inside = [items[c].box() for c in self.children.get(item.record_id, ()) if c in items]
        return minimum_frame(item.box(), inside)

    def carry(self, item: ComponentItem, dx: float, dy: float) -> None:
        """Move what ``item`` contains (shown or hidden) by (``dx``, ``dy``) along with it,
        unless it is selected itself or a selected container nearer to it carries it."""
        if (dx or dy) and item.record_id in self.children:
            self._carry(item, dx, dy)

    def _carry(self, item: ComponentItem, dx: float, dy: float) -> None:
        items = self.scene.components
        components = self.scene.document.components
        for member in self.descendants(item.record_id):
            child = items.get(member)
            if child is None or child.isSelected():
                continue
            current = components[member].parent
            nearest = None
            while current and current in items:
                if items[current].isSelected():
                    nearest = items[current]
                    break
                current = components[current].parent
            if nearest is not None and nearest is not item:
                continue
            child.setPos(child.x() + dx, child.y() + dy)

    def moved_with(self, items: list[ComponentItem]) -> list[ComponentItem]:
        """``items`` and everything inside them (what a drag of ``items`` moved)."""
        found = {id(item): item for item in items}
        scene_items = self.scene.components
        for item in items:
            for member in self.descendants(item.record_id):
                child = scene_items.get(member)
                if child is not None:
                    found.setdefault(id(child), child)
        return list(found.values())

    # --- collapse and drill-down -----------------------------------------------------------
    def toggle(self, component_id: str) -> None:
        """Collapse an expanded container, or expand a collapsed one (one undo step)."""
        box = self.scene.document.node_layout.get(component_id)
        set_collapsed(self.scene.document, component_id, not (box is not None and box.collapsed))

    def open(self, component_id: str) -> None:
        """Show only ``component_id`` and what it contains ("": the whole diagram)."""
        self.focus = component_id
        self.refresh()


# --- the view's part ---------------------------------------------------------------------------
def toggle_collapsed(view: CanvasView, component_id: str) -> None:
    """Collapse or expand ``component_id``, reporting a refused edit."""
    try:
        view.diagram.hierarchy.toggle(component_id)
    except ModelError as error:
        view.message.emit(str(error))


def title_hit(view: CanvasView, point: QPointF) -> str:
    """The container whose title bar is under ``point`` ("" for none)."""
    for item in view.diagram.items(point):
        record_id = getattr(item, "record_id", None)
        if record_id is None or record_id not in view.diagram.components:
            continue
        if getattr(item, "drawn_as_frame", False):
            local = item.mapFromScene(point)
            if 0 <= local.y() <= TITLE_HEIGHT:
                return str(record_id)
        return ""
    return ""


def add_container_actions(view: CanvasView, menu: QMenu, component_id: str) -> None:
    """Collapse/expand and open-as-view entries for a container's context menu."""
    hierarchy = view.diagram.hierarchy
    if not hierarchy.is_container(component_id):
        return
    box = view.diagram.document.node_layout.get(component_id)
    collapsed = box is not None and box.collapsed
    toggle = menu.addAction(_tr("Expand") if collapsed else _tr("Collapse"))
    toggle.setObjectName("action.expand" if collapsed else "action.collapse")
    toggle.setToolTip(_tr("Show the container's contents, or draw it as one component"))
    toggle.triggered.connect(lambda checked=False: toggle_collapsed(view, component_id))
    drill = menu.addAction(_tr("Open as Diagram"))
    drill.setObjectName("action.open_container")
    drill.setToolTip(_tr("Open this container and what it contains as a diagram of its own"))
    drill.triggered.connect(lambda checked=False: _open(view, component_id))
    menu.addSeparator()


def container_key(view: CanvasView, event: QKeyEvent) -> bool:
    """Keys for containers: - collapses, + expands, Alt+Down opens as a view, Alt+Up goes
    back up one level. Returns whether the key was used."""
    hierarchy = view.diagram.hierarchy
    key = event.key()
    alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
    if alt and key == Qt.Key.Key_Up and hierarchy.focus:
        _open(view, view.diagram.document.components[hierarchy.focus].parent)
        return True
    selected = [i for i in view.diagram.selected_ids() if hierarchy.is_container(i)]
    if len(selected) != 1:
        return False
    (target,) = selected
    box = view.diagram.document.node_layout.get(target)
    collapsed = box is not None and box.collapsed
    if (key == Qt.Key.Key_Minus and not collapsed) or (
        key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and collapsed
    ):
        toggle_collapsed(view, target)
        return True
    if alt and key == Qt.Key.Key_Down:
        _open(view, target)
        return True
    return False


def _open(view: CanvasView, component_id: str) -> None:
    """Open ``component_id`` as its own diagram ("": the whole diagram again)."""
    from stipa.ui.canvas.drill import open_container  # it builds views: view imports this

    open_container(view, component_id)


__all__ = [
    "AggregateArrow",
    "AggregateLayer",
    "Hierarchy",
    "add_container_actions",
    "container_key",
    "frame_shape",
    "paint_collapsed_mark",
    "paint_frame",
    "title_hit",
    "toggle_collapsed",
]
