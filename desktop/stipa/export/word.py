"""The report as a Word document (DOCX) through python-docx.

Headings in Word's heading styles (so the navigation pane and a table of contents work),
every table a real Word table whose first row is a header row repeated on each page, the
diagram as a picture with a numbered caption (a ``SEQ Figure`` field, as Word's Insert Caption
makes), and the title, author and date in the document's properties. Pages are A4 landscape:
STPA tables are wide.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from stipa.export.report import Report
from stipa.export.tables import Column, ColumnKind, PlainTable
from stipa.io import write_atomically

__all__ = ["render_docx", "write_docx"]

_HEADER_FILL = "DCE6F0"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: Installed with Windows and macOS; LibreOffice uses its metric twin Liberation Sans.
FONT = "Arial"


def _font(style: Any, family: str) -> None:
    """Give ``style`` the font ``family`` for every script, replacing the theme's fonts."""
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), family)
    for theme in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        key = qn(f"w:{theme}")
        if key in fonts.attrib:
            del fonts.attrib[key]


def _docx() -> Any:
    try:
        import docx
    except ImportError:  # pragma: no cover - a dependency of stipa
        from stipa.export.options import ExportError

        raise ExportError("DOCX export needs python-docx (pip install python-docx).") from None
    return docx


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _set_text(cell: Any, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold or None
        if index < len(lines) - 1:
            run.add_break()


_WIDE_KEYS = {
    "message",
    "description",
    "rationale",
    "proposal",
    "variables",
    "items",
    "text",
    "checks",
}
_UCA_TYPE_KEYS = {"not_provided", "provided", "timing", "duration"}
_WEIGHTS = {
    ColumnKind.ID: 1.5,
    ColumnKind.REF: 1.6,
    ColumnKind.REFS: 1.8,
    ColumnKind.CHOICE: 1.5,
    ColumnKind.FLAG: 1.1,
    ColumnKind.CONDITIONS: 2.2,
    ColumnKind.RACI: 2.0,
    ColumnKind.TEXT: 4.5,
}


def _weight(column: Column) -> float:
    if column.kind == ColumnKind.DERIVED:
        if column.key in _WIDE_KEYS:
            return 4.0
        return 3.5 if column.key in _UCA_TYPE_KEYS else 1.8
    return _WEIGHTS.get(column.kind, 2.0)


def _fix_widths(word: Any, weights: list[float], width: int) -> None:
    """Fixed layout with column widths by weight: rows added later copy the grid's widths."""
    word.autofit = False
    total = sum(weights)
    widths = [int(width * weight / total) for weight in weights]
    for column, size in zip(word.columns, widths, strict=True):
        column.width = size
    for row in word.rows:
        for cell, size in zip(row.cells, widths, strict=True):
            cell.width = size


def _runs(text: str, bold: bool) -> str:
    """WordprocessingML runs for ``text``: one per line, joined by line breaks."""
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    runs = []
    for index, line in enumerate(text.split("\n")):
        if index:
            runs.append("<w:r><w:br/></w:r>")
        runs.append(f'<w:r>{properties}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(runs)


def _table(document: Any, table: PlainTable, width: int, level: int = 2) -> None:
    """A Word table of ``table``: a header row repeated on every page, fixed column widths.

    Written as WordprocessingML in one piece and parsed by python-docx (``parse_xml``): the
    same XML ``Document.add_table`` makes, a hundred times faster for thousands of rows.
    """
    from docx.oxml import parse_xml

    document.add_heading(table.title, level=level)
    if not table.rows:
        document.add_paragraph("None recorded.").runs[0].italic = True
        return
    weights = [_weight(column) for column in table.columns]
    twips = [int(width / 635 * weight / sum(weights)) for weight in weights]  # EMU -> twips
    bold = [column.kind == ColumnKind.ID for column in table.columns]
    parts = [
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        '<w:tblW w:type="auto" w:w="0"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
        'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{size}"/>' for size in twips),
        '</w:tblGrid><w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>',
    ]
    for column, size in zip(table.columns, twips, strict=True):
        parts.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{size}" w:type="dxa"/><w:shd w:val="clear" '
            f'w:color="auto" w:fill="{_HEADER_FILL}"/></w:tcPr>'
            f"<w:p>{_runs(column.header, True)}</w:p></w:tc>"
        )
    parts.append("</w:tr>")
    for row in table.rows:
        parts.append("<w:tr>")
        for text, size, strong in zip(row, twips, bold, strict=True):
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{size}" w:type="dxa"/></w:tcPr>'
                f"<w:p>{_runs(text, strong)}</w:p></w:tc>"
            )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    anchor = document.add_paragraph()  # the table goes where this paragraph is
    anchor._p.addprevious(parse_xml("".join(parts)))
    anchor._p.getparent().remove(anchor._p)


