"""The diagram scene: follows the document's events and keeps item <-> record maps."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Generator, Iterable, Sequence

import shiboken6
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSceneMouseEvent

from stipa.diagram.containers import frame_outline, label_obstacles
from stipa.diagram.geometry import Point, Rect
from stipa.diagram.labels import LabelPlacer, arrange
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
    RecordsAdded,
)
from stipa.operations.drawing import commit_geometry
from stipa.ui.canvas.component import COMPONENT_BOUNDS, ComponentItem
from stipa.ui.canvas.container import Hierarchy
from stipa.ui.canvas.link import LinkItem
from stipa.ui.canvas.sketch import Sketch, sketched
from stipa.ui.canvas.style import GRID
from stipa.ui.slices import Slices

#: A staged scene with more components and links than this builds in steps (``_staged_build``).
STAGED_ABOVE = 2000
#: Seconds one build step may keep the event loop waiting, links handled between checks, and
#: links added to the scene (and indexed) at a time.
_STEP_SECONDS = 0.04
_STEP_LINKS = 100
_ADD_LINKS = 500
#: The tables the scene draws.
_DIAGRAM_TABLES = frozenset({"components", "links", "node_layout", "link_layout"})
#: Labels with no free place by their links placed at once after the others; more are
#: placed from the event loop, a slice at a time (the window shows the diagram meanwhile).
_LABELS_AT_ONCE = 200
#: Seconds one slice of them may take: short, so a drag begun meanwhile stays smooth.
_LABELS_SECONDS = 0.01
#: How far from a link's route and label its label may be placed again (the widest label
#: plus the farthest place ``stipa.diagram.labels`` tries).
_LABEL_ROOM = 320.0
#: The longest a task left for after the views' paint waits if no view paints.
_UNSEEN_LATEST_MS = 200


class DiagramScene(QGraphicsScene):
    """Shows one document. Commands change the model; the scene reacts to its events."""

    #: Emitted after the scene followed a model change (counts may have changed).
    contentChanged = Signal()
    #: Emitted when a staged build is complete (after its ``contentChanged``).
    built = Signal()
    #: Emitted when every label is in place (the crowded ones may follow the build).
    labelsPlaced = Signal()
    #: Emitted after what is drawn on the items changed without a model change of the
    #: diagram (badges, highlights): pictures of the diagram are out of date.
    decorationsChanged = Signal()

    def __init__(
        self, document: Document, parent: QObject | None = None, *, staged: bool = False
    ) -> None:
        """Show ``document``; ``staged`` builds a big diagram in steps from the event loop."""
        super().__init__(parent)
        self.document = document
        #: the items a sketch does not draw (handles, guides, the aggregated arrows...),
        #: painted over it as they are (see ``add_overlay``)
        self.overlays: weakref.WeakSet[QGraphicsItem] = weakref.WeakSet()
        #: what to do once the views have painted (see ``unseen``)
        self.after_paint: list[Callable[[], None]] = []
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
        #: what the views paint far out, kept between paints
        self.sketch = Sketch(self)
        #: containment: frames, collapsed contents, the drilled-down view
        self.hierarchy = Hierarchy(self)
        #: The rest of a staged build, run between events.
        self._stages = Slices(self)
        #: The labels left with no free place by their links, placed between events, and
        #: the steps placing them (kept while a drag pauses them).
        self._crowded_labels = Slices(self)
        self._label_steps: Generator[int | None, None, None] | None = None
        if staged and len(document.components) + len(document.links) > STAGED_ABOVE:
            stages = self._staged_build()
            next(stages)  # the components at once, so the view can fit them
            self._stages.start(stages, finished=self._built, now=False, seconds=_STEP_SECONDS)
        else:
            self._build()
        self._unsubscribe = document.subscribe(self._on_event)

    def addItem(self, item: QGraphicsItem) -> None:
        super().addItem(item)
        self.add_overlay(item)

    def removeItem(self, item: QGraphicsItem) -> None:
        super().removeItem(item)
        self.overlays.discard(item)  # the item is the caller's again: let it go with them

    def add_overlay(self, item: QGraphicsItem) -> None:
        """Note ``item`` (added to the scene, or made a child of one of its items) as
        painted over a sketch, unless a sketch draws it: a view far out paints these few,
        not the thousands of items."""
        if not isinstance(item, sketched()):
            self.overlays.add(item)

    @property
    def far_out(self) -> bool:
        """Whether every view shows the diagram far out, as a sketch (none, its items)."""
        views = self.views()
        return bool(views) and all(getattr(view, "sketching", False) for view in views)

    def repaint_all(self) -> None:
        """After a change across the diagram (thousands of items shown or hidden): when
        every view shows a sketch, which is painted whole anyway, repaint everything at
        once rather than have Qt work out the area of each item (a call of each item's
        ``boundingRect``)."""
        if self.far_out:
            self.update()

    def unseen(self, task: Callable[[], None]) -> None:
        """Run ``task``, which changes only what a view far out does not paint (labels),
        once the views have painted, if every view shows a sketch; now otherwise. Its time
        is not part of the answer the user waits for."""
        if not self.far_out:
            task()
            return
        self.after_paint.append(task)
        # in case no view paints (none shows the change): soon, all the same
        QTimer.singleShot(_UNSEEN_LATEST_MS, self.run_after_paint)

    def run_after_paint(self) -> None:
        """Run the tasks left for after the views' paint (see ``unseen``)."""
        if not shiboken6.isValid(self):  # closed meanwhile
            return
        tasks, self.after_paint = self.after_paint, []
        for task in tasks:
            task()

    def live_overlays(self) -> list[QGraphicsItem]:
        """The overlays still in the scene, bottom up."""
        live = [item for item in self.overlays if shiboken6.isValid(item) and item.scene() is self]
        self.overlays = weakref.WeakSet(live)
        return sorted(live, key=lambda item: (item.topLevelItem().zValue(), item.zValue()))

    def close(self) -> None:
        """Stop following the document (before the scene is discarded)."""
        self._unsubscribe()
        self._stages.stop()
        self._stop_placing()

    @property
    def building(self) -> bool:
        """Whether a staged build is still adding the links."""
        return self._stages.running

    @property
    def placing_labels(self) -> bool:
        """Whether labels are still to be placed: an arrangement is due, or the labels with
        no free place by their links are being placed."""
        return self._arrange_pending or self._label_steps is not None

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
        self._arrange_soon()
        for item in self.links.values():
            if item.label_box() is None:  # the others got their box with their label
                item.settle()
        for component_item in components.values():
            self.addItem(component_item)
        for item in self.links.values():
            self.addItem(item)
        self.update_scene_rect()

    def _staged_build(self) -> Generator[int | None, None, None]:
        """``_build`` in steps, each ending with a ``yield``: the window keeps answering.

        The components first, in the scene at once; then the links are made, routed and
        labelled outside the scene (nothing to repaint or re-index yet) a few at a time, and
        finally added a few hundred at a time (and indexed at once, a few hundred at a time).
        """
        doc = self.document
        for index, component in enumerate(doc.components.values()):
            layout = doc.node_layout.get(component.id) or self._auto_layout(index)
            self.components[component.id] = component_item = ComponentItem(component, layout)
            self.addItem(component_item)
        self.update_scene_rect()
        yield None
        self._index_now()  # before the first repaint needs it
        yield None
        link_layout = doc.link_layout
        for count, link in enumerate(doc.links.values(), start=1):
            self.links[link.id] = LinkItem(
                link,
                self.components[link.source],
                self.components[link.target],
                link_layout.get(link.id),
                route=False,
            )
            if count % _STEP_LINKS == 0:
                yield None
        self.hierarchy.refresh()  # frames and collapsed containers take their sizes first
        yield None
        for count, item in enumerate(self.links.values(), start=1):
            item.reroute()
            if count % _STEP_LINKS == 0:
                yield None
        yield from self._arranging(1)  # a crowded link tries many places: check after each
        for count, item in enumerate(self.links.values(), start=1):
            if item.label_box() is None:
                item.settle()
            if count % _STEP_LINKS == 0:
                yield None
        # the final bounds first: a new scene rect makes Qt index every item again at the
        # next repaint, which is quick while the links are not in the scene yet
        self.update_scene_rect()
        yield None
        for count, item in enumerate(self.links.values(), start=1):
            self.addItem(item)
            if count % _ADD_LINKS == 0:
                self._index_now()
                yield None
        self._index_now()

    def _index_now(self) -> None:
        """Index the items added since the last call now: Qt would index them all at once
        two seconds after the last addition (a freeze of its own, in a big diagram)."""
        self.items(QRectF(0.0, 0.0, 1.0, 1.0))

    def _built(self, _result: object = None) -> None:
        self.contentChanged.emit()
        self.built.emit()

    def _rebuild(self) -> None:
        """Drop a staged build under way and build from the document at once."""
        self._stages.stop()
        self._stop_placing()
        for item in [*self.components.values(), *self.links.values()]:
            if item.scene() is self:  # most links are not in the scene yet
                self.removeItem(item)
        self.components.clear()
        self.links.clear()
        self._build()

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
            QTimer.singleShot(0, self._arrange_soon)

    def arrange_labels(self) -> None:
        """Place every link label where it hits no component, no segment, no arrow head and
        no other label (``stipa.diagram.labels``, as every export places them).

        Greedy, in document order, over each link's near candidate places, then its far
        ones, then, for a label with no free place by its link, the nearest free room
        (:func:`stipa.diagram.labels.arrange`); moves only labels whose place changed.
        """
        self._stop_placing()
        for _ in self._arranging():
            pass
        self._labels_placed()

    def _arrange_soon(self) -> None:
        """:meth:`arrange_labels`, the labels with no free place by their links placed from
        the event loop when there are many (a crowded diagram of a thousand components drawn
        by hand has thousands): the window shows the diagram first."""
        self._stop_placing()
        steps = self._arranging(pause=True)
        waiting = next(steps, None) or 0
        if waiting > _LABELS_AT_ONCE:
            self._place_later(steps)
            return
        for _ in steps:
            pass
        self._labels_placed()

    def _place_later(self, steps: Generator[int | None, None, None]) -> None:
        """Place the rest of the labels from the event loop (unless a drag pauses it)."""
        self._label_steps = steps
        self._crowded_labels.start(
            _resumable(steps), finished=self._labels_placed, now=False, seconds=_LABELS_SECONDS
        )

    def _stop_placing(self) -> None:
        self._crowded_labels.stop()
        steps, self._label_steps = self._label_steps, None
        if steps is not None:
            steps.close()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        """A press may begin a drag: labels still being placed wait for the release, so the
        drag stays smooth (its drop places them all again anyway)."""
        super().mousePressEvent(event)
        if self._crowded_labels.running:
            self._crowded_labels.stop()  # the steps themselves are kept

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        steps = self._label_steps
        if steps is not None and not self._crowded_labels.running:
            if self._arrange_pending:  # the drag changed the diagram: all anew
                self._stop_placing()
            else:
                self._place_later(steps)

    def _labels_placed(self, _result: object = None) -> None:
        self._label_steps = None
        if self.views():  # the labels are in place: the diagram's bounds are known again
            self.update_scene_rect()
        self.labelsPlaced.emit()

    def _arranging(self, step: int = 0, pause: bool = False) -> Generator[int | None, None, None]:
        """``arrange_labels``, yielding after every ``step`` links (never when 0), and while
        the obstacles are indexed; ``pause``: also once the labels with a free place by
        their links are placed, how many are left (then after each of those)."""
        self._arrange_pending = False
        boxes, routes = _obstacles(self.components.values(), self.links.values())
        placer = LabelPlacer()
        for count, box in enumerate(boxes, start=1):
            placer.add_component(box)
            if step and count % _STEP_LINKS == 0:
                yield None
        for count, points in enumerate(routes, start=1):
            placer.add_route(points)
            if step and count % _STEP_LINKS == 0:
                yield None
        jobs = [(link, link._candidates, link._pts) for link in self.links.values()]
        waiting = 0  # the labels left for the second round (after the first len(jobs))
        for count, (link, chosen) in enumerate(arrange(placer, jobs), start=1):
            if step and count % step == 0:
                yield None
            if chosen is not None:
                link.set_label(chosen)
            elif count <= len(jobs):
                waiting += 1
            if pause and count >= len(jobs):
                yield waiting if count == len(jobs) else None
            if count == len(jobs) and waiting and (step or pause):
                yield from placer.preparing()  # the free room, in pieces

    def arrange_labels_near(
        self, area: QRectF, routed: Iterable[LinkItem] = (), keep: Iterable[LinkItem] = ()
    ) -> None:
        """Place again the labels in ``area`` and those of the ``routed`` links (their routes
        changed), but not those of ``keep``; every other label stays where it is and is kept
        clear of. For a change in one place (a container collapsed or expanded): the cost
        grows with what lies near it, not with the diagram."""
        near = self.items(area, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        kept = set(keep)
        moving = {link for link in routed if link.isVisible()}
        for item in near:
            if isinstance(item, LinkItem) and item.isVisible() and item not in kept:
                box = item.label_box()
                if box is not None and area.intersects(QRectF(*box)):
                    moving.add(item)
        if not moving:
            return
        room = QRectF()
        for link in moving:
            room = room.united(link.boundingRect())
        room.adjust(-_LABEL_ROOM, -_LABEL_ROOM, _LABEL_ROOM, _LABEL_ROOM)
        around = self.items(room, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        links = [item for item in around if isinstance(item, LinkItem)]
        # the placer knows only what lies in the room: a label finds its place there
        placer = _label_placer(
            (item for item in around if isinstance(item, ComponentItem)),
            links,
            (room.x(), room.y(), room.width(), room.height()),
        )
        for link in links:
            box = link.label_box()
            if box is not None and link not in moving and link.isVisible():
                placer.take(box, link._pts)  # with its leader line, if it has one
        order = {link_id: index for index, link_id in enumerate(self.links)}
        jobs = [
            (link, link._candidates, link._pts)
            for link in sorted(moving, key=lambda item: order.get(item.record_id, 0))
        ]
        for link, chosen in arrange(placer, jobs):
            if chosen is not None:
                link.set_label(chosen)

    def settle_links(self) -> None:
        """Make the bounding boxes of the links a drag re-routed exact again."""
        loose, self.loose_links = self.loose_links, set()
        for link in loose:
            if link.scene() is self:
                link.settle()

    def update_scene_rect(self) -> None:
        """Fit the scene rect to the diagram with a margin (keeps hit tests fast).

        What the drawing views show stays inside it, so a view never scrolls or re-centres because
        the diagram's bounds changed (a component dropped near the edge stays under the mouse).
        """
        bounds = self.diagram_rect()
        margin = 400.0
        if bounds.isNull():
            bounds = QRectF(0, 0, 800, 600)
        rect = bounds.adjusted(-margin, -margin, margin, margin)
        hair = 0.0  # a few of the views' pixels, in the scene
        for view in self.views():  # not overviews (not interactive): they show all there is
            if view.isInteractive():
                # a hair inside the viewport: a rect exactly as large as it rounds up to scroll
                # bars, which narrow the viewport and shift what it shows
                inside = view.viewport().rect().adjusted(2, 2, -2, -2)
                rect = rect.united(view.mapToScene(inside).boundingRect())
                hair = max(hair, 3.0 / max(abs(view.transform().m11()), 1e-9))
        current = self.sceneRect()
        if hair and all(
            abs(a - b) <= hair
            for a, b in zip(
                (current.left(), current.top(), current.right(), current.bottom()),
                (rect.left(), rect.top(), rect.right(), rect.bottom()),
                strict=True,
            )
        ):
            return  # a view larger than the diagram centres it a pixel off: no creeping
        self.setSceneRect(rect)

    def diagram_rect(self) -> QRectF:
        """The box around every component and link, from the items' own figures.

        What ``itemsBoundingRect()`` gives for the diagram, without asking Qt to walk every
        item (nor anything of Qt: a big diagram asks this on every fit); decorations
        sticking out a few pixels are left out.
        """
        near, far = COMPONENT_BOUNDS
        extents = [
            (x - near, y - near, x + width + far, y + height + far)
            for x, y, width, height in (item.box() for item in self.components.values())
        ]
        extents += [
            extent
            for extent in (link._extent for link in self.links.values())
            if extent[0] != extent[2] or extent[1] != extent[3]  # not routed yet
        ]
        if not extents:
            return QRectF()
        left = min(extent[0] for extent in extents)
        top = min(extent[1] for extent in extents)
        right = max(extent[2] for extent in extents)
        bottom = max(extent[3] for extent in extents)
        return QRectF(left, top, right - left, bottom - top)

    # --- following the model -----------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        local = self.hierarchy.note(event)  # a collapse or expand places its labels itself
        if self._stages.running and getattr(event, "table", None) in _DIAGRAM_TABLES:
            self._rebuild()  # an edit during a staged build: the document already has it
            self._built()
            return
        if isinstance(event, RecordAdded):
            self._added(event.table, event.record)
        elif isinstance(event, RecordChanged):
            self._changed(event.table, event.new)
        elif isinstance(event, RecordRemoved):
            self._removed(event.table, event.record)
        elif isinstance(event, RecordsAdded):  # one update for the batch, not one per record
            for record in event.records:
                self._added(event.table, record)
        else:
            return
        if event.table in _DIAGRAM_TABLES:  # others change nothing drawn here
            if not local:  # (a collapse or expand tells the sketch what it changed)
                self.sketch.forget()
                self.schedule_arrange()
            self.contentChanged.emit()  # the overview repaints the whole diagram on it

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
        if not selected:  # (asked after every edit: the order of thousands is not needed)
            return []
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


def _obstacles(
    components: Iterable[ComponentItem], links: Iterable[LinkItem]
) -> tuple[list[Rect], list[Sequence[Point]]]:
    """What link labels must keep clear of, among the visible ``components`` and ``links``:
    the components (only the title bar of an open frame), and the routes and frames' borders."""
    shown = [component for component in components if component.isVisible()]
    boxes = label_obstacles((component.box(), component.drawn_as_frame) for component in shown)
    routes: list[Sequence[Point]] = [
        *(link._pts for link in links if link.isVisible()),
        *(frame_outline(c.box()) for c in shown if c.drawn_as_frame),
    ]
    return boxes, routes


def _label_placer(
    components: Iterable[ComponentItem], links: Iterable[LinkItem], within: Rect
) -> LabelPlacer:
    """A placer keeping labels clear of the :func:`_obstacles` of ``components`` and ``links``,
    all there is ``within``."""
    return LabelPlacer(*_obstacles(components, links), within=within)


def _resumable(steps: Generator[int | None, None, None]) -> Generator[int | None, None, None]:
    """``steps`` one by one: stopping (closing) this leaves them to be resumed."""
    while True:
        try:
            value = next(steps)
        except StopIteration:
            return
        yield value
