"""Containers drawn as frames: which components are frames, their titles, depths and sizes.

A component is drawn as a frame when it contains others or is a system boundary; a frame
has a title bar with its name (a boundary: a dashed outline, its name in the corner). A
collapsed container is drawn as one component: what it contains is hidden, and the links
of its contents are drawn to it, one arrow per pair of ends and kind, with a count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from stipa.diagram.geometry import Box, Point, Rect, Route, TextLine
from stipa.diagram.routing import arrow_head, route, sides
from stipa.diagram.text import LABEL, NAME, ascent, elide, line_height, text_width
from stipa.model import Component, ComponentKind, Link, LinkKind, NodeLayout

__all__ = [
    "FRAME_HEIGHT",
    "FRAME_PADDING",
    "FRAME_WIDTH",
    "TITLE_HEIGHT",
    "Aggregate",
    "aggregate_links",
    "aggregate_route",
    "collapsed_ids",
    "count_label",
    "depths",
    "drop_target",
    "frame_ids",
    "frame_outline",
    "frame_title",
    "label_obstacles",
    "minimum_frame",
    "shown_as",
    "title_rect",
]

#: A new container's (or boundary's) size: room for a few components.
FRAME_WIDTH, FRAME_HEIGHT = 400.0, 260.0
#: The height of a frame's title bar.
TITLE_HEIGHT = line_height(NAME) + 10.0
#: The room kept between a frame's border and what it contains.
FRAME_PADDING = 10.0
_TITLE_INSET = 8.0


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


@dataclass(frozen=True, slots=True)
class Aggregate:
    """Links drawn as one arrow between two shown components: the links' ids, their kind."""

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
