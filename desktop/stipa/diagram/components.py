"""A component's text (its «kind» caption and wrapped name) and the size its text needs."""

from __future__ import annotations

import math

from stipa.diagram.geometry import Rect, TextLine
from stipa.diagram.style import Preset, preset_for
from stipa.diagram.text import CAPTION, NAME, ascent, elide, line_height, text_width, wrap
from stipa.model import Component

__all__ = [
    "DEFAULT_HEIGHT",
    "DEFAULT_WIDTH",
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "caption_of",
    "component_size",
    "component_text",
]

#: The smallest a component can be made.
MIN_WIDTH, MIN_HEIGHT = 60.0, 36.0
#: A new component's size.
DEFAULT_WIDTH, DEFAULT_HEIGHT = 160.0, 70.0
#: Where the text sits inside the box.
_CAPTION_TOP, _CAPTION_INSET, _NAME_INSET, _BOTTOM = 6.0, 4.0, 8.0, 4.0
#: The widest :func:`component_size` makes a component for its name.
_MAX_AUTO_WIDTH = 240.0
_GRID = 10.0


def caption_of(component: Component, preset: Preset | None = None) -> str:
    """The «kind» caption: a person's role, otherwise the preset's name, both in sentence case."""
    role = component.role.strip()
    if role and component.nature.value == "human":
        return f"«{role[:1].upper()}{role[1:]}»"  # «Lay user» beside «Controller»
    if preset is None:
        preset = preset_for(component.kind, component.nature, component.role)
    return f"«{preset.label}»"


def component_text(box: Rect, caption: str, name: str) -> tuple[TextLine, ...]:
    """The caption (elided to fit) and the name (wrapped, centred) drawn in ``box``."""
    x, y, width, height = box
    shown = elide(caption, width - 2 * _CAPTION_INSET, CAPTION)
    caption_left = x + (width - text_width(shown, CAPTION)) / 2
    lines = [TextLine(shown, caption_left, y + _CAPTION_TOP + ascent(CAPTION), CAPTION)]
    top = y + _CAPTION_TOP + line_height(CAPTION)
    bottom = y + height - _BOTTOM
    rows = wrap(name, width - 2 * _NAME_INSET, NAME)
    step = line_height(NAME)
    first = top + (bottom - top - step * len(rows)) / 2 + ascent(NAME)
    for row, text in enumerate(rows):
        left = x + (width - text_width(text, NAME)) / 2
        lines.append(TextLine(text, left, first + row * step, NAME))
    return tuple(lines)


def component_size(caption: str, name: str) -> tuple[float, float]:
    """The size a component needs to show its caption and name, on the grid.

    Never smaller than a new component; wider (up to a limit) for a long name, then taller
    for the lines it wraps into.
    """
    words = max((text_width(word, NAME) for word in name.split()), default=0.0)
    wanted = max(
        text_width(caption, CAPTION) + 2 * _CAPTION_INSET,
        min(text_width(name, NAME), _MAX_AUTO_WIDTH - 2 * _NAME_INSET) + 2 * _NAME_INSET,
        words + 2 * _NAME_INSET,
    )
    width = max(DEFAULT_WIDTH, math.ceil(wanted / _GRID) * _GRID)
    rows = len(wrap(name, width - 2 * _NAME_INSET, NAME))
    needed = _CAPTION_TOP + line_height(CAPTION) + rows * line_height(NAME) + _BOTTOM + 8
    height = max(DEFAULT_HEIGHT, math.ceil(needed / _GRID) * _GRID)
    return width, height
