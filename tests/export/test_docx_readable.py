"""The Word report reads as a safety-case document: rule titles first, a full first page."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

import stipa
from stipa import export
from stipa.export.options import report_options
from stipa.export.report import build_report, installed_titles
from stipa.export.word import MIN_FIRST_PAGE_PICTURE, first_page_used
from stipa.resources import examples

EXAMPLE = next(p for p in examples() if p.name == "language-model-citizen-assistant.stipa")
DATE = {"date": "2026-01-15"}


@pytest.fixture(scope="module")
def analysed() -> stipa.Snapshot:
    document = stipa.load(EXAMPLE)
    stipa.analyse(document)
    return document.snapshot()


def _findings_table(word: docx.document.Document) -> docx.table.Table:
    return next(t for t in word.tables if [c.text for c in t.rows[0].cells][:4] == [
        "ID", "Severity", "Analysis", "Rule"])  # fmt: skip


def test_rules_and_analyses_are_named_by_their_titles(analysed, tmp_path: Path) -> None:
    titles = installed_titles()
    out = tmp_path / "r.docx"
    export.write_docx(analysed, out, DATE)
    word = docx.Document(str(out))
    table = _findings_table(word)
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(analysed.findings) > 0
    for analysis, rule in ((row[2], row[3]) for row in rows):
        # "Title (id)": the id only as a reference in parentheses after the title
        for text in (analysis, rule):
            match = re.fullmatch(r"(.+) \(([\w.-]+)\)", text, flags=re.DOTALL)
            assert match, text
            assert match.group(1).strip() and match.group(1) != match.group(2)
    by_rule = {f.rule: f for f in analysed.findings.values()}
    if "stpa.undecided-uca-types" in by_rule:
        finding = by_rule["stpa.undecided-uca-types"]
        title = titles.rules[(finding.plugin, finding.rule)]
        assert f"{title} (stpa.undecided-uca-types)" in {row[3] for row in rows}
    bullets = [p.text for p in word.paragraphs if p.style.name == "List Bullet"]
    hazards = titles.analyses["stipa.hazards"]
    assert any(b.startswith(f"{hazards} (stipa.hazards): ") for b in bullets), bullets
    body = "\n".join(p.text for p in word.paragraphs)
    assert not re.search(r"(?<!\()stipa\.hazards(?!\))", body)  # never bare


@pytest.mark.parametrize("name", ["wheel-brakes.stipa", "language-model-citizen-assistant.stipa"])
def test_no_near_empty_first_page(name: str, tmp_path: Path) -> None:
    snapshot = stipa.load(next(p for p in examples() if p.name == name)).snapshot()
    out = tmp_path / "r.docx"
    export.write_docx(snapshot, out, DATE)
    word = docx.Document(str(out))
    section = word.sections[0]
    page = section.page_height - section.top_margin - section.bottom_margin
    report = build_report(snapshot, report_options(DATE))
    used = first_page_used(report)
    (picture,) = word.inline_shapes
    if used < page * (1 - MIN_FIRST_PAGE_PICTURE):  # room for the diagram: it comes up
        assert page * MIN_FIRST_PAGE_PICTURE <= picture.height <= page - used
    else:  # the title, description and summary fill most of the page already
        assert used >= page * 0.6
    # nothing pushes it to a page of its own
    before = []
    for paragraph in word.paragraphs:
        if paragraph._p.xpath(".//pic:pic"):
            break
        before.append(paragraph)
    assert not any(p._p.xpath('.//w:br[@w:type="page"]') for p in before)
    assert not any(p.paragraph_format.page_break_before for p in before)
    summary = word.tables[1]
    assert len(summary.columns) == 4 and len(summary.rows) == -(-len(report.summary) // 2)
