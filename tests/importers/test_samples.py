"""The real files of other tools (../shared/samples): the counts of IMPORTERS.md section 8.

Skipped where the samples are absent (they are other projects' files, never copied here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from import_support import SAMPLES, round_trip

from stipa.diagram.metrics import drawing_of, measure
from stipa.operations.imports import import_file
from stipa.operations.layout import auto_layout
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
    "xstampp/Adaptive Cruise Control System.haz": {
        "components": 5,
        "kept_text_box": 13,
        "process_models": 2,
        "process_variables": 2,
        "process_values": 5,
        "control_arrows": 3,
        "feedback_arrows": 2,
        "kept_arrow": 2,
        "losses": 2,
        "hazards": 5,
        "constraints": 3,
        "control_actions": 2,
        **_ucas(4, 2, 3, 2),
        "controller_constraints": 4,
        "hazard_loss_links": 6,
        "uca_hazard_links": 14,
        "causal_factor_hazard_links": 4,
        "requirements": 3,
        "kept_causal_factor": 4,
    },
    "webstamp/TrainDoorSystem.json": {
        "components": 4,
        "control_arrows": 1,
        "feedback_arrows": 2,
        "control_actions": 2,
        "process_variables": 4,
        "process_values": 9,
        "losses": 3,
        "hazards": 3,
        "hazard_loss_links": 3,
        "constraints": 6,
        "constraint_hazard_links": 8,
        "goals": 4,
        "assumptions": 5,
        "context_rows": 22,
        "hazardous_cells": 10,
        **_ucas(0, 1, 0, 0),
        "controller_constraints": 1,
        "scenarios": 0,
    },
    "capella/Handbook_Example.capella": {
        "losses": 4,
        "hazards": 4,
        "sub_hazards": 10,
        "constraints": 5,
        "components": 9,
        "nested_components": 7,
        "control_arrows": 8,
        "control_actions": 9,
        "feedback_arrows": 6,
        "feedback": 9,
        "process_variables": 4,
        "responsibilities": 9,
        **_ucas(2, 4, 2, 1),
        "scenarios": 14,
        "kept_control_flaw": 72,
    },
    "gaphor/raaml-example.gaphor": {
        "diagrams": 8,
        "losses": 3,
        "hazards": 4,
        "operational_situations": 1,
        "abstract_operational_situations": 1,
        "scenarios": 0,
        "ucas_not_provided": 0,
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_counts(host: PluginHost, name: str) -> None:
    counts = dict(import_file(host, SAMPLES / name).report.counts)
    expected = EXPECTED[name]
    assert {kind: counts.get(kind, 0) for kind in expected} == expected
    # the arrows of the table: every arrow either carried (by kind) or kept (free ends)
    if name.startswith("pasta/"):
        assert not {k for k in counts if k.startswith("ucas_")} - set(expected)


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.startswith("pasta/")))
def test_pasta_round_trip_of_samples(host: PluginHost, tmp_path: Path, name: str) -> None:
    round_trip(host, SAMPLES / name, tmp_path)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_imported_diagrams_have_no_overlaps(host: PluginHost, name: str) -> None:
    # the file's own positions, or the automatic layout where it has none
    metrics = measure(drawing_of(import_file(host, SAMPLES / name).document))
    assert metrics.component_overlaps == 0
    assert metrics.label_overlaps == 0


def test_the_capella_handbook_example_is_laid_out_as_auto_layout_lays_it_out(
    host: PluginHost,
) -> None:
    # no position in the file: the importer lays the structure out, containers as clusters,
    # labels given free room; Arrange > Auto Layout then finds nothing to change, however
    # often it runs (a container does not grow by the room its labels took last time)
    doc = import_file(host, SAMPLES / "capella/Handbook_Example.capella").document
    assert any(component.parent for component in doc.components.values())
    before = measure(drawing_of(doc))
    assert before.links == 15 and before.label_overlaps == 0
    assert before.control_down_share == 1.0
    assert auto_layout(doc) == 0
    assert auto_layout(doc) == 0
    assert measure(drawing_of(doc)) == before
