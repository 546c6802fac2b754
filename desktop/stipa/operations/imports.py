"""Importing other tools' files: choose the importer, load all or nothing, lay out, report.

One operation for ``stipa import``, File > Import… and opening a foreign file directly: the
importer a plugin declares (``stipa_importers``) reads the file; components the file gives no
position are arranged; the report says what was counted, inferred and not carried over.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from stipa.diagram.components import caption_of, component_size
from stipa.io import FileFormatError
from stipa.model import TABLES, Document, LayoutRecord, LinkKind, NodeLayout
from stipa.plugin import Imported, Importer, ImportNote, ImportReport, PluginHost

#: The gaps of the arrangement of components without positions, in scene units: between
#: boxes in a row, between rows, and around children inside their parent.
_GAP_X, _GAP_Y, _PAD = 60.0, 110.0, 20.0


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
    document. Components the file gives no position are arranged, and the report says so.
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
    layouts: list[LayoutRecord] = [
        *doc.node_layout.values(),
        *doc.link_layout.values(),
        *arrange(doc, missing),
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
        f"{len(missing)} components had no position in the file and were arranged automatically.",
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


def arrange(doc: Document, components: Iterable[str]) -> list[NodeLayout]:
    """Positions for ``components``: rows by level, children inside parents, no overlaps.

    Top-level components go in rows: by their ``level`` where the file gave one (PASTA's
    ``hierarchyLevel``), else by control depth (a component nobody controls is on the top row,
    each control action puts its target a row lower; cycles are cut at the first repeat).
    A component with children is sized to hold them side by side below its own text. Boxes
    are as large as their text needs (``stipa.diagram``). This simple deterministic
    arrangement stands in until the layout engine's ``auto_layout`` is available.
    """
    wanted = set(components)
    kids: dict[str, list[str]] = defaultdict(list)
    for component in doc.components.values():
        if component.parent in wanted and component.id in wanted:
            kids[component.parent].append(component.id)
    tops = [
        cid for cid in doc.components if cid in wanted and doc.components[cid].parent not in wanted
    ]
    depth = _control_depth(doc)
    sizes: dict[str, tuple[float, float]] = {}

    def size(cid: str) -> tuple[float, float]:
        component = doc.components[cid]
        width, height = component_size(caption_of(component), component.name)
        if kids[cid]:
            inner = [size(child) for child in kids[cid]]
            width = max(width, sum(w for w, _ in inner) + _PAD * (len(inner) + 1))
            height = height + max(h for _, h in inner) + _PAD
        sizes[cid] = (width, height)
        return sizes[cid]

    def row_of(cid: str) -> int:
        level = doc.components[cid].level
        if level is not None:
            return level
        below = [depth.get(cid, 0), *(row_of(child) for child in kids[cid])]
        return min(below)

    rows: dict[int, list[str]] = defaultdict(list)
    for cid in tops:
        size(cid)
        rows[row_of(cid)].append(cid)
    placed: list[NodeLayout] = []

    def place(cid: str, x: float, y: float) -> None:
        width, height = sizes[cid]
        placed.append(NodeLayout(id=cid, x=x, y=y, width=width, height=height))
        if kids[cid]:
            component = doc.components[cid]
            own_height = component_size(caption_of(component), component.name)[1]
            left = x + _PAD
            for child in kids[cid]:
                place(child, left, y + own_height)
                left += sizes[child][0] + _PAD

    y = 0.0
    for row in sorted(rows):
        x = 0.0
        for cid in rows[row]:
            place(cid, x, y)
            x += sizes[cid][0] + _GAP_X
        y += max(sizes[cid][1] for cid in rows[row]) + _GAP_Y
    return placed


def _control_depth(doc: Document) -> dict[str, int]:
    """Each component's shortest distance in control actions from one nobody controls."""
    targets: dict[str, list[str]] = defaultdict(list)
    controlled: set[str] = set()
    for link in doc.links.values():
        if link.kind == LinkKind.CONTROL_ACTION:
            targets[link.source].append(link.target)
            controlled.add(link.target)
    frontier = [cid for cid in doc.components if cid not in controlled] or list(doc.components)[:1]
    depth = dict.fromkeys(frontier, 0)
    while frontier:  # breadth first: each component gets its shortest depth, cycles end
        following = []
        for cid in frontier:
            for target in targets[cid]:
                if target not in depth:
                    depth[target] = depth[cid] + 1
                    following.append(target)
        frontier = following
    return depth


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
    "arrange",
    "can_import",
    "count_records",
    "import_file",
    "importer_for",
    "importers",
    "report_text",
    "write_report",
]
