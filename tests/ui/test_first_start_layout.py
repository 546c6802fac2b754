"""A first start on a laptop screen: room for the canvas, tabs and titles whole (issue 21).

Measured under Xvfb at 1366x768 with the citizen-assistant example open: the canvas had
~878x477 px with the STPA and Findings panels open under it (200 px high); with them folded
away at first start it has ~878x683 px (they come up, 270 px high, from the toolbar). At
1920x1080 the window starts at 1760x993 instead of 1440x940, the panels open: canvas ~1272x620
px instead of ~952x567.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QTableWidget, QTabWidget, QToolButton

import stipa
from stipa.resources import examples
from stipa.ui import MainWindow

pytestmark = pytest.mark.gui


def _first_start(make_window, document: stipa.Document | None = None) -> MainWindow:
    settings = QSettings()  # a first start: no window state saved by earlier windows
    settings.remove("window/geometry")
    settings.remove("window/state")
    window = make_window(document)
    assert window.screen().availableGeometry().height() < 900  # offscreen: a small screen
    window.resize(1366, 768)  # offscreen's screen is smaller still: toolbar buttons would fold
    return window


def _click(qtbot, window: MainWindow, name: str) -> None:
    button = window.toolbar.widgetForAction(window.actions_by_name[name])
    assert isinstance(button, QToolButton) and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))


def _in_front(dock: QDockWidget) -> bool:
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def test_bottom_panels_start_folded_away_on_a_small_screen(qtbot, make_window) -> None:
    window = _first_start(make_window)
    stpa = window.findChild(QDockWidget, "dock.stpa")
    findings = window.findChild(QDockWidget, "dock.findings")
    assert not stpa.isVisible() and not findings.isVisible()
    # the canvas runs from the toolbar to the status bar
    chrome = window.menuBar().height() + window.toolbar.height() + window.statusBar().height()
    assert window.view.height() >= window.height() - chrome - 20
    assert not window.actions_by_name["show_stpa"].isChecked()
    # the toolbar brings the tables up, under the canvas, a few rows high
    _click(qtbot, window, "show_stpa")
    qtbot.waitUntil(lambda: _in_front(stpa))
    assert window.actions_by_name["show_stpa"].isChecked()
    qtbot.waitUntil(lambda: 200 <= stpa.height() <= 0.4 * window.height())
    assert window.view.height() > stpa.height()
    assert stpa.y() > window.view.y() and stpa.width() <= window.view.width() + 10
    # they can be dragged lower than their own minimum (~256 px): then they scroll
    assert stpa.widget().minimumHeight() == 1
    # the findings come up in front of the tables they are tabbed with
    _click(qtbot, window, "show_findings")
    qtbot.waitUntil(lambda: _in_front(findings))
    assert window.actions_by_name["show_findings"].isChecked()
    if window.tabifiedDockWidgets(findings):
        assert not window.actions_by_name["show_stpa"].isChecked()  # behind: not checked
        _click(qtbot, window, "show_stpa")  # in front again, not folded away
        qtbot.waitUntil(lambda: _in_front(stpa))
    # a button of the panel in front folds it away
    _click(qtbot, window, "show_stpa")
    qtbot.waitUntil(lambda: not stpa.isVisible())
    assert not window.actions_by_name["show_stpa"].isChecked()


def test_every_stpa_tab_shows_whole_on_a_laptop_screen(qtbot, make_window) -> None:
    """At 1366x768 the eleven STPA tabs fit the panel under the canvas: no scroll arrows, no
    name cut short; each tab's tooltip is its full title."""
    window = _first_start(make_window)
    stpa = window.findChild(QDockWidget, "dock.stpa")
    _click(qtbot, window, "show_stpa")
    qtbot.waitUntil(lambda: _in_front(stpa))
    tabs = stpa.findChild(QTabWidget, "stpa.tabs")
    bar = tabs.tabBar()
    assert bar.count() == 11 and bar.width() <= window.view.width()
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert arrows == []
    for index in range(bar.count()):
        shown = bar.tabRect(index)
        assert bar.rect().contains(shown), bar.tabText(index)  # the last one too
        assert shown.width() >= bar.tabSizeHint(index).width()  # the name is not elided
    assert bar.tabText(8) == "Requirements" and bar.tabToolTip(8) == "Safety requirements"
    assert bar.tabToolTip(6) == "Controller constraints" and bar.tabText(0) == "Losses"
    # the last tab is reached with one click on it, not through scroll arrows
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(10).center())
    assert tabs.currentWidget() is stpa.trace


