"""The Plugins panel (``dock.plugins``): what the host loaded, what failed, and why.

The host knows no Qt: the panel registers a callback in ``host.on_change`` and refreshes
when a failure is recorded later (an analysis that raised, for instance), also when that
happens on a worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from stipa.plugin import PluginHost, PluginInfo
from stipa.plugin.hookspecs import HOOKS as HOOK_ORDER
from stipa.plugin.host import disabled_from_environment
from stipa.ui.plugins import disabled_plugins, set_disabled_plugins
from stipa.ui.severity import severity_labels

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext

#: Columns of the plugin list.
ENABLED, NAME, STATUS, VERSION, DISTRIBUTION, HOOKS, ANALYSES = range(7)
_KEY = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("PluginsPanel", text)


def status_text(info: PluginInfo, enabled_next: bool) -> str:
    """The plugin's state in words (never only a colour or an icon)."""
    problems = len(info.failures)
    if info.status == "failed":
        text = _tr("Failed")
    elif info.status == "disabled":
        text = _tr("Disabled")
    elif problems == 1:
        text = _tr("Active, 1 problem")
    elif problems:
        text = _tr("Active, {0} problems").format(problems)
    else:
        text = _tr("Active")
    if info.status == "disabled" and enabled_next:
        text = _tr("{0} (enabled after restart)").format(text)
    elif info.status != "disabled" and not enabled_next:
        text = _tr("{0} (disabled after restart)").format(text)
    return text


def hook_names(info: PluginInfo) -> str:
    """``"component properties, analyses"`` for the hooks a plugin implements."""
    order = {hook: index for index, hook in enumerate(HOOK_ORDER)}
    hooks = sorted(info.hooks, key=lambda hook: order.get(hook, len(order)))
    return ", ".join(hook.removeprefix("stipa_").replace("_", " ") for hook in hooks)


