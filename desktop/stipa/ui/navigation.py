"""Room and navigation: zoom to selection, hiding and folding panels, the diagram overview."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QRegion,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QGraphicsScene,
    QGraphicsView,
)

from stipa.ui.actions import make_action
from stipa.ui.canvas import sketch
from stipa.ui.canvas.repaint import painting
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.sketch import SKETCH_BELOW
from stipa.ui.canvas.view import CanvasView
from stipa.ui.following import DocumentFollower
from stipa.ui.slices import Slices

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext


#: Milliseconds of quiet after a change before the picture is painted again.
REDRAW_DELAY_MS = 100


def _tr(text: str) -> str:
    return QCoreApplication.translate("Navigation", text)


class Overview(QGraphicsView):
    """The whole diagram small, with the canvas' visible part framed; drag to pan.

    It shows a picture of the diagram, painted again a piece at a time between events after
    what the diagram shows changed (its content, selection, badges or highlights) or the
    overview's size: a big diagram's thousands of items take a while to paint, and the
    canvas scrolling only moves the frame over the picture. A big diagram, far out, is
    sketched (its boxes and lines, all the items would paint at that size). Its own empty
    scene shares the diagram's coordinates: the overview itself never paints the items.
    """

    #: Strips the picture is painted in, each between events (when not a sketch).
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
        #: whether the diagram changed since it was last fitted (see ``refit``)
        self._refit = False
        #: Painting the picture, a piece per slice, once the changes pause.
        self.slices = Slices(self)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_DELAY_MS)
        self._redraw_timer.timeout.connect(self._start_painting)
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
            diagram.contentChanged.connect(self.refit)
            diagram.sceneRectChanged.connect(self.fit)
            diagram.selectionChanged.connect(self.redraw)
            diagram.decorationsChanged.connect(self.redraw)
        self.fit()

    def fit(self) -> None:
        """Fit the diagram (and the visible part of the canvas) into the overview."""
        self._fit_area()
        self.redraw()

    def refit(self) -> None:
        """Fit the diagram again with the new picture, once the changes pause: the box
        around a big diagram takes a while to find, and the picture is of the diagram as
        it was until then anyway."""
        self._refit = True
        self.redraw()

    def _fit_area(self) -> None:
        self._refit = False
        if self.diagram is None:
            return
        area = self.diagram.diagram_rect()
        if area.isNull():
            area = self.canvas.visible_rect()
        area.adjust(-20, -20, 20, 20)
        self.setSceneRect(area)
        self.fitInView(area, Qt.AspectRatioMode.KeepAspectRatio)

    def redraw(self) -> None:
        """Paint the picture of the diagram again, a piece at a time, once the changes pause
        for ``REDRAW_DELAY_MS`` (a rubber band selecting, say); when shown again, if hidden."""
        self.slices.stop()
        if self.isVisible():
            self._redraw_timer.start()
        else:
            self._redraw_timer.stop()
            self.picture = None

    @property
    def repainting(self) -> bool:
        """Whether a new picture is due or being painted."""
        return self._redraw_timer.isActive() or self.slices.running

    def _start_painting(self) -> None:
        if self._refit:
            self._fit_area()
        self.slices.start(self._painting(), finished=self._painted)

    def _painting(self) -> Generator[None, None, tuple[QPixmap, QRectF]]:
        """The picture of what the viewport shows, painted a piece at a time: a sketch when
        the items would show no more than their boxes and lines at the overview's size."""
        diagram = self.diagram
        port = self.viewport().rect()
        area = self.mapToScene(port).boundingRect()
        ratio = self.devicePixelRatioF()
        picture = QPixmap(port.size() * ratio)
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        if diagram is None or not shiboken6.isValid(diagram) or area.isEmpty():
            return picture, area
        scale = port.width() / area.width()
        if scale < SKETCH_BELOW:
            to_picture = QTransform(
                scale, 0.0, 0.0, scale, -area.left() * scale, -area.top() * scale
            )  # fmt: skip
            yield from _sketching(diagram, picture, to_picture)
            return picture, area
        width, height = float(port.width()), port.height() / self.STRIPS
        strip = area.height() / self.STRIPS
        scale_x, scale_y = width / area.width(), height / strip
        for index in range(self.STRIPS):
            yield
            target = QRectF(0.0, index * height, width, height)
            source = QRectF(area.left(), area.top() + index * strip, area.width(), strip)
            to_picture = QTransform(
                scale_x, 0.0, 0.0, scale_y, -source.left() * scale_x,
                target.top() - source.top() * scale_y,
            )  # fmt: skip
            painter = QPainter(picture)
            painter.setRenderHints(self.renderHints())
            with painting(None, QRegion(target.toAlignedRect()), to_picture):
                diagram.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
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


