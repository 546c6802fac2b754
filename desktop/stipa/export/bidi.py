"""Bidirectional control characters made visible in reports, as code review tools show them.

U+202E (RIGHT-TO-LEFT OVERRIDE) and its kin reorder the text around them when it is
displayed, so a finding or a hazard can read differently from what it says ("Trojan
Source", CVE-2021-42574). Reports are read, not edited: every such character in them is
shown as a marker naming it (``⟪U+202E⟫``), the way GitHub and compilers flag them. Data
exports that are read back (XLSX, CSV) keep the text as it is.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

__all__ = ["BIDI_CONTROLS", "reveal_bidi", "reveal_bidi_in"]

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
    result: Any = value
    if type(result) is str:  # not a StrEnum: enum values stay what they are
        result = reveal_bidi(result) if _CONTROL.search(result) else result
    elif isinstance(value, tuple | list):
        items = [reveal_bidi_in(item) for item in value]
        if any(new is not old for new, old in zip(items, value, strict=True)):
            result = type(value)(items) if isinstance(value, list) else tuple(items)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if not field.init:
                continue
            old = getattr(value, field.name)
            new = reveal_bidi_in(old)
            if new is not old:
                changes[field.name] = new
        if changes:
            result = dataclasses.replace(value, **changes)
    return result  # type: ignore[no-any-return]
