"""Pick records to link to: a filter line over a list of checkable records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from stipa.ui.workbench.models import ID_ROLE


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workbench", text)


class ReferencePicker(QDialog):
    """A dialog listing candidate records with check boxes and a filter line.

    ``single`` allows at most one checked record (an owner, a control action, a parent).
    It is not modal: the tables and the canvas stay usable beside it; ``chosen`` is called
    with the checked ids, in list order, when the analyst accepts.
    """

    def __init__(
        self,
        parent: QWidget,
        title: str,
        candidates: Sequence[tuple[str, str]],
        checked: Iterable[str],
        chosen: Callable[[list[str]], object],
        single: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stpa.picker")
        self.setModal(False)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.single = single
        self._chosen = chosen
        layout = QVBoxLayout(self)
        hint = QLabel(
            _tr("Check the record to link (uncheck to unlink).")
            if single
            else _tr("Check the records to link; uncheck those to unlink.")
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.filter = QLineEdit()
        self.filter.setObjectName("stpa.picker.filter")
        self.filter.setPlaceholderText(_tr("Filter by id or text…"))
        self.filter.setAccessibleName(_tr("Filter"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.model = QStandardItemModel(self)
        wanted = set(checked)
        for record_id, text in candidates:
            item = QStandardItem(text)
            item.setData(record_id, ID_ROLE)
            item.setToolTip(text)
            item.setEditable(False)
            item.setCheckable(True)
            item.setCheckState(
                Qt.CheckState.Checked if record_id in wanted else Qt.CheckState.Unchecked
            )
            self.model.appendRow(item)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView()
        self.list.setObjectName("stpa.picker.list")
        self.list.setAccessibleName(title)
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.list, 1)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.model.itemChanged.connect(self._item_changed)
        self.list.activated.connect(self._toggle)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("stpa.picker.buttons")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.accepted.connect(lambda: self._chosen(self.checked_ids()))
        self.finished.connect(self.deleteLater)
        self.resize(520, 420)
        self.filter.setFocus()

    def checked_ids(self) -> list[str]:
        """The ids checked now, in list order."""
        return [
            str(self.model.item(row).data(ID_ROLE))
            for row in range(self.model.rowCount())
            if self.model.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, record_id: str, checked: bool = True) -> None:
        """Check or uncheck a record (as a click on its box would)."""
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.data(ID_ROLE) == record_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def visible_ids(self) -> list[str]:
        """The ids the filter lets through, in list order."""
        return [str(self.proxy.index(row, 0).data(ID_ROLE)) for row in range(self.proxy.rowCount())]

    def _toggle(self, index: object) -> None:
        source = self.proxy.mapToSource(index)  # type: ignore[arg-type]
        item = self.model.itemFromIndex(source)
        if item is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _item_changed(self, changed: QStandardItem) -> None:
        if not self.single or changed.checkState() != Qt.CheckState.Checked:
            return
        blocker = self.model.blockSignals(True)
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item is not changed and item.checkState() == Qt.CheckState.Checked:
                item.setCheckState(Qt.CheckState.Unchecked)
        self.model.blockSignals(blocker)
        self.list.viewport().update()
