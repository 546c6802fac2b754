"""Running analyses from the window, the findings panel, suggestions and canvas badges."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QTableView, QToolButton

import stipa
from stipa.analysis import DEFAULT_TIMEOUT
from stipa.model import (
    Component,
    Disposition,
    Document,
    Hazard,
    Link,
    LinkItem,
    NodeLayout,
    SuggestionStatus,
    UnsafeControlAction,
)
from stipa.plugin import Analysis, AnalysisContext, PluginHost, hookimpl
from stipa.resources import examples
from stipa.ui import MainWindow
from stipa.ui.analysis_panel import LIVE_SETTING, TIMEOUT_SETTING, analysis_timeout
from stipa.ui.canvas.badges import BadgeItem, badge_states
from stipa.ui.findings import (
    DISPOSITION,
    ID_ROLE,
    MESSAGE,
    SEVERITY,
    TARGETS,
    FindingsDock,
    ProposalDialog,
    RationaleDialog,
)
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui

WHEEL_BRAKES = next(p for p in examples() if p.name == "wheel-brakes.stipa")


# --- test plugins -------------------------------------------------------------------------------


def check_structure(context: AnalysisContext) -> list[stipa.Finding]:
    """A small deterministic analysis: one finding per component, one per control action."""
    severity = {"controller": "warning", "controlled_process": "error"}
    found = [
        context.finding(
            "kind",
            f"{c.name} is a {c.kind.value.replace('_', ' ')}",
            [c.id],
            severity=severity.get(c.kind.value, "info"),
            source=f"STPA Handbook, {c.kind.value}",
        )
        for c in context.snapshot.components.values()
    ]
    for link in context.snapshot.links.values():
        if link.kind == "control_action" and link.items:
            found.append(
                context.finding(
                    "control-action",
                    f"Review {link.items[0].name}",
                    [link.items[0].id],
                    severity="info",
                )
            )
    return found


class StructurePlugin:
    """Declares the structure check and a hazard suggestion."""

    def __init__(self) -> None:
        self.runs = 0

    @hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        return [
            Analysis(id="test.structure", title="Structure check", run=self.run),
            Analysis(id="test.hazards", title="Hazard ideas", run=self.suggest),
        ]

    def run(self, context: AnalysisContext) -> list[stipa.Finding]:
        self.runs += 1
        return check_structure(context)

    def suggest(self, context: AnalysisContext) -> list[stipa.Suggestion]:
        suggestions = [
            context.suggestion(
                "missing-hazard",
                "No hazard covers running off the runway.",
                Hazard(text="Aircraft overruns the runway"),
            )
        ]
        for link in context.snapshot.links.values():
            if link.kind == "control_action" and link.items and link.items[0].name == "Brake":
                suggestions.append(
                    context.suggestion(
                        "uca",
                        "Brake not provided may be unsafe.",
                        UnsafeControlAction(
                            action=link.items[0].id,
                            type="not_provided",
                            context="during landing roll",
                        ),
                        targets=[link.items[0].id],
                    )
                )
        return suggestions


class SlowPlugin:
    """An analysis that works until released or cancelled, reporting progress in small steps."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.runs = 0
        self.saw_cancel = False

    @hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        return [Analysis(id="test.slow", title="Slow check", run=self.run)]

    def run(self, context: AnalysisContext) -> list[stipa.Finding]:
        self.runs += 1
        self.started.set()
        deadline = time.monotonic() + 10
        step = 0
        while not self.release.is_set() and time.monotonic() < deadline:
            if context.cancelled:
                self.saw_cancel = True
                return []
            step += 1
            context.progress(min(0.9, step / 200), f"step {step}")
            time.sleep(0.01)
        return check_structure(context)


class BrokenPlugin:
    """One analysis raises, one returns a result it must not (an id of its own)."""

    @hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        return [
            Analysis(id="test.broken", title="Broken check", run=self.run),
            Analysis(id="test.cheeky", title="Cheeky check", run=self.cheeky),
        ]

    def run(self, context: AnalysisContext) -> list[stipa.Finding]:
        raise RuntimeError("the checker fell over")

    def cheeky(self, context: AnalysisContext) -> list[stipa.Finding]:
        return [context.finding("own-id", "I chose my id").replace(id="F-99")]


class SleepyPlugin:
    """Ignores cancellation and overruns its time."""

    @hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        return [Analysis(id="test.sleepy", title="Sleepy check", run=self.run)]

    def run(self, context: AnalysisContext) -> list[stipa.Finding]:
        time.sleep(0.8)
        return []


# --- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clean_settings() -> Iterator[None]:
    settings = QSettings()
    for key in (LIVE_SETTING, TIMEOUT_SETTING):
        settings.remove(key)
    yield
    for key in (LIVE_SETTING, TIMEOUT_SETTING):
        settings.remove(key)


def make_window(qtbot, monkeypatch, host: PluginHost, document: Document | None = None):
    document = document if document is not None else stipa.load(WHEEL_BRAKES)
    return WindowFactory(qtbot, monkeypatch)(document, host=host)


