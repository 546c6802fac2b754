"""Repainting only what changed: a view's exposed region, and the strips a moved route needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import (
    QPainter,
    QRegion,
    QTransform,
)
from PySide6.QtWidgets import (
    QStyleOptionGraphicsItem,
    QWidget,
)

from stipa.model import LinkKind
from stipa.ui.canvas.style import link_pens

_TX_SCALE = QTransform.TransformationType.TxScale.value

#: Below these levels of detail (view scale) arrow heads and labels are left out.
ARROW_DETAIL = 0.2
LABEL_DETAIL = 0.35


def device_rect(
    sx: float,
    sy: float,
    dx: float,
    dy: float,
    a: tuple[float, float],
    b: tuple[float, float],
    pad: float,
) -> QRect:
    """The box of ``a`` and ``b`` (scene), grown by ``pad``, in device pixels, with room for
    antialiasing. ``sx, sy, dx, dy``: the scale-and-translate transform to the device."""
    x1, x2 = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
    y1, y2 = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
    left, right = (x1 - pad) * sx + dx, (x2 + pad) * sx + dx
    top, bottom = (y1 - pad) * sy + dy, (y2 + pad) * sy + dy
    if left > right:
        left, right = right, left
    if top > bottom:
        top, bottom = bottom, top
    return QRect(int(left) - 2, int(top) - 2, int(right - left) + 5, int(bottom - top) + 5)


class Exposure:
    """What a view is repainting, for the items it paints (set by :func:`painting`); a
    ``viewport`` of None: a picture painted with ``QGraphicsScene.render``."""

    __slots__ = ("detail", "inside", "key", "region", "styles", "viewport")

    def __init__(self, viewport: QWidget | None, region: QRegion, transform: QTransform) -> None:
        self.viewport = viewport
        self.region = region
        #: (left, top, right, bottom) in device pixels of a region of one rectangle, within
        #: which an item needs no piece tested; None for a region of several
        bounds = region.boundingRect()
        self.inside = (
            (bounds.left(), bounds.top(), bounds.right() + 1, bounds.bottom() + 1)
            if region.rectCount() == 1
            else None
        )
        self.key = (transform.m11(), transform.m22(), transform.dx(), transform.dy())
        self.detail = QStyleOptionGraphicsItem.levelOfDetailFromTransform(transform)
        self.styles = {kind: link_pens(kind) for kind in LinkKind}


_exposure: Exposure | None = None


def detail_of(painter: QPainter, widget: QWidget | None) -> float:
    """The level of detail an item paints ``widget`` at: the exposure's, or the painter's."""
    exposure = _exposure
    if exposure is not None and widget is exposure.viewport:
        return exposure.detail
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


@contextmanager
def painting(viewport: QWidget | None, region: QRegion, transform: QTransform) -> Iterator[None]:
    """While a view paints ``region`` of ``viewport`` (None: a picture) with ``transform``
    (scene to device): links draw only their pieces inside the region, and every item knows
    the level of detail without working it out. Only plain scale-and-translate views."""
    global _exposure
    if transform.type().value > _TX_SCALE:
        yield
        return
    previous, _exposure = _exposure, Exposure(viewport, QRegion(region), transform)
    try:
        yield
    finally:
        _exposure = previous


def strip(a: tuple[float, float], b: tuple[float, float]) -> QRectF:
    """The rectangle a segment from ``a`` to ``b`` paints, with room for the widest pen."""
    left, right = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
    top, bottom = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
    return QRectF(left - 4, top - 4, right - left + 8, bottom - top + 8)


def points_box(points: tuple[tuple[float, float], ...]) -> QRectF:
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    return QRectF(min(xs) - 2, min(ys) - 2, max(xs) - min(xs) + 4, max(ys) - min(ys) + 4)


def contains(
    outer: tuple[float, float, float, float], inner: tuple[float, float, float, float]
) -> bool:
    left, top, right, bottom = inner
    return outer[0] <= left and outer[1] <= top and right <= outer[2] and bottom <= outer[3]


def union(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
