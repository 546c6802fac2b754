"""Alignment guides: while components are dragged, snap to and show nearby edges and centres."""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QLineF, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsLineItem

from stipa.ui.canvas.component import ComponentItem
from stipa.ui.canvas.tools import SelectTool

if TYPE_CHECKING:
    from stipa.ui.canvas.view import CanvasView

#: How near (in screen pixels) an edge or centre must come to snap to another's.
SNAP_PIXELS = 6.0
GUIDE = QColor("#CC79A7")


def _xs(rect: QRectF) -> tuple[float, float, float]:
    return rect.left(), rect.center().x(), rect.right()


def _ys(rect: QRectF) -> tuple[float, float, float]:
    return rect.top(), rect.center().y(), rect.bottom()


def nearest(
    moving: tuple[float, ...], others: list[tuple[float, ...]], reach: float
) -> tuple[float, float] | None:
    """The smallest shift (within ``reach``) lining a value of ``moving`` up with another's.

    Returns ``(shift, value)`` with the value lined up to, or None.
    """
    best: tuple[float, float] | None = None
    for values in others:
        for target in values:
            for value in moving:
                shift = target - value
                if abs(shift) <= reach and (best is None or abs(shift) < abs(best[0])):
                    best = (shift, target)
    return best


class AlignmentGuides(QObject):
    """Watches a canvas' drags: the dragged components snap to the lines of the others.

    The components' own move runs first (the view's handling, grid snapping included); then
    the selection shifts by at most ``SNAP_PIXELS`` so a left, centre or right (top, middle,
    bottom) lines up with one of another component's in view, and a guide line shows it.
    The drop is committed as usual, one undo step.
    """

    def __init__(self, view: CanvasView) -> None:
        super().__init__(view)
        self.view = view
        self.lines: list[QGraphicsLineItem] = []
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not shiboken6.isValid(self.view) or watched is not self.view.viewport():
            return False  # the window is closing
        kind = event.type()
        if (
            kind == QEvent.Type.MouseMove
            and isinstance(event, QMouseEvent)
            and event.buttons() & Qt.MouseButton.LeftButton
            and isinstance(self.view.tool, SelectTool)
        ):
            grabber = self.view.diagram.mouseGrabberItem()
            if isinstance(grabber, ComponentItem) and grabber.flags() & (
                ComponentItem.GraphicsItemFlag.ItemIsMovable
            ):
                self.view.viewportEvent(event)  # the drag moves the components first
                self.snap()
                return True
        elif kind == QEvent.Type.MouseButtonRelease:
            self.clear()
        return False

    def clear(self) -> None:
        """Take the guide lines away."""
        for line in self.lines:
            if line.scene() is not None:
                line.scene().removeItem(line)
        self.lines = []

    def snap(self) -> None:
        """Shift the dragged components onto the nearest lines of the others; show them."""
        self.clear()
        diagram = self.view.diagram
        moving = [i for i in diagram.selectedItems() if isinstance(i, ComponentItem)]
        if not moving:
            return
        area = QRectF()
        for item in moving:
            area = area.united(item.scene_rect())
        visible = self.view.visible_rect()
        others = [
            item.scene_rect()
            for item in diagram.components.values()
            if item not in moving and item.scene_rect().intersects(visible)
        ]
        reach = SNAP_PIXELS / max(self.view.zoom, 0.01)
        x = nearest(_xs(area), [_xs(r) for r in others], reach)
        y = nearest(_ys(area), [_ys(r) for r in others], reach)
        shift = QPointF(x[0] if x else 0.0, y[0] if y else 0.0)
        if not shift.isNull():
            snapping, diagram.snap_to_grid = diagram.snap_to_grid, False  # the guide wins
            try:
                for item in moving:
                    item.setPos(item.pos() + shift)
            finally:
                diagram.snap_to_grid = snapping
        area.translate(shift)
        pen = QPen(GUIDE, 0, Qt.PenStyle.DashLine)
        if x is not None:
            lined = [r for r in others if any(abs(v - x[1]) < 0.5 for v in _xs(r))]
            top = min([area.top(), *(r.top() for r in lined)])
            bottom = max([area.bottom(), *(r.bottom() for r in lined)])
            self._line(QLineF(x[1], top - 10, x[1], bottom + 10), pen)
        if y is not None:
            lined = [r for r in others if any(abs(v - y[1]) < 0.5 for v in _ys(r))]
            left = min([area.left(), *(r.left() for r in lined)])
            right = max([area.right(), *(r.right() for r in lined)])
            self._line(QLineF(left - 10, y[1], right + 10, y[1]), pen)

    def _line(self, line: QLineF, pen: QPen) -> None:
        item = QGraphicsLineItem(line)
        item.setPen(pen)
        item.setZValue(60)
        self.view.diagram.addItem(item)
        self.lines.append(item)
