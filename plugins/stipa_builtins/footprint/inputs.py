"""The footprint properties of AI-model components, and reading them off a component."""

from __future__ import annotations

from dataclasses import dataclass

from stipa import Component, ModelError, Nature, PropertySpec
from stipa_builtins.footprint.calc import format_number
from stipa_builtins.footprint.constants import Constants, constants_path, load_constants
from stipa_builtins.footprint.units import quantity

__all__ = ["FIELDS", "NAMESPACE", "PHASES", "Inputs", "property_specs", "read_inputs"]

#: The XML namespace of the footprint properties.
NAMESPACE = "https://stipa.dev/ns/footprint"
PHASES = ("training", "inference")


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
            group="AI footprint",
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
            "tdp",
            "Device power (TDP)",
            "number",
            "W",
            description="Rated power of one device of any hardware not in the list (a generic "
            "device); used with the number of devices instead of the hardware choice.",
        ),
        spec(
            "cpu_cores",
            "CPU cores",
            "integer",
            description="How many CPU cores the job uses (the Green Algorithms model); with "
            "the power per core.",
        ),
        spec(
            "core_power",
            "Power per CPU core",
            "number",
            "W",
            description="Rated power of one CPU core (the processor's TDP / its cores).",
        ),
        spec(
            "core_utilisation",
            "CPU core utilisation",
            "number",
            description="Average fraction (0–1, or %) of the cores' power used; 1 when empty.",
        ),
        spec(
            "memory",
            "Memory",
            "number",
            "GB",
            description="Memory the job holds, counted at the memory power of the constants "
            "file (0.3725 W/GB, Green Algorithms).",
        ),
        spec(
            "idle_energy",
            "Idle energy",
            "number",
            "kWh",
            description="IT energy of the job's devices while idle (waiting, checkpointing), "
            "beside the dynamic energy of the work; counted with the PUE.",
        ),
        spec(
            "infrastructure_energy",
            "Infrastructure energy",
            "number",
            "kWh",
            description="Energy of the infrastructure around the devices (cooling, network, "
            "storage) as measured; counted as is, so the PUE is 1 unless given.",
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
            "embodied_total",
            "Embodied emissions (total)",
            "number",
            "kg",
            description="Embodied emissions (kg CO2e) attributed to this job or use as a "
            "total, as published; added as is (no lifetime share).",
        ),
        spec(
            "carbon_intensity",
            "Carbon intensity",
            "number",
            "g/kWh",
            description="Carbon intensity of this component's electricity (g CO2e/kWh), a "
            "measured supply contract say; replaces the region's grid figure.",
        ),
        spec(
            "wue",
            "On-site water (WUE)",
            "number",
            "L/kWh",
            description="Water the data centre consumes on site per kWh of IT energy, as its "
            "operator publishes it; replaces the region's factor (for most regions none is "
            "published, and the U.S. average is used).",
        ),
        spec(
            "water_intensity",
            "Off-site water",
            "number",
            "L/kWh",
            description="Water consumed to generate a kWh of the electricity used (EWIF); "
            "replaces the region's factor (its country's grid, by the WRI method).",
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
    "tdp_w",
    "cpu_cores",
    "core_power_w",
    "core_utilisation",
    "memory_gb",
    "idle_kwh",
    "infrastructure_kwh",
    "embodied_total_kg",
    "carbon_intensity",
    "wue",
    "water_intensity",
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
    tdp_w: float | None = None
    cpu_cores: int | None = None
    core_power_w: float | None = None
    core_utilisation: float | None = None
    memory_gb: float | None = None
    idle_kwh: float | None = None
    infrastructure_kwh: float | None = None
    embodied_total_kg: float | None = None
    carbon_intensity: float | None = None
    wue: float | None = None
    water_intensity: float | None = None
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
    "tdp": ("tdp_w", "W", "Device power (TDP)"),
    "cpu_cores": ("cpu_cores", "", "CPU cores"),
    "core_power": ("core_power_w", "W", "Power per CPU core"),
    "core_utilisation": ("core_utilisation", "", "CPU core utilisation"),
    "memory": ("memory_gb", "GB", "Memory"),
    "idle_energy": ("idle_kwh", "kWh", "Idle energy"),
    "infrastructure_energy": ("infrastructure_kwh", "kWh", "Infrastructure energy"),
    "embodied_total": ("embodied_total_kg", "kg", "Embodied emissions (total)"),
    "carbon_intensity": ("carbon_intensity", "g/kWh", "Carbon intensity"),
    "wue": ("wue", "L/kWh", "On-site water (WUE)"),
    "water_intensity": ("water_intensity", "L/kWh", "Off-site water"),
}
#: Whole-number properties: field -> what the refusal calls it.
_WHOLE = {"count": "Number of devices", "cpu_cores": "CPU cores"}


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
    for key, label in _WHOLE.items():
        whole = values.get(key)
        if isinstance(whole, float):
            if whole != int(whole) or whole < 1:
                refused[key] = f"{label} must be a whole number, at least 1, not {whole:g}."
                values[key] = None
            else:
                values[key] = int(whole)
    checks = (
        ("utilisation", lambda v: 0 < v <= 1, "Utilisation must lie above 0 and at most 1 (100 %)"),
        (
            "core_utilisation",
            lambda v: 0 < v <= 1,
            "CPU core utilisation must lie above 0 and at most 1 (100 %)",
        ),
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
        tdp_w=_float_or_none(values.get("tdp_w")),
        cpu_cores=cores if isinstance(cores := values.get("cpu_cores"), int) else None,
        core_power_w=_float_or_none(values.get("core_power_w")),
        core_utilisation=_float_or_none(values.get("core_utilisation")),
        memory_gb=_float_or_none(values.get("memory_gb")),
        idle_kwh=_float_or_none(values.get("idle_kwh")),
        infrastructure_kwh=_float_or_none(values.get("infrastructure_kwh")),
        embodied_total_kg=_float_or_none(values.get("embodied_total_kg")),
        carbon_intensity=_float_or_none(values.get("carbon_intensity")),
        wue=_float_or_none(values.get("wue")),
        water_intensity=_float_or_none(values.get("water_intensity")),
        refused=tuple(refused.values()),
        refused_fields=tuple(refused),
    )


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _float_or_none(value: object) -> float | None:
    return float(value) if isinstance(value, float | int) and not isinstance(value, bool) else None
