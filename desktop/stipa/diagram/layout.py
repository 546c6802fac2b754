"""Automatic layout of a control structure by control authority, without Qt.

Controllers are placed above what they control, so control actions point down and feedback
points up (Leveson & Thomas, STPA Handbook, ch. 2). The levels come from the control actions
(and, more weakly, from feedback read backwards); information links never decide a level.
Nothing depends on a component's kind or nature: a regulator sits on top because it controls
an organisation, not because it is a regulator. Where components carry a hierarchy ``level``,
each level is a horizontal band of its own. Containers (a component's ``parent``) are laid out
inside out, as ELK does: first what each contains, then the container as one block sized to
hold it, its links standing for those of its contents. Each component gets at least the size
its text needs (:func:`stipa.diagram.components.component_size`).

The layered layout itself (cycle breaking, crossing reduction, horizontal placement) is
igraph's Sugiyama layout; this module decides the layers and turns igraph's grid into
pixels that respect each component's size. Then it makes room for the links' labels: it
opens gaps between rows where labels are crowded or far from their links
(:func:`make_room`, drawing the diagram each round: up to ``ROOM_LIMIT`` components; a
larger structure gets its layers spaced by the labels of the links between them instead,
reckoned once from their sizes), and gives a label whose places by its link are all taken
the nearest free room as a nudge (:func:`label_places`), so no label covers a component, a
label or another link. A diagram drawn by hand gets room the same way, its arrangement kept
(:func:`room_for_labels`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import igraph

from stipa.diagram.components import caption_of, component_size
from stipa.diagram.geometry import Box
from stipa.diagram.labels import (
    LabelPlacer,
    label_candidates,
    label_lines,
    label_size,
    leader_line,
)
from stipa.diagram.routing import route_diagram
from stipa.diagram.scene import component_shapes, label_setting
from stipa.diagram.sugiyama import sugiyama_grid
from stipa.model import Component, DocumentView, Link, LinkKind, LinkLayout, NodeLayout

if TYPE_CHECKING:
    from stipa.diagram.metrics import Drawing

__all__ = [
    "GAP_X",
    "GAP_Y",
    "LayoutGraph",
    "compute_layout",
    "fresh_link_layouts",
    "label_places",
    "layout_document",
    "layout_graph",
    "make_room",
    "nested_layout",
    "place_selection",
    "placed_layouts",
    "raw_sugiyama",
    "room_for_labels",
    "text_sizes",
]

#: Horizontal room between neighbours in a layer, in scene pixels: a label on either side
#: of a vertical link fits between two components.
GAP_X = 120.0
#: Vertical room between layers: the elbows of the links and their labels run there.
GAP_Y = 110.0
#: Every place is on the canvas's grid, so snapping to it moves nothing.
GRID = 10.0
#: The room kept around a label when reckoning how much room labels need between layers,
#: and the share of a strip between layers left free for labels by lines and elbows.
LABEL_ROOM = 12.0
LABEL_SHARE = 0.05
LABEL_BIN = 400.0
#: Rounds of :func:`make_room`, and the room it adds beyond a crowded label's height.
ROOM_ROUNDS = 3
ROOM_MARGIN = 20.0
#: A label farther than this from its link (on a long leader line) asks :func:`make_room`
#: for room as a crowded one does.
ROOM_LEADER = 120.0
#: The most components :func:`make_room` works on in an automatic layout. Each round
#: draws the whole diagram; an automatic layout that large has its layers spaced by their
#: labels' sizes instead (:func:`_label_room`), and :func:`label_places` finds each crowded
#: label its room. A diagram drawn by hand gets its room at any size.
ROOM_LIMIT = 200
#: Room between a container's border and what it contains; more at the top for its name.
PADDING = 30.0
PADDING_TOP = 60.0
#: igraph's crossing reduction sweeps; more costs time for little gain on STPA structures.
_SWEEPS = 40


@dataclass(frozen=True, slots=True)
class LayoutGraph:
    """The graph the layout works on: components in document order and the edges that
    decide levels, each pointing from the upper component to the lower one.

    ``edges`` holds (upper index, lower index, weight); a control action and the feedback
    closing the same loop become one edge, so they are kept together as a pair.
    ``neighbours`` are the information links (index pairs): they only pull components
    together within a layer. ``labels`` holds, per link with a label, its ends (index
    pair) and the area its label takes with the room kept around it: the layout leaves
    that much room between the layers the link joins.
    """

    ids: tuple[str, ...]
    sizes: tuple[tuple[float, float], ...]
    edges: tuple[tuple[int, int, float], ...]
    neighbours: tuple[tuple[int, int], ...]
    levels: tuple[int | None, ...]
    labels: tuple[tuple[int, int, float], ...] = ()


#: Weight of a control action in deciding levels, and of feedback read backwards. Breaking
#: the cycles reverses the least total weight; a control action outweighs any number of
#: feedback links, so feedback never turns an acyclic control graph upside down.
_CONTROL_WEIGHT = 1e6
_FEEDBACK_WEIGHT = 1.0
#: The largest tangle of links whose cycles are broken exactly (see :func:`_broken_cycles`).
_EXACT_LIMIT = 60


def layout_graph(
    components: Iterable[Component],
    links: Iterable[Link],
    sizes: Mapping[str, tuple[float, float]],
    lift: Mapping[str, str] | None = None,
) -> LayoutGraph:
    """The :class:`LayoutGraph` of some components and the links among them.

    ``sizes`` gives each component's size; ``lift`` maps a component inside one of
    ``components`` to that one, so the container stands for the links of what it contains.
    Links with an end elsewhere, or both ends in the same component, are left out.
    """
    chosen = list(components)
    index = {component.id: i for i, component in enumerate(chosen)}
    lifted = lift if lift is not None else {}
    weights: dict[tuple[int, int], float] = {}
    neighbours: dict[tuple[int, int], None] = {}
    labels = []
    for link in links:
        source = index.get(lifted.get(link.source, link.source))
        target = index.get(lifted.get(link.target, link.target))
        if source is None or target is None or source == target:
            continue
        if link.items:
            width, height = label_size(label_lines([item.name for item in link.items]))
            labels.append((source, target, (width + LABEL_ROOM) * (height + LABEL_ROOM)))
        if link.kind == LinkKind.CONTROL_ACTION:
            pair, weight = (source, target), _CONTROL_WEIGHT
        elif link.kind == LinkKind.FEEDBACK:
            pair, weight = (target, source), _FEEDBACK_WEIGHT
        else:
            neighbours[(min(source, target), max(source, target))] = None
            continue
        weights[pair] = weights.get(pair, 0.0) + weight
    return LayoutGraph(
        ids=tuple(index),
        sizes=tuple(sizes[component.id] for component in chosen),
        edges=tuple((a, b, w) for (a, b), w in weights.items()),
        neighbours=tuple(pair for pair in neighbours if pair not in weights),
        levels=tuple(component.level for component in chosen),
        labels=tuple(labels),
    )


def text_sizes(
    components: Iterable[Component], node_layout: Mapping[str, NodeLayout]
) -> dict[str, tuple[float, float]]:
    """Each component's size: as drawn now, grown where its text needs more room."""
    sizes = {}
    for component in components:
        layout = node_layout.get(component.id)
        width, height = component_size(caption_of(component), component.name)
        if layout is not None:
            width, height = max(width, layout.width), max(height, layout.height)
        sizes[component.id] = (width, height)
    return sizes


