"""The in-house plugin template, installed for real: its properties in the inspector, its findings
in the findings dock.

``plugins/example-plugin`` is installed into a temporary folder, found through its
``stipa.plugins`` entry point by ordinary discovery, and used through the window as an analyst
would: select the AI model, fill in the plugin's properties, run the analyses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from ui_gestures import click

from stipa.model import Component, Document, Link, LinkItem, NodeLayout
from stipa.plugin import PluginHost
from stipa.testing import install_example_plugin
from stipa.ui import MainWindow
from stipa.ui.findings import ID_ROLE, FindingsDock
from stipa.ui.testing import WindowFactory

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_example_plugin(tmp_path_factory.mktemp("site"))


@pytest.fixture
def window(
    make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch, installed: Path
) -> MainWindow:
    monkeypatch.syspath_prepend(str(installed))
    host = PluginHost().discover()
    assert host.plugins["acme-ai-policy"].status == "active", host.failures()
    doc = Document()
    with doc.transaction("Set up"):
        model = doc.add(Component(id="C-1", name="Triage model", nature="ai_model"))
        nurse = doc.add(Component(id="C-2", name="Nurse", nature="human", role="operator"))
        doc.add(Link(source=model.id, target=nurse.id, kind="information",
                     items=[LinkItem(name="urgency score")]))  # fmt: skip
        for cid, y in ((model.id, 0), (nurse.id, 200)):
            doc.set_layout(NodeLayout(id=cid, x=0, y=y))
    doc.mark_saved()
    return make_window(doc, host=host)


def run_analyses(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.analysis.controller.finished, timeout=15000):
        window.actions_by_name["run_analyses"].trigger()


def dock_rules(window: MainWindow) -> dict[str, str]:
    """Finding id -> rule, for every row the findings dock shows."""
    dock = window.findChild(FindingsDock, "dock.findings")
    assert dock is not None
    model = dock.findings_table.model()
    shown = [model.data(model.index(row, 0), ID_ROLE) for row in range(model.rowCount())]
    return {fid: window.document.findings[fid].rule for fid in shown}


def test_installed_plugin_shows_its_properties_and_findings(qtbot, window: MainWindow) -> None:
    click(qtbot, window, "C-1")
    owner = window.inspector.findChild(QLineEdit, "inspector.property.owner")
    purpose = window.inspector.findChild(QLineEdit, "inspector.property.purpose")
    assert owner is not None and owner.isVisible()
    assert purpose is not None and purpose.isVisible()

    run_analyses(qtbot, window)
    rules = set(dock_rules(window).values())
    assert {"acme.ai-owner", "acme.ai-purpose", "acme.human-training"} <= rules

    click(qtbot, window, "C-1")
    owner = window.inspector.findChild(QLineEdit, "inspector.property.owner")
    owner.setFocus()
    QTest.keyClicks(owner, "Clinical AI board")
    QTest.keyClick(owner, Qt.Key.Key_Return)
    stored = window.document.components["C-1"].property(
        "https://acme.example/stipa/ai-policy", "owner"
    )
    assert stored is not None and stored.value == "Clinical AI board"

    run_analyses(qtbot, window)
    rules = set(dock_rules(window).values())
    assert "acme.ai-owner" not in rules  # the owner is named now
    assert {"acme.ai-purpose", "acme.human-training"} <= rules

    window.document.undo()  # the analysis run
    window.document.undo()  # the owner
    assert (
        window.document.components["C-1"].property("https://acme.example/stipa/ai-policy", "owner")
        is None
    )
