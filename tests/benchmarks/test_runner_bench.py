"""Analysis runner benchmark: what running an analysis costs beyond the analysis itself.

Overhead = ``doc.snapshot()`` + running a trivial analysis (it returns ``[]``) through
``AnalysisRunner`` (worker thread, time limit, validation) + ``apply_outcomes`` with no
results. Baseline, measured in the same run: ``snapshot.to_networkx()`` of the same document —
the first thing a real analysis typically does (``context.graph``).

Budget (soft, printed): overhead within 2x of the baseline at 1,000 and 5,000 components.
Figures: medians of 5, printed as a table, written to ``build/benchmarks-runner.json`` and
merged into ``build/benchmarks.json`` with the other benchmarks' figures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stipa.analysis import AnalysisRunner, apply_outcomes
from stipa.plugin import Analysis
from stipa.testing import generate_document

pytestmark = pytest.mark.bench

SIZES = (1_000, 5_000)
REPEAT = 5
BUDGET = 2.0
SECTION = "runner"
RESULTS = Path(__file__).resolve().parents[2] / "build" / "benchmarks-runner.json"

TRIVIAL = Analysis(id="bench.trivial", title="Does nothing", run=lambda context: [])


@pytest.fixture(scope="module")
def figures() -> Any:
    """This module's figures, written to build/benchmarks-runner.json at its end."""
    rows: dict[str, Any] = {}
    yield rows
    if rows:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            json.dumps({"budget_overhead_ratio": BUDGET, "results": rows}, indent=2) + "\n",
            encoding="utf-8",
        )
        print(f"\nrunner figures written to {RESULTS}")


@pytest.mark.parametrize("components", SIZES)
def test_runner_overhead(components: int, record: Any, stats: Any, figures: Any) -> None:
    doc = generate_document(components, links_per_component=3, seed=0)
    snap = doc.snapshot()
    history = doc.can_undo, doc.undo_label
    findings = dict(doc.findings)

    def run(snapshot: Any) -> list[Any]:
        return AnalysisRunner([TRIVIAL]).run(snapshot)

    def overhead() -> None:
        apply_outcomes(doc, run(doc.snapshot()))

    run_result = run(snap)
    times = stats.interleaved(
        {
            "overhead": overhead,
            "snapshot": doc.snapshot,
            "dispatch": lambda: run(snap),
            "apply": lambda: apply_outcomes(doc, run_result),
            "to_networkx": snap.to_networkx,
        },
        REPEAT,
    )
    med = {name: stats.median(values) for name, values in times.items()}

    # The work really was done, and changed nothing (not a timing check).
    (outcome,) = run_result
    assert outcome.status == "ok" and outcome.findings == [] and outcome.problems == []
    assert dict(doc.findings) == findings and (doc.can_undo, doc.undo_label) == history
    assert snap.to_networkx().number_of_nodes() == components

    ratio = med["overhead"] / med["to_networkx"]
    name = str(components)
    row = {
        "components": components,
        "links": len(doc.links),
        "records": len(doc),
        "repeat": REPEAT,
        "median_s": med,
        "samples_s": times,
        "overhead_ratio": ratio,
        "within_budget": ratio <= BUDGET,
    }
    figures[name] = row
    record.add(SECTION, name, **row)
    print(f"\n{components} components, {len(doc.links)} links, {len(doc)} records")
    print(f"  {'part':24s}{'median':>11s}  {'x to_networkx':>13s}")
    parts = [
        ("overhead (all below)", "overhead"),
        ("  snapshot", "snapshot"),
        ("  runner dispatch", "dispatch"),
        ("  apply (no results)", "apply"),
        ("to_networkx (baseline)", "to_networkx"),
    ]
    for label, key in parts:
        print(f"  {label:24s}{stats.seconds(med[key])}  {med[key] / med['to_networkx']:12.2f}x")
    record.check(SECTION, name, ratio, BUDGET, "overhead_ratio")
