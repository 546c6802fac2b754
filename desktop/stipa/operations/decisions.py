"""The analyst's decisions on analysis results: dispositions of findings, suggestions taken up.

Each function is one undo step and changes nothing when it raises
(:class:`~stipa.model.ModelError` for an unknown id or a record the document refuses).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from stipa.model import (
    Disposition,
    Document,
    Finding,
    ModelError,
    StpaRecord,
    Suggestion,
    SuggestionStatus,
)

_T = TypeVar("_T")


def _records(document: Document, ids: Iterable[str], kind: type[_T], noun: str) -> list[_T]:
    found = []
    for record_id in ids:
        record = document.get(record_id)
        if not isinstance(record, kind):
            raise ModelError(f"There is no {noun} {record_id}.")
        found.append(record)
    return found


def set_disposition(
    document: Document,
    finding_ids: Iterable[str],
    disposition: Disposition | str,
    rationale: str = "",
    label: str = "",
) -> list[Finding]:
    """Record the analyst's disposition (and its rationale) on findings, as one undo step.

    Returns the findings as they are now.
    """
    disposition = Disposition(disposition)
    findings = _records(document, finding_ids, Finding, "finding")
    if not label:
        label = f"Set {disposition.value.replace('_', ' ')}: {', '.join(f.id for f in findings)}"
    with document.transaction(label):
        for finding in findings:
            document.update(finding.id, disposition=disposition, rationale=rationale)
    return _records(document, (f.id for f in findings), Finding, "finding")


def accept_suggestions(
    document: Document,
    chosen: Sequence[tuple[str, StpaRecord | None]],
    label: str = "",
) -> list[str]:
    """Add the proposals of suggestions as records and mark the suggestions accepted.

    ``chosen`` pairs a suggestion's id with the proposal to add: ``None`` for the
    suggestion's own proposal, else the analyst's edited version. Returns the new records'
    ids, in order. One undo step.
    """
    suggestions = _records(document, (sid for sid, _ in chosen), Suggestion, "suggestion")
    if not label:
        label = (
            f"Accept suggestion {suggestions[0].id}"
            if len(suggestions) == 1
            else f"Accept {len(suggestions)} suggestions"
        )
    added: list[str] = []
    with document.transaction(label):
        for suggestion, (_, proposal) in zip(suggestions, chosen, strict=True):
            record = document.add((proposal or suggestion.proposal).replace(id=""))
            added.append(record.id)
            document.update(suggestion.id, status=SuggestionStatus.ACCEPTED)
    return added


def reject_suggestions(
    document: Document, suggestion_ids: Iterable[str], rationale: str, label: str = ""
) -> None:
    """Reject suggestions with the analyst's rationale, as one undo step."""
    suggestions = _records(document, suggestion_ids, Suggestion, "suggestion")
    if not label:
        label = (
            f"Reject suggestion {suggestions[0].id}"
            if len(suggestions) == 1
            else f"Reject {len(suggestions)} suggestions"
        )
    with document.transaction(label):
        for suggestion in suggestions:
            document.update(suggestion.id, status=SuggestionStatus.REJECTED, rationale=rationale)
