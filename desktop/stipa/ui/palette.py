"""The palette: tools for selecting, placing each preset and drawing each kind of link."""

from __future__ import annotations

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QMimeData,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QDrag,
    QIcon,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication, QToolButton, QVBoxLayout, QWidget

from stipa.model import Component, NodeLayout
from stipa.ui.canvas.component import ComponentItem
from stipa.ui.canvas.style import link_colour
from stipa.ui.canvas.view import PRESET_MIME
from stipa.ui.presets import FRAME_PRESETS, LINK_STYLES, PRESETS, LinkStyle, Preset
from stipa.ui.theme import is_dark, theme_glyph


def _tr(text: str) -> str:
    return QCoreApplication.translate("Palette", text)


def preset_icon(preset: Preset, size: int = 32) -> QIcon:
    """A miniature of the preset's shape in its colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    item = ComponentItem(
        Component(id="icon", name="", kind=preset.kind, nature=preset.nature, role=preset.role),
        NodeLayout(id="icon", x=0, y=0, width=size - 4, height=size * 0.62),
    )
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(2, size * 0.19)
    pen = QPen(QColor("#202020"), 1.2)
    if preset.shape == "dashed":
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(QColor(preset.colour))
    outline: QPainterPath = item.outline()
    painter.drawPath(outline)
    rect = item.rect()
    if preset.shape == "double":
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(3, 3, -3, -3))
    elif preset.shape == "banner":
        painter.fillRect(QRectF(rect.left(), rect.top(), rect.width(), 4), QColor("#202020"))
    painter.end()
    return QIcon(pixmap)


def link_icon(style: LinkStyle, size: int = 32) -> QIcon:
    """A short arrow drawn the way the canvas draws this kind of link."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = link_colour(style.kind, dark=is_dark(QApplication.palette()))
    pen = QPen(colour, 2)
    pen.setStyle(
        {
            "control_action": Qt.PenStyle.SolidLine,
            "feedback": Qt.PenStyle.DashLine,
            "information": Qt.PenStyle.DotLine,
        }[style.kind.value]
    )
    painter.setPen(pen)
    down = style.kind.value != "feedback"
    top, bottom = QPointF(size / 2, 4), QPointF(size / 2, size - 4)
    start, tip = (top, bottom) if down else (bottom, top)
    painter.drawLine(start, tip)
    direction = 1 if down else -1
    head = QPolygonF([tip, tip + QPointF(-6, -9 * direction), tip + QPointF(6, -9 * direction)])
    painter.setPen(QPen(colour, 1.4))
    painter.setBrush(colour if style.kind.value == "control_action" else Qt.GlobalColor.white)
    painter.drawPolygon(head)
    painter.end()
    return QIcon(pixmap)


class PaletteButton(QToolButton):
    """A palette entry; component presets can also be dragged onto the canvas."""

    def __init__(self, action: QAction, preset_key: str | None) -> None:
        super().__init__()
        self.setDefaultAction(action)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.setSizePolicy(
            self.sizePolicy().horizontalPolicy().Expanding, self.sizePolicy().verticalPolicy()
        )
        self._preset_key = preset_key
        self._press: QPoint | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        palette = self.parent()
        action = self.defaultAction()
        if isinstance(palette, Palette) and event.button() == Qt.MouseButton.LeftButton:
            action.setChecked(True)
            palette.stickyChosen.emit(str(action.data()))
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (
            self._preset_key is not None
            and self._press is not None
            and event.buttons() & Qt.MouseButton.LeftButton
            and (event.position().toPoint() - self._press).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            self._press = None
            mime = QMimeData()
            mime.setData(PRESET_MIME, QByteArray(self._preset_key.encode()))
            drag = QDrag(self)
            drag.setMimeData(mime)
            drag.setPixmap(self.icon().pixmap(32, 32))
            self.setDown(False)
            drag.exec(Qt.DropAction.CopyAction)
            return
        super().mouseMoveEvent(event)


class Palette(QWidget):
    """The tool palette (object name ``palette``); actions are named ``tool.<key>``.

    Clicking an entry chooses its tool for one use; double-clicking keeps it chosen
    (``stickyChosen``) until Escape or another tool.
    """

    #: An entry was double-clicked: its tool's key, to keep that tool chosen.
    stickyChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self.setAccessibleName(_tr("Tool palette"))
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions_by_key: dict[str, QAction] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(1)
        select = self._action("select", _tr("Select"), _tr("Select, move and resize (Esc)"))
        arrow = self.style().standardIcon(self.style().StandardPixmap.SP_ArrowUp)
        select.setIcon(theme_glyph(arrow))  # light on a dark palette, as the toolbar's
        select.setChecked(True)
        layout.addWidget(PaletteButton(select, None))
        keep = _tr(" (double-click: keep the tool until Esc)")
        for preset in (*PRESETS, *FRAME_PRESETS):
            action = self._action(preset.key, _tr(preset.label), _tr(preset.tooltip) + keep)
            action.setIcon(preset_icon(preset))
            layout.addWidget(PaletteButton(action, preset.key))
        for style in LINK_STYLES:
            action = self._action(style.kind.value, _tr(style.label), _tr(style.tooltip) + keep)
            action.setIcon(link_icon(style))
            layout.addWidget(PaletteButton(action, None))
        layout.addStretch(1)

    def _action(self, key: str, label: str, tooltip: str) -> QAction:
        action = QAction(label, self)
        action.setObjectName(f"tool.{key}")
        action.setCheckable(True)
        action.setToolTip(tooltip)
        action.setStatusTip(tooltip)
        action.setData(key)
        self.group.addAction(action)
        self.actions_by_key[key] = action
        return action

    def show_tool(self, key: str) -> None:
        """Check the entry of the current tool."""
        action = self.actions_by_key.get(key)
        if action is not None:
            action.setChecked(True)
