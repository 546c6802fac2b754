"""Copy, cut and paste of diagram elements as records, headless."""

from __future__ import annotations

from collections.abc import Callable

from stipa import io
from stipa.model import Document, Loss
from stipa.operations.clipboard import copy_selection, cut, element_count, paste, top_left

Check = Callable[[Document, bytes], None]


def test_copy_takes_the_components_the_links_among_them_and_their_layout(drawn: Document) -> None:
    drawn.add(Loss(text="Injury"))
    clip = copy_selection(drawn, ["C-3", "C-1"])
    assert list(clip.components) == ["C-1", "C-3"]  # document order
    assert [(link.source, link.target) for link in clip.links.values()] == [("C-3", "C-1")]
    assert set(clip.node_layout) == {"C-1", "C-3"}
    assert not clip.losses and not clip.findings
    assert element_count(clip) == 3
    assert top_left(clip) == (0.0, 0.0)
    # the copy survives the clipboard's trip through the file format
    assert io.dumps(io.loads(io.dumps(clip))) == io.dumps(clip)


def test_paste_adds_fresh_ids_moved_by_the_offset_in_one_step(
    drawn: Document, undone_is_identical: Check
) -> None:
    before = io.dumps(drawn)
    clip = copy_selection(drawn, ["C-1", "C-3"])
    added = paste(drawn, clip, 20.0, 30.0)
    assert added == ["C-4", "C-5", "LK-3"]
    assert drawn.undo_label == "Paste 3 elements"
    assert (drawn.node_layout["C-5"].x, drawn.node_layout["C-5"].y) == (220.0, 130.0)
    new_link = drawn.links["LK-3"]
    assert (new_link.source, new_link.target) == ("C-5", "C-4")
    assert new_link.items[0].id != drawn.links["LK-2"].items[0].id
    assert drawn.check() == []
    undone_is_identical(drawn, before)


def test_paste_names_its_step_as_asked(drawn: Document) -> None:
    paste(drawn, copy_selection(drawn, ["C-2"]), 5, 5, label="Duplicate 1 element")
    assert drawn.undo_label == "Duplicate 1 element"


def test_cut_removes_the_components_and_their_links_in_one_step(
    drawn: Document, undone_is_identical: Check
) -> None:
    before = io.dumps(drawn)
    clip = cut(drawn, ["C-1"])
    assert list(drawn.components) == ["C-2", "C-3"] and not drawn.links
    assert drawn.undo_label == "Cut 1 component"
    assert list(clip.components) == ["C-1"]
    pasted = paste(drawn, clip, 0, 0)
    assert drawn.node_layout[pasted[0]].x == 0.0  # the first paste after a cut: same place
    drawn.undo()
    undone_is_identical(drawn, before)
