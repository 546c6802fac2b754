"""The findings dock after a run: it comes forward with news, and shows a finding whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QToolButton

import stipa
from stipa.plugin import Analysis, AnalysisContext, PluginHost, Rule, hookimpl
from stipa.resources import examples
from stipa.ui import MainWindow
from stipa.ui.findings import FindingsDock
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui

WHEEL_BRAKES = next(p for p in examples() if p.name == "wheel-brakes.stipa")
LONG = (
    "The controller {0} has no feedback path from the process it controls, so its process "
    "model can drift from the real state of the wheels without anyone noticing it; add a "
    "feedback link or state why none is needed."
)

STATEMENT = "Every controller receives feedback from each process it controls."


class ReviewPlugin:
    """One declared rule (title, description, source); findings for the components it is told."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    @hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        rule = Rule(
            "test.no-feedback", "Controllers get feedback", source="STPA Handbook 2.4",
            description=STATEMENT,
        )  # fmt: skip
        return [Analysis(id="test.review", title="Feedback review", run=self.run, rules=[rule])]

    def run(self, context: AnalysisContext) -> list[stipa.Finding]:
        return [
            context.finding("test.no-feedback", LONG.format(c.name), [c.id])
            for c in context.snapshot.components.values()
            if c.name in self.names
        ]


def _window(qtbot, monkeypatch, plugin: ReviewPlugin) -> MainWindow:
    host = PluginHost()
    host.register(plugin, "review-plugin")
    window = WindowFactory(qtbot, monkeypatch)(stipa.load(WHEEL_BRAKES), host=host)
    window.resize(1366, 768)
    return window


def _run_from_toolbar(qtbot, window: MainWindow) -> None:
    button = window.toolbar.widgetForAction(window.actions_by_name["run_analyses"])
    assert isinstance(button, QToolButton)
    with qtbot.waitSignal(window.analysis.controller.finished, timeout=10000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _in_front(dock: QDockWidget) -> bool:
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def _run_finding_one(qtbot, monkeypatch) -> tuple[MainWindow, FindingsDock]:
    """A window whose run (from the toolbar, done) found one finding; and its findings dock."""
    plugin = ReviewPlugin()
    plugin.names = {"BSCU Hydraulic controller"}
    window = _window(qtbot, monkeypatch, plugin)
    dock = window.findChild(FindingsDock, "dock.findings")
    assert dock is not None
    _run_from_toolbar(qtbot, window)
    return window, dock


def test_the_dock_comes_forward_when_a_run_finds_something_new(qtbot, monkeypatch) -> None:
    plugin = ReviewPlugin()
    window = _window(qtbot, monkeypatch, plugin)
    findings = window.findChild(FindingsDock, "dock.findings")
    tables = window.findChild(QDockWidget, "dock.stpa")
    assert findings is not None and tables is not None
    window.tabifyDockWidget(findings, tables)
    tables.show()  # on a laptop screen both start folded away
    findings.show()
    tables.raise_()
    qtbot.waitUntil(lambda: _in_front(tables) and not _in_front(findings))

    _run_from_toolbar(qtbot, window)  # nothing found: the tables stay in front
    assert not window.document.findings
    assert _in_front(tables) and not _in_front(findings)

    plugin.names = {"BSCU Hydraulic controller"}
    _run_from_toolbar(qtbot, window)
    assert len(window.document.findings) == 1
    qtbot.waitUntil(lambda: _in_front(findings))
    assert not _in_front(tables) and findings.tabs.currentIndex() == 0

    tables.raise_()
    qtbot.waitUntil(lambda: _in_front(tables))
    _run_from_toolbar(qtbot, window)  # the same finding again: nothing new, no interruption
    assert len(window.document.findings) == 1
    assert _in_front(tables) and not _in_front(findings)

    window.document.undo()  # the last run changed nothing; the first one is taken back
    window.document.undo()
    assert not window.document.findings


def test_a_long_message_is_shown_whole_beside_its_rule_and_source(qtbot, monkeypatch) -> None:
    window, dock = _run_finding_one(qtbot, monkeypatch)
    (finding,) = window.document.findings.values()
    table = dock.findings_table
    index = table.model().index(0, 1)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )
    assert dock.selected_finding_ids() == [finding.id]
    text = dock.detail.text()
    assert finding.message in text  # whole, not elided
    # the rule by its title, then what it checks, then where it comes from
    assert text.splitlines()[:3] == [
        "Rule: Controllers get feedback (test.no-feedback)",
        STATEMENT,
        "Source: STPA Handbook 2.4",
    ]
    assert "Feedback review" in text
    assert "BSCU Hydraulic controller" in text
    # the pane beside the list wraps the message to its width instead of cutting it
    pane = dock.detail_pane
    assert pane.isVisible() and pane.x() > table.x()
    assert dock.detail.wordWrap()
    assert dock.detail.width() <= pane.viewport().width()
    line = dock.detail.fontMetrics().height()
    assert dock.detail.height() >= 4 * line  # the message took several lines
    # the rule filter names rules by their titles
    rules = [dock.rule_filter.itemText(i) for i in range(dock.rule_filter.count())]
    assert "Controllers get feedback" in rules


