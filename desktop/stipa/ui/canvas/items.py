"""Canvas items: how components and links look. Items show the model; they never change it."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
    QRegion,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from stipa.model import Component, Link, LinkKind, LinkLayout, NodeLayout, Routing
from stipa.ui.presets import Preset, preset_for

#: Font family used on the canvas and in exports (SVG writes the requested family).
FONT_FAMILY = "DejaVu Sans"
GRID = 10.0
HANDLE = 8.0
LABEL_WIDTH = 190.0
MIN_WIDTH, MIN_HEIGHT = 60.0, 36.0


def canvas_font(point_size: float = 9.0, bold: bool = False) -> QFont:
    """The canvas font: an explicit family so screen and exports agree."""
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def snap(value: float, step: float = GRID) -> float:
    """``value`` rounded to the grid."""
    return round(value / step) * step


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


#: Below this level of detail (view scale) components leave their text out.
TEXT_DETAIL = 0.2
_ANTIALIASING = QPainter.RenderHint.Antialiasing
_STATE_SELECTED = QStyle.StateFlag.State_Selected
_NO_BRUSH = Qt.BrushStyle.NoBrush
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight
_ALIGN_HCENTER = Qt.AlignmentFlag.AlignHCenter
_CENTER_WRAP = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


@dataclass(frozen=True)
class _ComponentStyle:
    shape: str
    pen: QPen
    selected_pen: QPen
    fill: QBrush
    banner: QColor
    text: QColor
    selection_pen: QPen
    selection_colour: QColor


_COMPONENT_STYLES: dict[tuple[str, int], _ComponentStyle] = {}


def _component_style(preset: Preset) -> _ComponentStyle:
    """Pens, brushes and colours of a preset under the current palette (made once)."""
    palette = QApplication.palette()
    key = (preset.key, palette.cacheKey())
    style = _COMPONENT_STYLES.get(key)
    if style is None:
        dark = _is_dark(palette)
        fill = QColor(preset.colour)
        fill = fill.darker(170) if dark else fill.lighter(135)
        outline = palette.color(QPalette.ColorRole.Text)
        pen, selected = QPen(outline, 1.3), QPen(outline, 2.4)
        if preset.shape == "dashed":
            pen.setStyle(Qt.PenStyle.DashLine)
            selected.setStyle(Qt.PenStyle.DashLine)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        style = _ComponentStyle(
            shape=preset.shape,
            pen=pen,
            selected_pen=selected,
            fill=QBrush(fill),
            banner=QColor(preset.colour),
            text=QColor("#f4f4f4") if dark else QColor("#111111"),
            selection_pen=QPen(highlight, 1.5, Qt.PenStyle.DotLine),
            selection_colour=highlight,
        )
        _COMPONENT_STYLES[key] = style
    return style


@lru_cache(maxsize=1)
def _component_fonts() -> tuple[QFont, QFont, float]:
    """The caption font, the name font and the caption's line height."""
    small = canvas_font(7.0)
    return small, canvas_font(9.0, bold=True), QFontMetricsF(small).height()


_COMPONENT_FLAGS = (
    QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
    | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
    | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
    | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
)
_DEVICE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
_POSITION_CHANGE = QGraphicsItem.GraphicsItemChange.ItemPositionChange
_POSITION_HAS_CHANGED = QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged
_SELECTABLE = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
_STRAIGHT = Routing.STRAIGHT
_CONTROL_ACTION = LinkKind.CONTROL_ACTION
_TX_SCALE = QTransform.TransformationType.TxScale.value


