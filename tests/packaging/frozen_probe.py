"""A probe the frozen Stipa loads as an in-house plugin, for tests/packaging/test_frozen.py.

The test installs this module (as ``stipa_smoke_probe``, with a ``*.dist-info`` naming it in
the ``stipa.plugins`` group) into a plugin folder beside the frozen application and starts
``stipa gui EXAMPLE`` offscreen with ``STIPA_SMOKE_OUT`` set. Being discovered at all proves
that plugins installed beside the application are found. When the event loop starts, the probe
looks at the main window (the document given on the command line must be open), runs the
analyses through the window's own action, grabs the canvas as a PNG, exports the analysed
document as PDF, SVG and HTML through the exporters of the window's plugin host, reads the
exported STPA tables back in a child process (as a big workbook's import does), writes what it
saw as JSON to ``STIPA_SMOKE_OUT`` and quits the application.

Without ``STIPA_SMOKE_OUT`` (or without a GUI) the module does nothing.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

_OUT = os.environ.get("STIPA_SMOKE_OUT", "")
_T0 = float(os.environ.get("STIPA_SMOKE_T0") or time.time())
_DEADLINE_SECONDS = 60.0


def _finish(result: dict[str, Any]) -> None:
    from PySide6.QtWidgets import QApplication

    result["total_seconds"] = round(time.time() - _T0, 3)
    Path(_OUT).write_text(json.dumps(result, indent=2), encoding="utf-8")
    QApplication.exit(0)


def _main_window() -> Any:
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "MainWindow":
            return widget
    raise RuntimeError("no MainWindow among the top-level widgets")


def _start() -> None:
    from PySide6.QtGui import QAction, QFontDatabase

    result: dict[str, Any] = {"ready_seconds": round(time.time() - _T0, 3)}
    try:
        window = _main_window()
        document = window.document
        result["frozen"] = bool(getattr(sys, "frozen", False))
        result["path"] = str(window.path)
        result["components"] = len(document.components)
        result["plugins"] = {name: info.status for name, info in window.host.plugins.items()}
        result["dejavu"] = "DejaVu Sans" in QFontDatabase.families()
        action = window.findChild(QAction, "action.run_analyses")
        if action is None:
            raise RuntimeError("no action.run_analyses")
        started = time.time()
        action.trigger()
        _wait_for_analyses(window, result, started)
    except Exception:
        result["error"] = traceback.format_exc()
        _finish(result)


def _wait_for_analyses(window: Any, result: dict[str, Any], started: float) -> None:
    from PySide6.QtCore import QTimer

    try:
        controller = window.analysis.controller
        if controller.running:
            if time.time() - started > _DEADLINE_SECONDS:
                raise TimeoutError("the analyses did not finish within a minute")
            QTimer.singleShot(50, lambda: _wait_for_analyses(window, result, started))
            return
        result["analysis_seconds"] = round(time.time() - started, 3)
        result["findings"] = len(window.document.findings)
        png = Path(_OUT).with_suffix(".png")
        image = window.view.grab()
        result["png_saved"] = bool(image.save(str(png), "PNG"))
        result["png"] = str(png)
        result["png_size"] = [image.width(), image.height()]
        # the analysed document through the exporters the window's plugins declare
        snapshot = window.document.snapshot()
        exported = {}
        for fmt in ("pdf", "svg", "html"):
            path = Path(_OUT).with_suffix(f".{fmt}")
            window.host.exporters[fmt].export(snapshot, path, {})
            exported[fmt] = str(path)
        result["exported"] = exported
        result["excel_child"] = _read_workbook_in_a_child(snapshot)
    except Exception:
        result["error"] = traceback.format_exc()
    _finish(result)


def _read_workbook_in_a_child(snapshot: Any) -> dict[str, Any]:
    """Export the tables and read them back in a child process, as a big workbook's import
    does: in the bundle the child is the executable again (``freeze_support``)."""
    from stipa.export.workbook import export_workbook, plan_import
    from stipa.export.workbook_process import ReadInProcess

    path = export_workbook(snapshot, Path(_OUT).with_suffix(".xlsx"))
    reading = ReadInProcess()
    plan = plan_import(snapshot, path, read=reading)
    process = reading.process
    return {
        "pid": reading.pid,
        "parent_pid": os.getpid(),
        "exitcode": None if process is None else process.exitcode,
        "problems": [str(problem) for problem in plan.report.problems],
        "changes": len(plan.changes),
    }


if _OUT and "PySide6.QtWidgets" in sys.modules:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, _start)
