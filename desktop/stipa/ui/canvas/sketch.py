"""A big diagram far out, drawn as a sketch: boxes and lines with one painter call per pen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem

from stipa.model import ComponentKind, Severity
from stipa.ui.canvas.component import TEXT_DETAIL, ComponentItem
from stipa.ui.canvas.link import LinkItem
from stipa.ui.canvas.repaint import ARROW_DETAIL
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.style import component_style, link_pens
from stipa.ui.severity import SEVERITY_COLOURS

if TYPE_CHECKING:
    from stipa.ui.canvas.badges import BadgeItem

#: Below this scale a diagram can be sketched: the items paint nothing else at that size
#: (no text, arrow head or label).
SKETCH_BELOW = min(TEXT_DETAIL, ARROW_DETAIL)
#: Items gathered in one go (between two turns of the event loop, for the overview).
SKETCH_PIECE = 1000

#: What one painter call per pen draws: pen, brush (None: none), rectangles, lines.
Piece = tuple[QPen, QBrush | None, list[QRectF], list[QLineF]]


def _badge_class() -> type[BadgeItem]:
    # imported here: the badges follow the document, whose panels know the canvas view,
    # which paints sketches
    from stipa.ui.canvas import badges

    return badges.BadgeItem


def sketched() -> tuple[type[QGraphicsItem], ...]:
    """The kinds of items a sketch draws (the others are painted as they are)."""
    return (ComponentItem, LinkItem, _badge_class())


def pieces(diagram: DiagramScene) -> Iterator[list[Piece]]:
    """``diagram`` as the items look far out, ``SKETCH_PIECE`` items at a time, in the order
    to paint: links as lines, components as filled boxes (frames below), then the badges as
    dots of their severity's colour, above all. Selected items are ringed in the
    selection's colour (a pixel or two wide, however far out), highlighted ones in the
    highlight's colour."""
    links = [link for link in diagram.links.values() if link.isVisible()]
    components = sorted(
        (item for item in diagram.components.values() if item.isVisible()),
        key=lambda item: (not item.drawn_as_frame, item.zValue()),
    )
    selected = set(diagram.selectedItems())
    text = QApplication.palette().color(QPalette.ColorRole.Text)
    badge = _badge_class()
    dots: dict[Severity, list[QRectF]] = {}
    pens: dict[object, QPen] = {}
    # what is selected is ringed in the selection's colour, a pixel or two wide at any size
    marked_lines: list[QLineF] = []
    marked_rects: list[QRectF] = []
    for start in range(0, len(links), SKETCH_PIECE):
        lines: dict[object, list[QLineF]] = {}
        for link in links[start : start + SKETCH_PIECE]:
            # a few microseconds for each of thousands of links: the common case first
            highlight, kind = link.highlight, link.link.kind
            line_key: object = kind
            if highlight is not None:
                line_key = highlight.rgba()
                if line_key not in pens:
                    pens[line_key] = QPen(highlight, 4)
            elif kind not in pens:
                pens[kind] = link_pens(kind).pen
            if link in selected:
                marked_lines.extend(link.sketch_lines())
            found = lines.get(line_key)
            if found is None:
                found = lines[line_key] = []
            found.extend(link.sketch_lines())
            if link.childItems():
                _note_badges(link, badge, dots)
        yield [(pens[key], None, [], found) for key, found in lines.items()]
    for start in range(0, len(components), SKETCH_PIECE):
        boxes: dict[object, tuple[QPen, QBrush | None, list[QRectF]]] = {}
        for item in components[start : start + SKETCH_PIECE]:
            is_selected, highlight = item in selected, item.highlight
            box = QRectF(*item.box())
            if item.drawn_as_frame:
                boundary = item.component.kind == ComponentKind.BOUNDARY
                key: object = ("frame", boundary, is_selected, item.preset.colour)
                if key not in boxes:
                    pen = QPen(text, 2.4 if is_selected else 1.3)
                    tint = QColor(item.preset.colour)
                    tint.setAlpha(28)
                    if boundary:
                        pen.setStyle(Qt.PenStyle.DashLine)
                    boxes[key] = (pen, None if boundary else QBrush(tint), [])
            else:
                key = (item.preset.key, is_selected)
                if key not in boxes:
                    look = component_style(item.preset)
                    pen = look.selected_pen if is_selected else look.pen
                    boxes[key] = (pen, look.fill, [])
            boxes[key][2].append(box)
            if is_selected:
                marked_rects.append(box)
            if highlight is not None:
                mark = ("highlight", highlight.rgba())
                if mark not in boxes:
                    boxes[mark] = (QPen(highlight, 4), None, [])
                boxes[mark][2].append(box)
            _note_badges(item, badge, dots)
        yield [(*piece, []) for piece in boxes.values()]
    no_pen = QPen(Qt.PenStyle.NoPen)
    ring = QPen(QApplication.palette().color(QPalette.ColorRole.Highlight), 2.0)
    ring.setCosmetic(True)
    yield [
        (ring, None, marked_rects, marked_lines),
        *(
            (no_pen, QBrush(QColor(SEVERITY_COLOURS[severity])), found, [])
            for severity, found in dots.items()
        ),
    ]


def _note_badges(
    item: QGraphicsItem, badge: type[BadgeItem], dots: dict[Severity, list[QRectF]]
) -> None:
    """Add where ``item``'s badges (of class ``badge``) are to ``dots``, by their severity."""
    for child in item.childItems():
        if isinstance(child, badge) and child.isVisible():
            dots.setdefault(child.state.severity, []).append(child.sceneBoundingRect())


def paint(painter: QPainter, drawn: list[Piece]) -> None:
    """Paint each piece with ``painter`` (set to scene coordinates), antialiased as the
    items paint themselves."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for pen, brush, rects, lines in drawn:
        painter.setPen(pen)
        painter.setBrush(brush if brush is not None else Qt.BrushStyle.NoBrush)
        if rects:
            painter.drawRects(rects)
        if lines:
            painter.drawLines(lines)
