"""The Plugins panel (dock.plugins) and View > Panels, with a test host of two plugins."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDockWidget, QLabel, QMessageBox, QPlainTextEdit, QTreeWidget

import stipa
from stipa.plugin import PluginHost
from stipa.ui import MainWindow
from stipa.ui.plugins import disabled_plugins, set_disabled_plugins
from stipa.ui.plugins_panel import ANALYSES, ENABLED, HOOKS, NAME, STATUS, VERSION
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui


class Acme:
    @stipa.hookimpl
    def stipa_component_properties(self) -> list[stipa.PropertySpec]:
        return [
            stipa.PropertySpec(
                namespace="https://acme.example/stipa/ai",
                name="power",
                label="Power draw",
                type="number",
                unit="kW",
                natures=("ai_model",),
            )
        ]

    @stipa.hookimpl
    def stipa_analyses(self) -> list[stipa.Analysis]:
        return [stipa.Analysis(id="acme.check", title="Check", run=lambda context: [])]


class Broken:
    @stipa.hookimpl
    def stipa_analyses(self, no_such_argument: object) -> list[stipa.Analysis]:
        return []  # pluggy refuses the registration: the hook has no such argument


@pytest.fixture
def host() -> PluginHost:
    host = PluginHost()
    host.register(Acme(), "acme", version="1.2.0", distribution="acme-stipa")
    host.register(Broken(), "broken", version="0.1", distribution="broken-stipa")
    return host


@pytest.fixture(autouse=True)
def _no_disabled_plugins() -> Iterator[None]:
    set_disabled_plugins(QSettings(), set())
    yield
    set_disabled_plugins(QSettings(), set())


@pytest.fixture
def window(
    make_window: WindowFactory, host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> MainWindow:
    # docks as they are by default, not as another test (or test run) left them
    monkeypatch.setattr(MainWindow, "_restore_window_state", lambda self: None)
    return make_window(host=host)


def plugin_list(window: MainWindow) -> QTreeWidget:
    tree = window.findChild(QTreeWidget, "plugins.list")
    assert tree is not None
    return tree


def row(window: MainWindow, name: str):
    tree = plugin_list(window)
    for index in range(tree.topLevelItemCount()):
        if tree.topLevelItem(index).text(NAME) == name:
            return tree.topLevelItem(index)
    raise AssertionError(f"{name} is not listed")


def show_panel(qtbot, window: MainWindow) -> QDockWidget:
    dock = window.findChild(QDockWidget, "dock.plugins")
    assert dock is not None and window.panels_menu.objectName() == "menu.panels"
    window.panels_menu.aboutToShow.emit()
    actions = window.panels_menu.actions()
    action = next(a for a in actions if a.objectName() == "action.panel_plugins")
    if not action.isChecked():
        action.trigger()
    qtbot.waitUntil(dock.isVisible)
    return dock


def select(qtbot, window: MainWindow, name: str) -> None:
    tree = plugin_list(window)
    item = row(window, name)
    header = tree.header()
    x = header.sectionViewportPosition(NAME) + header.sectionSize(NAME) // 2
    point = QPoint(x, tree.visualItemRect(item).center().y())
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert tree.currentItem() is item


def test_panels_menu_toggles_every_dock(qtbot, window: MainWindow) -> None:
    plugins = window.findChild(QDockWidget, "dock.plugins")
    assert not plugins.isVisible()  # hidden by default
    window.panels_menu.aboutToShow.emit()
    actions = {a.objectName(): a for a in window.panels_menu.actions()}
    docks = [d for d in window.findChildren(QDockWidget) if d.parent() is window]
    assert {"dock.plugins", "dock.properties", "dock.palette"} <= {d.objectName() for d in docks}
    assert len(actions) == len(docks)
    for dock in docks:
        action = dock.toggleViewAction()
        assert actions[f"action.panel_{dock.objectName().removeprefix('dock.')}"] is action
        assert action.toolTip() and dock.windowTitle().replace("&", "") in action.toolTip()
    properties = window.findChild(QDockWidget, "dock.properties")
    actions["action.panel_properties"].trigger()
    assert not properties.isVisible()
    actions["action.panel_properties"].trigger()
    assert properties.isVisible()
    actions["action.panel_plugins"].trigger()
    assert plugins.isVisible()
    qtbot.waitUntil(lambda: not plugins.visibleRegion().isEmpty())  # raised, on top
    assert plugins in window.tabifiedDockWidgets(window.inspector)  # a tab beside properties
    actions["action.panel_plugins"].trigger()
    assert not plugins.isVisible()


def test_lists_each_plugin_with_its_status(qtbot, window: MainWindow) -> None:
    show_panel(qtbot, window)
    tree = plugin_list(window)
    assert tree.topLevelItemCount() == 2
    acme, broken = row(window, "acme"), row(window, "broken")
    assert acme.text(VERSION) == "1.2.0" and "acme-stipa" in {acme.text(c) for c in range(7)}
    assert acme.text(STATUS) == "Active"
    assert acme.text(HOOKS) == "component properties, analyses"
    assert acme.text(ANALYSES) == "acme.check"
    assert broken.text(STATUS) == "Failed"
    for item in (acme, broken):  # the status is in words and in an icon's shape, not colour
        assert not item.icon(STATUS).isNull()
        assert item.checkState(ENABLED) == Qt.CheckState.Checked
    assert acme.icon(STATUS).cacheKey() != broken.icon(STATUS).cacheKey()


def test_selecting_a_failed_plugin_shows_its_failure_and_traceback(
    qtbot, window: MainWindow
) -> None:
    show_panel(qtbot, window)
    select(qtbot, window, "acme")
    failures = window.findChild(QTreeWidget, "plugins.failures")
    text = window.findChild(QPlainTextEdit, "plugins.traceback")
    assert failures.topLevelItemCount() == 0 and text.toPlainText() == ""

    select(qtbot, window, "broken")
    details = window.findChild(QLabel, "plugins.details")
    assert "broken" in details.text() and "Failed" in details.text()
    assert failures.topLevelItemCount() == 1
    assert failures.topLevelItem(0).text(0) == "register"
    assert "no_such_argument" in failures.topLevelItem(0).toolTip(1)  # the list: line one
    assert text.isReadOnly()
    shown = text.toPlainText()
    assert shown.startswith("broken (register):")  # names the plugin
    assert "no_such_argument" in shown and "broken-stipa 0.1" in shown
    assert "Traceback (most recent call last)" in shown


def test_unticking_disables_after_restart(qtbot, window: MainWindow) -> None:
    show_panel(qtbot, window)
    tree = plugin_list(window)
    select(qtbot, window, "acme")
    tree.setFocus()
    QTest.keyClick(tree.viewport(), Qt.Key.Key_Space)  # toggles the current row's checkbox
    assert row(window, "acme").checkState(ENABLED) == Qt.CheckState.Unchecked
    assert disabled_plugins(window.settings()) == {"acme"}
    assert "takes effect after restart" in window.statusBar().currentMessage()
    assert "acme" in window.statusBar().currentMessage()
    assert row(window, "acme").text(STATUS) == "Active (disabled after restart)"
    assert window.host.plugins["acme"].status == "active"  # nothing changes before a restart

    QTest.keyClick(tree.viewport(), Qt.Key.Key_Space)
    assert disabled_plugins(window.settings()) == set()
    assert row(window, "acme").text(STATUS) == "Active"
    assert "enabled" in window.statusBar().currentMessage()


def test_a_disabled_plugin_can_be_enabled_again(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    set_disabled_plugins(QSettings(), {"acme"})
    host = PluginHost(disabled=disabled_plugins(QSettings()))
    host.register(Acme(), "acme")
    win = MainWindow(host=host)
    monkeypatch.setattr(win, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
    qtbot.addWidget(win)
    item = row(win, "acme")
    assert item.text(STATUS) == "Disabled" and item.checkState(ENABLED) == Qt.CheckState.Unchecked
    item.setCheckState(ENABLED, Qt.CheckState.Checked)  # what a click on the box does
    assert disabled_plugins(win.settings()) == set()
    assert row(win, "acme").text(STATUS) == "Disabled (enabled after restart)"


def test_failures_recorded_later_appear(qtbot, window: MainWindow, host: PluginHost) -> None:
    show_panel(qtbot, window)
    select(qtbot, window, "acme")
    host.record_failure("acme", "run acme.check", "ValueError: boom", "Traceback: boom here")
    assert row(window, "acme").text(STATUS) == "Active, 1 problem"
    assert plugin_list(window).currentItem().text(NAME) == "acme"  # selection kept
    failures = window.findChild(QTreeWidget, "plugins.failures")
    assert failures.topLevelItemCount() == 1
    assert failures.topLevelItem(0).text(0) == "run acme.check"
    text = window.findChild(QPlainTextEdit, "plugins.traceback").toPlainText()
    assert text.startswith("acme (run acme.check): ValueError: boom")
    assert "Traceback: boom here" in text

    worker = threading.Thread(target=lambda: host.record_failure("acme", "run", "again"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: row(window, "acme").text(STATUS) == "Active, 2 problems")


def test_a_closed_window_stops_listening(qtbot, host: PluginHost) -> None:
    win = MainWindow(host=host)
    assert len(host.on_change) == 1
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    win.close()
    qtbot.waitUntil(lambda: not host.on_change)
    host.record_failure("acme", "run", "after close")  # must not touch the deleted panel


class Declaring:
    """Rules declared now (title, description) and as before (a mapping of id to text)."""

    @stipa.hookimpl
    def stipa_analyses(self) -> list[stipa.Analysis]:
        owner = stipa.Rule(
            "acme.ai-owner", "Accountable AI owner", "error", "Policy AIG-3 §2.1",
            description="Every AI model names an accountable owner organisation.",
        )  # fmt: skip
        return [
            stipa.Analysis(id="acme.policy", title="Policy", run=lambda c: [], rules=[owner]),
            stipa.Analysis(
                id="acme.legacy", title="Legacy", run=lambda c: [],
                rules={"acme.purpose": "Every AI model states its intended purpose."},
            ),
        ]  # fmt: skip


def test_the_details_list_each_rule_by_title_with_what_it_checks(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = PluginHost()
    host.register(Declaring(), "declaring", version="2.0")
    monkeypatch.setattr(MainWindow, "_restore_window_state", lambda self: None)
    win = MainWindow(host=host)
    qtbot.addWidget(win)
    win.show()
    show_panel(qtbot, win)
    select(qtbot, win, "declaring")
    rules = win.findChild(QPlainTextEdit, "plugins.rules")
    assert rules.isReadOnly() and rules.isVisible()
    assert rules.toPlainText().splitlines() == [
        "Policy (acme.policy)",
        "• Accountable AI owner (acme.ai-owner) — Error",
        "   Every AI model names an accountable owner organisation.",
        "   Source: Policy AIG-3 §2.1",
        "",
        "Legacy (acme.legacy)",  # an old plugin's rule: its one line, still listed
        "• Every AI model states its intended purpose. (acme.purpose)",
    ]
    assert row(win, "declaring").text(STATUS) == "Active"
