"""Room and navigation: zoom to selection, hiding and folding panels, the diagram overview."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QRect, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QDockWidget, QGraphicsView

from stipa.ui.canvas.view import CanvasView

if TYPE_CHECKING:
    from stipa.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("Navigation", text)


class Overview(QGraphicsView):
    """The whole diagram small, with the canvas' visible part framed; drag to pan.

    Not interactive (the items cannot be touched here), so the scene rect ignores it.
    """

    def __init__(self, canvas: CanvasView) -> None:
        super().__init__(canvas.diagram)
        self.setObjectName("overview")
        self.setAccessibleName(_tr("Diagram overview"))
        self.canvas = canvas
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
        if self.scene() is not self.canvas.diagram:
            self.setScene(self.canvas.diagram)
            self.canvas.diagram.contentChanged.connect(self.fit)
            self.canvas.diagram.sceneRectChanged.connect(self.fit)
        self.fit()

    def fit(self) -> None:
        """Fit the diagram (and the visible part of the canvas) into the overview."""
        area = self.canvas.diagram.diagram_rect()
        if area.isNull():
            area = self.canvas.visible_rect()
        self.fitInView(area.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)
        self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        frame = self.canvas.visible_rect()
        colour = QColor(self.palette().color(self.palette().ColorRole.Highlight))
        painter.setPen(QPen(colour, 0))
        colour.setAlpha(40)
        painter.setBrush(colour)
        painter.drawRect(frame)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        painter.fillRect(rect, self.palette().color(self.palette().ColorRole.Base))

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


#: The bottom panels the toolbar brings up or folds away: dock name, button text, tooltip.
BOTTOM_PANELS = (
    ("dock.findings", _tr("Findings"), _tr("Show the Findings panel, or fold it away")),
    ("dock.stpa", _tr("STPA Tables"), _tr("Show the STPA tables, or fold them away")),
)


class Navigation:
    """View > Zoom to Selection, View > Hide Panels, the toolbar's panel buttons and the
    Overview panel of a window."""

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
        window.toolbar.addSeparator()
        #: Per bottom panel, its toolbar button's action: checked while the panel is in front.
        self.panel_toggles: dict[str, QAction] = {}
        for name, text, tooltip in BOTTOM_PANELS:
            panel = window.findChild(QDockWidget, name)
            if panel is not None:
                self.panel_toggles[name] = self._panel_toggle(panel, text, tooltip)

    def _panel_toggle(self, dock: QDockWidget, text: str, tooltip: str) -> QAction:
        """A checkable toolbar action: brings ``dock`` up in front of the panels it is tabbed
        with, or folds it away when it is in front."""
        name = dock.objectName().removeprefix("dock.")
        action = QAction(text, self.window)
        action.setObjectName(f"action.show_{name}")
        action.setToolTip(tooltip)
        action.setStatusTip(tooltip)
        action.setCheckable(True)
        action.setChecked(dock.isVisible())
        # visibilityChanged also says when another tab of the same area comes in front
        dock.visibilityChanged.connect(action.setChecked)
        action.triggered.connect(lambda checked: self.show_panel(dock, checked))
        self.window.toolbar.addAction(action)
        self.window.actions_by_name[f"show_{name}"] = action
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
