"""Placing, connecting, moving and resizing: each one undo step, refused edits change nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stipa import io
from stipa.model import Document, LinkKind, ModelError, NodeLayout
from stipa.operations.drawing import (
    DEFAULT_HEIGHT,
    DEFAULT_WIDTH,
    commit_geometry,
    connect,
    new_component_name,
    place_component,
)

Check = Callable[[Document, bytes], None]


def test_place_component_names_it_lays_it_out_in_one_step(
    drawn: Document, undone_is_identical: Check
) -> None:
    before = io.dumps(drawn)
    first = place_component(drawn, "Controller", "controller", "software", 10, 20)
    second = place_component(drawn, "Controller", "controller", "human", 30, 40, role="operator")
    assert (first.name, second.name) == ("Controller 1", "Controller 2")
    assert second.role == "operator" and second.nature == "human"
    assert drawn.node_layout[first.id] == NodeLayout(
        id=first.id, x=10, y=20, width=DEFAULT_WIDTH, height=DEFAULT_HEIGHT
    )
    assert drawn.undo_label == "Add Controller 2"
    drawn.undo()
    assert second.id not in drawn.components and second.id not in drawn.node_layout
    undone_is_identical(drawn, before)


def test_new_names_skip_the_names_in_use(drawn: Document) -> None:
    place_component(drawn, "BSCU", "controller", "software", 0, 0, label="Place {0}")
    assert drawn.undo_label == "Place BSCU 1"
    assert new_component_name(drawn, "BSCU") == "BSCU 2"


def test_connect_adds_a_link_with_one_item(drawn: Document, undone_is_identical: Check) -> None:
    before = io.dumps(drawn)
    link = connect(drawn, "C-2", "C-3", LinkKind.INFORMATION, "Status")
    assert (link.source, link.target, link.kind) == ("C-2", "C-3", LinkKind.INFORMATION)
    assert [item.name for item in drawn.links[link.id].items] == ["Status"]
    undone_is_identical(drawn, before)


@pytest.mark.parametrize(
    ("source", "target", "kind", "reason"),
    [
        ("C-1", "C-1", "control_action", "cannot be linked to itself"),
        ("C-3", "C-2", "control_action", "sensors send feedback"),
        ("C-1", "C-9", "feedback", "There is no component C-9"),
    ],
)
def test_connect_refuses_what_the_canvas_greys_out(
    drawn: Document, source: str, target: str, kind: str, reason: str
) -> None:
    before = io.dumps(drawn)
    with pytest.raises(ModelError, match=reason):
        connect(drawn, source, target, kind, "Brake")
    assert io.dumps(drawn) == before and not drawn.can_undo


def test_commit_geometry_records_only_what_changed_as_one_step(
    drawn: Document, undone_is_identical: Check
) -> None:
    before = io.dumps(drawn)
    moved = drawn.node_layout["C-1"].replace(x=400.0)
    resized = drawn.node_layout["C-2"].replace(width=300.0, height=120.0)
    unchanged = drawn.node_layout["C-3"]
    assert commit_geometry(drawn, [moved, resized, unchanged], "Move components")
    assert drawn.node_layout["C-1"].x == 400.0 and drawn.node_layout["C-2"].width == 300.0
    assert drawn.undo_label == "Move components"
    undone_is_identical(drawn, before)


def test_commit_geometry_without_a_change_adds_no_step(drawn: Document) -> None:
    assert not commit_geometry(drawn, list(drawn.node_layout.values()), "Move components")
    assert not drawn.can_undo


def test_commit_geometry_of_a_removed_component_changes_nothing(drawn: Document) -> None:
    before = io.dumps(drawn)
    ghost = NodeLayout(id="C-9", x=1, y=2)
    with pytest.raises(ModelError):
        commit_geometry(drawn, [drawn.node_layout["C-1"].replace(x=9.0), ghost], "Move")
    assert io.dumps(drawn) == before and not drawn.can_undo