def test_the_rule_column_names_the_rule_by_its_title(qtbot, monkeypatch) -> None:
    from stipa.ui.findings import RULE

    window, dock = _run_finding_one(qtbot, monkeypatch)
    # a finding of an analysis not installed here keeps its rule id: there is no title
    stranger = stipa.Finding(
        plugin="acme.audit", rule="acme.no-owner", severity="warning", message="No owner"
    )
    window.document.add(stranger)
    model = dock.findings_table.model()
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    rules = {model.index(row, 1).data(): model.index(row, RULE).data() for row in range(2)}
    message = next(f.message for f in window.document.findings.values() if f.plugin != "acme.audit")
    assert rules == {message: "Controllers get feedback", "No owner": "acme.no-owner"}
    title_row = next(r for r in range(2) if model.index(r, RULE).data() != "acme.no-owner")
    tooltip = model.index(title_row, RULE).data(Qt.ItemDataRole.ToolTipRole)
    # the whole title, the id, and what the rule checks
    assert tooltip == f"Controllers get feedback\n(test.no-feedback)\n\n{STATEMENT}"
    header = model.headerData(RULE, Qt.Orientation.Horizontal)
    assert header == "Rule"
    # the filter lists the same name, and the search still finds a rule by its id
    filters = [dock.rule_filter.itemText(i) for i in range(dock.rule_filter.count())]
    assert {"Controllers get feedback", "acme.no-owner"} <= set(filters)
    qtbot.keyClicks(dock.search, "test.no-feedback")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, RULE).data() == "Controllers get feedback"
    # sorted by the Rule column, rows go by what it shows
    dock.findings_table.sortByColumn(RULE, Qt.SortOrder.AscendingOrder)
    dock.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert [model.index(r, RULE).data() for r in range(2)] == [
        "acme.no-owner",
        "Controllers get feedback",
    ]


def test_a_run_brings_the_folded_findings_panel_up(qtbot, monkeypatch) -> None:
    plugin = ReviewPlugin()
    plugin.names = {"BSCU Hydraulic controller"}
    window = _window(qtbot, monkeypatch, plugin)
    findings = window.findChild(FindingsDock, "dock.findings")
    assert findings is not None
    findings.hide()  # folded away, as on a laptop screen's first start
    _run_from_toolbar(qtbot, window)
    qtbot.waitUntil(lambda: _in_front(findings))
    assert window.actions_by_name["show_findings"].isChecked()  # its toolbar button says so
    # folded again: a run asked for shows the open findings even when none is new
    findings.hide()
    _run_from_toolbar(qtbot, window)
    assert len(window.document.findings) == 1
    qtbot.waitUntil(lambda: _in_front(findings))
    # a run that finds nothing open leaves the panel folded
    findings.hide()
    plugin.names = set()
    _run_from_toolbar(qtbot, window)
    assert not window.document.findings and findings.isHidden()
