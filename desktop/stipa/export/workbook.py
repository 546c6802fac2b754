"""The STPA tables as one Excel workbook, and edits made in it imported back.

:func:`export_workbook` writes one sheet per table of :mod:`stipa.export.tables` (losses,
hazards, system constraints, responsibilities, UCAs, controller constraints, loss scenarios,
context rules, the UCA table) and a "Read me" sheet. :func:`import_workbook` reads the record
sheets back and matches rows to records by id:

* a row whose cells differ from its record becomes an update of the changed fields;
* a row without an id becomes a new record (the model gives it the next id);
* a row is deleted only when its **Delete** column says so (``yes`` or ``x``); a row missing
  from a sheet is left alone, so a filtered or partial sheet never deletes anything;
* the **Revision** column holds a fingerprint of the row as exported: when the record has
  changed in the document since, and the row was edited too, the row is a conflict;
* derived columns (names, readable contexts), the UCA table and row order are not imported.

Every problem is reported with its sheet, row and column: an id no record of that sheet has,
a reference to a record that does not exist (or is deleted by the same workbook), a value the
model refuses, a formula where a value belongs, a missing column, a conflict. When anything is
refused nothing is applied; otherwise every change is applied as ONE undoable transaction, and
the report names the records that lost a reference to a deleted one.

Excel holds at most 32,767 characters in a cell: a longer text is cut on export with an
:class:`~stipa.export.options.ExportWarning` naming its record, and a cell still holding the
cut text imports as unchanged.

Importing is two steps so a window can read in a worker thread: :func:`plan_import` reads
and checks the workbook against a (frozen) view of the document, streaming the sheets
(openpyxl's read-only mode) with progress and cancel, and refuses a workbook over
:class:`ImportLimits` (rows, unpacked size) before reading it whole; :func:`apply_import`
applies the plan to the document (:func:`apply_steps` a change at a time, so a window can
apply a big plan between events). :func:`import_workbook` does both. Reading is apart from
checking: :func:`read_workbook` turns the workbook into plain data (texts of rows, notes,
problems) that another process can send, so a window can read a big workbook in one
(:mod:`stipa.export.workbook_process`) while :func:`plan_import` checks the rows it sends.

No Qt here; openpyxl is the only dependency.
"""

from __future__ import annotations

import contextlib
import io
import time
import warnings
import zipfile
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from stipa.export.options import ExportWarning
from stipa.export.tables import (
    RECORD_TABLES,
    Column,
    ColumnKind,
    PlainTable,
    TableSpec,
    document_tables,
    format_record,
    parse_cell,
    record_hash,
    reference_ids,
)
from stipa.io import write_atomically
from stipa.model import (
    Component,
    ContextRule,
    Document,
    Hazard,
    Loss,
    LossScenario,
    ModelError,
    Responsibility,
    SafetyRequirement,
    SystemConstraint,
    UnsafeControlAction,
)
from stipa.model import ControllerConstraint as _ControllerConstraint
from stipa.model.view import DocumentView

__all__ = [
    "CELL_LIMIT",
    "DEFAULT_LIMITS",
    "DELETE_HEADER",
    "README_SHEET",
    "REVISION_HEADER",
    "ImportCancelled",
    "ImportLimits",
    "ImportPlan",
    "ImportProblem",
    "ImportReport",
    "Refusal",
    "SheetRows",
    "SheetStart",
    "apply_import",
    "apply_steps",
    "export_workbook",
    "import_workbook",
    "plan_import",
    "read_workbook",
]

#: The most characters Excel holds in one cell.
CELL_LIMIT = 32_767

#: The column that marks a row for deletion.
DELETE_HEADER = "Delete"
#: The column holding each row's fingerprint as exported.
REVISION_HEADER = "Revision"
#: Editable columns that file format 2 added to sheets that existed before it: a workbook
#: exported by an earlier Stipa lacks them, and they are then left unchanged, not a problem.
ADDED_IN_FORMAT_2 = frozenset({"alias", "subtype", "factor keyword"})
README_SHEET = "Read me"
_DELETE_WORDS = {"yes", "y", "x", "true", "1", "delete", "deleted"}

