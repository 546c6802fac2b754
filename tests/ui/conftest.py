"""The window the UI tests drive: ``make_window`` (the pytest plugin's ``stipa_window``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QCursor

from stipa.ui.testing import WindowFactory


@pytest.fixture
def make_window(stipa_window: WindowFactory) -> WindowFactory:
    """``make_window(document=None, path=None, host=None, show=True) -> MainWindow``.

    Modal dialogs never open: closing discards, error dialogs are collected in ``errors``.
    """
    return stipa_window


@pytest.fixture
def errors(stipa_window: WindowFactory) -> list[tuple[str, str]]:
    """(title, text) of each error dialog the test's windows would have shown."""
    return stipa_window.errors


@pytest.fixture
def recovery_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A recovery folder of the test's own (``STIPA_RECOVERY_DIR``)."""
    folder = tmp_path / "recovery"
    monkeypatch.setenv("STIPA_RECOVERY_DIR", str(folder))
    return folder


@pytest.fixture
def cursor_off_the_canvas() -> Iterator[None]:
    """Pastes follow the mouse when it is over the canvas: keep it away unless a test moves it."""
    QCursor.setPos(QPoint(-5000, -5000))
    yield
    QCursor.setPos(QPoint(-5000, -5000))
