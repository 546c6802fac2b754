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

Rows also have numbers (mixed-radix, the last variable changing fastest), so a table view can
show row ``n`` without building the others: :class:`ContextGrid` decides each numbered row by
the rules, as the workbench shows it (the most specific rule of a type decides; equally
specific rules that disagree are a conflict). The hazards analysis and the workbench share
this one implementation.

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
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

from stipa.model.records import Condition, ContextRule, ProcessVariable, UCAType

#: One row of a context table: a value for every variable, in the controller's order.
Row = tuple[str, ...]
#: A set of rows: a value, or ``None`` for "don't care", per variable.
Pattern = tuple[str | None, ...]
#: How many rows' matching rules a :class:`ContextGrid` keeps (a few screens' worth).
ROW_CACHE = 2048

__all__ = ["ROW_CACHE", "CompiledRule", "ContextGrid", "ContextTable", "Decision", "Pattern", "Row"]


@dataclass(frozen=True)
class ContextTable:
    """The context table over a controller's process-model variables.

    Parameters
    ----------
    variables
        The controller's process-model variables, in its order; each value is one column.
    """

    variables: tuple[ProcessVariable, ...]
    #: The domain size of each variable.
    radices: tuple[int, ...] = field(init=False, repr=False, compare=False)
    #: How many rows one step of each variable's value moves.
    weights: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _position: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "variables", tuple(self.variables))
        object.__setattr__(self, "_position", {v.id: i for i, v in enumerate(self.variables)})
        radices = tuple(len(v.values) for v in self.variables)
        weights, weight = [], 1
        for radix in reversed(radices):
            weights.append(weight)
            weight *= max(radix, 1)
        object.__setattr__(self, "radices", radices)
        object.__setattr__(self, "weights", tuple(reversed(weights)))

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

    # --- rows by number (mixed-radix: the last variable changes fastest) ----------------------
    def decode(self, row: int) -> tuple[int, ...]:
        """The value position of each variable in row number ``row``."""
        return tuple(
            (row // weight) % radix
            for weight, radix in zip(self.weights, self.radices, strict=True)
        )

    def encode(self, digits: Sequence[int]) -> int:
        """The row number of the given value positions."""
        return sum(d * w for d, w in zip(digits, self.weights, strict=True))

    def row(self, number: int) -> Row:
        """The values of row ``number``, one per variable."""
        return tuple(v.values[d] for v, d in zip(self.variables, self.decode(number), strict=True))

    def conditions(self, row: Row) -> tuple[Condition, ...]:
        """Conditions fixing every variable to the values of ``row``."""
        return tuple(
            Condition(variable=v.id, value=value)
            for v, value in zip(self.variables, row, strict=True)
        )

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


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A context rule as a predicate over row digits."""

    id: str
    type: UCAType
    hazardous: bool
    hazards: tuple[str, ...]
    fixed: tuple[tuple[int, int], ...]  # (variable position, value position)

    @property
    def specificity(self) -> int:
        """How many variables the rule fixes."""
        return len(self.fixed)


@dataclass(frozen=True, slots=True)
class Decision:
    """How the rules decide one row for one type."""

    rule: CompiledRule | None
    conflict: bool = False

    @property
    def hazardous(self) -> bool | None:
        """True/False when decided, None when no rule decides the row."""
        return None if self.rule is None else self.rule.hazardous


class ContextGrid:
    """The rows of one control action's context table and the rules deciding them (no Qt).

    Examples
    --------
    >>> v = [ProcessVariable(id=f"PV-{i}", name=n, values=("a", "b")) for i, n in
    ...      enumerate(["x", "y", "z"])]
    >>> grid = ContextGrid(v, [ContextRule(id="CR-1", action="CA-1",
    ...                        conditions=[Condition(variable="PV-0", value="b")])])
    >>> grid.size, grid.values(5), grid.count("CR-1")
    (8, ('b', 'a', 'b'), 4)
    >>> [row for row in range(grid.size) if grid.covers("CR-1", row)]
    [4, 5, 6, 7]
    """

    def __init__(self, variables: Sequence[ProcessVariable], rules: Iterable[ContextRule]) -> None:
        self.table = ContextTable(tuple(variables))
        self.variables = self.table.variables
        self.radices = self.table.radices
        self.weights = self.table.weights
        self.size = self.table.size
        self._value_position = [{value: i for i, value in enumerate(v.values)} for v in variables]
        self.rules: list[CompiledRule] = []
        self.by_id: dict[str, CompiledRule] = {}
        #: (type, row) -> the rule fixing every variable to that row's values.
        self.exact: dict[tuple[UCAType, int], str] = {}
        for rule in rules:
            compiled = self._compile(rule)
            if compiled is None:
                continue
            self.rules.append(compiled)
            self.by_id[compiled.id] = compiled
            if compiled.specificity == len(self.variables):
                digits = [0] * len(self.variables)
                for position, value in compiled.fixed:
                    digits[position] = value
                self.exact.setdefault((compiled.type, self.encode(digits)), compiled.id)
        self._cache: OrderedDict[int, tuple[CompiledRule, ...]] = OrderedDict()

    def _compile(self, rule: ContextRule) -> CompiledRule | None:
        pattern = self.table.pattern(rule.conditions)
        if pattern is None:
            return None
        fixed = tuple(
            (position, self._value_position[position][value])
            for position, value in enumerate(pattern)
            if value is not None
        )
        return CompiledRule(rule.id, rule.type, rule.hazardous, rule.hazards, fixed)

    # --- rows --------------------------------------------------------------------------------
    def decode(self, row: int) -> tuple[int, ...]:
        """The value position of each variable in ``row`` (mixed-radix digits)."""
        return self.table.decode(row)

    def encode(self, digits: Sequence[int]) -> int:
        """The row of the given value positions."""
        return self.table.encode(digits)

    def values(self, row: int) -> tuple[str, ...]:
        """The values of ``row``, one per variable."""
        return self.table.row(row)

    def conditions(self, row: int) -> tuple[Condition, ...]:
        """Conditions fixing every variable to the values of ``row``."""
        return self.table.conditions(self.table.row(row))

    # --- rules -------------------------------------------------------------------------------
    def matching(self, row: int) -> tuple[CompiledRule, ...]:
        """The rules covering ``row``, in document order (cached per row)."""
        cached = self._cache.get(row)
        if cached is not None:
            self._cache.move_to_end(row)
            return cached
        digits = self.decode(row)
        found = tuple(rule for rule in self.rules if all(digits[p] == v for p, v in rule.fixed))
        self._cache[row] = found
        if len(self._cache) > ROW_CACHE:
            self._cache.popitem(last=False)
        return found

    def decision(self, row: int, kind: UCAType) -> Decision:
        """The most specific rule of ``kind`` covering ``row``; a conflict if they disagree."""
        candidates = [rule for rule in self.matching(row) if rule.type == kind]
        if not candidates:
            return Decision(None)
        best = max(rule.specificity for rule in candidates)
        top = [rule for rule in candidates if rule.specificity == best]
        conflict = len({rule.hazardous for rule in top}) > 1
        return Decision(top[-1], conflict)

    def covers(self, rule_id: str, row: int) -> bool:
        """Whether the rule ``rule_id`` stands for ``row``."""
        rule = self.by_id.get(rule_id)
        if rule is None:
            return False
        digits = self.decode(row)
        return all(digits[p] == v for p, v in rule.fixed)

    def count(self, rule_id: str) -> int:
        """How many rows the rule stands for (the product of its "don't care" domains)."""
        rule = self.by_id.get(rule_id)
        if rule is None:
            return 0
        fixed = {p for p, _v in rule.fixed}
        return math.prod(r for i, r in enumerate(self.radices) if i not in fixed)
