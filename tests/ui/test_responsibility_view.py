"""The responsibility matrix and the accountability chain view on the benefit-decision model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QComboBox, QDialog, QMenu, QTableView, QTreeView

import stipa_builtins.responsibility
from stipa.model import Link, LinkItem, Responsibility
from stipa.plugin import PluginHost
from stipa.ui import MainWindow
from stipa.ui.responsibility_view import (
    BREAK_COLOUR,
    CHAIN_COLOUR,
    ID_ROLE,
    AccountabilityChainDialog,
    ResponsibilityMatrixDialog,
)
from stipa.ui.testing import WindowFactory
from stipa_builtins.responsibility_example import IDS, benefit_decision_example

pytestmark = pytest.mark.gui

CITIZEN, WORKER, DEPLOYER = IDS["Citizen"], IDS["Case worker"], IDS["Deployer"]


def _window(qtbot, monkeypatch: pytest.MonkeyPatch, host: PluginHost) -> MainWindow:
    return WindowFactory(qtbot, monkeypatch)(benefit_decision_example(), host=host)


@pytest.fixture
def window(qtbot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    host = PluginHost()
    host.register(stipa_builtins.responsibility, "stipa.responsibility")
    return _window(qtbot, monkeypatch, host)


def _action(window: MainWindow, name: str) -> QAction:
    action = window.findChild(QAction, f"action.{name}")
    assert action is not None
    return action


def _row_of(table: QTableView, name: str) -> int:
    model = table.model()
    rows = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    return rows.index(name)


def test_actions_sit_in_the_analysis_menu(window: MainWindow) -> None:
    menu = window.findChild(QMenu, "menu.analysis")
    assert menu is not None
    names = [a.objectName() for a in menu.actions()]
    assert {"action.responsibility_matrix", "action.accountability_chain"} <= set(names)
    for name in ("responsibility_matrix", "accountability_chain"):
        action = _action(window, name)
        assert action.isEnabled()
        assert action.toolTip()


def test_matrix_shows_roles_in_a_table_view(qtbot, window: MainWindow) -> None:
    _action(window, "responsibility_matrix").trigger()
    dialog = window.findChild(QDialog, "dialog.responsibility_matrix")
    assert isinstance(dialog, ResponsibilityMatrixDialog) and dialog.isVisible()
    table = dialog.findChild(QTableView, "responsibilityMatrix")
    model = table.model()
    assert (model.rowCount(), model.columnCount()) == (6, 2)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)] == ["SC-1", "SC-2"]
    citizen = _row_of(table, "Citizen")
    assert model.index(citizen, 0).data() == "R"
    assert "R-1 Detect and contest" in model.index(citizen, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(_row_of(table, "Regulator"), 0).data() == ""
    # SC-2 has no one responsible: its header says so
    unassigned = model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ForegroundRole)
    assert unassigned.color() == QColor(BREAK_COLOUR)
    assert "No one is Responsible" in model.headerData(
        1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    # a model, not a widget per cell
    assert table.indexWidget(model.index(citizen, 0)) is None
    assert not table.viewport().findChildren(QTableView)
    # the people tab: responsibility against control, per person
    people = dialog.findChild(QTableView, "humanRoles").model()
    assert people.rowCount() == 2
    names = [people.index(r, 0).data() for r in range(2)]
    citizen_row = names.index("Citizen")
    header = [people.headerData(c, Qt.Orientation.Horizontal) for c in range(people.columnCount())]
    missing = people.index(citizen_row, header.index("Missing means")).data()
    assert missing == "feedback, uncertainty, override, training"
    assert not window.document.modified  # a view only


def test_matrix_follows_edits(qtbot, window: MainWindow) -> None:
    dialog = window.responsibility.open_matrix()
    model = dialog.findChild(QTableView, "responsibilityMatrix").model()
    window.document.add(
        Responsibility(text="Keep decisions contestable", owner=DEPLOYER, constraints=["SC-2"])
    )
    deployer = _row_of(dialog.table, "Deployer")
    qtbot.waitUntil(lambda: model.index(deployer, 1).data() == "R", timeout=3000)
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ForegroundRole) is None
    window.document.undo()
    qtbot.waitUntil(lambda: model.index(deployer, 1).data() == "", timeout=3000)


def _tree_texts(tree: QTreeView) -> list[tuple[int, str, str]]:
    model = tree.model()
    found: list[tuple[int, str, str]] = []

    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            status = model.index(row, 1, parent).data() or ""
            found.append((depth, index.data(ID_ROLE), status))
            walk(index, depth + 1)

    walk(QModelIndex(), 0)
    return found


def test_chain_view_highlights_the_chain_and_clears_it(qtbot, window: MainWindow) -> None:
    _action(window, "accountability_chain").trigger()
    dialog = window.findChild(QDialog, "dialog.accountability_chain")
    assert isinstance(dialog, AccountabilityChainDialog) and dialog.isVisible()
    picker = dialog.findChild(QComboBox, "chainLoss")
    assert [picker.itemData(i) for i in range(picker.count())] == ["L-1", "L-2"]
    tree = dialog.findChild(QTreeView, "chainTree")
    rows = _tree_texts(tree)
    assert [(depth, rid) for depth, rid, _ in rows] == [
        (0, "L-1"),
        (1, "H-1"),
        (2, "SC-1"),
        (3, "R-1"),
        (4, CITIZEN),
        (3, "R-2"),
        (4, WORKER),
        (5, DEPLOYER),
        (1, "H-2"),
        (2, "SC-2"),
    ]
    statuses = {rid: status for _, rid, status in rows}
    assert "answers to no one" in statuses[CITIZEN]
    # the chain stops at the Deployer while the Regulator governs the AI model: it shows there
    assert statuses[DEPLOYER] == (
        "Deployer answers to no regulator, while Regulator has authority over what it is "
        "responsible for"
    )
    assert statuses["SC-2"] == "SC-2 is assigned to no responsibility"
    assert "breaks" in dialog.summary.text()

    components, links = window.diagram.components, window.diagram.links
    assert components[CITIZEN].highlight == QColor(BREAK_COLOUR)
    assert components[WORKER].highlight == QColor(CHAIN_COLOUR)
    assert components[DEPLOYER].highlight == QColor(BREAK_COLOUR)
    assert links["LK-6"].highlight == QColor(CHAIN_COLOUR)
    assert components[IDS["AI model"]].highlight is None

    # clicking a controller in the tree selects it on the canvas
    model = tree.model()
    hits = model.match(model.index(0, 0), ID_ROLE, WORKER, 1, Qt.MatchFlag.MatchRecursive)
    tree.clicked.emit(hits[0])
    assert window.diagram.selected_ids() == [WORKER]

    # another loss: L-2 reaches no controller at all, so nothing stays marked
    dialog.select_loss("L-2")
    assert [rid for _, rid, _ in _tree_texts(tree)] == ["L-2", "H-2", "SC-2"]
    assert all(item.highlight is None for item in components.values())

    dialog.select_loss("L-1")
    assert components[WORKER].highlight is not None
    dialog.close()
    assert all(item.highlight is None for item in components.values())
    assert all(link.highlight is None for link in links.values())
    assert not window.document.modified


def test_chain_view_shows_the_regulator_once_it_governs_the_deployer(
    qtbot, window: MainWindow
) -> None:
    dialog = window.responsibility.open_chain()
    dialog.select_loss("L-1")
    assert window.diagram.components[DEPLOYER].highlight == QColor(BREAK_COLOUR)
    window.document.add(
        Link(source=IDS["Regulator"], target=DEPLOYER, items=(LinkItem(name="Supervise"),))
    )
    qtbot.waitUntil(lambda: IDS["Regulator"] in _chain_ids(dialog), timeout=3000)
    assert window.diagram.components[DEPLOYER].highlight == QColor(CHAIN_COLOUR)
    statuses = {rid: status for _, rid, status in _tree_texts(dialog.tree)}
    assert statuses[DEPLOYER] == ""
    window.document.undo()
    qtbot.waitUntil(lambda: IDS["Regulator"] not in _chain_ids(dialog), timeout=3000)
    dialog.close()


def test_chain_view_follows_a_fix(qtbot, window: MainWindow) -> None:
    dialog = window.responsibility.open_chain()
    dialog.select_loss("L-2")
    window.document.add(
        Responsibility(text="Keep decisions contestable", owner=DEPLOYER, constraints=["SC-2"])
    )
    qtbot.waitUntil(lambda: "holds" in dialog.summary.text(), timeout=3000)
    assert window.diagram.components[DEPLOYER].highlight == QColor(CHAIN_COLOUR)
    dialog.close()
    assert window.diagram.components[DEPLOYER].highlight is None


def test_without_the_plugin_the_actions_say_why(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    win = _window(qtbot, monkeypatch, PluginHost())
    for name in ("responsibility_matrix", "accountability_chain"):
        action = _action(win, name)
        assert not action.isEnabled()
        assert "stipa.responsibility" in action.toolTip()


def test_a_failing_provider_is_reported(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(view: object) -> object:
        raise RuntimeError("boom")

    # before registering: the plugin contributes its views when it is registered
    monkeypatch.setattr(stipa_builtins.responsibility, "responsibility_matrix", broken)
    host = PluginHost()
    host.register(stipa_builtins.responsibility, "stipa.responsibility")
    win = _window(qtbot, monkeypatch, host)
    dialog = win.responsibility.open_matrix()
    assert "boom" in dialog.message.text() and dialog.message.isVisible()
    assert [f.phase for f in host.failures()] == ["responsibility_matrix"]


def test_chain_view_survives_deleting_a_marked_component(qtbot, window: MainWindow) -> None:
    dialog = window.responsibility.open_chain()
    assert window.diagram.components[DEPLOYER].highlight is not None
    window.document.remove(DEPLOYER)
    qtbot.waitUntil(lambda: DEPLOYER not in _chain_ids(dialog), timeout=3000)
    assert WORKER in _chain_ids(dialog)  # the case worker now answers to no one
    assert window.diagram.components[WORKER].highlight == QColor(BREAK_COLOUR)
    window.document.undo()
    qtbot.waitUntil(lambda: DEPLOYER in _chain_ids(dialog), timeout=3000)
    # back where the chain stops short of the regulator
    assert window.diagram.components[DEPLOYER].highlight == QColor(BREAK_COLOUR)
    assert window.diagram.components[WORKER].highlight == QColor(CHAIN_COLOUR)
    dialog.close()
    assert all(item.highlight is None for item in window.diagram.components.values())


def _chain_ids(dialog: AccountabilityChainDialog) -> list[str]:
    return [rid for _, rid, _ in _tree_texts(dialog.tree)]
