"""Arrange > Auto Layout on an example, and Arrange > Make Room for Labels on a crowded drawing:
what the canvas draws is measured, one undo restores it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stipa.diagram.geometry import Box
from stipa.diagram.metrics import Drawing, drawing_of, measure
from stipa.io import dumps, load
from stipa.resources import examples
from stipa.testing import generate_document
from stipa.ui import MainWindow

pytestmark = pytest.mark.gui


def canvas_drawing(window: MainWindow) -> Drawing:
    """The drawing as the canvas shows it: its boxes, routes and label places."""
    scene = window.diagram
    boxes = {cid: Box(*item.box()) for cid, item in scene.components.items()}
    routes = {
        lid: tuple((p.x(), p.y()) for p in item.points()) for lid, item in scene.links.items()
    }
    labels = {
        lid: Box(*box) for lid, item in scene.links.items() if (box := item.label_box()) is not None
    }
    links = window.document.links
    return Drawing(
        boxes=boxes,
        routes=routes,
        labels=labels,
        kinds={lid: links[lid].kind for lid in routes},
        ends={lid: (links[lid].source, links[lid].target) for lid in routes},
    )


def wheel_brakes() -> Path:
    """The example still drawn by hand (the Handbook's figure)."""
    return next(p for p in examples() if p.stem == "wheel-brakes")


def test_auto_layout_from_the_menu_then_one_undo(qtbot, make_window) -> None:
    window = make_window(load(wheel_brakes()), wheel_brakes())
    doc = window.document
    before = dumps(doc)
    hand = measure(canvas_drawing(window))

    arrange = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Arrange"
    )
    action = next(a for a in arrange.actions() if a.objectName() == "action.auto_layout")
    action.trigger()

    assert dumps(doc) != before
    assert doc.undo_label == "Auto Layout"
    # the canvas places labels once the burst of changes is over, as the engine does
    headless = measure(drawing_of(doc))
    qtbot.waitUntil(lambda: measure(canvas_drawing(window)) == headless)
    drawn = measure(canvas_drawing(window))
    assert drawn.component_overlaps == 0
    assert drawn.label_overlaps == 0
    assert drawn.control_acyclic and drawn.control_down_share == 1.0
    assert drawn.crossings < hand.crossings
    # the canvas draws what the headless metrics measure: same boxes, same route count

    window.actions_by_name["undo"].trigger()
    assert dumps(doc) == before  # one undo step, byte for byte
    qtbot.waitUntil(lambda: measure(canvas_drawing(window)) == hand)


def test_auto_layout_of_the_selection_leaves_the_rest(make_window) -> None:
    window = make_window(load(wheel_brakes()), wheel_brakes())
    doc = window.document
    chosen = list(doc.components)[:3]
    rest = {cid: layout for cid, layout in doc.node_layout.items() if cid not in chosen}
    window.diagram.select_ids(chosen)
    window.actions_by_name["auto_layout"].trigger()
    assert {cid: doc.node_layout[cid] for cid in rest} == rest
    assert measure(canvas_drawing(window)).component_overlaps == 0


def test_make_room_for_labels_from_the_menu_then_one_undo(qtbot, make_window) -> None:
    # the generator's rows, drawn as a person might have placed them: crowded labels
    doc = generate_document(30)
    window = make_window(doc)
    before = dumps(doc)
    hand = measure(canvas_drawing(window))
    assert hand.label_overlaps == 0  # crowded, yet no label covers anything ...
    assert drawing_of(doc).crowded  # ... many lie away from their links, tied by leaders
    assert canvas_drawing(window).labels == drawing_of(doc).labels  # as every export has them

    arrange = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Arrange"
    )
    action = next(a for a in arrange.actions() if a.objectName() == "action.make_room")
    action.trigger()

    assert doc.undo_label == "Make Room for Labels"
    headless = measure(drawing_of(doc))
    qtbot.waitUntil(lambda: measure(canvas_drawing(window)) == headless)
    assert headless.label_overlaps == 0 and headless.component_overlaps == 0
    assert not drawing_of(doc).crowded  # each label by its link, or nudged into room

    action.trigger()  # nothing left to do: no second undo step, and the status bar says so
    assert "already has room" in window.statusBar().currentMessage()
    window.actions_by_name["undo"].trigger()
    assert dumps(doc) == before
    qtbot.waitUntil(lambda: measure(canvas_drawing(window)) == hand)
