"""Containers drawn as frames: which components are frames, their titles, depths and sizes.

A component is drawn as a frame when it contains others or is a system boundary; a frame
has a title bar with its name (a boundary: a dashed outline, its name in the corner). A
collapsed container is drawn as one component: what it contains is hidden, and the links
of its contents are drawn to it, one arrow per pair of ends and kind, with a count.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from stipa.diagram.geometry import Box, Point, Rect, Route, TextLine
from stipa.diagram.labels import ShapeIndex
from stipa.diagram.routing import arrow_head, route, sides
from stipa.diagram.text import LABEL, NAME, ascent, elide, line_height, text_width
from stipa.model import Component, ComponentKind, Link, LinkKind, NodeLayout

__all__ = [
    "FRAME_HEIGHT",
    "FRAME_PADDING",
    "FRAME_WIDTH",
    "PASSED_FRAMES",
    "STUB_REACH",
    "TITLE_HEIGHT",
    "Aggregate",
    "Crossing",
    "Stub",
    "TitleIndex",
    "aggregate_links",
    "aggregate_route",
    "aggregate_routes",
    "boundary_crossings",
    "boundary_stubs",
    "clear_of_titles",
    "collapsed_ids",
    "count_label",
    "depths",
    "drop_target",
    "frame_ids",
    "frame_outline",
    "frame_title",
    "frames_to_leave",
    "label_obstacles",
    "merged_segments",
    "minimum_frame",
    "routed_clear_of_titles",
    "shown_as",
    "title_index",
    "title_rect",
]

#: A new container's (or boundary's) size: room for a few components.
FRAME_WIDTH, FRAME_HEIGHT = 400.0, 260.0
#: The height of a frame's title bar.
TITLE_HEIGHT = line_height(NAME) + 10.0
#: The room kept between a frame's border and what it contains.
FRAME_PADDING = 10.0
_TITLE_INSET = 8.0
#: How far from a frame a route leaving it keeps (outside its side, below its title bar).
_CLEARANCE = 8.0
#: How far apart links leaving frames the same way run, per unit of distance between their
#: ends, and at most.
_NESTING, _NESTED = 0.08, 24.0
#: The most frames a diagram may have for routes to be moved past those they run through
#: (see :func:`title_index`).
PASSED_FRAMES = 100


def frame_ids(components: Mapping[str, Component]) -> set[str]:
    """The components drawn as frames: those containing others, and system boundaries."""
    found = {c.parent for c in components.values() if c.parent in components}
    found.update(c.id for c in components.values() if c.kind == ComponentKind.BOUNDARY)
    return found


def depths(components: Mapping[str, Component]) -> dict[str, int]:
    """How deep each component is nested (0 at the top level)."""
    found: dict[str, int] = {}
    for component_id in components:
        chain = []
        current = component_id
        while current in components and current not in found and current not in chain:
            chain.append(current)
            current = components[current].parent
        depth = found.get(current, -1) if current in components else -1
        for member in reversed(chain):  # a loop in a broken document ends the walk
            depth += 1
            found[member] = depth
    return found


def title_rect(box: Rect) -> Rect:
    """A frame's title bar."""
    x, y, width, _height = box
    return (x, y, width, min(TITLE_HEIGHT, _height))


def frame_title(box: Rect, name: str) -> TextLine:
    """A frame's name, elided to the width of its title bar, drawn at its left."""
    x, y, width, _height = box
    shown = elide(name, width - 2 * _TITLE_INSET, NAME)
    top = y + (TITLE_HEIGHT - line_height(NAME)) / 2
    return TextLine(shown, x + _TITLE_INSET, top + ascent(NAME), NAME)


def frame_outline(box: Rect) -> tuple[Point, ...]:
    """A frame's border as a closed polyline (link labels keep off it)."""
    x, y, width, height = box
    return ((x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y))


