"""The Stipa document model: records, the mutation API with undo, snapshots. No Qt, no lxml."""

from stipa.model.commands import (
    Command,
    Event,
    HistoryChanged,
    Put,
    RecordAdded,
    RecordChanged,
    RecordRemoved,
)
from stipa.model.document import Document
from stipa.model.errors import ModelError
from stipa.model.integrity import Problem, connection_problem, document_problems
from stipa.model.records import *  # noqa: F403
from stipa.model.records import __all__ as _record_names
from stipa.model.snapshot import Snapshot
from stipa.model.view import DocumentView

__all__ = [
    "Command",
    "Document",
    "DocumentView",
    "Event",
    "HistoryChanged",
    "ModelError",
    "Problem",
    "Put",
    "RecordAdded",
    "RecordChanged",
    "RecordRemoved",
    "Snapshot",
    "connection_problem",
    "document_problems",
    *_record_names,
]
