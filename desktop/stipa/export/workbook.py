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
model refuses, a conflict. When anything is refused nothing is applied; otherwise every change
is applied as ONE undoable transaction.

No Qt here; openpyxl is the only dependency.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
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
    "DELETE_HEADER",
    "README_SHEET",
    "REVISION_HEADER",
    "ImportProblem",
    "ImportReport",
    "export_workbook",
    "import_workbook",
]

#: The column that marks a row for deletion.
DELETE_HEADER = "Delete"
#: The column holding each row's fingerprint as exported.
REVISION_HEADER = "Revision"
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
    ``added``, ``updated`` and ``deleted`` list record ids (planned when refused).
    """

    path: Path
    problems: list[ImportProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
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
        return (
            f"Imported from {self.path.name}: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.deleted)} deleted."
        )


# --- export -------------------------------------------------------------------------------------


def _put(cell: Cell, text: str) -> None:
    cell.value = text
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
    "References are IDs separated by commas (H-4.1, H-4.2). Conditions are one "
    "'variable-id=value' per line. RACI is 'component-id:role' (responsible, accountable, "
    "consulted, informed).",
    "If anything is refused (unknown ID, broken reference, invalid value), nothing is "
    "imported; otherwise all changes form one undoable step.",
)


def export_workbook(doc: DocumentView, path: str | Path) -> Path:
    """Write every STPA table of ``doc`` to one XLSX workbook at ``path`` (atomically).

    Returns the path written. Raises OSError when the file cannot be written.
    """
    path = Path(path)
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    for table in document_tables(doc):
        _write_table(workbook.create_sheet(table.sheet), table)
    readme = workbook.create_sheet(README_SHEET)
    for r, line in enumerate(_README, start=1):
        _put(readme.cell(row=r, column=1), line)
    readme.cell(row=1, column=1).font = Font(bold=True, size=13)
    readme.column_dimensions["A"].width = 110
    handle, temp = tempfile.mkstemp(prefix=".stipa-", suffix=".xlsx", dir=path.parent or ".")
    os.close(handle)
    try:
        workbook.save(temp)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


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


class _Reader:
    """Checks the sheets of one workbook against a document and plans the changes."""

    def __init__(self, doc: Document, report: ImportReport) -> None:
        self.doc = doc
        self.report = report
        self.changes: list[_Change] = []
        self.deleting: dict[str, tuple[str, int]] = {}

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.report.problems.append(ImportProblem(sheet, row, column, message))

    def read(self, sheet: Worksheet, spec: TableSpec) -> None:
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            self.report.notes.append(f"Sheet {spec.sheet!r} is empty; nothing read from it.")
            return
        headers = [_text_of(value).strip() for value in header_row]
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
        present = [(c, positions[c.header.casefold()]) for c in spec.columns if c.editable]
        present = [(c, i) for c, i in present if c.header.casefold() in positions]
        delete_at = positions.get(DELETE_HEADER.casefold())
        revision_at = positions.get(REVISION_HEADER.casefold())
        seen: dict[str, int] = {}
        for number, values in enumerate(rows, start=2):
            cells = [_text_of(v) for v in values]
            if not any(cell.strip() for cell in cells):
                continue

            def cell(index: int | None, cells: list[str] = cells) -> str:
                return cells[index] if index is not None and index < len(cells) else ""

            record_id = cell(positions["id"]).strip()
            delete = cell(delete_at).strip().casefold() in _DELETE_WORDS
            if record_id:
                if record_id in seen:
                    self.problem(
                        spec.sheet,
                        number,
                        "ID",
                        f"{record_id} appears twice (rows {seen[record_id]} and {number}).",
                    )
                    continue
                seen[record_id] = number
                if record_id not in self.doc.table(spec.key):
                    self.problem(
                        spec.sheet,
                        number,
                        "ID",
                        f"Unknown id {record_id}: no {_NOUN[spec.key]} of the document has it "
                        "(leave the ID empty to add a new one).",
                    )
                    continue
            if delete:
                if not record_id:
                    self.problem(
                        spec.sheet, number, DELETE_HEADER, "A row without an ID cannot be deleted."
                    )
                    continue
                self.deleting[record_id] = (spec.sheet, number)
                self.changes.append(_Change("delete", spec.key, spec.sheet, number, record_id))
                continue
            parsed: dict[str, Any] = {}
            for column, index in present:
                try:
                    parsed[column.field or ""] = parse_cell(column, cell(index))
                except ModelError as error:
                    self.problem(spec.sheet, number, column.header, str(error))
            if record_id:
                self._plan_update(spec, number, record_id, parsed, cell(revision_at).strip())
            else:
                self._plan_add(spec, number, parsed)

    def _plan_update(
        self, spec: TableSpec, number: int, record_id: str, parsed: dict[str, Any], revision: str
    ) -> None:
        record = self.doc.table(spec.key)[record_id]
        changed = {
            name: value
            for name, value in parsed.items()
            if name and _normal(value) != _normal(getattr(record, name))
        }
        if not changed:
            return
        if revision:
            current = record_hash(spec, format_record(self.doc, spec.key, record))
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
        doc = self.doc
        (table,) = column.refers_to
        noun = _NOUN[table]
        found = doc.control_action(ref) if table == "item" else doc.table_of(ref) == table
        ok = bool(found)
        if not ok:
            return f"{ref} is not {'an' if noun[0] in 'aeiou' else 'a'} {noun} of the document."
        if ref in self.deleting:
            sheet, row = self.deleting[ref]
            return f"{ref} is deleted by this workbook ({sheet}, row {row})."
        return None


def _normal(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return value


def import_workbook(doc: Document, path: str | Path) -> ImportReport:
    """Import the edits of a workbook made by :func:`export_workbook` into ``doc``.

    Returns an :class:`ImportReport`. When it has problems, nothing was changed; otherwise
    every change was applied as one undo step labelled "Import tables from <file>".
    """
    path = Path(path)
    report = ImportReport(path)
    try:
        workbook = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
        detail = str(error).strip() or type(error).__name__
        report.problems.append(
            ImportProblem("", None, None, f"{path.name} is not an Excel workbook ({detail}).")
        )
        return report
    except OSError as error:
        report.problems.append(
            ImportProblem("", None, None, f"Cannot read {path}: {error.strerror or error}.")
        )
        return report
    reader = _Reader(doc, report)
    names = {name.casefold(): name for name in workbook.sheetnames}
    expected = {spec.sheet.casefold() for spec in RECORD_TABLES}
    expected |= {"uca table", README_SHEET.casefold()}
    for spec in RECORD_TABLES:
        name = names.get(spec.sheet.casefold())
        if name is None:
            report.notes.append(f"No sheet {spec.sheet!r}: its records are left as they are.")
            continue
        reader.read(workbook[name], spec)
    for name in workbook.sheetnames:
        if name.casefold() not in expected:
            report.notes.append(f"Sheet {name!r} is not an STPA table; it was not read.")
    workbook.close()
    reader.check_references()
    changes = reader.changes
    report.updated = [c.record_id for c in changes if c.kind == "update"]
    report.deleted = [c.record_id for c in changes if c.kind == "delete"]
    if report.problems or not changes:
        return report
    _apply(doc, path, changes, report)
    return report


def _apply(doc: Document, path: Path, changes: list[_Change], report: ImportReport) -> None:
    order = {"update": 0, "add": 1, "delete": 2}
    added: list[str] = []
    current: _Change | None = None
    try:
        with doc.transaction(f"Import tables from {path.name}"):
            for change in sorted(changes, key=lambda c: order[c.kind]):
                current = change
                if change.kind == "update":
                    doc.update(change.record_id, **change.fields)
                elif change.kind == "add":
                    record_class = _RECORD_CLASS[change.table]
                    fields = {k: v for k, v in change.fields.items() if v is not None}
                    added.append(doc.add(record_class(**fields)).id)
            gone = [c.record_id for c in changes if c.kind == "delete"]
            gone = [record_id for record_id in gone if record_id in doc]  # not cascaded away
            if gone:
                current = next(c for c in changes if c.kind == "delete")
                doc.remove(*gone)
    except (ModelError, TypeError) as error:
        report.problems.append(
            ImportProblem(
                current.sheet if current else "",
                current.row if current else None,
                None,
                str(error),
            )
        )
        return
    report.added = added
    report.applied = True
