"""Issue 15 on the command line: size limit and --allow-large (2), read-only outputs (5),
output == input and folders (6), runaway analyses (2) and threads left behind (9)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import stipa
import stipa.io.vocabulary
from stipa.analysis import FAILED, MAX_RESULTS, OK, AnalysisRunner, apply_outcomes
from stipa.cli import main


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


# --- item 6: the output is never the input; a folder is no file --------------------------------


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
@pytest.mark.parametrize("command", ["analyze", "export"])
def test_output_that_is_the_input_is_refused(
    capsys: pytest.CaptureFixture[str], system: Path, link: str, command: str
) -> None:
    output = system
    if link == "symlink":
        output = system.with_name("alias.stipa")
        output.symlink_to(system)
    elif link == "hardlink":
        output = system.with_name("hard.stipa")
        os.link(system, output)
    before = system.read_bytes()
    extra = ["--format", "html"] if command == "export" else []
    code, _out, err = cli(capsys, command, str(system), "-o", str(output), *extra)
    assert code == 2
    assert f"is the input file {system}, which is never changed" in err
    assert system.read_bytes() == before


def test_an_existing_folder_is_refused_for_a_single_file_format(
    capsys: pytest.CaptureFixture[str], system: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "existing-folder.html"
    folder.mkdir()
    code, _out, err = cli(capsys, "export", str(system), "-o", str(folder))
    assert code == 2 and "is a folder; give a file name for the html file" in err
    assert list(folder.iterdir()) == []
    code, _out, err = cli(capsys, "export", str(system), "-o", f"{folder}/")
    assert code == 2 and list(folder.iterdir()) == []
    tables = tmp_path / "tables"
    tables.mkdir()
    code, _out, _err = cli(capsys, "export", str(system), "-o", str(tables))
    assert code == 0 and (tables / "hazards.csv").is_file()  # a plain folder still takes CSV


# --- item 5: a read-only output is refused ------------------------------------------------------


@pytest.mark.parametrize("command", ["analyze", "export"])
def test_a_read_only_output_is_refused(
    capsys: pytest.CaptureFixture[str], system: Path, tmp_path: Path, command: str
) -> None:
    output = tmp_path / ("ro.stipa" if command == "analyze" else "ro.html")
    output.write_bytes(b"keep me")
    output.chmod(0o444)
    code, _out, err = cli(capsys, command, str(system), "-o", str(output))
    assert code == 2 and f"{output}: the file is read-only; write to another file." in err
    assert output.read_bytes() == b"keep me"


def test_analyze_over_itself_when_read_only_says_both(
    capsys: pytest.CaptureFixture[str], system: Path
) -> None:
    system.chmod(0o444)
    code, _out, err = cli(capsys, "analyze", str(system), "-o", str(system))
    assert code == 2 and "never changed" in err


# --- item 2: the size limit and the way past it -------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "analyze", "export"])
def test_a_file_over_the_limit_is_refused_unless_allowed(
    capsys: pytest.CaptureFixture[str],
    system: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    monkeypatch.setattr(stipa.io.vocabulary, "MAX_FILE_BYTES", system.stat().st_size - 1)
    monkeypatch.setattr(stipa.io, "MAX_FILE_BYTES", system.stat().st_size - 1)
    output = ["-o", str(tmp_path / "out.html")] if command == "export" else []
    code, _out, err = cli(capsys, command, str(system), *output)
    assert code in (1, 2) and "too large" in err and "--allow-large" in err
    code, out, err = cli(capsys, command, str(system), *output, "--allow-large")
    assert code == 0, err
    if command == "validate":
        assert out.strip() == f"{system}: valid."


NOTE = """
    import stipa

    @stipa.hookimpl
    def stipa_analyses():
        return [stipa.Analysis(id="note.run", title="Note", run=lambda context: [
            context.finding("note.r", "A finding makes the document larger.")])]
