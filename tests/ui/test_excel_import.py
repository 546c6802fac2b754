"""The Excel import in the window: read in a worker thread with progress and Cancel, one undo."""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMessageBox, QProgressDialog, QPushButton

from stipa import io
from stipa.export.tables import RECORD_TABLES
from stipa.export.workbook import CELL_LIMIT, export_workbook
from stipa.model import Document, Loss
from stipa.ui import MainWindow
from stipa.ui.export_dialog import open_export_dialog
from stipa.ui.testing import WindowFactory
from stipa.ui.workbench import excel as excel_module
from stipa.ui.workbench.dock import StpaDock
from stipa.ui.workbench.excel import ExcelActions

#: Where the Loss column is in the Losses sheet (its letter, its 1-based number).
LOSS_AT = next(s for s in RECORD_TABLES if s.key == "losses").headers.index("Loss") + 1
LOSS = get_column_letter(LOSS_AT)


@pytest.fixture
def window(make_window: WindowFactory, stipa_example: Callable[[str], Document]):
    doc = stipa_example("wheel-brakes")
    with doc.transaction("Many losses"):
        for number in range(1500):
            doc.add(Loss(text=f"Loss number {number}"))
    doc.mark_saved()
    return make_window(doc)


def _excel(window: MainWindow) -> ExcelActions:
    dock = window.findChild(QDockWidget, "dock.stpa")
    assert isinstance(dock, StpaDock)
    actions: ExcelActions = dock.excel  # type: ignore[attr-defined]
    return actions


def _edited_export(doc: Document, path: Path, cells: dict[str, str]) -> Path:
    """Export ``doc`` to ``path`` and edit cells of its Losses sheet, as in Excel."""
    export_workbook(doc, path)
    book = load_workbook(path)
    for cell, value in cells.items():
        book["Losses"][cell] = value
    book.save(path)
    return path


def _held_reading(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold the worker after its first progress report until the returned event is set."""
    gate = threading.Event()
    real = excel_module.plan_import

    def held(view: Any, path: Path, **kwargs: Any) -> Any:
        report = kwargs["progress"]

        def progress(done: int, expected: int) -> None:
            report(done, expected)
            assert gate.wait(10)

        return real(view, path, **{**kwargs, "progress": progress})

    monkeypatch.setattr(excel_module, "plan_import", held)
    return gate


def test_cancel_in_the_progress_dialog_changes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = window.document
    path = _edited_export(doc, tmp_path / "many.xlsx", {f"{LOSS}2": "An edit that must not arrive"})
    excel = _excel(window)
    monkeypatch.setattr(excel, "ask_import_path", lambda: path)
    gate = _held_reading(monkeypatch)
    before = io.dumps(doc)
    window.actions_by_name["import_xlsx"].trigger()
    task = excel.task
    assert task is not None and task.running
    assert not gc.isenabled()  # no full collection freezes the window while importing
    with qtbot.waitSignal(task.progressed) as progressed:
        pass
    assert progressed.args[0] == 500 and progressed.args[1] > 1500
    progress = excel.progress
    assert isinstance(progress, QProgressDialog)
    qtbot.waitUntil(progress.isVisible)  # it shows once reading takes a moment
    assert progress.windowModality() == Qt.WindowModality.WindowModal
    assert progress.value() == 500 and progress.maximum() == progressed.args[1]
    cancel = progress.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    with qtbot.waitSignal(task.finished) as finished:
        pass
    assert finished.args == [None] and not task.running and gc.isenabled()
    assert not progress.isVisible()
    assert io.dumps(doc) == before and not doc.modified and doc.undo_label == "Many losses"
    assert "cancelled" in window.statusBar().currentMessage()


def test_import_applies_on_the_gui_thread_as_one_undo_step(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = window.document
    edits = {
        f"{LOSS}2": "Loss of life or serious injury",
        f"{LOSS}1000": "Edited far down the sheet",
    }
    path = _edited_export(doc, tmp_path / "many.xlsx", edits)
    far_down = list(doc.losses)[998]
    excel = _excel(window)
    seen: list[int] = []
    before = io.dumps(doc)
    task = excel.import_path(path)
    task.progressed.connect(lambda done, _expected: seen.append(done))
    applied_on: list[threading.Thread] = []
    doc.subscribe(lambda _event: applied_on.append(threading.current_thread()))
    with qtbot.waitSignal(task.finished) as finished:
        pass
    report = finished.args[0]
    assert report.applied and report.updated == ["L-1", far_down]
    assert seen[:3] == [500, 1000, 1500]
    assert set(applied_on) == {threading.main_thread()}
    dialog = excel.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "Imported from many.xlsx: 0 added, 2 updated, 0 deleted."
    dialog.close()
    assert doc.undo_label == "Import tables from many.xlsx"
    window.actions_by_name["undo"].trigger()
    assert io.dumps(doc) == before


def test_an_edit_made_while_reading_is_checked_against(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook was checked against a snapshot; an edit meanwhile makes it a conflict."""
    doc = window.document
    path = _edited_export(doc, tmp_path / "many.xlsx", {f"{LOSS}2": "Edited in Excel"})
    gate = _held_reading(monkeypatch)
    task = _excel(window).import_path(path)
    with qtbot.waitSignal(task.progressed):
        pass
    doc.update("L-1", text="Edited in Stipa meanwhile")
    gate.set()
    with qtbot.waitSignal(task.finished) as finished:
        pass
    report = finished.args[0]
    assert not report.applied
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("Losses", 2, "Revision")]
    assert doc.losses["L-1"].text == "Edited in Stipa meanwhile"


