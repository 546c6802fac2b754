"""Starting the desktop application."""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

import stipa
from stipa import resources
from stipa.ui.canvas.style import register_fonts
from stipa.ui.theme import apply_appearance, current_appearance

ORGANISATION, APPLICATION = "Stipa", "Stipa"
#: The desktop-entry and AppStream id (packaging/linux/io.github.stipa.Stipa.desktop): on
#: Wayland the window's app id, which desktops match to the .desktop file and its icon.
DESKTOP_ID = "io.github.stipa.Stipa"
#: The application icon (also the one the desktop files install).
ICON_PARTS = ("icons", f"{DESKTOP_ID}.svg")


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Stipa's names (settings and recovery files live under them)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(stipa.__version__)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setDesktopFileName(DESKTOP_ID)
    # Title bars, task bars and window switchers that do not look the desktop file up (X11,
    # Windows, a checkout never installed) show this one.
    app.setWindowIcon(application_icon())
    register_fonts()
    apply_appearance(current_appearance())
    return app


def application_icon() -> QIcon:
    """Stipa's icon, drawn from its SVG at whatever size a title bar or task bar asks for."""
    return QIcon(str(resources.resource_path(*ICON_PARTS)))


def _register_bundled_fonts() -> None:
    """Give Qt the DejaVu Sans Stipa carries (``resources/fonts``).

    ``stipa.diagram`` measures and wraps every text with this font's metrics; where the system
    lacks it (Windows, macOS, some Linux systems) Qt would otherwise substitute a font with
    other metrics, and the text would not fit the boxes made for it.
    """
    register_fonts()


class _ErrorReporter(QObject):
    """Lives in the GUI thread; errors of other threads reach the user through its signal."""

    #: (the error in a sentence, its traceback): delivered to the GUI thread (queued)
    raised = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self.show)

    @Slot(str, str)
    def show(self, message: str, details: str) -> None:
        show_unexpected(message, details)


_reporter: _ErrorReporter | None = None


def show_unexpected(message: str, details: str) -> None:
    """Show an unexpected error in a message box; called on the GUI thread only.

    Tests replace this.
    """
    box = QMessageBox(QMessageBox.Icon.Critical, "Stipa", f"Unexpected error: {message}")
    box.setDetailedText(details)
    box.exec()


def _report_unexpected(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """Show an error raised in a slot or a thread instead of letting it vanish on the console.

    Widgets belong to the GUI thread: an error of any other thread (a plugin's own, say) is
    handed to it and shown there, never from the thread that raised it.
    """
    text = "".join(traceback.format_exception(kind, error, tb))
    sys.stderr.write(text)
    if QApplication.instance() is None or _reporter is None:
        return
    if threading.current_thread() is threading.main_thread():
        show_unexpected(str(error), text)
    else:
        _reporter.raised.emit(str(error), text)  # queued to the reporter's (GUI) thread


def install_excepthooks() -> None:
    """Route uncaught errors (in slots and threads) to the user; call on the GUI thread."""
    global _reporter
    if _reporter is None:
        _reporter = _ErrorReporter()
    sys.excepthook = _report_unexpected
    threading.excepthook = lambda args: _report_unexpected(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
    )


def run(path: Path | None = None) -> int:
    """Open the main window (on ``path`` if given) and run until it closes."""
    from stipa.ui.main_window import MainWindow

    app = create_application()
    install_excepthooks()
    window = MainWindow()
    window.show()
    if path is not None:
        window.open_path(path)
    from stipa.ui.recovery import offer_recovery

    offer_recovery(window)  # after a crash: offer the unsaved changes it left behind
    status = app.exec()
    if QGuiApplication.platformName() == "offscreen":
        # offscreen, a QMimeData left on the clipboard crashes the process at shutdown
        QGuiApplication.clipboard().clear()
    return status
