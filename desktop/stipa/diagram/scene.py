"""A whole document's geometry at once: what the headless exports draw and metrics measure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stipa.diagram.components import caption_of, component_size, component_text
from stipa.diagram.containers import (
    Aggregate,
    aggregate_links,
    aggregate_route,
    collapsed_ids,
    depths,
    frame_ids,
    frame_outline,
    frame_title,
    label_obstacles,
    routed_clear_of_titles,
    shown_as,
    title_index,
)
from stipa.diagram.geometry import Box, Label, Point, Rect, Route, TextLine
from stipa.diagram.labels import place_labels
from stipa.diagram.routing import arrow_head, route_diagram
from stipa.diagram.style import Preset, preset_for
from stipa.model import Component, Link, LinkKind, LinkLayout, NodeLayout, Routing

__all__ = [
    "AggregateShape",
    "ComponentShape",
    "DiagramGeometry",
    "LinkShape",
    "component_shapes",
    "diagram_geometry",
    "fallback_layout",
    "label_setting",
]

#: Where a component without a layout is drawn: a grid, row by row.
_AUTO_COLUMNS, _AUTO_DX, _AUTO_DY = 6, 220.0, 140.0


def fallback_layout(index: int) -> NodeLayout:
    """The layout of the ``index``-th component when the document gives it none."""
    row, column = divmod(index, _AUTO_COLUMNS)
    return NodeLayout(id="", x=column * _AUTO_DX, y=row * _AUTO_DY)


@dataclass(frozen=True, slots=True)
class ComponentShape:
    """A component as drawn: its box, preset and text lines.

    ``frame``: drawn as an open frame with a title bar (a container, or a system boundary),
    ``lines`` then holding its title; ``depth``: how deeply it is nested; ``collapsed``: a
    container drawn as one component, its contents hidden.
    """

    component: Component
    box: Box
    preset: Preset
    lines: tuple[TextLine, ...]
    frame: bool = False
    depth: int = 0
    collapsed: bool = False


@dataclass(frozen=True, slots=True)
class AggregateShape:
    """The links between a collapsed container and another component, drawn as one arrow."""

    aggregate: Aggregate
    route: Route


@dataclass(frozen=True, slots=True)
class LinkShape:
    """A link as drawn: its route and label (None when it carries no items)."""

    link: Link
    route: Route
    label: Label | None


@dataclass(frozen=True, slots=True)
class DiagramGeometry:
    """Every component and link of a diagram, in document order."""

    components: dict[str, ComponentShape]
    links: dict[str, LinkShape]
    aggregates: tuple[AggregateShape, ...] = ()

    def painting_order(self) -> list[ComponentShape]:
        """The components in the order they are painted: open frames first, outer ones
        before inner ones, then the rest in document order."""
        frames = sorted(
            (shape for shape in self.components.values() if shape.frame),
            key=lambda shape: shape.depth,
        )
        return frames + [shape for shape in self.components.values() if not shape.frame]

    def bounds(self) -> Box | None:
        """The box around every component, route and label, or None for an empty diagram."""
        boxes = [shape.box for shape in self.components.values()]
        xs: list[float] = []
        ys: list[float] = []
        for box in boxes:
            xs += (box.x, box.right)
            ys += (box.y, box.bottom)
        for link in self.links.values():
            for x, y in (*link.route.points, *link.route.arrow):
                xs.append(x)
                ys.append(y)
            if link.label is not None:
                xs += (link.label.box.x, link.label.box.right)
                ys += (link.label.box.y, link.label.box.bottom)
        if not xs:
            return None
        return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def component_shapes(
    components: Mapping[str, Component], node_layout: Mapping[str, NodeLayout]
) -> tuple[dict[str, ComponentShape], dict[str, str]]:
    """The components as drawn (containers as frames, collapsed ones at their own size), and
    those left out inside a collapsed container, each with the one drawn for it."""
    shapes = {}
    frames = frame_ids(components)
    depth = depths(components) if frames else {}
    collapsed = collapsed_ids(node_layout) & frames
    hidden = shown_as(components, collapsed)
    for index, (component_id, component) in enumerate(components.items()):
        if component_id in hidden:
            continue
        layout = node_layout.get(component_id) or fallback_layout(index)
        rect = (layout.x, layout.y, layout.width, layout.height)
        preset = preset_for(component.kind, component.nature, component.role)
        caption = caption_of(component, preset)
        is_frame = component_id in frames and component_id not in collapsed
        if component_id in collapsed:
            rect = (layout.x, layout.y, *component_size(caption, component.name))
        if is_frame:
            lines: tuple[TextLine, ...] = (frame_title(rect, component.name),)
        else:
            lines = component_text(rect, caption, component.name)
        shapes[component_id] = ComponentShape(
            component,
            Box(*rect),
            preset,
            lines,
            frame=is_frame,
            depth=depth.get(component_id, 0),
            collapsed=component_id in collapsed,
        )
    return shapes, hidden


def label_setting(
    shapes: Mapping[str, ComponentShape],
) -> tuple[list[Rect], list[tuple[Point, ...]]]:
    """What link labels keep off besides the routes: the components' boxes (an open frame's
    title bar only, so labels may sit inside it) and the frames' outlines."""
    obstacles = label_obstacles((shape.box.rect(), shape.frame) for shape in shapes.values())
    borders = [frame_outline(shape.box.rect()) for shape in shapes.values() if shape.frame]
    return obstacles, borders


