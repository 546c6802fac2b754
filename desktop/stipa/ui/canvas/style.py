"""How the canvas draws: fonts (the engine's, registered with Qt), pens, brushes, colours."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
)

from stipa import resources
from stipa.diagram import style as diagram_style
from stipa.diagram.text import FONT_FAMILY, LABEL, TextStyle
from stipa.model import LinkKind
from stipa.ui.presets import Preset
from stipa.ui.theme import is_dark

GRID = 10.0
HANDLE = 8.0


def register_fonts() -> None:
    """Give Qt the DejaVu Sans Stipa carries (``resources/fonts``), once.

    ``stipa.diagram`` measures and wraps every text with this font's metrics; where the
    system lacks it (Windows, macOS, some Linux systems) Qt would substitute a font with
    other metrics, and the text would not fit the boxes made for it.
    """
    if _registered:
        return
    _registered.append(True)
    for font in sorted(resources.resource_path("fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font))


_registered: list[bool] = []


@functools.cache
def engine_font(style: TextStyle) -> QFont:
    """The font of a ``stipa.diagram`` text style: its whole pixels, no kerning (the
    engine's widths are the font's plain advances)."""
    font = QFont(FONT_FAMILY)
    font.setPixelSize(style.pixels)
    font.setBold(style.bold)
    font.setKerning(False)
    return font


def canvas_font(point_size: float = 9.0, bold: bool = False) -> QFont:
    """The canvas font: an explicit family so screen and exports agree."""
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def snap(value: float, step: float = GRID) -> float:
    """``value`` rounded to the grid."""
    return round(value / step) * step


@dataclass(frozen=True)
class ComponentStyle:
    shape: str
    pen: QPen
    selected_pen: QPen
    fill: QBrush
    banner: QColor
    text: QColor
    selection_pen: QPen
    selection_colour: QColor


_COMPONENT_STYLES: dict[tuple[str, int], ComponentStyle] = {}


def component_style(preset: Preset) -> ComponentStyle:
    """Pens, brushes and colours of a preset under the current palette (made once)."""
    palette = QApplication.palette()
    key = (preset.key, palette.cacheKey())
    style = _COMPONENT_STYLES.get(key)
    if style is None:
        dark = is_dark(palette)
        fill = QColor(preset.colour)
        fill = fill.darker(170) if dark else fill.lighter(135)
        outline = palette.color(QPalette.ColorRole.Text)
        pen, selected = QPen(outline, 1.3), QPen(outline, 2.4)
        if preset.shape == "dashed":
            pen.setStyle(Qt.PenStyle.DashLine)
            selected.setStyle(Qt.PenStyle.DashLine)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        style = ComponentStyle(
            shape=preset.shape,
            pen=pen,
            selected_pen=selected,
            fill=QBrush(fill),
            banner=QColor(preset.colour),
            text=QColor("#f4f4f4") if dark else QColor("#111111"),
            selection_pen=QPen(highlight, 1.5, Qt.PenStyle.DotLine),
            selection_colour=highlight,
        )
        _COMPONENT_STYLES[key] = style
    return style


@dataclass(frozen=True)
class LinkPens:
    pen: QPen
    selected_pen: QPen
    arrow_pen: QPen
    arrow_brush: QBrush
    label_pen: QPen
    selected_label_pen: QPen
    label_brush: QBrush
    text_pen: QPen
    font: QFont


_LINK_STYLES: dict[tuple[LinkKind, int], LinkPens] = {}
_PEN_STYLES = {
    "solid": Qt.PenStyle.SolidLine,
    "dash": Qt.PenStyle.DashLine,
    "dot": Qt.PenStyle.DotLine,
}
#: Each kind of link's pen style (the engine's dashes, as Qt pen styles).
DASHES = {kind: _PEN_STYLES[dash] for kind, dash in diagram_style.DASHES.items()}


def link_pens(kind: LinkKind) -> LinkPens:
    """Pens, brushes and font for a kind of link under the current palette (made once)."""
    palette = QApplication.palette()
    key = (kind, palette.cacheKey())
    style = _LINK_STYLES.get(key)
    if style is None:
        colour = link_colour(kind, is_dark(palette))
        pen, selected = QPen(colour, 1.6), QPen(colour, 2.6)
        pen.setStyle(DASHES[kind])
        selected.setStyle(DASHES[kind])
        base = palette.color(QPalette.ColorRole.Base)
        filled = kind == LinkKind.CONTROL_ACTION
        style = LinkPens(
            pen=pen,
            selected_pen=selected,
            arrow_pen=QPen(colour, 1.4),
            arrow_brush=QBrush(colour if filled else base),
            label_pen=QPen(colour, 1),
            selected_label_pen=QPen(colour, 2),
            label_brush=QBrush(base),
            text_pen=QPen(palette.color(QPalette.ColorRole.Text)),
            font=engine_font(LABEL),
        )
        _LINK_STYLES[key] = style
    return style


def link_colour(kind: LinkKind, dark: bool) -> QColor:
    """Control actions, feedback and information differ in colour, dash and arrow head."""
    return QColor(diagram_style.link_colour(kind, dark))