_RECORD_CLASS: dict[str, type] = {
    "components": Component,
    "losses": Loss,
    "hazards": Hazard,
    "constraints": SystemConstraint,
    "responsibilities": Responsibility,
    "ucas": UnsafeControlAction,
    "controller_constraints": _ControllerConstraint,
    "scenarios": LossScenario,
    "context_rules": ContextRule,
    "requirements": SafetyRequirement,
}
#: Fields a new row must fill, by table.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "components": ("name",),
    "responsibilities": ("owner",),
    "ucas": ("action", "type"),
    "context_rules": ("action",),
}
_NOUN = {
    "losses": "loss",
    "hazards": "hazard",
    "constraints": "system-level constraint",
    "responsibilities": "responsibility",
    "ucas": "unsafe control action",
    "controller_constraints": "controller constraint",
    "scenarios": "loss scenario",
    "context_rules": "context rule",
    "requirements": "safety requirement",
    "components": "component",
    "item": "control action",
    "variable": "process-model variable",
}

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="37474F")
_DERIVED_FILL = PatternFill("solid", fgColor="ECEFF1")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTHS = {
    ColumnKind.ID: 10,
    ColumnKind.TEXT: 48,
    ColumnKind.REF: 12,
    ColumnKind.REFS: 18,
    ColumnKind.CHOICE: 14,
    ColumnKind.FLAG: 11,
    ColumnKind.INTEGER: 8,
    ColumnKind.CONDITIONS: 26,
    ColumnKind.RACI: 24,
    ColumnKind.DERIVED: 24,
}


