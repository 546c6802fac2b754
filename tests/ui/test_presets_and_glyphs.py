"""Palette presets place the STPA kind they mean; toolbar glyphs follow light and dark."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QStyle, QToolButton

from stipa.diagram.components import caption_of
from stipa.model import ComponentKind, Nature
from stipa.ui import MainWindow
from stipa.ui.presets import PRESETS
from stipa.ui.theme import apply_appearance

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("cursor_off_the_canvas")]


@pytest.fixture(autouse=True)
def _light_again() -> Iterator[None]:
    yield
    apply_appearance("light")


@pytest.fixture
def window(make_window) -> MainWindow:
    window = make_window()
    window.view.setFocus()
    return window


def _place(qtbot, window: MainWindow, key: str, point: QPointF) -> str:
    action = window.findChild(QAction, f"tool.{key}")
    assert action is not None, key
    before = set(window.document.components)
    action.trigger()
    qtbot.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=window.view.mapFromScene(point)
    )
    (added,) = set(window.document.components) - before
    if window.view.editor is not None:
        qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    return added


def test_people_outside_the_control_loop_are_not_placed_as_controllers(qtbot, window) -> None:
    doc = window.document
    lay = _place(qtbot, window, "lay_user", QPointF(100, 100))
    affected = _place(qtbot, window, "external", QPointF(400, 100))
    operator = _place(qtbot, window, "human_operator", QPointF(100, 400))
    for component_id, kind, nature in (
        (lay, ComponentKind.EXTERNAL, Nature.HUMAN),
        (affected, ComponentKind.EXTERNAL, Nature.HUMAN),
        (operator, ComponentKind.CONTROLLER, Nature.HUMAN),
    ):
        component = doc.components[component_id]
        assert (component.kind, component.nature) == (kind, nature)
    # each is still drawn as the preset it was placed with, captions in one capitalisation
    captions = {cid: caption_of(doc.components[cid]) for cid in (lay, affected, operator)}
    assert captions == {
        lay: "«Lay user»",
        affected: "«Affected person»",
        operator: "«Operator»",
    }
    assert window.diagram.components[lay].preset.key == "lay_user"
    assert window.diagram.components[affected].preset.key == "external"
    doc.undo()
    doc.undo()
    doc.undo()
    assert lay not in doc.components and affected not in doc.components


def test_every_preset_caption_starts_with_a_capital() -> None:
    for preset in PRESETS:
        assert preset.label[:1].isupper(), preset.key


def _standing_out(icon: QIcon) -> float:
    """The share of the icon's opaque pixels whose lightness differs from the window's by
    at least 60 (what stands out of the toolbar)."""
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness()
    image = icon.pixmap(QSize(16, 16)).toImage()
    opaque = [
        image.pixelColor(x, y).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert opaque
    return sum(abs(lightness - window) >= 60 for lightness in opaque) / len(opaque)


def test_toolbar_glyphs_follow_the_appearance_and_run_says_what_it_does(window) -> None:
    buttons = [
        button
        for action in window.toolbar.actions()
        if not action.isSeparator() and not action.icon().isNull()
        for button in [window.toolbar.widgetForAction(action)]
        if isinstance(button, QToolButton)
    ]
    assert len(buttons) >= 7  # new, open, save, undo, redo, delete, run
    apply_appearance("dark")
    assert QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 100
    undo = window.actions_by_name["undo"].icon()
    assert _standing_out(window.style().standardIcon(QStyle.StandardPixmap.SP_ArrowBack)) < 0.5
    assert _standing_out(undo) > 0.9  # the style's black arrow would vanish; this one shows
    for button in buttons:
        assert _standing_out(button.icon()) > 0.8, button.defaultAction().objectName()
    select = window.findChild(QAction, "tool.select")
    assert _standing_out(select.icon()) > 0.8  # the palette's Select arrow too
    apply_appearance("light")
    assert _standing_out(select.icon()) > 0.8
    assert _standing_out(undo) > 0.9
    run = window.toolbar.widgetForAction(window.actions_by_name["run_analyses"])
    assert isinstance(run, QToolButton)
    assert run.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert run.text().replace("&", "") == "Run Analyses"
