"""What the ids a finding or suggestion points at mean on screen: names and canvas items."""

from __future__ import annotations

from stipa.model import (
    Component,
    DocumentView,
    Link,
)

#: Longest text shown for a record that has no name.
_SHORT = 48


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


def target_name(view: DocumentView, target: str) -> str:
    """A readable name for ``target``: a component's name, a link's items, a record's text."""
    record = view.get(target)
    if record is None:
        return target
    if isinstance(record, Component):
        return record.name
    if isinstance(record, Link):
        if record.label:
            return record.label
        source, goal = view.components.get(record.source), view.components.get(record.target)
        return (
            f"{source.name if source else record.source} → {goal.name if goal else record.target}"
        )
    name = getattr(record, "name", "")
    if name:
        return str(name)
    text = getattr(record, "text", "") or getattr(record, "context", "")
    return f"{target} {_short(text)}" if text else target


def target_names(view: DocumentView, targets: tuple[str, ...]) -> str:
    """The names of several targets, comma separated."""
    return ", ".join(target_name(view, target) for target in targets)
