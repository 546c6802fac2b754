"""Long work on the GUI thread done a slice at a time between events."""

from __future__ import annotations

import time
from collections.abc import Generator

from PySide6.QtCore import QObject, QTimer

#: Seconds of work in one slice: the window answers input between two slices.
SLICE_S = 0.04


class Slices(QObject):
    """Runs a generator a slice of about ``SLICE_S`` at a time from the event loop.

    ``start`` runs the first slice at once, so small work is done before it returns;
    starting again replaces (closes) work still running, as does ``stop``.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._steps: Generator[object, None, object] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run)

    @property
    def running(self) -> bool:
        """Whether work is left for later slices."""
        return self._steps is not None

    def start(self, steps: Generator[object, None, object]) -> None:
        """Do ``steps``: a slice now, the rest between events."""
        self.stop()
        self._steps = steps
        self._run()

    def stop(self) -> None:
        """Drop the work left."""
        self._timer.stop()
        steps, self._steps = self._steps, None
        if steps is not None:
            steps.close()

    def _run(self) -> None:
        steps = self._steps
        if steps is None:
            return
        deadline = time.monotonic() + SLICE_S
        for _step in steps:
            if time.monotonic() >= deadline:
                self._timer.start()
                return
        self._steps = None
