"""Autosave of recovery copies, and offering them again after a crash."""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QLocale,
    QLockFile,
    QObject,
    QStandardPaths,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QMessageBox, QWidget

from stipa import io
from stipa.model import Document, HistoryChanged
from stipa.ui.following import DocumentFollower
from stipa.ui.panel_context import PanelContext

#: Environment variable naming the recovery folder (tests and CI point it at a temporary one).
RECOVERY_DIR_ENV = "STIPA_RECOVERY_DIR"
#: Environment variable giving the autosave delay in milliseconds.
AUTOSAVE_MS_ENV = "STIPA_AUTOSAVE_MS"
#: Default autosave delay after the last change, in milliseconds.
DEFAULT_AUTOSAVE_MS = 3000

_session_numbers = itertools.count(1)
#: Windows opened to show restored documents, kept alive until they close.
_extra_windows: list[QWidget] = []


def _tr(text: str) -> str:
    return QCoreApplication.translate("Recovery", text)


def recovery_folder() -> Path:
    """The folder holding recovery copies (``$STIPA_RECOVERY_DIR`` or the app data folder)."""
    override = os.environ.get(RECOVERY_DIR_ENV)
    if override:
        return Path(override)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


def autosave_interval() -> int:
    """The autosave delay in milliseconds (``$STIPA_AUTOSAVE_MS`` or 3 s)."""
    try:
        return max(0, int(os.environ.get(AUTOSAVE_MS_ENV, "")))
    except ValueError:
        return DEFAULT_AUTOSAVE_MS


#: Process ids above this exist on no system (Linux's ceiling is 2**22, Windows' 2**32).
_MAX_PID = 2**32
#: Timestamps a sidecar may hold: from 1970 to the year 9999.
_MAX_TIMESTAMP = 253402300799


def pid_alive(pid: int) -> bool:
    """Whether a process with id ``pid`` is running (any int, however odd, is answered)."""
    if pid <= 0 or pid >= _MAX_PID:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except (OSError, OverflowError, ValueError):
        return False
    return True


def _lock_of(copy: Path) -> QLockFile:
    return QLockFile(str(copy.with_suffix(".lock")))


def owner_running(copy: Path) -> bool:
    """Whether a running Stipa owns the recovery copy ``copy``.

    The owner holds a lock file beside the copy (``QLockFile``: an operating-system lock
    that ends with its process), so a process id reused after a reboot or by an unrelated
    program never passes for the owner. Copies written before locks existed fall back on
    the process id of their sidecar.
    """
    lock_path = copy.with_suffix(".lock")
    if not lock_path.exists():
        pid = _sidecar_pid(_read_sidecar(copy.with_suffix(".json")), copy.stem)
        return pid is not None and pid_alive(pid)
    probe = _lock_of(copy)
    probe.setStaleLockTime(0)  # only a lock its holder still has counts, however old
    if probe.tryLock(0):
        probe.unlock()  # nobody held it: the owner is gone (the lock file goes too)
        return False
    return True


