"""Big documents without freezing: the staged diagram build and the UCA table's row sizing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDockWidget, QMessageBox

from stipa import io
from stipa.model import Document, UCAType, UnsafeControlAction
from stipa.testing.generate import generate_document
from stipa.ui import MainWindow
from stipa.ui.canvas import scene as scene_module
from stipa.ui.canvas.scene import STAGED_ABOVE, DiagramScene
from stipa.ui.workbench.dock import StpaDock

pytestmark = pytest.mark.gui

#: Components of the "big" document, and the size above which it is built in steps here
#: (lowered from ``STAGED_ABOVE`` so the test stays quick).
COMPONENTS = 40
STAGED = 60


@pytest.fixture(autouse=True)
def _small_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    assert STAGED < STAGED_ABOVE
    monkeypatch.setattr(scene_module, "STAGED_ABOVE", STAGED)
    monkeypatch.setattr(scene_module, "_STEP_SECONDS", 0.001)


def _generated() -> Document:
    doc = generate_document(COMPONENTS, links_per_component=2, seed=3)
    assert len(doc.components) + len(doc.links) > STAGED
    return doc


@pytest.fixture
def big() -> Document:
    return _generated()


def _drawn(scene: DiagramScene) -> dict[str, tuple[object, object]]:
    """Each link's route and label place, as the scene has them."""
    return {i: (link.points(), link.label_box()) for i, link in scene.links.items()}


def test_a_staged_build_lets_events_in_and_ends_as_the_one_go_build(qtbot, big: Document) -> None:
    staged = DiagramScene(big, staged=True)
    # at once: every component, so a view can fit the diagram; the links come later
    assert staged.building
    assert all(item.scene() is staged for item in staged.components.values())
    assert len(staged.components) == len(big.components)
    assert not any(link.scene() is staged for link in staged.links.values())
    steps = []
    staged.contentChanged.connect(lambda: steps.append(staged.building))
    qtbot.waitUntil(lambda: not staged.building, timeout=60_000)
    assert steps == [False]  # told once, when complete (after several steps)
    assert all(link.scene() is staged for link in staged.links.values())
    one_go = DiagramScene(big)
    assert not one_go.building
    assert _drawn(staged) == _drawn(one_go)
    assert staged.sceneRect() == one_go.sceneRect()
    staged.close()
    one_go.close()


def test_an_edit_during_a_staged_build_is_followed(qtbot, big: Document) -> None:
    doc = big
    scene = DiagramScene(doc, staged=True)
    assert scene.building
    link_id = next(iter(doc.links))
    doc.remove(link_id)  # the build completes first, then follows the edit
    assert not scene.building
    assert link_id not in scene.links
    assert len(scene.links) == len(doc.links)
    doc.undo()
    assert scene.links[link_id].scene() is scene
    scene.close()


def test_opening_a_big_file_builds_the_diagram_in_steps(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, big: Document
) -> None:
    path = tmp_path / "big.stipa"
    io.save(big, path)
    window = MainWindow()
    monkeypatch.setattr(window, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(path)
    assert window.diagram.building
    qtbot.waitUntil(lambda: not window.diagram.building, timeout=60_000)
    diagram = window.diagram
    assert len(diagram.links) == len(window.document.links)
    assert all(link.scene() is diagram for link in diagram.links.values())


def test_the_uca_table_sizes_the_rows_in_sight(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = generate_document(300, seed=5)
    actions = [item.id for link in doc.links.values() for item in link.items]
    actions = [a for a in actions if a.startswith("CA-")]
    first, last = actions[0], actions[-1]
    with doc.transaction("Three UCAs each"):
        for action in (first, last):
            for n in range(3):
                doc.add(
                    UnsafeControlAction(
                        action=action, type=UCAType.PROVIDED, context=f"in situation {n}"
                    )
                )
    window = MainWindow(doc)
    monkeypatch.setattr(window, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    dock = window.findChild(QDockWidget, "dock.stpa")
    assert isinstance(dock, StpaDock)
    dock.show_tab("uca_table")
    page = dock.uca_table
    view = page.view
    default = view.verticalHeader().defaultSectionSize()
    top = page.proxy.mapFromSource(page.model.index(page.model.row_of(first), 0)).row()
    bottom = page.proxy.mapFromSource(page.model.index(page.model.row_of(last), 0)).row()
    assert bottom > top + 50  # far out of sight
    qtbot.waitUntil(lambda: view.rowHeight(top) == view.sizeHintForRow(top))
    assert view.rowHeight(top) > default  # three UCAs in a cell: three lines
    assert view.rowHeight(bottom) == default  # not measured while out of sight
    view.scrollToBottom()
    qtbot.waitUntil(lambda: view.rowHeight(bottom) == view.sizeHintForRow(bottom))
    assert view.rowHeight(bottom) > default