def test_the_process_model_titles_show_whole_in_the_properties_panel(qtbot, make_window) -> None:
    """At 1366x768 the Properties panel's process-model table shows both column titles whole;
    how to type the values is the second title's tooltip."""
    path = next(p for p in examples() if p.name == "language-model-citizen-assistant.stipa")
    window = _first_start(make_window, stipa.load(path))
    window.diagram.select_ids(["C-2"])  # a regulator with a process-model variable
    table = window.findChild(QTableWidget, "inspector.variables")
    qtbot.waitUntil(lambda: table.isVisible() and table.rowCount() == 1)
    header = table.horizontalHeader()
    for column in range(header.count()):
        assert header.sectionSize(column) >= header.sectionSizeHint(column), column
    assert header.sectionViewportPosition(1) + header.sectionSize(1) <= header.width()
    assert table.horizontalHeaderItem(1).text() == "Values"
    assert "commas" in table.horizontalHeaderItem(1).toolTip()
    # the Context tab's process-model table is titled alike
    _click(qtbot, window, "show_stpa")
    stpa = window.findChild(QDockWidget, "dock.stpa")
    stpa.show_tab("context")
    context = window.findChild(QTableWidget, "stpa.context.variables")
    qtbot.waitUntil(context.isVisible)
    assert [context.horizontalHeaderItem(c).text() for c in (0, 1)] == ["Variable", "Values"]
    assert context.horizontalHeaderItem(1).toolTip() == table.horizontalHeaderItem(1).toolTip()
    header = context.horizontalHeader()
    assert all(header.sectionSize(c) >= header.sectionSizeHint(c) for c in (0, 1))


def test_no_highlight_stays_on_the_canvas_once_the_tables_are_out_of_sight(
    qtbot, make_window
) -> None:
    """A record selected in the STPA tables lights up what it concerns on the canvas; with
    the tables behind the findings or folded away the light goes, and comes back with them."""
    path = next(p for p in examples() if p.name == "language-model-citizen-assistant.stipa")
    window = _first_start(make_window, stipa.load(path))
    stpa = window.findChild(QDockWidget, "dock.stpa")
    _click(qtbot, window, "show_stpa")
    qtbot.waitUntil(lambda: _in_front(stpa))
    stpa.show_tab("responsibilities")
    view = stpa.pages["responsibilities"].view
    row = stpa.pages["responsibilities"].proxy.mapFromSource(
        stpa.models["responsibilities"].index_of("R-2")
    )
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(row).center())
    owner = window.diagram.components["C-2"]  # R-2's owner, the market-surveillance authority
    assert owner.highlight is not None

    def lit() -> list[str]:
        return [cid for cid, item in window.diagram.components.items() if item.highlight]

    _click(qtbot, window, "show_findings")  # the findings in front, the tables behind
    findings = window.findChild(QDockWidget, "dock.findings")
    qtbot.waitUntil(lambda: _in_front(findings))
    qtbot.waitUntil(lambda: lit() == [])
    _click(qtbot, window, "show_stpa")  # in front again: the selection lights up again
    qtbot.waitUntil(lambda: _in_front(stpa))
    qtbot.waitUntil(lambda: owner.highlight is not None)
    _click(qtbot, window, "show_stpa")  # folded away
    qtbot.waitUntil(lambda: not stpa.isVisible())
    assert lit() == []