def _caption(document: Any, text: str) -> None:
    """``Figure 1: text`` with Word's SEQ field, so lists of figures count it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.add_paragraph(style="Caption")
    paragraph.add_run("Figure ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), r" SEQ Figure \* ARABIC ")
    run = OxmlElement("w:r")
    number = OxmlElement("w:t")
    number.text = "1"
    run.append(number)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(f": {text}")


#: The smallest share of the page's height a diagram is shrunk to so it stays on the first page.
MIN_FIRST_PAGE_PICTURE = 0.4


def first_page_used(report: Report) -> int:
    """About how much of the first page's height (EMU) comes before the diagram: the title,
    the facts, the description, the summary, two headings and the caption below the picture
    (9.5 pt text on a landscape A4 page, about 170 characters a line)."""
    from docx.shared import Cm

    lines = -(-len(report.description) // 170) if report.description else 0
    rows = 2 + -(-len(report.summary) // 2)
    return int(Cm(1.8) + Cm(0.55) * rows + Cm(0.45) * lines + Cm(1.2) * 2 + Cm(1.0))


def render_docx(report: Report) -> bytes:
    """The report as DOCX bytes; the diagram, when present, must be PNG."""
    docx = _docx()
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.6))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "List Bullet"):
        _font(document.styles[name], FONT)
    document.styles["Normal"].font.size = Pt(9.5)
    width = section.page_width - section.left_margin - section.right_margin

    properties = document.core_properties
    properties.title = report.title
    properties.author = report.author or report.organisation
    properties.subject = "STPA safety analysis"
    properties.keywords = "STPA, STAMP, safety"
    properties.comments = f"Made with Stipa {report.stipa_version}"
    properties.version = report.version
    created = datetime.strptime(report.date, "%Y-%m-%d").replace(tzinfo=UTC)
    properties.created = created
    properties.modified = created
    properties.last_modified_by = f"Stipa {report.stipa_version}"

    document.add_heading(report.title, level=0)
    block = document.add_table(rows=2, cols=4)
    block.style = "Table Grid"
    _fix_widths(block, [1.0, 3.0, 1.0, 3.0], width)
    facts = [
        ("Version", report.version),
        ("Date", report.date),
        ("Author", report.author),
        ("Organisation", report.organisation),
    ]
    for index, (label, value) in enumerate(facts):
        row, column = divmod(index, 2)
        label_cell = block.cell(row, column * 2)
        _set_text(label_cell, label, bold=True)
        _shade(label_cell, _HEADER_FILL)
        _set_text(block.cell(row, column * 2 + 1), value or "—")
    if report.description:
        document.add_paragraph(report.description)

    document.add_heading("1 Summary", level=1)
    summary = document.add_table(rows=0, cols=4)  # two facts a row: the first page has room
    summary.style = "Table Grid"
    _fix_widths(summary, [1.4, 1.6, 1.4, 1.6], width)
    for start in range(0, len(report.summary), 2):
        cells = summary.add_row().cells
        for offset, (label, value) in enumerate(report.summary[start : start + 2]):
            _set_text(cells[offset * 2], label, bold=True)
            _set_text(cells[offset * 2 + 1], value)

    document.add_heading("2 Control structure", level=1)
    if report.diagram is not None:
        page = section.page_height - section.top_margin - section.bottom_margin
        picture = document.add_picture(io.BytesIO(report.diagram), width=width)
        left = page - first_page_used(report)
        # shrink it onto the first page rather than leave that page half empty
        fits_first = picture.height > left >= page * MIN_FIRST_PAGE_PICTURE
        height = left if fits_first else page - Cm(3)
        if picture.height > height:  # tall diagrams: fit the height instead of the width
            picture.width = int(picture.width * height / picture.height)
            picture.height = height
        _caption(document, report.diagram_caption)
    for table in report.structure:
        _table(document, table, width)

    document.add_heading("3 STPA tables", level=1)
    for table in report.stpa:
        _table(document, table, width)

    document.add_heading("4 Findings", level=1)
    document.add_paragraph(
        "What the analyses found, with the analyst's disposition and the rationale recorded for it."
    )
    _table(document, report.findings, width)
    if report.rules.rows:
        _table(document, report.rules, width)
    if report.suggestions.rows:
        _table(document, report.suggestions, width)

    document.add_heading("5 Traceability", level=1)
    _table(document, report.traceability, width)

    document.add_heading("6 Software and plugins", level=1)
    document.add_paragraph(f"Stipa {report.stipa_version}.")
    document.add_heading("Installed plugins", level=2)
    if report.plugins:
        plugins = document.add_table(rows=1, cols=4)
        plugins.style = "Table Grid"
        _fix_widths(plugins, [2.0, 1.5, 1.0, 3.0], width)
        _repeat_header(plugins.rows[0])
        for cell, text in zip(
            plugins.rows[0].cells, ("Plugin", "Distribution", "Version", "Module"), strict=True
        ):
            _set_text(cell, text, bold=True)
            _shade(cell, _HEADER_FILL)
        for plugin in report.plugins:
            cells = plugins.add_row().cells
            values = (plugin.name, plugin.distribution, plugin.version, plugin.module)
            for cell, text in zip(cells, values, strict=True):
                _set_text(cell, text)
    else:
        document.add_paragraph("No plugins are installed.")
    document.add_heading("Analyses behind the findings", level=2)
    if report.analyses:
        for name, count in report.analyses:
            document.add_paragraph(f"{name}: {count} findings", style="List Bullet")
    else:
        document.add_paragraph("The document holds no findings.")

    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def write_docx(report: Report, path: Path) -> None:
    """Write the report to ``path`` (atomically)."""
    write_atomically(Path(path), render_docx(report))
