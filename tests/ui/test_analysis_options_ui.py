"""The Analysis Options dialog: the options analyses declare, kept in the settings, used by runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit

from stipa.model import Component, Document, Link, LinkItem
from stipa.plugin import PluginHost
from stipa.ui import MainWindow
from stipa.ui.analysis_options import OPTIONS_GROUP, AnalysisOptionsDialog, analysis_options
from stipa.ui.testing import WindowFactory
from stipa_builtins import footprint, hazards

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _clean_settings() -> Iterator[None]:
    QSettings().remove(OPTIONS_GROUP)
    yield
    QSettings().remove(OPTIONS_GROUP)


def relayed_feedback() -> Document:
    """A door controller that hears the door position only through the driver."""
    doc = Document()
    controller = doc.add(Component(name="Door controller", kind="controller"))
    doors = doc.add(Component(name="Train doors", kind="controlled_process", nature="physical"))
    sensor = doc.add(Component(name="Door sensor", kind="sensor", nature="physical"))
    driver = doc.add(Component(name="Driver", kind="controller", nature="human"))
    doc.add(Link(source=controller.id, target=doors.id, items=(LinkItem(name="Close doors"),)))
    for source, target, kind in (
        (doors, sensor, "feedback"),
        (sensor, driver, "feedback"),
        (driver, controller, "information"),
    ):
        doc.add(
            Link(source=source.id, target=target.id, kind=kind, items=(LinkItem(name="Doors"),))
        )
    return doc


def make_window(qtbot, monkeypatch) -> MainWindow:
    host = PluginHost()
    host.register(hazards, "stipa.hazards")
    host.register(footprint, "stipa.footprint")
    return WindowFactory(qtbot, monkeypatch)(relayed_feedback(), host=host)


def rules_after_run(qtbot, window: MainWindow, options: str = "") -> dict[str, str]:
    """Run every analysis from the toolbar action; the feedback findings' rule -> severity."""
    with qtbot.waitSignal(window.analysis.controller.finished, timeout=20000) as blocker:
        window.actions_by_name["run_analyses"].trigger()
    # the status bar says which options the run used, or none
    summary = str(blocker.args[0])
    assert summary.endswith(f"; options: {options}") if options else "options" not in summary
    return {
        f.rule: str(f.severity)
        for f in window.document.findings.values()
        if f.rule in ("stpa.missing-feedback", "stpa.indirect-feedback")
    }


def open_dialog(qtbot, window: MainWindow) -> AnalysisOptionsDialog:
    window.actions_by_name["analysis_options"].trigger()
    # the dialogs closed before are deleted later: the shown one is the new one
    (dialog,) = [d for d in window.findChildren(AnalysisOptionsDialog) if d.isVisible()]
    assert dialog.objectName() == "dialog.analysis_options"
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    qtbot.waitExposed(dialog)
    return dialog


def press(qtbot, dialog: AnalysisOptionsDialog, which: QDialogButtonBox.StandardButton) -> None:
    buttons = dialog.findChild(QDialogButtonBox, "buttons")
    assert buttons is not None
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(buttons.button(which), Qt.MouseButton.LeftButton)


def test_switching_feedback_to_direct_changes_the_findings(qtbot, monkeypatch) -> None:
    window = make_window(qtbot, monkeypatch)
    assert "analysis_options" in {a.objectName().removeprefix("action.")
                                  for a in window.analysis.controller.menu.actions()}  # fmt: skip
    # the default (indirect): the relayed feedback counts, with an info note to check it
    assert rules_after_run(qtbot, window) == {"stpa.indirect-feedback": "info"}

    dialog = open_dialog(qtbot, window)
    feedback = dialog.findChild(QComboBox, "option.feedback")
    assert feedback is not None and feedback.currentText() == "indirect"
    assert [feedback.itemText(i) for i in range(feedback.count())] == ["indirect", "direct"]
    assert "stpa.missing-feedback" in feedback.toolTip()
    # the footprint's free options are text fields, empty for "the default"
    growth = dialog.findChild(QLineEdit, "option.inference_growth")
    assert growth is not None and growth.text() == ""
    feedback.setFocus()
    qtbot.keyClick(feedback, Qt.Key.Key_Down)
    assert feedback.currentText() == "direct"
    press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert analysis_options(window.settings()) == {"feedback": "direct"}

    # direct: the relayed feedback does not count; a warning replaces the info note
    assert rules_after_run(qtbot, window, "feedback=direct") == {"stpa.missing-feedback": "warning"}
    missing = next(
        f for f in window.document.findings.values() if f.rule == "stpa.missing-feedback"
    )
    assert "does not count in direct mode" in missing.message
    # the run is one undo step: undoing it brings back the indirect mode's findings
    window.document.undo()
    assert {f.rule for f in window.document.findings.values()} >= {"stpa.indirect-feedback"}
    window.document.redo()

    # the dialog shows the kept choice; Cancel changes nothing
    dialog = open_dialog(qtbot, window)
    feedback = dialog.findChild(QComboBox, "option.feedback")
    assert feedback is not None and feedback.currentText() == "direct"
    qtbot.keyClick(feedback, Qt.Key.Key_Up)
    press(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert analysis_options(window.settings()) == {"feedback": "direct"}

    # back to the default: the option is left out, and the info note returns
    dialog = open_dialog(qtbot, window)
    feedback = dialog.findChild(QComboBox, "option.feedback")
    assert feedback is not None
    qtbot.keyClick(feedback, Qt.Key.Key_Up)
    press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert analysis_options(window.settings()) == {}
    assert rules_after_run(qtbot, window) == {"stpa.indirect-feedback": "info"}


def test_a_bad_free_option_is_reported_by_its_analysis(qtbot, monkeypatch) -> None:
    window = make_window(qtbot, monkeypatch)
    dialog = open_dialog(qtbot, window)
    growth = dialog.findChild(QLineEdit, "option.inference_growth")
    assert growth is not None
    qtbot.keyClicks(growth, "fast")
    press(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert analysis_options(window.settings()) == {"inference_growth": "fast"}
    with qtbot.waitSignal(window.analysis.controller.finished, timeout=20000) as blocker:
        window.actions_by_name["run_analyses"].trigger()
    # the footprint analysis refuses the value and says so; the hazards analysis still ran
    assert "fail" in str(blocker.args[0]).lower()
    assert any(f.rule == "stpa.indirect-feedback" for f in window.document.findings.values())
