"""First start on a laptop screen: the canvas gets most of the height (issue 21)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDockWidget

pytestmark = pytest.mark.gui


def test_bottom_panels_start_low_on_a_small_screen(make_window) -> None:
    settings = QSettings()  # a first start: no window state saved by earlier windows
    settings.remove("window/geometry")
    settings.remove("window/state")
    window = make_window()
    screen = window.screen().availableGeometry()
    assert screen.height() < 900  # the offscreen screen is a small one
    stpa = window.findChild(QDockWidget, "dock.stpa")
    # the tables' own minimum is ~256 px; here they start lower and scroll
    assert stpa.widget().minimumSizeHint().height() > 230
    assert stpa.height() <= 230
    assert window.view.height() > stpa.height()
