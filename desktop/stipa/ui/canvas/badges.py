"""Finding badges: a small count on each component and link that has open findings.

The badges are worked out from the document's findings once per change (never while
painting) and drawn as child items of the components and links they annotate, so they move
with them. A badge shows the number of open findings and the symbol of the worst severity
(shape and colour); its tooltip lists the messages.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from stipa.diagram.targets import canvas_ids_of
from stipa.model import (
    Disposition,
    Document,
    Event,
    HistoryChanged,
    RecordAdded,
    RecordChanged,
    RecordRemoved,
    RecordsAdded,
    Severity,
)
from stipa.ui.canvas import repaint
from stipa.ui.canvas.component import TEXT_DETAIL, ComponentItem
from stipa.ui.canvas.link import LinkItem
from stipa.ui.canvas.style import canvas_font
from stipa.ui.following import REFRESH_RETRY_MS, DocumentFollower
from stipa.ui.severity import SEVERITY_COLOURS, paint_severity_symbol, severity_labels, worst
from stipa.ui.slices import Slices

if TYPE_CHECKING:
    from stipa.ui.canvas.scene import DiagramScene
    from stipa.ui.panel_context import PanelContext

#: Tables whose changes can move, add or drop badges.
WATCHED_TABLES = frozenset(
    {
        "findings",
        "components",
        "links",
        "ucas",
        "context_rules",
        "responsibilities",
        "controller_constraints",
        "scenarios",
    }
)
#: Most messages listed in a badge's tooltip.
TOOLTIP_MESSAGES = 12
#: Findings or badges worked on between two chances to stop for a slice.
_BATCH = 200
_HEIGHT = 16.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("Badges", text)


@dataclass
class BadgeState:
    """What one badge shows: how many open findings, the worst severity, their messages."""

    count: int = 0
    severity: Severity = Severity.INFO
    messages: list[tuple[Severity, str]] = field(default_factory=list)


class BadgeItem(QGraphicsItem):
    """A count and a severity symbol in a corner of a component or on a link's label."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.state = BadgeState()
        self._text = ""
        self._width = _HEIGHT
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks reach the item below
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(10)

    def set_state(self, state: BadgeState, tooltip: str | None = None) -> None:
        """Show ``state`` (with ``tooltip`` when already worked out); repaints only when
        something visible changed."""
        if state == self.state and self._text:
            return
        self.state = state
        text = str(state.count)
        width = _HEIGHT + 4 + _text_width(text)
        if width != self._width:
            self.prepareGeometryChange()
            self._width = width
        self._text = text
        self.setToolTip(_tooltip(state) if tooltip is None else tooltip)
        self.follow_parent()
        self.update()

    def follow_parent(self) -> None:
        """Sit in the parent's corner: a component's top left, a link label's top right."""
        parent = self.parentItem()
        if isinstance(parent, LinkItem):
            label = parent.label_rect()
            if not label.isNull():
                # above the label's text, as in the SVG export: it never covers a word
                point = QPointF(label.right() - self._width / 2, label.top() - _HEIGHT - 2)
            else:
                points = parent.points()
                middle = len(points) // 2
                point = QPointF()
                if len(points) > 1:
                    point = (points[middle - 1] + points[middle]) * 0.5
                point += QPointF(4, -_HEIGHT - 2)
        else:
            point = QPointF(-6, -_HEIGHT / 2 - 2)
        if point != self.pos():
            self.setPos(point)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._width, _HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        rect = self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5)
        detail = repaint.detail_of(painter, widget)
        if detail < TEXT_DETAIL:  # a few pixels: a dot of the severity's colour says it all
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(SEVERITY_COLOURS[self.state.severity]))
            painter.drawRect(rect)
            return
        palette = QApplication.palette()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background = palette.color(QPalette.ColorRole.Base)
        painter.setPen(QPen(QColor(SEVERITY_COLOURS[self.state.severity]), 1.2))
        painter.setBrush(background)
        painter.drawRoundedRect(rect, _HEIGHT / 2, _HEIGHT / 2)
        paint_severity_symbol(
            painter, QRectF(1.5, 1.5, _HEIGHT - 3, _HEIGHT - 3), self.state.severity
        )
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.setFont(canvas_font(7.5, bold=True))
        painter.drawText(
            QRectF(_HEIGHT, 0, self._width - _HEIGHT - 2, _HEIGHT),
            Qt.AlignmentFlag.AlignCenter,
            self._text,
        )


@functools.cache
def _text_width(text: str) -> float:
    return QFontMetricsF(canvas_font(7.5, bold=True)).horizontalAdvance(text)


