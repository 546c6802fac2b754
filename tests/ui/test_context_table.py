"""Context tables: the train-door known answer, rules with "don't care", 59,049 lazy rows."""

from __future__ import annotations

import itertools
import time

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialogButtonBox, QDockWidget, QToolButton

from stipa import io
from stipa.model import (
    Component,
    Condition,
    ContextRule,
    Document,
    Hazard,
    Link,
    LinkItem,
    ProcessVariable,
    UCAType,
)
from stipa.ui import MainWindow
from stipa.ui.testing import WindowFactory
from stipa.ui.workbench.context import ContextGrid, RuleEditor
from stipa.ui.workbench.dock import StpaDock

pytestmark = pytest.mark.gui

TRAIN_DOOR = (
    ProcessVariable(id="PV-1", name="trainSpeed", values=("zero", "moving")),
    ProcessVariable(id="PV-2", name="trainPosition", values=("atStation", "betweenStations")),
    ProcessVariable(id="PV-3", name="doorState", values=("open", "closed")),
)


def door_document(variables: tuple[ProcessVariable, ...] = TRAIN_DOOR) -> Document:
    doc = Document()
    doc.add(Component(id="C-1", name="Door controller", variables=variables))
    doc.add(Component(id="C-2", name="Door", kind="controlled_process", nature="physical"))
    doc.add(Link(id="LK-1", source="C-1", target="C-2", items=[LinkItem(id="CA-1", name="Open")]))
    doc.add(Hazard(id="H-1", text="Passengers fall out of the train"))
    return io.loads(io.dumps(doc))  # without undo history


@pytest.fixture
def make_window(qtbot, monkeypatch: pytest.MonkeyPatch):
    def make(doc: Document) -> tuple[MainWindow, StpaDock]:
        win = WindowFactory(qtbot, monkeypatch)(doc, show=False)
        win.resize(1400, 900)
        win.show()
        qtbot.waitExposed(win)
        dock = win.findChild(QDockWidget, "dock.stpa")
        assert isinstance(dock, StpaDock)
        dock.show_tab("context")
        return win, dock

    return make


def rows_showing(dock: StpaDock, rule_id: str) -> list[int]:
    model = dock.context.model
    rules = model.columnCount() - 1
    return [
        row
        for row in range(model.rowCount())
        if rule_id in str(model.index(row, rules).data()).split(", ")
    ]


def test_grid_decodes_rows_in_product_order() -> None:
    grid = ContextGrid(TRAIN_DOOR, ())
    assert grid.size == 8
    assert [grid.values(row) for row in range(8)] == list(
        itertools.product(*(v.values for v in TRAIN_DOOR))
    )
    assert all(grid.encode(grid.decode(row)) == row for row in range(8))


def test_grid_agrees_with_the_hazards_plugin_helper() -> None:
    """The hazards plugin's ContextTable (Thomas's method) gives the same rows and counts."""
    from stipa_builtins.hazards import ContextTable

    table = ContextTable(TRAIN_DOOR)
    moving = [Condition(variable="PV-1", value="moving")]
    at_station = [
        Condition(variable="PV-1", value="zero"),
        Condition(variable="PV-2", value="atStation"),
    ]
    rules = [
        ContextRule(id="CR-1", action="CA-1", conditions=moving),
        ContextRule(id="CR-2", action="CA-1", conditions=at_station),
    ]
    grid = ContextGrid(TRAIN_DOOR, rules)
    assert [grid.values(row) for row in range(grid.size)] == list(table.rows())
    for rule in rules:
        covered = [grid.values(r) for r in range(grid.size) if grid.covers(rule.id, r)]
        assert covered == list(table.expand(rule.conditions))
        assert grid.count(rule.id) == table.count(rule.conditions)


def test_train_door_table_has_8_rows_and_a_rule_on_one_variable_covers_4(make_window) -> None:
    win, dock = make_window(door_document())
    page = dock.context
    assert page.action.currentData() == "CA-1"
    assert page.model.rowCount() == 8
    assert [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "trainSpeed",
        "trainPosition",
        "doorState",
    ]
    assert page.summary.text().startswith("8 contexts (2 × 2 × 2)")
    # a rule fixing trainSpeed=moving, made in the rule editor ("don't care" for the rest)
    page.add_rule()
    editor = page.editor
    assert isinstance(editor, RuleEditor) and editor.isVisible()
    speed = editor.combos["PV-1"]
    speed.setCurrentIndex(speed.findData("moving"))
    assert editor.combos["PV-2"].currentData() == ""  # don't care
    editor.type.setCurrentIndex(editor.type.findData("provided"))
    editor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    doc = win.document
    rule = doc.context_rules["CR-1"]
    assert rule.conditions == (Condition(variable="PV-1", value="moving"),)
    assert (rule.type, rule.hazardous) == (UCAType.PROVIDED, True)
    assert rows_showing(dock, "CR-1") == [4, 5, 6, 7]
    assert page.rules_model.index(0, 5).data() == "4"
    provided = page.model.index(5, 3)
    assert provided.data() == "hazardous (CR-1)"
    assert provided.data(Qt.ItemDataRole.FontRole).italic()  # decided through don't care
    assert page.model.index(1, 3).data() == ""
    # two variables fixed: 2 rows
    doc.add(
        ContextRule(
            action="CA-1",
            type="not_provided",
            conditions=[
                Condition(variable="PV-1", value="zero"),
                Condition(variable="PV-2", value="atStation"),
            ],
        )
    )
    assert rows_showing(dock, "CR-2") == [0, 1]
    doc.undo()
    doc.undo()
    assert rows_showing(dock, "CR-1") == [] and page.model.index(5, 3).data() == ""


