"""The canvas view: zoom, pan, grid, the current tool, in-place renaming and drops."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QLineF,
    QPointF,
    QRect,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QTextCursor,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
    QMenu,
    QRubberBand,
    QStyle,
    QStyleOptionGraphicsItem,
    QStyleOptionRubberBand,
)

from stipa.diagram.components import DEFAULT_HEIGHT, DEFAULT_WIDTH
from stipa.diagram.containers import FRAME_HEIGHT, FRAME_WIDTH
from stipa.model import LinkKind, LinkLayout, ModelError, Routing
from stipa.operations.drawing import place_component
from stipa.operations.link_text import link_text, set_link_text
from stipa.ui.canvas import container, sketch
from stipa.ui.canvas.component import ComponentItem
from stipa.ui.canvas.link import LinkItem
from stipa.ui.canvas.repaint import painting
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.sketch import SKETCH_BELOW
from stipa.ui.canvas.style import GRID, canvas_font
from stipa.ui.canvas.tools import ConnectTool, PlaceTool, SelectTool, Tool
from stipa.ui.presets import FRAME_PRESETS, PLACEABLE, Preset

#: A sketch painted: the view's place, size and zoom, the pieces, the picture.
_Picture = tuple[tuple[object, ...], list[sketch.Piece], QPixmap]

#: MIME type of a palette entry dragged onto the canvas.
PRESET_MIME = "application/x-stipa-preset"
MIN_ZOOM, MAX_ZOOM = 0.1, 5.0
#: The smallest zoom at which names on the canvas can still be read.
READABLE_ZOOM = 0.8
#: Margin (scene units) left around what a zoom brings into view.
ZOOM_MARGIN = 30.0
#: From this many components and links, dragging components draws the rest of the diagram
#: from a snapshot (see ``CanvasView._freeze``).
FREEZE_MIN_ITEMS = 400
_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def _tr(text: str) -> str:
    return QCoreApplication.translate("CanvasView", text)


class InlineEditor(QGraphicsTextItem):
    """Edits a name in place: Enter commits, Esc cancels, clicking elsewhere commits."""

    def __init__(
        self, text: str, rect: QRectF, commit: Callable[[str], None], multiline: bool = False
    ) -> None:
        super().__init__(text)
        self._commit = commit
        #: a list, one entry per line: Shift+Enter starts a new line, Enter commits
        self.multiline = multiline
        self._done = False
        #: Called once when the editor closes, however it closes (Enter, Esc, focus out).
        self.closed: Callable[[], None] | None = None
        self.setFont(canvas_font(9.0, bold=True))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setTextWidth(max(rect.width(), 120.0))
        self.setPos(rect.left(), rect.center().y() - self.boundingRect().height() / 2)
        self.setZValue(100)
        self.setDefaultTextColor(QApplication.palette().color(QPalette.ColorRole.Text))
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        self.setTextCursor(cursor)

    def paint(self, painter, option, widget=None) -> None:  # type: ignore[no-untyped-def]
        painter.fillRect(self.boundingRect(), QApplication.palette().color(QPalette.ColorRole.Base))
        painter.setPen(QPen(QApplication.palette().color(QPalette.ColorRole.Highlight), 1.5))
        painter.drawRect(self.boundingRect())
        super().paint(painter, option, widget)

    def finish(self, accept: bool) -> None:
        """Close the editor, committing the text when ``accept``."""
        if self._done:
            return
        self._done = True
        text = self.toPlainText().strip()
        scene = self.scene()
        if scene is not None:
            scene.removeItem(self)
        if self.closed is not None:
            self.closed()
        if accept:
            self._commit(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.multiline and shift:
            self.textCursor().insertText("\n")  # another item of the list
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish(True)
        elif event.key() == Qt.Key.Key_Escape:
            self.finish(False)
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.finish(True)


def _painting_items(items: list[QGraphicsItem]) -> list[QGraphicsItem]:
    """``items`` and their children (badges), those that paint."""
    found = []
    for item in items:
        for each in (item, *item.childItems()):
            if not each.flags() & _NO_CONTENTS:
                found.append(each)
    return found


class CanvasView(QGraphicsView):
    """The drawing area. Gestures go to the current tool; commands go to the document."""

    #: The current tool's key ("select", a preset key, or a link kind).
    toolChanged = Signal(str)
    #: The zoom factor changed (1.0 = 100 %).
    zoomChanged = Signal(float)
    #: A sentence for the status bar.
    message = Signal(str)
    #: Files were dropped on the canvas (the window opens them).
    filesDropped = Signal(list)

    def __init__(self, diagram: DiagramScene) -> None:
        super().__init__(diagram)
        self.setObjectName("canvasView")
        self.setAccessibleName(_tr("Diagram canvas"))
        self.diagram = diagram
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        # the grid is drawn once per zoom level, not on every repaint
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._tool: Tool = SelectTool(self)
        #: Whether the current tool stays after each use (see ``set_tool``).
        self.sticky = False
        self._panning: QPointF | None = None
        self._space_held = False
        self.editor: InlineEditor | None = None
        #: The window's named actions; the context menu offers some (rename, cut, copy...).
        self.actions_by_name: dict[str, QAction] = {}
        #: while a large drag is under way: the picture of what does not move, those items,
        #: and their scene
        self._frozen: tuple[QPixmap, list[QGraphicsItem], DiagramScene] | None = None
        self._freeze_tried = False
        #: the picture of the sketch painted far out (see ``sketching``), with the diagram's
        #: size and the view's place, size and zoom it is of
        #: the sketch shown: the view's place, size and zoom, the pieces, the picture; and the
        #: last two painted (a container collapsed and expanded again shows one again)
        self._sketch: _Picture | None = None
        self._pictures: list[_Picture] = []
        #: whether the last paint was a sketch
        self._sketched = False
        self._follow(diagram)
        self._sync_tool_mode()

    # --- tools -------------------------------------------------------------------------------
    @property
    def tool(self) -> Tool:
        """The current tool."""
        return self._tool

    def set_tool(self, key: str, sticky: bool = False) -> None:
        """Switch tool by key: ``select``, a preset key, or a link kind value.

        A ``sticky`` tool stays current after each component placed or link drawn (chosen by
        double-clicking its palette entry); Escape returns to Select.
        """
        self._tool.deactivate()
        if key in PLACEABLE:
            tool: Tool = PlaceTool(self, PLACEABLE[key])
        elif key in {kind.value for kind in LinkKind}:
            tool = ConnectTool(self, LinkKind(key))
        else:
            tool = SelectTool(self)
        tool.message.connect(self.message)
        self.sticky = sticky and not isinstance(tool, SelectTool)
        if not self.sticky:
            tool.finished.connect(lambda: self.set_tool("select"))
        self._tool = tool
        self._sync_tool_mode()
        tool.activate()
        if self.sticky:
            self.message.emit(_tr("The tool stays chosen: Esc returns to Select."))
        self.toolChanged.emit(tool.key)

    def _sync_tool_mode(self) -> None:
        select = isinstance(self._tool, SelectTool)
        self.setDragMode(
            QGraphicsView.DragMode.RubberBandDrag if select else QGraphicsView.DragMode.NoDrag
        )
        for item in self.diagram.components.values():
            item.setFlag(ComponentItem.GraphicsItemFlag.ItemIsMovable, select)

    # --- placing and renaming ----------------------------------------------------------------
    def place_component(self, preset: Preset, centre: QPointF) -> None:
        """Place a component of ``preset`` centred on ``centre``, then rename it in place.

        Placed inside a frame, it goes into that container (and the container grows to
        hold it); a container or boundary preset is placed as a large empty frame.
        """
        frame = preset in FRAME_PRESETS
        width, height = (FRAME_WIDTH, FRAME_HEIGHT) if frame else (DEFAULT_WIDTH, DEFAULT_HEIGHT)
        top_left = self.diagram.free_position(centre - QPointF(width / 2, height / 2))
        parent = self.diagram.hierarchy.drop_target(QRectF(top_left, QSizeF(width, height)), set())
        try:
            component = place_component(
                self.diagram.document,
                preset.label,
                preset.kind,
                preset.nature,
                top_left.x(),
                top_left.y(),
                role=preset.role,
                label=_tr("Add {0}"),
                width=width,
                height=height,
                parent=parent,
            )
        except ModelError as error:
            self.message.emit(str(error))
            return
        self.diagram.update_scene_rect()
        self.diagram.select_ids([component.id])
        self.start_rename(component.id)

    def start_rename(self, record_id: str) -> None:
        """Open the in-place editor on a component's name or a link's first item."""
        self.finish_rename()
        doc = self.diagram.document
        if record_id in self.diagram.components:
            item = self.diagram.components[record_id]
            text, rect = item.component.name, item.scene_rect()

            def commit(name: str) -> None:
                if name and name != doc.components[record_id].name:
                    self._try(lambda: doc.update(record_id, name=name))

        elif record_id in self.diagram.links:
            link_item = self.diagram.links[record_id]
            link = link_item.link
            if not link.items:
                return
            # the items one per line (Shift+Enter starts another): nothing typed joins two
            text, rect = link_text(link), link_item.label_rect()

            def commit(name: str) -> None:
                if name.strip():
                    self._try(lambda: set_link_text(doc, record_id, name))

        else:
            return
        editor = InlineEditor(text, rect, commit, multiline=record_id in self.diagram.links)
        editor.closed = lambda: self._editor_closed(editor)
        self.editor = editor
        self.diagram.addItem(self.editor)
        self.editor.setFocus()
        self.setFocus()

    def _editor_closed(self, editor: InlineEditor) -> None:
        # Enter or Esc close the editor from inside; forget it, or keys stay routed to it
        if self.editor is editor:
            self.editor = None

    def finish_rename(self, accept: bool = True) -> None:
        """Close an open in-place editor."""
        if self.editor is not None:
            editor, self.editor = self.editor, None
            editor.finish(accept)

    def _try(self, edit: Callable[[], object]) -> None:
        try:
            edit()
        except ModelError as error:
            self.message.emit(str(error))

    # --- zoom --------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        """The current zoom factor (1.0 = 100 %)."""
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        """Zoom to ``factor`` (clamped to 10 %-500 %)."""
        self._unfreeze()
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        current = self.zoom
        if not math.isclose(current, factor):
            self.scale(factor / current, factor / current)
            self.zoomChanged.emit(self.zoom)

    def zoom_in(self) -> None:
        """Zoom in one step."""
        self.set_zoom(self.zoom * 1.25)

    def zoom_out(self) -> None:
        """Zoom out one step."""
        self.set_zoom(self.zoom / 1.25)

    def zoom_reset(self) -> None:
        """Zoom to 100 %, keeping the middle of the diagram's visible part in the middle."""
        visible = self.visible_rect()
        shown = visible.intersected(self.diagram.diagram_rect())
        centre = (shown if not shown.isEmpty() else visible).center()
        self.set_zoom(1.0)
        self.centerOn(centre)

    def visible_rect(self) -> QRectF:
        """The part of the scene the viewport shows."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def zoom_to(self, rect: QRectF, largest: float = 1.5) -> None:
        """Show ``rect`` whole if it can be read there, else its top-left corner readably.

        The zoom fits ``rect`` (with a margin) but stays between ``READABLE_ZOOM`` and
        ``largest``; a rect too big to read whole is shown from its top-left corner.
        """
        self._unfreeze()
        area = rect.adjusted(-ZOOM_MARGIN, -ZOOM_MARGIN, ZOOM_MARGIN, ZOOM_MARGIN)
        port = self.viewport().rect()
        fit = min(port.width() / area.width(), port.height() / area.height())
        self.set_zoom(min(largest, max(READABLE_ZOOM, fit)))
        if fit >= READABLE_ZOOM:
            self.centerOn(area.center())
        else:  # the corner goes to the viewport's top-left
            half = QPointF(port.width(), port.height()) / (2 * self.zoom)
            self.centerOn(area.topLeft() + half)

    def zoom_readable(self) -> None:
        """Open a document: the whole diagram if readable, else its top-left part, readably."""
        bounds = self.diagram.diagram_rect()
        if bounds.isNull():
            self.zoom_reset()
        else:
            self.zoom_to(bounds, largest=1.0)

    def zoom_selection(self) -> bool:
        """Zoom so the selected components and links fill the window, readably."""
        items = [i for i in self.diagram.selectedItems() if isinstance(i, ComponentItem | LinkItem)]
        if not items:
            self.message.emit(_tr("Select something to zoom to."))
            return False
        self.zoom_to_items(items)
        return True

    def zoom_to_items(self, items: Sequence[QGraphicsItem]) -> None:
        """Show ``items`` readably: all of them if they fit so, else the first one."""
        area = QRectF()
        for item in items:
            area = area.united(item.sceneBoundingRect())
        port = self.viewport().rect()
        margin = 2 * ZOOM_MARGIN
        fits = min(port.width() / (area.width() + margin), port.height() / (area.height() + margin))
        self.zoom_to(area if fits >= READABLE_ZOOM else items[0].sceneBoundingRect())

    def zoom_fit(self) -> None:
        """Fit the whole diagram in the window."""
        self._unfreeze()
        bounds = self.diagram.diagram_rect()
        if bounds.isNull():
            self.zoom_reset()
            return
        self.fitInView(bounds.adjusted(-30, -30, 30, 30), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > 1.5:
            self.set_zoom(1.5)
        self.zoomChanged.emit(self.zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.set_zoom(self.zoom * (1.25**steps))
            event.accept()
        else:
            super().wheelEvent(event)

    # --- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        sketching = self.sketching
        if sketching != self._sketched:  # Qt repaints an item where it last painted it
            self._sketched = sketching
            self.viewport().update()
        if sketching:
            self._paint_sketch(event)
        else:
            # links look at the region being repainted to skip pieces outside it
            with painting(self.viewport(), event.region(), self.viewportTransform()):
                super().paintEvent(event)
        if self.diagram.after_paint:  # once this paint is on screen
            QTimer.singleShot(0, self.diagram.run_after_paint)

    @property
    def sketching(self) -> bool:
        """Whether the view paints a sketch of the diagram rather than its items: a big
        diagram so far out that the items would show no more than their boxes and lines,
        and nothing being dragged (the items follow the mouse, the sketch would not)."""
        diagram = self.diagram
        return (
            self.transform().m11() < SKETCH_BELOW
            and len(diagram.components) + len(diagram.links) >= FREEZE_MIN_ITEMS
            and diagram.mouseGrabberItem() is None
            and self._frozen is None
        )

    def _paint_sketch(self, event: QPaintEvent) -> None:
        """Paint the background and the sketch of the components, links and badges (one
        call per pen; a picture kept until the diagram or the view changes, so a hover
        repaints from it), the other items (handles, aggregated arrows, guides, an editor) and the
        rubber band: Qt painting each of a big diagram's thousands of items, even to draw
        nothing, takes a large part of a second."""
        diagram = self.diagram
        port = self.viewport()
        transform = self.viewportTransform()
        ratio = port.devicePixelRatioF()
        # a staged build adds items; the picture is of the view's place, size and zoom, in
        # the palette's colours (a dark palette changes the frames' pens too)
        size = (len(diagram.components), len(diagram.links))
        palette = QApplication.palette().cacheKey()
        key = (size, transform.m11(), transform.dx(), transform.dy(), port.size(), ratio, palette)
        if self._sketch is None or self._sketch[0] != key:
            if self._sketch is not None:  # gathered anew, as the view moved: a change
                diagram.sketch.forget()  # no signal tells of (a hover's mark) shows then
                self._pictures = []
            pieces = diagram.sketch.pieces()
            kept = next((p for p in self._pictures if p[0] == key and p[1] is pieces), None)
            if kept is not None:
                self._sketch = kept  # a sketch painted before, back again
            else:
                picture = QPixmap(port.size() * ratio)
                picture.setDevicePixelRatio(ratio)
                drawing = QPainter(picture)
                drawing.setClipRect(port.rect())  # Qt draws clipped lines twice as fast
                drawing.setTransform(transform)
                # the background too: an opaque picture is copied, not blended, onto the view
                area = transform.inverted()[0].mapRect(QRectF(port.rect()))
                self.drawBackground(drawing, area)
                sketch.paint(drawing, pieces)
                drawing.end()
                self._sketch = (key, pieces, picture)
                self._pictures = [*self._pictures[-1:], self._sketch]
        exposed = transform.inverted()[0].mapRect(QRectF(event.region().boundingRect()))
        painter = QPainter(port)
        painter.setRenderHints(self.renderHints())
        painter.setClipRegion(event.region())
        painter.drawPixmap(0, 0, self._sketch[2])  # in viewport pixels
        painter.setTransform(transform)
        # the few items a sketch leaves out, without asking thousands whether to paint
        for item in diagram.live_overlays():
            if (
                item.flags() & _NO_CONTENTS
                or not item.isVisible()
                or not item.sceneBoundingRect().intersects(exposed)
            ):
                continue
            option = QStyleOptionGraphicsItem()
            option.exposedRect = item.boundingRect()
            if item.isSelected():
                option.state |= QStyle.StateFlag.State_Selected
            painter.save()
            painter.setTransform(item.sceneTransform() * transform)
            item.paint(painter, option, port)
            painter.restore()
        painter.setTransform(transform)
        self.drawForeground(painter, exposed)
        band = self.rubberBandRect()
        if not band.isEmpty():
            painter.resetTransform()
            rubber = QStyleOptionRubberBand()
            rubber.initFrom(port)
            rubber.rect = band
            rubber.shape = QRubberBand.Shape.Rectangle
            self.style().drawControl(QStyle.ControlElement.CE_RubberBand, rubber, painter, port)
        painter.end()

    def _forget_sketch(self) -> None:
        """Gather the sketch again and repaint it (what the diagram shows changed): Qt
        repaints a hidden item where it last painted it, never, while sketching."""
        self._sketch = None
        if self._sketched:
            self.viewport().update()

    # --- dragging a large diagram -------------------------------------------------------------
    def _maybe_freeze(self) -> None:
        """At the first move of a drag of components in a large diagram, freeze the links.

        The links that do not move (with their badges) are drawn once into a snapshot that
        becomes the view's background, and stop painting themselves until the drop; links
        of components that do not move keep their ports until then. Each mouse move then
        repaints only the moving links, and the components (cached pictures) over the
        snapshot, however many lines cross the strips it dirties. Components stay above
        every link; the moving links go above the links that stand still.
        """
        self._freeze_tried = True
        diagram = self.diagram
        grabber = diagram.mouseGrabberItem()
        if (
            not isinstance(grabber, ComponentItem)
            or not grabber.flags() & ComponentItem.GraphicsItemFlag.ItemIsMovable
            or len(diagram.components) + len(diagram.links) < FREEZE_MIN_ITEMS
        ):
            return
        moving = {item for item in diagram.selectedItems() if isinstance(item, ComponentItem)}
        moving.add(grabber)
        moving_links = {link for component in moving for link in component.links}
        # the snapshot: background and the links that stand still, nothing else
        hidden = _painting_items([*diagram.components.values(), *moving_links])
        for item in hidden:
            item.setFlag(_NO_CONTENTS, True)
        snapshot = self.viewport().grab()
        for item in hidden:
            item.setFlag(_NO_CONTENTS, False)
        still = _painting_items(
            [link for link in diagram.links.values() if link not in moving_links]
        )
        for item in still:
            item.setFlag(_NO_CONTENTS, True)
        self._frozen = (snapshot, still, diagram)
        diagram.defer_neighbours = True
        self.resetCachedContent()

    def _unfreeze(self) -> None:
        """Paint everything from the items again (the drag is over, or the view changed)."""
        frozen, self._frozen = self._frozen, None
        if frozen is None:
            return
        _snapshot, still, diagram = frozen
        for item in still:
            if shiboken6.isValid(item):
                item.setFlag(_NO_CONTENTS, False)
        if shiboken6.isValid(diagram):
            diagram.defer_neighbours = False
        self.resetCachedContent()
        self.viewport().update()

    def setScene(self, scene: QGraphicsScene | None) -> None:
        """Show another scene (the window's next document)."""
        self._unfreeze()
        self._sketch = None
        self._pictures = []
        old = self.scene()
        if isinstance(old, DiagramScene) and shiboken6.isValid(old):
            with contextlib.suppress(RuntimeError, TypeError):
                old.contentChanged.disconnect(self._unfreeze)
                for signal in (old.contentChanged, old.selectionChanged, old.decorationsChanged):
                    signal.disconnect(self._forget_sketch)
        super().setScene(scene)
        if isinstance(scene, DiagramScene):
            self._follow(scene)

    def _follow(self, diagram: DiagramScene) -> None:
        """Hear of ``diagram``'s changes: they end a drag's snapshot, and the sketch."""
        diagram.contentChanged.connect(self._unfreeze)
        for signal in (
            diagram.contentChanged,
            diagram.selectionChanged,
            diagram.decorationsChanged,
        ):
            signal.connect(self._forget_sketch)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self._unfreeze()  # the snapshot is of the view as it was
        super().scrollContentsBy(dx, dy)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._unfreeze()
        super().resizeEvent(event)

    # --- grid --------------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        if self._frozen is not None:
            if self.diagram.mouseGrabberItem() is None:  # the drag ended without a release
                QTimer.singleShot(0, self._unfreeze)
            painter.save()
            painter.resetTransform()  # the snapshot is in viewport pixels
            painter.drawPixmap(0, 0, self._frozen[0])
            painter.restore()
            return
        palette = QApplication.palette()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
        if not self.diagram.show_grid or self.zoom < 0.4:
            return
        colour = QColor(palette.color(QPalette.ColorRole.Text))
        colour.setAlpha(28)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(colour, 0))
        step = GRID * 2
        left = math.floor(rect.left() / step) * step
        top = math.floor(rect.top() / step) * step
        columns = int((rect.right() - left) / step) + 1
        rows = int((rect.bottom() - top) / step) + 1
        lines = [
            QLineF(left + i * step, rect.top(), left + i * step, rect.bottom())
            for i in range(columns)
        ]
        lines += [
            QLineF(rect.left(), top + j * step, rect.right(), top + j * step) for j in range(rows)
        ]
        painter.drawLines(lines)
        painter.restore()

    # --- mouse -------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space_held and event.button() == Qt.MouseButton.LeftButton
        ):
            self._panning = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if self.editor is not None and not self.editor.sceneBoundingRect().contains(
            self.mapToScene(event.position().toPoint())
        ):
            self.finish_rename()
        self._unfreeze()
        self._freeze_tried = False
        if self._tool.mouse_press(event, self.mapToScene(event.position().toPoint())):
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            delta = event.position() - self._panning
            self._panning = event.position()
            self.horizontalScrollBar().setValue(int(self.horizontalScrollBar().value() - delta.x()))
            self.verticalScrollBar().setValue(int(self.verticalScrollBar().value() - delta.y()))
            event.accept()
            return
        if self._tool.mouse_move(event, self.mapToScene(event.position().toPoint())):
            event.accept()
            return
        if (
            not self._freeze_tried
            and event.buttons() & Qt.MouseButton.LeftButton
            and isinstance(self._tool, SelectTool)
        ):
            self._maybe_freeze()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning is not None:
            self._panning = None
            self.viewport().unsetCursor()
            event.accept()
            return
        point = self.mapToScene(event.position().toPoint())
        try:
            if self._tool.mouse_release(event, point):
                event.accept()
                return
            super().mouseReleaseEvent(event)
            self._tool.released(event, point)
        finally:
            self._unfreeze()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        point = self.mapToScene(event.position().toPoint())
        title = container.title_hit(self, point)
        if title:  # a frame's title bar collapses or expands it
            container.toggle_collapsed(self, title)
            event.accept()
            return
        for item in self.diagram.items(point):
            if isinstance(item, ComponentItem | LinkItem):
                self.start_rename(item.record_id)
                event.accept()
                return
        super().mouseDoubleClickEvent(event)

    # --- context menu ------------------------------------------------------------------------
    def context_menu(self, point: QPointF) -> QMenu:
        """The menu for a right-click at scene ``point`` (selects what is under it first)."""
        menu = QMenu(self)
        target = next(
            (i for i in self.diagram.items(point) if isinstance(i, ComponentItem | LinkItem)),
            None,
        )
        if target is not None and not target.isSelected():
            self.diagram.select_ids([target.record_id])
        actions = self.actions_by_name
        if isinstance(target, ComponentItem):
            container.add_container_actions(self, menu, target.record_id)
        if isinstance(target, LinkItem):
            straight = menu.addAction(_tr("Straight Line"))
            straight.setObjectName("action.route_straight")
            straight.setToolTip(_tr("Draw this link as a straight line instead of elbows"))
            straight.setCheckable(True)
            straight.setChecked(target.route_layout.routing == Routing.STRAIGHT)
            straight.toggled.connect(lambda on, link=target: self.set_routing(link, on))
            reset = menu.addAction(_tr("Reset Route"))
            reset.setObjectName("action.route_reset")
            reset.setToolTip(_tr("Forget moved segments, bends and label offsets"))
            reset.setEnabled(target.route_layout != LinkLayout(id=target.record_id))
            reset.triggered.connect(lambda checked=False, link=target: self.reset_route(link))
            menu.addSeparator()
        names = ["rename", "cut", "copy", "duplicate", "delete"] if target else []
        names += ["paste", "select_all"] if target is None else []
        for name in names:
            if name in actions:
                menu.addAction(actions[name])
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(self.mapToScene(event.pos()))
        if not menu.isEmpty():
            menu.exec(event.globalPos())

    def set_routing(self, link: LinkItem, straight: bool) -> None:
        """Draw ``link`` straight or with elbows (its bends are reset)."""
        routing = Routing.STRAIGHT if straight else Routing.ORTHOGONAL
        layout = link.route_layout.replace(routing=routing, bends=())
        self._try(lambda: self.diagram.document.set_layout(layout))

    def reset_route(self, link: LinkItem) -> None:
        """Give ``link`` its automatic route and label place back."""
        self._try(lambda: self.diagram.document.set_layout(LinkLayout(id=link.record_id)))

    # --- keyboard ----------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.editor is not None:
            super().keyPressEvent(event)
            return
        key = event.key()
        if key == Qt.Key.Key_Escape and not isinstance(self._tool, SelectTool):
            self._tool.key_press(event)  # the tool cancels its gesture and says so
            if not isinstance(self._tool, SelectTool):
                self.set_tool("select")
            return
        if self._tool.key_press(event):
            return
        if container.container_key(self, event):
            return
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        if key == Qt.Key.Key_F2:
            selected = self.diagram.selected_ids()
            if len(selected) == 1:
                self.start_rename(selected[0])
            return
        arrows: dict[int, tuple[int, int]] = {  # Qt.Key is an IntEnum: event.key() finds it
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in arrows and self.nudge_selection(
            *arrows[key], fine=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        ):
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            if self._panning is None:
                self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    def nudge_selection(self, dx: int, dy: int, fine: bool = False) -> bool:
        """Move the selected components by one grid step (one pixel with Shift)."""
        items = [i for i in self.diagram.selectedItems() if isinstance(i, ComponentItem)]
        if not items:
            return False
        items = self.diagram.hierarchy.moved_with(items)  # containers take their contents
        step = 1.0 if fine else GRID
        doc = self.diagram.document
        try:
            with doc.transaction(
                _tr("Move components") if len(items) > 1 else _tr("Move component")
            ):
                for item in items:
                    layout = item.layout()
                    doc.set_layout(layout.replace(x=layout.x + dx * step, y=layout.y + dy * step))
        except ModelError as error:
            self.message.emit(str(error))
        return True

    # --- drops -------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(PRESET_MIME) or mime.hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(PRESET_MIME) or mime.hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(PRESET_MIME):
            key = bytes(mime.data(PRESET_MIME).data()).decode()
            preset = PLACEABLE.get(key)
            if preset is not None:
                self.place_component(preset, self.mapToScene(event.position().toPoint()))
                event.acceptProposedAction()
                return
        if mime.hasUrls():
            paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
            if paths:
                self.filesDropped.emit(paths)
                event.acceptProposedAction()
                return
        super().dropEvent(event)
