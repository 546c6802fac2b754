"""The diagram scene: follows the document's events and keeps item <-> record maps."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsScene

from stipa.diagram.containers import frame_outline, label_obstacles
from stipa.diagram.labels import LabelPlacer
from stipa.diagram.scene import fallback_layout
from stipa.model import (
    Component,
    Document,
    Event,
    Link,
    LinkLayout,
    NodeLayout,
    RecordAdded,
    RecordChanged,
    RecordRemoved,
)
from stipa.operations.drawing import commit_geometry
from stipa.ui.canvas.component import ComponentItem
from stipa.ui.canvas.container import Hierarchy
from stipa.ui.canvas.link import LinkItem
from stipa.ui.canvas.style import GRID


class DiagramScene(QGraphicsScene):
    """Shows one document. Commands change the model; the scene reacts to its events."""

    #: Emitted after the scene followed a model change (counts may have changed).
    contentChanged = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.snap_to_grid = True
        self.show_grid = True
        self.components: dict[str, ComponentItem] = {}
        self.links: dict[str, LinkItem] = {}
        self._arrange_pending = False
        #: Links a drag re-routed whose bounding box is not exact yet (see ``settle_links``).
        self.loose_links: set[LinkItem] = set()
        #: During a large drag: components that do not move keep their ports (and their
        #: other links their routes) until the drop.
        self.defer_neighbours = False
        #: containment: frames, collapsed contents, the drilled-down view
        self.hierarchy = Hierarchy(self)
        self._build()
        self._unsubscribe = document.subscribe(self._on_event)

    def close(self) -> None:
        """Stop following the document (before the scene is discarded)."""
        self._unsubscribe()

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        """Make every item, route the links and place the labels, then add them all at once.

        Items outside a scene can change geometry without invalidating or re-indexing
        anything, so all the work happens before ``addItem``.
        """
        doc = self.document
        components = self.components
        for index, component in enumerate(doc.components.values()):
            layout = doc.node_layout.get(component.id) or self._auto_layout(index)
            components[component.id] = ComponentItem(component, layout)
        link_layout = doc.link_layout
        for link in doc.links.values():
            self.links[link.id] = LinkItem(
                link,
                components[link.source],
                components[link.target],
                link_layout.get(link.id),
                route=False,
            )
        self.hierarchy.refresh()  # frames and collapsed containers take their sizes first
        for item in self.links.values():  # once every port is known
            item.reroute()
        self.arrange_labels()
        for item in self.links.values():
            if item.label_box() is None:  # the others got their box with their label
                item.settle()
        for component_item in components.values():
            self.addItem(component_item)
        for item in self.links.values():
            self.addItem(item)
        self.update_scene_rect()

    def _auto_layout(self, index: int) -> NodeLayout:
        return fallback_layout(index)

    def _add_component(
        self, component: Component, layout: NodeLayout | None, index: int | None = None
    ) -> ComponentItem:
        if layout is None:  # drawn where the file gave no position
            layout = self._auto_layout(len(self.components) if index is None else index)
        item = ComponentItem(component, layout)
        self.components[component.id] = item
        self.addItem(item)
        return item

    def _add_link(self, link: Link, reroute: bool = True) -> LinkItem:
        item = LinkItem(
            link,
            self.components[link.source],
            self.components[link.target],
            self.document.link_layout.get(link.id),
            route=reroute,
        )
        self.links[link.id] = item
        self.addItem(item)
        if reroute:
            self._reroute_siblings(item)
        return item

    @staticmethod
    def _reroute_siblings(item: LinkItem) -> None:
        """Re-route the links sharing an end with ``item`` (their ports shift)."""
        for end in (item.source, item.target):
            end.invalidate_ports()
            end.update_links()

    def schedule_arrange(self) -> None:
        """Arrange labels once the current burst of changes is over."""
        if not self._arrange_pending:
            self._arrange_pending = True
            QTimer.singleShot(0, self.arrange_labels)

    def arrange_labels(self) -> None:
        """Place every link label where it hits no component, no segment, no arrow head and
        no other label (``stipa.diagram.labels``, as every export places them).

        Greedy, in document order, over each link's near candidate places, then its far
        ones; moves only labels whose place changed.
        """
        self._arrange_pending = False
        placer = LabelPlacer(
            label_obstacles(
                (component.box(), component.drawn_as_frame)
                for component in self.components.values()
                if component.isVisible()
            ),
            [
                *(link._pts for link in self.links.values() if link.isVisible()),
                *(
                    frame_outline(component.box())
                    for component in self.components.values()
                    if component.drawn_as_frame and component.isVisible()
                ),
            ],
        )
        for link in self.links.values():
            chosen = placer.place(link._candidates(), link._candidates(far=True))
            if chosen is not None:
                link.set_label(chosen)
        if self.views():  # the labels are in place: the diagram's bounds are known again
            self.update_scene_rect()

    def settle_links(self) -> None:
        """Make the bounding boxes of the links a drag re-routed exact again."""
        loose, self.loose_links = self.loose_links, set()
        for link in loose:
            if link.scene() is self:
                link.settle()

    def update_scene_rect(self) -> None:
        """Fit the scene rect to the diagram with a margin (keeps hit tests fast)."""
        bounds = self.diagram_rect()
        margin = 400.0
        if bounds.isNull():
            bounds = QRectF(0, 0, 800, 600)
        self.setSceneRect(bounds.adjusted(-margin, -margin, margin, margin))

    def diagram_rect(self) -> QRectF:
        """The box around every component and link, from the items' own figures.

        What ``itemsBoundingRect()`` gives for the diagram, without asking Qt to walk every
        item; decorations sticking out a few pixels are left out.
        """
        boxes = [c.sceneBoundingRect() for c in self.components.values()]
        boxes += [link.boundingRect() for link in self.links.values()]
        if not boxes:
            return QRectF()
        left = min(box.left() for box in boxes)
        top = min(box.top() for box in boxes)
        right = max(box.right() for box in boxes)
        bottom = max(box.bottom() for box in boxes)
        return QRectF(left, top, right - left, bottom - top)

    # --- following the model -----------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        self.hierarchy.note(event)
        if isinstance(event, RecordAdded):
            self._added(event.table, event.record)
        elif isinstance(event, RecordChanged):
            self._changed(event.table, event.new)
        elif isinstance(event, RecordRemoved):
            self._removed(event.table, event.record)
        else:
            return
        if event.table in ("components", "links", "node_layout", "link_layout"):
            self.schedule_arrange()
        self.contentChanged.emit()

    def _added(self, table: str, record: object) -> None:
        if table == "components":
            assert isinstance(record, Component)
            self._add_component(record, self.document.node_layout.get(record.id))
        elif table == "links":
            assert isinstance(record, Link)
            self._add_link(record)
        else:
            self._changed(table, record)

    def _changed(self, table: str, record: object) -> None:
        if table == "components":
            assert isinstance(record, Component)
            self.components[record.id].set_component(record)
        elif table == "links":
            assert isinstance(record, Link)
            self.links[record.id].set_link(record)
        elif table == "node_layout":
            assert isinstance(record, NodeLayout)
            item = self.components.get(record.id)
            if item is not None:
                item.set_layout(record)
        elif table == "link_layout":
            assert isinstance(record, LinkLayout)
            link = self.links.get(record.id)
            if link is not None:
                link.set_route_layout(record)

    def _removed(self, table: str, record: object) -> None:
        if table == "components":
            assert isinstance(record, Component)
            item = self.components.pop(record.id)
            self.removeItem(item)
        elif table == "links":
            assert isinstance(record, Link)
            link = self.links.pop(record.id)
            link.detach()
            self.removeItem(link)
            self._reroute_siblings(link)
        elif table == "link_layout":
            assert isinstance(record, LinkLayout)
            link_item = self.links.get(record.id)
            if link_item is not None:
                link_item.set_route_layout(None)

    # --- queries for tools -------------------------------------------------------------------
    def component_at(self, point: QPointF) -> ComponentItem | None:
        """The topmost component under a scene point."""
        for item in self.items(point):
            if isinstance(item, ComponentItem):
                return item
        return None

    def selected_ids(self) -> list[str]:
        """Ids of the selected components and links, in document order."""
        selected = {
            item.record_id
            for item in self.selectedItems()
            if isinstance(item, ComponentItem | LinkItem)
        }
        order = [*self.document.components, *self.document.links]
        return [record_id for record_id in order if record_id in selected]

    def select_ids(self, ids: list[str] | set[str]) -> None:
        """Select exactly the items of these records."""
        wanted = set(ids)
        self.clearSelection()
        for record_id in wanted:
            item = self.components.get(record_id) or self.links.get(record_id)
            if item is not None:
                item.setSelected(True)

    def commit_geometry(self, items: list[ComponentItem], label: str) -> None:
        """Write the drawn geometry of ``items`` to the model as one undo step."""
        if not commit_geometry(self.document, [item.layout() for item in items], label):
            for item in items:  # a drag that ended where it began: settle the links
                item.update_links()
            self.settle_links()
            return
        self.settle_links()
        self.update_scene_rect()

    def reset_geometry(self) -> None:
        """Put every item back where the model has it (after a refused gesture)."""
        for record_id, item in self.components.items():
            layout = self.document.node_layout.get(record_id)
            if layout is not None:
                item.set_layout(layout)
        self.settle_links()

    def free_position(self, point: QPointF) -> QPointF:
        """``point`` snapped to the grid when snapping is on."""
        if not self.snap_to_grid:
            return point
        return QPointF(round(point.x() / GRID) * GRID, round(point.y() / GRID) * GRID)
