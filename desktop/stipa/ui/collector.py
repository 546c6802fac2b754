"""Keeping Python's cyclic garbage collector from freezing the window on a big document.

A full collection walks every object the program holds, with every thread stopped: with a
big document open (a few hundred thousand records, items and wrappers) that is 0.1-0.3 s
at a time, often enough to be felt. Those objects live as long as the document is shown,
and make no garbage cycles, so once a big piece of work is done (the diagram built, the
analysis results or an import applied) they are moved out of the collector's sight
(:func:`settle`, ``gc.freeze``); when the document is replaced or its window closed they
come back into it (:func:`release`), and what the old one left is collected before anything
is put aside again.
"""

from __future__ import annotations

import gc
from typing import Any

#: Objects were given back since the last full collection: the next settle collects fully,
#: so the garbage among them is freed rather than put aside again.
_released = False


def _note_collection(phase: str, info: dict[str, Any]) -> None:
    global _released
    if phase == "stop" and info["generation"] == 2:
        _released = False


gc.callbacks.append(_note_collection)


def settle() -> None:
    """Put every object alive now out of the collector's reach, after collecting the
    garbage among them (the young generations, or all when objects were given back)."""
    gc.collect(2 if _released else 1)
    gc.freeze()


def release() -> None:
    """Give every object :func:`settle` put aside back to the collector."""
    global _released
    if gc.get_freeze_count():
        gc.unfreeze()
        _released = True
