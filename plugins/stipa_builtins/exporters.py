"""The built-in export formats (plugin ``stipa.exporters``): images, reports, tables, ReqIF.

Each format is an :class:`stipa.Exporter` whose ``export`` is one of the public writers of
:mod:`stipa.export`; nothing else lives here, so an in-house plugin can declare its own
formats the same way, or wrap these. The formats:

========  ==============================================================================
svg       the diagram; one group per component and link, text kept as text
png       the diagram at a chosen scale or dpi
pdf       the diagram on a page of chosen size and orientation, with a title block
html      the report in ONE file: diagram as inline SVG, every table, findings, traces
markdown  the report as Markdown, the diagram as an SVG (or PNG) file beside it
docx      the report as a Word document: real tables, the diagram as a captioned picture
csv       the tables, one CSV file each (a folder, a zip, or files beside NAME.csv)
xlsx      the STPA tables as the workbook that File > Import Tables reads back
reqif     constraints and responsibilities as ReqIF 1.2 requirements with their traces
========  ==============================================================================

The images and the diagram inside reports are drawn with Qt, headless when there is no
display; the tables, the workbook, ReqIF and reports with ``diagram=no`` need no Qt.
"""

from __future__ import annotations

from stipa import Exporter, export, hookimpl

#: The built-in formats, in the order menus list them.
EXPORTERS: tuple[Exporter, ...] = (
    Exporter(
        id="html",
        title="HTML report",
        extensions=(".html", ".htm"),
        export=export.write_html,
        description="One self-contained file: the diagram, every STPA table, the findings "
        "with their dispositions, the traceability and the plugin versions.",
        options=export.HTML_OPTIONS,
    ),
    Exporter(
        id="docx",
        title="Word report",
        extensions=(".docx",),
        export=export.write_docx,
        description="The report as a Word document with real tables and the diagram as a "
        "picture with a caption.",
        options=export.DOCX_OPTIONS,
    ),
    Exporter(
        id="markdown",
        title="Markdown report",
        extensions=(".md", ".markdown"),
        export=export.write_markdown,
        description="The report as Markdown; the diagram is written beside it as "
        "NAME-diagram.svg (or .png).",
        options=export.MARKDOWN_OPTIONS,
    ),
    Exporter(
        id="pdf",
        title="PDF diagram",
        extensions=(".pdf",),
        export=export.write_pdf,
        description="The diagram as a vector PDF page with a title block (title, version, "
        "author, organisation, date).",
        options=export.PDF_OPTIONS,
    ),
    Exporter(
        id="svg",
        title="SVG diagram",
        extensions=(".svg",),
        export=export.write_svg,
        description="The diagram as SVG: one group per component and link, text as text.",
        options=export.SVG_OPTIONS,
    ),
    Exporter(
        id="png",
        title="PNG image",
        extensions=(".png",),
        export=export.write_png,
        description="The diagram as a PNG image at a chosen scale or resolution.",
        options=export.PNG_OPTIONS,
    ),
    Exporter(
        id="xlsx",
        title="Excel workbook",
        extensions=(".xlsx",),
        export=export.write_xlsx,
        description="Every STPA table on its own sheet; edits can be imported back.",
        options=export.XLSX_OPTIONS,
    ),
    Exporter(
        id="csv",
        title="CSV tables",
        extensions=(".csv", ".zip"),
        export=export.write_csv,
        description="One CSV file per table: into a folder, a .zip, or beside NAME.csv as "
        "NAME-<table>.csv.",
        options=export.CSV_OPTIONS,
    ),
    Exporter(
        id="reqif",
        title="ReqIF requirements",
        extensions=(".reqif",),
        export=export.write_reqif,
        description="System-level constraints, controller constraints and responsibilities "
        "as ReqIF 1.2 requirements with their traces (DOORS, Polarion, Jama).",
        options=export.REQIF_OPTIONS,
    ),
)


@hookimpl
def stipa_exporters() -> tuple[Exporter, ...]:
    """The built-in export formats."""
    return EXPORTERS
