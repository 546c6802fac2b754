"""The tables as CSV: one file per table, in a folder, beside a named file, or in a zip.

Where the tables go depends on what ``-o`` names:

* an existing folder: ``<folder>/<table>.csv`` for every table (``stipa export`` creates
  the folder when ``-o`` ends in ``/``);
* ``NAME.zip``: one zip archive holding ``<table>.csv`` for every table;
* ``NAME.csv``: with the option ``table=<key>`` just that table in ``NAME.csv``; without it,
  every table beside it as ``NAME-<table>.csv`` (``NAME.csv`` itself is not written).

The tables are those of the reports (:func:`stipa.export.report.report_tables`): components,
links, every STPA table, the findings with their dispositions, the traceability. CSV is
RFC 4180 (comma, double quotes, CRLF), UTF-8; the option ``bom=yes`` adds the byte-order mark
Excel wants to recognise UTF-8.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (``=HYPERLINK(...)``, ``=cmd|...``), and the cells hold whatever analysts
and plugins wrote. So, as OWASP's CSV-injection guidance says, every cell is quoted and such
a cell gets a leading ``'``, which spreadsheets read as "text follows" (:func:`neutralise`).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

from stipa.export.options import ExportError
from stipa.export.report import report_tables
from stipa.export.tables import PlainTable
from stipa.io import write_atomically
from stipa.model import Snapshot

__all__ = ["CSV_OPTIONS", "FORMULA_STARTS", "csv_bytes", "csv_targets", "neutralise", "write_csv"]

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_OPTIONS: Mapping[str, str] = {
    "table": "with -o NAME.csv: write only this table (e.g. hazards); without it, every "
    "table as NAME-<table>.csv",
    "bom": "yes/no: start each file with a UTF-8 byte-order mark for Excel (no)",
}


def neutralise(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text: a ``'`` before a formula's first character."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def csv_bytes(table: PlainTable, bom: bool = False) -> bytes:
    """One table as CSV bytes, headers first, every cell quoted and neutralised."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([neutralise(header) for header in table.headers])
    writer.writerows([neutralise(cell) for cell in row] for row in table.rows)
    return text.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _flag(options: Mapping[str, str], key: str) -> bool:
    value = options.get(key, "no").strip().lower()
    if value in ("yes", "y", "true", "on", "1"):
        return True
    if value in ("no", "n", "false", "off", "0", ""):
        return False
    raise ExportError(f"Option {key} must be yes or no, not {options[key]!r}.")


def csv_targets(path: Path, tables: list[PlainTable], options: Mapping[str, str]) -> list[Path]:
    """The files :func:`write_csv` writes for ``path`` (a zip counts as one)."""
    path = Path(path)
    wanted = options.get("table", "").strip()
    if wanted:
        keys = [table.key for table in tables]
        if wanted not in keys:
            raise ExportError(f"Option table must be one of {', '.join(keys)}, not {wanted!r}.")
        if path.is_dir() or path.suffix.lower() != ".csv":
            raise ExportError("Option table needs -o to name one .csv file.")
        return [path]
    if path.is_dir():
        return [path / f"{table.key}.csv" for table in tables]
    if path.suffix.lower() == ".zip":
        return [path]
    return [path.with_name(f"{path.stem}-{table.key}.csv") for table in tables]


def write_csv(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> list[Path]:
    """Write the tables as CSV (see the module's description); returns the files written."""
    path = Path(path)
    bom = _flag(options, "bom")
    tables = report_tables(snapshot)
    targets = csv_targets(path, tables, options)
    wanted = options.get("table", "").strip()
    if wanted:
        table = next(t for t in tables if t.key == wanted)
        write_atomically(path, csv_bytes(table, bom))
        return targets
    if path.suffix.lower() == ".zip" and not path.is_dir():
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                info = zipfile.ZipInfo(f"{table.key}.csv", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, csv_bytes(table, bom))
        write_atomically(path, buffer.getvalue())
        return targets
    for table, target in zip(tables, targets, strict=True):
        write_atomically(target, csv_bytes(table, bom))
    return targets