def label_obstacles(boxes: Iterable[tuple[Rect, bool]]) -> list[Rect]:
    """What link labels must not cover: each component's box, but only the title bar of an
    open frame (``(box, is_frame)`` pairs), so labels may sit inside frames."""
    return [title_rect(box) if is_frame else box for box, is_frame in boxes]


def minimum_frame(box: Rect, inside: Iterable[Rect]) -> tuple[float, float]:
    """The smallest width and height a frame at ``box`` can take without cutting off any of
    the boxes ``inside`` it (below its title bar, with padding)."""
    x, y, _width, _height = box
    right, bottom = x, y + TITLE_HEIGHT
    for cx, cy, cw, ch in inside:
        right = max(right, cx + cw)
        bottom = max(bottom, cy + ch)
    return right - x + FRAME_PADDING, bottom - y + FRAME_PADDING


def drop_target(
    box: Rect,
    frames: Mapping[str, Rect],
    others: Mapping[str, Rect],
    order: Mapping[str, int],
    exclude: set[str],
) -> str:
    """The container a component dropped at ``box`` lands in ("" for the top level).

    The deepest of: the ``frames`` holding the box's centre, and the ``others`` (components
    with nothing inside yet, such as a new container) holding the whole box; ``exclude``
    leaves out what is being moved and what it contains.
    """
    x, y, width, height = box
    px, py = x + width / 2, y + height / 2
    best, best_depth = "", -1
    for candidates, whole in ((frames, False), (others, True)):
        for target_id, (tx, ty, tw, th) in candidates.items():
            if target_id in exclude:
                continue
            if whole:
                inside = tx <= x and ty <= y and x + width <= tx + tw and y + height <= ty + th
            else:
                inside = tx <= px <= tx + tw and ty <= py <= ty + th
            depth = order.get(target_id, 0)
            if inside and depth > best_depth:
                best, best_depth = target_id, depth
    return best


def shown_as(
    components: Mapping[str, Component],
    collapsed: set[str],
    among: Iterable[str] | None = None,
) -> dict[str, str]:
    """For each component hidden in one of the ``collapsed`` containers: the outermost
    collapsed container that stands for it. Components shown as themselves are left out;
    ``among`` limits the answer to those components (what one collapse or expand changed)."""
    if not collapsed:
        return {}
    found: dict[str, str] = {}
    for component_id in components if among is None else among:
        component = components[component_id]
        standing = ""
        current = component.parent
        seen = {component_id}
        while current and current in components and current not in seen:
            seen.add(current)
            if current in collapsed:
                standing = current  # keep climbing: the outermost collapsed one shows
            current = components[current].parent
        if standing:
            found[component_id] = standing
    return found


def collapsed_ids(node_layout: Mapping[str, NodeLayout]) -> set[str]:
    """The components drawn collapsed."""
    return {component_id for component_id, box in node_layout.items() if box.collapsed}


class Aggregate(NamedTuple):
    """Links drawn as one arrow between two shown components: the links' ids, their kind.
    (A named tuple: a big collapse makes thousands at once.)"""

    source: str
    target: str
    kind: LinkKind
    links: tuple[str, ...]


def aggregate_links(links: Mapping[str, Link], shown: Mapping[str, str]) -> list[Aggregate]:
    """The arrows standing for links with an end hidden in a collapsed container.

    A link whose ends both stand for the same container is internal to it and not drawn; the
    others are grouped by (shown source, shown target, kind), in document order.
    """
    groups: dict[tuple[str, str, LinkKind], list[str]] = {}
    for link_id, link in links.items():
        if link.source not in shown and link.target not in shown:
            continue
        source = shown.get(link.source, link.source)
        target = shown.get(link.target, link.target)
        if source == target:
            continue
        groups.setdefault((source, target, link.kind), []).append(link_id)
    return [
        Aggregate(source, target, kind, tuple(ids))
        for (source, target, kind), ids in groups.items()
    ]