def _snap(value: float) -> float:
    return round(value / GRID) * GRID


def _layers(graph: LayoutGraph) -> list[int]:
    """The layer of each component: longest path from the top along the level-deciding
    edges once their cycles are broken (:func:`_broken_cycles`); sources are then lowered
    to just above their highest successor, so a lone supervisor sits next to what it
    supervises. Hierarchy levels, where given, stack bands of layers."""
    n = len(graph.ids)
    reversed_edges = _broken_cycles(graph)
    successors: list[list[int]] = [[] for _ in range(n)]
    predecessors: list[list[int]] = [[] for _ in range(n)]
    for number, (a, b, _) in enumerate(graph.edges):
        if number in reversed_edges:
            a, b = b, a
        if _band(graph, a) > _band(graph, b):
            continue  # bands decide: an edge against them does not layer within them
        successors[a].append(b)
        predecessors[b].append(a)
    order = igraph.Graph(
        n=n, edges=[(a, b) for a in range(n) for b in successors[a]], directed=True
    ).topological_sorting()
    layer = [0] * n
    for v in order:
        for w in successors[v]:
            same_band = _band(graph, v) == _band(graph, w)
            layer[w] = max(layer[w], layer[v] + 1 if same_band else 0)
    for v in reversed(order):
        below = [layer[w] for w in successors[v] if _band(graph, v) == _band(graph, w)]
        if not predecessors[v] and below:
            layer[v] = min(below) - 1
    # stack the bands: each starts below the deepest layer of the one above
    bands = sorted({_band(graph, v) for v in range(n)})
    offset, start = 0, {}
    for band in bands:
        members = [v for v in range(n) if _band(graph, v) == band]
        low = min(layer[v] for v in members)
        start[band] = offset - low
        offset += max(layer[v] for v in members) - low + 1
    return [layer[v] + start[_band(graph, v)] for v in range(n)]


