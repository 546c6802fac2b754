"""File handling in the main window: new, open, save, save as, drops, recent files, examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from ui_documents import names, saved

from stipa import io
from stipa.cli import main
from stipa.model import Component
from stipa.ui import MainWindow
from stipa.ui import main_window as main_window_module

pytestmark = pytest.mark.gui

Button = QMessageBox.StandardButton


@pytest.fixture(autouse=True)
def _clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIPA_RECOVERY_DIR", str(tmp_path / "recovery"))
    QSettings().remove("recentFiles")


@pytest.fixture
def window(make_window) -> MainWindow:
    """A window (not shown) whose dialogs never open: errors are collected, closing discards."""
    return make_window(show=False)


def test_edit_save_and_undo_show_in_the_title(window: MainWindow, tmp_path: Path) -> None:
    path = saved(tmp_path / "plant.stipa", "Pump")
    assert window.open_path(path)
    assert window.windowTitle().startswith("plant.stipa")
    assert not window.isWindowModified()

    window.document.add(Component(name="Operator", nature="human"))
    assert window.isWindowModified()
    window.actions_by_name["save"].trigger()
    assert not window.isWindowModified()
    assert names(io.load(path)) == ["Pump", "Operator"]

    window.actions_by_name["undo"].trigger()
    assert names(window.document) == ["Pump"]
    assert window.isWindowModified()
    window.actions_by_name["redo"].trigger()
    assert not window.isWindowModified()  # back at the saved state


def test_save_as_asks_for_a_name_and_adds_the_extension(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.document.add(Component(name="Controller"))
    assert window.windowTitle().startswith("Untitled")
    target = tmp_path / "new-analysis"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kw: (str(target), "Stipa analyses")
    )
    window.actions_by_name["save_as"].trigger()
    written = target.with_suffix(".stipa")
    assert window.path == written
    assert window.windowTitle().startswith("new-analysis.stipa")
    assert not window.document.modified
    assert names(io.load(written)) == ["Controller"]
    assert window.recent_files()[0] == written.resolve()

    # Cancelling the dialog saves nothing and keeps the edit unsaved.
    window.document.add(Component(name="Sensor"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: ("", ""))
    assert not window.save_as()
    assert window.document.modified
    assert names(io.load(written)) == ["Controller"]


def test_save_without_a_path_asks_for_one(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.document.add(Component(name="A"))
    asked: list[bool] = []

    def dialog(*args, **kw):
        asked.append(True)
        return str(tmp_path / "a.stipa"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert window.save()
    assert asked and (tmp_path / "a.stipa").exists()


def test_open_dialog(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = saved(tmp_path / "x.stipa", "Brake")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(path), ""))
    window.actions_by_name["open"].trigger()
    assert window.path == path
    assert names(window.document) == ["Brake"]


def test_a_malformed_file_opens_nothing_and_says_why_with_the_line(
    window: MainWindow, errors: list[tuple[str, str]], tmp_path: Path
) -> None:
    window.document.add(Component(name="Keep me"))
    before = window.document
    bad = tmp_path / "broken.stipa"
    bad.write_text('<?xml version="1.0"?>\n<stipa>\n  <unclosed>\n</stipa>\n', encoding="utf-8")

    assert not window.open_path(bad)

    assert len(errors) == 1
    title, text = errors[0]
    assert "broken.stipa" in title
    assert "broken.stipa:" in text  # "file:line: what"
    assert any(f"broken.stipa:{line}" in text for line in (3, 4, 5))
    assert window.document is before
    assert names(window.document) == ["Keep me"]
    assert window.path is None


def test_a_missing_file_says_so(
    window: MainWindow, errors: list[tuple[str, str]], tmp_path: Path
) -> None:
    assert not window.open_path(tmp_path / "nowhere.stipa")
    assert "nowhere.stipa" in errors[0][1]


def test_an_unwritable_target_reports_and_keeps_the_edit(
    window: MainWindow, errors: list[tuple[str, str]], tmp_path: Path
) -> None:
    window.document.add(Component(name="A"))
    assert not window._write(tmp_path / "no-such-folder" / "a.stipa")
    assert errors and "a.stipa" in errors[0][0]
    assert window.document.modified and window.path is None


def test_dropping_a_file_on_the_window_or_the_canvas_opens_it(
    window: MainWindow, tmp_path: Path
) -> None:
    first = saved(tmp_path / "first.stipa", "One")
    second = saved(tmp_path / "second.stipa", "Two")

    def drop(target, path: Path, pos: QPointF) -> None:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        copy, no_button, no_keys = (
            Qt.DropAction.CopyAction,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier(0),
        )
        # Qt delivers a drop only to the widget that accepted the drag entering it.
        enter = QDragEnterEvent(pos.toPoint(), copy, mime, no_button, no_keys)
        QApplication.sendEvent(target, enter)
        assert enter.isAccepted()
        event = QDropEvent(pos, copy, mime, no_button, no_keys)
        QApplication.sendEvent(target, event)
        assert event.isAccepted()

    drop(window, first, QPointF(5, 5))
    assert window.path == first and names(window.document) == ["One"]

    viewport = window.view.viewport()
    drop(viewport, second, QPointF(QPoint(20, 20)))
    assert window.path == second and names(window.document) == ["Two"]


def test_dropping_asks_before_dropping_unsaved_edits(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved(tmp_path / "other.stipa", "Other")
    window.document.add(Component(name="Mine"))
    monkeypatch.setattr(window, "ask_save_changes", lambda: Button.Cancel)
    window._open_dropped([str(path)])
    assert names(window.document) == ["Mine"]


def test_recent_files_list_and_menu(window: MainWindow, tmp_path: Path) -> None:
    a = saved(tmp_path / "a.stipa", "A")
    b = saved(tmp_path / "b.stipa", "B")
    window.open_path(a)
    window.open_path(b)
    window.open_path(a)
    assert window.recent_files() == [a.resolve(), b.resolve()]

    window.recent_menu.aboutToShow.emit()
    actions = window.recent_menu.actions()
    assert [action.text() for action in actions] == ["a.stipa", "b.stipa"]
    assert all(action.toolTip() for action in actions)

    actions[1].trigger()
    assert window.path == b.resolve() and names(window.document) == ["B"]

    b.unlink()  # files that vanished drop out of the list
    assert window.recent_files() == [a.resolve()]


def test_recent_menu_when_empty(window: MainWindow) -> None:
    window.recent_menu.aboutToShow.emit()
    (only,) = window.recent_menu.actions()
    assert not only.isEnabled()


def test_examples_menu_lists_the_bundled_examples_and_opens_one_untitled(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = main_window_module.examples()
    if not bundled:  # the bundled examples may not exist yet: use a stand-in
        bundled = [saved(tmp_path / "wheel-brakes.stipa", "Brake controller")]
        monkeypatch.setattr(main_window_module, "examples", lambda: bundled)
    win = MainWindow()
    qtbot.addWidget(win)
    monkeypatch.setattr(win, "ask_save_changes", lambda: Button.Discard)
    actions = win.examples_menu.actions()
    assert len(actions) == len(bundled)
    assert all(action.toolTip() for action in actions)
    assert any("brakes" in action.text().lower() for action in actions) or bundled

    actions[0].trigger()
    expected = io.load(bundled[0])
    assert names(win.document) == names(expected)
    assert win.path is None
    assert expected.info.title  # an unsaved copy is called by its title, not "Untitled"
    assert win.windowTitle().startswith(expected.info.title)
    assert not win.document.modified


@pytest.mark.parametrize(
    ("answer", "stays_open", "written"),
    [(Button.Cancel, True, False), (Button.Discard, False, False), (Button.Save, False, True)],
)
def test_closing_with_unsaved_changes_asks(
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: QMessageBox.StandardButton,
    stays_open: bool,
    written: bool,
) -> None:
    path = saved(tmp_path / "c.stipa", "Old")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_path(path)
    asked: list[bool] = []

    def ask() -> QMessageBox.StandardButton:
        asked.append(True)
        return answer

    monkeypatch.setattr(win, "ask_save_changes", ask)
    win.document.add(Component(name="New"))

    assert win.close() is not stays_open
    assert asked == [True]
    assert win.isVisible() is stays_open
    assert ("New" in names(io.load(path))) is written
    if stays_open:
        assert win.document.modified
        monkeypatch.setattr(win, "ask_save_changes", lambda: Button.Discard)


def test_closing_without_changes_does_not_ask(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    win = MainWindow()
    qtbot.addWidget(win)
    monkeypatch.setattr(win, "ask_save_changes", lambda: pytest.fail("asked"))
    assert win.close()


def test_new_asks_then_replaces(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.document.add(Component(name="A"))
    monkeypatch.setattr(window, "ask_save_changes", lambda: Button.Cancel)
    window.actions_by_name["new"].trigger()
    assert names(window.document) == ["A"]
    monkeypatch.setattr(window, "ask_save_changes", lambda: Button.Discard)
    window.actions_by_name["new"].trigger()
    assert names(window.document) == [] and not window.document.modified


def test_gui_command_refuses_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.stipa"
    assert main(["gui", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "missing.stipa" in err and "no such file" in err
    assert "Traceback" not in err
    assert main([str(missing)]) == 2  # `stipa FILE` means `stipa gui FILE`