def aggregate_route(source: Rect, target: Rect) -> Route:
    """The route of an aggregated arrow: one port on each end's side, elbows as links have."""
    source_side, target_side = sides(source, target)
    points = route(source, target, (source_side, 0, 1), (target_side, 0, 1), None)
    return Route(tuple(points), arrow_head(points[-1], points[-2]))


#: An arrow head's corners from its tip, for a last segment running right, left, down, up.
_HEADS = {
    step: tuple((x, y) for x, y in arrow_head((0.0, 0.0), (-step[0], -step[1])))
    for step in ((1, 0), (-1, 0), (0, 1), (0, -1))
}


def aggregate_routes(ends: Iterable[tuple[Rect, Rect]]) -> list[Route]:
    """:func:`aggregate_route` for each ``(source, target)`` of ``ends``: the same routes,
    made several times faster (a big collapse draws thousands at once)."""
    routes = []
    for source, target in ends:
        source_side, target_side = sides(source, target)
        if source_side == target_side:  # one inside the other: the general case
            routes.append(aggregate_route(source, target))
            continue
        ax, ay, aw, ah = source
        bx, by, bw, bh = target
        if source_side in ("top", "bottom"):
            sx, ex = ax + aw / 2, bx + bw / 2
            sy = ay if source_side == "top" else ay + ah
            ey = by if target_side == "top" else by + bh
            if abs(sx - ex) < 1:
                points: tuple[Point, ...] = ((sx, sy), (ex, ey))
            else:
                mid = (sy + ey) / 2
                points = ((sx, sy), (sx, mid), (ex, mid), (ex, ey))
        else:
            sy, ey = ay + ah / 2, by + bh / 2
            sx = ax if source_side == "left" else ax + aw
            ex = bx if target_side == "left" else bx + bw
            if abs(sy - ey) < 1:
                points = ((sx, sy), (ex, ey))
            else:
                mid = (sx + ex) / 2
                points = ((sx, sy), (mid, sy), (mid, ey), (ex, ey))
        (px, py), (tx, ty) = points[-2], points[-1]
        dx, dy = tx - px, ty - py
        corners = _HEADS.get(((dx > 0) - (dx < 0), (dy > 0) - (dy < 0)))
        if corners is None:  # slanted (a straight route, ends less than a pixel apart)
            head = arrow_head((tx, ty), (px, py))
        else:
            (_, _), (lx, ly), (rx, ry) = corners
            head = ((tx, ty), (tx + lx, ty + ly), (tx + rx, ty + ry))
        routes.append(Route(points, head))
    return routes


def count_label(path: Route, count: int) -> tuple[Box, TextLine]:
    """The "×n" tag on the middle segment of an aggregated arrow, and its text."""
    middle = len(path.points) // 2
    (ax, ay), (bx, by) = path.points[middle - 1], path.points[middle]
    text = f"×{count}"
    width = text_width(text, LABEL) + 12
    height = line_height(LABEL) + 4
    box = Box((ax + bx) / 2 - width / 2, (ay + by) / 2 - height / 2, width, height)
    line = TextLine(text, box.x + 6, box.y + 2 + ascent(LABEL), LABEL)
    return box, line


# --- links crossing an opened container's frame -------------------------------------------------
#: How far the stub of a link crossing an opened container's frame reaches out of it.
STUB_REACH = 28.0
#: The room kept between a frame's corner (or title bar) and the ports of its stubs.
_STUB_INSET = 10.0


class Crossing(NamedTuple):
    """The links between a component inside the container opened as its own view and one
    outside it, drawn there as one stub out of its frame naming the outside component."""

    #: the component drawn inside (a collapsed container stands for what it holds)
    inside: str
    outside: str
    kind: LinkKind
    #: whether the links run from inside out
    outgoing: bool
    links: tuple[str, ...]


