"""Data exports without Qt: plain STPA tables and the formats written from them.

The public part, for plugins and scripts (``from stipa import export``): one function
``write_<format>(snapshot, path, options)`` per built-in format with the signature of
:attr:`stipa.Exporter.export`, the options each understands (``<FORMAT>_OPTIONS``), and
:class:`ExportError`, the one-sentence error every writer raises for options or input it
cannot use, and :class:`ExportWarning`, the sentence it warns with when it wrote the file
but not quite as asked. The tables themselves are in :mod:`stipa.export.tables`.
"""

from stipa.export.options import ExportError, ExportWarning, collect_export_warnings
from stipa.export.writers import (
    CSV_OPTIONS,
    DOCX_OPTIONS,
    HTML_OPTIONS,
    MARKDOWN_OPTIONS,
    PDF_OPTIONS,
    PNG_OPTIONS,
    REQIF_OPTIONS,
    SVG_OPTIONS,
    XLSX_OPTIONS,
    write_csv,
    write_docx,
    write_html,
    write_markdown,
    write_pdf,
    write_png,
    write_reqif,
    write_svg,
    write_xlsx,
)

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
    "ExportError",
    "ExportWarning",
    "collect_export_warnings",
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
