"""Canvas items: how components and links look. Items show the model; they never change it."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
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
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsObject,
    QGraphicsPolygonItem,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from stipa.model import Component, Link, LinkKind, LinkLayout, NodeLayout, Routing
from stipa.ui.presets import Preset, preset_for

if TYPE_CHECKING:
    from stipa.ui.canvas.scene import DiagramScene

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


class ComponentItem(QGraphicsObject):
    """A component drawn as its preset's shape with its name; selectable, movable, resizable."""

    def __init__(self, component: Component, layout: NodeLayout) -> None:
        super().__init__()
        self.component = component
        self._width = layout.width
        self._height = layout.height
        self.links: list[LinkItem] = []
        self._ports: dict[int, tuple[str, int, int]] | None = None
        self._scene_rect: QRectF | None = None
        self.highlight: QColor | None = None
        self.setPos(layout.x, layout.y)
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
            | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
        )
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
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
        c = self.component
        return preset_for(c.kind, c.nature, c.role)

    def set_component(self, component: Component) -> None:
        """Show a new version of the component."""
        self.component = component
        self._update_tooltip()
        self.update()

    def set_layout(self, layout: NodeLayout) -> None:
        """Follow the model's layout (after an undo or a command)."""
        if (self._width, self._height) != (layout.width, layout.height):
            self.prepareGeometryChange()
            self._width, self._height = layout.width, layout.height
            self._scene_rect = None
        if self.pos() != QPointF(layout.x, layout.y):
            self.setPos(layout.x, layout.y)
        self.update_links()

    def size(self) -> tuple[float, float]:
        """Width and height as drawn now (may differ from the model during a resize)."""
        return self._width, self._height

    def resize_to(self, width: float, height: float) -> None:
        """Show a new size during a resize gesture (the model changes on release)."""
        self.prepareGeometryChange()
        self._width, self._height = max(MIN_WIDTH, width), max(MIN_HEIGHT, height)
        self._scene_rect = None
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
        """The body rectangle in scene coordinates (kept until the item moves or resizes)."""
        if self._scene_rect is None:
            self._scene_rect = self.rect().translated(self.pos())
        return self._scene_rect

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
        palette = QApplication.palette()
        dark = _is_dark(palette)
        preset = self.preset
        fill = QColor(preset.colour)
        fill = fill.darker(170) if dark else fill.lighter(135)
        outline_colour = palette.color(QPalette.ColorRole.Text)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(outline_colour, 2.4 if selected else 1.3)
        if preset.shape == "dashed":
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        outline = self.outline()
        painter.drawPath(outline)
        r = self.rect()
        if preset.shape == "double":
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(r.adjusted(4, 4, -4, -4))
        elif preset.shape == "banner":
            painter.fillRect(QRectF(r.left(), r.top(), r.width(), 7), QColor(preset.colour))
            painter.drawRect(r)
        if self.highlight is not None:
            painter.setPen(QPen(self.highlight, 4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(outline)
        if selected:
            painter.setPen(
                QPen(palette.color(QPalette.ColorRole.Highlight), 1.5, Qt.PenStyle.DotLine)
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(r.adjusted(-3, -3, 3, 3))
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.handle_rect())
        self._paint_text(painter, r, palette, dark)

    def _paint_text(self, painter: QPainter, r: QRectF, palette: QPalette, dark: bool) -> None:
        text_colour = QColor("#f4f4f4") if dark else QColor("#111111")
        painter.setPen(text_colour)
        small = canvas_font(7.0)
        painter.setFont(small)
        kind_text = self.preset.label
        if self.component.role and self.component.nature.value == "human":
            kind_text = self.component.role
        caption = f"«{kind_text}»"
        metrics = QFontMetricsF(small)
        painter.drawText(
            QRectF(r.left() + 4, r.top() + 6, r.width() - 8, metrics.height()),
            Qt.AlignmentFlag.AlignHCenter,
            metrics.elidedText(caption, Qt.TextElideMode.ElideRight, r.width() - 8),
        )
        painter.setFont(canvas_font(9.0, bold=True))
        body = QRectF(r.left() + 8, r.top() + 6 + metrics.height(), r.width() - 16, 0)
        body.setBottom(r.bottom() - 4)
        painter.drawText(
            body,
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self.component.name,
        )

    # --- interaction -----------------------------------------------------------------------
    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange:
            scene = self.scene()
            if scene is not None and getattr(scene, "snap_to_grid", False):
                point = QPointF(value)
                return QPointF(snap(point.x()), snap(point.y()))
        elif change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self._scene_rect = None
            self.update_links(interactive=True)
        return super().itemChange(change, value)

    def port_table(self) -> dict[int, tuple[str, int, int]]:
        """For each attached link (by ``id``): its side, index and count on that side.

        Links sharing a side are spread along it, ordered by where their other end lies, so
        they fan out without crossing. Computed once and kept until something moves.
        """
        if self._ports is None:
            groups: dict[str, list[tuple[float, str, LinkItem]]] = {}
            for link in self.links:
                source_side, target_side = link.sides()
                side = source_side if link.source is self else target_side
                far = (link.target if link.source is self else link.source).scene_rect().center()
                along = far.x() if side in ("top", "bottom") else far.y()
                groups.setdefault(side, []).append((along, link.record_id, link))
            table = {}
            for side, entries in groups.items():
                entries.sort(key=lambda entry: (entry[0], entry[1]))
                for index, (_along, _id, link) in enumerate(entries):
                    table[id(link)] = (side, index, len(entries))
            self._ports = table
        return self._ports

    def invalidate_ports(self) -> None:
        """Forget the port order (a link was added or removed, or an end moved)."""
        self._ports = None

    def port(self, link: LinkItem, side: str) -> tuple[QPointF, tuple[int, int]]:
        """Where ``link`` attaches on ``side``, and its (index, count) among that side's links."""
        _side, index, count = self.port_table().get(id(link), (side, 0, 1))
        r = self.scene_rect()
        fraction = (index + 1) / (count + 1)
        if side == "top":
            point = QPointF(r.left() + r.width() * fraction, r.top())
        elif side == "bottom":
            point = QPointF(r.left() + r.width() * fraction, r.bottom())
        elif side == "left":
            point = QPointF(r.left(), r.top() + r.height() * fraction)
        else:
            point = QPointF(r.right(), r.top() + r.height() * fraction)
        return point, (index, count)

    def update_links(self, interactive: bool = False) -> None:
        """Re-route the links attached here, and a neighbour's links if its port order changed.

        ``interactive`` (during a drag) defers the links' hit-test geometry to the end of
        the gesture: re-indexing a long link costs far more than drawing it.
        """
        self.invalidate_ports()
        to_route = {id(link): link for link in self.links}
        neighbours = {end for link in self.links for end in (link.source, link.target)}
        neighbours.discard(self)
        for neighbour in neighbours:
            before = neighbour._ports
            neighbour.invalidate_ports()
            if neighbour.port_table() != before:
                to_route.update((id(link), link) for link in neighbour.links)
        for link in to_route.values():
            link.update_route(defer_geometry=interactive)


class LinkItem(QGraphicsItem):
    """An arrow between two components, with its items' names as a label."""

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
        self.route_layout = layout or LinkLayout(id=link.id)
        self._highlight: QColor | None = None
        # native pieces: Qt paints and indexes them without calling back into Python
        self._segments: list[QGraphicsLineItem] = []
        self._arrow_part = QGraphicsPolygonItem(self)
        self._arrow_part.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._label_part = _LabelPart(self)
        self._points: list[QPointF] = []
        self._path = QPainterPath()
        self._arrow = QPolygonF()
        self._shape = QPainterPath()
        self._label_rect = QRectF()
        self._bounds = QRectF()
        # the parts draw; the link itself only routes, hit-tests and holds the selection
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        )
        self.setZValue(0)
        for end in (source, target):
            end.links.append(self)
            end.invalidate_ports()
        if route:
            self.update_route()

    @property
    def record_id(self) -> str:
        """The id of the link shown."""
        return self.link.id

    def set_link(self, link: Link) -> None:
        """Show a new version of the link."""
        kind_changed = link.kind != self.link.kind
        self.link = link
        self.update_route()
        if kind_changed:
            self._style_parts()

    def set_route_layout(self, layout: LinkLayout | None) -> None:
        """Follow the model's routing for this link."""
        self.route_layout = layout or LinkLayout(id=self.link.id)
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
        a, b = self.source.scene_rect(), self.target.scene_rect()
        down = a.center().y() < b.center().y()
        gap = b.top() - a.bottom() if down else a.top() - b.bottom()
        if gap > 10:
            return ("bottom", "top") if down else ("top", "bottom")
        return ("right", "left") if a.center().x() < b.center().x() else ("left", "right")

    def compute_points(self) -> list[QPointF]:
        """The polyline from source to target: orthogonal by default, through bends if set."""
        a, b = self.source.scene_rect(), self.target.scene_rect()
        straight = self.route_layout.routing == Routing.STRAIGHT
        bends = self.route_layout.bends
        if straight and bends:
            start, end = a.center(), b.center()
            points = [start, *(QPointF(x, y) for x, y in bends), end]
            points[0] = _clip_to_rect(a, points[1], start)
            points[-1] = _clip_to_rect(b, points[-2], end)
            return points
        source_side, target_side = self.sides()
        start, (index, count) = self.source.port(self, source_side)
        end, _ = self.target.port(self, target_side)
        stagger = (index - (count - 1) / 2) * 7.0
        channel = QPointF(*bends[0]) if bends else None  # a moved middle segment
        if source_side in ("top", "bottom"):
            if straight or (channel is None and abs(start.x() - end.x()) < 1):
                return [start, end]
            # nested elbows: the port nearest the turn turns first, so segments never overlap
            towards_right = end.x() > start.x()
            offset = -stagger if towards_right else stagger
            if source_side == "top":
                offset = -offset
            mid = channel.y() if channel is not None else (start.y() + end.y()) / 2 + offset
            return [start, QPointF(start.x(), mid), QPointF(end.x(), mid), end]
        if straight:
            return [start, end]
        if channel is not None:
            mid = channel.x()
            return [start, QPointF(mid, start.y()), QPointF(mid, end.y()), end]
        if abs(start.y() - end.y()) < 1:
            return [start, end]
        towards_down = end.y() > start.y()
        offset = -stagger if towards_down else stagger
        if source_side == "left":
            offset = -offset
        mid = (start.x() + end.x()) / 2 + offset
        return [start, QPointF(mid, start.y()), QPointF(mid, end.y()), end]

    def update_route(self, defer_geometry: bool = False) -> None:
        """Recompute the path and label position from the ends' current geometry.

        With ``defer_geometry`` only the drawn pieces follow; the link's own outline (used for
        clicks and rubber-band selection) is brought up to date by the next plain call.
        """
        self._points = self.compute_points()
        self._arrow = _arrow_head(self._points[-1], self._points[-2])
        path = QPainterPath(self._points[0])
        for point in self._points[1:]:
            path.lineTo(point)
        self._path = path
        self._label_rect = next(self.label_candidates(), QRectF())
        if not defer_geometry:
            self.prepareGeometryChange()
            self._update_shape()
        self._update_parts()
        self._follow_decorations()

    def _update_parts(self) -> None:
        """Give the drawing parts the new route: thin items, so a change repaints thin strips."""
        segments = list(pairwise(self._points))
        while len(self._segments) < len(segments):
            segment = QGraphicsLineItem(self)
            segment.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            self._segments.append(segment)
            self._style_parts()
        while len(self._segments) > len(segments):
            part = self._segments.pop()
            part.setParentItem(None)
            if part.scene() is not None:
                part.scene().removeItem(part)
        for part, (p1, p2) in zip(self._segments, segments, strict=True):
            line = QLineF(p1, p2)
            if part.line() != line:
                part.setLine(line)
        if self._arrow_part.polygon() != self._arrow:
            self._arrow_part.setPolygon(self._arrow)
        self._label_part.set_rect(self._label_rect)

    def _style_parts(self) -> None:
        """Pens and brushes of the native pieces, from kind, selection, highlight, palette."""
        style = _link_style(self.link.kind)
        pen = style.selected_pen if self.isSelected() else style.pen
        if self._highlight is not None:
            pen = QPen(self._highlight, 4)
        for segment in self._segments:
            segment.setPen(pen)
        self._arrow_part.setPen(style.arrow_pen)
        self._arrow_part.setBrush(style.arrow_brush)
        self._label_part.update()

    def restyle(self) -> None:
        """Follow a palette change."""
        self._style_parts()

    def _update_shape(self) -> None:
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        self._shape = stroker.createStroke(self._path)
        if not self._label_rect.isNull():
            self._shape.addRect(self._label_rect)
        self._bounds = self._shape.boundingRect().adjusted(-12, -12, 12, 12)

    def _follow_decorations(self) -> None:
        for child in self.childItems():  # decorations (finding badges) follow the route
            follow = getattr(child, "follow_parent", None)
            if follow is not None:
                follow()

    def points(self) -> list[QPointF]:
        """The route in scene coordinates."""
        return list(self._points)

    def label_text(self) -> str:
        """The label: the names of the items carried."""
        return self.link.label

    def label_size(self) -> tuple[float, float]:
        """Width and height of the label box, wrapping long labels."""
        return _label_size(self.label_text())

    def label_candidates(self) -> Iterator[QRectF]:
        """Places for the label, best first: beside the middle of each segment, longest first.

        The scene takes the first that hits no component and no other label.
        """
        if not self.label_text() or len(self._points) < 2:
            return
        width, height = self.label_size()
        nudge = QPointF(self.route_layout.label_dx, self.route_layout.label_dy)
        segments = sorted(
            pairwise(self._points),
            key=lambda s: -QLineF(s[0], s[1]).length(),
        )
        # control actions label on the left of a vertical line, feedback on the right
        preferred = -1.0 if self.link.kind == LinkKind.CONTROL_ACTION else 1.0
        for p1, p2 in segments[:2]:
            vertical = abs(p1.x() - p2.x()) < abs(p1.y() - p2.y())
            for fraction in (0.5, 0.3, 0.7):
                anchor = p1 + (p2 - p1) * fraction
                for side in (preferred, -preferred):
                    if vertical:
                        centre = anchor + QPointF(side * (width / 2 + 4), 0)
                    else:
                        centre = anchor + QPointF(0, side * (height / 2 + 3))
                    centre += nudge
                    yield QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)

    def preview_route(self, layout: LinkLayout) -> None:
        """Show a route while it is being dragged (the model changes on release)."""
        self.route_layout = layout
        self.update_route()

    def draggable_segment(self, point: QPointF) -> int | None:
        """Index of the inner segment near ``point`` that can be dragged, or None."""
        if self.route_layout.routing == Routing.STRAIGHT or len(self._points) != 4:
            return None
        p1, p2 = self._points[1], self._points[2]
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        segment = QPainterPath(p1)
        segment.lineTo(p2)
        return 1 if stroker.createStroke(segment).contains(point) else None

    def set_label_rect(self, rect: QRectF) -> None:
        """Place the label (the scene arranges labels so they do not collide)."""
        if rect != self._label_rect:
            self.prepareGeometryChange()
            self._label_rect = QRectF(rect)
            self._update_shape()
            self._label_part.set_rect(self._label_rect)
            self._follow_decorations()

    def label_rect(self) -> QRectF:
        """Where the label is drawn, in scene coordinates."""
        return QRectF(self._label_rect)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return self._shape

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        """Nothing: the segments, arrow head and label parts draw the link."""

    @property
    def highlight(self) -> QColor | None:
        """A colour drawn under the line (tracing, connection feedback), or None."""
        return self._highlight

    @highlight.setter
    def highlight(self, colour: QColor | None) -> None:
        self._highlight = colour
        self._style_parts()

    def selection_changed(self) -> None:
        """Draw the link selected or not (the scene calls this; no per-item hook is cheaper)."""
        self._style_parts()