class Stub(NamedTuple):
    """Where a crossing is drawn: a route from its inside end out of the frame (the arrow
    head at its target), and the label naming the outside component beside its end."""

    route: Route
    label: Box
    text: TextLine


def boundary_crossings(
    links: Mapping[str, Link], inside: set[str], shown: Mapping[str, str]
) -> list[Crossing]:
    """The links with one end ``inside`` the opened container (it, and what it holds) and
    the other outside, grouped by (inside end as shown, outside end, kind, direction), in
    document order. ``shown``: the collapsed container standing for each hidden component."""
    groups: dict[tuple[str, str, LinkKind, bool], list[str]] = {}
    for link_id, link in links.items():
        outgoing = link.source in inside
        if outgoing == (link.target in inside):
            continue
        near, far = (link.source, link.target) if outgoing else (link.target, link.source)
        groups.setdefault((shown.get(near, near), far, link.kind, outgoing), []).append(link_id)
    return [Crossing(*key, tuple(ids)) for key, ids in groups.items()]


def boundary_stubs(frame: Rect, ends: Sequence[tuple[Rect, Rect, bool, str]]) -> list[Stub]:
    """The stubs of links crossing ``frame``, the opened container's, for each of ``ends``:
    (inside box, outside box, outgoing, label). Each leaves by the side facing the outside
    component (left, right or bottom: never across the title bar) to a port just outside,
    where its label names it; ports on one side are spread so that labels do not overlap."""
    fx, fy, fw, fh = frame
    height = line_height(LABEL) + 4
    ports: list[tuple[str, float]] = []
    for _inside, (ox, oy, ow, oh), _outgoing, _text in ends:
        cx, cy = ox + ow / 2, oy + oh / 2
        if fx <= cx <= fx + fw and cy > fy + fh:
            side = "bottom"
        elif fx <= cx <= fx + fw:  # above, or over it: the nearer of left and right
            side = "left" if cx - fx < fx + fw - cx else "right"
        else:
            side = "left" if cx < fx else "right"
        if side == "bottom":
            along = min(max(cx, fx + _STUB_INSET), fx + fw - _STUB_INSET)
        else:
            along = min(max(cy, fy + TITLE_HEIGHT + _STUB_INSET), fy + fh - _STUB_INSET)
        ports.append((side, along))
    widths = [text_width(text, LABEL) + 12 for *_ends, text in ends]
    for side in ("left", "right", "bottom"):
        order = sorted((i for i, (s, _a) in enumerate(ports) if s == side), key=ports.__getitem__)
        if not order:
            continue
        at = {index: ports[index][1] for index in order}
        pairs = list(itertools.pairwise(order))
        gaps = {
            pair: height + 4 if side != "bottom" else (widths[pair[0]] + widths[pair[1]]) / 2 + 8
            for pair in pairs
        }
        # spread the ports apart, forward; back from the side's end; forward from its start
        end = fx + fw - _STUB_INSET if side == "bottom" else fy + fh - _STUB_INSET
        start = fx + _STUB_INSET if side == "bottom" else fy + TITLE_HEIGHT + _STUB_INSET
        for previous, index in pairs:
            at[index] = max(at[index], at[previous] + gaps[previous, index])
        at[order[-1]] = min(at[order[-1]], end)
        for index, following in reversed(pairs):
            at[index] = min(at[index], at[following] - gaps[index, following])
        at[order[0]] = max(at[order[0]], start)
        for previous, index in pairs:
            at[index] = max(at[index], at[previous] + gaps[previous, index])
        for index in order:
            ports[index] = (side, at[index])
    stubs = []
    for (inside, _outside, outgoing, text), (side, along), width in zip(
        ends, ports, widths, strict=True
    ):
        points = _stub_points(frame, inside, side, along)
        if not outgoing:
            points = points[::-1]
        head = arrow_head(points[-1], points[-2])
        ex, ey = points[-1] if outgoing else points[0]
        if side == "left":
            box = Box(ex - 4 - width, ey - height / 2, width, height)
        elif side == "right":
            box = Box(ex + 4, ey - height / 2, width, height)
        else:
            box = Box(ex - width / 2, ey + 4, width, height)
        line = TextLine(text, box.x + 6, box.y + 2 + ascent(LABEL), LABEL)
        stubs.append(Stub(Route(tuple(points), head), box, line))
    return stubs