def _sketching(
    diagram: DiagramScene, picture: QPixmap, to_picture: QTransform
) -> Generator[None, None, None]:
    """Paint ``diagram`` on ``picture`` as a sketch (:class:`stipa.ui.canvas.sketch.Sketch`,
    gathered by the canvas already if it shows a sketch too), a pen between two yields."""
    for drawn in diagram.sketch.pieces():
        yield
        painter = QPainter(picture)
        painter.setClipRect(picture.rect())  # Qt draws clipped lines twice as fast
        painter.setTransform(to_picture)
        sketch.paint(painter, [drawn])
        painter.end()


#: The bottom panels the toolbar brings up or folds away: dock name, button text, tooltip.
BOTTOM_PANELS = (
    ("dock.findings", _tr("Findings"), _tr("Show the Findings panel, or fold it away")),
    ("dock.stpa", _tr("STPA Tables"), _tr("Show the STPA tables, or fold them away")),
)


class Navigation:
    """View > Zoom to Selection, View > Hide Panels, the toolbar's panel buttons and the
    Overview panel of a window.

    The window puts :attr:`actions_by_name` into its View menu, :attr:`panel_toggles` on its
    toolbar and :attr:`dock` beside the canvas.
    """

    def __init__(self, window: PanelContext, bottom_panels: Iterable[QDockWidget] = ()) -> None:
        self.window = window
        #: the docks Hide Panels hid, shown again when it is turned off
        self._hidden: list[QDockWidget] = []
        parent = window.window()
        zoom = make_action(
            parent,
            "zoom_selection",
            _tr("Zoom to &Selection"),
            _tr("Zoom so the selection fills the canvas, readably"),
            window.view.zoom_selection,
            "Ctrl+3",
        )
        self.hide_panels = make_action(
            parent,
            "hide_panels",
            _tr("&Hide Panels"),
            _tr("Give the whole window to the canvas; again to bring the panels back"),
            shortcuts="Ctrl+Shift+F",
            checkable=True,
        )
        self.hide_panels.toggled.connect(self.set_panels_hidden)
        self.actions_by_name = {"zoom_selection": zoom, "hide_panels": self.hide_panels}
        self.overview = Overview(window.view)
        dock = QDockWidget(_tr("Overview"), parent)
        dock.setObjectName("dock.overview")
        dock.setWidget(self.overview)
        self.dock = dock
        self.follower = DocumentFollower(self.overview, window, on_replaced=self.overview.follow)
        self.overview.follow()
        #: Per bottom panel, its toolbar button's action: checked while the panel is in front.
        self.panel_toggles: dict[str, QAction] = {}
        panels = {panel.objectName(): panel for panel in bottom_panels}
        for name, text, tooltip in BOTTOM_PANELS:
            if name in panels:
                self.panel_toggles[name] = self._panel_toggle(panels[name], text, tooltip)

    def _panel_toggle(self, dock: QDockWidget, text: str, tooltip: str) -> QAction:
        """A checkable toolbar action: brings ``dock`` up in front of the panels it is tabbed
        with, or folds it away when it is in front."""
        name = dock.objectName().removeprefix("dock.")
        action = make_action(self.window.window(), f"show_{name}", text, tooltip, checkable=True)
        action.setChecked(dock.isVisible())
        # visibilityChanged also says when another tab of the same area comes in front
        dock.visibilityChanged.connect(action.setChecked)
        action.triggered.connect(lambda checked: self.show_panel(dock, checked))
        return action

    def show_panel(self, dock: QDockWidget, shown: bool) -> None:
        """Bring ``dock`` up in front of the panels tabbed with it, or fold it away."""
        if shown:
            if self.hide_panels.isChecked():
                self.set_panels_hidden(False)
            dock.show()
            dock.raise_()
        else:
            dock.hide()

    def set_panels_hidden(self, hidden: bool) -> None:
        """Hide every visible panel (toolbar stays), or show again those it hid."""
        window = self.window.window()
        if hidden:
            self._hidden = [
                dock
                for dock in window.findChildren(QDockWidget)
                if dock.parent() is window and dock.isVisible()
            ]
            for dock in self._hidden:
                dock.hide()
            self.window.view.setFocus()
        else:
            for dock in self._hidden:
                dock.show()
            self._hidden = []
        if self.hide_panels.isChecked() != hidden:
            self.hide_panels.setChecked(hidden)


__all__ = [
    "Navigation",
    "Overview",
]
