"""Broken plugins never take the application, the document or the other plugins down.

Throwaway distributions are written into a folder on ``sys.path`` and found through their
real ``stipa.plugins`` entry points: a failing import, ``SystemExit`` on import, a missing
module, a failing registration (unknown hook, wrong hook signature), hooks that raise or
return garbage, a duplicate analysis id, and analyses that raise, return garbage, never
return or try to change the snapshot. Next to them a good plugin keeps working, the document
is unchanged, and every failure names its plugin — in the host, in ``stipa plugins`` and in
``stipa analyze``. The environment may hold other plugins (the built-ins); the assertions
look only at the ones written here.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import stipa
from stipa.analysis import CANCELLED, FAILED, OK, TIMED_OUT, AnalysisRunner, apply_outcomes
from stipa.cli import main
from stipa.plugin import DISABLE_VARIABLE, PluginHost
from stipa.testing import generate_document

GOOD = """
    import stipa

    NS = "https://good.example/stipa"

    def run(context):
        for component in context.snapshot.components.values():
            if component.nature == "ai_model":
                yield context.finding(
                    "iso.good-ai", f"{component.name} is an AI model.",
                    targets=[component.id], severity="error",
                )

    @stipa.hookimpl
    def stipa_analyses():
        return [stipa.Analysis(id="iso.good", title="Good analysis", run=run)]

    @stipa.hookimpl
    def stipa_component_properties():
        return [stipa.PropertySpec(namespace=NS, name="vendor", label="Vendor")]
"""

#: The analyses of the plugin ``iso-runtime``, each misbehaving in its own way.
RUNTIME = """
    import threading
    import stipa

    RELEASE = threading.Event()  # set by the tests' teardown

    def raises(context):
        raise ValueError("the policy table is missing")

    def exits(context):
        raise SystemExit(3)

    def not_iterable(context):
        return 42

    def garbage(context):
        yield 42
        yield "a string"
        yield stipa.Finding(plugin="someone.else", rule="x", message="Not mine.")
        yield context.finding("iso.garbage", "Points nowhere.", targets=["C-999"])
        yield context.finding("iso.garbage", "Valid.", targets=["C-1"])

    def hangs(context):
        RELEASE.wait()
        return []

    def mutates_table(context):
        first = next(iter(context.snapshot.components))
        context.snapshot.components[first] = None

    def mutates_record(context):
        component = next(iter(context.snapshot.components.values()))
        component.name = "Hijacked"

    def mutates_snapshot(context):
        context.snapshot.extensions = ()

    def mutates_graph(context):
        context.graph.clear()  # the graph is the analysis's own copy: harmless
        return []

    def analysis(ident, run):
        return stipa.Analysis(id=ident, title=ident, run=run)

    @stipa.hookimpl
    def stipa_analyses():
        return [
            analysis("iso.raises", raises),
            analysis("iso.exits", exits),
            analysis("iso.not-iterable", not_iterable),
            analysis("iso.garbage", garbage),
            analysis("iso.hangs", hangs),
            analysis("iso.mutates-table", mutates_table),
            analysis("iso.mutates-record", mutates_record),
            analysis("iso.mutates-snapshot", mutates_snapshot),
            analysis("iso.mutates-graph", mutates_graph),
        ]
