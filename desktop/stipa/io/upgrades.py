"""Upgrades of older ``.stipa`` files to the current format version.

``UPGRADES[n]`` takes the root element of a version-``n`` document (a parsed lxml tree) and
upgrades it to version ``n + 1``, changing it in place (return None) or returning a new root.
On load the upgrades run in order, from the file's version up to ``FORMAT_VERSION``, before
the tree is checked against the current schema. Each version keeps a golden file in
``tests/data/format-v<n>.stipa`` so its upgrade path stays tested.

Version 1 is the first version, so there is nothing to upgrade yet. When version 2 comes,
add ``UPGRADES[1] = _upgrade_1_to_2``, bump ``FORMAT_VERSION``, add ``stipa-2.xsd`` and keep
``tests/data/format-v1.stipa``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: An upgrade step: root element of version n -> None (changed in place) or a new root.
Upgrade = Callable[[Any], Any]

#: version n -> the function that upgrades a tree of version n to version n + 1.
UPGRADES: dict[int, Upgrade] = {}

__all__ = ["UPGRADES", "Upgrade"]
