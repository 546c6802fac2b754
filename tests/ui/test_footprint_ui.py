"""The footprint plugin in the window: enter an AI model's hardware and hours in the inspector,
run the analyses, see the note on the component; change the region, rerun, the figure changes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget
from ui_gestures import click

import stipa
from stipa.model import Component, Document, NodeLayout, Property
from stipa.plugin import PluginHost
from stipa.ui import MainWindow
from stipa.ui.findings import ID_ROLE, MESSAGE, FindingsDock
from stipa.ui.testing import WindowFactory
from stipa_builtins import footprint

pytestmark = pytest.mark.gui

NS = footprint.NAMESPACE


@pytest.fixture
def window(qtbot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    doc = Document()
    doc.add(Component(id="C-1", name="Triage model", nature="ai_model"))
    doc.add(Component(id="C-2", name="Clinician", nature="human"))
    for cid, x in (("C-1", 0), ("C-2", 300)):
        doc.set_layout(NodeLayout(id=cid, x=x, y=0))
    doc.mark_saved()
    host = PluginHost()
    host.register(footprint, "stipa.footprint")
    return WindowFactory(qtbot, monkeypatch)(doc, host=host)


def editor(window: MainWindow, cls: type[QWidget], name: str):
    widget = window.inspector.findChild(cls, f"inspector.property.{name}")
    assert widget is not None, name
    assert widget.isVisible(), name
    return widget


def type_line(window: MainWindow, name: str, text: str) -> None:
    edit = editor(window, QLineEdit, name)
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)


def choose(window: MainWindow, name: str, value: str) -> None:
    combo = editor(window, QComboBox, name)
    index = combo.findData(value)
    assert index >= 0, (name, value)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def run_all(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.analysis.controller.finished, timeout=15000):
        window.actions_by_name["run_analyses"].trigger()


def note(window: MainWindow) -> stipa.Finding:
    [found] = [
        f
        for f in window.document.findings.values()
        if f.plugin == footprint.ANALYSIS_ID and f.targets == ("C-1",)
    ]
    return found


def shown_message(window: MainWindow, finding_id: str) -> str:
    dock = window.findChild(FindingsDock, "dock.findings")
    assert dock is not None
    model = dock.findings_table.model()
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0), ID_ROLE) == finding_id:
            return str(model.data(model.index(row, MESSAGE)))
    raise AssertionError(f"{finding_id} is not in the findings panel")


def test_enter_hardware_and_hours_run_change_region_rerun(qtbot, window: MainWindow) -> None:
    click(qtbot, window, "C-1")
    unit = window.inspector.findChild(QLabel, "inspector.property.hours.unit")
    assert unit is not None and unit.text() == "h"
    choose(window, "phase", "training")
    choose(window, "hardware", "NVIDIA A100 SXM4")
    type_line(window, "count", "1")
    type_line(window, "hours", "100")
    type_line(window, "utilisation", "1")
    type_line(window, "pue", "1")
    choose(window, "region", "gcp us-central1")
    stored = {p.name: p for p in window.document.components["C-1"].properties}
    assert stored["hours"] == Property(namespace=NS, name="hours", value="100", unit="h")
    assert stored["hardware"].value == "NVIDIA A100 SXM4"

    run_all(qtbot, window)
    first = note(window)
    assert first.rule == "footprint.note" and first.severity == stipa.Severity.INFO
    assert float(dict(first.data)["emissions_kg"]) == pytest.approx(22.652)
    assert "22.7 kg CO2e" in first.message
    assert "22.7 kg CO2e" in shown_message(window, first.id)
    # the summary for the whole structure has no targets
    assert any(
        f.rule == "footprint.summary" and f.targets == () for f in window.document.findings.values()
    )

    click(qtbot, window, "C-1")
    choose(window, "region", "gcp europe-west6")
    run_all(qtbot, window)
    second = note(window)
    assert second.id == first.id  # the same note, updated
    assert float(dict(second.data)["emissions_kg"]) == pytest.approx(0.64)
    assert "640 g CO2e" in second.message
    assert "640 g CO2e" in shown_message(window, second.id)


def test_missing_inputs_note_in_the_window(qtbot, window: MainWindow) -> None:
    click(qtbot, window, "C-1")
    choose(window, "phase", "training")
    choose(window, "hardware", "NVIDIA T4")
    run_all(qtbot, window)
    found = note(window)
    assert found.rule == "footprint.inputs"
    assert "missing number of devices (or measured power), hours" in found.message


def test_new_inputs_show_in_the_inspector_with_their_units(qtbot, window: MainWindow) -> None:
    """Cores, memory, idle and infrastructure energy, embodied total, carbon intensity and
    water factors are plugin properties: the inspector shows each with its unit."""
    click(qtbot, window, "C-1")
    expected = {
        "tdp": "W",
        "core_power": "W",
        "memory": "GB",
        "idle_energy": "kWh",
        "infrastructure_energy": "kWh",
        "embodied_total": "kg",
        "carbon_intensity": "g/kWh",
        "wue": "L/kWh",
        "water_intensity": "L/kWh",
    }
    for name, unit in expected.items():
        label = window.inspector.findChild(QLabel, f"inspector.property.{name}.unit")
        assert label is not None and label.isVisible() and label.text() == unit, name
    editor(window, QLineEdit, "cpu_cores")
    choose(window, "phase", "training")
    type_line(window, "cpu_cores", "4")
    type_line(window, "core_power", "12")
    type_line(window, "memory", "16")
    type_line(window, "hours", "12")
    type_line(window, "pue", "1.67")
    choose(window, "region", "World")
    stored = {p.name: p for p in window.document.components["C-1"].properties}
    assert stored["memory"] == Property(namespace=NS, name="memory", value="16", unit="GB")
    run_all(qtbot, window)
    assert float(dict(note(window).data)["emissions_kg"]) == pytest.approx(0.5136, rel=0.01)
    window.document.undo()
    assert "footprint.note" not in {f.rule for f in window.document.findings.values()}


def test_footprint_inputs_are_grouped_under_their_domain_near_the_top(
    qtbot, window: MainWindow
) -> None:
    from PySide6.QtWidgets import QGroupBox

    click(qtbot, window, "C-1")
    box = window.inspector.findChild(QGroupBox, "inspector.plugin_properties")
    assert box is not None and box.isVisible()
    assert box.title() == "AI footprint"
    page = box.parentWidget()
    boxes = sorted(
        (b for b in page.findChildren(QGroupBox) if b.isVisible()),
        key=lambda b: b.mapTo(page, QPoint(0, 0)).y(),
    )
    assert boxes[0] is box  # before the process model and the responsibilities
    hours = editor(window, QLineEdit, "hours")
    assert box.isAncestorOf(hours)
    unit = window.inspector.findChild(QLabel, "inspector.property.hours.unit")
    assert unit is not None and unit.isVisible() and unit.text() == "h"
    type_line(window, "hours", "12")
    assert {p.name: p.value for p in window.document.components["C-1"].properties}["hours"] == "12"
    window.document.undo()
    assert "hours" not in {p.name for p in window.document.components["C-1"].properties}
    # a person has no footprint inputs: no such group
    click(qtbot, window, "C-2")
    assert not box.isVisible() or box.title() != "AI footprint"