def _broken_cycles(graph: LayoutGraph) -> set[int]:
    """The edges to read backwards so that no cycle is left, never a control action where
    dropping feedback suffices.

    Where every tangle (strongly connected part) is small, igraph's exact feedback arc set
    of least weight (an integer programme; a control action outweighs all feedback). A large
    tangle would make that programme run for minutes, so there the Eades-Lin-Smyth heuristic
    breaks the control actions' cycles, and feedback against the order they leave is read
    backwards.
    """
    n = len(graph.ids)
    edges = [(a, b) for a, b, _ in graph.edges]
    directed = igraph.Graph(n=n, edges=edges, directed=True)
    tangles = directed.connected_components(mode="strong")
    if max((len(tangle) for tangle in tangles), default=0) <= _EXACT_LIMIT:
        weights = [w for _, _, w in graph.edges]
        return set(directed.feedback_arc_set(weights=weights, method="ip"))
    control = [i for i, (_, _, w) in enumerate(graph.edges) if w >= _CONTROL_WEIGHT]
    graph_of_actions = igraph.Graph(n=n, edges=[edges[i] for i in control], directed=True)
    backwards = {control[j] for j in graph_of_actions.feedback_arc_set(method="eades")}
    actions = set(control)
    forwards = [edges[i] if i not in backwards else edges[i][::-1] for i in control]
    order = igraph.Graph(n=n, edges=forwards, directed=True).topological_sorting()
    position = {v: place for place, v in enumerate(order)}
    backwards |= {
        i for i, (a, b) in enumerate(edges) if i not in actions and position[a] > position[b]
    }
    return backwards


def _band(graph: LayoutGraph, v: int) -> int:
    level = graph.levels[v]
    return level if level is not None else 0


def compute_layout(graph: LayoutGraph) -> dict[str, Box]:
    """Where each component of ``graph`` goes, with its top-left corner at or after (0, 0).

    Deterministic: the same graph always gives the same boxes.
    """
    n = len(graph.ids)
    if n == 0:
        return {}
    layers = _layers(graph)
    # igraph's layered layout is deterministic with given layers (it draws no random
    # numbers); an edge within one layer has no say in it, so it is left out
    pairs = [(a, b) for a, b, _ in graph.edges] + list(graph.neighbours)
    edges = [
        (a, b) if layers[a] < layers[b] else (b, a) for a, b in pairs if layers[a] != layers[b]
    ]
    grid = sugiyama_grid(n, edges, layers, maxiter=_SWEEPS)
    columns = [grid[v][0] for v in range(n)]
    return _to_pixels(graph, layers, columns)


def _to_pixels(graph: LayoutGraph, layers: list[int], columns: list[float]) -> dict[str, Box]:
    """Turn igraph's grid into boxes: one column unit is the widest component plus a gap,
    then each layer is swept left to right so no two neighbours come closer than ``GAP_X``
    (components wider than usual push their right neighbours along). Layers are ``GAP_Y``
    apart, more where the labels of the links running between them need the room
    (:func:`_label_room`)."""
    unit = max(width for width, _ in graph.sizes) + GAP_X
    depth = max(layers) + 1
    heights = [0.0] * depth
    for v, layer in enumerate(layers):
        heights[layer] = max(heights[layer], graph.sizes[v][1])
    centres = [column * unit for column in columns]
    by_layer: dict[int, list[int]] = {}
    for v in sorted(range(len(layers)), key=lambda v: (columns[v], v)):
        by_layer.setdefault(layers[v], []).append(v)
    for members in by_layer.values():
        for left, right in itertools.pairwise(members):
            least = centres[left] + (graph.sizes[left][0] + graph.sizes[right][0]) / 2 + GAP_X
            centres[right] = max(centres[right], least)
    lefts = [centres[v] - graph.sizes[v][0] / 2 for v in range(len(layers))]
    # a structure up to ROOM_LIMIT components gets its room from make_room, label by label
    room = _label_room(graph, layers, centres) if len(layers) > ROOM_LIMIT else [0.0] * depth
    tops = [0.0] * depth
    for layer in range(1, depth):
        tops[layer] = tops[layer - 1] + heights[layer - 1] + GAP_Y + room[layer - 1]
    shift = -min(lefts)
    boxes = {}
    for v, component_id in enumerate(graph.ids):
        width, height = graph.sizes[v]
        # centre each component vertically in its layer
        y = tops[layers[v]] + (heights[layers[v]] - height) / 2
        boxes[component_id] = Box(_snap(lefts[v] + shift), _snap(y), width, height)
    return boxes


