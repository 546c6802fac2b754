"""Diagram geometry without Qt: text metrics, component sizes, routes and label places.

The canvas, the image exports and the command line all draw what this package computes, so
they agree to the pixel. No Qt and no lxml here (tests/test_architecture.py).

* :mod:`~stipa.diagram.text`: DejaVu Sans metrics (fontTools), measuring and wrapping;
* :mod:`~stipa.diagram.components`: a component's caption and name lines, and its size;
* :mod:`~stipa.diagram.routing`: sides, ports, orthogonal routes, arrow heads;
* :mod:`~stipa.diagram.labels`: label text as a list, and places that collide with nothing;
* :mod:`~stipa.diagram.scene`: all of it for a whole document at once (headless drawing);
* :mod:`~stipa.diagram.style`: component presets and link colours;
* :mod:`~stipa.diagram.layout`: automatic layout by control authority (igraph);
* :mod:`~stipa.diagram.sugiyama`: igraph's layered layout, one connected part at a time;
* :mod:`~stipa.diagram.metrics`: quality figures of a drawing (overlaps, crossings, ...).
"""
