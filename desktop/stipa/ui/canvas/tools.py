"""Canvas tools: interaction objects that turn gestures into commands on the document."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLineF, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsLineItem

from stipa.model import (
    Document,
    LinkKind,
    LinkLayout,
    ModelError,
    Routing,
    connection_problem,
)
from stipa.operations.drawing import connect
from stipa.operations.hierarchy import drop
from stipa.ui.canvas.component import ComponentItem
from stipa.ui.canvas.link import LinkItem as LinkGraphic
from stipa.ui.presets import LINK_STYLE_BY_KIND, Preset

if TYPE_CHECKING:
    from stipa.ui.canvas.view import CanvasView

ALLOWED = QColor("#009E73")
#: ``QGraphicsItem.data`` key set on items that take presses before the place tool does.
HANDLE_KEY = 1
REFUSED = QColor("#D55E00")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Tools", text)


class Tool(QObject):
    """Base of canvas tools. A handler returns True when it consumed the event.

    Tools report through ``message`` (shown in the status bar) and ``finished`` (the tool is
    done; the view switches back to selection).
    """

    #: A sentence for the status bar.
    message = Signal(str)
    #: The gesture is over (completed or cancelled).
    finished = Signal()

    key = "select"

    def __init__(self, view: CanvasView) -> None:
        super().__init__(view)
        self.view = view

    @property
    def document(self) -> Document:
        """The document the canvas shows."""
        return self.view.diagram.document

    def activate(self) -> None:
        """Called when the tool becomes current."""

    def deactivate(self) -> None:
        """Called when another tool takes over; clean up any feedback."""

    def mouse_press(self, event: QMouseEvent, point: QPointF) -> bool:
        return False

    def mouse_move(self, event: QMouseEvent, point: QPointF) -> bool:
        return False

    def mouse_release(self, event: QMouseEvent, point: QPointF) -> bool:
        return False

    def released(self, event: QMouseEvent, point: QPointF) -> None:
        """Called after the view's own release handling (a drag of items has ended)."""

    def key_press(self, event: QKeyEvent) -> bool:
        return False

    def report(self, error: ModelError) -> None:
        """Show a refused edit in the status bar."""
        self.message.emit(str(error))


