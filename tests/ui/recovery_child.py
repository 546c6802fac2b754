"""Run by tests/ui/test_recovery.py: a Stipa window that edits, autosaves, and waits to be killed.

Usage: ``python recovery_child.py [FILE]``. With ``STIPA_RECOVERY_DIR`` and a short
``STIPA_AUTOSAVE_MS`` set, it opens FILE (or an empty document), adds a component named
"Added before the crash" through the model API, prints ``ready <recovery file>`` once the
recovery copy exists, and then runs until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QStandardPaths, QTimer

from stipa.model import Component
from stipa.ui.app import create_application
from stipa.ui.main_window import MainWindow

EDIT_NAME = "Added before the crash"


def main() -> int:
    QStandardPaths.setTestModeEnabled(True)  # never touch the user's real settings
    app = create_application([sys.argv[0]])
    window = MainWindow()
    window.show()
    if len(sys.argv) > 1 and not window.open_path(Path(sys.argv[1])):
        return 3
    window.document.add(Component(name=EDIT_NAME, nature="human"))

    def poll() -> None:
        if window.recovery.sidecar.exists() and window.recovery.path.exists():
            print(f"ready {window.recovery.path}", flush=True)
            timer.stop()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(20)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
