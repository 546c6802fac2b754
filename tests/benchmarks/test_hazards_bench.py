"""Hazard-enumeration benchmark: the ``stipa.hazards`` analysis on generated documents of
1,000 and 5,000 components (3 links each).

* analysis = ``list(run(context))`` on a fresh ``AnalysisContext`` of the snapshot (every
  suggestion and finding built);
* runner   = the same through ``AnalysisRunner.run_one`` (worker thread, every result
  validated), i.e. what a run from the GUI or ``stipa analyze`` costs before it is applied;
* baselines, measured in the same run: ``snapshot.to_networkx()`` of the same snapshot (a plain
  linear pass over the components and links), and ``results only``: making as many findings
  and suggestions as the analysis returns, with fixed texts and no analysis — the floor of any
  analysis with this much output (at 5,000 components that is about 50,000 records, and
  Python's cyclic garbage collector, which traverses the whole heap now and then, makes even
  this floor grow faster than linearly).

All are timed in turn, round after round, so the drift of a shared machine hits them alike.

Budget (soft, printed): growth from 1,000 to 5,000 components no worse than 1.3x linear,
i.e. time(5,000) / time(1,000) <= 6.5 — checked on the raw growth, and on the growth relative
to the to_networkx baseline (``5 * growth / baseline growth``), since on this hardware even
a linear pass grows faster than 5x (larger tables fall out of the CPU caches).
"""

from __future__ import annotations

from typing import Any

import pytest

from stipa import AnalysisContext, Finding, Snapshot, Suggestion, UnsafeControlAction
from stipa.analysis import AnalysisRunner
from stipa.testing.generate import generate_document
from stipa_builtins.hazards import ANALYSIS_ID, analysis, run

pytestmark = pytest.mark.bench

SMALL, LARGE = 1_000, 5_000
REPEAT = 7
LINEAR = LARGE / SMALL
GROWTH_BUDGET = 1.3 * LINEAR
SECTION = "hazards"
OPERATIONS = ("analysis", "runner", "results_only", "to_networkx")


def analyse(snapshot: Snapshot) -> list[Finding | Suggestion]:
    return list(run(AnalysisContext(ANALYSIS_ID, snapshot)))


def through_runner(snapshot: Snapshot) -> int:
    hazards = analysis()
    outcome = AnalysisRunner([hazards], timeout=600).run_one(hazards, snapshot)
    assert outcome.succeeded and not outcome.problems
    return len(outcome.findings) + len(outcome.suggestions)


def results_only(snapshot: Snapshot, findings: int, suggestions: int) -> int:
    """As many plain findings and suggestions as the analysis makes, and nothing else."""
    context = AnalysisContext(ANALYSIS_ID, snapshot)
    component = next(iter(snapshot.components))
    action = next(
        item.id
        for link in snapshot.links.values()
        if link.kind == "control_action"
        for item in link.items
    )
    made: list[Finding | Suggestion] = [
        context.finding("bench.finding", f"Finding {i}", (component,)) for i in range(findings)
    ]
    made += [
        context.suggestion(
            "bench.suggestion",
            f"Suggestion {i}",
            UnsafeControlAction(action=action, type="provided", context=f"when {i}"),
            (action,),
        )
        for i in range(suggestions)
    ]
    return len(made)


def test_hazards_growth(record: Any, stats: Any) -> None:
    snapshots = {
        n: generate_document(n, links_per_component=3, seed=0).snapshot() for n in (SMALL, LARGE)
    }
    made = {n: analyse(snap) for n, snap in snapshots.items()}  # warm-up; the work is done
    counts = {
        n: (
            sum(isinstance(r, Finding) for r in results),
            sum(isinstance(r, Suggestion) for r in results),
        )
        for n, results in made.items()
    }
    assert all(f and s for f, s in counts.values())
    assert through_runner(snapshots[SMALL]) == sum(counts[SMALL])
    del made
    runs = {}
    for n, snap in snapshots.items():
        runs[f"analysis_{n}"] = lambda s=snap: analyse(s)
        runs[f"runner_{n}"] = lambda s=snap: through_runner(s)
        runs[f"results_only_{n}"] = lambda s=snap, c=counts[n]: results_only(s, *c)
        runs[f"to_networkx_{n}"] = snap.to_networkx
    times = stats.interleaved(runs, REPEAT)
    med = {name: stats.median(values) for name, values in times.items()}

    for n, snap in snapshots.items():
        findings, suggestions = counts[n]
        print(
            f"\n{n} components, {len(snap.links)} links, {len(snap.ucas)} UCAs: "
            f"{findings} findings, {suggestions} suggestions"
        )
        for op in OPERATIONS:
            value = med[f"{op}_{n}"]
            ratio = value / med[f"to_networkx_{n}"]
            print(f"  {op:13s}{stats.seconds(value)}  ratio to to_networkx {ratio:6.2f}x")
        record.add(
            SECTION,
            str(n),
            components=n,
            links=len(snap.links),
            findings=findings,
            suggestions=suggestions,
            repeat=REPEAT,
            median_s={op: med[f"{op}_{n}"] for op in OPERATIONS},
            samples_s={op: times[f"{op}_{n}"] for op in OPERATIONS},
        )

    growth = {op: med[f"{op}_{LARGE}"] / med[f"{op}_{SMALL}"] for op in OPERATIONS}
    base = growth["to_networkx"]
    print(
        f"\ngrowth {SMALL} -> {LARGE} (linear {LINEAR:g}x; baselines: to_networkx {base:.2f}x, "
        f"results only {growth['results_only']:.2f}x)"
    )
    for op in ("analysis", "runner"):
        relative = LINEAR * growth[op] / base
        beyond_output = LINEAR * growth[op] / growth["results_only"]
        record.add(
            SECTION,
            "growth",
            **{
                op: growth[op],
                f"{op}_relative": relative,
                f"{op}_relative_to_results_only": beyond_output,
                "to_networkx": base,
            },
            results_only=growth["results_only"],
        )
        record.check(SECTION, "growth", growth[op], GROWTH_BUDGET, f"{op}_growth")
        record.check(SECTION, "growth", relative, GROWTH_BUDGET, f"{op}_growth_vs_baseline")
        # information, no verdict: the growth of the analysis' own work, the cost of making
        # its output factored out
        print(f"  (info) {op}_growth_vs_results_only = {beyond_output:.2f}x")
