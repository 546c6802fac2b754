"""The component item: a preset's shape with the engine's caption and name lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from stipa.diagram import routing
from stipa.diagram.components import (
    MIN_HEIGHT,
    MIN_WIDTH,
    caption_of,
    component_size,
    component_text,
)
from stipa.diagram.geometry import TextLine
from stipa.model import Component, NodeLayout
from stipa.ui.canvas import container, repaint
from stipa.ui.canvas.style import HANDLE, ComponentStyle, component_style, engine_font, snap
from stipa.ui.presets import Preset, preset_for

if TYPE_CHECKING:
    from stipa.ui.canvas.container import Hierarchy
    from stipa.ui.canvas.link import LinkItem

#: Below this level of detail (view scale) components leave their text out.
TEXT_DETAIL = 0.2
#: How far the bounding rect reaches out of the body: on the top and left (pen and
#: selection frame), and on the bottom and right (the resize handle too).
COMPONENT_BOUNDS = (4.0, 4.0 + HANDLE / 2)
_ANTIALIASING = QPainter.RenderHint.Antialiasing
_STATE_SELECTED = QStyle.StateFlag.State_Selected
_NO_BRUSH = Qt.BrushStyle.NoBrush

_COMPONENT_FLAGS = (
    QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
    | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
    | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
    | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
)
_DEVICE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
_POSITION_CHANGE = QGraphicsItem.GraphicsItemChange.ItemPositionChange
_POSITION_HAS_CHANGED = QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged


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
        #: the bounding rect, and the size it was made for
        self._bounds: QRectF | None = None
        self._bounds_size: tuple[float, float] | None = None
        self._preset: Preset | None = None
        self._outline: QPainterPath | None = None
        #: the caption and name lines in item coordinates, kept until size or text change
        self._text: tuple[TextLine, ...] | None = None
        self.highlight: QColor | None = None
        #: drawn as a frame (it contains others, or is a system boundary); the scene decides
        self.frame = False
        #: the containers holding it, innermost first (links leave them clear of their titles)
        self.frames_around: list[ComponentItem] = []
        #: the scene's containment, once it has seen this item
        self.hierarchy: Hierarchy | None = None
        #: drawn as one component, its contents hidden (when it is a frame)
        self.collapsed = layout.collapsed
        #: the size in the model, kept while collapsed shows another
        self._expanded = (layout.width, layout.height)
        self.setPos(layout.x, layout.y)
        #: where it was last seen (what a drag moves its contents by)
        self._at = (layout.x, layout.y)
        #: following the model: the contents have their own layouts, nothing is carried
        self._following = False
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

    @property
    def drawn_as_frame(self) -> bool:
        """Whether it is drawn as an open frame (a container, not collapsed)."""
        return self.frame and not self.collapsed

    def set_frame(self, frame: bool) -> None:
        """Draw as a frame or as a component (it gained or lost its contents)."""
        self.frame = frame
        self._show_size()

    def _show_size(self) -> None:
        """Take the size to draw: the model's, or a component's size while collapsed."""
        if self.frame and self.collapsed:
            size = component_size(caption_of(self.component, self.preset), self.component.name)
        else:
            size = self._expanded
        if (self._width, self._height) != size:
            self.prepareGeometryChange()
            self._width, self._height = size
            self._forget_box()
            self._forget_drawing()
            self.update_links()
        self.update()

    def set_layout(self, layout: NodeLayout) -> None:
        """Follow the model's layout (after an undo or a command)."""
        self._expanded = (layout.width, layout.height)
        self.collapsed = layout.collapsed
        self._show_size()
        if self.pos() != QPointF(layout.x, layout.y):
            self._following = True
            try:
                self.setPos(layout.x, layout.y)  # re-routes as a drag does (loosely)...
            finally:
                self._following = False
        self.update_links()
        # ... so make the links exact again: a model change is not a gesture under way
        settle = getattr(self.scene(), "settle_links", None)
        if settle is not None:
            settle()

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
        least_width, least_height = self._least_size()
        self._width = max(MIN_WIDTH, least_width, width)
        self._height = max(MIN_HEIGHT, least_height, height)
        self._expanded = (self._width, self._height)
        self._forget_box()
        self._forget_drawing()
        self.update_links()

    def _least_size(self) -> tuple[float, float]:
        """The smallest size that cuts off nothing it contains."""
        hierarchy = getattr(self.scene(), "hierarchy", None)
        return (0.0, 0.0) if hierarchy is None else hierarchy.minimum_size(self)

    def layout(self) -> NodeLayout:
        """The layout record for where the item is drawn now."""
        width, height = self._expanded
        return NodeLayout(
            id=self.record_id,
            x=self.x(),
            y=self.y(),
            width=width,
            height=height,
            collapsed=self.collapsed,
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
        # made once per size: Qt asks for it again and again (indexing, painting, hit tests)
        size = (self._width, self._height)
        bounds = self._bounds
        if bounds is None or self._bounds_size != size:
            near, far = COMPONENT_BOUNDS
            self._bounds_size = size
            bounds = QRectF(-near, -near, size[0] + near + far, size[1] + near + far)
            self._bounds = bounds
        return bounds

    def shape(self) -> QPainterPath:
        if self.drawn_as_frame:
            return container.frame_shape(self)
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
        selected = bool(option.state & _STATE_SELECTED)
        if self.drawn_as_frame:
            container.paint_frame(self, painter, selected)
            return
        style = component_style(self.preset)
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
        detail = repaint.detail_of(painter, widget)
        if detail >= TEXT_DETAIL:  # further out the text is a smudge of a pixel or two
            self._paint_text(painter, style)
        if self.frame and self.collapsed:
            container.paint_collapsed_mark(self, painter)

    def text_lines(self) -> tuple[TextLine, ...]:
        """The caption and name lines in item coordinates, as the engine places them."""
        if self._text is None:
            caption = caption_of(self.component, self.preset)
            self._text = component_text(
                (0.0, 0.0, self._width, self._height), caption, self.component.name
            )
        return self._text

    def _paint_text(self, painter: QPainter, style: ComponentStyle) -> None:
        """The engine's caption and name lines, at its positions (as every export draws)."""
        painter.setPen(style.text)
        for line in self.text_lines():
            painter.setFont(engine_font(line.style))
            painter.drawText(QPointF(line.x, line.y), line.text)

    # --- interaction -----------------------------------------------------------------------
    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == _POSITION_CHANGE:
            scene = self.scene()
            if scene is not None and getattr(scene, "snap_to_grid", False):
                point = QPointF(value)
                return QPointF(snap(point.x()), snap(point.y()))
        elif change == _POSITION_HAS_CHANGED:
            (old_x, old_y), self._at = self._at, (self.x(), self.y())
            self._forget_box()
            self.update_links(interactive=True)
            hierarchy = getattr(self.scene(), "hierarchy", None)
            if hierarchy is not None:
                if self.frame and not self._following:  # a drag: the contents go along
                    hierarchy.carry(self, self.x() - old_x, self.y() - old_y)
                hierarchy.follow(self)
        return value  # what QGraphicsItem.itemChange returns, without the round trip

    def port_table(self) -> dict[int, tuple[str, int, int]]:
        """For each attached link (by ``id``): its side, index and count on that side.

        Links sharing a side are spread along it, ordered by where their other end lies
        (``stipa.diagram.routing``), so they fan out without crossing. Computed once and
        kept until something moves.
        """
        if self._ports is None:
            entries = []
            by_id = {}
            for link in self.links:
                source_side, target_side = link.sides()
                side = source_side if link.source is self else target_side
                other = link.target if link.source is self else link.source
                outgoing = link.source is self
                entries.append((side, routing.along(side, other.box()), outgoing, link.record_id))
                by_id[link.record_id] = id(link)
            self._ports = {
                by_id[link_id]: port for link_id, port in routing.port_order(entries).items()
            }
        return self._ports

    def invalidate_ports(self) -> None:
        """Forget the port order (a link was added or removed, or an end moved)."""
        self._ports = None

    def port(self, link: LinkItem, side: str) -> routing.Port:
        """The port ``link`` takes on ``side`` of this component."""
        ports = self._ports if self._ports is not None else self.port_table()
        _side, index, count = ports.get(id(link), (side, 0, 1))
        return (side, index, count)

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
