"""Issue 15 item 8: no recovery sidecar stops a start-up; the owner of a copy is known by lock."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QMessageBox
from test_recovery import kill, run_child, wait_ready

from stipa import io
from stipa.model import Component, Document
from stipa.ui import MainWindow, recovery
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui

Button = QMessageBox.StandardButton
#: A pid no system hands out, and one bigger than any C integer.
DEAD_PID, HUGE_PID = 2**31 - 2, 99999999999999999999


@pytest.fixture
def folder(recovery_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STIPA_AUTOSAVE_MS", "30")
    return recovery_dir


@pytest.fixture
def window(make_window: WindowFactory, folder: Path) -> MainWindow:
    return make_window(show=False)


def _copy(folder: Path, stem: str, sidecar: bytes, document: bytes | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.stipa"
    if document is None:
        doc = Document()
        doc.add(Component(name="Unsaved work"))
        document = io.dumps(doc)
    path.write_bytes(document)
    path.with_suffix(".json").write_bytes(sidecar)
    return path


def test_the_sidecar_of_the_issue_does_not_stop_the_start(
    window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sidecar = json.dumps({"pid": HUGE_PID, "timestamp": 1e300, "title": 7}).encode()
    _copy(folder, "123-1", sidecar)
    asked: list[str] = []

    def ask(parent: object, entry: recovery.RecoveryEntry) -> bool:
        asked.append(f"{entry.display_name} {entry.display_time}")
        return True

    monkeypatch.setattr(recovery, "ask_restore", ask)
    restored = recovery.offer_recovery(window)
    assert len(asked) == 1 and asked[0].startswith("Untitled ")
    assert restored == [window] and [c.name for c in window.document.components.values()] == [
        "Unsaved work"
    ]


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # inf and nan too: json.dumps writes them, json.loads reads them back
    | st.text(max_size=8)
    | st.sampled_from(["\x00", "/", "", "..", "~", "a\x00b", "\\\\?\\C:"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
_SIDECARS = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "pid": _JSON | st.integers(min_value=2**31) | st.integers(max_value=0),
            "timestamp": _JSON | st.floats(min_value=1e12),
            "original": _JSON,
            "title": _JSON,
        },
    ).map(lambda data: json.dumps(data).encode()),
    _JSON.map(lambda data: json.dumps(data).encode()),
    st.binary(max_size=40),
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sidecar=_SIDECARS,
    stem=st.sampled_from(["1-1", "99999999999999999999-1", "x-1", "-1", "0-0", "٣-1"]),
    document=st.one_of(st.none(), st.binary(max_size=20)),
)
def test_any_sidecar_leaves_start_up_working(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    sidecar: bytes,
    stem: str,
    document: bytes | None,
) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _copy(folder, stem, sidecar, document)
        shown: list[str] = []

        def ask(parent: object, entry: recovery.RecoveryEntry) -> None:
            shown.append(f"{entry.display_name} {entry.display_time}")  # what the dialog shows
            recovery.restore(window, entry)
            return None

        monkeypatch.setattr(recovery, "ask_restore", ask)
        recovery.offer_recovery(window, folder)
        assert len(shown) <= 1


# --- the owner of a copy ------------------------------------------------------------------------


def test_a_crashed_copy_is_offered_though_its_pid_now_belongs_to_a_live_process(
    folder: Path,
) -> None:
    import os

    child = run_child(folder)
    wait_ready(child)
    kill(child)
    [copy] = folder.glob("*.stipa")
    sidecar = copy.with_suffix(".json")
    data = json.loads(sidecar.read_text())
    data["pid"] = os.getpid()  # the dead instance's pid, reused by a running process
    sidecar.write_text(json.dumps(data))
    assert [entry.path for entry in recovery.orphaned_recoveries(folder)] == [copy]


def test_a_running_instance_keeps_its_copy_whatever_its_sidecar_says(folder: Path) -> None:
    child = run_child(folder)
    try:
        wait_ready(child)
        [copy] = folder.glob("*.stipa")
        for pid in (DEAD_PID, HUGE_PID, "not a pid"):
            sidecar = copy.with_suffix(".json")
            data = json.loads(sidecar.read_text())
            data["pid"] = pid
            sidecar.write_text(json.dumps(data))
            assert recovery.orphaned_recoveries(folder) == []
    finally:
        kill(child)
    assert [entry.path for entry in recovery.orphaned_recoveries(folder)] == [copy]


def test_this_process_keeps_its_own_copies(window: MainWindow, folder: Path, qtbot) -> None:
    window.document.add(Component(name="Pending"))
    qtbot.waitUntil(lambda: window.recovery.path.exists(), timeout=5000)
    assert recovery.orphaned_recoveries(folder) == []
    window.document.undo()  # back to unmodified: the copy and its lock are gone
    assert sorted(p.name for p in folder.iterdir()) == []
