"""Running analyses: each alone on a frozen snapshot, off the caller's thread, time-limited.

The runner never changes the document. ``apply_outcomes`` turns valid results into one
undoable command; everything else becomes a failure recorded against its plugin.
"""

from __future__ import annotations

import itertools
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from stipa.model import (
    Disposition,
    Document,
    Finding,
    Snapshot,
    Suggestion,
    SuggestionStatus,
)
from stipa.model.integrity import record_problems
from stipa.plugin.api import Analysis, AnalysisContext, Cancelled

#: Seconds an analysis may run before it is abandoned (configurable per run).
DEFAULT_TIMEOUT = 60.0
#: Findings and suggestions one analysis may return; more fail the run. A document of more
#: would be larger than Stipa saves and opens (``stipa.io.MAX_FILE_BYTES``).
MAX_RESULTS = 50_000
#: Outcome states.
OK, FAILED, TIMED_OUT, CANCELLED = "ok", "failed", "timeout", "cancelled"
#: Progress callback: (analysis index, analysis count, analysis title, fraction, message).
Progress = Callable[[int, int, str, float, str], None]


@dataclass
class AnalysisOutcome:
    """What one analysis run produced, or why it produced nothing usable."""

    analysis: Analysis
    plugin: str
    status: str = OK
    findings: list[Finding] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    #: Results refused by validation (the rest of the results are kept).
    problems: list[str] = field(default_factory=list)
    message: str = ""
    traceback: str = ""
    seconds: float = 0.0
    #: Names of the (non-daemon) threads the analysis started that were still running when
    #: its time was up: work it left behind, which would keep a process from exiting.
    lingering: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        """Whether the results may replace the analysis's previous findings."""
        return self.status == OK