def open_file_lock(path: Path) -> QLockFile | None:
    """The lock a window holds while it shows the file ``path``; None when it is missing.

    It lives in ``open/`` beside the recovery folder, named after the file's identity (device
    and inode), so every name of the file, links included, finds the same lock; another
    window or Stipa process learns from it that the file is open (:func:`open_elsewhere`).
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    folder = recovery_folder().with_name("open")
    return QLockFile(str(folder / f"{info.st_dev:x}-{info.st_ino:x}.lock"))


def claim_open_file(path: Path) -> QLockFile | None:
    """Take the lock of the open file ``path`` (see :func:`open_file_lock`); None on failure."""
    lock = open_file_lock(path)
    if lock is None:
        return None
    with contextlib.suppress(OSError):
        Path(lock.fileName()).parent.mkdir(parents=True, exist_ok=True)
    return lock if lock.tryLock(0) else None


def open_elsewhere(path: Path) -> bool:
    """Whether another window, in this process or another, holds the lock of file ``path``."""
    probe = open_file_lock(path)
    if probe is None or not Path(probe.fileName()).exists():
        return False
    probe.setStaleLockTime(0)  # only a lock its holder still has counts, however old
    if probe.tryLock(0):
        probe.unlock()
        return False
    return True


class RecoveryManager(QObject):
    """Writes a recovery copy of a window's document a moment after each change.

    The copy (``<pid>-<n>.stipa`` plus a ``.json`` sidecar naming the original file, the
    process, the time and the title) lives in :func:`recovery_folder` and is deleted as soon
    as the document has no unsaved changes, or the window closes cleanly. While the copy
    exists this process holds its lock (``<pid>-<n>.lock``), which tells other instances
    that the copy is not left over from a crash.
    """

    def __init__(
        self, window: PanelContext, interval_ms: int | None = None, folder: Path | None = None
    ) -> None:
        super().__init__(window.window())
        self.window = window
        self.folder = folder if folder is not None else recovery_folder()
        stem = f"{os.getpid()}-{next(_session_numbers)}"
        self.path = self.folder / f"{stem}.stipa"
        self.sidecar = self.folder / f"{stem}.json"
        self.lock = _lock_of(self.path)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(autosave_interval() if interval_ms is None else interval_ms)
        self.timer.timeout.connect(self.write)
        self._document: Document | None = None
        self.follower = DocumentFollower(self, window, self._on_event, self._document_replaced)
        self._document_replaced()

    # --- following the document ----------------------------------------------------------
    def _document_replaced(self) -> None:
        self._document = self.window.document
        self._changed()

    def _on_event(self, event: object) -> None:
        if isinstance(event, HistoryChanged):
            self._changed()

    def _changed(self) -> None:
        document = self._document
        if document is not None and document.modified:
            self.timer.start()  # restarting the timer debounces a burst of edits
        else:
            self.discard()

    # --- the recovery copy ---------------------------------------------------------------
    @property
    def pending(self) -> bool:
        """Whether an autosave is scheduled."""
        return self.timer.isActive()

    def write(self) -> bool:
        """Write the recovery copy now; returns whether it was written."""
        self.timer.stop()
        document = self._document
        if document is None or not document.modified:
            return False
        path = self.window.path
        info = {
            "original": str(path.resolve()) if path is not None else None,
            "pid": os.getpid(),
            "timestamp": time.time(),
            "title": document.info.title,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self.lock.isLocked():
                self.lock.tryLock(0)  # held until the copy is discarded or the process ends
            io.save(document, self.path, mark_saved=False, max_bytes=sys.maxsize)
            temporary = self.sidecar.with_suffix(".json.tmp")
            temporary.write_text(json.dumps(info, indent=2), encoding="utf-8")
            temporary.replace(self.sidecar)
        except (io.FileFormatError, OSError) as error:
            self.window.statusBar().showMessage(
                _tr("Could not write the recovery copy: {0}").format(error), 8000
            )
            return False
        return True

    def discard(self) -> None:
        """Stop any pending autosave and delete the recovery copy."""
        self.timer.stop()
        for file in (self.path, self.sidecar):
            with contextlib.suppress(OSError):
                file.unlink()
        if self.lock.isLocked():
            self.lock.unlock()

    def detach(self) -> None:
        """Stop following the window (it is closing); the recovery copy is deleted."""
        self.follower.stop()
        self._document = None
        self.discard()


# --- offering recovery copies on start ---------------------------------------------------------


@dataclass(frozen=True)
class RecoveryEntry:
    """A recovery copy left behind by a process that is no longer running."""

    path: Path
    sidecar: Path
    original: Path | None
    pid: int | None
    timestamp: float
    title: str

    @property
    def display_name(self) -> str:
        """What the document is called: its file name, its title, or "Untitled"."""
        if self.original is not None:
            return self.original.name
        return self.title or _tr("Untitled")

    @property
    def display_time(self) -> str:
        """When the copy was written, in the user's locale."""
        moment = QDateTime.fromSecsSinceEpoch(int(self.timestamp))
        return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def _read_sidecar(sidecar: Path) -> dict[str, Any]:
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pid_from_stem(stem: str) -> int | None:
    head = stem.split("-", 1)[0]
    return int(head) if head.isascii() and head.isdigit() and len(head) < 11 else None


def _sidecar_pid(data: dict[str, Any], stem: str) -> int | None:
    pid = data.get("pid")
    if isinstance(pid, int) and not isinstance(pid, bool) and 0 < pid < _MAX_PID:
        return pid
    return _pid_from_stem(stem)


def _entry(path: Path) -> RecoveryEntry | None:
    """The recovery copy ``path`` as an entry, or None when its owner still runs.

    Whatever its sidecar holds (it may be damaged, or written by anything), only plain
    values in range are believed; the rest falls back on the copy's own name and time.
    """
    if owner_running(path):
        return None
    sidecar = path.with_suffix(".json")
    data = _read_sidecar(sidecar)
    timestamp = data.get("timestamp")
    if (
        not isinstance(timestamp, int | float)
        or isinstance(timestamp, bool)
        or not math.isfinite(timestamp)
        or not 0 <= timestamp <= _MAX_TIMESTAMP
    ):
        timestamp = path.stat().st_mtime
    original = data.get("original")
    usable = isinstance(original, str) and original and "\x00" not in original
    title = data.get("title")
    return RecoveryEntry(
        path=path,
        sidecar=sidecar,
        original=Path(original) if usable else None,  # type: ignore[arg-type]
        pid=_sidecar_pid(data, path.stem),
        timestamp=float(timestamp),
        title=title if isinstance(title, str) else "",
    )


