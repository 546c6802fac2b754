"""stipa.testing.generate_document: valid, sized as promised, realistic, deterministic."""

from __future__ import annotations

import itertools
import time
from collections import Counter

import pytest

import stipa
from stipa.testing import expected_counts, generate_document


def _content(doc: stipa.Document) -> tuple[object, ...]:
    return (
        tuple(doc.records()),
        tuple(doc.node_layout.values()),
        tuple(doc.link_layout.values()),
        doc.info,
    )


@pytest.fixture(scope="module")
def doc() -> stipa.Document:
    return generate_document(300, seed=7)


@pytest.mark.parametrize(
    ("components", "links_per_component"),
    [(1, 0), (2, 1), (3, 3), (10, 3), (37, 2), (100, 5), (250, 0)],
)
def test_small_and_odd_sizes_are_valid_and_counted(
    components: int, links_per_component: int
) -> None:
    doc = generate_document(components, links_per_component, seed=components)
    assert doc.check() == []
    expected = expected_counts(components, links_per_component)
    assert {table: len(doc.table(table)) for table in expected} == expected


def test_valid(doc: stipa.Document) -> None:
    assert doc.check() == []


def test_counts_follow_the_proportions_per_ten_components(doc: stipa.Document) -> None:
    assert len(doc.components) == 300
    assert len(doc.links) == 900
    per_ten = {
        "losses": 1,
        "hazards": 2,
        "constraints": 2,
        "responsibilities": 3,
        "ucas": 4,
        "controller_constraints": 3,
        "scenarios": 2,
        "context_rules": 1,
        "findings": 2,
    }
    assert {name: len(doc.table(name)) for name in per_ten} == {
        name: 30 * count for name, count in per_ten.items()
    }
    assert expected_counts(300) == {
        "components": 300,
        "links": 900,
        **{name: 30 * count for name, count in per_ten.items()},
    }


def test_mixed_kinds_and_natures(doc: stipa.Document) -> None:
    kinds = Counter(c.kind for c in doc.components.values())
    assert kinds[stipa.ComponentKind.CONTROLLER] == 100
    for kind in set(stipa.ComponentKind) - {stipa.ComponentKind.BOUNDARY}:  # flat: no frames
        assert kinds[kind] > 0, kind
    natures = {c.nature for c in doc.components.values()}
    assert natures == set(stipa.Nature)
    humans = [c for c in doc.components.values() if c.nature == stipa.Nature.HUMAN]
    assert all(c.role for c in humans)


def test_controllers_have_one_or_two_process_variables(doc: stipa.Document) -> None:
    for component in doc.components.values():
        if component.kind == stipa.ComponentKind.CONTROLLER:
            assert 1 <= len(component.variables) <= 2
            assert all(v.values for v in component.variables)
        else:
            assert component.variables == ()


def test_links_are_mostly_down_and_up_with_some_information(doc: stipa.Document) -> None:
    kinds = Counter(link.kind for link in doc.links.values())
    assert kinds[stipa.LinkKind.CONTROL_ACTION] > kinds[stipa.LinkKind.INFORMATION] > 0
    assert kinds[stipa.LinkKind.FEEDBACK] > kinds[stipa.LinkKind.INFORMATION]
    layout = doc.node_layout
    controller = stipa.ComponentKind.CONTROLLER
    for link in doc.links.values():
        assert link.source != link.target
        assert 1 <= len(link.items) <= 2
        source, target = doc.components[link.source], doc.components[link.target]
        if link.kind == stipa.LinkKind.CONTROL_ACTION:
            assert source.kind == controller, link
            if target.kind != controller:  # control actions point down
                assert layout[link.source].y < layout[link.target].y, link
        elif link.kind == stipa.LinkKind.FEEDBACK and target.kind == controller:
            if source.kind != controller:  # feedback points up
                assert layout[link.source].y > layout[link.target].y, link
        elif link.kind == stipa.LinkKind.FEEDBACK:  # a process reporting to a sensor
            assert source.kind != controller, link


def test_every_component_is_laid_out_without_overlaps(doc: stipa.Document) -> None:
    assert set(doc.node_layout) == set(doc.components)
    boxes = {(n.x, n.y) for n in doc.node_layout.values()}
    assert len(boxes) == len(doc.components)
    xs = sorted({n.x for n in doc.node_layout.values()})
    ys = sorted({n.y for n in doc.node_layout.values()})
    some = next(iter(doc.node_layout.values()))
    assert min(b - a for a, b in itertools.pairwise(xs)) >= some.width + 60
    assert min(b - a for a, b in itertools.pairwise(ys)) >= some.height + 60


def test_stpa_records_trace(doc: stipa.Document) -> None:
    assert any(h.parent for h in doc.hazards.values())
    for hazard in doc.hazards.values():
        assert hazard.losses
        if hazard.parent:
            assert set(hazard.losses) <= set(doc.hazards[hazard.parent].losses)
    assert all(sc.hazards for sc in doc.constraints.values())
    for responsibility in doc.responsibilities.values():
        assert doc.components[responsibility.owner].kind == stipa.ComponentKind.CONTROLLER
        assert responsibility.constraints
    assert {uca.type for uca in doc.ucas.values()} == set(stipa.UCAType)
    assert all(uca.hazards for uca in doc.ucas.values())
    assert all(len(cc.ucas) == 1 for cc in doc.controller_constraints.values())
    assert all(ls.ucas and ls.category for ls in doc.scenarios.values())
    assert all(rule.conditions for rule in doc.context_rules.values())


def test_built_in_one_undo_step() -> None:
    doc = generate_document(20)
    assert doc.undo_label == "Generate"
    doc.undo()
    assert len(doc) == 0
    assert not doc.can_undo


def test_deterministic_for_a_seed() -> None:
    assert _content(generate_document(120, seed=3)) == _content(generate_document(120, seed=3))
    assert _content(generate_document(120, seed=3)) != _content(generate_document(120, seed=4))


def test_deterministic_as_saved_text() -> None:
    io = pytest.importorskip("stipa.io")
    first = io.dumps(generate_document(80, seed=5))
    assert first == io.dumps(generate_document(80, seed=5))


def test_refuses_impossible_sizes() -> None:
    with pytest.raises(ValueError, match="at least one component"):
        generate_document(0)
    with pytest.raises(ValueError, match="0 or more"):
        generate_document(10, -1)
    with pytest.raises(ValueError, match="two ends"):
        generate_document(1, 1)


def test_fast_enough() -> None:
    start = time.perf_counter()
    doc = generate_document(1000)
    elapsed = time.perf_counter() - start
    assert len(doc.components) == 1000
    assert elapsed < 5.0, f"generating 1,000 components took {elapsed:.1f} s"
