"""Following a window's document: its events, and the next document after File > New or Open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, SignalInstance

from stipa.model import Document, Event

#: Milliseconds a panel waits before it looks again whether the transaction it waits for (a
#: big edit applied in slices between events) is closed; closing it sends HistoryChanged too.
REFRESH_RETRY_MS = 100


class DocumentHolder(Protocol):
    """What a panel needs of its window to follow the document: the document and its successor."""

    #: The document shown now.
    document: Document
    #: Emitted after ``document`` was replaced by another one.
    documentReplaced: SignalInstance


class DocumentFollower(QObject):
    """Sends the events of ``holder``'s current document to ``on_event``, moving to the next
    document when the holder replaces it, then calling ``on_replaced``.

    A child of the panel that owns it, so it stops with the panel. ``start()`` and ``stop()``
    turn the listening on and off (a view that listens only while shown); ``following`` says
    which it is, across document replacements.

    Parameters
    ----------
    owner
        The panel (its parent).
    holder
        The window whose document is followed.
    on_event
        Called with each event of the current document.
    on_replaced
        Called after the document was replaced (and the listening moved over), to show it.
    start
        Whether to listen from the start.
    """

    def __init__(
        self,
        owner: QObject,
        holder: DocumentHolder,
        on_event: Callable[[Event], None],
        on_replaced: Callable[[], object] | None = None,
        *,
        start: bool = True,
    ) -> None:
        super().__init__(owner)
        self.holder = holder
        self._on_event = on_event
        self._on_replaced = on_replaced
        self._unsubscribe: Callable[[], None] = lambda: None
        self.following = False
        holder.documentReplaced.connect(self._replaced)
        if start:
            self.start()

    def start(self) -> None:
        """Listen to the current document (again)."""
        self._unsubscribe()
        self._unsubscribe = self.holder.document.subscribe(self._on_event)
        self.following = True

    def stop(self) -> None:
        """Stop listening (until ``start``)."""
        self._unsubscribe()
        self._unsubscribe = lambda: None
        self.following = False

    def _replaced(self) -> None:
        if self.following:
            self.start()
        if self._on_replaced is not None:
            self._on_replaced()
