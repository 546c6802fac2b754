"""The Qt-free diagram engine: text metrics, sizes, routes and labels that collide with nothing."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st

from stipa import resources
from stipa.diagram.components import component_size, component_text
from stipa.diagram.containers import frame_outline, title_rect
from stipa.diagram.geometry import Box
from stipa.diagram.labels import (
    BULLET,
    LABEL_WIDTH,
    LEADER_FROM,
    LabelPlacer,
    label_lines,
    label_size,
)
from stipa.diagram.metrics import crowded_labels, drawing_of
from stipa.diagram.routing import route_diagram
from stipa.diagram.scene import DiagramGeometry, diagram_geometry
from stipa.diagram.text import LABEL, NAME, text_width, wrap
from stipa.io import load
from stipa.model import Component, Document, Link, LinkItem, NodeLayout
from stipa.testing import generate_document

EXAMPLES = [path for path in resources.examples() if path.suffix == ".stipa"]


def geometry_of(document: Document) -> DiagramGeometry:
    return diagram_geometry(
        document.components, document.links, document.node_layout, document.link_layout
    )


def label_collisions(geometry: DiagramGeometry) -> list[str]:
    """Every label that shares area with a component, another label or another link's
    segment (the segment as a line, its pen's width left out)."""
    found = []
    labels = {key: shape.label.box for key, shape in geometry.links.items() if shape.label}
    for key, box in labels.items():
        for component_id, component in geometry.components.items():
            # a frame's inside is free room: only its title bar and border are in the way
            if component.frame:
                title = Box(*title_rect(component.box.rect()))
                covers = box.intersects(title) or any(
                    _segment_crosses(a, b, box)
                    for a, b in pairwise(frame_outline(component.box.rect()))
                )
            else:
                covers = box.intersects(component.box)
            if covers:
                found.append(f"{key} covers {component_id}")
        for other, other_box in labels.items():
            if other < key and box.intersects(other_box):
                found.append(f"{key} covers label {other}")
        for other, shape in geometry.links.items():
            if other == key:
                continue
            for a, b in pairwise(shape.route.points):
                if _segment_crosses(a, b, box):
                    found.append(f"{key} covers a segment of {other}")
                    break
    return found


def _segment_crosses(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Whether the segment passes through the box's inside (sampled finely)."""
    steps = 200
    for i in range(steps + 1):
        x = a[0] + (b[0] - a[0]) * i / steps
        y = a[1] + (b[1] - a[1]) * i / steps
        if box.x < x < box.right and box.y < y < box.bottom:
            return True
    return False


# --- text ----------------------------------------------------------------------------------


def test_widths_come_from_the_font_and_scale_with_the_size() -> None:
    assert text_width("", LABEL) == 0
    assert text_width("WW", LABEL) > text_width("ii", LABEL) > 0
    font = TTFont(resources.resource_path("fonts", "DejaVuSans-Bold.ttf"))
    advance = font["hmtx"][font.getBestCmap()[ord("M")]][0]
    assert text_width("MM", NAME) == pytest.approx(2 * advance / 2048 * 12)


@given(st.text(alphabet=st.sampled_from("abc XYZ-éß"), max_size=80), st.floats(30, 300))
def test_wrapped_lines_fit_and_keep_every_word(text: str, width: float) -> None:
    lines = wrap(text, width, LABEL)
    for line in lines:
        fits = text_width(line, LABEL) <= width
        assert fits or len(line) == 1  # one character wider than the room stays whole
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_a_component_grows_for_a_long_name_and_its_text_stays_inside() -> None:
    assert component_size("«Controller»", "Brake") == (160.0, 70.0)
    name = "Autonomous emergency braking supervisory controller with a long name"
    width, height = component_size("«Controller»", name)
    assert width > 160 and height >= 70
    for line in component_text((0.0, 0.0, width, height), "«Controller»", name):
        assert line.x >= 0 and line.x + text_width(line.text, line.style) <= width
        assert 0 < line.y < height


# --- several control actions on one arrow --------------------------------------------------


def test_several_items_are_a_list_one_per_line() -> None:
    lines = label_lines(["Apply brake, gently", "Release brake"])
    assert [text for text, _indent in lines] == [
        BULLET + "Apply brake, gently",
        BULLET + "Release brake",
    ]
    single = label_lines(["Apply brake, gently"])
    assert single == (("Apply brake, gently", 0.0),)


def test_a_long_item_wraps_to_a_readable_width_under_its_bullet() -> None:
    name = "Command the wheel brake system to release pressure when the aircraft stops"
    lines = label_lines([name, "Hold"])
    width, _height = label_size(lines)
    assert width <= LABEL_WIDTH
    texts = [text for text, _indent in lines]
    assert texts[0].startswith(BULLET) and not texts[1].startswith(BULLET)
    assert lines[1][1] == pytest.approx(text_width(BULLET, LABEL))  # hanging indent
    assert texts[-1] == BULLET + "Hold"


# --- routes --------------------------------------------------------------------------------


def test_links_sharing_a_side_get_their_own_ports() -> None:
    boxes = {"A": (0.0, 0.0, 160.0, 70.0), "B": (0.0, 300.0, 160.0, 70.0)}
    ends = {"L1": ("A", "B"), "L2": ("B", "A"), "L3": ("A", "B")}
    routes = route_diagram(boxes, ends, {})
    starts = {key: route.points[0] for key, route in routes.items()}
    assert len(set(starts.values())) == 3
    for route in routes.values():
        for (x1, y1), (x2, y2) in pairwise(route.points):
            assert x1 == x2 or y1 == y2  # orthogonal


# --- labels --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_labels_collide_with_nothing(path: Path) -> None:
    geometry = geometry_of(load(path))
    assert all(shape.label is not None for shape in geometry.links.values() if shape.link.items)
    assert label_collisions(geometry) == []


def test_crowded_labels_move_away_rather_than_overlap() -> None:
    """Twelve links between two components: the labels find free places further out."""
    doc = Document()
    with doc.transaction("build"):
        top = doc.add(Component(name="Controller"))
        bottom = doc.add(Component(name="Process", kind="controlled_process"))
        doc.set_layout(NodeLayout(id=top.id, x=0, y=0))
        doc.set_layout(NodeLayout(id=bottom.id, x=0, y=260))
        for i in range(12):
            doc.add(Link(source=top.id, target=bottom.id, items=[LinkItem(name=f"Command {i}")]))
    geometry = geometry_of(doc)
    assert len([s for s in geometry.links.values() if s.label]) == 12
    assert label_collisions(geometry) == []


def _crosses_box(a: tuple[float, float], b: tuple[float, float], box: Box) -> bool:
    """Whether the segment ``a b`` passes through the inside of ``box`` (sampled finely)."""
    steps = 200
    return any(
        box.x < a[0] + (b[0] - a[0]) * i / steps < box.right
        and box.y < a[1] + (b[1] - a[1]) * i / steps < box.bottom
        for i in range(steps + 1)
    )


def _starts_on_route(point: tuple[float, float], points: tuple[tuple[float, float], ...]) -> bool:
    return any(
        min(x1, x2) - 1e-6 <= point[0] <= max(x1, x2) + 1e-6
        and min(y1, y2) - 1e-6 <= point[1] <= max(y1, y2) + 1e-6
        for (x1, y1), (x2, y2) in pairwise(points)
    )


def test_a_crowded_hand_drawn_diagram_ties_far_labels_to_their_links() -> None:
    """The generator's rows of 30 components (90 links), as a person might have drawn them:
    the placer never moves a component, so labels with no room by their links go farther
    out, along the whole route, or, where none is free there either, to the nearest free
    room; each is tied to its link by a leader line, and none covers anything."""
    doc = generate_document(30)
    geometry = geometry_of(doc)
    assert all(shape.label is not None for shape in geometry.links.values() if shape.link.items)
    assert label_collisions(geometry) == []
    leaders = {
        link_id: shape.label
        for link_id, shape in geometry.links.items()
        if shape.label is not None and shape.label.leader is not None
    }
    assert len(leaders) >= 10
    boxes = [shape.box for shape in geometry.components.values()]
    crowded = drawing_of(doc).crowded  # those with no free place along their link
    labels = {
        link_id: shape.label.box
        for link_id, shape in geometry.links.items()
        if shape.label and link_id not in crowded
    }
    for link_id, label in leaders.items():
        assert label.leader is not None
        start, end = label.leader
        assert _starts_on_route(start, geometry.links[link_id].route.points)
        box = label.box  # ... and ends on its label's border, far enough to need it
        assert box.x <= end[0] <= box.right and box.y <= end[1] <= box.bottom
        assert abs(end[0] - start[0]) + abs(end[1] - start[1]) >= LEADER_FROM
        if link_id not in crowded:  # a place along its link: the leader crosses nothing
            others = [b for other, b in labels.items() if other != link_id]
            assert not any(_crosses_box(start, end, b) for b in [*boxes, *others])
    # 72 of the 90 labels found no place when every label stayed within 110 px
    assert len(crowded) <= 60
    assert all(link_id in leaders for link_id in crowded)


@pytest.mark.parametrize("size", [100, 300])
def test_labels_of_big_hand_drawn_diagrams_cover_nothing(size: int) -> None:
    """The generator's rows of 100 and 300 components: most labels find no free place by
    their links, and each still finds a free place, the same in every drawing."""
    doc = generate_document(size)
    drawn = drawing_of(doc)
    assert len(drawn.labels) == len(doc.links)  # every link carries items: every label placed
    assert len(drawn.crowded) > len(doc.links) / 2
    assert crowded_labels(drawn) == set()
    assert drawing_of(doc) == drawn  # deterministic
    geometry = geometry_of(doc)
    for link_id in drawn.crowded:
        label = geometry.links[link_id].label
        assert label is not None and label.crowded
        if label.leader is not None:  # (none where the free room is right by the link)
            assert _starts_on_route(label.leader[0], geometry.links[link_id].route.points)


def test_a_label_with_no_room_anywhere_near_goes_beyond_the_diagram() -> None:
    """A link inside a wall of components: the free room nearest its label is beyond the
    diagram's edge, where the label goes, the nearest edge first, one beyond another."""
    wall = [(x * 100.0, y * 50.0, 100.0, 50.0) for x in range(40) for y in range(40)]
    route = ((2000.0, 1000.0), (2000.0, 1010.0))
    placer = LabelPlacer(wall, [route])
    places = []
    for _ in range(3):
        first = (2010.0, 1000.0, 80.0, 20.0)
        assert placer.place([first]) is None
        places.append(placer.place_free(first, route))
    boxes = [Box(*rect) for rect in places]
    for number, box in enumerate(boxes):
        assert box.x >= 4_000 or box.y >= 2_000 or box.right <= 0 or box.bottom <= 0
        assert not any(box.intersects(Box(*rect)) for rect in wall)
        assert not any(box.intersects(other) for other in boxes[number + 1 :])


def test_a_placer_knowing_only_a_part_of_the_diagram_stays_in_it() -> None:
    """The canvas places a few labels again knowing only what lies around them: the free
    room is looked for there, never beyond, where the placer knows nothing."""
    boxes = [(0.0, 0.0, 100.0, 40.0), (0.0, 60.0, 100.0, 40.0)]
    placer = LabelPlacer(boxes, within=(-50.0, -50.0, 300.0, 200.0))
    first = (10.0, 10.0, 60.0, 14.0)
    x, y, width, height = placer.place_free(first)
    assert x >= -50 and x + width <= 250 and y >= -50 and y + height <= 150
    assert placer.hits((x, y, width, height)) == 1  # itself only


def test_a_huge_box_costs_one_entry_in_the_label_index() -> None:
    """Issue 15.1: the index holds rectangles, not cells, so a 1e6-wide box is one entry."""
    placer = LabelPlacer([(0.0, 0.0, 1e6, 1e6), (-500.0, -500.0, 100.0, 40.0)])
    assert placer.hits((10.0, 10.0, 50.0, 20.0)) == 1
    assert placer.hits((-2e6, -2e6, 50.0, 20.0)) == 0
    placer = LabelPlacer([(0.0, 0.0, 1e300, 1e300)])
    assert placer.hits((1e299, 1e299, 50.0, 20.0)) == 1
