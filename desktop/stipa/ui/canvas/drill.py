"""Containers opened as views of their own: a tab beside the whole diagram, selection shared."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QTabBar, QTabWidget, QToolButton, QWidget

from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.view import CanvasView


def _tr(text: str) -> str:
    return QCoreApplication.translate("DiagramTabs", text)


class DiagramTabs(QTabWidget):
    """The canvas area: the whole diagram first, then a tab for each container opened as its
    own diagram (as Capella and Papyrus open a sub-diagram in an editor of its own).

    A container's view is a canvas of the same document showing only the container and what
    it contains, with a breadcrumb of the containers around it; its edits are the document's
    own undoable edits. What is selected in one view is selected in every other. The tab bar
    shows only while a container is open.
    """

    def __init__(self, main: CanvasView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasTabs")
        self.setAccessibleName(_tr("Diagrams"))
        self.setDocumentMode(True)
        self.setTabBarAutoHide(True)
        self.setTabsClosable(True)
        self.setMovable(False)
        self.main = main
        self.addTab(main, _tr("Diagram"))
        self.setTabToolTip(0, _tr("The whole diagram"))
        self.tabBar().setTabButton(0, QTabBar.ButtonPosition.RightSide, None)  # stays open
        self.tabBar().setTabButton(0, QTabBar.ButtonPosition.LeftSide, None)
        self.tabCloseRequested.connect(self._close_tab)
        #: the scene whose selection the container views follow (the window's, until replaced)
        self._followed: DiagramScene | None = None
        self._sharing = False

    # --- the views -----------------------------------------------------------------------------
    def container_views(self) -> list[CanvasView]:
        """The views of opened containers, in tab order."""
        found = []
        for index in range(1, self.count()):
            widget = self.widget(index)
            if isinstance(widget, CanvasView):
                found.append(widget)
        return found

    def current_view(self) -> CanvasView:
        """The view shown now."""
        widget = self.currentWidget()
        return widget if isinstance(widget, CanvasView) else self.main

    def open(self, component_id: str) -> CanvasView:
        """Show ``component_id`` as its own diagram: its tab if open, else a new one."""
        self._follow(self.main.diagram)
        for view in self.container_views():
            if view.diagram.hierarchy.focus == component_id:
                self.setCurrentWidget(view)
                return view
        scene = DiagramScene(self.main.diagram.document, self, staged=True)
        view = CanvasView(scene)
        view.setObjectName("containerView")
        view.setAccessibleName(_tr("Container diagram"))
        view.actions_by_name = self.main.actions_by_name  # its context menu offers them
        view.message.connect(self.main.message)
        view.toolChanged.connect(self.main.toolChanged)  # the palette shows it
        scene.selectionChanged.connect(lambda: self._share(scene))
        scene.contentChanged.connect(lambda: self._follow_content(view))
        self.addTab(view, "")
        self.focus(view, component_id)
        self._share(self.main.diagram)  # what is selected stays selected
        self.setCurrentWidget(view)
        return view

    def focus(self, view: CanvasView, component_id: str) -> None:
        """Show ``component_id`` (a container) in the container ``view``, fitted."""
        show_container(view, component_id)
        name = view.diagram.document.components[component_id].name
        index = self.indexOf(view)
        self.setTabText(index, name)
        self.setTabToolTip(index, _tr("{0} and what it contains").format(name))

    def back(self, view: CanvasView) -> None:
        """Close the container ``view`` and show the whole diagram."""
        self.setCurrentWidget(self.main)
        self._close_tab(self.indexOf(view))

    def close_containers(self) -> None:
        """Close every container view (the window shows another document)."""
        for view in self.container_views():
            self._close_tab(self.indexOf(view))
        self._follow(self.main.diagram)

    def _close_tab(self, index: int) -> None:
        view = self.widget(index)
        if index <= 0 or not isinstance(view, CanvasView):
            return
        self.removeTab(index)
        view.finish_rename(False)
        view.diagram.close()
        view.diagram.blockSignals(True)
        view.deleteLater()
        view.diagram.deleteLater()

    def _follow_content(self, view: CanvasView) -> None:
        """A container deleted (or its creation undone) closes its view."""
        focus = view.diagram.hierarchy.focus
        if not focus or focus not in view.diagram.document.components:
            self.back(view)
        else:  # its name, or those of the containers around it, may have changed
            self.setTabText(self.indexOf(view), view.diagram.document.components[focus].name)

    # --- one selection ---------------------------------------------------------------------------
    def _follow(self, scene: DiagramScene) -> None:
        """Share the selection of the window's scene (again, after it was replaced)."""
        if self._followed is scene:
            return
        self._followed = scene
        scene.selectionChanged.connect(lambda: self._share(scene))

    def _share(self, source: DiagramScene) -> None:
        """Select in every view what is selected in ``source`` (what a view hides it cannot
        select: a container's view selects the part inside the container)."""
        if not shiboken6.isValid(source):  # a scene being destroyed drops its selection
            return
        scenes = self._scenes()
        if not scenes or self._sharing:
            return  # nothing to share with (each selection change in a big diagram counts)
        if source is not self._followed and source not in scenes:
            return
        self._sharing = True
        try:
            wanted = source.selected_ids()
            for scene in (self.main.diagram, *scenes):
                if scene is not source and scene.selected_ids() != wanted:
                    scene.select_ids(wanted)
        finally:
            self._sharing = False

    def _scenes(self) -> list[DiagramScene]:
        return [view.diagram for view in self.container_views()]