class SelectTool(Tool):
    """Select, rubber-band select and move: the view's default behaviour, plus resizing."""

    key = "select"

    def __init__(self, view: CanvasView) -> None:
        super().__init__(view)
        self._resizing: ComponentItem | None = None
        #: The link whose route is being dragged, its route before, and the bend dragged
        #: (None: the middle segment of an orthogonal route).
        self._routing: tuple[LinkGraphic, LinkLayout, int | None] | None = None
        #: the frame a drag of components would drop them into, highlighted
        self._drop_target: ComponentItem | None = None

    def mouse_press(self, event: QMouseEvent, point: QPointF) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        scene = self.view.diagram
        item = scene.component_at(point)
        if (
            item is not None
            and item.isSelected()
            and item.handle_rect().contains(item.mapFromScene(point))
        ):
            self._resizing = item
            return True
        top = next(iter(scene.items(point)), None)
        if top is not None and isinstance(top.parentItem(), LinkGraphic):
            top = top.parentItem()  # a piece of a link's drawing stands for the link
        if isinstance(top, LinkGraphic) and top.isSelected():
            return self._start_route_drag(top, point)
        return False

    def _start_route_drag(self, link: LinkGraphic, point: QPointF) -> bool:
        layout = link.route_layout
        if layout.routing == Routing.ORTHOGONAL:
            if link.draggable_segment(point) is None:
                return False
            self._routing = (link, layout, None)
            return True
        bends = list(layout.bends)
        near = [i for i, (x, y) in enumerate(bends) if QLineF(point, QPointF(x, y)).length() < 8]
        if near:
            index = near[0]
        else:  # a new bend on the segment nearest the press
            points = link.points()
            distances = [_distance_to_segment(point, p1, p2) for p1, p2 in pairwise(points)]
            index = distances.index(min(distances))
            bends.insert(index, (point.x(), point.y()))
            link.preview_route(layout.replace(bends=bends))
        self._routing = (link, layout, index)
        return True

    def mouse_move(self, event: QMouseEvent, point: QPointF) -> bool:
        if self._routing is not None:
            link, _before, index = self._routing
            point = self.view.diagram.free_position(point)
            current = link.route_layout
            if index is None:
                bends = [(point.x(), point.y())]
            else:
                bends = list(current.bends)
                bends[index] = (point.x(), point.y())
            link.preview_route(current.replace(bends=bends))
            return True
        if self._resizing is None:
            if event.buttons() & Qt.MouseButton.LeftButton:
                self._show_drop_target()
            return False
        item = self._resizing
        local = item.mapFromScene(self.view.diagram.free_position(point))
        item.resize_to(local.x(), local.y())
        return True

    def mouse_release(self, event: QMouseEvent, point: QPointF) -> bool:
        if self._routing is not None:
            link, before, _index = self._routing
            self._routing = None
            after = link.route_layout
            if after != before:
                try:
                    self.document.set_layout(after)
                except ModelError as error:
                    self.report(error)
                    link.preview_route(before)
            return True
        if self._resizing is not None:
            item, self._resizing = self._resizing, None
            self._commit([item], _tr("Resize component"))
            return True
        return False

    def _moving(self) -> list[ComponentItem]:
        """The components a drag is moving: the grabbed one and the selection."""
        scene = self.view.diagram
        grabber = scene.mouseGrabberItem()
        if not isinstance(grabber, ComponentItem):
            return []
        return [i for i in scene.selectedItems() if isinstance(i, ComponentItem)]

    def _show_drop_target(self) -> None:
        """Highlight the frame the dragged component would land in, if it is a new one."""
        moving = self._moving()
        grabber = self.view.diagram.mouseGrabberItem()
        target = None
        if moving and isinstance(grabber, ComponentItem):
            hierarchy = self.view.diagram.hierarchy
            ids = {item.record_id for item in moving}
            found = hierarchy.drop_target(grabber.scene_rect(), ids)
            if found and any(item.component.parent != found for item in moving):
                target = self.view.diagram.components[found]
        self._highlight(target)

    def _highlight(self, target: ComponentItem | None) -> None:
        if self._drop_target is target:
            return
        if self._drop_target is not None:
            self._drop_target.highlight = None
            self._drop_target.update()
        self._drop_target = target
        if target is not None:
            target.highlight = ALLOWED
            target.update()

    def released(self, event: QMouseEvent, point: QPointF) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._highlight(None)
        scene = self.view.diagram
        selected = [i for i in scene.selectedItems() if isinstance(i, ComponentItem)]
        if not selected:
            return
        hierarchy = scene.hierarchy
        moved_ids = {item.record_id for item in selected}
        # the components dropped: those whose container is not moving with them
        dropped = [
            item
            for item in selected
            if not moved_ids.intersection(hierarchy.ancestors(item.record_id))
        ]
        layouts = [item.layout() for item in hierarchy.moved_with(selected)]
        if not any(layout != self.document.node_layout.get(layout.id) for layout in layouts):
            self._commit(selected, "")  # a click, not a drag: settle the links
            return
        parents = {
            item.record_id: hierarchy.drop_target(item.scene_rect(), moved_ids) for item in dropped
        }
        moves = [
            cid
            for cid, parent in parents.items()
            if parent != scene.components[cid].component.parent
        ]
        if moves:
            components = self.document.components
            first = components[moves[0]]
            if parents[first.id]:
                label = _tr("Move {0} into {1}").format(
                    first.name, components[parents[first.id]].name
                )
            else:
                label = _tr("Move {0} out of {1}").format(first.name, components[first.parent].name)
        else:
            label = _tr("Move component") if len(selected) == 1 else _tr("Move components")
        try:
            drop(self.document, layouts, parents, label)
        except ModelError as error:
            self.report(error)
            scene.reset_geometry()
            return
        scene.settle_links()
        scene.update_scene_rect()

    def _commit(self, items: list[ComponentItem], label: str) -> None:
        try:
            self.view.diagram.commit_geometry(items, label)
        except ModelError as error:
            self.report(error)
            self.view.diagram.reset_geometry()


def _distance_to_segment(point: QPointF, p1: QPointF, p2: QPointF) -> float:
    segment = QLineF(p1, p2)
    if segment.length() == 0:
        return QLineF(point, p1).length()
    d = p2 - p1
    t = ((point.x() - p1.x()) * d.x() + (point.y() - p1.y()) * d.y()) / (segment.length() ** 2)
    t = min(1.0, max(0.0, t))
    return QLineF(point, p1 + d * t).length()