def _label_room(graph: LayoutGraph, layers: list[int], centres: list[float]) -> list[float]:
    """The room added below each layer for labels.

    A link's elbow, and the label beside it, lie halfway between the layers of its ends,
    somewhere between its ends' centres: its label's area is spread over that stretch.
    Where the labels of a stretch :data:`LABEL_BIN` wide need more than the share of
    its strip that lines, elbows and arrow heads leave free (:data:`LABEL_SHARE`), the
    strip grows by the difference, rounded to the grid; the most crowded stretch decides.
    """
    need: list[dict[int, float]] = [{} for _ in range(max(layers) + 1)]
    for source, target, label_area in graph.labels:
        upper, lower = sorted((layers[source], layers[target]))
        if upper == lower:
            continue  # a link within a layer runs beside it, not between layers
        strip = need[(upper + lower - 1) // 2]
        left, right = sorted((centres[source], centres[target]))
        first, last = math.floor(left / LABEL_BIN), math.floor(right / LABEL_BIN)
        share = label_area / (last - first + 1)
        for stretch in range(first, last + 1):
            strip[stretch] = strip.get(stretch, 0.0) + share
    room = []
    for strip in need:
        height = max(strip.values(), default=0.0) / (LABEL_BIN * LABEL_SHARE)
        room.append(math.ceil(max(0.0, height - GAP_Y) / GRID) * GRID)
    return room


def raw_sugiyama(graph: LayoutGraph) -> dict[str, Box]:
    """igraph's own Sugiyama layout of the same graph, for comparison in benchmarks: its own
    layering of every link (information too), its grid scaled to the widest component."""
    n = len(graph.ids)
    edges = [(a, b) for a, b, _ in graph.edges] + list(graph.neighbours)
    grid = sugiyama_grid(n, edges)
    width = max(w for w, _ in graph.sizes) + GAP_X
    height = max(h for _, h in graph.sizes) + GAP_Y
    return {
        component_id: Box(
            grid[v][0] * width, grid[v][1] * height, graph.sizes[v][0], graph.sizes[v][1]
        )
        for v, component_id in enumerate(graph.ids)
    }


def _grown(box: Box, margin: float) -> Box:
    return Box(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin)


def place_selection(
    boxes: Mapping[str, Box], fixed: Collection[Box], anchor: tuple[float, float]
) -> dict[str, Box]:
    """Move the laid-out ``boxes`` of a selection so their top-left corner is at ``anchor``
    (where the selection was), or, if they would come near a fixed component there, to the
    right of everything fixed at the same height."""
    left = min(box.x for box in boxes.values())
    top = min(box.y for box in boxes.values())

    def moved(dx: float, dy: float) -> dict[str, Box]:
        return {
            key: Box(box.x + dx, box.y + dy, box.width, box.height) for key, box in boxes.items()
        }

    placed = moved(_snap(anchor[0] - left), _snap(anchor[1] - top))
    near = [_grown(box, GAP_X / 4) for box in fixed]
    if not any(a.intersects(b) for a in placed.values() for b in near):
        return placed
    right = max(box.right for box in fixed)
    return moved(_snap(right + GAP_X - left), _snap(anchor[1] - top))


def nested_layout(
    components: Collection[Component],
    links: Collection[Link],
    sizes: Mapping[str, tuple[float, float]],
) -> dict[str, Box]:
    """Boxes for ``components``, containers laid out inside out: each container's contents
    first (its own layered layout), then the container as one block around them."""
    ids = {component.id for component in components}
    contents: dict[str, list[Component]] = {}
    for component in components:
        parent = component.parent if component.parent in ids else ""
        contents.setdefault(parent, []).append(component)
    ancestors: dict[str, list[str]] = {}
    parent_of = {c.id: (c.parent if c.parent in ids else "") for c in components}
    for component_id in ids:
        chain, current, seen = [], parent_of[component_id], {component_id}
        while current and current not in seen:  # the model refuses cycles; stop on one anyway
            chain.append(current)
            seen.add(current)
            current = parent_of[current]
        ancestors[component_id] = chain

    def lay_out(group: str) -> dict[str, Box]:
        members = contents[group]
        boxes_inside: dict[str, dict[str, Box]] = {}
        block = dict(sizes)
        for member in members:
            if member.id in contents:
                inside = lay_out(member.id)
                boxes_inside[member.id] = inside
                width = max(box.right for box in inside.values()) + 2 * PADDING
                height = max(box.bottom for box in inside.values()) + PADDING_TOP + PADDING
                own = sizes[member.id]
                block[member.id] = (max(width, own[0]), max(height, own[1]))
        member_ids = {member.id for member in members}
        # what a member contains is represented by the member itself
        lift = {
            component_id: next(a for a in chain if a in member_ids)
            for component_id, chain in ancestors.items()
            if component_id not in member_ids and any(a in member_ids for a in chain)
        }
        boxes = compute_layout(layout_graph(members, links, block, lift))
        result = dict(boxes)
        for member_id, inside in boxes_inside.items():
            outer = boxes[member_id]
            width = max(box.right for box in inside.values()) + 2 * PADDING
            dx = _snap(outer.x + (outer.width - width) / 2 + PADDING)  # centred if wider
            dy = outer.y + PADDING_TOP
            for key, box in inside.items():
                result[key] = Box(box.x + dx, box.y + dy, box.width, box.height)
        return result

    return lay_out("") if components else {}


def fresh_link_layouts(document: DocumentView, moved: Collection[str]) -> dict[str, LinkLayout]:
    """The link layouts after ``moved`` components are laid out: hand-made bends and label
    nudges belonged to the old places, so a link touching a moved component is routed afresh
    (keeping its routing style); the others keep theirs."""
    fresh = {}
    for link_id, layout in document.link_layout.items():
        link = document.links.get(link_id)
        if link is not None and (link.source in moved or link.target in moved):
            layout = LinkLayout(id=link_id, routing=layout.routing)
        fresh[link_id] = layout
    return fresh


def placed_layouts(
    node_layout: Mapping[str, NodeLayout], boxes: Mapping[str, Box]
) -> dict[str, NodeLayout]:
    """``node_layout`` with the components of ``boxes`` there (a collapsed container stays
    collapsed)."""
    placed = dict(node_layout)
    for key, box in boxes.items():
        new = NodeLayout(id=key, x=box.x, y=box.y, width=box.width, height=box.height)
        old = placed.get(key)
        placed[key] = replace(new, collapsed=old.collapsed) if old is not None else new
    return placed


def label_places(
    document: DocumentView,
    boxes: Mapping[str, Box],
    link_layout: Mapping[str, LinkLayout] | None = None,
) -> dict[str, LinkLayout]:
    """The link layouts after ``boxes`` are laid out (``link_layout``, by default
    :func:`fresh_link_layouts`), with a label nudge where the label placer finds no free
    place by the link.

    A label the placer finds a free place for (near, or farther along its link) keeps it.
    Otherwise its place is the free place nearest its first place by its link
    (:meth:`stipa.diagram.labels.LabelPlacer.place_free`: as ELK reserves a label's room
    instead of letting it cover other links), found in the order the label placer works
    (:func:`stipa.diagram.labels.place_labels`: document order, the labels before it
    already placed). Its nudge makes it the placer's first place by its link, which it
    then takes: a second layout finds the same places (deterministic and stable).
    """
    link_layout = (
        dict(link_layout) if link_layout is not None else fresh_link_layouts(document, boxes)
    )
    node_layout = placed_layouts(document.node_layout, boxes)
    # what the label placer meets, as the diagram draws it (stipa.diagram.scene)
    shapes, _hidden = component_shapes(document.components, node_layout)
    rects = {component_id: shape.box.rect() for component_id, shape in shapes.items()}
    drawn = {
        link_id: link
        for link_id, link in document.links.items()
        if link.source in rects and link.target in rects
    }
    routes = route_diagram(
        rects, {link_id: (link.source, link.target) for link_id, link in drawn.items()}, link_layout
    )
    obstacles, borders = label_setting(shapes)
    placer = LabelPlacer(obstacles, [*(route.points for route in routes.values()), *borders])
    for link_id, link in drawn.items():
        names = [item.name for item in link.items]
        if not names:
            continue
        points = routes[link_id].points
        size = label_size(label_lines(names))
        control = link.kind == LinkKind.CONTROL_ACTION
        layout = link_layout.get(link_id) or LinkLayout(id=link_id)
        near = label_candidates(points, size, control, layout)
        far = label_candidates(points, size, control, layout, far=True)
        rect = placer.search(near, far, points)
        if rect is not None:
            placer.take(rect, points)
        elif link.source in boxes or link.target in boxes:
            first = next(label_candidates(points, size, control, layout))
            x, y, _width, _height = placer.place_free(first, points)
            link_layout[link_id] = replace(
                layout,
                label_dx=layout.label_dx + round(x - first[0], 3),
                label_dy=layout.label_dy + round(y - first[1], 3),
            )
        # else: not laid out now, it is placed after those with a place (as the placer does)
    return link_layout


def make_room(
    document: DocumentView, boxes: Mapping[str, Box], rounds: int = ROOM_ROUNDS
) -> dict[str, Box]:
    """Open the gaps between rows where a label of a link touching ``boxes`` finds no free
    place (it would cover a component, a label or another link), or only one far from its
    link, a few rounds at most: the label placer then has longer segments to place labels
    beside."""
    return _make_room(document, boxes, fresh_link_layouts(document, boxes), rounds, True)[0]


def room_for_labels(
    document: DocumentView, rounds: int = ROOM_ROUNDS
) -> tuple[dict[str, Box], dict[str, LinkLayout]]:
    """Make room for the labels of a diagram as it is drawn (by hand), whatever its size:
    its components and links where they are, with gaps opened between its rows and columns
    where labels find no free place by their links (:func:`make_room`; their order kept),
    and the links' own bends moved along. The new boxes (of every component placed), and
    the link layouts.

    Only labels with no free place by their link ask for room (a label already placed away
    from its link, or nudged there, has it), so once :func:`label_places` has given the
    rest their nudges a second run finds nothing to do.
    """
    boxes = {
        component_id: Box(layout.x, layout.y, layout.width, layout.height)
        for component_id, layout in document.node_layout.items()
        if component_id in document.components
    }
    return _make_room(document, boxes, dict(document.link_layout), rounds, False)


def _make_room(
    document: DocumentView,
    boxes: Mapping[str, Box],
    link_layout: Mapping[str, LinkLayout],
    rounds: int,
    far_off: bool,
) -> tuple[dict[str, Box], dict[str, LinkLayout]]:
    from stipa.diagram.metrics import crowded_labels, drawing  # metrics measures this layout

    boxes = dict(boxes)
    link_layout = dict(link_layout)
    if far_off and len(boxes) > ROOM_LIMIT:
        return boxes, link_layout  # an automatic layout that large has its room already
    containers = {c.parent for c in document.components.values() if c.parent}
    mine = {
        link_id
        for link_id, link in document.links.items()
        if link.source in boxes or link.target in boxes
    }
    for _ in range(rounds):
        node_layout = placed_layouts(document.node_layout, boxes)
        drawn = drawing(document.components, document.links, node_layout, link_layout)
        crowded = crowded_labels(drawn) | drawn.crowded | (_far_off(drawn) if far_off else set())
        crowded &= mine
        if not crowded:
            break
        # one opening per gap: between the rows (or, for a link running sideways, the
        # columns) that the crowded label sits between
        rows: dict[float, float] = {}
        columns: dict[float, float] = {}
        for link_id in crowded:
            label, route = drawn.labels[link_id], drawn.routes[link_id]
            (x1, y1), (x2, y2) = route[0], route[-1]
            sideways = abs(x2 - x1) > abs(y2 - y1)
            # a label with no place by its link lies in free room anywhere: it wants room
            # where its first place is, by the middle of its link's longest segment
            centre = _longest_middle(route) if link_id in drawn.crowded else label.centre
            middle = centre[0] if sideways else centre[1]
            after = [
                b.x if sideways else b.y
                for k, b in boxes.items()
                if k not in containers and b.centre[0 if sideways else 1] > middle
            ]
            if after:
                openings = columns if sideways else rows
                at = min(after)
                extra = (label.width if sideways else label.height) + ROOM_MARGIN
                extra = math.ceil(extra / GRID) * GRID
                openings[at] = max(openings.get(at, 0.0), extra)
        if not rows and not columns:
            break
        for at, extra in sorted(rows.items(), reverse=True):
            boxes = _open_gap(boxes, containers, at, extra, vertical=True)
            link_layout = _bends_moved(link_layout, at, extra, vertical=True)
        for at, extra in sorted(columns.items(), reverse=True):
            boxes = _open_gap(boxes, containers, at, extra, vertical=False)
            link_layout = _bends_moved(link_layout, at, extra, vertical=False)
    return boxes, link_layout


def _bends_moved(
    link_layout: Mapping[str, LinkLayout], at: float, extra: float, vertical: bool
) -> dict[str, LinkLayout]:
    """The link layouts with their bends from ``at`` on moved down (``vertical``) or right
    by ``extra``, as :func:`_open_gap` moves the components."""
    moved = {}
    for link_id, layout in link_layout.items():
        if layout.bends:
            bends = tuple(
                (x, y + extra if y >= at else y) if vertical else (x + extra if x >= at else x, y)
                for x, y in layout.bends
            )
            layout = replace(layout, bends=bends)
        moved[link_id] = layout
    return moved


def _longest_middle(route: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the longest segment of ``route``."""
    (x1, y1), (x2, y2) = max(itertools.pairwise(route), key=lambda s: math.dist(*s))
    return (x1 + x2) / 2, (y1 + y2) / 2


def _far_off(drawn: Drawing) -> set[str]:
    """The links whose label lies more than ``ROOM_LEADER`` away from them: the room they
    found is not room by their link."""
    far = set()
    for link_id, label in drawn.labels.items():
        leader = leader_line(label.rect(), drawn.routes[link_id])
        if leader is not None and math.dist(*leader) > ROOM_LEADER:
            far.add(link_id)
    return far


def _open_gap(
    boxes: Mapping[str, Box], containers: Collection[str], at: float, extra: float, vertical: bool
) -> dict[str, Box]:
    """Push everything from ``at`` on down (``vertical``) or right by ``extra``; a container
    reaching across ``at`` grows instead."""
    opened = {}
    for key, box in boxes.items():
        start, end = (box.y, box.bottom) if vertical else (box.x, box.right)
        dx, dy = (0.0, extra) if vertical else (extra, 0.0)
        if start >= at:
            box = Box(box.x + dx, box.y + dy, box.width, box.height)
        elif key in containers and end > at:
            box = Box(box.x, box.y, box.width + dx, box.height + dy)
        opened[key] = box
    return opened


def layout_document(
    document: DocumentView, selection: Collection[str] | None = None
) -> dict[str, Box]:
    """New boxes for the components of ``document`` (or only those in ``selection``, the
    others staying where they are)."""
    components = document.components
    chosen = [c for c in components.values() if selection is None or c.id in selection]
    node_layout = document.node_layout
    # a container's size is what its contents need this time: the size it was drawn at
    # held the room the last layout made for labels, and would grow with every run
    containers = {c.parent for c in components.values() if c.parent}
    sizes = text_sizes(
        chosen, {key: layout for key, layout in node_layout.items() if key not in containers}
    )
    boxes = nested_layout(chosen, list(document.links.values()), sizes)
    if selection is None or not boxes:
        return make_room(document, boxes)
    # a container of the selection is no obstacle to it
    holding = set()
    for component in chosen:
        current = component.parent
        while current and current not in holding and current in components:
            holding.add(current)
            current = components[current].parent
    fixed = [
        Box(layout.x, layout.y, layout.width, layout.height)
        for component_id, layout in node_layout.items()
        if component_id not in boxes and component_id in components and component_id not in holding
    ]
    before = [node_layout[i] for i in boxes if i in node_layout]
    anchor = (
        (min(layout.x for layout in before), min(layout.y for layout in before))
        if before
        else (0.0, 0.0)
    )
    return make_room(document, place_selection(boxes, fixed, anchor))
