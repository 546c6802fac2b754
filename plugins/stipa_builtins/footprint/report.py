"""The notes of ``stipa.footprint``: per component, the inputs still missing, the summary."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from stipa import Rule, Severity
from stipa_builtins.footprint.calc import (
    Projection,
    _energy,
    _factor,
    _mass,
    _raw,
    _span,
    _water,
    emissions_kg,
    format_number,
    project,
    water_split,
)
from stipa_builtins.footprint.constants import Constants, constants_label
from stipa_builtins.footprint.estimate import (
    SOURCE_ENERGY,
    SOURCE_WATER,
    ZERO,
    Estimate,
    Figures,
    Incomplete,
    _num,
)

__all__ = [
    "RULES",
    "SHORT_SOURCE",
    "SOURCE_REBOUND",
    "Scenario",
    "inputs_message",
    "note_data",
    "note_message",
    "scenario",
    "summary_message",
]

SOURCE_REBOUND = (
    "rebound: Jevons, The Coal Question (1865); Luccioni, Strubell & Crawford, "
    "arXiv:2501.16548 (2025)"
)
SHORT_SOURCE = (
    "Green Algorithms (Lannelongue et al. 2021); ML CO2 Impact (Lacoste et al. 2019); "
    "Li et al. 2023 (arXiv:2304.03271); Epoch AI 2024; Luccioni, Strubell & Crawford 2025"
)


# --- the analysis ---------------------------------------------------------------------------

#: The rules of the analysis (``Analysis.rules``): its name, what each finding says, its
#: severity and its sources. Notes inform; an input refused (wrong unit, not a number) is a
#: warning.
RULES = (
    Rule(
        "footprint.note",
        "Footprint of an AI model",
        Severity.INFO,
        SHORT_SOURCE,
        description="Energy, emissions and water of an AI-model component, with inputs, "
        "formula, range, location sensitivity, scaling projection and sources: each water "
        "factor its region's published figure or said to be the default, inference volume "
        "growing at its own published rate.",
    ),
    Rule(
        "footprint.inputs",
        "Footprint inputs missing or refused",
        Severity.INFO,
        SHORT_SOURCE,
        description="An AI-model component whose footprint cannot be estimated: the inputs "
        "missing (info) or refused, a wrong unit or not a number (warning).",
    ),
    Rule(
        "footprint.summary",
        "Footprint of all AI models",
        Severity.INFO,
        SHORT_SOURCE,
        description="The footprint of all AI-model components together, with the "
        "location-sensitivity table and the scaling projection (rebound).",
    ),
)


#: Where the inference-volume growth comes from when neither an option nor the constants
#: file gives one.
NO_INFERENCE_GROWTH = (
    "inference volume: no published multi-year growth of inference volume in the constants "
    "file, so the training-compute growth is used"
)


@dataclass(frozen=True)
class Scenario:
    """The scaling scenario of a run: options over constants.

    ``projection`` scales training compute (Epoch AI's growth of notable models' training
    compute), ``inference`` the volume of queries, each with the same efficiency gain.
    """

    projection: Projection
    sources: tuple[str, ...] = field(default=())
    from_options: tuple[str, ...] = field(default=())
    inference: Projection | None = None
    #: Said in every inference note: what the growth of the queries is, and where it comes from.
    inference_basis: str = ""
    inference_source: str = ""

    def for_phase(self, phase: str) -> Projection:
        """The projection of a training job or of an inference use."""
        if phase == "inference" and self.inference is not None:
            return self.inference
        return self.projection

    def basis(self, phase: str) -> tuple[str, tuple[str, ...]]:
        """What a note of ``phase`` says its growth is, and the sources it adds for it."""
        if phase != "inference":
            return "", ()
        return self.inference_basis, (self.inference_source,) if self.inference_source else ()


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
    """The scaling scenario from the options ``growth`` (training compute),
    ``inference_growth`` (queries), ``efficiency`` and ``years``, over the constants file's
    defaults; without an ``inference_growth`` row or option, inference uses the training
    growth and the sources say so."""
    growth_row = constants.default("growth")
    efficiency_row = constants.default("efficiency")
    horizon_row = constants.default("horizon")
    growth = _option(options, "growth", growth_row.value, 1000.0)
    efficiency = _option(options, "efficiency", efficiency_row.value, 1000.0)
    years = _option(options, "years", horizon_row.value, 100.0)
    names = ("growth", "inference_growth", "efficiency", "years")
    given = tuple(name for name in names if options.get(name, "").strip())
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
    rows = constants.of("inference_growth")
    inference_row = next((r for r in rows.values() if r.default), next(iter(rows.values()), None))
    inference_range = None
    source = ""
    if "inference_growth" in given:
        inference_growth = _option(options, "inference_growth", growth, 1000.0)
        basis = "queries grow at the option inference_growth"
    elif inference_row is None:
        inference_growth, inference_range = growth, growth_range
        basis = NO_INFERENCE_GROWTH
        sources.append(NO_INFERENCE_GROWTH)
    else:
        inference_growth = inference_row.value
        basis = f"queries grow as {inference_row.key}"
        source = f"inference growth: {inference_row.cited}"
        sources.append(source)
        if inference_row.low is not None and inference_row.high is not None:
            inference_range = (inference_row.low, inference_row.high)
    return Scenario(
        project(growth, efficiency, years, growth_range),
        tuple(sources),
        given,
        project(inference_growth, efficiency, years, inference_range),
        basis,
        source,
    )


def _scenario_text(projection: Projection, volume: str = "compute") -> str:
    total = _factor(projection.total)
    if projection.total_high - projection.total_low > 0.005 * projection.total:
        total += f" (range {_factor(projection.total_low)} – {_factor(projection.total_high)})"
    direction = "rises" if projection.total > 1 else "does not rise"
    return (
        f"{volume} ×{format_number(projection.volume)} in {_num(projection.years)} years at "
        f"{_num(projection.growth)}×/yr, energy per unit {_factor(projection.per_unit)} "
        f"at {_num(projection.efficiency)}×/yr efficiency gain: total energy {total} — the "
        f"per-unit efficiency improves and the total {direction} (rebound)"
    )


#: What grows, per phase: training compute, or the number of queries.
_VOLUME = {"training": "training compute", "inference": "queries"}


def note_message(found: Estimate, projection: Projection, plan: Scenario | None = None) -> str:
    """The text of a component's note; an inference note says what ``plan`` grows the
    queries by and cites it."""
    head = "Training" if found.phase == "training" else "Inference"
    period = "" if found.phase == "training" else f" over {_num(found.period_hours / 24.0)} days"
    c, lo, hi = found.central, found.low, found.high
    lines = [
        f"{head} footprint of {found.name}{period}: "
        f"{_span(_energy, c.energy_kwh, lo.energy_kwh, hi.energy_kwh)}, "
        f"{_span(_mass, c.emissions_kg, lo.emissions_kg, hi.emissions_kg)}, "
        f"{_span(_water, c.water_l, lo.water_l, hi.water_l)} of water "
        f"({_water(c.water_onsite_l)} on site, {_water(c.water_offsite_l)} off site)."
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
    basis, growth_sources = plan.basis(found.phase) if plan is not None else ("", ())
    lines.append(
        f"Scaling: {_scenario_text(projection, _VOLUME[found.phase])}; {subject} would take "
        f"{_energy(projected)} "
        f"({_mass(c.operational_kg * projection.total)} at today's grid)"
        + (f" ({basis})." if basis else ".")
    )
    if found.general_purpose:
        lines.append(
            "General-purpose model: multi-purpose generative models use orders of magnitude "
            "more energy per query than task-specific ones for the same task (Luccioni, Jernite "
            "& Strubell 2023); ask whether a narrower model would do (STPA.md §5, curse of "
            "flexibility)."
        )
    lines.append("Sources: " + "; ".join((*found.sources, SOURCE_REBOUND, *growth_sources)) + ".")
    return "\n".join(lines)


def note_data(
    found: Estimate, projection: Projection, constants: Constants, plan: Scenario | None = None
) -> dict[str, str]:
    """Machine-readable figures of a note (finding ``data``)."""
    growth_sources = plan.basis(found.phase)[1] if plan is not None else ()
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
        "water_onsite_l": _raw(c.water_onsite_l),
        "water_offsite_l": _raw(c.water_offsite_l),
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
        "sources": "\n".join((*found.sources, SOURCE_REBOUND, *growth_sources)),
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
            "Give them under AI footprint in the Properties panel; nothing is counted as zero."
        )
    return "\n".join(lines)


def _defaulted_water(constants: Constants) -> list[str]:
    """Lines naming the regions of the location table whose water factors are the defaults."""
    lines = []
    for index, where in enumerate(("on-site", "off-site")):
        rows = {key: constants.water(key)[index] for key in constants.regions}
        missing = [key for key, row in rows.items() if not Constants.is_regional(row, key)]
        if missing:
            row = rows[missing[0]]
            lines.append(
                f"  No published {where} water factor for {', '.join(missing)}: the "
                f"{row.key}, {_num(row.value)} L/kWh, used."
            )
    return lines


def summary_message(
    found: Sequence[Estimate],
    incomplete: Sequence[Incomplete],
    projection: Projection,
    constants: Constants,
    inference: Projection | None = None,
) -> tuple[str, dict[str, str]]:
    """The text and data of the summary for the whole structure (``projection`` scales
    training, ``inference`` the queries; ``projection`` both when it is None)."""
    queried_projection = inference if inference is not None else projection

    def scaled(figures: Estimate, which: str) -> float:
        chosen = queried_projection if figures.phase == "inference" else projection
        return float(getattr(figures.central, which)) * chosen.total

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
            wue, ewif = constants.water(key)
            water = sum(
                sum(
                    water_split(
                        e.central.it_energy_kwh, e.central.energy_kwh, wue.value, ewif.value
                    )
                )
                for e in found
            )
            table.append((key, row.value, emissions_kg(energy, row.value) + embodied, water))
        table.sort(key=lambda entry: (entry[2], entry[0]))
        lines.append("Location sensitivity — the same jobs in each region:")
        lines.extend(
            f"  {region} ({_num(g)} g/kWh): {_mass(kg)}, {_water(litres)} of water"
            for region, g, kg, litres in table
        )
        lines.extend(_defaulted_water(constants))
        texts = [
            _scenario_text(chosen, _VOLUME[phase])
            for phase, chosen in (("training", projection), ("inference", queried_projection))
            if phase in phases
        ]
        lines.append(
            f"Scaling: {'; '.join(texts)}; these jobs would take "
            f"{_energy(sum(scaled(e, 'energy_kwh') for e in found))} and emit "
            f"{_mass(sum(scaled(e, 'operational_kg') for e in found))} at today's grids."
        )
        queried = [e for e in found if e.per_query is not None]
        if queried:
            per_query = sum(e.per_query.energy_kwh for e in queried if e.per_query) / len(queried)
            lines.append(
                f"Per query {_energy(per_query)} today, "
                f"{_energy(per_query * queried_projection.per_unit)} in "
                f"{_num(queried_projection.years)} years, while queries grow "
                f"×{format_number(queried_projection.volume)}: efficiency alone never tells the "
                "total."
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
        "inference_growth_per_year": _raw(queried_projection.growth),
        "inference_total_factor": _raw(queried_projection.total),
        "projected_energy_kwh": _raw(sum(scaled(e, "energy_kwh") for e in found)),
        "constants": constants_label(constants.path),
    }
    return "\n".join(lines), data
