"""Arrange > Align/Distribute, alignment guides, the connect handle and keyboard drawing."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QMenu

from stipa.diagram.components import DEFAULT_HEIGHT, DEFAULT_WIDTH
from stipa.model import LinkKind, ModelError
from stipa.operations.arrange import Alignment, Axis, align, distribute
from stipa.operations.drawing import connect
from stipa.ui.actions import make_action
from stipa.ui.canvas.guides import AlignmentGuides
from stipa.ui.canvas.handles import HandleKeeper
from stipa.ui.canvas.tools import ConnectTool, PlaceTool
from stipa.ui.following import DocumentFollower
from stipa.ui.presets import LINK_STYLE_BY_KIND

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("Arrange", text)


#: Space kept free around a component placed from the keyboard.
PLACE_GAP = 40.0
_ALIGN_LABELS = {
    Alignment.LEFT: _tr("Align &Left"),
    Alignment.CENTRE: _tr("Align &Centre"),
    Alignment.RIGHT: _tr("Align &Right"),
    Alignment.TOP: _tr("Align &Top"),
    Alignment.MIDDLE: _tr("Align &Middle"),
    Alignment.BOTTOM: _tr("Align &Bottom"),
}
_DISTRIBUTE_LABELS = {
    Axis.HORIZONTAL: _tr("Distribute &Horizontally"),
    Axis.VERTICAL: _tr("Distribute &Vertically"),
}


class DrawingKeys(QObject):
    """The Arrange and keyboard-drawing actions of a window, and the canvas' Tab order.

    While the canvas has the focus, Tab and Shift+Tab walk its items; past the last (or
    before the first) item they move on to the next (previous) widget, the Properties panel
    after the canvas, leaving nothing selected. Ctrl+Tab and Ctrl+Shift+Tab leave at once,
    keeping the selection (Ctrl+Tab: edit the item's properties). Coming back by Tab or
    Shift+Tab resumes at the selected item, or starts at the first (last) item.

    Remembers the order components were selected in, so "Connect Selected" links the first
    chosen to the second: with one component selected, from the one selected just before it
    (select it, Tab or Find to another, connect).
    """

    def __init__(self, window: PanelContext) -> None:
        super().__init__(window.window())
        self.window_ = window
        #: Component ids in the order they were last selected, most recent last.
        self.selection_order: list[str] = []
        self.handles = HandleKeeper(window.view)
        self.guides = AlignmentGuides(window.view)
        #: The Arrange actions by name (the window lists them with its own).
        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        window.view.installEventFilter(self)
        self.follower = DocumentFollower(
            self, window, on_replaced=self._follow_document, on_selection=self._selection_changed
        )
        self._follow_document()

    # --- actions ---------------------------------------------------------------------------
    def _action(
        self, name: str, text: str, tooltip: str, slot: Callable[[], object], shortcut: str = ""
    ) -> QAction:
        action = make_action(self.window_.window(), name, text, tooltip, slot, shortcut or None)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        self.align_menu = QMenu(_tr("Al&ign"), self.window_.window())
        self.align_menu.setObjectName("menu.align")
        for alignment, label in _ALIGN_LABELS.items():
            self.align_menu.addAction(
                self._action(
                    f"align_{alignment.value}",
                    label,
                    _tr("Line the selected components up ({0})").format(alignment.value),
                    partial(self.align, alignment),
                )
            )
        self.distribute_actions = [
            self._action(
                f"distribute_{axis.value}",
                label,
                _tr("Space three or more selected components evenly ({0})").format(axis.value),
                partial(self.distribute, axis),
            )
            for axis, label in _DISTRIBUTE_LABELS.items()
        ]
        place = self._action(
            "place_at_centre",
            _tr("&Place Component"),
            _tr("Place a component of the chosen palette tool in the middle of the view"),
            self.place_at_centre,
            "Ctrl+Return",
        )
        connect_action = self._action(
            "connect_selected",
            _tr("&Connect Selected"),
            _tr(
                "Link the first selected component to the second (with one selected: from "
                "the one selected before it), as the chosen link tool or a control action"
            ),
            self.connect_selected,
            "Ctrl+L",
        )
        self.drawing_actions = [place, connect_action]

    def fill_menu(self, menu: QMenu) -> None:
        """Add Align, Distribute, Place Component and Connect Selected to ``menu``."""
        menu.addSeparator()
        menu.addMenu(self.align_menu)
        menu.addActions(self.distribute_actions)
        menu.addSeparator()
        menu.addActions(self.drawing_actions)

    def _selected_components(self) -> list[str]:
        components = self.window_.document.components
        return [i for i in self.window_.diagram.selected_ids() if i in components]

    def _report(self, text: str) -> None:
        self.window_.statusBar().showMessage(text, 8000)

    def align(self, alignment: Alignment) -> None:
        """Align the selected components (one undo step)."""
        self._arrange(
            lambda ids: align(self.window_.document, ids, alignment),
            2,
            _tr("Select two or more components to align."),
        )

    def distribute(self, axis: Axis) -> None:
        """Distribute the selected components (one undo step)."""
        self._arrange(
            lambda ids: distribute(self.window_.document, ids, axis),
            3,
            _tr("Select three or more components to distribute."),
        )

    def _arrange(self, edit: Callable[[list[str]], object], fewest: int, refusal: str) -> None:
        ids = self._selected_components()
        if len(ids) < fewest:
            self._report(refusal)
            return
        try:
            edit(ids)
        except ModelError as error:
            self._report(str(error))

    def place_at_centre(self) -> None:
        """Place the chosen palette tool's component in the middle of the view."""
        view = self.window_.view
        tool = view.tool
        if not isinstance(tool, PlaceTool):
            self._report(_tr("Choose a component in the palette first."))
            return
        view.finish_rename()
        view.place_component(tool.preset, self._free_centre())
        if not view.sticky:
            view.set_tool("select")

    def _free_centre(self) -> QPointF:
        """The middle of the view, or the nearest spot to its right not on a component."""
        centre = self.window_.view.visible_rect().center()
        boxes = [
            QRectF(n.x, n.y, n.width, n.height) for n in self.window_.document.node_layout.values()
        ]
        size = QSizeF(DEFAULT_WIDTH + PLACE_GAP, DEFAULT_HEIGHT + PLACE_GAP)
        for _ in range(50):
            box = QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size)
            if not any(box.intersects(other) for other in boxes):
                break
            centre += QPointF(size.width(), 0)
        return centre

    def connect_selected(self) -> None:
        """Link the selected components, first selected to second, then rename the link."""
        window = self.window_
        view = window.view
        view.finish_rename()
        selected = self._selected_components()
        order = [i for i in self.selection_order if i in window.document.components]
        if len(selected) == 2:
            source, target = sorted(selected, key=lambda i: order.index(i) if i in order else -1)
        elif len(selected) == 1 and len(order) >= 2 and order[-1] == selected[0]:
            source, target = order[-2], order[-1]
        else:
            self._report(_tr("Select two components to connect."))
            return
        kind = view.tool.kind if isinstance(view.tool, ConnectTool) else LinkKind.CONTROL_ACTION
        try:
            link = connect(
                window.document, source, target, kind, LINK_STYLE_BY_KIND[kind].default_item
            )
        except ModelError as error:
            self._report(str(error))
            return
        window.diagram.select_ids([link.id])
        view.start_rename(link.id)

    # --- selection order and Tab -----------------------------------------------------------
    def _follow_document(self) -> None:
        self.selection_order = []
        self._selected: set[str] = set()
        diagram = self.window_.diagram
        # the handle goes on the only selected component; contents rebuild items
        diagram.selectionChanged.connect(lambda: self.handles.update(diagram))
        diagram.contentChanged.connect(lambda: self.handles.update(diagram))

    def _selection_changed(self) -> None:
        selected = self._selected_components()
        for record_id in selected:
            if record_id not in self._selected:  # newly chosen: the most recent
                if record_id in self.selection_order:
                    self.selection_order.remove(record_id)
                self.selection_order.append(record_id)
        # deselected components stay: "the one selected before" this one
        self.selection_order = self.selection_order[-8:]
        self._selected = set(selected)

    def tab_order(self) -> list[str]:
        """The canvas items in Tab order: components by rows (top to bottom), then links."""
        diagram = self.window_.diagram
        components = sorted(
            diagram.components.values(),
            key=lambda item: (round(item.scenePos().y() / 40), item.scenePos().x()),
        )
        return [item.record_id for item in components] + list(diagram.links)

    def step(self, forward: bool) -> bool:
        """Select the next (or previous) item in Tab order and bring it into view.

        From no selection, forward starts at the first item and backward at the last.
        Returns False, selecting nothing new, past the last item (or before the first).
        """
        window = self.window_
        order = self.tab_order()
        selected = window.diagram.selected_ids()
        current = order.index(selected[-1]) if selected and selected[-1] in order else -1
        if current == -1:
            index = 0 if forward else len(order) - 1
        else:
            index = current + (1 if forward else -1)
        if not 0 <= index < len(order):
            return False
        self._select(order[index])
        return True

    def _select(self, record_id: str) -> None:
        window = self.window_
        window.diagram.select_ids([record_id])
        item = window.diagram.components.get(record_id) or window.diagram.links[record_id]
        window.view.ensureVisible(item.sceneBoundingRect(), 40, 40)

    def _leave(self, forward: bool, keep_selection: bool) -> None:
        """Give the focus to the widget after (or before) the canvas."""
        if not keep_selection:
            self.window_.diagram.select_ids([])
        self.window_.view.focusNextPrevChild(forward)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        view = self.window_.view
        if watched is not view or view.editor is not None:
            return super().eventFilter(watched, event)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and not event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            forward = event.key() == Qt.Key.Key_Tab and not (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            # Ctrl+Tab leaves at once, as from a text view that takes Tab itself (GTK, Qt)
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._leave(forward, keep_selection=True)
            elif not self.step(forward):
                self._leave(forward, keep_selection=False)
            return True
        if (
            isinstance(event, QFocusEvent)
            and event.type() == QEvent.Type.FocusIn
            and event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
            and not self.window_.diagram.selected_ids()
        ):
            self.step(event.reason() == Qt.FocusReason.TabFocusReason)
        return super().eventFilter(watched, event)
