"""Align, distribute, place-and-connect and Find: headless, each edit one undo step."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stipa import io
from stipa.model import Document, Hazard, Loss, ModelError, NodeLayout
from stipa.operations.arrange import Alignment, Axis, align, distribute
from stipa.operations.drawing import place_component, place_connected
from stipa.operations.find import find

Check = Callable[[Document, bytes], None]


def _boxes(boxes: list[tuple[float, float, float, float]]) -> tuple[Document, list[str]]:
    """A loaded document (no history) with one component per box."""
    doc = Document()
    ids = []
    with doc.transaction("Draw"):
        for x, y, w, h in boxes:
            c = place_component(doc, "Box", "controller", "software", x, y)
            doc.set_layout(NodeLayout(id=c.id, x=x, y=y, width=w, height=h))
            ids.append(c.id)
    return io.loads(io.dumps(doc)), ids


@pytest.mark.parametrize(
    ("alignment", "expected"),
    [
        ("left", [(10, 0), (10, 100), (10, 300)]),
        ("right", [(120, 0), (80, 100), (40, 300)]),
        ("centre", [(65, 0), (45, 100), (25, 300)]),
        ("top", [(10, 0), (60, 0), (40, 0)]),
        ("bottom", [(10, 320), (60, 300), (40, 300)]),
        ("middle", [(10, 160), (60, 150), (40, 150)]),
    ],
)
def test_align_lines_up_on_the_bounding_box_in_one_step(
    alignment: str, expected: list[tuple[float, float]], undone_is_identical: Check
) -> None:
    doc, ids = _boxes([(10, 0, 100, 60), (60, 100, 140, 80), (40, 300, 180, 80)])
    before = io.dumps(doc)
    assert align(doc, ids, alignment)
    assert [(doc.node_layout[i].x, doc.node_layout[i].y) for i in ids] == expected
    assert doc.undo_label == f"Align {Alignment(alignment).value}"
    undone_is_identical(doc, before)


def test_align_needs_two_and_skips_links_and_unknown_ids() -> None:
    doc, ids = _boxes([(0, 0, 100, 60), (50, 50, 100, 60)])
    assert not align(doc, ids[:1], "left")
    assert align(doc, [*ids, "LK-9", "nothing"], "left")
    assert not align(doc, ids, "left")  # already aligned: no empty undo step
    assert doc.undo_label == "Align left"


def test_distribute_makes_equal_gaps_keeping_the_outermost(undone_is_identical: Check) -> None:
    doc, ids = _boxes([(0, 0, 100, 60), (400, 10, 100, 60), (130, 20, 60, 60), (150, 30, 40, 60)])
    before = io.dumps(doc)
    assert distribute(doc, ids, Axis.HORIZONTAL)
    xs = sorted((doc.node_layout[i].x, doc.node_layout[i].width) for i in ids)
    gaps = [b[0] - (a[0] + a[1]) for a, b in itertools.pairwise(xs)]
    assert xs[0][0] == 0 and xs[-1][0] == 400
    assert gaps == pytest.approx([gaps[0]] * 3)
    assert [doc.node_layout[i].y for i in ids] == [0, 10, 20, 30]  # the other axis stays
    undone_is_identical(doc, before)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-500, 500),
            st.integers(-500, 500),
            st.integers(20, 200),
            st.integers(20, 200),
        ),
        min_size=3,
        max_size=7,
    )
)
def test_distribute_vertical_keeps_the_outermost_and_equalises_gaps(
    boxes: list[tuple[int, int, int, int]],
) -> None:
    doc, ids = _boxes([(float(x), float(y), float(w), float(h)) for x, y, w, h in boxes])
    before = io.dumps(doc)
    ordered = sorted(ids, key=lambda i: (doc.node_layout[i].y, i))
    first, last = doc.node_layout[ordered[0]], doc.node_layout[ordered[-1]]
    distribute(doc, ids, "vertical")
    after = [doc.node_layout[i] for i in ordered]
    assert (after[0], after[-1]) == (first, last)
    gaps = [b.y - (a.y + a.height) for a, b in itertools.pairwise(after)]
    assert gaps == pytest.approx([gaps[0]] * len(gaps))
    assert [n.x for n in after] == [doc.node_layout[i].x for i in ordered]
    if doc.can_undo:
        doc.undo()
    assert io.dumps(doc) == before


def test_place_connected_is_one_step_and_refusals_change_nothing(
    drawn: Document, undone_is_identical: Check
) -> None:
    before = io.dumps(drawn)
    component, link = place_connected(
        drawn, "C-1", "Actuator", "actuator", "physical", 300, 40, "control_action", "Act"
    )
    assert (link.source, link.target) == ("C-1", component.id)
    assert drawn.node_layout[component.id].x == 300
    assert drawn.undo_label == "Add connected Actuator"
    undone_is_identical(drawn, before)
    with pytest.raises(ModelError):
        place_connected(drawn, "C-99", "Sensor", "sensor", "physical", 0, 0, "feedback", "x")
    assert io.dumps(drawn) == before


def test_find_by_id_alias_and_text_exact_first(drawn: Document) -> None:
    loss = drawn.add(Loss(text="Loss of life or injury", alias="PASTA-L1"))
    hazard = drawn.add(Hazard(text="Aircraft leaves the runway", losses=(loss.id,)))
    assert [m.id for m in find(drawn, "pasta-l1")] == [loss.id]
    assert find(drawn, hazard.id)[0].id == hazard.id
    assert [m.id for m in find(drawn, "runway LEAVES")] == [hazard.id]
    items = [m for m in find(drawn, "brake") if m.table == "item"]
    assert items and drawn.owner_of(items[0].id) is not None
    assert find(drawn, "BSCU")[0] == type(find(drawn, "BSCU")[0])("C-1", "components", "BSCU")
    assert find(drawn, "   ") == []
