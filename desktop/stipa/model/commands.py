"""Undoable commands built from primitive record changes, and the events they emit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Put:
    """One primitive change of one table entry.

    ``old`` None means the entry is inserted, ``new`` None that it is removed; with both
    present it is replaced. Indexes say where the entry was and goes; None means "where it
    is" for a replacement and "at the end" for an insertion.
    """

    table: str
    key: str
    old: Any
    new: Any
    old_index: int | None = None
    new_index: int | None = None

    def inverted(self) -> Put:
        """The change that undoes this one."""
        return Put(self.table, self.key, self.new, self.old, self.new_index, self.old_index)


@dataclass(frozen=True, slots=True)
class Command:
    """One undo step: a label for the Edit menu and the changes it made, in order."""

    label: str
    changes: tuple[Put, ...]


# --- events -----------------------------------------------------------------------------------


class Event:
    """Base of what a document tells its listeners after it changed."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class RecordAdded(Event):
    """A record entered ``table`` at ``index``."""

    table: str
    record: Any
    index: int


@dataclass(frozen=True, slots=True)
class RecordsAdded(Event):
    """Several records entered ``table`` together, at ``index``, ``index + 1``, ...

    Sent by ``Document.add_all`` instead of one ``RecordAdded`` per record, so a listener
    can follow thousands of new records (an analysis's findings) in one go.
    """

    table: str
    records: tuple[Any, ...]
    index: int

    def each(self) -> Iterator[RecordAdded]:
        """The ``RecordAdded`` of each record, for listeners that follow one at a time."""
        for offset, record in enumerate(self.records):
            yield RecordAdded(self.table, record, self.index + offset)


@dataclass(frozen=True, slots=True)
class RecordChanged(Event):
    """A record of ``table`` was replaced by a new version, or moved to position ``index``.

    ``index`` is None when the record kept its place.
    """

    table: str
    old: Any
    new: Any
    index: int | None = None


@dataclass(frozen=True, slots=True)
class RecordRemoved(Event):
    """A record left ``table``; it stood at ``index``."""

    table: str
    record: Any
    index: int


@dataclass(frozen=True, slots=True)
class HistoryChanged(Event):
    """The undo history or the saved state changed (update undo/redo actions, title)."""

    can_undo: bool
    can_redo: bool
    undo_label: str
    redo_label: str
    modified: bool


__all__ = [
    "Command",
    "Event",
    "HistoryChanged",
    "Put",
    "RecordAdded",
    "RecordChanged",
    "RecordRemoved",
    "RecordsAdded",
]
