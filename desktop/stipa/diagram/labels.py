"""Link labels: their text as a list, their size, and places where they collide with nothing.

A label lists the link's items one per line (an item's name that is too long wraps, with a
hanging indent under its bullet), so one action whose name contains a comma is never
mistaken for two. Labels are placed greedily in document order: the first candidate place,
best first, that touches no component, no arrow head, no segment of another link and no
label placed before. Where every place beside the link is taken (a crowded diagram drawn by
hand, whose components the placer never moves), the label goes farther out, along the whole
route, and a leader line ties it to its link, as map labelling does with callouts. The index
of those rectangles (:class:`ShapeIndex`) answers each question at a cost that does not
depend on how large a box is. A label with no free place along its link either is placed
once all the others are (:func:`arrange`), at the free place nearest its link
(:class:`FreeRoom`), or beyond the diagram's edge, where room is always free: no label ever
covers anything, whatever the drawing.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from stipa.diagram.geometry import (
    Box,
    Label,
    Point,
    Rect,
    Route,
    TextLine,
    segment_meets_rect,
)
from stipa.diagram.routing import arrow_head
from stipa.diagram.text import LABEL, ascent, line_height, text_width, wrap
from stipa.model import LinkLayout

if TYPE_CHECKING:
    from rtree.index import Index

__all__ = [
    "LABEL_WIDTH",
    "LEADER_FROM",
    "FreeRoom",
    "LabelPlacer",
    "Leader",
    "Shape",
    "ShapeIndex",
    "arrange",
    "label_candidates",
    "label_lines",
    "label_text",
    "leader_line",
    "place_labels",
]

K = TypeVar("K")

#: The widest a label grows before its lines wrap (a readable width).
LABEL_WIDTH = 190.0
#: Space between a label's border and its text.
PAD_X, PAD_Y = 5.0, 2.0
#: Room kept free around components, segments and labels.
COMPONENT_MARGIN, SEGMENT_MARGIN, LABEL_MARGIN = 3.0, 2.0, 2.0
#: The bullet before each item of a label listing several.
BULLET = "• "
_FRACTIONS: tuple[float, ...] = (0.5, 0.3, 0.7)
#: Farther places, tried when every near one is taken: along each segment, and away from it
#: (the farther ones with a leader line). Hand-drawn structures of 30 and 100 generated
#: components need up to 450 px; the examples none.
_FAR_FRACTIONS: tuple[float, ...] = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9)
_FAR_STEPS: tuple[float, ...] = (0.0, 12.0, 26.0, 44.0, 70.0, 110.0, 160.0, 230.0, 320.0, 450.0)
#: How many far places one diagram may try in vain: a label that finds a place earns back
#: the tries it took, so a diagram people draw has them all, while one crowded beyond help
#: stops searching after a few labels that find none.
FAR_BUDGET = 2_000
#: The side of the cells of :class:`FreeRoom` (at least), and how far beyond the diagram it
#: reaches: a label of a crowded diagram finds the free place nearest its link to a cell.
ROOM_CELL = 10
FREE_MARGIN = 400.0
#: How many rows up and down :class:`FreeRoom` looks for a label's place, and how many rows
#: it may search in one diagram: a diagram people draw has room near its labels, while in
#: one crowded beyond that the labels left once the budget is spent go straight beyond the
#: diagram's edge (:meth:`LabelPlacer.place_free`).
ROOM_REACH = 60
ROOM_BUDGET = 50_000
#: Shapes marked, and rows swept, between two pauses of :meth:`FreeRoom.filling`.
_FILL_STEP = 4_000
_SWEEP_STEP = 400
#: How many label lengths along the diagram's edge a label beyond it may be put, rather
#: than farther out.
_EDGE_SLIDE = 12
_DEPTH_COST = 4.0
#: How many cells of the free room make one step along the edge, for labels beyond it.
_EDGE_CELLS = 4
#: A label whose box lies farther than this from its link's route gets a leader line.
LEADER_FROM = 20.0
#: How much of a leader, from the route, may touch a component's or label's margin.
_LEADER_START = 8.0


def label_lines(names: Sequence[str]) -> tuple[tuple[str, float], ...]:
    """The lines of a label listing ``names``, each with its indent from the text's left.

    One name: its lines as they wrap. Several: one bulleted entry each, continuation lines
    indented under the text after the bullet.
    """
    room = LABEL_WIDTH - 2 * PAD_X
    if len(names) <= 1:
        return tuple((line, 0.0) for name in names for line in wrap(name, room, LABEL))
    indent = text_width(BULLET, LABEL)
    lines: list[tuple[str, float]] = []
    for name in names:
        first, *rest = wrap(name, room - indent, LABEL)
        lines.append((BULLET + first, 0.0))
        lines.extend((line, indent) for line in rest)
    return tuple(lines)


def label_size(lines: Sequence[tuple[str, float]]) -> tuple[float, float]:
    """The width and height of a label box holding ``lines``."""
    widest = max((indent + text_width(text, LABEL) for text, indent in lines), default=0.0)
    return widest + 2 * PAD_X, len(lines) * line_height(LABEL) + 2 * PAD_Y


def label_text(box: Rect, lines: Sequence[tuple[str, float]]) -> tuple[TextLine, ...]:
    """The lines placed in ``box``: one line centred, a list left-aligned."""
    x, y, width, _height = box
    step, top = line_height(LABEL), ascent(LABEL)
    placed = []
    single = len(lines) == 1
    for row, (text, indent) in enumerate(lines):
        left = x + (width - text_width(text, LABEL)) / 2 if single else x + PAD_X + indent
        placed.append(TextLine(text, left, y + PAD_Y + row * step + top, LABEL))
    return tuple(placed)


def label_candidates(
    points: Sequence[Point],
    size: tuple[float, float],
    control_action: bool,
    layout: LinkLayout | None,
    far: bool = False,
) -> Iterator[Rect]:
    """Places ``(x, y, width, height)`` for a label, best first.

    Near: beside the longest segment (its middle, then a third from either end) and the
    middle of the next longest (control actions on the left of a vertical line, feedback
    on the right). ``far``: then along every segment and further
    away from it, for a crowded diagram.
    """
    if len(points) < 2:
        return
    width, height = size
    nudge_x, nudge_y = (layout.label_dx, layout.label_dy) if layout is not None else (0.0, 0.0)
    segments = sorted(
        itertools.pairwise(points),
        key=lambda s: -math.hypot(s[1][0] - s[0][0], s[1][1] - s[0][1]),
    )
    preferred = -1.0 if control_action else 1.0
    half_w, half_h = width / 2, height / 2
    if far:
        plan = [(segment, _FAR_FRACTIONS) for segment in segments]
        steps = _FAR_STEPS
    else:  # the longest segment at three places, the next at its middle
        plan = [(segments[0], _FRACTIONS), *((segment, (0.5,)) for segment in segments[1:2])]
        steps = (0.0,)
    for step in steps:
        for ((x1, y1), (x2, y2)), fractions in plan:
            vertical = abs(x1 - x2) < abs(y1 - y2)
            for fraction in fractions:
                ax = x1 + (x2 - x1) * fraction
                ay = y1 + (y2 - y1) * fraction
                for side in (preferred, -preferred):
                    if vertical:
                        cx, cy = ax + side * (half_w + 4 + step), ay
                    else:
                        cx, cy = ax, ay + side * (half_h + 3 + step)
                    yield (cx + nudge_x - half_w, cy + nudge_y - half_h, width, height)


#: A leader line: from the route to the label's border.
Leader = tuple[Point, Point]


def leader_line(box: Rect, points: Sequence[Point]) -> Leader | None:
    """The line tying a label placed away from its link to it: from the route's point
    nearest the label's centre to the label's border; None when the route passes within
    :data:`LEADER_FROM` of the label."""
    if len(points) < 2:
        return None
    x, y, width, height = box
    reach = (x - LEADER_FROM, y - LEADER_FROM, x + width + LEADER_FROM, y + height + LEADER_FROM)
    left, top, right, bottom = reach
    for segment in itertools.pairwise(points):
        (x1, y1), (x2, y2) = segment
        if x1 == x2 or y1 == y2:  # a box test is exact for a straight line
            across = min(x1, x2) <= right and left <= max(x1, x2)
            if across and min(y1, y2) <= bottom and top <= max(y1, y2):
                return None
        elif _segment_meets(segment, reach):
            return None
    cx, cy = x + width / 2, y + height / 2
    anchor, nearest = points[0], math.inf
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        dx, dy = x2 - x1, y2 - y1
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else min(1.0, max(0.0, ((cx - x1) * dx + (cy - y1) * dy) / length))
        px, py = x1 + t * dx, y1 + t * dy
        distance = (px - cx) ** 2 + (py - cy) ** 2
        if distance < nearest:
            anchor, nearest = (px, py), distance
    ax, ay = anchor
    return (anchor, (min(max(ax, x), x + width), min(max(ay, y), y + height)))


class ShapeIndex:
    """Rectangles by where they lie: a uniform grid for the many small ones, an R-tree for
    the few large ones.

    A diagram is mostly boxes and segments a few grid cells long, which a grid finds in a
    couple of dictionary look-ups (an R-tree query through ctypes costs several times more,
    and a crowded diagram asks hundreds of thousands). A shape spanning more than
    :data:`MAX_CELLS` cells goes to the R-tree instead, so no shape, however large (a
    component a million pixels wide), costs more than one entry.
    """

    MAX_CELLS = 128

    def __init__(self, width: float, height: float) -> None:
        #: the grid's cells are ``width`` by ``height``
        self.cell_x, self.cell_y = width, height
        #: the shapes in each grid cell: left, top, right, bottom, and the segment's ends
        #: for a slanted one
        self.cells: dict[tuple[int, int], list[Shape]] = {}
        #: the large shapes, by their number in the R-tree
        self.large: list[Shape] = []
        self._tree: Index | None = None  # made for the first large shape

    def add(self, shape: Shape) -> None:
        """Index ``shape``."""
        left, top, right, bottom, _segment = shape
        cell_x, cell_y = self.cell_x, self.cell_y
        span = (right - left) * (bottom - top)
        if not math.isfinite(span) or span > self.MAX_CELLS * cell_x * cell_y / 4:
            if self._tree is None:
                # rtree (libspatialindex) loads only when a diagram has such a shape: most
                # never do, and every export and window would pay for the import
                from rtree.index import Index

                self._tree = Index()
            self._tree.insert(len(self.large), (left, top, right, bottom))
            self.large.append(shape)
            return
        rows = range(math.floor(top / cell_y), math.floor(bottom / cell_y) + 1)
        cells = self.cells
        for column in range(math.floor(left / cell_x), math.floor(right / cell_x) + 1):
            for row in rows:
                found = cells.get((column, row))
                if found is None:
                    cells[(column, row)] = [shape]
                else:
                    found.append(shape)

    def touches(self, x: float, y: float, right: float, bottom: float) -> bool:
        """Whether any shape shares area with the rectangle: the placer's hot question, so
        the look-ups are written out here rather than built on :meth:`near`."""
        cell_x, cell_y = self.cell_x, self.cell_y
        cells = self.cells
        floor = math.floor
        first_row, last_row = floor(y / cell_y), floor(bottom / cell_y) + 1
        for column in range(floor(x / cell_x), floor(right / cell_x) + 1):
            for row in range(first_row, last_row):
                found = cells.get((column, row))
                if not found:
                    continue
                for left, top, o_right, o_bottom, segment in found:
                    if (
                        x < o_right
                        and left < right
                        and y < o_bottom
                        and top < bottom
                        and (segment is None or _segment_meets(segment, (x, y, right, bottom)))
                    ):
                        return True
        if self._tree is not None:
            for shape in self.near_large(x, y, right, bottom):
                left, top, o_right, o_bottom, segment = shape
                if (
                    x < o_right
                    and left < right
                    and y < o_bottom
                    and top < bottom
                    and (segment is None or _segment_meets(segment, (x, y, right, bottom)))
                ):
                    return True
        return False

    def near_large(self, left: float, top: float, right: float, bottom: float) -> list[Shape]:
        """The large shapes whose boxes meet the rectangle."""
        if self._tree is None:
            return []
        large = self.large
        return [large[n] for n in self._tree.intersection((left, top, right, bottom))]

    def near(self, left: float, top: float, right: float, bottom: float) -> list[list[Shape]]:
        """Groups of the shapes whose cells or boxes meet the rectangle (a shape may be in
        several)."""
        cell_x, cell_y = self.cell_x, self.cell_y
        cells = self.cells
        rows = range(math.floor(top / cell_y), math.floor(bottom / cell_y) + 1)
        groups = []
        for column in range(math.floor(left / cell_x), math.floor(right / cell_x) + 1):
            for row in rows:
                found = cells.get((column, row))
                if found:
                    groups.append(found)
        if self._tree is not None:
            groups.append(self.near_large(left, top, right, bottom))
        return groups


class FreeRoom:
    """Where a label fits: the diagram as rows of square cells, each row's taken cells the
    bits of one integer, so a row is searched for a free run of cells in a few integer
    operations, whatever its length.

    Every shape marks every cell it reaches (a slanted line row by row), so a place whose
    cells are all free touches nothing. The rows reach ``margin`` beyond the shapes' bounds
    (``within``, if given, instead), where room is free. Unless ``filled``, the shapes are
    marked by :meth:`filling`, a piece at a time.
    """

    def __init__(
        self,
        shapes: Sequence[Shape],
        margin: float,
        within: Rect | None = None,
        *,
        filled: bool = True,
    ) -> None:
        finite = [s for s in shapes if all(map(math.isfinite, s[:4]))]
        #: the shapes' bounds (left, top, right, bottom): beyond them room is free
        self.bounds = (
            min((s[0] for s in finite), default=0.0),
            min((s[1] for s in finite), default=0.0),
            max((s[2] for s in finite), default=0.0),
            max((s[3] for s in finite), default=0.0),
        )
        if within is not None:
            x, y, width, height = within
            left, top, right, bottom = x, y, x + width, y + height
        else:
            left, top, right, bottom = self.bounds
            left, top, right, bottom = left - margin, top - margin, right + margin, bottom + margin
        # fine enough to miss little room, coarse enough that rows stay a few thousand
        # cells long in any diagram
        extent = max(right - left, bottom - top)
        self.cell = cell = float(max(ROOM_CELL, math.ceil(extent / 2_000)))
        self.left, self.top = math.floor(left), math.floor(top)
        self.columns = max(1, math.ceil((right - self.left) / cell))
        self.rows = [0] * max(1, math.ceil((bottom - self.top) / cell))
        #: per height in cells: each row's taken cells or those of the rows below it
        self._bands: dict[int, list[int]] = {}
        self._shapes = shapes
        if filled:
            for _ in self.filling():
                pass

    def filling(self) -> Iterator[None]:
        """Mark the shapes' cells, pausing after every few thousand."""
        tall = []
        cell = self.cell
        for count, shape in enumerate(self._shapes, start=1):
            left, top, right, bottom, segment = shape
            if segment is None and bottom - top > 3 * (right - left) + 3 * cell:
                tall.append(shape)  # a vertical line: by its columns, not its many rows
            else:
                self.mark(shape)
            if count % _FILL_STEP == 0:
                yield None
        yield from self._sweep(tall)

    def row(self, y: float) -> int:
        """The row holding ``y`` (the nearest one, beyond the rows)."""
        return min(len(self.rows) - 1, max(0, math.floor((y - self.top) / self.cell)))

    def column(self, x: float) -> int:
        """The column holding ``x`` (the nearest one, beyond the rows)."""
        return min(self.columns - 1, max(0, math.floor((x - self.left) / self.cell)))

    def _span(self, shape: Shape) -> tuple[int, int, int, int] | None:
        """The columns and rows ``shape``'s box reaches, or None when it lies beside them."""
        left, top, right, bottom, _segment = shape
        if right < self.left or bottom < self.top:
            return None
        if left > self.left + self.columns * self.cell:
            return None
        if top > self.top + len(self.rows) * self.cell:
            return None
        return self.column(left), self.column(right), self.row(top), self.row(bottom)

    def mark(self, shape: Shape) -> None:
        """Mark the cells ``shape`` reaches as taken."""
        span = self._span(shape)
        if span is None:
            return
        first_column, last_column, first, last = span
        left, top, right, bottom, segment = shape
        if segment is None:
            bits = ((1 << (last_column - first_column + 1)) - 1) << first_column
            if self._bands:
                for row in range(first, last + 1):
                    self._set(row, bits)
            else:
                rows = self.rows
                for row in range(first, last + 1):
                    rows[row] |= bits
            return
        (x1, y1), (x2, y2) = segment  # slanted: the stretch of x it covers in each row
        grow = (right - left - abs(x2 - x1)) / 2  # its margin
        cell = self.cell
        for row in range(first, last + 1):
            low = max(top, self.top + row * cell)
            high = min(bottom, self.top + (row + 1) * cell)
            at_low = x1 + (x2 - x1) * min(1.0, max(0.0, (low - y1) / (y2 - y1)))
            at_high = x1 + (x2 - x1) * min(1.0, max(0.0, (high - y1) / (y2 - y1)))
            a = self.column(min(at_low, at_high) - grow)
            b = self.column(max(at_low, at_high) + grow)
            self._set(row, ((1 << (b - a + 1)) - 1) << a)

    def _set(self, row: int, bits: int) -> None:
        self.rows[row] |= bits
        for down, bands in self._bands.items():
            for above in range(max(0, row - down + 1), row + 1):
                bands[above] |= bits

    def _sweep(self, tall: Iterable[Shape]) -> Iterator[None]:
        """Mark the cells of boxes much taller than wide (vertical lines) column by column,
        row by row from the top: each row costs the boxes that begin or end in it (pausing
        after every few hundred rows)."""
        starts: dict[int, list[tuple[int, int]]] = {}
        ends: dict[int, list[tuple[int, int]]] = {}
        for shape in tall:
            span = self._span(shape)
            if span is not None:
                first_column, last_column, first, last = span
                starts.setdefault(first, []).append((first_column, last_column))
                ends.setdefault(last + 1, []).append((first_column, last_column))
        if not starts:
            return
        counts = [0] * self.columns
        running = 0
        rows = self.rows
        for row in range(min(starts), len(rows)):
            for first, last in ends.get(row, ()):
                for column in range(first, last + 1):
                    counts[column] -= 1
                    if not counts[column]:
                        running &= ~(1 << column)
            for first, last in starts.get(row, ()):
                for column in range(first, last + 1):
                    counts[column] += 1
                    running |= 1 << column
            if running:
                rows[row] |= running
            if row % _SWEEP_STEP == 0:
                yield None

    def _band(self, down: int) -> list[int]:
        """Each row's taken cells or those of the ``down - 1`` rows below it."""
        bands = self._bands.get(down)
        if bands is None:
            rows = self.rows
            bands = self._bands[down] = rows[:]
            for offset in range(1, down):
                for row in range(len(rows) - offset):
                    bands[row] |= rows[row + offset]
        return bands

    def nearest(self, rect: Rect, reach: int) -> tuple[tuple[float, float] | None, int]:
        """The move (x, y) by whole cells that takes ``rect`` to the nearest place, at most
        ``reach`` rows up or down, where a rectangle of its size covers free cells only
        (None when there is none there), and how many rows were searched."""
        x, y, width, height = rect
        cell, count = self.cell, len(self.rows)
        # the cells a rectangle covers, moved by whole cells, are those it covers here, moved
        start_x, start_y = (x - self.left) / cell, (y - self.top) / cell
        column, row = math.floor(start_x), math.floor(start_y)
        across = math.ceil(start_x - column + width / cell)
        down = math.ceil(start_y - row + height / cell)
        starts = self.columns - across + 1  # columns a place may start at
        if starts <= 0 or down > count:
            return None, 0
        shifts = []  # a start is taken if any of the ``across`` cells from it is
        done = 1
        while done < across:
            shifts.append(min(done, across - done))
            done += shifts[-1]
        bands = self._band(down)
        everywhere = (1 << starts) - 1
        from_column = min(max(column, 0), starts)
        below_column = (1 << from_column) - 1
        best: tuple[int, int] | None = None
        best_distance = count * count + self.columns * self.columns  # squared, in cells
        last_row = count - down
        searched = 0
        for step in range(reach + 1):
            if step * step >= best_distance:
                break
            for top in (row + step, row - step) if step else (row,):
                if not 0 <= top <= last_row:
                    continue
                searched += 1
                covered = bands[top]
                for shift in shifts:
                    covered |= covered >> shift
                free = ~covered & everywhere
                if not free:
                    continue
                after = free >> from_column
                if after:
                    start = from_column + (after & -after).bit_length() - 1 - column
                    distance = start * start + step * step
                    if distance < best_distance:
                        best, best_distance = (start, top - row), distance
                before = free & below_column
                if before:
                    start = before.bit_length() - 1 - column
                    distance = start * start + step * step
                    if distance < best_distance:
                        best, best_distance = (start, top - row), distance
        if best is None:
            return None, searched
        return (best[0] * cell, best[1] * cell), searched


