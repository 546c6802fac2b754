"""stipa.ContextTable as the hazards analysis uses it: the train-door known answer, and the
pattern algebra checked against brute-force expansion over the product of domains."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from stipa import Condition, ProcessVariable
from stipa_builtins.hazards import ContextTable, Pattern, Row

SPEED = ProcessVariable(id="PV-1", name="trainSpeed", values=("zero", "moving"))
POSITION = ProcessVariable(id="PV-2", name="trainPosition", values=("atStation", "betweenStations"))
DOOR = ProcessVariable(id="PV-3", name="doorState", values=("open", "closed"))
TRAIN = ContextTable((SPEED, POSITION, DOOR))


def test_train_door_known_answer() -> None:
    """STPA.md §2: 2×2×2 = 8 contexts; trainSpeed=moving covers 4; zero at a station covers 2."""
    assert TRAIN.size == 8
    assert len(list(TRAIN.rows())) == len(set(TRAIN.rows())) == 8
    moving = [Condition(variable="PV-1", value="moving")]
    at_station = [
        Condition(variable="PV-1", value="zero"),
        Condition(variable="PV-2", value="atStation"),
    ]
    assert TRAIN.count(moving) == len(list(TRAIN.expand(moving))) == 4
    assert TRAIN.count(at_station) == len(list(TRAIN.expand(at_station))) == 2
    assert list(TRAIN.expand(at_station)) == [
        ("zero", "atStation", "open"),
        ("zero", "atStation", "closed"),
    ]
    # together they decide 6 of the 8 rows; the other two are zero speed between stations
    left = TRAIN.difference([TRAIN.everything], [TRAIN.pattern(moving), TRAIN.pattern(at_station)])
    assert TRAIN.total(left) == 2
    assert [TRAIN.describe(p) for p in left] == ["trainSpeed=zero, trainPosition=betweenStations"]


def test_words() -> None:
    pattern = TRAIN.pattern(
        [Condition(variable="PV-3", value="open"), Condition(variable="PV-1", value="moving")]
    )
    assert pattern == ("moving", None, "open")
    assert TRAIN.describe(pattern) == "trainSpeed=moving, doorState=open"
    assert TRAIN.phrase(pattern) == "when trainSpeed = moving and doorState = open"
    assert TRAIN.describe(TRAIN.everything) == "every context"
    assert TRAIN.phrase(TRAIN.everything) == "in every context"
    assert TRAIN.describe(("zero", "atStation", "open")) == (
        "trainSpeed=zero, trainPosition=atStation, doorState=open"
    )


def test_rules_that_match_nothing() -> None:
    assert TRAIN.pattern([Condition(variable="PV-1", value="flying")]) is None
    assert TRAIN.pattern([Condition(variable="PV-9", value="zero")]) is None
    contradictory = [
        Condition(variable="PV-1", value="zero"),
        Condition(variable="PV-1", value="moving"),
    ]
    assert TRAIN.pattern(contradictory) is None
    assert TRAIN.count(contradictory) == 0
    assert list(TRAIN.expand(contradictory)) == []


def test_a_controller_without_variables_has_one_context() -> None:
    table = ContextTable(())
    assert table.size == 1
    assert list(table.rows()) == [()]
    assert table.count([]) == 1
    assert table.difference([table.everything], [table.pattern([])]) == []


# --- the algebra against brute force ------------------------------------------------------------


@st.composite
def tables_and_patterns(draw: st.DrawFn) -> tuple[ContextTable, list[Pattern]]:
    sizes = draw(st.lists(st.integers(1, 3), min_size=0, max_size=4))
    variables = tuple(
        ProcessVariable(id=f"PV-{i}", name=f"v{i}", values=tuple(f"x{j}" for j in range(size)))
        for i, size in enumerate(sizes)
    )
    pattern = st.tuples(*(st.sampled_from((None, *v.values)) for v in variables))
    patterns = draw(st.lists(pattern, max_size=6))
    return ContextTable(variables), patterns


def _rows(table: ContextTable, patterns: list[Pattern]) -> set[Row]:
    return {row for p in patterns for row in table.expand(p)}


def _matches(pattern: Pattern, row: Row) -> bool:
    return all(value is None or value == cell for value, cell in zip(pattern, row, strict=True))


@given(tables_and_patterns())
def test_expand_is_the_product_of_the_unfixed_domains(case: tuple) -> None:
    table, patterns = case
    for pattern in patterns:
        expected = {row for row in table.rows() if _matches(pattern, row)}
        assert set(table.expand(pattern)) == expected
        assert table.count(pattern) == len(expected)


@given(tables_and_patterns())
def test_union_and_difference_match_brute_force(case: tuple) -> None:
    table, patterns = case
    union = table.union(patterns)
    assert _rows(table, union) == _rows(table, patterns)
    # disjoint: the counts add up
    assert table.total(union) == len(_rows(table, patterns))
    left = table.difference([table.everything], patterns)
    assert _rows(table, left) == set(table.rows()) - _rows(table, patterns)
    assert table.total(left) == table.size - len(_rows(table, patterns))


@given(tables_and_patterns())
def test_intersect_and_contains_match_brute_force(case: tuple) -> None:
    table, patterns = case
    for a, b in itertools.product(patterns, repeat=2):
        both = table.intersect(a, b)
        expected = _rows(table, [a]) & _rows(table, [b])
        assert (_rows(table, [both]) if both is not None else set()) == expected
        assert table.contains(a, b) == (_rows(table, [b]) <= _rows(table, [a]))
        assert table.same(a, b) == (_rows(table, [a]) == _rows(table, [b]))