def host_with(*plugins: tuple[object, str]) -> PluginHost:
    host = PluginHost()
    for plugin, name in plugins:
        host.register(plugin, name)
    return host


def dock_of(window: MainWindow) -> FindingsDock:
    dock = window.findChild(FindingsDock, "dock.findings")
    assert dock is not None
    return dock


def run_all(qtbot, window: MainWindow) -> str:
    controller = window.analysis.controller
    with qtbot.waitSignal(controller.finished, timeout=10000) as blocker:
        window.actions_by_name["run_analyses"].trigger()
    return str(blocker.args[0])


def shown_ids(table: QTableView) -> list[str]:
    model = table.model()
    return [model.data(model.index(row, 0), ID_ROLE) for row in range(model.rowCount())]


def shown_column(table: QTableView, column: int) -> list[str]:
    model = table.model()
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def select_row(qtbot, table: QTableView, record_id: str) -> None:
    row = shown_ids(table).index(record_id)
    index = table.model().index(row, 1)
    table.scrollTo(index)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
    )


def expected_count(doc: Document) -> int:
    """Findings of the structure check: one per component and per control-action link."""
    actions = [k for k in doc.links.values() if k.kind == "control_action" and k.items]
    return len(doc.components) + len(actions)


def finding_about(doc: Document, message: str) -> stipa.Finding:
    return next(f for f in doc.findings.values() if f.message == message)


# --- the must-show ----------------------------------------------------------------------


