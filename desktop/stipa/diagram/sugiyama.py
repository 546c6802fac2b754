"""igraph's layered (Sugiyama) layout, called one connected part at a time so it cannot crash."""

from __future__ import annotations

from collections.abc import Sequence

import igraph

__all__ = ["sugiyama_grid"]


def sugiyama_grid(
    n: int,
    edges: Sequence[tuple[int, int]],
    layers: Sequence[int] | None = None,
    maxiter: int = 100,
) -> list[tuple[float, float]]:
    """igraph's Sugiyama grid (column, row) of each of ``n`` vertices, one unit apart.

    ``layers`` gives each vertex its layer (its row), or None for igraph's own layering;
    ``maxiter`` bounds the crossing reduction sweeps.

    igraph 1.0's ``layout_sugiyama`` misreads its table of bends when the graph has more
    than one weakly connected part and an edge spans more than one layer: it reads past its
    buffers and uses what it finds there as an index, so the process dies at random with a
    segmentation fault (an edge over two layers beside 3,000 lone vertices: every time).
    The table is read right when the graph is one part, so each part is laid out alone,
    and the parts are set side by side as igraph sets them: in the order of their first
    vertex, each one's column 0 one column right of the rightmost column (bends included)
    of the one before. With ``layers`` given, that is igraph's layout of the whole graph
    whenever each part starts on the top layer and skips no layer another part uses (always
    so without hierarchy levels: :func:`stipa.diagram.layout.compute_layout`); otherwise
    igraph's crossing reduction may order a part differently, as it does a first layer.
    """
    parts = igraph.Graph(n=n, edges=list(edges), directed=True).connected_components(mode="weak")
    membership = parts.membership
    part_edges: list[list[tuple[int, int]]] = [[] for _ in parts]
    for a, b in edges:  # in their own order, as igraph meets them in the whole graph
        part_edges[membership[a]].append((a, b))
    grid = [(0.0, 0.0)] * n
    left = 0.0
    for members, own_edges in zip(parts, part_edges, strict=True):
        if not own_edges:  # a lone vertex: column 0 of its own part, on its layer
            grid[members[0]] = (left, float(layers[members[0]]) if layers is not None else 0.0)
            left += 1
            continue
        index = {v: i for i, v in enumerate(members)}  # members come in ascending order
        part = igraph.Graph(
            n=len(members), edges=[(index[a], index[b]) for a, b in own_edges], directed=True
        )
        own = [layers[v] for v in members] if layers is not None else None
        layout = part.layout_sugiyama(layers=own, hgap=1, vgap=1, maxiter=maxiter)
        for v, (x, y) in zip(members, layout.coords, strict=True):
            grid[v] = (x + left, y)
        bends = [x for points in layout.edge_routing for x, _ in points]
        left += max([0.0, *(x for x, _ in layout.coords), *bends]) + 1
    return grid
