"""Diagram images: SVG, PNG and PDF of the canvas, drawn headless from a snapshot.

The picture is the canvas's own: a :class:`DiagramScene` is built from the snapshot (the
same items, routes, label placement and fonts as on screen, always in the light colours),
with the badges of open findings and a legend when asked, and the unselected items hidden
for a selection export.

* **PNG**: the scene rendered into a ``QImage`` at a chosen scale (or dpi, stored in the
  file), white or transparent.
* **PDF**: vector, through ``QPdfWriter``: one page of the chosen size and orientation, the
  diagram fitted above a title block (title, version, author, organisation, date).
* **SVG**: drawn without Qt by ``stipa.export.svg`` from the same ``stipa.diagram`` geometry
  the canvas draws: one group per component and per link, text as text in DejaVu Sans.

Painting goes through a window/viewport transform rather than a world transform, so the
canvas's level-of-detail shortcuts (labels hidden when zoomed far out) never drop anything
from a PDF or a small PNG.

:func:`render` is the ``diagram`` entry point of the ``stipa.renderers`` group, which
``stipa.export`` uses for the images inside reports.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

import stipa
from stipa.diagram.geometry import Box, TextLine, label_badge_places
from stipa.diagram.labels import label_text
from stipa.diagram.targets import canvas_ids_of
from stipa.diagram.text import ascent, line_height, text_width
from stipa.export.bidi import reveal_bidi, reveal_bidi_in_drawing
from stipa.export.diagram import register_renderer
from stipa.export.options import (
    HARD_MAX_PIXELS,
    DiagramOptions,
    ExportError,
    export_date,
)
from stipa.export.svg import render_svg
from stipa.model import (
    Component,
    ComponentKind,
    Document,
    LinkKind,
    LinkLayout,
    NodeLayout,
    Severity,
    Snapshot,
)
from stipa.ui.canvas.badges import BadgeItem, badge_states
from stipa.ui.canvas.component import ComponentItem
from stipa.ui.canvas.link import LinkItem
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.style import canvas_font, link_colour, register_fonts
from stipa.ui.presets import LINK_STYLE_BY_KIND, PRESETS, Preset
from stipa.ui.severity import paint_severity_symbol, severity_labels
from stipa.ui.theme import is_dark

__all__ = [
    "DiagramExport",
    "ensure_application",
    "light_palette",
    "render",
    "write_image",
]

#: Space around the drawing, in diagram units (pixels at 96 dpi).
MARGIN = 24.0
#: Gap between the diagram and the legend.
LEGEND_GAP = 40.0
#: Default PNG scale.
DEFAULT_SCALE = 2.0
#: Qt's PNG "quality" 80 is zlib level 1: flat diagram colours compress about as well, and
#: a large diagram encodes several times faster than at the default level.
PNG_QUALITY = 80
#: Below this scale the canvas leaves labels out; exports draw them all the same.
DETAIL_SCALE = 0.36
#: The PDF's resolution: the canvas's own, so fonts in points keep their size.
PDF_DPI = 96
_PAGE_IDS = {
    "A0": QPageSize.PageSizeId.A0,
    "A1": QPageSize.PageSizeId.A1,
    "A2": QPageSize.PageSizeId.A2,
    "A3": QPageSize.PageSizeId.A3,
    "A4": QPageSize.PageSizeId.A4,
    "A5": QPageSize.PageSizeId.A5,
    "B4": QPageSize.PageSizeId.B4,
    "B5": QPageSize.PageSizeId.B5,
    "Letter": QPageSize.PageSizeId.Letter,
    "Legal": QPageSize.PageSizeId.Legal,
    "Tabloid": QPageSize.PageSizeId.Tabloid,
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImageExport", text)


# --- the application and its colours --------------------------------------------------------


def ensure_application() -> QApplication:
    """The running QApplication, or a new one (offscreen when there is no display)."""
    app = QCoreApplication.instance()
    if isinstance(app, QApplication):
        return app
    if app is not None:
        raise ExportError(
            "Drawing the diagram needs a QApplication, but this process runs a "
            f"{type(app).__name__}."
        )
    no_display = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication([sys.argv[0] if sys.argv and sys.argv[0] else "stipa"])
    register_fonts()
    return app


@contextmanager
def light_palette() -> Iterator[None]:
    """Draw in the light colours whatever the application's appearance (documents are white)."""
    palette = QGuiApplication.palette()
    if not is_dark(palette):
        yield
        return
    QGuiApplication.setPalette(QPalette(QColor("#efefef")))
    try:
        yield
    finally:
        QGuiApplication.setPalette(palette)


