"""Import benchmark: a generated PASTA file of 1,000 components, 3,000 control actions, 1,000 UCAs.

* whole process = ``stipa import GEN.stpa -o OUT.stipa`` run as a new process: interpreter
  start, plugin discovery, reading, parsing, building the document, laying it out, saving.
  Budget: 5 s.
* in process = ``stipa.operations.imports.import_file`` (parse + build + lay out), timed
  beside its baseline in the same run: parsing the text alone (``pasta_syntax.parse``).

Budgets are soft: "WITHIN BUDGET" / "OVER BUDGET" is printed, never a failure.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from stipa.operations.imports import import_file
from stipa.plugin import PluginHost
from stipa_builtins.importers.pasta_syntax import parse

pytestmark = [pytest.mark.bench]

COMPONENTS = 1_000
ACTIONS_PER_ARROW = 3
UCA_ACTIONS = 250  # four UCAs (one per block) on each: 1,000 UCAs
WHOLE_BUDGET = 5.0
REPEAT = 3
SECTION = "import"


def generated_pasta() -> str:
    """A PASTA analysis of the benchmark's size, every section PASTA has."""
    lines = ["Losses", *(f'L{i} "Loss {i}"' for i in range(10)), "", "Hazards"]
    lines += [f'H{i} "Hazard {i}" [L{i}]' for i in range(10)]
    lines += ["", "ControlStructure", "Plant {"]
    for i in range(COMPONENTS):
        actions = ", ".join(f'a{i}_{k} "Action {k} of node {i}"' for k in range(ACTIONS_PER_ARROW))
        lines += [
            f"    N{i} {{",
            f"        hierarchyLevel {i % 5}",
            "        controlActions {",
            f"            [{actions}] -> N{(i + 1) % COMPONENTS}",
            "        }",
            "    }",
        ]
    lines += ["}", "", "UCAs"]
    for i in range(UCA_ACTIONS):
        lines.append(f"N{i}.a{i}_0 {{")
        for n, block in enumerate(
            ("notProviding", "providing", "tooEarlyOrLateOrWrongOrder", "stoppedTooSoonOrLate")
        ):
            lines.append(f'    {block} {{ UCA{i}_{n} "Node {i} case {n}" [H{i % 10}] }}')
        lines.append("}")
    return "\n".join(lines) + "\n"


def test_import_generated_pasta(record: Any, tmp_path: Path) -> None:
    source = tmp_path / "generated.stpa"
    text = generated_pasta()
    source.write_text(text, encoding="utf-8")
    host = PluginHost().discover()

    parse_times, import_times = [], []
    for _ in range(REPEAT):
        start = time.perf_counter()
        parse(text, str(source))
        parse_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        imported = import_file(host, source)
        import_times.append(time.perf_counter() - start)
    counts = imported.report.counts
    assert counts["components"] == COMPONENTS
    assert counts["control_actions"] == COMPONENTS * ACTIONS_PER_ARROW
    assert sum(counts[k] for k in counts if k.startswith("ucas_")) == 4 * UCA_ACTIONS
    assert len(imported.document.node_layout) == COMPONENTS

    whole_times = []
    for run in range(REPEAT):
        out = tmp_path / f"out{run}.stipa"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "stipa", "import", str(source), "-o", str(out)],
            check=True,
            capture_output=True,
        )
        whole_times.append(time.perf_counter() - start)
        assert out.stat().st_size > 0

    parse_s, import_s, whole_s = min(parse_times), min(import_times), min(whole_times)
    print(
        f"\n{COMPONENTS} components, {counts['control_actions']} control actions, "
        f"{4 * UCA_ACTIONS} UCAs, {len(text) / 1e6:.1f} MB of PASTA text"
        f"\n  parse alone (baseline): {parse_s:.3f} s"
        f"\n  import in process (parse + build + layout): {import_s:.3f} s "
        f"({import_s / parse_s:.1f}x the parse)"
        f"\n  stipa import, whole process (incl. save): {whole_s:.3f} s"
    )
    record.add(
        SECTION,
        "pasta_1000",
        parse_s=parse_s,
        import_s=import_s,
        whole_process_s=whole_s,
        import_vs_parse=import_s / parse_s,
    )
    record.check(SECTION, "pasta_1000", whole_s, WHOLE_BUDGET, "whole_process", unit=" s")
