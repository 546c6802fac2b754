"""stipa.export.workbook: XLSX export, edits in Excel, import back as one undo step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from stipa import io
from stipa.export.tables import RECORD_TABLES
from stipa.export.workbook import (
    DELETE_HEADER,
    REVISION_HEADER,
    export_workbook,
    import_workbook,
)
from stipa.model import Component, Document


@pytest.fixture
def doc(stipa_example: Callable[[str], Document]) -> Document:
    return stipa_example("wheel-brakes")


def _edit(path: Path, sheet: str, record_id: str, header: str, value: str | None) -> int:
    """Set one cell of the row of ``record_id`` (or a new row when "") with openpyxl."""
    book = load_workbook(path)
    ws = book[sheet]
    headers = [cell.value for cell in ws[1]]
    column = headers.index(header) + 1
    if record_id:
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == record_id)
    else:
        row = ws.max_row + 1
    ws.cell(row, column).value = value
    book.save(path)
    return row


def test_export_writes_every_table_with_headers(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [spec.sheet for spec in RECORD_TABLES] + ["UCA table", "Read me"]
    ws = book["Hazards"]
    assert [c.value for c in ws[1]] == [
        "ID",
        "Alias",
        "Parent",
        "Hazard",
        "Losses",
        "Description",
        DELETE_HEADER,
        REVISION_HEADER,
    ]
    assert ws.max_row == 1 + len(doc.hazards)
    assert ws["A6"].value == "H-4.1" and ws["E6"].value == "L-1, L-2, L-3, L-5"
    assert book["UCA table"].max_row == 10


def test_unchanged_workbook_imports_nothing(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert report.ok and not report.applied and report.changes == 0
    assert io.dumps(doc) == before and not doc.can_undo


def test_one_edited_cell_arrives_exactly(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    _edit(path, "UCAs", "UCA-3", "Context", "too late (>2 seconds) after touchdown")
    before = {r.id: r for r in doc.records()}
    report = import_workbook(doc, path)
    assert report.ok and report.applied, report.problems
    assert report.updated == ["UCA-3"] and not report.added and not report.deleted
    after = {r.id: r for r in doc.records()}
    changed = [i for i in after if after[i] != before[i]]
    assert changed == ["UCA-3"]
    assert after["UCA-3"] == before["UCA-3"].replace(
        context="too late (>2 seconds) after touchdown"
    )
    assert doc.undo_label == "Import tables from tables.xlsx"
    doc.undo()
    assert {r.id: r for r in doc.records()} == before


def test_additions_updates_and_deletions_form_one_undo_step(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    original = io.dumps(doc)
    row = _edit(path, "Hazards", "", "Hazard", "Braking on a wet runway is insufficient")
    _edit_row(path, "Hazards", row, {"Parent": "H-4", "Losses": "L-1, L-2"})
    _edit(path, "Losses", "L-5", DELETE_HEADER, "yes")
    _edit(path, "Hazards", "H-4.2", "Losses", "L-1")
    report = import_workbook(doc, path)
    assert report.ok and report.applied, [str(p) for p in report.problems]
    assert report.added == ["H-4.7"] and report.updated == ["H-4.2"]
    assert report.deleted == ["L-5"]
    assert doc.hazards["H-4.7"].parent == "H-4"
    assert doc.hazards["H-4.7"].losses == ("L-1", "L-2")
    assert "L-5" not in doc.losses and "L-5" not in doc.hazards["H-4"].losses
    assert doc.hazards["H-4.2"].losses == ("L-1",)
    doc.undo()
    assert io.dumps(doc) == original


def _edit_row(path: Path, sheet: str, row: int, values: dict[str, str]) -> None:
    book = load_workbook(path)
    ws = book[sheet]
    headers = [cell.value for cell in ws[1]]
    for header, value in values.items():
        ws.cell(row, headers.index(header) + 1).value = value
    book.save(path)


def test_unknown_id_is_refused_and_nothing_changes(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    _edit(path, "Losses", "L-1", "Loss", "Loss of life")  # a valid edit elsewhere
    row = _edit(path, "Hazards", "", "Hazard", "Ghost hazard")
    _edit_row(path, "Hazards", row, {"ID": "H-99"})
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert not report.ok and not report.applied
    assert [str(p) for p in report.problems] == [
        f"Hazards, row {row}, column ID: Unknown id H-99: no hazard of the document has it "
        "(leave the ID empty to add a new one)."
    ]
    assert report.summary() == "Nothing was imported: 1 problem in tables.xlsx."
    assert io.dumps(doc) == before and not doc.can_undo


def test_broken_reference_is_refused_with_sheet_row_and_column(
    doc: Document, tmp_path: Path
) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    row = _edit(path, "System constraints", "SC-2", "Hazards", "H-2, H-42")
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert [(p.sheet, p.row, p.column, p.message) for p in report.problems] == [
        ("System constraints", row, "Hazards", "H-42 is not a hazard of the document.")
    ]
    assert io.dumps(doc) == before and not doc.can_undo


def test_reference_to_a_record_deleted_by_the_same_workbook(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    deleted_row = _edit(path, "Losses", "L-4", DELETE_HEADER, "x")
    row = _edit(path, "Hazards", "H-3", "Losses", "L-1, L-4")
    report = import_workbook(doc, path)
    assert [str(p) for p in report.problems] == [
        f"Hazards, row {row}, column Losses: L-4 is deleted by this workbook "
        f"(Losses, row {deleted_row})."
    ]


def test_edit_of_a_record_changed_since_export_is_a_conflict(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    doc.update("CC-2", text="BSCU Autobrake must never brake during takeoff")
    row = _edit(path, "Controller constraints", "CC-2", "Controller constraint", "Changed")
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert [(p.row, p.column) for p in report.problems] == [(row, REVISION_HEADER)]
    assert "CC-2 changed in the document since this workbook was exported" in str(
        report.problems[0]
    )
    assert io.dumps(doc) == before
    # a record changed in the document but untouched in the workbook is no conflict
    _edit(path, "Controller constraints", "CC-2", "Controller constraint", None)
    _edit(path, "Controller constraints", "CC-2", REVISION_HEADER, None)
    report = import_workbook(doc, path)
    assert report.ok and report.updated == ["CC-2"]
    assert doc.controller_constraints["CC-2"].text == ""


def test_values_the_model_refuses_are_reported(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    type_row = _edit(path, "UCAs", "UCA-1", "Type", "sometimes")
    na_row = _edit(path, "UCAs", "UCA-2", "Status", "not_applicable")
    _edit(path, "UCAs", "UCA-2", "Rationale", "")
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("UCAs", type_row, "Type")]
    assert io.dumps(doc) == before
    _edit(path, "UCAs", "UCA-1", "Type", "not_provided")
    report = import_workbook(doc, path)
    assert [(p.sheet, p.row) for p in report.problems] == [("UCAs", na_row)]
    assert "UCA-2 is marked not applicable; say why in its rationale." in str(report.problems[0])
    assert io.dumps(doc) == before and not doc.can_undo


def test_rows_removed_from_a_sheet_are_not_deleted(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    book = load_workbook(path)
    book["Losses"].delete_rows(2, 3)
    book.save(path)
    report = import_workbook(doc, path)
    assert report.ok and report.changes == 0 and len(doc.losses) == 5


def test_not_a_workbook(doc: Document, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    report = import_workbook(doc, path)
    assert not report.ok
    assert str(report.problems[0]).startswith("broken.xlsx is not an Excel workbook")


def test_text_starting_with_equals_stays_text(doc: Document, tmp_path: Path) -> None:
    doc.update("L-1", text="=SUM(A1:A3) is not a formula")
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    assert load_workbook(path)["Losses"]["C2"].value == "=SUM(A1:A3) is not a formula"
    assert import_workbook(doc, path).changes == 0


def test_containment_round_trips_through_the_workbook(doc: Document, tmp_path: Path) -> None:
    """The Components sheet carries Inside (the parent) and Level; editing them re-parents."""
    boundary = doc.add(Component(name="Aircraft", kind="boundary", nature="physical"))
    doc.update("C-2", parent=boundary.id, level=1, alias="BSCU-A")
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    sheet = load_workbook(path)["Components"]
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "C-2")
    assert row[headers.index("Inside")] == boundary.id and row[headers.index("Level")] == "1"
    assert row[headers.index("Alias")] == "BSCU-A"
    before = io.dumps(doc)
    assert import_workbook(doc, path).changes == 0
    assert io.dumps(doc) == before

    _edit(path, "Components", "C-3", "Inside", boundary.id)
    _edit(path, "Components", "C-2", "Inside", None)
    _edit(path, "Components", "C-2", "Level", None)
    report = import_workbook(doc, path)
    assert report.ok and report.applied, report.problems
    assert report.updated == ["C-2", "C-3"]
    assert doc.components["C-3"].parent == boundary.id
    assert doc.components["C-2"].parent == "" and doc.components["C-2"].level is None
    doc.undo()
    assert io.dumps(doc) == before


def test_a_containment_loop_from_the_workbook_is_refused(doc: Document, tmp_path: Path) -> None:
    doc.update("C-3", parent="C-2")
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    _edit(path, "Components", "C-2", "Inside", "C-3")
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert not report.applied
    assert any("cannot go inside" in problem.message for problem in report.problems)
    assert io.dumps(doc) == before


def test_subtypes_aliases_and_requirements_round_trip(doc: Document, tmp_path: Path) -> None:
    uca = next(u for u in doc.ucas.values() if u.type == "timing")
    doc.update(uca.id, subtype="too_late", alias="UCA3")
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    row = _edit(path, "Safety requirements", "", "Requirement", "Two weight-on-wheels sensors")
    book = load_workbook(path)
    sheet = book["Safety requirements"]
    column = [cell.value for cell in sheet[1]].index("UCAs") + 1
    sheet.cell(row, column).value = uca.id
    book.save(path)
    _edit(path, "UCAs", uca.id, "Subtype", "too early")
    report = import_workbook(doc, path)
    assert report.ok and report.applied, report.problems
    assert doc.ucas[uca.id].subtype == "too_early" and doc.ucas[uca.id].alias == "UCA3"
    [requirement] = doc.requirements.values()
    assert requirement.text == "Two weight-on-wheels sensors" and requirement.ucas == (uca.id,)