def test_run_cancel_rerun_disposition_undo_save_reopen(qtbot, monkeypatch, tmp_path: Path):
    slow = SlowPlugin()
    window = make_window(qtbot, monkeypatch, host_with((slow, "slow-plugin")))
    controller = window.analysis.controller
    dock = dock_of(window)
    doc = window.document
    try:
        # run from the toolbar; the window keeps answering input while the analysis works
        button = window.toolbar.widgetForAction(window.actions_by_name["run_analyses"])
        assert isinstance(button, QToolButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert controller.running
        assert window.actions_by_name["cancel_analyses"].isEnabled()
        assert not window.actions_by_name["run_analyses"].isEnabled()
        assert slow.started.wait(5)
        progress = controller.progress
        assert progress.isVisible() and controller.cancel_button.isVisible()
        qtbot.waitUntil(lambda: progress.value() > 0, timeout=5000)  # queued progress arrives
        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(10)
        for char in "Wheel":  # posted, so only a running event loop delivers them
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QCoreApplication.postEvent(
                    dock.search, QKeyEvent(kind, ord(char), Qt.KeyboardModifier.NoModifier, char)
                )
        dock.search.setFocus()
        qtbot.waitUntil(lambda: dock.search.text() == "Wheel" and len(ticks) >= 10, timeout=5000)
        timer.stop()
        assert controller.running and not slow.release.is_set()  # still working meanwhile
        gaps = [b - a for a, b in itertools.pairwise(ticks)]
        assert max(gaps) < 0.5  # the event loop never stalled
        dock.search.clear()
        assert "Slow check" in progress.format()

        # cancel from the status bar: nothing changes
        with qtbot.waitSignal(controller.finished, timeout=5000):
            qtbot.mouseClick(controller.cancel_button, Qt.MouseButton.LeftButton)
        assert slow.saw_cancel
        assert not controller.running and not progress.isVisible()
        assert "cancelled" in controller.last_summary
        assert len(doc.findings) == 0 and not doc.can_undo

        # rerun with F5; this time the analysis finishes
        slow.release.set()
        with qtbot.waitSignal(controller.finished, timeout=10000):
            QTest.keyClick(window, Qt.Key.Key_F5)
        assert slow.runs == 2
        expected = expected_count(doc)
        assert len(doc.findings) == expected
        assert doc.undo_label == "Run analyses"
        assert controller.last_summary == f"{expected} findings (2 errors, 3 warnings)"
        assert window.statusBar().currentMessage() == controller.last_summary
        assert len(shown_ids(dock.findings_table)) == expected

        # set a disposition through the panel
        wheels = finding_about(doc, "Wheels is a controlled process")
        select_row(qtbot, dock.findings_table, wheels.id)
        asked: list[str] = []

        def answer(title: str, prompt: str, initial: str = "") -> str:
            asked.append(title)
            return "  Anti-skid keeps the wheels turning.  "

        monkeypatch.setattr(dock, "ask_rationale", answer)
        qtbot.mouseClick(
            dock.findChild(QToolButton, "button.finding_accept_risk"), Qt.MouseButton.LeftButton
        )
        assert asked == [f"Accept risk: {wheels.id}"]
        decided = doc.findings[wheels.id]
        assert decided.disposition == Disposition.ACCEPTED_RISK
        assert decided.rationale == "Anti-skid keeps the wheels turning."
        row = shown_ids(dock.findings_table).index(wheels.id)
        assert shown_column(dock.findings_table, DISPOSITION)[row] == "Accepted risk"
        assert doc.undo_label == f"Accept risk: {wheels.id}"

        # undo it, check, redo it
        window.actions_by_name["undo"].trigger()
        assert doc.findings[wheels.id].disposition == Disposition.OPEN
        assert doc.findings[wheels.id].rationale == ""
        row = shown_ids(dock.findings_table).index(wheels.id)
        assert shown_column(dock.findings_table, DISPOSITION)[row] == "Open"
        window.actions_by_name["redo"].trigger()
        assert doc.findings[wheels.id].disposition == Disposition.ACCEPTED_RISK

        # save, reopen: the disposition and its rationale are kept
        path = tmp_path / "wheel-brakes-analysed.stipa"
        window.path = path
        assert window.save()
        assert window.open_path(path)
        reopened = window.document
        assert reopened is not doc
        kept = reopened.findings[wheels.id]
        assert kept.disposition == Disposition.ACCEPTED_RISK
        assert kept.rationale == "Anti-skid keeps the wheels turning."
        assert len(reopened.findings) == expected
        assert wheels.id in shown_ids(dock.findings_table)
        assert "Accepted risk" in shown_column(dock.findings_table, DISPOSITION)
        assert "C-5" not in window.analysis.badges.badges  # no open finding left on Wheels
        assert "C-1" in window.analysis.badges.badges
    finally:
        slow.release.set()


# --- running ------------------------------------------------------------------------------------


def test_menu_actions_and_run_one_analysis(qtbot, monkeypatch):
    plugin = StructurePlugin()
    window = make_window(qtbot, monkeypatch, host_with((plugin, "structure")))
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.index("Analysis") == titles.index("View") + 1
    assert titles.index("Help") == titles.index("Analysis") + 1
    menu = window.analysis.controller.menu
    assert menu.objectName() == "menu.analysis"
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names[:1] == ["action.run_analyses"]
    assert {"action.cancel_analyses", "action.live_analyses"} <= set(names)
    for name in ("run_analyses", "cancel_analyses", "live_analyses"):
        action = window.actions_by_name[name]
        assert action.toolTip() and action.objectName() == f"action.{name}"
    assert window.actions_by_name["run_analyses"].shortcut().toString() == "F5"
    assert not window.actions_by_name["cancel_analyses"].isEnabled()
    assert window.actions_by_name["run_analyses"] in window.toolbar.actions()
    sub = window.analysis.controller.run_one_menu
    sub.aboutToShow.emit()
    entries = {a.objectName(): a for a in sub.actions()}
    assert set(entries) == {
        "action.run_analysis.test.structure",
        "action.run_analysis.test.hazards",
    }
    assert all(a.toolTip() for a in entries.values())

    controller = window.analysis.controller
    with qtbot.waitSignal(controller.finished, timeout=5000):
        entries["action.run_analysis.test.hazards"].trigger()
    assert plugin.runs == 0
    assert len(window.document.findings) == 0 and len(window.document.suggestions) == 2
    assert controller.last_summary == "0 findings, 2 suggestions"


def test_failing_analysis_is_recorded_against_its_plugin(qtbot, monkeypatch):
    host = host_with((BrokenPlugin(), "broken-plugin"))
    window = make_window(qtbot, monkeypatch, host)
    doc = window.document
    before = stipa.dumps(doc)
    summary = run_all(qtbot, window)
    assert stipa.dumps(doc) == before and not doc.can_undo  # the document is unchanged
    failures = host.failures()
    assert [(f.plugin, f.phase) for f in failures] == [
        ("broken-plugin", "run"),
        ("broken-plugin", "run"),
    ]
    assert "the checker fell over" in failures[0].message
    assert "Broken check" in failures[0].message
    assert "RuntimeError" in failures[0].traceback
    assert "Cheeky check: refused 1 result(s)" in failures[1].message
    assert "F-99" in failures[1].message
    assert "1 analysis failed: Broken check: RuntimeError: the checker fell over" in summary
    assert "1 result refused" in summary


def test_timed_out_analysis_is_recorded(qtbot, monkeypatch):
    QSettings().setValue(TIMEOUT_SETTING, 0.2)
    assert analysis_timeout(QSettings()) == pytest.approx(0.2)
    host = host_with((SleepyPlugin(), "sleepy-plugin"))
    window = make_window(qtbot, monkeypatch, host)
    summary = run_all(qtbot, window)
    assert "1 analysis failed: Sleepy check: Did not finish within 0.2 s" in summary
    assert [(f.plugin, f.phase) for f in host.failures()] == [("sleepy-plugin", "run")]
    assert not window.document.can_undo
    QSettings().setValue(TIMEOUT_SETTING, "nonsense")
    assert analysis_timeout(QSettings()) == DEFAULT_TIMEOUT


def test_results_for_a_replaced_document_are_discarded(qtbot, monkeypatch):
    slow = SlowPlugin()
    window = make_window(qtbot, monkeypatch, host_with((slow, "slow-plugin")))
    controller = window.analysis.controller
    try:
        window.actions_by_name["run_analyses"].trigger()
        assert slow.started.wait(5)
        window.actions_by_name["new"].trigger()  # a different document while running
        with qtbot.waitSignal(controller.finished, timeout=5000):
            slow.release.set()
    finally:
        slow.release.set()
    assert "discarded" in controller.last_summary
    assert len(window.document.findings) == 0 and not window.document.can_undo


def test_no_analyses_installed(qtbot, monkeypatch):
    window = make_window(qtbot, monkeypatch, PluginHost())
    controller = window.analysis.controller
    assert not controller.start()
    assert window.statusBar().currentMessage() == "No analyses are installed."
    controller.run_one_menu.aboutToShow.emit()
    assert [a.isEnabled() for a in controller.run_one_menu.actions()] == [False]


def test_live_analysis_reruns_after_edits_debounced(qtbot, monkeypatch):
    plugin = StructurePlugin()
    window = make_window(qtbot, monkeypatch, host_with((plugin, "structure")))
    controller = window.analysis.controller
    controller.live_timer.setInterval(60)
    doc = window.document
    live = window.actions_by_name["live_analyses"]
    assert live.isCheckable() and not live.isChecked()
    with qtbot.waitSignal(controller.finished, timeout=5000):
        live.trigger()  # switching it on runs once, as an undo step of its own
    assert QSettings().value(LIVE_SETTING, type=bool) is True
    assert plugin.runs == 1 and doc.undo_label == "Run analyses"

    for name in ("Crew", "Flight deck crew", "Pilots"):  # a burst of edits: one run
        doc.update("C-1", name=name)
    doc.mark_saved()  # saved before the results came in
    with qtbot.waitSignal(controller.finished, timeout=5000):
        pass
    assert plugin.runs == 2
    assert finding_about(doc, "Pilots is a controller").targets == ("C-1",)
    # the results joined the edit that started the run: one undo takes back both
    assert doc.undo_label == "Edit component Pilots" and doc.modified

    # undoing must not start a run that would cut off redo
    doc.undo()
    assert doc.components["C-1"].name == "Flight deck crew"
    assert not any("Pilots" in finding.message for finding in doc.findings.values())
    qtbot.wait(250)
    assert plugin.runs == 2 and doc.can_redo
    doc.redo()
    assert doc.components["C-1"].name == "Pilots"
    assert finding_about(doc, "Pilots is a controller").targets == ("C-1",)
    qtbot.wait(250)  # redone edits may run again: same results, so no new undo step
    assert doc.undo_label == "Edit component Pilots" and not doc.can_redo
    runs = plugin.runs

    # layout changes and finding decisions do not start runs
    doc.set_layout(NodeLayout(id="C-1", x=500, y=-200))
    finding = finding_about(doc, "Pilots is a controller")
    doc.update(finding.id, disposition="resolved", rationale="Renamed")
    qtbot.wait(250)
    assert plugin.runs == runs

    # while a name is typed in place, live runs wait for it
    window.view.start_rename("C-2")
    assert window.view.editor is not None
    doc.update("C-3", description="edited meanwhile")
    qtbot.wait(250)
    assert plugin.runs == runs and window.view.editor is not None
    window.view.editor.setPlainText("Autobrake unit")
    with qtbot.waitSignal(controller.finished, timeout=5000):
        window.view.finish_rename(True)
    assert plugin.runs == runs + 1
    assert finding_about(doc, "Autobrake unit is a controller").targets == ("C-2",)
    runs = plugin.runs

    live.trigger()
    assert QSettings().value(LIVE_SETTING, type=bool) is False
    doc.update("C-1", name="Crew again")
    qtbot.wait(250)
    assert plugin.runs == runs
    window.close()
    # a new window remembers the setting
    QSettings().setValue(LIVE_SETTING, True)
    second = make_window(qtbot, monkeypatch, host_with((StructurePlugin(), "structure")))
    assert second.actions_by_name["live_analyses"].isChecked()
    second.actions_by_name["live_analyses"].setChecked(False)


def test_live_results_are_undone_with_the_drawing_that_caused_them(qtbot, monkeypatch):
    host = host_with((StructurePlugin(), "structure"))
    window = make_window(qtbot, monkeypatch, host, Document())
    controller = window.analysis.controller
    controller.live_timer.setInterval(60)
    doc, view = window.document, window.view
    actions = window.actions_by_name
    with qtbot.waitSignal(controller.finished, timeout=5000):
        actions["live_analyses"].trigger()  # switched on: a run, an undo step of its own
    assert doc.undo_label == "Run analyses" and doc.suggestions and not doc.findings

    # place a controller with the mouse and name it in place; the run waits for the name
    action = window.findChild(QAction, "tool.controller")
    assert action is not None
    action.trigger()
    point = view.mapFromScene(QPointF(200, 100))
    left, plain = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(view.viewport(), left, plain, point)
    [crew] = doc.components
    with qtbot.waitSignal(controller.finished, timeout=5000):
        qtbot.keyClicks(view, "Flight crew")
        qtbot.keyClick(view, Qt.Key.Key_Return)
    finding = finding_about(doc, "Flight crew is a controller")
    assert finding.targets == (crew,) and doc.undo_label == "Edit component Flight crew"

    actions["undo"].trigger()  # the name and the finding about it go together
    assert doc.components[crew].name != "Flight crew" and not doc.findings
    actions["undo"].trigger()  # then the component
    assert not doc.components and doc.undo_label == "Run analyses"
    qtbot.wait(150)  # undoing starts no run
    actions["redo"].trigger()
    actions["redo"].trigger()
    assert doc.components[crew].name == "Flight crew"
    assert finding_about(doc, "Flight crew is a controller").id == finding.id
    assert not doc.can_redo


# --- the findings panel -------------------------------------------------------------------------


def test_findings_sort_filter_search_and_double_click(qtbot, monkeypatch):
    window = make_window(qtbot, monkeypatch, host_with((StructurePlugin(), "structure")))
    run_all(qtbot, window)
    dock = dock_of(window)
    doc = window.document
    table = dock.findings_table
    total = expected_count(doc)
    actions = total - len(doc.components)
    assert dock.tabs.tabText(0) == f"Findings ({total} open of {total})"
    assert dock.tabs.tabText(1) == "Suggestions (2)"

    # sorted by severity, worst first
    severities = shown_column(table, SEVERITY)
    assert severities[:2] == ["Error", "Error"] and severities[-1] == "Info"
    # click the Message header: alphabetical, then reversed
    header = table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(MESSAGE) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    messages = shown_column(table, MESSAGE)
    assert messages == sorted(messages, key=str.casefold)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert shown_column(table, MESSAGE) == sorted(messages, key=str.casefold, reverse=True)

    # filters
    def choose(combo, data: str) -> None:
        index = combo.findData(data)
        assert index >= 0, data
        combo.setCurrentIndex(index)

    choose(dock.severity_filter, "error")
    assert set(shown_column(table, SEVERITY)) == {"Error"} and len(shown_ids(table)) == 2
    choose(dock.severity_filter, "")
    choose(dock.rule_filter, "control-action")
    assert len(shown_ids(table)) == actions
    assert all(doc.findings[i].rule == "control-action" for i in shown_ids(table))
    choose(dock.rule_filter, "")
    assert [dock.analysis_filter.itemText(i) for i in range(dock.analysis_filter.count())] == [
        "All analyses",
        "Structure check",
    ]
    choose(dock.analysis_filter, "test.structure")
    assert len(shown_ids(table)) == total
    choose(dock.disposition_filter, "accepted_risk")
    assert shown_ids(table) == []
    choose(dock.disposition_filter, "open")
    assert len(shown_ids(table)) == total
    dock.search.setFocus()
    QTest.keyClicks(dock.search, "hydraulic")  # message or target names
    found = shown_ids(table)
    assert {doc.findings[i].message for i in found} >= {
        "BSCU Hydraulic controller is a controller",
        "Hydraulic system is a actuator",
    }
    dock.search.clear()
    assert len(shown_ids(table)) == total

    # the detail line shows the selected finding's source
    wheels = finding_about(doc, "Wheels is a controlled process")
    select_row(qtbot, table, wheels.id)
    assert dock.selected_finding_ids() == [wheels.id]
    assert "Source: STPA Handbook, controlled_process" in dock.detail.text()
    assert wheels.id in dock.detail.text()

    # double-click: the targets are selected on the canvas and the view centres on them
    window.view.centerOn(-2000, -2000)
    brake = finding_about(doc, "Review Brake")
    row = shown_ids(table).index(brake.id)
    index = table.model().index(row, TARGETS)
    table.scrollTo(index)
    point = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)  # QTest's double
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)  # lacks a press
    link_id = doc.owner_of(brake.targets[0]).id
    assert window.diagram.selected_ids() == [link_id]
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.intersects(window.diagram.links[link_id].sceneBoundingRect())

    # the context menu offers the decisions
    menu = dock.finding_menu()
    names = {a.objectName() for a in menu.actions()}
    assert {
        "action.finding_show",
        "action.finding_accept_risk",
        "action.finding_not_applicable",
        "action.finding_resolved",
        "action.finding_reopen",
    } <= names
    assert all(a.toolTip() for a in menu.actions() if a.objectName())


