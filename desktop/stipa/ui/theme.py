"""Light, dark or system appearance, remembered between sessions."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication

#: Appearance names and the colour scheme each asks Qt for.
SCHEMES = {
    "system": Qt.ColorScheme.Unknown,
    "light": Qt.ColorScheme.Light,
    "dark": Qt.ColorScheme.Dark,
}
SETTING = "appearance"


def current_appearance() -> str:
    """The chosen appearance: ``STIPA_APPEARANCE`` if set, else the saved setting."""
    chosen = os.environ.get("STIPA_APPEARANCE") or str(QSettings().value(SETTING, "system"))
    return chosen if chosen in SCHEMES else "system"


def apply_appearance(name: str, remember: bool = False) -> None:
    """Switch the application to ``name`` (system, light or dark)."""
    if name not in SCHEMES:
        raise ValueError(f"Unknown appearance {name!r}; use one of {', '.join(SCHEMES)}.")
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        app.styleHints().setColorScheme(SCHEMES[name])
    if remember:
        QSettings().setValue(SETTING, name)
