"""Errors raised by the document model."""

from __future__ import annotations


class ModelError(ValueError):
    """An edit or a document that breaks a rule of the model.

    The message is one sentence a user can act on; ``record_id`` names the record concerned
    when there is one.
    """

    def __init__(self, message: str, record_id: str | None = None) -> None:
        super().__init__(message)
        self.record_id = record_id
