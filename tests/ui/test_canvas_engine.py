"""The canvas draws what ``stipa.diagram`` computes: same routes, same label places, same text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtGui import QFontMetricsF

from stipa import resources
from stipa.diagram.scene import diagram_geometry
from stipa.diagram.text import CAPTION, LABEL, NAME, text_width
from stipa.io import load
from stipa.model import Document
from stipa.operations.layout import auto_layout
from stipa.testing import generate_document
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


def laid_out_generated() -> Document:
    """A generated structure of 100 components after auto layout: crowded, so many labels
    sit where the layout's nudges reserved them."""
    document = generate_document(100)
    auto_layout(document)
    return document


@pytest.mark.parametrize(
    "path",
    [*EXAMPLES, None, "hand", "hand-100"],
    ids=lambda p: getattr(p, "stem", p or "generated"),
)
def test_the_canvas_routes_and_places_labels_as_the_engine_does(
    qapp, path: Path | str | None
) -> None:
    # "hand": the generator's crowded rows, where labels go far out with leader lines, or
    # (of 100, hundreds of them) to the nearest free room, placed between events
    if path == "hand":
        document = generate_document(30)
    elif path == "hand-100":
        document = generate_document(100)
    elif isinstance(path, Path):
        document = load(path)
    else:
        document = laid_out_generated()
    scene = DiagramScene(document)
    deadline = time.monotonic() + 30
    while scene.placing_labels and time.monotonic() < deadline:
        qapp.processEvents()
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
            assert item.leader() == (shape.label.leader if shape.label is not None else None)
        for component_id, component in scene.components.items():
            assert component.box() == geometry.components[component_id].box.rect()
    finally:
        scene.close()


@pytest.fixture
def window(make_window):
    from stipa.model import Component, Link, LinkItem, NodeLayout

    win = make_window()
    doc = win.document
    with doc.transaction("Set up"):
        top = doc.add(Component(name="Crew"))
        bottom = doc.add(Component(name="Brakes", kind="controlled_process"))
        doc.set_layout(NodeLayout(id=top.id, x=0, y=0))
        doc.set_layout(NodeLayout(id=bottom.id, x=0, y=300))
        doc.add(
            Link(
                source=top.id,
                target=bottom.id,
                items=[LinkItem(name="Apply brake, gently"), LinkItem(name="Release brake")],
            )
        )
    return win


def test_several_actions_show_as_a_list_and_are_edited_one_per_line(qtbot, window) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    from stipa.io import dumps

    doc = window.document
    before = dumps(doc)
    item = window.diagram.links["LK-1"]
    assert [text for text, _indent in item.label_lines()] == [
        "• Apply brake, gently",
        "• Release brake",
    ]
    window.view.start_rename("LK-1")
    editor = window.view.editor
    assert editor.toPlainText() == "Apply brake, gently\nRelease brake"
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClick(window.view.viewport(), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.view.viewport(), "Hold, then release")
    qtbot.keyClick(window.view.viewport(), Qt.Key.Key_Return)
    assert window.view.editor is None
    names = [i.name for i in doc.links["LK-1"].items]
    assert names == ["Apply brake, gently", "Release brake", "Hold, then release"]
    window.diagram.arrange_labels()
    assert len(item.label_lines()) == 3
    doc.undo()
    assert dumps(doc) == before
