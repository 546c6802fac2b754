"""Scaling and environmental-footprint notes for AI-model components (analysis ``stipa.footprint``).

Safety is a property of the whole sociotechnical system, and so is what an AI component costs the
world around it. This plugin declares footprint properties for components of nature ``ai_model``
(hardware, hours, usage, region, ...) and writes, for each such component, an *info* note with
the inputs, the formula, the result rounded to three significant figures, an honest range where
an input was assumed, and the sources; plus one summary for the whole structure with a
location-sensitivity table and a scaling projection that reports total use next to per-unit
efficiency (rebound).

Method (STPA.md §6):

* energy [kWh] = Σ devices (power [kW] × hours × utilisation) × PUE — the Green Algorithms formula
  (Lannelongue et al., Advanced Science 2100707, 2021) and the ML CO2 Impact calculator (Lacoste
  et al., arXiv:1910.09700, 2019); for inference also queries per day × energy per query × days
  × PUE;
* emissions [kg CO2e] = energy × grid carbon intensity [g/kWh] / 1000, plus the embodied share =
  manufacturing emissions × use time / lifetime where given;
* water [L] = IT energy × (on-site WUE + PUE × off-site water intensity of electricity) (Li et
  al., "Making AI Less Thirsty", arXiv:2304.03271, 2023);
* scaling: compute grows ``growth``× a year (Epoch AI, 2024: 4.7×, 90% CI 4.3–5.2) while the
  energy per unit of compute falls ``efficiency``× a year (Epoch AI, 2024: about 1.5×); over
  ``years`` years the total changes by (growth / efficiency) ** years — reported next to the
  per-unit gain, never the gain alone (Jevons, 1865; Luccioni, Strubell & Crawford,
  arXiv:2501.16548, 2025).

Every constant (device power, PUE, grid intensity, water factors, scaling defaults) comes from ONE
data file, ``resources/footprint/constants.csv``, each row with its source and year. Organisations
point to their own file with the analysis option ``constants=/path/file.csv`` or the environment
variable ``STIPA_FOOTPRINT_CONSTANTS``. Units go through pint: a property may carry any unit of the
right dimension (``W`` or ``kW``, ``h`` or ``d``, ``Wh`` or ``kWh`` per query); a missing or
wrong unit is refused with a message.

The calculation functions (:func:`energy_kwh`, :func:`emissions_kg`, :func:`water_litres`,
:func:`scale_factor`, ...) are public, so scripts and tests can use them directly.
"""

from __future__ import annotations

import csv
import functools
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pint

from stipa import (
    Analysis,
    AnalysisContext,
    Component,
    ComponentKind,
    Finding,
    ModelError,
    Nature,
    PropertySpec,
    hookimpl,
    resource_path,
)

__all__ = [
    "ANALYSIS_ID",
    "CONSTANTS_OPTION",
    "CONSTANTS_VARIABLE",
    "HOURS_PER_YEAR",
    "NAMESPACE",
    "Constant",
    "Constants",
    "ConstantsError",
    "Device",
    "Estimate",
    "Figures",
    "Incomplete",
    "Inputs",
    "Projection",
    "annual_growth",
    "bundled_constants_path",
    "constants_label",
    "constants_path",
    "embodied_share_kg",
    "emissions_kg",
    "energy_kwh",
    "estimate",
    "format_number",
    "inference_energy_kwh",
    "it_energy_kwh",
    "load_constants",
    "location_sensitivity",
    "power_kw",
    "project",
    "property_specs",
    "quantity",
    "read_inputs",
    "round_significant",
    "run",
    "scale_factor",
    "scenario",
    "water_litres",
]

#: The XML namespace of the footprint properties.
NAMESPACE = "https://stipa.dev/ns/footprint"
#: The analysis id; findings carry it as their plugin.
ANALYSIS_ID = "stipa.footprint"
#: Environment variable naming an organisation's own constants file.
CONSTANTS_VARIABLE = "STIPA_FOOTPRINT_CONSTANTS"
#: Analysis option naming a constants file (``--option constants=/path/file.csv``).
CONSTANTS_OPTION = "constants"
#: Hours in a (Julian) year, pint's ``year``: 365.25 days.
HOURS_PER_YEAR = 8766.0

PHASES = ("training", "inference")

#: Method sources, cited in every note.
SOURCE_ENERGY = (
    "energy: Green Algorithms (Lannelongue et al., Advanced Science 2100707, 2021); "
    "ML CO2 Impact (Lacoste et al., arXiv:1910.09700, 2019)"
)
SOURCE_WATER = "water: Li et al., Making AI Less Thirsty, arXiv:2304.03271 (2023)"
SOURCE_REBOUND = (
    "rebound: Jevons, The Coal Question (1865); Luccioni, Strubell & Crawford, "
    "arXiv:2501.16548 (2025)"
)
SOURCE_GENERAL_PURPOSE = (
    "Luccioni, Jernite & Strubell, Power Hungry Processing, arXiv:2311.16863 (2023)"
)
SHORT_SOURCE = (
    "Green Algorithms (Lannelongue et al. 2021); ML CO2 Impact (Lacoste et al. 2019); "
    "Li et al. 2023 (arXiv:2304.03271); Epoch AI 2024; Luccioni, Strubell & Crawford 2025"
)


# --- units ----------------------------------------------------------------------------------


@functools.cache
def units() -> pint.UnitRegistry:
    """The unit registry (pint), with ``query`` as a countable, dimensionless unit."""
    registry: pint.UnitRegistry = pint.UnitRegistry()
    registry.define("query = 1 = queries")
    return registry


#: What each canonical unit measures, and examples of units a user may give instead.
_DIMENSIONS = {
    "kW": ("power", "W or MW"),
    "W": ("power", "kW or MW"),
    "h": ("time", "d or yr"),
    "yr": ("time", "d or h"),
    "1/d": ("rate", "1/h or queries/d"),
    "Wh": ("energy", "kWh or J"),
    "kg": ("mass", "g or t"),
    "g/kWh": ("carbon intensity", "kg/MWh"),
    "L/kWh": ("water intensity", "m^3/MWh"),
    "": ("pure number", "%"),
}
#: "kg CO2e", "t CO2-eq", "gCO2e/kWh": the gas is a label, not a unit.
_CO2E = re.compile(r"\s*CO(?:2|₂)(?:\s*-?\s*e(?:q)?)?\.?", re.IGNORECASE)


