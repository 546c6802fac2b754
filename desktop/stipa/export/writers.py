"""The export formats as functions ``write_<format>(snapshot, path, options)``.

Each has the signature of :attr:`stipa.Exporter.export`, so a plugin declares a format with
one line (the built-in plugin ``stipa_builtins.exporters`` does exactly that), and each
``<FORMAT>_OPTIONS`` mapping names the ``--option KEY=VALUE`` it understands. Every writer
checks its options first (:class:`~stipa.export.options.ExportError`, one sentence) and
replaces its file atomically, so a failed export never leaves half a file behind.

Images (SVG, PNG, PDF) and the diagram inside reports are drawn by the Qt renderer
(:mod:`stipa.export.diagram`); everything else runs without Qt. Reports take
``--option diagram=no`` to leave the drawing out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from stipa.export import csv_tables, reqif
from stipa.export.csv_tables import CSV_OPTIONS
from stipa.export.diagram import render_diagram
from stipa.export.options import DIAGRAM_OPTIONS as SVG_OPTIONS
from stipa.export.options import (
    PDF_OPTIONS,
    PNG_OPTIONS,
    REPORT_OPTIONS,
    ExportError,
    diagram_options,
    report_options,
)
from stipa.export.report import Report, build_report
from stipa.export.reqif import REQIF_OPTIONS
from stipa.io import write_atomically
from stipa.model import Snapshot

__all__ = [
    "CSV_OPTIONS",
    "DOCX_OPTIONS",
    "HTML_OPTIONS",
    "MARKDOWN_OPTIONS",
    "PDF_OPTIONS",
    "PNG_OPTIONS",
    "REQIF_OPTIONS",
    "SVG_OPTIONS",
    "XLSX_OPTIONS",
    "write_csv",
    "write_docx",
    "write_html",
    "write_markdown",
    "write_pdf",
    "write_png",
    "write_reqif",
    "write_svg",
    "write_xlsx",
]

HTML_OPTIONS: Mapping[str, str] = REPORT_OPTIONS
MARKDOWN_OPTIONS: Mapping[str, str] = {
    **REPORT_OPTIONS,
    "image": "svg or png: the format of the diagram file written beside the .md (svg)",
}
DOCX_OPTIONS: Mapping[str, str] = REPORT_OPTIONS
XLSX_OPTIONS: Mapping[str, str] = {}


def _image(fmt: str, snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    write_atomically(Path(path), render_diagram(snapshot, fmt, diagram_options(options)))


def write_svg(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """The diagram as SVG: one group per component and link, text as text."""
    _image("svg", snapshot, path, options)


def write_png(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """The diagram as PNG at a chosen scale or dpi."""
    _image("png", snapshot, path, options)


def write_pdf(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """The diagram as a vector PDF page with a title block."""
    _image("pdf", snapshot, path, options)


#: A picture in a report needs no more than this: about 4,000 x 2,000 pixels.
REPORT_PICTURE_PIXELS = 8_000_000


def _report(snapshot: Snapshot, options: Mapping[str, str], image: str) -> Report:
    chosen = report_options(options)
    report = build_report(snapshot, chosen)
    if chosen.diagram:
        drawing = replace(chosen.drawing, max_pixels=REPORT_PICTURE_PIXELS)
        report.diagram = render_diagram(snapshot, image, drawing)
        report.diagram_format = image
    return report


def write_html(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """The report as one self-contained HTML file with the diagram as inline SVG."""
    from stipa.export.html import write_html as write

    write(_report(snapshot, options, "svg"), Path(path))


def write_markdown(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """The report as Markdown, the diagram as ``<name>-diagram.svg`` (or png) beside it."""
    from stipa.export.markdown import write_markdown as write

    image = report_options(options).image
    write(_report(snapshot, options, image), Path(path), image)


def write_docx(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """The report as a Word document with real tables and the diagram as a picture."""
    from stipa.export.word import write_docx as write

    write(_report(snapshot, options, "png"), Path(path))


def write_xlsx(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """The STPA tables as the workbook that File > Import Tables reads back."""
    from stipa.export.workbook import export_workbook

    if options:
        raise ExportError(f"The XLSX export takes no options (given: {', '.join(options)}).")
    export_workbook(snapshot, Path(path))


def write_csv(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """The tables as CSV: a folder, a zip, or files beside ``NAME.csv`` (see csv_tables)."""
    csv_tables.write_csv(snapshot, Path(path), options)


def write_reqif(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """Constraints and responsibilities as ReqIF 1.2 requirements with their traces."""
    reqif.write_reqif(snapshot, Path(path), options)