# --- the report ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One refused cell or row: where it is and a sentence saying what is wrong.

    ``row`` is the spreadsheet's row number (the headings are row 1); ``column`` the
    column's heading; either is None when the problem concerns a whole sheet or row.
    """

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    """What an import found and did.

    ``problems`` refused the import (then ``applied`` is False and the document is
    unchanged); ``notes`` are remarks that refuse nothing (sheets or columns ignored).
    ``added``, ``updated`` and ``deleted`` list record ids (planned when refused);
    ``lost_references`` has one sentence per deleted record that others referred to.
    """

    path: Path
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    lost_references: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        """Whether nothing was refused."""
        return not self.problems

    @property
    def changes(self) -> int:
        """How many records are added, updated or deleted."""
        return len(self.added) + len(self.updated) + len(self.deleted)

    def summary(self) -> str:
        """One sentence: what was applied, or why nothing was."""
        if self.problems:
            count = len(self.problems)
            noun = "problem" if count == 1 else "problems"
            return f"Nothing was imported: {count} {noun} in {self.path.name}."
        if not self.changes:
            return f"{self.path.name} holds no changes."
        return " ".join(
            [
                f"Imported from {self.path.name}: {len(self.added)} added, "
                f"{len(self.updated)} updated, {len(self.deleted)} deleted.",
                *self.lost_references,
            ]
        )


@dataclass(frozen=True, slots=True)
class ImportLimits:
    """The most an import reads; a bigger workbook is refused before it is read whole.

    ``rows`` counts the rows of every record sheet together; ``unpacked_bytes`` is the
    size of the workbook's parts once decompressed (an XLSX file is a zip archive).
    """

    rows: int = 250_000
    unpacked_bytes: int = 512 * 1024 * 1024


#: The limits an import applies unless told otherwise.
DEFAULT_LIMITS = ImportLimits()


class ImportCancelled(Exception):
    """Raised by :func:`plan_import` when its ``cancelled`` callback says so."""


# --- export -------------------------------------------------------------------------------------


def _put(cell: Cell, text: str) -> None:
    cell.value = text[:CELL_LIMIT]
    if text:
        cell.data_type = "s"  # never a formula, even when the text starts with "="
    cell.alignment = _WRAP


def _write_table(sheet: Worksheet, table: PlainTable) -> None:
    headers = list(table.headers)
    spec = next((s for s in RECORD_TABLES if s.key == table.key), None)
    if table.importable:
        headers += [DELETE_HEADER, REVISION_HEADER]
    for col, header in enumerate(headers, start=1):
        head = sheet.cell(row=1, column=col, value=header)
        head.font = _HEADER_FONT
        head.fill = _HEADER_FILL
        head.alignment = _WRAP
    for r, row in enumerate(table.rows, start=2):
        cells = list(row)
        if table.importable and spec is not None:
            cells += ["", record_hash(spec, row)]
        for c, text in enumerate(cells, start=1):
            cell = sheet.cell(row=r, column=c)
            assert isinstance(cell, Cell)
            _put(cell, text)
            if c <= len(table.columns) and not table.columns[c - 1].editable:
                cell.fill = _DERIVED_FILL
    columns = list(table.columns)
    for c, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = _WIDTHS[column.kind]
        if column.kind in (ColumnKind.CHOICE, ColumnKind.FLAG) and table.rows:
            choices = ",".join(choice for choice in column.choices if choice)
            validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
            letter = get_column_letter(c)
            validation.add(f"{letter}2:{letter}{max(len(table.rows) + 200, 2)}")
            sheet.add_data_validation(validation)
    if table.importable:
        sheet.column_dimensions[get_column_letter(len(columns) + 1)].width = 9
        sheet.column_dimensions[get_column_letter(len(columns) + 2)].width = 15
    if table.key == "uca_matrix":
        for c in range(4, 8):
            sheet.column_dimensions[get_column_letter(c)].width = 44
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(table.rows) + 1, 1)}"


_README = (
    "Stipa STPA tables",
    "",
    "Edit cells in the record sheets and import the workbook back with "
    "File > Import Tables from Excel (or stipa.export.workbook.import_workbook).",
    "Rows are matched by their ID. Changed cells become edits of that record.",
    "A row without an ID becomes a new record; Stipa gives it the next free ID.",
    "To delete a record, write 'yes' in its Delete column. Rows removed from a sheet are NOT "
    "deleted.",
    "Do not edit the Revision column: it tells whether a record changed in Stipa since this "
    "export, so an import never overwrites that change silently.",
    "Grey columns (names, readable contexts) and the UCA table are for reading; they are "
    "not imported.",
    "Cells must hold values: a formula is refused (copy it and paste it as a value).",
    "References are IDs separated by commas (H-4.1, H-4.2). Conditions are one "
    "'variable-id=value' per line. RACI is 'component-id:role' (responsible, accountable, "
    "consulted, informed).",
    "If anything is refused (unknown ID, broken reference, invalid value), nothing is "
    "imported; otherwise all changes form one undoable step.",
)


def export_workbook(doc: DocumentView, path: str | Path) -> Path:
    """Write every STPA table of ``doc`` to one XLSX workbook at ``path`` (atomically).

    Returns the path written. Raises OSError when the file cannot be written. Texts longer
    than a cell holds (:data:`CELL_LIMIT`) are cut, with an
    :class:`~stipa.export.options.ExportWarning` naming their records.
    """
    path = Path(path)
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    tables = document_tables(doc)
    for table in tables:
        _write_table(workbook.create_sheet(table.sheet), table)
    _warn_cut_texts(tables)
    readme = workbook.create_sheet(README_SHEET)
    for r, line in enumerate(_README, start=1):
        _put(readme.cell(row=r, column=1), line)
    readme.cell(row=1, column=1).font = Font(bold=True, size=13)
    readme.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomically(path, buffer.getvalue())  # mode, umask and links as every export
    return path


def _warn_cut_texts(tables: list[PlainTable]) -> None:
    """Name the records whose texts do not fit in a cell (their cells hold the beginning)."""
    cut: dict[str, list[str]] = {}
    for table in tables:
        for row in table.rows:
            for column, text in zip(table.columns, row, strict=True):
                if len(text) > CELL_LIMIT:
                    headers = cut.setdefault(row[0], [])
                    if column.header not in headers:
                        headers.append(column.header)
    if cut:
        named = "; ".join(f"{record_id} ({', '.join(h)})" for record_id, h in cut.items())
        warnings.warn(
            ExportWarning(
                f"Excel holds at most {CELL_LIMIT:,} characters in a cell, so the workbook has "
                f"only the beginning of these texts: {named}. Importing the workbook back "
                "leaves them as they are unless their cells are edited."
            ),
            stacklevel=3,
        )


# --- import -------------------------------------------------------------------------------------


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class _Change:
    kind: str  # "update", "add", "delete"
    table: str
    sheet: str
    row: int
    record_id: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


#: How many rows are read between two progress reports (and looks at ``cancelled``); also
#: how many rows one :class:`SheetRows` holds at most.
_PROGRESS_STEP = 500
#: Rows read (or checked) between two moments the reader lets other threads run.
_YIELD_STEP = 50


class _TooBig(Exception):
    """The workbook is over the import's limits; the message says which."""


