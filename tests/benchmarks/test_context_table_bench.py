"""Context-table benchmark: 10 process-model variables of 3 values each, 59,049 rows.

* open = ``ContextPage.show_action`` for the control action (the grid of rules compiled, the
  lazy model reset, columns sized) + the table's first paint, in a shown ``MainWindow``
  (offscreen, 1400x900) with the STPA dock on the context tab. 40 rules over 1 to 10
  variables decide parts of the table.
* jump = ``scrollToBottom()`` + the paint of the last screenful (every visible row decoded,
  its matching rules found).
* Baseline in the same run: a ``QTableView`` of the same size and columns over a plain
  ``QAbstractTableModel`` that returns a constant string for every cell, opened and scrolled
  the same way. Budgets: open and jump each within 5x of the baseline and under 0.5 s.

Budgets are soft: "WITHIN BUDGET" / "OVER BUDGET" is printed, never a failure.
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QHeaderView, QTableView

from stipa.model import (
    Component,
    Condition,
    ContextRule,
    Document,
    Link,
    LinkItem,
    ProcessVariable,
)
from stipa.ui import MainWindow
from stipa.ui.workbench.dock import StpaDock

pytestmark = [pytest.mark.bench, pytest.mark.gui]

VARIABLES = 10
VALUES = ("low", "mid", "high")
ROWS = len(VALUES) ** VARIABLES
RULES = 40
REPEAT = 5
RATIO_BUDGET = 5.0
SECONDS_BUDGET = 0.5
SECTION = "context_table"


def _document() -> Document:
    rng = random.Random(0)
    variables = tuple(
        ProcessVariable(id=f"PV-{i + 1}", name=f"variable {i + 1}", values=VALUES)
        for i in range(VARIABLES)
    )
    doc = Document()
    doc.add(Component(id="C-1", name="Controller", variables=variables))
    doc.add(Component(id="C-2", name="Process", kind="controlled_process", nature="physical"))
    doc.add(Link(id="LK-1", source="C-1", target="C-2", items=[LinkItem(id="CA-1", name="Act")]))
    for n in range(RULES):
        fixed = rng.sample(variables, rng.randint(1, VARIABLES))
        doc.add(
            ContextRule(
                action="CA-1",
                type=rng.choice(("provided", "not_provided")),
                conditions=[Condition(variable=v.id, value=rng.choice(VALUES)) for v in fixed],
                hazardous=n % 3 != 0,
            )
        )
    doc.mark_saved()  # closing the window must not ask to save
    return doc


class _Plain(QAbstractTableModel):
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else ROWS

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else VARIABLES + 3

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return "mid" if role == Qt.ItemDataRole.DisplayRole else None


def _paint(view: QTableView) -> None:
    view.viewport().repaint()
    QApplication.processEvents()


def test_open_and_jump_to_the_last_row(qtbot: Any, record: Any, stats: Any) -> None:
    win = MainWindow(_document())
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    dock = win.findChild(QDockWidget, "dock.stpa")
    assert isinstance(dock, StpaDock)
    dock.show_tab("context")
    page = dock.context
    table = page.table
    plain = QTableView()
    qtbot.addWidget(plain)
    plain.resize(table.size())
    plain.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    plain.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
    plain.show()
    qtbot.waitExposed(plain)

    def open_ours() -> None:
        page.show_action("")
        page.show_action("CA-1")
        _paint(table)

    def open_plain() -> None:
        plain.setModel(None)
        plain.setModel(_Plain(plain))
        _paint(plain)

    def reset_scroll() -> None:
        table.scrollToTop()
        plain.scrollToTop()
        _paint(table)
        _paint(plain)

    def jump_ours() -> None:
        table.scrollToBottom()
        _paint(table)

    def jump_plain() -> None:
        plain.scrollToBottom()
        _paint(plain)

    opened = stats.interleaved({"ours": open_ours, "plain": open_plain}, REPEAT)
    assert page.model.rowCount() == ROWS
    jumped = stats.interleaved({"ours": jump_ours, "plain": jump_plain}, REPEAT, reset_scroll)
    last = ROWS - 1
    jump_ours()
    assert table.rowAt(table.viewport().height() - 2) in range(last - 80, last + 1)
    start = time.perf_counter()
    cells = [page.model.index(last, c).data() for c in range(page.model.columnCount())]
    last_row = time.perf_counter() - start
    assert cells[:VARIABLES] == ["high"] * VARIABLES

    med = {
        f"{k}_{n}": stats.median(v)
        for k, d in (("open", opened), ("jump", jumped))
        for n, v in d.items()
    }
    open_ratio = med["open_ours"] / med["open_plain"]
    jump_ratio = med["jump_ours"] / med["jump_plain"]
    print(
        f"\ncontext table {VARIABLES} variables x {len(VALUES)} values = {ROWS:,} rows, "
        f"{RULES} rules"
    )
    print(
        f"  open + first paint  {stats.seconds(med['open_ours'])}  "
        f"plain {stats.seconds(med['open_plain'])}  ratio {open_ratio:.2f}x"
    )
    print(
        f"  jump to last row    {stats.seconds(med['jump_ours'])}  "
        f"plain {stats.seconds(med['jump_plain'])}  ratio {jump_ratio:.2f}x"
    )
    print(f"  data() of the last row, all {len(cells)} columns: {last_row * 1e6:.0f} µs")
    record.add(
        SECTION,
        "59049_rows",
        rows=ROWS,
        rules=RULES,
        open_s=med["open_ours"],
        open_plain_s=med["open_plain"],
        open_ratio=open_ratio,
        jump_s=med["jump_ours"],
        jump_plain_s=med["jump_plain"],
        jump_ratio=jump_ratio,
        last_row_data_s=last_row,
    )
    record.check(SECTION, "59049_rows", open_ratio, RATIO_BUDGET, "open_ratio")
    record.check(SECTION, "59049_rows", jump_ratio, RATIO_BUDGET, "jump_ratio")
    record.check(SECTION, "59049_rows", med["open_ours"], SECONDS_BUDGET, "open_s", unit=" s")
    record.check(SECTION, "59049_rows", med["jump_ours"], SECONDS_BUDGET, "jump_s", unit=" s")
