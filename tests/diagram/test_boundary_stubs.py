"""The stubs a container's own view draws for the links crossing its frame: which links
cross, which side each leaves by, and labels kept apart and clear of the title bar."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from stipa.diagram.containers import (
    STUB_REACH,
    TITLE_HEIGHT,
    Crossing,
    boundary_crossings,
    boundary_stubs,
)
from stipa.diagram.geometry import Box
from stipa.model import Link, LinkKind

FRAME = (0.0, 0.0, 600.0, 420.0)


def test_crossings_group_the_links_with_one_end_inside_by_their_shown_end() -> None:
    links = {
        "L1": Link(id="L1", source="in", target="out", kind=LinkKind.CONTROL_ACTION),
        "L2": Link(id="L2", source="out", target="in", kind=LinkKind.FEEDBACK),
        "L3": Link(id="L3", source="hid", target="out", kind=LinkKind.CONTROL_ACTION),
        "L4": Link(id="L4", source="in", target="hid", kind=LinkKind.CONTROL_ACTION),
        "L5": Link(id="L5", source="out", target="far", kind=LinkKind.CONTROL_ACTION),
    }
    inside = {"box", "in", "inner", "hid"}
    shown = {"hid": "inner"}  # hidden in a collapsed container inside
    assert boundary_crossings(links, inside, shown) == [
        Crossing("in", "out", LinkKind.CONTROL_ACTION, True, ("L1",)),
        Crossing("in", "out", LinkKind.FEEDBACK, False, ("L2",)),
        Crossing("inner", "out", LinkKind.CONTROL_ACTION, True, ("L3",)),
    ]


coordinate = st.floats(-2000, 2000, allow_nan=False)
inside_box = st.tuples(
    st.floats(10, 440), st.floats(TITLE_HEIGHT + 10, 330), st.just(140.0), st.just(60.0)
)
outside_box = st.tuples(coordinate, coordinate, st.just(140.0), st.just(60.0)).filter(
    lambda box: box[0] + box[2] < 0 or box[0] > 600 or box[1] > 420 or box[1] + box[3] < 0
)
end = st.tuples(inside_box, outside_box, st.booleans(), st.sampled_from(["Citizen", "AI Office"]))


def _apart(a: Box, b: Box) -> bool:
    return (
        a.x + a.width <= b.x
        or b.x + b.width <= a.x
        or a.y + a.height <= b.y
        or b.y + b.height <= a.y
    )


@given(st.lists(end, min_size=1, max_size=6))
def test_stubs_leave_by_a_side_beside_their_names_apart_and_clear_of_the_title(ends) -> None:
    stubs = boundary_stubs(FRAME, ends)
    left, top, width, height = FRAME
    frame = Box(*FRAME)
    for (_inside, _outside, outgoing, text), stub in zip(ends, stubs, strict=True):
        points = stub.route.points if outgoing else stub.route.points[::-1]
        ex, ey = points[-1]
        # out of the frame's left, right or bottom side, by the stub's reach
        sides = (left - STUB_REACH, left + width + STUB_REACH)
        assert ex in sides or ey == top + height + STUB_REACH
        assert all(y >= top + TITLE_HEIGHT for _x, y in points)  # never across the title bar
        assert stub.route.arrow[0] == stub.route.points[-1]  # the head at the target's end
        assert stub.text.text == text and _apart(stub.label, frame)
    for a, b in itertools.combinations([stub.label for stub in stubs], 2):
        assert _apart(a, b)
