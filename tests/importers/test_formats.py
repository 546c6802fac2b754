"""XSTAMPP, WebSTAMP, STPA-Capella and Gaphor import on small files written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_support import FIXTURES

from stipa.io import FileFormatError
from stipa.model import Document, Loss
from stipa.operations.imports import import_file
from stipa.plugin import Importer, PluginHost


def test_xstampp_3_positions_links_and_pitfalls(host: PluginHost) -> None:
    imported = import_file(host, FIXTURES / "small.hazx")
    doc, report = imported.document, imported.report
    by_name = {c.name: c for c in doc.components.values()}
    motor = doc.node_layout[by_name["Motor"].id]
    assert (motor.x, motor.y) == (70.0, 330.0)  # inside the dashed box at (50, 300)
    assert by_name["Pump software"].variables[0].values == ("low", "very high")
    kinds = {(doc.components[k.source].name, k.kind.value) for k in doc.links.values()}
    assert kinds == {("Pump software", "control_action"), ("Flow sensor", "feedback")}
    action = next(k for k in doc.links.values() if k.kind.value == "control_action")
    assert [item.name for item in action.items] == ["Pump rate"]  # from its CONTROLACTION label
    # links whose ends come in either order are resolved against the tables (pitfall 1)
    assert report.counts["uca_hazard_links"] == 2
    assert all(u.hazards for u in doc.ucas.values())
    assert report.counts["ucas_provided"] == 1 and report.counts["ucas_not_provided"] == 1
    assert "" in {u.context for u in doc.ucas.values()}  # a UCA without text (pitfall 5)
    assert doc.info.description == "Line one\r\nline\ttwo".replace("\r\n", "\n")
    kept = {note.kind for note in report.not_carried}
    assert {"text box", "arrow", "link", "dashedbox", "UCA"} <= kept
    assert [r.alias for r in doc.requirements.values()] == ["DR-1"]
    assert {h.alias for h in doc.hazards.values()} == {"H-1"}  # kept through the link pass
    assert any("labels a feedback arrow" in n.message for n in report.inferred)  # pitfall 2
    assert not any(n.kind == "position" for n in report.inferred)  # the file had positions


@pytest.mark.parametrize("name", ["small-webstamp.json", "small-webstamp.xml"])
def test_webstamp_json_and_xml_read_alike(host: PluginHost, name: str) -> None:
    imported = import_file(host, FIXTURES / name)
    doc, report = imported.document, imported.report
    assert report.counts["components"] == 4
    controller = next(c for c in doc.components.values() if c.name == "Door controller")
    assert controller.role == "software"
    assert controller.variables[0].values == ("clear", "blocked")
    rules = sorted((r.type.value, r.hazardous) for r in doc.context_rules.values())
    assert rules == [("not_provided", False), ("provided", True)]
    assert all(c.value == "blocked" for r in doc.context_rules.values() for c in r.conditions)
    (uca,) = doc.ucas.values()
    assert uca.type.value == "provided" and uca.hazards
    (scenario,) = doc.scenarios.values()
    assert scenario.ucas == (uca.id,) and scenario.causal_factor == "feedback"
    # a single related row is an object, not a list: still read
    assert next(iter(doc.hazards.values())).losses
    (requirement,) = doc.requirements.values()
    assert requirement.text == "Two sensors" and requirement.scenarios == (scenario.id,)
    assert {n.kind for n in report.not_carried} == {"goal"}


def test_capella_defaults_nesting_and_flaws(host: PluginHost) -> None:
    imported = import_file(host, FIXTURES / "small.capella")
    doc, report = imported.document, imported.report
    types = sorted(u.type.value for u in doc.ucas.values())
    assert types == ["duration", "not_provided"]  # kind omitted = NOT_PROVIDING
    winch = next(c for c in doc.components.values() if c.name == "Winch")
    assert winch.kind.value == "controlled_process"
    assert report.counts["nested_components"] == 1
    assert report.counts["sub_hazards"] == 1
    (scenario,) = doc.scenarios.values()
    assert scenario.ucas and scenario.hazards
    assert {"control flaw", "process variable"} <= {n.kind for n in report.not_carried}


def test_gaphor_version_4_best_effort(host: PluginHost) -> None:
    imported = import_file(host, FIXTURES / "small-v4.gaphor")
    report, doc = imported.report, imported.document
    (controller,) = doc.components.values()
    box = doc.node_layout[controller.id]  # 10 + 100, 20 + 50: the parent item resolved
    assert (box.x, box.y, box.width, box.height) == (110.0, 70.0, 120.5, 60.0)
    assert report.counts["losses"] == 1 and report.counts["hazards"] == 1
    assert report.counts["components"] == 1 and report.counts["scenarios"] == 1
    assert report.counts["ucas_too_late"] == 1  # typed by its template, listed
    assert any("Brake too late" in n.message for n in report.not_carried)


def test_gaphor_3_nested_canvas_items_keep_their_place(host: PluginHost) -> None:
    imported = import_file(host, FIXTURES / "small-v3.gaphor")
    (sensor,) = imported.document.components.values()
    assert sensor.kind.value == "sensor"
    box = imported.document.node_layout[sensor.id]
    assert (box.x, box.y, box.width, box.height) == (35.0, 45.0, 100.0, 50.0)
    assert not any(n.kind == "position" for n in imported.report.inferred)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("evil.hazx", b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "DTDs are not allowed"),
        ("cut.hazx", b'<a:dataModelController xmlns:a="astpa.model"><hazacc>', "not well-formed"),
        ("other.haz", b"<project/>", "not an XSTAMPP project"),
        ("deep.json", b"[" * 200 + b"]" * 200, "nests deeper"),
        ("cut.json", b'{"losses": [', "not valid JSON"),
        ("list.json", b"[1, 2]", "not a WebSTAMP project"),
        ("evil.xml", b'<!DOCTYPE p SYSTEM "http://x/p.dtd"><project/>', "DTDs are not allowed"),
        ("none.capella", b"<a/>", "holds no STPA analysis"),
        ("other.gaphor", b"<model/>", "not a Gaphor model"),
    ],
)
def test_hostile_and_malformed_files_give_one_error(
    host: PluginHost, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FileFormatError, match=message) as caught:
        import_file(host, path)
    assert len(caught.value.problems) == 1


def test_huge_files_are_refused_before_reading(
    host: PluginHost, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stipa.io.foreign as foreign

    monkeypatch.setattr(foreign.read_foreign_file, "__defaults__", (1000,))
    path = tmp_path / "huge.json"
    path.write_bytes(b'{"losses": [' + b'{"id": 1},' * 500 + b'{"id": 2}]}')
    with pytest.raises(FileFormatError, match="too large"):
        import_file(host, path)


def test_a_failing_importer_gives_one_error_and_no_document(tmp_path: Path) -> None:
    """An in-house importer's bug never leaves half a document: one clear error instead."""

    def broken(path: Path) -> Document:
        raise ValueError("row 3 has no id")

    host = PluginHost()
    host.importers["broken"] = Importer("broken", "Broken", (".brk",), broken)
    path = tmp_path / "a.brk"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(FileFormatError, match="The Broken importer failed: row 3 has no id"):
        import_file(host, path)


def test_an_importer_returning_a_bare_document_gets_counts(tmp_path: Path) -> None:
    def plain(path: Path) -> Document:
        doc = Document()
        doc.add(Loss(text="Loss"))
        return doc

    host = PluginHost()
    host.importers["plain"] = Importer("plain", "Plain", (".pln",), plain)
    path = tmp_path / "a.pln"
    path.write_text("x", encoding="utf-8")
    report = import_file(host, path).report
    assert report.counts == {"losses": 1} and report.format == "plain"