# What :func:`read_workbook` gives, plain data that crosses to another process: notes
# (``str``), problems (:class:`ImportProblem`), the start of a record sheet, its rows, or a
# refusal of the whole workbook.


@dataclass(frozen=True, slots=True)
class SheetStart:
    """A record sheet begins: its table (a key of ``RECORD_TABLES``) and its headings."""

    table: str
    headers: tuple[str, ...]


#: One row of a record sheet: its number, its cells' texts (without the empty cells at its
#: end) and the indexes of the cells that hold a formula.
Row = tuple[int, tuple[str, ...], tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class SheetRows:
    """The next rows of the record sheet that began last (rows without any text are left out)."""

    table: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Refusal:
    """The whole workbook is refused (not a workbook, over the limits); nothing follows."""

    message: str


#: One piece of what :func:`read_workbook` reads.
Piece = str | ImportProblem | SheetStart | SheetRows | Refusal
#: What reads a workbook into pieces: :func:`read_workbook`, or one that calls it elsewhere
#: (``stipa.export.workbook_process.ReadInProcess``), with the same arguments.
Read = Callable[
    [Path, ImportLimits, Callable[[int, int], None] | None, Callable[[], bool] | None],
    Generator[Piece, None, None],
]


class _Counter:
    """Counts the rows read: refuses past the limit, reports progress, stops when cancelled."""

    def __init__(
        self,
        limits: ImportLimits,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.limits = limits
        self.progress = progress
        self.cancelled = cancelled
        self.read = 0
        self.expected = 0

    def count(self) -> None:
        """One more row read."""
        self.read += 1
        if self.read > self.limits.rows:
            raise _TooBig(
                f"The workbook has more than {self.limits.rows:,} rows, the most an import "
                "reads; import the sheets in smaller workbooks."
            )
        if self.read % _YIELD_STEP == 0:
            _let_others_run()
        if self.read % _PROGRESS_STEP == 0:
            if self.cancelled is not None and self.cancelled():
                raise ImportCancelled
            if self.progress is not None:
                self.progress(self.read, max(self.expected, self.read))


def _let_others_run() -> None:
    # a reader in a worker thread holds the GIL between Python's forced switches; the
    # window's event filters need it for every event, and starved of it the window froze
    # for seconds: give it up briefly
    time.sleep(0)


def _unpacked_size(path: Path) -> int:
    """The declared size of the workbook's parts once unpacked (zipfile reads no more)."""
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def read_workbook(
    path: Path,
    limits: ImportLimits = DEFAULT_LIMITS,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Generator[Piece, None, None]:
    """Read the record sheets of a workbook as plain data (openpyxl's read-only mode).

    Yields notes, problems, each record sheet's :class:`SheetStart` and then its
    :class:`SheetRows`, or a :class:`Refusal` (and nothing more) when ``path`` is not a
    workbook or is over ``limits``. Checks nothing against a document (that is
    :func:`plan_import`'s part), so it can run in another process. ``progress`` and
    ``cancelled`` as for :func:`plan_import`.
    """
    try:
        unpacked = _unpacked_size(path)
        if unpacked > limits.unpacked_bytes:
            mib = 1024 * 1024
            yield Refusal(
                f"{path.name} unpacks to {unpacked / mib:,.0f} MiB, more than the "
                f"{limits.unpacked_bytes / mib:,.0f} MiB an import reads; import the sheets "
                "in smaller workbooks."
            )
            return
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
        detail = str(error).strip() or type(error).__name__
        yield Refusal(f"{path.name} is not an Excel workbook ({detail}).")
        return
    except OSError as error:
        yield Refusal(f"Cannot read {path}: {error.strerror or error}.")
        return
    counter = _Counter(limits, progress, cancelled)
    try:
        names = {name.casefold(): name for name in workbook.sheetnames}
        sheets = []
        for spec in RECORD_TABLES:
            name = names.get(spec.sheet.casefold())
            if name is None:
                yield f"No sheet {spec.sheet!r}: its records are left as they are."
                continue
            sheet = workbook[name]
            counter.expected += sheet.max_row or 0  # as the sheet declares; may be wrong
            sheet.reset_dimensions()  # so a wrong declaration cannot hide rows
            sheets.append((sheet, spec))
        if counter.expected > limits.rows:
            raise _TooBig(
                f"The workbook declares {counter.expected:,} rows, more than the "
                f"{limits.rows:,} an import reads; import the sheets in smaller workbooks."
            )
        for sheet, spec in sheets:
            yield from _read_sheet(sheet, spec, counter)
    except _TooBig as error:
        yield Refusal(f"{path.name}: {error}")
        return
    finally:
        workbook.close()
    expected = {spec.sheet.casefold() for spec in RECORD_TABLES}
    expected |= {"uca table", README_SHEET.casefold()}
    for name in workbook.sheetnames:
        if name.casefold() not in expected:
            yield f"Sheet {name!r} is not an STPA table; it was not read."


def _read_sheet(
    sheet: Worksheet, spec: TableSpec, counter: _Counter
) -> Generator[Piece, None, None]:
    """The pieces of one record sheet; a sheet that cannot be read is a problem at the end."""
    batch: list[Row] = []
    failed: ImportProblem | None = None
    try:
        rows = iter(sheet.iter_rows())
        header_row = next(rows, None)
        if header_row is None:
            yield f"Sheet {spec.sheet!r} is empty; nothing read from it."
            return
        counter.count()
        yield SheetStart(spec.key, tuple(_text_of(cell.value).strip() for cell in header_row))
        for number, row in enumerate(rows, start=2):
            counter.count()
            cells = [_text_of(cell.value) for cell in row]
            formulas = tuple(i for i, cell in enumerate(row) if cell.data_type == "f")
            while cells and not cells[-1]:
                cells.pop()
            if formulas or any(cell.strip() for cell in cells):
                batch.append((number, tuple(cells), formulas))
            if len(batch) == _PROGRESS_STEP:
                yield SheetRows(spec.key, tuple(batch))
                batch = []
    except (SyntaxError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        detail = str(error).strip() or type(error).__name__
        failed = ImportProblem(
            spec.sheet,
            None,
            None,
            f"The sheet cannot be read ({detail}); save the workbook again from Excel, "
            "or export a fresh one.",
        )
    if batch:
        yield SheetRows(spec.key, tuple(batch))
    if failed is not None:
        yield failed


@dataclass
class _Columns:
    """Where a record sheet's columns are, from its headings."""

    headers: tuple[str, ...]
    ids: int
    present: list[tuple[Column, int]]
    delete_at: int | None
    revision_at: int | None
    read_at: set[int]
    seen: dict[str, int] = field(default_factory=dict)


class _Checker:
    """Checks the rows read from a workbook against a document and plans the changes."""

    def __init__(self, view: DocumentView, report: ImportReport) -> None:
        self.view = view
        self.report = report
        self.changes: list[_Change] = []
        self.deleting: dict[str, tuple[str, int]] = {}
        self.checked = 0
        #: The columns of each record sheet read so far (absent: its columns are refused).
        self.columns: dict[str, _Columns] = {}

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.report.problems.append(ImportProblem(sheet, row, column, message))

    def start(self, spec: TableSpec, headers: tuple[str, ...]) -> None:
        """A sheet begins: find its columns, or refuse it when it lacks one."""
        positions: dict[str, int] = {}
        for index, header in enumerate(headers):
            if header and header.casefold() not in positions:
                positions[header.casefold()] = index
        if "id" not in positions:
            self.problem(spec.sheet, 1, None, "The sheet has no ID column.")
            return
        known = {c.header.casefold() for c in spec.columns}
        known |= {DELETE_HEADER.casefold(), REVISION_HEADER.casefold()}
        unknown = [h for h in headers if h and h.casefold() not in known]
        if unknown:
            self.report.notes.append(
                f"Sheet {spec.sheet!r}: columns not imported: {', '.join(unknown)}."
            )
        absent = [c for c in spec.columns if c.editable and c.header.casefold() not in positions]
        older = [c.header for c in absent if c.header.casefold() in ADDED_IN_FORMAT_2]
        if older:
            self.report.notes.append(
                f"Sheet {spec.sheet!r}: no {', '.join(older)} column (exported before Stipa's "
                "file format 2): left unchanged."
            )
        missing = [c for c in absent if c.header.casefold() not in ADDED_IN_FORMAT_2]
        for column in missing:
            self.problem(
                spec.sheet,
                1,
                column.header,
                f"The column {column.header} is missing, so its cells cannot be compared; "
                "put it back (a fresh export has it) and import again.",
            )
        if missing:
            return
        present = [
            (c, positions[c.header.casefold()])
            for c in spec.columns
            if c.editable and c.header.casefold() in positions
        ]
        delete_at = positions.get(DELETE_HEADER.casefold())
        revision_at = positions.get(REVISION_HEADER.casefold())
        read_at = {index for _column, index in present} | {positions["id"]}
        read_at |= {index for index in (delete_at, revision_at) if index is not None}
        self.columns[spec.key] = _Columns(
            headers, positions["id"], present, delete_at, revision_at, read_at
        )

    def rows(self, spec: TableSpec, rows: tuple[Row, ...]) -> None:
        """Check rows of the sheet that began last."""
        columns = self.columns.get(spec.key)
        if columns is None:  # refused at its headings
            return
        for number, cells, formula_at in rows:
            self.checked += 1
            if self.checked % _YIELD_STEP == 0:
                _let_others_run()
            self._check(spec, columns, number, cells, formula_at)

    def _check(
        self,
        spec: TableSpec,
        columns: _Columns,
        number: int,
        cells: tuple[str, ...],
        formula_at: tuple[int, ...],
    ) -> None:
        def cell(index: int | None) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        formulas = [i for i in formula_at if i in columns.read_at]
        for index in formulas:
            self.problem(
                spec.sheet,
                number,
                columns.headers[index],
                f"The cell holds a formula ({cell(index)}); paste it as a value "
                "(Paste Special > Values) and import again.",
            )
        if formulas or not any(text.strip() for text in cells):
            return

        record_id = cell(columns.ids).strip()
        delete = cell(columns.delete_at).strip().casefold() in _DELETE_WORDS
        if record_id:
            seen = columns.seen
            if record_id in seen:
                self.problem(
                    spec.sheet,
                    number,
                    "ID",
                    f"{record_id} appears twice (rows {seen[record_id]} and {number}).",
                )
                return
            seen[record_id] = number
            if record_id not in self.view.table(spec.key):
                self.problem(
                    spec.sheet,
                    number,
                    "ID",
                    f"Unknown id {record_id}: no {_NOUN[spec.key]} of the document has it "
                    "(leave the ID empty to add a new one).",
                )
                return
        if delete:
            if not record_id:
                self.problem(
                    spec.sheet, number, DELETE_HEADER, "A row without an ID cannot be deleted."
                )
                return
            self.deleting[record_id] = (spec.sheet, number)
            self.changes.append(_Change("delete", spec.key, spec.sheet, number, record_id))
            return
        parsed: dict[str, Any] = {}
        for column, index in columns.present:
            try:
                parsed[column.field or ""] = parse_cell(column, cell(index))
            except ModelError as error:
                self.problem(spec.sheet, number, column.header, str(error))
        if record_id:
            self._plan_update(spec, number, record_id, parsed, cell(columns.revision_at).strip())
        else:
            self._plan_add(spec, number, parsed)

    def _plan_update(
        self, spec: TableSpec, number: int, record_id: str, parsed: dict[str, Any], revision: str
    ) -> None:
        record = self.view.table(spec.key)[record_id]
        changed = {
            name: value
            for name, value in parsed.items()
            if name and not _unchanged(value, getattr(record, name))
        }
        if not changed:
            return
        if revision:
            current = record_hash(spec, format_record(self.view, spec.key, record))
            if current != revision:
                self.problem(
                    spec.sheet,
                    number,
                    REVISION_HEADER,
                    f"{record_id} changed in the document since this workbook was exported; "
                    "export again and redo the edit, or clear its Revision cell to overwrite.",
                )
                return
        self.changes.append(_Change("update", spec.key, spec.sheet, number, record_id, changed))

    def _plan_add(self, spec: TableSpec, number: int, parsed: dict[str, Any]) -> None:
        fields = {name: value for name, value in parsed.items() if name}
        missing = [
            next(c.header for c in spec.columns if c.field == name)
            for name in _REQUIRED.get(spec.key, ())
            if not fields.get(name)
        ]
        if missing:
            self.problem(
                spec.sheet,
                number,
                missing[0],
                f"A new {_NOUN[spec.key]} needs {' and '.join(missing)}.",
            )
            return
        self.changes.append(_Change("add", spec.key, spec.sheet, number, "", fields))

    def check_references(self) -> None:
        """Every id a planned change refers to must exist, in the right table."""
        specs = {spec.key: spec for spec in RECORD_TABLES}
        for change in self.changes:
            if change.kind == "delete":
                continue
            spec = specs[change.table]
            for column in spec.columns:
                if not column.editable or column.field not in change.fields:
                    continue
                for ref in reference_ids(column, change.fields[column.field]):
                    message = self._reference_problem(column, ref)
                    if message:
                        self.problem(change.sheet, change.row, column.header, message)

    def _reference_problem(self, column: Column, ref: str) -> str | None:
        view = self.view
        (table,) = column.refers_to
        noun = _NOUN[table]
        found = view.control_action(ref) if table == "item" else view.table_of(ref) == table
        ok = bool(found)
        if not ok:
            return f"{ref} is not {'an' if noun[0] in 'aeiou' else 'a'} {noun} of the document."
        if ref in self.deleting:
            sheet, row = self.deleting[ref]
            return f"{ref} is deleted by this workbook ({sheet}, row {row})."
        return None


def _unchanged(value: Any, current: Any) -> bool:
    """Whether a parsed cell stands for the field's current value.

    A text longer than a cell was exported cut (:data:`CELL_LIMIT`): a cell still holding
    exactly that beginning is the text unchanged, not an edit that would cut it.
    """
    if isinstance(value, list):
        value = tuple(value)
    if value == current:
        return True
    return isinstance(current, str) and len(current) > CELL_LIMIT and value == current[:CELL_LIMIT]


@dataclass
class ImportPlan:
    """What :func:`plan_import` found in a workbook: the report so far and the changes."""

    report: ImportReport
    changes: list[_Change] = field(default_factory=list)


def plan_import(
    view: DocumentView,
    path: str | Path,
    *,
    limits: ImportLimits = DEFAULT_LIMITS,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    read: Read = read_workbook,
) -> ImportPlan:
    """Read a workbook made by :func:`export_workbook` and check its edits against ``view``.

    Safe to call in a worker thread with a frozen view (``document.snapshot()``): it changes
    nothing. ``progress(rows_read, rows_expected)`` is called every few hundred rows, and
    :class:`ImportCancelled` is raised there when ``cancelled()`` returns True. A workbook
    over ``limits`` is refused (a problem in the plan's report) from the sizes its zip
    archive declares, and at the first row past the row limit, before it is read whole.
    ``read`` reads the workbook (:func:`read_workbook`, or the same in another process:
    ``stipa.export.workbook_process.ReadInProcess``); the rows it gives are checked here.
    """
    path = Path(path)
    report = ImportReport(path)
    plan = ImportPlan(report)
    checker = _Checker(view, report)
    specs = {spec.key: spec for spec in RECORD_TABLES}
    with contextlib.closing(read(path, limits, progress, cancelled)) as pieces:
        for piece in pieces:
            if isinstance(piece, SheetRows):
                checker.rows(specs[piece.table], piece.rows)
            elif isinstance(piece, SheetStart):
                checker.start(specs[piece.table], piece.headers)
            elif isinstance(piece, ImportProblem):
                report.problems.append(piece)
            elif isinstance(piece, Refusal):
                report.problems.append(ImportProblem("", None, None, piece.message))
                return plan
            else:
                report.notes.append(piece)
    checker.check_references()
    plan.changes = checker.changes
    report.updated = [c.record_id for c in plan.changes if c.kind == "update"]
    report.deleted = [c.record_id for c in plan.changes if c.kind == "delete"]
    return plan


def apply_import(doc: Document, plan: ImportPlan) -> ImportReport:
    """Apply a plan of :func:`plan_import` to ``doc`` as one undo step; returns its report.

    Nothing is applied when the plan has problems. The plan must have been made against
    ``doc`` as it is now (or a snapshot taken since its last change).
    """
    for _step in apply_steps(doc, plan):
        pass
    return plan.report


def apply_steps(doc: Document, plan: ImportPlan) -> Generator[tuple[int, int], None, None]:
    """Apply ``plan`` like :func:`apply_import`, a change at a time: yields (done, total).

    For a window that applies a big workbook a slice at a time between events. The changes
    become one undo step when the generator is exhausted; closing it before that (a
    cancel) takes back everything it applied. Meanwhile the document is in a transaction.
    """
    report = plan.report
    if report.problems or not plan.changes or report.applied:
        return
    updates = [c for c in plan.changes if c.kind == "update"]
    additions = [c for c in plan.changes if c.kind == "add"]
    deletions = [c for c in plan.changes if c.kind == "delete"]
    total = len(updates) + len(additions) + (1 if deletions else 0)  # deletions: one step
    added: list[str] = []
    current: _Change | None = None
    try:
        with doc.transaction(f"Import tables from {report.path.name}"):
            for done, change in enumerate(updates, start=1):
                current = change
                doc.update(change.record_id, **change.fields)
                yield done, total
            done = len(updates)
            for start in range(0, len(additions), _ADD_BATCH):
                batch = additions[start : start + _ADD_BATCH]
                records = []
                for change in batch:
                    current = change
                    records.append(_new_record(change))
                try:
                    added += [record.id for record in doc.add_all(records)]
                except ModelError:  # nothing of the batch was added: find the refused row
                    for change, record in zip(batch, records, strict=True):
                        current = change
                        added.append(doc.add(record).id)
                done += len(batch)
                yield done, total
            gone = [c.record_id for c in deletions if c.record_id in doc]  # not cascaded away
            if gone:
                current = deletions[0]
                before = {record.id: record for record in doc.records()}
                doc.remove(*gone)
                report.lost_references = _lost_references(doc, before, gone)
                yield total, total
    except (ModelError, TypeError) as error:
        report.problems.append(
            ImportProblem(
                current.sheet if current else "",
                current.row if current else None,
                None,
                str(error),
            )
        )
        report.lost_references = []
        return
    report.added = added
    report.applied = True


#: How many new records :func:`apply_steps` adds in one go (one event for the tables).
_ADD_BATCH = 500


def _new_record(change: _Change) -> Any:
    fields = {name: value for name, value in change.fields.items() if value is not None}
    return _RECORD_CLASS[change.table](**fields)


def _lost_references(doc: Document, before: dict[str, Any], gone: list[str]) -> list[str]:
    """One sentence per deleted record naming the records that referred to it and still exist."""
    specs = {spec.key: spec for spec in RECORD_TABLES}
    losers: dict[str, list[str]] = {record_id: [] for record_id in gone}
    for record in doc.records():
        old = before.get(record.id)
        table = doc.table_of(record.id)
        if old is None or old == record or table not in specs:
            continue
        referred = {
            ref
            for column in specs[table].columns
            if column.editable and column.refers_to
            for ref in reference_ids(column, getattr(old, column.field or ""))
        }
        for record_id in gone:
            if record_id in referred:
                losers[record_id].append(record.id)
    sentences = []
    for record_id, ids in losers.items():
        if not ids:
            continue
        tables = {doc.table_of(i) or "" for i in ids}
        noun = _NOUN.get(tables.pop(), "record") if len(tables) == 1 else "record"
        if len(ids) == 1:
            what = f"1 {noun} lost its reference"
        else:
            what = f"{len(ids)} {_plural(noun)} lost their reference"
        sentences.append(f"{record_id} deleted; {what} to it: {', '.join(ids)}.")
    return sentences


def _plural(noun: str) -> str:
    return f"{noun}es" if noun.endswith("s") else f"{noun}s"


def import_workbook(
    doc: Document, path: str | Path, *, limits: ImportLimits = DEFAULT_LIMITS
) -> ImportReport:
    """Import the edits of a workbook made by :func:`export_workbook` into ``doc``.

    Returns an :class:`ImportReport`. When it has problems, nothing was changed; otherwise
    every change was applied as one undo step labelled "Import tables from <file>".
    """
    return apply_import(doc, plan_import(doc, path, limits=limits))
