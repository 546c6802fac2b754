"""Smoke test of the frozen application in dist/stipa (`make package`, then `make package-smoke`).

``make test`` does not build the frozen application, so these tests skip when dist/stipa is
absent; ``make package-smoke`` sets ``STIPA_REQUIRE_FROZEN=1`` to make that a failure. They run
the bundle offscreen from a folder outside the repository: the command line on the bundled
example, a plugin installed in a ``plugins/`` folder beside the executable, and the GUI, which
opens the example, runs the analyses, exports the canvas and reads the exported tables back
in a child process, the bundle run again (through a probe plugin, see frozen_probe.py). Size
and start-up times go to build/package-smoke.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(os.environ.get("STIPA_FROZEN_DIR", ROOT / "dist" / "stipa"))
EXECUTABLE = BUNDLE / ("stipa.exe" if sys.platform == "win32" else "stipa")
REPORT = ROOT / "build" / "package-smoke.json"
BUILTINS = {"stipa.footprint", "stipa.hazards", "stipa.responsibility", "stipa.exporters"}
ANALYSES = BUILTINS - {"stipa.exporters"}

if not EXECUTABLE.is_file():
    if os.environ.get("STIPA_REQUIRE_FROZEN"):
        pytest.fail(f"{EXECUTABLE} does not exist: run `make package` first.", pytrace=False)
    pytest.skip(
        f"no frozen application at {BUNDLE} (make package builds it)", allow_module_level=True
    )

_figures: dict[str, Any] = {}
#: What ``stipa export`` writes, by output name, and how each file starts.
#: (The GUI test exports SVG, PDF and HTML too, inside the running application.)
_EXPORTS = {"diagram.pdf": b"%PDF", "report.docx": b"PK", "tables.xlsx": b"PK"}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),  # settings and recovery files of a fresh user
        XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"),
        XDG_DATA_HOME=str(tmp_path / "home" / ".local" / "share"),
        STIPA_RECOVERY_DIR=str(tmp_path / "recovery"),
    )
    env.pop("STIPA_PLUGIN_PATH", None)
    env.update(extra)
    return env


def _run(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float = 120
) -> tuple[str, float]:
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, f"{command}: exit {result.returncode}\n{result.stderr}"
    return result.stdout, seconds


def _example() -> Path:
    found = sorted(BUNDLE.rglob("_data/examples/wheel-brakes.stipa"))
    assert found, "the bundle carries no examples"
    return found[0]


def _write_report() -> None:
    size = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    REPORT.parent.mkdir(exist_ok=True)
    figures = {"bundle": str(BUNDLE), "bundle_mb": round(size / 1e6, 1), **_figures}
    REPORT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"\nfrozen application: {json.dumps(figures)}")


def test_frozen_command_line_on_the_bundled_example(tmp_path: Path) -> None:
    env = _env(tmp_path)
    out, seconds = _run([str(EXECUTABLE), "--version"], tmp_path, env)
    assert out.startswith("stipa ")
    _figures["cli_version_seconds"] = round(
        min(seconds, _run([str(EXECUTABLE), "--version"], tmp_path, env)[1]), 3
    )

    plugins = json.loads(_run([str(EXECUTABLE), "plugins", "--format", "json"], tmp_path, env)[0])
    found = {p["name"]: p["status"] for p in plugins["plugins"]}
    assert {name: found.get(name) for name in BUILTINS} == dict.fromkeys(BUILTINS, "active")
    assert plugins["failures"] == []

    example = _example()
    assert "valid" in _run([str(EXECUTABLE), "validate", str(example)], tmp_path, env)[0]
    analysed = tmp_path / "analysed.stipa"
    out, seconds = _run(
        [str(EXECUTABLE), "analyze", str(example), "--format", "json", "-o", str(analysed)],
        tmp_path,
        env,
    )
    report = json.loads(out)
    assert {a["id"] for a in report["analyses"]} >= ANALYSES
    assert all(a["status"] == "ok" for a in report["analyses"])
    assert report["summary"]["findings"] > 0
    _figures["cli_analyze_seconds"] = round(seconds, 3)
    assert "valid" in _run([str(EXECUTABLE), "validate", str(analysed)], tmp_path, env)[0]

    # stipa export: the diagram through Qt offscreen, python-docx's template, openpyxl
    for name, magic in _EXPORTS.items():
        out, seconds = _run(
            [str(EXECUTABLE), "export", str(analysed), "-o", str(tmp_path / name)], tmp_path, env
        )
        assert (tmp_path / name).read_bytes().startswith(magic), name
        _figures[f"cli_export_{name.rsplit('.', 1)[1]}_seconds"] = round(seconds, 3)

    # stipa layout: igraph's compiled extension comes with the bundle
    laid_out = tmp_path / "laid-out.stipa"
    out, seconds = _run(
        [str(EXECUTABLE), "layout", str(analysed), "-o", str(laid_out)], tmp_path, env
    )
    assert "laid out" in out
    assert "valid" in _run([str(EXECUTABLE), "validate", str(laid_out)], tmp_path, env)[0]
    _figures["cli_layout_seconds"] = round(seconds, 3)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinked bundle folder")
def test_frozen_application_finds_a_plugin_in_the_folder_beside_it(tmp_path: Path) -> None:
    from stipa.testing import install_example_plugin

    # A copy of the application whose bundle folder is a link to the real one: the executable's
    # folder (and so its plugins/ folder) is ours, without copying 190 MB.
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy2(EXECUTABLE, app / EXECUTABLE.name)
    (app / "_internal").symlink_to(BUNDLE / "_internal", target_is_directory=True)
    install_example_plugin(app / "plugins")
    env = _env(tmp_path)

    plugins = json.loads(
        _run([str(app / EXECUTABLE.name), "plugins", "--format", "json"], tmp_path, env)[0]
    )
    found = {p["name"]: p for p in plugins["plugins"]}
    assert found["acme-ai-policy"]["status"] == "active", found
    assert found["acme-ai-policy"]["distribution"] == "acme-ai-policy"
    assert plugins["failures"] == []
    out, _ = _run(
        [str(app / EXECUTABLE.name), "analyze", str(_example()), "--plugin", "acme-ai-policy"],
        tmp_path,
        env,
    )
    assert "acme" in out


def test_frozen_gui_opens_analyses_and_exports_an_example(tmp_path: Path) -> None:
    probe = tmp_path / "probe-plugins"
    info = probe / "stipa_smoke_probe-1.0.dist-info"
    info.mkdir(parents=True)
    shutil.copy2(Path(__file__).with_name("frozen_probe.py"), probe / "stipa_smoke_probe.py")
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: stipa-smoke-probe\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[stipa.plugins]\nsmoke-probe = stipa_smoke_probe\n", encoding="utf-8"
    )
    out = tmp_path / "smoke.json"
    runs = []
    for _ in range(2):  # the first start reads the bundle from disk; the second from the cache
        out.unlink(missing_ok=True)
        env = _env(
            tmp_path,
            STIPA_PLUGIN_PATH=str(probe),
            STIPA_SMOKE_OUT=str(out),
            STIPA_SMOKE_T0=repr(time.time()),
        )
        _run([str(EXECUTABLE), "gui", str(_example())], tmp_path, env, timeout=120)
        runs.append(json.loads(out.read_text(encoding="utf-8")))
    result = runs[-1]
    assert "error" not in result, result.get("error")
    assert result["frozen"] is True
    assert result["path"] == str(_example())
    assert result["components"] > 0
    assert result["plugins"]["smoke-probe"] == "active"
    assert all(result["plugins"][name] == "active" for name in BUILTINS), result["plugins"]
    assert result["findings"] > 0
    assert result["dejavu"], "DejaVu Sans is not available to the frozen application"
    assert result["png_saved"] and Path(result["png"]).stat().st_size > 10_000
    exported = {fmt: Path(path).read_bytes() for fmt, path in result["exported"].items()}
    assert exported["pdf"].startswith(b"%PDF") and b"<svg" in exported["svg"]
    assert b"Flight crew" in exported["svg"] and b"Flight crew" in exported["html"]
    child = result["excel_child"]  # the bundle run again as a child reads the workbook
    assert child["pid"] != child["parent_pid"] and child["exitcode"] == 0
    assert child["problems"] == [] and child["changes"] == 0
    _figures["gui_ready_seconds_first"] = runs[0]["ready_seconds"]
    _figures["gui_ready_seconds"] = result["ready_seconds"]
    _figures["gui_analysis_seconds"] = result["analysis_seconds"]
    _write_report()
