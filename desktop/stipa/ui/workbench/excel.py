"""File > Export Tables to Excel… and File > Import Tables from Excel…, with a report.

The import reads and checks the workbook in a worker thread (:class:`WorkbookImport`) behind
a progress dialog with Cancel, so a big workbook never freezes the window; a big workbook is
parsed in a child process besides (the thread checks what it sends), so openpyxl never holds
the interpreter lock the window needs. The checked changes are applied on the GUI thread as
one undo step.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from stipa.export.options import collect_export_warnings
from stipa.export.workbook import (
    DEFAULT_LIMITS,
    ImportCancelled,
    ImportLimits,
    ImportPlan,
    ImportProblem,
    ImportReport,
    apply_steps,
    export_workbook,
    plan_import,
    read_workbook,
)
from stipa.export.workbook_process import ReadInProcess
from stipa.model import Document
from stipa.ui import collector
from stipa.ui.actions import make_action
from stipa.ui.slices import Slices

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext
    from stipa.ui.workbench.dock import StpaDock

XLSX_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
#: How long the import applies changes before the window handles its events again.
APPLY_SLICE_S = 0.05
_FOLDER_KEY = "workbench/xlsxFolder"
#: How long an import runs before its progress dialog shows (a small workbook never shows it).
_SHOW_AFTER_MS = 400
#: Workbooks bigger than this are parsed in a child process. The child is ready to read after
#: ~0.2 s (a bare spawn takes ~0.04 s, the rest is its imports): measured in the window, a
#: 500-row workbook took 0.3 s in a child against 0.07 s in the thread, a 1 MiB one (30,000
#: rows) 1.2 s against 1.1 s, and up to 2 MiB the thread never stopped the window for more
#: than ~40 ms; the 100,000-row workbook of the stall benchmark did, for up to 0.37 s.
READ_IN_PROCESS_BYTES = 1 << 20


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workbench", text)


def reads_in_process(path: Path) -> bool:
    """Whether ``path`` is big enough to parse in a child process (see
    :data:`READ_IN_PROCESS_BYTES`); one that cannot be looked at is read in the thread,
    which says why."""
    try:
        return os.stat(path).st_size > READ_IN_PROCESS_BYTES
    except OSError:
        return False


#: The most ids the import report lists by name for each of added, updated and deleted.
LISTED_IDS = 200


def _listed(ids: list[str]) -> str:
    """The first :data:`LISTED_IDS` ids, then how many more (a long line is slow to lay out)."""
    shown = ", ".join(ids[:LISTED_IDS])
    if len(ids) <= LISTED_IDS:
        return shown
    return _tr("{0} and {1} more").format(shown, f"{len(ids) - LISTED_IDS:,}")


class ImportReportDialog(QDialog):
    """What an import did, or each refused cell with its sheet, row and column."""

    def __init__(self, parent: QWidget, report: ImportReport) -> None:
        super().__init__(parent)
        self.setObjectName("stpa.import_report")
        self.setWindowTitle(_tr("Import tables from Excel"))
        self.report = report
        layout = QVBoxLayout(self)
        self.summary = QLabel(report.summary())
        self.summary.setObjectName("stpa.import_report.summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        lines: list[str] = []
        if report.problems:
            lines.append(_tr("Refused — fix these and import again:"))
            lines += [f"  • {problem}" for problem in report.problems]
        else:
            for title, ids in (
                (_tr("Added"), report.added),
                (_tr("Updated"), report.updated),
                (_tr("Deleted"), report.deleted),
            ):
                if ids:
                    lines.append(f"{title}: {_listed(ids)}")
            lines += report.lost_references
            if report.applied:
                lines.append(_tr("Edit > Undo takes the whole import back."))
        if report.notes:
            lines.append("")
            lines += [f"  · {note}" for note in report.notes]
        self.details = QPlainTextEdit("\n".join(lines))
        self.details.setObjectName("stpa.import_report.details")
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.finished.connect(self.deleteLater)
        self.resize(640, 360)


class WorkbookImport(QObject):
    """One Excel import: read and checked in a worker thread, applied on the GUI thread.

    :meth:`start` begins; ``progressed(rows_read, rows_expected)`` follows the reading,
    ``applying(changes_done, changes)`` the applying, and ``finished(report)`` ends it, with
    the :class:`ImportReport` (applied as one undo step unless it has problems), or None
    when it was cancelled (the document is as before, even when cancelled while applying).

    A workbook over :data:`READ_IN_PROCESS_BYTES` is parsed in a child process
    (:attr:`reading`, a :class:`~stipa.export.workbook_process.ReadInProcess`), terminated
    on Cancel; the worker thread checks the rows it sends. The workbook is checked against a
    snapshot; if the document changes meanwhile, it is read again against the changed
    document before anything is applied. The changes are
    applied on the GUI thread a slice of about :data:`APPLY_SLICE_S` at a time, so the
    window keeps answering while a big workbook is applied.
    """

    progressed = Signal(int, int)
    applying = Signal(int, int)
    finished = Signal(object)
    _planned = Signal(object)  # from the worker: an ImportPlan, or None when cancelled

    def __init__(
        self,
        document: Document,
        path: Path,
        limits: ImportLimits = DEFAULT_LIMITS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.path = Path(path)
        self.limits = limits
        self.report: ImportReport | None = None
        self.worker: threading.Thread | None = None
        #: The child process parsing the workbook, when it is big enough for one.
        self.reading: ReadInProcess | None = None
        self._cancel = threading.Event()
        self._stale = False
        self._done = False
        #: Applying the checked changes, a slice at a time.
        self.slices = Slices(self)
        self._collector: collector.Pause | None = None
        self._unsubscribe = lambda: None
        self._planned.connect(self._on_planned)

    @property
    def running(self) -> bool:
        """Whether the import has started and not finished."""
        return self.worker is not None and not self._done

    def start(self) -> None:
        """Read the workbook in a worker thread (once)."""
        if self.worker is not None:
            return
        self._unsubscribe = self.document.subscribe(self._on_change)
        self._collector = collector.Pause()
        self.destroyed.connect(self._collector.resume)  # a window closed while importing
        self.destroyed.connect(self._cancel.set)  # ends the child process too
        self._read()

    def _read(self) -> None:
        self._stale = False
        snapshot = self.document.snapshot()
        planned, progressed, limits, path = self._planned, self.progressed, self.limits, self.path
        cancelled = self._cancel.is_set
        self.reading = ReadInProcess() if reads_in_process(path) else None
        read = self.reading or read_workbook

        def progress(done: int, expected: int) -> None:
            with contextlib.suppress(RuntimeError):  # the window is gone
                progressed.emit(done, expected)

        def work() -> None:
            plan: ImportPlan | None = None
            try:
                plan = plan_import(
                    snapshot, path, limits=limits, progress=progress, cancelled=cancelled, read=read
                )
            except ImportCancelled:
                plan = None
            except Exception as error:  # a bug: say so in the report, and to the excepthook
                failed = ImportProblem("", None, None, f"Reading {path.name} failed: {error}")
                plan = ImportPlan(ImportReport(path, problems=[failed]))
                raise
            finally:
                with contextlib.suppress(RuntimeError):
                    planned.emit(plan)

        self.worker = threading.Thread(target=work, name="stipa excel import", daemon=True)
        self.worker.start()

    def cancel(self) -> None:
        """Stop reading; nothing is applied."""
        self._cancel.set()

    def _on_change(self, _event: object) -> None:
        self._stale = True

    def _on_planned(self, plan: ImportPlan | None) -> None:
        cancelled = plan is None or self._cancel.is_set()
        if self._stale and not cancelled:  # edited while it was read: check it against the edits
            self._read()
            return
        self._unsubscribe()
        if plan is None or cancelled:
            self._finish(None)
            return
        self.report = plan.report
        self.slices.start(
            self._changes_in_slices(apply_steps(self.document, plan)),
            finished=self._finish,
            progress=lambda step: self.applying.emit(*step),
            seconds=APPLY_SLICE_S,
        )

    def _changes_in_slices(
        self, steps: Generator[tuple[int, int], None, None]
    ) -> Generator[tuple[int, int], None, ImportReport | None]:
        """Apply the changes between events (``slices``), yielding (done, total); gives the
        report, or None when cancelled meanwhile (what was applied is taken back)."""
        for step in steps:
            if self._cancel.is_set():
                steps.close()  # takes back what was applied
                return None
            yield step
        return self.report

    def _finish(self, report: ImportReport | None) -> None:
        self._done = True
        if self._collector is not None:
            if report is not None and report.applied:  # what it added: out of the way
                self._collector.settle()
            self._collector.resume()
        self.finished.emit(report)


class ExcelActions:
    """The two File menu actions of a window (:attr:`actions_by_name`, which the window puts
    into its File menu); file dialogs are methods tests replace."""

    def __init__(self, window: PanelContext, dock: StpaDock) -> None:
        self.window = window
        self.dock = dock
        self.report_dialog: ImportReportDialog | None = None
        #: The import running or last run, and its progress dialog.
        self.task: WorkbookImport | None = None
        self.progress: QProgressDialog | None = None
        self.export_action = self._action(
            "export_xlsx",
            _tr("Export Tables to E&xcel…"),
            _tr("Write every STPA table to one Excel workbook, to edit and import back"),
            self.export,
        )
        self.import_action = self._action(
            "import_xlsx",
            _tr("&Import Tables from Excel…"),
            _tr("Apply the edits made in an exported Excel workbook, as one undo step"),
            self.import_,
        )
        self.actions_by_name = {
            "export_xlsx": self.export_action,
            "import_xlsx": self.import_action,
        }

    def _action(self, name: str, text: str, tip: str, slot: Callable[[], object]) -> QAction:
        return make_action(self.window.window(), name, text, tip, slot)

    def _start(self, suffix: str) -> str:
        folder = self.window.settings().value(_FOLDER_KEY, "")
        if self.window.path is not None:
            return str(self.window.path.with_suffix(suffix))
        return str(Path(str(folder or "")) / f"{_tr('STPA tables')}{suffix}")

    def ask_export_path(self) -> Path | None:
        """Ask where to write the workbook (tests replace this)."""
        name, _filter = QFileDialog.getSaveFileName(
            self.window.window(), _tr("Export tables to Excel"), self._start(".xlsx"), XLSX_FILTER
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".xlsx")

    def ask_import_path(self) -> Path | None:
        """Ask which workbook to import (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self.window.window(), _tr("Import tables from Excel"), self._start(".xlsx"), XLSX_FILTER
        )
        return Path(name) if name else None

    def export(self) -> Path | None:
        """Ask for a file and write the workbook."""
        path = self.ask_export_path()
        if path is None:
            return None
        try:
            with collect_export_warnings() as warned:
                export_workbook(self.window.document, path)
        except OSError as error:
            self.window.show_error(
                _tr("Cannot export {0}").format(path.name), f"{path}: {error.strerror or error}."
            )
            return None
        self.window.settings().setValue(_FOLDER_KEY, str(path.parent))
        self.window.statusBar().showMessage(
            _tr("Exported the STPA tables to {0}").format(path), 6000
        )
        if warned:
            self.window.show_warning(_tr("Exported {0}").format(path.name), "\n\n".join(warned))
        return path

    def import_(self) -> WorkbookImport | None:
        """Ask for a workbook and start importing it (see :meth:`import_path`)."""
        path = self.ask_import_path()
        if path is None:
            return None
        return self.import_path(path)

    def import_path(self, path: Path, limits: ImportLimits = DEFAULT_LIMITS) -> WorkbookImport:
        """Import ``path`` in a worker thread (a big one parsed in a child process) behind a
        progress dialog with Cancel.

        Returns the running :class:`WorkbookImport`; its ``finished`` signal brings the
        report, which is then shown.
        """
        self.window.settings().setValue(_FOLDER_KEY, str(path.parent))
        task = WorkbookImport(self.window.document, path, limits, self.window.window())
        progress = QProgressDialog(
            _tr("Reading {0}…").format(path.name), _tr("Cancel"), 0, 0, self.window.window()
        )
        progress.setObjectName("stpa.import_progress")
        progress.setWindowTitle(_tr("Import tables from Excel"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(_SHOW_AFTER_MS)  # a small workbook is read before it shows
        progress.setAutoReset(False)
        progress.setAutoClose(False)
        progress.canceled.connect(task.cancel)
        task.progressed.connect(lambda done, expected: self._progressed(progress, done, expected))
        task.applying.connect(lambda done, total: self._show_applying(progress, done, total))
        task.finished.connect(lambda report: self._imported(task, progress, report))
        self.task, self.progress = task, progress
        task.start()
        # QProgressDialog decides to show only inside setValue: a read that stalls after its
        # first batch (a slow disk, a huge shared string table) would otherwise run unseen.
        QTimer.singleShot(_SHOW_AFTER_MS, progress, lambda: self._show_if_running(task, progress))
        return task

    @staticmethod
    def _show_if_running(task: WorkbookImport, progress: QProgressDialog) -> None:
        if task.running and not progress.wasCanceled():
            progress.show()

    @staticmethod
    def _progressed(progress: QProgressDialog, done: int, expected: int) -> None:
        if progress.wasCanceled():
            return
        progress.setMaximum(expected)
        progress.setValue(done)
        progress.setLabelText(
            _tr("Read {0} of about {1} rows…").format(f"{done:,}", f"{expected:,}")
        )

    @staticmethod
    def _show_applying(progress: QProgressDialog, done: int, total: int) -> None:
        if progress.wasCanceled():
            return
        progress.setMaximum(total)
        progress.setValue(done)
        progress.setLabelText(_tr("Applied {0} of {1} changes…").format(f"{done:,}", f"{total:,}"))

    def _imported(
        self, task: WorkbookImport, progress: QProgressDialog, report: ImportReport | None
    ) -> None:
        progress.canceled.disconnect(task.cancel)
        progress.close()
        progress.deleteLater()
        if self.progress is progress:
            self.progress = None
        if report is None:
            self.window.statusBar().showMessage(
                _tr("Import of {0} cancelled; nothing changed.").format(task.path.name), 8000
            )
            return
        self.window.statusBar().showMessage(report.summary(), 8000)
        self.report_dialog = ImportReportDialog(self.window.window(), report)
        self.report_dialog.open()


def install_excel(window: PanelContext, dock: StpaDock) -> ExcelActions:
    """``action.export_xlsx`` and ``action.import_xlsx`` of ``window``, kept by the STPA dock
    (``dock.excel``)."""
    actions = ExcelActions(window, dock)
    dock.excel = actions
    return actions
