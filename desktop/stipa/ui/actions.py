"""Named actions: the one way menus, toolbars and panels make a ``QAction``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

#: Shortcuts as a platform's standard key, a list of sequences, or one sequence ("Ctrl+L").
Shortcuts = QKeySequence.StandardKey | list[QKeySequence] | str | None


def make_action(
    parent: QObject,
    name: str,
    text: str,
    tooltip: str,
    slot: Callable[[], object] | None = None,
    shortcuts: Shortcuts = None,
    *,
    checkable: bool = False,
) -> QAction:
    """An action named ``action.<name>``: its tooltip is its status tip too, and triggering
    it calls ``slot`` (without the ``checked`` argument)."""
    action = QAction(text, parent)
    action.setObjectName(f"action.{name}")
    action.setToolTip(tooltip)
    action.setStatusTip(tooltip)
    action.setCheckable(checkable)
    if isinstance(shortcuts, QKeySequence.StandardKey):
        action.setShortcuts(QKeySequence.keyBindings(shortcuts))
    elif isinstance(shortcuts, str):
        action.setShortcut(QKeySequence(shortcuts))
    elif shortcuts:
        action.setShortcuts(shortcuts)
    if slot is not None:
        action.triggered.connect(lambda checked=False: slot())
    return action


__all__ = ["Shortcuts", "make_action"]
