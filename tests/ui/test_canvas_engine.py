"""The canvas draws what ``stipa.diagram`` computes: same routes, same label places, same text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetricsF

from stipa import resources
from stipa.diagram.scene import diagram_geometry
from stipa.diagram.text import CAPTION, LABEL, NAME, text_width
from stipa.io import load
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.style import engine_font, register_fonts

pytestmark = pytest.mark.gui
EXAMPLES = [path for path in resources.examples() if path.suffix == ".stipa"]


@pytest.mark.parametrize("style", [LABEL, NAME, CAPTION], ids=["label", "name", "caption"])
def test_qt_draws_text_as_wide_as_the_engine_measures(qapp, style) -> None:
    register_fonts()
    metrics = QFontMetricsF(engine_font(style))
    for text in ["Apply brake pressure", "Feedback: wheel speed (WSS)", "«AI model»", "ÄÖÜ ßé"]:
        assert metrics.horizontalAdvance(text) == pytest.approx(text_width(text, style), abs=0.6)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_canvas_routes_and_places_labels_as_the_engine_does(qapp, path: Path) -> None:
    document = load(path)
    scene = DiagramScene(document)
    try:
        geometry = diagram_geometry(
            document.components, document.links, document.node_layout, document.link_layout
        )
        assert set(scene.links) == set(geometry.links)
        for link_id, item in scene.links.items():
            shape = geometry.links[link_id]
            assert tuple((p.x(), p.y()) for p in item.points()) == shape.route.points
            expected = shape.label.box.rect() if shape.label is not None else None
            assert item.label_box() == expected
        for component_id, component in scene.components.items():
            assert component.box() == geometry.components[component_id].box.rect()
    finally:
        scene.close()
