"""Edit > Find (Ctrl+F): search every record by id, alias or text and jump to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from stipa.operations.find import find
from stipa.ui.actions import make_action

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext
    from stipa.ui.workbench.dock import StpaDock


def _tr(text: str) -> str:
    return QCoreApplication.translate("Find", text)


ID_ROLE = Qt.ItemDataRole.UserRole


class FindDialog(QDialog):
    """A non-modal search box (``dialog.find``): type, then Enter or double-click a result.

    Components, links and link items are selected on the canvas and zoomed to; STPA records
    are shown selected in their table of the STPA panel.
    """

    def __init__(self, window: PanelContext, workbench: StpaDock) -> None:
        super().__init__(window.window())
        self.window_ = window
        self.workbench = workbench
        self.setObjectName("dialog.find")
        self.setWindowTitle(_tr("Find"))
        self.setModal(False)
        self.query = QLineEdit(self)
        self.query.setObjectName("find.query")
        self.query.setAccessibleName(_tr("Find"))
        self.query.setPlaceholderText(_tr("Id, alias or words of a name or text"))
        self.query.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setObjectName("find.results")
        self.results.setAccessibleName(_tr("Results"))
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        layout.addWidget(self.status)
        self.resize(460, 360)
        self.query.textChanged.connect(self.search)
        self.query.returnPressed.connect(self.go_to_current)
        self.query.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self.go_to_current())

    def search(self) -> None:
        """List the records matching the query, the best first."""
        self.results.clear()
        matches = find(self.window_.document, self.query.text())
        for match in matches:
            title = " ".join(match.title.split())
            item = QListWidgetItem(f"{match.id}  {title}" if title else match.id)
            item.setData(ID_ROLE, match.id)
            item.setToolTip(match.title)
            self.results.addItem(item)
        if matches:
            self.results.setCurrentRow(0)
        text = self.query.text().strip()
        self.status.setText(
            _tr("{0} found").format(len(matches)) if text else _tr("Type to search.")
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up and Down in the box move through the results, so the mouse is never needed
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and self.results.count()
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = min(self.results.count() - 1, max(0, self.results.currentRow() + step))
            self.results.setCurrentRow(row)
            return True
        return super().eventFilter(watched, event)

    def go_to_current(self) -> None:
        """Jump to the current result."""
        item = self.results.currentItem()
        if item is not None:
            go_to(self.window_, self.workbench, str(item.data(ID_ROLE)))


def go_to(window: PanelContext, workbench: StpaDock, record_id: str) -> bool:
    """Show a record: on the canvas (selected, readable) or selected in its STPA table."""
    document = window.document
    owner = document.owner_of(record_id)
    canvas_id = owner.id if owner is not None else record_id
    diagram = window.diagram
    if canvas_id in diagram.components or canvas_id in diagram.links:
        diagram.select_ids([canvas_id])
        window.view.zoom_selection()
        return True
    if workbench.reveal(record_id):
        workbench.show()
        workbench.raise_()
        return True
    window.statusBar().showMessage(_tr("{0} is not shown anywhere.").format(record_id), 6000)
    return False


def find_action(window: PanelContext, workbench: StpaDock) -> QAction:
    """Edit > Find… (``action.find``, Ctrl+F) of ``window``: opens its Find dialog."""
    dialog: FindDialog | None = None

    def show() -> None:
        nonlocal dialog
        if dialog is None:
            dialog = FindDialog(window, workbench)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.query.setFocus()
        dialog.query.selectAll()
        dialog.search()

    return make_action(
        window.window(),
        "find",
        _tr("&Find…"),
        _tr("Find components, links and STPA records by id, alias or text"),
        show,
        QKeySequence.StandardKey.Find,
    )
