"""stipa.export.tables: the STPA tables of a document as plain string tables."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stipa.export.tables import (
    RECORD_TABLES,
    ColumnKind,
    control_actions,
    document_tables,
    parse_cell,
    record_table,
    split_ids,
    uca_line,
    uca_matrix,
)
from stipa.model import (
    Condition,
    Document,
    ModelError,
    RaciAssignment,
    UnsafeControlAction,
)


@pytest.fixture
def wheel_brakes(stipa_example: Callable[[str], Document]) -> Document:
    return stipa_example("wheel-brakes")


def test_one_table_per_stpa_table_with_every_record(wheel_brakes: Document) -> None:
    tables = document_tables(wheel_brakes)
    assert [t.key for t in tables] == [spec.key for spec in RECORD_TABLES] + ["uca_matrix"]
    for table in tables[:-1]:
        assert [row[0] for row in table.rows] == list(wheel_brakes.table(table.key))
        assert all(len(row) == len(table.headers) for row in table.rows)
        assert all(isinstance(cell, str) for row in table.rows for cell in row)
        assert len(table.sheet) <= 31  # spreadsheet tab names
    assert len({t.sheet for t in tables}) == len(tables)


def test_references_are_id_lists(wheel_brakes: Document) -> None:
    hazards = record_table(wheel_brakes, "hazards")
    row = hazards.rows[[r[0] for r in hazards.rows].index("H-4.1")]
    assert row[hazards.column("parent")] == "H-4"
    assert split_ids(row[hazards.column("losses")]) == ("L-1", "L-2", "L-3", "L-5")
    ucas = record_table(wheel_brakes, "ucas")
    uca2 = ucas.rows[1]
    assert uca2[ucas.column("action")] == "CA-5"
    assert uca2[ucas.column("controller")] == "BSCU Autobrake"
    assert uca2[ucas.column("action_name")] == "Brake"
    assert uca2[ucas.column("type")] == "provided"
    assert uca2[ucas.column("hazards")] == "H-4.3, H-4.6"
    rules = record_table(wheel_brakes, "context_rules")
    cr1 = rules.rows[0]
    assert cr1[rules.column("conditions")] == "PV-3=landing roll\nPV-4=armed"
    assert cr1[rules.column("context")] == "Aircraft state=landing roll, Autobrake mode=armed"
    assert cr1[rules.column("hazardous")] == "yes"


def test_uca_matrix_is_the_practitioners_layout(wheel_brakes: Document) -> None:
    matrix = uca_matrix(wheel_brakes)
    assert not matrix.importable
    assert len(matrix.rows) == len(control_actions(wheel_brakes)) == 9
    brake = next(row for row in matrix.rows if row[0] == "CA-5")
    assert brake[1:3] == ("BSCU Autobrake", "Brake")
    not_provided, provided, timing, duration = brake[3:]
    assert not_provided == "UCA-1: during landing roll when the BSCU is armed [H-4.1]"
    assert provided.splitlines() == [
        "UCA-2: during a normal takeoff [H-4.3, H-4.6]",
        "UCA-5: with an insufficient level of braking during landing roll [H-4.1]",
        "UCA-6: with directional or asymmetrical braking during landing roll [H-4.1, H-4.2]",
    ]
    assert timing.startswith("UCA-3: ") and duration.startswith("UCA-4: ")


def test_not_applicable_uca_line_shows_the_rationale() -> None:
    uca = UnsafeControlAction(
        id="UCA-9", action="CA-1", type="timing", status="not_applicable", rationale="Discrete"
    )
    assert uca_line(uca) == "UCA-9: N/A — Discrete"


def test_parse_cell_inverts_formatting() -> None:
    columns = {c.key: c for spec in RECORD_TABLES for c in spec.columns}
    specs = {spec.key: spec for spec in RECORD_TABLES}
    rules = {c.key: c for c in specs["context_rules"].columns}
    responsibilities = {c.key: c for c in specs["responsibilities"].columns}
    assert parse_cell(columns["losses"], "L-1, L-2;L-3  L-4") == ("L-1", "L-2", "L-3", "L-4")
    assert parse_cell(columns["parent"], " ") is None
    assert parse_cell(columns["type"], "Not provided") == "not_provided"
    assert parse_cell(rules["hazardous"], "No") is False
    assert parse_cell(rules["conditions"], "PV-1=a b\n\nPV-2 = c=d") == (
        Condition(variable="PV-1", value="a b"),
        Condition(variable="PV-2", value="c=d"),
    )
    assert parse_cell(responsibilities["raci"], "C-1:accountable, C-2:R") == (
        RaciAssignment(component="C-1", role="accountable"),
        RaciAssignment(component="C-2", role="responsible"),
    )
    with pytest.raises(ModelError, match="'sometimes' is not a type"):
        parse_cell(columns["type"], "sometimes")
    with pytest.raises(ModelError, match="not yes or no"):
        parse_cell(rules["hazardous"], "maybe")
    with pytest.raises(ModelError, match="takes one id"):
        parse_cell(columns["parent"], "H-1 H-2")
    assert not columns["id"].editable and columns["id"].kind == ColumnKind.ID