"""

#: plugin name -> (distribution, module name, source)
BROKEN = {
    "iso-import-error": ("iso-import-error", "iso_import_error", "import iso_no_such_module\n"),
    "iso-system-exit": ("iso-system-exit", "iso_system_exit", "raise SystemExit('bye')\n"),
    "iso-bad-hook-name": (
        "iso-bad-hook-name",
        "iso_bad_hook_name",
        "import stipa\n\n@stipa.hookimpl\ndef stipa_analysis():\n    return []\n",
    ),
    "iso-wrong-signature": (
        "iso-wrong-signature",
        "iso_wrong_signature",
        "import stipa\n\n@stipa.hookimpl\ndef stipa_analyses(document):\n    return []\n",
    ),
    "iso-hook-raises": (
        "iso-hook-raises",
        "iso_hook_raises",
        "import stipa\n\n@stipa.hookimpl\ndef stipa_analyses():\n"
        "    raise RuntimeError('cannot read the policy database')\n",
    ),
    "iso-hook-garbage": (
        "iso-hook-garbage",
        "iso_hook_garbage",
        "import stipa\n\n@stipa.hookimpl\ndef stipa_analyses():\n    return ['iso.text', 42]\n",
    ),
    "iso-twin": (
        "iso-twin",
        "iso_twin",
        "import stipa\n\n@stipa.hookimpl\ndef stipa_analyses():\n"
        "    return [stipa.Analysis(id='iso.good', title='Twin', run=lambda c: [])]\n",
    ),
}

#: plugin name -> (phase of its failure, words its message contains, status afterwards)
EXPECTED_FAILURES = {
    "iso-import-error": ("load", "iso_no_such_module", "failed"),
    "iso-system-exit": ("load", "SystemExit", "failed"),
    "iso-missing-module": ("load", "iso_nowhere", "failed"),
    "iso-bad-hook-name": ("register", "stipa_analysis is not a Stipa hook", "failed"),
    "iso-wrong-signature": ("register", "document", "failed"),
    "iso-hook-raises": ("stipa_analyses", "cannot read the policy database", "active"),
    "iso-hook-garbage": ("stipa_analyses", "returned str", "active"),
    "iso-twin": ("stipa_analyses", "iso.good is already used by iso-good", "active"),
}

#: analysis id -> (status, words its message contains)
EXPECTED_RUNS = {
    "iso.raises": (FAILED, "ValueError: the policy table is missing"),
    "iso.exits": (FAILED, "SystemExit"),
    "iso.not-iterable": (FAILED, "TypeError"),
    "iso.garbage": (OK, ""),
    "iso.hangs": (TIMED_OUT, "Did not finish within 0.5 s"),
    "iso.mutates-table": (FAILED, "TypeError"),
    "iso.mutates-record": (FAILED, "FrozenInstanceError"),
    "iso.mutates-snapshot": (FAILED, "AttributeError"),
    "iso.mutates-graph": (OK, ""),
}


@pytest.fixture
def zoo(site: Path, write_dist: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every broken plugin, the misbehaving analyses and one good plugin, installed."""
    monkeypatch.delenv(DISABLE_VARIABLE, raising=False)
    write_dist("iso-good", {"iso_good": GOOD}, {"iso-good": "iso_good"}, version="1.2")
    write_dist("iso-runtime", {"iso_runtime": RUNTIME}, {"iso-runtime": "iso_runtime"})
    write_dist("iso-missing-module", {}, {"iso-missing-module": "iso_nowhere"})
    for plugin, (distribution, module, source) in BROKEN.items():
        write_dist(distribution, {module: source}, {plugin: module})
    return site


@pytest.fixture
def document_file(tmp_path: Path) -> Path:
    doc = generate_document(12, seed=3)
    first = next(iter(doc.components))
    doc.update(first, nature="ai_model")
    path = tmp_path / "system.stipa"
    stipa.save(doc, path)
    return path


def semantic_tables(doc: stipa.Document) -> dict[str, dict[str, Any]]:
    """Everything but the analysis results."""
    names = ("components", "links", "losses", "hazards", "constraints", "responsibilities",
             "ucas", "controller_constraints", "scenarios", "context_rules")  # fmt: skip
    return {name: dict(doc.table(name)) for name in names}


def test_discovery_isolates_every_broken_plugin(zoo: Path) -> None:
    host = PluginHost().discover()

    good = host.plugins["iso-good"]
    assert (good.status, good.failures, good.version) == ("active", [], "1.2")
    assert host.plugin_of(host.analyses["iso.good"]) is good
    assert [p.name for p in host.properties if p.namespace == "https://good.example/stipa"] == [
        "vendor"
    ]
    assert host.plugins["iso-runtime"].status == "active"
    assert set(EXPECTED_RUNS) <= set(host.analyses)

    for plugin, (phase, words, status) in EXPECTED_FAILURES.items():
        info = host.plugins[plugin]
        assert info.status == status, plugin
        assert len(info.failures) >= 1, plugin
        failure = info.failures[0]
        assert (failure.plugin, failure.phase) == (plugin, phase)
        assert words in failure.message, (plugin, failure.message)
        assert failure.distribution == plugin and failure.version == "1.0"
        if phase == "load" or plugin == "iso-hook-raises":
            assert failure.traceback.startswith("Traceback"), plugin
    # iso-hook-garbage: both wrong items are reported, neither becomes an analysis
    assert len(host.plugins["iso-hook-garbage"].failures) == 2
    assert "iso.text" not in host.analyses
    # the first plugin to claim an id keeps it
    assert host.analyses["iso.good"].title == "Good analysis"
    # a failed import leaves no half-registered plugin behind
    assert host.manager.get_plugin("iso-wrong-signature") is None
    assert host.manager.get_plugin("iso-bad-hook-name") is None


