"""``stipa analyze`` and ``stipa plugins``: output formats, selection, exit codes, errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import stipa
from stipa.cli import main

ROOT = Path(__file__).resolve().parents[2]

DEMO = """
    import stipa

    def levels(context):
        ids = list(context.snapshot.components)
        yield context.finding("demo.bad", "Component one is bad.", targets=[ids[0]],
                              severity="error", source="Demo rules §1", data={"k": "v"})
        yield context.finding("demo.meh", "Component two is doubtful.", targets=[ids[1]])
        yield context.finding("demo.fyi", "Component three exists.", targets=[ids[2], ids[0]],
                              severity="info")
        yield context.suggestion("demo.draft", "A constraint to consider.",
                                 proposal=stipa.Loss(text="Loss of the demo"))

    def flaky(context):
        if context.options.get("fail") == "yes":
            raise RuntimeError("asked to fail")
        return [context.finding("demo.flaky", "Flaky says hello.", severity="error")]

    @stipa.hookimpl
    def stipa_analyses():
        return [
            stipa.Analysis(id="demo.levels", title="Levels", run=levels, rules=[
                stipa.Rule("demo.bad", "Bad component", "error", "Demo rules §1",
                           description="A component must not be bad."),
                stipa.Rule("demo.meh", "Doubtful component"),
                stipa.Rule("demo.fyi", "Component inventory", "info"),
                stipa.Rule("demo.draft", "Draft loss", None),
            ]),
            stipa.Analysis(id="demo.flaky", title="Flaky", run=flaky),
        ]
