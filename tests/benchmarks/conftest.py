"""Shared fixtures of the benchmarks: generated files, timing, and the figures' record.

Every figure is measured beside a baseline in the same run, so the ratio holds on a noisy
machine, and every call is charged with the work of freeing its own memory, none of the call
before it (see ``settle_allocator``). Budgets are soft: a benchmark prints "WITHIN BUDGET" or
"OVER BUDGET" and never fails on a timing. All figures go to ``build/benchmarks.json`` at the
end of the session (merged with the figures of benchmarks not run this time).
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from stipa import io
from stipa.model import Document
from stipa.testing.generate import generate_document

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "build" / "benchmarks.json"


#: An allocation glibc serves from its heap (below the 128 KiB mmap threshold), so it merges
#: the chunks freed since the last such allocation first.
_SETTLE_BYTES = 64 * 1024


def settle_allocator() -> None:
    """Do now the allocator work that freeing memory left for later.

    glibc's malloc keeps freed small chunks (an lxml tree is made of hundreds of thousands)
    unmerged and merges them all at the next large allocation: 35-40 ms after a 5,000-component
    tree, charged to whichever call comes next unless settled. Measured here: a ``save`` right
    after the raw lxml parse took 105 ms, the same ``save`` after a settle 61 ms. Elsewhere this
    is one cheap allocation.
    """
    bytearray(_SETTLE_BYTES)


def timed(
    fn: Callable[[], Any], repeat: int, setup: Callable[[], Any] | None = None
) -> list[float]:
    """Wall times (``perf_counter``) of ``repeat`` calls of ``fn``; ``setup`` runs untimed.

    Each time includes settling what ``fn`` freed (``settle_allocator``), and none of what ran
    before it: the garbage collector and the allocator are settled before the clock starts.
    """
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        settle_allocator()
        start = time.perf_counter()
        fn()
        settle_allocator()
        times.append(time.perf_counter() - start)
    return times


def interleaved(
    runs: dict[str, Callable[[], Any]],
    repeat: int,
    setup: Callable[[], Any] | None = None,
) -> dict[str, list[float]]:
    """Time several functions in turn, ``repeat`` rounds, so machine drift hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            times[name].extend(timed(fn, 1, setup))
    return times


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (``fraction`` 0.95 for p95)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


class Record:
    """The session's figures: ``add`` one measurement, ``check`` one soft budget."""

    def __init__(self) -> None:
        self.sections: dict[str, dict[str, Any]] = {}

    def add(self, section: str, name: str, **figures: Any) -> None:
        """Store ``figures`` (seconds, ratios, counts) under ``section`` / ``name``."""
        self.sections.setdefault(section, {}).setdefault(name, {}).update(figures)

    def check(
        self, section: str, name: str, value: float, budget: float, what: str, unit: str = "x"
    ) -> bool:
        """Print and store whether ``value`` is within ``budget`` (never fails the test)."""
        within = value <= budget
        verdict = "WITHIN BUDGET" if within else "OVER BUDGET"
        print(f"  {verdict}: {what} = {value:.2f}{unit} (budget <= {budget:g}{unit})")
        self.add(section, name, **{f"budget_{what}": budget, f"within_budget_{what}": within})
        return within

    def write(self, path: Path) -> None:
        """Merge the figures into ``path`` (JSON), keeping sections not measured this time."""
        data: dict[str, Any] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
        results = data.get("results", {})
        results.update(self.sections)
        data = {"machine": _machine(), "results": results}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _machine() -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "commit": commit,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


@pytest.fixture(scope="session")
def record() -> Iterator[Record]:
    """The figures of this session, written to ``build/benchmarks.json`` at its end."""
    figures = Record()
    yield figures
    if figures.sections:
        figures.write(RESULTS)
        print(f"\nbenchmark figures written to {RESULTS}")


class Generated:
    """Generated ``.stipa`` files, made once per session and size."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._paths: dict[tuple[int, str], Path] = {}

    def path(
        self, components: int, tweak: Callable[[Document], None] | None = None, tag: str = ""
    ) -> Path:
        """A file of ``generate_document(components)`` (3 links each), changed by ``tweak``."""
        key = (components, tag)
        if key not in self._paths:
            doc = generate_document(components, links_per_component=3, seed=0)
            if tweak is not None:
                tweak(doc)
            path = self.folder / f"generated-{components}{'-' + tag if tag else ''}.stipa"
            io.save(doc, path)
            self._paths[key] = path
        return self._paths[key]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """Generated documents saved as files in a temporary folder shared by the session."""
    return Generated(tmp_path_factory.mktemp("bench-files"))


def seconds(value: float) -> str:
    """A time for the console: milliseconds below one second."""
    return f"{value * 1000:8.1f} ms" if value < 1 else f"{value:8.3f} s "


@pytest.fixture(scope="session")
def stats() -> Any:
    """Helpers for the benchmark modules (no import of conftest needed)."""

    class Stats:
        median = staticmethod(statistics.median)
        timed = staticmethod(timed)
        interleaved = staticmethod(interleaved)
        percentile = staticmethod(percentile)
        seconds = staticmethod(seconds)

    return Stats()
