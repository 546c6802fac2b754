"""The window the UI tests drive: ``make_window`` (the pytest plugin's ``stipa_window``)."""

from __future__ import annotations

import pytest

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