def test_dispositions_need_a_rationale_and_reopen(qtbot, monkeypatch):
    window = make_window(qtbot, monkeypatch, host_with((StructurePlugin(), "structure")))
    run_all(qtbot, window)
    dock = dock_of(window)
    doc = window.document
    table = dock.findings_table
    ids = shown_ids(table)[:3]
    select_row(qtbot, table, ids[0])
    for other in ids[1:]:  # ctrl-click two more rows
        row = shown_ids(table).index(other)
        qtbot.mouseClick(
            table.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            table.visualRect(table.model().index(row, 1)).center(),
        )
    assert sorted(dock.selected_finding_ids()) == sorted(ids)
    assert not dock.reopen_action.isEnabled()

    monkeypatch.setattr(dock, "ask_rationale", lambda *args: None)  # cancelled: no change
    assert not dock.set_disposition(Disposition.NOT_APPLICABLE)
    assert all(doc.findings[i].disposition == Disposition.OPEN for i in ids)

    monkeypatch.setattr(dock, "ask_rationale", lambda *args: "Out of scope for this release")
    dock.not_applicable_action.trigger()
    assert doc.undo_label == "Mark not applicable: 3 findings"
    assert all(doc.findings[i].disposition == Disposition.NOT_APPLICABLE for i in ids)
    assert sorted(dock.selected_finding_ids()) == sorted(ids)  # selection kept
    assert dock.reopen_action.isEnabled()
    dock.reopen_action.trigger()
    assert all(doc.findings[i].disposition == Disposition.OPEN for i in ids)
    assert all(doc.findings[i].rationale == "" for i in ids)
    doc.undo()
    assert all(doc.findings[i].rationale == "Out of scope for this release" for i in ids)
    doc.undo()  # one step for all three
    assert all(doc.findings[i].disposition == Disposition.OPEN for i in ids)
    assert doc.undo_label == "Run analyses"


