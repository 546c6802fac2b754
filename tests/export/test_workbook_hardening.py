"""The Excel round trip against careless and hostile workbooks: cut texts, formulas, limits;
and the same read in a child process, as a window reads a big workbook."""

from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from stipa import io
from stipa.cli import main
from stipa.export import ExportWarning
from stipa.export import workbook as workbook_module
from stipa.export.tables import RECORD_TABLES
from stipa.export.workbook import (
    CELL_LIMIT,
    DELETE_HEADER,
    ImportCancelled,
    ImportLimits,
    ImportPlan,
    apply_import,
    export_workbook,
    import_workbook,
    plan_import,
)
from stipa.export.workbook_process import ReadingFailed, ReadInProcess
from stipa.model import Document, Loss, ModelError

#: Where the Loss column is in the Losses sheet (its letter, its 1-based number).
LOSS_AT = next(s for s in RECORD_TABLES if s.key == "losses").headers.index("Loss") + 1
LOSS = get_column_letter(LOSS_AT)


#: The part holding the Losses sheet (sheets are written in table order).
LOSSES_XML = "xl/worksheets/sheet{}.xml".format(
    [spec.sheet for spec in RECORD_TABLES].index("Losses") + 1
)


@pytest.fixture
def doc(stipa_example: Callable[[str], Document]) -> Document:
    return stipa_example("wheel-brakes")


def _export(doc: Document, path: Path) -> Path:
    return export_workbook(doc, path)


def _set(path: Path, sheet: str, cell: str, value: str) -> None:
    book = load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def _rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Replace one part of the XLSX (zip) archive with ``change`` of its bytes."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, change(data) if info.filename == member else data)


# --- item 3: texts longer than an Excel cell ----------------------------------------------------


def test_long_text_is_named_at_export_and_imports_back_unchanged(
    doc: Document, tmp_path: Path
) -> None:
    long_text = "The aircraft overruns the runway. " * 1200  # 40,800 characters
    doc.update("L-1", text=long_text)
    doc.update("H-2", description=long_text)
    with pytest.warns(ExportWarning) as caught:
        path = _export(doc, tmp_path / "tables.xlsx")
    (warning,) = caught
    assert "L-1 (Loss)" in str(warning.message) and "H-2 (Description)" in str(warning.message)
    assert "32,767" in str(warning.message)
    assert len(load_workbook(path)["Losses"][f"{LOSS}2"].value) == CELL_LIMIT
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert report.ok and report.changes == 0 and not report.applied
    assert io.dumps(doc) == before and doc.losses["L-1"].text == long_text
    # an edit elsewhere in the same workbook arrives; the cut texts still do not
    _set(path, "Losses", f"{LOSS}3", "Loss of or damage to the aircraft")
    report = import_workbook(doc, path)
    assert report.updated == ["L-2"]
    assert doc.losses["L-1"].text == long_text and doc.hazards["H-2"].description == long_text


def test_a_short_export_warns_about_nothing(doc: Document, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ExportWarning)
        _export(doc, tmp_path / "tables.xlsx")


# --- item 4: formulas ---------------------------------------------------------------------------


def test_formula_without_cached_value_is_refused(doc: Document, tmp_path: Path) -> None:
    path = _export(doc, tmp_path / "tables.xlsx")
    _set(path, "Losses", f"{LOSS}3", '=A3&" lost"')  # as scripts write formulas: no cached value
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert not report.applied
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("Losses", 3, "Loss")]
    assert "formula" in report.problems[0].message
    assert "paste it as a value" in report.problems[0].message
    assert io.dumps(doc) == before and not doc.can_undo


def test_formula_with_cached_value_is_refused(doc: Document, tmp_path: Path) -> None:
    path = _export(doc, tmp_path / "tables.xlsx")
    _set(path, "Losses", f"{LOSS}3", '=A3&" lost"')

    def cache(xml: bytes) -> bytes:  # as Excel saves it: the formula and its last result
        assert b"<v></v>" in xml
        return xml.replace(b"<v></v>", b"<v>L-2 lost</v>").replace(
            f'<c r="{LOSS}3"'.encode(), f'<c r="{LOSS}3" t="str"'.encode()
        )

    _rewrite_member(path, LOSSES_XML, cache)
    assert load_workbook(path, data_only=True)["Losses"][f"{LOSS}3"].value == "L-2 lost"
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("Losses", 3, "Loss")]
    assert io.dumps(doc) == before and doc.losses["L-2"].text != "L-2 lost"


