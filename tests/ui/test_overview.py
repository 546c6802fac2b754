"""The overview panel follows an edit of the diagram once the edits pause: the edit itself
does not wait for the box around a big diagram to be found again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from stipa.model import Component, Document, NodeLayout
from stipa.ui.navigation import Overview
from stipa.ui.testing import WindowFactory

pytestmark = pytest.mark.gui


def test_the_overview_fits_a_grown_diagram_with_its_next_picture(
    qtbot, make_window: WindowFactory
) -> None:
    doc = Document()
    doc.add(Component(name="Pump"))
    window = make_window(doc)
    overview = window.findChild(Overview)
    assert overview is not None
    overview.show()
    qtbot.waitUntil(lambda: overview.picture is not None and not overview.repainting)
    before = QRectF(overview.sceneRect())
    far = doc.add(Component(name="Valve far away"))
    doc.set_layout(NodeLayout(id=far.id, x=4000, y=3000, width=140, height=60))
    box = window.diagram.components[far.id].sceneBoundingRect()
    assert overview.sceneRect() == before and overview.repainting  # not fitted yet: due
    qtbot.waitUntil(lambda: not overview.repainting)
    assert overview.sceneRect().contains(box) and overview.picture_area.contains(box)
