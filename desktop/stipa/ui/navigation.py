"""Room and navigation: zoom to selection, hide all panels, and the overview of the diagram."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QRect, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import QDockWidget, QGraphicsScene, QGraphicsView

from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.view import CanvasView
from stipa.ui.slices import Slices

if TYPE_CHECKING:
    from stipa.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("Navigation", text)


class Overview(QGraphicsView):
    """The whole diagram small, with the canvas' visible part framed; drag to pan.

    It shows a picture of the diagram, painted again a strip at a time between events after
    what the diagram shows changed (its content, selection, badges or highlights) or the
    overview's size: a big diagram's thousands of items take a while to paint, and the
    canvas scrolling only moves the frame over the picture. Its own empty scene shares the
    diagram's coordinates, so the items are never painted by the overview itself.
    """

    #: Strips the picture is painted in, each between events.
    STRIPS = 16

    def __init__(self, canvas: CanvasView) -> None:
        own = QGraphicsScene()
        super().__init__(own)
        own.setParent(self)
        self.setObjectName("overview")
        self.setAccessibleName(_tr("Diagram overview"))
        self.canvas = canvas
        #: The diagram pictured (the canvas' scene, once followed).
        self.diagram: DiagramScene | None = None
        #: The picture shown, and the part of the scene it shows.
        self.picture: QPixmap | None = None
        self.picture_area = QRectF()
        #: Painting the picture, a strip per slice.
        self.slices = Slices(self)
        self.setInteractive(False)
        self.setRenderHints(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumSize(120, 90)
        canvas.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        canvas.verticalScrollBar().valueChanged.connect(self.viewport().update)
        canvas.zoomChanged.connect(self.viewport().update)

    def follow(self) -> None:
        """Show the canvas' current scene, whole."""
        diagram = self.canvas.diagram
        if diagram is not self.diagram:
            self.diagram = diagram
            self.picture = None
            diagram.contentChanged.connect(self.fit)
            diagram.sceneRectChanged.connect(self.fit)
            diagram.selectionChanged.connect(self.redraw)
            diagram.decorationsChanged.connect(self.redraw)
        self.fit()

    def fit(self) -> None:
        """Fit the diagram (and the visible part of the canvas) into the overview."""
        if self.diagram is None:
            return
        area = self.diagram.diagram_rect()
        if area.isNull():
            area = self.canvas.visible_rect()
        area.adjust(-20, -20, 20, 20)
        self.setSceneRect(area)
        self.fitInView(area, Qt.AspectRatioMode.KeepAspectRatio)
        self.redraw()

    def redraw(self) -> None:
        """Paint the picture of the diagram again, from the event loop, a strip at a time
        (when shown again, if hidden now)."""
        if self.isVisible():
            self.slices.start(self._painting(), finished=self._painted, now=False)
        else:
            self.slices.stop()
            self.picture = None

    def _painting(self) -> Generator[None, None, tuple[QPixmap, QRectF]]:
        """The picture of what the viewport shows, painted a strip at a time."""
        diagram = self.diagram
        port = self.viewport().rect()
        area = self.mapToScene(port).boundingRect()
        ratio = self.devicePixelRatioF()
        picture = QPixmap(port.size() * ratio)
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        if diagram is not None and shiboken6.isValid(diagram) and not port.isEmpty():
            width, height = float(port.width()), port.height() / self.STRIPS
            strip = area.height() / self.STRIPS
            for index in range(self.STRIPS):
                yield
                painter = QPainter(picture)
                painter.setRenderHints(self.renderHints())
                diagram.render(
                    painter,
                    QRectF(0.0, index * height, width, height),
                    QRectF(area.left(), area.top() + index * strip, area.width(), strip),
                    Qt.AspectRatioMode.IgnoreAspectRatio,
                )
                painter.end()
        return picture, area

    def _painted(self, result: tuple[QPixmap, QRectF]) -> None:
        self.picture, self.picture_area = result
        self.viewport().update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.picture is None:
            self.redraw()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        frame = self.canvas.visible_rect()
        colour = QColor(self.palette().color(self.palette().ColorRole.Highlight))
        painter.setPen(QPen(colour, 0))
        colour.setAlpha(40)
        painter.setBrush(colour)
        painter.drawRect(frame)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.fillRect(rect, self.palette().color(self.palette().ColorRole.Base))
        if self.picture is not None:  # where it was painted, though the view fits anew
            source = QRectF(self.picture.rect())
            painter.drawPixmap(self.picture_area, self.picture, source)

    def _pan_to(self, event: QMouseEvent) -> None:
        self.canvas.centerOn(self.mapToScene(event.position().toPoint()))
        self.viewport().update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pan_to(event)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pan_to(event)
        event.accept()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.fit()


class Navigation:
    """View > Zoom to Selection, View > Hide Panels and the Overview panel of a window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        #: the docks Hide Panels hid, shown again when it is turned off
        self._hidden: list[QDockWidget] = []
        view_menu = window.view_menu
        first_separator = next(a for a in view_menu.actions() if a.isSeparator())
        zoom = self._action(
            "zoom_selection",
            _tr("Zoom to &Selection"),
            _tr("Zoom so the selection fills the canvas, readably"),
            "Ctrl+3",
        )
        zoom.triggered.connect(window.view.zoom_selection)
        view_menu.insertAction(first_separator, zoom)
        self.hide_panels = self._action(
            "hide_panels",
            _tr("&Hide Panels"),
            _tr("Give the whole window to the canvas; again to bring the panels back"),
            "Ctrl+Shift+F",
        )
        self.hide_panels.setCheckable(True)
        self.hide_panels.toggled.connect(self.set_panels_hidden)
        view_menu.insertAction(first_separator, self.hide_panels)
        self.overview = Overview(window.view)
        dock = QDockWidget(_tr("Overview"), window)
        dock.setObjectName("dock.overview")
        dock.setWidget(self.overview)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.dock = dock
        window.documentReplaced.connect(self.overview.follow)
        self.overview.follow()

    def _action(self, name: str, text: str, tooltip: str, shortcut: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"action.{name}")
        action.setToolTip(tooltip)
        action.setStatusTip(tooltip)
        action.setShortcut(QKeySequence(shortcut))
        self.window.addAction(action)
        self.window.actions_by_name[name] = action
        return action

    def set_panels_hidden(self, hidden: bool) -> None:
        """Hide every visible panel (toolbar stays), or show again those it hid."""
        window = self.window
        if hidden:
            self._hidden = [
                dock
                for dock in window.findChildren(QDockWidget)
                if dock.parent() is window and dock.isVisible()
            ]
            for dock in self._hidden:
                dock.hide()
            window.view.setFocus()
        else:
            for dock in self._hidden:
                dock.show()
            self._hidden = []
        if self.hide_panels.isChecked() != hidden:
            self.hide_panels.setChecked(hidden)


def install_navigation(window: MainWindow) -> Navigation:
    """Add Zoom to Selection, Hide Panels and the Overview panel to ``window``."""
    return Navigation(window)


__all__ = ["Navigation", "Overview", "install_navigation"]
