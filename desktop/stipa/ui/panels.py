"""View > Panels: a toggle for every dock of the main window, including docks added later."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu


def _tr(text: str) -> str:
    return QCoreApplication.translate("Panels", text)


def install_panels_menu(window: QMainWindow, menu: QMenu) -> QMenu:
    """Add a "Panels" submenu to ``menu`` listing ``window``'s docks; refilled when shown."""
    panels = menu.addMenu(_tr("&Panels"))
    panels.setObjectName("menu.panels")
    panels.setToolTipsVisible(True)
    panels.aboutToShow.connect(lambda: fill_panels_menu(window, panels))
    fill_panels_menu(window, panels)
    return panels


def fill_panels_menu(window: QMainWindow, panels: QMenu) -> None:
    """Put the show/hide action of each of ``window``'s docks in ``panels``, by title.

    Every dock listed becomes closable (Qt disables the toggle of a dock that is not): the
    menu brings a closed panel back.
    """
    panels.clear()
    docks = [dock for dock in window.findChildren(QDockWidget) if dock.parent() is window]
    for dock in sorted(docks, key=lambda d: d.windowTitle().replace("&", "").casefold()):
        closable = QDockWidget.DockWidgetFeature.DockWidgetClosable
        if not dock.features() & closable:
            dock.setFeatures(dock.features() | closable)
        action = dock.toggleViewAction()
        name = dock.objectName().removeprefix("dock.") or "panel"
        action.setObjectName(f"action.panel_{name}")
        title = dock.windowTitle().replace("&", "")
        action.setToolTip(_tr("Show or hide the {0} panel").format(title))
        action.setStatusTip(action.toolTip())
        panels.addAction(action)