class _LinkPart(QGraphicsItem):
    """A piece of a link's drawing painted in Python; clicks go through to the link."""

    def __init__(self, link: LinkItem) -> None:
        super().__init__(link)
        self.link_item = link
        self._rect = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._rect

    def _style(self, painter: QPainter) -> tuple[_LinkStyle, bool, float]:
        link = self.link_item
        detail = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        return _link_style(link.link.kind), link.isSelected(), detail


class _LabelPart(_LinkPart):
    """The box with the names of the items the link carries."""

    def set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        style, selected, detail = self._style(painter)
        if self._rect.isNull() or detail < 0.35:
            return
        painter.setPen(style.selected_label_pen if selected else style.label_pen)
        painter.setBrush(style.label_brush)
        painter.drawRect(self._rect)  # square and opaque: several times cheaper to draw
        painter.setPen(style.text_pen)
        painter.setFont(style.font)
        painter.drawText(
            self._rect.adjusted(4, 2, -4, -2),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self.link_item.label_text(),
        )


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


def _arrow_head(tip: QPointF, before: QPointF, size: float = 11.0) -> QPolygonF:
    angle = math.atan2(tip.y() - before.y(), tip.x() - before.x())
    left = tip - QPointF(math.cos(angle - 0.4) * size, math.sin(angle - 0.4) * size)
    right = tip - QPointF(math.cos(angle + 0.4) * size, math.sin(angle + 0.4) * size)
    return QPolygonF([tip, left, right])


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


def scene_of(item: QGraphicsItem) -> DiagramScene | None:
    """The diagram scene an item belongs to."""
    scene = item.scene()
    return scene  # type: ignore[return-value]
