"""Find: the components, links, link items and STPA records whose id, alias or text match."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from stipa.model import STPA_TABLES, DocumentView

#: The tables Find searches, in the order its results are listed.
SEARCHED = ("components", "links", *(table.name for table in STPA_TABLES))
#: Text fields shown as a result's title, the first one a record has.
_TITLE_FIELDS = ("name", "text", "action", "description")


@dataclass(frozen=True, slots=True)
class Match:
    """One result: the record's id, its table (``"item"`` for a link item) and a title."""

    id: str
    table: str
    title: str


def _texts(record: object) -> Iterator[str]:
    for field in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, field.name)
        if isinstance(value, str):
            yield value


def _title(record: object) -> str:
    for name in _TITLE_FIELDS:
        value = getattr(record, name, "")
        if isinstance(value, str) and value:
            return value
    return ""


def find(document: DocumentView, query: str, limit: int = 200) -> list[Match]:
    """The records matching ``query`` (case-insensitive; every word must occur).

    A word matches the id, the alias or any text field of a record; link items are searched
    with their link. Exact id or alias matches come first; at most ``limit`` results.
    """
    words = query.casefold().split()
    if not words:
        return []
    exact: list[Match] = []
    others: list[Match] = []
    for table in SEARCHED:
        for record in document.table(table).values():
            parts = [record]
            parts += list(getattr(record, "items", ())) if table == "links" else []
            for part in parts:
                haystack = " ".join(_texts(part)).casefold()
                if not all(word in haystack for word in words):
                    continue
                match = Match(part.id, table if part is record else "item", _title(part))
                needle = query.strip().casefold()
                ids = {part.id.casefold(), str(getattr(part, "alias", "")).casefold()}
                (exact if needle in ids else others).append(match)
    return (exact + others)[:limit]