class ComponentItem(QGraphicsItem):
    """A component drawn as its preset's shape with its name; selectable, movable, resizable.

    A plain ``QGraphicsItem``, not a ``QGraphicsObject``: it needs no signals, and a QObject
    costs ten times more to create.
    """

    def __init__(self, component: Component, layout: NodeLayout) -> None:
        super().__init__()
        self.component = component
        self._width = layout.width
        self._height = layout.height
        self.links: list[LinkItem] = []
        self._ports: dict[int, tuple[str, int, int]] | None = None
        self._box: tuple[float, float, float, float] | None = None
        self._preset: Preset | None = None
        self._outline: QPainterPath | None = None
        #: caption rectangle, elided caption and name rectangle, kept until size or text change
        self._text: tuple[QRectF, str, QRectF] | None = None
        self.highlight: QColor | None = None
        self.setPos(layout.x, layout.y)
        self.setFlags(_COMPONENT_FLAGS)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(_DEVICE_CACHE)
        self.setZValue(1)
        self._update_tooltip()

    # --- state from the model --------------------------------------------------------------
    @property
    def record_id(self) -> str:
        """The id of the component shown."""
        return self.component.id

    @property
    def preset(self) -> Preset:
        """The preset deciding the shape and colour."""
        if self._preset is None:
            c = self.component
            self._preset = preset_for(c.kind, c.nature, c.role)
        return self._preset

    def set_component(self, component: Component) -> None:
        """Show a new version of the component."""
        self.component = component
        self._preset = None
        self._forget_drawing()
        self._update_tooltip()
        self.update()

    def set_layout(self, layout: NodeLayout) -> None:
        """Follow the model's layout (after an undo or a command)."""
        if (self._width, self._height) != (layout.width, layout.height):
            self.prepareGeometryChange()
            self._width, self._height = layout.width, layout.height
            self._forget_box()
            self._forget_drawing()
        if self.pos() != QPointF(layout.x, layout.y):
            self.setPos(layout.x, layout.y)
        self.update_links()

    def _forget_box(self) -> None:
        """The item moved or changed size: its box, and the sides its links take, are stale."""
        self._box = None
        for link in self.links:
            link._sides = None

    def _forget_drawing(self) -> None:
        """Drop the outline and text layout kept for painting (size or text changed)."""
        self._outline = None
        self._text = None

    def size(self) -> tuple[float, float]:
        """Width and height as drawn now (may differ from the model during a resize)."""
        return self._width, self._height

    def resize_to(self, width: float, height: float) -> None:
        """Show a new size during a resize gesture (the model changes on release)."""
        self.prepareGeometryChange()
        self._width, self._height = max(MIN_WIDTH, width), max(MIN_HEIGHT, height)
        self._forget_box()
        self._forget_drawing()
        self.update_links()

    def layout(self) -> NodeLayout:
        """The layout record for where the item is drawn now."""
        return NodeLayout(
            id=self.record_id, x=self.x(), y=self.y(), width=self._width, height=self._height
        )

    def _update_tooltip(self) -> None:
        c = self.component
        parts = [f"<b>{c.name}</b>", f"{c.kind.value.replace('_', ' ')} · {c.nature.value}"]
        if c.role:
            parts.append(c.role)
        if c.description:
            parts.append(c.description)
        self.setToolTip("<br>".join(parts))

    # --- geometry --------------------------------------------------------------------------
    def rect(self) -> QRectF:
        """The body rectangle in item coordinates."""
        return QRectF(0, 0, self._width, self._height)

    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-4, -4, 4 + HANDLE / 2, 4 + HANDLE / 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.rect().adjusted(-2, -2, 2, 2))
        return path

    def handle_rect(self) -> QRectF:
        """The resize handle at the bottom-right corner."""
        r = self.rect()
        return QRectF(r.right() - HANDLE / 2, r.bottom() - HANDLE / 2, HANDLE, HANDLE)

    def scene_rect(self) -> QRectF:
        """The body rectangle in scene coordinates."""
        return QRectF(*self.box())

    def box(self) -> tuple[float, float, float, float]:
        """The body rectangle in scene coordinates as plain floats ``(x, y, width, height)``.

        Kept until the item moves or resizes; routing works on these, not on Qt objects.
        """
        box = self._box
        if box is None:
            box = self._box = (self.x(), self.y(), self._width, self._height)
        return box

    def outline(self) -> QPainterPath:
        """The preset's outline in item coordinates."""
        r = self.rect()
        path = QPainterPath()
        shape = self.preset.shape
        inset = min(18.0, r.width() / 6)
        if shape == "rounded":
            path.addRoundedRect(r, r.height() / 2.5, r.height() / 2.5)
        elif shape == "ellipse":
            path.addRoundedRect(r, r.height() / 2, r.height() / 2)
        elif shape == "hexagon":
            path.addPolygon(
                QPolygonF(
                    [
                        QPointF(r.left() + inset, r.top()),
                        QPointF(r.right() - inset, r.top()),
                        QPointF(r.right(), r.center().y()),
                        QPointF(r.right() - inset, r.bottom()),
                        QPointF(r.left() + inset, r.bottom()),
                        QPointF(r.left(), r.center().y()),
                        QPointF(r.left() + inset, r.top()),
                    ]
                )
            )
        elif shape in ("trapezoid", "inv_trapezoid"):
            top, bottom = (inset, 0.0) if shape == "trapezoid" else (0.0, inset)
            path.addPolygon(
                QPolygonF(
                    [
                        QPointF(r.left() + top, r.top()),
                        QPointF(r.right() - top, r.top()),
                        QPointF(r.right() - bottom, r.bottom()),
                        QPointF(r.left() + bottom, r.bottom()),
                        QPointF(r.left() + top, r.top()),
                    ]
                )
            )
        else:
            path.addRect(r)
        return path

    # --- painting --------------------------------------------------------------------------
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        style = _component_style(self.preset)
        selected = bool(option.state & _STATE_SELECTED)
        painter.setRenderHint(_ANTIALIASING)
        painter.setPen(style.selected_pen if selected else style.pen)
        painter.setBrush(style.fill)
        if self._outline is None:
            self._outline = self.outline()
        outline = self._outline
        painter.drawPath(outline)
        r = self.rect()
        shape = style.shape
        if shape == "double":
            painter.setBrush(_NO_BRUSH)
            painter.drawRect(r.adjusted(4, 4, -4, -4))
        elif shape == "banner":
            painter.fillRect(QRectF(r.left(), r.top(), r.width(), 7), style.banner)
            painter.drawRect(r)
        if self.highlight is not None:
            painter.setPen(QPen(self.highlight, 4))
            painter.setBrush(_NO_BRUSH)
            painter.drawPath(outline)
        if selected:
            painter.setPen(style.selection_pen)
            painter.setBrush(_NO_BRUSH)
            painter.drawRect(r.adjusted(-3, -3, 3, 3))
            painter.setBrush(style.selection_colour)
            painter.drawRect(self.handle_rect())
        detail = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if detail >= TEXT_DETAIL:  # further out the text is a smudge of a pixel or two
            self._paint_text(painter, style)

    def _paint_text(self, painter: QPainter, style: _ComponentStyle) -> None:
        if self._text is None:
            small, _bold, caption_height = _component_fonts()
            c = self.component
            kind_text = c.role if c.role and c.nature.value == "human" else self.preset.label
            r = self.rect()
            metrics = QFontMetricsF(small)
            caption = metrics.elidedText(f"«{kind_text}»", _ELIDE_RIGHT, r.width() - 8)
            body = QRectF(r.left() + 8, r.top() + 6 + caption_height, r.width() - 16, 0)
            body.setBottom(r.bottom() - 4)
            caption_rect = QRectF(r.left() + 4, r.top() + 6, r.width() - 8, caption_height)
            self._text = (caption_rect, caption, body)
        caption_rect, caption, body = self._text
        small, bold, _height = _component_fonts()
        painter.setPen(style.text)
        painter.setFont(small)
        painter.drawText(caption_rect, _ALIGN_HCENTER, caption)
        painter.setFont(bold)
        painter.drawText(body, _CENTER_WRAP, self.component.name)

    # --- interaction -----------------------------------------------------------------------
    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == _POSITION_CHANGE:
            scene = self.scene()
            if scene is not None and getattr(scene, "snap_to_grid", False):
                point = QPointF(value)
                return QPointF(snap(point.x()), snap(point.y()))
        elif change == _POSITION_HAS_CHANGED:
            self._forget_box()
            self.update_links(interactive=True)
        return value  # what QGraphicsItem.itemChange returns, without the round trip

    def port_table(self) -> dict[int, tuple[str, int, int]]:
        """For each attached link (by ``id``): its side, index and count on that side.

        Links sharing a side are spread along it, ordered by where their other end lies, so
        they fan out without crossing. Computed once and kept until something moves.
        """
        if self._ports is None:
            groups: dict[str, list[tuple[float, int, str, LinkItem]]] = {}
            for link in self.links:
                source_side, target_side = link.sides()
                side = source_side if link.source is self else target_side
                x, y, w, h = (link.target if link.source is self else link.source).box()
                along = x + w / 2 if side in ("top", "bottom") else y + h / 2
                # a control action left of (above) the feedback closing its loop
                rank = 0 if link.link.kind == _CONTROL_ACTION else 1
                groups.setdefault(side, []).append((along, rank, link.record_id, link))
            table = {}
            for side, entries in groups.items():
                entries.sort(key=lambda entry: entry[:3])
                for index, (_along, _rank, _id, link) in enumerate(entries):
                    table[id(link)] = (side, index, len(entries))
            self._ports = table
        return self._ports

    def invalidate_ports(self) -> None:
        """Forget the port order (a link was added or removed, or an end moved)."""
        self._ports = None

    def port_xy(self, link: LinkItem, side: str) -> tuple[tuple[float, float], tuple[int, int]]:
        """:meth:`port` in plain floats."""
        ports = self._ports if self._ports is not None else self.port_table()
        _side, index, count = ports.get(id(link), (side, 0, 1))
        x, y, w, h = self._box if self._box is not None else self.box()
        fraction = (index + 1) / (count + 1)
        if side == "top":
            point = (x + w * fraction, y)
        elif side == "bottom":
            point = (x + w * fraction, y + h)
        elif side == "left":
            point = (x, y + h * fraction)
        else:
            point = (x + w, y + h * fraction)
        return point, (index, count)

    def update_links(self, interactive: bool = False) -> None:
        """Re-route the links attached here, and a neighbour's links if its port order changed.

        ``interactive`` (during a drag) defers the links' hit-test geometry to the end of
        the gesture: re-indexing a long link costs far more than drawing it. When the scene
        says so (a large drag), neighbours are left alone until the drop.
        """
        self.invalidate_ports()
        to_route = {id(link): link for link in self.links}
        neighbours = {end for link in self.links for end in (link.source, link.target)}
        neighbours.discard(self)
        if interactive and getattr(self.scene(), "defer_neighbours", False):
            neighbours.clear()
        for neighbour in neighbours:
            before = neighbour._ports
            neighbour.invalidate_ports()
            if neighbour.port_table() != before:
                to_route.update((id(link), link) for link in neighbour.links)
        for link in to_route.values():
            link.update_route(defer_geometry=interactive)


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
        self._arrow: tuple[tuple[float, float], ...] = ()
        self._label: tuple[float, float, float, float] | None = None  # x, y, width, height
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
        """The sides of the source and target the link leaves and enters by.

        Components stacked vertically connect bottom/top (control actions run down,
        feedback up, STPA-style); side by side they connect left/right.
        """
        sides = self._sides
        if sides is None:
            ax, ay, aw, ah = self.source.box()
            bx, by, bw, bh = self.target.box()
            down = ay + ah / 2 < by + bh / 2
            gap = by - (ay + ah) if down else ay - (by + bh)
            if gap > 10:
                sides = ("bottom", "top") if down else ("top", "bottom")
            else:
                sides = ("right", "left") if ax + aw / 2 < bx + bw / 2 else ("left", "right")
            self._sides = sides
        return sides

    def compute_points(self) -> list[QPointF]:
        """The polyline from source to target: orthogonal by default, through bends if set."""
        return [QPointF(x, y) for x, y in self._route()]

    def _route(self) -> list[tuple[float, float]]:
        """:meth:`compute_points` in plain floats."""
        layout = self._layout if self._layout is not None else _NO_LAYOUT
        straight = layout.routing == _STRAIGHT
        bends = layout.bends
        if straight and bends:
            a, b = self.source.scene_rect(), self.target.scene_rect()
            start, end = a.center(), b.center()
            points = [start, *(QPointF(x, y) for x, y in bends), end]
            points[0] = _clip_to_rect(a, points[1], start)
            points[-1] = _clip_to_rect(b, points[-2], end)
            return [(p.x(), p.y()) for p in points]
        source_side, target_side = self.sides()
        start, (index, count) = self.source.port_xy(self, source_side)
        end, _ = self.target.port_xy(self, target_side)
        (sx, sy), (ex, ey) = start, end
        stagger = (index - (count - 1) / 2) * 7.0
        channel = bends[0] if bends else None  # a moved middle segment
        if source_side in ("top", "bottom"):
            if straight or (channel is None and abs(sx - ex) < 1):
                return [start, end]
            # nested elbows: the port nearest the turn turns first, so segments never overlap
            offset = -stagger if ex > sx else stagger
            if source_side == "top":
                offset = -offset
            mid = channel[1] if channel is not None else (sy + ey) / 2 + offset
            return [start, (sx, mid), (ex, mid), end]
        if straight:
            return [start, end]
        if channel is not None:
            mid = channel[0]
            return [start, (mid, sy), (mid, ey), end]
        if abs(sy - ey) < 1:
            return [start, end]
        offset = -stagger if ey > sy else stagger
        if source_side == "left":
            offset = -offset
        mid = (sx + ex) / 2 + offset
        return [start, (mid, sy), (mid, ey), end]

    def update_route(self, defer_geometry: bool = False) -> None:
        """Recompute the route and label position from the ends' current geometry.

        With ``defer_geometry`` (during a drag) the link repaints only the segments, arrow
        head and label that changed, and keeps a bounding box that may be larger than the
        route; the next plain call, or :meth:`settle`, makes it exact again.
        """
        before = (self._pts, self._arrow, self._label)
        self.reroute()
        self._label = next(self._candidates(), None)
        self._device = None
        self._geometry_changed(before, defer_geometry)

    def reroute(self) -> None:
        """Recompute the route only: no label, no repaint, no new bounding box.

        For building a scene, where the label is placed next and the box made after.
        """
        points = self._route()
        self._pts = points
        self._arrow = _arrow_head_xy(points[-1], points[-2])
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
        elif interactive and before is not None and _contains(self._extent, extent):
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
            left, top, right, bottom = _union(self._extent, extent)
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
                        rects.append(_strip(*moved))
                        continue
                    self._flip ^= {index}  # draw from the end that stays
                    self._lines = None
                rects.append(_strip(a0, b0))
                rects.append(_strip(a1, b1))
        else:
            rects.extend(_strip(a, b) for a, b in pairwise(points))
            rects.extend(_strip(a, b) for a, b in pairwise(new))
            if self._flip:
                self._flip = set()
                self._lines = None
        if arrow != self._arrow:
            rects.extend(_points_box(corners) for corners in (arrow, self._arrow) if corners)
        if label != self._label:
            for box in (label, self._label):
                if box is not None:
                    x, y, w, h = box
                    rects.append(QRectF(x - 2, y - 2, w + 4, h + 4))
        return rects

    def _follow_decorations(self) -> None:
        for child in self.childItems():  # decorations (finding badges) follow the route
            follow = getattr(child, "follow_parent", None)
            if follow is not None:
                follow()

    def points(self) -> list[QPointF]:
        """The route in scene coordinates."""
        return [QPointF(x, y) for x, y in self._pts]

    def label_text(self) -> str:
        """The label: the names of the items carried."""
        return self.link.label

    def _candidates(self) -> Iterator[tuple[float, float, float, float]]:
        """Places ``(x, y, width, height)`` for the label, best first: beside the middle of
        each segment, longest first. The scene takes the first that hits no component and no
        other label."""
        text = self.link.label
        points = self._pts
        if not text or len(points) < 2:
            return
        width, height = _label_size(text)
        layout = self._layout if self._layout is not None else _NO_LAYOUT
        nudge_x, nudge_y = layout.label_dx, layout.label_dy
        segments = sorted(
            pairwise(points), key=lambda s: -math.hypot(s[1][0] - s[0][0], s[1][1] - s[0][1])
        )
        # control actions label on the left of a vertical line, feedback on the right
        preferred = -1.0 if self.link.kind == _CONTROL_ACTION else 1.0
        half_w, half_h = width / 2, height / 2
        for (x1, y1), (x2, y2) in segments[:2]:
            vertical = abs(x1 - x2) < abs(y1 - y2)
            for fraction in (0.5, 0.3, 0.7):
                ax = x1 + (x2 - x1) * fraction
                ay = y1 + (y2 - y1) * fraction
                for side in (preferred, -preferred):
                    if vertical:
                        cx, cy = ax + side * (half_w + 4), ay
                    else:
                        cx, cy = ax, ay + side * (half_h + 3)
                    cx += nudge_x
                    cy += nudge_y
                    yield (cx - half_w, cy - half_h, width, height)

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
        self._shape = self._device = None
        self._geometry_changed(before, False)

    def label_rect(self) -> QRectF:
        """Where the label is drawn, in scene coordinates."""
        return QRectF() if self._label is None else QRectF(*self._label)

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
        exposure = _exposure
        if exposure is not None and widget is exposure.viewport:
            # a view repaints part of itself: the box of a long link covers much more than
            # its lines, so skip the pieces outside the region (they would be clipped away)
            if exposure.partial:
                region = exposure.region
                cached = self._device
                if cached is not None and cached[0] == exposure.key:
                    pieces = cached[1]
                else:
                    pieces = self._device_pieces(exposure)
                if not region.intersects(pieces[0]):
                    return
            else:
                region = None
            detail = exposure.detail
            style = exposure.styles[self.link.kind]
        else:
            detail = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
            style = _link_style(self.link.kind)
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
            painter.setBrush(style.label_brush)
            painter.drawRect(rect)  # square and opaque: several times cheaper to draw
            painter.setPen(style.text_pen)
            painter.setFont(style.font)
            painter.drawText(rect.adjusted(4, 2, -4, -2), _CENTER_WRAP, self.link.label)
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

    def _device_pieces(self, exposure: _Exposure) -> tuple[QRegion, list[QRect], QRect, QRect]:
        """In the painting view's device coordinates: all pieces, each segment, the arrow
        head and the label. Kept in ``_device`` until the route or the view's transform
        changes."""
        sx, sy, dx, dy = exposure.key
        segments = [_device_rect(sx, sy, dx, dy, a, b, 4.0) for a, b in pairwise(self._pts)]
        _tip, left, right = self._arrow
        arrow = _device_rect(sx, sy, dx, dy, left, right, 12.0)
        whole = QRegion(arrow)
        for box in segments:
            whole += box
        if self._label is not None:
            x, y, w, h = self._label
            label = _device_rect(sx, sy, dx, dy, (x, y), (x + w, y + h), 2.0)
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


