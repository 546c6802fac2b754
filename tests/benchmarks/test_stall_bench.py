"""Stall benchmarks: how long the window stops answering while it works on a big document.

A probe ``QTimer`` fires every 20 ms on the GUI thread and notes when it fired; a gap between
two firings is time the event loop could not answer input (a click, a key, a repaint). Each
scenario reports the longest gap and how many gaps exceed 250 ms, the longest the window may
stop answering (issue 15, "Big documents without freezing"):

* open = ``MainWindow.open_path`` of a generated document of 5,000 components and 10,000
  links, in a shown window (offscreen, its first-start size), until the window shows it (the
  file is read in a worker thread), its scene holds every item and one more second has
  passed (deferred work such as label placement and table sizing runs then);
* analyse = Analysis > Run Analyses (``action.run_analyses``) on that document, until the
  results are applied (``finished``) and one more second has passed: every installed analysis
  runs on a worker thread, and the GUI applies about 11,000 findings and 18,000 suggestions;
* import = File > Import Tables from Excel (``action.import_xlsx``) of a workbook of 100,000
  rows (the document's exported STPA tables, and new losses filling the Losses sheet up to
  that row count), until the import report is shown and one more second has passed (the
  workbook, over 1 MiB, is parsed in a child process, its rows checked in a worker thread and
  the changes applied in slices, behind a progress dialog).

Each scenario runs ``STIPA_STALL_REPEAT`` times (default 3) in a fresh window; the medians are
printed and stored. ``STIPA_STALL_ROWS`` makes the workbook smaller for a quick look. Figures
only, no budget is asserted: "WITHIN BUDGET" / "OVER BUDGET" is printed for the 250 ms rule.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from stipa import io
from stipa.export.tables import RECORD_TABLES
from stipa.export.workbook import export_workbook
from stipa.testing.generate import generate_document
from stipa.ui.main_window import MainWindow

pytestmark = [pytest.mark.bench, pytest.mark.gui]

COMPONENTS = 5_000
LINKS_PER_COMPONENT = 2
ROWS = int(os.environ.get("STIPA_STALL_ROWS", "100000"))
REPEAT = int(os.environ.get("STIPA_STALL_REPEAT", "3"))
PROBE_MS = 20
STALL_S = 0.25
#: Quiet time before a scenario starts and after it is done, for deferred work to show.
LEAD_S = 0.2
SETTLE_S = 1.0
TIMEOUT_S = 900.0
SECTION = "stalls"


class StallProbe(QObject):
    """A 20 ms timer on the GUI thread that remembers when it fired."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks: list[float] = []
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.ticks.append(time.perf_counter())

    def gaps(self) -> list[float]:
        """Seconds between consecutive firings (the first from ``start``)."""
        return [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]


def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT_S) -> None:
    """Run the event loop until ``condition()`` holds (checked every 10 ms)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        assert time.perf_counter() < deadline, "the scenario did not finish in time"
        QApplication.processEvents()
        time.sleep(0.002)  # cede the processor when the loop is idle, as a real loop does


def wait(seconds: float) -> None:
    """Run the event loop for ``seconds``."""
    deadline = time.perf_counter() + seconds
    wait_until(lambda: time.perf_counter() >= deadline)


def watch(action: Callable[[], Any], done: Callable[[], bool]) -> dict[str, float]:
    """Run ``action`` from the event loop and probe the gaps until ``done()`` and settled."""
    probe = StallProbe()
    gc.collect()
    probe.start()
    wait(LEAD_S)
    started = time.perf_counter()
    QTimer.singleShot(0, action)
    wait(0.001)
    wait_until(done)
    duration = time.perf_counter() - started
    wait(SETTLE_S)
    probe.stop()
    gaps = probe.gaps()
    return {
        "longest_s": max(gaps),
        "over_250ms": sum(gap > STALL_S for gap in gaps),
        "frozen_s": sum(gap for gap in gaps if gap > STALL_S),
        "duration_s": duration,
    }


def scene_complete(window: MainWindow) -> bool:
    """Whether the canvas shows every component and link of the window's document."""
    diagram, doc = window.diagram, window.document
    return (
        not getattr(diagram, "building", False)
        and len(diagram.components) == len(doc.components)
        and len(diagram.links) == len(doc.links)
    )


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated document of 5,000 components and 10,000 links, saved."""
    doc = generate_document(COMPONENTS, links_per_component=LINKS_PER_COMPONENT, seed=0)
    assert len(doc.links) == COMPONENTS * LINKS_PER_COMPONENT
    path = tmp_path_factory.mktemp("stalls") / f"generated-{COMPONENTS}.stipa"
    io.save(doc, path)
    return path


@pytest.fixture(scope="module")
def big_workbook(big_file: Path) -> Path:
    """The document's tables exported, with new losses filling the workbook to ``ROWS`` rows."""
    path = big_file.with_suffix(".xlsx")
    export_workbook(io.load(big_file), path)
    workbook = load_workbook(path)
    sheets = [s for s in workbook.worksheets if s.title.casefold() != "read me"]
    losses = next(s for s in sheets if s.title.casefold() == "losses")
    headers = [cell.value for cell in losses[1]]
    missing = ROWS - sum(sheet.max_row for sheet in sheets)
    loss_spec = next(spec for spec in RECORD_TABLES if spec.key == "losses")
    text_at = headers.index(next(c.header for c in loss_spec.columns if c.field == "text"))
    for number in range(missing):
        row: list[str | None] = [None] * len(headers)
        row[text_at] = f"Loss of mission data set {number} through an unnoticed import"
        losses.append(row)
    workbook.save(path)
    return path