def test_export_of_a_cut_text_shows_a_warning(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.document.update("L-3", text="x" * (CELL_LIMIT + 10))
    excel = _excel(window)
    monkeypatch.setattr(excel, "ask_export_path", lambda: tmp_path / "cut.xlsx")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(window, "show_warning", lambda title, text: shown.append((title, text)))
    window.actions_by_name["export_xlsx"].trigger()
    ((title, text),) = shown
    assert title == "Exported cut.xlsx" and "L-3 (Loss)" in text and "32,767" in text


def test_export_dialog_shows_the_warning_of_a_cut_text(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    window.document.update("L-3", text="x" * (CELL_LIMIT + 10))
    dialog = open_export_dialog(window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    dialog.path.setText(str(tmp_path / "cut.xlsx"))
    assert dialog.export()
    box = window.findChild(QMessageBox, "warningBox")
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    assert box.windowTitle() == "Exported cut.xlsx" and "L-3 (Loss)" in box.text()
    box.accept()


def test_cancel_while_applying_takes_back_what_was_applied(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = window.document
    path = export_workbook(doc, tmp_path / "many.xlsx")
    book = load_workbook(path)
    for number in range(1200):
        book["Losses"].append([""] * (LOSS_AT - 1) + [f"New loss {number}"])
    book.save(path)
    monkeypatch.setattr(excel_module, "APPLY_SLICE_S", 0.0)  # back to the events after each
    excel = _excel(window)
    before = io.dumps(doc)
    task = excel.import_path(path)
    progress = excel.progress
    assert progress is not None
    cancel = progress.findChild(QPushButton)
    assert cancel is not None
    seen: list[tuple[int, int, int]] = []

    def on_applying(done: int, total: int) -> None:  # Cancel once 1,000 records are in
        seen.append((done, total, len(doc.losses)))
        if done == 1000:
            assert progress.value() == 1000 and progress.maximum() == 1200
            qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    task.applying.connect(on_applying)
    with qtbot.waitSignal(task.finished) as finished:
        pass
    # added 500 at a time, in slices between events; cancelled with 1,000 of them in
    assert seen == [(500, 1200, 1505 + 500), (1000, 1200, 1505 + 1000)]
    assert finished.args == [None]
    assert io.dumps(doc) == before and doc.undo_label == "Many losses"
    assert excel.report_dialog is None


# --- a big workbook: parsed in a child process ---------------------------------------------------


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every workbook counts as big: parsed in a child process."""
    monkeypatch.setattr(excel_module, "READ_IN_PROCESS_BYTES", 0)


def _with_new_losses(path: Path, count: int) -> Path:
    """Append ``count`` rows of new losses (more than a pipe holds, so a child reads on)."""
    book = load_workbook(path)
    for number in range(count):
        book["Losses"].append([""] * (LOSS_AT - 1) + [f"New loss {number}"])
    book.save(path)
    return path


def test_a_big_workbook_is_parsed_in_a_child_process(
    qtbot, window: MainWindow, tmp_path: Path, in_process: None
) -> None:
    doc = window.document
    path = _edited_export(doc, tmp_path / "many.xlsx", {f"{LOSS}2": "Edited in the big one"})
    excel = _excel(window)
    before = io.dumps(doc)
    seen: list[int] = []
    task = excel.import_path(path)
    task.progressed.connect(lambda done, _expected: seen.append(done))
    with qtbot.waitSignal(task.finished, timeout=60_000) as finished:
        pass
    reading = task.reading
    assert reading is not None and reading.pid is not None and reading.pid != os.getpid()
    assert reading.process is not None and reading.process.exitcode == 0
    report = finished.args[0]
    assert report.applied and report.updated == ["L-1"] and seen[:3] == [500, 1000, 1500]
    dialog = excel.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "Imported from many.xlsx: 0 added, 1 updated, 0 deleted."
    dialog.close()
    assert doc.losses["L-1"].text == "Edited in the big one"
    window.actions_by_name["undo"].trigger()
    assert io.dumps(doc) == before


def test_cancel_terminates_the_child_process_and_changes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process: None
) -> None:
    doc = window.document
    path = _with_new_losses(export_workbook(doc, tmp_path / "many.xlsx"), 5000)
    excel = _excel(window)
    monkeypatch.setattr(excel, "ask_import_path", lambda: path)
    gate = _held_reading(monkeypatch)
    before = io.dumps(doc)
    window.actions_by_name["import_xlsx"].trigger()
    task = excel.task
    assert task is not None
    with qtbot.waitSignal(task.progressed, timeout=60_000):
        pass
    progress = excel.progress
    assert isinstance(progress, QProgressDialog)
    qtbot.waitUntil(progress.isVisible)
    reading = task.reading
    assert reading is not None and reading.process is not None and reading.process.is_alive()
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    gate.set()
    with qtbot.waitSignal(task.finished) as finished:
        pass
    assert finished.args == [None]
    assert reading.process.exitcode == -signal.SIGTERM  # stopped, not read to the end
    assert io.dumps(doc) == before and doc.undo_label == "Many losses"
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_killed_child_process_is_reported_and_changes_nothing(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_process: None
) -> None:
    doc = window.document
    path = _with_new_losses(export_workbook(doc, tmp_path / "many.xlsx"), 5000)
    gate = _held_reading(monkeypatch)
    before = io.dumps(doc)
    excel = _excel(window)
    task = excel.import_path(path)
    with qtbot.waitSignal(task.progressed, timeout=60_000):
        pass
    assert task.reading is not None and task.reading.pid is not None
    os.kill(task.reading.pid, signal.SIGKILL)  # as the system does when memory runs out
    gate.set()
    with qtbot.waitSignal(task.finished) as finished:
        pass
    report = finished.args[0]
    assert not report.applied
    message = (
        "The process reading many.xlsx ended unexpectedly (killed by SIGKILL); import it "
        "again, or import the sheets in smaller workbooks."
    )
    assert [str(p) for p in report.problems] == [message]
    dialog = excel.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "Nothing was imported: 1 problem in many.xlsx."
    assert message in dialog.details.toPlainText()
    dialog.close()
    assert io.dumps(doc) == before


@pytest.mark.parametrize("big", [False, True], ids=["thread", "process"])
def test_a_broken_workbook_says_the_same_wherever_it_is_read(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, big: bool
) -> None:
    if big:
        monkeypatch.setattr(excel_module, "READ_IN_PROCESS_BYTES", 0)
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 2000)  # a zip's first bytes, then nothing
    before = io.dumps(window.document)
    excel = _excel(window)
    task = excel.import_path(path)
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    assert (task.reading is not None) is big
    dialog = excel.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "Nothing was imported: 1 problem in broken.xlsx."
    assert "broken.xlsx is not an Excel workbook (File is not a zip file)." in (
        dialog.details.toPlainText()
    )
    dialog.close()
    assert io.dumps(window.document) == before
