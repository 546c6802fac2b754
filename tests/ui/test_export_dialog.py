"""File > Export…: formats from the host, options per format, preview, export, errors."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMenu

import stipa
from stipa import Exporter, hookimpl
from stipa.plugin import PluginHost
from stipa.resources import examples
from stipa.ui import MainWindow
from stipa.ui.export_dialog import FOLDER_SETTING, FORMAT_SETTING, ExportDialog, open_export_dialog
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui
WHEEL_BRAKES = next(p for p in examples() if p.name == "wheel-brakes.stipa")


@pytest.fixture(autouse=True)
def _clean_settings() -> Iterator[None]:
    for key in (FORMAT_SETTING, FOLDER_SETTING):
        QSettings().remove(key)
    yield
    for key in (FORMAT_SETTING, FOLDER_SETTING):
        QSettings().remove(key)


class Broken:
    """A plugin whose exporter fails, and declares an option of its own."""

    @hookimpl
    def stipa_exporters(self) -> list[Exporter]:
        def fail(snapshot: stipa.Snapshot, path: Path, options: Mapping[str, str]) -> None:
            raise RuntimeError("the printer is on fire")

        return [
            Exporter(id="acme.bad", title="Broken", extensions=(".bad",), export=fail,
                     options={"colour": "a colour name"})
        ]  # fmt: skip


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    host = PluginHost()
    import stipa_builtins.exporters as builtin

    host.register(builtin, "stipa.exporters")
    host.register(Broken(), "acme.broken")
    return make_window(stipa.load(WHEEL_BRAKES), WHEEL_BRAKES, host=host, show=False)


def _dialog(window: MainWindow, qtbot: Any) -> ExportDialog:
    dialog = open_export_dialog(window)
    qtbot.addWidget(dialog)
    return dialog


def _choose(dialog: ExportDialog, format_id: str, path: Path) -> None:
    dialog.format.setCurrentIndex(dialog.format.findData(format_id))
    dialog.path.setText(str(path))


def test_action_in_the_file_menu(window: MainWindow) -> None:
    action = window.actions_by_name["export"]
    assert action.objectName() == "action.export"
    assert action.toolTip() and action.shortcut().toString() == "Ctrl+Shift+E"
    menu = window.menuBar().findChild(QMenu, "menu.file")
    names = [a.objectName() for a in menu.actions()]
    assert names.index("action.export") < names.index("action.quit")


def test_formats_and_their_options(window: MainWindow, qtbot: Any) -> None:
    dialog = _dialog(window, qtbot)
    ids = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert set(ids) >= {"svg", "png", "pdf", "html", "markdown", "docx", "csv", "xlsx", "reqif"}
    assert "acme.bad" in ids
    form = dialog.options_form

    def shown(widget: Any) -> bool:
        return form.isRowVisible(widget)

    dialog.format.setCurrentIndex(dialog.format.findData("png"))
    assert shown(dialog.scale) and shown(dialog.badges) and not shown(dialog.page)
    assert dialog.path.text().endswith("wheel-brakes.png")
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    assert shown(dialog.page) and shown(dialog.orientation) and not shown(dialog.scale)
    assert dialog.path.text().endswith("wheel-brakes.pdf")  # the extension follows the format
    dialog.format.setCurrentIndex(dialog.format.findData("html"))
    assert shown(dialog.diagram) and not shown(dialog.page)
    assert not dialog.preview.isVisible() or dialog.preview.pixmap().isNull()
    dialog.format.setCurrentIndex(dialog.format.findData("acme.bad"))
    assert "colour" in dialog.extra  # a plugin's own option gets a text field
    dialog.extra["colour"].setText("red")
    assert dialog.options() == {"colour": "red"}


def test_preview_of_image_formats(window: MainWindow, qtbot: Any) -> None:
    dialog = _dialog(window, qtbot)
    dialog.format.setCurrentIndex(dialog.format.findData("png"))
    dialog.update_preview()
    full = dialog.preview.pixmap()
    assert not full.isNull() and full.width() <= 360 and full.height() <= 240
    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    dialog.update_preview()
    page = dialog.preview.pixmap()
    assert not page.isNull() and page.width() > page.height()  # an A4 landscape page


def test_export_png_of_the_selection(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    window.diagram.select_ids(["C-2", "C-3"])
    dialog = _dialog(window, qtbot)
    assert dialog.selection_only.isEnabled() and not dialog.selection_only.isChecked()
    _choose(dialog, "png", tmp_path / "part")
    dialog.selection_only.setChecked(True)
    dialog.scale.setValue(1.0)
    assert dialog.options()["selection"] == "C-2,C-3"
    assert dialog.export()
    written = tmp_path / "part.png"  # the extension is added
    image = QImage(str(written))
    assert not image.isNull()
    _choose(dialog_all := _dialog(window, qtbot), "png", tmp_path / "all.png")
    dialog_all.scale.setValue(1.0)
    assert dialog_all.export()
    assert image.width() < QImage(str(tmp_path / "all.png")).width()
    assert QSettings().value(FORMAT_SETTING) == "png"
    assert window.statusBar().currentMessage().startswith("Exported")


def test_export_pdf_svg_and_html(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    dialog = _dialog(window, qtbot)
    _choose(dialog, "pdf", tmp_path / "d.pdf")
    dialog.page.setCurrentText("A3")
    dialog.orientation.setCurrentIndex(dialog.orientation.findData("portrait"))
    assert dialog.export()
    page = PdfReader(str(tmp_path / "d.pdf")).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 1191)

    dialog = _dialog(window, qtbot)
    _choose(dialog, "svg", tmp_path / "d.svg")
    dialog.legend.setChecked(False)
    assert dialog.export()
    root = etree.parse(str(tmp_path / "d.svg")).getroot()
    legend = root.find(".//{http://www.w3.org/2000/svg}g[@id='layer-legend']")
    assert legend is not None and len(legend) == 0

    dialog = _dialog(window, qtbot)
    _choose(dialog, "html", tmp_path / "r.html")
    dialog.diagram.setChecked(False)
    assert dialog.export()
    assert "<svg" not in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_failures_are_shown_and_keep_the_dialog(
    window: MainWindow, qtbot: Any, tmp_path: Path, errors: list[tuple[str, str]]
) -> None:
    dialog = _dialog(window, qtbot)
    _choose(dialog, "acme.bad", tmp_path / "x.bad")
    assert not dialog.export()
    assert "acme.broken" in errors[-1][1] and "the printer is on fire" in errors[-1][1]
    _choose(dialog, "pdf", tmp_path / "missing" / "x.pdf")
    assert not dialog.export()
    assert "does not exist" in errors[-1][1]
    assert dialog.isVisible()


def test_an_untitled_document_is_asked_for_its_title_block(
    window: MainWindow, qtbot: Any, tmp_path: Path, errors: list[tuple[str, str]]
) -> None:
    from docx import Document as WordDocument
    from PySide6.QtTest import QTest

    doc = window.document
    doc.set_info(title="", author="", organisation="", version="")
    dialog = _dialog(window, qtbot)
    assert dialog.info_box.isVisible()
    qtbot.waitExposed(dialog)
    assert window.screen().availableGeometry().height() < 900  # a laptop-sized screen
    for line in dialog.info_fields.values():  # whole fields, not squeezed to slivers
        assert line.height() >= line.sizeHint().height()
    _choose(dialog, "docx", tmp_path / "r.docx")
    assert not dialog.export()  # no title: asked for one, nothing written
    assert "title" in errors[-1][1] and not (tmp_path / "r.docx").exists()
    assert dialog.isVisible()
    for field, text in (
        ("title", "Wheel brakes STPA"),
        ("author", "A. Analyst"),
        ("organisation", "Acme Aero"),
        ("version", "1.2"),
    ):
        line = dialog.info_fields[field]
        line.setFocus()
        QTest.keyClicks(line, text)
    assert dialog.export()
    assert (doc.info.title, doc.info.author, doc.info.organisation, doc.info.version) == (
        "Wheel brakes STPA",
        "A. Analyst",
        "Acme Aero",
        "1.2",
    )
    word = WordDocument(str(tmp_path / "r.docx"))
    words = "\n".join(p.text for p in word.paragraphs)
    facts = [cell.text for cell in word.tables[0]._cells]
    assert word.paragraphs[0].text == "Wheel brakes STPA" and "Acme Aero" in facts
    assert "Untitled" not in words
    doc.undo()  # the title block was one edit
    assert doc.info.title == "" and doc.info.organisation == ""
    doc.redo()
    titled = _dialog(window, qtbot)
    assert not titled.info_box.isVisibleTo(titled)
