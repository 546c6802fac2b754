"""Aggregated arrows drawn in bulk: routes made many at once are the routes made one by one,
and joining overlapping segments draws exactly what the routes draw."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from stipa.diagram.containers import aggregate_route, aggregate_routes, merged_segments
from stipa.diagram.geometry import Point

coordinate = st.integers(-2000, 2000).map(float)
size = st.integers(20, 600).map(float)
rects = st.tuples(coordinate, coordinate, size, size)


@given(st.lists(st.tuples(rects, rects), max_size=20))
def test_routes_made_at_once_are_those_made_one_by_one(ends) -> None:
    assert aggregate_routes(ends) == [aggregate_route(a, b) for a, b in ends]


def test_a_route_into_a_container_is_routed_inside_it() -> None:
    outer, inner = (0.0, 0.0, 400.0, 260.0), (40.0, 80.0, 120.0, 60.0)
    assert aggregate_routes([(inner, outer)]) == [aggregate_route(inner, outer)]


def _covered(segments: list[tuple[Point, Point]]) -> set[Point]:
    """The whole-number points the axis-aligned ``segments`` pass through."""
    points = set()
    for (x1, y1), (x2, y2) in segments:
        for x in range(int(min(x1, x2)), int(max(x1, x2)) + 1):
            for y in range(int(min(y1, y2)), int(max(y1, y2)) + 1):
                points.add((float(x), float(y)))
    return points


small = st.integers(0, 30).map(float)


@given(st.lists(st.lists(st.tuples(small, small), min_size=2, max_size=5), max_size=8))
def test_joined_segments_draw_what_the_routes_draw(routes) -> None:
    # axis-aligned routes, as aggregated arrows are: each step keeps x or y
    routes = [
        [route[0], *((x, prev[1]) if i % 2 else (prev[0], y) for i, (prev, (x, y)) in
                     enumerate(itertools.pairwise(route)))]
        for route in routes
    ]  # fmt: skip
    segments = [(a, b) for route in routes for a, b in itertools.pairwise(route) if a != b]
    merged = merged_segments(routes)
    assert _covered(merged) == _covered(segments)
    # none overlaps another on the same line
    for (a1, b1), (a2, b2) in itertools.combinations(merged, 2):
        if a1[1] == b1[1] == a2[1] == b2[1]:
            assert b1[0] < a2[0] or b2[0] < a1[0]
        if a1[0] == b1[0] == a2[0] == b2[0]:
            assert b1[1] < a2[1] or b2[1] < a1[1]


def test_arrows_leaving_by_one_port_draw_one_line_out_of_it() -> None:
    routes = [((0.0, 0.0), (0.0, 50.0), (x, 50.0), (x, 100.0)) for x in (-100.0, 40.0, 300.0)]
    merged = merged_segments(routes)
    assert ((0.0, 0.0), (0.0, 50.0)) in merged
    assert ((-100.0, 50.0), (300.0, 50.0)) in merged
    assert len(merged) == 5