def _expression(text: str) -> pint.Quantity:
    return units().parse_expression(_CO2E.sub("", text).strip())


def _inline_quantity(text: str, label: str) -> pint.Quantity:
    """``text`` such as ``"400 W"`` as a quantity with a unit, or ModelError."""
    try:
        amount = _expression(text)
    except Exception:  # pint's parser raises many kinds; the user only typed text
        amount = None
    if not isinstance(amount, pint.Quantity) or amount.dimensionless:
        raise ModelError(f"{label} must be a number, not {text!r}.")
    return amount


def quantity(value: str, unit: str, target: str, label: str) -> float | None:
    """``value`` in ``unit`` converted to ``target``; None when the value is empty.

    ``value`` may carry its own unit (``"400 W"``) when ``unit`` is empty. Raises
    :class:`stipa.ModelError` with a sentence for the analyst when the value is not a number,
    the unit is unknown, missing for a physical quantity, or of the wrong dimension, or the
    value is negative.

    >>> quantity("400", "W", "kW", "Power")
    0.4
    >>> quantity("2", "d", "h", "Hours")
    48.0
    """
    text = value.strip()
    if not text:
        return None
    noun, examples = _DIMENSIONS.get(target, (target, target))
    given_unit = unit.strip()
    try:
        number = float(text)
    except ValueError:
        amount = _inline_quantity(text, label)
        if given_unit:
            raise ModelError(
                f"{label}: {text!r} carries a unit and the property also says {given_unit!r}; "
                "give the unit once."
            ) from None
        given_unit = f"{amount.units:~}"
    else:
        if not math.isfinite(number):
            raise ModelError(f"{label} must be a finite number, not {text!r}.")
        if not given_unit and target:
            raise ModelError(f"{label} {text} has no unit; give it in {target} (or {examples}).")
        try:
            amount = number * _expression(given_unit) if given_unit else units().Quantity(number)
        except Exception:  # pint's parser raises many kinds; the user only typed text
            raise ModelError(
                f"{label}: {given_unit!r} is not a unit; give it in {target or 'no unit'} "
                f"(or {examples})."
            ) from None
    wanted = _expression(target) if target else units().Quantity(1)
    if not amount.is_compatible_with(wanted) and not target:
        raise ModelError(f"{label} is a pure number: give no unit (or %), not {given_unit!r}.")
    if not amount.is_compatible_with(wanted):
        raise ModelError(
            f"{label}: {given_unit!r} is not a unit of {noun}; give it in "
            f"{target or 'no unit'} (or {examples})."
        )
    converted = float(amount.to(wanted.units).magnitude) * (1.0 / float(wanted.magnitude))
    if not math.isfinite(converted):
        raise ModelError(f"{label} must be a finite number, not {text!r}.")
    if converted < 0:
        raise ModelError(f"{label} must not be negative ({text} {unit}).".replace(" )", ")"))
    return converted


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

    def water(self, region: str) -> tuple[Constant, Constant, bool]:
        """On-site and off-site water rows for ``region`` and whether they are its own."""
        onsite, offsite = self.get("water_onsite", region), self.get("water_offsite", region)
        if onsite is not None and offsite is not None:
            return onsite, offsite, True
        return self.default("water_onsite"), self.default("water_offsite"), False


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
    if kind in ("hardware", "growth", "efficiency", "horizon") and value <= 0:
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


# --- the calculations -----------------------------------------------------------------------


@dataclass(frozen=True)
class Device:
    """Devices of one kind: power of ONE device [kW], how many, and their utilisation (0–1)."""

    power_kw: float
    count: float = 1
    utilisation: float = 1.0


def power_kw(devices: Iterable[Device]) -> float:
    """Average IT power draw [kW] = Σ power × count × utilisation."""
    return sum(d.power_kw * d.count * d.utilisation for d in devices)


def it_energy_kwh(devices: Iterable[Device], hours: float) -> float:
    """IT energy [kWh] = Σ devices (power × hours × utilisation)."""
    return power_kw(devices) * hours


def energy_kwh(devices: Iterable[Device], hours: float, pue: float = 1.0) -> float:
    """Facility energy [kWh] = Σ devices (power [kW] × hours × utilisation) × PUE.

    >>> round(energy_kwh([Device(0.4)], 1_082_990), 1)  # BLOOM: GPU-hours × 400 W
    433196.0
    """
    return it_energy_kwh(devices, hours) * pue


def inference_energy_kwh(
    queries_per_day: float, wh_per_query: float, days: float, pue: float = 1.0
) -> float:
    """Facility energy [kWh] of inference = queries/day × Wh/query / 1000 × days × PUE."""
    return queries_per_day * wh_per_query / 1000.0 * days * pue


def emissions_kg(energy: float, grid_g_per_kwh: float) -> float:
    """Operational emissions [kg CO2e] = energy [kWh] × carbon intensity [g/kWh] / 1000."""
    return energy * grid_g_per_kwh / 1000.0


def embodied_share_kg(embodied_kg: float, use_hours: float, lifetime_hours: float) -> float:
    """Embodied share [kg CO2e] = manufacturing emissions × use time / lifetime."""
    if lifetime_hours <= 0:
        raise ValueError("the lifetime must be above 0")
    return embodied_kg * use_hours / lifetime_hours


def water_litres(it_energy: float, wue_onsite: float, pue: float, ewif_offsite: float) -> float:
    """Water consumed [L] = IT energy [kWh] × (on-site WUE + PUE × off-site EWIF) [L/kWh]."""
    return it_energy * (wue_onsite + pue * ewif_offsite)


def location_sensitivity(
    energy: float, intensities: Mapping[str, float], embodied_kg: float = 0.0
) -> list[tuple[str, float]]:
    """Emissions [kg CO2e] of the same job in each region, lowest first."""
    table = [(r, emissions_kg(energy, g) + embodied_kg) for r, g in intensities.items()]
    return sorted(table, key=lambda row: (row[1], row[0]))


def scale_factor(growth: float, years: float) -> float:
    """Total growth after ``years`` at ``growth``× a year: 4× a year for 7 years is 16,384×."""
    return float(growth**years)


def annual_growth(factor: float, years: float) -> float:
    """The yearly factor that compounds to ``factor`` in ``years``: 10,000× in 7 years is 3.73×."""
    return float(factor ** (1.0 / years))


