"""What panels, docks and dialogs use of the window they serve: the narrow interface they take."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSettings, SignalInstance
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from stipa.model import Document
from stipa.plugin import PluginHost
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.view import CanvasView


class DocumentHolder(Protocol):
    """A window's document and its canvas, and the signal that both were replaced."""

    #: The document shown now.
    document: Document
    #: The canvas scene of ``document``: its items and the selection.
    diagram: DiagramScene
    #: Emitted after ``document`` (and ``diagram``) were replaced by others (New, Open...).
    documentReplaced: SignalInstance


class PanelContext(DocumentHolder, Protocol):
    """What a panel of a window may use: the document, the canvas with its selection, the
    plugins, the file shown, the user's settings, and ways to tell the user something.

    The main window implements it and assembles the panels (menus, docks, toolbar); a panel
    never needs the main window itself, so tests can build one on a small stand-in.
    :class:`stipa.ui.following.DocumentFollower` follows ``document`` across replacements.
    """

    #: The plugins the window offers.
    host: PluginHost
    #: The file the document was read from or saved to; None while untitled.
    path: Path | None
    #: The canvas view of ``diagram`` (zoom, the in-place name editor, focus).
    view: CanvasView

    def window(self) -> QWidget:
        """The window: the parent of the panel's docks and dialogs."""
        ...

    def settings(self) -> QSettings:
        """Where the panels keep the user's choices (options, folders, formats last used)."""
        ...

    def statusBar(self) -> QStatusBar:
        """Where short messages go (``showMessage(text, milliseconds)``)."""
        ...

    def show_error(self, title: str, text: str) -> None:
        """Tell the user why something failed."""
        ...

    def show_warning(self, title: str, text: str) -> QMessageBox:
        """Tell the user something was done, but not quite as asked (without waiting)."""
        ...


__all__ = ["DocumentHolder", "PanelContext"]
