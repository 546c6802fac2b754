"""Run analyses and apply their results: the one sequence of the GUI, CLI, fixtures and scripts."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import stipa
from stipa import io
from stipa.model import Disposition, Document, Finding
from stipa.operations.analyses import (
    AnalysisSelectionError,
    analyse,
    apply_results,
    runner_for,
    select_analyses,
)
from stipa.plugin import Analysis, AnalysisContext, PluginHost

Check = Callable[[Document, bytes], None]


def _no_feedback(context: AnalysisContext) -> Iterator[Finding]:
    fed_back = {link.target for link in context.snapshot.links.values() if link.kind == "feedback"}
    for component in context.snapshot.components.values():
        if component.kind == "controller" and component.id not in fed_back:
            yield context.finding(
                "no-feedback", f"{component.name} gets no feedback", [component.id]
            )


def _broken(context: AnalysisContext) -> list[Finding]:
    raise RuntimeError("the policy server is down")


def _refused(context: AnalysisContext) -> list[Finding]:
    return [context.finding("ghost", "names a missing record", ["C-99"])]


class Policy:
    """A plugin with two analyses: one that works, one that fails."""

    @stipa.hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        return [
            Analysis(id="acme.feedback", title="Feedback", run=_no_feedback),
            Analysis(id="acme.broken", title="Broken", run=_broken),
        ]


class Sloppy:
    @stipa.hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        return [Analysis(id="sloppy.ghost", title="Ghost", run=_refused)]


@pytest.fixture
def host() -> PluginHost:
    found = PluginHost()
    found.register(Policy(), "acme")
    found.register(Sloppy(), "sloppy")
    return found


def test_analyse_applies_the_results_as_one_undo_step(
    drawn: Document, host: PluginHost, undone_is_identical: Check
) -> None:
    drawn.remove("LK-2")  # the feedback link
    before = io.dumps(drawn)
    report = analyse(drawn, ["acme.feedback"], host=host, label="Check feedback")
    assert report.complete and report.applied and report.changed
    assert [(f.rule, f.targets) for f in drawn.findings.values()] == [("no-feedback", ("C-1",))]
    assert [f.message for f in report.findings] == ["BSCU gets no feedback"]
    assert drawn.undo_label == "Check feedback"
    drawn.undo()
    assert io.dumps(drawn) == before


def test_a_second_run_keeps_the_finding_and_its_disposition(
    drawn: Document, host: PluginHost
) -> None:
    drawn.remove("LK-2")
    analyse(drawn, ["acme.feedback"], host=host)
    (finding_id,) = drawn.findings
    drawn.update(finding_id, disposition=Disposition.ACCEPTED_RISK, rationale="Pilot watches")
    again = analyse(drawn, ["acme.feedback"], host=host)
    assert not again.changed
    assert drawn.findings[finding_id].disposition == Disposition.ACCEPTED_RISK


def test_a_failing_analysis_is_reported_and_leaves_the_rest_applied(
    drawn: Document, host: PluginHost
) -> None:
    drawn.remove("LK-2")
    report = analyse(drawn, ["acme"], host=host)  # a plugin name: both of its analyses
    assert [o.analysis.id for o in report.outcomes] == ["acme.feedback", "acme.broken"]
    assert not report.complete
    assert [o.analysis.id for o in report.failed] == ["acme.broken"]
    assert report.problems() == [
        "acme.broken (acme) failed: RuntimeError: the policy server is down"
    ]
    assert len(drawn.findings) == 1  # the feedback analysis's result is in


def test_refused_results_are_listed_and_not_applied(drawn: Document, host: PluginHost) -> None:
    report = analyse(drawn, ["sloppy.ghost"], host=host)
    assert not report.complete and report.failed == []
    assert len(report.refused) == 1 and report.refused[0].startswith("sloppy.ghost: ")
    assert not drawn.findings and not drawn.can_undo


def test_without_apply_or_on_a_snapshot_nothing_changes(drawn: Document, host: PluginHost) -> None:
    drawn.remove("LK-2")
    before = io.dumps(drawn)
    for target in (drawn, drawn.snapshot()):
        report = analyse(target, ["acme.feedback"], host=host, apply=False)
        assert len(report.findings) == 1 and not report.applied
    assert io.dumps(drawn) == before


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        (["nope"], "nope: no such analysis or plugin (analyses: acme.feedback, acme.broken, "
         "sloppy.ghost; plugins: acme, sloppy)."),
    ],
)  # fmt: skip
def test_unknown_names_are_refused_before_anything_runs(
    drawn: Document, host: PluginHost, wanted: list[str], message: str
) -> None:
    with pytest.raises(AnalysisSelectionError) as error:
        analyse(drawn, wanted, host=host)
    assert str(error.value) == message
    assert not drawn.can_undo


def test_selection_keeps_the_order_asked_without_repeats(host: PluginHost) -> None:
    chosen = select_analyses(host, ["sloppy", "acme.broken", "acme"])
    assert [a.id for a in chosen] == ["sloppy.ghost", "acme.broken", "acme.feedback"]
    assert [a.id for a in select_analyses(host)] == [
        "acme.feedback",
        "acme.broken",
        "sloppy.ghost",
    ]


def test_the_gui_pieces_run_apart_on_a_worker_and_then_amend(
    drawn: Document, host: PluginHost
) -> None:
    """The desktop application runs on a worker thread, then applies on the GUI thread."""
    drawn.remove("LK-2")
    runner = runner_for(select_analyses(host, ["acme"]), host)
    outcomes = runner.run(drawn.snapshot())
    assert [o.plugin for o in outcomes] == ["acme", "acme"]  # failures go to the right plugin
    report = apply_results(drawn, outcomes, "Run analyses", amend=True)
    assert report.changed and drawn.undo_label == "Delete link LK-2"  # joined the edit
    drawn.undo()
    assert not drawn.findings and "LK-2" in drawn.links


def test_stipa_analyse_runs_the_installed_analyses() -> None:
    report = stipa.analyse(Document())
    ran = {o.analysis.id for o in report.outcomes}
    assert {"stipa.hazards", "stipa.responsibility"} <= ran
    assert report.complete