def _stub_points(frame: Rect, inside: Rect, side: str, along: float) -> list[Point]:
    """A stub's route from ``inside`` out of ``frame``'s ``side`` at ``along``, with elbows
    halfway between the two (just the port's reach for the frame itself)."""
    fx, fy, fw, fh = frame
    ix, iy, iw, ih = inside
    if side == "bottom":
        end = (along, fy + fh + STUB_REACH)
        if inside == frame:
            return [(along, fy + fh), end]
        start = (ix + iw / 2, iy + ih)
        middle = (start[1] + fy + fh) / 2
        return [start, (start[0], middle), (along, middle), end]
    edge = fx if side == "left" else fx + fw
    end = (edge - STUB_REACH if side == "left" else edge + STUB_REACH, along)
    if inside == frame:
        return [(edge, along), end]
    start = (ix if side == "left" else ix + iw, iy + ih / 2)
    if abs(start[1] - along) < 1:
        return [start, end]
    middle = (start[0] + edge) / 2
    return [start, (middle, start[1]), (middle, along), end]


def merged_segments(routes: Iterable[Sequence[Point]]) -> list[tuple[Point, Point]]:
    """The segments of ``routes`` with the overlapping ones joined: what they draw, in far
    fewer lines. The aggregated arrows of a collapsed container all leave it by the same
    port and share their elbows' channels, so thousands of routes draw a few hundred lines.

    Horizontal and vertical segments on the same line that overlap or touch become one,
    running from low to high coordinates; other segments are kept as they are.
    """
    rows: dict[float, list[tuple[float, float]]] = {}  # horizontal: y -> spans along x
    columns: dict[float, list[tuple[float, float]]] = {}  # vertical: x -> spans along y
    others: list[tuple[Point, Point]] = []
    segments = itertools.chain.from_iterable(itertools.pairwise(points) for points in routes)
    for (x1, y1), (x2, y2) in segments:  # thousands: no min, max
        if y1 == y2:
            if x1 != x2:
                rows.setdefault(y1, []).append((x1, x2) if x1 < x2 else (x2, x1))
        elif x1 == x2:
            columns.setdefault(x1, []).append((y1, y2) if y1 < y2 else (y2, y1))
        else:
            others.append(((x1, y1), (x2, y2)))
    merged: list[tuple[Point, Point]] = []
    for horizontal, lines in ((True, rows), (False, columns)):
        for at, spans in lines.items():
            spans.sort()
            start, end = spans[0]
            for low, high in spans[1:]:
                if low > end:
                    merged.append(_run(horizontal, at, start, end))
                    start = low
                if high > end:
                    end = high
            merged.append(_run(horizontal, at, start, end))
    return merged + others


def _run(horizontal: bool, at: float, start: float, end: float) -> tuple[Point, Point]:
    """The segment from ``start`` to ``end`` along the line ``y = at`` (or ``x = at``)."""
    return ((start, at), (end, at)) if horizontal else ((at, start), (at, end))


