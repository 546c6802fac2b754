"""Autosaved recovery copies: written after edits, removed when safe, restored after a crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from stipa import io
from stipa.model import Component, Document
from stipa.ui import MainWindow, recovery
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui

CHILD = Path(__file__).with_name("recovery_child.py")
EDIT_NAME = "Added before the crash"
Button = QMessageBox.StandardButton


@pytest.fixture
def folder(recovery_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STIPA_AUTOSAVE_MS", "30")
    return recovery_dir


@pytest.fixture
def make_window(stipa_window: WindowFactory, folder: Path) -> Callable[[], MainWindow]:
    """Windows (not shown) writing their recovery copies to ``folder``, 30 ms after an edit."""
    return lambda: stipa_window(show=False)


def names(doc: Document) -> list[str]:
    return [c.name for c in doc.components.values()]


def recovery_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def answer(monkeypatch: pytest.MonkeyPatch, value: bool | None) -> list[recovery.RecoveryEntry]:
    asked: list[recovery.RecoveryEntry] = []

    def ask(parent, entry):
        asked.append(entry)
        return value

    monkeypatch.setattr(recovery, "ask_restore", ask)
    return asked


def run_child(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.update(
        STIPA_RECOVERY_DIR=str(folder),
        STIPA_AUTOSAVE_MS="50",
        QT_QPA_PLATFORM="offscreen",
        # The same stipa as this test run (desktop/), whether installed or not.
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(Path(io.__file__).parents[2]), os.environ.get("PYTHONPATH")])
        ),
    )
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_ready(process: subprocess.Popen[str], timeout: float = 20.0) -> str:
    """The child's ``ready`` line; kills it and fails when it does not come in time."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not lines or not lines[0].startswith("ready"):
        process.kill()
        _out, err = process.communicate(timeout=10)
        pytest.fail(f"the child never autosaved: {lines!r}\n{err}")
    return lines[0].strip()


def kill(process: subprocess.Popen[str]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)  # reaped: its pid is no longer alive
    process.stdout.close()
    process.stderr.close()


# --- the crash ----------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_session_is_restored_on_the_next_start(
    make_window, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = tmp_path / "plant.stipa"
    doc = Document()
    doc.add(Component(name="Pump"))
    io.save(doc, original)

    child = run_child(folder, str(original))
    try:
        ready = wait_ready(child)
    finally:
        if child.poll() is None:
            kill(child)
    assert ready.endswith(".stipa")
    assert names(io.load(original)) == ["Pump"]  # the kill lost nothing on disk either
    assert len(list(folder.glob("*.stipa"))) == 1

    asked = answer(monkeypatch, True)
    window = make_window()
    restored = recovery.offer_recovery(window)

    assert restored == [window]
    assert [entry.display_name for entry in asked] == ["plant.stipa"]
    assert names(window.document) == ["Pump", EDIT_NAME]
    assert window.document.modified
    assert window.isWindowModified()
    assert window.path == original.resolve()
    assert window.windowTitle().startswith("plant.stipa")
    assert recovery_files(folder) == []

    # Save writes the restored edit to the original file; nothing is left to recover.
    assert window.save()
    assert names(io.load(original)) == ["Pump", EDIT_NAME]
    assert not window.document.modified
    # And undo still works on the restored document.
    window.document.add(Component(name="After"))
    window.document.undo()
    assert names(window.document) == ["Pump", EDIT_NAME]


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_after_a_pause_and_gone_after_save(
    qtbot, make_window, folder: Path, tmp_path: Path
) -> None:
    window = make_window()
    manager = window.recovery
    assert not manager.pending
    window.document.add(Component(name="A"))
    assert manager.pending
    assert not manager.path.exists()  # debounced: nothing written yet
    qtbot.waitUntil(manager.sidecar.exists, timeout=3000)
    assert names(io.load(manager.path)) == ["A"]
    assert window.document.modified  # a recovery copy is not a save
    sidecar = json.loads(manager.sidecar.read_text())
    assert sidecar["pid"] == os.getpid() and sidecar["original"] is None
    assert isinstance(sidecar["timestamp"], float)

    window.document.add(Component(name="B"))
    qtbot.waitUntil(lambda: names(io.load(manager.path)) == ["A", "B"], timeout=3000)

    path = tmp_path / "saved.stipa"
    io.save(window.document, path)  # mark_saved: the document is clean again
    assert recovery_files(folder) == []
    window.document.undo()
    qtbot.waitUntil(manager.path.exists, timeout=3000)
    window.document.redo()  # back at the saved state
    assert recovery_files(folder) == []


def test_a_burst_of_edits_is_written_once(make_window, folder: Path, qtbot) -> None:
    window = make_window()
    manager = window.recovery
    manager.timer.setInterval(200)
    writes: list[bool] = []
    real_write = manager.write
    manager.timer.timeout.disconnect()
    manager.timer.timeout.connect(lambda: writes.append(real_write()))
    for index in range(5):
        window.document.add(Component(name=f"C{index}"))
        qtbot.wait(20)
    qtbot.waitUntil(lambda: writes == [True], timeout=3000)
    qtbot.wait(250)
    assert writes == [True]