# --- item 11: a missing column, a broken sheet ---------------------------------------------------


def test_deleted_editable_column_is_a_problem(doc: Document, tmp_path: Path) -> None:
    path = _export(doc, tmp_path / "tables.xlsx")
    book = load_workbook(path)
    hazards = next(spec for spec in RECORD_TABLES if spec.key == "hazards")
    book["Hazards"].delete_cols(hazards.headers.index("Description") + 1)
    book.save(path)
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("Hazards", 1, "Description")]
    assert "The column Description is missing" in report.problems[0].message
    assert io.dumps(doc) == before


def test_a_workbook_from_before_format_2_imports_without_its_new_columns(
    doc: Document, tmp_path: Path
) -> None:
    hazard = next(iter(doc.hazards.values()))
    doc.update(hazard.id, alias="HZ7")
    path = _export(doc, tmp_path / "tables.xlsx")
    book = load_workbook(path)
    hazards = next(spec for spec in RECORD_TABLES if spec.key == "hazards")
    sheet = book["Hazards"]
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    text_column = hazards.headers.index("Hazard") + 1
    sheet.cell(row=ids.index(hazard.id) + 2, column=text_column, value="Edited in Excel")
    sheet.delete_cols(hazards.headers.index("Alias") + 1)  # as an earlier Stipa exported it
    book.save(path)
    report = import_workbook(doc, path)
    assert report.problems == []
    assert any("no Alias column" in note and "left unchanged" in note for note in report.notes)
    edited = doc.hazards[hazard.id]
    assert edited.text == "Edited in Excel" and edited.alias == "HZ7"