def test_rationale_dialog_ok_needs_text(qtbot):
    dialog = RationaleDialog("Accept risk: F-1", "Why is this risk acceptable?")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok_button.isEnabled()
    QTest.keyClicks(dialog.editor, "   ")
    assert not dialog.ok_button.isEnabled()
    QTest.keyClicks(dialog.editor, "Mitigated by training")
    assert dialog.ok_button.isEnabled()
    assert dialog.text() == "Mitigated by training"
    dialog.editor.clear()
    assert not dialog.ok_button.isEnabled()
    dialog.reject()
    proposal = ProposalDialog("Hazard", "A hazard is missing.", "Aircraft overruns the runway")
    qtbot.addWidget(proposal)
    assert proposal.ok_button.isEnabled() and proposal.ok_button.text() == "Accept"
    proposal.reject()


# --- suggestions --------------------------------------------------------------------------------


def test_suggestions_accept_edit_reject_each_undoable(qtbot, monkeypatch):
    window = make_window(qtbot, monkeypatch, host_with((StructurePlugin(), "structure")))
    run_all(qtbot, window)
    dock = dock_of(window)
    doc = window.document
    table = dock.suggestions_table
    dock.tabs.setCurrentIndex(1)
    assert len(shown_ids(table)) == 2
    hazard_id = next(s.id for s in doc.suggestions.values() if isinstance(s.proposal, Hazard))
    uca_id = next(s.id for s in doc.suggestions.values() if s.id != hazard_id)
    row = shown_ids(table).index(hazard_id)
    assert shown_column(table, 0)[row] == "Hazard"
    assert shown_column(table, 1)[row] == "Aircraft overruns the runway"
    uca_row = shown_ids(table).index(uca_id)
    assert shown_column(table, 0)[uca_row] == "Unsafe control action"
    assert shown_column(table, 1)[uca_row] == "Brake (not provided): during landing roll"

    # accept: a new hazard and an accepted suggestion, in one step
    hazards = len(doc.hazards)
    select_row(qtbot, table, hazard_id)
    qtbot.mouseClick(
        dock.findChild(QToolButton, "button.suggestion_accept"), Qt.MouseButton.LeftButton
    )
    assert len(doc.hazards) == hazards + 1
    new_hazard = list(doc.hazards.values())[-1]
    assert new_hazard.text == "Aircraft overruns the runway"
    assert doc.suggestions[hazard_id].status == SuggestionStatus.ACCEPTED
    assert doc.undo_label == f"Accept suggestion {hazard_id}"
    assert shown_ids(table) == [uca_id]  # decided ones are hidden
    dock.show_decided.setChecked(True)
    assert set(shown_ids(table)) == {hazard_id, uca_id}
    dock.show_decided.setChecked(False)
    doc.undo()
    assert len(doc.hazards) == hazards and new_hazard.id not in doc.hazards
    assert doc.suggestions[hazard_id].status == SuggestionStatus.OPEN
    assert set(shown_ids(table)) == {hazard_id, uca_id}

    # edit, then accept
    select_row(qtbot, table, uca_id)
    monkeypatch.setattr(
        dock, "ask_proposal_text", lambda s: "during the landing roll on a wet runway"
    )
    dock.edit_suggestion_action.trigger()
    uca = list(doc.ucas.values())[-1]
    assert uca.context == "during the landing roll on a wet runway"
    assert uca.type == "not_provided"
    assert doc.suggestions[uca_id].status == SuggestionStatus.ACCEPTED
    doc.undo()
    assert uca.id not in doc.ucas
    assert doc.suggestions[uca_id].status == SuggestionStatus.OPEN

    # reject: a rationale is required
    select_row(qtbot, table, hazard_id)
    monkeypatch.setattr(dock, "ask_rationale", lambda *args: "")
    assert not dock.reject_suggestions()
    assert doc.suggestions[hazard_id].status == SuggestionStatus.OPEN
    monkeypatch.setattr(dock, "ask_rationale", lambda *args: "Covered by H-1")
    qtbot.mouseClick(
        dock.findChild(QToolButton, "button.suggestion_reject"), Qt.MouseButton.LeftButton
    )
    rejected = doc.suggestions[hazard_id]
    assert rejected.status == SuggestionStatus.REJECTED and rejected.rationale == "Covered by H-1"
    assert len(doc.hazards) == hazards
    assert dock.tabs.tabText(1) == "Suggestions (1)"
    doc.undo()
    assert doc.suggestions[hazard_id].status == SuggestionStatus.OPEN
    assert dock.tabs.tabText(1) == "Suggestions (2)"


