"""A whole document's geometry at once: what the headless exports draw and metrics measure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stipa.diagram.components import caption_of, component_text
from stipa.diagram.geometry import Box, Label, Rect, Route, TextLine
from stipa.diagram.labels import place_labels
from stipa.diagram.routing import route_diagram
from stipa.diagram.style import Preset, preset_for
from stipa.model import Component, Link, LinkKind, LinkLayout, NodeLayout

__all__ = [
    "ComponentShape",
    "DiagramGeometry",
    "LinkShape",
    "diagram_geometry",
    "fallback_layout",
]

#: Where a component without a layout is drawn: a grid, row by row.
_AUTO_COLUMNS, _AUTO_DX, _AUTO_DY = 6, 220.0, 140.0


def fallback_layout(index: int) -> NodeLayout:
    """The layout of the ``index``-th component when the document gives it none."""
    row, column = divmod(index, _AUTO_COLUMNS)
    return NodeLayout(id="", x=column * _AUTO_DX, y=row * _AUTO_DY)


@dataclass(frozen=True, slots=True)
class ComponentShape:
    """A component as drawn: its box, preset and text lines."""

    component: Component
    box: Box
    preset: Preset
    lines: tuple[TextLine, ...]


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


def diagram_geometry(
    components: Mapping[str, Component],
    links: Mapping[str, Link],
    node_layout: Mapping[str, NodeLayout],
    link_layout: Mapping[str, LinkLayout],
) -> DiagramGeometry:
    """Boxes, routes, labels and text of a document's diagram, as the canvas draws them."""
    boxes: dict[str, Rect] = {}
    shapes = {}
    for index, (component_id, component) in enumerate(components.items()):
        layout = node_layout.get(component_id) or fallback_layout(index)
        rect = (layout.x, layout.y, layout.width, layout.height)
        boxes[component_id] = rect
        preset = preset_for(component.kind, component.nature, component.role)
        lines = component_text(rect, caption_of(component, preset), component.name)
        shapes[component_id] = ComponentShape(component, Box(*rect), preset, lines)
    drawn = {
        link_id: link
        for link_id, link in links.items()
        if link.source in boxes and link.target in boxes
    }
    ends = {link_id: (link.source, link.target) for link_id, link in drawn.items()}
    routes = route_diagram(boxes, ends, link_layout)
    texts = {
        link_id: (
            tuple(item.name for item in link.items),
            link.kind == LinkKind.CONTROL_ACTION,
        )
        for link_id, link in drawn.items()
    }
    labels = place_labels(boxes.values(), routes, texts, link_layout)
    link_shapes = {
        link_id: LinkShape(link, routes[link_id], labels.get(link_id))
        for link_id, link in drawn.items()
    }
    return DiagramGeometry(shapes, link_shapes)