"""


def test_analyze_does_not_write_a_file_it_could_not_read_back(
    capsys: pytest.CaptureFixture[str],
    system: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write_dist: Callable[..., Path],
) -> None:
    write_dist("note-plugin", {"note_plugin": NOTE}, {"note": "note_plugin"})
    monkeypatch.delenv("STIPA_DISABLE_PLUGINS", raising=False)
    monkeypatch.setattr(stipa.io.vocabulary, "MAX_FILE_BYTES", system.stat().st_size)
    out = tmp_path / "out.stipa"
    out.write_bytes(b"old")
    code, _out, err = cli(capsys, "analyze", str(system), "-o", str(out), "--plugin", "note.run")
    assert code == 2 and f"{out}: The document is too large to save" in err
    assert out.read_bytes() == b"old"
    code, _out, err = cli(
        capsys, "analyze", str(system), "-o", str(out), "--plugin", "note.run", "--allow-large"
    )
    assert code == 0, err
    assert stipa.io.load(out, max_bytes=10**9).findings


def test_help_and_readme_state_the_limits_stipa_keeps(capsys: pytest.CaptureFixture[str]) -> None:
    from stipa import cli as module

    assert module._MEGABYTES * 1024 * 1024 == stipa.io.MAX_FILE_BYTES
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert f"at most {MAX_RESULTS:,} findings" in text and "--allow-large" in text
    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    assert f"one limit of {module._MEGABYTES} MiB" in readme
    assert f"at most {MAX_RESULTS:,} findings" in readme and "`--allow-large`" in readme


# --- item 2: the runner caps what one analysis returns ------------------------------------------


def _analysis(run: Callable[[stipa.AnalysisContext], object]) -> stipa.Analysis:
    return stipa.Analysis(id="flood.all", title="Flood", run=run)  # type: ignore[arg-type]


def test_an_analysis_returning_too_many_findings_fails_naming_its_plugin(system: Path) -> None:
    def endless(context: stipa.AnalysisContext) -> object:
        while True:  # never ends: the runner must stop taking after MAX_RESULTS + 1
            yield context.finding("flood.r", "Again.")

    runner = AnalysisRunner([_analysis(endless)], plugin_of=lambda a: "flood-plugin", timeout=60)
    document = stipa.io.load(system)
    [outcome] = runner.run(document.snapshot())
    assert outcome.status == FAILED and not outcome.findings
    assert f"more than {MAX_RESULTS:,} findings" in outcome.message
    assert "Plugin flood-plugin" in outcome.message
    assert not apply_outcomes(document, [outcome])


def test_an_analysis_at_the_cap_is_kept(system: Path) -> None:
    def exactly(context: stipa.AnalysisContext) -> object:
        return [context.finding("flood.r", f"Number {n}.") for n in range(5)]

    runner = AnalysisRunner([_analysis(exactly)], max_results=5)
    [outcome] = runner.run(stipa.io.load(system).snapshot())
    assert outcome.status == OK and len(outcome.findings) == 5


# --- item 9: threads a plugin leaves behind do not hang `stipa analyze` ------------------------

LINGER = """
    import threading
    import stipa

    RELEASE = threading.Event()

    def linger(context):
        threading.Thread(target=RELEASE.wait, name="linger-worker", daemon=False).start()
        return [context.finding("linger.r", "Found before leaving a thread behind.")]

    @stipa.hookimpl
    def stipa_analyses():
        return [stipa.Analysis(id="linger.run", title="Linger", run=linger)]
"""


def test_analyze_exits_past_a_thread_a_plugin_left_running(
    write_dist: Callable[..., Path], system: Path, tmp_path: Path
) -> None:
    site = write_dist("linger-plugin", {"linger_plugin": LINGER}, {"linger": "linger_plugin"})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    env.pop("STIPA_DISABLE_PLUGINS", None)
    out = tmp_path / "out.stipa"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "stipa", "analyze", str(system), "--plugin", "linger.run",
         "--timeout", "1", "--format", "json", "-o", str(out)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 100  # it ended at all (subprocess would time out)
    assert "analysis linger.run (plugin linger) left work running after 1 s" in done.stderr
    assert "linger-worker" in done.stderr
    assert '"findings": 1' in done.stdout
    assert len(stipa.io.load(out).findings) == 1


def test_the_runner_waits_for_threads_within_the_timeout_only(system: Path) -> None:
    import threading

    release = threading.Event()

    def linger(context: stipa.AnalysisContext) -> object:
        threading.Thread(target=release.wait, name="left-behind", daemon=False).start()
        return []

    runner = AnalysisRunner([_analysis(linger)], timeout=0.3)
    try:
        [outcome] = runner.run(stipa.io.load(system).snapshot())
    finally:
        release.set()
    assert outcome.status == OK and outcome.lingering == ["left-behind"]
    assert outcome.seconds >= 0.3  # it was given the analysis's whole time to finish