# --- routes clear of title bars ----------------------------------------------------------------
class TitleIndex:
    """The title bars of the open frames by where they lie: which ones a route runs through."""

    def __init__(self, frames: Mapping[str, Rect]) -> None:
        # cells as wide as a few components and a few title bars high: a route's segment
        # is looked up in a handful of them
        self._index = ShapeIndex(480.0, 120.0)
        self._frames: dict[int, tuple[str, Rect]] = {}
        for key, box in frames.items():
            x, y, width, height = title_rect(box)
            shape = (x, y, x + width, y + height, None)
            self._index.add(shape)  # holds the shape: its id stays its own
            self._frames[id(shape)] = (key, box)

    def crossed(self, points: Sequence[Point]) -> dict[str, Rect]:
        """The frames (their boxes) whose title bar a segment of ``points`` runs through."""
        found: dict[str, Rect] = {}
        if not self._frames:
            return found
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            left, right, top, bottom = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
            for group in self._index.near(left, top, right, bottom):
                for shape in group:
                    s_left, s_top, s_right, s_bottom, _segment = shape
                    if left < s_right and right > s_left and top < s_bottom and bottom > s_top:
                        key, box = self._frames[id(shape)]
                        found[key] = box
        return found


def routed_clear_of_titles(
    points: list[Point],
    titles: TitleIndex | None,
    ends: tuple[str, str],
    around: tuple[Sequence[str], Sequence[str]],
    boxes: Mapping[str, Rect],
) -> list[Point]:
    """``points``, the route of a link between ``ends`` (each held by the frames ``around``
    it, innermost first; ``boxes`` has the frames' boxes) out of those frames beside their
    title bars, and past the other frames in ``titles`` (None: none looked up, see
    :func:`title_index`) above them (see :func:`clear_of_titles`)."""
    here, there = frames_to_leave(*around, *ends)
    passed: list[Rect] = []
    if titles is not None:
        held = {*around[0], *around[1], *ends}
        passed = [box for key, box in titles.crossed(points).items() if key not in held]
    if not here and not there and not passed:
        return points
    shown_here = [boxes[f] for f in here if f in boxes]  # a drilled-down view hides some
    shown_there = [boxes[f] for f in there if f in boxes]
    return clear_of_titles(points, shown_here, shown_there, passed)


def title_index(frames: Mapping[str, Rect]) -> TitleIndex | None:
    """The title bars routes are moved past, or None in a diagram of more than
    :data:`PASSED_FRAMES` frames: a drawn diagram has a few dozen, while looking up every
    route of a generated one with hundreds, crossed by random links, takes seconds and
    leaves it as tangled. Routes leave the frames around their own ends clear of the titles
    in any diagram."""
    return TitleIndex(frames) if len(frames) <= PASSED_FRAMES else None


def frames_to_leave(
    source: Sequence[str], target: Sequence[str], source_id: str, target_id: str
) -> tuple[list[str], list[str]]:
    """The frames a link must leave: those around its source (``source``: the source's
    containers, innermost first) that do not hold its target, and those around its target
    that do not hold its source. A link between a container and its contents leaves none."""
    held_by_target, held_by_source = set(target), set(source)
    return (
        [f for f in source if f not in held_by_target and f != target_id],
        [f for f in target if f not in held_by_source and f != source_id],
    )


def clear_of_titles(
    points: Sequence[Point],
    source_frames: Sequence[Rect],
    target_frames: Sequence[Rect],
    passed: Sequence[Rect] = (),
) -> list[Point]:
    """An orthogonal route leaving the frames around its ends through their sides, below
    their title bars, where it went through a title bar.

    ``source_frames`` and ``target_frames`` are the boxes of the frames the link leaves at
    either end (:func:`frames_to_leave`). A link from a component inside a frame to one
    above it goes up to just below the title bars, across to just outside the outermost
    frame's nearer side, and up to its other end there; one leaving sideways turns outside
    the frames instead of inside them. The route is returned unchanged when it crosses no
    title bar, or when no such way round is clear (its ends overlap a title bar, or the
    other end is not beyond the frames).

    ``passed`` are frames holding neither end that the route may run through: its middle
    segment moves to pass above such a frame (or beside it), where that keeps the route's
    shape.
    """
    strips = [title_rect(box) for box in (*source_frames, *target_frames)]
    route = list(points)
    if strips and _crosses(route, strips):
        for forward in (True, False):
            ordered = route if forward else route[::-1]
            here, there = (
                (source_frames, target_frames) if forward else (target_frames, source_frames)
            )
            found = _leave(ordered, here, there)
            if found is not None and not _crosses(found, strips):
                route = found if forward else found[::-1]
                break
    for frame in passed:
        strip = title_rect(frame)
        if _crosses(route, (strip,)):
            moved = _pass(route, frame)
            if moved is not None and not _crosses(moved, [*strips, strip]):
                route = moved
    return route


