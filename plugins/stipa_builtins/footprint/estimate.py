"""The footprint of one AI-model component: inputs, formula, figures with a range, sources."""

from __future__ import annotations

from dataclasses import dataclass

from stipa import Component
from stipa_builtins.footprint.calc import (
    HOURS_PER_YEAR,
    Device,
    _energy,
    _mass,
    _water,
    embodied_share_kg,
    emissions_kg,
    inference_energy_kwh,
    it_energy_kwh,
    water_litres,
)
from stipa_builtins.footprint.constants import Constants
from stipa_builtins.footprint.inputs import read_inputs

__all__ = [
    "SOURCE_ENERGY",
    "SOURCE_GENERAL_PURPOSE",
    "SOURCE_WATER",
    "Estimate",
    "Figures",
    "Incomplete",
    "estimate",
]

#: Method sources, cited in every note.
SOURCE_ENERGY = (
    "energy: Green Algorithms (Lannelongue et al., Advanced Science 2100707, 2021); "
    "ML CO2 Impact (Lacoste et al., arXiv:1910.09700, 2019)"
)
SOURCE_WATER = "water: Li et al., Making AI Less Thirsty, arXiv:2304.03271 (2023)"
SOURCE_GENERAL_PURPOSE = (
    "Luccioni, Jernite & Strubell, Power Hungry Processing, arXiv:2311.16863 (2023)"
)

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