@dataclass(frozen=True)
class Projection:
    """A scaling scenario: volume up ``growth``× and energy per unit down ``efficiency``× a year.

    ``per_unit`` is the factor on the energy per unit of compute (or per query), ``volume`` the
    factor on the amount of compute (or queries), ``total`` their product — the rebound shows
    when ``per_unit`` falls and ``total`` still rises.
    """

    growth: float
    efficiency: float
    years: float
    per_unit: float
    volume: float
    total: float
    total_low: float
    total_high: float
    by_year: tuple[tuple[int, float], ...]


def project(
    growth: float,
    efficiency: float,
    years: float,
    growth_range: tuple[float, float] | None = None,
) -> Projection:
    """The scaling scenario over ``years`` (see :class:`Projection`)."""
    per_unit = 1.0 / scale_factor(efficiency, years)
    volume = scale_factor(growth, years)
    low, high = growth_range or (growth, growth)
    steps = range(math.floor(years) + 1)
    return Projection(
        growth=growth,
        efficiency=efficiency,
        years=years,
        per_unit=per_unit,
        volume=volume,
        total=volume * per_unit,
        total_low=scale_factor(low, years) * per_unit,
        total_high=scale_factor(high, years) * per_unit,
        by_year=tuple((year, scale_factor(growth / efficiency, year)) for year in steps),
    )


# --- rounding -------------------------------------------------------------------------------


def round_significant(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant figures."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def format_number(value: float, digits: int = 3) -> str:
    """A rounded number for people: 433196 -> '433,000', 0.0123456 -> '0.0123'."""
    rounded = round_significant(value, digits)
    if rounded == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(rounded)))
    decimals = max(0, digits - 1 - magnitude)
    return f"{rounded:,.{decimals}f}"


def _scaled(value: float, scales: Sequence[tuple[float, str]], digits: int = 3) -> str:
    """``value`` in the largest unit of ``scales`` (factor, name; ascending) it reaches."""
    chosen = scales[0]
    for scale in scales:
        if abs(value) >= scale[0]:
            chosen = scale
    return f"{format_number(value / chosen[0], digits)} {chosen[1]}"


_ENERGY = ((0.001, "Wh"), (1.0, "kWh"), (1e3, "MWh"), (1e6, "GWh"), (1e9, "TWh"))
_MASS = ((0.001, "g CO2e"), (1.0, "kg CO2e"), (1e3, "t CO2e"), (1e6, "kt CO2e"), (1e9, "Mt CO2e"))
_WATER = ((0.001, "mL"), (1.0, "L"), (1e3, "m³"), (1e9, "million m³"))


def _energy(kwh: float) -> str:
    return _scaled(kwh, _ENERGY)


def _mass(kg: float) -> str:
    return _scaled(kg, _MASS)


def _water(litres: float) -> str:
    return _scaled(litres, _WATER)


def _span(show: Callable[[float], str], value: float, low: float, high: float) -> str:
    if high - low <= 0.005 * max(abs(value), 1e-12):
        return show(value)
    return f"{show(value)} (range {show(low)} – {show(high)})"


def _factor(value: float) -> str:
    if value >= 1:
        return f"{format_number(value)}×"
    return f"1/{format_number(1 / value)}"


def _raw(value: float) -> str:
    return repr(round_significant(value, 6))


# --- properties -----------------------------------------------------------------------------


def property_specs(constants: Constants | None = None) -> list[PropertySpec]:
    """The footprint properties of AI-model components (choices from ``constants``)."""
    table = constants if constants is not None else load_constants(constants_path())
    ai = (Nature.AI_MODEL,)

    def spec(name: str, label: str, kind: str, unit: str = "", **more: object) -> PropertySpec:
        return PropertySpec(
            namespace=NAMESPACE,
            name=name,
            label=label,
            type=kind,
            unit=unit,
            natures=ai,
            **more,  # type: ignore[arg-type]
        )

    return [
        spec(
            "phase",
            "Phase",
            "choice",
            choices=PHASES,
            description="Training (a one-off job) or inference (queries over a period).",
        ),
        spec(
            "hardware",
            "Hardware",
            "choice",
            choices=tuple(table.hardware),
            description="The accelerator the job runs on; its rated power (TDP) comes from "
            "the footprint constants file.",
        ),
        spec(
            "count",
            "Number of devices",
            "integer",
            description="How many devices of that hardware run at the same time.",
        ),
        spec(
            "power",
            "Measured power",
            "number",
            "kW",
            description="Measured average draw of all devices together; replaces hardware "
            "× number of devices (and utilisation) when given.",
        ),
        spec(
            "hours",
            "Hours",
            "number",
            "h",
            description="Training: how long the devices run. Inference: the period the "
            "queries are counted over (one year when empty).",
        ),
        spec(
            "queries_per_day",
            "Queries per day",
            "number",
            "1/d",
            description="Inference: how many queries the model answers a day.",
        ),
        spec(
            "energy_per_query",
            "Energy per query",
            "number",
            "Wh",
            description="Inference: IT energy of one query, measured or published.",
        ),
        spec(
            "utilisation",
            "Utilisation",
            "number",
            description="Average fraction (0–1, or %) of rated power used; 1 (full TDP, an "
            "upper bound) when empty.",
        ),
        spec(
            "pue",
            "PUE",
            "number",
            description="Power usage effectiveness of the data centre; the industry average "
            "from the constants file when empty.",
        ),
        spec(
            "region",
            "Region",
            "choice",
            choices=tuple(table.regions),
            description="Where the job runs: sets the grid's carbon intensity and the water "
            "factors.",
        ),
        spec(
            "embodied",
            "Embodied emissions",
            "number",
            "kg",
            description="Manufacturing emissions (kg CO2e) of all the devices together; "
            "a share by use time / lifetime is added.",
        ),
        spec(
            "lifetime",
            "Hardware lifetime",
            "number",
            "yr",
            description="Service life of the devices in years (1 year = 8,766 h).",
        ),
        spec(
            "general_purpose",
            "General-purpose model",
            "boolean",
            description="Whether the model is general-purpose (a foundation model) rather "
            "than built for this task.",
        ),
    ]


# --- reading a component ---------------------------------------------------------------------

