"""The real files of other tools (../shared/samples): the counts of IMPORTERS.md section 8.

Skipped where the samples are absent (they are other projects' files, never copied here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from import_support import SAMPLES, round_trip

from stipa.operations.imports import import_file
from stipa.plugin import PluginHost

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is absent")

UCA = ("ucas_not_provided", "ucas_provided", "ucas_timing", "ucas_duration")


def _ucas(np: int, p: int, t: int, d: int) -> dict[str, int]:
    return {kind: n for kind, n in zip(UCA, (np, p, t, d), strict=True) if n}


#: IMPORTERS.md section 8, kind by kind (absent kinds are 0).
EXPECTED: dict[str, dict[str, int]] = {
    "pasta/Acc.stpa": {
        "components": 2,
        "control_actions": 3,
        "control_arrows": 1,
        "feedback": 2,
        "feedback_arrows": 1,
        "losses": 2,
        "hazards": 1,
        "constraints": 1,
        "responsibilities": 3,
        **_ucas(2, 3, 3, 2),
        "context_rules": 8,
        "controller_constraints": 10,
        "scenarios": 19,
        "scenarios_for_uca": 18,
        "scenarios_with_factor": 18,
        "requirements": 8,
        "dcas": 4,
        "kept_dca_rule": 3,
        "process_variables": 1,
        "process_values": 4,
    },
    "pasta/Aircraft-analysis-without-context-table.stpa": {
        "components": 4,
        "control_actions": 5,
        "control_arrows": 4,
        "feedback": 5,
        "feedback_arrows": 3,
        "losses": 2,
        "hazards": 2,
        "sub_hazards": 3,
        "constraints": 1,
        "sub_constraints": 2,
        "responsibilities": 3,
        **_ucas(1, 1, 0, 0),
        "controller_constraints": 2,
        "scenarios": 2,
        "scenarios_for_uca": 1,
        "kept_group_header": 1,
    },
    "pasta/small-controlStructure.stpa": {
        "components": 5,
        "nested_components": 2,
        "control_actions": 3,
        "control_arrows": 3,
        "feedback": 3,
        "feedback_arrows": 3,
    },
    "pasta/ferry.stpa": {
        "components": 3,
        "control_actions": 4,
        "control_arrows": 3,
        "feedback": 4,
        "feedback_arrows": 3,
        "losses": 1,
        "hazards": 1,
        "constraints": 1,
        "responsibilities": 2,
        **_ucas(1, 0, 0, 0),
        "controller_constraints": 1,
        "scenarios": 2,
        "scenarios_for_uca": 1,
        "requirements": 1,
        "kept_input": 2,
        "kept_output": 1,
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_counts(host: PluginHost, name: str) -> None:
    counts = dict(import_file(host, SAMPLES / name).report.counts)
    expected = EXPECTED[name]
    assert {kind: counts.get(kind, 0) for kind in expected} == expected
    # nothing counted that the table does not expect, apart from what is kept for export
    extra = {k for k in counts if k not in expected and not k.startswith("kept_")}
    assert extra <= {"process_variables", "process_values", "kept_safety_requirement"}


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.startswith("pasta/")))
def test_pasta_round_trip_of_samples(host: PluginHost, tmp_path: Path, name: str) -> None:
    round_trip(host, SAMPLES / name, tmp_path)
