"""Following a window's document, its events and its canvas' selection, across New and Open."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject

from stipa.model import Event
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.panel_context import DocumentHolder

#: Milliseconds a panel waits before it looks again whether the transaction it waits for (a
#: big edit applied in slices between events) is closed; closing it sends HistoryChanged too.
REFRESH_RETRY_MS = 100


class DocumentFollower(QObject):
    """Sends the events of ``holder``'s current document to ``on_event`` and the selection
    changes of its canvas to ``on_selection``, moving to the next document and canvas when
    the holder replaces them, then calling ``on_replaced``.

    A child of the panel that owns it, so it stops with the panel. ``start()`` and ``stop()``
    turn the listening on and off (a view that listens only while shown); ``following`` says
    which it is, across document replacements.

    Parameters
    ----------
    owner
        The panel (its parent).
    holder
        The window (a :class:`~stipa.ui.panel_context.PanelContext`) whose document is followed.
    on_event
        Called with each event of the current document; None not to listen to events.
    on_replaced
        Called after the document was replaced (and the listening moved over), to show it.
    on_selection
        Called when the selection on the current document's canvas changes.
    start
        Whether to listen from the start.
    """

    def __init__(
        self,
        owner: QObject,
        holder: DocumentHolder,
        on_event: Callable[[Event], None] | None = None,
        on_replaced: Callable[[], object] | None = None,
        *,
        on_selection: Callable[[], object] | None = None,
        start: bool = True,
    ) -> None:
        super().__init__(owner)
        self.holder = holder
        self._on_event = on_event
        self._on_replaced = on_replaced
        self._on_selection = on_selection
        self._unsubscribe: Callable[[], None] = lambda: None
        self._diagram: DiagramScene | None = None
        self.following = False
        holder.documentReplaced.connect(self._replaced)
        if start:
            self.start()

    def start(self) -> None:
        """Listen to the current document (again)."""
        self.stop()
        if self._on_event is not None:
            self._unsubscribe = self.holder.document.subscribe(self._on_event)
        if self._on_selection is not None:
            self._diagram = self.holder.diagram
            self._diagram.selectionChanged.connect(self._selection_changed)
        self.following = True

    def stop(self) -> None:
        """Stop listening (until ``start``)."""
        self._unsubscribe()
        self._unsubscribe = lambda: None
        diagram, self._diagram = self._diagram, None
        if diagram is not None and shiboken6.isValid(diagram):
            with contextlib.suppress(RuntimeError, TypeError):  # already gone with its scene
                diagram.selectionChanged.disconnect(self._selection_changed)
        self.following = False

    def _selection_changed(self) -> None:
        diagram = self._diagram  # a canvas being destroyed (its window closing) says nothing
        if self._on_selection is not None and diagram is not None and shiboken6.isValid(diagram):
            self._on_selection()

    def _replaced(self) -> None:
        if self.following:
            self.start()
        if self._on_replaced is not None:
            self._on_replaced()
