"""The footprint constants file: one row per constant, each with its source and year."""

from __future__ import annotations

import csv
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from stipa import ModelError, resource_path
from stipa_builtins.footprint.units import quantity

__all__ = [
    "CONSTANTS_OPTION",
    "CONSTANTS_VARIABLE",
    "Constant",
    "Constants",
    "ConstantsError",
    "bundled_constants_path",
    "constants_label",
    "constants_path",
    "load_constants",
]

#: Environment variable naming an organisation's own constants file.
CONSTANTS_VARIABLE = "STIPA_FOOTPRINT_CONSTANTS"
#: Analysis option naming a constants file (``--option constants=/path/file.csv``).
CONSTANTS_OPTION = "constants"


# --- constants ------------------------------------------------------------------------------


class ConstantsError(ValueError):
    """A footprint constants file that cannot be used; the message names the file and line."""


#: Kinds of constants, and the unit their values are converted to.
KINDS = {
    "hardware": "W",
    "pue": "",
    "grid": "g/kWh",
    "water_onsite": "L/kWh",
    "water_offsite": "L/kWh",
    "growth": "",
    "efficiency": "",
    "horizon": "yr",
    "memory": "W/GB",
    "inference_growth": "",
}
#: Kinds that must have exactly one default row.
NEEDS_DEFAULT = ("pue", "grid", "water_onsite", "water_offsite", "growth", "efficiency", "horizon")
COLUMNS = ("kind", "key", "value", "low", "high", "unit", "default", "source", "year")


@dataclass(frozen=True)
class Constant:
    """One row of the constants file, its value converted to the kind's unit."""

    kind: str
    key: str
    value: float
    low: float | None
    high: float | None
    unit: str
    default: bool
    source: str
    year: int
    line: int = 0

    @property
    def cited(self) -> str:
        """The source with its year."""
        return f"{self.source} ({self.year})"


@dataclass(frozen=True)
class Constants:
    """The constants of one file, by kind and key."""

    path: Path
    rows: tuple[Constant, ...]

    def of(self, kind: str) -> dict[str, Constant]:
        """The rows of one kind, by key, in file order."""
        return {row.key: row for row in self.rows if row.kind == kind}

    def get(self, kind: str, key: str) -> Constant | None:
        """The row ``key`` of ``kind``, or None."""
        return self.of(kind).get(key)

    def default(self, kind: str) -> Constant:
        """The default row of ``kind``."""
        for row in self.rows:
            if row.kind == kind and row.default:
                return row
        raise ConstantsError(f"{self.path}: no default {kind} row.")  # checked on load

    def spread(self, kind: str) -> tuple[float, float]:
        """The range of an assumed value: the default row's low–high, else all rows of kind."""
        row = self.default(kind)
        if row.low is not None and row.high is not None:
            return row.low, row.high
        values = [r.value for r in self.rows if r.kind == kind]
        return min(values), max(values)

    @property
    def hardware(self) -> dict[str, Constant]:
        """Device power rows (value in W) by hardware name."""
        return self.of("hardware")

    @property
    def regions(self) -> dict[str, Constant]:
        """Grid intensity rows (value in g/kWh) by region."""
        return self.of("grid")

    @property
    def memory(self) -> Constant | None:
        """The power of memory per GB (the default ``memory`` row), if the file has one."""
        rows = [row for row in self.rows if row.kind == "memory"]
        return next((row for row in rows if row.default), rows[0] if rows else None)

    def water(self, region: str) -> tuple[Constant, Constant]:
        """The on-site and off-site water rows for ``region``: each the region's own row where
        the file has one, else the default row of its kind (see :meth:`is_regional`).

        The two are looked up separately: a grid's water intensity is published per country,
        a data centre's WUE only by some operators for some sites.
        """
        kinds = ("water_onsite", "water_offsite")
        onsite, offsite = (self.get(kind, region) or self.default(kind) for kind in kinds)
        return onsite, offsite

    @staticmethod
    def is_regional(row: Constant, region: str) -> bool:
        """Whether ``row`` is ``region``'s own figure rather than the default used for others."""
        return row.key == region


def bundled_constants_path() -> Path:
    """The constants file shipped with Stipa."""
    return resource_path("footprint", "constants.csv")


def constants_label(path: Path) -> str:
    """How a note names its constants file: the bundled one without this machine's path.

    Notes are saved with the document; an absolute path into the installation would differ
    from machine to machine and make every analysed file change in version control.
    """
    if path.resolve() == bundled_constants_path().resolve():
        return "footprint/constants.csv (bundled with Stipa)"
    return str(path)


def constants_path(options: Mapping[str, str] | None = None) -> Path:
    """The constants file to use: the ``constants`` option, the environment, or the bundled."""
    chosen = (options or {}).get(CONSTANTS_OPTION, "").strip()
    if not chosen:
        chosen = os.environ.get(CONSTANTS_VARIABLE, "").strip()
    return Path(chosen).expanduser() if chosen else bundled_constants_path()


