"""The link item: route, arrow head and label as the engine computes them, repainted sparingly."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QRegion,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from stipa.diagram import labels, routing
from stipa.diagram.geometry import TextLine
from stipa.model import Link, LinkKind, LinkLayout, Routing
from stipa.ui.canvas import repaint
from stipa.ui.canvas.container import clear_route
from stipa.ui.canvas.repaint import (
    ARROW_DETAIL,
    LABEL_DETAIL,
    Exposure,
    contains,
    device_rect,
    points_box,
    strip,
    union,
)
from stipa.ui.canvas.style import link_pens

if TYPE_CHECKING:
    from stipa.ui.canvas.component import ComponentItem

_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_STRAIGHT = Routing.STRAIGHT
_CONTROL_ACTION = LinkKind.CONTROL_ACTION
#: How much room a link's box gains when a drag moves the route outside it.
GROW_ROOM = 200.0
_NO_LAYOUT = LinkLayout(id="")


class LinkItem(QGraphicsItem):
    """An arrow between two components, with its items' names as a label.

    One item draws the whole link: its segments, arrow head and label. The route is kept as
    plain floats and the Qt objects (lines, polygon, hit-test outline) are made when first
    needed, so building a large scene does little per link. During a drag the link only
    repaints the strips that changed (:meth:`update_route` with ``defer_geometry``), not its
    whole bounding box.
    """

    def __init__(
        self,
        link: Link,
        source: ComponentItem,
        target: ComponentItem,
        layout: LinkLayout | None = None,
        route: bool = True,
    ) -> None:
        super().__init__()
        self.link = link
        self.source = source
        self.target = target
        self._layout = layout
        self._highlight: QColor | None = None
        self._sides: tuple[str, str] | None = None  # kept until an end moves
        # the route in scene coordinates, as floats; Qt objects are derived on demand
        self._pts: list[tuple[float, float]] = []
        self._sketch: tuple[list[tuple[float, float]], list[QLineF]] | None = None
        self._arrow: tuple[tuple[float, float], ...] = ()
        self._label: tuple[float, float, float, float] | None = None  # x, y, width, height
        self._label_lines: tuple[tuple[str, float], ...] | None = None
        self._label_size: tuple[float, float] | None = None
        #: the label's lines placed in its box, kept until the box or the text changes
        self._text: tuple[TextLine, ...] | None = None
        #: the leader line of a label placed away from the link, with the box and route
        #: it was made for
        self._leader: tuple[Any, Any, labels.Leader | None] = (None, None, None)
        self._lines: list[QLineF] | None = None
        self._arrow_polygon: QPolygonF | None = None
        self._shape: QPainterPath | None = None
        #: segments drawn from their end rather than their start during a drag
        self._flip: set[int] = set()
        #: (view transform, pieces in device pixels) for skipping pieces outside a repaint
        self._device: tuple[tuple[float, float, float, float], Any] | None = None
        #: left, top, right, bottom of :meth:`boundingRect`; larger than the route while a
        #: drag is under way (see :meth:`update_route`)
        self._extent = (0.0, 0.0, 0.0, 0.0)
        self._bounds = QRectF()
        self.setFlag(_SELECTABLE)
        for end in (source, target):
            end.links.append(self)
            end.invalidate_ports()
        if route:
            self.update_route()

    @property
    def record_id(self) -> str:
        """The id of the link shown."""
        return self.link.id

    @property
    def route_layout(self) -> LinkLayout:
        """How the model says the link is drawn (routing, bends, label offset)."""
        if self._layout is None:
            self._layout = LinkLayout(id=self.link.id)
        return self._layout

    @route_layout.setter
    def route_layout(self, layout: LinkLayout) -> None:
        self._layout = layout

    def set_link(self, link: Link) -> None:
        """Show a new version of the link."""
        kind_changed = link.kind != self.link.kind
        self.link = link
        self._label_lines = self._label_size = None
        self._text = None
        self.update_route()
        if kind_changed:
            self.update()

    def set_route_layout(self, layout: LinkLayout | None) -> None:
        """Follow the model's routing for this link."""
        self._layout = layout
        self.update_route()

    def detach(self) -> None:
        """Forget the end components (the link is leaving the scene)."""
        for end in (self.source, self.target):
            if self in end.links:
                end.links.remove(self)
                end.invalidate_ports()

    # --- routing ---------------------------------------------------------------------------
    def sides(self) -> tuple[str, str]:
        """The sides of the source and target the link leaves and enters by."""
        sides = self._sides
        if sides is None:
            sides = self._sides = routing.sides(self.source.box(), self.target.box())
        return sides

    def compute_points(self) -> list[QPointF]:
        """The polyline from source to target: orthogonal by default, through bends if set."""
        return [QPointF(x, y) for x, y in self._route()]

    def _route(self) -> list[tuple[float, float]]:
        """:meth:`compute_points` in plain floats (``stipa.diagram.routing``)."""
        source_side, target_side = self.sides()
        points = routing.route(
            self.source.box(),
            self.target.box(),
            self.source.port(self, source_side),
            self.target.port(self, target_side),
            self._layout,
        )
        return clear_route(self, points)  # out of frames and past them beside their titles

    def update_route(self, defer_geometry: bool = False) -> None:
        """Recompute the route and label position from the ends' current geometry.

        With ``defer_geometry`` (during a drag) the link repaints only the segments, arrow
        head and label that changed, and keeps a bounding box that may be larger than the
        route; the next plain call, or :meth:`settle`, makes it exact again.
        """
        before = (self._pts, self._arrow, self._label)
        self.reroute()
        self._label = next(self._candidates(), None)
        self._text = None
        self._device = None
        self._geometry_changed(before, defer_geometry)

    def reroute(self) -> None:
        """Recompute the route only: no label, no repaint, no new bounding box.

        For building a scene, where the label is placed next and the box made after.
        """
        points = self._route()
        self._pts = points
        self._arrow = routing.arrow_head(points[-1], points[-2])
        self._lines = self._arrow_polygon = self._shape = self._device = None

    def settle(self) -> None:
        """Make the bounding box exact again after a drag."""
        self._geometry_changed(None, False)

    def _geometry_changed(
        self,
        before: tuple[list[tuple[float, float]], tuple[tuple[float, float], ...], Any] | None,
        interactive: bool,
    ) -> None:
        extent = self._exact_extent()
        scene = self.scene()
        if scene is None:  # being built: nothing drawn or indexed yet
            self._set_extent(extent)
        elif interactive and before is not None and contains(self._extent, extent):
            # The box still holds the route: repaint the strips that changed, nothing else.
            # Through the scene, as separate rectangles: an item merges the rectangles it is
            # asked to repaint into their bounding box, which for an elbow is most of its own.
            for rect in self._changed_strips(*before):
                scene.update(rect)
            if extent != self._extent or self._flip:
                loose = getattr(scene, "loose_links", None)
                if loose is not None:
                    loose.add(self)
        elif interactive:
            # grow with some room to spare, so a drag does not re-index the link every move
            left, top, right, bottom = union(self._extent, extent)
            room = max(GROW_ROOM, (right - left) / 4, (bottom - top) / 4)
            self.prepareGeometryChange()
            self._set_extent((left - room, top - room, right + room, bottom + room))
            loose = getattr(scene, "loose_links", None)
            if loose is not None:
                loose.add(self)
        else:
            if self._flip:
                self._flip = set()
                self._lines = None
            if extent != self._extent:
                self.prepareGeometryChange()
                self._set_extent(extent)
            else:
                self.update()
        self._follow_decorations()

    def _set_extent(self, extent: tuple[float, float, float, float]) -> None:
        self._extent = extent
        left, top, right, bottom = extent
        self._bounds = QRectF(left, top, right - left, bottom - top)

    def _exact_extent(self) -> tuple[float, float, float, float]:
        """The box of the hit-test outline and label, with room for pens and arrow head."""
        points = self._pts
        (left, top), *rest = points
        right, bottom = left, top
        pad = 6.0  # half the hit-test stroke, with square caps
        last_x, last_y = left, top
        for x, y in rest:
            if x != last_x and y != last_y:
                pad = 9.0  # a slanted segment's caps reach further
            last_x, last_y = x, y
            if x < left:
                left = x
            elif x > right:
                right = x
            if y < top:
                top = y
            elif y > bottom:
                bottom = y
        left, top, right, bottom = left - pad, top - pad, right + pad, bottom + pad
        if self._label is not None:
            x, y, w, h = self._label
            left, top = min(left, x), min(top, y)
            right, bottom = max(right, x + w), max(bottom, y + h)
        return (left - 12, top - 12, right + 12, bottom + 12)

    def _changed_strips(
        self,
        points: list[tuple[float, float]],
        arrow: tuple[tuple[float, float], ...],
        label: tuple[float, float, float, float] | None,
    ) -> list[QRectF]:
        """Rectangles covering what changed between ``points``/``arrow``/``label`` and now.

        A segment that only grew or shrank along its own line repaints just the stretch
        between its old and new end, provided its dashes start from the end that stayed:
        so a segment whose start moved is drawn from its other end for the rest of the drag
        (one full repaint when that changes; :meth:`settle` turns it back).
        """
        rects = []
        new = self._pts
        solid = self.link.kind == _CONTROL_ACTION or self._highlight is not None
        if len(points) == len(new):
            for index in range(len(new) - 1):
                a0, b0, a1, b1 = points[index], points[index + 1], new[index], new[index + 1]
                if a0 == a1 and b0 == b1:
                    continue
                along = (a0[1] == b0[1] == a1[1] == b1[1]) or (a0[0] == b0[0] == a1[0] == b1[0])
                if along and (a0 == a1 or b0 == b1):
                    flipped = index in self._flip
                    start_stays = (b0 == b1) if flipped else (a0 == a1)
                    if start_stays or solid:
                        moved = (b0, b1) if a0 == a1 else (a0, a1)
                        rects.append(strip(*moved))
                        continue
                    self._flip ^= {index}  # draw from the end that stays
                    self._lines = None
                rects.append(strip(a0, b0))
                rects.append(strip(a1, b1))
        else:
            rects.extend(strip(a, b) for a, b in pairwise(points))
            rects.extend(strip(a, b) for a, b in pairwise(new))
            if self._flip:
                self._flip = set()
                self._lines = None
        if arrow != self._arrow:
            rects.extend(points_box(corners) for corners in (arrow, self._arrow) if corners)
        if label != self._label:
            for box, route in ((label, points), (self._label, new)):
                if box is not None:
                    x, y, w, h = box
                    rects.append(QRectF(x - 2, y - 2, w + 4, h + 4))
                    leader = labels.leader_line(box, route)
                    if leader is not None:
                        rects.append(strip(*leader))
        return rects

    def _follow_decorations(self) -> None:
        for child in self.childItems():  # decorations (finding badges) follow the route
            follow = getattr(child, "follow_parent", None)
            if follow is not None:
                follow()

    def points(self) -> list[QPointF]:
        """The route in scene coordinates."""
        return [QPointF(x, y) for x, y in self._pts]

    def route(self) -> tuple[tuple[float, float], ...]:
        """The route in scene coordinates, as plain ``(x, y)`` pairs."""
        return tuple(self._pts)

    def sketch_lines(self) -> list[QLineF]:
        """The route's segments, for a sketch of the diagram (kept until it changes)."""
        cached = self._sketch
        if cached is None or cached[0] is not self._pts:
            lines = [QLineF(x1, y1, x2, y2) for (x1, y1), (x2, y2) in pairwise(self._pts)]
            cached = self._sketch = (self._pts, lines)
        return cached[1]

    def label_text(self) -> str:
        """The label: the names of the items carried."""
        return self.link.label

    def label_lines(self) -> tuple[tuple[str, float], ...]:
        """The label's lines: the items' names, one per line (``stipa.diagram.labels``)."""
        if self._label_lines is None:
            self._label_lines = labels.label_lines([item.name for item in self.link.items])
        return self._label_lines

    def _candidates(self, far: bool = False) -> Iterator[tuple[float, float, float, float]]:
        """Places ``(x, y, width, height)`` for the label, best first (``far``: the places
        for a crowded diagram). The scene takes the first that hits nothing."""
        lines = self.label_lines()
        if not lines:
            return iter(())
        if self._label_size is None:
            self._label_size = labels.label_size(lines)
        control = self.link.kind == _CONTROL_ACTION
        return labels.label_candidates(self._pts, self._label_size, control, self._layout, far)

    def preview_route(self, layout: LinkLayout) -> None:
        """Show a route while it is being dragged (the model changes on release)."""
        self.route_layout = layout
        self.update_route()

    def draggable_segment(self, point: QPointF) -> int | None:
        """Index of the inner segment near ``point`` that can be dragged, or None."""
        if self.route_layout.routing == Routing.STRAIGHT or len(self._pts) != 4:
            return None
        p1, p2 = self._pts[1], self._pts[2]
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        segment = QPainterPath(QPointF(*p1))
        segment.lineTo(QPointF(*p2))
        return 1 if stroker.createStroke(segment).contains(point) else None

    def set_label(self, box: tuple[float, float, float, float] | None) -> None:
        """Place the label box ``(x, y, width, height)`` (the scene arranges labels so they do
        not collide)."""
        if box == self._label:
            return
        before = (self._pts, self._arrow, self._label)
        self._label = box
        self._text = None
        self._shape = self._device = None
        self._geometry_changed(before, False)

    def label_rect(self) -> QRectF:
        """Where the label is drawn, in scene coordinates."""
        return QRectF() if self._label is None else QRectF(*self._label)

    def leader(self) -> labels.Leader | None:
        """The line tying the label to the route when it lies away from it
        (:func:`stipa.diagram.labels.leader_line`), or None."""
        box, route, leader = self._leader
        if box != self._label or route is not self._pts:
            leader = None if self._label is None else labels.leader_line(self._label, self._pts)
            self._leader = (self._label, self._pts, leader)
        return leader

    def label_box(self) -> tuple[float, float, float, float] | None:
        """:meth:`label_rect` as a plain ``(x, y, width, height)`` tuple, or None."""
        return self._label

    # --- QGraphicsItem ---------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:
            path = QPainterPath()
            if self._pts:
                path.moveTo(*self._pts[0])
                for x, y in self._pts[1:]:
                    path.lineTo(x, y)
            stroker = QPainterPathStroker()
            stroker.setWidth(12)
            shape = stroker.createStroke(path)
            if self._label is not None:
                shape.addRect(QRectF(*self._label))
            self._shape = shape
        return self._shape

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        """Arrow head, label, then segments; less detail when zoomed far out."""
        exposure = repaint._exposure
        if exposure is not None and widget is exposure.viewport:
            # the box of a long link, or of one whose label lies far off with a leader line,
            # covers much more than its lines: skip the pieces outside the repainted region
            # (Qt would clip them away, but clipping a long line costs as much as drawing it;
            # a crowded diagram's far labels put a thousand such links over any view)
            region: QRegion | None = None
            if exposure.inside is None or not self._within(exposure.inside, exposure.key):
                region = exposure.region  # else all of it is repainted: nothing to skip
                cached = self._device
                if cached is not None and cached[0] == exposure.key:
                    pieces = cached[1]
                else:
                    pieces = self._device_pieces(exposure)
                if not region.intersects(pieces[0]):
                    return
            detail = exposure.detail
            style = exposure.styles[self.link.kind]
        else:
            detail = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
            style = link_pens(self.link.kind)
            region = None
        points = self._pts
        if not points:
            return
        selected = self.isSelected()
        # in this order, so the lines show through a hollow arrow head and across labels
        if detail >= ARROW_DETAIL and (region is None or region.intersects(pieces[2])):
            if self._arrow_polygon is None:
                self._arrow_polygon = QPolygonF([QPointF(x, y) for x, y in self._arrow])
            painter.setPen(style.arrow_pen)
            painter.setBrush(style.arrow_brush)
            painter.drawPolygon(self._arrow_polygon)
        if (
            self._label is not None
            and detail >= LABEL_DETAIL
            and (region is None or region.intersects(pieces[3]))
        ):
            rect = QRectF(*self._label)
            painter.setPen(style.selected_label_pen if selected else style.label_pen)
            leader = self.leader()
            if leader is not None:
                painter.drawLine(QLineF(*leader[0], *leader[1]))
            painter.setBrush(style.label_brush)
            painter.drawRect(rect)  # square and opaque: several times cheaper to draw
            painter.setPen(style.text_pen)
            painter.setFont(style.font)
            if self._text is None:
                self._text = labels.label_text(self._label, self.label_lines())
            for line in self._text:
                painter.drawText(QPointF(line.x, line.y), line.text)
        if self._highlight is not None:
            pen = QPen(self._highlight, 4)
        else:
            pen = style.selected_pen if selected else style.pen
        painter.setPen(pen)
        if self._lines is None:
            flip = self._flip
            self._lines = [
                QLineF(*b, *a) if index in flip else QLineF(*a, *b)
                for index, (a, b) in enumerate(pairwise(points))
            ]
        # one line per segment: each starts its own dash pattern, so a segment that did not
        # move looks the same however its neighbours changed
        if region is None:
            painter.drawLines(self._lines)
            return
        lines = [
            line for line, box in zip(self._lines, pieces[1], strict=True) if region.intersects(box)
        ]
        if lines:
            painter.drawLines(lines)

    def _within(
        self, rect: tuple[int, int, int, int], key: tuple[float, float, float, float]
    ) -> bool:
        """Whether the link's box, in device pixels (``key``: the view's scale and
        translation), lies inside ``rect`` (left, top, right, bottom)."""
        sx, sy, dx, dy = key
        left, top, right, bottom = self._extent
        x1, x2 = left * sx + dx, right * sx + dx
        y1, y2 = top * sy + dy, bottom * sy + dy
        if x1 > x2:
            x1, x2 = x2, x1
        if y1 > y2:
            y1, y2 = y2, y1
        return rect[0] <= x1 and rect[1] <= y1 and x2 <= rect[2] and y2 <= rect[3]

    def _device_pieces(self, exposure: Exposure) -> tuple[QRegion, list[QRect], QRect, QRect]:
        """In the painting view's device coordinates: all pieces, each segment, the arrow
        head and the label. Kept in ``_device`` until the route or the view's transform
        changes."""
        sx, sy, dx, dy = exposure.key
        segments = [device_rect(sx, sy, dx, dy, a, b, 4.0) for a, b in pairwise(self._pts)]
        _tip, left, right = self._arrow
        arrow = device_rect(sx, sy, dx, dy, left, right, 12.0)
        whole = QRegion(arrow)
        for box in segments:
            whole += box
        if self._label is not None:
            x, y, w, h = self._label
            x2, y2 = x + w, y + h
            leader = self.leader()
            if leader is not None:  # it runs from the label to the route
                for px, py in leader:
                    x, y, x2, y2 = min(x, px), min(y, py), max(x2, px), max(y2, py)
            label = device_rect(sx, sy, dx, dy, (x, y), (x2, y2), 2.0)
            whole += label
        else:
            label = QRect()
        pieces = (whole, segments, arrow, label)
        self._device = (exposure.key, pieces)
        return pieces

    @property
    def highlight(self) -> QColor | None:
        """A colour drawn under the line (tracing, connection feedback), or None."""
        return self._highlight

    @highlight.setter
    def highlight(self, colour: QColor | None) -> None:
        self._highlight = colour
        self.update()

    def restyle(self) -> None:
        """Follow a palette change."""
        self.update()

    def selection_changed(self) -> None:
        """Draw the link selected or not."""
        self.update()
