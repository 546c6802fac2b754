"""Long work on the GUI thread done a slice at a time between events."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QTimer

#: Seconds of work in one slice: the window answers input between two slices.
SLICE_S = 0.04


class Slices(QObject):
    """Runs a generator a slice of about ``SLICE_S`` at a time from the event loop.

    ``start`` runs the first slice at once, so small work is done before it returns;
    starting again replaces (closes) work still running, as does ``stop``. Every long loop
    of the GUI thread runs here: the scene's staged build, applying analysis results and an
    Excel import, filling the findings panel and the badges, drawing the overview.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._seconds: float | None = None
        self._steps: Generator[Any, None, Any] | None = None
        self._finished: Callable[[Any], object] | None = None
        self._progress: Callable[[Any], object] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run)

    @property
    def running(self) -> bool:
        """Whether work is left for later slices."""
        return self._steps is not None

    def start(
        self,
        steps: Generator[Any, None, Any],
        *,
        finished: Callable[[Any], object] | None = None,
        progress: Callable[[Any], object] | None = None,
        now: bool = True,
        seconds: float | None = None,
    ) -> None:
        """Do ``steps``: a slice now (or, unless ``now``, from the event loop), the rest
        between events.

        ``finished`` is called with the generator's return value once it is done (not when
        it is stopped); ``progress`` with the value it yielded last, at the end of each slice
        that leaves work for later (how far it got, for a progress display). ``seconds``:
        the length of a slice, when not :data:`SLICE_S`.
        """
        self.stop()
        self._steps, self._finished, self._progress = steps, finished, progress
        self._seconds = seconds
        if now:
            self._run()
        else:
            self._timer.start()

    def stop(self) -> None:
        """Drop the work left (closing the generator: it may take back what it did)."""
        self._timer.stop()
        steps, self._steps = self._steps, None
        self._finished = self._progress = None
        if steps is not None:
            steps.close()

    def _run(self) -> None:
        steps = self._steps
        if steps is None:
            return
        deadline = time.monotonic() + (SLICE_S if self._seconds is None else self._seconds)
        try:
            while True:
                step = next(steps)
                if time.monotonic() >= deadline:
                    break
        except StopIteration as done:
            if self._steps is steps:  # not replaced by its own last step
                finished = self._finished
                self._steps = self._finished = self._progress = None
                if finished is not None:
                    finished(done.value)
            return
        except BaseException:  # a bug in the work: nothing is left to run
            if self._steps is steps:
                self._steps = self._finished = self._progress = None
            raise
        if self._progress is not None:  # before the next slice is due: a progress dialog
            self._progress(step)  # may handle events while it shows the value
        if self._steps is steps:  # not stopped or replaced meanwhile
            self._timer.start()
