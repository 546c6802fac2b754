"""Arrange edits: align and distribute the selected components, each one undo step."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from stipa.model import Document, NodeLayout
from stipa.operations.drawing import commit_geometry


class Alignment(StrEnum):
    """Which edge or centre line the components share after ``align``."""

    LEFT = "left"
    CENTRE = "centre"
    RIGHT = "right"
    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


class Axis(StrEnum):
    """The direction ``distribute`` spreads components along."""

    HORIZONTAL = "horizontal"
    VERTICAL = "vertical"


def _layouts(document: Document, ids: Iterable[str]) -> list[NodeLayout]:
    """The layouts of the drawn components among ``ids`` (links and others are skipped)."""
    return [document.node_layout[i] for i in dict.fromkeys(ids) if i in document.node_layout]


def align(document: Document, ids: Iterable[str], alignment: Alignment | str) -> bool:
    """Line the components ``ids`` up on the bounding box's edge or centre line.

    One undo step ("Align left"...); at least two drawn components are needed. Returns
    whether anything moved.
    """
    alignment = Alignment(alignment)
    layouts = _layouts(document, ids)
    if len(layouts) < 2:
        return False
    left = min(n.x for n in layouts)
    right = max(n.x + n.width for n in layouts)
    top = min(n.y for n in layouts)
    bottom = max(n.y + n.height for n in layouts)
    moved = []
    for n in layouts:
        match alignment:
            case Alignment.LEFT:
                moved.append(n.replace(x=left))
            case Alignment.CENTRE:
                moved.append(n.replace(x=(left + right) / 2 - n.width / 2))
            case Alignment.RIGHT:
                moved.append(n.replace(x=right - n.width))
            case Alignment.TOP:
                moved.append(n.replace(y=top))
            case Alignment.MIDDLE:
                moved.append(n.replace(y=(top + bottom) / 2 - n.height / 2))
            case Alignment.BOTTOM:
                moved.append(n.replace(y=bottom - n.height))
    return commit_geometry(document, moved, f"Align {alignment.value}")


def distribute(document: Document, ids: Iterable[str], axis: Axis | str) -> bool:
    """Space the components ``ids`` evenly between the outermost two along ``axis``.

    The gaps between neighbours become equal; the first and last stay. One undo step;
    at least three drawn components are needed. Returns whether anything moved.
    """
    axis = Axis(axis)
    layouts = _layouts(document, ids)
    if len(layouts) < 3:
        return False
    horizontal = axis == Axis.HORIZONTAL

    def start(n: NodeLayout) -> float:
        return n.x if horizontal else n.y

    def size(n: NodeLayout) -> float:
        return n.width if horizontal else n.height

    ordered = sorted(layouts, key=lambda n: (start(n), n.id))
    first, last = ordered[0], ordered[-1]
    span = start(last) + size(last) - start(first)
    gap = (span - sum(size(n) for n in ordered)) / (len(ordered) - 1)
    moved = []
    position = start(first) + size(first) + gap
    for n in ordered[1:-1]:  # the outermost two stay exactly where they are
        moved.append(n.replace(x=position) if horizontal else n.replace(y=position))
        position += size(n) + gap
    return commit_geometry(document, moved, f"Distribute {axis.value}")