#: Below these levels of detail (view scale) arrow heads and labels are left out.
ARROW_DETAIL = 0.2
LABEL_DETAIL = 0.35
#: How much room a link's box gains when a drag moves the route outside it.
GROW_ROOM = 200.0
_NO_LAYOUT = LinkLayout(id="")


def _device_rect(
    sx: float,
    sy: float,
    dx: float,
    dy: float,
    a: tuple[float, float],
    b: tuple[float, float],
    pad: float,
) -> QRect:
    """The box of ``a`` and ``b`` (scene), grown by ``pad``, in device pixels, with room for
    antialiasing. ``sx, sy, dx, dy``: the scale-and-translate transform to the device."""
    x1, x2 = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
    y1, y2 = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
    left, right = (x1 - pad) * sx + dx, (x2 + pad) * sx + dx
    top, bottom = (y1 - pad) * sy + dy, (y2 + pad) * sy + dy
    if left > right:
        left, right = right, left
    if top > bottom:
        top, bottom = bottom, top
    return QRect(int(left) - 2, int(top) - 2, int(right - left) + 5, int(bottom - top) + 5)


class _Exposure:
    """What a view is repainting, for the links it paints (set by :func:`painting`)."""

    __slots__ = ("detail", "key", "partial", "region", "styles", "viewport")

    def __init__(self, viewport: QWidget, region: QRegion, transform: QTransform) -> None:
        self.viewport = viewport
        self.region = region
        #: several rectangles: worth testing each piece; one: just draw (Qt clips)
        self.partial = region.rectCount() > 1
        self.key = (transform.m11(), transform.m22(), transform.dx(), transform.dy())
        self.detail = QStyleOptionGraphicsItem.levelOfDetailFromTransform(transform)
        self.styles = {kind: _link_style(kind) for kind in LinkKind}


