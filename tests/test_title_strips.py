"""Links keep off the title bars of frames: out of a container beside its title, past other
frames above them; the same routes headless (exports) and on the canvas."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stipa import io, resources
from stipa.diagram.containers import clear_of_titles, title_rect
from stipa.diagram.geometry import Point, Rect
from stipa.diagram.scene import diagram_geometry
from stipa.model import Component, ComponentKind, Document, Link, LinkItem, NodeLayout
from stipa.operations.layout import auto_layout
from stipa.testing.generate import generate_document


def through_titles(doc: Document) -> list[tuple[str, str]]:
    """(link, frame) for every link segment running through a frame's title bar."""
    geometry = diagram_geometry(doc.components, doc.links, doc.node_layout, doc.link_layout)
    strips = {k: title_rect(s.box.rect()) for k, s in geometry.components.items() if s.frame}
    return [
        (link_id, frame)
        for link_id, shape in geometry.links.items()
        for (x1, y1), (x2, y2) in itertools.pairwise(shape.route.points)
        for frame, (x, y, w, h) in strips.items()
        if min(x1, x2) < x + w and max(x1, x2) > x and min(y1, y2) < y + h and max(y1, y2) > y
    ]


def citizen_assistant() -> Document:
    (path,) = [p for p in resources.examples() if p.stem == "language-model-citizen-assistant"]
    return io.load(path)


def nested_generated(seed: int) -> Document:
    """A generated document with an organisation holding six of its components and a
    technical boundary holding four more, laid out automatically."""
    doc = generate_document(30, links_per_component=2, seed=seed)
    ids = list(doc.components)
    with doc.transaction("Nest"):
        outer = doc.add(Component(name="Operator", nature="organisation"))
        inner = doc.add(
            Component(name="Technical system", kind=ComponentKind.BOUNDARY, parent=outer.id)
        )
        for component_id in ids[:6]:
            doc.update(component_id, parent=outer.id)
        for component_id in ids[6:10]:
            doc.update(component_id, parent=inner.id)
    auto_layout(doc)
    return doc


def test_the_citizen_assistant_links_keep_off_the_titles() -> None:
    doc = citizen_assistant()
    assert len([c for c in doc.components.values() if doc.children_of(c.id)]) == 3
    assert through_titles(doc) == []


@pytest.mark.parametrize("seed", range(4))
def test_a_generated_nested_document_keeps_off_the_titles(seed: int) -> None:
    doc = nested_generated(seed)
    assert doc.children_of(next(c.id for c in doc.components.values() if c.name == "Operator"))
    assert through_titles(doc) == []


def _document() -> Document:
    """A provider above a municipality holding a technical system holding a model."""
    doc = Document()
    provider = doc.add(Component(name="Provider"))
    town = doc.add(Component(name="Municipality", nature="organisation"))
    system = doc.add(Component(name="System", kind="boundary", parent=town.id))
    model = doc.add(Component(name="Model", nature="ai_model", parent=system.id))
    doc.add(Link(source=provider.id, target=model.id, items=[LinkItem(name="Update")]))
    doc.add(Link(source=model.id, target=provider.id, kind="feedback",
                 items=[LinkItem(name="Incident")]))  # fmt: skip
    doc.set_layout(NodeLayout(id=provider.id, x=300, y=0))
    doc.set_layout(NodeLayout(id=town.id, x=0, y=200, width=900, height=500))
    doc.set_layout(NodeLayout(id=system.id, x=200, y=260, width=600, height=400))
    doc.set_layout(NodeLayout(id=model.id, x=400, y=400))
    return doc


def test_a_link_from_above_leaves_beside_the_titles_at_the_same_ports() -> None:
    doc = _document()
    geometry = diagram_geometry(doc.components, doc.links, doc.node_layout, doc.link_layout)
    assert through_titles(doc) == []
    model = geometry.components["C-4"].box
    for link_id in ("LK-1", "LK-2"):
        points = geometry.links[link_id].route.points
        assert all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(points))
        down = points if link_id == "LK-1" else points[::-1]
        assert down[0][1] == 70  # the provider's bottom
        assert down[-1][1] == model.y  # the model's top, entered from above
        # out of the municipality by a side, below its title bar
        assert any(x < 0 or x > 900 for x, _y in points)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(-400, 1400), min_size=2, max_size=2),
    st.integers(-600, 1200),
    st.integers(0, 4),
)
def test_clearing_never_adds_a_crossing(xs: list[int], top: int, stagger: int) -> None:
    """Whatever the ends, a route cleared of the frames' titles crosses no more titles than
    before, stays orthogonal and keeps its ends."""
    frames: list[Rect] = [(0.0, 200.0, 900.0, 500.0), (200.0, 260.0, 600.0, 400.0)]
    start: Point = (float(xs[0]), float(top))
    end: Point = (450.0, 400.0)  # the top of a component inside both frames
    middle = (start[1] + end[1]) / 2 + stagger
    route = [start, (start[0], middle), (end[0], middle), end]
    cleared = clear_of_titles(route, [], frames)
    strips = [title_rect(f) for f in frames]

    def crossings(points: list[Point]) -> int:
        return sum(
            min(x1, x2) < x + w and max(x1, x2) > x and min(y1, y2) < y + h and max(y1, y2) > y
            for (x1, y1), (x2, y2) in itertools.pairwise(points)
            for x, y, w, h in strips
        )

    assert crossings(cleared) <= crossings(route)
    assert cleared[0] == start and cleared[-1] == end
    assert all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(cleared))
    if start[1] < 200 - 2:  # from above the frames: none crossed
        assert crossings(cleared) == 0


def test_frames_passed_are_looked_up_in_a_drawn_diagram_not_a_huge_generated_one() -> None:
    from stipa.diagram.containers import PASSED_FRAMES, title_index

    few = {f"C-{n}": (n * 300.0, 0.0, 200.0, 100.0) for n in range(3)}
    index = title_index(few)
    assert index is not None
    assert list(index.crossed([(350.0, -50.0), (350.0, 50.0)])) == ["C-1"]
    assert index.crossed([(250.0, -50.0), (250.0, 50.0)]) == {}  # between two frames
    many = {f"C-{n}": (n * 300.0, 0.0, 200.0, 100.0) for n in range(PASSED_FRAMES + 1)}
    assert title_index(many) is None


@pytest.mark.gui
@pytest.mark.parametrize("seed", range(2))
def test_the_canvas_draws_the_routes_the_exports_draw(seed: int, stipa_window) -> None:
    doc = nested_generated(seed)
    window = stipa_window(document=doc)
    scene = window.view.diagram
    geometry = diagram_geometry(doc.components, doc.links, doc.node_layout, doc.link_layout)
    for link_id, shape in geometry.links.items():
        assert [tuple(p) for p in scene.links[link_id]._pts] == list(shape.route.points)
