"""Context tables (Thomas 2013): the contexts of a control action and the rules that decide them.

A controller's process model has variables, each with a finite domain. The context table of
one of its control actions has one row per combination of values: the product of the
domains. A :class:`stipa.ContextRule` fixes some variables (``conditions``) and leaves the
others as "don't care", so it stands for every row that agrees with it on the fixed ones.

Rows are tuples of values in the order the controller declares its variables. A *pattern* is
the same tuple with ``None`` where a variable is "don't care": a rule is one pattern, and any
set of rows can be written as a list of disjoint patterns. The analysis computes conflicts,
undecided rows and overlaps on patterns, which gives exactly the sets that expanding every
rule over the product of domains gives (``tests/builtins/test_hazards_context.py`` checks the
two against each other), without ever building a table of 4^10 rows; :meth:`ContextTable.expand`
lists the rows themselves when there are few enough to read.

This module is public: the workbench GUI may use it to draw a control action's table.

Examples
--------
>>> from stipa import Condition, ProcessVariable
>>> table = ContextTable((
...     ProcessVariable(id="PV-1", name="trainSpeed", values=("zero", "moving")),
...     ProcessVariable(id="PV-2", name="trainPosition", values=("atStation", "betweenStations")),
...     ProcessVariable(id="PV-3", name="doorState", values=("open", "closed")),
... ))
>>> table.size
8
>>> table.count([Condition(variable="PV-1", value="moving")])
4
>>> table.describe(table.pattern([Condition(variable="PV-1", value="moving")]))
'trainSpeed=moving'
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

from stipa import Condition, ProcessVariable

#: One row of a context table: a value for every variable, in the controller's order.
Row = tuple[str, ...]
#: A set of rows: a value, or ``None`` for "don't care", per variable.
Pattern = tuple[str | None, ...]

__all__ = ["ContextTable", "Pattern", "Row"]


@dataclass(frozen=True)
class ContextTable:
    """The context table over a controller's process-model variables.

    Parameters
    ----------
    variables
        The controller's process-model variables, in its order; each value is one column.
    """

    variables: tuple[ProcessVariable, ...]
    _position: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "variables", tuple(self.variables))
        object.__setattr__(self, "_position", {v.id: i for i, v in enumerate(self.variables)})

    # --- the table ---------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """The number of rows: the product of the domain sizes (1 without variables)."""
        return math.prod(len(v.values) for v in self.variables)

    @property
    def everything(self) -> Pattern:
        """The pattern of every row (nothing fixed)."""
        return (None,) * len(self.variables)

    def rows(self) -> Iterator[Row]:
        """Every row, in table order (the last variable changes fastest)."""
        return itertools.product(*(v.values for v in self.variables))

    # --- rules as patterns -------------------------------------------------------------------
    def pattern(self, conditions: Iterable[Condition]) -> Pattern | None:
        """The pattern of a rule's ``conditions``, or None if they can match no row.

        A condition on a variable the controller does not have, or with a value outside the
        variable's domain, matches nothing (the model refuses such rules; this is a guard).
        """
        values: list[str | None] = list(self.everything)
        for condition in conditions:
            index = self._position.get(condition.variable)
            if index is None or condition.value not in self.variables[index].values:
                return None
            if values[index] is not None and values[index] != condition.value:
                return None
            values[index] = condition.value
        return tuple(values)

    def count(self, rule: Iterable[Condition] | Pattern | None) -> int:
        """How many rows a rule (its conditions, or its pattern) stands for."""
        pattern = self._as_pattern(rule)
        if pattern is None:
            return 0
        return math.prod(
            len(v.values) for v, value in zip(self.variables, pattern, strict=True) if value is None
        )

    def expand(self, rule: Iterable[Condition] | Pattern | None) -> Iterator[Row]:
        """The rows a rule (its conditions, or its pattern) stands for, in table order."""
        pattern = self._as_pattern(rule)
        if pattern is None:
            return iter(())
        return itertools.product(
            *(
                v.values if value is None else (value,)
                for v, value in zip(self.variables, pattern, strict=True)
            )
        )

    def _as_pattern(self, rule: Iterable[Condition] | Pattern | None) -> Pattern | None:
        if rule is None:
            return None
        if (
            isinstance(rule, tuple)
            and len(rule) == len(self.variables)
            and all(value is None or isinstance(value, str) for value in rule)
        ):
            return cast(Pattern, rule)
        return self.pattern(cast(Iterable[Condition], rule))

    # --- set algebra on patterns -------------------------------------------------------------
    @staticmethod
    def intersect(a: Pattern, b: Pattern) -> Pattern | None:
        """The rows both patterns stand for, as a pattern, or None when they share none."""
        merged: list[str | None] = []
        for x, y in zip(a, b, strict=True):
            if x is None:
                merged.append(y)
            elif y is None or x == y:
                merged.append(x)
            else:
                return None
        return tuple(merged)

    def contains(self, outer: Pattern, inner: Pattern) -> bool:
        """Whether every row of ``inner`` is a row of ``outer``."""
        return all(
            x is None or x == y or (y is None and variable.values == (x,))
            for variable, x, y in zip(self.variables, outer, inner, strict=True)
        )

    def same(self, a: Pattern, b: Pattern) -> bool:
        """Whether two patterns stand for the same rows."""
        return self.contains(a, b) and self.contains(b, a)

    def subtract(self, a: Pattern, b: Pattern) -> list[Pattern]:
        """The rows of ``a`` outside ``b``, as disjoint patterns."""
        if self.intersect(a, b) is None:
            return [a]
        pieces: list[Pattern] = []
        current = list(a)
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if x is None and y is not None:
                # the rows of `current` whose variable differs from b's value leave b
                for value in self.variables[index].values:
                    if value != y:
                        piece = list(current)
                        piece[index] = value
                        pieces.append(tuple(piece))
                current[index] = y  # what remains agrees with b here; go on
        return pieces

    def difference(self, patterns: Iterable[Pattern], minus: Iterable[Pattern]) -> list[Pattern]:
        """The rows of ``patterns`` outside every pattern of ``minus``, as disjoint patterns."""
        remaining = list(patterns)
        for b in minus:
            remaining = [piece for a in remaining for piece in self.subtract(a, b)]
            if not remaining:
                break
        return remaining

    def union(self, patterns: Iterable[Pattern]) -> list[Pattern]:
        """The rows of any of ``patterns``, as disjoint patterns (order kept)."""
        result: list[Pattern] = []
        for pattern in patterns:
            result.extend(self.difference([pattern], result))
        return result

    def total(self, patterns: Sequence[Pattern]) -> int:
        """The number of rows of disjoint ``patterns``."""
        return sum(self.count(p) for p in patterns)

    # --- words -------------------------------------------------------------------------------
    def describe(self, pattern: Pattern | Row) -> str:
        """``"trainSpeed=moving, doorState=open"``: the fixed values ("every context" if none)."""
        parts = [
            f"{v.name}={value}"
            for v, value in zip(self.variables, pattern, strict=True)
            if value is not None
        ]
        return ", ".join(parts) if parts else "every context"

    def phrase(self, pattern: Pattern) -> str:
        """A UCA context: ``"when trainSpeed = moving and doorState = open"``."""
        parts = [
            f"{v.name} = {value}"
            for v, value in zip(self.variables, pattern, strict=True)
            if value is not None
        ]
        return "when " + " and ".join(parts) if parts else "in every context"
