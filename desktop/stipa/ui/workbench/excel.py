"""File > Export Tables to Excel… and File > Import Tables from Excel…, with a report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from stipa.export.workbook import ImportReport, export_workbook, import_workbook

if TYPE_CHECKING:
    from stipa.ui.main_window import MainWindow
    from stipa.ui.workbench.dock import StpaDock

XLSX_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
_FOLDER_KEY = "workbench/xlsxFolder"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workbench", text)


class ImportReportDialog(QDialog):
    """What an import did, or each refused cell with its sheet, row and column."""

    def __init__(self, parent: QWidget, report: ImportReport) -> None:
        super().__init__(parent)
        self.setObjectName("stpa.import_report")
        self.setWindowTitle(_tr("Import tables from Excel"))
        self.report = report
        layout = QVBoxLayout(self)
        self.summary = QLabel(report.summary())
        self.summary.setObjectName("stpa.import_report.summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        lines: list[str] = []
        if report.problems:
            lines.append(_tr("Refused — fix these and import again:"))
            lines += [f"  • {problem}" for problem in report.problems]
        else:
            for title, ids in (
                (_tr("Added"), report.added),
                (_tr("Updated"), report.updated),
                (_tr("Deleted"), report.deleted),
            ):
                if ids:
                    lines.append(f"{title}: {', '.join(ids)}")
            if report.applied:
                lines.append(_tr("Edit > Undo takes the whole import back."))
        if report.notes:
            lines.append("")
            lines += [f"  · {note}" for note in report.notes]
        self.details = QPlainTextEdit("\n".join(lines))
        self.details.setObjectName("stpa.import_report.details")
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.finished.connect(self.deleteLater)
        self.resize(640, 360)


class ExcelActions:
    """The two File menu actions of a window; file dialogs are methods tests replace."""

    def __init__(self, window: MainWindow, dock: StpaDock) -> None:
        self.window = window
        self.dock = dock
        self.report_dialog: ImportReportDialog | None = None
        self.export_action = self._action(
            "export_xlsx",
            _tr("Export Tables to E&xcel…"),
            _tr("Write every STPA table to one Excel workbook, to edit and import back"),
            self.export,
        )
        self.import_action = self._action(
            "import_xlsx",
            _tr("&Import Tables from Excel…"),
            _tr("Apply the edits made in an exported Excel workbook, as one undo step"),
            self.import_,
        )
        menu = window.findChild(QMenu, "menu.file")
        quit_action = window.actions_by_name.get("quit")
        if menu is not None:
            if quit_action is not None and quit_action in menu.actions():
                separator = menu.insertSeparator(quit_action)
                menu.insertActions(separator, [self.export_action, self.import_action])
            else:
                menu.addActions([self.export_action, self.import_action])

    def _action(self, name: str, text: str, tip: str, slot: object) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(f"action.{name}")
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False: slot())  # type: ignore[operator]
        self.window.addAction(action)
        self.window.actions_by_name[name] = action
        return action

    def _start(self, suffix: str) -> str:
        folder = QSettings().value(_FOLDER_KEY, "")
        if self.window.path is not None:
            return str(self.window.path.with_suffix(suffix))
        return str(Path(str(folder or "")) / f"{_tr('STPA tables')}{suffix}")

    def ask_export_path(self) -> Path | None:
        """Ask where to write the workbook (tests replace this)."""
        name, _filter = QFileDialog.getSaveFileName(
            self.window, _tr("Export tables to Excel"), self._start(".xlsx"), XLSX_FILTER
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".xlsx")

    def ask_import_path(self) -> Path | None:
        """Ask which workbook to import (tests replace this)."""
        name, _filter = QFileDialog.getOpenFileName(
            self.window, _tr("Import tables from Excel"), self._start(".xlsx"), XLSX_FILTER
        )
        return Path(name) if name else None

    def export(self) -> Path | None:
        """Ask for a file and write the workbook."""
        path = self.ask_export_path()
        if path is None:
            return None
        try:
            export_workbook(self.window.document, path)
        except OSError as error:
            self.window.show_error(
                _tr("Cannot export {0}").format(path.name), f"{path}: {error.strerror or error}."
            )
            return None
        QSettings().setValue(_FOLDER_KEY, str(path.parent))
        self.window.statusBar().showMessage(
            _tr("Exported the STPA tables to {0}").format(path), 6000
        )
        return path

    def import_(self) -> ImportReport | None:
        """Ask for a workbook, import it and show the report."""
        path = self.ask_import_path()
        if path is None:
            return None
        QSettings().setValue(_FOLDER_KEY, str(path.parent))
        report = import_workbook(self.window.document, path)
        self.window.statusBar().showMessage(report.summary(), 8000)
        self.report_dialog = ImportReportDialog(self.window, report)
        self.report_dialog.open()
        return report


def install_excel(window: MainWindow, dock: StpaDock) -> ExcelActions:
    """Add ``action.export_xlsx`` and ``action.import_xlsx`` to ``window``'s File menu."""
    actions = ExcelActions(window, dock)
    dock.excel = actions  # type: ignore[attr-defined]
    return actions
