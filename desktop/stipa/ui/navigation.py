"""Room and navigation: zoom to selection, hiding and folding panels, the diagram overview."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from itertools import pairwise
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QLineF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QRegion,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
)

from stipa.model import ComponentKind, Severity
from stipa.ui.actions import make_action
from stipa.ui.canvas.badges import BadgeItem
from stipa.ui.canvas.component import TEXT_DETAIL
from stipa.ui.canvas.repaint import ARROW_DETAIL, painting
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.style import component_style, link_pens
from stipa.ui.canvas.view import CanvasView
from stipa.ui.following import DocumentFollower
from stipa.ui.severity import SEVERITY_COLOURS
from stipa.ui.slices import Slices

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext


#: Below this scale the overview is a sketch of boxes and lines: the items paint nothing
#: else at that size (no text, arrow head or label).
SKETCH_BELOW = min(TEXT_DETAIL, ARROW_DETAIL)
#: Items sketched between two turns of the event loop.
SKETCH_PIECE = 1000
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
    """Paint ``diagram`` on ``picture`` as the items look far out: links as lines, components
    as filled boxes, badges as dots of their severity's colour (above all), with one call per
    pen; ``SKETCH_PIECE`` items between two yields."""
    links = [link for link in diagram.links.values() if link.isVisible()]
    components = sorted(
        (item for item in diagram.components.values() if item.isVisible()),
        key=lambda item: (not item.drawn_as_frame, item.zValue()),
    )
    text = QApplication.palette().color(QPalette.ColorRole.Text)
    dots: dict[Severity, list[QRectF]] = {}
    pens: dict[object, QPen] = {}
    for start in range(0, len(links), SKETCH_PIECE):
        lines: dict[object, list[QLineF]] = {}
        for link in links[start : start + SKETCH_PIECE]:
            kind, selected, highlight = link.link.kind, link.isSelected(), link.highlight
            line_key = (kind, selected, highlight.rgba() if highlight is not None else None)
            if line_key not in pens:
                pens[line_key] = (
                    QPen(highlight, 4)
                    if highlight is not None
                    else link_pens(kind).selected_pen
                    if selected
                    else link_pens(kind).pen
                )
            lines.setdefault(line_key, []).extend(
                QLineF(x1, y1, x2, y2) for (x1, y1), (x2, y2) in pairwise(link.route())
            )
            _note_badges(link, dots)
        _paint_pieces(picture, to_picture, [(pens[key], None, [], ls) for key, ls in lines.items()])
        yield
    for start in range(0, len(components), SKETCH_PIECE):
        boxes: dict[object, tuple[QPen, QBrush | None, list[QRectF]]] = {}
        for item in components[start : start + SKETCH_PIECE]:
            selected, highlight = item.isSelected(), item.highlight
            box = item.sceneBoundingRect()
            if item.drawn_as_frame:
                boundary = item.component.kind == ComponentKind.BOUNDARY
                key: object = ("frame", boundary, selected, item.preset.colour)
                if key not in boxes:
                    pen = QPen(text, 2.4 if selected else 1.3)
                    tint = QColor(item.preset.colour)
                    tint.setAlpha(28)
                    if boundary:
                        pen.setStyle(Qt.PenStyle.DashLine)
                    boxes[key] = (pen, None if boundary else QBrush(tint), [])
            else:
                look = component_style(item.preset)
                key = (id(look), selected)
                if key not in boxes:
                    boxes[key] = (look.selected_pen if selected else look.pen, look.fill, [])
            boxes[key][2].append(box)
            if highlight is not None:
                mark = ("highlight", highlight.rgba())
                if mark not in boxes:
                    boxes[mark] = (QPen(highlight, 4), None, [])
                boxes[mark][2].append(box)
            _note_badges(item, dots)
        _paint_pieces(picture, to_picture, [(*piece, []) for piece in boxes.values()])
        yield
    no_pen = QPen(Qt.PenStyle.NoPen)
    _paint_pieces(
        picture,
        to_picture,
        [
            (no_pen, QBrush(QColor(SEVERITY_COLOURS[severity])), found, [])
            for severity, found in dots.items()
        ],
    )


def _note_badges(item: QGraphicsItem, dots: dict[Severity, list[QRectF]]) -> None:
    """Add where ``item``'s badges are to ``dots``, by their severity."""
    for child in item.childItems():
        if isinstance(child, BadgeItem) and child.isVisible():
            dots.setdefault(child.state.severity, []).append(child.sceneBoundingRect())


def _paint_pieces(
    picture: QPixmap,
    to_picture: QTransform,
    pieces: list[tuple[QPen, QBrush | None, list[QRectF], list[QLineF]]],
) -> None:
    """Paint each (pen, brush, rectangles, lines) on ``picture``, in scene coordinates."""
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)  # as the items paint themselves
    painter.setTransform(to_picture)
    for pen, brush, rects, lines in pieces:
        painter.setPen(pen)
        painter.setBrush(brush if brush is not None else Qt.BrushStyle.NoBrush)
        if rects:
            painter.drawRects(rects)
        if lines:
            painter.drawLines(lines)
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
