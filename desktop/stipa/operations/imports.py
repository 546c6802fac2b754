"""Importing other tools' files: choose the importer, load all or nothing, lay out, report.

One operation for ``stipa import``, File > Import… and opening a foreign file directly: the
importer a plugin declares (``stipa_importers``) reads the file; components the file gives no
position are laid out automatically; the report says what was counted, inferred and not
carried over.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from stipa.diagram.layout import label_places, layout_document
from stipa.io import FileFormatError
from stipa.model import TABLES, Document, LayoutRecord, LinkKind, NodeLayout
from stipa.plugin import Imported, Importer, ImportNote, ImportReport, PluginHost


def importers(host: PluginHost) -> list[Importer]:
    """The importers the plugins declare, in menu order (by title)."""
    return sorted(host.importers.values(), key=lambda importer: importer.title.lower())


def importer_for(host: PluginHost, path: Path, format_id: str | None = None) -> Importer:
    """The importer of ``format_id``, or the one reading ``path``'s extension.

    Raises
    ------
    FileFormatError
        When no importer has that id or reads that extension.
    """
    if format_id:
        found = host.importers.get(format_id)
        if found is None:
            known = ", ".join(sorted(host.importers)) or "none"
            raise FileFormatError.single(
                str(path), f"There is no import format {format_id!r} (known: {known})."
            )
        return found
    name = path.name.lower()
    for importer in importers(host):
        if any(name.endswith(extension.lower()) for extension in importer.extensions):
            return importer
    raise FileFormatError.single(
        str(path),
        f"No importer reads {path.suffix or 'files without an extension'}; choose a format.",
    )


def can_import(host: PluginHost, path: Path) -> bool:
    """Whether some importer reads files named like ``path``."""
    try:
        importer_for(host, path)
    except FileFormatError:
        return False
    return True


def import_file(host: PluginHost, path: Path, format_id: str | None = None) -> Imported:
    """Import ``path`` as a new document without undo history, and its report.

    All or nothing: any failure of the importer becomes one :class:`FileFormatError` and no
    document. Components the file gives no position are laid out automatically (the layout
    engine of Arrange > Auto Layout), and the report says so.
    """
    path = Path(path)
    importer = importer_for(host, path, format_id)
    try:
        result = importer.load(path)
    except FileFormatError:
        raise
    except OSError as error:
        reason = error.strerror or str(error)
        raise FileFormatError.single(str(path), f"The file cannot be read: {reason}.") from None
    except Exception as error:  # a plugin's bug must not leave half a document
        raise FileFormatError.single(
            str(path), f"The {importer.title} importer failed: {error}"
        ) from error
    if isinstance(result, Document):
        result = Imported(result, ImportReport(str(path), importer.id, count_records(result)))
    return _arranged(result)


def count_records(doc: Document) -> dict[str, int]:
    """The report's counts of what ``doc`` holds (for importers that give no report)."""
    counts: Counter[str] = Counter()
    counts["components"] = len(doc.components)
    for link in doc.links.values():
        noun = {LinkKind.CONTROL_ACTION: "control", LinkKind.FEEDBACK: "feedback"}.get(
            link.kind, "information"
        )
        counts[f"{noun}_arrows"] += 1
        counts["control_actions" if noun == "control" else noun] += len(link.items)
    counts["losses"] = len(doc.losses)
    counts["hazards"] = sum(1 for h in doc.hazards.values() if h.parent is None)
    counts["sub_hazards"] = len(doc.hazards) - counts["hazards"]
    counts["constraints"] = len(doc.constraints)
    counts["responsibilities"] = len(doc.responsibilities)
    for uca in doc.ucas.values():
        counts[f"ucas_{uca.type.value}"] += 1
    counts["controller_constraints"] = len(doc.controller_constraints)
    counts["scenarios"] = len(doc.scenarios)
    counts["context_rules"] = len(doc.context_rules)
    return {kind: count for kind, count in sorted(counts.items()) if count}


def _arranged(imported: Imported) -> Imported:
    """``imported`` with every component that has no position placed, and the report noting it."""
    doc = imported.document
    missing = [cid for cid in doc.components if cid not in doc.node_layout]
    if not missing:
        return imported
    # the automatic layout by control authority, with what the file placed kept as it is
    boxes = layout_document(doc, None if len(missing) == len(doc.components) else missing)
    layouts: list[LayoutRecord] = [
        *(layout for cid, layout in doc.node_layout.items() if cid not in boxes),
        *(
            NodeLayout(id=cid, x=box.x, y=box.y, width=box.width, height=box.height)
            for cid, box in boxes.items()
        ),
        *label_places(doc, boxes).values(),
    ]
    records = [record for table in TABLES for record in doc.table(table.name).values()]
    rebuilt, problems = Document.assemble(records, layouts, doc.info)
    if problems:  # cannot happen for a document that was valid before
        raise FileFormatError.single(imported.report.source, problems[0].message)
    rebuilt.extensions = doc.extensions
    report = imported.report
    note = ImportNote(
        "position",
        Path(report.source).name,
        f"{len(missing)} components had no position in the file and were laid out "
        "automatically (by control authority, as Arrange > Auto Layout does).",
    )
    return Imported(
        rebuilt,
        ImportReport(
            report.source,
            report.format,
            report.counts,
            (*report.inferred, note),
            report.not_carried,
        ),
    )


def report_text(report: ImportReport) -> str:
    """The report as lines of text (``stipa import`` prints it; the GUI shows it)."""
    lines = [f"Imported {report.source} ({report.format})", "", "Counts:"]
    lines += [f"  {kind.replace('_', ' ')}: {count}" for kind, count in report.counts.items()]
    for title, notes in (("Inferred", report.inferred), ("Not carried over", report.not_carried)):
        lines += ["", f"{title} ({len(notes)}):"]
        lines += [f"  {note}" for note in notes] or ["  nothing"]
    return "\n".join(lines)


def write_report(report: ImportReport, path: Path) -> None:
    """Write the report as JSON to ``path``."""
    Path(path).write_text(
        json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


__all__ = [
    "can_import",
    "count_records",
    "import_file",
    "importer_for",
    "importers",
    "report_text",
    "write_report",
]
