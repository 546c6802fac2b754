"""Reference cells edited in place: ids typed with completion by id or text, or one chosen.

A many-reference cell (a hazard's losses, a UCA's hazards) is a line of ids, ``H-1, H-4.1``;
typing part of an id or of a record's text offers the matching records, and choosing one puts
its id in place of the word typed. A one-reference cell (a responsibility's owner, a UCA's
control action, a hazard's parent) is a combo box of the candidates that completes the same
way. Nothing is modal: the cell is the editor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from stipa.export.tables import split_ids


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workbench", text)


#: Where the word being typed starts: after the last comma, semicolon or space.
_LAST_WORD = re.compile(r"[^,;\s]*$")


def _completer(parent: QWidget, labels: Sequence[str]) -> QCompleter:
    completer = QCompleter(parent)
    completer.setModel(QStringListModel(list(labels), completer))  # owned: not collected
    completer.setObjectName("stpa.references.completer")
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)  # by id or by any word of the text
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    completer.setMaxVisibleItems(12)
    return completer


class ReferencesEdit(QLineEdit):
    """The ids of a many-reference cell, with completion of the word being typed."""

    def __init__(self, candidates: Sequence[tuple[str, str]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("stpa.references")
        self.setPlaceholderText(_tr("Type an id or words of its text…"))
        self.candidates = list(candidates)
        self._id_of = {label: record_id for record_id, label in self.candidates}
        self.completer_ = _completer(self, [label for _id, label in self.candidates])
        self.completer_.setWidget(self)
        self.completer_.activated.connect(self.choose)
        self.textEdited.connect(self._complete)

    def _complete(self, text: str) -> None:
        word = _LAST_WORD.search(text[: self.cursorPosition()])
        prefix = word.group(0) if word else ""
        if not prefix:
            popup = self.completer_.popup()
            if popup is not None:
                popup.hide()
            return
        self.completer_.setCompletionPrefix(prefix)
        self.completer_.complete()

    def choose(self, label: str) -> None:
        """Put the id of the candidate ``label`` in place of the word being typed."""
        record_id = self._id_of.get(label, label)
        head = self.text()[: self.cursorPosition()]
        tail = self.text()[self.cursorPosition() :]
        head = _LAST_WORD.sub("", head).rstrip()
        if head and not head.endswith((",", ";")):
            head += ","
        chosen = f"{head} {record_id}, ".lstrip()
        self.setText(chosen + tail.lstrip(" ,;"))
        self.setCursorPosition(len(chosen))

    def set_ids(self, ids: Sequence[str]) -> None:
        """Show ``ids`` as the cell's text."""
        self.setText(", ".join(ids))

    def ids(self) -> list[str]:
        """The ids typed, in order, each once."""
        return list(dict.fromkeys(split_ids(self.text().replace(";", ","))))

    def unknown(self) -> list[str]:
        """The ids typed that are no candidate."""
        known = {record_id for record_id, _label in self.candidates}
        return [i for i in self.ids() if i not in known]


class ReferenceCombo(QComboBox):
    """The one record a single-reference cell names, chosen from its candidates."""

    def __init__(
        self, candidates: Sequence[tuple[str, str]], parent: QWidget, optional: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stpa.reference")
        if optional:  # a hazard's parent may be none
            self.addItem(_tr("(none)"), "")
        for record_id, label in candidates:
            self.addItem(label, record_id)
            self.setItemData(self.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        self.setEditable(True)  # typing finds a candidate by id or text
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = _completer(self, [self.itemText(i) for i in range(self.count())])
        self.setCompleter(completer)
        completer.activated.connect(lambda label: self.setCurrentIndex(self.findText(label)))

    def set_id(self, record_id: str) -> None:
        """Make ``record_id`` the current choice."""
        self.setCurrentIndex(max(0, self.findData(record_id)))

    def _index(self) -> int:
        text = self.currentText()
        index = self.findText(text)
        return index if index >= 0 else self.findData(text.strip())  # an id typed whole

    def ids(self) -> list[str]:
        """The chosen id (none for "(none)"), or the text typed when it names no candidate."""
        index = self._index()
        if index < 0:
            text = self.currentText().strip()
            return [text] if text else []
        chosen = str(self.itemData(index) or "")
        return [chosen] if chosen else []

    def unknown(self) -> list[str]:
        """The typed text when it names no candidate."""
        return [] if self._index() >= 0 else self.ids()
