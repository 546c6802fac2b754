"""Containers in the diagram images: frames with titles (boundaries dashed) in SVG, PNG and PDF;
a collapsed container's contents left out and their links drawn as one arrow with a count."""

from __future__ import annotations

import io as bytes_io

import pytest
from lxml import etree
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage

from stipa.diagram.containers import TITLE_HEIGHT
from stipa.diagram.scene import diagram_geometry
from stipa.export.diagram import render_diagram
from stipa.export.options import diagram_options
from stipa.model import Component, Document, Link, LinkItem, NodeLayout

pytestmark = pytest.mark.gui
SVG = "{http://www.w3.org/2000/svg}"


def _document(collapsed: bool = False) -> Document:
    """A sociotechnical boundary holding a municipality (a container) holding an assistant."""
    doc = Document()
    system = doc.add(Component(name="Sociotechnical system", kind="boundary"))
    town = doc.add(Component(name="Municipality", nature="organisation", parent=system.id))
    bot = doc.add(Component(name="Assistant", nature="software", parent=town.id))
    clerk = doc.add(Component(name="Clerk", nature="human", role="operator", parent=town.id))
    office = doc.add(Component(name="AI Office", nature="regulator"))
    for source, target in ((office.id, bot.id), (office.id, clerk.id), (town.id, bot.id)):
        doc.add(Link(source=source, target=target, items=[LinkItem(name="Rule")]))
    doc.set_layout(NodeLayout(id=system.id, x=0, y=0, width=700, height=400))
    doc.set_layout(NodeLayout(id=town.id, x=40, y=60, width=600, height=300, collapsed=collapsed))
    doc.set_layout(NodeLayout(id=bot.id, x=80, y=160))
    doc.set_layout(NodeLayout(id=clerk.id, x=360, y=160))
    doc.set_layout(NodeLayout(id=office.id, x=900, y=-200))
    return doc


def _svg(doc: Document) -> etree._Element:
    return etree.fromstring(render_diagram(doc.snapshot(), "svg", diagram_options({})))


def test_svg_draws_frames_behind_their_contents_with_titles() -> None:
    root = _svg(_document())
    layers = [g.get("id") for g in root if g.get("class") == "layer"]
    assert layers.index("layer-frames") < layers.index("layer-links")
    frames = root.find(f".//{SVG}g[@id='layer-frames']")
    assert [g.get("id") for g in frames] == ["C-1", "C-2"]  # outer first
    boundary, town = list(frames)
    assert [t.text for t in boundary.iter(f"{SVG}text")] == ["Sociotechnical system"]
    assert boundary.find(f"{SVG}rect").get("stroke-dasharray")
    assert [t.text for t in town.iter(f"{SVG}text")] == ["Municipality"]
    title = float(town.find(f"{SVG}text").get("y"))
    assert 60 < title < 60 + TITLE_HEIGHT
    # the contents are drawn as components above
    components = root.find(f".//{SVG}g[@id='layer-components']")
    assert [g.get("id") for g in components] == ["C-3", "C-4", "C-5"]


def test_svg_collapsed_container_hides_contents_and_aggregates_links() -> None:
    root = _svg(_document(collapsed=True))
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert {"C-3", "C-4"}.isdisjoint(ids)  # inside the collapsed municipality
    assert "C-2" in ids
    aggregates = [g for g in root.iter(f"{SVG}g") if g.get("class") == "aggregate"]
    assert [g.get("id") for g in aggregates] == ["C-5-C-2-control_action"]
    assert [t.text for t in aggregates[0].iter(f"{SVG}text")] == ["×2"]
    # the link from the municipality to its own assistant is internal: not drawn
    assert not [g for g in root.iter(f"{SVG}g") if g.get("id") == "LK-3"]
    geometry = diagram_geometry(*_tables(_document(collapsed=True)))
    assert geometry.components["C-2"].collapsed and not geometry.components["C-2"].frame
    assert geometry.components["C-2"].box.width < 600


def _tables(doc: Document) -> tuple:
    return doc.components, doc.links, doc.node_layout, doc.link_layout


def test_png_and_pdf_draw_frames() -> None:
    doc = _document()
    options = diagram_options({"legend": "false", "badges": "false"})
    image = QImage.fromData(render_diagram(doc.snapshot(), "png", options))
    assert not image.isNull()
    # the municipality's title bar is tinted with its preset's green, the boundary has none
    greens = 0
    for x in range(image.width()):
        for y in range(image.height()):
            colour = QColor(image.pixel(x, y))
            if colour.green() > colour.red() + 30 and colour.green() > colour.blue():
                greens += 1
    assert greens > 2000
    pdf = PdfReader(bytes_io.BytesIO(render_diagram(doc.snapshot(), "pdf", options)))
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Municipality" in text and "Sociotechnical system" in text


def test_links_between_a_container_and_its_contents_stay_below_the_title() -> None:
    doc = _document()
    geometry = diagram_geometry(*_tables(doc))
    route = geometry.links["LK-3"].route  # municipality -> assistant inside it
    town = geometry.components["C-2"].box
    assert all(y > town.y + TITLE_HEIGHT for _x, y in route.points)
    assert all(town.x <= x <= town.right for x, _y in route.points)


def _legend_rows(root: etree._Element) -> list[str]:
    legend = root.find(f".//{SVG}g[@id='layer-legend']")
    assert legend is not None
    return [t.text or "" for t in legend.iter(f"{SVG}text")]


def test_svg_legend_lists_the_frames_drawn() -> None:
    words = _legend_rows(_svg(_document()))
    assert "Frames" in words
    assert words.index("Container (holds what is inside)") < words.index("System boundary")
    # the municipality is drawn as a frame and nothing else is an organisation: no
    # organisation shape is explained
    assert "Organisation" not in words
    # its swatches: a frame with a title bar, and a dashed one
    legend = _svg(_document()).find(f".//{SVG}g[@id='layer-legend']")
    dashed = [r for r in legend.iter(f"{SVG}rect") if r.get("stroke-dasharray")]
    assert len(dashed) == 1
    # collapsed, the municipality is one component: no container frame left to explain
    collapsed = _legend_rows(_svg(_document(collapsed=True)))
    assert "Container (holds what is inside)" not in collapsed
    assert "System boundary" in collapsed and "Organisation" in collapsed


def test_svg_legend_without_frames_has_no_frame_section() -> None:
    doc = _document()
    flat = Document()
    for component in doc.components.values():
        if component.kind != "boundary":
            flat.add(component.replace(parent=""))
    for box in doc.node_layout.values():
        if box.id in flat.components:
            flat.set_layout(box.replace(width=120, height=60))
    assert "Frames" not in _legend_rows(_svg(flat))


def test_png_legend_lists_the_frames_drawn() -> None:
    from stipa.ui.image_export import DiagramExport

    rows = DiagramExport(_document().snapshot(), diagram_options({}))._legend_rows()
    frames = [(row.label, row.boundary) for row in rows if row.kind == "frame"]
    assert frames == [("Container (holds what is inside)", False), ("System boundary", True)]
    assert "Organisation" not in [row.label for row in rows]
