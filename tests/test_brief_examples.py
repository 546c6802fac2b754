"""The examples from the policy brief: four sociotechnical AI systems, fully analysed.

Each example is built by its script in ``resources/examples/scripts`` through the public API,
analysed by the built-in analyses, and saved. These tests check that every committed file is
what its script builds, that it validates, opens, is laid out without overlaps and analyses
cleanly, and that the findings that tell each example's story fire (and those that must not,
do not).
"""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

import stipa
from stipa import io
from stipa.analysis import AnalysisOutcome, apply_outcomes
from stipa.diagram.containers import TITLE_HEIGHT
from stipa.plugin import PluginHost
from stipa.resources import examples

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from stipa.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
EXAMPLES = RESOURCES / "examples"
SCRIPTS = EXAMPLES / "scripts"

BUILT_IN = ("stipa.footprint", "stipa.hazards", "stipa.responsibility")
HAZARDS, RESPONSIBILITY = "stipa.hazards", "stipa.responsibility"

#: File stem -> (script stem, arguments of its ``build``).
CASES: dict[str, tuple[str, tuple[object, ...]]] = {
    "language-model-citizen-assistant": ("language_model_citizen_assistant", ()),
    "benefits-fraud-risk-scoring": ("benefits_fraud_risk_scoring", (False,)),
    "benefits-fraud-risk-scoring-mitigated": ("benefits_fraud_risk_scoring", (True,)),
    "aviation-weather-prediction": ("aviation_weather_prediction", ()),
    "facial-recognition-policing": ("facial_recognition_policing", ()),
}
NAMES = list(CASES)


