"""Bidirectional control characters made visible in reports, as code review tools show them.

U+202E (RIGHT-TO-LEFT OVERRIDE) and its kin reorder the text around them when it is
displayed, so a finding or a hazard can read differently from what it says ("Trojan
Source", CVE-2021-42574). Reports are read, not edited: every such character in them is
shown as a marker naming it (``⟪U+202E⟫``), the way GitHub and compilers flag them. Data
exports that are read back (XLSX, CSV) keep the text as it is.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any, TypeVar

from stipa.model import Component, Document, Link, LinkLayout, NodeLayout, Snapshot

__all__ = ["BIDI_CONTROLS", "reveal_bidi", "reveal_bidi_in", "reveal_bidi_in_drawing"]

#: The embedding, override and isolate controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
BIDI_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_CONTROL = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")

T = TypeVar("T")


def reveal_bidi(text: str) -> str:
    """``text`` with each bidi control replaced by a visible marker such as ``⟪U+202E⟫``."""
    return _CONTROL.sub(lambda match: f"⟪U+{ord(match.group()):04X}⟫", text)


def reveal_bidi_in(value: T) -> T:
    """``value`` with :func:`reveal_bidi` applied to every string in it.

    Strings, tuples, lists and dataclass instances (records, tables, a report) are walked;
    anything else is returned as it is. An unchanged value is returned itself.
    """
    given: Any = value
    kind: Any = type(given)
    if kind is str:  # not a StrEnum: enum values stay what they are
        result: Any = reveal_bidi(given) if _CONTROL.search(given) else given
        return result  # type: ignore[no-any-return]
    if kind is tuple or kind is list:
        try:
            if not _CONTROL.search("".join(given)):  # strings only, none to reveal: quick
                return value
        except TypeError:  # not only strings: look at each
            pass
        revealed = [reveal_bidi_in(item) for item in given]
        if all(new is old for new, old in zip(revealed, given, strict=True)):
            return value
        return revealed if kind is list else tuple(revealed)  # type: ignore[return-value]
    names = _init_fields(kind)
    if not names:
        return value
    changes = {}
    for name in names:
        old = getattr(given, name)
        new = reveal_bidi_in(old)
        if new is not old:
            changes[name] = new
    return dataclasses.replace(given, **changes) if changes else value


@functools.cache
def _init_fields(kind: Any) -> tuple[str, ...]:
    """The fields a dataclass's constructor takes (none for anything else)."""
    if not dataclasses.is_dataclass(kind):
        return ()
    return tuple(field.name for field in dataclasses.fields(kind) if field.init)


def reveal_bidi_in_drawing(snapshot: Snapshot) -> Snapshot:
    """``snapshot`` with the texts a diagram draws revealed (names, labels, the title block).

    Components, links and the document information are revealed; ``snapshot`` itself is
    returned when none of them holds a bidi control, so a clean document costs one scan.
    """
    drawn: list[Component | Link] = [*snapshot.components.values(), *snapshot.links.values()]
    revealed = {record.id: new for record in drawn if (new := reveal_bidi_in(record)) is not record}
    info = reveal_bidi_in(snapshot.info)
    if not revealed and info is snapshot.info:
        return snapshot
    records = [revealed.get(record.id, record) for record in snapshot.records()]
    layouts: list[NodeLayout | LinkLayout] = [
        *snapshot.node_layout.values(),
        *snapshot.link_layout.values(),
    ]
    document, _problems = Document.assemble(records, layouts, info)
    return document.snapshot()
