"""DocumentFollower: how panels follow a window's document and selection across New and Open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal

from stipa.model import Component, Document, Event, NodeLayout, RecordAdded
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.following import DocumentFollower

pytestmark = pytest.mark.gui


class Holder(QObject):
    documentReplaced = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.document = Document()
        self.diagram = DiagramScene(self.document)

    def replace(self) -> Document:
        self.document = Document()
        self.diagram = DiagramScene(self.document)
        self.documentReplaced.emit()
        return self.document


def test_events_follow_the_current_document_and_stop_on_request(qapp) -> None:
    holder, owner = Holder(), QObject()
    seen: list[str] = []
    replaced: list[Document] = []

    def on_event(event: Event) -> None:
        if isinstance(event, RecordAdded):
            seen.append(event.record.id)

    follower = DocumentFollower(owner, holder, on_event, lambda: replaced.append(holder.document))
    old = holder.document
    old.add(Component(name="A"))
    new = holder.replace()
    old.add(Component(name="B"))  # the old document is no longer followed
    new.add(Component(id="C-7", name="C"))
    assert seen == ["C-1", "C-7"] and replaced == [new]
    follower.stop()
    new.add(Component(name="D"))
    holder.replace().add(Component(name="E"))  # stays stopped across a replacement
    assert seen == ["C-1", "C-7"] and follower.following is False and len(replaced) == 2


def test_a_view_listens_only_while_started(qapp) -> None:
    holder, owner = Holder(), QObject()
    seen: list[Event] = []
    follower = DocumentFollower(owner, holder, seen.append, start=False)
    holder.document.add(Component(name="A"))
    assert seen == []
    follower.start()
    holder.replace().add(Component(name="B"))
    added = [e for e in seen if isinstance(e, RecordAdded)]
    assert [e.record.name for e in added] == ["B"] and follower.following


def test_the_selection_of_the_current_canvas_only(qapp) -> None:
    holder, owner = Holder(), QObject()
    changes: list[list[str]] = []
    follower = DocumentFollower(
        owner, holder, on_selection=lambda: changes.append(holder.diagram.selected_ids())
    )
    for document in (holder.document, (new := Document())):
        document.add(Component(id="C-1", name="Pump"))
        document.set_layout(NodeLayout(id="C-1", x=0, y=0))
    old_canvas = holder.diagram
    old_canvas.select_ids(["C-1"])
    assert changes == [["C-1"]]
    holder.document, holder.diagram = new, DiagramScene(new)
    holder.documentReplaced.emit()
    old_canvas.select_ids([])  # the old canvas is no longer followed
    assert changes == [["C-1"]]
    holder.diagram.select_ids(["C-1"])
    assert changes == [["C-1"], ["C-1"]]
    follower.stop()
    holder.diagram.select_ids([])
    assert changes == [["C-1"], ["C-1"]] and not follower.following