def _script(stem: str) -> ModuleType:
    path = SCRIPTS / f"{stem}.py"
    spec = importlib.util.spec_from_file_location(f"_brief_example_{stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _path(name: str) -> Path:
    return EXAMPLES / f"{name}.stipa"


@pytest.fixture(scope="module")
def host() -> PluginHost:
    found = PluginHost().discover()
    missing = [a for a in BUILT_IN if a not in found.analyses]
    assert not missing, f"built-in analyses not installed ({missing}): pip install -e ."
    return found


@pytest.fixture(scope="module")
def docs() -> dict[str, stipa.Document]:
    return {name: io.load(_path(name)) for name in NAMES}


def _run(
    host: PluginHost, doc: stipa.Document, analyses: tuple[str, ...] = BUILT_IN
) -> list[AnalysisOutcome]:
    """Run analyses as the example scripts do."""
    return stipa.analyse(doc, analyses, host=host, apply=False).outcomes


def _component(doc: stipa.Document, name: str) -> str:
    (found,) = [c.id for c in doc.components.values() if c.name == name]
    return found


def _findings(
    doc: stipa.Document, plugin: str, rule: str, target: str | None = None
) -> list[stipa.Finding]:
    return [
        f
        for f in doc.findings.values()
        if f.plugin == plugin and f.rule == rule and (target is None or target in f.targets)
    ]


# --- every example ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_file_is_what_its_script_builds(name: str, host: PluginHost) -> None:
    stem, args = CASES[name]
    built = io.dumps(_script(stem).build(*args))
    assert built == _path(name).read_bytes(), (
        f"{name}.stipa is out of date: run resources/examples/scripts/{stem}.py"
    )


@pytest.mark.parametrize("name", NAMES)
def test_validates(name: str, docs: dict[str, stipa.Document]) -> None:
    assert io.validate(_path(name)) == []
    assert docs[name].check() == []


@pytest.mark.parametrize("name", NAMES)
def test_is_listed_under_file_examples(name: str) -> None:
    assert _path(name).resolve() in [p.resolve() for p in examples()]


@pytest.mark.gui
@pytest.mark.parametrize("name", NAMES)
def test_opens_on_the_canvas(name: str, docs: dict[str, stipa.Document], qapp: object) -> None:
    from stipa.ui.canvas.scene import DiagramScene

    doc = docs[name]
    scene = DiagramScene(doc)
    try:
        rect = scene.itemsBoundingRect()
        assert rect.width() > 0 and rect.height() > 0
        for cid, layout in doc.node_layout.items():
            # a frame is picked by its title bar (its inside belongs to what it holds)
            frame = scene.components[cid].drawn_as_frame
            y = layout.y + (TITLE_HEIGHT / 2 if frame else 30)
            assert scene.itemAt(layout.x + layout.width / 2, y, _identity()), cid
    finally:
        scene.deleteLater()


def _nested(doc: stipa.Document, inner: str, outer: str) -> bool:
    """Whether ``inner`` lies inside ``outer`` (at any depth)."""
    return inner in doc.descendants_of(outer)


def _identity() -> object:
    from PySide6.QtGui import QTransform

    return QTransform()


@pytest.mark.parametrize("name", NAMES)
def test_layout_without_overlaps(name: str, docs: dict[str, stipa.Document]) -> None:
    doc = docs[name]
    layout = doc.node_layout
    assert set(layout) == set(doc.components)
    for a, b in itertools.combinations(layout.values(), 2):
        if _nested(doc, a.id, b.id) or _nested(doc, b.id, a.id):
            continue  # a container holds its contents
        apart_x = max(a.x, b.x) - min(a.x + a.width, b.x + b.width)
        apart_y = max(a.y, b.y) - min(a.y + a.height, b.y + b.height)
        assert max(apart_x, apart_y) >= 60, f"{doc.components[a.id].name} / {b.id}"
    for box in layout.values():
        assert box.width >= 160 and box.height >= 70
    for link in doc.links.values():
        source, target = layout[link.source], layout[link.target]
        if link.kind == stipa.LinkKind.CONTROL_ACTION:
            assert source.y < target.y, f"control action {link.label!r} does not point down"
        elif link.kind == stipa.LinkKind.FEEDBACK:
            assert source.y > target.y, f"feedback {link.label!r} does not point up"


@pytest.mark.parametrize("name", NAMES)
def test_analyses_run_clean_and_the_findings_are_current(name: str, host: PluginHost) -> None:
    doc = io.load(_path(name))
    outcomes = _run(host, doc)
    assert [o.analysis.id for o in outcomes] == list(BUILT_IN)
    for outcome in outcomes:
        assert outcome.status == "ok", (outcome.analysis.id, outcome.message)
        assert outcome.problems == [], (outcome.analysis.id, outcome.problems)
    assert not apply_outcomes(doc, outcomes), "the saved findings differ from a fresh run"


@pytest.mark.parametrize("name", NAMES)
def test_a_complete_stpa(name: str, docs: dict[str, stipa.Document]) -> None:
    doc = docs[name]
    assert doc.info.title and doc.info.description and doc.info.author == "Stipa examples"
    for table in ("losses", "hazards", "constraints", "responsibilities", "ucas", "scenarios"):
        assert len(getattr(doc, table)) >= 3, table
    natures = {c.nature for c in doc.components.values()}
    assert {stipa.Nature.HUMAN, stipa.Nature.ORGANISATION, stipa.Nature.REGULATOR} <= natures
    assert stipa.Nature.AI_MODEL in natures
    accepted = {u.id for u in doc.ucas.values() if u.status == stipa.UCAStatus.ACCEPTED}
    assert accepted
    inverted = {uca for cc in doc.controller_constraints.values() for uca in cc.ucas}
    explained = {uca for ls in doc.scenarios.values() for uca in ls.ucas}
    assert accepted <= inverted, "an accepted UCA without a controller constraint"
    assert accepted <= explained, "an accepted UCA without a loss scenario"
    for uca in doc.ucas.values():
        assert uca.hazards or (uca.status == stipa.UCAStatus.NOT_APPLICABLE and uca.rationale)
    # every control action the analysis takes up has all four UCA types decided
    for action in {u.action for u in doc.ucas.values()}:
        types = {u.type for u in doc.ucas.values() if u.action == action}
        assert types == set(stipa.UCAType), action
    for hazard in doc.hazards.values():
        assert any(hazard.id in sc.hazards for sc in doc.constraints.values()), hazard.id
    for cid, component in doc.components.items():
        if component.kind == stipa.ComponentKind.CONTROLLER:
            assert component.variables, component.name
            assert any(r.owner == cid for r in doc.responsibilities.values()), component.name


@pytest.mark.parametrize("name", NAMES)
def test_decisions_carry_their_rationale(name: str, docs: dict[str, stipa.Document]) -> None:
    doc = docs[name]
    decided = [f for f in doc.findings.values() if f.disposition != stipa.Disposition.OPEN]
    assert decided, "the analyst decided nothing"
    for finding in decided:
        assert len(finding.rationale) > 40, finding.id
    for suggestion in doc.suggestions.values():
        if suggestion.status != stipa.SuggestionStatus.OPEN:
            assert len(suggestion.rationale) > 40, suggestion.id
    # the story findings stay open: an analyst does not wave them away
    for finding in doc.findings.values():
        if finding.rule in ("moral-crumple-zone", "unassigned-hazard", "stpa.ai-general-purpose"):
            assert finding.disposition == stipa.Disposition.OPEN, finding.id


# --- the stories -----------------------------------------------------------------------------


def test_language_model_is_a_general_purpose_model_in_a_hazardous_loop(
    docs: dict[str, stipa.Document],
) -> None:
    doc = docs["language-model-citizen-assistant"]
    model = _component(doc, "General-purpose language model")
    (general,) = _findings(doc, HAZARDS, "stpa.ai-general-purpose")
    assert general.targets[0] == model
    # only the model is general-purpose: not the provider, the office or the filter
    assert all(f.targets[0] == model for f in _findings(doc, HAZARDS, "stpa.ai-general-purpose"))


def test_language_model_leaves_the_lay_citizen_in_a_moral_crumple_zone(
    docs: dict[str, stipa.Document],
) -> None:
    doc = docs["language-model-citizen-assistant"]
    citizen = _component(doc, "Citizen")
    (zone,) = _findings(doc, RESPONSIBILITY, "moral-crumple-zone")
    assert zone.targets[0] == citizen
    assert zone.severity == stipa.Severity.ERROR
    assert dict(zone.data)["lay_user"] == "yes"
    # the supervisor of the deployer learns nothing of how the assistant performs
    authority = _component(doc, "Market-surveillance authority")
    assert _findings(doc, RESPONSIBILITY, "responsibility-without-observability", authority)
    # and a footprint note reports per-query figures next to the yearly total (rebound)
    (note,) = _findings(doc, "stipa.footprint", "footprint.note")
    assert "per_query_wh" in dict(note.data)


def test_fraud_scoring_makes_case_workers_and_applicants_moral_crumple_zones(
    docs: dict[str, stipa.Document],
) -> None:
    doc = docs["benefits-fraud-risk-scoring"]
    zones = {f.targets[0]: f for f in _findings(doc, RESPONSIBILITY, "moral-crumple-zone")}
    case_workers, applicant = _component(doc, "Case worker"), _component(doc, "Applicant")
    assert set(zones) == {case_workers, applicant}
    missing = dict(zones[case_workers].data)["missing"]
    for means in ("feedback", "uncertainty", "override", "time_to_act"):
        assert means in missing
    assert dict(zones[applicant].data)["lay_user"] == "yes"
    # contesting a decision rests on the applicant alone: no organisation answers for it
    broken = _findings(doc, RESPONSIBILITY, "broken-accountability-chain")
    assert broken and all("SC-2" in f.targets for f in broken)
    # the data science team never sees the model in operation
    team = _component(doc, "Data science team")
    assert _findings(doc, RESPONSIBILITY, "responsibility-without-observability", team)


def test_fraud_scoring_mitigations_clear_the_responsibility_findings(
    docs: dict[str, stipa.Document],
) -> None:
    before, after = (
        docs["benefits-fraud-risk-scoring"],
        docs["benefits-fraud-risk-scoring-mitigated"],
    )
    assert not _findings(after, RESPONSIBILITY, "moral-crumple-zone")
    open_after = [
        f
        for f in after.findings.values()
        if f.plugin == RESPONSIBILITY and f.disposition == stipa.Disposition.OPEN
    ]
    assert open_after == []
    rules_before = {f.rule for f in before.findings.values() if f.plugin == RESPONSIBILITY}
    assert {
        "moral-crumple-zone",
        "broken-accountability-chain",
        "responsibility-without-observability",
        "responsibility-without-authority",
    } <= rules_before
    # the mitigations are in the structure: confidence feedback, an override, a contest
    # channel, monitoring that reaches the oversight body
    items = {item.name for link in after.links.values() for item in link.items}
    assert "Risk score with confidence and main reasons" in items
    assert "Dismiss flag (mark unfounded)" in items
    assert "Objection or appeal" in items
    assert "Model monitoring reports" in items
    case_workers = after.components[_component(after, "Case worker")]
    assert case_workers.property(
        "https://stipa.dev/ns/responsibility", "time-to-act"
    ) == stipa.Property(
        namespace="https://stipa.dev/ns/responsibility", name="time-to-act", value="sufficient"
    )


def test_weather_model_is_unreliable_but_not_relied_on_alone(
    docs: dict[str, stipa.Document],
) -> None:
    doc = docs["aviation-weather-prediction"]
    model = _component(doc, "AI weather model")
    assert not _findings(doc, HAZARDS, "stpa.ai-reliability-only")
    # a hazard whose constraints only the model is responsible for exists...
    only_model = [
        h.id
        for h in doc.hazards.values()
        if {
            r.owner
            for r in doc.responsibilities.values()
            for sc in r.constraints
            if h.id in doc.constraints[sc].hazards
        }
        == {model}
    ]
    assert only_model == ["H-4"]
    # ...and every hazard to people is held by trained people as well
    people = {
        r.owner
        for r in doc.responsibilities.values()
        if doc.components[r.owner].nature == stipa.Nature.HUMAN
        and doc.components[r.owner].training
        in (stipa.TrainingLevel.EXPERT, stipa.TrainingLevel.TRAINED)
    }
    assert {_component(doc, "Flight crew"), _component(doc, "Aviation forecaster")} <= people
    assert not _findings(doc, RESPONSIBILITY, "moral-crumple-zone")


def test_weather_model_without_its_independent_checks_would_rest_on_reliability(
    host: PluginHost,
) -> None:
    """Take away the people and the service around the model: the check fires."""
    doc = io.load(_path("aviation-weather-prediction"))
    model = _component(doc, "AI weather model")
    around = [
        link.id
        for link in doc.links.values()
        if model in (link.source, link.target)
        and doc.components[link.target if link.source == model else link.source].kind
        == stipa.ComponentKind.CONTROLLER
    ]
    assert len(around) >= 4
    doc.remove(*around)
    (outcome,) = _run(host, doc, (HAZARDS,))
    found = [f for f in outcome.findings if f.rule == "stpa.ai-reliability-only"]
    assert [f.targets[:2] for f in found] == [("H-4", model)]


def test_facial_recognition_is_reliable_and_the_hazards_come_from_around_it(
    docs: dict[str, stipa.Document],
) -> None:
    doc = docs["facial-recognition-policing"]
    system = _component(doc, "Facial recognition system")
    # nothing blames the model or the operator who checks it
    assert not _findings(doc, HAZARDS, "stpa.ai-reliability-only")
    assert not _findings(doc, RESPONSIBILITY, "moral-crumple-zone")
    errors = [f for f in doc.findings.values() if f.severity == stipa.Severity.ERROR]
    assert errors and all(system not in f.targets for f in errors)
    # who goes on the watchlist, and who scrutinises the use, is nobody's responsibility
    unassigned = {f.targets[0] for f in _findings(doc, RESPONSIBILITY, "unassigned-hazard")}
    watchlist_hazard = next(h.id for h in doc.hazards.values() if "watchlist" in h.text)
    scrutiny_hazard = next(h.id for h in doc.hazards.values() if "scrutiny" in h.text)
    assert unassigned == {watchlist_hazard, scrutiny_hazard}
    model_constraints = {
        sc for r in doc.responsibilities.values() if r.owner == system for sc in r.constraints
    }
    for hazard in unassigned:
        traced = {sc.id for sc in doc.constraints.values() if hazard in sc.hazards}
        assert not traced & model_constraints
    # so the rights losses cannot be traced up to anyone who answers for them
    broken = {f.targets[0] for f in _findings(doc, RESPONSIBILITY, "broken-accountability-chain")}
    assert {"L-1", "L-3"} <= broken
    dpa = _component(doc, "Data-protection authority")
    assert _findings(doc, RESPONSIBILITY, "responsibility-without-observability", dpa)


# --- in the application ----------------------------------------------------------------------


def _window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, host: PluginHost) -> MainWindow:
    from PySide6.QtWidgets import QMessageBox

    from stipa.ui.main_window import MainWindow

    window = MainWindow(host=host)
    monkeypatch.setattr(window, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
    qtbot.addWidget(window)
    return window


def _plain(text: str) -> str:
    return text.replace("&", "").replace("…", "").strip()


@pytest.mark.gui
def test_examples_menu_opens_every_example(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, host: PluginHost
) -> None:
    window = _window(qtbot, monkeypatch, host)
    labels = {_plain(a.text()): a for a in window.examples_menu.actions()}
    for name in NAMES:
        label = name.replace("-", " ").capitalize()
        assert label in labels, label
        labels[label].trigger()
        assert window.document.info.title == io.load(_path(name)).info.title
        assert len(window.diagram.components) == len(window.document.components)


@pytest.mark.gui
def test_help_getting_started_shows_the_guide_beside_the_window(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, host: PluginHost
) -> None:
    from PySide6.QtWidgets import QDialog, QTextBrowser

    window = _window(qtbot, monkeypatch, host)
    action = window.actions_by_name["getting_started"]
    assert action.objectName() == "action.getting_started"
    assert action in window.help_menu.actions()
    assert action.toolTip() and action.shortcuts()
    action.trigger()
    dialog = window.findChild(QDialog, "dialog.getting_started")
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    browser = dialog.findChild(QTextBrowser, "help.browser")
    assert browser is not None
    text = browser.toPlainText()
    assert text.startswith("Getting started with Stipa")
    action.trigger()  # a second time: the same window comes to the front
    assert window.findChildren(QDialog, "dialog.getting_started") == [dialog]


@pytest.mark.gui
def test_getting_started_names_what_the_application_really_has(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, host: PluginHost
) -> None:
    from stipa.resources import read_text

    window = _window(qtbot, monkeypatch, host)
    page = read_text("help", "getting-started.html").replace("&hellip;", "").replace("&gt;", ">")
    page = " ".join(page.split())
    menus = {_plain(a.text()) for a in window.menuBar().actions()}
    for menu in ("File", "Edit", "View", "Analysis", "Help"):
        assert menu in menus
    for name in (
        "new",
        "save",
        "rename",
        "undo",
        "zoom_fit",
        "run_analyses",
        "responsibility_matrix",
        "accountability_chain",
        "export_xlsx",
        "import_xlsx",
    ):
        assert _plain(window.actions_by_name[name].text()) in page, name
    if "export" in window.actions_by_name:  # File > Export… (the export dialog)
        assert _plain(window.actions_by_name["export"].text()) in page
    for preset in ("Controller", "AI model", "Human operator", "Lay user", "Regulator"):
        assert preset in page
    for label in (name.replace("-", " ").capitalize() for name in NAMES):
        assert label in page
