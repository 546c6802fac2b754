"""Big documents without freezing: a big file is read in a worker thread, the overview shows
a picture painted between events, long GUI work runs in slices, and the collector leaves a
built big document alone."""

from __future__ import annotations

import gc
import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QRegion, QTransform
from PySide6.QtWidgets import QDialog, QMessageBox, QStyleOptionGraphicsItem
from ui_documents import names, saved

import stipa.io.vocabulary
from stipa import io
from stipa.diagram.labels import LabelPlacer
from stipa.model import Component, Document, Finding, Severity
from stipa.resources import examples
from stipa.testing.generate import generate_document
from stipa.ui import MainWindow, collector, navigation, reading
from stipa.ui import main_window as main_window_module
from stipa.ui.canvas import scene as scene_module
from stipa.ui.canvas.component import ComponentItem
from stipa.ui.canvas.repaint import painting
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.style import ComponentStyle
from stipa.ui.navigation import SKETCH_BELOW, Overview
from stipa.ui.slices import Slices
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui

PASTA = Path(__file__).parents[1] / "importers" / "fixtures" / "small.stpa"


@pytest.fixture
def threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is read in a worker thread, however small."""
    monkeypatch.setattr(reading, "READ_AT_ONCE_BYTES", -1)


@pytest.fixture(autouse=True)
def _collector_released() -> Generator[None, None, None]:
    yield
    collector.release()  # nothing a test settled stays out of the collector's reach


# --- reading a big file in a worker thread ------------------------------------------------------


def test_a_big_file_is_read_in_a_worker_thread_and_then_shown(
    qtbot, make_window: WindowFactory, tmp_path: Path, threaded: None
) -> None:
    path = saved(tmp_path / "big.stipa", "Pump", "Valve")
    window = make_window()
    before = window.document
    assert window.open_path(path)
    assert window.reading is not None  # being read: the old document is still shown
    assert window.document is before
    qtbot.waitUntil(lambda: window.path == path)
    assert names(window.document) == ["Pump", "Valve"]
    assert window.reading is None and not make_window.errors
    assert path in window.recent_files()


def test_a_malformed_big_file_gives_the_message_a_small_one_gives(
    qtbot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "broken.stipa"
    bad.write_text('<?xml version="1.0"?>\n<stipa>\n  <unclosed>\n</stipa>\n', encoding="utf-8")
    window = make_window()
    window.document.add(Component(name="Keep me"))
    assert not window.open_path(bad)  # read at once
    [at_once] = make_window.errors
    monkeypatch.setattr(reading, "READ_AT_ONCE_BYTES", -1)
    assert window.open_path(bad)  # being read
    qtbot.waitUntil(lambda: len(make_window.errors) == 2)
    assert make_window.errors[1] == at_once
    assert "broken.stipa:" in at_once[1]  # "file:line: what"
    assert names(window.document) == ["Keep me"] and window.path is None


def test_a_missing_file_says_so_either_way(
    qtbot, make_window: WindowFactory, tmp_path: Path, threaded: None
) -> None:
    window = make_window()
    assert not window.open_path(tmp_path / "nowhere.stipa")  # nothing to read: said at once
    [(title, text)] = make_window.errors
    assert "nowhere.stipa" in title and "nowhere.stipa" in text


def test_a_big_file_over_the_limit_is_asked_about_then_read(
    qtbot,
    make_window: WindowFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    threaded: None,
) -> None:
    path = saved(tmp_path / "big.stipa", "Pump")
    monkeypatch.setattr(stipa.io.vocabulary, "MAX_FILE_BYTES", path.stat().st_size - 1)
    make_window.answers["ask_open_large"] = True
    window = make_window()
    assert window.open_path(path)
    qtbot.waitUntil(lambda: window.path == path)
    assert [name for name, _arguments in make_window.questions] == ["ask_open_large"]
    assert names(window.document) == ["Pump"] and window.size_limit is not None


def test_edits_made_while_a_file_is_read_are_offered_for_saving(
    qtbot, make_window: WindowFactory, tmp_path: Path, threaded: None
) -> None:
    path = saved(tmp_path / "big.stipa", "Pump")
    window = make_window()
    asked: list[bool] = []

    def cancel() -> QMessageBox.StandardButton:
        asked.append(True)
        return QMessageBox.StandardButton.Cancel

    window.ask_save_changes = cancel  # type: ignore[method-assign]
    assert window.open_path(path)
    window.document.add(Component(name="Typed meanwhile"))
    qtbot.waitUntil(lambda: asked == [True])  # Cancel: the edit stays, the file is not shown
    assert names(window.document) == ["Typed meanwhile"] and window.path is None


def test_a_document_shown_meanwhile_wins_over_the_file_being_read(
    qtbot, make_window: WindowFactory, tmp_path: Path, threaded: None
) -> None:
    path = saved(tmp_path / "big.stipa", "Pump")
    window = make_window()
    assert window.open_path(path)
    reading_ = window.reading
    assert reading_ is not None
    window.new_document()  # File > New while the file is read
    assert window.reading is None
    reading_.worker.join(10)  # type: ignore[union-attr]
    qtbot.wait(50)
    assert window.path is None and names(window.document) == []


def _read_off_the_gui_thread(monkeypatch: pytest.MonkeyPatch, name: str) -> list[bool]:
    """Note, for each call of the window's ``name`` (a reader), whether it ran off the GUI
    thread."""
    real = getattr(main_window_module, name)
    off: list[bool] = []

    def noted(*arguments: Any) -> Any:
        off.append(threading.current_thread() is not threading.main_thread())
        return real(*arguments)

    monkeypatch.setattr(main_window_module, name, noted)
    return off


def test_reload_reads_a_big_file_in_a_worker_thread(
    qtbot,
    make_window: WindowFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    threaded: None,
) -> None:
    path = saved(tmp_path / "big.stipa", "Pump")
    window = make_window()
    assert window.open_path(path)
    qtbot.waitUntil(lambda: window.path == path)
    shown = window.document
    saved(path, "Pump", "Theirs")  # another program wrote it
    off = _read_off_the_gui_thread(monkeypatch, "read")
    assert window.reload()
    assert window.reading is not None and window.document is shown  # being read
    qtbot.waitUntil(lambda: window.document is not shown)
    assert off == [True]
    assert names(window.document) == ["Pump", "Theirs"] and window.path == path
    assert not window.document.modified and window.reading is None
    assert window.statusBar().currentMessage() == f"Reloaded {path}"
    asked: list[bool] = []

    def cancel() -> QMessageBox.StandardButton:
        asked.append(True)
        return QMessageBox.StandardButton.Cancel

    window.ask_save_changes = cancel  # type: ignore[method-assign]
    saved(path, "Pump")
    assert window.reload() and window.reading is not None
    window.document.add(Component(name="Typed meanwhile"))
    qtbot.waitUntil(lambda: asked == [True])  # offered for saving; Cancel: the edit stays
    assert names(window.document) == ["Pump", "Theirs", "Typed meanwhile"]


def test_an_example_is_read_in_a_worker_thread_when_big(
    qtbot,
    make_window: WindowFactory,
    monkeypatch: pytest.MonkeyPatch,
    threaded: None,
) -> None:
    example = next(path for path in examples() if path.stem == "wheel-brakes")
    window = make_window()
    shown = window.document
    off = _read_off_the_gui_thread(monkeypatch, "read")
    window.open_example(example)
    assert window.reading is not None and window.document is shown
    qtbot.waitUntil(lambda: window.document is not shown)
    assert off == [True] and window.path is None  # an untitled copy
    assert len(window.document.components) == len(io.load(example).components) > 0
    assert not make_window.errors


def test_another_tools_big_file_is_imported_in_a_worker_thread(
    qtbot,
    make_window: WindowFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    threaded: None,
) -> None:
    window = make_window()
    shown = window.document
    off = _read_off_the_gui_thread(monkeypatch, "import_file")
    assert window.open_path(PASTA)  # imported, as File > Import… does
    assert window.reading is not None and window.document is shown
    qtbot.waitUntil(lambda: window.document is not shown)
    assert off == [True] and window.path is None and window.document.modified
    assert len(window.document.components) == 3
    dialog = window.findChild(QDialog, "dialog.import_report")
    assert dialog is not None and dialog.isVisible()
    broken = tmp_path / "broken.stpa"
    broken.write_text("<not a PASTA file", encoding="utf-8")
    assert window.import_path(broken)  # being read; then it says why not
    qtbot.waitUntil(lambda: bool(make_window.errors))
    monkeypatch.setattr(reading, "READ_AT_ONCE_BYTES", 1 << 20)
    assert not window.import_path(broken)  # read at once: the same words
    in_thread, at_once = make_window.errors
    assert in_thread == at_once and at_once[0] == "Cannot import broken.stpa"
    assert "broken.stpa" in at_once[1] and window.document.modified


# --- the overview -------------------------------------------------------------------------------


def _overview(window: MainWindow) -> Overview:
    overview = window.findChild(Overview)
    assert overview is not None
    return overview


def test_the_overview_shows_a_picture_that_follows_the_diagram(
    qtbot, make_window: WindowFactory
) -> None:
    doc = Document()
    pump = doc.add(Component(name="Pump"))
    window = make_window(doc)
    overview = _overview(window)
    overview.show()
    qtbot.waitUntil(lambda: overview.picture is not None and not overview.repainting)
    first = overview.picture
    assert first is not None and overview.picture_area.contains(QPointF(0, 0))
    image = first.toImage()
    background = QColor(0, 0, 0, 0)
    drawn = {
        image.pixelColor(x, y).rgba() for x in range(image.width()) for y in range(image.height())
    }
    assert drawn - {background.rgba()}  # the component is in the picture
    # scrolling the canvas moves the frame, and paints no new picture
    window.view.horizontalScrollBar().setValue(window.view.horizontalScrollBar().value() + 40)
    qtbot.wait(20)
    assert overview.picture is first and not overview.repainting
    # an edit of the diagram: a new picture of the diagram as it is now
    window.document.add(Component(name="Valve"))
    qtbot.waitUntil(lambda: overview.picture is not first and not overview.repainting)
    assert overview.picture_area.contains(window.diagram.components[pump.id].sceneBoundingRect())


def test_a_hidden_overview_paints_nothing_until_shown(qtbot, make_window: WindowFactory) -> None:
    window = make_window()
    overview = _overview(window)
    window.navigation.dock.hide()
    window.document.add(Component(name="Pump"))
    qtbot.wait(20)
    assert overview.picture is None and not overview.repainting
    window.navigation.dock.show()
    qtbot.waitUntil(lambda: overview.picture is not None)


# --- slices --------------------------------------------------------------------------------------


def test_slices_report_progress_and_what_the_work_gave(qtbot) -> None:
    owner = QObject()
    slices = Slices(owner)
    progress: list[int] = []
    finished: list[str] = []

    def work() -> Generator[int, None, str]:
        yield from range(1, 4)
        return "done"

    slices.start(work(), finished=finished.append, progress=progress.append, seconds=0.0)
    assert progress == [1] and slices.running  # a slice at once, the rest between events
    qtbot.waitUntil(lambda: finished == ["done"])
    assert progress == [1, 2, 3] and not slices.running


def test_stopped_slices_close_the_work_and_never_finish(qtbot) -> None:
    owner = QObject()
    slices = Slices(owner)
    closed: list[bool] = []
    finished: list[object] = []

    def work() -> Generator[None, None, None]:
        try:
            while True:
                yield
        finally:
            closed.append(True)

    slices.start(work(), finished=finished.append, seconds=0.0)  # a slice, then between events
    assert slices.running and closed == []
    slices.stop()
    qtbot.wait(20)
    assert closed == [True] and finished == [] and not slices.running


def test_work_that_fails_leaves_nothing_running(qtbot) -> None:
    owner = QObject()
    slices = Slices(owner)

    def work() -> Generator[None, None, None]:
        yield
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        slices.start(work())
    assert not slices.running


# --- the staged build and the collector ----------------------------------------------------


def test_a_big_diagram_is_left_to_the_collector_only_until_it_is_replaced(
    qtbot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scene_module, "STAGED_ABOVE", 20)
    collector.release()
    doc = generate_document(20, links_per_component=2, seed=1)
    window = make_window()
    window.set_document(doc, None)
    assert window.diagram.building
    assert not gc.isenabled()  # no collection walks the items while they are made
    qtbot.waitUntil(lambda: not window.diagram.building)
    assert gc.isenabled() and gc.get_freeze_count() > 0  # built: out of the collector's way
    window.new_document()
    assert gc.get_freeze_count() == 0  # replaced: what it held is collected as before


def test_pauses_nest_and_a_settle_after_a_release_collects_in_full() -> None:
    assert gc.isenabled()
    outer, inner = collector.Pause(), collector.Pause()
    inner.resume()
    assert not gc.isenabled()  # the outer pause still holds
    outer.resume()
    outer.resume()  # again: nothing
    assert gc.isenabled()
    full: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(note)
    try:
        collector.settle()
        assert gc.get_freeze_count() > 0
        collector.release()
        assert gc.get_freeze_count() == 0
        full.clear()
        collector.settle()  # what was given back is collected first, not put aside again
        assert full == [1]
    finally:
        gc.callbacks.remove(note)


def test_an_index_built_a_piece_at_a_time_places_labels_as_one_built_at_once() -> None:
    boxes = [(0.0, 0.0, 100.0, 40.0), (300.0, 0.0, 100.0, 40.0), (150.0, 200.0, 100.0, 40.0)]
    routes = [((100.0, 20.0), (300.0, 20.0)), ((200.0, 40.0), (200.0, 200.0))]
    at_once = LabelPlacer(boxes, routes)
    pieces = LabelPlacer()
    for box in boxes:
        pieces.add_component(box)
    for points in routes:
        pieces.add_route(points)
    candidates = [(150.0, 5.0, 60.0, 14.0), (150.0, 25.0, 60.0, 14.0), (205.0, 100.0, 60.0, 14.0)]
    assert [at_once.free(rect) for rect in candidates] == [pieces.free(rect) for rect in candidates]
    assert at_once.place(candidates) == pieces.place(candidates)


# --- level of detail ----------------------------------------------------------------------------


def test_names_are_drawn_where_they_can_be_read_and_left_out_far_out(
    qtbot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = Document()
    pump = doc.add(Component(name="Pump"))
    window = make_window(doc)
    item = window.diagram.components[pump.id]
    named: list[bool] = []
    paint_text = ComponentItem._paint_text

    def noting(self: ComponentItem, painter: QPainter, style: ComponentStyle) -> None:
        named.append(True)
        paint_text(self, painter, style)

    monkeypatch.setattr(ComponentItem, "_paint_text", noting)
    image = QImage(400, 200, QImage.Format.Format_ARGB32)

    def painted(scale: float, exposure: float | None = None) -> bool:
        named.clear()
        painter = QPainter(image)
        painter.scale(scale, scale)
        if exposure is None:
            item.paint(painter, QStyleOptionGraphicsItem(), None)
        else:  # as a view or the overview paints: the level of detail is the exposure's
            with painting(None, QRegion(0, 0, 400, 200), QTransform.fromScale(exposure, exposure)):
                item.paint(painter, QStyleOptionGraphicsItem(), None)
        painter.end()
        return bool(named)

    assert painted(1.0) and painted(0.5)  # readable: the name is drawn
    assert not painted(0.1)  # a smudge of a pixel or two: left out
    assert painted(1.0, exposure=1.0) and not painted(1.0, exposure=0.1)


def test_a_big_diagram_far_out_is_sketched_in_the_overview(
    qtbot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = generate_document(60, links_per_component=2, seed=2)
    sketched: list[object] = []
    sketching = navigation._sketching

    def noting(diagram: DiagramScene, *rest: Any) -> Generator[None, None, None]:
        sketched.append(diagram)
        yield from sketching(diagram, *rest)

    monkeypatch.setattr(navigation, "_sketching", noting)
    window = make_window(doc)
    overview = _overview(window)
    overview.show()
    qtbot.waitUntil(lambda: overview.picture is not None and not overview.repainting)
    assert overview.transform().m11() < SKETCH_BELOW  # far out: a sketch
    assert sketched and all(diagram is window.diagram for diagram in sketched)
    image = overview.picture.toImage()
    drawn = sum(
        image.pixelColor(x, y).alpha() > 0
        for x in range(image.width())
        for y in range(image.height())
    )
    assert drawn > image.width() * image.height() / 20  # boxes and lines, not an empty picture


def test_badges_of_links_show_once_a_staged_build_has_made_the_links(
    qtbot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scene_module, "STAGED_ABOVE", 20)
    doc = generate_document(20, links_per_component=2, seed=1)
    link = next(iter(doc.links.values()))
    doc.add(
        Finding(plugin="test", rule="r", severity=Severity.WARNING, message="m", targets=(link.id,))
    )
    window = make_window()
    window.set_document(doc, None)
    assert window.diagram.building and link.id not in window.diagram.links
    badges = window.analysis.badges
    qtbot.waitUntil(lambda: not window.diagram.building and not badges.slices.running)
    assert badges.badges[link.id].parentItem() is window.diagram.links[link.id]