def test_misbehaving_analyses_leave_the_document_and_the_others_alone(
    zoo: Path, document_file: Path
) -> None:
    host = PluginHost().discover()
    doc = stipa.load(document_file)
    before = semantic_tables(doc)
    saved = stipa.dumps(doc)
    chosen = [host.analyses[a] for a in [*EXPECTED_RUNS, "iso.good"]]
    runner = AnalysisRunner(chosen, plugin_of=lambda a: host.plugin_of(a).name, timeout=0.5)
    outcomes = runner.run(doc.snapshot())
    by_id = {o.analysis.id: o for o in outcomes}

    for analysis_id, (status, words) in EXPECTED_RUNS.items():
        outcome = by_id[analysis_id]
        assert outcome.status == status, (analysis_id, outcome.message)
        assert words in outcome.message, (analysis_id, outcome.message)
        assert outcome.plugin == "iso-runtime"
    garbage = by_id["iso.garbage"]
    assert [f.message for f in garbage.findings] == ["Valid."]
    assert len(garbage.problems) == 4
    assert any("Returned int" in p for p in garbage.problems)
    assert any("someone.else" in p for p in garbage.problems)
    assert any("C-999" in p for p in garbage.problems)
    assert by_id["iso.good"].status == OK and len(by_id["iso.good"].findings) == 1

    assert semantic_tables(doc) == before  # nothing changed while the analyses ran
    assert apply_outcomes(doc, outcomes)
    assert semantic_tables(doc) == before  # results only add findings
    plugins = sorted({f.plugin for f in doc.findings.values()})
    assert [p for p in plugins if p.startswith("iso.")] == ["iso.garbage", "iso.good"]
    doc.undo()  # one undo step takes every result back
    assert stipa.dumps(doc) == saved


def test_cancel_stops_the_rest(zoo: Path, document_file: Path) -> None:
    host = PluginHost().discover()
    doc = stipa.load(document_file)
    runner = AnalysisRunner([host.analyses["iso.hangs"], host.analyses["iso.good"]], timeout=30)
    threading.Timer(0.2, runner.cancel).start()
    outcomes = runner.run(doc.snapshot())
    assert [o.status for o in outcomes] == [CANCELLED, CANCELLED]


def run_cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_stipa_plugins_json_names_every_failure(
    zoo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "plugins", "--format", "json")
    assert code == 1  # failures were recorded
    report = json.loads(out)
    plugins = {p["name"]: p for p in report["plugins"]}
    assert plugins["iso-good"]["status"] == "active"
    assert plugins["iso-good"]["analyses"] == ["iso.good"]
    assert plugins["iso-good"]["distribution"] == "iso-good"
    assert plugins["iso-good"]["version"] == "1.2"
    assert plugins["iso-good"]["hooks"] == ["stipa_analyses", "stipa_component_properties"]
    failures = [f for f in report["failures"] if f["plugin"].startswith("iso-")]
    assert {f["plugin"] for f in failures} == set(EXPECTED_FAILURES)
    for failure in failures:
        phase, words, status = EXPECTED_FAILURES[failure["plugin"]]
        if failure["phase"] == phase and words in failure["message"]:
            assert plugins[failure["plugin"]]["status"] == status
    import_error = next(f for f in failures if f["plugin"] == "iso-import-error")
    assert "Traceback" in import_error["traceback"]  # always in JSON
    assert {"id": "iso.good", "plugin": "iso-good"}.items() <= next(
        a for a in report["analyses"] if a["id"] == "iso.good"
    ).items()


