"""Scaling and environmental-footprint notes for AI-model components (analysis ``stipa.footprint``).

Safety is a property of the whole sociotechnical system, and so is what an AI component costs the
world around it. This plugin declares footprint properties for components of nature ``ai_model``
(hardware, hours, usage, region, ...) and writes, for each such component, an *info* note with
the inputs, the formula, the result rounded to three significant figures, an honest range where
an input was assumed, and the sources; plus one summary for the whole structure with a
location-sensitivity table and a scaling projection that reports total use next to per-unit
efficiency (rebound).

Method (STPA.md §6):

* energy [kWh] = (Σ devices (power [kW] × hours × utilisation) + idle energy) × PUE +
  infrastructure energy — the Green Algorithms formula (Lannelongue et al., Advanced Science
  2100707, 2021) and the ML CO2 Impact calculator (Lacoste et al., arXiv:1910.09700, 2019);
  devices are named accelerators (power from the constants file), any device by its TDP, CPU
  cores × power per core × utilisation, and memory [GB] × 0.3725 W/GB (Green Algorithms); for
  inference also queries per day × energy per query × days; idle and infrastructure energy as
  BLOOM's total counts them (Luccioni, Viguier & Ligozat, JMLR 2023), the PUE 1 when the
  infrastructure energy is given and the PUE is not;
* emissions [kg CO2e] = energy × carbon intensity [g/kWh] / 1000 (the component's own, a
  measured supply contract say, else its region's grid) + embodied emissions: a total as
  published, else manufacturing emissions × use time / lifetime;
* water [L] = IT energy × on-site WUE + energy × off-site water intensity of electricity,
  reported separately (Li et al., "Making AI Less Thirsty", arXiv:2304.03271, 2023). Each
  factor is the component's own where given, else its region's published figure, cited in the
  note, else the default row (Li et al.'s U.S. average), and the note says no regional figure
  exists. Off site the bundled file gives every region its country's grid figure by the World
  Resources Institute's method (Reig et al., 2020, as EcoLogits bundles them); on site only
  operators publish figures, for their own sites (Sweden: Microsoft's data centres), so the
  other regions take the U.S. average and say so;
* scaling: training compute grows ``growth``× a year (Epoch AI, 2024: 4.7×, 90% CI 4.3–5.2)
  and the volume of queries ``inference_growth``× a year (the bundled row: the tokens Google
  processed a month, roughly 480 trillion in May 2025 to over 3.2 quadrillion in May 2026, Google
  I/O 2026 keynote: 6.67× in the latest year; range 3× (Epoch AI: inference capacity more than
  tripling a year) to 18.16× (Google's two-year average since May 2024); an option or an
  organisation's row replaces it; a file without a row uses the training growth, and the note
  says so), while the energy per unit of compute falls ``efficiency``× a year (Epoch AI, 2024:
  about 1.5×); over ``years`` years the total changes by (growth / efficiency) ** years —
  reported next to the per-unit gain, never the gain alone (Jevons, 1865; Luccioni, Strubell &
  Crawford, arXiv:2501.16548, 2025). Every inference note names the growth of its queries and
  its source.

Every constant (device power, PUE, grid intensity, water factors, scaling defaults) comes from ONE
data file, ``resources/footprint/constants.csv``, each row with its source and year. Organisations
point to their own file with the analysis option ``constants=/path/file.csv`` or the environment
variable ``STIPA_FOOTPRINT_CONSTANTS``. Units go through pint: a property may carry any unit of the
right dimension (``W`` or ``kW``, ``h`` or ``d``, ``Wh`` or ``kWh`` per query); a missing or
wrong unit is refused with a message.

The calculation functions (:func:`energy_kwh`, :func:`emissions_kg`, :func:`water_litres`,
:func:`scale_factor`, ...) are public, so scripts and tests can use them directly.

The package's modules: ``units`` (pint), ``constants`` (the constants file), ``calc`` (the
formulas and rounding), ``inputs`` (the properties and reading them), ``estimate`` (one
component), ``report`` (the notes and the summary); this module runs the analysis.
"""

from __future__ import annotations

from collections.abc import Iterator

from stipa import (
    Analysis,
    AnalysisContext,
    ComponentKind,
    Finding,
    Nature,
    PropertySpec,
    Severity,
    hookimpl,
)
from stipa_builtins.footprint.calc import (
    HOURS_PER_YEAR,
    Device,
    Projection,
    annual_growth,
    embodied_share_kg,
    emissions_kg,
    energy_kwh,
    format_number,
    inference_energy_kwh,
    it_energy_kwh,
    location_sensitivity,
    power_kw,
    project,
    round_significant,
    scale_factor,
    water_litres,
    water_split,
)
from stipa_builtins.footprint.constants import (
    CONSTANTS_OPTION,
    CONSTANTS_VARIABLE,
    Constant,
    Constants,
    ConstantsError,
    bundled_constants_path,
    constants_label,
    constants_path,
    load_constants,
)
from stipa_builtins.footprint.estimate import Estimate, Figures, Incomplete, estimate
from stipa_builtins.footprint.inputs import NAMESPACE, Inputs, property_specs, read_inputs
from stipa_builtins.footprint.report import (
    RULES,
    inputs_message,
    note_data,
    note_message,
    scenario,
    summary_message,
)
from stipa_builtins.footprint.units import quantity

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
    "water_split",
]

#: The analysis id; findings carry it as their plugin.
ANALYSIS_ID = "stipa.footprint"


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
                severity=Severity.WARNING if result.refused else None,  # else the declared
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
            note_message(result, plan.for_phase(result.phase), plan),
            targets=[component.id],
            data=note_data(result, plan.for_phase(result.phase), constants, plan),
        )
    if components:
        message, data = summary_message(
            found, incomplete, plan.projection, constants, plan.inference
        )
        data["scenario_sources"] = "\n".join(plan.sources)
        data["scenario_options"] = ", ".join(plan.from_options)
        yield context.finding("footprint.summary", message, data=data)


#: The options the analysis reads, with their help (an empty value keeps the default).
OPTIONS: dict[str, str] = {
    "growth": "annual growth factor of training compute (default: the constants file's)",
    "inference_growth": "annual growth factor of the volume of queries (default: the "
    "constants file's row, Google's tokens a month 2024-2026; without a row the training growth)",
    "efficiency": "annual gain factor of energy efficiency (default: the constants file's)",
    "years": "years the scaling scenario runs (default: the constants file's horizon)",
    CONSTANTS_OPTION: "a constants file of your own (CSV in the bundled file's form)",
}

ANALYSIS = Analysis(
    id=ANALYSIS_ID,
    title="Scaling and environmental footprint",
    run=run,
    description=(
        "Energy, emissions and water of each AI-model component from its declared hardware, "
        "hours or usage, with the same job in other regions and a scaling scenario that shows "
        "totals next to per-unit efficiency (rebound). Options: growth (training compute), "
        "inference_growth (queries), efficiency, years, constants=/path/file.csv."
    ),
    rules=RULES,
    options=OPTIONS,
)


@hookimpl
def stipa_component_properties() -> list[PropertySpec]:
    """The footprint properties of AI-model components."""
    return property_specs()


@hookimpl
def stipa_analyses() -> list[Analysis]:
    """The footprint analysis."""
    return [ANALYSIS]
