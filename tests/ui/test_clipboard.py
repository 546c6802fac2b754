"""Cut, copy, paste and duplicate: the records, ids, offsets, undo steps and refusals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPointF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from stipa import io
from stipa.model import (
    Component,
    Document,
    Finding,
    Hazard,
    Link,
    LinkItem,
    LinkLayout,
    Loss,
    NodeLayout,
    ProcessVariable,
    Responsibility,
)
from stipa.operations.clipboard import copy_selection as copy_document
from stipa.ui import MainWindow
from stipa.ui.clipboard import STIPA_MIME
from stipa.ui.testing import WindowFactory

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("recovery_dir", "cursor_off_the_canvas")]


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    """A window (not shown, so pastes never follow the mouse) holding a small structure.

    C-1 "Crew" (with a process variable) --LK-1 "Pitch"--> C-2 "Aircraft"
    C-2 --LK-2 "Attitude" (bent route)--> C-1;  C-3 "ATC" --LK-3--> C-1;  L-1, H-1, R-1, F-1.
    """
    win = make_window(show=False)
    doc = win.document
    with doc.transaction("Build"):
        crew = doc.add(
            Component(
                name="Crew",
                variables=[ProcessVariable(name="Mode", values=["manual", "auto"])],
            )
        )
        plane = doc.add(Component(name="Aircraft", kind="controlled_process"))
        atc = doc.add(Component(name="ATC"))
        doc.set_layout(NodeLayout(id=crew.id, x=0, y=0))
        doc.set_layout(NodeLayout(id=plane.id, x=0, y=200, width=200, height=80))
        doc.set_layout(NodeLayout(id=atc.id, x=300, y=0))
        doc.add(Link(source=crew.id, target=plane.id, items=[LinkItem(name="Pitch")]))
        fb = doc.add(
            Link(
                source=plane.id,
                target=crew.id,
                kind="feedback",
                items=[LinkItem(name="Attitude"), LinkItem(name="Speed")],
            )
        )
        doc.set_layout(LinkLayout(id=fb.id, bends=[(250, 240), (250, 30)], label_dx=5))
        doc.add(Link(source=atc.id, target=crew.id, kind="information", items=[]))
        loss = doc.add(Loss(text="Loss of aircraft"))
        doc.add(Hazard(text="Stall", losses=[loss.id]))
        doc.add(Responsibility(text="Fly", owner=crew.id))
        doc.add(Finding(plugin="p", rule="r", message="m", targets=[crew.id]))
    return win


def trigger(window: MainWindow, name: str) -> None:
    window.actions_by_name[name].trigger()


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_actions_are_in_the_edit_menu_and_toolbar_with_shortcuts_and_tooltips(
    window: MainWindow,
) -> None:
    menu = [a.objectName() for a in window.edit_menu.actions()]
    for name in ("cut", "copy", "paste", "duplicate"):
        action = window.actions_by_name[name]
        assert action.objectName() == f"action.{name}"
        assert f"action.{name}" in menu
        assert action.toolTip() and not action.shortcut().isEmpty()
    assert menu.index("action.paste") < menu.index("action.delete")
    assert "STPA records and findings are not copied" in window.actions_by_name["copy"].toolTip()
    toolbar = [a.objectName() for a in window.toolbar.actions()]
    assert {"action.cut", "action.copy", "action.paste"} <= set(toolbar)
    assert window.actions_by_name["duplicate"].shortcut().toString() == "Ctrl+D"


def test_copy_needs_selected_components(window: MainWindow) -> None:
    assert not window.actions_by_name["copy"].isEnabled()
    window.diagram.select_ids(["LK-1"])  # a link alone is not copied
    assert not window.actions_by_name["copy"].isEnabled()
    window.diagram.select_ids(["C-1"])
    assert window.actions_by_name["copy"].isEnabled()
    assert window.actions_by_name["cut"].isEnabled()


def test_copy_holds_the_components_the_links_among_them_and_their_layout(
    window: MainWindow,
) -> None:
    window.diagram.select_ids(["C-1", "C-2"])
    trigger(window, "copy")
    mime = QApplication.clipboard().mimeData()
    assert mime.text() == "Crew\nAircraft"
    clip = io.loads(bytes(mime.data(STIPA_MIME).data()))
    assert list(clip.components) == ["C-1", "C-2"]
    assert list(clip.links) == ["LK-1", "LK-2"]  # LK-3 comes from ATC, not selected
    assert list(clip.node_layout) == ["C-1", "C-2"]
    assert clip.link_layout["LK-2"].bends == ((250, 240), (250, 30))
    assert not clip.losses and not clip.hazards and not clip.responsibilities
    assert not clip.findings
    assert window.document.undo_label == "Build"  # copying is no edit


def test_paste_gives_new_ids_moves_aside_and_is_one_undo_step(window: MainWindow) -> None:
    doc = window.document
    window.diagram.select_ids(["C-1", "C-2"])
    trigger(window, "copy")
    before = io.dumps(doc)
    trigger(window, "paste")
    assert doc.undo_label == "Paste 4 elements"
    new_components = [c for c in doc.components if c not in ("C-1", "C-2", "C-3")]
    new_links = [k for k in doc.links if k not in ("LK-1", "LK-2", "LK-3")]
    assert len(new_components) == 2 and len(new_links) == 2
    crew, plane = (doc.components[c] for c in new_components)
    assert (crew.name, plane.name, plane.kind) == ("Crew", "Aircraft", "controlled_process")
    assert crew.variables[0].name == "Mode" and crew.variables[0].values == ("manual", "auto")
    assert crew.variables[0].id != doc.components["C-1"].variables[0].id
    action, feedback = (doc.links[k] for k in new_links)
    assert (action.source, action.target) == (crew.id, plane.id)
    assert (feedback.source, feedback.target, feedback.kind) == (plane.id, crew.id, "feedback")
    old_item_ids = {i.id for link in doc.links.values() for i in link.items} - {
        i.id for k in new_links for i in doc.links[k].items
    }
    assert not old_item_ids & {i.id for k in new_links for i in doc.links[k].items}
    assert [i.name for i in feedback.items] == ["Attitude", "Speed"]
    assert doc.node_layout[crew.id] == NodeLayout(id=crew.id, x=20, y=20)
    assert doc.node_layout[plane.id] == NodeLayout(id=plane.id, x=20, y=220, width=200, height=80)
    route = doc.link_layout[feedback.id]
    assert route.bends == ((270, 260), (270, 50)) and route.label_dx == 5
    assert set(window.diagram.selected_ids()) == {*new_components, *new_links}
    assert len(doc.responsibilities) == 1 and len(doc.findings) == 1
    assert doc.check() == []
    doc.undo()
    assert io.dumps(doc) == before


def test_repeated_paste_moves_one_step_further_each_time(window: MainWindow) -> None:
    doc = window.document
    window.diagram.select_ids(["C-3"])
    trigger(window, "copy")
    for _ in range(3):
        trigger(window, "paste")
    pasted = [doc.node_layout[c] for c in doc.components if c not in ("C-1", "C-2", "C-3")]
    assert [(p.x, p.y) for p in pasted] == [(320, 20), (340, 40), (360, 60)]
    trigger(window, "copy")  # a fresh copy starts again beside the original
    window.diagram.select_ids(["C-3"])
    trigger(window, "copy")
    trigger(window, "paste")
    last = doc.node_layout[list(doc.components)[-1]]
    assert (last.x, last.y) == (320, 20)


def test_paste_follows_the_mouse_over_the_canvas(qtbot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    doc = window.document
    window.diagram.select_ids(["C-1", "C-2"])
    trigger(window, "copy")
    viewport = window.view.viewport()
    QCursor.setPos(viewport.mapToGlobal(viewport.rect().center()))
    mouse = window.diagram.free_position(window.view.mapToScene(viewport.rect().center()))
    trigger(window, "paste")
    crew, plane = (c for c in doc.components if c not in ("C-1", "C-2", "C-3"))
    assert (doc.node_layout[crew].x, doc.node_layout[crew].y) == (mouse.x(), mouse.y())
    assert doc.node_layout[plane].y == mouse.y() + 200
    trigger(window, "paste")  # the mouse did not move: one step aside
    again = list(doc.components)[-2]
    assert (doc.node_layout[again].x, doc.node_layout[again].y) == (
        mouse.x() + 20,
        mouse.y() + 20,
    )


def test_cut_is_copy_and_delete_in_one_undo_step_and_paste_puts_it_back(
    window: MainWindow,
) -> None:
    doc = window.document
    before = io.dumps(doc)
    window.diagram.select_ids(["C-2"])
    trigger(window, "cut")
    assert "C-2" not in doc.components
    assert set(doc.links) == {"LK-3"}  # C-2's links went with it
    assert doc.undo_label == "Cut 1 component"
    assert QApplication.clipboard().mimeData().text() == "Aircraft"
    doc.undo()
    assert io.dumps(doc) == before
    doc.redo()
    trigger(window, "paste")  # right after a cut: in place
    (new,) = set(doc.components) - {"C-1", "C-3"}
    assert doc.node_layout[new] == NodeLayout(id=new, x=0, y=200, width=200, height=80)


def test_duplicate_leaves_the_clipboard_alone(window: MainWindow) -> None:
    doc = window.document
    mime = QMimeData()
    mime.setText("keep me")
    QApplication.clipboard().setMimeData(mime)
    window.diagram.select_ids(["C-1", "C-3"])
    trigger(window, "duplicate")
    assert QApplication.clipboard().text() == "keep me"
    assert doc.undo_label == "Duplicate 3 elements"  # two components and LK-3
    new = [c for c in doc.components if c not in ("C-1", "C-2", "C-3")]
    assert [doc.components[c].name for c in new] == ["Crew", "ATC"]
    assert doc.node_layout[new[1]] == NodeLayout(id=new[1], x=320, y=20)
    assert set(window.diagram.selected_ids()) == {*new, list(doc.links)[-1]}
    trigger(window, "duplicate")  # duplicating the duplicate steps on
    assert doc.node_layout[list(doc.components)[-1]].x == 340


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", b"<?xml version='1.0'?><html/>", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"],
)
def test_paste_refuses_garbage_with_a_message(window: MainWindow, data: bytes) -> None:
    doc = window.document
    before = io.dumps(doc)
    mime = QMimeData()
    mime.setData(STIPA_MIME, QByteArray(data))
    QApplication.clipboard().setMimeData(mime)
    trigger(window, "paste")
    assert status(window).startswith("Cannot paste")
    assert io.dumps(doc) == before and doc.undo_label == "Build"


def test_paste_without_stipa_data_says_so(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("Crew")
    QApplication.clipboard().setMimeData(mime)
    trigger(window, "paste")
    assert "no Stipa elements" in status(window)
    assert window.document.undo_label == "Build"


def test_paste_takes_only_components_and_links_from_a_whole_document(
    window: MainWindow,
) -> None:
    source = Document()
    a = source.add(Component(name="A"))
    source.add(Loss(text="Loss"))
    source.add(Responsibility(text="R", owner=a.id))
    mime = QMimeData()
    mime.setData(STIPA_MIME, QByteArray(io.dumps(source)))
    QApplication.clipboard().setMimeData(mime)
    trigger(window, "paste")
    doc = window.document
    assert doc.undo_label == "Paste 1 element"
    assert len(doc.losses) == 1 and len(doc.responsibilities) == 1
    assert [c.name for c in doc.components.values()][-1] == "A"


def test_shortcuts_leave_the_in_place_editor_alone(qtbot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.diagram.select_ids(["C-1"])
    window.view.start_rename("C-1")
    trigger(window, "copy")
    trigger(window, "paste")
    trigger(window, "duplicate")
    assert len(window.document.components) == 3
    window.view.finish_rename(False)


def test_copy_document_keeps_links_only_among_the_chosen(window: MainWindow) -> None:
    clip = copy_document(window.document, ["C-3", "C-1"])
    assert list(clip.components) == ["C-1", "C-3"]
    assert list(clip.links) == ["LK-3"]
    assert QPointF(0, 0) == QPointF(clip.node_layout["C-1"].x, clip.node_layout["C-1"].y)