def diagram_geometry(
    components: Mapping[str, Component],
    links: Mapping[str, Link],
    node_layout: Mapping[str, NodeLayout],
    link_layout: Mapping[str, LinkLayout],
) -> DiagramGeometry:
    """Boxes, routes, labels and text of a document's diagram, as the canvas draws them.

    Containers are drawn as frames; what a collapsed container holds is left out, and the
    links of its contents are drawn to it as aggregated arrows.
    """
    shapes, hidden = component_shapes(components, node_layout)
    boxes = {component_id: shape.box.rect() for component_id, shape in shapes.items()}
    drawn = {
        link_id: link
        for link_id, link in links.items()
        if link.source in boxes and link.target in boxes
    }
    ends = {link_id: (link.source, link.target) for link_id, link in drawn.items()}
    routes = route_diagram(boxes, ends, link_layout)
    _clear_titles(routes, drawn, components, shapes, link_layout)
    texts = {
        link_id: (
            tuple(item.name for item in link.items),
            link.kind == LinkKind.CONTROL_ACTION,
        )
        for link_id, link in drawn.items()
    }
    obstacles, borders = label_setting(shapes)
    labels = place_labels(obstacles, routes, texts, link_layout, borders)
    link_shapes = {
        link_id: LinkShape(link, routes[link_id], labels.get(link_id))
        for link_id, link in drawn.items()
    }
    aggregates = []
    for aggregate in aggregate_links(links, hidden):
        if aggregate.source in boxes and aggregate.target in boxes:
            path = aggregate_route(boxes[aggregate.source], boxes[aggregate.target])
            aggregates.append(AggregateShape(aggregate, path))
    return DiagramGeometry(shapes, link_shapes, tuple(aggregates))


def _clear_titles(
    routes: dict[str, Route],
    links: Mapping[str, Link],
    components: Mapping[str, Component],
    shapes: Mapping[str, ComponentShape],
    link_layout: Mapping[str, LinkLayout],
) -> None:
    """Route the links out of frames beside their title bars, and past frames above them,
    rather than through the titles (``stipa.diagram.containers.clear_of_titles``), as the
    canvas does."""
    boxes = {key: shape.box.rect() for key, shape in shapes.items() if shape.frame}
    if not boxes:
        return
    titles = title_index(boxes)
    frames = set(boxes)
    around = {key: _frames_around(key, components, frames) for key in shapes}
    for link_id, link in links.items():
        layout = link_layout.get(link_id)
        if layout is not None and (layout.bends or layout.routing != Routing.ORTHOGONAL):
            continue  # drawn as the analyst set it
        before = list(routes[link_id].points)
        points = routed_clear_of_titles(
            before,
            titles,
            (link.source, link.target),
            (around[link.source], around[link.target]),
            boxes,
        )
        if points != before:
            routes[link_id] = Route(tuple(points), arrow_head(points[-1], points[-2]))


def _frames_around(
    component_id: str, components: Mapping[str, Component], frames: set[str]
) -> list[str]:
    """The open frames holding ``component_id``, innermost first."""
    found: list[str] = []
    current = components[component_id].parent
    while current in components and current not in found:
        if current in frames:
            found.append(current)
        current = components[current].parent
    return found
