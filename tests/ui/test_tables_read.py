"""STPA tables that read: long texts wrap in the rows in sight, huge tables stay lazy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget

import stipa
from stipa.model import Document, Loss
from stipa.ui import MainWindow
from stipa.ui.workbench.dock import StpaDock

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
        if not hasattr(page, "sizer"):
            continue  # the hazard tree
        header = page.view.horizontalHeader()
        for column in range(header.count() - 1):  # the last one stretches
            title = page.model.headerData(column, Qt.Orientation.Horizontal)
            assert header.sectionSize(column) >= header.sectionSizeHint(column), (table, title)
