"""Fixtures of the plugin tests: throwaway distributions found through real entry points."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from stipa.plugin import ENTRY_POINT_GROUP

#: write_dist(distribution, modules, entry_points, version="1.0") -> the site folder
WriteDist = Callable[..., Path]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on ``sys.path`` for throwaway distributions; their modules are unloaded after."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    before = set(sys.modules)
    yield folder
    for name in set(sys.modules) - before:
        module = sys.modules.get(name)
        if module is not None and str(getattr(module, "__file__", "")).startswith(str(folder)):
            release = getattr(module, "RELEASE", None)
            if release is not None:
                release.set()  # let a hanging analysis's thread finish
            del sys.modules[name]


@pytest.fixture
def write_dist(site: Path) -> WriteDist:
    """Write an installed distribution: modules plus ``<name>-<version>.dist-info``.

    ``modules`` maps module names to source (dedented); ``entry_points`` maps plugin names
    to entry-point values (``"module"`` or ``"module:attribute"``) in ``stipa.plugins``.
    """

    def write(
        distribution: str,
        modules: Mapping[str, str],
        entry_points: Mapping[str, str],
        version: str = "1.0",
    ) -> Path:
        for module, source in modules.items():
            (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = site / f"{distribution.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n",
            encoding="utf-8",
        )
        lines = [f"[{ENTRY_POINT_GROUP}]"] + [f"{k} = {v}" for k, v in entry_points.items()]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return site

    return write
