"""What the ids a finding or suggestion points at mean on screen: names and canvas items."""

from __future__ import annotations

from stipa.model import (
    Component,
    ContextRule,
    ControllerConstraint,
    DocumentView,
    Link,
    LossScenario,
    Responsibility,
    UnsafeControlAction,
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


def canvas_ids(view: DocumentView, target: str, depth: int = 0) -> list[str]:
    """The components and links that show ``target`` on the canvas (may be none).

    Link items and process variables show on their link or component; unsafe control
    actions and context rules on the link of their control action; responsibilities on their
    owner; controller constraints and loss scenarios on the links of their UCAs.
    """
    if target in view.components or target in view.links:
        return [target]
    owner = view.owner_of(target)
    if owner is not None:
        return [owner.id]
    record = view.get(target)
    if isinstance(record, UnsafeControlAction | ContextRule):
        return canvas_ids(view, record.action, depth + 1)
    if isinstance(record, Responsibility):
        return [record.owner] if record.owner in view.components else []
    if isinstance(record, ControllerConstraint | LossScenario) and depth == 0:
        found: list[str] = []
        for uca in record.ucas:
            found += [i for i in canvas_ids(view, uca, depth + 1) if i not in found]
        return found
    return []


def canvas_ids_of(view: DocumentView, targets: tuple[str, ...]) -> list[str]:
    """The canvas ids showing any of ``targets``, without repeats, in target order."""
    found: list[str] = []
    for target in targets:
        found += [i for i in canvas_ids(view, target) if i not in found]
    return found