# --- the legend ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _LegendRow:
    kind: str  # "component", "frame", "link" or "severity"
    label: str
    preset: Preset | None = None
    boundary: bool = False  # a frame row: a system boundary (else a container)
    link_kind: LinkKind | None = None
    severity: Severity | None = None


class LegendItem(QGraphicsItem):
    """What the shapes, lines and badges of the drawing mean (only those it uses)."""

    SWATCH_W, SWATCH_H, ROW, PAD = 36.0, 18.0, 24.0, 10.0

    def __init__(self, rows: Sequence[_LegendRow]) -> None:
        super().__init__()
        self.rows = list(rows)
        self._title_font = canvas_font(9.0, bold=True)
        self._heading_font = canvas_font(7.5, bold=True)
        self._font = canvas_font(8.0)
        metrics = QFontMetricsF(self._font)
        widest = max((metrics.horizontalAdvance(row.label) for row in self.rows), default=60.0)
        headings = QFontMetricsF(self._heading_font)
        widest_heading = max(
            (headings.horizontalAdvance(heading) for heading, _rows in self._sections()),
            default=0.0,
        )
        self._width = max(
            self.PAD * 3 + self.SWATCH_W + max(widest, 110.0), widest_heading + 2 * self.PAD + 4
        )
        self._height = self.PAD * 2 + 22.0 + self._layout_height()

    def _sections(self) -> list[tuple[str, list[_LegendRow]]]:
        names = {
            "component": _tr("Components"),
            "frame": _tr("Frames"),
            "link": _tr("Links"),
            "severity": _tr("Badges: open findings, worst severity"),
        }
        sections: list[tuple[str, list[_LegendRow]]] = []
        for kind, heading in names.items():
            rows = [row for row in self.rows if row.kind == kind]
            if rows:
                sections.append((heading, rows))
        return sections

    def _layout_height(self) -> float:
        return sum(16.0 + len(rows) * self.ROW for _heading, rows in self._sections())

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._width, self._height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#888888"), 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRect(self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5))
        painter.setPen(QColor("#111111"))
        painter.setFont(self._title_font)
        painter.drawText(
            QRectF(self.PAD, self.PAD, self._width - 2 * self.PAD, 18),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            _tr("Legend"),
        )
        y = self.PAD + 22.0
        for heading, rows in self._sections():
            painter.setPen(QColor("#444444"))
            painter.setFont(self._heading_font)
            painter.drawText(
                QRectF(self.PAD, y, self._width - 2 * self.PAD, 14),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                heading,
            )
            y += 16.0
            for row in rows:
                swatch = QRectF(self.PAD, y + (self.ROW - self.SWATCH_H) / 2, *self._swatch())
                self._paint_swatch(painter, row, swatch)
                painter.setPen(QColor("#111111"))
                painter.setFont(self._font)
                painter.drawText(
                    QRectF(swatch.right() + self.PAD, y, self._width, self.ROW),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    row.label,
                )
                y += self.ROW

    def _swatch(self) -> tuple[float, float]:
        return self.SWATCH_W, self.SWATCH_H

    def _paint_swatch(self, painter: QPainter, row: _LegendRow, rect: QRectF) -> None:
        painter.save()
        if row.preset is not None:
            _paint_preset(painter, row.preset, rect)
        elif row.kind == "frame":
            _paint_frame_sample(painter, rect, row.boundary)
        elif row.link_kind is not None:
            _paint_link_sample(painter, row.link_kind, rect)
        elif row.severity is not None:
            side = rect.height()
            paint_severity_symbol(
                painter, QRectF(rect.left(), rect.top(), side, side), row.severity
            )
        painter.restore()


