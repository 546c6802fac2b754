"""File > Export…: the diagram, a report, the tables or requirements, in any installed format.

The dialog lists the host's exporters (the built-in ones and those of plugins), shows the
options the chosen format declares (badges, legend, selection only, PNG scale, PDF page size
and orientation, title block, the diagram in reports; a text field for any other option a
plugin declares), a file name whose extension follows the format, and for image formats a
thumbnail of what will be written. Exporting runs the same ``Exporter.export`` as
``stipa export`` on a snapshot of the document, so the GUI and the command line write the
same files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stipa.export.options import (
    PAGE_SIZES,
    DiagramOptions,
    ExportError,
    collect_export_warnings,
    diagram_options,
)
from stipa.model import ModelError
from stipa.plugin import Exporter
from stipa.ui.actions import make_action
from stipa.ui.document_info import DocumentInfoForm
from stipa.ui.image_export import DiagramExport

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext

#: QSettings keys: the last format and folder used.
FORMAT_SETTING = "export/format"
FOLDER_SETTING = "export/folder"
#: Formats whose output is the diagram itself: the dialog previews them.
IMAGE_FORMATS = ("svg", "png", "pdf")
PREVIEW_SIZE = QSize(360, 240)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


class ExportDialog(QDialog):
    """Choose a format, its options and a file, see a preview, and export."""

    def __init__(self, window: PanelContext) -> None:
        super().__init__(window.window())
        self.window_ = window
        self.setObjectName("dialog.export")
        self.setWindowTitle(_tr("Export"))
        self.setAccessibleName(_tr("Export"))
        self.exporters: list[Exporter] = list(window.host.exporters.values())
        self.selection = window.diagram.selected_ids()
        self._preview_key: tuple[object, ...] | None = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(150)
        self._preview_timer.timeout.connect(self.update_preview)

        self.format = QComboBox()
        self.format.setObjectName("export.format")
        self.format.setAccessibleName(_tr("Format"))
        for exporter in self.exporters:
            patterns = " ".join(f"*{x}" for x in exporter.extensions)
            self.format.addItem(f"{exporter.title} ({patterns})", exporter.id)
            self.format.setItemData(
                self.format.count() - 1, exporter.description, Qt.ItemDataRole.ToolTipRole
            )
        self.description = QLabel()
        self.description.setObjectName("export.description")
        self.description.setWordWrap(True)

        self.path = QLineEdit()
        self.path.setObjectName("export.path")
        self.path.setAccessibleName(_tr("File name"))
        browse = QPushButton(_tr("Browse…"))
        browse.setObjectName("export.browse")
        browse.setToolTip(_tr("Choose where to write the file"))
        browse.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)

        self.info_box = self._build_info_box()

        self.badges = self._check("badges", _tr("Finding badges"), _tr("Draw open findings"))
        self.legend = self._check("legend", _tr("Legend"), _tr("Explain shapes, lines, badges"))
        self.selection_only = self._check(
            "selection", _tr("Selection only"), _tr("Draw only the selected components and links")
        )
        self.selection_only.setChecked(False)
        if not self.selection:
            self.selection_only.setEnabled(False)
            self.selection_only.setToolTip(_tr("Select components or links on the canvas first"))
        self.diagram = self._check("diagram", _tr("Include the diagram"), _tr("Draw it"))
        self.title_block = self._check(
            "title_block", _tr("Title block"), _tr("Title, version, author, organisation, date")
        )
        self.scale = QDoubleSpinBox()
        self.scale.setObjectName("export.scale")
        self.scale.setAccessibleName(_tr("Scale"))
        self.scale.setRange(0.1, 10.0)
        self.scale.setSingleStep(0.5)
        self.scale.setValue(2.0)
        self.scale.setSuffix("×")
        self.scale.setToolTip(_tr("Pixels per diagram unit: 1× is 96 dpi, 2× is 192 dpi"))
        self.page = QComboBox()
        self.page.setObjectName("export.page")
        self.page.setAccessibleName(_tr("Page size"))
        self.page.addItems(list(PAGE_SIZES))
        self.page.setCurrentText("A4")
        self.orientation = QComboBox()
        self.orientation.setObjectName("export.orientation")
        self.orientation.setAccessibleName(_tr("Orientation"))
        for value, label in (
            ("auto", _tr("Automatic")),
            ("portrait", _tr("Portrait")),
            ("landscape", _tr("Landscape")),
        ):
            self.orientation.addItem(label, value)

        self.background = QComboBox()
        self.background.setObjectName("export.background")
        self.background.setAccessibleName(_tr("Background"))
        self.background.addItem(_tr("White"), "white")
        self.background.addItem(_tr("Transparent"), "transparent")

        self.options_box = QGroupBox(_tr("Options"))
        self.options_form = QFormLayout(self.options_box)
        self.rows: dict[str, QWidget] = {
            "badges": self.badges,
            "legend": self.legend,
            "selection": self.selection_only,
            "diagram": self.diagram,
            "title_block": self.title_block,
            "scale": self.scale,
            "page": self.page,
            "orientation": self.orientation,
            "background": self.background,
        }
        labels = {
            "scale": _tr("Scale"),
            "page": _tr("Page"),
            "orientation": _tr("Orientation"),
            "background": _tr("Background"),
        }
        for key, widget in self.rows.items():
            if key in labels:
                self.options_form.addRow(labels[key], widget)
            else:
                self.options_form.addRow(widget)
        self.extra: dict[str, QLineEdit] = {}

        self.preview = QLabel()
        self.preview.setObjectName("export.preview")
        self.preview.setAccessibleName(_tr("Preview"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_SIZE)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_tr("Export"))
        ok.setObjectName("export.ok")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(_tr("Format"), self.format)
        form.addRow("", self.description)
        form.addRow(_tr("File"), file_row)
        left = QVBoxLayout()
        left.addWidget(self.info_box)
        left.addLayout(form)
        left.addWidget(self.options_box)
        left.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(760)

        for widget in (self.badges, self.legend, self.selection_only, self.title_block):
            widget.toggled.connect(self._schedule_preview)
        for combo in (self.page, self.orientation, self.background):
            combo.currentIndexChanged.connect(self._schedule_preview)
        self.format.currentIndexChanged.connect(self._format_changed)
        remembered = str(self.window_.settings().value(FORMAT_SETTING, "pdf"))
        index = self.format.findData(remembered)
        self.format.setCurrentIndex(max(index, 0))
        self._format_changed()

    def _build_info_box(self) -> QGroupBox:
        """Title, author, organisation and version, asked for when the document has no title
        (reports and title blocks show them)."""
        info = self.window_.document.info
        box = QGroupBox(_tr("About this analysis"))
        box.setObjectName("export.info")
        layout = QVBoxLayout(box)
        note = QLabel(
            _tr(
                "This analysis has no title yet. Reports and title blocks show these facts; "
                "they are kept in the document (Edit > Undo takes them back; File > Document "
                "Properties changes them later)."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.info_form = DocumentInfoForm(
            info, "export.info", ("title", "author", "organisation", "version")
        )
        layout.addWidget(self.info_form)
        self.info_fields = self.info_form.lines
        for line in self.info_fields.values():
            line.textChanged.connect(self._schedule_preview)
        self.info_fields["title"].setPlaceholderText(_tr("Required, e.g. Citizen assistant STPA"))
        box.setVisible(not info.title.strip())
        return box

    def _check(self, key: str, text: str, tip: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(f"export.{key}")
        box.setToolTip(tip)
        box.setChecked(True)
        return box

    # --- state -------------------------------------------------------------------------------
    @property
    def exporter(self) -> Exporter | None:
        """The chosen format."""
        index = self.format.currentIndex()
        return self.exporters[index] if 0 <= index < len(self.exporters) else None

    def _default_path(self, exporter: Exporter) -> Path:
        window = self.window_
        remembered = window.settings().value(FOLDER_SETTING, "")
        folder = Path(str(remembered or "") or Path.home())
        stem = "diagram" if exporter.id in IMAGE_FORMATS else "report"
        if window.path is not None:
            folder = window.path.parent if not remembered else folder
            stem = window.path.stem
        return folder / f"{stem}{exporter.extensions[0] if exporter.extensions else ''}"

    def _format_changed(self) -> None:
        exporter = self.exporter
        if exporter is None:
            return
        self.description.setText(exporter.description)
        current = self.path.text().strip()
        if not current:
            self.path.setText(str(self._default_path(exporter)))
        elif exporter.extensions and Path(current).suffix.lower() not in exporter.extensions:
            self.path.setText(str(Path(current).with_suffix(exporter.extensions[0])))
        declared = dict(exporter.options)
        for key, widget in self.rows.items():
            self.options_form.setRowVisible(widget, key in declared)
            if key in declared:
                widget.setToolTip(declared[key])
        for line in self.extra.values():
            self.options_form.removeRow(line)
        self.extra = {}
        for key, help_text in declared.items():
            if key in self.rows or key in ("dpi", "date", "title"):
                continue
            line = QLineEdit()
            line.setObjectName(f"export.option.{key}")
            line.setPlaceholderText(help_text)
            line.setToolTip(help_text)
            self.options_form.addRow(key, line)
            self.extra[key] = line
        self.options_box.setVisible(bool(declared))
        self.preview.setVisible(exporter.id in IMAGE_FORMATS)
        self._schedule_preview()

    def options(self) -> dict[str, str]:
        """The options of the chosen format as ``stipa export --option`` would give them."""
        exporter = self.exporter
        if exporter is None:
            return {}
        declared = dict(exporter.options)
        values: dict[str, str] = {}

        def flag(box: QCheckBox) -> str:
            return "yes" if box.isChecked() else "no"

        if "badges" in declared:
            values["badges"] = flag(self.badges)
        if "legend" in declared:
            values["legend"] = flag(self.legend)
        if "selection" in declared and self.selection_only.isChecked() and self.selection:
            values["selection"] = ",".join(self.selection)
        if "diagram" in declared:
            values["diagram"] = flag(self.diagram)
        if "title_block" in declared:
            values["title_block"] = flag(self.title_block)
        if "scale" in declared:
            values["scale"] = f"{self.scale.value():g}"
        if "page" in declared:
            values["page"] = self.page.currentText()
        if "orientation" in declared:
            values["orientation"] = str(self.orientation.currentData())
        if "background" in declared:
            values["background"] = str(self.background.currentData())
        for key, line in self.extra.items():
            if line.text().strip():
                values[key] = line.text().strip()
        title = self.info_fields["title"].text().strip()
        if "title" in declared and self.info_box.isVisibleTo(self) and title:
            values["title"] = title  # the preview shows the title being typed
        return values

    def _store_info(self) -> bool:
        """Put the title block typed here into the document (one undoable edit); False if
        there is no title yet."""
        if not self.info_box.isVisibleTo(self):
            return True
        if not self.info_form.values()["title"]:
            self.window_.show_error(
                _tr("Export"), _tr("Give the analysis a title: reports and drawings show it.")
            )
            self.info_fields["title"].setFocus()
            return False
        try:
            self.info_form.store(self.window_.document)
        except ModelError as error:
            self.window_.show_error(_tr("Export"), str(error))
            return False
        return True

    # --- preview -----------------------------------------------------------------------------
    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def _drawing_options(self, given: Mapping[str, str]) -> DiagramOptions:
        keys = (
            "badges",
            "legend",
            "selection",
            "page",
            "orientation",
            "title_block",
            "title",
            "background",
        )
        return diagram_options({key: value for key, value in given.items() if key in keys})

    def update_preview(self) -> None:
        """Draw the thumbnail of an image export (only when its options changed)."""
        exporter = self.exporter
        if exporter is None or exporter.id not in IMAGE_FORMATS:
            self.preview.clear()
            return
        try:
            options = self._drawing_options(self.options())
        except ExportError as error:
            self.preview.setText(str(error))
            return
        key = (exporter.id, options)
        if key == self._preview_key:
            return
        self._preview_key = key
        snapshot = self.window_.document.snapshot()
        try:
            export = DiagramExport(snapshot, options)
        except ExportError as error:
            self.preview.setText(str(error))
            return
        try:
            fmt = "pdf" if exporter.id == "pdf" else "png"
            pixmap = QPixmap()
            if fmt == "pdf":
                pixmap.loadFromData(export.page_thumbnail(PREVIEW_SIZE))
            else:
                pixmap.loadFromData(export.thumbnail(PREVIEW_SIZE))
        finally:
            export.close()
        self.preview.setPixmap(pixmap)

    # --- actions -----------------------------------------------------------------------------
    def browse(self) -> None:
        """Ask for the file to write."""
        exporter = self.exporter
        if exporter is None:
            return
        patterns = " ".join(f"*{x}" for x in exporter.extensions)
        name, _filter = QFileDialog.getSaveFileName(
            self, _tr("Export as"), self.path.text(), f"{exporter.title} ({patterns})"
        )
        if name:
            self.path.setText(name)

    def target(self) -> Path | None:
        """The file to write, with the format's extension added when it has none."""
        exporter = self.exporter
        text = self.path.text().strip()
        if exporter is None or not text:
            return None
        path = Path(text).expanduser()
        if exporter.extensions and not path.suffix and not path.is_dir():
            path = path.with_suffix(exporter.extensions[0])
        return path

    def export(self) -> bool:
        """Write the file; on failure say why and keep the dialog open."""
        exporter, path = self.exporter, self.target()
        if exporter is None or path is None:
            self.window_.show_error(_tr("Export"), _tr("Choose a format and a file name."))
            return False
        if not path.parent.is_dir():
            self.window_.show_error(
                _tr("Export"), _tr("The folder {0} does not exist.").format(path.parent)
            )
            return False
        if not self._store_info():
            return False
        snapshot = self.window_.document.snapshot()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with collect_export_warnings() as warned:
                exporter.export(snapshot, path, self.options())
        except ExportError as error:
            self.window_.show_error(_tr("Cannot export {0}").format(path.name), str(error))
            return False
        except OSError as error:
            self.window_.show_error(
                _tr("Cannot export {0}").format(path.name), f"{path}: {error.strerror or error}."
            )
            return False
        except Exception as error:  # a plugin's exporter: say which, keep the window alive
            owner = self.window_.host.plugin_name(exporter)
            self.window_.show_error(
                _tr("Cannot export {0}").format(path.name),
                _tr("The {0} export of plugin {1} failed: {2}").format(exporter.id, owner, error),
            )
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        settings = self.window_.settings()
        settings.setValue(FORMAT_SETTING, exporter.id)
        settings.setValue(FOLDER_SETTING, str(path.parent))
        self.window_.statusBar().showMessage(_tr("Exported {0}").format(path), 8000)
        if warned:
            self.window_.show_warning(_tr("Exported {0}").format(path.name), "\n\n".join(warned))
        self.written = path
        self.accept()
        return True


def export_action(window: PanelContext) -> QAction:
    """File > Export… (``action.export``) of ``window``: opens the export dialog."""
    return make_action(
        window.window(),
        "export",
        _tr("&Export…"),
        _tr("Export the diagram, a report, the tables or requirements"),
        lambda: open_export_dialog(window),
        "Ctrl+Shift+E",
    )


def open_export_dialog(window: PanelContext) -> ExportDialog:
    """Show the export dialog (modal); returns it for tests."""
    window.view.finish_rename()
    dialog = ExportDialog(window)
    # as tall as its contents: Qt holds a new window to 2/3 of the screen, which on a laptop
    # screen squeezed the title-block fields to slivers
    screen = window.window().screen().availableGeometry().size()
    dialog.resize(dialog.sizeHint().boundedTo(screen))
    dialog.open()
    return dialog
