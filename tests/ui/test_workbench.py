"""The STPA workbench dock (dock.stpa), driven through its real widgets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QDockWidget,
    QLineEdit,
    QToolButton,
)

from stipa import io
from stipa.model import Document, UCAStatus
from stipa.ui import MainWindow
from stipa.ui.testing import WindowFactory
from stipa.ui.workbench.dock import StpaDock
from stipa.ui.workbench.models import ID_ROLE
from stipa.ui.workbench.picker import ReferencePicker

pytestmark = pytest.mark.gui

STPA_TABLES = (
    "scenarios",
    "controller_constraints",
    "context_rules",
    "ucas",
    "responsibilities",
    "constraints",
    "hazards",
    "losses",
)


@pytest.fixture
def example(stipa_example: Callable[[str], Document]) -> Document:
    doc = stipa_example("wheel-brakes")
    doc.mark_saved()
    return doc


def _window(make_window: WindowFactory, doc: Document) -> MainWindow:
    win = make_window(doc, show=False)
    win.resize(1400, 900)  # before it is shown, so the docks are laid out at this size
    win.show()
    make_window.qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(make_window: WindowFactory, example: Document) -> MainWindow:
    return _window(make_window, example)


@pytest.fixture
def dock(window: MainWindow) -> StpaDock:
    found = window.findChild(QDockWidget, "dock.stpa")
    assert isinstance(found, StpaDock)
    found.show_tab("losses")  # tabified with the findings: bring it forward
    return found


def click(qtbot, dock: StpaDock, name: str) -> None:
    QCoreApplication.processEvents()  # the toolbar lays out the tab's actions
    button = dock.toolbar.widgetForAction(dock.actions_by_name[name])
    assert isinstance(button, QToolButton) and button.isVisible(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_in_editor(view: QAbstractItemView, text: str) -> None:
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert editors, "no open editor"
    editor = editors[-1]
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QCoreApplication.processEvents()  # the delegate commits on a queued call
    assert view.state() != QAbstractItemView.State.EditingState


def pick(qtbot, dock: StpaDock, ids: list[str], filter_text: str = "") -> None:
    picker = dock.picker
    assert isinstance(picker, ReferencePicker) and picker.isVisible()
    for record_id in ids:
        picker.filter.clear()
        QTest.keyClicks(picker.filter, filter_text or record_id)
        row = picker.visible_ids().index(record_id)
        picker.list.setCurrentIndex(picker.proxy.index(row, 0))
        QTest.keyClick(picker.list, Qt.Key.Key_Space)  # toggles the check box
    ok = picker.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not picker.isVisible()


def column(dock: StpaDock, table: str, key: str) -> int:
    return dock.pages[table].model.keys.index(key)


def shown_ids(dock: StpaDock, table: str) -> list[str]:
    proxy = dock.pages[table].proxy
    found: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(proxy.rowCount(parent)):
            index = proxy.index(row, 0, parent)
            found.append(str(index.data(ID_ROLE)))
            walk(index)

    walk(QModelIndex())
    return found


# --- building the example through the tables -----------------------------------------------------


def test_build_wheel_brake_records_through_the_tables_trace_and_undo_all(
    qtbot, make_window: WindowFactory, example: Document
) -> None:
    with example.transaction("keep the control structure only"):
        ids = [r.id for name in STPA_TABLES for r in example.table(name).values()]
        example.remove(*ids)
    baseline = io.dumps(example)
    win = _window(make_window, io.loads(baseline))  # no history before the test
    dock = win.findChild(QDockWidget, "dock.stpa")
    assert isinstance(dock, StpaDock)
    doc = win.document

    # losses
    dock.show_tab("losses")
    losses = ["Loss of life or injury to people", "Loss of or damage to vehicle"]
    for text in losses:
        click(qtbot, dock, "add")
        type_in_editor(dock.pages["losses"].view, text)
    assert [loss.text for loss in doc.losses.values()] == losses
    assert list(doc.losses) == ["L-1", "L-2"]

    # a hazard traced to both losses, and two sub-hazards
    dock.show_tab("hazards")
    click(qtbot, dock, "add")
    type_in_editor(dock.pages["hazards"].view, "Aircraft comes too close to other objects")
    click(qtbot, dock, "link")
    pick(qtbot, dock, ["L-1", "L-2"])
    assert doc.hazards["H-1"].losses == ("L-1", "L-2")
    for text in ("Deceleration is insufficient upon landing", "Deceleration occurs after V1"):
        dock.pages["hazards"].select("H-1")
        click(qtbot, dock, "add_sub_hazard")
        type_in_editor(dock.pages["hazards"].view, text)
    assert [(h.id, h.parent, h.losses) for h in doc.hazards.values()][1:] == [
        ("H-1.1", "H-1", ("L-1", "L-2")),
        ("H-1.2", "H-1", ("L-1", "L-2")),
    ]
    assert shown_ids(dock, "hazards") == ["H-1", "H-1.1", "H-1.2"]

    # a system-level constraint and a responsibility of the BSCU Autobrake
    dock.show_tab("constraints")
    click(qtbot, dock, "add")
    type_in_editor(dock.pages["constraints"].view, "Deceleration must occur within TBD seconds")
    click(qtbot, dock, "link")
    pick(qtbot, dock, ["H-1.1"])
    assert doc.constraints["SC-1"].hazards == ("H-1.1",)
    win.diagram.select_ids(["C-2"])
    dock.show_tab("responsibilities")
    click(qtbot, dock, "add")
    # the owner taken from the canvas is proposed visibly, not silently
    assert dock.error.text() == (
        "Owner proposed: BSCU Autobrake (selected on the canvas). Choose another in the Owner "
        "column."
    )
    type_in_editor(dock.pages["responsibilities"].view, "Brake on landing at the selected rate")
    click(qtbot, dock, "link")
    pick(qtbot, dock, ["SC-1"])
    assert (doc.responsibilities["R-1"].owner, doc.responsibilities["R-1"].constraints) == (
        "C-2",
        ("SC-1",),
    )

    # UCAs from the UCA table: Brake not provided, Brake provided
    table = dock.uca_table
    for kind, context, hazards in (
        ("not_provided", "during landing roll when the BSCU is armed", ["H-1.1"]),
        ("provided", "during a normal takeoff", ["H-1.2"]),
    ):
        dock.show_tab("uca_table")
        assert table.select_cell("CA-5", kind)  # type: ignore[arg-type]
        click(qtbot, dock, "add_uca")
        assert dock.current_key() == "ucas"
        type_in_editor(dock.pages["ucas"].view, context)
        click(qtbot, dock, "link")
        pick(qtbot, dock, hazards)
    assert [(u.id, u.action, u.type.value, u.context, u.hazards) for u in doc.ucas.values()] == [
        ("UCA-1", "CA-5", "not_provided", "during landing roll when the BSCU is armed", ("H-1.1",)),
        ("UCA-2", "CA-5", "provided", "during a normal takeoff", ("H-1.2",)),
    ]
    # written by the analyst, they are decisions
    assert {u.status for u in doc.ucas.values()} == {UCAStatus.ACCEPTED}
    row = table.model.row_of("CA-5")
    cell = table.model.index(row, 1)
    assert cell.data() == "UCA-1: during landing roll when the BSCU is armed [H-1.1]"

    # a controller constraint and a scenario for UCA-1
    dock.show_tab("controller_constraints")
    click(qtbot, dock, "add")
    type_in_editor(
        dock.pages["controller_constraints"].view,
        "BSCU Autobrake must provide Brake during landing roll when armed",
    )
    click(qtbot, dock, "link")
    pick(qtbot, dock, ["UCA-1"])
    dock.show_tab("scenarios")
    click(qtbot, dock, "add")
    type_in_editor(dock.pages["scenarios"].view, "The BSCU fails during landing roll")
    click(qtbot, dock, "link")
    pick(qtbot, dock, ["UCA-1"])
    assert doc.controller_constraints["CC-1"].ucas == ("UCA-1",)
    assert doc.scenarios["LS-1"].ucas == ("UCA-1",)

    # the trace of L-1 reaches its UCAs, their constraint and scenario
    dock.show_tab("trace")
    dock.trace.loss.setCurrentIndex(dock.trace.loss.findData("L-1"))
    dock.trace.loss.activated.emit(dock.trace.loss.currentIndex())
    chain = dock.trace.ids()
    assert chain == [
        "L-1",
        "H-1",
        "H-1.1",
        "SC-1",
        "R-1",
        "UCA-1",
        "CC-1",
        "LS-1",
        "H-1.2",
        "UCA-2",
    ]
    assert doc.check() == []

    # undo it all through the window's Undo action: back to the start, byte for byte
    undo = win.actions_by_name["undo"]
    while doc.can_undo:
        undo.trigger()
    assert io.dumps(doc) == baseline
    assert shown_ids(dock, "losses") == [] and dock.trace.ids() == []


# --- tables, editing and tracing -------------------------------------------------------------


def test_tables_show_every_record_and_edits_are_undoable(
    qtbot, window: MainWindow, dock: StpaDock
) -> None:
    doc = window.document
    assert shown_ids(dock, "losses") == list(doc.losses)
    assert shown_ids(dock, "hazards") == [
        "H-1",
        "H-2",
        "H-3",
        "H-4",
        "H-4.1",
        "H-4.2",
        "H-4.3",
        "H-4.4",
        "H-4.5",
        "H-4.6",
    ]
    assert shown_ids(dock, "ucas") == list(doc.ucas)
    page = dock.pages["ucas"]
    dock.show_tab("ucas")
    page.select("UCA-3", edit="context")
    type_in_editor(page.view, "more than 2 seconds after touchdown")
    assert doc.ucas["UCA-3"].context == "more than 2 seconds after touchdown"
    assert doc.undo_label == "Edit UCA-3"
    window.actions_by_name["undo"].trigger()
    assert doc.ucas["UCA-3"].context.startswith("too late")
    index = page.model.index_of("UCA-3", column(dock, "ucas", "context"))
    assert index.data().startswith("too late")


def test_a_new_uca_proposes_its_action_visibly_and_is_accepted(
    qtbot, window: MainWindow, dock: StpaDock
) -> None:
    doc = window.document
    dock.show_tab("ucas")
    dock.pages["ucas"].view.clearSelection()
    dock.pages["ucas"].view.setCurrentIndex(QModelIndex())
    window.diagram.select_ids(["C-2"])
    before = set(doc.ucas)
    click(qtbot, dock, "add")
    (added,) = set(doc.ucas) - before
    uca = doc.ucas[added]
    assert uca.status == UCAStatus.ACCEPTED
    found = doc.snapshot().control_action(uca.action)
    assert found is not None and found[0].source == "C-2"
    assert dock.error.isVisible() and "(selected on the canvas)" in dock.error.text()
    assert dock.error.text().startswith("Control action proposed: ")
    # the status is the second column: seen without scrolling
    assert column(dock, "ucas", "status") == 1
    model = dock.pages["ucas"].model
    assert model.index_of(added, column(dock, "ucas", "status")).data() == "Accepted"
    window.actions_by_name["undo"].trigger()
    assert added not in doc.ucas


def test_status_not_applicable_without_rationale_is_refused(
    qtbot, window: MainWindow, dock: StpaDock
) -> None:
    doc = window.document
    doc.update("UCA-2", rationale="")
    model = dock.pages["ucas"].model
    index = model.index_of("UCA-2", column(dock, "ucas", "status"))
    assert not model.setData(index, "not_applicable")
    assert doc.ucas["UCA-2"].status == UCAStatus.ACCEPTED
    assert dock.error.isVisible()
    assert dock.error.text() == "UCA-2 is marked not applicable; say why in its rationale."


def test_move_up_and_down_reorders_the_document(qtbot, window: MainWindow, dock: StpaDock) -> None:
    doc = window.document
    dock.show_tab("losses")
    dock.pages["losses"].select("L-3")
    click(qtbot, dock, "move_up")
    assert list(doc.losses)[:3] == ["L-1", "L-3", "L-2"]
    assert shown_ids(dock, "losses")[:3] == ["L-1", "L-3", "L-2"]
    assert dock.pages["losses"].current_id() == "L-3"
    click(qtbot, dock, "move_down")
    click(qtbot, dock, "move_down")
    assert list(doc.losses) == ["L-1", "L-2", "L-4", "L-3", "L-5"]
    dock.show_tab("hazards")
    dock.pages["hazards"].select("H-4.2")
    click(qtbot, dock, "move_up")
    assert shown_ids(dock, "hazards")[4:6] == ["H-4.2", "H-4.1"]
    for _ in range(4):
        doc.undo()
    assert list(doc.losses) == ["L-1", "L-2", "L-3", "L-4", "L-5"]
    assert shown_ids(dock, "hazards")[4:6] == ["H-4.1", "H-4.2"]


def test_delete_key_in_a_table_deletes_its_records_not_the_canvas_selection(
    qtbot, window: MainWindow, dock: StpaDock
) -> None:
    doc = window.document
    window.diagram.select_ids(["C-7"])
    dock.show_tab("scenarios")
    view = dock.pages["scenarios"].view
    dock.pages["scenarios"].select("LS-6")
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert "LS-6" not in doc.scenarios and "C-7" in doc.components
    assert shown_ids(dock, "scenarios") == ["LS-1", "LS-2", "LS-3", "LS-4", "LS-5"]
    doc.undo()
    assert shown_ids(dock, "scenarios")[-1] == "LS-6"


def test_picker_filters_and_single_choice(qtbot, window: MainWindow, dock: StpaDock) -> None:
    doc = window.document
    picker = dock.pick_references("R-5", "owner")
    assert picker is not None and picker.single
    assert picker.checked_ids() == ["C-2"]
    QTest.keyClicks(picker.filter, "hydraulic")
    assert picker.visible_ids() == ["C-3", "C-4"]
    picker.set_checked("C-3")
    assert picker.checked_ids() == ["C-3"]  # one owner at a time
    picker.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert doc.responsibilities["R-5"].owner == "C-3"
    picker = dock.pick_references("LS-5", "ucas+hazards")
    assert picker is not None
    assert picker.checked_ids() == ["H-4.1"]
    picker.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert doc.scenarios["LS-5"].hazards == ("H-4.1",)


def test_selecting_a_uca_lights_up_its_control_action_and_controller(
    qtbot, window: MainWindow, dock: StpaDock
) -> None:
    dock.show_tab("ucas")
    dock.pages["ucas"].select("UCA-2")
    assert dock.lit() == {"C-2", "LK-3"}
    assert window.diagram.components["C-2"].highlight is not None
    assert window.diagram.links["LK-3"].highlight is not None
    assert window.diagram.components["C-1"].highlight is None
    text = dock.trace_label.text()
    assert text.startswith("Traces to: L-1, L-2, L-3, L-5, H-4, H-4.3, H-4.6")
    assert text.endswith("Traced by: CC-2, LS-3")
    hazards = dock.models["hazards"]
    assert hazards.highlighted >= {"H-4.3", "H-4.6", "H-4"}
    assert hazards.index_of("H-4.3").data(Qt.ItemDataRole.BackgroundRole) is not None
    assert hazards.index_of("H-4.2").data(Qt.ItemDataRole.BackgroundRole) is None
    dock.show_tab("losses")
    dock.pages["losses"].view.clearSelection()
    assert dock.lit() == set()
    assert window.diagram.components["C-2"].highlight is None


def test_filter_by_canvas_selection(qtbot, window: MainWindow, dock: StpaDock) -> None:
    click(qtbot, dock, "filter_canvas")
    window.diagram.select_ids(["C-7"])  # other aircraft systems: only R-9 concerns it
    assert shown_ids(dock, "responsibilities") == ["R-9"]
    assert shown_ids(dock, "ucas") == []
    assert dock.uca_table.proxy.rowCount() == 1  # Flight crew → Set thrust
    window.diagram.select_ids(["C-2"])
    assert shown_ids(dock, "ucas") == list(window.document.ucas)
    assert "R-4" in shown_ids(dock, "responsibilities")
    assert "R-1" not in shown_ids(dock, "responsibilities")
    window.diagram.clearSelection()
    assert shown_ids(dock, "responsibilities") == list(window.document.responsibilities)
    window.diagram.select_ids(["C-7"])
    click(qtbot, dock, "filter_canvas")
    assert len(shown_ids(dock, "responsibilities")) == 9


def test_uca_table_not_applicable_needs_a_rationale(
    qtbot, window: MainWindow, dock: StpaDock
) -> None:
    doc = window.document
    dock.show_tab("uca_table")
    assert dock.uca_table.select_cell("CA-2", "timing")  # type: ignore[arg-type]
    click(qtbot, dock, "mark_na")
    dialog = dock.na_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("   ")
    dialog.accept()
    assert len(doc.ucas) == 6
    assert "say why in its rationale" in dock.error.text()
    click(qtbot, dock, "mark_na")
    dialog = dock.na_dialog
    assert dialog is not None
    dialog.setTextValue("Disarming is a discrete action: its timing is covered by CA-1")
    dialog.accept()
    uca = doc.ucas["UCA-7"]
    assert (uca.action, uca.type.value, uca.status) == ("CA-2", "timing", UCAStatus.NOT_APPLICABLE)
    model = dock.uca_table.model
    cell = model.index(model.row_of("CA-2"), 3)
    assert (
        cell.data() == "UCA-7: N/A — Disarming is a discrete action: its timing is covered by CA-1"
    )
    doc.undo()
    assert model.index(model.row_of("CA-2"), 3).data() == ""


def test_document_replaced_rebinds_the_tables(qtbot, window: MainWindow, dock: StpaDock) -> None:
    window.new_document()
    assert shown_ids(dock, "losses") == [] and dock.uca_table.model.rowCount() == 0
    assert dock.context.model.rowCount() == 0
    dock.show_tab("losses")
    click(qtbot, dock, "add")
    type_in_editor(dock.pages["losses"].view, "Loss of data")
    assert [loss.text for loss in window.document.losses.values()] == ["Loss of data"]


# --- Excel round trip from the File menu -----------------------------------------------------


def test_file_menu_export_and_import_tables(
    qtbot, window: MainWindow, dock: StpaDock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = window.document
    excel = dock.excel  # type: ignore[attr-defined]
    path = tmp_path / "wheel.xlsx"
    monkeypatch.setattr(excel, "ask_export_path", lambda: path)
    monkeypatch.setattr(excel, "ask_import_path", lambda: path)
    export = window.actions_by_name["export_xlsx"]
    assert export.objectName() == "action.export_xlsx" and export.toolTip()
    export.trigger()
    book = load_workbook(path)
    ws = book["Losses"]
    ws["C3"] = "Loss of or damage to the aircraft"
    book.save(path)
    before = io.dumps(doc)
    window.actions_by_name["import_xlsx"].trigger()
    with qtbot.waitSignal(excel.task.finished):  # read in a worker thread
        pass
    dialog = excel.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "Imported from wheel.xlsx: 0 added, 1 updated, 0 deleted."
    dialog.close()
    assert doc.losses["L-2"].text == "Loss of or damage to the aircraft"
    assert dock.pages["losses"].model.index_of("L-2", 1).data() == (
        "Loss of or damage to the aircraft"
    )
    window.actions_by_name["undo"].trigger()
    assert io.dumps(doc) == before
    # a broken reference refuses the whole workbook
    book = load_workbook(path)
    book["Hazards"]["E2"] = "L-1, L-9"
    book.save(path)
    window.actions_by_name["import_xlsx"].trigger()
    with qtbot.waitSignal(excel.task.finished):
        pass
    dialog = excel.report_dialog
    assert dialog.summary.text() == "Nothing was imported: 1 problem in wheel.xlsx."
    assert "Hazards, row 2, column Losses: L-9 is not a loss of the document." in (
        dialog.details.toPlainText()
    )
    dialog.close()
    assert io.dumps(doc) == before


def test_requirements_tab_and_uca_subtype_and_alias(
    qtbot, window: MainWindow, dock: StpaDock
) -> None:
    """Issue 19: safety requirements traced to scenarios; the UCA tab shows and edits the fine
    type and the alias (the id in the tool the UCA came from)."""
    doc = window.document
    before = io.dumps(doc)

    # a requirement, added and traced through the tab's own buttons
    dock.show_tab("requirements")
    assert dock.tabs.tabToolTip(dock.tabs.currentIndex()) == "Safety requirements"
    click(qtbot, dock, "add")
    type_in_editor(dock.pages["requirements"].view, "Brake commands are confirmed by a second unit")
    click(qtbot, dock, "link")
    pick(qtbot, dock, ["LS-2", "LS-4"])
    [requirement] = doc.requirements.values()
    assert requirement.text == "Brake commands are confirmed by a second unit"
    assert requirement.scenarios == ("LS-2", "LS-4")
    assert shown_ids(dock, "requirements") == ["SR-1"]

    # the UCA tab: the alias typed in its cell, the subtype chosen in its combo box
    page = dock.pages["ucas"]
    dock.show_tab("ucas")
    page.select("UCA-3", edit="alias")
    type_in_editor(page.view, "UCA3")
    page.select("UCA-3", edit="subtype")
    combo = next(c for c in page.view.viewport().findChildren(QComboBox) if c.isVisible())
    combo.setCurrentIndex(combo.findData("too_late"))
    combo.activated.emit(combo.currentIndex())
    QCoreApplication.processEvents()
    assert doc.ucas["UCA-3"].alias == "UCA3" and doc.ucas["UCA-3"].subtype == "too_late"
    assert page.model.index_of("UCA-3", column(dock, "ucas", "subtype")).data() == "Too late"
    assert page.model.index_of("UCA-3", column(dock, "ucas", "alias")).data() == "UCA3"
    # a duration subtype on a timing UCA is refused with the model's sentence
    model = page.model
    assert not model.setData(
        model.index_of("UCA-3", column(dock, "ucas", "subtype")), "stopped_too_soon"
    )
    assert "refines a duration UCA, not a timing one" in dock.error.text()

    undo = window.actions_by_name["undo"]
    while doc.can_undo:
        undo.trigger()
    assert io.dumps(doc) == before
    assert shown_ids(dock, "requirements") == []
