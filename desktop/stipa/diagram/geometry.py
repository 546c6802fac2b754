"""The plain geometry the engine computes: boxes, routes, text lines and label places."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from stipa.diagram.text import TextStyle

__all__ = ["Box", "Label", "Point", "Rect", "Route", "TextLine", "label_badge_places"]

#: A point ``(x, y)`` in diagram coordinates (pixels at 96 dpi, y down).
Point = tuple[float, float]
#: A rectangle as ``(x, y, width, height)``: the form the hot loops work on.
Rect = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> Point:
        return (self.x + self.width / 2, self.y + self.height / 2)

    def rect(self) -> Rect:
        """As a plain ``(x, y, width, height)`` tuple."""
        return (self.x, self.y, self.width, self.height)

    def intersects(self, other: Box) -> bool:
        """Whether the two share inner area (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text: drawn from ``x`` with its baseline at ``y``."""

    text: str
    x: float
    y: float
    style: TextStyle


@dataclass(frozen=True, slots=True)
class Route:
    """A link's polyline from source to target and its arrow head (tip, left, right)."""

    points: tuple[Point, ...]
    arrow: tuple[Point, Point, Point]

    def segments(self) -> list[tuple[Point, Point]]:
        """The route's segments in order."""
        return list(pairwise(self.points))


@dataclass(frozen=True, slots=True)
class Label:
    """A link's label: its box, the lines drawn inside it, and the leader line tying it to
    its link when it lies away from it (from the route to the box's border). ``crowded``:
    every place by its link was taken, so it lies in the nearest free room."""

    box: Box
    lines: tuple[TextLine, ...]
    leader: tuple[Point, Point] | None = None
    crowded: bool = False


def label_badge_places(label: Box, width: float, height: float) -> tuple[Point, ...]:
    """Where the badge of a link's label may sit (its top left), best first: above the label's
    right end, below it, right of it, left of it. Every export takes the first of them where
    the badge covers no other text (a text's ascent may reach a little past its label's box).
    """
    return (
        (label.right - width / 2, label.y - height - 2),
        (label.right - width / 2, label.bottom + 2),
        (label.right + 2, label.y),
        (label.x - width - 2, label.y),
    )


def segment_meets_rect(
    segment: tuple[Point, Point],
    left: float,
    top: float,
    right: float,
    bottom: float,
    *,
    inside_only: bool = False,
) -> bool:
    """Whether a segment meets a rectangle (Liang-Barsky clipping).

    With ``inside_only`` a segment only touching the border does not count.
    """
    (x1, y1), (x2, y2) = segment
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0 or (inside_only and q == 0):
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high or (inside_only and low == high):
            return False
    return True
