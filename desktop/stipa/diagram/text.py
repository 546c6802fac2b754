"""Text measured and wrapped with the bundled DejaVu Sans's own metrics (read with fontTools).

Sizes are whole pixels, as Qt draws them (it rounds a point size to whole pixels), and
kerning is off everywhere text is drawn, so a width computed here is the width the canvas
and the SVG viewer draw.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from stipa import resources

__all__ = [
    "CAPTION",
    "FONT_FAMILY",
    "LABEL",
    "NAME",
    "TextStyle",
    "ascent",
    "elide",
    "line_height",
    "text_width",
    "wrap",
]

#: The family the canvas and every export draw in (bundled in ``resources/fonts``).
FONT_FAMILY = "DejaVu Sans"
_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
_ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class TextStyle:
    """A size in whole pixels and a weight."""

    pixels: int
    bold: bool = False


#: A link's label.
LABEL = TextStyle(11)
#: A component's name.
NAME = TextStyle(12, bold=True)
#: The «kind» caption above a component's name.
CAPTION = TextStyle(9)


class _Face:
    """The advance widths and vertical metrics of one font file, in font units."""

    def __init__(self, bold: bool) -> None:
        from fontTools.ttLib import TTFont  # only when text is first measured

        font = TTFont(resources.resource_path("fonts", _FILES[bold]), lazy=True)
        # glyphs by number: reading their names (the 'post' table) would double the cost
        font.setGlyphOrder([f"g{number}" for number in range(font["maxp"].numGlyphs)])
        self.units = float(font["head"].unitsPerEm)
        hhea = font["hhea"]
        self.ascent = float(hhea.ascent)
        self.descent = float(-hhea.descent)
        metrics = font["hmtx"].metrics
        cmap = font.getBestCmap()
        self.advances: dict[str, float] = {}
        for code, glyph in cmap.items():
            self.advances[chr(code)] = float(metrics[glyph][0])
        # what a viewer draws for a character the font lacks: the missing-glyph box
        self.missing = float(metrics["g0"][0])
        font.close()


@functools.cache
def _face(bold: bool) -> _Face:
    return _Face(bold)


@functools.lru_cache(maxsize=16384)
def text_width(text: str, style: TextStyle) -> float:
    """The advance width of one line of ``text`` in pixels."""
    face = _face(style.bold)
    advances, missing = face.advances, face.missing
    units = sum(advances.get(char, missing) for char in text)
    return units * style.pixels / face.units


def line_height(style: TextStyle) -> float:
    """The distance from one line's top to the next's."""
    face = _face(style.bold)
    return (face.ascent + face.descent) * style.pixels / face.units


def ascent(style: TextStyle) -> float:
    """The distance from a line's top to its baseline."""
    face = _face(style.bold)
    return face.ascent * style.pixels / face.units


@functools.lru_cache(maxsize=8192)
def wrap(text: str, width: float, style: TextStyle) -> tuple[str, ...]:
    """``text`` broken into lines no wider than ``width``: at spaces, and inside a word
    only where the word alone is wider. Line breaks in ``text`` are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, style) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while text_width(word, style) > width and len(word) > 1:
                cut = _fitting(word, width, style)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return tuple(lines)


def _fitting(word: str, width: float, style: TextStyle) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one)."""
    count = 1
    while count < len(word) and text_width(word[: count + 1], style) <= width:
        count += 1
    return count


def elide(text: str, width: float, style: TextStyle) -> str:
    """``text`` cut with an ellipsis so that it fits in ``width``."""
    if text_width(text, style) <= width:
        return text
    for end in range(len(text) - 1, 0, -1):
        shown = text[:end].rstrip() + _ELLIPSIS
        if text_width(shown, style) <= width:
            return shown
    return _ELLIPSIS
