"""A clean install: sdist, the wheel built from it, a fresh virtual environment outside the repo.

The source tree is copied to a temporary folder (so the build writes nothing into the
checkout), ``python -m build`` makes the sdist and then the wheel from the unpacked sdist
(without build isolation: the test environment's setuptools builds it, no index needed), and
the wheel is installed with its dependencies into a new virtual environment by pip, as a user
would (the dependencies come from the package index or pip's cache). From a folder outside the
repository, that environment's ``stipa`` then validates, analyses and exports a bundled
example.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
_SKIP = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
)


def _project() -> dict[str, object]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]  # type: ignore[no-any-return]


def _run(command: list[str], cwd: Path, timeout: float = 300, **kwargs: object) -> str:
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )  # type: ignore[call-overload]
    assert result.returncode == 0, (
        f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    )
    return str(result.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sdist, wheel) built from a copy of the source tree; the wheel from the sdist."""
    work = tmp_path_factory.mktemp("build")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_SKIP, symlinks=True)
    out = work / "dist"
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)], work)
    (sdist,) = out.glob("stipa-*.tar.gz")
    (wheel,) = out.glob("stipa-*.whl")
    return sdist, wheel


def test_sdist_holds_what_the_wheel_is_built_from(built: tuple[Path, Path]) -> None:
    sdist, _ = built
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    expected = {
        "LICENSE",
        "README.md",
        "pyproject.toml",
        "MANIFEST.in",
        "desktop/stipa/__init__.py",
        "desktop/stipa/cli.py",
        "plugins/stipa_builtins/__init__.py",
        "resources/README.md",
        "packaging/stipa.spec",
        "packaging/linux/io.github.stipa.Stipa.desktop",
        "packaging/linux/stipa-mime.xml",
    }
    assert expected <= names, sorted(expected - names)
    for folder in ("resources", "plugins/stipa_builtins"):
        in_repo = {
            str(path.relative_to(ROOT))
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.name != ".gitkeep"
        }
        assert in_repo <= names, sorted(in_repo - names)
    assert not [name for name in names if name.startswith("tests/") or "__pycache__" in name]


def test_wheel_holds_resources_builtins_and_entry_points(built: tuple[Path, Path]) -> None:
    _, wheel = built
    project = _project()
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"stipa-{project['version']}.dist-info"
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
        metadata = archive.read(f"{info}/METADATA").decode()
    for required in (
        "stipa/_data/README.md",
        "stipa/_data/schema/stipa-1.xsd",
        "stipa/_data/examples/wheel-brakes.stipa",
        "stipa_builtins/__init__.py",
        f"{info}/licenses/LICENSE",
    ):
        assert required in names
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.name != ".gitkeep":
            assert f"stipa/_data/{path.relative_to(ROOT / 'resources')}" in names, path
    assert not [n for n in names if n.startswith(("tests/", "packaging/")) or "__pycache__" in n]
    declared = project["entry-points"]["stipa.plugins"]  # type: ignore[index]
    for name, module in declared.items():
        assert f"{name} = {module}" in entry_points
    assert "stipa = stipa.cli:main" in entry_points
    assert "Description-Content-Type: text/markdown" in metadata


def test_wheel_installs_into_a_fresh_venv_and_runs_outside_the_repo(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, wheel = built
    venv = tmp_path / "venv"
    outside = tmp_path / "work"
    outside.mkdir()
    started = time.monotonic()
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    # The test environment's pip installs into the new venv (pip --python): no pip bootstrap.
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", str(wheel)],
        tmp_path,
        timeout=600,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"},
    )
    install_seconds = time.monotonic() - started
    stipa = str(venv / "bin" / "stipa")
    # A clean environment: nothing from the checkout or the test venv leaks in.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["QT_QPA_PLATFORM"] = "offscreen"

    where = json.loads(
        _run(
            [
                str(python),
                "-c",
                "import json, stipa, stipa_builtins, stipa.resources as r; print(json.dumps("
                "[stipa.__file__, stipa_builtins.__file__, str(r.resources_root()), "
                "[str(p) for p in r.examples()]]))",
            ],
            outside,
            env=env,
        )
    )
    site = str(venv / "lib")
    assert all(str(path).startswith(site) for path in where[:3]), where
    example = next(path for path in where[3] if path.endswith("wheel-brakes.stipa"))

    version = _run([stipa, "--version"], outside, env=env)
    assert version.strip() == f"stipa {_project()['version']}"

    plugins = json.loads(_run([stipa, "plugins", "--format", "json"], outside, env=env))
    declared = set(_project()["entry-points"]["stipa.plugins"])  # type: ignore[index]
    found = {p["name"]: p for p in plugins["plugins"]}
    assert declared <= set(found), plugins
    assert all(found[name]["status"] == "active" for name in declared), plugins
    assert all(found[name]["distribution"] == "stipa" for name in declared)
    assert plugins["failures"] == []

    assert "valid" in _run([stipa, "validate", example], outside, env=env)
    analysed = outside / "analysed.stipa"
    report = json.loads(
        _run([stipa, "analyze", example, "--format", "json", "-o", str(analysed)], outside, env=env)
    )
    with_analyses = {name for name in declared if found[name]["analyses"]}  # not exporters
    assert {a["id"] for a in report["analyses"]} >= with_analyses
    assert all(a["status"] == "ok" for a in report["analyses"]), report["analyses"]
    assert report["summary"]["findings"] > 0
    assert "valid" in _run([stipa, "validate", str(analysed)], outside, env=env)
    # stipa export: the diagram (Qt offscreen), the HTML report and the Word report (python-docx
    # reads its default template from its own package data)
    for name, magic in (
        ("diagram.svg", b"<?xml"),
        ("report.html", b"<!DOCTYPE html"),
        ("report.docx", b"PK"),
    ):
        _run([stipa, "export", str(analysed), "-o", name], outside, env=env)
        assert (outside / name).read_bytes().startswith(magic), name
    assert b"BSCU Autobrake" in (outside / "diagram.svg").read_bytes()
    assert _run([str(python), "-m", "stipa", "--version"], outside, env=env) == version
    print(f"\nfresh venv + pip install of the wheel: {install_seconds:.1f} s")