def _paint_preset(painter: QPainter, preset: Preset, rect: QRectF) -> None:
    """A small component of ``preset``: the canvas's shape, fill and outline style."""
    sample = ComponentItem(
        Component(name="", kind=preset.kind, nature=preset.nature, role=preset.role),
        NodeLayout(id="legend", x=0, y=0, width=rect.width(), height=rect.height()),
    )
    path = sample.outline().translated(rect.topLeft())
    pen = QPen(QColor("#111111"), 1.1)
    if preset.shape == "dashed":
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(QColor(preset.colour).lighter(135))
    painter.drawPath(path)
    if preset.shape == "double":
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(2.5, 2.5, -2.5, -2.5))
    elif preset.shape == "banner":
        painter.fillRect(QRectF(rect.left(), rect.top(), rect.width(), 4), QColor(preset.colour))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)


def _paint_frame_sample(painter: QPainter, rect: QRectF, boundary: bool) -> None:
    """A small frame: with a title bar (a container), or dashed (a system boundary); as the
    SVG legend draws them."""
    pen = QPen(QColor("#000000"), 1.1)
    if boundary:
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        return
    tint = QColor("#888888")
    tint.setAlphaF(0.11)
    painter.fillRect(rect, tint)
    band = QRectF(rect.left(), rect.top(), rect.width(), rect.height() / 3)
    tint.setAlphaF(0.43)
    painter.fillRect(band, tint)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawLine(band.bottomLeft(), band.bottomRight())
    painter.drawRect(rect)


def _paint_link_sample(painter: QPainter, kind: LinkKind, rect: QRectF) -> None:
    """A short arrow drawn as the canvas draws links of ``kind``."""
    colour = link_colour(kind, dark=False)
    pen = QPen(colour, 1.6)
    pen.setStyle(
        {
            LinkKind.CONTROL_ACTION: Qt.PenStyle.SolidLine,
            LinkKind.FEEDBACK: Qt.PenStyle.DashLine,
            LinkKind.INFORMATION: Qt.PenStyle.DotLine,
        }[kind]
    )
    y = rect.center().y()
    tip = QPointF(rect.right(), y)
    painter.setPen(pen)
    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right() - 8, y))
    painter.setPen(QPen(colour, 1.4))
    painter.setBrush(colour if kind == LinkKind.CONTROL_ACTION else QColor("#ffffff"))
    painter.drawPolygon(
        QPolygonF([tip, QPointF(tip.x() - 10, y - 4.5), QPointF(tip.x() - 10, y + 4.5)])
    )


# --- the export scene ------------------------------------------------------------------------


def _document(snapshot: Snapshot) -> Document:
    """A private, history-free document with the snapshot's records (scenes need one)."""
    layouts: list[NodeLayout | LinkLayout] = [
        *snapshot.node_layout.values(),
        *snapshot.link_layout.values(),
    ]
    document, _problems = Document.assemble(list(snapshot.records()), layouts, snapshot.info)
    return document


def label_text_lines(link: LinkItem) -> tuple[TextLine, ...]:
    """The lines of a link's label as drawn (in the link's coordinates); none without one."""
    box = link.label_box()
    return () if box is None else label_text(box, link.label_lines())


def _text_rect(line: TextLine) -> QRectF:
    """The box one line of the engine's text takes, in its item's coordinates."""
    top = line.y - ascent(line.style)
    return QRectF(line.x, top, text_width(line.text, line.style), line_height(line.style))


