"""The footprint formulas (energy, emissions, embodied share, water, scaling) and how figures
are rounded and shown; public, so scripts and tests can use them directly."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "HOURS_PER_YEAR",
    "Device",
    "Projection",
    "annual_growth",
    "embodied_share_kg",
    "emissions_kg",
    "energy_kwh",
    "format_number",
    "inference_energy_kwh",
    "it_energy_kwh",
    "location_sensitivity",
    "power_kw",
    "project",
    "round_significant",
    "scale_factor",
    "water_litres",
    "water_split",
]

#: Hours in a (Julian) year, pint's ``year``: 365.25 days.
HOURS_PER_YEAR = 8766.0


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


def water_split(
    it_energy: float, energy: float, wue_onsite: float, ewif_offsite: float
) -> tuple[float, float]:
    """Water consumed [L] on site and off site: IT energy [kWh] × on-site WUE, and facility
    energy [kWh] × off-site EWIF (Li et al. 2023); with energy = IT energy × PUE the two add up
    to :func:`water_litres`."""
    return it_energy * wue_onsite, energy * ewif_offsite


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