#: Input fields, in the order notes list them.
FIELDS = (
    "phase",
    "hardware",
    "count",
    "power_kw",
    "hours",
    "queries_per_day",
    "wh_per_query",
    "utilisation",
    "pue",
    "region",
    "embodied_kg",
    "lifetime_hours",
    "general_purpose",
)


@dataclass(frozen=True)
class Inputs:
    """The footprint inputs of one component, converted to canonical units.

    None means not given. ``refused`` holds a sentence per refused value (wrong or missing
    unit, not a number, out of range), ``refused_fields`` the fields concerned.
    """

    phase: str | None = None
    hardware: str | None = None
    count: int | None = None
    power_kw: float | None = None
    hours: float | None = None
    queries_per_day: float | None = None
    wh_per_query: float | None = None
    utilisation: float | None = None
    pue: float | None = None
    region: str | None = None
    embodied_kg: float | None = None
    lifetime_hours: float | None = None
    general_purpose: bool | None = None
    refused: tuple[str, ...] = ()
    refused_fields: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        """Whether any footprint input is given (or refused)."""
        return bool(self.refused) or any(getattr(self, name) is not None for name in FIELDS)


#: Numeric properties: property name -> (field, canonical unit, label).
_NUMBERS = {
    "power": ("power_kw", "kW", "Measured power"),
    "hours": ("hours", "h", "Hours"),
    "queries_per_day": ("queries_per_day", "1/d", "Queries per day"),
    "energy_per_query": ("wh_per_query", "Wh", "Energy per query"),
    "utilisation": ("utilisation", "", "Utilisation"),
    "pue": ("pue", "", "PUE"),
    "embodied": ("embodied_kg", "kg", "Embodied emissions"),
    "lifetime": ("lifetime_hours", "h", "Hardware lifetime"),
    "count": ("count", "", "Number of devices"),
}


def read_inputs(component: Component) -> Inputs:
    """The footprint properties of ``component``, each checked and converted."""
    values: dict[str, object] = {}
    refused: dict[str, str] = {}

    def text(name: str) -> tuple[str, str]:
        prop = component.property(NAMESPACE, name)
        return (prop.value.strip(), prop.unit.strip()) if prop is not None else ("", "")

    phase = text("phase")[0]
    if phase in PHASES:
        values["phase"] = phase
    elif phase:
        refused["phase"] = f"Phase must be training or inference, not {phase!r}."
    for name in ("hardware", "region"):
        if text(name)[0]:
            values[name] = text(name)[0]
    for name, (key, target, label) in _NUMBERS.items():
        raw, unit = text(name)
        try:
            values[key] = quantity(raw, unit, target, label)
        except ModelError as error:
            refused[key] = str(error)
    count = values.get("count")
    if isinstance(count, float):
        if count != int(count) or count < 1:
            refused["count"] = (
                f"Number of devices must be a whole number, at least 1, not {count:g}."
            )
            values["count"] = None
        else:
            values["count"] = int(count)
    checks = (
        ("utilisation", lambda v: 0 < v <= 1, "Utilisation must lie above 0 and at most 1 (100 %)"),
        ("pue", lambda v: v >= 1, "PUE is total over IT energy, so at least 1"),
        ("hours", lambda v: v > 0, "Hours must be above 0"),
        ("lifetime_hours", lambda v: v > 0, "Hardware lifetime must be above 0"),
    )
    for key, valid, sentence in checks:
        amount = values.get(key)
        if isinstance(amount, float) and not valid(amount):
            refused[key] = f"{sentence}, not {format_number(amount, 4)}."
            values[key] = None
    flag = text("general_purpose")[0].lower()
    if flag in ("true", "yes", "1"):
        values["general_purpose"] = True
    elif flag in ("false", "no", "0"):
        values["general_purpose"] = False
    elif flag:
        refused["general_purpose"] = f"General-purpose model must be yes or no, not {flag!r}."
    return Inputs(
        phase=_text_or_none(values.get("phase")),
        hardware=_text_or_none(values.get("hardware")),
        count=count if isinstance(count := values.get("count"), int) else None,
        power_kw=_float_or_none(values.get("power_kw")),
        hours=_float_or_none(values.get("hours")),
        queries_per_day=_float_or_none(values.get("queries_per_day")),
        wh_per_query=_float_or_none(values.get("wh_per_query")),
        utilisation=_float_or_none(values.get("utilisation")),
        pue=_float_or_none(values.get("pue")),
        region=_text_or_none(values.get("region")),
        embodied_kg=_float_or_none(values.get("embodied_kg")),
        lifetime_hours=_float_or_none(values.get("lifetime_hours")),
        general_purpose=flag_value
        if isinstance(flag_value := values.get("general_purpose"), bool)
        else None,
        refused=tuple(refused.values()),
        refused_fields=tuple(refused),
    )


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _float_or_none(value: object) -> float | None:
    return float(value) if isinstance(value, float | int) and not isinstance(value, bool) else None


# --- one component -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Energy [kWh], emissions [kg CO2e] and water [L] of one scenario."""

    it_energy_kwh: float
    energy_kwh: float
    operational_kg: float
    embodied_kg: float
    water_l: float

    @property
    def emissions_kg(self) -> float:
        """Operational plus embodied emissions."""
        return self.operational_kg + self.embodied_kg

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.it_energy_kwh + other.it_energy_kwh,
            self.energy_kwh + other.energy_kwh,
            self.operational_kg + other.operational_kg,
            self.embodied_kg + other.embodied_kg,
            self.water_l + other.water_l,
        )

    def scaled(self, factor: float) -> Figures:
        """Every figure times ``factor``."""
        return Figures(
            self.it_energy_kwh * factor,
            self.energy_kwh * factor,
            self.operational_kg * factor,
            self.embodied_kg * factor,
            self.water_l * factor,
        )


