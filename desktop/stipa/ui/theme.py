"""Light, dark or system appearance, remembered between sessions."""

from __future__ import annotations

import os

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QLabel

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


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark one (its window colour is dark)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


#: The red of a refused edit's sentence, readable on a light and on a dark palette.
ERROR_RED_LIGHT, ERROR_RED_DARK = "#C62828", "#FF7A7A"


def show_refusal(label: QLabel, message: str) -> None:
    """Show a refused edit's sentence in ``label``, in a red readable on its palette."""
    palette = label.palette()
    red = ERROR_RED_DARK if is_dark(palette) else ERROR_RED_LIGHT
    palette.setColor(QPalette.ColorRole.WindowText, QColor(red))
    label.setPalette(palette)
    label.setText(message)
    label.show()


def apply_appearance(name: str, remember: bool = False) -> None:
    """Switch the application to ``name`` (system, light or dark)."""
    if name not in SCHEMES:
        raise ValueError(f"Unknown appearance {name!r}; use one of {', '.join(SCHEMES)}.")
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        app.styleHints().setColorScheme(SCHEMES[name])
        dark = is_dark(app.palette())
        if name == "dark" and not dark:
            # platforms without a theme (plain X11, offscreen) ignore the request
            QGuiApplication.setPalette(dark_palette())
        elif name == "light" and dark:
            QGuiApplication.setPalette(QPalette(QColor("#efefef")))
    if remember:
        QSettings().setValue(SETTING, name)


def dark_palette() -> QPalette:
    """A dark palette for platforms that offer none."""
    role = QPalette.ColorRole
    palette = QPalette()
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e8e8e8",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#262626",
        role.ToolTipBase: "#3a3a3a",
        role.ToolTipText: "#e8e8e8",
        role.PlaceholderText: "#8a8a8a",
        role.Text: "#e8e8e8",
        role.Button: "#353535",
        role.ButtonText: "#e8e8e8",
        role.BrightText: "#ff6b6b",
        role.Light: "#4a4a4a",
        role.Midlight: "#3d3d3d",
        role.Mid: "#2f2f2f",
        role.Dark: "#1a1a1a",
        role.Shadow: "#000000",
        role.Highlight: "#3d7ab8",
        role.HighlightedText: "#ffffff",
        role.Link: "#6cb4ee",
    }
    for colour_role, colour in colours.items():
        palette.setColor(colour_role, QColor(colour))
    disabled = QColor("#7a7a7a")
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, colour_role, disabled)
    return palette


#: The lightness difference from the window below which a glyph's pixel is inverted.
GLYPH_CONTRAST = 90


class _GlyphEngine(QIconEngine):
    """Paints an icon as it is on a light palette; on a dark one, the parts too close to the
    window's lightness (black arrows, dark outlines) have their lightness inverted (hue
    kept). It decides at each paint, so toolbar glyphs follow a change of theme."""

    def __init__(self, source: QIcon) -> None:
        super().__init__()
        self.source = source

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        drawn = self.source.pixmap(size, mode, state)
        palette = QGuiApplication.palette()
        if drawn.isNull() or not is_dark(palette):
            return drawn
        window = palette.color(QPalette.ColorRole.Window).lightness()
        image = drawn.toImage().convertToFormat(QImage.Format.Format_ARGB32)
        for y in range(image.height()):
            for x in range(image.width()):
                colour = image.pixelColor(x, y)
                lightness = colour.lightness()
                if colour.alpha() and abs(lightness - window) < GLYPH_CONTRAST:
                    image.setPixelColor(
                        x,
                        y,
                        QColor.fromHsl(
                            colour.hslHue(), colour.hslSaturation(), 255 - lightness, colour.alpha()
                        ),
                    )
        glyph = QPixmap.fromImage(image)
        glyph.setDevicePixelRatio(drawn.devicePixelRatio())
        return glyph

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def clone(self) -> QIconEngine:
        return _GlyphEngine(self.source)


def theme_glyph(source: QIcon) -> QIcon:
    """``source`` as drawn for a light palette, its lightness inverted on a dark one."""
    return QIcon(_GlyphEngine(source))
