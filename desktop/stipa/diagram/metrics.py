"""Quality figures of a laid-out diagram: overlaps, control direction, crossings, bends, area."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise

import igraph
from rtree.index import Index

from stipa.diagram.geometry import Box, Point, segment_meets_rect
from stipa.diagram.scene import diagram_geometry
from stipa.model import Component, DocumentView, Link, LinkKind, LinkLayout, NodeLayout

__all__ = ["Drawing", "Metrics", "crowded_labels", "drawing", "drawing_of", "measure"]


@dataclass(frozen=True, slots=True)
class Drawing:
    """What a diagram draws: component boxes, link polylines and label boxes (by id), with
    each link's kind and ends."""

    boxes: Mapping[str, Box]
    routes: Mapping[str, tuple[Point, ...]]
    labels: Mapping[str, Box]
    kinds: Mapping[str, LinkKind]
    ends: Mapping[str, tuple[str, str]]
    #: each contained component's container: a container is drawn around what it holds, so
    #: the two do not count as overlapping, nor a label inside it as covering it
    parents: Mapping[str, str] = field(default_factory=dict)
    #: the links whose label found no free place by the link, so lies in the nearest free
    #: room, tied to it by a leader line (:func:`stipa.diagram.labels.arrange`)
    crowded: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Metrics:
    """The quality figures of one drawing."""

    components: int
    links: int
    #: pairs of components whose boxes share area, one containing the other not counted
    component_overlaps: int
    #: labels overlapping a component, another label, or a segment of another link
    label_overlaps: int
    control_actions: int
    #: control actions whose target lies below their source (a container lies at its top,
    #: its title bar, for the components it holds)
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


def drawing_of(document: DocumentView) -> Drawing:
    """The drawing of ``document`` as the canvas and the exports draw it
    (:func:`stipa.diagram.scene.diagram_geometry`)."""
    return drawing(document.components, document.links, document.node_layout, document.link_layout)


def drawing(
    components: Mapping[str, Component],
    links: Mapping[str, Link],
    node_layout: Mapping[str, NodeLayout],
    link_layout: Mapping[str, LinkLayout],
) -> Drawing:
    """:func:`drawing_of` a diagram given by its records (as a layout in progress has them)."""
    geometry = diagram_geometry(components, links, node_layout, link_layout)
    shapes = geometry.links
    return Drawing(
        boxes={cid: shape.box for cid, shape in geometry.components.items()},
        routes={lid: shape.route.points for lid, shape in shapes.items()},
        labels={lid: shape.label.box for lid, shape in shapes.items() if shape.label is not None},
        kinds={lid: shape.link.kind for lid, shape in shapes.items()},
        ends={lid: (shape.link.source, shape.link.target) for lid, shape in shapes.items()},
        parents={c.id: c.parent for c in components.values() if c.parent},
        crowded=frozenset(
            lid for lid, shape in shapes.items() if shape.label is not None and shape.label.crowded
        ),
    )


# --- measuring ---------------------------------------------------------------------------------

Extent = tuple[float, float, float, float]  # left, top, right, bottom


def _extent(box: Box) -> Extent:
    return box.x, box.y, box.x + box.width, box.y + box.height


def _segment_extent(segment: tuple[Point, Point]) -> Extent:
    (x1, y1), (x2, y2) = segment
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


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
    """Whether a segment passes through the inside of a box."""
    return segment_meets_rect(
        segment, box.x, box.y, box.x + box.width, box.y + box.height, inside_only=True
    )


def _rtree(extents: Iterable[Extent]) -> Index:
    """An R-tree of rectangles numbered in order: long segments cost one entry each."""
    entries = [(number, extent, None) for number, extent in enumerate(extents)]
    return Index(entries) if entries else Index()  # bulk loading refuses an empty stream


def crowded_labels(drawing: Drawing) -> set[str]:
    """The links whose label overlaps a component (not a container around it), another
    label, or a segment of another link."""
    boxes, labels = drawing.boxes, drawing.labels
    containers = set(drawing.parents.values())
    owners: list[tuple[str, str]] = []  # ("box", "label" or "segment", id) per entry
    extents: list[Extent] = []
    for kind, shapes in (("box", boxes), ("label", labels)):
        for key, box in shapes.items():
            if kind != "box" or key not in containers:
                owners.append((kind, key))
                extents.append(_extent(box))
    segments: dict[int, tuple[Point, Point]] = {}
    for link_id, route in drawing.routes.items():
        for segment in pairwise(route):
            segments[len(owners)] = segment
            owners.append(("segment", link_id))
            extents.append(_segment_extent(segment))
    index = _rtree(extents)
    crowded = set()
    for link_id, label in labels.items():
        for number in index.intersection(_extent(label)):
            kind, key = owners[number]
            if key == link_id:
                continue
            if kind == "segment":
                hit = _segment_hits_box(segments[number], label)
            else:
                hit = label.intersects(boxes[key] if kind == "box" else labels[key])
            if hit:
                crowded.add(link_id)
                break
    return crowded


def measure(drawing: Drawing) -> Metrics:
    """The quality figures of ``drawing``."""
    boxes, labels, routes = drawing.boxes, drawing.labels, drawing.routes
    names = list(boxes)
    component_overlaps = 0
    index = _rtree(_extent(boxes[key]) for key in names)
    for number, key in enumerate(names):
        box = boxes[key]
        for other in index.intersection(_extent(box)):
            other_key = names[other]
            if (
                other > number
                and box.intersects(boxes[other_key])
                and not _nested(drawing.parents, key, other_key)
            ):
                component_overlaps += 1
    control = [k for k, kind in drawing.kinds.items() if kind == LinkKind.CONTROL_ACTION]
    down = 0
    parents = drawing.parents
    for link_id in control:
        source, target = drawing.ends[link_id]
        down += _height(boxes, parents, source, target) < _height(boxes, parents, target, source)
    every = [_extent(box) for box in (*boxes.values(), *labels.values())]
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
        label_overlaps=len(crowded_labels(drawing)),
        control_actions=len(control),
        control_down=down,
        control_acyclic=_acyclic(drawing.ends[k] for k in control),
        crossings=_crossings(routes),
        bends=sum(max(0, len(route) - 2) for route in routes.values()),
        area=area,
    )


def _height(boxes: Mapping[str, Box], parents: Mapping[str, str], key: str, other: str) -> float:
    """Where a component lies, seen from ``other``: its centre, or its top (the title bar)
    if it holds ``other``."""
    box = boxes[key]
    return box.y if _inside(parents, other, key) else box.y + box.height / 2


def _inside(parents: Mapping[str, str], inner: str, outer: str) -> bool:
    """Whether ``outer`` contains ``inner`` (at any depth)."""
    current, seen = parents.get(inner, ""), set()
    while current and current not in seen:
        if current == outer:
            return True
        seen.add(current)
        current = parents.get(current, "")
    return False


def _nested(parents: Mapping[str, str], one: str, other: str) -> bool:
    """Whether one of the two components contains the other (at any depth)."""
    return _inside(parents, one, other) or _inside(parents, other, one)


def _acyclic(edges: Iterable[tuple[str, str]]) -> bool:
    pairs = list(edges)
    names = {name: i for i, name in enumerate(dict.fromkeys(n for pair in pairs for n in pair))}
    graph = igraph.Graph(
        n=len(names), edges=[(names[a], names[b]) for a, b in pairs], directed=True
    )
    return bool(graph.is_dag())
