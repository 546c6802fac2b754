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
    water_split,
)
from stipa_builtins.footprint.constants import Constant, Constants
from stipa_builtins.footprint.inputs import Inputs, read_inputs

__all__ = [
    "SOURCE_CORES",
    "SOURCE_ENERGY",
    "SOURCE_GENERAL_PURPOSE",
    "SOURCE_IDLE",
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
SOURCE_IDLE = (
    "idle and infrastructure energy, embodied total: Luccioni, Viguier & Ligozat, Estimating "
    "the carbon footprint of BLOOM, JMLR 24(253) (2023)"
)
SOURCE_CORES = (
    "CPU cores and memory: Green Algorithms (Lannelongue, Grealey & Inouye, Advanced Science "
    "2100707, 2021)"
)
SOURCE_GENERAL_PURPOSE = (
    "Luccioni, Jernite & Strubell, Power Hungry Processing, arXiv:2311.16863 (2023)"
)

# --- one component -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Energy [kWh], emissions [kg CO2e] and water [L] of one scenario.

    ``it_energy_kwh`` is the energy of the devices (dynamic and idle), ``energy_kwh`` the
    facility's (IT × PUE, plus any infrastructure energy given as measured); water is on-site
    (cooling, per kWh of IT energy) plus off-site (generating the facility's electricity).
    """

    it_energy_kwh: float
    energy_kwh: float
    operational_kg: float
    embodied_kg: float
    water_onsite_l: float
    water_offsite_l: float

    @property
    def emissions_kg(self) -> float:
        """Operational plus embodied emissions."""
        return self.operational_kg + self.embodied_kg

    @property
    def water_l(self) -> float:
        """On-site plus off-site water."""
        return self.water_onsite_l + self.water_offsite_l

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def scaled(self, factor: float) -> Figures:
        """Every figure times ``factor``."""
        return Figures(*(value * factor for value in self._values()))

    def _values(self) -> tuple[float, ...]:
        return (
            self.it_energy_kwh,
            self.energy_kwh,
            self.operational_kg,
            self.embodied_kg,
            self.water_onsite_l,
            self.water_offsite_l,
        )


ZERO = Figures(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


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


class _Note:
    """What a note says beside its figures, collected while estimating."""

    def __init__(self) -> None:
        self.inputs: list[str] = []
        self.assumptions: list[str] = []
        self.formula: list[str] = []
        self.sources: list[str] = [SOURCE_ENERGY]


def _lookups(
    got: Inputs, constants: Constants
) -> tuple[Constant | None, Constant | None, list[str]]:
    """The hardware and region rows the inputs name, and sentences for names not found."""
    refused = list(got.refused)
    hardware = region = None
    if got.hardware is not None:
        hardware = constants.hardware.get(got.hardware)
        if hardware is None:
            refused.append(
                f"Hardware {got.hardware!r} is not in the constants file {constants.path.name}; "
                f"choose one of {', '.join(constants.hardware)}, or give the device power (TDP) "
                "or the measured power."
            )
    if got.region is not None:
        region = constants.regions.get(got.region)
        if region is None:
            refused.append(
                f"Region {got.region!r} is not in the constants file {constants.path.name}."
            )
    if got.memory_gb is not None and constants.memory is None:
        refused.append(
            f"Memory is given but the constants file {constants.path.name} has no memory row "
            "(power per GB)."
        )
    return hardware, region, refused


def _missing(got: Inputs, note: _Note) -> tuple[str | None, str, list[str]]:
    """The phase, the route (``power`` or ``queries``) and the inputs still missing."""
    missing: list[str] = []
    queries_given = got.queries_per_day is not None and got.wh_per_query is not None
    devices_given = any(
        value is not None
        for value in (got.hardware, got.tdp_w, got.count, got.power_kw, got.cpu_cores)
    )
    power_given = devices_given or got.hours is not None
    phase = got.phase
    if phase is None and "phase" not in got.refused_fields:
        if queries_given:
            phase = "inference"
            note.assumptions.append(
                "Phase not set: inference, since queries per day and energy per query are given."
            )
        elif power_given:
            phase = "training"
            note.assumptions.append("Phase not set: training, since no queries per day are given.")
        else:
            missing.append("phase (training or inference)")
    route = "queries" if phase == "inference" and (queries_given or not power_given) else "power"

    def need(name: str, label: str) -> None:
        if getattr(got, name) is None and name not in got.refused_fields:
            missing.append(label)

    if phase is not None and route == "power" and got.power_kw is None:
        accelerators = any(v is not None for v in (got.hardware, got.tdp_w, got.count))
        cores = got.cpu_cores is not None or got.core_power_w is not None
        if not accelerators and not cores:
            missing.append("hardware and number of devices (or CPU cores, or measured power)")
        if accelerators:
            if got.hardware is None and got.tdp_w is None:
                need("hardware", "hardware or device power (TDP)")
            need("count", "number of devices (or measured power)")
        if cores:
            need("cpu_cores", "CPU cores")
            need("core_power_w", "power per CPU core")
    if phase == "training":
        need("hours", "hours")
    if phase == "inference" and route == "queries":
        need("queries_per_day", "queries per day")
        need("wh_per_query", "energy per query (or hardware, number of devices and hours)")
    if phase is None and not missing:
        missing.append("phase (training or inference)")
    return phase, route, missing


def _facility(
    got: Inputs, constants: Constants, region: Constant | None, note: _Note
) -> tuple[float, tuple[float, float], Constant, float, tuple[float, float], float, float]:
    """PUE and its range, the grid row, carbon intensity and its range, and the water factors
    (on site, off site)."""
    if got.pue is not None:
        pue, pue_range = got.pue, (got.pue, got.pue)
        note.inputs.append(f"PUE {_num(pue)}")
    elif got.infrastructure_kwh is not None:
        pue, pue_range = 1.0, (1.0, 1.0)
        note.assumptions.append(
            "PUE not given: 1, since the infrastructure energy is given as measured."
        )
    else:
        row = constants.default("pue")
        pue, pue_range = row.value, constants.spread("pue")
        note.assumptions.append(
            f"PUE not given: {_num(pue)} assumed, the {row.key}; range "
            f"{_num(pue_range[0])}–{_num(pue_range[1])}."
        )
        note.sources.append(f"PUE: {row.cited}")
    grid = region if region is not None else constants.default("grid")
    if got.carbon_intensity is not None:
        intensity, intensity_range = got.carbon_intensity, (got.carbon_intensity,) * 2
        note.inputs.append(f"carbon intensity {_num(intensity)} g CO2e/kWh (this component's)")
    else:
        intensity = grid.value
        if region is not None:
            intensity_range = (grid.value, grid.value)
            note.inputs.append(f"region {grid.key} ({_num(grid.value)} g CO2e/kWh)")
        else:
            intensity_range = constants.spread("grid")
            note.assumptions.append(
                f"Region not given: {grid.key} average {_num(grid.value)} g CO2e/kWh assumed, "
                f"range {_num(intensity_range[0])}–{_num(intensity_range[1])} over the regions "
                "of the constants file."
            )
        note.sources.append(f"grid intensity {grid.key}: {grid.cited}")
    onsite, offsite = constants.water(grid.key)
    wue = got.wue if got.wue is not None else onsite.value
    ewif = got.water_intensity if got.water_intensity is not None else offsite.value
    _water_factors(
        grid.key,
        ((got.wue, onsite, "on-site water"), (got.water_intensity, offsite, "off-site water")),
        note,
    )
    return pue, pue_range, grid, intensity, intensity_range, wue, ewif


def _water_factors(
    region: str,
    factors: tuple[tuple[float | None, Constant, str], ...],
    note: _Note,
) -> None:
    """Say where each water factor comes from: the component's own, the region's published
    figure (its source), or the default row for regions without one (an assumption)."""
    cited: dict[str, list[str]] = {}
    defaulted: list[tuple[str, Constant]] = []
    for given, row, label in factors:
        if given is not None:
            note.inputs.append(f"{label} {_num(given)} L/kWh (this component's)")
            continue
        regional = Constants.is_regional(row, region)
        if not regional:
            defaulted.append((label, row))
        where = f"for {region}" if regional else "(default)"
        cited.setdefault(f"{where}: {row.cited}", []).append(label)
    if len(defaulted) == 2:
        (_, on), (_, off) = defaulted
        note.assumptions.append(
            f"No published water factors for {region} in the constants file: the "
            f"{_joined(on.key, off.key)} used ({_num(on.value)} L/kWh on site, "
            f"{_num(off.value)} L/kWh off site)."
        )
    elif defaulted:
        ((label, row),) = defaulted
        note.assumptions.append(
            f"No published {label} factor for {region} in the constants file: the {row.key}, "
            f"{_num(row.value)} L/kWh, used."
        )
    for text, labels in cited.items():
        subject = "water factors" if len(labels) == 2 else labels[0]
        note.sources.append(f"{subject} {text}")
    note.sources.append(SOURCE_WATER)


def _joined(first: str, second: str) -> str:
    return first if first == second else f"{first} (on site) and {second} (off site)"


def _device_power(
    got: Inputs, constants: Constants, hardware: Constant | None, note: _Note
) -> tuple[list[Device], str]:
    """The devices drawing power, and how the formula names them."""
    if got.power_kw is not None:
        note.inputs.append(f"measured power {_num(got.power_kw)} kW (all devices)")
        if got.utilisation is not None or got.core_utilisation is not None:
            note.assumptions.append(
                "Utilisation not applied: a measured power already reflects it."
            )
        if any(
            v is not None
            for v in (got.hardware, got.tdp_w, got.count, got.cpu_cores, got.memory_gb)
        ):
            note.assumptions.append(
                "Hardware, cores and memory not used: the measured power replaces them."
            )
        return [Device(got.power_kw)], f"measured power {_num(got.power_kw)} kW"
    devices: list[Device] = []
    terms: list[str] = []
    if got.count is not None and (hardware is not None or got.tdp_w is not None):
        watts = got.tdp_w if got.tdp_w is not None else hardware.value if hardware else 0.0
        utilisation = got.utilisation if got.utilisation is not None else 1.0
        devices.append(Device(watts / 1000.0, got.count, utilisation))
        if got.tdp_w is not None:
            note.inputs.append(f"device power {_num(got.tdp_w)} W (TDP)")
            if hardware is not None:
                note.assumptions.append("Hardware choice not used: the device power replaces it.")
        elif hardware is not None:
            note.inputs.append(f"hardware {hardware.key} ({_num(hardware.value)} W rated)")
            note.sources.append(f"{hardware.key}: {hardware.cited}")
        note.inputs.append(f"{got.count:,} device{'s' if got.count != 1 else ''}")
        if got.utilisation is not None:
            note.inputs.append(f"utilisation {_num(utilisation)}")
        else:
            note.assumptions.append(
                "Utilisation not given: 1 assumed (full rated power), so the figures are an "
                "upper bound for this hardware."
            )
        terms.append(f"{got.count:,} × {_num(watts / 1000.0)} kW × {_num(utilisation)}")
    if got.cpu_cores is not None and got.core_power_w is not None:
        usage = got.core_utilisation if got.core_utilisation is not None else 1.0
        devices.append(Device(got.core_power_w / 1000.0, got.cpu_cores, usage))
        note.inputs.append(
            f"{got.cpu_cores:,} CPU core{'s' if got.cpu_cores != 1 else ''} at "
            f"{_num(got.core_power_w)} W, utilisation {_num(usage)}"
        )
        terms.append(
            f"{got.cpu_cores:,} cores × {_num(got.core_power_w / 1000.0)} kW × {_num(usage)}"
        )
        note.sources.append(SOURCE_CORES)
    if got.memory_gb is not None and constants.memory is not None:
        per_gb = constants.memory.value
        devices.append(Device(per_gb / 1000.0, got.memory_gb))
        note.inputs.append(f"memory {_num(got.memory_gb)} GB at {_num(per_gb)} W/GB")
        terms.append(f"{_num(got.memory_gb)} GB × {_num(per_gb)} W/GB")
        note.sources.append(f"memory power: {constants.memory.cited}")
    return devices, "(" + " + ".join(terms) + ")"


def _embodied(got: Inputs, hours: float, note: _Note) -> float:
    """Embodied emissions [kg CO2e]: a total as given, else a share by use time / lifetime."""
    if got.embodied_total_kg is not None:
        note.inputs.append(f"embodied emissions {_mass(got.embodied_total_kg)} (total)")
        note.sources.append(SOURCE_IDLE)
        if got.embodied_kg is not None or got.lifetime_hours is not None:
            note.assumptions.append(
                "Embodied share by lifetime not used: the embodied total replaces it."
            )
        return got.embodied_total_kg
    if got.embodied_kg is not None and got.lifetime_hours is not None:
        embodied = embodied_share_kg(got.embodied_kg, hours, got.lifetime_hours)
        note.inputs.append(
            f"embodied {_mass(got.embodied_kg)} over {_num(got.lifetime_hours / HOURS_PER_YEAR)} yr"
        )
        note.formula.append(
            f"embodied share = {_mass(got.embodied_kg)} × {_num(hours)} h / "
            f"{_num(got.lifetime_hours)} h = {_mass(embodied)}"
        )
        return embodied
    if got.embodied_kg is not None:
        note.assumptions.append(
            "Embodied emissions given without a hardware lifetime: the embodied share is left "
            "out until the lifetime is given."
        )
    elif got.lifetime_hours is not None:
        note.assumptions.append(
            "Hardware lifetime given without embodied emissions: no embodied share."
        )
    else:
        note.assumptions.append("Embodied emissions not given: operational emissions only.")
    return 0.0


def estimate(component: Component, constants: Constants) -> Estimate | Incomplete:
    """The footprint of ``component`` from its properties and ``constants``.

    IT energy = dynamic (devices × power × utilisation × hours, or queries × energy per
    query) + idle; facility energy = IT energy × PUE + infrastructure energy; emissions =
    facility energy × carbon intensity + embodied; water = IT energy × on-site WUE + facility
    energy × off-site water intensity.
    """
    got = read_inputs(component)
    hardware, region, refused = _lookups(got, constants)
    note = _Note()
    phase, route, missing = _missing(got, note)
    if refused or missing or phase is None:
        return Incomplete(component.id, component.name, tuple(missing), tuple(refused))
    if got.phase is not None:
        note.inputs.append(f"phase {phase}")
    pue, pue_range, grid, intensity, intensity_range, wue, ewif = _facility(
        got, constants, region, note
    )

    # the job's dynamic energy
    per_unit_queries: float | None = None
    if route == "power":
        devices, power_text = _device_power(got, constants, hardware, note)
        if got.hours is not None:
            hours = got.hours
            note.inputs.append(f"hours {_num(hours)} h")
        else:  # inference on dedicated hardware, period not given
            hours = HOURS_PER_YEAR
            note.assumptions.append("Hours not given: one year (8,766 h) of operation assumed.")
        dynamic = it_energy_kwh(devices, hours)
        dynamic_text = f"{power_text} × {_num(hours)} h"
        if got.queries_per_day is not None and phase == "inference":
            per_unit_queries = got.queries_per_day * hours / 24.0
            note.inputs.append(f"{_num(got.queries_per_day)} queries a day")
    else:
        assert got.queries_per_day is not None and got.wh_per_query is not None
        hours = got.hours if got.hours is not None else HOURS_PER_YEAR
        if got.hours is None:
            note.assumptions.append("Period not given (hours): one year (365.25 d) assumed.")
        days = hours / 24.0
        dynamic = inference_energy_kwh(got.queries_per_day, got.wh_per_query, days)
        note.inputs.append(f"{_num(got.queries_per_day)} queries a day")
        note.inputs.append(f"{_num(got.wh_per_query)} Wh a query")
        note.inputs.append(f"period {_num(days)} d")
        dynamic_text = (
            f"{_num(got.queries_per_day)} queries a day × {_num(got.wh_per_query)} Wh × "
            f"{_num(days)} d"
        )
        per_unit_queries = got.queries_per_day * days
    idle = got.idle_kwh or 0.0
    infrastructure = got.infrastructure_kwh or 0.0
    for given, label in ((got.idle_kwh, "idle"), (got.infrastructure_kwh, "infrastructure")):
        if given is not None:
            note.inputs.append(f"{label} energy {_energy(given)}")
    if got.idle_kwh is not None or got.infrastructure_kwh is not None:
        note.sources.append(SOURCE_IDLE)
    it_energy = dynamic + idle
    energy_text = f"({dynamic_text}" + (f" + idle {_energy(idle)}" if idle else "") + ")"
    energy_text += f" × PUE {_num(pue)}"
    if infrastructure:
        energy_text += f" + infrastructure {_energy(infrastructure)}"
    note.formula.append(f"energy = {energy_text} = {_energy(it_energy * pue + infrastructure)}")
    embodied = _embodied(got, hours, note)

    def figures(pue_value: float, intensity_value: float) -> Figures:
        energy = it_energy * pue_value + infrastructure
        onsite, offsite = water_split(it_energy, energy, wue, ewif)
        return Figures(
            it_energy_kwh=it_energy,
            energy_kwh=energy,
            operational_kg=emissions_kg(energy, intensity_value),
            embodied_kg=embodied,
            water_onsite_l=onsite,
            water_offsite_l=offsite,
        )

    central = figures(pue, intensity)
    low = figures(pue_range[0], intensity_range[0])
    high = figures(pue_range[1], intensity_range[1])
    note.formula.append(
        f"emissions = energy × {_num(intensity)} g/kWh / 1000"
        + (" + embodied" if embodied else "")
        + f" = {_mass(central.emissions_kg)}"
    )
    note.formula.append(
        f"water = IT energy {_energy(it_energy)} × on-site {_num(wue)} L/kWh + energy "
        f"{_energy(central.energy_kwh)} × off-site {_num(ewif)} L/kWh = "
        f"{_water(central.water_onsite_l)} on site + {_water(central.water_offsite_l)} off site"
    )
    location = []
    for key, row in constants.regions.items():
        onsite_row, offsite_row = constants.water(key)
        location.append(
            (
                key,
                row.value,
                emissions_kg(central.energy_kwh, row.value) + embodied,
                sum(
                    water_split(it_energy, central.energy_kwh, onsite_row.value, offsite_row.value)
                ),
            )
        )
    location.sort(key=lambda entry: (entry[2], entry[0]))
    per_query = central.scaled(1.0 / per_unit_queries) if per_unit_queries else None
    if got.general_purpose:
        note.sources.append(f"general-purpose models: {SOURCE_GENERAL_PURPOSE}")
    return Estimate(
        component_id=component.id,
        name=component.name,
        phase=phase,
        period_hours=hours,
        inputs=tuple(note.inputs),
        assumptions=tuple(note.assumptions),
        formula=tuple(note.formula),
        central=central,
        low=low,
        high=high,
        region=grid.key,
        grid_g_per_kwh=intensity,
        pue=pue,
        per_query=per_query,
        queries=per_unit_queries,
        location=tuple(location),
        sources=tuple(dict.fromkeys(note.sources)),
        general_purpose=got.general_purpose,
    )
