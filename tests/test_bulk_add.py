"""Document.add_all: records added in bulk, one event per table run, one undo step."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stipa import io
from stipa.model import (
    Component,
    Document,
    Finding,
    Hazard,
    HistoryChanged,
    Loss,
    ModelError,
    RecordAdded,
    RecordsAdded,
    Severity,
)
from stipa.testing.generate import generate_document


def _doc() -> Document:
    doc = generate_document(10, seed=1)
    doc.mark_saved()
    return doc


def _findings(doc: Document, count: int) -> list[Finding]:
    targets = list(doc.components)
    return [
        Finding(
            plugin="bulk",
            rule="rule",
            severity=Severity.WARNING,
            message=f"finding {n}",
            targets=(targets[n % len(targets)],),
        )
        for n in range(count)
    ]


def test_a_batch_is_one_event_per_table_run_and_one_undo_step() -> None:
    doc = _doc()
    before = io.dumps(doc)
    events: list[Any] = []
    doc.subscribe(events.append)
    findings_before = len(doc.findings)
    added = doc.add_all([*_findings(doc, 500), Loss(text="A"), Loss(text="B")])

    batches = [e for e in events if isinstance(e, RecordsAdded)]
    assert [(e.table, len(e.records)) for e in batches] == [("findings", 500), ("losses", 2)]
    assert not [e for e in events if isinstance(e, RecordAdded)]
    assert batches[0].index == findings_before and batches[0].records == tuple(added[:500])
    assert [e for e in events if isinstance(e, HistoryChanged)] == [events[-1]]
    assert list(doc.findings)[findings_before:] == [f.id for f in added[:500]]
    assert all(f.id for f in added) and doc.undo_label == "Add 502 records"

    doc.undo()
    assert io.dumps(doc) == before and not doc.modified
    doc.redo()
    assert list(doc.findings)[findings_before:] == [f.id for f in added[:500]]


def test_a_record_may_refer_to_one_added_before_it_in_the_batch() -> None:
    doc = Document()
    loss = Loss(id="L-9", text="Loss of life")
    hazard = Hazard(text="Aircraft leaves the runway", losses=("L-9",))
    added = doc.add_all([loss, hazard])
    assert doc.hazards[added[1].id].losses == ("L-9",)


def test_a_refused_record_adds_nothing_and_says_why() -> None:
    doc = _doc()
    before, label = io.dumps(doc), doc.undo_label
    events: list[Any] = []
    doc.subscribe(events.append)
    bad = Hazard(text="Dangling", losses=("L-404",))
    with pytest.raises(ModelError, match="L-404"):
        doc.add_all([*_findings(doc, 20), bad])
    assert io.dumps(doc) == before and not events and not doc.can_redo
    assert doc.undo_label == label


def test_skip_refused_leaves_out_only_the_refused_records() -> None:
    doc = _doc()
    good = _findings(doc, 3)
    added = doc.add_all(
        [good[0], Hazard(text="Dangling", losses=("L-404",)), *good[1:]], skip_refused=True
    )
    assert [f.message for f in added] == ["finding 0", "finding 1", "finding 2"]


def test_in_a_transaction_the_batch_joins_the_step() -> None:
    doc = _doc()
    with doc.transaction("Several"):
        doc.add(Component(name="Pilot"))
        doc.add_all(_findings(doc, 5))
    assert doc.undo_label == "Several"
    doc.undo()
    assert not [f for f in doc.findings.values() if f.plugin == "bulk"]


@given(st.lists(st.sampled_from(["loss", "finding", "hazard"]), max_size=30))
def test_a_batch_ends_as_adding_one_by_one_would(kinds: list[str]) -> None:
    one_by_one, bulk = _doc(), _doc()
    original = io.dumps(bulk)

    def records(doc: Document) -> list[Any]:
        made: list[Any] = []
        for n, kind in enumerate(kinds):
            if kind == "loss":
                made.append(Loss(text=f"Loss {n}"))
            elif kind == "hazard":
                made.append(Hazard(text=f"Hazard {n}", losses=(next(iter(doc.losses)),)))
            else:
                made.extend(_findings(doc, 1))
        return made

    for record in records(one_by_one):
        one_by_one.add(record)
    assert len(bulk.add_all(records(bulk))) == len(kinds)
    assert io.dumps(bulk) == io.dumps(one_by_one)
    if kinds:  # one undo step takes the whole batch back
        bulk.undo()
    assert io.dumps(bulk) == original
