"""The connect handle: drag it off a selected component to draw a new, linked component."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QLineF, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from stipa.diagram.components import DEFAULT_HEIGHT, DEFAULT_WIDTH
from stipa.diagram.style import preset_for
from stipa.model import LinkKind, ModelError
from stipa.operations.drawing import place_connected
from stipa.ui.canvas.component import ComponentItem
from stipa.ui.canvas.tools import HANDLE_KEY, ConnectTool, PlaceTool
from stipa.ui.presets import LINK_STYLE_BY_KIND

if TYPE_CHECKING:
    from stipa.ui.canvas.scene import DiagramScene
    from stipa.ui.canvas.view import CanvasView

#: The handle's radius, in scene units.
RADIUS = 7.0
#: Which link a handle drag draws, the first the model allows from the source.
_KINDS = (LinkKind.CONTROL_ACTION, LinkKind.FEEDBACK, LinkKind.INFORMATION)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConnectHandle", text)


class ConnectHandle(QGraphicsItem):
    """A round "+" under the middle of the only selected component's bottom edge.

    Dragging it and releasing on empty canvas places a new component there, linked from the
    selected one, as one undo step (``stipa.operations.drawing.place_connected``); the new
    component is then renamed in place. The new component is of the palette's chosen
    component tool, else of the source's kind; the link is the chosen link tool's kind, else
    the first of control action, feedback, information that the model allows.
    """

    def __init__(self, view: CanvasView, component: ComponentItem) -> None:
        super().__init__(component)
        self.view = view
        self.component = component
        self.setZValue(50)
        self.setData(HANDLE_KEY, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(_tr("Drag to draw a new component linked from this one"))
        self._line: QGraphicsLineItem | None = None
        self.place()

    def place(self) -> None:
        """Sit under the middle of the component's bottom edge."""
        rect = self.component.boundingRect()
        self.setPos(rect.center().x(), rect.bottom() + RADIUS + 3)

    def boundingRect(self) -> QRectF:
        return QRectF(-RADIUS - 1, -RADIUS - 1, 2 * RADIUS + 2, 2 * RADIUS + 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        colour = QColor("#0072B2")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 1.5))
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawEllipse(QPointF(0, 0), RADIUS, RADIUS)
        painter.drawLine(QLineF(-RADIUS / 2, 0, RADIUS / 2, 0))
        painter.drawLine(QLineF(0, -RADIUS / 2, 0, RADIUS / 2))

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._line = QGraphicsLineItem(QLineF(self.scenePos(), event.scenePos()))
        self._line.setPen(QPen(QColor("#009E73"), 2, Qt.PenStyle.DashLine))
        self._line.setZValue(10)
        self.view.diagram.addItem(self._line)
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._line is not None:
            self._line.setLine(QLineF(self.scenePos(), event.scenePos()))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        line, self._line = self._line, None
        if line is None:
            return
        self.view.diagram.removeItem(line)
        if QLineF(self.scenePos(), event.scenePos()).length() < DEFAULT_HEIGHT / 2:
            return  # a click, or a drag too short to make room for a component
        # after this event: the new selection takes this handle away
        view, source, centre = self.view, self.component.record_id, event.scenePos()
        QTimer.singleShot(0, lambda: _draw_connected(view, source, centre))


def _draw_connected(view: CanvasView, source_id: str, centre: QPointF) -> None:
    if source_id not in view.diagram.document.components:
        return
    new_id = place_connected_at(view, source_id, centre)
    if isinstance(view.tool, PlaceTool) and not view.sticky:
        view.set_tool("select")  # the chosen component tool was used once
    if new_id is not None:
        view.diagram.select_ids([new_id])
        view.start_rename(new_id)


def place_connected_at(view: CanvasView, source_id: str, centre: QPointF) -> str | None:
    """Place a component centred on ``centre``, linked from ``source_id``; its id, or None."""
    document = view.diagram.document
    source = document.components[source_id]
    tool = view.tool
    preset = tool.preset if isinstance(tool, PlaceTool) else None
    preset = preset or preset_for(source.kind, source.nature, source.role)
    kinds = (tool.kind,) if isinstance(tool, ConnectTool) else _KINDS
    top_left = view.diagram.free_position(centre - QPointF(DEFAULT_WIDTH / 2, DEFAULT_HEIGHT / 2))
    error: ModelError | None = None
    for kind in kinds:
        try:
            component, _link = place_connected(
                document,
                source_id,
                preset.label,
                preset.kind,
                preset.nature,
                top_left.x(),
                top_left.y(),
                kind,
                LINK_STYLE_BY_KIND[kind].default_item,
                role=preset.role,
            )
        except ModelError as refused:
            error = refused
            continue
        return component.id
    if error is not None:
        view.message.emit(str(error))
    return None


class HandleKeeper:
    """Shows the connect handle on the only selected component of a view's scene."""

    def __init__(self, view: CanvasView) -> None:
        self.view = view
        self.handle: ConnectHandle | None = None

    def update(self, diagram: DiagramScene) -> None:
        """Put the handle on the only selected component of ``diagram``, or take it away."""
        old, self.handle = self.handle, None
        if old is not None and shiboken6.isValid(old) and old.scene() is not None:
            old.scene().removeItem(old)
        # a scene closing or replaced still signals while its items go
        if not shiboken6.isValid(diagram) or diagram is not self.view.diagram:
            return
        selected = diagram.selectedItems()
        if len(selected) == 1 and isinstance(selected[0], ComponentItem):
            self.handle = ConnectHandle(self.view, selected[0])
            diagram.add_overlay(self.handle)  # painted over a sketch too