class Breadcrumb(QWidget):
    """The path of a container's view: "Diagram › outer › inner"; a click goes back up."""

    def __init__(self, view: CanvasView) -> None:
        super().__init__(view)
        self.setObjectName("canvasBreadcrumb")
        self.setAccessibleName(_tr("Drill-down path"))
        self.view = view
        self.buttons: list[QToolButton] = []
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(4, 4, 4, 4)
        self.row.setSpacing(2)
        self.setAutoFillBackground(True)
        self.hide()

    def show_path(self, path: list[str]) -> None:
        """Show the containers from the top down to the one opened (hidden at the top)."""
        for button in self.buttons:
            self.row.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        if not path:
            self.hide()
            return
        components = self.view.diagram.document.components
        for index, target in enumerate(["", *path]):
            name = _tr("Diagram") if not target else components[target].name
            button = QToolButton(self)
            button.setText(name if index == len(path) else f"{name} ›")
            button.setObjectName(f"breadcrumb.{index}")
            button.setAutoRaise(True)
            button.setToolTip(_tr("Show {0}").format(name))
            button.setEnabled(index < len(path))
            button.clicked.connect(lambda checked=False, t=target: open_container(self.view, t))
            self.row.addWidget(button)
            self.buttons.append(button)
        self.adjustSize()
        self.move(4, 4)
        self.show()
        self.raise_()


def breadcrumb(view: CanvasView) -> Breadcrumb:
    """The view's breadcrumb bar, made on first use."""
    bar = view.findChild(Breadcrumb)
    if bar is None:
        bar = Breadcrumb(view)
    return bar


def show_container(view: CanvasView, component_id: str) -> None:
    """Show only ``component_id`` and what it contains in ``view``, fitted, with the
    breadcrumb of the containers around it ("": the whole diagram, no breadcrumb)."""
    hierarchy = view.diagram.hierarchy
    hierarchy.open(component_id)
    breadcrumb(view).show_path(list(reversed(hierarchy.ancestors(component_id, True))))
    item = view.diagram.components.get(component_id)
    if item is None:
        view.zoom_fit()
        return
    # the container, with the stubs of the links to the outside and their names around it
    # (as far as a label's width: the stubs of thousands of links reach far beyond)
    frame = item.scene_rect()
    stubs = hierarchy.stub_layer.boundingRect().intersected(frame.adjusted(-260, -60, 260, 260))
    shown = frame.adjusted(-30, -60, 30, 30).united(stubs)
    view.fitInView(shown, Qt.AspectRatioMode.KeepAspectRatio)
    if view.zoom > 1.5:
        view.set_zoom(1.5)
    view.zoomChanged.emit(view.zoom)


def tabs_of(view: CanvasView) -> DiagramTabs | None:
    """The tabs ``view`` is shown in (None for a canvas on its own)."""
    parent = view.parentWidget()
    while parent is not None and not isinstance(parent, DiagramTabs):
        parent = parent.parentWidget()
    return parent


def open_container(view: CanvasView, component_id: str) -> None:
    """Drill into ``component_id`` from ``view`` ("": back to the whole diagram).

    From the whole diagram, the container opens in a tab of its own; in a container's view,
    that view shows it instead (the breadcrumb goes back up), and "" closes the view. A
    canvas outside a window's tabs shows the container in place.
    """
    tabs = tabs_of(view)
    if tabs is None:
        show_container(view, component_id)
    elif view is tabs.main:
        if component_id:
            tabs.open(component_id)
    elif component_id:
        tabs.focus(view, component_id)
    else:
        tabs.back(view)


__all__ = ["Breadcrumb", "DiagramTabs", "breadcrumb", "open_container", "show_container", "tabs_of"]