def test_accepting_a_stale_suggestion_changes_nothing(qtbot, monkeypatch):
    doc = small_document()
    stale = doc.add(
        stipa.Suggestion(
            plugin="manual",
            rule="uca",
            message="Go provided may be unsafe.",
            proposal=UnsafeControlAction(action="CA-1", type="provided"),
        )
    )
    doc.remove("LK-1")  # the proposal's control action is gone; the suggestion is not
    window = make_window(qtbot, monkeypatch, PluginHost(), doc)
    dock = dock_of(window)
    select_row(qtbot, dock.suggestions_table, stale.id)
    before, undo_label = stipa.dumps(doc), doc.undo_label
    assert not dock.accept_suggestions()
    assert stipa.dumps(doc) == before and doc.undo_label == undo_label
    assert "CA-1 is not one" in window.statusBar().currentMessage()
    assert doc.suggestions[stale.id].status == SuggestionStatus.OPEN


# --- badges -------------------------------------------------------------------------------------


def small_document() -> Document:
    doc = Document()
    doc.add(Component(id="C-1", name="Operator", nature="human"))
    doc.add(Component(id="C-2", name="Plant", kind="controlled_process", nature="physical"))
    doc.set_layout(NodeLayout(id="C-1", x=0, y=0))
    doc.set_layout(NodeLayout(id="C-2", x=0, y=300))
    doc.add(Link(id="LK-1", source="C-1", target="C-2", items=[LinkItem(id="CA-1", name="Go")]))
    doc.mark_saved()
    return doc