class DiagramExport:
    """The diagram of a snapshot prepared for export: scene, badges, legend, visible area.

    Build it, call :meth:`svg`, :meth:`png` or :meth:`pdf` (each returns the file's bytes),
    then :meth:`close`.
    """

    def __init__(self, snapshot: Snapshot, options: DiagramOptions) -> None:
        ensure_application()
        if not QFontDatabase.families():
            raise ExportError(
                "No fonts are installed, so every letter would be an empty box; install "
                "the DejaVu fonts (Debian: fonts-dejavu-core)."
            )
        snapshot = reveal_bidi_in_drawing(snapshot)  # names show bidi controls as markers
        self.snapshot = snapshot
        self.options = options
        self.document = _document(snapshot)
        self.scene = DiagramScene(self.document)
        self.scene.arrange_labels()
        # what a collapsed container hides is not drawn (its links are, aggregated)
        self.components: list[ComponentItem] = [
            item for item in self.scene.components.values() if item.isVisible()
        ]
        self.links: list[LinkItem] = [
            item for item in self.scene.links.values() if item.isVisible()
        ]
        self._select(options.selection)
        self.badges: dict[str, BadgeItem] = {}
        if options.badges:
            self._add_badges()
        for item in self.scene.items():  # draw straight from the items, never from caches
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self.diagram_rect = self._diagram_rect()
        self.legend: LegendItem | None = None
        if options.legend:
            self._add_legend()
        self.rect = self._content_rect()

    def close(self) -> None:
        """Let the scene go (it is not the application's)."""
        self.scene.close()
        self.scene.clear()

    # --- preparing -----------------------------------------------------------------------
    def _select(self, selection: tuple[str, ...]) -> None:
        if not selection:
            return
        shown = set(canvas_ids_of(self.document, selection))
        unknown = [i for i in selection if not canvas_ids_of(self.document, (i,))]
        if unknown or not shown:
            raise ExportError(
                f"Option selection names {', '.join(unknown or selection)}, which the "
                "diagram does not show; give component or link ids."
            )
        for link_id in [i for i in shown if i in self.scene.links]:
            link = self.scene.links[link_id].link
            shown.update((link.source, link.target))
        components = {i for i in shown if i in self.scene.components}
        for item in self.components:
            item.setVisible(item.record_id in components)
        for link_item in self.links:
            record = link_item.link
            inside = record.source in components and record.target in components
            link_item.setVisible(inside)
        self.components = [item for item in self.components if item.isVisible()]
        self.links = [item for item in self.links if item.isVisible()]

    def _add_badges(self) -> None:
        states = badge_states(self.document)
        items: list[ComponentItem | LinkItem] = [*self.components, *self.links]
        for item in items:
            state = states.get(item.record_id)
            if state is not None:
                badge = BadgeItem(item)
                badge.set_state(state)
                self.badges[item.record_id] = badge
                if isinstance(item, LinkItem):
                    self._keep_clear_of_text(badge, item)

    def _keep_clear_of_text(self, badge: BadgeItem, link: LinkItem) -> None:
        """Move the badge of a link's label to the first place beside the label where it
        covers no text, as the SVG writer does: above the label unless another label or a
        component's text is there (it stays above when no place is clear)."""
        label = link.label_box()
        if label is None:
            return
        size = badge.boundingRect().size()
        for x, y in label_badge_places(Box(*label), size.width(), size.height()):
            place = QRectF(x, y, size.width(), size.height())  # label boxes are in the scene's
            if not self._covers_text(place):
                badge.setPos(link.mapFromScene(place.topLeft()))
                return

    def _covers_text(self, rect: QRectF) -> bool:
        """Whether ``rect`` (in scene coordinates) covers the text of a link label or the
        caption and name drawn in a component (a frame draws its title in its strip instead),
        as the SVG writer counts text."""
        for item in self.scene.items(rect):
            if isinstance(item, LinkItem):
                lines = label_text_lines(item)
            elif isinstance(item, ComponentItem) and not item.drawn_as_frame:
                lines = item.text_lines()
            else:
                continue
            if any(item.mapRectToScene(_text_rect(line)).intersects(rect) for line in lines):
                return True
        return False

    def _diagram_rect(self) -> QRectF:
        rect = QRectF()
        for item in [*self.components, *self.links]:
            rect = rect.united(item.sceneBoundingRect())
            rect = rect.united(item.mapRectToScene(item.childrenBoundingRect()))
        return rect

    def _legend_rows(self) -> list[_LegendRow]:
        rows = []
        # a frame is explained as a frame, not as the shape of its preset
        used = {item.preset.key for item in self.components if not item.drawn_as_frame}
        rows += [_LegendRow("component", p.label, preset=p) for p in PRESETS if p.key in used]
        boundaries = {
            item.component.kind == ComponentKind.BOUNDARY
            for item in self.components
            if item.drawn_as_frame
        }
        if False in boundaries:
            rows.append(_LegendRow("frame", _tr("Container (holds what is inside)")))
        if True in boundaries:
            rows.append(_LegendRow("frame", _tr("System boundary"), boundary=True))
        kinds = {item.link.kind for item in self.links}
        rows += [
            _LegendRow("link", style.label, link_kind=kind)
            for kind, style in LINK_STYLE_BY_KIND.items()
            if kind in kinds
        ]
        severities = {badge.state.severity for badge in self.badges.values()}
        labels = severity_labels()
        rows += [
            _LegendRow("severity", labels[s], severity=s)
            for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if s in severities
        ]
        return rows

    def _add_legend(self) -> None:
        rows = self._legend_rows()
        if not rows:
            return
        self.legend = LegendItem(rows)
        self.scene.addItem(self.legend)
        if self.diagram_rect.isNull():
            self.legend.setPos(0, 0)
        else:
            self.legend.setPos(self.diagram_rect.right() + LEGEND_GAP, self.diagram_rect.top())

    def _content_rect(self) -> QRectF:
        rect = QRectF(self.diagram_rect)
        if self.legend is not None:
            rect = rect.united(self.legend.sceneBoundingRect())
        if rect.isNull():
            rect = QRectF(0, 0, 320, 200)  # an empty diagram: a small blank area
        rect = rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        return QRectF(rect.toAlignedRect())

    # --- shared --------------------------------------------------------------------------
    @property
    def title(self) -> str:
        """The drawing's title: the option, the document's title, or a placeholder."""
        title = self.options.title or self.snapshot.info.title or _tr("STPA analysis")
        return reveal_bidi(title)

    def _paint(self, painter: QPainter, target: QRect) -> None:
        """Draw the content rect into ``target`` (device units).

        In a PDF drawn at a scale where the canvas would leave out detail (labels below
        0.35), the scale goes into the window/viewport transform, which the items' level of
        detail does not see: the reader can zoom into a vector page. Everything else goes
        through the world transform, which Qt draws raster text through many times faster
        (a PNG that small could not show the labels legibly anyway).
        """
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        scale = target.width() / self.rect.width()
        raster = isinstance(painter.device(), QImage)
        painter.save()
        with light_palette():
            if raster or scale >= DETAIL_SCALE:
                self.scene.render(painter, QRectF(target), self.rect)
            else:
                source = self.rect.toRect()
                painter.setViewport(target)
                painter.setWindow(source)
                self.scene.render(painter, QRectF(source), self.rect)
        painter.restore()

    # --- PNG -----------------------------------------------------------------------------
    def png_size(self) -> tuple[QSize, float]:
        """The image size and the scale used (automatic unless the options give one)."""
        width, height = self.rect.width(), self.rect.height()
        scale = self.options.scale
        if scale is None:
            scale = min(DEFAULT_SCALE, (self.options.max_pixels / (width * height)) ** 0.5)
            scale = max(scale, 0.05)
        pixels = width * height * scale * scale
        if pixels > HARD_MAX_PIXELS:
            raise ExportError(
                f"A PNG of this diagram at scale {scale:g} would have {pixels / 1e6:.0f} "
                f"million pixels (at most {HARD_MAX_PIXELS // 1_000_000} million); "
                "choose a smaller scale or dpi, or export SVG or PDF."
            )
        return QSize(max(1, round(width * scale)), max(1, round(height * scale))), scale

    def png(self) -> bytes:
        """The diagram as PNG bytes."""
        size, scale = self.png_size()
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        transparent = self.options.background == "transparent"
        image.fill(QColor(0, 0, 0, 0) if transparent else QColor("#ffffff"))
        # fonts are sized for the image's dpi: paint at the canvas's 96, then store the real one
        painter = QPainter(image)
        self._paint(painter, image.rect())
        painter.end()
        dots_per_metre = round(96.0 * scale / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        if not transparent:  # no alpha channel: a smaller file, encoded faster
            image = image.convertToFormat(QImage.Format.Format_RGB888)
        image.setText("Title", self.title)
        image.setText("Software", f"Stipa {stipa.__version__}")
        return _encode(image, "PNG", PNG_QUALITY)

    # --- PDF -----------------------------------------------------------------------------
    def page_layout(self) -> QPageLayout:
        """The PDF page: the chosen size, the orientation (automatic: the diagram's shape)."""
        orientation = self.options.orientation
        if orientation == "auto":
            wide = self.rect.width() >= self.rect.height()
            orientation = "landscape" if wide else "portrait"
        return QPageLayout(
            QPageSize(_PAGE_IDS[self.options.page]),
            QPageLayout.Orientation.Landscape
            if orientation == "landscape"
            else QPageLayout.Orientation.Portrait,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )

    def _paint_page(self, painter: QPainter, page: QRectF) -> None:
        """The title block at the foot of ``page`` and the diagram fitted above it."""
        block = 0.0
        if self.options.title_block:
            block = _TitleBlock(self).paint(painter, page)
        area = page.adjusted(0, 0, 0, -(block + 12 if block else 0))
        scale = min(area.width() / self.rect.width(), area.height() / self.rect.height(), 1.0)
        width, height = self.rect.width() * scale, self.rect.height() * scale
        target = QRectF(area.left() + (area.width() - width) / 2, area.top(), width, height)
        self._paint(painter, target.toRect())

    def pdf(self) -> bytes:
        """The diagram on one PDF page with a title block, as bytes."""
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setResolution(PDF_DPI)
        writer.setTitle(self.title)
        writer.setCreator(f"Stipa {stipa.__version__}")
        writer.setPageLayout(self.page_layout())
        painter = QPainter(writer)
        self._paint_page(painter, QRectF(painter.viewport()))  # device units: 1/96 inch
        painter.end()
        return bytes(buffer.data().data())

    # --- previews ------------------------------------------------------------------------
    def thumbnail(self, size: QSize) -> bytes:
        """A PNG of the drawing fitted into ``size`` (the export dialog's preview)."""
        scale = min(size.width() / self.rect.width(), size.height() / self.rect.height())
        image = QImage(
            QSize(
                max(1, round(self.rect.width() * scale)), max(1, round(self.rect.height() * scale))
            ),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        self._paint(painter, image.rect())
        painter.end()
        return _encode(image, "PNG")

    def page_thumbnail(self, size: QSize) -> bytes:
        """A PNG of the PDF page (margins, title block, diagram) fitted into ``size``."""
        layout = self.page_layout()
        full = layout.fullRectPixels(PDF_DPI)
        image = QImage(full.size(), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        self._paint_page(painter, QRectF(layout.paintRectPixels(PDF_DPI)))
        painter.setPen(QPen(QColor("#999999"), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(image.rect().adjusted(1, 1, -1, -1))
        painter.end()
        scaled = image.scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        return _encode(scaled, "PNG")

    # --- SVG -----------------------------------------------------------------------------
    def svg(self) -> bytes:
        """The diagram as SVG bytes, drawn without Qt from the engine's geometry (the canvas
        draws the same geometry)."""
        return render_svg(self.snapshot, self.options)


class _TitleBlock:
    """The title block at the foot of a PDF page, drawn in page units."""

    ROW = 34.0

    def __init__(self, export: DiagramExport) -> None:
        info = export.snapshot.info
        options = export.options
        scope = _tr("whole diagram")
        if options.selection:
            scope = _tr("selection: {0}").format(", ".join(options.selection))
        self.cells = [
            [(_tr("Title"), export.title, 2.0), (_tr("Version"), info.version, 1.0),
             (_tr("Date"), export_date(options.date), 1.0)],
            [(_tr("Author"), info.author, 1.0), (_tr("Organisation"), info.organisation, 1.0),
             (_tr("Scope"), scope, 1.0), (_tr("Sheet"), "1 / 1", 1.0)],
        ]  # fmt: skip

    def paint(self, painter: QPainter, page: QRectF) -> float:
        """Draw at the bottom of ``page``; returns the height used."""
        height = self.ROW * len(self.cells)
        foot = 14.0
        top = page.bottom() - height - foot
        label_font, value_font = canvas_font(6.5), canvas_font(9.0)
        title_font = canvas_font(10.0, bold=True)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#222222"), 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(page.left(), top, page.width(), height))
        for row_index, row in enumerate(self.cells):
            y = top + row_index * self.ROW
            total = sum(weight for _label, _value, weight in row)
            x = page.left()
            for label, value, weight in row:
                width = page.width() * weight / total
                cell = QRectF(x, y, width, self.ROW)
                painter.setPen(QPen(QColor("#222222"), 0.8))
                painter.drawRect(cell)
                painter.setPen(QColor("#555555"))
                painter.setFont(label_font)
                painter.drawText(
                    cell.adjusted(5, 3, -5, 0),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                    label.upper(),
                )
                painter.setPen(QColor("#111111"))
                font = title_font if label == _tr("Title") else value_font
                painter.setFont(font)
                metrics = QFontMetricsF(font)
                shown = metrics.elidedText(value, Qt.TextElideMode.ElideRight, width - 10)
                painter.drawText(
                    cell.adjusted(5, 13, -5, -3),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    shown,
                )
                x += width
        painter.setPen(QColor("#777777"))
        painter.setFont(canvas_font(6.5))
        painter.drawText(
            QRectF(page.left(), page.bottom() - foot + 2, page.width(), foot - 2),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            _tr("Drawn with Stipa {0}").format(stipa.__version__),
        )
        painter.restore()
        return height + foot


def _encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt, quality):  # type: ignore[call-overload]
        raise ExportError(f"Qt could not encode the {fmt} image.")
    buffer.close()
    return bytes(data.data())


# --- entry points -----------------------------------------------------------------------------


def render(snapshot: Snapshot, fmt: str, options: DiagramOptions) -> bytes:
    """The diagram of ``snapshot`` as ``svg``, ``png`` or ``pdf`` bytes.

    The ``diagram`` entry point of the ``stipa.renderers`` group. Creates an offscreen
    QApplication when none runs, so it works from a shell without a display.
    """
    export = DiagramExport(snapshot, options)
    try:
        if fmt == "svg":
            return export.svg()
        if fmt == "png":
            return export.png()
        if fmt == "pdf":
            return export.pdf()
        raise ValueError(f"unknown image format {fmt!r}")
    finally:
        export.close()


def write_image(snapshot: Snapshot, path: os.PathLike[str] | str, options: DiagramOptions) -> None:
    """Write the diagram to ``path``; the format comes from its extension."""
    from pathlib import Path

    from stipa.io import write_atomically

    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    write_atomically(target, render(snapshot, fmt, options))


register_renderer(render)
