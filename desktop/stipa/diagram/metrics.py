"""Quality figures of a laid-out diagram: overlaps, control direction, crossings, bends, area."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise

import igraph

from stipa.diagram.layout import Box
from stipa.model import DocumentView, LinkKind

__all__ = ["Drawing", "Metrics", "drawing_of", "measure"]

Point = tuple[float, float]

#: Widest a link label gets before it wraps, and the estimated size of its text (DejaVu Sans
#: at 8 pt averages about 5.6 px a character, one line 13 px high), as on the canvas.
LABEL_WIDTH = 190.0
_CHAR_WIDTH = 5.6
_LINE_HEIGHT = 13.0
#: How far apart the elbows of links sharing a side are staggered, as on the canvas.
_STAGGER = 7.0


@dataclass(frozen=True, slots=True)
class Drawing:
    """What a diagram draws: component boxes, link polylines and label boxes (by id), with
    each link's kind and ends."""

    boxes: Mapping[str, Box]
    routes: Mapping[str, tuple[Point, ...]]
    labels: Mapping[str, Box]
    kinds: Mapping[str, LinkKind]
    ends: Mapping[str, tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Metrics:
    """The quality figures of one drawing."""

    components: int
    links: int
    #: pairs of components whose boxes share area
    component_overlaps: int
    #: labels overlapping a component, another label, or a segment of another link
    label_overlaps: int
    control_actions: int
    #: control actions whose target lies below their source
    control_down: int
    #: whether the control actions form no cycle (then all of them can point down)
    control_acyclic: bool
    #: proper crossings between segments of different links
    crossings: int
    #: corners along the links' routes
    bends: int
    #: width times height of the bounding box of components and labels, in square pixels
    area: float

    @property
    def control_down_share(self) -> float:
        """Share of control actions pointing down (1.0 when there are none)."""
        return self.control_down / self.control_actions if self.control_actions else 1.0


def _label_size(text: str) -> tuple[float, float]:
    """Estimated size of a label box: wrapped at ``LABEL_WIDTH``, padded as on the canvas."""
    width = min(len(text) * _CHAR_WIDTH + 10, LABEL_WIDTH)
    per_line = max(1, int((LABEL_WIDTH - 8) // _CHAR_WIDTH))
    lines = max(1, math.ceil(len(text) / per_line)) if width >= LABEL_WIDTH else 1
    return width, lines * _LINE_HEIGHT + 4


def _sides(a: Box, b: Box) -> tuple[str, str]:
    """The sides a link leaves ``a`` and enters ``b`` by, as the canvas chooses them."""
    down = a.y + a.height / 2 < b.y + b.height / 2
    gap = b.y - (a.y + a.height) if down else a.y - (b.y + b.height)
    if gap > 10:
        return ("bottom", "top") if down else ("top", "bottom")
    return ("right", "left") if a.x + a.width / 2 < b.x + b.width / 2 else ("left", "right")


def _port(box: Box, side: str, index: int, count: int) -> Point:
    fraction = (index + 1) / (count + 1)
    if side == "top":
        return box.x + box.width * fraction, box.y
    if side == "bottom":
        return box.x + box.width * fraction, box.y + box.height
    if side == "left":
        return box.x, box.y + box.height * fraction
    return box.x + box.width, box.y + box.height * fraction


def drawing_of(document: DocumentView) -> Drawing:
    """The drawing of ``document`` as the canvas routes it by default: orthogonal elbows
    between ports spread along each side (ordered by where the other end lies, a control
    action left of the feedback closing its loop), each label beside its longest segment
    where it hits no component and no earlier label."""
    layouts = document.node_layout
    boxes = {
        cid: Box(layout.x, layout.y, layout.width, layout.height)
        for cid, layout in layouts.items()
        if cid in document.components
    }
    links = [
        link for link in document.links.values() if link.source in boxes and link.target in boxes
    ]
    sides = {link.id: _sides(boxes[link.source], boxes[link.target]) for link in links}
    groups: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for link in links:
        for owner, other, side in (
            (link.source, link.target, sides[link.id][0]),
            (link.target, link.source, sides[link.id][1]),
        ):
            box = boxes[other]
            along = box.x + box.width / 2 if side in ("top", "bottom") else box.y + box.height / 2
            rank = 0 if link.kind == LinkKind.CONTROL_ACTION else 1
            groups.setdefault((owner, side), []).append((along, rank, link.id))
    ports: dict[tuple[str, str], tuple[int, int]] = {}
    for (owner, _side), entries in groups.items():
        entries.sort()
        for number, (_along, _rank, link_id) in enumerate(entries):
            ports[(link_id, owner)] = (number, len(entries))
    routes: dict[str, tuple[Point, ...]] = {}
    for link in links:
        source_side, target_side = sides[link.id]
        index, count = ports[(link.id, link.source)]
        start = _port(boxes[link.source], source_side, index, count)
        end = _port(boxes[link.target], target_side, *ports[(link.id, link.target)])
        routes[link.id] = _elbow(start, end, source_side, (index - (count - 1) / 2) * _STAGGER)
    labels: dict[str, Box] = {}
    taken = list(boxes.values())
    for link in links:
        if not link.label:
            continue
        candidates = list(_label_candidates(routes[link.id], link.label, link.kind))
        free = (c for c in candidates if not any(c.overlaps(other) for other in taken))
        label = next(free, candidates[0])
        labels[link.id] = label
        taken.append(label)
    return Drawing(
        boxes=boxes,
        routes=routes,
        labels=labels,
        kinds={link.id: link.kind for link in links},
        ends={link.id: (link.source, link.target) for link in links},
    )


def _elbow(start: Point, end: Point, side: str, stagger: float) -> tuple[Point, ...]:
    (sx, sy), (ex, ey) = start, end
    if side in ("top", "bottom"):
        if abs(sx - ex) < 1:
            return start, end
        offset = -stagger if ex > sx else stagger
        mid = (sy + ey) / 2 + (-offset if side == "top" else offset)
        return start, (sx, mid), (ex, mid), end
    if abs(sy - ey) < 1:
        return start, end
    offset = -stagger if ey > sy else stagger
    mid = (sx + ex) / 2 + (-offset if side == "left" else offset)
    return start, (mid, sy), (mid, ey), end


def _label_candidates(route: tuple[Point, ...], text: str, kind: LinkKind) -> Iterator[Box]:
    width, height = _label_size(text)
    segments = sorted(pairwise(route), key=lambda s: -math.dist(*s))
    preferred = -1.0 if kind == LinkKind.CONTROL_ACTION else 1.0
    for (x1, y1), (x2, y2) in segments[:2]:
        vertical = abs(x1 - x2) < abs(y1 - y2)
        for fraction in (0.5, 0.3, 0.7):
            ax, ay = x1 + (x2 - x1) * fraction, y1 + (y2 - y1) * fraction
            for side in (preferred, -preferred):
                if vertical:
                    cx, cy = ax + side * (width / 2 + 4), ay
                else:
                    cx, cy = ax, ay + side * (height / 2 + 3)
                yield Box(cx - width / 2, cy - height / 2, width, height)


# --- measuring ---------------------------------------------------------------------------------

Extent = tuple[float, float, float, float]  # left, top, right, bottom
Key = tuple[str, str]  # ("box" or "label", id)


class _Grid:
    """Boxes filed by the square cells they touch, to find what lies near a box or segment."""

    def __init__(self, extents: Mapping[Key, Extent], cell: float) -> None:
        self.cell = cell
        self.extents = extents
        self.cells: dict[tuple[int, int], list[Key]] = {}
        for key, extent in extents.items():
            for cell_key in self.covered(extent):
                self.cells.setdefault(cell_key, []).append(key)

    def covered(self, extent: Extent) -> Iterator[tuple[int, int]]:
        left, top, right, bottom = extent
        size = self.cell
        for i in range(math.floor(left / size), math.floor(right / size) + 1):
            for j in range(math.floor(top / size), math.floor(bottom / size) + 1):
                yield i, j

    def near(self, extent: Extent) -> set[Key]:
        """Keys whose cells ``extent`` touches."""
        found: set[Key] = set()
        for cell_key in self.covered(extent):
            found.update(self.cells.get(cell_key, ()))
        return found


def _extent(box: Box) -> Extent:
    return box.x, box.y, box.x + box.width, box.y + box.height


def _segment_extent(segment: tuple[Point, Point]) -> Extent:
    (x1, y1), (x2, y2) = segment
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _cell_size(extents: Iterable[Extent]) -> float:
    """A grid cell: about a component, but no more than 256 cells across the drawing, so a
    long segment touches a bounded number of cells."""
    every = list(extents)
    if not every:
        return 200.0
    width = max(e[2] for e in every) - min(e[0] for e in every)
    height = max(e[3] for e in every) - min(e[1] for e in every)
    return max(200.0, width / 256, height / 256)


def _crosses(s: tuple[Point, Point], t: tuple[Point, Point]) -> bool:
    """Whether two segments cross properly (each strictly between the other's ends)."""

    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    (p1, p2), (q1, q2) = s, t
    return (
        orient(p1, p2, q1) * orient(p1, p2, q2) < 0 and orient(q1, q2, p1) * orient(q1, q2, p2) < 0
    )


def _crossings(routes: Mapping[str, tuple[Point, ...]]) -> int:
    """Proper crossings between segments of different links.

    Horizontal against vertical segments are counted by a sweep from left to right with a
    Fenwick tree over the heights of the horizontal segments open at each point; the rare
    slanted segment (a straight route) is tested against every other segment.
    """
    horizontal: list[tuple[float, float, float]] = []  # x1, x2, y
    vertical: list[tuple[float, float, float]] = []  # x, y1, y2
    slanted: list[tuple[str, tuple[Point, Point]]] = []
    every: list[tuple[str, tuple[Point, Point]]] = []
    for link_id, route in routes.items():
        for (x1, y1), (x2, y2) in pairwise(route):
            every.append((link_id, ((x1, y1), (x2, y2))))
            if y1 == y2 and x1 != x2:
                horizontal.append((min(x1, x2), max(x1, x2), y1))
            elif x1 == x2 and y1 != y2:
                vertical.append((x1, min(y1, y2), max(y1, y2)))
            elif (x1, y1) != (x2, y2):
                slanted.append((link_id, ((x1, y1), (x2, y2))))
    heights = sorted({y for _, _, y in horizontal})
    tree = [0] * (len(heights) + 1)

    def add(y: float, delta: int) -> None:
        i = bisect_left(heights, y) + 1
        while i < len(tree):
            tree[i] += delta
            i += i & -i

    def below(count_to: int) -> int:  # open horizontals among the first count_to heights
        total = 0
        while count_to > 0:
            total += tree[count_to]
            count_to -= count_to & -count_to
        return total

    # at one x: close, then query, then open, so touching ends never count
    events = [(x2, 0, y, 0.0) for x1, x2, y in horizontal]
    events += [(x, 1, y1, y2) for x, y1, y2 in vertical]
    events += [(x1, 2, y, 0.0) for x1, x2, y in horizontal]
    events.sort()
    crossings = 0
    for _x, kind, a, b in events:
        if kind == 0:
            add(a, -1)
        elif kind == 2:
            add(a, 1)
        else:
            crossings += below(bisect_left(heights, b)) - below(bisect_right(heights, a))
    for number, (link_id, segment) in enumerate(slanted):
        crossings += sum(
            1 for other_id, other in every if other_id != link_id and _crosses(segment, other)
        )
        # two slanted segments were both counted: once from each side
        crossings -= sum(
            1
            for other_id, other in slanted[:number]
            if other_id != link_id and _crosses(segment, other)
        )
    return crossings


def _segment_hits_box(segment: tuple[Point, Point], box: Box) -> bool:
    """Whether a segment passes through the inside of a box (Liang-Barsky clipping)."""
    (x1, y1), (x2, y2) = segment
    low, high = 0.0, 1.0
    dx, dy = x2 - x1, y2 - y1
    for p, q in (
        (-dx, x1 - box.x),
        (dx, box.x + box.width - x1),
        (-dy, y1 - box.y),
        (dy, box.y + box.height - y1),
    ):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return False
    return True


def measure(drawing: Drawing) -> Metrics:
    """The quality figures of ``drawing``."""
    boxes, labels, routes = drawing.boxes, drawing.labels, drawing.routes
    extents: dict[Key, Extent] = {("box", k): _extent(b) for k, b in boxes.items()}
    extents.update({("label", k): _extent(b) for k, b in labels.items()})
    grid = _Grid(extents, _cell_size(extents.values()))
    component_overlaps = 0
    label_overlaps: set[str] = set()
    for key, extent in extents.items():
        kind, name = key
        box = boxes[name] if kind == "box" else labels[name]
        for other in grid.near(extent):
            other_kind, other_name = other
            if other == key or (kind == "box" and other_kind == "label"):
                continue
            other_box = boxes[other_name] if other_kind == "box" else labels[other_name]
            if not box.overlaps(other_box):
                continue
            if kind == "box":
                component_overlaps += str(name) < str(other_name)
            else:
                label_overlaps.add(name)
    for link_id, route in routes.items():
        for segment in pairwise(route):
            for other in grid.near(_segment_extent(segment)):
                other_kind, other_name = other
                if (
                    other_kind == "label"
                    and other_name != link_id
                    and other_name not in label_overlaps
                ) and _segment_hits_box(segment, labels[other_name]):
                    label_overlaps.add(other_name)
    control = [k for k, kind in drawing.kinds.items() if kind == LinkKind.CONTROL_ACTION]
    down = 0
    for link_id in control:
        source, target = drawing.ends[link_id]
        a, b = boxes[source], boxes[target]
        down += a.y + a.height / 2 < b.y + b.height / 2
    every = list(extents.values())
    area = (
        (max(e[2] for e in every) - min(e[0] for e in every))
        * (max(e[3] for e in every) - min(e[1] for e in every))
        if every
        else 0.0
    )
    return Metrics(
        components=len(boxes),
        links=len(routes),
        component_overlaps=component_overlaps,
        label_overlaps=len(label_overlaps),
        control_actions=len(control),
        control_down=down,
        control_acyclic=_acyclic(drawing.ends[k] for k in control),
        crossings=_crossings(routes),
        bends=sum(max(0, len(route) - 2) for route in routes.values()),
        area=area,
    )


def _acyclic(edges: Iterable[tuple[str, str]]) -> bool:
    pairs = list(edges)
    names = {name: i for i, name in enumerate(dict.fromkeys(n for pair in pairs for n in pair))}
    graph = igraph.Graph(
        n=len(names), edges=[(names[a], names[b]) for a, b in pairs], directed=True
    )
    return bool(graph.is_dag())
