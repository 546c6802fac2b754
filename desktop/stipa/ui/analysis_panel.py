"""The Analysis menu and the running of analyses from the desktop application.

Analyses run on a frozen snapshot on a worker thread (the runner starts one more thread per
analysis and abandons those that overrun their time). Progress and completion come back to
the GUI thread as queued Qt signals, so the window keeps answering input; the results are
applied there as ONE undo step, a slice at a time between events. Failures, time-outs and
refused results are recorded against the plugin that declared the analysis.

Live analysis re-runs everything about a second after the last edit (debounced); it never
runs while there are undone steps to redo, so it cannot cut off the redo history.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QProgressBar, QProgressDialog, QStyle, QToolButton

from stipa.analysis import (
    DEFAULT_TIMEOUT,
    FAILED,
    TIMED_OUT,
    AnalysisOutcome,
    AnalysisRunner,
    apply_steps,
)
from stipa.model import (
    Disposition,
    Document,
    Event,
    ModelError,
    RecordAdded,
    RecordChanged,
    RecordRemoved,
    RecordsAdded,
    Severity,
)
from stipa.operations.analyses import runner_for
from stipa.plugin import Analysis
from stipa.ui import collector
from stipa.ui.actions import make_action
from stipa.ui.analysis_options import AnalysisOptionsDialog, analysis_options
from stipa.ui.canvas.badges import BadgeManager
from stipa.ui.findings import FindingsDock
from stipa.ui.following import DocumentFollower
from stipa.ui.slices import Slices
from stipa.ui.theme import theme_glyph

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext

#: QSettings keys: live analysis on or off, and the time limit of one analysis in seconds.
LIVE_SETTING = "analysis/live"
TIMEOUT_SETTING = "analysis/timeout"
#: Milliseconds between the last edit and a live run.
LIVE_DELAY_MS = 1000
#: Tables whose changes do not start a live run: the results themselves and the layout.
_NOT_LIVE = frozenset({"findings", "suggestions", "node_layout", "link_layout"})
#: Seconds of applying results between two turns of the event loop.
APPLY_SLICE_S = 0.05
#: Shortest time between two progress reports sent to the GUI thread.
_PROGRESS_INTERVAL = 0.05


def _tr(text: str) -> str:
    return QCoreApplication.translate("Analysis", text)


def analysis_timeout(settings: QSettings) -> float:
    """Seconds one analysis may run (``analysis/timeout`` in ``settings``, default 60)."""
    value = settings.value(TIMEOUT_SETTING, DEFAULT_TIMEOUT)
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT
    return seconds if seconds > 0 else DEFAULT_TIMEOUT


@dataclass
class AnalysisRun:
    """One run in progress: what runs, on which document, and how to stop it."""

    token: int
    document: Document
    runner: AnalysisRunner
    live: bool
    #: The results join the last undo step: a live run started by edits (see _on_completed).
    amend: bool = False
    thread: threading.Thread | None = None


class AnalysisController(QObject):
    """Owns the Analysis menu, the progress display and the runs of one main window.

    The window puts :attr:`menu` into its menu bar and :attr:`run_action` on its toolbar.
    """

    #: (token, index, count, title, fraction, message) from the worker thread.
    progressed = Signal(int, int, int, str, float, str)
    #: (token, outcomes) from the worker thread when a run is over.
    completed = Signal(int, object)
    #: A run is over and its results were applied (or discarded); carries the summary.
    finished = Signal(str)
    #: A run the analyst started found open findings that were not there before (how many).
    new_findings = Signal(int)

    def __init__(self, window: PanelContext) -> None:
        super().__init__(window.window())
        self.window_ = window
        #: The actions of the Analysis menu, by name; the window lists them with its own.
        self.actions_by_name: dict[str, QAction] = {}
        self.run: AnalysisRun | None = None
        #: The status-bar summary of the last run.
        self.last_summary = ""
        self._token = 0
        self._rerun = False
        #: Edits happened since the last live run started (not just live analysis turned on).
        self._edited = False
        #: The results being applied a slice at a time, and the dialog shown meanwhile.
        self._applying: Generator[None, None, bool] | None = None
        self.slices = Slices(self)
        self.applying_dialog: QProgressDialog | None = None
        self.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.completed.connect(self._on_completed, Qt.ConnectionType.QueuedConnection)
        #: Fires once after the last edit while live analysis is on.
        self.live_timer = QTimer(self)
        self.live_timer.setSingleShot(True)
        self.live_timer.setInterval(LIVE_DELAY_MS)
        self.live_timer.timeout.connect(self._live_run)
        self._build_actions()
        self._build_menu()
        self._build_status()
        self.follower = DocumentFollower(self, window, self._on_event, self._bind)
        self._bind()

    # --- construction ----------------------------------------------------------------------
    def _action(self, name: str, text: str, tip: str) -> QAction:
        action = make_action(self.window_.window(), name, text, tip)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        style = self.window_.window().style()
        run = self._action(
            "run_analyses",
            _tr("&Run Analyses"),
            _tr("Run every installed analysis on the diagram (F5)"),
        )
        run.setShortcuts([QKeySequence(Qt.Key.Key_F5)])
        run.setIcon(theme_glyph(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay)))
        run.triggered.connect(lambda checked=False: self.start())
        cancel = self._action(
            "cancel_analyses", _tr("&Cancel Analyses"), _tr("Stop the analyses that are running")
        )
        cancel.setShortcuts([QKeySequence("Shift+F5")])
        cancel.setIcon(theme_glyph(style.standardIcon(QStyle.StandardPixmap.SP_MediaStop)))
        cancel.setEnabled(False)
        cancel.triggered.connect(lambda checked=False: self.cancel())
        live = self._action(
            "live_analyses",
            _tr("&Live Analysis"),
            _tr("Run the analyses again about a second after each edit"),
        )
        live.setCheckable(True)
        live.setChecked(bool(self.window_.settings().value(LIVE_SETTING, False, type=bool)))
        live.toggled.connect(self.set_live)
        options = self._action(
            "analysis_options",
            _tr("Analysis &Options…"),
            _tr("Choose the options the analyses run with (which feedback counts, growth rates)"),
        )
        options.triggered.connect(lambda checked=False: self.edit_options())
        self.run_action, self.cancel_action, self.live_action = run, cancel, live
        self.options_action = options

    def _build_menu(self) -> None:
        menu = QMenu(_tr("&Analysis"), self.window_.window())
        menu.setObjectName("menu.analysis")
        menu.setToolTipsVisible(True)
        menu.addAction(self.run_action)
        self.run_one_menu = menu.addMenu(_tr("Run &Analysis"))
        self.run_one_menu.setObjectName("menu.run_analysis")
        self.run_one_menu.setToolTipsVisible(True)
        self.run_one_menu.aboutToShow.connect(self.fill_run_one_menu)
        menu.addAction(self.cancel_action)
        menu.addSeparator()
        menu.addAction(self.live_action)
        menu.addAction(self.options_action)
        self.menu = menu
        self.fill_run_one_menu()

    def fill_run_one_menu(self) -> None:
        """One entry per analysis of the window's plugin host."""
        self.run_one_menu.clear()
        analyses = list(self.window_.host.analyses.values())
        if not analyses:
            placeholder = self.run_one_menu.addAction(_tr("No analyses installed"))
            placeholder.setObjectName("action.run_analysis.none")
            placeholder.setToolTip(_tr("Install analysis plugins to run them here"))
            placeholder.setEnabled(False)
            return
        for analysis in analyses:
            action = self.run_one_menu.addAction(analysis.title)
            action.setObjectName(f"action.run_analysis.{analysis.id}")
            action.setToolTip(analysis.description or _tr("Run {0} only").format(analysis.title))
            action.setEnabled(self.run is None)
            action.triggered.connect(lambda checked=False, a=analysis.id: self.start([a]))

    def _build_status(self) -> None:
        status = self.window_.statusBar()
        self.progress = QProgressBar()
        self.progress.setObjectName("analysis.progress")
        self.progress.setAccessibleName(_tr("Analysis progress"))
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("analysis.cancel")
        self.cancel_button.setDefaultAction(self.cancel_action)
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.cancel_button.setText(_tr("Cancel"))
        status.addWidget(self.progress)
        status.addWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

    # --- following the window ----------------------------------------------------------------
    def _bind(self) -> None:
        self.live_timer.stop()
        self._rerun = self._edited = False

    def _on_event(self, event: Event) -> None:
        if (
            isinstance(event, RecordAdded | RecordsAdded | RecordChanged | RecordRemoved)
            and event.table not in _NOT_LIVE
            and self.live_action.isChecked()
        ):
            self._edited = True
            self.live_timer.start()  # restarts: debounced until the edits pause

    def set_live(self, on: bool) -> None:
        """Turn live analysis on or off (remembered in the settings)."""
        self.window_.settings().setValue(LIVE_SETTING, bool(on))
        if self.live_action.isChecked() != on:
            self.live_action.setChecked(on)
            return
        if on:
            self.live_timer.start()
        else:
            self.live_timer.stop()
            self._rerun = False

    def _live_run(self) -> None:
        if not shiboken6.isValid(self) or not self.live_action.isChecked():
            return
        if self.run is not None:
            self._rerun = True  # once the current run is over
            return
        if self.window_.document.can_redo:
            return  # a run would cut off the redo history
        if self.window_.view.editor is not None:
            self.live_timer.start()  # a name is being typed: wait until it is done
            return
        self.start(live=True)

    # --- running -----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """Whether analyses are running."""
        return self.run is not None

    def analyses(self, ids: list[str] | None = None) -> list[Analysis]:
        """The analyses to run: those with ``ids``, or all of the window's host."""
        available = self.window_.host.analyses
        if ids is None:
            return list(available.values())
        return [available[i] for i in ids if i in available]

    def start(self, ids: list[str] | None = None, live: bool = False) -> bool:
        """Run the analyses (all, or those with ``ids``) on a snapshot of the document."""
        if self.run is not None:
            return False
        analyses = self.analyses(ids)
        if not analyses:
            if not live:
                self._show(_tr("No analyses are installed."))
            return False
        window = self.window_
        if not live:
            window.view.finish_rename()  # analyse the name being typed, too
        document = window.document
        snapshot = document.snapshot()
        settings = window.settings()
        runner = runner_for(
            analyses, window.host, analysis_timeout(settings), analysis_options(settings)
        )
        self._token += 1
        run = AnalysisRun(self._token, document, runner, live, amend=live and self._edited)
        if live:
            self._edited = False
        self.run = run
        self._set_running(True)
        self._on_progress(run.token, 0, len(analyses), analyses[0].title, 0.0, "")
        progressed, completed = self.progressed, self.completed
        token = run.token

        def work() -> None:
            last = [0.0]

            def report(index: int, total: int, title: str, fraction: float, message: str) -> None:
                now = time.monotonic()
                if 0.0 < fraction < 1.0 and now - last[0] < _PROGRESS_INTERVAL:
                    return  # the GUI needs no more than ~20 updates a second
                last[0] = now
                with contextlib.suppress(RuntimeError):  # the window is gone
                    progressed.emit(token, index, total, title, fraction, message)

            outcomes: list[AnalysisOutcome] = []
            try:
                outcomes = runner.run(snapshot, report)
            finally:
                with contextlib.suppress(RuntimeError):
                    completed.emit(token, outcomes)

        run.thread = threading.Thread(target=work, name="stipa analyses", daemon=True)
        run.thread.start()
        return True

    def edit_options(self) -> AnalysisOptionsDialog:
        """Open the Analysis Options dialog (window-modal); OK keeps the options and, with live
        analysis on, runs the analyses again with them."""
        window = self.window_
        dialog = AnalysisOptionsDialog(self.analyses(), window.settings(), window.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._options_changed)
        dialog.open()
        return dialog

    def _options_changed(self) -> None:
        if self.live_action.isChecked():
            self.live_timer.start()

    def cancel(self) -> None:
        """Ask the running analyses to stop; their results are discarded."""
        if self.run is None:
            return
        self.run.runner.cancel()
        self.cancel_action.setEnabled(False)
        self.progress.setFormat(_tr("Cancelling…"))

    def _set_running(self, running: bool) -> None:
        self.run_action.setEnabled(not running)
        self.cancel_action.setEnabled(running)
        for action in self.run_one_menu.actions():
            action.setEnabled(not running and bool(self.window_.host.analyses))
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if running:
            self.progress.setValue(0)

    def _on_progress(
        self, token: int, index: int, total: int, title: str, fraction: float, message: str
    ) -> None:
        run = self.run
        if run is None or token != run.token or not shiboken6.isValid(self.progress):
            return
        if run.runner.cancelled:
            return
        value = round((index + fraction) / max(total, 1) * 1000)
        self.progress.setValue(max(self.progress.value(), min(value, 1000)))
        text = f"{title}: {message}" if message else title
        if total > 1:
            text = _tr("{0} ({1} of {2})").format(text, index + 1, total)
        self.progress.setFormat(f"{text} – %p%")
        self.progress.setToolTip(text)

    def _on_completed(self, token: int, outcomes: list[AnalysisOutcome]) -> None:
        run = self.run
        if run is None or token != run.token or not shiboken6.isValid(self):
            return
        window = self.window_
        if run.runner.cancelled:
            summary = _tr("Analyses cancelled; the results were discarded.")
        elif window.document is not run.document:
            summary = _tr("Analysis results discarded: a different document is open now.")
        elif run.live and window.document.can_redo:
            summary = _tr("Live analysis results discarded: there are undone steps to redo.")
        else:
            self._record_failures(outcomes)
            before = set(window.document.findings)
            # a live run's results join the edit that started it: one undo for both
            steps = apply_steps(window.document, outcomes, _tr("Run analyses"), amend=run.amend)
            self._applying = steps
            summary = self.summary(outcomes, run.runner.options)
            self.slices.start(
                self._results_in_slices(run, steps, summary, before),
                finished=self._applied,
                progress=lambda _step: self._show_applying(),
                seconds=APPLY_SLICE_S,
            )
            return
        self._finish(summary)

    def _results_in_slices(
        self,
        run: AnalysisRun,
        steps: Generator[None, None, bool],
        summary: str,
        before: set[str],
    ) -> Generator[None, None, tuple[str, int]]:
        """Apply results between events (``slices``); gives the summary and how many open
        findings are new.

        Tens of thousands of results take seconds to apply; meanwhile a window-modal
        progress dialog keeps edits out of the open transaction (it shows only when the
        results take more than one slice). Cancel takes back what was applied.
        """
        try:
            while True:
                if run.runner.cancelled:
                    steps.close()  # takes back what was applied
                    return _tr("Analyses cancelled; the results were discarded."), 0
                try:
                    next(steps)
                except StopIteration:
                    break
                yield
        except ModelError as error:
            return _tr("The analysis results could not be applied: {0}").format(error), 0
        finally:
            steps.close()  # a window shut down: what was applied is taken back
        new = sum(
            finding_id not in before and finding.disposition == Disposition.OPEN
            for finding_id, finding in self.window_.document.findings.items()
        )
        return summary, 0 if run.live else new  # a live run must not pull the analyst away

    def _applied(self, outcome: tuple[str, int]) -> None:
        summary, new = outcome
        big = self.applying_dialog is not None  # took more than one slice
        if new:
            self.new_findings.emit(new)
        self._finish(summary)
        if big:  # what the results hold: out of the collector's way
            collector.settle()

    def _show_applying(self) -> None:
        if self.applying_dialog is None:
            dialog = QProgressDialog(
                _tr("Applying the analysis results…"), _tr("Cancel"), 0, 0, self.window_.window()
            )
            dialog.setObjectName("analysis.applying")
            dialog.setWindowTitle(_tr("Run analyses"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            dialog.setAutoReset(False)
            dialog.setAutoClose(False)
            dialog.canceled.connect(self.cancel)
            self.applying_dialog = dialog
        self.applying_dialog.show()

    def _finish(self, summary: str) -> None:
        """The run is over: its results are applied or discarded."""
        self.run = None
        self._applying = None
        self.slices.stop()
        if self.applying_dialog is not None:
            self.applying_dialog.hide()
            self.applying_dialog.deleteLater()
            self.applying_dialog = None
        self._set_running(False)
        self.last_summary = summary
        self._show(summary)
        self.finished.emit(summary)
        if self._rerun:
            self._rerun = False
            self.live_timer.start()

    def _record_failures(self, outcomes: list[AnalysisOutcome]) -> None:
        host = self.window_.host
        for outcome in outcomes:
            title = outcome.analysis.title
            if outcome.status in (FAILED, TIMED_OUT):
                host.record_failure(
                    outcome.plugin, "run", f"{title}: {outcome.message}", outcome.traceback
                )
            if outcome.problems:
                host.record_failure(
                    outcome.plugin,
                    "run",
                    _tr("{0}: refused {1} result(s): {2}").format(
                        title, len(outcome.problems), " ".join(outcome.problems)
                    ),
                )
            if outcome.lingering:
                host.record_failure(
                    outcome.plugin,
                    "run",
                    _tr("{0}: left threads running after its time was up: {1}").format(
                        title, ", ".join(outcome.lingering)
                    ),
                )

    def summary(
        self, outcomes: list[AnalysisOutcome], options: Mapping[str, str] | None = None
    ) -> str:
        """'12 findings (2 errors, 5 warnings); 1 analysis failed: …; options: feedback=direct'
        for the status bar (the options say why the findings differ from the defaults')."""
        findings = [f for o in outcomes if o.succeeded for f in o.findings]
        suggestions = sum(len(o.suggestions) for o in outcomes if o.succeeded)
        errors = sum(f.severity == Severity.ERROR for f in findings)
        warnings = sum(f.severity == Severity.WARNING for f in findings)
        text = _tr("1 finding") if len(findings) == 1 else _tr("{0} findings").format(len(findings))
        details = []
        if errors:
            details.append(_tr("1 error") if errors == 1 else _tr("{0} errors").format(errors))
        if warnings:
            details.append(
                _tr("1 warning") if warnings == 1 else _tr("{0} warnings").format(warnings)
            )
        if details:
            text += f" ({', '.join(details)})"
        if suggestions == 1:
            text += _tr(", 1 suggestion")
        elif suggestions:
            text += _tr(", {0} suggestions").format(suggestions)
        broken = [o for o in outcomes if o.status in (FAILED, TIMED_OUT)]
        if broken:
            names = "; ".join(f"{o.analysis.title}: {o.message}" for o in broken)
            if len(broken) == 1:
                text += _tr("; 1 analysis failed: {0}").format(names)
            else:
                text += _tr("; {0} analyses failed: {1}").format(len(broken), names)
        refused = sum(len(o.problems) for o in outcomes)
        if refused == 1:
            text += _tr("; 1 result refused (see the Plugins panel)")
        elif refused:
            text += _tr("; {0} results refused (see the Plugins panel)").format(refused)
        if options:
            chosen = ", ".join(f"{key}={value}" for key, value in sorted(options.items()))
            text += _tr("; options: {0}").format(chosen)
        return text

    def _show(self, text: str) -> None:
        self.window_.statusBar().showMessage(text, 15000)

    def shutdown(self) -> None:
        """Cancel a running analysis and stop following the document."""
        self.live_timer.stop()
        if self.run is not None:
            self.run.runner.cancel()
        if self._applying is not None:
            self.slices.stop()  # takes back what was applied of the results
            self._applying = None
            self.run = None
        self.follower.stop()


@dataclass
class AnalysisUI:
    """The analysis parts of a main window."""

    controller: AnalysisController
    findings: FindingsDock
    badges: BadgeManager


def analysis_parts(window: PanelContext) -> AnalysisUI:
    """The Analysis menu's controller, the findings panel and the canvas badges of ``window``."""
    controller = AnalysisController(window)
    findings = FindingsDock(window)
    badges = BadgeManager(window)
    controller.new_findings.connect(lambda count: findings.bring_forward())
    # a run asked for while the findings are folded away shows them when it has open ones
    # (tabbed behind another panel, only news bring them forward: new_findings)
    folded = False

    def run_asked() -> None:
        nonlocal folded
        folded = findings.isHidden()

    def run_over() -> None:
        nonlocal folded
        found = window.document.findings.values()
        if folded and any(f.disposition == Disposition.OPEN for f in found):
            findings.bring_forward()
        folded = False

    controller.run_action.triggered.connect(run_asked)
    controller.finished.connect(run_over)
    return AnalysisUI(controller, findings, badges)