class LabelPlacer:
    """What labels must not cover (components, segments, arrow heads, labels placed so far).

    Rectangles are compared as ``QRectF.intersects`` compares them: edges that only touch do
    not collide. Slanted segments are tested exactly, not by their bounding box.
    """

    def __init__(
        self,
        components: Iterable[Rect] = (),
        routes: Iterable[Sequence[Point]] = (),
        within: Rect | None = None,
    ) -> None:
        """``within``: where the obstacles are known (all of them when None), and so where
        :meth:`place_free` may look."""
        #: boxes (components, arrow heads, labels, leaders), and the thin lines of the
        #: routes apart: a leader line may cross lines, so it asks about the boxes alone
        self._solid = ShapeIndex(80.0, 80.0)
        # lines in cells long along them: a long segment takes a few cells, not hundreds
        self._across = ShapeIndex(960.0, 40.0)
        self._down = ShapeIndex(40.0, 960.0)
        self._slanted = ShapeIndex(240.0, 240.0)
        self._indexes = (self._solid, self._across, self._down, self._slanted)
        #: every shape indexed, for the free room, made for the first crowded label
        self._shapes: list[Shape] = []
        self._room: FreeRoom | None = None
        self._within = within
        #: rows the free room may still search, and how far out beyond each edge of the
        #: diagram (by row or column of the room) labels were put
        self._room_budget = ROOM_BUDGET
        self._skyline: dict[str, list[float]] = {}
        for box in components:
            self.add_component(box)
        for points in routes:
            self.add_route(points)
        #: far places still to try in this diagram (a crowded one has none to offer)
        self._far_budget = FAR_BUDGET

    def add_component(self, box: Rect) -> None:
        """Keep labels off a component's ``box`` (with a margin); the obstacles may be added
        a few at a time (a window builds a big diagram's index between events)."""
        x, y, w, h = box
        m = COMPONENT_MARGIN
        self._add(self._solid, (x - m, y - m, x + w + m, y + h + m, None))

    def _add(self, index: ShapeIndex, shape: Shape, room: bool = True) -> None:
        """Index ``shape``, and mark it in the free room (unless not ``room``) while the
        room is still searched."""
        index.add(shape)
        self._shapes.append(shape)
        searched = self._room_budget > 0 or self._within is not None
        if room and self._room is not None and searched:
            self._room.mark(shape)

    def add_route(self, points: Sequence[Point]) -> None:
        """Keep labels off a route's segments and arrow head."""
        m = SEGMENT_MARGIN
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            left, right = (x1, x2) if x1 <= x2 else (x2, x1)
            top, bottom = (y1, y2) if y1 <= y2 else (y2, y1)
            if y1 == y2:
                self._add(self._across, (left - m, top - m, right + m, bottom + m, None))
            elif x1 == x2:
                self._add(self._down, (left - m, top - m, right + m, bottom + m, None))
            else:
                segment = ((x1, y1), (x2, y2))
                self._add(self._slanted, (left - m, top - m, right + m, bottom + m, segment))
        if len(points) >= 2:  # the arrow head, wider than the line
            tip, before = points[-1], points[-2]
            xs, ys = zip(*arrow_head(tip, before), strict=True)
            self._add(self._solid, (min(xs), min(ys), max(xs), max(ys), None))

    def leader_clear(self, segment: tuple[Point, Point] | None) -> bool:
        """Whether a leader line (None: no leader) passes over no component, arrow head or
        label (it may cross other links' lines, as a callout does). Its first few pixels
        are left out: the route it starts from may run along a component's border."""
        if segment is None:
            return True
        (x1, y1), (x2, y2) = segment
        length = math.hypot(x2 - x1, y2 - y1)
        if length <= _LEADER_START:
            return True
        t = _LEADER_START / length
        x1, y1 = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
        segment = ((x1, y1), (x2, y2))
        left, right = (x1, x2) if x1 <= x2 else (x2, x1)
        top, bottom = (y1, y2) if y1 <= y2 else (y2, y1)
        for group in self._solid.near(left, top, right, bottom):
            for shape in group:
                o_left, o_top, o_right, o_bottom, _segment = shape
                if _segment_meets(segment, (o_left, o_top, o_right, o_bottom)):
                    return False
        return True

    def hits(self, rect: Rect, segments: bool = True) -> int:
        """How many obstacles ``rect`` ``(x, y, width, height)`` touches (not counting the
        routes' segments unless ``segments``)."""
        x, y, w, h = rect
        right, bottom = x + w, y + h
        counted: set[int] = set()
        for index in self._indexes if segments else self._indexes[:1]:
            for group in index.near(x, y, right, bottom):
                for shape in group:
                    left, top, o_right, o_bottom, segment = shape
                    if not (x < o_right and left < right and y < o_bottom and top < bottom):
                        continue
                    if segment is not None and not _segment_meets(segment, (x, y, right, bottom)):
                        continue
                    counted.add(id(shape))
        return len(counted)

    def free(self, rect: Rect, segments: bool = True) -> bool:
        """Whether ``rect`` touches nothing (no segment either, unless not ``segments``)."""
        return self._free_of(rect, self._indexes if segments else self._indexes[:1])

    def _free_of(self, rect: Rect, indexes: Sequence[ShapeIndex]) -> bool:
        x, y, w, h = rect
        right, bottom = x + w, y + h
        for index in indexes:
            if (index.cells or index.large) and index.touches(x, y, right, bottom):
                return False
        return True

    def occupy(self, rect: Rect, margin: float = LABEL_MARGIN) -> None:
        """Keep ``rect`` (grown by ``margin``) free from now on."""
        x, y, w, h = rect
        self._add(self._solid, (x - margin, y - margin, x + w + margin, y + h + margin, None))

    def place(
        self, candidates: Iterable[Rect], far: Iterable[Rect] = (), route: Sequence[Point] = ()
    ) -> Rect | None:
        """A label's free place by its link (:meth:`search`), taken (:meth:`take`); None
        when every one is taken (then :meth:`place_free` finds it one)."""
        chosen = self.search(candidates, far, route)
        if chosen is not None:
            self.take(chosen, route)
        return chosen

    def search(
        self, candidates: Iterable[Rect], far: Iterable[Rect] = (), route: Sequence[Point] = ()
    ) -> Rect | None:
        """A free place for a label by its link: the first near candidate that touches
        nothing, else the first such far one (while the diagram's budget of far places
        lasts) whose leader line to ``route`` (:func:`leader_line`) passes over no component
        or label; None when none is free."""
        for rect in candidates:
            if self.free(rect):
                return rect
        tried = 0
        for rect in far:
            if tried >= self._far_budget:
                break
            tried += 1
            if self.free(rect) and self.leader_clear(leader_line(rect, route)):
                return rect  # found: its tries cost the budget nothing
        self._far_budget -= tried
        return None

    def preparing(self) -> Iterator[None]:
        """Make the free room :meth:`place_free` looks in now, a piece at a time (a caller
        may pause after each): a big diagram's takes a while."""
        if self._room is None:
            room = FreeRoom(self._shapes, FREE_MARGIN, self._within, filled=False)
            yield from room.filling()
            self._room = room

    def place_free(self, rect: Rect, route: Sequence[Point] = ()) -> Rect:
        """The free place nearest ``rect`` (a label's first place by its link, all of them
        taken), taken with its leader line to ``route``.

        Found in the :class:`FreeRoom` of everything placed so far, beyond the diagram if
        need be, where room is always free: the label never covers anything, though its
        leader may cross lines, components and labels (preferring places whose leader
        crosses none made the leaders longer and crossed as many). Only where the placer
        knows a part of the diagram (``within``) and it is full does the label take
        ``rect`` itself.
        """
        if self._room is None:
            self._room = FreeRoom(self._shapes, FREE_MARGIN, self._within)
        room = self._room
        x, y, width, height = rect
        while self._room_budget > 0 or self._within is not None:
            reach = len(room.rows) if self._within is not None else ROOM_REACH
            move, searched = room.nearest(rect, reach)
            self._room_budget -= searched
            if move is None:
                break
            place = (x + move[0], y + move[1], width, height)
            if self.free(place):
                self.take(place, route)
                return place
            # the cells missed a slanted line's margin by a hair: never offer them again
            room.mark((place[0], place[1], place[0] + width, place[1] + height, None))
        if self._within is not None:
            self.take(rect, route)
            return rect
        return self._beyond(rect, route)

    def _beyond(self, rect: Rect, route: Sequence[Point]) -> Rect:
        """A free place for ``rect`` beyond an edge of the diagram, outside the labels put
        beyond it there before and their leader lines, taken: the nearest of the places
        straight out from it or a few label lengths along the edge, so the labels beyond an
        edge lie side by side in a few rows rather than piled up far out."""
        assert self._room is not None
        room = self._room
        left, top, right, bottom = room.bounds
        x, y, width, height = rect
        gap = COMPONENT_MARGIN + 2 * LABEL_MARGIN
        if not self._skyline:
            across = [0.0] * (room.columns // _EDGE_CELLS + 1)
            down = [0.0] * (len(room.rows) // _EDGE_CELLS + 1)
            self._skyline = {"top": across, "bottom": across[:], "left": down, "right": down[:]}
        shifts = sorted(range(-_EDGE_SLIDE, _EDGE_SLIDE + 1), key=abs)
        nearest = {  # how far out each edge is, for a place straight out
            "top": y + height - top + gap,
            "bottom": bottom + gap - y,
            "left": x + width - left + gap,
            "right": right + gap - x,
        }
        scale = room.cell * _EDGE_CELLS  # a step of the skylines
        best_distance, best_side, best_start, best_depth = math.inf, "top", x, 0.0
        for side in sorted(nearest, key=nearest.__getitem__):
            sideways = side in ("left", "right")
            line = self._skyline[side]
            last_step = len(line) - 1
            # along the top and bottom edges within their ends, along the sides between
            # them, so labels beyond two edges never meet at a corner
            if sideways:
                anchor, size, low, high, origin = y, height, top, bottom - height, room.top
            else:
                anchor, size, low, high, origin = x, width, left, right - width, room.left
            along = min(max(anchor, low), max(low, high))
            step = size + gap
            for shift in shifts:
                if nearest[side] + (abs(shift) - 1) * step >= best_distance:
                    break  # farther along the edge than the best place found
                start = min(max(along + shift * step, low), high)
                first = min(last_step, max(0, math.floor((start - origin) / scale)))
                last = min(last_step, max(0, math.floor((start + size - origin) / scale)))
                depth = max(line[first : last + 1])
                # each row out costs more than its height along the edge: a few rows
                distance = nearest[side] + abs(start - anchor) + _DEPTH_COST * depth
                if distance < best_distance:
                    best_distance, best_side, best_start, best_depth = distance, side, start, depth
        side, start, depth = best_side, best_start, best_depth
        if side == "top":
            place = (start, top - gap - depth - height, width, height)
        elif side == "bottom":
            place = (start, bottom + gap + depth, width, height)
        elif side == "left":
            place = (left - gap - depth - width, start, width, height)
        else:
            place = (right + gap + depth, start, width, height)
        sideways = side in ("left", "right")
        out = -1.0 if side in ("top", "left") else 1.0
        while not self.free(place):  # a label placed near its link, or its leader, is there
            if sideways:
                place = (place[0] + out * (width + gap), place[1], width, height)
            else:
                place = (place[0], place[1] + out * (height + gap), width, height)
        self.occupy(place)
        leader = leader_line(place, route)
        if leader is not None:
            self.take_leader(leader)
        # farther out along the edge, up to this label, nothing goes any more: neither
        # where the label lies nor where its leader passes beyond the edge
        px, py = place[0], place[1]
        depth = {
            "top": top - py,
            "bottom": py + height - bottom,
            "left": left - px,
            "right": px + width - right,
        }[side]
        cells: Callable[[float], int]
        if sideways:
            low, high = py, py + height
            cells = room.row
        else:
            low, high = px, px + width
            cells = room.column
        if leader is not None:
            (ax, ay), (bx, by) = leader
            edge = {"top": top, "bottom": bottom, "left": left, "right": right}[side]
            if sideways and ax != bx:
                crossing = ay + (by - ay) * min(1.0, max(0.0, (edge - ax) / (bx - ax)))
                low, high = min(low, crossing, by), max(high, crossing, by)
            elif not sideways and ay != by:
                crossing = ax + (bx - ax) * min(1.0, max(0.0, (edge - ay) / (by - ay)))
                low, high = min(low, crossing, bx), max(high, crossing, bx)
        line = self._skyline[side]
        first, last = cells(low) // _EDGE_CELLS, cells(high) // _EDGE_CELLS + 1
        line[first:last] = [max(depth, was) for was in line[first:last]]
        return place

    def take(self, rect: Rect, route: Sequence[Point] = ()) -> None:
        """Keep a label's place ``rect`` free from now on, and its leader line to ``route``
        (if it has one) with the boxes: no label, not even one that finds no free place,
        covers it, and no other leader crosses it."""
        self.occupy(rect)
        leader = leader_line(rect, route)
        if leader is not None:
            self.take_leader(leader)

    def take_leader(self, leader: Leader) -> None:
        """Keep a leader line free from now on."""
        (x1, y1), (x2, y2) = leader
        m = SEGMENT_MARGIN
        left, right = (x1, x2) if x1 <= x2 else (x2, x1)
        top, bottom = (y1, y2) if y1 <= y2 else (y2, y1)
        slanted = leader if x1 != x2 and y1 != y2 else None
        # not in the free room: a long slanted line takes many rows there, and a place the
        # room offers across it is refused by :meth:`free` and marked then
        self._add(self._solid, (left - m, top - m, right + m, bottom + m, slanted), room=False)


#: An indexed shape: left, top, right, bottom, and a slanted segment's ends (else None).
Shape = tuple[float, float, float, float, tuple[Point, Point] | None]


def _segment_meets(segment: tuple[Point, Point], rect: tuple[float, ...]) -> bool:
    """Whether a slanted segment (with the segment margin) passes through ``rect``."""
    left, top, right, bottom = rect
    m = SEGMENT_MARGIN
    return segment_meets_rect(segment, left - m, top - m, right + m, bottom + m)


#: What :func:`arrange` needs of a label: its key, its places by its link (``far``: the
#: farther ones), and its link's route.
LabelJob = tuple[K, Callable[[bool], Iterable[Rect]], Sequence[Point]]


def arrange(placer: LabelPlacer, jobs: Iterable[LabelJob[K]]) -> Iterator[tuple[K, Rect | None]]:
    """Every label placed, in two rounds: first each label that has a free place by its link
    (near, then far), in the given order; then each of the others, in the same order, at the
    free place nearest its first place by its link (:meth:`LabelPlacer.place_free`).

    Yields each label's key and place as it is found: in the first round None for a label
    left for the second (a caller may pause after each), which then yields its place.
    Labels with no place at all (no text, or no route) are left out of the second round.
    """
    crowded = []
    for key, candidates, route in jobs:
        rect = placer.place(candidates(False), candidates(True), route)
        if rect is None:
            crowded.append((key, candidates, route))
        yield key, rect
    for key, candidates, route in crowded:
        first = next(iter(candidates(False)), None)
        if first is not None:
            yield key, placer.place_free(first, route)


def place_labels(
    components: Iterable[Rect],
    routes: Mapping[str, Route],
    labels: Mapping[str, tuple[Sequence[str], bool]],
    layouts: Mapping[str, LinkLayout],
    borders: Iterable[Sequence[Point]] = (),
) -> dict[str, Label]:
    """Every link's label placed (:func:`arrange`): ``labels`` maps a link id, in document
    order, to its items' names and whether it is a control action; ``borders``: more lines
    labels keep off (the outlines of frames)."""
    lines_to_avoid = [*(route.points for route in routes.values()), *borders]
    placer = LabelPlacer(components, lines_to_avoid)
    jobs = []
    texts = {}
    for link_id, (names, control_action) in labels.items():
        route = routes.get(link_id)
        if not names or route is None:
            continue
        lines = texts[link_id] = label_lines(names)
        candidates = functools.partial(
            label_candidates, route.points, label_size(lines), control_action, layouts.get(link_id)
        )
        jobs.append((link_id, candidates, route.points))
    placed = {}
    waiting = set()  # the labels left for the second round
    for link_id, rect in arrange(placer, jobs):
        if rect is None:
            waiting.add(link_id)
            continue
        leader = leader_line(rect, routes[link_id].points)
        text = label_text(rect, texts[link_id])
        placed[link_id] = Label(Box(*rect), text, leader, crowded=link_id in waiting)
    return placed
