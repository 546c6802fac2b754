"""Tree views whose rows wrap long texts, each row measured only when it comes into sight."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
)

AnyIndex = QModelIndex | QPersistentModelIndex

#: A row grows to at most this many lines of text; its tooltip shows the rest.
MAX_LINES = 8
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
        # a column of another width wraps into other lines
        self.header().sectionResized.connect(lambda *_a: self.scheduleDelayedItemsLayout())

    def dataChanged(
        self,
        topLeft: AnyIndex,
        bottomRight: AnyIndex,
        roles: Sequence[int] = (),
    ) -> None:
        one_row = topLeft.row() == bottomRight.row() and topLeft.parent() == bottomRight.parent()
        texts = not roles or bool(_TEXT_ROLES.intersection(roles))
        if one_row or not texts:
            if texts:  # QTreeView measures the changed rows again, here one
                super().dataChanged(topLeft, bottomRight, list(roles))
            else:  # a highlight: QTreeView would measure every row of the range
                QAbstractItemView.dataChanged(self, topLeft, bottomRight, list(roles))
            return
        self.scheduleDelayedItemsLayout()  # many texts: measured again when seen
        QAbstractItemView.dataChanged(self, topLeft, bottomRight, list(roles))
