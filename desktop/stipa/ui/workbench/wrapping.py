"""Tree views whose rows wrap long texts, each row measured only when it comes into sight."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

AnyIndex = QModelIndex | QPersistentModelIndex

#: A row grows to at most this many lines of text; its tooltip shows the rest.
MAX_LINES = 8
#: Milliseconds a column resize must pause before rows are measured again at the new width.
RESIZE_PAUSE_MS = 120
#: Roles whose change can change a row's text, hence its height.
_TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole})


class WrappingDelegate(QStyledItemDelegate):
    """Measures a cell of a word-wrapping tree at the width of its column.

    ``QTreeView`` asks a delegate for a row's height with no width (the text on one line); in
    a ``WrappedTree`` the text is measured wrapped to the column, less the indentation of the
    tree column, and held to ``MAX_LINES`` lines. Other views are measured as usual.
    """

    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        if isinstance(self.parent(), WrappedTree):  # painted and measured wrapped
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        view = self.parent()
        if not isinstance(view, WrappedTree):
            return super().sizeHint(option, index)
        width = view.header().sectionSize(index.column())
        if index.column() == max(view.treePosition(), 0):
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= view.indentation() * (depth + int(view.rootIsDecorated()))
        sized = QStyleOptionViewItem(option)
        sized.rect = QRect(0, 0, max(width, 1), view.max_row_height)  # valid: Qt wraps
        hint = super().sizeHint(sized, index)
        return QSize(hint.width(), min(hint.height(), view.max_row_height))


class WrappedTree(QTreeView):
    """A tree view that wraps long texts, every row as high as its text (to ``MAX_LINES``).

    Heights stay lazy, within the scale budgets of the record tables: the view scrolls by
    item, so it measures only the rows it lays out in sight; when a column is resized or
    many rows change, it forgets the heights (a relayout) rather than measuring every row.
    Its delegate must be a ``WrappingDelegate``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setItemDelegate(WrappingDelegate(self))
        self.max_row_height = self.fontMetrics().lineSpacing() * MAX_LINES + 8
        # a column of another width wraps into other lines: once the drag has paused, as a
        # relayout walks every row (a fifth of a second for 10,000 hazards)
        self._resized = QTimer(self)
        self._resized.setSingleShot(True)
        self._resized.setInterval(RESIZE_PAUSE_MS)
        self._resized.timeout.connect(self.scheduleDelayedItemsLayout)
        self.header().sectionResized.connect(lambda *_a: self._resized.start())

    def dataChanged(
        self,
        topLeft: AnyIndex,
        bottomRight: AnyIndex,
        roles: Sequence[int] = (),
    ) -> None:
        if roles and not _TEXT_ROLES.intersection(roles):  # looks only, e.g. a highlight:
            # QTreeView would measure every row of the range again
            QAbstractItemView.dataChanged(self, topLeft, bottomRight, list(roles))
        elif topLeft.row() == bottomRight.row() and topLeft.parent() == bottomRight.parent():
            super().dataChanged(topLeft, bottomRight, list(roles))  # one row: measured now
        else:  # many texts: their heights are forgotten, and measured again when seen
            self.scheduleDelayedItemsLayout()
            QAbstractItemView.dataChanged(self, topLeft, bottomRight, list(roles))
