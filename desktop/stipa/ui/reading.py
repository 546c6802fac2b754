"""Reading a file in a worker thread, so a big file never freezes the window."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal

from stipa import io
from stipa.model import Document
from stipa.ui import collector

#: Files up to this size are read on the GUI thread, in well under the 250 ms the window may
#: stop answering (a 1 MiB file, ~1,000 components, reads in ~0.05 s); bigger ones in a
#: worker thread.
READ_AT_ONCE_BYTES = 1 << 20

#: What reading a file gives: the document, or why it could not be read.
Outcome = Document | io.FileFormatError | OSError


def read(path: Path, max_bytes: int | None) -> Outcome:
    """``io.load(path, max_bytes=max_bytes)``, with the errors it may raise as the result."""
    try:
        return io.load(path, max_bytes=max_bytes)
    except (io.FileFormatError, OSError) as error:
        return error


def reads_at_once(path: Path) -> bool:
    """Whether ``path`` is small enough to read on the GUI thread (or cannot be looked at:
    reading it then says why at once)."""
    try:
        return os.stat(path).st_size <= READ_AT_ONCE_BYTES
    except OSError:
        return True


class FileRead(QObject):
    """One read of a file in a worker thread.

    :meth:`start` begins; ``done(outcome)`` comes on the GUI thread with what ``load()``
    gave: the document read or the error that stopped it, as :func:`read` gives them, an
    import of another tool's file (or the exception of a bug). Loading needs no Qt
    (``stipa.io``, ``stipa.operations``): nothing of the window is touched meanwhile.
    """

    done = Signal(object)
    _read = Signal(object)  # from the worker

    def __init__(self, load: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.load = load
        self.worker: threading.Thread | None = None
        self.pause: collector.Pause | None = None
        self._read.connect(self.done, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        """Read the file in a worker thread (once).

        The collector is paused from now until :meth:`finish` (the window builds the
        diagram under a pause of its own by then): the document read is not walked by
        collection after collection while it is new.
        """
        if self.worker is not None:
            return
        self.pause = collector.Pause()
        self.destroyed.connect(self.pause.resume)
        load, finished = self.load, self._read

        def work() -> None:
            outcome: object = OSError("the file was not read")
            try:
                outcome = load()
            except Exception as error:  # a bug: the window says so, the excepthook too
                outcome = error
                raise
            finally:
                with contextlib.suppress(RuntimeError):  # the window is gone
                    finished.emit(outcome)

        self.worker = threading.Thread(target=work, name="stipa read file", daemon=True)
        self.worker.start()

    def finish(self) -> None:
        """The window is done with the outcome: end the pause and go."""
        if self.pause is not None:
            self.pause.resume()
        self.deleteLater()
