"""Upgrades of older ``.stipa`` files to the current format version.

``UPGRADES[n]`` takes the root element of a version-``n`` document (a parsed lxml tree) and
upgrades it to version ``n + 1``, changing it in place (return None) or returning a new root.
On load the upgrades run in order, from the file's version up to ``FORMAT_VERSION``, before
the tree is checked against the current schema. Each version keeps a golden file in
``tests/data/format-v<n>.stipa`` so its upgrade path stays tested.

To add version n + 1: add ``UPGRADES[n]``, bump ``FORMAT_VERSION``, add
``resources/schema/stipa-<n+1>.xsd`` (keeping the older schemas, which the golden-file tests
check the old golden files against) and ``tests/data/format-v<n+1>.stipa``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: An upgrade step: root element of version n -> None (changed in place) or a new root.
Upgrade = Callable[[Any], Any]


def _upgrade_1_to_2(root: Any) -> None:
    """Version 2 only adds optional attributes, elements and values to version 1.

    Containment, levels, boundaries, safety requirements, UCA subtypes, causal-factor keywords
    and aliases are all absent from a version-1 file, which means "none", so its tree is
    already a version-2 tree; the reader sets ``format="2"``. Version 2 also bounds geometry
    (positions within ±1,000,000, sizes 1 to 20,000): a version-1 file outside those bounds is
    refused by the version-2 schema with the line of the offending element, never clipped
    silently.
    """


#: version n -> the function that upgrades a tree of version n to version n + 1.
UPGRADES: dict[int, Upgrade] = {1: _upgrade_1_to_2}

__all__ = ["UPGRADES", "Upgrade"]