def test_stipa_plugins_text_shows_tracebacks_only_with_debug(
    zoo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "plugins")
    assert code == 1
    assert "iso-good  active  [iso-good 1.2]" in out
    assert "FAILED (load): ModuleNotFoundError: No module named 'iso_no_such_module'" in out
    assert "FAILED (register): stipa_analysis is not a Stipa hook" in out
    assert "Traceback" not in out and "tracebacks with --debug" in out
    code, out, _ = run_cli(capsys, "plugins", "--debug")
    assert "Traceback" in out and "import iso_no_such_module" in out


def test_stipa_analyze_runs_the_good_analysis_beside_broken_ones(
    zoo: Path, document_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = document_file.read_bytes()
    out_file = tmp_path / "analysed.stipa"
    code, out, err = run_cli(
        capsys,
        "analyze",
        str(document_file),
        "--plugin", "iso-good",
        "--plugin", "iso.raises",
        "--plugin", "iso.hangs",
        "--plugin", "iso.mutates-record",
        "--timeout", "0.5",
        "--format", "json",
        "-o", str(out_file),
    )  # fmt: skip
    assert code == 0  # without --fail-on, failures are warnings
    report = json.loads(out)
    statuses = {a["id"]: (a["status"], a["plugin"]) for a in report["analyses"]}
    assert statuses == {
        "iso.good": ("ok", "iso-good"),
        "iso.raises": ("failed", "iso-runtime"),
        "iso.hangs": ("timeout", "iso-runtime"),
        "iso.mutates-record": ("failed", "iso-runtime"),
    }
    assert [f["rule"] for f in report["findings"]] == ["iso.good-ai"]
    assert "analysis iso.raises (plugin iso-runtime) failed: ValueError" in err
    assert "analysis iso.hangs (plugin iso-runtime) timed out" in err
    assert document_file.read_bytes() == original  # the input file is never written
    analysed = stipa.load(out_file)
    assert semantic_tables(analysed) == semantic_tables(stipa.load(document_file))

    code, out, err = run_cli(
        capsys, "analyze", str(document_file), "--plugin", "iso.good", "--plugin", "iso.raises",
        "--fail-on", "error",
    )  # fmt: skip
    assert code == 1
    assert "FAILED (--fail-on error)" in out and "1 analysis incomplete" in out


def test_stipa_analyze_refuses_a_broken_or_unknown_plugin(
    zoo: Path, document_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "analyze", str(document_file), "--plugin", "iso-import-error")
    assert code == 2
    assert err.startswith("stipa: --plugin iso-import-error: the plugin failed to load (load:")
    assert len(err.strip().splitlines()) == 1
    code, _, err = run_cli(capsys, "analyze", str(document_file), "--plugin", "iso.nothing")
    assert code == 2
    assert "no such analysis or plugin" in err and "iso.good" in err and "iso-twin" in err


def test_disabled_plugins_are_not_even_imported(
    zoo: Path,
    document_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(DISABLE_VARIABLE, "iso-system-exit, iso-good,iso-runtime")
    host = PluginHost().discover()
    for name in ("iso-system-exit", "iso-good", "iso-runtime"):
        assert host.plugins[name].status == "disabled"
        assert host.plugins[name].failures == []
    assert "iso_good" not in sys.modules and "iso_system_exit" not in sys.modules
    # with iso-good out of the way, the twin's analysis of the same id is the one registered
    assert host.plugin_of(host.analyses["iso.good"]) is host.plugins["iso-twin"]

    code, out, _ = run_cli(capsys, "plugins", "--format", "json")
    plugins = {p["name"]: p for p in json.loads(out)["plugins"]}
    assert plugins["iso-good"]["status"] == "disabled"
    code, out, _ = run_cli(capsys, "plugins")
    assert "iso-good  disabled (STIPA_DISABLE_PLUGINS)" in out

    code, _, err = run_cli(capsys, "analyze", str(document_file), "--plugin", "iso-good")
    assert code == 2 and "disabled by STIPA_DISABLE_PLUGINS" in err