ZERO = Figures(0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Estimate:
    """The footprint of one AI component: inputs, formula, figures with their range, sources."""

    component_id: str
    name: str
    phase: str
    period_hours: float
    inputs: tuple[str, ...]
    assumptions: tuple[str, ...]
    formula: tuple[str, ...]
    central: Figures
    low: Figures
    high: Figures
    region: str
    grid_g_per_kwh: float
    pue: float
    per_query: Figures | None
    queries: float | None
    location: tuple[tuple[str, float, float, float], ...]
    sources: tuple[str, ...]
    general_purpose: bool | None


@dataclass(frozen=True)
class Incomplete:
    """An AI component whose footprint cannot be estimated yet, and why."""

    component_id: str
    name: str
    missing: tuple[str, ...]
    refused: tuple[str, ...]


def _num(value: float) -> str:
    """An input as given, without noise: 1082990 -> '1,082,990', 0.0003725 -> '0.0003725'."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6g}"


def estimate(component: Component, constants: Constants) -> Estimate | Incomplete:
    """The footprint of ``component`` from its properties and ``constants``."""
    got = read_inputs(component)
    refused = list(got.refused)
    hardware = None
    if got.hardware is not None:
        hardware = constants.hardware.get(got.hardware)
        if hardware is None:
            refused.append(
                f"Hardware {got.hardware!r} is not in the constants file {constants.path.name}; "
                f"choose one of {', '.join(constants.hardware)} or give the measured power."
            )
    region = None
    if got.region is not None:
        region = constants.regions.get(got.region)
        if region is None:
            refused.append(
                f"Region {got.region!r} is not in the constants file {constants.path.name}."
            )
    assumptions: list[str] = []
    missing: list[str] = []
    queries_given = got.queries_per_day is not None and got.wh_per_query is not None
    power_given = any(
        value is not None for value in (got.hardware, got.count, got.power_kw, got.hours)
    )
    phase = got.phase
    if phase is None and "phase" not in got.refused_fields:
        if queries_given:
            phase = "inference"
            assumptions.append(
                "Phase not set: inference, since queries per day and energy per query are given."
            )
        elif power_given:
            phase = "training"
            assumptions.append("Phase not set: training, since no queries per day are given.")
        else:
            missing.append("phase (training or inference)")
    route = "queries" if phase == "inference" and (queries_given or not power_given) else "power"

    def need(name: str, label: str) -> None:
        if getattr(got, name) is None and name not in got.refused_fields:
            missing.append(label)

    if phase is not None and route == "power" and got.power_kw is None:
        if got.hardware is None and got.count is None:
            missing.append("hardware and number of devices (or measured power)")
        else:
            need("hardware", "hardware (or measured power)")
            need("count", "number of devices (or measured power)")
    if phase == "training":
        need("hours", "hours")
    if phase == "inference" and route == "queries":
        need("queries_per_day", "queries per day")
        need("wh_per_query", "energy per query (or hardware, number of devices and hours)")
    if phase is None and not missing:
        missing.append("phase (training or inference)")
    if refused or missing:
        return Incomplete(component.id, component.name, tuple(missing), tuple(refused))

    sources = [SOURCE_ENERGY]
    inputs = [f"phase {phase}"] if got.phase is not None else []
    # the data centre and the grid
    if got.pue is not None:
        pue, pue_range = got.pue, (got.pue, got.pue)
        inputs.append(f"PUE {_num(pue)}")
    else:
        row = constants.default("pue")
        pue, pue_range = row.value, constants.spread("pue")
        assumptions.append(
            f"PUE not given: {_num(pue)} assumed, the {row.key}; range "
            f"{_num(pue_range[0])}–{_num(pue_range[1])}."
        )
        sources.append(f"PUE: {row.cited}")
    grid = region if region is not None else constants.default("grid")
    if region is not None:
        grid_range = (grid.value, grid.value)
        inputs.append(f"region {grid.key} ({_num(grid.value)} g CO2e/kWh)")
    else:
        grid_range = constants.spread("grid")
        assumptions.append(
            f"Region not given: {grid.key} average {_num(grid.value)} g CO2e/kWh assumed, "
            f"range {_num(grid_range[0])}–{_num(grid_range[1])} over the regions of the "
            "constants file."
        )
    sources.append(f"grid intensity {grid.key}: {grid.cited}")
    onsite, offsite, regional = constants.water(grid.key)
    if not regional:
        assumptions.append(
            f"No water factors for {grid.key} in the constants file: {onsite.key} factors used "
            f"({_num(onsite.value)} L/kWh on site, {_num(offsite.value)} L/kWh off site)."
        )
    sources.append(f"{SOURCE_WATER}; factors: {onsite.cited}")

    # the job
    formula: list[str] = []
    per_unit_queries: float | None = None
    if route == "power":
        if got.power_kw is not None:
            devices = [Device(got.power_kw)]
            inputs.append(f"measured power {_num(got.power_kw)} kW (all devices)")
            if got.utilisation is not None:
                assumptions.append("Utilisation not applied: a measured power already reflects it.")
            if got.hardware is not None or got.count is not None:
                assumptions.append(
                    "Hardware and number of devices not used: the measured power replaces them."
                )
            power_text = f"measured power × hours × PUE = {_num(got.power_kw)} kW"
        else:
            assert hardware is not None and got.count is not None
            utilisation = got.utilisation if got.utilisation is not None else 1.0
            devices = [Device(hardware.value / 1000.0, got.count, utilisation)]
            inputs.append(f"hardware {hardware.key} ({_num(hardware.value)} W rated)")
            inputs.append(f"{got.count:,} device{'s' if got.count != 1 else ''}")
            sources.append(f"{hardware.key}: {hardware.cited}")
            if got.utilisation is not None:
                inputs.append(f"utilisation {_num(utilisation)}")
            else:
                assumptions.append(
                    "Utilisation not given: 1 assumed (full rated power), so the figures are an "
                    "upper bound for this hardware."
                )
            power_text = (
                "devices × power × utilisation × hours × PUE = "
                f"{got.count:,} × {_num(hardware.value / 1000.0)} kW × {_num(utilisation)}"
            )
        if got.hours is not None:
            hours = got.hours
            inputs.append(f"hours {_num(hours)} h")
        else:  # inference on dedicated hardware, period not given
            hours = HOURS_PER_YEAR
            assumptions.append("Hours not given: one year (8,766 h) of operation assumed.")
        it_energy = it_energy_kwh(devices, hours)
        formula.append(
            f"energy = {power_text} × {_num(hours)} h × {_num(pue)} = {_energy(it_energy * pue)}"
        )
        if got.queries_per_day is not None and phase == "inference":
            per_unit_queries = got.queries_per_day * hours / 24.0
            inputs.append(f"{_num(got.queries_per_day)} queries a day")
    else:
        assert got.queries_per_day is not None and got.wh_per_query is not None
        hours = got.hours if got.hours is not None else HOURS_PER_YEAR
        if got.hours is None:
            assumptions.append("Period not given (hours): one year (365.25 d) assumed.")
        days = hours / 24.0
        it_energy = inference_energy_kwh(got.queries_per_day, got.wh_per_query, days)
        inputs.append(f"{_num(got.queries_per_day)} queries a day")
        inputs.append(f"{_num(got.wh_per_query)} Wh a query")
        inputs.append(f"period {_num(days)} d")
        formula.append(
            f"energy = queries a day × energy a query × days × PUE = "
            f"{_num(got.queries_per_day)} × {_num(got.wh_per_query)} Wh × {_num(days)} d × "
            f"{_num(pue)} = {_energy(it_energy * pue)}"
        )
        per_unit_queries = got.queries_per_day * days

    # embodied share
    embodied = 0.0
    if got.embodied_kg is not None and got.lifetime_hours is not None:
        embodied = embodied_share_kg(got.embodied_kg, hours, got.lifetime_hours)
        inputs.append(
            f"embodied {_mass(got.embodied_kg)} over {_num(got.lifetime_hours / HOURS_PER_YEAR)} yr"
        )
        formula.append(
            f"embodied share = {_mass(got.embodied_kg)} × {_num(hours)} h / "
            f"{_num(got.lifetime_hours)} h = {_mass(embodied)}"
        )
    elif got.embodied_kg is not None:
        assumptions.append(
            "Embodied emissions given without a hardware lifetime: the embodied share is left "
            "out until the lifetime is given."
        )
    elif got.lifetime_hours is not None:
        assumptions.append("Hardware lifetime given without embodied emissions: no embodied share.")
    else:
        assumptions.append("Embodied emissions not given: operational emissions only.")

    def figures(pue_value: float, grid_value: float) -> Figures:
        energy = it_energy * pue_value
        return Figures(
            it_energy_kwh=it_energy,
            energy_kwh=energy,
            operational_kg=emissions_kg(energy, grid_value),
            embodied_kg=embodied,
            water_l=water_litres(it_energy, onsite.value, pue_value, offsite.value),
        )

    central = figures(pue, grid.value)
    low = figures(pue_range[0], grid_range[0])
    high = figures(pue_range[1], grid_range[1])
    formula.append(
        f"emissions = energy × {_num(grid.value)} g/kWh / 1000"
        + (" + embodied share" if embodied else "")
        + f" = {_mass(central.emissions_kg)}"
    )
    formula.append(
        f"water = IT energy × (on-site {_num(onsite.value)} + PUE {_num(pue)} × off-site "
        f"{_num(offsite.value)}) L/kWh = {_energy(it_energy)} × "
        f"{_num(onsite.value + pue * offsite.value)} L/kWh = {_water(central.water_l)}"
    )
    location = []
    for key, row in constants.regions.items():
        wue, ewif, _ = constants.water(key)
        location.append(
            (
                key,
                row.value,
                emissions_kg(central.energy_kwh, row.value) + embodied,
                water_litres(it_energy, wue.value, pue, ewif.value),
            )
        )
    location.sort(key=lambda entry: (entry[2], entry[0]))
    per_query = central.scaled(1.0 / per_unit_queries) if per_unit_queries else None
    if got.general_purpose:
        sources.append(f"general-purpose models: {SOURCE_GENERAL_PURPOSE}")
    return Estimate(
        component_id=component.id,
        name=component.name,
        phase=phase or "training",
        period_hours=hours,
        inputs=tuple(inputs),
        assumptions=tuple(assumptions),
        formula=tuple(formula),
        central=central,
        low=low,
        high=high,
        region=grid.key,
        grid_g_per_kwh=grid.value,
        pue=pue,
        per_query=per_query,
        queries=per_unit_queries,
        location=tuple(location),
        sources=tuple(sources),
        general_purpose=got.general_purpose,
    )


# --- the analysis ---------------------------------------------------------------------------

RULES = {
    "footprint.note": "Energy, emissions and water of an AI-model component, with inputs, "
    "formula, range, location sensitivity, scaling projection and sources.",
    "footprint.inputs": "An AI-model component whose footprint cannot be estimated: the inputs "
    "missing or refused (wrong unit, not a number).",
    "footprint.summary": "The footprint of all AI-model components together, with the "
    "location-sensitivity table and the scaling projection (rebound).",
}


@dataclass(frozen=True)
class Scenario:
    """The scaling scenario of a run: options over constants."""

    projection: Projection
    sources: tuple[str, ...] = field(default=())
    from_options: tuple[str, ...] = field(default=())


def _option(options: Mapping[str, str], name: str, default: float, maximum: float) -> float:
    raw = options.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (0 < value <= maximum) and not (name == "years" and value == 0):
        raise ValueError(
            f"Option {name}={raw!r}: give a number above 0 and at most {maximum:g} "
            f"(e.g. {name}={default:g})."
        )
    return value


def scenario(options: Mapping[str, str], constants: Constants) -> Scenario:
    """The scaling scenario from the options ``growth``, ``efficiency`` and ``years``."""
    growth_row = constants.default("growth")
    efficiency_row = constants.default("efficiency")
    horizon_row = constants.default("horizon")
    growth = _option(options, "growth", growth_row.value, 1000.0)
    efficiency = _option(options, "efficiency", efficiency_row.value, 1000.0)
    years = _option(options, "years", horizon_row.value, 100.0)
    given = tuple(
        name for name in ("growth", "efficiency", "years") if options.get(name, "").strip()
    )
    growth_range = (
        (growth_row.low, growth_row.high)
        if "growth" not in given and growth_row.low is not None and growth_row.high is not None
        else None
    )
    sources = []
    if "growth" not in given:
        sources.append(f"growth: {growth_row.cited}")
    if "efficiency" not in given:
        sources.append(f"efficiency: {efficiency_row.cited}")
    if "years" not in given:
        sources.append(f"horizon: {horizon_row.cited}")
    return Scenario(project(growth, efficiency, years, growth_range), tuple(sources), given)


def _scenario_text(projection: Projection) -> str:
    total = _factor(projection.total)
    if projection.total_high - projection.total_low > 0.005 * projection.total:
        total += f" (range {_factor(projection.total_low)} – {_factor(projection.total_high)})"
    direction = "rises" if projection.total > 1 else "does not rise"
    return (
        f"compute ×{format_number(projection.volume)} in {_num(projection.years)} years at "
        f"{_num(projection.growth)}×/yr, energy per unit of compute {_factor(projection.per_unit)} "
        f"at {_num(projection.efficiency)}×/yr efficiency gain: total energy {total} — the "
        f"per-unit efficiency improves and the total {direction} (rebound)"
    )


def note_message(found: Estimate, projection: Projection) -> str:
    """The text of a component's note."""
    head = "Training" if found.phase == "training" else "Inference"
    period = "" if found.phase == "training" else f" over {_num(found.period_hours / 24.0)} days"
    c, lo, hi = found.central, found.low, found.high
    lines = [
        f"{head} footprint of {found.name}{period}: "
        f"{_span(_energy, c.energy_kwh, lo.energy_kwh, hi.energy_kwh)}, "
        f"{_span(_mass, c.emissions_kg, lo.emissions_kg, hi.emissions_kg)}, "
        f"{_span(_water, c.water_l, lo.water_l, hi.water_l)} of water."
    ]
    if found.per_query is not None:
        q = found.per_query
        lines.append(
            f"Per query: {_energy(q.energy_kwh)}, {_mass(q.emissions_kg)}, {_water(q.water_l)} "
            f"of water; {format_number(found.queries or 0)} queries in the period."
        )
    lines.append("Inputs: " + "; ".join(found.inputs) + ".")
    if found.assumptions:
        lines.append("Assumed: " + " ".join(found.assumptions))
    lines.append("Formula: " + "; ".join(found.formula) + ".")
    best, worst = found.location[0], found.location[-1]
    ratio = f", ×{format_number(worst[2] / best[2])}" if best[2] > 0 else ""
    lines.append(
        f"Elsewhere: the same job emits {_mass(best[2])} in {best[0]} to {_mass(worst[2])} in "
        f"{worst[0]}{ratio}; here ({found.region}) {_mass(c.emissions_kg)}."
    )
    projected = c.energy_kwh * projection.total
    subject = "a successor's training" if found.phase == "training" else "this use"
    lines.append(
        f"Scaling: {_scenario_text(projection)}; {subject} would take {_energy(projected)} "
        f"({_mass(c.operational_kg * projection.total)} at today's grid)."
    )
    if found.general_purpose:
        lines.append(
            "General-purpose model: multi-purpose generative models use orders of magnitude "
            "more energy per query than task-specific ones for the same task (Luccioni, Jernite "
            "& Strubell 2023); ask whether a narrower model would do (STPA.md §5, curse of "
            "flexibility)."
        )
    lines.append("Sources: " + "; ".join(found.sources) + f"; {SOURCE_REBOUND}.")
    return "\n".join(lines)


def note_data(found: Estimate, projection: Projection, constants: Constants) -> dict[str, str]:
    """Machine-readable figures of a note (finding ``data``)."""
    c, lo, hi = found.central, found.low, found.high
    data = {
        "phase": found.phase,
        "inputs": "; ".join(found.inputs),
        "assumptions": " ".join(found.assumptions),
        "formula": "; ".join(found.formula),
        "region": found.region,
        "grid_g_per_kwh": _raw(found.grid_g_per_kwh),
        "pue": _raw(found.pue),
        "period_hours": _raw(found.period_hours),
        "it_energy_kwh": _raw(c.it_energy_kwh),
        "energy_kwh": _raw(c.energy_kwh),
        "energy_kwh_low": _raw(lo.energy_kwh),
        "energy_kwh_high": _raw(hi.energy_kwh),
        "emissions_kg": _raw(c.emissions_kg),
        "emissions_kg_low": _raw(lo.emissions_kg),
        "emissions_kg_high": _raw(hi.emissions_kg),
        "embodied_kg": _raw(c.embodied_kg),
        "water_l": _raw(c.water_l),
        "water_l_low": _raw(lo.water_l),
        "water_l_high": _raw(hi.water_l),
        "location": "\n".join(
            f"{region}\t{_raw(g)} g/kWh\t{_raw(kg)} kg CO2e\t{_raw(litres)} L"
            for region, g, kg, litres in found.location
        ),
        "growth_per_year": _raw(projection.growth),
        "efficiency_per_year": _raw(projection.efficiency),
        "years": _raw(projection.years),
        "per_unit_factor": _raw(projection.per_unit),
        "volume_factor": _raw(projection.volume),
        "total_factor": _raw(projection.total),
        "projected_energy_kwh": _raw(c.energy_kwh * projection.total),
        "sources": "\n".join((*found.sources, SOURCE_REBOUND)),
        "constants": constants_label(constants.path),
    }
    if found.per_query is not None:
        data["per_query_wh"] = _raw(found.per_query.energy_kwh * 1000.0)
        data["per_query_g"] = _raw(found.per_query.emissions_kg * 1000.0)
        data["per_query_ml"] = _raw(found.per_query.water_l * 1000.0)
    if found.general_purpose is not None:
        data["general_purpose"] = "yes" if found.general_purpose else "no"
    return data


def inputs_message(found: Incomplete) -> str:
    """The text of a note on a component whose footprint cannot be estimated."""
    parts = []
    if found.missing:
        parts.append("missing " + ", ".join(found.missing))
    lines = [
        f"No footprint estimate for {found.name} yet: "
        + ("; ".join(parts) if parts else "some inputs were refused")
        + "."
    ]
    lines.extend(found.refused)
    if found.missing:
        lines.append(
            "Give them in the inspector (footprint properties); nothing is counted as zero."
        )
    return "\n".join(lines)


def summary_message(
    found: Sequence[Estimate],
    incomplete: Sequence[Incomplete],
    projection: Projection,
    constants: Constants,
) -> tuple[str, dict[str, str]]:
    """The text and data of the summary for the whole structure."""

    def total(phase: str | None, which: str) -> Figures:
        chosen = [e for e in found if phase is None or e.phase == phase]
        return sum((getattr(e, which) for e in chosen), ZERO)

    def line(label: str, phase: str | None) -> str:
        c, lo, hi = total(phase, "central"), total(phase, "low"), total(phase, "high")
        return (
            f"{label}: {_span(_energy, c.energy_kwh, lo.energy_kwh, hi.energy_kwh)}, "
            f"{_span(_mass, c.emissions_kg, lo.emissions_kg, hi.emissions_kg)}, "
            f"{_span(_water, c.water_l, lo.water_l, hi.water_l)} of water"
        )

    count = len(found) + len(incomplete)
    lines = [
        f"Footprint of {len(found)} of {count} AI-model component"
        f"{'s' if count != 1 else ''} with figures."
    ]
    phases = {e.phase for e in found}
    if "training" in phases:
        lines.append(line("Training (one-off)", "training") + ".")
    if "inference" in phases:
        lines.append(line("Inference (over the stated periods)", "inference") + ".")
    if len(phases) > 1:
        lines.append(line("Together", None) + ".")
    if incomplete:
        lines.append(
            "Without figures (see their notes): "
            + "; ".join(
                f"{i.name} ({', '.join(i.missing) if i.missing else 'refused inputs'})"
                for i in incomplete
            )
            + "."
        )
    table: list[tuple[str, float, float, float]] = []
    if found:
        energy = sum(e.central.energy_kwh for e in found)
        embodied = sum(e.central.embodied_kg for e in found)
        for key, row in constants.regions.items():
            wue, ewif, _ = constants.water(key)
            water = sum(
                water_litres(e.central.it_energy_kwh, wue.value, e.pue, ewif.value) for e in found
            )
            table.append((key, row.value, emissions_kg(energy, row.value) + embodied, water))
        table.sort(key=lambda entry: (entry[2], entry[0]))
        lines.append("Location sensitivity — the same jobs in each region:")
        lines.extend(
            f"  {region} ({_num(g)} g/kWh): {_mass(kg)}, {_water(litres)} of water"
            for region, g, kg, litres in table
        )
        c = total(None, "central")
        lines.append(
            f"Scaling: {_scenario_text(projection)}; these jobs would take "
            f"{_energy(c.energy_kwh * projection.total)} and emit "
            f"{_mass(c.operational_kg * projection.total)} at today's grids."
        )
        queried = [e for e in found if e.per_query is not None]
        if queried:
            per_query = sum(e.per_query.energy_kwh for e in queried if e.per_query) / len(queried)
            lines.append(
                f"Per query {_energy(per_query)} today, {_energy(per_query * projection.per_unit)}"
                f" in {_num(projection.years)} years, while queries grow "
                f"×{format_number(projection.volume)}: efficiency alone never tells the total."
            )
    lines.append(
        f"Sources: {SOURCE_ENERGY}; {SOURCE_WATER}; {SOURCE_REBOUND}; constants "
        f"{constants.path.name}."
    )
    c, lo, hi = total(None, "central"), total(None, "low"), total(None, "high")
    data = {
        "components": str(count),
        "with_figures": str(len(found)),
        "without_figures": ", ".join(i.component_id for i in incomplete),
        "energy_kwh": _raw(c.energy_kwh),
        "energy_kwh_low": _raw(lo.energy_kwh),
        "energy_kwh_high": _raw(hi.energy_kwh),
        "emissions_kg": _raw(c.emissions_kg),
        "emissions_kg_low": _raw(lo.emissions_kg),
        "emissions_kg_high": _raw(hi.emissions_kg),
        "water_l": _raw(c.water_l),
        "training_energy_kwh": _raw(total("training", "central").energy_kwh),
        "inference_energy_kwh": _raw(total("inference", "central").energy_kwh),
        "location": "\n".join(
            f"{region}\t{_raw(g)} g/kWh\t{_raw(kg)} kg CO2e\t{_raw(litres)} L"
            for region, g, kg, litres in table
        ),
        "growth_per_year": _raw(projection.growth),
        "efficiency_per_year": _raw(projection.efficiency),
        "years": _raw(projection.years),
        "per_unit_factor": _raw(projection.per_unit),
        "volume_factor": _raw(projection.volume),
        "total_factor": _raw(projection.total),
        "total_factor_low": _raw(projection.total_low),
        "total_factor_high": _raw(projection.total_high),
        "projection": "\n".join(f"{year}\t{_raw(f)}" for year, f in projection.by_year),
        "projected_energy_kwh": _raw(c.energy_kwh * projection.total),
        "constants": constants_label(constants.path),
    }
    return "\n".join(lines), data


def run(context: AnalysisContext) -> Iterator[Finding]:
    """The analysis: a note per AI-model component and a summary for the structure."""
    constants = load_constants(constants_path(context.options))
    plan = scenario(context.options, constants)
    components = [
        c
        for c in context.snapshot.components.values()
        if c.nature == Nature.AI_MODEL and c.kind != ComponentKind.BOUNDARY  # a frame, not a model
    ]
    found: list[Estimate] = []
    incomplete: list[Incomplete] = []
    for index, component in enumerate(components):
        context.check_cancelled()
        context.progress(index / max(1, len(components)), component.name)
        result = estimate(component, constants)
        if isinstance(result, Incomplete):
            incomplete.append(result)
            yield context.finding(
                "footprint.inputs",
                inputs_message(result),
                targets=[component.id],
                severity="warning" if result.refused else "info",
                source=SHORT_SOURCE,
                data={
                    "missing": "; ".join(result.missing),
                    "refused": "\n".join(result.refused),
                    "constants": constants_label(constants.path),
                },
            )
            continue
        found.append(result)
        yield context.finding(
            "footprint.note",
            note_message(result, plan.projection),
            targets=[component.id],
            severity="info",
            source=SHORT_SOURCE,
            data=note_data(result, plan.projection, constants),
        )
    if components:
        message, data = summary_message(found, incomplete, plan.projection, constants)
        data["scenario_sources"] = "\n".join(plan.sources)
        data["scenario_options"] = ", ".join(plan.from_options)
        yield context.finding(
            "footprint.summary", message, severity="info", source=SHORT_SOURCE, data=data
        )


ANALYSIS = Analysis(
    id=ANALYSIS_ID,
    title="Scaling and environmental footprint",
    run=run,
    description=(
        "Energy, emissions and water of each AI-model component from its declared hardware, "
        "hours or usage, with the same job in other regions and a scaling scenario that shows "
        "totals next to per-unit efficiency (rebound). Options: growth, efficiency, years, "
        "constants=/path/file.csv."
    ),
    rules=RULES,
)


@hookimpl
def stipa_component_properties() -> list[PropertySpec]:
    """The footprint properties of AI-model components."""
    return property_specs()


@hookimpl
def stipa_analyses() -> list[Analysis]:
    """The footprint analysis."""
    return [ANALYSIS]
