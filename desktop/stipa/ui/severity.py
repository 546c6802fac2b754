"""How finding severities look: colour, shape and name, shared by the findings panel and badges.

Each severity has its own shape as well as its own colour (Okabe–Ito palette, safe for colour
blindness), so it never rests on colour alone: error is an octagon, warning a triangle, info a
circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from stipa.diagram.style import MARK_COLOURS, MARKS
from stipa.diagram.style import SEVERITY_COLOURS as SEVERITY_COLOURS  # the panels take it here
from stipa.model import Disposition, Severity


def _tr(text: str) -> str:
    return QCoreApplication.translate("Severity", text)


def severity_labels() -> dict[Severity, str]:
    """Readable severity names."""
    return {
        Severity.ERROR: _tr("Error"),
        Severity.WARNING: _tr("Warning"),
        Severity.INFO: _tr("Info"),
    }


def disposition_labels() -> dict[Disposition, str]:
    """Readable disposition names."""
    return {
        Disposition.OPEN: _tr("Open"),
        Disposition.ACCEPTED_RISK: _tr("Accepted risk"),
        Disposition.NOT_APPLICABLE: _tr("Not applicable"),
        Disposition.RESOLVED: _tr("Resolved"),
    }


def severity_shape(severity: Severity, rect: QRectF) -> QPainterPath:
    """The outline of a severity's symbol inside ``rect``."""
    path = QPainterPath()
    if severity == Severity.ERROR:  # octagon, like a stop sign
        cut = rect.width() * 0.29
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(left + cut, top),
                    QPointF(right - cut, top),
                    QPointF(right, top + cut),
                    QPointF(right, bottom - cut),
                    QPointF(right - cut, bottom),
                    QPointF(left + cut, bottom),
                    QPointF(left, bottom - cut),
                    QPointF(left, top + cut),
                ]
            )
        )
        path.closeSubpath()
    elif severity == Severity.WARNING:  # triangle
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(rect.center().x(), rect.top()),
                    QPointF(rect.right(), rect.bottom()),
                    QPointF(rect.left(), rect.bottom()),
                ]
            )
        )
        path.closeSubpath()
    else:  # circle
        path.addEllipse(rect)
    return path


def paint_severity_symbol(painter: QPainter, rect: QRectF, severity: Severity) -> None:
    """Draw a severity's symbol (shape, colour and mark) into ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(SEVERITY_COLOURS[severity])
    painter.setPen(QPen(colour.darker(140), max(1.0, rect.width() / 14)))
    painter.setBrush(colour)
    painter.drawPath(severity_shape(severity, rect))
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(max(6, round(rect.height() * 0.62)))
    painter.setFont(font)
    painter.setPen(QColor(MARK_COLOURS[severity]))
    text_rect = QRectF(rect)
    if severity == Severity.WARNING:  # the triangle's room is low down
        text_rect.setTop(rect.top() + rect.height() * 0.22)
    painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, MARKS[severity])
    painter.restore()


@cache
def severity_icon(severity: Severity, size: int = 16) -> QIcon:
    """An icon of a severity's symbol (made once per severity and size)."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x: sharp on high-density screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_severity_symbol(painter, QRectF(1, 1, size - 2, size - 2), severity)
    painter.end()
    return QIcon(pixmap)


def worst(severities: Iterable[Severity]) -> Severity:
    """The most serious of some severities (info when there are none)."""
    result = Severity.INFO
    for severity in severities:
        if severity.rank > result.rank:
            result = severity
    return result
