"""Reading an Excel workbook in a child process: the same plan as in the thread, cancel, deaths."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from stipa.export import workbook as workbook_module
from stipa.export.tables import RECORD_TABLES
from stipa.export.workbook import (
    ImportCancelled,
    ImportLimits,
    ImportPlan,
    export_workbook,
    plan_import,
)
from stipa.export.workbook_process import ReadingFailed, ReadInProcess
from stipa.model import Document, Loss

LOSS_AT = next(s for s in RECORD_TABLES if s.key == "losses").headers.index("Loss") + 1
LOSS = get_column_letter(LOSS_AT)
LOSSES_XML = "xl/worksheets/sheet{}.xml".format(
    [spec.sheet for spec in RECORD_TABLES].index("Losses") + 1
)


@pytest.fixture
def doc(stipa_example: Callable[[str], Document]) -> Document:
    doc = stipa_example("wheel-brakes")
    with doc.transaction("Many losses"):
        for number in range(3000):
            doc.add(Loss(text=f"Loss number {number}"))
    return doc


def _edited(doc: Document, path: Path, cells: dict[str, str | None]) -> Path:
    export_workbook(doc, path)
    book = load_workbook(path)
    for cell, value in cells.items():
        book["Losses"][cell] = value
    book["Losses"].append([""] * (LOSS_AT - 1) + ["A loss added in Excel"])
    book.save(path)
    return path


def _rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, change(data) if info.filename == member else data)


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
        (lambda _path: None, ImportLimits(rows=1000)),
        (_undeclared_rows, ImportLimits(rows=1000)),
    ],
    ids=["not-a-zip", "formula", "half-a-sheet", "no-sheet", "unpacked", "declared", "rows"],
)
def test_problems_found_in_the_child_are_the_ones_found_in_the_thread(
    doc: Document,
    tmp_path: Path,
    spoil: Callable[[Path], None],
    limits: ImportLimits,
) -> None:
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
