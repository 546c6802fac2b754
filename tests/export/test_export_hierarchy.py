"""Exports of what format version 2 added: the indented component table, the safety
requirements table, and the alias, subtype and causal-factor columns."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from stipa import save
from stipa.cli import main
from stipa.export.csv_tables import write_csv
from stipa.export.markdown import render_markdown
from stipa.export.options import ReportOptions
from stipa.export.report import INDENT, build_report, report_tables
from stipa.export.tables import record_table, uca_matrix
from stipa.model import (
    Component,
    Document,
    Hazard,
    Link,
    LinkItem,
    LossScenario,
    NodeLayout,
    SafetyRequirement,
    UnsafeControlAction,
)

STEP = INDENT


def nested() -> Document:
    doc = Document()
    doc.add(Component(name="Citizen", kind="external", nature="human"))
    system = doc.add(
        Component(name="Sociotechnical system", kind="boundary", nature="organisation")
    )
    city = doc.add(Component(name="Municipality", nature="organisation", parent=system.id))
    bot = doc.add(Component(name="Assistant", parent=city.id, level=2, alias="Node7"))
    model = doc.add(Component(name="Model", kind="controlled_process", parent=bot.id))
    doc.add(Component(name="AI Office", nature="regulator", parent=system.id))
    link = doc.add(Link(source=bot.id, target=model.id, items=[LinkItem(name="Prompt")]))
    hazard = doc.add(Hazard(text="Wrong advice", alias="H1"))
    uca = doc.add(
        UnsafeControlAction(
            action=link.items[0].id,
            type="timing",
            subtype="too_late",
            context="after the deadline",
            hazards=[hazard.id],
            alias="UCA3",
        )
    )
    scenario = doc.add(
        LossScenario(text="Stale model", factor="wrong_process_model", ucas=[uca.id], alias="S1")
    )
    doc.add(
        SafetyRequirement(
            text="Answers state their date", scenarios=[scenario.id], ucas=[uca.id], alias="SR1"
        )
    )
    return doc


def test_the_report_lists_components_as_an_indented_tree() -> None:
    doc = nested()
    [components] = [t for t in report_tables(doc.snapshot()) if t.key == "components"]
    names = [row[components.column("name")] for row in components.rows]
    assert names == [
        "Citizen",
        "Sociotechnical system",
        STEP + "Municipality",
        STEP * 2 + "Assistant",
        STEP * 3 + "Model",
        STEP + "AI Office",
    ]
    assistant = next(row for row in components.rows if row[0] == "C-4")
    assert assistant[components.column("parent")] == "C-3"
    assert assistant[components.column("level")] == "2"
    assert assistant[components.column("alias")] == "Node7"
    boundary = next(row for row in components.rows if row[0] == "C-2")
    assert boundary[components.column("kind")] == "system boundary"
    assert [t.key for t in report_tables(doc.snapshot())].count("components") == 1


def test_the_report_has_the_requirements_and_the_new_columns() -> None:
    doc = nested()
    report = build_report(doc.snapshot(), ReportOptions())
    assert ("Safety requirements", "1") in report.summary
    requirements = next(t for t in report.stpa if t.key == "requirements")
    assert requirements.rows == (
        ("SR-1", "SR1", "Answers state their date", "LS-1", "UCA-1", "", "", ""),
    )
    ucas = record_table(doc, "ucas")
    row = ucas.rows[0]
    assert row[ucas.column("alias")] == "UCA3" and row[ucas.column("subtype")] == "too_late"
    scenarios = record_table(doc, "scenarios")
    assert scenarios.rows[0][scenarios.column("factor")] == "wrong_process_model"
    [line] = [cell for cell in uca_matrix(doc).rows[0] if "UCA-1" in cell]
    assert line == "UCA-1 (UCA3): too late: after the deadline [H-1]"
    text = render_markdown(report, None)
    assert f"| C-5 |   | {STEP * 3}Model | C-4 |" in text
    assert "### Safety requirements" in text


def test_the_traceability_table_reaches_the_requirements() -> None:
    doc = nested()
    doc.add(SafetyRequirement(text="Answers are reviewed", hazards=["H-1"]))
    doc.add(SafetyRequirement(text="Unrelated"))
    trace = next(t for t in report_tables(doc.snapshot()) if t.key == "traceability")
    [row] = trace.rows
    assert row[trace.column("requirements")] == "SR-1, SR-2"  # via UCA-1 and LS-1, and direct


def test_csv_carries_the_parent_column(tmp_path: Path) -> None:
    doc = nested()
    [path] = write_csv(doc.snapshot(), tmp_path / "tables.csv", {"table": "components"})
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert {row["ID"]: row["Inside"] for row in rows} == {
        "C-1": "",
        "C-2": "",
        "C-3": "C-2",
        "C-4": "C-3",
        "C-5": "C-4",
        "C-6": "C-2",
    }


def test_the_diagram_export_draws_boundaries(tmp_path: Path) -> None:
    doc = nested()
    for number, component in enumerate(doc.components.values()):
        doc.set_layout(NodeLayout(id=component.id, x=200 * number, y=0))
    source = tmp_path / "nested.stipa"
    save(doc, source)
    out = tmp_path / "nested.svg"
    assert main(["export", str(source), "-o", str(out)]) == 0
    assert "Sociotechnical system" in out.read_text(encoding="utf-8")
