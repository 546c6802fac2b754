"""Responsibility-mapping benchmark: the ``stipa.responsibility`` analysis and its matrix on
generated documents of 1,000 and 5,000 components (3 links each).

* analysis = ``list(run(context))`` on a fresh ``AnalysisContext`` of the snapshot (every
  rule, every finding built);
* matrix   = ``responsibility_matrix(snapshot)`` + ``human_roles(snapshot)`` (what the GUI
  view computes);
* baseline = ``snapshot.to_networkx()`` of the same snapshot: a plain linear pass over the
  same components and links.

All six (three operations at two sizes) are timed in turn, round after round, so the drift
of a shared machine hits them alike.

Budget (soft, printed): growth from 1,000 to 5,000 components no worse than 1.3x linear,
i.e. time(5,000) / time(1,000) <= 6.5. The growth of the medians is printed; the budget is
checked on the growth of the best rounds (load on a shared machine only ever adds time) and
on the growth of the medians relative to the baseline's (``5 * growth / baseline growth``),
since on this hardware even the linear baseline often grows faster than 5x.
"""

from __future__ import annotations

from typing import Any

import pytest

from stipa import AnalysisContext, Snapshot
from stipa.testing.generate import generate_document
from stipa_builtins.responsibility import (
    ANALYSIS_ID,
    human_roles,
    responsibility_matrix,
    run,
)

pytestmark = pytest.mark.bench

SMALL, LARGE = 1_000, 5_000
REPEAT = 9
LINEAR = LARGE / SMALL
GROWTH_BUDGET = 1.3 * LINEAR
SECTION = "responsibility"


def analyse(snapshot: Snapshot) -> int:
    return len(list(run(AnalysisContext(ANALYSIS_ID, snapshot))))


def matrix(snapshot: Snapshot) -> None:
    responsibility_matrix(snapshot)
    human_roles(snapshot)


def test_responsibility_growth(record: Any, stats: Any) -> None:
    snapshots = {
        n: generate_document(n, links_per_component=3, seed=0).snapshot() for n in (SMALL, LARGE)
    }
    findings = {n: analyse(snap) for n, snap in snapshots.items()}  # warm-up; work is done
    assert all(findings.values())
    runs = {}
    for n, snap in snapshots.items():
        runs[f"analysis_{n}"] = lambda s=snap: analyse(s)
        runs[f"matrix_{n}"] = lambda s=snap: matrix(s)
        runs[f"to_networkx_{n}"] = snap.to_networkx
    times = stats.interleaved(runs, REPEAT)
    med = {name: stats.median(values) for name, values in times.items()}

    for n, snap in snapshots.items():
        print(
            f"\n{n} components, {len(snap.links)} links, "
            f"{len(snap.responsibilities)} responsibilities: {findings[n]} findings"
        )
        for op in ("analysis", "matrix", "to_networkx"):
            value = med[f"{op}_{n}"]
            ratio = value / med[f"to_networkx_{n}"]
            print(f"  {op:12s}{stats.seconds(value)}  ratio to to_networkx {ratio:5.2f}x")
        record.add(
            SECTION,
            str(n),
            components=n,
            links=len(snap.links),
            responsibilities=len(snap.responsibilities),
            findings=findings[n],
            repeat=REPEAT,
            median_s={op: med[f"{op}_{n}"] for op in ("analysis", "matrix", "to_networkx")},
            samples_s={op: times[f"{op}_{n}"] for op in ("analysis", "matrix", "to_networkx")},
        )

    base = med[f"to_networkx_{LARGE}"] / med[f"to_networkx_{SMALL}"]
    print(
        f"\ngrowth {SMALL} -> {LARGE} (linear {LINEAR:g}x; the to_networkx baseline: {base:.2f}x)"
    )
    for op in ("analysis", "matrix"):
        growth = med[f"{op}_{LARGE}"] / med[f"{op}_{SMALL}"]
        best = min(times[f"{op}_{LARGE}"]) / min(times[f"{op}_{SMALL}"])
        relative = LINEAR * growth / base
        record.add(
            SECTION,
            "growth",
            **{op: growth, f"{op}_best": best, f"{op}_relative": relative, "to_networkx": base},
        )
        print(f"  {op}: growth of the medians {growth:.2f}x")
        record.check(SECTION, "growth", best, GROWTH_BUDGET, f"{op}_growth_best")
        record.check(SECTION, "growth", relative, GROWTH_BUDGET, f"{op}_growth_vs_baseline")
