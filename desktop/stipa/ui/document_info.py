"""The title-block form (File > Document Properties…, and Export for an untitled document)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from stipa.model import STPA_TABLES, Document, DocumentInfo, ModelError
from stipa.ui.actions import make_action

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext

#: The title-block fields of a document, in the order forms show them.
INFO_FIELDS = ("title", "author", "organisation", "version", "description")


def _tr(text: str) -> str:
    return QCoreApplication.translate("DocumentInfo", text)


def info_labels() -> dict[str, str]:
    """The label of each title-block field."""
    return {
        "title": _tr("Title"),
        "author": _tr("Author"),
        "organisation": _tr("Organisation"),
        "version": _tr("Version"),
        "description": _tr("Description"),
    }


class DocumentInfoForm(QWidget):
    """Fields for a document's title block (``fields`` of ``INFO_FIELDS``), filled from
    ``info``; each field is named ``<prefix>.<field>``."""

    def __init__(
        self, info: DocumentInfo, prefix: str, fields: Sequence[str] = INFO_FIELDS
    ) -> None:
        super().__init__()
        form = QFormLayout(self)
        #: The form's rows: a dialog adds its read-only facts under the fields.
        self.rows = form
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        labels = info_labels()
        #: The one-line fields by name; ``description`` is ``self.description``.
        self.lines: dict[str, QLineEdit] = {}
        self.description: QPlainTextEdit | None = None
        for field in fields:
            if field == "description":
                text = QPlainTextEdit(info.description)
                text.setTabChangesFocus(True)
                text.setObjectName(f"{prefix}.description")
                text.setAccessibleName(labels[field])
                text.setFixedHeight(text.fontMetrics().lineSpacing() * 5 + 12)
                form.addRow(labels[field], text)
                self.description = text
                continue
            line = QLineEdit(getattr(info, field))
            line.setCursorPosition(0)  # a long title shows its start
            line.setObjectName(f"{prefix}.{field}")
            line.setAccessibleName(labels[field])
            form.addRow(labels[field], line)
            self.lines[field] = line
        if "title" in self.lines:
            self.lines["title"].setPlaceholderText(_tr("e.g. Citizen assistant STPA"))

    def values(self) -> dict[str, str]:
        """What the fields hold (one-line fields trimmed)."""
        values = {field: line.text().strip() for field, line in self.lines.items()}
        if self.description is not None:
            values["description"] = self.description.toPlainText()
        return values

    def store(self, document: Document) -> None:
        """Put what the fields hold into ``document`` as one undoable edit (none when nothing
        changed); raises ``ModelError``, the document unchanged, when a value is refused."""
        changed = {
            field: value
            for field, value in self.values().items()
            if getattr(document.info, field) != value
        }
        if changed:
            document.set_info(**changed)


class DocumentPropertiesDialog(QDialog):
    """The title block of the window's analysis, and what the document holds."""

    def __init__(self, window: PanelContext) -> None:
        super().__init__(window.window())
        self.window_ = window
        self.setObjectName("dialog.document_properties")
        self.setWindowTitle(_tr("Document Properties"))
        self.setAccessibleName(_tr("Document properties"))
        document = window.document
        self.form = DocumentInfoForm(document.info, "properties")
        note = QLabel(_tr("Reports, exported drawings and their title blocks show these facts."))
        note.setWordWrap(True)
        facts = self.form.rows
        path = QLabel(str(window.path) if window.path is not None else _tr("Not saved yet"))
        path.setObjectName("properties.file")
        path.setWordWrap(True)
        facts.addRow(_tr("File"), path)
        records = sum(len(document.table(table.name)) for table in STPA_TABLES)
        contents = QLabel(
            _tr("{0} components, {1} links, {2} STPA records, {3} findings").format(
                len(document.components), len(document.links), records, len(document.findings)
            )
        )
        contents.setObjectName("properties.contents")
        facts.addRow(_tr("Contents"), contents)
        self.error = QLabel()
        self.error.setObjectName("properties.error")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def accept(self) -> None:
        """Store the fields as one undoable edit and close; on a refusal say why and stay."""
        try:
            self.form.store(self.window_.document)
        except ModelError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        super().accept()


def open_document_properties(window: PanelContext) -> DocumentPropertiesDialog:
    """Show the Document Properties dialog (window-modal); returns it for tests."""
    window.view.finish_rename()
    dialog = DocumentPropertiesDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setModal(True)
    dialog.open()
    return dialog


def document_properties_action(window: PanelContext) -> QAction:
    """File > Document Properties… (``action.document_properties``) of ``window``."""
    return make_action(
        window.window(),
        "document_properties",
        _tr("Document &Properties…"),
        _tr("Title, author, organisation, version and description of the analysis"),
        lambda: open_document_properties(window),
    )