def test_malformed_sheet_xml_is_a_problem(doc: Document, tmp_path: Path) -> None:
    path = _export(doc, tmp_path / "tables.xlsx")
    _rewrite_member(path, LOSSES_XML, lambda xml: xml[: len(xml) // 2])
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert [(p.sheet, p.row) for p in report.problems] == [("Losses", None)]
    assert report.problems[0].message.startswith("The sheet cannot be read")
    assert io.dumps(doc) == before


# --- item 16: what a deletion takes with it ------------------------------------------------------


def test_deleting_a_referred_record_names_who_lost_the_reference(
    doc: Document, tmp_path: Path
) -> None:
    referring = [h.id for h in doc.hazards.values() if "L-1" in h.losses]
    assert len(referring) > 1
    path = _export(doc, tmp_path / "tables.xlsx")
    book = load_workbook(path)
    ws = book["Losses"]
    ws.cell(2, [c.value for c in ws[1]].index(DELETE_HEADER) + 1).value = "yes"
    book.save(path)
    report = import_workbook(doc, path)
    assert report.applied and report.deleted == ["L-1"]
    sentence = (
        f"L-1 deleted; {len(referring)} hazards lost their reference to it: {', '.join(referring)}."
    )
    assert report.lost_references == [sentence]
    assert report.summary() == (
        f"Imported from tables.xlsx: 0 added, 0 updated, 1 deleted. {sentence}"
    )
    assert all("L-1" not in doc.hazards[h].losses for h in referring)


# --- limits, streaming, progress and cancel ------------------------------------------------------


def _with_losses(doc: Document, count: int) -> None:
    with doc.transaction("Many losses"):
        for number in range(count):
            doc.add(Loss(text=f"Loss number {number}"))


def test_more_rows_than_the_limit_are_refused_from_the_declared_size(
    doc: Document, tmp_path: Path
) -> None:
    _with_losses(doc, 1200)
    path = _export(doc, tmp_path / "tables.xlsx")
    seen: list[int] = []
    plan = plan_import(
        doc, path, limits=ImportLimits(rows=1000), progress=lambda done, _all: seen.append(done)
    )
    declared = sum(len(doc.table(spec.key)) + 1 for spec in RECORD_TABLES)
    assert [str(p) for p in plan.report.problems] == [
        f"tables.xlsx: The workbook declares {declared:,} rows, more than the 1,000 an import "
        "reads; import the sheets in smaller workbooks."
    ]
    assert seen == []  # refused before reading a row


def test_too_many_rows_are_refused_before_reading_on(doc: Document, tmp_path: Path) -> None:
    """A sheet that declares fewer rows than it has is refused at the limit, not the end."""
    _with_losses(doc, 1200)
    path = _export(doc, tmp_path / "tables.xlsx")
    _rewrite_member(
        path, LOSSES_XML, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b"", xml, count=1)
    )
    seen: list[int] = []
    plan = plan_import(
        doc, path, limits=ImportLimits(rows=1000), progress=lambda done, _all: seen.append(done)
    )
    assert [str(p) for p in plan.report.problems] == [
        "tables.xlsx: The workbook has more than 1,000 rows, the most an import reads; "
        "import the sheets in smaller workbooks."
    ]
    assert seen == [500, 1000]  # it stopped at the limit, not at the end of the sheet
    before = io.dumps(doc)
    assert not import_workbook(doc, path, limits=ImportLimits(rows=1000)).applied
    assert io.dumps(doc) == before


def test_unpacked_size_is_refused_from_the_declared_sizes(doc: Document, tmp_path: Path) -> None:
    path = _export(doc, tmp_path / "tables.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(3 * 1024 * 1024))  # 3 MiB, packs to KiB
    assert path.stat().st_size < 200_000
    report = import_workbook(doc, path, limits=ImportLimits(unpacked_bytes=2 * 1024 * 1024))
    assert not report.ok
    assert "unpacks to 3 MiB, more than the 2 MiB an import reads" in str(report.problems[0])


def _lying_bomb(path: Path) -> None:
    """8 MiB more in the Losses sheet, which still declares its original size."""
    with zipfile.ZipFile(path) as archive:
        declared = archive.getinfo(LOSSES_XML).file_size
    _rewrite_member(path, LOSSES_XML, lambda xml: xml + b" " * (8 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    # the central directory entry of the sheet: claim its original size again
    name = LOSSES_XML.encode()
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, at + 24, declared)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(LOSSES_XML).file_size == declared


def test_a_part_larger_than_it_declares_is_never_read_past_its_size(
    doc: Document, tmp_path: Path
) -> None:
    """A zip bomb that lies about its size: reading stops at the declared size, refused."""
    path = _export(doc, tmp_path / "tables.xlsx")
    _lying_bomb(path)
    before = io.dumps(doc)
    report = import_workbook(doc, path)
    assert [str(p) for p in report.problems] == [
        f"tables.xlsx is not an Excel workbook (Bad CRC-32 for file '{LOSSES_XML}')."
    ]
    assert io.dumps(doc) == before


def test_cancel_stops_reading_and_changes_nothing(doc: Document, tmp_path: Path) -> None:
    _with_losses(doc, 1200)
    path = _export(doc, tmp_path / "tables.xlsx")
    _set(path, "Losses", f"{LOSS}2", "An edit that must not arrive")
    progress: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        plan_import(
            doc.snapshot(),
            path,
            progress=lambda done, expected: progress.append((done, expected)),
            cancelled=lambda: len(progress) >= 1,
        )
    assert progress == [(500, progress[0][1])] and progress[0][1] > 1200
    assert doc.losses["L-1"].text != "An edit that must not arrive"


def test_cli_export_prints_the_cut_texts(
    doc: Document, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc.update("L-4", text="y" * (CELL_LIMIT + 1))
    source = tmp_path / "long.stipa"
    io.save(doc, source)
    assert main(["export", str(source), "-o", str(tmp_path / "long.xlsx")]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("Warning: Excel holds at most 32,767 characters in a cell")
    assert "L-4 (Loss)" in captured.err and "Wrote" in captured.out


@settings(max_examples=15, deadline=None)
@given(
    text=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40),
    long=st.booleans(),
)
def test_any_text_round_trips_as_unchanged(text: str, long: bool) -> None:
    """Whatever a loss says, long or short, exporting and importing it changes nothing."""
    if long:
        text = (text * (CELL_LIMIT // len(text) + 2))[: CELL_LIMIT + len(text)]
    doc = Document()
    try:
        doc.add(Loss(text=text, description=text))
    except ModelError:
        assume(False)
    with tempfile.TemporaryDirectory() as folder:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ExportWarning)
            path = export_workbook(doc, Path(folder) / "t.xlsx")
        before = io.dumps(doc)
        report = import_workbook(doc, path)
    assert report.ok and report.changes == 0, [str(p) for p in report.problems]
    assert io.dumps(doc) == before


def test_a_new_row_refused_when_applied_is_reported_at_its_row(
    doc: Document, tmp_path: Path
) -> None:
    """New rows are added in bulk; the one at fault is still named, and nothing is applied."""
    path = _export(doc, tmp_path / "tables.xlsx")
    book = load_workbook(path)
    hazards = book["Hazards"]
    loss = next(iter(doc.losses))
    for number in range(5):
        hazards.append(["", "", "", f"New hazard {number}", loss if number == 3 else "", ""])
    faulty_row = hazards.max_row - 1
    book.save(path)
    plan = plan_import(doc, path)
    assert not plan.report.problems
    doc.remove(loss)  # after the plan was made: the fourth new hazard refers to nothing now
    before = io.dumps(doc)
    report = apply_import(doc, plan)
    assert not report.applied
    assert [(p.sheet, p.row) for p in report.problems] == [("Hazards", faulty_row)]
    assert loss in report.problems[0].message
    assert io.dumps(doc) == before


# --- read in a child process (a window's import of a big workbook) ------------------------------


def _edited(doc: Document, path: Path, cells: dict[str, str | None]) -> Path:
    """3,000 more losses exported, ``cells`` of the Losses sheet edited, a new loss added."""
    _with_losses(doc, 3000)
    export_workbook(doc, path)
    book = load_workbook(path)
    for cell, value in cells.items():
        book["Losses"][cell] = value
    book["Losses"].append([""] * (LOSS_AT - 1) + ["A loss added in Excel"])
    book.save(path)
    return path


def _outcome(plan: ImportPlan) -> tuple[list[str], list[str], list[tuple[str, str, object]]]:
    """What a user sees of a plan: problems, notes and the planned changes."""
    changes = [(c.kind, c.record_id, c.fields) for c in plan.changes]
    return [str(p) for p in plan.report.problems], plan.report.notes, changes


def test_the_child_reads_what_the_thread_reads(
    doc: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _edited(doc, tmp_path / "tables.xlsx", {f"{LOSS}2": "Edited in Excel", f"{LOSS}9": ""})
    in_thread = plan_import(doc.snapshot(), path)
    assert len(in_thread.changes) == 3 and in_thread.report.ok
    # openpyxl is out of reach in this process: only the child can have read the workbook
    monkeypatch.setattr(workbook_module, "load_workbook", None)
    reading = ReadInProcess()
    seen: list[tuple[int, int]] = []
    in_child = plan_import(
        doc.snapshot(), path, read=reading, progress=lambda *step: seen.append(step)
    )
    assert _outcome(in_child) == _outcome(in_thread)
    assert reading.pid is not None and reading.pid != os.getpid()
    assert reading.process is not None and reading.process.exitcode == 0  # done and reaped
    expected = sum(len(doc.table(spec.key)) + 1 for spec in RECORD_TABLES) + 1
    assert [done for done, _ in seen] == list(range(500, expected, 500))
    assert {of for _, of in seen} == {expected}


def _not_a_zip(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 this is no workbook")


def _formula(path: Path) -> None:
    book = load_workbook(path)
    book["Losses"][f"{LOSS}3"] = '=A3&" lost"'
    book.save(path)


def _half_a_sheet(path: Path) -> None:
    _rewrite_member(path, LOSSES_XML, lambda xml: xml[: len(xml) // 2])


def _no_sheet(path: Path) -> None:
    book = load_workbook(path)
    del book["Hazards"]
    book.create_sheet("Notes")
    book.save(path)


def _padded(path: Path) -> None:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(3 * 1024 * 1024))


def _undeclared_rows(path: Path) -> None:  # refused at the limit while reading
    _rewrite_member(
        path, LOSSES_XML, lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b"", xml, count=1)
    )


@pytest.mark.parametrize(
    ("spoil", "limits"),
    [
        (_not_a_zip, ImportLimits()),
        (_formula, ImportLimits()),
        (_half_a_sheet, ImportLimits()),
        (_no_sheet, ImportLimits()),
        (_padded, ImportLimits(unpacked_bytes=2 * 1024 * 1024)),
        (_lying_bomb, ImportLimits()),
        (lambda _path: None, ImportLimits(rows=1000)),
        (_undeclared_rows, ImportLimits(rows=1000)),
    ],
    ids=[
        "not-a-zip",
        "formula",
        "half-a-sheet",
        "no-sheet",
        "unpacked",
        "lying-bomb",
        "declared",
        "rows",
    ],
)
def test_problems_found_in_the_child_are_the_ones_found_in_the_thread(
    doc: Document,
    tmp_path: Path,
    spoil: Callable[[Path], None],
    limits: ImportLimits,
) -> None:
    _with_losses(doc, 1200)
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    spoil(path)
    in_thread = plan_import(doc.snapshot(), path, limits=limits)
    assert in_thread.report.problems or in_thread.report.notes
    in_child = plan_import(doc.snapshot(), path, limits=limits, read=ReadInProcess())
    assert _outcome(in_child) == _outcome(in_thread)


def test_cancel_terminates_the_child_at_once(doc: Document, tmp_path: Path) -> None:
    path = _edited(doc, tmp_path / "tables.xlsx", {f"{LOSS}2": "An edit that must not arrive"})
    reading = ReadInProcess()
    seen: list[int] = []
    with pytest.raises(ImportCancelled):
        plan_import(
            doc.snapshot(),
            path,
            read=reading,
            progress=lambda done, _expected: seen.append(done),
            cancelled=lambda: bool(seen),
        )
    assert seen == [500]
    # terminated (it would have read on, and ended with 0): not left running
    assert reading.process is not None and reading.process.exitcode == -signal.SIGTERM


def test_a_killed_child_is_a_clear_refusal(doc: Document, tmp_path: Path) -> None:
    path = _edited(doc, tmp_path / "tables.xlsx", {f"{LOSS}2": "An edit that must not arrive"})
    reading = ReadInProcess()

    def kill(_done: int, _expected: int) -> None:
        assert reading.pid is not None
        os.kill(reading.pid, signal.SIGKILL)  # as the system does when memory runs out

    plan = plan_import(doc.snapshot(), path, read=reading, progress=kill)
    assert [str(p) for p in plan.report.problems] == [
        "The process reading tables.xlsx ended unexpectedly (killed by SIGKILL); import it "
        "again, or import the sheets in smaller workbooks."
    ]
    assert plan.changes == [] and plan.report.summary().startswith("Nothing was imported")


def test_a_bug_in_the_child_raises_with_its_traceback(doc: Document, tmp_path: Path) -> None:
    path = export_workbook(doc, tmp_path / "tables.xlsx")
    broken = ImportLimits(rows="many")  # type: ignore[arg-type]
    with pytest.raises(TypeError) as in_thread:
        plan_import(doc.snapshot(), path, limits=broken)
    with pytest.raises(ReadingFailed) as in_child:
        plan_import(doc.snapshot(), path, limits=broken, read=ReadInProcess())
    assert str(in_child.value) == str(in_thread.value)
    (note,) = in_child.value.__notes__
    assert note.startswith("In the process reading tables.xlsx:\nTraceback")
    assert "TypeError" in note


def test_the_child_starts_without_qt_and_without_the_application() -> None:
    """A spawned child imports the parent's main module: ``python -m stipa`` must not start
    Stipa again there, and what the child imports must not bring Qt."""
    code = (
        "import runpy, sys; sys.argv = ['stipa', '--version']; "
        # as spawn does in the child; main() would print the version and exit
        "runpy.run_module('stipa.__main__', run_name='__mp_main__'); "
        "import stipa.cli, stipa.export.workbook_process; "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'stipa.ui'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
