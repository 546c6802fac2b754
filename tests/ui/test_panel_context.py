"""Panels take a PanelContext, not the main window: built here on a small stand-in window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)
from ui_gestures import click, type_line

from stipa.model import Component, Document, Finding, Loss, NodeLayout
from stipa.plugin import Analysis, AnalysisContext, PluginHost, Rule, hookimpl
from stipa.ui.analysis_options import OPTIONS_GROUP, analysis_options
from stipa.ui.analysis_panel import LIVE_SETTING, analysis_parts
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.view import CanvasView
from stipa.ui.clipboard import ClipboardActions
from stipa.ui.inspector import Inspector
from stipa.ui.workbench.dock import StpaDock

pytestmark = pytest.mark.gui


class StandIn(QWidget):
    """Just what a panel may use of its window (:class:`stipa.ui.panel_context.PanelContext`)."""

    documentReplaced = Signal()

    def __init__(self, document: Document, host: PluginHost, settings: QSettings) -> None:
        super().__init__()
        self.document = document
        self.host = host
        self.path = None
        self._settings = settings
        self.diagram = DiagramScene(document, self)
        self.view = CanvasView(self.diagram)
        self.status = QStatusBar()
        self.errors: list[tuple[str, str]] = []
        self.panels = QHBoxLayout()
        self.panels.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.panels)
        layout.addWidget(self.status)
        self.resize(1000, 600)

    def settings(self) -> QSettings:
        return self._settings

    def statusBar(self) -> QStatusBar:
        return self.status

    def show_error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def show_warning(self, title: str, text: str) -> QMessageBox:
        return QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)

    def replace(self, document: Document) -> DiagramScene:
        """Show ``document`` instead (as File > Open does); returns the old canvas, kept."""
        old = self.diagram
        self.document = document
        self.diagram = DiagramScene(document, self)
        self.view.diagram = self.diagram
        self.view.setScene(self.diagram)
        self.documentReplaced.emit()
        return old


def drawn(*names: str) -> Document:
    document = Document()
    for index, name in enumerate(names, start=1):
        document.add(Component(id=f"C-{index}", name=name))
        document.set_layout(NodeLayout(id=f"C-{index}", x=index * 260, y=40))
    document.mark_saved()
    return document


@pytest.fixture
def stand_in(qtbot, stipa_host: PluginHost, tmp_path: Path) -> StandIn:
    settings = QSettings(str(tmp_path / "stand-in.ini"), QSettings.Format.IniFormat)
    window = StandIn(drawn("Pilot", "Autopilot"), stipa_host, settings)
    qtbot.addWidget(window)
    return window


def field(inspector: Inspector, name: str) -> QLineEdit:
    edit = inspector.findChild(QLineEdit, name)
    assert edit is not None, name
    return edit


def test_the_inspector_edits_the_selection_of_a_stand_in_window(qtbot, stand_in) -> None:
    inspector = Inspector(stand_in)
    stand_in.panels.addWidget(inspector)
    stand_in.show()
    qtbot.waitExposed(stand_in)
    document = stand_in.document

    click(qtbot, stand_in, "C-1")
    name = field(inspector, "inspector.name")
    assert name.text() == "Pilot"
    type_line(name, "Captain")
    assert document.components["C-1"].name == "Captain"
    type_line(name, "")  # refused: the sentence goes to the window's status bar
    assert "must not be empty" in stand_in.status.currentMessage()
    assert document.components["C-1"].name == "Captain" and name.text() == "Captain"
    document.undo()
    assert document.components["C-1"].name == "Pilot" and name.text() == "Pilot"
    assert not document.modified and stand_in.errors == []  # refusals are no error dialogs


def test_a_replaced_document_rebinds_the_panels_and_the_old_one_no_longer_reaches_them(
    qtbot, stand_in
) -> None:
    inspector = Inspector(stand_in)
    clipboard = ClipboardActions(stand_in)
    tables = StpaDock(stand_in)
    losses = tables.models["losses"]
    stand_in.panels.addWidget(inspector)
    stand_in.show()
    qtbot.waitExposed(stand_in)
    old = stand_in.document
    title = field(inspector, "inspector.info.title")

    new = drawn("Operator")
    old_canvas = stand_in.replace(new)
    assert inspector.document is new and tables.document is new
    old.add(Loss(text="Loss of the old document"))  # its events no longer reach the panels
    old.set_info(title="Before")
    assert losses.rowCount() == 0 and title.text() == ""
    new.add(Loss(id="L-7", text="Loss of life"))
    new.set_info(title="After")
    assert losses.rowCount() == 1 and title.text() == "After"
    old_canvas.select_ids(["C-1"])  # nor does the old canvas' selection
    assert inspector.stack.currentWidget() is inspector.info_page
    assert not clipboard.actions["copy"].isEnabled()

    click(qtbot, stand_in, "C-1")  # the new canvas' selection does
    assert field(inspector, "inspector.name").text() == "Operator"
    assert clipboard.actions["copy"].isEnabled()
    new.undo()  # the title again
    stand_in.diagram.select_ids([])
    assert title.text() == ""
    old_canvas.deleteLater()


class Strictness:
    """An analysis with a choice: in strict mode every component gets a finding."""

    @hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        strict = Rule("test.strict", "Checked strictly")
        modes = {"mode": ["lenient", "strict"]}
        return [
            Analysis(
                id="test.strictness", title="Strictness", run=self.run, rules=[strict],
                options={"mode": "how strict the check is"}, choices=modes,
            )
        ]  # fmt: skip

    def run(self, context: AnalysisContext) -> list[Finding]:
        if context.options.get("mode") != "strict":
            return []
        return [
            context.finding("test.strict", f"{c.name} checked strictly", [c.id])
            for c in context.snapshot.components.values()
        ]


@pytest.fixture
def application_settings_untouched() -> Iterator[QSettings]:
    """The application's settings, without the keys the stand-in's panels keep."""
    settings = QSettings()
    for key in (OPTIONS_GROUP, LIVE_SETTING):
        settings.remove(key)
    yield settings
    for key in (OPTIONS_GROUP, LIVE_SETTING):
        settings.remove(key)


def test_the_analysis_panel_keeps_its_choices_in_the_settings_of_its_window(
    qtbot, stand_in, application_settings_untouched
) -> None:
    stand_in.host.register(Strictness(), "strictness")
    analysis = analysis_parts(stand_in)
    stand_in.show()
    qtbot.waitExposed(stand_in)
    application = application_settings_untouched

    dialog = analysis.controller.edit_options()
    qtbot.waitExposed(dialog)
    mode = dialog.findChild(QComboBox, "option.mode")
    assert mode is not None and mode.currentText() == "lenient"
    mode.setFocus()
    qtbot.keyClick(mode, Qt.Key.Key_Down)
    buttons = dialog.findChild(QDialogButtonBox, "buttons")
    assert buttons is not None
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(
            buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert analysis_options(stand_in.settings()) == {"mode": "strict"}
    assert analysis_options(application) == {}  # not the application's settings

    with qtbot.waitSignal(analysis.controller.finished, timeout=15000):
        analysis.controller.run_action.trigger()
    found = sorted(f.message for f in stand_in.document.findings.values())
    assert found == ["Autopilot checked strictly", "Pilot checked strictly"]  # ran strictly

    analysis.controller.live_action.trigger()  # Live Analysis on: remembered by the stand-in
    assert stand_in.settings().value(LIVE_SETTING, type=bool) is True
    assert application.value(LIVE_SETTING) is None
    analysis.controller.live_action.trigger()
    assert stand_in.settings().value(LIVE_SETTING, type=bool) is False
    analysis.controller.shutdown()
