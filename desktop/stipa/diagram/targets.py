"""Which components and links show a record on the diagram (where its badge goes)."""

from __future__ import annotations

from stipa.model import (
    ContextRule,
    ControllerConstraint,
    DocumentView,
    LossScenario,
    Responsibility,
    UnsafeControlAction,
)

__all__ = ["canvas_ids", "canvas_ids_of"]


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