class AnalysisRunner:
    """Runs analyses one at a time on a snapshot; cancellable from another thread.

    Parameters
    ----------
    analyses
        The analyses to run, in order.
    plugin_of
        Maps an analysis to the name of the plugin that declared it (for failure reports).
    timeout
        Seconds an analysis may take, threads it starts included: its function is abandoned
        when they are up (its thread is left to finish on its own and its results are
        discarded), and threads it started and left running are waited for until then and
        named in :attr:`AnalysisOutcome.lingering`.
    max_results
        Findings and suggestions an analysis may return; more is a failure of the analysis.
    """

    def __init__(
        self,
        analyses: Sequence[Analysis],
        plugin_of: Callable[[Analysis], str] = lambda analysis: analysis.id,
        timeout: float = DEFAULT_TIMEOUT,
        options: Mapping[str, str] | None = None,
        max_results: int = MAX_RESULTS,
    ) -> None:
        self.analyses = list(analyses)
        self.plugin_of = plugin_of
        self.timeout = timeout
        self.max_results = max_results
        self.options = dict(options or {})
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop after the current analysis (which is asked to stop, or abandoned)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether ``cancel`` was called."""
        return self._cancel.is_set()

    def run(self, snapshot: Snapshot, progress: Progress | None = None) -> list[AnalysisOutcome]:
        """Run every analysis on ``snapshot``; blocks until all are done or abandoned."""
        outcomes = []
        total = len(self.analyses)
        for index, analysis in enumerate(self.analyses):
            if self._cancel.is_set():
                outcomes.append(self._outcome(analysis, CANCELLED, "Cancelled before it started."))
                continue

            def report(
                fraction: float, message: str, i: int = index, a: Analysis = analysis
            ) -> None:
                if progress is not None:
                    progress(i, total, a.title, fraction, message)

            report(0.0, "")
            outcomes.append(self.run_one(analysis, snapshot, report))
            report(1.0, "")
        return outcomes

    def run_one(
        self,
        analysis: Analysis,
        snapshot: Snapshot,
        report: Callable[[float, str], None] | None = None,
    ) -> AnalysisOutcome:
        """Run one analysis on a worker thread, waiting at most ``timeout`` seconds."""
        context = AnalysisContext(
            analysis.id, snapshot, self.options, self._cancel, report, analysis.catalogue
        )
        box: dict[str, object] = {}
        limit = self.max_results

        def work() -> None:
            try:
                output = analysis.run(context)
                # one more than allowed tells that there are too many, without taking them all
                results = list(itertools.islice(output, limit + 1)) if output is not None else []
                box["results"] = results
            except Cancelled:
                box["cancelled"] = True
            except BaseException as error:  # a plugin may raise anything
                box["error"] = error
                box["trace"] = traceback.format_exc()

        started = time.perf_counter()
        already = set(threading.enumerate())
        worker = threading.Thread(target=work, name=f"analysis {analysis.id}", daemon=True)
        worker.start()
        deadline = started + self.timeout
        while worker.is_alive():
            worker.join(0.05)
            if time.perf_counter() > deadline:
                outcome = self._outcome(
                    analysis,
                    TIMED_OUT,
                    f"Did not finish within {self.timeout:g} s and was abandoned.",
                    seconds=time.perf_counter() - started,
                )
                outcome.lingering = _names(_started_since(already, worker))
                return outcome
            if self._cancel.is_set() and worker.is_alive():
                worker.join(min(1.0, max(0.0, deadline - time.perf_counter())))
                if worker.is_alive():
                    return self._outcome(analysis, CANCELLED, "Cancelled.")
        lingering = _wait_for(_started_since(already, worker), deadline)
        seconds = time.perf_counter() - started
        if "cancelled" in box:
            outcome = self._outcome(analysis, CANCELLED, "Cancelled.", seconds=seconds)
        elif "error" in box:
            error = box["error"]
            outcome = self._outcome(
                analysis,
                FAILED,
                f"{type(error).__name__}: {error}",
                trace=str(box.get("trace", "")),
                seconds=seconds,
            )
        elif len(box.get("results", [])) > limit:  # type: ignore[arg-type]
            outcome = self._outcome(
                analysis,
                FAILED,
                f"Returned more than {limit:,} findings and suggestions, the most one analysis "
                f"may return; none were kept. Plugin {self.plugin_of(analysis)} must report "
                "fewer (group them, or check a smaller part).",
                seconds=seconds,
            )
        else:
            outcome = self._outcome(analysis, OK, seconds=seconds)
            _validate(outcome, box.get("results", []), snapshot)  # type: ignore[arg-type]
        outcome.lingering = _names(lingering)
        return outcome

    def _outcome(
        self,
        analysis: Analysis,
        status: str,
        message: str = "",
        trace: str = "",
        seconds: float = 0.0,
    ) -> AnalysisOutcome:
        return AnalysisOutcome(
            analysis=analysis,
            plugin=self.plugin_of(analysis),
            status=status,
            message=message,
            traceback=trace,
            seconds=seconds,
        )


def _started_since(
    already: set[threading.Thread], worker: threading.Thread
) -> list[threading.Thread]:
    """Non-daemon threads started since ``already`` was taken, still running, but the worker.

    Only non-daemon threads keep a process from exiting; daemon ones are the plugin's own
    affair. The runner cannot tell who started a thread, so other analyses running meanwhile
    elsewhere in the process are left out by name.
    """
    return [
        thread
        for thread in threading.enumerate()
        if thread not in already
        and thread is not worker
        and not thread.daemon
        and thread.is_alive()
        and not thread.name.startswith("analysis ")
    ]


def _wait_for(threads: list[threading.Thread], deadline: float) -> list[threading.Thread]:
    """Join ``threads`` until ``deadline``; the ones still running then."""
    for thread in threads:
        thread.join(max(0.0, deadline - time.perf_counter()))
    return [thread for thread in threads if thread.is_alive()]


def _names(threads: list[threading.Thread]) -> list[str]:
    return [thread.name for thread in threads]


def _validate(outcome: AnalysisOutcome, results: Iterable[object], snapshot: Snapshot) -> None:
    """Keep the well-formed results of an analysis; note why the others were refused."""
    analysis_id = outcome.analysis.id
    for result in results:
        if not isinstance(result, Finding | Suggestion):
            outcome.problems.append(
                f"Returned {type(result).__name__} {_short(result)}; an analysis returns "
                "Finding and Suggestion records."
            )
            continue
        if result.plugin != analysis_id:
            outcome.problems.append(
                f"A result claims to come from {result.plugin!r}; this analysis is {analysis_id}."
            )
            continue
        declared = outcome.analysis.catalogue
        if declared and result.rule not in declared:
            outcome.problems.append(
                f"{_short(result.message)}: rule {result.rule!r} is not declared by "
                f"{analysis_id} (it declares {', '.join(declared)})."
            )
            continue
        if result.id:
            outcome.problems.append(
                f"A result has the id {result.id!r}; leave ids empty, Stipa assigns them."
            )
            continue
        checked = result.replace(id="F-0" if isinstance(result, Finding) else "S-0")
        problems = list(record_problems(snapshot, checked))
        if isinstance(result, Finding) and result.disposition != Disposition.OPEN:
            problems.append("An analysis cannot set a disposition; the analyst does.")
        if problems:
            outcome.problems.append(f"{_short(result.message)}: {' '.join(problems)}")
            continue
        if isinstance(result, Finding):
            outcome.findings.append(result)
        else:
            outcome.suggestions.append(result)


def _short(value: object, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finding_key(finding: Finding) -> tuple[str, tuple[str, ...]]:
    return finding.rule, finding.targets


def _suggestion_key(suggestion: Suggestion) -> tuple[str, tuple[str, ...], object]:
    return suggestion.rule, suggestion.targets, suggestion.proposal


def apply_outcomes(
    document: Document,
    outcomes: Sequence[AnalysisOutcome],
    label: str = "Run analyses",
    *,
    amend: bool = False,
) -> bool:
    """Put the results of successful runs into the document as ONE undo step.

    With ``amend`` they join the last undo step instead (see ``Document.transaction``): a
    live run's results belong to the edit that started it, and one undo takes back both.

    For each analysis that succeeded, its previous findings are replaced: a finding that
    persists (same rule and targets) keeps its id, disposition and rationale; open
    suggestions no longer proposed disappear, decided ones stay as the trail. Failed,
    cancelled and abandoned analyses leave their previous results alone.

    Returns whether the document changed.
    """
    before = len(document.findings), len(document.suggestions)
    changed = False
    with document.transaction(label, amend=amend):
        for outcome in outcomes:
            if outcome.succeeded:
                changed |= _replace_findings(document, outcome)
                changed |= _replace_suggestions(document, outcome)
    return changed or before != (len(document.findings), len(document.suggestions))


def _replace_findings(document: Document, outcome: AnalysisOutcome) -> bool:
    analysis_id = outcome.analysis.id
    previous: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
    for finding in document.findings.values():
        if finding.plugin == analysis_id:
            previous.setdefault(_finding_key(finding), []).append(finding)
    changed = False
    new: list[Finding] = []
    for finding in outcome.findings:
        # targets deleted since the snapshot was taken drop out; a finding left with
        # none of its targets no longer applies
        targets = tuple(t for t in finding.targets if t in document)
        if finding.targets and not targets:
            continue
        finding = finding.replace(targets=targets)
        matches = previous.get(_finding_key(finding))
        if matches:
            old = matches.pop(0)
            fresh = finding.replace(id=old.id, disposition=old.disposition, rationale=old.rationale)
            if fresh != old:
                document.update(
                    old.id,
                    severity=fresh.severity,
                    message=fresh.message,
                    source=fresh.source,
                    data=fresh.data,
                )
                changed = True
        else:
            new.append(finding)
    if new:
        document.add_all(new)  # in bulk: one event, not one per finding
        changed = True
    gone = [f.id for group in previous.values() for f in group]
    if gone:
        document.remove(*gone)
        changed = True
    return changed


def _replace_suggestions(document: Document, outcome: AnalysisOutcome) -> bool:
    analysis_id = outcome.analysis.id
    existing = {
        _suggestion_key(s): s for s in document.suggestions.values() if s.plugin == analysis_id
    }
    proposed = set()
    new: list[Suggestion] = []
    for suggestion in outcome.suggestions:
        targets = tuple(t for t in suggestion.targets if t in document)
        if suggestion.targets and not targets:
            continue
        suggestion = suggestion.replace(targets=targets)
        key = _suggestion_key(suggestion)
        proposed.add(key)
        if key not in existing:
            new.append(suggestion)
    # a proposal referring to something deleted since the snapshot is left out
    changed = bool(document.add_all(new, skip_refused=True))
    stale = [
        s.id
        for key, s in existing.items()
        if key not in proposed and s.status == SuggestionStatus.OPEN
    ]
    if stale:
        document.remove(*stale)
        changed = True
    return changed