@contextmanager
def fresh_window(qtbot: Any) -> Iterator[MainWindow]:
    """A shown main window that discards unsaved edits when closed."""
    shown = MainWindow()
    shown.ask_save_changes = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    shown.show_error = lambda title, text: None  # type: ignore[method-assign]
    with qtbot.waitExposed(shown):
        shown.show()
    try:
        yield shown
    finally:
        shown.close()
        shown.deleteLater()
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def open_big(window: MainWindow, path: Path) -> dict[str, float]:
    """Open ``path`` in ``window``, probed (a big file is read in a worker thread first)."""
    return watch(
        lambda: window.open_path(path), lambda: window.path == path and scene_complete(window)
    )


def run_analyses(window: MainWindow) -> dict[str, float]:
    """Run every analysis and apply the results, probed."""
    finished: list[str] = []
    window.analysis.controller.finished.connect(finished.append)
    figures = watch(window.actions_by_name["run_analyses"].trigger, lambda: bool(finished))
    doc = window.document
    figures["findings"] = len(doc.findings)
    figures["suggestions"] = len(doc.suggestions)
    return figures


def import_excel(window: MainWindow, path: Path) -> dict[str, float]:
    """File > Import Tables from Excel of ``path``, probed."""
    excel = window.workbench.excel  # type: ignore[attr-defined]
    excel.ask_import_path = lambda: path
    excel.report_dialog = None
    before = len(window.document.losses)
    figures = watch(
        window.actions_by_name["import_xlsx"].trigger,
        lambda: excel.report_dialog is not None and excel.report_dialog.isVisible(),
    )
    figures["added"] = len(window.document.losses) - before
    excel.report_dialog.close()
    return figures


def report(
    record: Any, stats: Any, name: str, title: str, runs: list[dict[str, float]]
) -> dict[str, float]:
    """Print the runs and their medians; store the medians."""
    medians = {key: stats.median([run[key] for run in runs]) for key in runs[0]}
    print(f"\n{title} ({len(runs)} runs, medians; the machine was shared):")
    for key in ("longest_s", "over_250ms", "frozen_s", "duration_s"):
        each = ", ".join(f"{run[key]:.3f}" for run in runs)
        print(f"  {key:12s} {medians[key]:9.3f}   ({each})")
    for key in sorted(set(medians) - {"longest_s", "over_250ms", "frozen_s", "duration_s"}):
        print(f"  {key:12s} {medians[key]:9.0f}")
    verdict = "WITHIN BUDGET" if medians["longest_s"] <= STALL_S else "OVER BUDGET"
    print(f"  {verdict}: longest stall {medians['longest_s'] * 1000:.0f} ms (budget <= 250 ms)")
    record.add(SECTION, name, **medians, runs=runs)
    return medians


def test_open_stalls(big_file: Path, qtbot: Any, record: Any, stats: Any) -> None:
    runs = []
    for _ in range(REPEAT):
        with fresh_window(qtbot) as shown:
            runs.append(open_big(shown, big_file))
            assert len(shown.document.components) == COMPONENTS
    report(record, stats, "open", "Open 5,000 components and 10,000 links", runs)


def test_analysis_stalls(big_file: Path, qtbot: Any, record: Any, stats: Any) -> None:
    runs = []
    for _ in range(REPEAT):
        with fresh_window(qtbot) as shown:
            open_big(shown, big_file)
            runs.append(run_analyses(shown))
            assert shown.document.findings and shown.document.suggestions
    report(record, stats, "analyse", "Run all analyses and apply the results", runs)


def test_excel_import_stalls(
    big_file: Path, big_workbook: Path, qtbot: Any, record: Any, stats: Any
) -> None:
    runs = []
    for _ in range(REPEAT):
        with fresh_window(qtbot) as shown:
            open_big(shown, big_file)
            runs.append(import_excel(shown, big_workbook))
            assert runs[-1]["added"] > 0
    report(record, stats, "excel_import", f"Import an Excel workbook of {ROWS:,} rows", runs)
