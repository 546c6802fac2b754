"""Run analyses and apply their results: the one way the GUI, the CLI, fixtures and scripts do it.

:func:`analyse` is the whole sequence (choose, run on a snapshot, apply as one undo step) and
is public as ``stipa.analyse``. The desktop application runs the same pieces apart, because it
runs on a worker thread and applies on the GUI thread: :func:`runner_for` then
:func:`apply_results`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from stipa.analysis import (
    DEFAULT_TIMEOUT,
    AnalysisOutcome,
    AnalysisRunner,
    Progress,
    apply_outcomes,
)
from stipa.model import Document, Finding, Snapshot, Suggestion
from stipa.plugin import Analysis, PluginHost


class AnalysisSelectionError(LookupError):
    """A requested analysis or plugin does not exist, or has no analyses to run."""


@dataclass
class AnalysisReport:
    """What a run of analyses produced and whether the document took it."""

    #: One outcome per analysis, in the order they ran.
    outcomes: list[AnalysisOutcome] = field(default_factory=list)
    #: Whether the results were applied to the document.
    applied: bool = False
    #: Whether applying them changed the document.
    changed: bool = False

    @property
    def findings(self) -> list[Finding]:
        """The findings of the analyses that succeeded, as they returned them."""
        return [f for o in self.outcomes if o.succeeded for f in o.findings]

    @property
    def suggestions(self) -> list[Suggestion]:
        """The suggestions of the analyses that succeeded, as they returned them."""
        return [s for o in self.outcomes if o.succeeded for s in o.suggestions]

    @property
    def failed(self) -> list[AnalysisOutcome]:
        """The outcomes of analyses that failed, timed out or were cancelled."""
        return [o for o in self.outcomes if not o.succeeded]

    @property
    def refused(self) -> list[str]:
        """Why results were refused, one line each, prefixed with the analysis id."""
        return [f"{o.analysis.id}: {problem}" for o in self.outcomes for problem in o.problems]

    @property
    def complete(self) -> bool:
        """Every analysis succeeded and every result it returned was accepted."""
        return not self.failed and not self.refused

    def problems(self) -> list[str]:
        """One sentence per failed analysis and per refused result (empty when complete)."""
        failures = [
            f"{o.analysis.id} ({o.plugin}) {o.status}: {o.message}".rstrip(": ")
            for o in self.failed
        ]
        return failures + [f"{line} (refused)" for line in self.refused]


def select_analyses(host: PluginHost, wanted: Iterable[str | Analysis] = ()) -> list[Analysis]:
    """The analyses named in ``wanted`` (analysis ids, plugin names or analyses), else all.

    Raises
    ------
    AnalysisSelectionError
        For a name that is neither an analysis nor a plugin, or a plugin that is disabled,
        failed to load or provides no analyses; the message starts with the name.
    """
    wanted = list(wanted)
    if not wanted:
        return list(host.analyses.values())
    chosen: dict[str, Analysis] = {}
    for name in wanted:
        if isinstance(name, Analysis):
            chosen.setdefault(name.id, name)
            continue
        if name in host.analyses:
            chosen.setdefault(name, host.analyses[name])
            continue
        info = host.plugins.get(name)
        if info is None:
            analyses = ", ".join(host.analyses) or "none"
            plugins = ", ".join(host.plugins) or "none"
            raise AnalysisSelectionError(
                f"{name}: no such analysis or plugin (analyses: {analyses}; plugins: {plugins})."
            )
        if info.status == "disabled":
            raise AnalysisSelectionError(
                f"{name}: the plugin is disabled by STIPA_DISABLE_PLUGINS."
            )
        if info.status == "failed":
            reason = info.failures[0] if info.failures else None
            detail = f" ({reason.phase}: {reason.message})" if reason else ""
            raise AnalysisSelectionError(
                f"{name}: the plugin failed to load{detail}; see `stipa plugins`."
            )
        if not info.analyses:
            raise AnalysisSelectionError(f"{name}: the plugin provides no analyses.")
        for analysis_id in info.analyses:
            chosen.setdefault(analysis_id, host.analyses[analysis_id])
    return list(chosen.values())


def runner_for(
    analyses: Sequence[Analysis],
    host: PluginHost | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    options: Mapping[str, str] | None = None,
) -> AnalysisRunner:
    """A runner for ``analyses`` that reports failures against the plugins of ``host``."""
    if host is None:
        return AnalysisRunner(analyses, timeout=timeout, options=options)
    return AnalysisRunner(analyses, host.plugin_name, timeout=timeout, options=options)


def apply_results(
    document: Document,
    outcomes: Sequence[AnalysisOutcome],
    label: str = "Run analyses",
    *,
    amend: bool = False,
) -> AnalysisReport:
    """Put the results of the analyses that succeeded into ``document`` as ONE undo step.

    See :func:`stipa.analysis.apply_outcomes`: lasting findings keep their id and
    disposition; failed analyses leave their previous results alone. With ``amend`` the
    results join the last undo step.
    """
    changed = apply_outcomes(document, outcomes, label, amend=amend)
    return AnalysisReport(list(outcomes), applied=True, changed=changed)


def analyse(
    document: Document | Snapshot,
    analyses: Iterable[str | Analysis] = (),
    *,
    host: PluginHost | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    options: Mapping[str, str] | None = None,
    apply: bool = True,
    label: str = "Run analyses",
    progress: Progress | None = None,
) -> AnalysisReport:
    """Run analyses on a snapshot of ``document`` and apply their results as one undo step.

    Parameters
    ----------
    document
        The document to analyse (a :class:`~stipa.model.Snapshot` is analysed, never changed).
    analyses
        Analysis ids, plugin names or analyses to run, in this order; all of the host's
        when empty.
    host
        The plugin host the analyses come from; the installed plugins when ``None``.
    timeout
        Seconds one analysis may run before it is abandoned.
    options
        Options for the analyses (``--option KEY=VALUE`` of ``stipa analyze``).
    apply
        Whether to put the results into the document (one undo step named ``label``).
    progress
        Called with progress reports while the analyses run.

    Returns
    -------
    AnalysisReport
        The outcomes; failed analyses and refused results are in it, never raised.

    Raises
    ------
    AnalysisSelectionError
        When ``analyses`` names an analysis or plugin that the host does not have.

    Examples
    --------
    >>> import stipa
    >>> report = stipa.analyse(stipa.Document())
    >>> report.complete
    True
    """
    if host is None:
        host = PluginHost().discover()
    chosen = select_analyses(host, analyses)
    snapshot = document.snapshot() if isinstance(document, Document) else document
    outcomes = runner_for(chosen, host, timeout, options).run(snapshot, progress)
    if apply and isinstance(document, Document):
        return apply_results(document, outcomes, label)
    return AnalysisReport(outcomes)