def test_marking_rows_stores_full_rules_as_one_undo_step(make_window) -> None:
    win, dock = make_window(door_document())
    page = dock.context
    doc = win.document
    selection = page.table.selectionModel()
    for row in (2, 3):
        selection.select(page.model.index(row, 0), selection.SelectionFlag.Select)
    mark = page.findChild(QToolButton, "stpa.context.hazardous_provided")
    mark.click()
    rules = list(doc.context_rules.values())
    assert [(r.type, r.hazardous, r.conditions) for r in rules] == [
        (
            UCAType.PROVIDED,
            True,
            (
                Condition(variable="PV-1", value="zero"),
                Condition(variable="PV-2", value="betweenStations"),
                Condition(variable="PV-3", value="open"),
            ),
        ),
        (
            UCAType.PROVIDED,
            True,
            (
                Condition(variable="PV-1", value="zero"),
                Condition(variable="PV-2", value="betweenStations"),
                Condition(variable="PV-3", value="closed"),
            ),
        ),
    ]
    assert doc.undo_label == "Decide 2 contexts of CA-1"
    assert page.model.index(2, 3).data() == f"hazardous ({rules[0].id})"
    assert not page.model.index(2, 3).data(Qt.ItemDataRole.FontRole)
    # the decision cell's editor: not hazardous, then undecided
    assert page.model.setData(page.model.index(2, 3), "not hazardous")
    assert doc.context_rules[rules[0].id].hazardous is False
    assert page.model.setData(page.model.index(2, 3), "")
    assert rules[0].id not in doc.context_rules
    # hazards of a rule through the picker
    page.rules.setCurrentIndex(page.rules_model.index(0, 0))
    page.rule_hazards()
    picker = dock.picker
    assert picker is not None
    picker.set_checked("H-1")
    picker.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert doc.context_rules[rules[1].id].hazards == ("H-1",)
    assert page.model.index(3, 3).data() == f"hazardous [H-1] ({rules[1].id})"
    while doc.can_undo:
        doc.undo()
    assert len(doc.context_rules) == 0 and page.model.index(2, 3).data() == ""


def test_process_model_variables_are_edited_in_the_tab(make_window) -> None:
    win, dock = make_window(door_document())
    page = dock.context
    doc = win.document
    page.variables.item(2, 1).setText("open, closed, blocked")
    assert doc.components["C-1"].variables[2].values == ("open", "closed", "blocked")
    assert page.model.rowCount() == 12
    page.add_variable()
    assert len(doc.components["C-1"].variables) == 4 and page.model.rowCount() == 24
    doc.undo()
    doc.undo()
    assert page.model.rowCount() == 8


TEN_BY_THREE = tuple(
    ProcessVariable(id=f"PV-{i + 1}", name=f"variable {i + 1}", values=("low", "mid", "high"))
    for i in range(10)
)


def test_59049_rows_open_lazily_and_the_last_row_answers(qtbot, make_window) -> None:
    doc = door_document(TEN_BY_THREE)
    doc.add(
        ContextRule(
            action="CA-1",
            type="provided",
            conditions=[Condition(variable="PV-10", value="high")],
            hazards=["H-1"],
        )
    )
    start = time.perf_counter()
    _win, dock = make_window(doc)
    page = dock.context
    model = page.model
    assert model.rowCount() == 3**10 == 59_049
    last = model.rowCount() - 1
    assert [model.index(last, c).data() for c in range(10)] == ["high"] * 10
    assert model.index(last, 10).data() == "hazardous [H-1] (CR-1)"
    assert model.index(last, 12).data() == "CR-1"
    assert model.index(last - 1, 10).data() == ""
    page.table.scrollToBottom()
    QCoreApplication.processEvents()
    assert page.table.rowAt(page.table.viewport().height() - 2) in range(last - 60, last + 1)
    assert time.perf_counter() - start < 20  # far less in practice: see the benchmark
    assert page.rules_model.index(0, 5).data() == "19,683"


def test_the_action_list_follows_the_control_actions_and_only_them(make_window) -> None:
    win, dock = make_window(door_document())
    page = dock.context
    doc = win.document
    entries = lambda: [page.action.itemData(i) for i in range(page.action.count())]  # noqa: E731
    assert entries() == ["CA-1"]
    filled = []
    page.action.model().rowsInserted.connect(lambda *_: filled.append(True))
    # an edit that changes no control action leaves the list as it is (a big model lists
    # thousands, refilled on every edit before)
    with doc.transaction("Add a hazard"):
        doc.add(Hazard(id="H-2", text="The door closes on a passenger"))
    assert entries() == ["CA-1"] and not filled
    with doc.transaction("Add an action"):
        doc.update(
            "LK-1", items=(LinkItem(id="CA-1", name="Open"), LinkItem(id="CA-2", name="Close"))
        )
    assert entries() == ["CA-1", "CA-2"] and filled
    assert page.action.currentData() == "CA-1"
    doc.undo()
    assert entries() == ["CA-1"]
