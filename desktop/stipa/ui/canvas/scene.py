"""The diagram scene: follows the document's events and keeps item <-> record maps."""

from __future__ import annotations

import math
from collections import defaultdict

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsScene

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
from stipa.ui.canvas.items import GRID, ComponentItem, LinkItem

#: Default size of a new component, and the grid used when a component has no layout yet.
DEFAULT_WIDTH, DEFAULT_HEIGHT = 160.0, 70.0
_AUTO_COLUMNS, _AUTO_DX, _AUTO_DY = 6, 220.0, 140.0


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
        self._selected_links: set[LinkItem] = set()
        self.selectionChanged.connect(self._restyle_selected_links)
        self._build()
        self._unsubscribe = document.subscribe(self._on_event)

    def close(self) -> None:
        """Stop following the document (before the scene is discarded)."""
        self._unsubscribe()

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        doc = self.document
        for index, component in enumerate(doc.components.values()):
            self._add_component(component, doc.node_layout.get(component.id), index)
        for link in doc.links.values():
            self._add_link(link, reroute=False)
        for item in self.links.values():  # once every port is known
            item.update_route()
        self.update_scene_rect()
        # labels first show beside their lines and settle right after the first paint
        self.schedule_arrange()

    def _auto_layout(self, index: int) -> NodeLayout:
        row, column = divmod(index, _AUTO_COLUMNS)
        return NodeLayout(id="", x=column * _AUTO_DX, y=row * _AUTO_DY)

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
        """Place every link label where it hits no component and no other label.

        Greedy, in document order, over each link's candidate places; a spatial hash keeps
        it linear in the number of links.
        """
        self._arrange_pending = False
        cell = 120.0
        occupied: dict[tuple[int, int], list[QRectF]] = defaultdict(list)

        def cells(rect: QRectF) -> list[tuple[int, int]]:
            columns = range(math.floor(rect.left() / cell), math.floor(rect.right() / cell) + 1)
            rows = range(math.floor(rect.top() / cell), math.floor(rect.bottom() / cell) + 1)
            return [(c, r) for c in columns for r in rows]

        def free(rect: QRectF) -> bool:
            return not any(rect.intersects(o) for key in cells(rect) for o in occupied[key])

        def overlap(rect: QRectF) -> int:
            return sum(rect.intersects(o) for key in cells(rect) for o in occupied[key])

        def occupy(rect: QRectF) -> None:
            for key in cells(rect):
                occupied[key].append(rect)

        for component in self.components.values():
            occupy(component.scene_rect().adjusted(-3, -3, 3, 3))
        for link in self.links.values():
            candidates = list(link.label_candidates())
            if not candidates:
                continue
            chosen = next((rect for rect in candidates if free(rect)), None)
            if chosen is None:  # crowded: the place touching the fewest others
                chosen = min(candidates, key=overlap)
            link.set_label_rect(chosen)
            occupy(chosen.adjusted(-2, -2, 2, 2))

    def _restyle_selected_links(self) -> None:
        selected = {item for item in self.selectedItems() if isinstance(item, LinkItem)}
        for link in selected ^ self._selected_links:
            if link.scene() is self:
                link.selection_changed()
        self._selected_links = selected

    def update_scene_rect(self) -> None:
        """Fit the scene rect to the items with a margin (keeps hit tests fast)."""
        bounds = self.itemsBoundingRect()
        margin = 400.0
        if bounds.isNull():
            bounds = QRectF(0, 0, 800, 600)
        self.setSceneRect(bounds.adjusted(-margin, -margin, margin, margin))

    # --- following the model -----------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        if isinstance(event, RecordAdded):
            self._added(event.table, event.record)
        elif isinstance(event, RecordChanged):
            self._changed(event.table, event.new)
        elif isinstance(event, RecordRemoved):
            self._removed(event.table, event.record)
        else:
            return
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
        changed = [
            item.layout()
            for item in items
            if item.layout() != self.document.node_layout.get(item.record_id)
        ]
        if not changed:
            for item in items:  # a drag that ended where it began: settle the links
                item.update_links()
            return
        with self.document.transaction(label):
            for layout in changed:
                self.document.set_layout(layout)
        self.update_scene_rect()

    def reset_geometry(self) -> None:
        """Put every item back where the model has it (after a refused gesture)."""
        for record_id, item in self.components.items():
            layout = self.document.node_layout.get(record_id)
            if layout is not None:
                item.set_layout(layout)

    def free_position(self, point: QPointF) -> QPointF:
        """``point`` snapped to the grid when snapping is on."""
        if not self.snap_to_grid:
            return point
        return QPointF(round(point.x() / GRID) * GRID, round(point.y() / GRID) * GRID)
