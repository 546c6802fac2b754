"""Install plugin projects into a folder, offline, for tests that discover them by entry point.

Examples
--------
.. code-block:: python

    from stipa.testing import install_example_plugin

    def test_discovers_example(tmp_path, monkeypatch):
        monkeypatch.syspath_prepend(install_example_plugin(tmp_path / "site"))
        host = PluginHost().discover()
        assert "acme.ai-policy" in host.analyses
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["example_plugin_source", "install_example_plugin", "install_plugin_project"]

#: Build leftovers never copied from a project (they would go stale or pollute the tree).
_IGNORE = shutil.ignore_patterns(
    "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"
)


def example_plugin_source() -> Path:
    """The ``plugins/example-plugin`` project of the Stipa source tree.

    Raises
    ------
    FileNotFoundError
        When Stipa runs from an installed wheel, which does not ship the example project.
    """
    # desktop/stipa/testing/install.py -> parents[3] is the repository root
    path = Path(__file__).resolve().parents[3] / "plugins" / "example-plugin"
    if not (path / "pyproject.toml").is_file():
        raise FileNotFoundError(
            f"The example plugin project was not found at {path}; it ships with Stipa's "
            "source tree, not with the installed package."
        )
    return path


def _setuptools_builds_wheels() -> bool:
    """Whether the running environment's setuptools can build wheels without ``wheel``."""
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts) >= (70, 1)  # bdist_wheel moved into setuptools in 70.1


def install_plugin_project(project: Path, target_dir: Path, timeout: float = 300.0) -> Path:
    """``pip install --no-deps --target target_dir project``, without touching ``project``.

    The project is copied to a temporary folder first, so the build leaves nothing in the
    source tree. When the environment's setuptools can build wheels itself, the build runs
    without isolation and without an index (no network); otherwise pip fetches the build
    requirements as usual.

    Parameters
    ----------
    project
        A folder with a ``pyproject.toml``.
    target_dir
        Where the package and its ``*.dist-info`` (with ``entry_points.txt``) go; created if
        needed. Put it on ``sys.path`` to make the plugin discoverable.
    timeout
        Seconds pip may take.

    Returns
    -------
    pathlib.Path
        ``target_dir``, for ``sys.path`` (e.g. ``monkeypatch.syspath_prepend``).

    Raises
    ------
    RuntimeError
        When pip fails; the message holds pip's output.
    """
    target_dir = Path(target_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stipa-plugin-build-") as scratch:
        copy = Path(scratch) / project.name
        shutil.copytree(project, copy, ignore=_IGNORE)
        command = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-compile",
            "--disable-pip-version-check",
            "--quiet",
            "--target",
            str(target_dir),
        ]
        if _setuptools_builds_wheels():
            command += ["--no-build-isolation", "--no-index"]
        command.append(str(copy))
        env = {**os.environ, "PIP_NO_INPUT": "1"}
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=timeout, check=False
        )
    if result.returncode != 0:
        raise RuntimeError(
            f"pip could not install {project} (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )
    return target_dir


def install_example_plugin(target_dir: Path) -> Path:
    """Install ``plugins/example-plugin`` (distribution ``acme-ai-policy``) into ``target_dir``.

    Returns ``target_dir``; once it is on ``sys.path``, ``PluginHost().discover()`` finds the
    plugin ``acme-ai-policy`` through its ``stipa.plugins`` entry point.
    """
    return install_plugin_project(example_plugin_source(), target_dir)