def test_badges_appear_follow_and_disappear(qtbot, monkeypatch):
    window = make_window(
        qtbot, monkeypatch, host_with((StructurePlugin(), "structure")), small_document()
    )
    badges = window.analysis.badges
    assert badges.badges == {}
    run_all(qtbot, window)
    doc = window.document
    assert set(badges.badges) == {"C-1", "C-2", "LK-1"}
    plant = badges.badges["C-2"]
    assert isinstance(plant, BadgeItem)
    assert plant.parentItem() is window.diagram.components["C-2"]
    assert plant.state.count == 1 and plant.state.severity == "error"
    assert "Plant is a controlled process" in plant.toolTip()
    link_badge = badges.badges["LK-1"]
    assert link_badge.parentItem() is window.diagram.links["LK-1"]
    assert link_badge.state.severity == "info" and "Review Go" in link_badge.toolTip()

    # link badges follow the route when a component moves
    before = link_badge.scenePos()
    doc.set_layout(NodeLayout(id="C-2", x=400, y=300))
    assert link_badge.scenePos() != before
    label = window.diagram.links["LK-1"].label_rect()
    assert link_badge.sceneBoundingRect().intersects(label.adjusted(-20, -20, 20, 20))

    # a second open finding on the same component: count 2, worst severity wins
    doc.add(stipa.Finding(plugin="manual", rule="m", message="Check the plant", targets=["C-1"]))
    assert badges.badges["C-1"].state.count == 2
    assert badges.badges["C-1"].state.severity == "warning"

    # dispositions other than open hide the badge; undo brings it back
    plant_finding = finding_about(doc, "Plant is a controlled process")
    doc.update(plant_finding.id, disposition="resolved", rationale="Plant guarded")
    assert "C-2" not in badges.badges and plant.scene() is None
    doc.undo()
    assert badges.badges["C-2"].state.count == 1

    # a component deleted and restored gets its badge back on its new item
    doc.remove("C-2")
    assert "C-2" not in badges.badges and "LK-1" not in badges.badges
    doc.undo()
    assert badges.badges["C-2"].parentItem() is window.diagram.components["C-2"]

    # undoing the run removes every analysis badge
    doc.undo()  # the manual finding
    doc.undo()  # the layout
    doc.undo()  # the run
    assert badges.badges == {}
    window.view.viewport().repaint()


def test_badges_rebind_to_a_new_document(qtbot, monkeypatch):
    window = make_window(
        qtbot, monkeypatch, host_with((StructurePlugin(), "structure")), small_document()
    )
    run_all(qtbot, window)
    assert window.analysis.badges.badges
    window.set_document(small_document(), None)
    assert window.analysis.badges.badges == {}
    assert shown_ids(dock_of(window).findings_table) == []
    run_all(qtbot, window)
    assert set(window.analysis.badges.badges) == {"C-1", "C-2", "LK-1"}


# --- many results: applied a slice at a time ----------------------------------------------------


