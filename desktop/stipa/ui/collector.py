"""Keeping Python's cyclic garbage collector from freezing the window on a big document.

A full collection walks every object the program holds, with every thread stopped: with a
big document open (a few hundred thousand records, items and wrappers) that is 0.1-0.3 s
at a time, and building or importing a big document would set off several. So the collector
is paused while a big piece of work makes its objects (:class:`Pause`: a file read, the
diagram built, a workbook imported), and once it is done what lives then is moved out of its sight
(:func:`settle`, ``gc.freeze``): a document and its items make no garbage cycles and live as
long as it is shown. When the document is replaced or its window closed they come back into
its sight (:func:`release`); the next settle collects in full first, so what the old document
left is freed rather than put aside again (opening a big document after another costs that
one collection).
"""

from __future__ import annotations

import gc
import threading
from typing import Any

#: Objects were given back since the last full collection (see :func:`settle`).
_released = False


def _note_collection(phase: str, info: dict[str, Any]) -> None:
    global _released
    if phase == "stop" and info["generation"] == 2:
        _released = False


gc.callbacks.append(_note_collection)


def settle(collect: bool = False) -> None:
    """Put every object alive now out of the collector's reach, after a full collection
    when objects were given back since the last one, or when asked to ``collect`` (what
    was made since the last settle may hold garbage, which would be put aside too)."""
    if _released or collect:
        gc.collect()
    gc.freeze()


def release() -> None:
    """Give every object :func:`settle` put aside back to the collector."""
    global _released
    if gc.get_freeze_count():
        gc.unfreeze()
        _released = True


class Pause:
    """The collector paused from creation until :meth:`resume` (or :meth:`settle`).

    Pauses nest (an import while a diagram builds, a file read in a worker thread); the
    last one to end restarts the collector if it was running.
    """

    _active = 0
    _was_enabled = True
    _lock = threading.Lock()

    def __init__(self) -> None:
        with Pause._lock:
            if Pause._active == 0:
                Pause._was_enabled = gc.isenabled()
                gc.disable()
            Pause._active += 1
            self._paused = True

    def resume(self) -> None:
        """End this pause (again does nothing)."""
        with Pause._lock:
            if not self._paused:
                return
            self._paused = False
            Pause._active -= 1
            if Pause._active == 0 and Pause._was_enabled:
                gc.enable()

    def settle(self) -> None:
        """The work is done: :func:`settle` what it made, then :meth:`resume`."""
        if self._paused:
            settle()
        self.resume()
