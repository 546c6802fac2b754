"""Reports and tables read back with real parsers: HTML with lxml, DOCX with python-docx,
Markdown as text, CSV with the csv module, XLSX with openpyxl."""

from __future__ import annotations

import csv
import io as bytes_io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from export_samples import FINDINGS, sample_document
from lxml import etree, html
from openpyxl import load_workbook

from stipa import export
from stipa.export import ExportError
from stipa.export.options import report_options
from stipa.export.report import build_report, report_tables
from stipa.export.tables import PlainTable
from stipa.model import Document, Snapshot

pytestmark = pytest.mark.gui  # the diagram in reports is drawn with Qt
SVG = "{http://www.w3.org/2000/svg}"
DATE = {"date": "2025-05-01"}


@pytest.fixture(scope="module")
def snapshot() -> Snapshot:
    return sample_document().snapshot()


@pytest.fixture(scope="module")
def tables(snapshot: Snapshot) -> list[PlainTable]:
    return report_tables(snapshot)


@pytest.fixture(scope="module")
def html_report(snapshot: Snapshot, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    export.write_html(snapshot, out, DATE)
    return out


# --- HTML ---------------------------------------------------------------------------------------


def test_html_is_one_self_contained_file(html_report: Path) -> None:
    page = html.parse(str(html_report)).getroot()
    assert not page.xpath("//script | //link | //iframe | //object | //img")
    external = [
        value
        for element in page.iter()
        if isinstance(element.tag, str)
        for name, value in element.attrib.items()
        if name in ("src", "href") and not value.startswith("#")
    ]
    assert external == []
    anchors = {e.get("id") for e in page.iter() if isinstance(e.tag, str) and e.get("id")}
    links = [a.get("href")[1:] for a in page.iter("a") if a.get("href", "").startswith("#")]
    assert links and [target for target in links if target not in anchors] == []
    assert len(html_report.read_bytes()) < 2_000_000


def test_html_holds_the_diagram_as_inline_svg(html_report: Path, snapshot: Snapshot) -> None:
    tree = etree.parse(str(html_report), etree.HTMLParser())
    figure = tree.getroot().xpath("//figure[@id='diagram']")[0]
    svg = figure.xpath(".//*[local-name()='svg']")[0]
    groups = svg.xpath(".//*[local-name()='g'][contains(concat(' ', @class, ' '), ' component ')]")
    assert [g.get("id") for g in groups] == list(snapshot.components)
    assert "Figure 1" in figure.xpath("string(.//figcaption)")


def test_html_has_every_table_row_and_finding(
    html_report: Path, snapshot: Snapshot, tables: list[PlainTable]
) -> None:
    page = html.parse(str(html_report)).getroot()
    for table in tables:
        if not table.rows:
            assert page.xpath(f"//*[@id='section-{table.key}']"), table.key
            continue
        element = page.xpath(f"//table[@id='table-{table.key}']")[0]
        headers = [th.text_content() for th in element.xpath("./thead/tr/th")]
        assert headers == list(table.headers), table.key
        rows = element.xpath("./tbody/tr")
        assert len(rows) == len(table.rows), table.key
        for tr, expected in zip(rows, table.rows, strict=True):
            cells = [td.text_content() for td in tr.xpath("./td")]
            assert cells[0] == expected[0]
    findings = page.xpath("//table[@id='table-findings']/tbody/tr")
    assert {tr.get("id") for tr in findings} == {f"rec-{i}" for i in snapshot.findings}
    text_of = {tr.get("id")[4:]: tr.text_content() for tr in findings}
    for number, (_severity, message, _targets, disposition, rationale) in enumerate(FINDINGS):
        row = text_of[f"F-{number + 1}"]
        assert message in row
        assert disposition.value.replace("_", " ") in row
        assert rationale in row
    open_row = page.xpath("//tr[@id='rec-F-1']")[0]
    assert "open" in open_row.get("class", "")
    software = page.xpath("//section[@id='software']")[0].text_content()
    assert "stipa.exporters" in software and "Stipa" in software
    title_block = page.xpath("//header[@class='title-block']")[0].text_content()
    for value in (snapshot.info.title, snapshot.info.version, snapshot.info.author, "2025-05-01"):
        assert value in title_block


def test_html_escapes_text(tmp_path: Path) -> None:
    document = Document()
    document.set_info(title="<script>alert(1)</script> & co")
    document.add(__import__("stipa").Loss(text='Loss of "trust" <b>now</b>'))
    out = tmp_path / "r.html"
    export.write_html(document.snapshot(), out, {"diagram": "no"})
    page = html.parse(str(out)).getroot()
    assert not page.xpath("//script | //b")
    assert page.xpath("string(//h1)") == "<script>alert(1)</script> & co"
    assert 'Loss of "trust" <b>now</b>' in page.xpath("string(//table[@id='table-losses'])")


def test_report_without_the_diagram_needs_no_qt(snapshot: Snapshot) -> None:
    report = build_report(snapshot, report_options({"diagram": "no"}))
    assert report.diagram is None and report.tables


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_with_the_diagram_beside_it(
    snapshot: Snapshot, tables: list[PlainTable], tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    export.write_markdown(snapshot, out, DATE)
    picture = tmp_path / "report-diagram.svg"
    assert picture.exists()
    assert etree.parse(str(picture)).getroot().tag == f"{SVG}svg"
    text = out.read_text(encoding="utf-8")
    assert "![Control structure of" in text and "(report-diagram.svg)" in text
    lines = text.splitlines()
    for table in tables:
        if table.rows:
            header = "| " + " | ".join(table.headers) + " |"
            assert header in lines, table.key
            start = lines.index(header)
            body = lines[start + 2 : start + 2 + len(table.rows)]
            assert all(line.startswith("| ") for line in body), table.key
    assert "accepted risk" in text and "memo SB-12" in text
    assert r"monitor the autobrake \| see memo" in text  # a pipe in a cell is escaped
    export.write_markdown(snapshot, tmp_path / "png.md", {"image": "png"})
    assert (tmp_path / "png-diagram.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_tables_rows_picture_and_caption(
    snapshot: Snapshot, tables: list[PlainTable], tmp_path: Path
) -> None:
    out = tmp_path / "report.docx"
    export.write_docx(snapshot, out, DATE)
    document = docx.Document(str(out))
    assert document.core_properties.title == snapshot.info.title
    assert document.core_properties.author == snapshot.info.author
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("1 Summary", "2 Control structure", "3 STPA tables", "4 Findings"):
        assert heading in headings
    by_header = {}
    for word_table in document.tables:
        first = word_table.rows[0]
        by_header[tuple(cell.text for cell in first.cells)] = word_table
    for table in tables:
        if not table.rows:
            continue
        word_table = by_header[tuple(table.headers)]
        header_row = word_table.rows[0]._tr
        assert header_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert len(word_table.rows) == len(table.rows) + 1, table.key
        for row, expected in zip(word_table.rows[1:], table.rows, strict=True):
            assert [cell.text for cell in row.cells] == list(expected), table.key
    assert len(document.inline_shapes) == 1
    picture = document.inline_shapes[0]
    assert picture.width > 0 and picture.height > 0
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 1 and "Control structure of" in captions[0].text
    assert captions[0]._p.find(qn("w:fldSimple")) is not None  # a real SEQ Figure field
    blob = picture._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = document.part.related_parts[blob].blob
    assert image[:8] == b"\x89PNG\r\n\x1a\n"


# --- CSV and XLSX -------------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(bytes_io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_in_a_folder_a_zip_beside_a_name_and_one_table(
    snapshot: Snapshot, tables: list[PlainTable], tmp_path: Path
) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    export.write_csv(snapshot, folder, {})
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t.key}.csv" for t in tables)
    for table in tables:
        rows = _read_csv((folder / f"{table.key}.csv").read_bytes())
        assert rows[0] == list(table.headers)
        assert [tuple(r) for r in rows[1:]] == list(table.rows)

    archive = tmp_path / "tables.zip"
    export.write_csv(snapshot, archive, {})
    with zipfile.ZipFile(archive) as opened:
        assert sorted(opened.namelist()) == sorted(f"{t.key}.csv" for t in tables)
        hazards = _read_csv(opened.read("hazards.csv"))
    assert len(hazards) == len(snapshot.hazards) + 1

    export.write_csv(snapshot, tmp_path / "all.csv", {})
    assert not (tmp_path / "all.csv").exists()
    assert (tmp_path / "all-findings.csv").exists()

    export.write_csv(snapshot, tmp_path / "one.csv", {"table": "ucas", "bom": "yes"})
    data = (tmp_path / "one.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(_read_csv(data)) == len(snapshot.ucas) + 1
    with pytest.raises(ExportError, match="Option table must be one of"):
        export.write_csv(snapshot, tmp_path / "x.csv", {"table": "nothing"})


def test_xlsx_is_the_workbench_workbook(snapshot: Snapshot, tmp_path: Path) -> None:
    out = tmp_path / "tables.xlsx"
    export.write_xlsx(snapshot, out, {})
    book = load_workbook(out)
    assert "Hazards" in book.sheetnames and "UCA table" in book.sheetnames
    assert book["Hazards"].max_row == len(snapshot.hazards) + 1
    with pytest.raises(ExportError, match="takes no options"):
        export.write_xlsx(snapshot, out, {"badges": "no"})
