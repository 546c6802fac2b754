"""PASTA import, its report, its tolerance, its errors, and the export back to PASTA."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_support import FIXTURES, round_trip

from stipa.io import FileFormatError
from stipa.operations.imports import import_file
from stipa.plugin import PluginHost
from stipa_builtins.importers.pasta_syntax import parse


def test_every_construct_is_carried_over_or_listed(host: PluginHost) -> None:
    imported = import_file(host, FIXTURES / "small.stpa")
    doc, report = imported.document, imported.report
    assert report.counts["losses"] == 2
    assert report.counts["hazards"] == 2 and report.counts["sub_hazards"] == 2
    assert report.counts["constraints"] == 1 and report.counts["sub_constraints"] == 1
    assert report.counts["components"] == 2 + 1  # Driver, Vehicle and the nested Brakes
    assert report.counts["nested_components"] == 1
    assert (report.counts["control_actions"], report.counts["control_arrows"]) == (2, 1)
    assert (report.counts["feedback"], report.counts["feedback_arrows"]) == (1, 1)
    assert [
        report.counts[f"ucas_{t}"] for t in ("not_provided", "provided", "timing", "duration")
    ] == [1, 1, 1, 1]
    assert report.counts["scenarios"] == 3 and report.counts["scenarios_for_uca"] == 2
    assert report.counts["requirements"] == 1
    # the comment hides UCA9; non-ASCII text and the other quote survive
    assert "hidden by a comment" not in {u.context for u in doc.ucas.values()}
    assert any("Τραμ" in h.text for h in doc.hazards.values())
    assert 'Loss of the "tram"' in {loss.text for loss in doc.losses.values()}
    # sub-hazards refine their hazard
    parents = {h.text: h.parent for h in doc.hazards.values()}
    assert doc.hazards[parents["Braking is late"]].text == "Tram too close to an obstacle"
    # the capitalised causal factor is read as the grammar spells it, category inferred
    s1 = next(s for s in doc.scenarios.values() if s.text.startswith("Driver believes"))
    assert s1.factor.value == "wrong_process_model" and s1.category.value == "controller"
    # every record keeps its PASTA id; nesting, levels and requirements land in the model
    assert {u.alias for u in doc.ucas.values()} == {"UCA1", "UCA2", "UCA3", "UCA4"}
    brakes = next(c for c in doc.components.values() if c.alias == "Brakes")
    assert doc.components[brakes.parent].alias == "Vehicle"
    assert doc.components[brakes.parent].level == 1
    (requirement,) = doc.requirements.values()
    assert requirement.alias == "SR1"
    assert [len(requirement.scenarios), len(requirement.ucas), len(requirement.hazards)] == [
        1,
        1,
        1,
    ]
    # the label names the component; kind inferred from what it sends
    driver = next(c for c in doc.components.values() if c.name == "Tram driver")
    assert driver.kind.value == "controller"
    assert driver.variables[0].values == ("stopped", "slow", "fast")
    kinds = {note.kind for note in report.not_carried}
    assert {"goal", "assumption", "input", "output", "constraint refinement"} <= kinds
    assert all(note.where.startswith("small.stpa:") for note in report.not_carried)
    assert any("WrongProcessModel" in str(note) for note in report.inferred)
    assert any(note.kind == "position" for note in report.inferred)
    assert len(doc.node_layout) == len(doc.components)  # laid out: bands by level, nested inside
    vehicle, brakes = doc.node_layout[brakes.parent], doc.node_layout[brakes.id]
    assert vehicle.x < brakes.x and brakes.x + brakes.width < vehicle.x + vehicle.width
    assert vehicle.y < brakes.y and brakes.y + brakes.height < vehicle.y + vehicle.height
    assert doc.node_layout[driver.id].y < vehicle.y  # level 0 above level 1
    assert not doc.can_undo  # a new document, not an edit


def test_both_keyword_generations(host: PluginHost) -> None:
    report = import_file(host, FIXTURES / "old-keywords.stpa").report
    assert report.counts["ucas_provided"] == 1
    assert report.counts["ucas_timing"] == 1 and report.counts["ucas_duration"] == 1
    assert sum("before 0.6.3" in note.message for note in report.inferred) == 2
    with pytest.raises(
        FileFormatError,
        match=r"old-keywords.stpa:22:5: tooEarly/Late is PASTA's keyword before 0.6.3",
    ):
        parse((FIXTURES / "old-keywords.stpa").read_text(), "old-keywords.stpa", strict=True)


def test_context_table_makes_ucas_and_structured_rules(host: PluginHost) -> None:
    imported = import_file(host, FIXTURES / "context-table.stpa")
    doc, report = imported.document, imported.report
    assert report.counts["context_rules"] == 2
    assert report.counts["ucas_provided"] == 2 and report.counts["ucas_timing"] == 1
    assert report.counts["dcas"] == 1
    assert len(doc.context_rules) == 3
    assert {(r.alias, r.subtype.value) for r in doc.context_rules.values()} == {
        ("RL1", ""),
        ("RL2", "too_late"),
    }
    variable = next(iter(doc.components.values())).variables[0]
    assert {(c.variable, c.value) for r in doc.context_rules.values() for c in r.conditions} == {
        (variable.id, "near"),
        (variable.id, "far"),
    }
    assert [note.kind for note in report.not_carried] == ["DCA rule"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('Losses\nL1 "Loss"\nHazards\nH1 "Hazard" [L9]\n', "t.stpa:4: L9 is not a loss"),
        ('Losses\nL1 "unterminated\n', 't.stpa:2:4: The text opened by " is never closed'),
        ('Losses\nL1 "a"\nHazards\nH1 "b" [L1\n', "t.stpa:5:1: Expected ']'"),
        ("Lossez\n", "t.stpa:1:1: Expected a section keyword"),
        ('LossScenarios\nS1 <bogus> "x" [H1]\n', "t.stpa:2:5: Expected one of the causal"),
        ('Losses\nL1 "a" §\n', "t.stpa:2:8: Unexpected character"),
        ('Losses\nL1 "a"\n/* L2 "b"\n', "t.stpa:3:1: The comment opened by /* is never"),
    ],
)
def test_malformed_files_give_one_clear_error(
    host: PluginHost, tmp_path: Path, text: str, where: str
) -> None:
    path = tmp_path / "t.stpa"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        import_file(host, path)
    assert len(caught.value.problems) == 1
    assert str(caught.value.problems[0]).replace(str(tmp_path) + "/", "").startswith(where)


def test_not_utf8_is_refused(host: PluginHost, tmp_path: Path) -> None:
    path = tmp_path / "latin.stpa"
    path.write_bytes(b'Losses\nL1 "\xe9t\xe9"\n')
    with pytest.raises(FileFormatError, match=r"latin\.stpa:2: The file is not UTF-8"):
        import_file(host, path)


@pytest.mark.parametrize("name", ["small.stpa", "context-table.stpa", "old-keywords.stpa"])
def test_round_trip_of_fixtures(host: PluginHost, tmp_path: Path, name: str) -> None:
    round_trip(host, FIXTURES / name, tmp_path)


def test_export_through_the_plugin_host(host: PluginHost, tmp_path: Path) -> None:
    doc = import_file(host, FIXTURES / "small.stpa").document
    out = tmp_path / "out.stpa"
    host.exporters["pasta"].export(doc.snapshot(), out, {})
    model = parse(out.read_text(encoding="utf-8"), str(out), strict=True)
    assert [g.name for g in model.goals] == ["G1"]
    assert [r.name for r in model.requirements] == ["SR1"]
    assert model.nodes[1].children[0].name == "Brakes"  # nesting written back


@pytest.mark.parametrize(
    "name", ["small.hazx", "small-webstamp.json", "small.capella", "small-v4.gaphor"]
)
def test_other_formats_export_to_pasta_the_grammar_reads(
    host: PluginHost, tmp_path: Path, name: str
) -> None:
    """Ids PASTA cannot read are rewritten; what PASTA cannot hold is a comment saying why."""
    doc = import_file(host, FIXTURES / name).document
    out = tmp_path / "out.stpa"
    host.exporters["pasta"].export(doc.snapshot(), out, {})
    text = out.read_text(encoding="utf-8")
    model = parse(text, str(out), strict=True)
    assert len(model.losses) == len(doc.losses)
    again = import_file(host, out).document
    assert sorted(h.text for h in again.hazards.values()) == sorted(
        h.text for h in doc.hazards.values()
    )


def test_a_text_with_both_quote_marks_is_written_and_said(host: PluginHost, tmp_path: Path) -> None:
    doc = import_file(host, FIXTURES / "old-keywords.stpa").document
    loss = next(iter(doc.losses.values()))
    doc.update(loss.id, text='The "door" won\'t open')
    out = tmp_path / "out.stpa"
    host.exporters["pasta"].export(doc.snapshot(), out, {})
    text = out.read_text(encoding="utf-8")
    assert text.startswith("// 1 texts hold both quote marks")
    parse(text, str(out), strict=True)
    again = import_file(host, out).document
    assert next(iter(again.losses.values())).text == "The \u201ddoor\u201d won't open"