def rules_text(host: PluginHost, info: PluginInfo) -> str:
    """The plugin's analyses and the rules each declares: title, severity, what it checks."""
    blocks = []
    for analysis_id in info.analyses:
        analysis = host.analyses.get(analysis_id)
        if analysis is None:
            continue
        lines = [f"{analysis.title} ({analysis.id})"]
        for rule in analysis.catalogue.values():
            severity = f" — {severity_labels()[rule.severity]}" if rule.severity else ""
            lines.append(f"• {rule.title} ({rule.id}){severity}")
            if rule.description:
                lines.append(f"   {rule.description}")
            if rule.source:
                lines.append("   " + _tr("Source: {0}").format(rule.source))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class PluginList(QTreeWidget):
    """The plugin list; Space ticks or unticks the current plugin, whichever cell is current."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        toggle = event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select)
        if toggle and item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled:
            checked = item.checkState(ENABLED) == Qt.CheckState.Checked
            item.setCheckState(
                ENABLED, Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
            )
            event.accept()
            return
        super().keyPressEvent(event)


class PluginsPanel(QDockWidget):
    """Lists the window's plugins with their status and failures; enables and disables them.

    Enabling or disabling writes the setting read at start-up; it takes effect after a
    restart, which the status bar says.
    """

    #: The host recorded something new (emitted from whichever thread recorded it).
    hostChanged = Signal()

    def __init__(self, window: PanelContext) -> None:
        super().__init__(_tr("Plugins"), window.window())
        self.setObjectName("dock.plugins")
        self.setAccessibleName(_tr("Plugins"))
        self.window_ = window
        self.host: PluginHost = window.host

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)

        self.list = PluginList()
        self.list.setObjectName("plugins.list")
        self.list.setAccessibleName(_tr("Installed plugins"))
        self.list.setToolTip(
            _tr("The plugins Stipa found; untick one (or press Space) to leave it out")
        )
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels(
            [
                _tr("Enabled"),
                _tr("Plugin"),
                _tr("Status"),
                _tr("Version"),
                _tr("Distribution"),
                _tr("Hooks"),
                _tr("Analyses"),
            ]
        )
        header = self.list.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.list.currentItemChanged.connect(lambda _new, _old: self._show_details())
        self.list.itemChanged.connect(self._item_changed)
        splitter.addWidget(self.list)

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        self.details = QLabel()
        self.details.setObjectName("plugins.details")
        self.details.setAccessibleName(_tr("Plugin details"))
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details_layout.addWidget(self.details)
        self.rules = QPlainTextEdit()
        self.rules.setObjectName("plugins.rules")
        self.rules.setAccessibleName(_tr("Rules of the plugin's analyses"))
        self.rules.setToolTip(_tr("What each analysis of the selected plugin checks, rule by rule"))
        self.rules.setReadOnly(True)
        self.rules.setMinimumHeight(80)
        self.rules.setPlaceholderText(_tr("The plugin declares no analysis rules."))
        details_layout.addWidget(self.rules, 1)
        self.failures = QTreeWidget()
        self.failures.setObjectName("plugins.failures")
        self.failures.setAccessibleName(_tr("Problems of the plugin"))
        self.failures.setToolTip(_tr("What went wrong with the selected plugin, and when"))
        self.failures.setRootIsDecorated(False)
        self.failures.setHeaderLabels([_tr("Phase"), _tr("Message")])
        self.failures.header().setStretchLastSection(True)
        self.failures.setMinimumHeight(60)
        self.failures.setMaximumHeight(140)
        self.failures.currentItemChanged.connect(lambda _new, _old: self._show_traceback())
        details_layout.addWidget(self.failures)
        self.traceback = QPlainTextEdit()
        self.traceback.setObjectName("plugins.traceback")
        self.traceback.setAccessibleName(_tr("Traceback of the problem"))
        self.traceback.setToolTip(_tr("The selected problem in full, to copy into a bug report"))
        self.traceback.setReadOnly(True)
        self.traceback.setMinimumHeight(120)
        self.traceback.setPlaceholderText(_tr("No problems recorded."))
        details_layout.addWidget(self.traceback, 1)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter)
        self.setWidget(content)

        self.hide()
        self.toggleViewAction().triggered.connect(self._shown_by_action)

        # The host may record a failure on a worker thread: a signal carries it to this one.
        self.hostChanged.connect(self.refresh)
        host, notify = self.host, self._notify
        host.on_change.append(notify)

        def forget() -> None:
            if notify in host.on_change:
                host.on_change.remove(notify)

        self.destroyed.connect(forget)
        self.refresh()

    def _notify(self) -> None:
        if shiboken6.isValid(self):
            self.hostChanged.emit()

    def _shown_by_action(self, checked: bool) -> None:
        if checked:
            self.raise_()

    # --- showing -----------------------------------------------------------------------------
    def _icon(self, info: PluginInfo) -> QIcon:
        pixmap = QStyle.StandardPixmap
        if info.status == "failed":
            name = pixmap.SP_MessageBoxCritical
        elif info.status == "disabled":
            name = pixmap.SP_DialogCancelButton
        elif info.failures:
            name = pixmap.SP_MessageBoxWarning
        else:
            name = pixmap.SP_DialogApplyButton
        return self.style().standardIcon(name)

    def refresh(self) -> None:
        """Show the host's plugins again, keeping the selected one."""
        if not shiboken6.isValid(self):
            return
        current = self.list.currentItem()
        selected = current.data(NAME, _KEY) if current is not None else None
        blocker = QSignalBlocker(self.list)
        self.list.clear()
        restore = None
        for key in self.host.plugins:
            item = QTreeWidgetItem()
            item.setData(NAME, _KEY, key)
            self.list.addTopLevelItem(item)
            self._fill_row(item)
            if key == selected:
                restore = item
        if restore is None and self.list.topLevelItemCount():
            restore = self.list.topLevelItem(0)
        if restore is not None:
            self.list.setCurrentItem(restore)
        blocker.unblock()
        self._show_details()

    def _fill_row(self, item: QTreeWidgetItem) -> None:
        info = self.host.plugins[item.data(NAME, _KEY)]
        forced_off = info.name in disabled_from_environment()
        enabled_next = not forced_off and info.name not in disabled_plugins(self.window_.settings())
        item.setText(NAME, info.name)
        item.setText(VERSION, info.version)
        item.setText(DISTRIBUTION, info.distribution)
        item.setText(STATUS, status_text(info, enabled_next))
        item.setIcon(STATUS, self._icon(info))
        item.setText(HOOKS, hook_names(info))
        item.setText(ANALYSES, ", ".join(info.analyses))
        item.setToolTip(NAME, info.module)
        item.setToolTip(STATUS, status_text(info, enabled_next))
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        if forced_off:
            flags &= ~Qt.ItemFlag.ItemIsEnabled
            tip = _tr("Disabled by the STIPA_DISABLE_PLUGINS environment variable")
        else:
            tip = _tr("Load {0} when Stipa starts (takes effect after restart)").format(info.name)
        item.setToolTip(ENABLED, tip)
        item.setFlags(flags)
        item.setCheckState(
            ENABLED, Qt.CheckState.Checked if enabled_next else Qt.CheckState.Unchecked
        )
        item.setData(ENABLED, Qt.ItemDataRole.AccessibleTextRole, _tr("Enabled"))

    def selected_plugin(self) -> PluginInfo | None:
        """The plugin selected in the list."""
        item = self.list.currentItem()
        return self.host.plugins.get(item.data(NAME, _KEY)) if item is not None else None

    def _show_details(self) -> None:
        info = self.selected_plugin()
        blocker = QSignalBlocker(self.failures)
        self.failures.clear()
        if info is None:
            self.details.setText(_tr("No plugins are installed."))
            self.rules.clear()
            blocker.unblock()
            self._show_traceback()
            return
        current = self.list.currentItem()
        status = current.text(STATUS) if current is not None else ""
        lines = [
            _tr("{0} {1}").format(info.name, info.version).strip(),
            _tr("Module: {0}").format(info.module) if info.module else "",
            _tr("Distribution: {0}").format(info.distribution) if info.distribution else "",
            _tr("Status: {0}").format(status),
        ]
        self.details.setText("\n".join(line for line in lines if line))
        self.rules.setPlainText(rules_text(self.host, info))
        for failure in info.failures:
            first_line = failure.message.strip().splitlines()[0] if failure.message.strip() else ""
            item = QTreeWidgetItem([failure.phase, first_line])
            item.setToolTip(1, failure.message)
            self.failures.addTopLevelItem(item)
        first = self.failures.topLevelItem(0)
        if first is not None:
            self.failures.setCurrentItem(first)
        blocker.unblock()
        self._show_traceback()

    def _show_traceback(self) -> None:
        info = self.selected_plugin()
        current = self.failures.currentItem()
        row = self.failures.indexOfTopLevelItem(current) if current is not None else -1
        if info is None or not 0 <= row < len(info.failures):
            self.traceback.clear()
            return
        failure = info.failures[row]
        text = str(failure)
        if failure.version or failure.distribution:
            text += "\n" + _tr("Distribution {0} {1}").format(
                failure.distribution or "?", failure.version or "?"
            )
        if failure.traceback:
            text += "\n\n" + failure.traceback.rstrip()
        self.traceback.setPlainText(text)

    # --- enabling ----------------------------------------------------------------------------
    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != ENABLED:
            return
        info = self.host.plugins.get(item.data(NAME, _KEY))
        if info is None:
            return
        enable = item.checkState(ENABLED) == Qt.CheckState.Checked
        self.set_enabled(info.name, enable)

    def set_enabled(self, name: str, enable: bool) -> None:
        """Remember whether to load plugin ``name`` at the next start, and say so."""
        settings = self.window_.settings()
        names = disabled_plugins(settings)
        if enable:
            names.discard(name)
            message = _tr("{0} enabled: takes effect after restart.").format(name)
        else:
            names.add(name)
            message = _tr("{0} disabled: takes effect after restart.").format(name)
        set_disabled_plugins(settings, names)
        self.window_.statusBar().showMessage(message, 10000)
        blocker = QSignalBlocker(self.list)  # called from itemChanged: update, never rebuild
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            if item is not None and self.host.plugins[item.data(NAME, _KEY)].name == name:
                self._fill_row(item)
        blocker.unblock()
        self._show_details()
