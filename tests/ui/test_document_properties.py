"""File > Document Properties…: the title block edited in one dialog, one undoable edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
)

from stipa import io
from stipa.model import Document, Loss
from stipa.operations.drawing import place_component
from stipa.ui import MainWindow
from stipa.ui.document_info import DocumentPropertiesDialog

pytestmark = pytest.mark.gui


def _open_from_the_file_menu(qtbot, window: MainWindow) -> DocumentPropertiesDialog:
    menu = window.menuBar().findChild(QMenu, "menu.file")
    action = window.actions_by_name["document_properties"]
    assert action in menu.actions()
    assert menu.actions().index(action) == menu.actions().index(window.export_action) + 1
    action.trigger()
    (dialog,) = [
        d
        for d in window.findChildren(DocumentPropertiesDialog, "dialog.document_properties")
        if d.isVisible()
    ]
    return dialog


def _type(qtbot, widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def _click(qtbot, dialog: DocumentPropertiesDialog, which: QDialogButtonBox.StandardButton) -> None:
    button = dialog.findChild(QDialogButtonBox).button(which)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def _document() -> Document:
    doc = Document()
    place_component(doc, "Assistant", "controller", "ai_model", 0, 0)
    doc.add(Loss(text="Citizen loses benefits"))
    doc.set_info(title="Draft")
    return io.loads(io.dumps(doc))


def test_document_properties_edits_the_title_block_as_one_undoable_edit(
    qtbot, make_window, monkeypatch
) -> None:
    window = make_window(_document())
    doc = window.document
    before = io.dumps(doc)
    dialog = _open_from_the_file_menu(qtbot, window)
    fields = {
        name: dialog.findChild(QLineEdit, f"properties.{name}")
        for name in ("title", "author", "organisation", "version")
    }
    assert fields["title"].text() == "Draft"  # filled from the document
    assert window.windowTitle().startswith("Draft")  # unsaved: called by its title
    contents = dialog.findChild(QLabel, "properties.contents").text()
    assert "1 components" in contents and "1 STPA records" in contents
    typed = {
        "title": "Citizen assistant STPA",
        "author": "A. Analyst",
        "organisation": "Municipality of Delft",
        "version": "0.3",
    }
    for name, text in typed.items():
        _type(qtbot, fields[name], text)
    description = dialog.findChild(QPlainTextEdit, "properties.description")
    _type(qtbot, description, "Chat assistant for municipal services.")
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible()
    info = doc.info
    assert {name: getattr(info, name) for name in typed} == typed
    assert info.description == "Chat assistant for municipal services."
    assert window.inspector.findChild(QLineEdit, "inspector.info.title").text() == typed["title"]
    assert window.windowTitle().startswith("Citizen assistant STPA")
    proposed: list[str] = []

    def ask_name(parent, caption, start, filters):
        proposed.append(start)
        return "", ""  # cancelled

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask_name)
    assert not window.save_as()
    assert proposed == ["Citizen assistant STPA.stipa"]  # a file named after the title
    doc.undo()  # everything typed was one edit
    assert io.dumps(doc) == before
    assert not doc.can_undo
    doc.redo()
    assert doc.info.author == "A. Analyst"


def test_cancel_changes_nothing_and_a_refused_value_keeps_the_dialog_open(
    qtbot, make_window
) -> None:
    window = make_window(_document())
    doc = window.document
    before = io.dumps(doc)
    dialog = _open_from_the_file_menu(qtbot, window)
    _type(qtbot, dialog.findChild(QLineEdit, "properties.author"), "Someone")
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert not dialog.isVisible() and io.dumps(doc) == before
    dialog = _open_from_the_file_menu(qtbot, window)
    assert dialog.findChild(QLineEdit, "properties.author").text() == ""  # not kept
    dialog.findChild(QLineEdit, "properties.title").setText("Bad \x01 title")
    _type(qtbot, dialog.findChild(QLineEdit, "properties.author"), "Someone")
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    error = dialog.findChild(QLabel, "properties.error")
    assert dialog.isVisible() and error.isVisible() and "title" in error.text()
    assert io.dumps(doc) == before  # nothing half-stored: the author waits with the title
    dialog.findChild(QLineEdit, "properties.title").setText("Good title")
    _click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible()
    assert (doc.info.title, doc.info.author) == ("Good title", "Someone")
