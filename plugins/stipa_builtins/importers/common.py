"""What every importer shares: building the records, the report, and the kept foreign data.

An importer reads its file into a :class:`Builder`: records with their original ids (``alias``),
counts per kind, what it inferred, and what has no home in Stipa's model. ``finish`` assembles
the document in one go (no undo history: an import is a new document) and keeps the facts and
elements not carried over in the importer's own XML namespace of the document, which
``.stipa`` files keep untouched, so nothing is dropped silently.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path
from typing import Any

from stipa import (
    Document,
    DocumentInfo,
    FileFormatError,
    Imported,
    ImportNote,
    ImportReport,
    NodeLayout,
    UCAType,
    UnsafeControlAction,
    canonical_extension,
)

#: The namespace of an importer's kept data: ``NAMESPACE_BASE + format id``.
NAMESPACE_BASE = "https://stipa.dev/ns/import/"

#: Count kinds of the report for each Stipa record class (UCAs are counted by type).
RECORD_KINDS = {
    "Component": "components",
    "Loss": "losses",
    "Hazard": "hazards",
    "SystemConstraint": "constraints",
    "Responsibility": "responsibilities",
    "ControllerConstraint": "controller_constraints",
    "LossScenario": "scenarios",
    "ContextRule": "context_rules",
    "SafetyRequirement": "requirements",
}


def uca_kind(uca_type: UCAType | str) -> str:
    """The report's count kind of a UCA of ``uca_type`` (``"ucas_not_provided"``...)."""
    return f"ucas_{UCAType(uca_type).value}"


class Builder:
    """Collects one import's records, layouts, counts and notes.

    Parameters
    ----------
    format_id
        The importer's id, which also names its namespace (``pasta`` ->
        ``https://stipa.dev/ns/import/pasta``).
    source
        The file imported; notes say where in it by its name.
    """

    def __init__(self, format_id: str, source: Path) -> None:
        self.format = format_id
        self.source = source
        self.name = source.name
        self.namespace = NAMESPACE_BASE + format_id
        self.records: list[Any] = []
        self.layouts: list[NodeLayout] = []
        self.counts: Counter[str] = Counter()
        self.inferred: list[ImportNote] = []
        self.not_carried: list[ImportNote] = []
        self._numbers: Counter[str] = Counter()
        self._kept = ElementTree.Element(
            self._tag("import"), {"format": format_id, "source": source.name}
        )

    def _tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}"

    def where(self, line: int | str | None) -> str:
        """A place in the source: ``file:line`` for a line, ``file: path`` for an element path."""
        if line is None or line == "":
            return self.name
        if isinstance(line, int):
            return f"{self.name}:{line}"
        return f"{self.name}: {line}"

    def new_id(self, prefix: str) -> str:
        """The next id with ``prefix`` (``"C-"`` -> ``"C-1"``, ``"C-2"``...)."""
        self._numbers[prefix] += 1
        return f"{prefix}{self._numbers[prefix]}"

    def add(self, record: Any, alias: str = "", count: str | None = None) -> Any:
        """Keep ``record`` (with its id set), count it, and give it its original id as alias."""
        if alias:
            record = dataclasses.replace(record, alias=alias)
        self.records.append(record)
        kind = count
        if kind is None:
            if isinstance(record, UnsafeControlAction):
                kind = uca_kind(record.type)
            else:
                kind = RECORD_KINDS.get(type(record).__name__)
        if kind:
            self.counts[kind] += 1
        return record

    def data(self, record_id: str, key: str, value: str) -> None:
        """Keep a fact about a record the model has no field for (``causalFactor``...)."""
        ElementTree.SubElement(
            self._kept, self._tag("data"), {"record": record_id, "key": key, "value": value}
        )

    def infer(self, kind: str, line: int | str | None, message: str) -> None:
        """Say what was inferred rather than read (an arrow's kind, positions...)."""
        self.inferred.append(ImportNote(kind, self.where(line), message))

    def keep(
        self, kind: str, line: int | str | None, message: str, text: str = "", **attributes: str
    ) -> None:
        """Keep an element with no home in the model, in the namespace, and list it."""
        where = self.where(line)
        self.not_carried.append(ImportNote(kind, where, message))
        element = ElementTree.SubElement(
            self._kept, self._tag("kept"), {"kind": kind, "where": where, **attributes}
        )
        element.text = text
        self.counts[_plural(kind)] += 1

    def place(self, component: str, x: float, y: float, width: float, height: float) -> None:
        """Where the file draws ``component`` (absolute coordinates)."""
        self.layouts.append(
            NodeLayout(id=component, x=x, y=y, width=max(width, 20.0), height=max(height, 20.0))
        )

    def finish(self, info: DocumentInfo | None = None) -> Imported:
        """The document and its report; refuses (all or nothing) a document that breaks rules.

        Raises
        ------
        FileFormatError
            When the records read do not make a valid document (a dangling reference...).
        """
        doc, problems = Document.assemble(self.records, self.layouts, info)
        if problems:
            raise FileFormatError.single(
                str(self.source),
                "The file cannot be imported: " + "; ".join(p.message for p in problems[:5]),
            )
        kept = ElementTree.tostring(self._kept, encoding="unicode")
        doc.extensions = (canonical_extension(kept, str(self.source)),)
        report = ImportReport(
            source=str(self.source),
            format=self.format,
            counts=dict(sorted(self.counts.items())),
            inferred=tuple(self.inferred),
            not_carried=tuple(self.not_carried),
        )
        return Imported(doc, report)


def _plural(kind: str) -> str:
    """The count kind of kept elements of ``kind`` (``"DCA"`` -> ``"kept_dca"``)."""
    return "kept_" + kind.lower().replace(" ", "_").replace("-", "_")


__all__ = ["NAMESPACE_BASE", "Builder", "uca_kind"]
