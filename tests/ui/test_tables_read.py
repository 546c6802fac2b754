"""STPA tables and trees that read: long texts wrap in the rows in sight, huge ones stay lazy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import QDockWidget

import stipa
from stipa.model import Document, Hazard, Loss
from stipa.ui import MainWindow
from stipa.ui.workbench.dock import StpaDock
from stipa.ui.workbench.models import ID_ROLE

pytestmark = pytest.mark.gui
LONG = (
    "Loss of life or serious injury to passengers and crew when the aircraft leaves the "
    "runway after a rejected take-off on a wet runway at night with the autobrake unavailable"
)


def _window(make_window, doc: Document) -> tuple[MainWindow, StpaDock]:
    window = make_window(doc)
    window.resize(1366, 768)
    dock = window.findChild(QDockWidget, "dock.stpa")
    assert isinstance(dock, StpaDock)
    dock.show_tab("losses")
    return window, dock


def test_long_texts_wrap_and_rows_follow_their_text(qtbot, make_window) -> None:
    doc = stipa.Document()
    doc.add(Loss(text="Short"))
    long_id = doc.add(Loss(text=LONG)).id
    _, dock = _window(make_window, doc)
    page = dock.pages["losses"]
    view = page.view
    text_column = page.model.keys.index("text")
    view.horizontalHeader().resizeSection(text_column, 260)
    line = view.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: view.rowHeight(1) >= 3 * line)  # the long text: several lines
    assert view.wordWrap()
    assert view.rowHeight(0) < 2 * line  # a short one keeps one line
    # the text grows: its row grows with it, as far as the cap
    doc.update(long_id, text=LONG * 4)
    qtbot.waitUntil(lambda: view.rowHeight(1) >= 6 * line)
    assert view.rowHeight(1) <= page.sizer.max_height
    doc.undo()
    qtbot.waitUntil(lambda: view.rowHeight(1) < 6 * line)
    assert doc.losses[long_id].text == LONG


def test_a_huge_table_sizes_only_the_rows_in_sight(qtbot, make_window) -> None:
    doc = stipa.Document()
    doc.add_all(Loss(text=f"{number} {LONG}") for number in range(2000))
    _, dock = _window(make_window, doc)
    view = dock.pages["losses"].view
    default = view.verticalHeader().defaultSectionSize()
    qtbot.waitUntil(lambda: view.rowHeight(0) > default)
    QCoreApplication.processEvents()
    assert view.rowHeight(1999) == default  # out of sight: not measured
    view.scrollToBottom()
    top = view.rowAt(0)
    assert top > 1900
    qtbot.waitUntil(lambda: view.rowHeight(top) > default)  # seen: sized
    assert view.rowHeight(1000) == default


def test_no_table_clips_its_column_titles(qtbot, make_window) -> None:
    from stipa.resources import examples

    doc = stipa.load(next(p for p in examples() if p.name == "wheel-brakes.stipa"))
    _, dock = _window(make_window, doc)
    for table, page in dock.pages.items():
        tree = not hasattr(page, "sizer")  # the hazard tree
        header = page.view.header() if tree else page.view.horizontalHeader()
        for column in range(header.count() - 1):  # the last one stretches
            title = page.model.headerData(column, Qt.Orientation.Horizontal)
            assert header.sectionSize(column) >= header.sectionSizeHint(column), (table, title)
        # the titles sit alike in every table, the hazard tree's too
        assert header.defaultAlignment() == Qt.AlignmentFlag.AlignCenter, table


def _rows_in_tree(view) -> list:
    """Every index of column 0 of a tree view, depth first."""
    model, found = view.model(), []

    def walk(parent) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            found.append(index)
            walk(index)

    walk(QModelIndex())
    return found


def test_the_hazard_tree_wraps_long_texts_and_rows_follow_their_text(qtbot, make_window) -> None:
    doc = stipa.Document()
    loss = doc.add(Loss(text="Loss of life"))
    short = doc.add(Hazard(text="Short", losses=(loss.id,)))
    long_id = doc.add(Hazard(text=LONG, losses=(loss.id,))).id
    doc.add(Hazard(text=LONG, parent=short.id))  # a sub-hazard, indented
    _, dock = _window(make_window, doc)
    dock.show_tab("hazards")
    view = dock.pages["hazards"].view
    text_column = dock.pages["hazards"].model.keys.index("text")
    view.header().resizeSection(text_column, 260)
    line = view.fontMetrics().lineSpacing()
    short_row, sub_row, long_row = _rows_in_tree(view)
    assert short_row.data(ID_ROLE) == short.id and long_row.data(ID_ROLE) == long_id

    def height(index) -> int:
        return view.visualRect(index).height()

    qtbot.waitUntil(lambda: height(long_row) >= 3 * line)  # the long text: several lines
    assert height(short_row) < 2 * line  # a short one keeps one line
    assert height(sub_row) >= height(long_row)  # indented: no more room than its parent's
    # the text grows: its row grows with it, as far as the cap
    doc.update(long_id, text=LONG * 4)
    qtbot.waitUntil(lambda: height(long_row) >= 6 * line)
    assert height(long_row) <= view.max_row_height
    doc.undo()
    qtbot.waitUntil(lambda: height(long_row) < 6 * line)
    # a wider column: fewer lines
    narrow = height(long_row)
    view.header().resizeSection(text_column, 900)
    qtbot.waitUntil(lambda: height(long_row) < narrow)
    assert doc.hazards[long_id].text == LONG


def test_the_trace_tree_wraps_long_texts(qtbot, make_window) -> None:
    doc = stipa.Document()
    loss = doc.add(Loss(text=LONG))
    doc.add(Hazard(text="Short", losses=(loss.id,)))
    _, dock = _window(make_window, doc)
    dock.show_tab("trace")
    tree = dock.trace.tree
    tree.resize(300, 400)
    line = tree.fontMetrics().lineSpacing()
    loss_row, hazard_row = _rows_in_tree(tree)
    qtbot.waitUntil(lambda: tree.visualRect(loss_row).height() >= 3 * line)
    assert tree.visualRect(hazard_row).height() < 2 * line


def test_a_huge_hazard_tree_measures_only_the_rows_in_sight(
    qtbot, make_window, monkeypatch
) -> None:
    from stipa.ui.workbench.wrapping import WrappingDelegate

    measured: set[str] = set()
    size_hint = WrappingDelegate.sizeHint

    def counting(self, option, index):
        measured.add(str(index.data(ID_ROLE)))
        return size_hint(self, option, index)

    monkeypatch.setattr(WrappingDelegate, "sizeHint", counting)
    doc = stipa.Document()
    loss = doc.add(Loss(text="Loss"))
    doc.add_all(Hazard(text=f"{number} {LONG}", losses=(loss.id,)) for number in range(2000))
    _, dock = _window(make_window, doc)
    dock.show_tab("hazards")
    view = dock.pages["hazards"].view
    line = view.fontMetrics().lineSpacing()
    first = view.model().index(0, 0)
    qtbot.waitUntil(lambda: view.visualRect(first).height() >= 2 * line)  # wrapped, in sight
    QCoreApplication.processEvents()
    assert 0 < len(measured) < 100  # of 2,000
    # highlighting every row (a canvas selection tracing to them) measures none again
    measured.clear()
    dock.pages["hazards"].model.set_highlighted(set(doc.hazards))
    QCoreApplication.processEvents()
    assert len(measured) < 100
    view.scrollToBottom()
    QCoreApplication.processEvents()
    assert len(measured) < 200
