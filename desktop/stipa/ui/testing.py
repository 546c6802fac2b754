"""Main windows for GUI tests: no modal dialog ever opens (the ``stipa_window`` fixture)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from stipa.ui.main_window import MainWindow

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from stipa.model import Document
    from stipa.plugin import PluginHost


class WindowFactory:
    """``factory(document=None, path=None, host=None, show=True) -> MainWindow``.

    Each window is closed after the test (pytest-qt's ``qtbot``). Closing it discards
    unsaved changes; the error dialogs it would show are collected in :attr:`errors`.
    """

    def __init__(self, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot = qtbot
        self.monkeypatch = monkeypatch
        #: (title, text) of each error dialog a window of the test would have shown.
        self.errors: list[tuple[str, str]] = []

    def __call__(
        self,
        document: Document | None = None,
        path: Path | None = None,
        host: PluginHost | None = None,
        *,
        show: bool = True,
    ) -> MainWindow:
        """A main window on ``document`` (a new one when None), shown and exposed if ``show``."""
        window = MainWindow(document, path, host=host)
        self.monkeypatch.setattr(
            window, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard
        )
        self.monkeypatch.setattr(
            window, "show_error", lambda title, text: self.errors.append((title, text))
        )
        self.qtbot.addWidget(window)
        if show:
            window.show()
            self.qtbot.waitExposed(window)
            window.activateWindow()
        return window
