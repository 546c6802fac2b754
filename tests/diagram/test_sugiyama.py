"""igraph's layered layout one connected part at a time: no crash, the parts side by side."""

from __future__ import annotations

from itertools import pairwise

import igraph
from hypothesis import given
from hypothesis import strategies as st

from stipa.diagram.metrics import drawing_of, measure
from stipa.diagram.sugiyama import sugiyama_grid
from stipa.model import Component, ComponentKind, Document, Link, LinkItem, LinkKind, NodeLayout
from stipa.operations.layout import auto_layout


def test_a_structure_beside_three_thousand_lone_components_is_laid_out() -> None:
    # the operator's control action to the plant skips the supervisor's row: igraph 1.0, laying
    # out all 3,003 components in one call, read past its buffers here and crashed the process
    doc = Document()
    with doc.transaction("Build"):
        names = ["Operator", "Supervisor", "Plant", *(f"Spare {i}" for i in range(3_000))]
        ids = {}
        for name in names:
            ids[name] = doc.add(Component(name=name, kind=ComponentKind.CONTROLLER)).id
            doc.set_layout(NodeLayout(id=ids[name], x=0, y=0))
        for source, target in [
            ("Operator", "Supervisor"),
            ("Supervisor", "Plant"),
            ("Operator", "Plant"),
        ]:
            item = LinkItem(name=f"{source} to {target}")
            kind = LinkKind.CONTROL_ACTION
            doc.add(Link(source=ids[source], target=ids[target], kind=kind, items=(item,)))
    auto_layout(doc)
    tops = {name: doc.node_layout[ids[name]].y for name in ("Operator", "Supervisor", "Plant")}
    assert tops["Operator"] < tops["Supervisor"] < tops["Plant"]
    metrics = measure(drawing_of(doc))
    assert metrics.component_overlaps == 0
    assert metrics.control_down_share == 1.0
    doc.undo()  # one step: every component back on the pile at the origin
    assert {(layout.x, layout.y) for layout in doc.node_layout.values()} == {(0.0, 0.0)}


#: A graph to lay out: how many vertices, its edges, the layer of each vertex.
Layered = tuple[int, list[tuple[int, int]], list[int]]


@st.composite
def layered_graphs(draw: st.DrawFn) -> Layered:
    """A graph with a layer for each vertex and edges pointing down, some over several
    layers; often in several parts, often with lone vertices."""
    n = draw(st.integers(1, 14))
    layers = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20))
    edges = [
        (a, b) if layers[a] < layers[b] else (b, a) for a, b in pairs if layers[a] != layers[b]
    ]
    return n, edges, layers


@given(layered_graphs())
def test_each_part_is_laid_out_alone_and_set_right_of_the_one_before(graph: Layered) -> None:
    n, edges, layers = graph
    grid = sugiyama_grid(n, edges, layers)
    assert sugiyama_grid(n, edges, layers) == grid  # deterministic
    assert [row for _, row in grid] == [float(layer) for layer in layers]
    shifts = []
    for part in igraph.Graph(n=n, edges=edges, directed=True).connected_components(mode="weak"):
        index = {v: i for i, v in enumerate(part)}
        alone = igraph.Graph(
            n=len(part), edges=[(index[a], index[b]) for a, b in edges if a in index], directed=True
        ).layout_sugiyama(layers=[layers[v] for v in part], hgap=1, vgap=1)
        shift = grid[part[0]][0] - alone.coords[0][0]
        assert [grid[v] for v in part] == [(x + shift, y) for x, y in alone.coords]
        shifts.append(shift)
    # in the order of their first vertex, left to right
    assert all(right - left >= 1 for left, right in pairwise(shifts))


@given(layered_graphs())
def test_one_part_is_igraphs_own_layout(graph: Layered) -> None:
    n, edges, layers = graph
    # made one part: a vertex on the top layer above every other one
    joined = [*edges, *((n, v) for v in range(n))]
    top = [layer + 1 for layer in layers] + [0]
    own = igraph.Graph(n=n + 1, edges=joined, directed=True).layout_sugiyama(
        layers=top, hgap=1, vgap=1
    )
    assert sugiyama_grid(n + 1, joined, top) == [(x, y) for x, y in own.coords]


@given(layered_graphs())
def test_parts_are_set_as_igraph_sets_them(graph: Layered) -> None:
    n, edges, layers = graph
    # igraph's call on the whole graph is safe when no edge spans more than one layer (no
    # bends); each part lifted to start on the top layer, as in compute_layout without levels
    short = [(a, b) for a, b in edges if layers[b] - layers[a] == 1]
    top = list(layers)
    for part in igraph.Graph(n=n, edges=short, directed=True).connected_components(mode="weak"):
        highest = min(layers[v] for v in part)
        for v in part:
            top[v] = layers[v] - highest
    whole = igraph.Graph(n=n, edges=short, directed=True).layout_sugiyama(
        layers=top, hgap=1, vgap=1
    )
    assert sugiyama_grid(n, short, top) == [(x, y) for x, y in whole.coords]