def _tooltip(state: BadgeState) -> str:
    labels = severity_labels()
    if state.count == 1:
        head = _tr("1 open finding")
    else:
        head = _tr("{0} open findings").format(state.count)
    lines = [f"<b>{html.escape(head)}</b>"]
    ordered = sorted(state.messages, key=lambda entry: -entry[0].rank)
    for severity, message in ordered[:TOOLTIP_MESSAGES]:
        lines.append(f"{html.escape(labels[severity])}: {html.escape(message)}")
    if len(ordered) > TOOLTIP_MESSAGES:
        lines.append(html.escape(_tr("… and {0} more").format(len(ordered) - TOOLTIP_MESSAGES)))
    return "<br>".join(lines)


def badge_states(document: Document) -> dict[str, BadgeState]:
    """The badge each component and link needs, by id (open findings only)."""
    states: dict[str, BadgeState] = {}
    for _step in _collect_states(document, states):
        pass
    return states


def _collect_states(document: Document, states: dict[str, BadgeState]) -> Iterator[None]:
    """Fill ``states`` as ``badge_states`` returns them, yielding every ``_BATCH`` findings."""
    findings = list(document.findings.values())  # the document may change between yields
    for count, finding in enumerate(findings, start=1):
        if count % _BATCH == 0:
            yield
        if finding.disposition != Disposition.OPEN:
            continue
        for canvas_id in canvas_ids_of(document, finding.targets):
            state = states.setdefault(canvas_id, BadgeState())
            state.count += 1
            state.messages.append((finding.severity, finding.message))
    for state in states.values():
        state.severity = worst(severity for severity, _message in state.messages)


class BadgeManager(QObject):
    """Keeps the badges of a window's diagram in step with the document's findings."""

    def __init__(self, window: PanelContext) -> None:
        super().__init__(window.window())
        self.window_ = window
        #: The badges shown, by component or link id.
        self.badges: dict[str, BadgeItem] = {}
        self._diagram: DiagramScene | None = None
        self._dirty = False
        #: The refresh being worked on between events.
        self.slices = Slices(self)
        self.follower = DocumentFollower(self, window, self._on_event, self._bind)
        self._bind()

    def _bind(self) -> None:
        self.badges = {}  # the old scene took its items (and their badges) with it
        self._diagram = self.window_.diagram
        if self._diagram.building:  # its links come later: their badges once they are there
            self._diagram.built.connect(self.refresh)
        self.refresh()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, RecordAdded | RecordsAdded | RecordChanged | RecordRemoved):
            if event.table in WATCHED_TABLES and not self._dirty:
                self._dirty = True
                QTimer.singleShot(0, self._refresh_if_dirty)  # e.g. a rolled-back transaction
        elif isinstance(event, HistoryChanged):
            self._refresh_if_dirty()

    def _refresh_if_dirty(self) -> None:
        if not shiboken6.isValid(self):
            return
        if self.window_.document.in_transaction:  # applied in slices: once, when it closes
            QTimer.singleShot(REFRESH_RETRY_MS, self._refresh_if_dirty)
        elif self._dirty:
            self.refresh()

    def refresh(self) -> None:
        """Work the badges out again from the findings and show them.

        Thousands of findings take a while: the work is done a slice at a time between
        events (small documents' at once); a refresh meanwhile starts it over.
        """
        self._dirty = False
        self.slices.start(self._refresh_steps())

    def _refresh_steps(self) -> Generator[None, None, None]:
        diagram = self._diagram
        if diagram is None or not shiboken6.isValid(diagram):
            return
        states: dict[str, BadgeState] = {}
        yield from _collect_states(self.window_.document, states)
        tooltips: dict[str, str] = {}
        for count, (canvas_id, state) in enumerate(states.items(), start=1):
            if count % _BATCH == 0:
                yield
            tooltips[canvas_id] = _tooltip(state)
        # the items change a batch at a time too: a repaint between two slices draws only
        # the canvas' visible part, and the overview paints its picture once they are done
        for count, canvas_id in enumerate(list(self.badges), start=1):
            if count % _BATCH == 0:
                yield
            badge = self.badges[canvas_id]
            item = diagram.components.get(canvas_id) or diagram.links.get(canvas_id)
            if canvas_id in states and item is not None and badge.parentItem() is item:
                continue
            del self.badges[canvas_id]
            # a badge of a removed item left the scene with it; others leave (and detach) now
            owner = badge.scene() if shiboken6.isValid(badge) else None
            if owner is not None:
                owner.removeItem(badge)
        for count, (canvas_id, state) in enumerate(states.items(), start=1):
            if count % _BATCH == 0:
                yield
            parent: ComponentItem | LinkItem | None = diagram.components.get(
                canvas_id
            ) or diagram.links.get(canvas_id)
            if parent is None:
                continue
            shown = self.badges.get(canvas_id)
            if shown is None or not shiboken6.isValid(shown):  # gone with its item meanwhile
                shown = self.badges[canvas_id] = BadgeItem(parent)
            shown.set_state(state, tooltips[canvas_id])
        diagram.decorationsChanged.emit()