def test_many_results_are_applied_in_slices_as_one_undo_step(qtbot, monkeypatch):
    # a result a slice: the apply takes many turns of the event loop, as 40,000 results do
    monkeypatch.setattr("stipa.analysis.runner.APPLY_CHUNK", 1)
    monkeypatch.setattr("stipa.ui.analysis_panel.APPLY_SLICE_S", 0.0)
    window = make_window(qtbot, monkeypatch, host_with((StructurePlugin(), "structure")))
    controller, dock, doc = window.analysis.controller, dock_of(window), window.document
    before = stipa.dumps(doc)
    refreshes = []
    original_refresh = dock.refresh
    monkeypatch.setattr(dock, "refresh", lambda: (refreshes.append(1), original_refresh()))
    during: list[tuple[bool, int]] = []  # (dialog shown, findings applied) at each batch

    def watch(event: stipa.model.Event) -> None:
        if isinstance(event, stipa.model.RecordsAdded) and event.table == "findings":
            dialog = controller.applying_dialog
            during.append((dialog is not None and dialog.isVisible(), len(doc.findings)))

    doc.subscribe(watch)
    summary = run_all(qtbot, window)

    expected = expected_count(doc)
    assert summary.startswith(f"{expected} findings")
    # one event a slice, a modal progress dialog once it took more than one slice
    assert [applied for _shown, applied in during] == list(range(1, expected + 1))
    assert all(shown for shown, _applied in during[1:])
    assert controller.applying_dialog is None and not controller.running
    # the panel was filled once, when the transaction closed, not at every slice
    qtbot.wait(2 * 100)
    assert len(refreshes) == 1
    assert len(shown_ids(dock.findings_table)) == expected
    assert doc.undo_label == "Run analyses"
    doc.undo()
    assert stipa.dumps(doc) == before and not doc.can_undo  # ONE undo step, byte for byte


def test_cancel_while_results_are_applied_takes_them_back(qtbot, monkeypatch):
    monkeypatch.setattr("stipa.analysis.runner.APPLY_CHUNK", 1)
    monkeypatch.setattr("stipa.ui.analysis_panel.APPLY_SLICE_S", 0.0)
    window = make_window(qtbot, monkeypatch, host_with((StructurePlugin(), "structure")))
    controller, doc = window.analysis.controller, window.document
    before = stipa.dumps(doc)
    clicked = []

    def cancel_from_the_dialog(event: stipa.model.Event) -> None:
        dialog = controller.applying_dialog
        if not clicked and dialog is not None and dialog.isVisible():
            clicked.append(len(doc.findings))
            button = dialog.findChild(QPushButton)
            QTimer.singleShot(0, button.click)  # the dialog's Cancel button

    doc.subscribe(cancel_from_the_dialog)
    summary = run_all(qtbot, window)
    assert clicked and clicked[0] > 0  # some results were in when Cancel was pressed
    assert "cancelled" in summary
    assert stipa.dumps(doc) == before and not doc.can_undo and not doc.in_transaction
    assert controller.applying_dialog is None and not controller.running


def test_panel_and_badges_fill_in_slices_and_start_over_after_an_edit(qtbot, monkeypatch):
    # a row or badge a slice: the refreshes take many turns of the event loop, as 40,000 do
    monkeypatch.setattr("stipa.ui.slices.SLICE_S", 0.0)
    monkeypatch.setattr("stipa.ui.findings.ROW_BATCH", 1)
    monkeypatch.setattr("stipa.ui.canvas.badges._BATCH", 1)
    window = make_window(qtbot, monkeypatch, host_with((StructurePlugin(), "structure")))
    dock, badges, doc = dock_of(window), window.analysis.badges, window.document

    def settled() -> bool:
        return not dock.slices.running and not badges.slices.running

    run_all(qtbot, window)
    assert not settled()  # still filling in: the window answers meanwhile
    qtbot.waitUntil(settled)
    expected = expected_count(doc)
    assert len(shown_ids(dock.findings_table)) == expected
    assert dock.tabs.tabText(0).endswith(f"of {expected})")
    assert len(dock.suggestions_model.suggestions) == 2
    assert set(badges.badges) == set(badge_states(doc)) and len(badges.badges) > 1

    # an edit while they fill in: they start over and end up showing the document as it is
    doc.remove(*list(doc.findings)[:3])
    assert not settled()
    doc.undo()  # back to every finding, the panel and badges still filling in
    doc.undo()  # the run itself
    qtbot.waitUntil(settled)
    assert shown_ids(dock.findings_table) == [] and dock.suggestions_model.suggestions == []
    assert badges.badges == {}


def test_results_leave_the_diagram_and_its_overview_alone(qtbot, monkeypatch):
    """Findings change nothing drawn but badges: no refit and full repaint of the overview."""
    window = make_window(qtbot, monkeypatch, host_with((StructurePlugin(), "structure")))
    changed: list[int] = []
    window.diagram.contentChanged.connect(lambda: changed.append(1))
    run_all(qtbot, window)
    assert window.document.findings and changed == []
    window.document.add(Component(name="Pump"))
    assert changed == [1]
