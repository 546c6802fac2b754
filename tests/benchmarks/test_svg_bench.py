"""Headless SVG: the whole ``stipa export F -o out.svg`` process at 100 components.

Issue 17 part 6: at most 0.35 s for the whole process (Gaphor 2.27 takes 8.1 s for the same
structure), measured beside ``stipa --version`` (the interpreter and Stipa's start-up) and
``stipa validate F`` (start-up, load and checks) in the same run, interleaved, so that the
ratios hold on a loaded machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.bench

COMPONENTS = 100
REPEAT = 9
BUDGET = 0.35


def _run(*arguments: str) -> None:
    subprocess.run([sys.executable, "-m", "stipa", *arguments], check=True, capture_output=True)


def test_headless_svg_process(record: Any, stats: Any, generated: Any, tmp_path: Path) -> None:
    source = generated.path(COMPONENTS)
    out = tmp_path / "out.svg"
    runs = {
        "version": lambda: _run("--version"),
        "validate": lambda: _run("validate", str(source)),
        "export_svg": lambda: _run("export", str(source), "-o", str(out)),
    }
    times = stats.interleaved(runs, REPEAT)
    med = {name: stats.median(values) for name, values in times.items()}
    assert out.stat().st_size > 10_000  # the work really was done
    print(f"\n`stipa export` of {COMPONENTS} components to SVG, median of {REPEAT} processes")
    for name, value in med.items():
        print(f"  {name:11s}{stats.seconds(value)}")
    beyond = med["export_svg"] - med["version"]
    print(f"  export beyond start-up {stats.seconds(beyond)}")
    record.add("svg", "headless_export", **med, beyond_startup=beyond)
    record.check("svg", "headless_export", med["export_svg"], BUDGET, "whole_process", unit=" s")
