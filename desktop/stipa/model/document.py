"""The document: every record of an analysis, the one API that changes them, and undo."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from stipa.model.commands import (
    Command,
    Event,
    HistoryChanged,
    Put,
    RecordAdded,
    RecordChanged,
    RecordRemoved,
    RecordsAdded,
)
from stipa.model.errors import ModelError
from stipa.model.integrity import (
    ID_PATTERN,
    Problem,
    document_problems,
    nested_ids,
    record_problems,
    update_problems,
)
from stipa.model.records import (
    ITEM_PREFIX,
    LAYOUT_TABLES,
    TABLE_OF,
    TABLES,
    VARIABLE_PREFIX,
    Component,
    ContextRule,
    ControllerConstraint,
    DocumentInfo,
    Finding,
    Hazard,
    LayoutRecord,
    Link,
    LinkLayout,
    LossScenario,
    NodeLayout,
    Record,
    Responsibility,
    SafetyRequirement,
    Suggestion,
    SystemConstraint,
    UnsafeControlAction,
)
from stipa.model.snapshot import Snapshot
from stipa.model.view import INFO, ITEM, VARIABLE, DocumentView

Listener = Callable[[Event], None]
#: Table of each class of semantic record (not layouts), for ``assemble``.
_RECORD_TABLES = {table.record_class: table.name for table in TABLES}
_ID = attrgetter("id")
#: Removal order: what depends on others goes first, so undo re-adds in dependency order.
_REMOVAL_ORDER = (
    "findings",
    "suggestions",
    "requirements",
    "scenarios",
    "controller_constraints",
    "context_rules",
    "ucas",
    "responsibilities",
    "constraints",
    "hazards",
    "losses",
    "link_layout",
    "links",
    "node_layout",
    "components",
)


class Document(DocumentView):
    """An STPA analysis: control structure, STPA records, findings and diagram layout.

    Read it through the mappings of :class:`DocumentView` (``components``, ``hazards``,
    ...). Change it only through ``add``, ``update``, ``remove``, ``move``, ``set_layout``
    and ``set_info``: each validates first and raises :class:`ModelError` without changing
    anything when the edit breaks a rule; each is one undo step, unless grouped by
    ``transaction``.

    Examples
    --------
    >>> doc = Document()
    >>> crew = doc.add(Component(name="Flight crew", nature="human"))
    >>> doc.undo()
    >>> len(doc.components)
    0
    """

    def __init__(self) -> None:
        self._tables = {table.name: {} for table in TABLES + LAYOUT_TABLES}
        self._tables[INFO] = {INFO: DocumentInfo()}
        self._where = {}
        self._owner = {}
        #: Highest number used per id prefix; None until first needed (loading skips it).
        self._counters: dict[str, int] | None = {}
        self._history: list[Command] = []
        self._position = 0
        self._saved_position: int | None = 0
        self._pending: list[Put] | None = None
        self._listeners: list[Listener] = []
        #: Foreign XML elements of plugins not installed, kept verbatim by ``stipa.io``.
        self.extensions: tuple[str, ...] = ()

    # --- building from a file ------------------------------------------------------------
    @classmethod
    def assemble(
        cls,
        records: Iterable[Record],
        layouts: Iterable[LayoutRecord] = (),
        info: DocumentInfo | None = None,
        *,
        schema_valid: bool = False,
    ) -> tuple[Document, list[Problem]]:
        """Build a document from loaded records, without undo history.

        Returns the document and every problem found (duplicate ids, dangling references,
        invalid values); a caller that gets problems should refuse the document.

        ``schema_valid`` says the records were read from a file that passed the schema (as
        ``stipa.io`` does): the checks of id syntax and text it guarantees are skipped, every
        reference and domain rule still runs (see ``stipa.model.integrity``).
        """
        records = list(records)
        doc = cls()
        problems: list[Problem] = []
        if not doc._index_all(records):  # an id used twice, or not a record: one at a time
            doc = cls()
            problems = doc._index_each(records)
        doc._counters = None  # counted on the first new id, not for every loaded one
        tables = doc._tables
        for layout in layouts:
            name = TABLE_OF[type(layout)].name
            if layout.id in tables[name]:
                problems.append(Problem(layout.id, f"{layout.id} has two layouts."))
            tables[name][layout.id] = layout
        if info is not None:
            tables[INFO][INFO] = info
        if not schema_valid:  # the schema allows only valid ids
            for record_id in [*doc._where, *tables["node_layout"]]:
                if not ID_PATTERN.match(record_id):
                    problems.append(Problem(record_id, f"{record_id!r} is not a valid id."))
        problems.extend(document_problems(doc, schema_valid=schema_valid))
        return doc, problems

    def _index_all(self, records: list[Any]) -> bool:
        """Put ``records`` in their tables and index them, run by run of one class.

        The fast path of ``assemble``: dictionary updates instead of a loop per record.
        Returns False, leaving a partly filled document, when a record is of no table or an id
        occurs twice (then the counts differ); ``_index_each`` then says which.
        """
        tables, where, owner = self._tables, self._where, self._owner
        count = 0
        for kind, run in itertools.groupby(records, type):
            name = _RECORD_TABLES.get(kind)
            if name is None:
                return False
            group = list(run)
            ids = list(map(_ID, group))
            tables[name].update(zip(ids, group, strict=True))
            where.update(dict.fromkeys(ids, name))
            count += len(ids)
            if kind is Link or kind is Component:
                parts = "items" if kind is Link else "variables"
                owners = [r.id for r in group for _ in getattr(r, parts)]
                nested = [part.id for r in group for part in getattr(r, parts)]
                where.update(dict.fromkeys(nested, ITEM if kind is Link else VARIABLE))
                owner.update(zip(nested, owners, strict=True))
                count += len(nested)
        return len(where) == count

    def _index_each(self, records: list[Any]) -> list[Problem]:
        """Put ``records`` in their tables one by one; the problems of those that cannot be."""
        problems = []
        tables, where, owner = self._tables, self._where, self._owner
        for record in records:
            kind = type(record)
            name = _RECORD_TABLES.get(kind)
            if name is None:
                problems.append(Problem(None, f"{kind.__name__} is not a record."))
                continue
            parts = nested_ids(record)
            clash = [i for i in [record.id, *parts] if i in where]
            if len(set(parts)) != len(parts):
                clash += [i for i in parts if parts.count(i) > 1]
            if clash:
                problems.append(Problem(clash[0], f"The id {clash[0]} is used twice."))
                continue
            tables[name][record.id] = record
            where[record.id] = name
            nested = ITEM if isinstance(record, Link) else VARIABLE
            for part in parts:
                where[part] = nested
                owner[part] = record.id
        return problems

    def check(self) -> list[Problem]:
        """Every rule the document breaks; empty for any document built through the API."""
        return document_problems(self)

    def snapshot(self) -> Snapshot:
        """A frozen copy for analyses: later edits do not show in it."""
        return Snapshot(self._tables, self._where, self._owner, self.extensions)

    # --- listening -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` after every change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # --- mutation API ----------------------------------------------------------------------
    def add(self, record: Record, index: int | None = None) -> Any:
        """Add a record (at ``index`` in its table, else at the end) and return it.

        Records created with an empty id, and link items or process variables with empty
        ids, get the next free id of their kind (``C-3``, ``H-4.2``, ``CA-7``...).
        """
        put = self._append(record)
        size = len(self._tables[put.table])
        if index is None:
            index = size
        elif not 0 <= index <= size:
            raise ModelError(f"Position {index} is outside the table (0 to {size}).")
        self._run(
            f"Add {_describe(put.new)}", [Put(put.table, put.key, None, put.new, None, index)]
        )
        return put.new

    def add_all(self, records: Iterable[Record], *, skip_refused: bool = False) -> list[Any]:
        """Add records at the end of their tables as one edit; return those added.

        The bulk form of ``add``: ids are filled in and every rule is checked the same way
        (a record may refer to one added before it), the whole batch is one undo step (or
        joins the open transaction), and listeners get one ``RecordsAdded`` per run of
        records of the same table instead of an event per record. A refused record raises
        :class:`ModelError` and nothing is added, unless ``skip_refused`` leaves it out.
        """
        puts: list[Put] = []
        try:
            for record in records:
                try:
                    put = self._append(record)
                except ModelError:
                    if skip_refused:
                        continue
                    raise
                self._apply(put)  # quietly for now: the listeners hear of the batch below
                puts.append(put)
        except BaseException:
            for put in reversed(puts):
                self._apply(put.inverted())
            raise
        added = [put.new for put in puts]
        if not puts:
            return added
        failure = None
        for table, run in itertools.groupby(puts, attrgetter("table")):
            batch = tuple(put.new for put in run)
            index = len(self._tables[table]) - len(batch)  # a run ends its table for now
            error = self._tell(RecordsAdded(table, batch, index))
            failure = failure or error
        label = f"Add {_describe(added[0])}" if len(added) == 1 else f"Add {len(added)} records"
        if self._pending is not None:
            self._pending.extend(puts)
        else:
            self._push(Command(label, tuple(puts)))
        _raise(failure)
        return added

    def _append(self, record: Record) -> Put:
        """The change that adds ``record`` (its ids filled in) at the end of its table."""
        table = _table_for(record)
        if table in ("node_layout", "link_layout"):
            raise ModelError("Place components and route links with set_layout, not add.")
        record = self._with_ids(record)
        self._refuse(self._new_id_problems(record, None))
        self._refuse(record_problems(self, record))
        return Put(table, record.id, None, record, None, len(self._tables[table]))

    def update(self, record_id: str, **changes: Any) -> Any:
        """Replace fields of a record; returns the new version.

        Parts a component or link no longer holds (process variables, link items) are
        removed with everything that depended on them, as ``remove`` would.
        """
        old = self._top_level(record_id)
        if "id" in changes and changes["id"] != record_id:
            raise ModelError(f"The id of {record_id} cannot change.", record_id)
        try:
            new = old.replace(**changes)
        except (TypeError, ValueError) as error:
            raise ModelError(f"Cannot change {record_id}: {error}", record_id) from None
        new = self._with_ids(new)
        if new == old:
            return old
        self._refuse(self._new_id_problems(new, old))
        self._refuse(record_problems(self, new), record_id)
        self._refuse(update_problems(self, new), record_id)
        replace = Put(_table_for(new), record_id, old, new)
        if isinstance(new, Component | Link):  # others' records rely only on ids existing
            self._refuse(self._dependent_problems(replace), record_id)
        dropped = set(nested_ids(old)) - set(nested_ids(new))
        puts = [replace]
        puts += self._removal_plan(set(), dropped, exclude={record_id})
        self._run(f"Edit {_describe(new)}", puts)
        return new

    def remove(self, *record_ids: str) -> None:
        """Remove records, link items or process variables, and what depends on them.

        Removing a component removes its links, layout and responsibilities and the
        components inside it (``stipa.operations.hierarchy.delete_container`` can move them up
        a level instead); removing a
        control action removes its UCAs and context rules; references to removed records
        disappear from the records that keep existing. Undo puts all of it back in place.
        """
        top: set[str] = set()
        nested: set[str] = set()
        for record_id in record_ids:
            where = self._where.get(record_id)
            if where is None:
                raise ModelError(f"There is no record {record_id} to remove.", record_id)
            (nested if where in (ITEM, VARIABLE) else top).add(record_id)
        if not top and not nested:
            return
        label = f"Delete {_describe(self.get(record_ids[0]))}"
        if len(record_ids) > 1:
            label = f"Delete {len(record_ids)} elements"
        self._run(label, self._removal_plan(top, nested, exclude=set()))

    def move(self, record_id: str, index: int) -> None:
        """Move a record to position ``index`` of its table (table order is saved)."""
        record = self._top_level(record_id)
        table = self._where[record_id]
        size = len(self._tables[table])
        if not 0 <= index < size:
            raise ModelError(f"Position {index} is outside the table (0 to {size - 1}).")
        current = self.index_of(record_id)
        if current != index:
            self._run(
                f"Move {_describe(record)}", [Put(table, record_id, record, record, current, index)]
            )

    def set_layout(self, layout: LayoutRecord) -> None:
        """Place a component (``NodeLayout``) or route a link (``LinkLayout``)."""
        table = _table_for(layout)
        if table not in ("node_layout", "link_layout"):
            raise ModelError(f"{type(layout).__name__} is not a layout record.")
        self._refuse(record_problems(self, layout), layout.id)
        old = self._tables[table].get(layout.id)
        if old == layout:
            return
        index = None if old is not None else len(self._tables[table])
        what = "component" if table == "node_layout" else "link"
        self._run(f"Move {what}", [Put(table, layout.id, old, layout, index, index)])

    def set_info(self, **changes: Any) -> DocumentInfo:
        """Change title-block facts (title, version, author, organisation, description)."""
        old = self.info
        try:
            new = old.replace(**changes)
        except (TypeError, ValueError) as error:
            raise ModelError(f"Cannot change the document information: {error}") from None
        self._refuse(record_problems(self, new))
        if new != old:
            self._run("Edit document information", [Put(INFO, INFO, old, new)])
        result: DocumentInfo = new
        return result

    @contextmanager
    def transaction(self, label: str, *, amend: bool = False) -> Iterator[None]:
        """Group the edits made inside the block into one undo step named ``label``.

        If the block raises, every edit it made is rolled back and the error propagates.
        Nested transactions join the outermost one.

        With ``amend`` the edits join the last undo step instead (when there is one and
        nothing to redo), keeping its name, so one undo takes back both: for changes that
        follow from that step, such as the results of a live analysis run after an edit.
        """
        outermost = self._pending is None
        if outermost:
            self._pending = []
        assert self._pending is not None
        savepoint = len(self._pending)
        try:
            yield
        except BaseException:
            pending = self._pending
            rollback = [put.inverted() for put in reversed(pending[savepoint:])]
            del pending[savepoint:]
            if outermost:
                self._pending = None
            self._apply_all(rollback)  # the block's own error matters more than a listener's
            raise
        if outermost:
            pending = self._pending
            self._pending = None
            if pending and amend and self.can_undo and not self.can_redo:
                self._amend(tuple(pending))
            elif pending:
                self._push(Command(label, tuple(pending)))

    # --- history ---------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return self._position > 0

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return self._position < len(self._history)

    @property
    def undo_label(self) -> str:
        """What ``undo`` would undo, for the Edit menu ("" when nothing)."""
        return self._history[self._position - 1].label if self.can_undo else ""

    @property
    def redo_label(self) -> str:
        """What ``redo`` would redo ("" when nothing)."""
        return self._history[self._position].label if self.can_redo else ""

    @property
    def modified(self) -> bool:
        """Whether the document differs from the version last saved or loaded."""
        return self._position != self._saved_position

    def mark_saved(self) -> None:
        """Record that the current state is the one on disk."""
        self._saved_position = self._position
        self._emit([self._history_event()])

    def mark_unsaved(self) -> None:
        """Record that no file holds the current state (e.g. restored from a recovery copy)."""
        self._saved_position = None
        self._emit([self._history_event()])

    def undo(self) -> None:
        """Undo the last edit (does nothing when there is none)."""
        self._refuse_in_transaction("undo")
        if not self.can_undo:
            return
        self._position -= 1
        command = self._history[self._position]
        failure = self._apply_all([put.inverted() for put in reversed(command.changes)])
        self._emit([self._history_event()])
        _raise(failure)

    def redo(self) -> None:
        """Redo the last undone edit (does nothing when there is none)."""
        self._refuse_in_transaction("redo")
        if not self.can_redo:
            return
        command = self._history[self._position]
        self._position += 1
        failure = self._apply_all(list(command.changes))
        self._emit([self._history_event()])
        _raise(failure)

    # --- internals -------------------------------------------------------------------------
    def _top_level(self, record_id: str) -> Any:
        where = self._where.get(record_id)
        if where is None:
            raise ModelError(f"There is no record {record_id}.", record_id)
        if where in (ITEM, VARIABLE):
            owner = self._owner[record_id]
            raise ModelError(f"{record_id} is part of {owner}; edit {owner} instead.", record_id)
        return self._tables[where][record_id]

    @staticmethod
    def _refuse(problems: Iterable[str], record_id: str | None = None) -> None:
        for problem in problems:
            raise ModelError(problem, record_id)

    def _refuse_in_transaction(self, what: str) -> None:
        if self._pending is not None:
            raise ModelError(f"Cannot {what} while a transaction is open.")

    def _new_id_problems(self, record: Any, old: Any) -> Iterator[str]:
        ids = [record.id, *nested_ids(record)]
        own = {old.id, *nested_ids(old)} if old is not None else set()
        seen: set[str] = set()
        for record_id in ids:
            if not isinstance(record_id, str) or not ID_PATTERN.match(record_id):
                yield (
                    f"{record_id!r} is not a valid id: use a letter followed by letters, "
                    "digits, '-', '_' or '.' (at most 64 characters)."
                )
            elif record_id in seen or (record_id in self._where and record_id not in own):
                yield f"The id {record_id} is already in use."
            seen.add(record_id)

    def _next_id(self, prefix: str, reserved: set[str]) -> str:
        if self._counters is None:
            self._counters = {}
            for record_id in self._where:
                self._count(record_id)
        number = self._counters.get(prefix, 0) + 1
        while f"{prefix}{number}" in self._where or f"{prefix}{number}" in reserved:
            number += 1
        reserved.add(f"{prefix}{number}")
        return f"{prefix}{number}"

    def _with_ids(self, record: Any) -> Any:
        """``record`` with every empty id (its own and its parts') filled in."""
        reserved: set[str] = set(nested_ids(record))
        if not record.id:
            if isinstance(record, Hazard) and record.parent:
                prefix = f"{record.parent}."
            else:
                prefix = TABLE_OF[type(record)].prefix
            record = record.replace(id=self._next_id(prefix, reserved))
        if isinstance(record, Link) and any(not item.id for item in record.items):
            prefix = ITEM_PREFIX[record.kind]
            items = tuple(
                item if item.id else item.replace(id=self._next_id(prefix, reserved))
                for item in record.items
            )
            record = record.replace(items=items)
        if isinstance(record, Component) and any(not v.id for v in record.variables):
            variables = tuple(
                v if v.id else v.replace(id=self._next_id(VARIABLE_PREFIX, reserved))
                for v in record.variables
            )
            record = record.replace(variables=variables)
        return record

    def _dependent_problems(self, replace: Put) -> list[str]:
        """Rules that records referring to ``replace.new`` would break once it is in place."""
        new = replace.new
        watched = {new.id, *nested_ids(new)}
        dependents = [
            record
            for record in self.records()
            if record.id != new.id and not watched.isdisjoint(_references(record))
        ]
        if not dependents:
            return []
        self._apply(replace)  # try it out without telling anyone, then put it back
        try:
            return [problem for r in dependents for problem in record_problems(self, r)]
        finally:
            self._apply(replace.inverted())

    def _removal_plan(self, top: set[str], nested: set[str], exclude: set[str]) -> list[Put]:
        """Changes that remove ``top`` records and ``nested`` parts and all that hangs on them.

        ``exclude`` names records the caller replaces itself (an ``update`` dropping parts).
        """
        gone = set(nested)
        for record_id in top:
            gone.add(record_id)
            gone.update(nested_ids(self._tables[self._where[record_id]][record_id]))
        changed = True
        while changed:  # follow references until nothing more falls
            changed = False
            for record in self.records():
                if record.id in top or record.id in exclude:
                    continue
                if any(ref in gone for ref in _required_refs(record)) or (
                    _pruned(record, gone) is None
                ):
                    top.add(record.id)
                    gone.add(record.id)
                    gone.update(nested_ids(record))
                    changed = True
        puts: list[Put] = []
        for record in self.records():
            if record.id in top or record.id in exclude:
                continue
            pruned = _pruned(record, gone)
            if pruned is not None and pruned != record:
                puts.append(Put(self._where[record.id], record.id, record, pruned))
        removals: dict[str, set[str]] = {name: set() for name in _REMOVAL_ORDER}
        for record_id in top:
            removals[self._where[record_id]].add(record_id)
        removals["node_layout"] = top & self._tables["node_layout"].keys()
        removals["link_layout"] = top & self._tables["link_layout"].keys()
        for name in _REMOVAL_ORDER:
            if not removals[name]:
                continue
            keys = list(self._tables[name])
            positions = sorted((keys.index(key) for key in removals[name]), reverse=True)
            for position in positions:  # highest first, so earlier positions stay valid
                key = keys[position]
                puts.append(Put(name, key, self._tables[name][key], None, position, None))
        return puts

    def _run(self, label: str, puts: list[Put]) -> None:
        failure = self._apply_all(puts)
        if self._pending is not None:
            self._pending.extend(puts)
        else:
            self._push(Command(label, tuple(puts)))
        _raise(failure)

    def _push(self, command: Command) -> None:
        del self._history[self._position :]
        if self._saved_position is not None and self._saved_position > self._position:
            self._saved_position = None  # the saved state can no longer be reached
        self._history.append(command)
        self._position += 1
        self._emit([self._history_event()])

    def _amend(self, changes: tuple[Put, ...]) -> None:
        last = self._history[-1]
        self._history[-1] = Command(last.label, last.changes + changes)
        if self._saved_position == self._position:
            self._saved_position = None  # the file holds the state before these changes
        self._emit([self._history_event()])

    def _apply_all(self, puts: list[Put]) -> Exception | None:
        """Apply each change and tell listeners right after it, so they see every step.

        A failing listener stops neither the changes nor the other listeners; the first
        error is returned for the caller to raise once the document is consistent.
        """
        failure: Exception | None = None
        for put in puts:
            error = self._tell(self._apply(put))
            failure = failure or error
        return failure

    def _tell(self, event: Event) -> Exception | None:
        """Send ``event``; the first listener error is returned, not raised."""
        try:
            self._emit([event])
        except Exception as error:
            return error
        return None

    def _apply(self, put: Put) -> Event:
        table = self._tables[put.table]
        if put.old is not None and put.new is not None and put.old_index == put.new_index:
            table[put.key] = put.new
            self._unindex(put.table, put.old)
            self._index(put.table, put.new)
            return RecordChanged(put.table, put.old, put.new)
        if put.old is not None:
            del table[put.key]
            self._unindex(put.table, put.old)
        if put.new is not None:
            index = len(table) if put.new_index is None else put.new_index
            if index >= len(table):
                table[put.key] = put.new
            else:
                entries = list(table.items())
                entries.insert(index, (put.key, put.new))
                table.clear()
                table.update(entries)
            self._index(put.table, put.new)
            if put.old is not None:
                return RecordChanged(put.table, put.old, put.new, index)
            return RecordAdded(put.table, put.new, index)
        return RecordRemoved(put.table, put.old, put.old_index or 0)

    def _index(self, table: str, record: Any) -> None:
        if table in ("node_layout", "link_layout", INFO):
            return
        self._where[record.id] = table
        self._count(record.id)
        where = ITEM if isinstance(record, Link) else VARIABLE
        for nested in nested_ids(record):
            self._where[nested] = where
            self._owner[nested] = record.id
            self._count(nested)

    def _unindex(self, table: str, record: Any) -> None:
        if table in ("node_layout", "link_layout", INFO):
            return
        del self._where[record.id]
        for nested in nested_ids(record):
            del self._where[nested]
            del self._owner[nested]

    def _count(self, record_id: str) -> None:
        if self._counters is None:
            return
        prefix = record_id.rstrip("0123456789")
        if len(prefix) < len(record_id):
            number = int(record_id[len(prefix) :])
            if number > self._counters.get(prefix, 0):
                self._counters[prefix] = number

    def _history_event(self) -> HistoryChanged:
        return HistoryChanged(
            self.can_undo, self.can_redo, self.undo_label, self.redo_label, self.modified
        )

    def _emit(self, events: list[Event]) -> None:
        failure: BaseException | None = None
        for event in events:
            for listener in list(self._listeners):
                try:
                    listener(event)
                except Exception as error:  # one broken listener must not starve the rest
                    failure = failure or error
        if failure is not None:
            raise failure


def _raise(failure: Exception | None) -> None:
    if failure is not None:
        raise failure


# --- reference rules ---------------------------------------------------------------------------


def _table_for(record: object) -> str:
    table = TABLE_OF.get(type(record))
    if table is None:
        raise ModelError(f"{type(record).__name__} is not a document record.")
    return table.name


def _describe(record: object) -> str:
    name = getattr(record, "name", None) or getattr(record, "id", "")
    noun = {
        Component: "component",
        Link: "link",
        NodeLayout: "layout",
        LinkLayout: "route",
    }.get(type(record), "")
    return f"{noun} {name}".strip() if noun else str(name)


def _required_refs(record: Record) -> Iterator[str]:
    """References without which ``record`` cannot exist (it is removed with them)."""
    if isinstance(record, Link):
        yield record.source
        yield record.target
    elif isinstance(record, Component):
        if record.parent:  # contents go with their container (operations.hierarchy can lift them)
            yield record.parent
    elif isinstance(record, Hazard):
        if record.parent is not None:
            yield record.parent
    elif isinstance(record, Responsibility):
        yield record.owner
    elif isinstance(record, UnsafeControlAction):
        yield record.action
    elif isinstance(record, ContextRule):
        yield record.action
        yield from (condition.variable for condition in record.conditions)


def _list_refs(record: Record) -> Iterator[str]:
    """References that can be dropped from ``record`` while it stays (and its own parts)."""
    for name in ("losses", "hazards", "constraints", "processes", "ucas", "scenarios", "targets"):
        yield from getattr(record, name, ())
    if isinstance(record, Responsibility):
        yield from (assignment.component for assignment in record.raci)
    yield from nested_ids(record)


def _references(record: Record) -> set[str]:
    """Every id ``record`` refers to (not counting its own parts)."""
    refs = set(_required_refs(record)) | set(_list_refs(record))
    return refs - set(nested_ids(record))


def _pruned(record: Record, gone: set[str]) -> Record | None:
    """``record`` without its references to ``gone`` ids; None if nothing of it is left."""

    def keep(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(i for i in ids if i not in gone)

    if gone.isdisjoint(_list_refs(record)):
        return record

    if isinstance(record, Hazard):
        return record.replace(losses=keep(record.losses))
    if isinstance(record, SystemConstraint | UnsafeControlAction | ContextRule):
        return record.replace(hazards=keep(record.hazards))
    if isinstance(record, Responsibility):
        raci = tuple(a for a in record.raci if a.component not in gone)
        return record.replace(
            constraints=keep(record.constraints), processes=keep(record.processes), raci=raci
        )
    if isinstance(record, ControllerConstraint):
        return record.replace(ucas=keep(record.ucas))
    if isinstance(record, LossScenario):
        return record.replace(ucas=keep(record.ucas), hazards=keep(record.hazards))
    if isinstance(record, SafetyRequirement):
        return record.replace(
            scenarios=keep(record.scenarios),
            ucas=keep(record.ucas),
            hazards=keep(record.hazards),
            constraints=keep(record.constraints),
        )
    if isinstance(record, Link):
        return record.replace(items=tuple(i for i in record.items if i.id not in gone))
    if isinstance(record, Component):
        variables = tuple(v for v in record.variables if v.id not in gone)
        return record.replace(variables=variables)
    if isinstance(record, Finding | Suggestion):
        targets = keep(record.targets)
        return None if record.targets and not targets else record.replace(targets=targets)
    return record
