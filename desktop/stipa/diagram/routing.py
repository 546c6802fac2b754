"""Orthogonal routes: sides, ports spread along a side, nested elbows, the movable middle.

The canvas keeps a port table per component item and calls these functions as its items
move; :func:`route_diagram` computes the same routes for a whole diagram at once, headless.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from stipa.diagram.geometry import Point, Rect, Route
from stipa.model import LinkLayout, Routing

__all__ = [
    "ARROW_SIZE",
    "Port",
    "arrow_head",
    "clip_to_rect",
    "port_point",
    "port_tables",
    "route",
    "route_diagram",
    "sides",
]

#: Length of an arrow head's sides.
ARROW_SIZE = 11.0
#: Vertical gap below which two components count as side by side.
_STACK_GAP = 10.0
#: How far apart the elbows of links sharing a side are nested.
_STAGGER = 7.0
#: A port: the side, its index among the links on that side, and how many there are.
Port = tuple[str, int, int]
_STRAIGHT = Routing.STRAIGHT


def sides(source: Rect, target: Rect) -> tuple[str, str]:
    """The sides of the source and target a link leaves and enters by.

    Components stacked vertically connect bottom/top (control actions run down, feedback
    up, STPA-style); side by side they connect left/right. Between a container and a
    component inside it, the link runs from the inner box to the nearest of the frame's
    left, right or bottom sides, inside the frame: never across its title bar.
    """
    ax, ay, aw, ah = source
    bx, by, bw, bh = target
    nested = _nested_side(source, target) or _nested_side(target, source)
    if nested:
        return (nested, nested)
    down = ay + ah / 2 < by + bh / 2
    gap = by - (ay + ah) if down else ay - (by + bh)
    if gap > _STACK_GAP:
        return ("bottom", "top") if down else ("top", "bottom")
    return ("right", "left") if ax + aw / 2 < bx + bw / 2 else ("left", "right")


def _nested_side(inner: Rect, outer: Rect) -> str:
    """The side of ``outer`` nearest to ``inner`` when ``outer`` holds it ("" otherwise)."""
    ix, iy, iw, ih = inner
    ox, oy, ow, oh = outer
    if not (ox <= ix and oy <= iy and ix + iw <= ox + ow and iy + ih <= oy + oh):
        return ""
    if (iw, ih) == (ow, oh):
        return ""  # the same box: not a container
    gaps = {"left": ix - ox, "right": ox + ow - ix - iw, "bottom": oy + oh - iy - ih}
    return min(gaps, key=gaps.__getitem__)


def port_order(entries: Iterable[tuple[str, float, bool, str]]) -> dict[str, Port]:
    """Ports for one component's links: ``entries`` are ``(side, along, outgoing, link
    id)``, where ``along`` is where the other end lies along that side and ``outgoing``
    whether the link leaves this component. Links sharing a side are ordered by ``along``,
    so they fan out without crossing; between two links to the same component, the one
    running down (or right) comes first, so a control action runs left of the feedback
    closing its loop, as the STPA Handbook draws them."""
    groups: dict[str, list[tuple[float, bool, str]]] = {}
    for side, along, outgoing, link_id in entries:
        forward = outgoing == (side in ("bottom", "right"))  # down or right
        groups.setdefault(side, []).append((along, not forward, link_id))
    table: dict[str, Port] = {}
    for side, group in groups.items():
        group.sort()
        for index, (_along, _backward, link_id) in enumerate(group):
            table[link_id] = (side, index, len(group))
    return table


def along(side: str, other: Rect) -> float:
    """Where ``other`` lies along ``side`` (its centre's x on top/bottom, y on left/right)."""
    x, y, w, h = other
    return x + w / 2 if side in ("top", "bottom") else y + h / 2


def port_point(box: Rect, side: str, index: int, count: int) -> Point:
    """The point of port ``index`` of ``count`` spread evenly along ``side`` of ``box``."""
    x, y, w, h = box
    fraction = (index + 1) / (count + 1)
    if side == "top":
        return (x + w * fraction, y)
    if side == "bottom":
        return (x + w * fraction, y + h)
    if side == "left":
        return (x, y + h * fraction)
    return (x + w, y + h * fraction)


def route(
    source: Rect,
    target: Rect,
    source_port: Port,
    target_port: Port,
    layout: LinkLayout | None,
) -> list[Point]:
    """The polyline from source to target: orthogonal by default, through bends if set.

    An orthogonal route is one or three segments; its middle segment sits where the layout's
    first bend says (the user moved it), else halfway, nested with its neighbours' elbows so
    that the port nearest the turn turns first and segments never overlap.
    """
    straight = layout is not None and layout.routing == _STRAIGHT
    bends = layout.bends if layout is not None else ()
    if straight and bends:
        start, end = _centre(source), _centre(target)
        points = [start, *bends, end]
        points[0] = clip_to_rect(source, points[1], start)
        points[-1] = clip_to_rect(target, points[-2], end)
        return points
    source_side, index, count = source_port
    start = port_point(source, source_side, index, count)
    end = port_point(target, *target_port)
    (sx, sy), (ex, ey) = start, end
    stagger = (index - (count - 1) / 2) * _STAGGER
    channel = bends[0] if bends else None  # a moved middle segment
    if source_side in ("top", "bottom"):
        if straight or (channel is None and abs(sx - ex) < 1):
            return [start, end]
        offset = -stagger if ex > sx else stagger
        if source_side == "top":
            offset = -offset
        mid = channel[1] if channel is not None else (sy + ey) / 2 + offset
        return [start, (sx, mid), (ex, mid), end]
    if straight:
        return [start, end]
    if channel is not None:
        mid = channel[0]
        return [start, (mid, sy), (mid, ey), end]
    if abs(sy - ey) < 1:
        return [start, end]
    offset = -stagger if ey > sy else stagger
    if source_side == "left":
        offset = -offset
    mid = (sx + ex) / 2 + offset
    return [start, (mid, sy), (mid, ey), end]


def arrow_head(tip: Point, before: Point, size: float = ARROW_SIZE) -> tuple[Point, Point, Point]:
    """The three corners of an arrow head at ``tip`` pointing away from ``before``."""
    x, y = tip
    angle = math.atan2(y - before[1], x - before[0])
    left = (x - math.cos(angle - 0.4) * size, y - math.sin(angle - 0.4) * size)
    right = (x - math.cos(angle + 0.4) * size, y - math.sin(angle + 0.4) * size)
    return (tip, left, right)


def clip_to_rect(rect: Rect, outside: Point, centre: Point) -> Point:
    """Where the segment from ``outside`` to ``centre`` crosses the border of ``rect``."""
    x, y, w, h = rect
    corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        hit = _crossing(outside, centre, a, b)
        if hit is not None:
            return hit
    return centre


def _crossing(p1: Point, p2: Point, q1: Point, q2: Point) -> Point | None:
    """Where segments ``p1 p2`` and ``q1 q2`` cross, or None."""
    dx, dy = p2[0] - p1[0], p2[1] - p1[1]
    ex, ey = q2[0] - q1[0], q2[1] - q1[1]
    denominator = dx * ey - dy * ex
    if denominator == 0:
        return None
    fx, fy = q1[0] - p1[0], q1[1] - p1[1]
    t = (fx * ey - fy * ex) / denominator
    u = (fx * dy - fy * dx) / denominator
    if 0 <= t <= 1 and 0 <= u <= 1:
        return (p1[0] + t * dx, p1[1] + t * dy)
    return None


def _centre(rect: Rect) -> Point:
    x, y, w, h = rect
    return (x + w / 2, y + h / 2)


def port_tables(
    boxes: Mapping[str, Rect], ends: Mapping[str, tuple[str, str]]
) -> dict[str, dict[str, Port]]:
    """Every component's ports: ``ends`` maps a link id to its (source, target) ids, in
    document order."""
    entries: dict[str, list[tuple[str, float, bool, str]]] = {}
    for link_id, (source, target) in ends.items():
        source_side, target_side = sides(boxes[source], boxes[target])
        entries.setdefault(source, []).append(
            (source_side, along(source_side, boxes[target]), True, link_id)
        )
        entries.setdefault(target, []).append(
            (target_side, along(target_side, boxes[source]), False, link_id)
        )
    return {component: port_order(found) for component, found in entries.items()}


def route_diagram(
    boxes: Mapping[str, Rect],
    ends: Mapping[str, tuple[str, str]],
    layouts: Mapping[str, LinkLayout],
) -> dict[str, Route]:
    """The route of every link, as the canvas draws it.

    ``boxes``: each component's ``(x, y, width, height)``; ``ends``: each link's (source,
    target) ids, in document order; ``layouts``: the links' layout records, where they have
    one.
    """
    tables = port_tables(boxes, ends)
    routes = {}
    for link_id, (source, target) in ends.items():
        source_side, target_side = sides(boxes[source], boxes[target])
        source_port = tables[source].get(link_id, (source_side, 0, 1))
        target_port = tables[target].get(link_id, (target_side, 0, 1))
        points = route(
            boxes[source],
            boxes[target],
            (source_side, *source_port[1:]),
            (target_side, *target_port[1:]),
            layouts.get(link_id),
        )
        routes[link_id] = Route(tuple(points), arrow_head(points[-1], points[-2]))
    return routes