class PlaceTool(Tool):
    """Click (or drop a palette entry) to place a component of a preset."""

    def __init__(self, view: CanvasView, preset: Preset) -> None:
        super().__init__(view)
        self.preset = preset
        self.key = preset.key

    def activate(self) -> None:
        self.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self.message.emit(_tr("Click on the canvas to place a {0}.").format(self.preset.label))

    def deactivate(self) -> None:
        self.view.viewport().unsetCursor()

    def mouse_press(self, event: QMouseEvent, point: QPointF) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        top = next(iter(self.view.diagram.items(point)), None)
        if top is not None and top.data(HANDLE_KEY):
            return False  # a connect handle: it draws a component of this tool, linked
        self.view.place_component(self.preset, point)
        self.finished.emit()
        return True


class ConnectTool(Tool):
    """Drag from one component to another to draw a link; refused targets show in red."""

    def __init__(self, view: CanvasView, kind: LinkKind) -> None:
        super().__init__(view)
        self.kind = kind
        self.key = kind.value
        self._source: ComponentItem | None = None
        self._line: QGraphicsLineItem | None = None
        self._hovered: ComponentItem | None = None

    def activate(self) -> None:
        self.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        style = LINK_STYLE_BY_KIND[self.kind]
        self.message.emit(
            _tr("Drag from one component to another to draw {0}.").format(style.default_item)
        )

    def deactivate(self) -> None:
        self._clear()
        self.view.viewport().unsetCursor()

    def _clear(self) -> None:
        if self._line is not None:
            self.view.diagram.removeItem(self._line)
            self._line = None
        self._set_hover(None, None)
        self._source = None

    def _set_hover(self, item: ComponentItem | None, colour: QColor | None) -> None:
        if self._hovered is not None and self._hovered is not item:
            self._hovered.highlight = None
            self._hovered.update()
        self._hovered = item
        if item is not None:
            item.highlight = colour
            item.update()

    def mouse_press(self, event: QMouseEvent, point: QPointF) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        source = self.view.diagram.component_at(point)
        if source is None:
            self.message.emit(_tr("Start the link on a component."))
            return True
        self._source = source
        centre = source.scene_rect().center()
        self._line = QGraphicsLineItem(QLineF(centre, point))
        pen = QPen(ALLOWED, 2, Qt.PenStyle.DashLine)
        self._line.setPen(pen)
        self._line.setZValue(10)
        self.view.diagram.addItem(self._line)
        return True

    def _problem(self, target: ComponentItem | None) -> str | None:
        assert self._source is not None
        if target is None:
            return _tr("Release over a component to connect.")
        return connection_problem(
            self.document, self.kind, self._source.record_id, target.record_id
        )

    def mouse_move(self, event: QMouseEvent, point: QPointF) -> bool:
        if self._source is None or self._line is None:
            return False
        self._line.setLine(QLineF(self._line.line().p1(), point))
        target = self.view.diagram.component_at(point)
        problem = self._problem(target)
        colour = REFUSED if problem else ALLOWED
        self._line.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
        if target is not None and target is not self._source:
            self._set_hover(target, colour)
            if problem:
                self.message.emit(problem)
        else:
            self._set_hover(None, None)
        return True

    def mouse_release(self, event: QMouseEvent, point: QPointF) -> bool:
        if self._source is None:
            return False
        source = self._source
        target = self.view.diagram.component_at(point)
        problem = self._problem(target)
        self._clear()
        if problem:
            self.message.emit(problem)
            return True
        assert target is not None
        style = LINK_STYLE_BY_KIND[self.kind]
        try:
            link = connect(
                self.document, source.record_id, target.record_id, self.kind, style.default_item
            )
        except ModelError as error:
            self.report(error)
            return True
        self.view.diagram.select_ids([link.id])
        self.finished.emit()
        self.view.start_rename(link.id)
        return True

    def key_press(self, event: QKeyEvent) -> bool:
        if event.key() == Qt.Key.Key_Escape:
            cancelled = self._source is not None
            self._clear()
            self.message.emit(_tr("Link cancelled.") if cancelled else "")
            self.finished.emit()
            return True
        return False


__all__ = [
    "ConnectTool",
    "PlaceTool",
    "SelectTool",
    "Tool",
]