_exposure: _Exposure | None = None


@contextmanager
def painting(viewport: QWidget, region: QRegion, transform: QTransform) -> Iterator[None]:
    """While a view paints ``region`` of ``viewport`` with ``transform`` (scene to device):
    links draw only their pieces inside the region. Only plain scale-and-translate views."""
    global _exposure
    if transform.type().value > _TX_SCALE:
        yield
        return
    previous, _exposure = _exposure, _Exposure(viewport, QRegion(region), transform)
    try:
        yield
    finally:
        _exposure = previous


def _strip(a: tuple[float, float], b: tuple[float, float]) -> QRectF:
    """The rectangle a segment from ``a`` to ``b`` paints, with room for the widest pen."""
    left, right = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
    top, bottom = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
    return QRectF(left - 4, top - 4, right - left + 8, bottom - top + 8)


def _points_box(points: tuple[tuple[float, float], ...]) -> QRectF:
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    return QRectF(min(xs) - 2, min(ys) - 2, max(xs) - min(xs) + 4, max(ys) - min(ys) + 4)


def _contains(
    outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]
) -> bool:
    left, top, right, bottom = inner
    return outer[0] <= left and outer[1] <= top and right <= outer[2] and bottom <= outer[3]


def _union(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


@dataclass(frozen=True)
class _LinkStyle:
    pen: QPen
    selected_pen: QPen
    arrow_pen: QPen
    arrow_brush: QBrush
    label_pen: QPen
    selected_label_pen: QPen
    label_brush: QBrush
    text_pen: QPen
    font: QFont


_LINK_STYLES: dict[tuple[LinkKind, int], _LinkStyle] = {}
_DASHES = {
    LinkKind.CONTROL_ACTION: Qt.PenStyle.SolidLine,
    LinkKind.FEEDBACK: Qt.PenStyle.DashLine,
    LinkKind.INFORMATION: Qt.PenStyle.DotLine,
}


def _link_style(kind: LinkKind) -> _LinkStyle:
    """Pens, brushes and font for a kind of link under the current palette (made once)."""
    palette = QApplication.palette()
    key = (kind, palette.cacheKey())
    style = _LINK_STYLES.get(key)
    if style is None:
        colour = link_colour(kind, _is_dark(palette))
        pen, selected = QPen(colour, 1.6), QPen(colour, 2.6)
        pen.setStyle(_DASHES[kind])
        selected.setStyle(_DASHES[kind])
        base = palette.color(QPalette.ColorRole.Base)
        filled = kind == LinkKind.CONTROL_ACTION
        style = _LinkStyle(
            pen=pen,
            selected_pen=selected,
            arrow_pen=QPen(colour, 1.4),
            arrow_brush=QBrush(colour if filled else base),
            label_pen=QPen(colour, 1),
            selected_label_pen=QPen(colour, 2),
            label_brush=QBrush(base),
            text_pen=QPen(palette.color(QPalette.ColorRole.Text)),
            font=canvas_font(8.0),
        )
        _LINK_STYLES[key] = style
    return style


def _arrow_head_xy(
    tip: tuple[float, float], before: tuple[float, float], size: float = 11.0
) -> tuple[tuple[float, float], ...]:
    """The three corners of an arrow head at ``tip`` pointing away from ``before``."""
    x, y = tip
    angle = math.atan2(y - before[1], x - before[0])
    left = (x - math.cos(angle - 0.4) * size, y - math.sin(angle - 0.4) * size)
    right = (x - math.cos(angle + 0.4) * size, y - math.sin(angle + 0.4) * size)
    return (tip, left, right)


@lru_cache(maxsize=4096)
def _label_size(text: str) -> tuple[float, float]:
    metrics = QFontMetricsF(canvas_font(8.0))
    width = min(metrics.horizontalAdvance(text) + 10, LABEL_WIDTH)
    flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
    box = metrics.boundingRect(QRectF(0, 0, width - 8, 1000), flags, text)
    return max(width, box.width() + 8), box.height() + 4


def link_colour(kind: LinkKind, dark: bool) -> QColor:
    """Control actions, feedback and information differ in colour, dash and arrow head."""
    light = {
        LinkKind.CONTROL_ACTION: "#1a1a1a",
        LinkKind.FEEDBACK: "#0072B2",
        LinkKind.INFORMATION: "#6b6b6b",
    }
    night = {
        LinkKind.CONTROL_ACTION: "#eeeeee",
        LinkKind.FEEDBACK: "#56B4E9",
        LinkKind.INFORMATION: "#aaaaaa",
    }
    return QColor((night if dark else light)[kind])


def _clip_to_rect(rect: QRectF, outside: QPointF, centre: QPointF) -> QPointF:
    """Where the segment from ``outside`` to ``centre`` crosses the border of ``rect``."""
    line = QLineF(outside, centre)
    edges = [
        QLineF(rect.topLeft(), rect.topRight()),
        QLineF(rect.topRight(), rect.bottomRight()),
        QLineF(rect.bottomRight(), rect.bottomLeft()),
        QLineF(rect.bottomLeft(), rect.topLeft()),
    ]
    for edge in edges:
        kind, point = line.intersects(edge)
        if kind == QLineF.IntersectionType.BoundedIntersection:
            return point
    return centre
