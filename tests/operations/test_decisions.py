"""Dispositions of findings and suggestions taken up or turned down, each one undo step."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stipa import io
from stipa.model import (
    ControllerConstraint,
    Disposition,
    Document,
    Finding,
    Loss,
    ModelError,
    Suggestion,
    SuggestionStatus,
)
from stipa.operations.decisions import accept_suggestions, reject_suggestions, set_disposition

Check = Callable[[Document, bytes], None]


@pytest.fixture
def results(drawn: Document) -> Document:
    with drawn.transaction("Run analyses"):
        drawn.add(Finding(plugin="acme", rule="r1", message="No feedback", targets=("C-2",)))
        drawn.add(Finding(plugin="acme", rule="r2", message="No owner", targets=("C-1",)))
        drawn.add(
            Suggestion(plugin="acme", rule="s", message="Loss?", proposal=Loss(text="Injury"))
        )
        drawn.add(
            Suggestion(
                plugin="acme",
                rule="s",
                message="Constraint?",
                proposal=ControllerConstraint(text="Brake in time"),
            )
        )
    return io.loads(io.dumps(drawn))


def test_disposition_of_several_findings_is_one_step(
    results: Document, undone_is_identical: Check
) -> None:
    before = io.dumps(results)
    ids = list(results.findings)
    now = set_disposition(results, ids, "accepted_risk", "Tolerated by design", "Accept risk")
    assert [(f.disposition, f.rationale) for f in now] == [
        (Disposition.ACCEPTED_RISK, "Tolerated by design")
    ] * 2
    assert results.undo_label == "Accept risk"
    undone_is_identical(results, before)


def test_reopening_clears_the_rationale_and_has_a_default_label(results: Document) -> None:
    first = next(iter(results.findings))
    set_disposition(results, [first], Disposition.RESOLVED, "Fixed in rev 2")
    set_disposition(results, [first], Disposition.OPEN)
    assert results.findings[first].disposition == Disposition.OPEN
    assert results.findings[first].rationale == ""
    assert results.undo_label == f"Set open: {first}"


@pytest.mark.parametrize("wrong", ["C-1", "F-99"])
def test_disposition_of_something_not_a_finding_changes_nothing(
    results: Document, wrong: str
) -> None:
    before = io.dumps(results)
    with pytest.raises(ModelError, match=f"no finding {wrong}"):
        set_disposition(results, [next(iter(results.findings)), wrong], "resolved", "x")
    assert io.dumps(results) == before and not results.can_undo


def test_accepting_adds_the_proposals_and_marks_them_in_one_step(
    results: Document, undone_is_identical: Check
) -> None:
    before = io.dumps(results)
    loss_s, constraint_s = list(results.suggestions)
    edited = ControllerConstraint(text="Brake within 2 s")
    added = accept_suggestions(results, [(loss_s, None), (constraint_s, edited)])
    assert [results.get(i).text for i in added] == ["Injury", "Brake within 2 s"]  # type: ignore[union-attr]
    statuses = {s.status for s in results.suggestions.values()}
    assert statuses == {SuggestionStatus.ACCEPTED}
    assert results.undo_label == "Accept 2 suggestions"
    undone_is_identical(results, before)


def test_rejecting_keeps_the_rationale_as_the_trail(
    results: Document, undone_is_identical: Check
) -> None:
    before = io.dumps(results)
    first = next(iter(results.suggestions))
    reject_suggestions(results, [first], "Covered by L-1")
    rejected = results.suggestions[first]
    assert (rejected.status, rejected.rationale) == (SuggestionStatus.REJECTED, "Covered by L-1")
    assert results.undo_label == f"Reject suggestion {first}"
    undone_is_identical(results, before)


def test_accepting_a_finding_as_a_suggestion_is_refused(results: Document) -> None:
    before = io.dumps(results)
    with pytest.raises(ModelError, match="no suggestion"):
        accept_suggestions(results, [(next(iter(results.findings)), None)])
    assert io.dumps(results) == before
