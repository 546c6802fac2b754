"""File > Import…: a PASTA file becomes a new unsaved document, laid out, with its report."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QPlainTextEdit

from stipa import io
from stipa.ui import MainWindow

PASTA = Path(__file__).parents[1] / "importers" / "fixtures" / "small.stpa"


@pytest.fixture(autouse=True)
def _clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIPA_RECOVERY_DIR", str(tmp_path / "recovery"))


@pytest.fixture
def window(qtbot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    win = MainWindow()
    monkeypatch.setattr(win, "show_error", lambda title, text: pytest.fail(f"{title}: {text}"))
    monkeypatch.setattr(win, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
    qtbot.addWidget(win)
    return win


def test_import_menu_shows_report_lays_out_and_saves(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(PASTA), ""))
    window.findChild(type(window.actions_by_name["import"]), "action.import").trigger()

    doc = window.document
    assert len(doc.components) == 3 and len(doc.ucas) == 4
    assert window.path is None and doc.modified  # a new, unsaved document
    dialog = window.findChild(QDialog, "dialog.import_report")
    assert dialog is not None and dialog.isVisible()
    text = dialog.findChild(QPlainTextEdit, "import_report.text").toPlainText()
    assert "losses: 2" in text and "small.stpa:3: G1: Stipa has no goals." in text

    boxes = {cid: window.diagram.components[cid].sceneBoundingRect() for cid in doc.components}
    for a, b in itertools.combinations(doc.components.values(), 2):
        if b.parent == a.id or a.parent == b.id:  # a child is drawn inside its parent
            outer, inner = (a, b) if b.parent == a.id else (b, a)
            assert boxes[outer.id].contains(boxes[inner.id])
        else:
            assert not boxes[a.id].intersects(boxes[b.id])

    assert not doc.can_undo  # undo cannot empty the import: it is a new document
    window.actions_by_name["undo"].trigger()
    assert len(window.document.components) == 3

    target = tmp_path / "tram.stipa"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.save()
    assert io.dumps(io.load(target)) == io.dumps(doc)
    assert not window.document.modified


def test_the_format_chosen_in_the_dialog_reads_any_extension(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "analysis.txt"
    copy.write_text(PASTA.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(copy), "PASTA analysis (*.stpa)")
    )
    window.actions_by_name["import"].trigger()
    assert len(window.document.ucas) == 4


def test_dropping_a_pasta_file_imports_it(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(PASTA))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier(0))
    enter = QDragEnterEvent(QPointF(5, 5).toPoint(), *args)
    QApplication.sendEvent(window, enter)
    QApplication.sendEvent(window, QDropEvent(QPointF(5, 5), *args))
    assert len(window.document.ucas) == 4 and window.path is None


def test_a_malformed_file_keeps_the_current_document(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append((title, text)))
    bad = tmp_path / "bad.stpa"
    bad.write_text('Losses\nL1 "a" [\n', encoding="utf-8")
    before = window.document
    assert not window.open_path(bad)
    assert window.document is before
    assert errors and "bad.stpa:3:1:" in errors[0][1]