def orphaned_recoveries(folder: Path | None = None) -> list[RecoveryEntry]:
    """Recovery copies whose process has ended, oldest first.

    Never raises: a copy that cannot even be looked at is left out.
    """
    folder = folder if folder is not None else recovery_folder()
    try:
        paths = sorted(folder.glob("*.stipa")) if folder.is_dir() else []
    except OSError:
        return []
    entries = []
    for path in paths:
        try:
            entry = _entry(path)
        except Exception:  # a start-up never fails over a recovery copy
            continue
        if entry is not None:
            entries.append(entry)
    return sorted(entries, key=lambda entry: (entry.timestamp, entry.path.name))


def ask_restore(parent: QWidget | None, entry: RecoveryEntry) -> bool | None:
    """Ask whether to restore ``entry``: True restores, False discards, None decides later.

    Tests replace this module-level function.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_tr("Restore unsaved changes"))
    box.setText(
        _tr("Stipa closed unexpectedly. Restore unsaved changes to {0} from {1}?").format(
            entry.display_name, entry.display_time
        )
    )
    box.setInformativeText(
        _tr("Discard deletes the recovery copy; Cancel keeps it for the next start.")
    )
    restore = box.addButton(_tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(QMessageBox.StandardButton.Discard)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    if clicked is restore:
        return True
    if clicked is discard:
        return False
    return None


def delete_entry(entry: RecoveryEntry) -> None:
    """Delete a recovery copy and its sidecar."""
    for file in (entry.path, entry.sidecar):
        with contextlib.suppress(OSError):
            file.unlink()


def _set_aside(entry: RecoveryEntry) -> None:
    """Rename an unreadable recovery copy to ``*.broken`` so it is not offered again."""
    for file in (entry.path, entry.sidecar):
        with contextlib.suppress(OSError):
            file.replace(file.with_name(file.name + ".broken"))


class RestoringWindow(PanelContext, Protocol):
    """A window a recovery copy can be restored into: it shows another document on request."""

    def set_document(self, document: Document, path: Path | None) -> None:
        """Show ``document`` (from ``path``, or unsaved when None)."""
        ...

    def show(self) -> None:
        """Show the window."""
        ...


def _is_pristine(window: RestoringWindow) -> bool:
    document = window.document
    return window.path is None and not document.modified and not document.can_undo


def restore(window: RestoringWindow, entry: RecoveryEntry) -> bool:
    """Show the recovery copy ``entry`` in ``window``, as unsaved changes to its original file.

    Returns False (and sets the copy aside as ``*.broken``) when it cannot be read.
    """
    try:
        document = io.load(entry.path, max_bytes=sys.maxsize)  # our own copy, however large
    except (io.FileFormatError, OSError, ValueError) as error:
        _set_aside(entry)
        window.show_error(
            _tr("Cannot restore {0}").format(entry.display_name),
            _tr("The recovery copy cannot be read and was set aside as {0}.broken:\n{1}").format(
                entry.path.name, error
            ),
        )
        return False
    document.mark_unsaved()  # no file holds this state: the user must save it
    window.set_document(document, entry.original)
    window.view.zoom_readable()
    delete_entry(entry)
    window.statusBar().showMessage(
        _tr("Restored unsaved changes to {0}").format(entry.display_name), 8000
    )
    return True


def offer_recovery(window: RestoringWindow, folder: Path | None = None) -> list[RestoringWindow]:
    """Offer each recovery copy left by a crashed Stipa; returns the windows showing restores.

    The first restored document goes into ``window`` when it shows an untouched, untitled
    document; others open in new windows of the same kind. Never raises: a copy that cannot
    be read is reported and set aside.
    """
    restored: list[RestoringWindow] = []
    for entry in orphaned_recoveries(folder):
        try:
            answer = ask_restore(window.window(), entry)
        except Exception as error:  # a start-up must never fail over a recovery copy
            window.show_error(_tr("Cannot restore {0}").format(entry.display_name), str(error))
            continue
        if answer is None:
            continue
        if not answer:
            delete_entry(entry)
            continue
        target = window
        if not _is_pristine(window):
            target = type(window)()
            extra = target.window()
            extra.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            _extra_windows.append(extra)
            extra.destroyed.connect(lambda _=None, w=extra: _forget(w))
            target.show()
        if restore(target, entry):
            restored.append(target)
        elif target is not window:
            _extra_windows.remove(target.window())
            target.window().close()
            target.window().deleteLater()
    return restored


def _forget(window: QWidget) -> None:
    with contextlib.suppress(ValueError):
        _extra_windows.remove(window)