def _pass(points: list[Point], frame: Rect) -> list[Point] | None:
    """``points`` (one elbow pair: four points) with its middle segment moved to pass above
    ``frame``, or beside it; None when the ends leave no room for that."""
    if len(points) != 4:
        return None
    (px, py), (elbow, _), _, (ox, oy) = points
    x, y, width, _height = frame
    if elbow == px:  # down (or up), across, down: the crossing above the frame
        low, high = min(py, oy), max(py, oy)
        if not low + 4 < y < high:
            return None
        middle = (low + y) / 2
        return [(px, py), (px, middle), (ox, middle), (ox, oy)]
    low, high = min(px, ox), max(px, ox)  # across, down, across: beside the frame
    for side in (x - _CLEARANCE, x + width + _CLEARANCE):
        if low + 4 < side < high - 4:
            return [(px, py), (side, py), (side, oy), (ox, oy)]
    return None


def _crosses(points: Sequence[Point], strips: Sequence[Rect]) -> bool:
    """Whether a segment of ``points`` runs through the inside of one of ``strips``."""
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        left, right, top, bottom = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
        for x, y, width, height in strips:
            if left < x + width and right > x and top < y + height and bottom > y:
                return True
    return False


def _leave(points: list[Point], here: Sequence[Rect], there: Sequence[Rect]) -> list[Point] | None:
    """The route from ``points[0]``, inside the frames ``here``, out through their sides to
    ``points[-1]`` (inside the frames ``there``); None when this end need not or cannot."""
    if not here or len(points) < 2:
        return None
    (px, py), (nx, ny), (ox, oy) = points[0], points[1], points[-1]
    left = min(x for x, _y, _w, _h in here) - _CLEARANCE
    right = max(x + w for x, _y, w, _h in here) + _CLEARANCE
    if nx == px and ny < py:  # up from the top of the end: below the titles, out sideways
        lowest_title = max(y + min(TITLE_HEIGHT, h) for _x, y, _w, h in here)
        if py - lowest_title < 2:
            return None  # the end overlaps a title bar
        top = min(y for _x, y, _w, _h in here)
        floor = max([oy, *(y + h for _x, y, _w, h in there)])
        if floor >= top - 2:
            return None  # the other end is not above the frames
        outward = (
            1.0 if abs(right - px) + abs(right - ox) < abs(left - px) + abs(left - ox) else -1.0
        )
        side = right - _CLEARANCE if outward > 0 else left + _CLEARANCE  # the frames' side
        # links leaving the same way are nested, not drawn on top of one another: the
        # farther its end is from the side it leaves by, the higher it turns out and the
        # nearer the frame and the lower it runs
        far = min(abs(side - px) * _NESTING, _NESTED)
        across = min(lowest_title + _CLEARANCE / 2 + _NESTED - far, (lowest_title + py) / 2)
        side += outward * (_CLEARANCE / 2 + _NESTED - far)
        over = min(max((floor + top) / 2 + far - _NESTED / 2, floor + 1), top - 1)
        return [(px, py), (px, across), (side, across), (side, over), (ox, over), (ox, oy)]
    if ny == py and nx != px:  # sideways: turn outside the frames, not inside them
        side = right if nx > px else left
        if (ox - side) * (nx - px) <= 0:
            return None  # the other end is not beyond the frames on that side
        return [(px, py), (side, py), (side, oy), (ox, oy)]
    return None