def test_closing_or_replacing_removes_the_recovery_copy(
    qtbot, make_window, folder: Path, tmp_path: Path
) -> None:
    window = make_window()
    window.document.add(Component(name="A"))
    assert window.recovery.write()
    assert window.close()  # discard (patched answer)
    assert recovery_files(folder) == []

    other = make_window()
    other.document.add(Component(name="B"))
    assert other.recovery.write()
    path = tmp_path / "x.stipa"
    io.save(Document(), path)
    assert other.open_path(path)  # discarded, replaced by an unmodified document
    assert recovery_files(folder) == []
    assert not other.recovery.pending

    other.document.add(Component(name="C"))  # the new document is followed
    qtbot.waitUntil(other.recovery.path.exists, timeout=3000)
    assert json.loads(other.recovery.sidecar.read_text())["original"] == str(path.resolve())


def test_each_window_has_its_own_copy(make_window, folder: Path) -> None:
    first, second = make_window(), make_window()
    first.document.add(Component(name="A"))
    second.document.add(Component(name="B"))
    assert first.recovery.write() and second.recovery.write()
    assert first.recovery.path != second.recovery.path
    assert len(list(folder.glob("*.stipa"))) == 2
    # Copies of a running process are never offered.
    assert recovery.orphaned_recoveries() == []


def test_an_unwritable_folder_does_not_break_editing(
    make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("STIPA_RECOVERY_DIR", str(blocker / "recovery"))
    window = make_window()
    window.document.add(Component(name="A"))
    assert not window.recovery.write()
    assert "recovery" in window.statusBar().currentMessage()
    assert names(window.document) == ["A"]


# --- offering on start --------------------------------------------------------------------------


def orphan(folder: Path, doc: Document, original: Path | None = None, pid: int = 999_999) -> Path:
    """A recovery copy as a process that has died would leave it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{pid}-1.stipa"
    io.save(doc, path, mark_saved=False)
    info = {"original": str(original) if original else None, "pid": pid, "timestamp": 1.7e9}
    path.with_suffix(".json").write_text(json.dumps({**info, "title": ""}))
    return path


def test_discard_deletes_and_cancel_keeps(
    make_window, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = Document()
    doc.add(Component(name="Lost"))
    orphan(folder, doc)
    window = make_window()

    asked = answer(monkeypatch, None)
    assert recovery.offer_recovery(window) == []
    assert len(asked) == 1 and asked[0].display_name == "Untitled"
    assert recovery_files(folder) == ["999999-1.json", "999999-1.stipa"]

    answer(monkeypatch, False)
    assert recovery.offer_recovery(window) == []
    assert recovery_files(folder) == []
    assert names(window.document) == []


def test_a_second_restore_opens_its_own_window(
    make_window, folder: Path, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    first, second = Document(), Document()
    first.add(Component(name="First"))
    second.add(Component(name="Second"))
    orphan(folder, first, pid=999_998)
    orphan(folder, second, pid=999_999)
    answer(monkeypatch, True)
    window = make_window()

    restored = recovery.offer_recovery(window)

    assert len(restored) == 2 and restored[0] is window
    extra = restored[1]
    monkeypatch.setattr(extra, "ask_save_changes", lambda: Button.Discard)
    assert names(window.document) == ["First"] and names(extra.document) == ["Second"]
    assert extra.document.modified and extra.path is None
    extra.close()


def test_a_broken_recovery_copy_is_reported_and_set_aside(
    make_window, folder: Path, errors, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.mkdir(parents=True)
    (folder / "999999-1.stipa").write_text("<stipa><half")
    (folder / "999999-1.json").write_text("{not json")
    answer(monkeypatch, True)
    window = make_window()

    assert recovery.offer_recovery(window) == []

    assert len(errors) == 1 and "999999-1.stipa" in errors[0][1]
    assert recovery_files(folder) == ["999999-1.json.broken", "999999-1.stipa.broken"]
    assert names(window.document) == [] and not window.document.modified
    assert recovery.offer_recovery(window) == []  # not offered again
    assert len(errors) == 1


def test_the_question_names_the_file_and_time(folder: Path, tmp_path: Path) -> None:
    orphan(folder, Document(), original=tmp_path / "brakes.stipa")
    (entry,) = recovery.orphaned_recoveries()
    assert entry.display_name == "brakes.stipa"
    assert entry.display_time  # localised, non-empty


@pytest.mark.parametrize(("button", "expected"), [("Restore", True), ("Discard", False)])
def test_the_real_question(
    qtbot, folder: Path, tmp_path: Path, button: str, expected: bool
) -> None:
    orphan(folder, Document(), original=tmp_path / "brakes.stipa")
    (entry,) = recovery.orphaned_recoveries()
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        (target,) = [b for b in box.buttons() if b.text().replace("&", "") == button]
        target.click()

    QTimer.singleShot(0, click)
    assert recovery.ask_restore(None, entry) is expected
    assert "closed unexpectedly" in seen[0] and "brakes.stipa" in seen[0]