"""


@pytest.fixture
def demo(write_dist: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STIPA_DISABLE_PLUGINS", raising=False)
    write_dist("cli-demo", {"cli_demo": DEMO}, {"cli-demo": "cli_demo"}, version="0.3")


@pytest.fixture
def system(tmp_path: Path) -> Path:
    doc = stipa.Document()
    for name in ("One", "Two", "Three"):
        doc.add(stipa.Component(name=name))
    path = tmp_path / "system.stipa"
    stipa.save(doc, path)
    return path


def cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("gui", "validate", "analyze", "plugins"):
        assert f"    {command}" in out
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    out = capsys.readouterr().out
    assert "--fail-on" in out and "Exit status:" in out and "STIPA_DISABLE_PLUGINS" in out


def test_text_report(demo: None, system: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "analyze", str(system), "--plugin", "demo.levels")
    assert (code, err) == (0, "")
    head, *lines = out.splitlines()
    assert re.fullmatch(r"== demo\.levels  Levels  \(cli-demo 0\.3\): 3 findings, [\d.]+ s", head)
    # each finding names its rule by the declared title, the id beside it as the reference
    assert lines == [
        "  ERROR   Bad component (demo.bad) C-1: Component one is bad. [open]",
        "  WARNING Doubtful component (demo.meh) C-2: Component two is doubtful. [open]",
        "  INFO    Component inventory (demo.fyi) C-3,C-1: Component three exists. [open]",
        f"{system}: 3 findings (1 error, 1 warning, 1 info; 3 open), 1 suggestion; 1 analysis ran.",
    ]
    # an analysis that declares no rules: its findings are named by the rule id alone
    code, out, err = cli(capsys, "analyze", str(system), "--plugin", "demo.flaky")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == "  ERROR   demo.flaky -: Flaky says hello. [open]"


def test_json_report(demo: None, system: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "analyze", str(system), "--plugin", "cli-demo", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"file", "analyses", "findings", "suggestions", "plugin_failures",
                           "summary"}  # fmt: skip
    assert report["file"] == str(system)
    (levels, flaky) = report["analyses"]
    assert {k: levels[k] for k in ("id", "plugin", "version", "status", "message", "problems")} == {
        "id": "demo.levels",
        "plugin": "cli-demo",
        "version": "0.3",
        "status": "ok",
        "message": "",
        "problems": [],
    }
    assert isinstance(levels["seconds"], float) and flaky["id"] == "demo.flaky"
    bad = report["findings"][0]
    assert bad == {
        "id": bad["id"],
        "plugin": "demo.levels",
        "rule": "demo.bad",
        "severity": "error",
        "message": "Component one is bad.",
        "targets": ["C-1"],
        "source": "Demo rules §1",
        "data": {"k": "v"},
        "disposition": "open",
        "rationale": "",
    }
    (suggestion,) = report["suggestions"]
    assert suggestion["proposal"]["type"] == "Loss"
    assert suggestion["proposal"]["text"] == "Loss of the demo"
    summary = report["summary"]
    assert summary["findings"] == 4 and summary["open"] == 4
    assert summary["by_severity"] == {"error": 2, "warning": 1, "info": 1}
    assert summary["exit_code"] == 0 and summary["fail_on"] is None


@pytest.mark.parametrize(
    ("fail_on", "code"), [("error", 1), ("warning", 1), ("info", 1), (None, 0)]
)
def test_fail_on_thresholds(
    demo: None, system: Path, capsys: pytest.CaptureFixture[str], fail_on: str | None, code: int
) -> None:
    arguments = ["analyze", str(system), "--plugin", "demo.levels"]
    if fail_on:
        arguments += ["--fail-on", fail_on]
    assert cli(capsys, *arguments)[0] == code


def test_dispositions_count_only_when_open(
    demo: None, system: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "out.stipa"
    base = ["analyze", str(system), "--plugin", "demo.levels", "--fail-on", "warning"]
    assert cli(capsys, *base, "-o", str(out_file))[0] == 1
    doc = stipa.load(out_file)
    for finding in list(doc.findings.values()):
        if finding.rule == "demo.bad":
            doc.update(finding.id, disposition="resolved", rationale="Fixed in rev. B.")
    stipa.save(doc, out_file)
    base[1] = str(out_file)
    code, out, _ = cli(capsys, *base[:-2], "--fail-on", "error")
    assert code == 0 and "PASSED (--fail-on error)." in out
    assert "ERROR   Bad component (demo.bad) C-1: Component one is bad. [resolved]" in out
    code, out, _ = cli(capsys, *base)
    assert code == 1 and "1 open finding at warning or above" in out


def test_a_failed_analysis_warns_and_keeps_its_earlier_findings(
    demo: None, system: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.stipa"
    assert cli(capsys, "analyze", str(system), "--plugin", "demo.flaky", "-o", str(first))[0] == 0
    arguments = ["analyze", str(first), "--plugin", "demo.flaky", "--option", "fail=yes"]
    code, out, err = cli(capsys, *arguments, "-o", str(tmp_path / "second.stipa"))
    assert code == 0
    assert err == (
        "stipa: warning: analysis demo.flaky (plugin cli-demo) failed: "
        "RuntimeError: asked to fail\n"
    )
    assert "FAILED: RuntimeError: asked to fail" in out and "Flaky says hello" not in out
    kept = stipa.load(tmp_path / "second.stipa").findings.values()
    assert [f.message for f in kept] == ["Flaky says hello."]  # untouched, not re-reported
    code, out, err = cli(capsys, *arguments, "--fail-on", "error", "--debug")
    assert code == 1 and "1 analysis incomplete" in out
    assert "Traceback" in err and "asked to fail" in err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.stipa"], "missing.stipa: no such file."),
        ([str(ROOT / "tests" / "data" / "bad" / "not-xml.stipa")], "not-xml.stipa:"),
        (["{system}", "-o", "/no/such/folder/out.stipa"], "the folder /no/such/folder does not"),
        (["{system}", "--plugin", "nothing.here"], "--plugin nothing.here: no such analysis"),
    ],
)
def test_usage_errors_are_one_sentence_with_exit_2(
    demo: None,
    system: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    arguments = [a.replace("{system}", str(system)) for a in arguments]
    code, out, err = cli(capsys, "analyze", *arguments)
    assert code == 2 and out == ""
    assert err.startswith("stipa: ") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "arguments", [["--option", "novalue"], ["--timeout", "0"], ["--fail-on", "never"]]
)
def test_bad_options_are_usage_errors(
    system: Path, capsys: pytest.CaptureFixture[str], arguments: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze", str(system), *arguments])
    assert exit_info.value.code == 2
    capsys.readouterr()


def test_without_plugins(
    stipa_host: object, system: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pytest plugin's host fixture blocks discovery for the command line too."""
    assert cli(capsys, "plugins") == (
        0,
        "No plugins are installed (entry-point group stipa.plugins).\n",
        "",
    )
    code, out, _ = cli(capsys, "analyze", str(system), "--fail-on", "error")
    assert code == 0 and "no analyses to run" in out
    code, out, _ = cli(capsys, "plugins", "--format", "json")
    assert json.loads(out)["plugins"] == []


def test_python_m_stipa_runs_analyze(demo: None, system: Path, site: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT / "desktop")])}
    result = subprocess.run(
        [sys.executable, "-m", "stipa", "analyze", str(system), "--plugin", "cli-demo",
         "--format", "json", "--fail-on", "error"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["summary"]["blocking"] == 2
