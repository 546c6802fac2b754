"""A big diagram far out, drawn as a sketch: boxes and lines with one painter call per pen."""

from __future__ import annotations

from collections.abc import Iterator

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

#: Below this scale a diagram can be sketched: the items paint nothing else at that size
#: (no text, arrow head or label).
SKETCH_BELOW = min(TEXT_DETAIL, ARROW_DETAIL)
#: Items gathered in one go (between two turns of the event loop, for the overview).
SKETCH_PIECE = 1000

#: What one painter call per pen draws: pen, brush (None: none), rectangles, lines.
Piece = tuple[QPen, QBrush | None, list[QRectF], list[QLineF]]


def sketched() -> tuple[type[QGraphicsItem], ...]:
    """The kinds of items a sketch draws (the others are painted as they are)."""
    # imported here: the badges follow the document, whose panels know the canvas view
    from stipa.ui.canvas.badges import BadgeItem

    return (ComponentItem, LinkItem, BadgeItem)


def pieces(diagram: DiagramScene) -> Iterator[list[Piece]]:
    """``diagram`` as the items look far out, ``SKETCH_PIECE`` items at a time, in the order
    to paint: links as lines, components as filled boxes (frames below), then the badges as
    dots of their severity's colour, above all. Selected items are drawn with their
    selected pen, highlighted ones ringed in the highlight's colour."""
    links = [link for link in diagram.links.values() if link.isVisible()]
    components = sorted(
        (item for item in diagram.components.values() if item.isVisible()),
        key=lambda item: (not item.drawn_as_frame, item.zValue()),
    )
    text = QApplication.palette().color(QPalette.ColorRole.Text)
    dots: dict[Severity, list[QRectF]] = {}
    pens: dict[object, QPen] = {}
    for start in range(0, len(links), SKETCH_PIECE):
        lines: dict[object, list[QLineF]] = {}
        for link in links[start : start + SKETCH_PIECE]:
            kind, selected, highlight = link.link.kind, link.isSelected(), link.highlight
            line_key = (kind, selected, highlight.rgba() if highlight is not None else None)
            if line_key not in pens:
                pens[line_key] = (
                    QPen(highlight, 4)
                    if highlight is not None
                    else link_pens(kind).selected_pen
                    if selected
                    else link_pens(kind).pen
                )
            lines.setdefault(line_key, []).extend(link.sketch_lines())
            _note_badges(link, dots)
        yield [(pens[key], None, [], found) for key, found in lines.items()]
    for start in range(0, len(components), SKETCH_PIECE):
        boxes: dict[object, tuple[QPen, QBrush | None, list[QRectF]]] = {}
        for item in components[start : start + SKETCH_PIECE]:
            selected, highlight = item.isSelected(), item.highlight
            box = item.sceneBoundingRect()
            if item.drawn_as_frame:
                boundary = item.component.kind == ComponentKind.BOUNDARY
                key: object = ("frame", boundary, selected, item.preset.colour)
                if key not in boxes:
                    pen = QPen(text, 2.4 if selected else 1.3)
                    tint = QColor(item.preset.colour)
                    tint.setAlpha(28)
                    if boundary:
                        pen.setStyle(Qt.PenStyle.DashLine)
                    boxes[key] = (pen, None if boundary else QBrush(tint), [])
            else:
                look = component_style(item.preset)
                key = (id(look), selected)
                if key not in boxes:
                    boxes[key] = (look.selected_pen if selected else look.pen, look.fill, [])
            boxes[key][2].append(box)
            if highlight is not None:
                mark = ("highlight", highlight.rgba())
                if mark not in boxes:
                    boxes[mark] = (QPen(highlight, 4), None, [])
                boxes[mark][2].append(box)
            _note_badges(item, dots)
        yield [(*piece, []) for piece in boxes.values()]
    no_pen = QPen(Qt.PenStyle.NoPen)
    yield [
        (no_pen, QBrush(QColor(SEVERITY_COLOURS[severity])), found, [])
        for severity, found in dots.items()
    ]


def _note_badges(item: QGraphicsItem, dots: dict[Severity, list[QRectF]]) -> None:
    """Add where ``item``'s badges are to ``dots``, by their severity."""
    from stipa.ui.canvas.badges import BadgeItem

    for child in item.childItems():
        if isinstance(child, BadgeItem) and child.isVisible():
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