def load_constants(path: Path | str | None = None) -> Constants:
    """Read and check a constants file (the bundled one when ``path`` is None).

    Raises :class:`ConstantsError` naming the file and line of the first problem.
    """
    target = Path(path) if path is not None else bundled_constants_path()
    try:
        stat = target.stat()
    except OSError as error:
        raise ConstantsError(
            f"Footprint constants file {target} cannot be read: {error.strerror or error}."
        ) from None
    return _load_cached(str(target), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, _mtime: int, _size: int) -> Constants:
    target = Path(path)
    try:
        text = target.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConstantsError(
            f"Footprint constants file {target} cannot be read: {error}."
        ) from None
    return _parse_constants(target, text)


def _parse_constants(path: Path, text: str) -> Constants:
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    where = f"Footprint constants file {path}"
    if not lines:
        raise ConstantsError(f"{where} is empty; it needs the header {','.join(COLUMNS)}.")
    try:
        records = list(csv.reader([line for _, line in lines], strict=True))
    except csv.Error as error:
        raise ConstantsError(f"{where} is not valid CSV: {error}.") from None
    header = [cell.strip().lower() for cell in records[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ConstantsError(
            f"{where}, line {lines[0][0]}: the header lacks {', '.join(missing)} "
            f"(expected {','.join(COLUMNS)})."
        )
    rows: list[Constant] = []
    seen: set[tuple[str, str]] = set()
    for (number, _), cells in zip(lines[1:], records[1:], strict=True):
        at = f"{where}, line {number}"
        if len(cells) != len(header):
            raise ConstantsError(f"{at}: {len(cells)} cells, the header has {len(header)}.")
        cell = {name: value.strip() for name, value in zip(header, cells, strict=True)}
        row = _parse_row(at, cell, number)
        if (row.kind, row.key) in seen:
            raise ConstantsError(f"{at}: {row.kind} {row.key!r} appears twice.")
        seen.add((row.kind, row.key))
        rows.append(row)
    for kind in NEEDS_DEFAULT:
        defaults = [row for row in rows if row.kind == kind and row.default]
        if len(defaults) != 1:
            found = "none" if not defaults else f"{len(defaults)} (lines "
            if defaults:
                found += ", ".join(str(row.line) for row in defaults) + ")"
            raise ConstantsError(
                f"{where}: exactly one {kind} row must have default=yes; found {found}."
            )
    if not any(row.kind == "hardware" for row in rows):
        raise ConstantsError(f"{where}: no hardware rows.")
    return Constants(path=path, rows=tuple(rows))


def _parse_row(at: str, cell: Mapping[str, str], line: int) -> Constant:
    kind = cell["kind"]
    if kind not in KINDS:
        raise ConstantsError(f"{at}: kind {kind!r} is not one of {', '.join(KINDS)}.")
    key = cell["key"]
    if not key:
        raise ConstantsError(f"{at}: the key is empty.")
    if not cell["source"]:
        raise ConstantsError(f"{at}: {kind} {key!r} has no source; every constant needs one.")
    try:
        year = int(cell["year"])
    except ValueError:
        raise ConstantsError(
            f"{at}: {kind} {key!r} needs the year of its source, not {cell['year']!r}."
        ) from None
    if not 1800 <= year <= 2200:
        raise ConstantsError(f"{at}: year {year} is not plausible.")
    default = cell["default"].lower()
    if default not in ("", "yes", "no", "true", "false"):
        raise ConstantsError(f"{at}: default must be yes or empty, not {cell['default']!r}.")
    target = KINDS[kind]

    def convert(column: str) -> float | None:
        try:
            return quantity(cell[column], cell["unit"], target, f"{kind} {key!r} {column}")
        except ModelError as error:
            raise ConstantsError(f"{at}: {error}") from None

    value = convert("value")
    if value is None:
        raise ConstantsError(f"{at}: {kind} {key!r} has no value.")
    low, high = convert("low"), convert("high")
    if (low is None) != (high is None):
        raise ConstantsError(f"{at}: give both low and high, or neither.")
    if low is not None and high is not None and not low <= value <= high:
        raise ConstantsError(f"{at}: the value must lie between low and high.")
    if kind == "pue" and value < 1:
        raise ConstantsError(f"{at}: a PUE is at least 1, not {value:g}.")
    if kind in ("hardware", "growth", "inference_growth", "efficiency", "horizon") and value <= 0:
        raise ConstantsError(f"{at}: {kind} must be above 0, not {value:g}.")
    return Constant(
        kind=kind,
        key=key,
        value=value,
        low=low,
        high=high,
        unit=target,
        default=default in ("yes", "true"),
        source=cell["source"],
        year=year,
        line=line,
    )
