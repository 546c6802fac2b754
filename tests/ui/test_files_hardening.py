"""Issue 15 in the window: large files (2), read-only files (5), other writers (7), and errors
of plugin threads (15)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox
from ui_documents import names, saved

import stipa
import stipa.io.vocabulary
from stipa import io
from stipa.analysis import MAX_RESULTS
from stipa.model import Component
from stipa.plugin import Analysis, AnalysisContext, hookimpl
from stipa.ui import MainWindow
from stipa.ui import app as app_module
from stipa.ui.analysis_panel import TIMEOUT_SETTING

pytestmark = pytest.mark.gui

Button = QMessageBox.StandardButton


@pytest.fixture(autouse=True)
def _clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIPA_RECOVERY_DIR", str(tmp_path / "recovery"))
    QSettings().remove("recentFiles")


class Asked:
    """Records the questions a window asked, and answers them as told."""

    def __init__(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        self.questions: list[tuple[str, object]] = []
        self.answers: dict[str, bool] = {}
        self.errors: list[str] = []
        monkeypatch.setattr(window, "show_error", lambda title, text: self.errors.append(text))
        monkeypatch.setattr(window, "ask_save_changes", lambda: Button.Discard)
        for name in (
            "ask_open_large",
            "tell_open_elsewhere",
            "ask_overwrite_changed",
            "ask_save_elsewhere",
            "ask_reload",
        ):
            monkeypatch.setattr(window, name, self._asker(name))

    def _asker(self, name: str) -> Callable[..., bool]:
        def ask(path: Path, *details: object) -> bool:
            self.questions.append((name, details[0] if details else path))
            return self.answers.get(name, False)

        return ask

    def names(self) -> list[str]:
        return [name for name, _detail in self.questions]


@pytest.fixture
def make_window(qtbot, monkeypatch: pytest.MonkeyPatch):
    def make() -> tuple[MainWindow, Asked]:
        window = MainWindow()
        qtbot.addWidget(window)
        return window, Asked(window, monkeypatch)

    return make


# --- item 2: a file over the limit opens only when the user asks -------------------------------


def test_a_large_file_is_opened_only_when_the_user_says_so(
    make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, asked = make_window()
    path = saved(tmp_path / "big.stipa", "Pump", "Valve")
    monkeypatch.setattr(stipa.io.vocabulary, "MAX_FILE_BYTES", path.stat().st_size - 1)
    assert not window.open_path(path)
    assert asked.names() == ["ask_open_large"] and not asked.errors
    assert window.path is None and names(window.document) == []

    asked.answers["ask_open_large"] = True
    assert window.open_path(path)
    assert names(window.document) == ["Pump", "Valve"]
    window.document.add(Component(name="Tank"))  # larger still: saved, as it was opened
    assert window.save() and names(io.load(path, max_bytes=10**9))[-1] == "Tank"


# --- item 5: a read-only file is not replaced; Save As is offered ------------------------------


def test_saving_a_read_only_file_offers_save_as(
    make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, asked = make_window()
    path = saved(tmp_path / "ro.stipa", "Pump")
    path.chmod(0o444)
    before = path.read_bytes()
    assert window.open_path(path)
    window.document.add(Component(name="Valve"))

    assert not window.save()  # declined: nothing written, still unsaved
    [(name, reason)] = asked.questions
    assert name == "ask_save_elsewhere" and "read-only" in str(reason)
    assert path.read_bytes() == before and window.document.modified

    other = tmp_path / "copy.stipa"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(other), ""))
    )
    asked.answers["ask_save_elsewhere"] = True
    window.actions_by_name["save"].trigger()
    assert window.path == other and not window.document.modified
    assert names(io.load(other)) == ["Pump", "Valve"] and path.read_bytes() == before


# --- item 7: another writer's changes are never overwritten without asking --------------------


def _other_program_writes(path: Path, *names: str) -> None:
    saved(path, *names)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))  # coarse clocks


def test_save_asks_before_overwriting_a_file_changed_on_disk(make_window, tmp_path: Path) -> None:
    window, asked = make_window()
    path = saved(tmp_path / "shared.stipa", "Pump")
    assert window.open_path(path)
    window.document.add(Component(name="Mine"))
    window.watcher.blockSignals(True)  # this test is about Save; the watcher has its own
    _other_program_writes(path, "Pump", "Theirs")

    assert not window.save()
    assert asked.names() == ["ask_overwrite_changed"]
    assert names(io.load(path)) == ["Pump", "Theirs"]  # their work is still there
    asked.answers["ask_overwrite_changed"] = True
    assert window.save()
    assert names(io.load(path)) == ["Pump", "Mine"]
    asked.questions.clear()
    window.document.add(Component(name="More"))
    assert window.save() and asked.questions == []  # our own last save is no change


def test_a_touched_file_is_no_change(make_window, tmp_path: Path) -> None:
    window, asked = make_window()
    path = saved(tmp_path / "touched.stipa", "Pump")
    assert window.open_path(path)
    os.utime(path, ns=(1, 1))
    window.document.add(Component(name="Mine"))
    assert window.save() and asked.questions == []


def test_the_open_file_is_watched_and_reloaded_on_request(
    make_window, tmp_path: Path, qtbot
) -> None:
    window, asked = make_window()
    path = saved(tmp_path / "watched.stipa", "Pump")
    assert window.open_path(path)
    window.document.add(Component(name="Mine"))
    assert window.save()
    qtbot.wait(600)  # our own save is not a change on disk
    assert asked.questions == []

    _other_program_writes(path, "Pump", "Theirs")
    qtbot.waitUntil(lambda: asked.names() == ["ask_reload"], timeout=5000)
    assert names(window.document) == ["Pump", "Mine"]  # declined: kept

    asked.answers["ask_reload"] = True
    _other_program_writes(path, "Pump", "Theirs", "Again")
    qtbot.waitUntil(lambda: names(window.document) == ["Pump", "Theirs", "Again"], timeout=5000)
    assert window.path == path and not window.document.modified


def test_a_second_window_is_told_the_file_is_open_already(make_window, tmp_path: Path) -> None:
    first, _ = make_window()
    second, asked = make_window()
    path = saved(tmp_path / "twice.stipa", "Pump")
    link = tmp_path / "alias.stipa"
    link.symlink_to(path)
    assert first.open_path(path)
    assert second.open_path(link)
    assert asked.names() == ["tell_open_elsewhere"] and second.path == link
    first.close()
    second.close()
    third, told = make_window()
    assert third.open_path(path) and told.questions == []  # alone now


# --- item 15: errors of other threads are shown on the GUI thread ------------------------------


def test_an_error_in_a_plugin_thread_is_shown_on_the_gui_thread(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    shown: list[tuple[str, threading.Thread]] = []
    monkeypatch.setattr(
        app_module,
        "show_unexpected",
        lambda message, details: shown.append((message, threading.current_thread())),
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    app_module.install_excepthooks()

    def plugin_work() -> None:
        raise RuntimeError("the plugin's own thread failed")

    worker = threading.Thread(target=plugin_work, name="plugin-thread")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == [("the plugin's own thread failed", threading.main_thread())]


def test_another_stipa_process_showing_the_file_is_noticed(
    make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_recovery import kill, run_child, wait_ready

    folder = tmp_path / "recovery"
    monkeypatch.setenv("STIPA_RECOVERY_DIR", str(folder))
    path = saved(tmp_path / "shared.stipa", "Pump")
    child = run_child(folder, str(path))  # another Stipa with the file open
    try:
        wait_ready(child)
        window, asked = make_window()
        assert window.open_path(path)
        assert asked.names() == ["tell_open_elsewhere"]
    finally:
        kill(child)
    assert window.open_path(path) and asked.names() == ["tell_open_elsewhere"]  # it has gone


# --- items 2 and 9 in the window: what a plugin's analysis overdoes is recorded against it -----


class OverdoingPlugin:
    """One analysis floods results, one leaves a thread running past its time."""

    def __init__(self) -> None:
        self.release = threading.Event()

    @hookimpl
    def stipa_analyses(self) -> list[Analysis]:
        return [
            Analysis(id="test.flood", title="Flood check", run=self.flood),
            Analysis(id="test.linger", title="Linger check", run=self.linger),
        ]

    def flood(self, context: AnalysisContext) -> list[stipa.Finding]:
        return [context.finding("flood", "Again.")] * (MAX_RESULTS + 1)

    def linger(self, context: AnalysisContext) -> list[stipa.Finding]:
        threading.Thread(target=self.release.wait, name="left-running", daemon=False).start()
        return [context.finding("linger", "Found, then left a thread behind.")]


def test_overdoing_analyses_are_recorded_against_their_plugin(qtbot, monkeypatch) -> None:
    from test_analysis_ui import host_with, run_all
    from test_analysis_ui import make_window as analysis_window

    QSettings().setValue(TIMEOUT_SETTING, 1.0)
    plugin = OverdoingPlugin()
    host = host_with((plugin, "overdoing-plugin"))
    try:
        window = analysis_window(qtbot, monkeypatch, host)
        summary = run_all(qtbot, window)
    finally:
        plugin.release.set()
        QSettings().remove(TIMEOUT_SETTING)
    messages = [f.message for f in host.failures() if f.plugin == "overdoing-plugin"]
    assert any(f"more than {MAX_RESULTS:,} findings" in m for m in messages), messages
    assert any("Linger check: left threads running" in m and "left-running" in m for m in messages)
    assert "1 analysis failed: Flood check" in summary
    assert [f.rule for f in window.document.findings.values()] == ["linger"]
