"""The footprint plugin (``stipa.footprint``): the known answers of STPA.md §6, units, constants,
and the analysis on small documents through the plugin host and the analysis runner."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pytest

import stipa
from stipa import Component, Document, Finding, ModelError, Nature, Property
from stipa.analysis.runner import FAILED, OK, AnalysisOutcome, AnalysisRunner, apply_outcomes
from stipa.plugin import PluginHost
from stipa_builtins import footprint as fp

A100 = "NVIDIA A100 SXM4"


def props(**values: str | tuple[str, str]) -> tuple[Property, ...]:
    """Footprint properties: ``hours=("100", "h")`` or ``phase="training"``."""
    found = []
    for name, given in values.items():
        value, unit = (given, "") if isinstance(given, str) else given
        found.append(Property(namespace=fp.NAMESPACE, name=name, value=value, unit=unit))
    return tuple(found)


def ai(doc: Document, name: str, **values: str | tuple[str, str]) -> Component:
    added = doc.add(Component(name=name, nature=Nature.AI_MODEL, properties=props(**values)))
    assert isinstance(added, Component)
    return added


def a100_job(region: str, **more: str | tuple[str, str]) -> dict[str, str | tuple[str, str]]:
    """STPA.md §6: an A100 (400 W) for 100 h, utilisation 1, PUE 1."""
    job: dict[str, str | tuple[str, str]] = {
        "phase": "training",
        "hardware": A100,
        "count": "1",
        "hours": ("100", "h"),
        "utilisation": "1",
        "pue": "1",
        "region": region,
    }
    job.update(more)
    return job


@pytest.fixture(scope="module")
def host() -> PluginHost:
    """The installed plugins, discovered through the entry points as the application does."""
    return PluginHost().discover()


def run(host: PluginHost, doc: Document, **options: str) -> AnalysisOutcome:
    analyses = host.select_analyses([fp.ANALYSIS_ID])
    runner = AnalysisRunner(analyses, lambda a: a.id, timeout=30, options=options)
    [outcome] = runner.run(doc.snapshot())
    return outcome


def analyse(host: PluginHost, doc: Document, **options: str) -> list[Finding]:
    outcome = run(host, doc, **options)
    assert outcome.status == OK, outcome.message + outcome.traceback
    assert outcome.problems == []
    return outcome.findings


def data(finding: Finding) -> dict[str, str]:
    return dict(finding.data)


def note_on(findings: list[Finding], component: Component) -> Finding:
    [found] = [f for f in findings if f.targets == (component.id,)]
    return found


def summary(findings: list[Finding]) -> Finding:
    [found] = [f for f in findings if f.rule == "footprint.summary"]
    return found


# --- the known answers of STPA.md §6, on the public functions --------------------------------


def test_bloom_training_energy_and_emissions() -> None:
    """Luccioni et al. (JMLR 2023): 1,082,990 GPU-hours × 0.4 kW at 57 g/kWh."""
    energy = fp.energy_kwh([fp.Device(0.4)], 1_082_990)
    assert energy == pytest.approx(433_196)
    tonnes = fp.emissions_kg(energy, 57) / 1000
    assert tonnes == pytest.approx(24.69, abs=0.005)
    assert round(tonnes, 1) == 24.7  # the paper's figure


def test_green_algorithms_formula_example() -> None:
    """12 h, 4 cores × 12 W at usage 1, 16 GB at 0.3725 W/GB, PUE 1.67, 475 g/kWh."""
    devices = [fp.Device(0.012, 4, 1.0), fp.Device(0.3725 / 1000, 16)]
    assert fp.power_kw(devices) * 1000 == pytest.approx(53.96)
    energy = fp.energy_kwh(devices, 12, pue=1.67)
    assert energy == pytest.approx(1.0814, abs=5e-5)
    assert fp.emissions_kg(energy, 475) * 1000 == pytest.approx(513.6, abs=0.05)


def test_location_us_central1_against_europe_west6() -> None:
    """An A100 (400 W) for 100 h: 22.65 kg in us-central1, 0.64 kg in europe-west6, ×35.4."""
    regions = fp.load_constants().regions
    central = regions["gcp us-central1"].value
    west6 = regions["gcp europe-west6"].value
    energy = fp.energy_kwh([fp.Device(0.4)], 100)
    assert fp.emissions_kg(energy, central) == pytest.approx(22.65, abs=0.005)
    assert fp.emissions_kg(energy, west6) == pytest.approx(0.64, abs=0.005)
    assert central / west6 == pytest.approx(35.4, abs=0.05)
    table = dict(fp.location_sensitivity(energy, {"us-central1": central, "west6": west6}))
    assert table == pytest.approx({"us-central1": 22.652, "west6": 0.64})


def test_scaling_known_answers() -> None:
    """4× a year over 2023–2030 is 4^7 = 16,384×; 10,000× in 7 years is 3.73× a year."""
    assert fp.scale_factor(4, 7) == 16_384
    assert fp.annual_growth(10_000, 7) == pytest.approx(3.73, abs=0.005)
    assert fp.annual_growth(fp.scale_factor(4.7, 7), 7) == pytest.approx(4.7)


def test_projection_shows_rebound() -> None:
    """Per-unit energy falls, the total still rises: efficiency is never reported alone."""
    projection = fp.project(4, 1.5, 7, growth_range=(3.5, 5))
    assert projection.volume == 16_384
    assert projection.per_unit == pytest.approx(1.5**-7)
    assert projection.per_unit < 1 < projection.total
    assert projection.total == pytest.approx(16_384 / 1.5**7)
    assert projection.total_low < projection.total < projection.total_high
    assert projection.by_year[0] == (0, 1.0)
    assert [year for year, _ in projection.by_year] == list(range(8))


def test_water_formula() -> None:
    """Li et al.: IT energy × (on-site WUE + PUE × off-site EWIF); GPT-3's 1,287 MWh at the U.S.
    average (PUE 1.17, 0.55 L/kWh, 3.142 L/kWh) gives 0.708 + 4.731 = 5.439 million litres."""
    litres = fp.water_litres(1_287_000, 0.55, 1.17, 3.142)
    assert litres / 1e6 == pytest.approx(5.439, abs=0.0005)
    assert fp.water_litres(1_287_000, 0.55, 1.17, 0) / 1e6 == pytest.approx(0.708, abs=0.0005)


def test_embodied_share_and_inference_energy() -> None:
    assert fp.embodied_share_kg(1000, 4383, 8766) == pytest.approx(500)
    assert fp.inference_energy_kwh(1_000_000, 0.3, 1) == pytest.approx(300)
    assert fp.inference_energy_kwh(1_000_000, 0.3, 1, pue=1.5) == pytest.approx(450)
    with pytest.raises(ValueError):
        fp.embodied_share_kg(1, 1, 0)


def test_rounding() -> None:
    assert fp.round_significant(433_196) == 433_000
    assert fp.format_number(433_196) == "433,000"
    assert fp.format_number(24.6922) == "24.7"
    assert fp.format_number(0.0123456) == "0.0123"
    assert fp.format_number(35.39375) == "35.4"
    assert fp.format_number(0) == "0"


# --- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "target", "expected"),
    [
        ("400", "W", "kW", 0.4),
        ("0.4", "kW", "kW", 0.4),
        ("400 W", "", "kW", 0.4),
        ("2", "d", "h", 48.0),
        ("100", "h", "h", 100.0),
        ("4", "yr", "h", 4 * 8766.0),
        ("0.3", "Wh", "Wh", 0.3),
        ("0.0003", "kWh", "Wh", 0.3),
        ("0.3", "Wh/query", "Wh", 0.3),
        ("1000000", "1/d", "1/d", 1e6),
        ("1000000", "queries/d", "1/d", 1e6),
        ("1000", "1/h", "1/d", 24_000.0),
        ("80", "%", "", 0.8),
        ("1.2", "", "", 1.2),
        ("2", "t CO2e", "kg", 2000.0),
        ("1500", "kgCO2eq", "kg", 1500.0),
    ],
)
def test_units_accepted(value: str, unit: str, target: str, expected: float) -> None:
    assert fp.quantity(value, unit, target, "X") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "unit", "target", "message"),
    [
        ("0.4", "", "kW", "has no unit; give it in kW"),
        ("100", "kW", "h", "'kW' is not a unit of time"),
        ("0.3", "W", "Wh", "is not a unit of energy"),
        ("1.5", "kW", "", "is a pure number"),
        ("12", "furlongs per fortnight", "kW", "is not a unit"),
        ("abc", "", "kW", "must be a number"),
        ("-1", "h", "h", "must not be negative"),
        ("nan", "h", "h", "finite"),
        ("400 W", "kW", "kW", "give the unit once"),
    ],
)
def test_units_refused(value: str, unit: str, target: str, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        fp.quantity(value, unit, target, "X")


def test_empty_value_is_missing_not_zero() -> None:
    assert fp.quantity("", "kW", "kW", "Power") is None
    assert fp.quantity("  ", "", "", "PUE") is None


# --- constants ------------------------------------------------------------------------------


def test_bundled_constants_carry_the_values_of_stpa_md() -> None:
    table = fp.load_constants()
    hardware = {k: row.value for k, row in table.hardware.items()}
    assert hardware == {
        "NVIDIA A100 SXM4": 400,
        "NVIDIA V100 SXM2": 300,
        "NVIDIA T4": 70,
        "NVIDIA H100 SXM": 700,
    }
    assert table.default("pue").value == 1.58
    assert table.get("pue", "industry average (Uptime 2019)").value == 1.67  # type: ignore[union-attr]
    grid = {k: row.value for k, row in table.regions.items()}
    assert table.default("grid").key == "World" and grid["World"] == 475
    expected = {
        "France": 51.28,
        "Germany": 338.66,
        "United States": 423.94,
        "India": 708.2,
        "gcp us-central1": 566.3,
        "gcp europe-west6": 16,
        "Jean Zay (BLOOM)": 57,
    }
    assert {k: grid[k] for k in expected} == expected
    # water: on site and off site looked up separately, each the region's own row or the default
    onsite, offsite = table.water("Germany")
    assert (onsite.value, offsite.value) == (0.55, 1.947)
    assert not table.is_regional(onsite, "Germany") and table.is_regional(offsite, "Germany")
    assert "Li et al" in onsite.source and "2304.03271" in onsite.source
    assert "Reig et al" in offsite.source and "DEU" in offsite.source
    assert [row.value for row in table.water("Sweden")] == [0.09, 6.0315]
    assert [row.value for row in table.water("United States")] == [0.55, 3.142]
    assert table.water("World")[1].value == 3.908
    assert all(table.get("water_offsite", region) for region in table.regions)
    inference = table.default("inference_growth")
    assert (inference.value, inference.low, inference.high) == (6.67, 3, 18.16)
    assert "3.2 quadrillion" in inference.source and "May 2025 to May 2026" in inference.key
    assert table.default("growth").value == 4.7
    assert (table.default("growth").low, table.default("growth").high) == (4.3, 5.2)
    assert table.default("horizon").value == 7
    for row in table.rows:
        assert row.source.strip() and 1800 <= row.year <= 2200, row


HEADER = "kind,key,value,low,high,unit,default,source,year\n"
MINIMAL = (
    HEADER
    + "hardware,Chip,400,,,W,,Vendor sheet,2020\n"
    + "pue,Ours,1.3,,,,yes,Our facility report,2024\n"
    + "grid,Our DC,100,,,g/kWh,yes,Our utility,2024\n"
    + "grid,Elsewhere,500,,,g/kWh,,Some grid,2024\n"
    + "water_onsite,default,1,,,L/kWh,yes,Our report,2024\n"
    + "water_offsite,default,2,,,L/kWh,yes,Our report,2024\n"
    + "growth,Ours,2,,,,yes,Our plan,2024\n"
    + "efficiency,Ours,1.1,,,,yes,Our plan,2024\n"
    + "horizon,Ours,3,,,yr,yes,Our plan,2024\n"
)


def write(tmp_path: Path, text: str, name: str = "constants.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_own_constants_file(tmp_path: Path) -> None:
    table = fp.load_constants(write(tmp_path, "# our numbers\n" + MINIMAL))
    assert list(table.hardware) == ["Chip"]
    assert table.default("grid").key == "Our DC"
    assert table.hardware["Chip"].cited == "Vendor sheet (2020)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("kind,key,value\n", "lacks low, high, unit, default, source, year"),
        (MINIMAL + "grid,Bad,1,,,W,,S,2024\n", r"line 11: .*not a unit of carbon intensity"),
        (MINIMAL + "hardware,Bad,400,,,,,S,2024\n", r"line 11: .*has no unit"),
        (MINIMAL + "hardware,Bad,lots,,,W,,S,2024\n", r"line 11: .*must be a number"),
        (MINIMAL + "hardware,Bad,400,,,W,,,2024\n", r"line 11: .*has no source"),
        (MINIMAL + "hardware,Bad,400,,,W,,S,\n", r"line 11: .*needs the year"),
        (MINIMAL + "hardware,Chip,500,,,W,,S,2024\n", r"line 11: .*appears twice"),
        (MINIMAL + "gpu,Bad,400,,,W,,S,2024\n", r"line 11: kind 'gpu' is not one of"),
        (MINIMAL + "hardware,Bad,400,,,W,,S,2024,extra\n", r"line 11: 10 cells"),
        (MINIMAL + "pue,Low,0.9,,,,,S,2024\n", r"line 11: a PUE is at least 1"),
        (MINIMAL + "pue,Wide,1.2,1.3,1.5,,,S,2024\n", r"line 11: the value must lie between"),
        (MINIMAL + "pue,Half,1.2,1.1,,,,S,2024\n", r"line 11: give both low and high"),
        (MINIMAL + "grid,Second,1,,,g/kWh,yes,S,2024\n", r"exactly one grid row.*found 2"),
        (MINIMAL.replace("1.3,,,,yes", "1.3,,,,"), r"exactly one pue row.*found none"),
        (MINIMAL + 'hardware,"Bad,400\n', "not valid CSV"),
    ],
)
def test_malformed_constants_fail_clearly(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(fp.ConstantsError, match=message) as error:
        fp.load_constants(path)
    assert str(path) in str(error.value)


def test_missing_constants_file(tmp_path: Path) -> None:
    with pytest.raises(fp.ConstantsError, match="cannot be read"):
        fp.load_constants(tmp_path / "nowhere.csv")


def test_constants_path_option_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(fp.CONSTANTS_VARIABLE, raising=False)
    assert fp.constants_path({}) == fp.bundled_constants_path()
    assert fp.bundled_constants_path() == stipa.resource_path("footprint", "constants.csv")
    monkeypatch.setenv(fp.CONSTANTS_VARIABLE, str(tmp_path / "env.csv"))
    assert fp.constants_path({}) == tmp_path / "env.csv"
    assert fp.constants_path({"constants": str(tmp_path / "opt.csv")}) == tmp_path / "opt.csv"


# --- properties -----------------------------------------------------------------------------


def test_properties_are_declared_for_ai_models(host: PluginHost) -> None:
    assert not host.plugins["stipa.footprint"].failures
    assert host.plugins["stipa.footprint"].analyses == [fp.ANALYSIS_ID]
    model = Component(name="Model", nature=Nature.AI_MODEL)
    ours = [s for s in host.properties_for(model) if s.namespace == fp.NAMESPACE]
    by_name = {s.name: s for s in ours}
    assert list(by_name) == [
        "phase", "hardware", "count", "power", "tdp", "cpu_cores", "core_power",
        "core_utilisation", "memory", "idle_energy", "infrastructure_energy", "hours",
        "queries_per_day", "energy_per_query", "utilisation", "pue", "region", "embodied",
        "embodied_total", "carbon_intensity", "wue", "water_intensity", "lifetime",
        "general_purpose",
    ]  # fmt: skip
    assert by_name["phase"].choices == ("training", "inference")
    assert by_name["hardware"].choices == tuple(fp.load_constants().hardware)
    assert "gcp europe-west6" in by_name["region"].choices
    units = {name: s.unit for name, s in by_name.items() if s.unit}
    assert units == {
        "power": "kW",
        "tdp": "W",
        "core_power": "W",
        "memory": "GB",
        "idle_energy": "kWh",
        "infrastructure_energy": "kWh",
        "hours": "h",
        "queries_per_day": "1/d",
        "energy_per_query": "Wh",
        "embodied": "kg",
        "embodied_total": "kg",
        "carbon_intensity": "g/kWh",
        "wue": "L/kWh",
        "water_intensity": "L/kWh",
        "lifetime": "yr",
    }
    assert by_name["general_purpose"].type == "boolean"
    assert by_name["count"].type == "integer"
    assert all(s.natures == (stipa.Nature.AI_MODEL,) for s in ours)
    software = Component(name="Scheduler", nature=Nature.SOFTWARE)
    assert not [s for s in host.properties_for(software) if s.namespace == fp.NAMESPACE]


def test_property_choices_follow_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fp.CONSTANTS_VARIABLE, str(write(tmp_path, MINIMAL)))
    specs = {s.name: s for s in fp.stipa_component_properties()}
    assert specs["hardware"].choices == ("Chip",)
    assert specs["region"].choices == ("Our DC", "Elsewhere")


def test_broken_environment_file_is_a_plugin_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fp.CONSTANTS_VARIABLE, str(write(tmp_path, HEADER + "gpu,x,1,,,W,,S,1\n")))
    host = PluginHost()
    host.register(fp, "stipa.footprint")
    [failure] = host.failures()
    assert failure.phase == "stipa_component_properties"
    assert "ConstantsError" in failure.message and "kind 'gpu'" in failure.message
    assert host.analyses[fp.ANALYSIS_ID]  # the analysis is still there; its run will fail clearly


def test_inputs_are_read_with_their_units() -> None:
    model = Component(
        name="M",
        nature=Nature.AI_MODEL,
        properties=props(
            phase="inference",
            power=("1200", "W"),
            hours=("30", "d"),
            queries_per_day=("5000", "1/d"),
            energy_per_query=("0.002", "kWh"),
            utilisation=("50", "%"),
            embodied=("1.5", "t"),
            lifetime=("5", "yr"),
            count="3",
            general_purpose="true",
        ),
    )
    got = fp.read_inputs(model)
    assert got.refused == ()
    assert (got.power_kw, got.hours, got.queries_per_day) == (1.2, 720.0, 5000.0)
    assert got.wh_per_query == pytest.approx(2.0)
    assert (got.utilisation, got.embodied_kg, got.count) == (0.5, 1500.0, 3)
    assert got.lifetime_hours == pytest.approx(5 * 8766)
    assert got.general_purpose is True


def test_out_of_range_inputs_are_refused() -> None:
    model = Component(
        name="M",
        nature=Nature.AI_MODEL,
        properties=props(
            utilisation="1.5", pue="0.9", count="2.5", hours=("0", "h"), phase="serving",
            general_purpose="perhaps",
        ),
    )  # fmt: skip
    got = fp.read_inputs(model)
    assert set(got.refused_fields) == {
        "utilisation", "pue", "count", "hours", "phase", "general_purpose"
    }  # fmt: skip
    assert (got.utilisation, got.pue, got.count, got.hours, got.phase) == (None,) * 5


# --- the analysis on small documents ---------------------------------------------------------


def test_known_location_answer_through_the_analysis(host: PluginHost) -> None:
    doc = Document()
    iowa = ai(doc, "Trainer in Iowa", **a100_job("gcp us-central1"))
    zurich = ai(doc, "Trainer in Zürich", **a100_job("gcp europe-west6"))
    doc.add(Component(name="Operator", nature=Nature.HUMAN))
    findings = analyse(host, doc)
    assert {f.severity for f in findings} == {stipa.Severity.INFO}
    assert sorted(f.rule for f in findings) == [
        "footprint.note",
        "footprint.note",
        "footprint.summary",
    ]
    first, second = note_on(findings, iowa), note_on(findings, zurich)
    assert float(data(first)["emissions_kg"]) == pytest.approx(22.652)
    assert float(data(second)["emissions_kg"]) == pytest.approx(0.64)
    assert float(data(first)["energy_kwh"]) == pytest.approx(40)
    assert "22.7 kg CO2e" in first.message.splitlines()[0]
    assert "640 g CO2e" in second.message.splitlines()[0]
    assert "(range" not in first.message.splitlines()[0]  # every input given: no range
    # each note: inputs, formula, result, sources (in source and data)
    for note in (first, second):
        assert "Inputs:" in note.message and "Formula:" in note.message
        assert "Sources:" in note.message and "Elsewhere:" in note.message
        assert "Lacoste" in note.source and "Li et al" in note.source
        assert "ML CO2 Impact" in data(note)["sources"]
        assert "0.4 kW" in data(note)["formula"]
    # the location table of one note holds the same job in every region
    rows = {line.split("\t")[0]: line for line in data(first)["location"].splitlines()}
    assert rows.keys() == fp.load_constants().regions.keys()
    assert "22.652 kg CO2e" in rows["gcp us-central1"]
    assert "0.64 kg CO2e" in rows["gcp europe-west6"]
    # and the summary, without targets, adds both up
    total = summary(findings)
    assert total.targets == ()
    assert float(data(total)["emissions_kg"]) == pytest.approx(23.292)
    assert "Location sensitivity" in total.message
    assert "gcp europe-west6 (16 g/kWh): 1.28 kg CO2e" in total.message


def test_bloom_through_the_analysis(host: PluginHost) -> None:
    doc = Document()
    bloom = ai(
        doc,
        "BLOOM",
        phase="training",
        hardware=A100,
        count="1",
        hours=("1082990", "h"),
        pue="1",
        utilisation="1",
        region="Jean Zay (BLOOM)",
    )
    note = note_on(analyse(host, doc), bloom)
    assert float(data(note)["energy_kwh"]) == pytest.approx(433_196)
    assert float(data(note)["emissions_kg"]) == pytest.approx(24_692.2, abs=0.1)
    assert note.message.startswith("Training footprint of BLOOM: 433 MWh, 24.7 t CO2e")
    assert "Luccioni, Viguier & Ligozat" in data(note)["sources"]


def test_same_job_with_gpu_count_and_days(host: PluginHost) -> None:
    """8 devices for 0.5 d in W: the units convert, the result equals 4 A100-days in kW."""
    doc = Document()
    model = ai(doc, "M", **a100_job("France", count="8", hours=("0.5", "d")))
    [note] = [f for f in analyse(host, doc) if f.rule == "footprint.note"]
    assert float(data(note)["energy_kwh"]) == pytest.approx(8 * 0.4 * 12)
    assert note.targets == (model.id,)


def test_assumed_inputs_give_a_range(host: PluginHost) -> None:
    doc = Document()
    model = ai(doc, "M", phase="training", hardware=A100, count="4", hours=("10", "h"))
    note = note_on(analyse(host, doc), model)
    d = data(note)
    assert float(d["energy_kwh"]) == pytest.approx(4 * 0.4 * 10 * 1.58)
    assert float(d["energy_kwh_low"]) == pytest.approx(4 * 0.4 * 10 * 1.11)
    assert float(d["energy_kwh_high"]) == pytest.approx(4 * 0.4 * 10 * 1.67)
    assert float(d["emissions_kg_low"]) < float(d["emissions_kg"]) < float(d["emissions_kg_high"])
    assert "(range" in note.message.splitlines()[0]
    assert "PUE not given: 1.58 assumed" in note.message
    assert "Region not given: World average 475 g CO2e/kWh assumed" in note.message
    assert "Utilisation not given: 1 assumed" in note.message
    assert "Embodied emissions not given" in note.message


def test_inference_reports_per_query_and_total(host: PluginHost) -> None:
    doc = Document()
    bot = ai(
        doc,
        "Chat assistant",
        phase="inference",
        queries_per_day=("1000000", "1/d"),
        energy_per_query=("0.3", "Wh"),
        pue="1.2",
        region="Germany",
        hours=("30", "d"),
        general_purpose="true",
    )
    findings = analyse(host, doc, inference_growth="3", efficiency="1.5", years="5")
    note = note_on(findings, bot)
    d = data(note)
    assert float(d["energy_kwh"]) == pytest.approx(1e6 * 0.3 / 1000 * 30 * 1.2)
    assert float(d["per_query_wh"]) == pytest.approx(0.36)
    assert "Per query: 0.360 Wh" in note.message
    # rebound: per-query energy falls, the total rises
    assert float(d["per_unit_factor"]) == pytest.approx(1.5**-5, rel=1e-5)
    assert float(d["total_factor"]) == pytest.approx(2.0**5, rel=1e-5)
    assert "the per-unit efficiency improves and the total rises (rebound)" in note.message
    assert "General-purpose model" in note.message and "2311.16863" in d["sources"]
    total = summary(findings)
    assert (
        "Per query 0.360 Wh today, 0.0474 Wh in 5 years, while queries grow ×243" in total.message
    )


def test_scaling_options_and_defaults(host: PluginHost) -> None:
    doc = Document()
    ai(doc, "M", **a100_job("France"))
    total = summary(analyse(host, doc, growth="4", years="7"))
    d = data(total)
    assert float(d["volume_factor"]) == 16_384
    assert float(d["total_factor"]) == pytest.approx(16_384 / 1.5**7, rel=1e-5)
    assert d["scenario_options"] == "growth, years"
    assert "compute ×16,400 in 7 years at 4×/yr" in total.message
    default = data(summary(analyse(host, doc)))
    assert float(default["growth_per_year"]) == 4.7  # Epoch AI, from the constants file
    assert float(default["years"]) == 7
    assert float(default["total_factor_low"]) < float(default["total_factor"])
    assert "Epoch AI" in default["scenario_sources"]
    falling = summary(analyse(host, doc, growth="1.2", efficiency="1.5"))
    assert "the total does not rise" in falling.message


@pytest.mark.parametrize(
    ("option", "value"), [("growth", "fast"), ("years", "-1"), ("efficiency", "0")]
)
def test_bad_options_fail_clearly(host: PluginHost, option: str, value: str) -> None:
    doc = Document()
    ai(doc, "M", **a100_job("France"))
    outcome = run(host, doc, **{option: value})
    assert outcome.status == FAILED
    assert f"Option {option}={value!r}" in outcome.message


def test_missing_inputs_give_a_note_not_a_zero(host: PluginHost) -> None:
    doc = Document()
    partial = ai(doc, "Partial", phase="training", hardware=A100)
    empty = ai(doc, "Empty")
    inference = ai(doc, "Bot", phase="inference", queries_per_day=("10", "1/d"))
    findings = analyse(host, doc)
    first = note_on(findings, partial)
    assert first.rule == "footprint.inputs" and first.severity == stipa.Severity.INFO
    assert data(first)["missing"] == "number of devices (or measured power); hours"
    assert "nothing is counted as zero" in first.message
    assert data(note_on(findings, empty))["missing"] == "phase (training or inference)"
    assert "energy per query" in data(note_on(findings, inference))["missing"]
    total = summary(findings)
    assert data(total)["with_figures"] == "0"
    assert "Partial (number of devices (or measured power), hours)" in total.message


def test_wrong_and_missing_units_are_refused(host: PluginHost) -> None:
    doc = Document()
    model = ai(
        doc,
        "M",
        phase="training",
        power=("12", ""),
        hours=("100", "kW"),
        pue=("1.2", "h"),
        region="Atlantis",
    )
    note = note_on(analyse(host, doc), model)
    assert note.rule == "footprint.inputs" and note.severity == stipa.Severity.WARNING
    refused = data(note)["refused"]
    assert "Measured power 12 has no unit; give it in kW" in refused
    assert "Hours: 'kW' is not a unit of time" in refused
    assert "PUE is a pure number" in refused
    assert "Region 'Atlantis' is not in the constants file" in refused
    assert "energy_kwh" not in data(note)


def test_measured_power_replaces_hardware(host: PluginHost) -> None:
    doc = Document()
    model = ai(
        doc, "M", phase="training", power=("2500", "W"), hours=("10", "h"), pue="1.1",
        utilisation="0.5", region="France", hardware=A100,
    )  # fmt: skip
    note = note_on(analyse(host, doc), model)
    assert float(data(note)["energy_kwh"]) == pytest.approx(2.5 * 10 * 1.1)
    assert "Utilisation not applied" in note.message
    assert "measured power replaces them" in note.message


def test_embodied_share(host: PluginHost) -> None:
    doc = Document()
    model = ai(
        doc, "M", **a100_job("France", hours=("4383", "h"), embodied=("1", "t CO2e"),
                             lifetime=("1", "yr")),
    )  # fmt: skip
    note = note_on(analyse(host, doc), model)
    assert float(data(note)["embodied_kg"]) == pytest.approx(500)
    operational = 0.4 * 4383 * 51.28 / 1000
    assert float(data(note)["emissions_kg"]) == pytest.approx(operational + 500)
    alone = Document()
    other = ai(alone, "M", **a100_job("France", embodied=("1", "t")))
    assert "left out until the lifetime is given" in note_on(analyse(host, alone), other).message


def test_no_ai_components_no_findings(host: PluginHost) -> None:
    doc = Document()
    doc.add(Component(name="Scheduler", nature=Nature.SOFTWARE))
    assert analyse(host, doc) == []


def test_own_constants_through_the_option_and_environment(
    host: PluginHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, MINIMAL)
    doc = Document()
    model = ai(doc, "M", phase="training", hardware="Chip", count="1", hours=("10", "h"))
    note = note_on(analyse(host, doc, constants=str(path)), model)
    assert float(data(note)["energy_kwh"]) == pytest.approx(0.4 * 10 * 1.3)
    assert float(data(note)["emissions_kg"]) == pytest.approx(0.4 * 10 * 1.3 * 0.1)
    assert data(note)["constants"] == str(path)
    monkeypatch.setenv(fp.CONSTANTS_VARIABLE, str(path))
    assert data(note_on(analyse(host, doc), model))["constants"] == str(path)
    # hardware of another file is refused, not guessed
    monkeypatch.delenv(fp.CONSTANTS_VARIABLE)
    refused = note_on(analyse(host, doc), model)
    assert "Hardware 'Chip' is not in the constants file" in data(refused)["refused"]


def test_malformed_constants_fail_the_run_clearly(host: PluginHost, tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace("Our utility,2024", "Our utility,"))
    doc = Document()
    ai(doc, "M", **a100_job("France"))
    outcome = run(host, doc, constants=str(path))
    assert outcome.status == FAILED
    assert outcome.message.startswith("ConstantsError: Footprint constants file")
    assert f"{path}, line 4" in outcome.message and "needs the year" in outcome.message


def test_rerun_after_a_region_change_updates_the_same_note(host: PluginHost) -> None:
    doc = Document()
    model = ai(doc, "M", **a100_job("gcp us-central1"))
    apply_outcomes(doc, [run(host, doc)])
    [before] = [f for f in doc.findings.values() if f.targets == (model.id,)]
    assert float(data(before)["emissions_kg"]) == pytest.approx(22.652)
    changed = tuple(
        p.__class__(namespace=p.namespace, name=p.name, value="gcp europe-west6", unit=p.unit)
        if p.name == "region"
        else p
        for p in model.properties
    )
    doc.update(model.id, properties=changed)
    apply_outcomes(doc, [run(host, doc)])
    after = doc.findings[before.id]
    assert float(data(after)["emissions_kg"]) == pytest.approx(0.64)


def test_properties_survive_save_and_load() -> None:
    doc = Document()
    model = ai(doc, "M", **a100_job("gcp us-central1", embodied=("150", "kg")))
    again = stipa.loads(stipa.dumps(doc)).components[model.id]
    assert again.properties == model.properties
    got = fp.read_inputs(again)
    assert (got.hardware, got.hours, got.embodied_kg) == (A100, 100.0, 150.0)


def test_figures_are_finite_for_tiny_and_huge_jobs(host: PluginHost) -> None:
    doc = Document()
    tiny = ai(doc, "Tiny", **a100_job("Sweden", hours=("1", "s")))
    huge = ai(doc, "Huge", **a100_job("Poland", count="100000", hours=("1", "yr")))
    findings = analyse(host, doc)
    for model in (tiny, huge):
        d: Mapping[str, str] = data(note_on(findings, model))
        assert all(math.isfinite(float(d[k])) for k in ("energy_kwh", "emissions_kg", "water_l"))
    assert "mWh" not in note_on(findings, tiny).message


# --- every published input has a place (issue 20) -----------------------------------------------


def test_bloom_published_total_with_idle_infrastructure_and_embodied(host: PluginHost) -> None:
    """Luccioni, Viguier & Ligozat (JMLR 2023): dynamic 24.69 t (1,082,990 A100-hours at
    400 W: 433,196 kWh, at 57 g/kWh), idle consumption 14.6 t (at 57 g/kWh: 256.14 MWh) and
    embodied emissions 11.2 t: 50.5 t in all."""
    doc = Document()
    bloom = ai(
        doc, "BLOOM", phase="training", hardware=A100, count="1", hours=("1082990", "h"),
        utilisation="1", region="Jean Zay (BLOOM)", infrastructure_energy=("256.14", "MWh"),
        embodied_total=("11.2", "t"),
    )  # fmt: skip
    note = note_on(analyse(host, doc), bloom)
    figures = data(note)
    # the published total, within 1 %
    assert float(figures["emissions_kg"]) / 1000 == pytest.approx(50.5, rel=0.01)
    assert float(figures["energy_kwh"]) == pytest.approx(433_196 + 256_140)
    assert float(figures["embodied_kg"]) == pytest.approx(11_200)
    assert "PUE not given: 1, since the infrastructure energy is given as measured." in (
        note.message
    )
    assert "infrastructure energy 256 MWh" in note.message
    assert "Luccioni, Viguier & Ligozat" in figures["sources"]
    # idle energy of the devices counts with the PUE, as IT energy
    doc.update(bloom.id, properties=props(
        phase="training", hardware=A100, count="1", hours=("1082990", "h"), utilisation="1",
        region="Jean Zay (BLOOM)", idle_energy=("256140", "kWh"), pue="1",
    ))  # fmt: skip
    note = note_on(analyse(host, doc), bloom)
    assert float(data(note)["emissions_kg"]) / 1000 == pytest.approx(24.69 + 14.6, rel=0.01)
    assert float(data(note)["it_energy_kwh"]) == pytest.approx(433_196 + 256_140)


def test_green_algorithms_cores_and_memory_through_the_analysis(host: PluginHost) -> None:
    """Lannelongue et al. (2021): E = t × (cores × P_core × u + memory × 0.3725 W/GB) × PUE;
    12 h, 4 cores × 12 W, 16 GB, PUE 1.67, 475 g/kWh: 1.0814 kWh and 513.6 g CO2e."""
    doc = Document()
    job = ai(
        doc, "Pipeline", phase="training", cpu_cores="4", core_power=("12", "W"),
        memory=("16", "GB"), hours=("12", "h"), pue="1.67", region="World",
    )  # fmt: skip
    note = note_on(analyse(host, doc), job)
    assert float(data(note)["energy_kwh"]) == pytest.approx(1.0814, rel=0.01)
    assert float(data(note)["emissions_kg"]) * 1000 == pytest.approx(513.6, rel=0.01)
    assert "4 CPU cores at 12 W, utilisation 1" in note.message
    assert "memory 16 GB at 0.3725 W/GB" in note.message
    assert "Green Algorithms (Lannelongue, Grealey & Inouye" in data(note)["sources"]
    # a mixed CPU/GPU job is entered as described, not summed by hand
    doc.update(job.id, properties=props(
        phase="training", cpu_cores="4", core_power=("12", "W"), memory=("16", "GB"),
        hours=("12", "h"), pue="1", region="World", hardware=A100, count="2",
        utilisation="0.5",
    ))  # fmt: skip
    note = note_on(analyse(host, doc), job)
    expected = (4 * 12 + 16 * 0.3725 + 2 * 400 * 0.5) * 12 / 1000
    assert float(data(note)["energy_kwh"]) == pytest.approx(expected)
    # cores without their power are missing, not zero
    doc.update(job.id, properties=props(phase="training", cpu_cores="4", hours=("12", "h")))
    (inputs,) = [f for f in analyse(host, doc) if f.rule == "footprint.inputs"]
    assert "power per CPU core" in inputs.message


def test_generic_hardware_by_its_power(host: PluginHost) -> None:
    doc = Document()
    tpu = ai(doc, "TPU job", phase="training", tdp=("192", "W"), count="8",
             hours=("100", "h"), pue="1", region="France", utilisation="1")  # fmt: skip
    note = note_on(analyse(host, doc), tpu)
    assert float(data(note)["energy_kwh"]) == pytest.approx(8 * 0.192 * 100)
    assert "device power 192 W (TDP)" in note.message
    # a TDP without a number of devices is missing the count
    doc.update(tpu.id, properties=props(phase="training", tdp=("192", "W"), hours=("1", "h")))
    (inputs,) = [f for f in analyse(host, doc) if f.rule == "footprint.inputs"]
    assert "number of devices" in inputs.message


def test_water_on_and_off_site_with_own_factors(host: PluginHost) -> None:
    """Li et al. (2023): GPT-3's 1,287 MWh at PUE 1.17, WUE 0.55 and EWIF 3.142 L/kWh:
    0.708 million litres on site, 4.731 off site, 5.439 in all."""
    doc = Document()
    gpt3 = ai(doc, "GPT-3", phase="training", power=("1287", "kW"), hours=("1000", "h"),
              pue="1.17", region="United States")  # fmt: skip
    figures = data(note_on(analyse(host, doc), gpt3))
    assert float(figures["water_onsite_l"]) / 1e6 == pytest.approx(0.708, rel=0.01)
    assert float(figures["water_offsite_l"]) / 1e6 == pytest.approx(4.731, rel=0.01)
    assert float(figures["water_l"]) / 1e6 == pytest.approx(5.439, rel=0.01)
    # factors of this component replace the region's, and say so
    doc.update(gpt3.id, properties=(*gpt3.properties, *props(wue=("0.2", "L/kWh"),
               water_intensity=("1", "L/kWh"))))  # fmt: skip
    note = note_on(analyse(host, doc), gpt3)
    assert float(data(note)["water_onsite_l"]) == pytest.approx(1_287_000 * 0.2)
    assert float(data(note)["water_offsite_l"]) == pytest.approx(1_287_000 * 1.17)
    assert "on-site water 0.2 L/kWh (this component's)" in note.message
    assert "m³ on site" in note.message


def test_carbon_intensity_per_component(host: PluginHost) -> None:
    doc = Document()
    job = ai(doc, "Job", **a100_job("Poland", carbon_intensity=("20", "g/kWh")))
    note = note_on(analyse(host, doc), job)
    assert float(data(note)["emissions_kg"]) == pytest.approx(40 * 20 / 1000)
    assert "carbon intensity 20 g CO2e/kWh (this component's)" in note.message
    doc.update(job.id, properties=props(**a100_job("Poland")))
    assert float(data(note_on(analyse(host, doc), job))["emissions_kg"]) == pytest.approx(
        40 * 759.62 / 1000
    )


def test_water_factors_say_where_no_regional_figure_exists(
    host: PluginHost, tmp_path: Path
) -> None:
    table = fp.load_constants()
    doc = Document()
    # France: the WRI figure of its grid off site, no published on-site figure (U.S. average)
    job = ai(doc, "Job", **a100_job("France"))
    note = note_on(analyse(host, doc), job)
    figures = data(note)
    energy = float(figures["it_energy_kwh"])  # PUE 1: IT energy = energy
    assert float(figures["water_onsite_l"]) == pytest.approx(energy * 0.55)
    assert float(figures["water_offsite_l"]) == pytest.approx(energy * 3.6737)
    assert (
        "No published on-site water factor for France in the constants file: the U.S. average "
        "(Li et al.), 0.55 L/kWh, used." in note.message
    )
    offsite = table.get("water_offsite", "France")
    assert offsite is not None
    assert f"off-site water for France: {offsite.cited}" in note.message
    assert "on-site water (default): Li et al." in figures["sources"]
    # Sweden: both published (Microsoft's Swedish data centres; WRI), nothing assumed
    swedish = ai(doc, "Swedish job", **a100_job("Sweden"))
    sweden = note_on(analyse(host, doc), swedish)
    assert float(data(sweden)["water_onsite_l"]) == pytest.approx(energy * 0.09)
    assert float(data(sweden)["water_offsite_l"]) == pytest.approx(energy * 6.0315)
    assert "No published" not in sweden.message
    assert "on-site water for Sweden: Microsoft's data centres in Sweden" in sweden.message
    assert "off-site water for Sweden: WRI method (Reig et al." in sweden.message
    # the United States: one source for both, as Li et al. give them
    us_job = ai(doc, "US job", **a100_job("United States"))
    us = note_on(analyse(host, doc), us_job)
    assert "No published" not in us.message
    assert "water factors for United States: Li et al." in us.message
    # an organisation's file with a region of neither: both defaults, said once
    own = write(tmp_path, MINIMAL)
    other = ai(Document(), "Other", **a100_job("Elsewhere", hardware="Chip"))
    elsewhere = Document()
    elsewhere.add(other)
    found = note_on(analyse(host, elsewhere, constants=str(own)), other)
    assert (
        "No published water factors for Elsewhere in the constants file: the default used "
        "(1 L/kWh on site, 2 L/kWh off site)." in found.message
    )
    # the location table counts each region with its own factors, and the summary names the
    # regions whose factors are the default
    rows = {line.split("\t")[0]: line for line in figures["location"].splitlines()}
    swedish_litres = float(rows["Sweden"].split("\t")[3].removesuffix(" L"))
    assert swedish_litres == pytest.approx(energy * (0.09 + 6.0315))
    table_note = summary(analyse(host, doc)).message
    assert "No published on-site water factor for World, France, Germany," in table_note
    assert "Sweden" not in table_note.split("No published on-site water factor")[1]
    assert "No published off-site" not in table_note


@pytest.mark.parametrize(("onsite", "offsite"), [(True, True), (True, False), (False, True)])
def test_each_water_factor_is_the_regions_own_or_said_to_be_the_default(
    host: PluginHost, tmp_path: Path, onsite: bool, offsite: bool
) -> None:
    """On site and off site are looked up separately; each missing one is named, once."""
    rows = MINIMAL
    if onsite:
        rows += "water_onsite,Elsewhere,0.3,,,L/kWh,,Operator report,2025\n"
    if offsite:
        rows += "water_offsite,Elsewhere,5,,,L/kWh,,Grid study,2020\n"
    own = write(tmp_path, rows)
    doc = Document()
    job = ai(doc, "Job", **a100_job("Elsewhere", hardware="Chip"))
    note = note_on(analyse(host, doc, constants=str(own)), job)
    figures = data(note)
    energy = float(figures["it_energy_kwh"])
    assert float(figures["water_onsite_l"]) == pytest.approx(energy * (0.3 if onsite else 1))
    assert float(figures["water_offsite_l"]) == pytest.approx(energy * (5 if offsite else 2))
    assert ("on-site water for Elsewhere: Operator report (2025)" in note.message) == onsite
    assert ("off-site water for Elsewhere: Grid study (2020)" in note.message) == offsite
    assert note.message.count("No published") == (not onsite) + (not offsite)
    for missing in [m for m, own in (("on-site", onsite), ("off-site", offsite)) if not own]:
        assert f"No published {missing} water factor for Elsewhere in the constants file" in (
            note.message
        )
        assert f"{missing} water (default): Our report (2024)" in note.message


def test_scaling_distinguishes_training_compute_from_inference_volume(
    host: PluginHost, tmp_path: Path
) -> None:
    doc = Document()
    trainer = ai(doc, "Trainer", **a100_job("France"))
    bot = ai(doc, "Assistant", phase="inference", queries_per_day=("1000", "1/d"),
             energy_per_query=("3", "Wh"), pue="1", region="France")  # fmt: skip
    # the bundled defaults: training compute at Epoch AI's 4.7x a year, queries at the growth
    # of Google's tokens a month (May 2025 to May 2026), each cited with its period
    findings = analyse(host, doc)
    default = data(summary(findings))
    assert default["growth_per_year"] == "4.7"
    assert default["inference_growth_per_year"] == "6.67"
    assert float(default["inference_total_factor"]) == pytest.approx((6.67 / 1.5) ** 7, rel=1e-5)
    assert float(default["total_factor"]) == pytest.approx((4.7 / 1.5) ** 7, rel=1e-5)
    assert "inference growth: Google I/O 2026 keynote" in default["scenario_sources"]
    assert "no published multi-year" not in default["scenario_sources"]
    message = note_on(findings, bot).message
    assert "queries ×" in message and "at 6.67×/yr" in message
    assert "(queries grow as Google's AI tokens processed a month, May 2025 to May 2026)" in message
    assert "inference growth: Google I/O 2026 keynote" in message
    assert "inference growth: Google" in data(note_on(findings, bot))["sources"]
    assert float(data(note_on(findings, bot))["total_factor"]) == pytest.approx(
        (6.67 / 1.5) ** 7, rel=1e-5
    )
    assert "Google" not in note_on(findings, trainer).message
    assert "at 4.7×/yr" in note_on(findings, trainer).message
    # an option for the queries changes inference only
    findings = analyse(host, doc, inference_growth="2", efficiency="1", years="3")
    assert float(data(note_on(findings, bot))["total_factor"]) == pytest.approx(8)
    assert "(queries grow at the option inference_growth)" in note_on(findings, bot).message
    total = data(summary(findings))
    assert float(total["total_factor"]) == pytest.approx(4.7**3, rel=1e-6)
    assert float(total["inference_total_factor"]) == pytest.approx(8)
    assert "inference growth" not in total["scenario_sources"]
    # or a row of an organisation's constants file, cited
    bundled = fp.bundled_constants_path().read_text(encoding="utf-8")
    own = tmp_path / "own.csv"
    own.write_text(
        "".join(line for line in bundled.splitlines(True) if "inference_growth," not in line)
        + "inference_growth,Our traffic plan,1.5,,,,yes,Our capacity plan 2025,2025\n",
        encoding="utf-8",
    )
    findings = analyse(host, doc, constants=str(own), efficiency="1", years="2")
    assert float(data(note_on(findings, bot))["total_factor"]) == pytest.approx(2.25)
    assert (
        "inference growth: Our capacity plan 2025 (2025)"
        in data(summary(findings))["scenario_sources"]
    )
    # a file without such a row: the training growth, and the note says so
    minimal = write(tmp_path, MINIMAL)
    doc = Document()
    bot = ai(doc, "Assistant", phase="inference", queries_per_day=("1000", "1/d"),
             energy_per_query=("3", "Wh"), pue="1", region="Elsewhere")  # fmt: skip
    findings = analyse(host, doc, constants=str(minimal))
    assert float(data(summary(findings))["inference_growth_per_year"]) == 2
    assert "the training-compute growth is used)." in note_on(findings, bot).message
    assert (
        "no published multi-year growth of inference volume"
        in data(summary(findings))["scenario_sources"]
    )
