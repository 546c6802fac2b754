"""A big diagram far out, drawn as a sketch: boxes and lines with one painter call per pen."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from itertools import chain
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem

from stipa.model import ComponentKind, Severity
from stipa.ui import collector
from stipa.ui.canvas.component import TEXT_DETAIL, ComponentItem
from stipa.ui.canvas.link import LinkItem
from stipa.ui.canvas.repaint import ARROW_DETAIL
from stipa.ui.canvas.style import component_style, link_pens
from stipa.ui.severity import SEVERITY_COLOURS

if TYPE_CHECKING:
    from stipa.ui.canvas.badges import BadgeItem
    from stipa.ui.canvas.scene import DiagramScene

#: Below this scale a diagram can be sketched: the items paint nothing else at that size
#: (no text, arrow head or label).
SKETCH_BELOW = min(TEXT_DETAIL, ARROW_DETAIL)

#: From this many components and links, what a sketch gathers is put out of the garbage
#: collector's sight (:mod:`stipa.ui.collector`).
SETTLE_ITEMS = 5_000

#: What one painter call per pen draws: pen, brush (None: none), rectangles, lines.
Piece = tuple[QPen, QBrush | None, list[QRectF], list[QLineF]]

#: The layers of a sketch, bottom up: links as lines, open frames, components' boxes, the
#: highlights around components, the selection's rings, the badges as dots.
_LINKS, _FRAMES, _BOXES, _HIGHLIGHTS, _RINGS, _DOTS = range(6)


@cache
def _badge_class() -> type[BadgeItem]:
    # imported here: the badges follow the document, whose panels know the canvas view,
    # which paints sketches (once: an import in a function costs, per component gathered)
    from stipa.ui.canvas import badges

    return badges.BadgeItem


def sketched() -> tuple[type[QGraphicsItem], ...]:
    """The kinds of items a sketch draws (the others are painted as they are)."""
    return (ComponentItem, LinkItem, _badge_class())


class _Group:
    """What one painter call draws: the rectangles (or lines) of each item with one pen."""

    __slots__ = ("brush", "entries", "layer", "lines", "pen")

    def __init__(self, layer: int, pen: QPen, brush: QBrush | None, lines: bool) -> None:
        self.layer = layer
        self.pen = pen
        self.brush = brush
        self.lines = lines
        self.entries: dict[QGraphicsItem, list[QRectF] | list[QLineF]] = {}

    def copy(self) -> _Group:
        """The group as it is now (its entries change with the sketch; the copy's do not)."""
        group = _Group(self.layer, self.pen, self.brush, self.lines)
        group.entries = self.entries.copy()
        return group

    def piece(self) -> Piece:
        shapes: list[Any] = list(chain.from_iterable(self.entries.values()))
        if self.lines:
            return (self.pen, self.brush, [], shapes)
        return (self.pen, self.brush, shapes, [])


#: What a sketch has gathered: its groups by key, the keys of each item's groups, the pieces.
_State = tuple[dict[object, _Group], dict[QGraphicsItem, list[object]], list[Piece]]


class Sketch:
    """A diagram as its items look far out: links as lines, components as filled boxes
    (open frames below), then the badges as dots of their severity's colour, above all.
    Selected items are ringed in the selection's colour (a pixel or two wide, however far
    out), highlighted ones in the highlight's colour.

    Gathered in groups of one pen, and kept: after a collapse or expand only the items it
    showed, hid or re-routed are gathered again (:meth:`touch`, a few of a big diagram's
    thousands); after any other change, everything (:meth:`forget`). The sketch from before
    the last collapse or expand is kept too, for the one toggling it back.
    """

    def __init__(self, diagram: DiagramScene) -> None:
        self.diagram = diagram
        self._groups: dict[object, _Group] = {}
        #: the keys of the groups each item has entries in
        self._keys: dict[QGraphicsItem, list[object]] = {}
        self._touched: set[QGraphicsItem] = set()
        #: how many components and links were gathered (None: nothing; a staged build adds)
        self._size: tuple[int, int] | None = None
        self._pieces: list[Piece] | None = None
        #: the groups, their keys and the pieces from before the last change touched
        self._before: _State | None = None
        diagram.selectionChanged.connect(self.forget)
        diagram.decorationsChanged.connect(self.forget)

    def forget(self) -> None:
        """Gather everything again when next asked."""
        self._size = None
        self._pieces = None
        self._groups = {}
        self._keys = {}
        self._touched = set()
        self._before = None

    def touch(self, items: set[QGraphicsItem], back: bool = False) -> None:
        """Gather ``items`` again when next asked (they were shown, hidden or re-routed).

        ``back``: this change undoes the last one touched, with nothing else changed since
        (a container collapsed, then expanded): the sketch from before that one is used.
        """
        if self._size is None:
            return
        if self._touched or self._pieces is None:  # the last change is not gathered yet
            self._before = None
            self._touched |= items
            self._pieces = None
            return
        now = (self._groups, self._keys, self._pieces)
        if back and self._before is not None:
            self._groups, self._keys, self._pieces = self._before
        else:  # the groups are changed in place when gathered: keep them as they are
            groups = {key: group.copy() for key, group in self._groups.items()}
            now = (groups, self._keys.copy(), self._pieces)
            self._touched = set(items)
            self._pieces = None
        self._before = now

    def pieces(self) -> list[Piece]:
        """What to paint, one painter call each, in the order to paint (scene coordinates)."""
        diagram = self.diagram
        size = (len(diagram.components), len(diagram.links))
        if self._size != size:
            self.forget()
            self._size = size
            self._gather(
                [*diagram.links.values(), *diagram.components.values()],
                set(diagram.selectedItems()).__contains__,
            )
            if sum(size) >= SETTLE_ITEMS:
                # the lines of a big diagram's links, made when first gathered, live as long
                # as the diagram: out of the collector's sight, as the diagram's items are
                # (a full collection walking them took 25-50 ms, at any edit)
                collector.settle()
        elif self._touched:
            touched, self._touched = self._touched, set()
            groups = self._groups
            for item in touched:
                for key in self._keys.pop(item, ()):
                    del groups[key].entries[item]
            # (a touched item removed from the scene came with a change that forgot all)
            self._gather(list(touched), QGraphicsItem.isSelected)
        if self._pieces is None:
            ordered = sorted(self._groups.values(), key=lambda group: group.layer)
            self._pieces = [group.piece() for group in ordered if group.entries]
        return self._pieces

    def _gather(
        self, items: list[QGraphicsItem], is_selected: Callable[[QGraphicsItem], bool]
    ) -> None:
        """Enter the visible ones of ``items``: links first, then components, frames first
        and each by its stacking."""
        groups, keys = self._groups, self._keys
        components = []
        for item in items:
            if not item.isVisible():
                continue
            if isinstance(item, LinkItem):
                # thousands of links: the common case (a plain line) first
                kind = item.link.kind
                group = groups.get(kind)
                if (
                    group is None
                    or item.highlight is not None
                    or item.childItems()
                    or is_selected(item)
                ):
                    self._add_link(item, is_selected(item))
                else:
                    group.entries[item] = item.sketch_lines()
                    keys[item] = [kind]
            elif isinstance(item, ComponentItem):
                components.append(item)
        components.sort(key=lambda item: (not item.drawn_as_frame, item.zValue()))
        for item in components:
            self._add_component(item, is_selected(item))

    def _enter(
        self,
        item: QGraphicsItem,
        key: object,
        shapes: list[QRectF] | list[QLineF],
        make: Callable[[], _Group],
    ) -> None:
        """Put ``shapes`` of ``item`` in the group of ``key`` (made by ``make`` if new)."""
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = make()
        group.entries[item] = shapes
        keys = self._keys.get(item)
        if keys is None:
            self._keys[item] = [key]
        else:
            keys.append(key)

    def _add_link(self, link: LinkItem, selected: bool) -> None:
        lines = link.sketch_lines()
        highlight = link.highlight
        if highlight is None:
            kind = link.link.kind
            self._enter(link, kind, lines, lambda: _Group(_LINKS, link_pens(kind).pen, None, True))
        else:
            self._enter(
                link,
                ("highlight", highlight.rgba()),
                lines,
                lambda: _Group(_LINKS, QPen(highlight, 4), None, True),
            )
        if selected:
            self._enter(link, "ring lines", lines, lambda: _Group(_RINGS, _ring(), None, True))
        if link.childItems():
            self._add_badges(link)

    def _add_component(self, item: ComponentItem, selected: bool) -> None:
        box = [QRectF(*item.box())]
        preset = item.preset
        if item.drawn_as_frame:
            boundary = item.component.kind == ComponentKind.BOUNDARY
            self._enter(
                item,
                ("frame", boundary, selected, preset.colour),
                box,
                lambda: _frame_group(boundary, selected, preset.colour),
            )
        else:
            look = component_style(preset)
            self._enter(
                item,
                (preset.key, selected),
                box,
                lambda: _Group(
                    _BOXES, look.selected_pen if selected else look.pen, look.fill, False
                ),
            )
        if selected:
            self._enter(item, "ring boxes", box, lambda: _Group(_RINGS, _ring(), None, False))
        highlight = item.highlight
        if highlight is not None:
            self._enter(
                item,
                ("highlight box", highlight.rgba()),
                box,
                lambda: _Group(_HIGHLIGHTS, QPen(highlight, 4), None, False),
            )
        self._add_badges(item)

    def _add_badges(self, item: QGraphicsItem) -> None:
        """Enter where ``item``'s badges are, as dots of their severity's colour."""
        badge = _badge_class()
        dots: dict[Severity, list[QRectF]] = {}
        for child in item.childItems():
            if isinstance(child, badge) and child.isVisible():
                dots.setdefault(child.state.severity, []).append(child.sceneBoundingRect())
        for severity, rects in dots.items():
            self._enter(item, ("dots", severity), rects, partial(_dot_group, severity))


def _dot_group(severity: Severity) -> _Group:
    """The group of the badges of ``severity``: dots of its colour."""
    return _Group(_DOTS, QPen(Qt.PenStyle.NoPen), QBrush(QColor(SEVERITY_COLOURS[severity])), False)


def _ring() -> QPen:
    """The pen ringing what is selected: the selection's colour, a pixel or two wide."""
    ring = QPen(QApplication.palette().color(QPalette.ColorRole.Highlight), 2.0)
    ring.setCosmetic(True)
    return ring


def _frame_group(boundary: bool, selected: bool, colour: str) -> _Group:
    """The group of open frames drawn alike: a system boundary dashed and clear, a
    container tinted in its colour."""
    pen = QPen(QApplication.palette().color(QPalette.ColorRole.Text), 2.4 if selected else 1.3)
    if boundary:
        pen.setStyle(Qt.PenStyle.DashLine)
        return _Group(_FRAMES, pen, None, False)
    tint = QColor(colour)
    tint.setAlpha(28)
    return _Group(_FRAMES, pen, QBrush(tint), False)


def paint(painter: QPainter, drawn: list[Piece]) -> None:
    """Paint each piece with ``painter`` (set to scene coordinates), antialiased as the
    items paint themselves, but for lines thinner than a pixel: Qt draws those as hairlines
    either way (antialiased, a third slower, and to the eye the same)."""
    scale = painter.worldTransform().m11()
    for pen, brush, rects, lines in drawn:
        painter.setPen(pen)
        painter.setBrush(brush if brush is not None else Qt.BrushStyle.NoBrush)
        if rects:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawRects(rects)
        if lines:
            width = pen.widthF() * (1.0 if pen.isCosmetic() else scale)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, width > 1.0)
            painter.drawLines(lines)
