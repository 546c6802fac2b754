"""What a safety report holds, as plain data: the writers (HTML, Markdown, DOCX, CSV) format it.

A :class:`Report` is built once from a snapshot:

* the title block (title, version, author, organisation, date, description) and a summary;
* the control structure: components and links (with the items they carry);
* every STPA table of :mod:`stipa.export.tables` (losses, hazards, system-level constraints,
  responsibilities, UCAs and the UCA table, controller constraints, loss scenarios, context
  rules);
* the findings of the analyses with the analyst's disposition and rationale, the rules
  behind them (each rule's title, what it checks and its source), and the suggestions with
  their status;
* a traceability table: for each hazard, its losses, the constraints derived from it, the
  responsibilities refining those, the UCAs leading to it, the controller constraints derived
  from those UCAs and the loss scenarios;
* the software that made it: Stipa's version and each installed plugin's, read from the
  package metadata (no plugin is loaded for this).

Analyses and rules are named by the titles their plugins declare, their ids beside them as
references (:class:`Titles`; the installed plugins' unless the caller gives others).

Every cell is a string; bidirectional control characters in any of them are shown as
markers (:mod:`stipa.export.bidi`). No Qt, no lxml.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points

import stipa
from stipa.export.bidi import reveal_bidi_in
from stipa.export.options import ReportOptions, export_date
from stipa.export.tables import (
    ID_SEPARATOR,
    Column,
    ColumnKind,
    PlainTable,
    document_tables,
    process_model_text,
)
from stipa.model import Disposition, LinkKind, Severity, Snapshot

__all__ = [
    "INDENT",
    "PluginVersion",
    "Report",
    "Titles",
    "build_report",
    "installed_plugins",
    "installed_titles",
    "report_tables",
]

_KIND_WORDS = {
    "controller": "controller",
    "controlled_process": "controlled process",
    "actuator": "actuator",
    "sensor": "sensor",
    "external": "external",
    "boundary": "system boundary",
}
_NATURE_WORDS = {
    "human": "human",
    "organisation": "organisation",
    "regulator": "regulator",
    "software": "software",
    "ai_model": "AI model",
    "physical": "physical",
}
_LINK_WORDS = {
    LinkKind.CONTROL_ACTION: "control action",
    LinkKind.FEEDBACK: "feedback",
    LinkKind.INFORMATION: "information",
}
_DISPOSITION_WORDS = {
    Disposition.OPEN: "open",
    Disposition.ACCEPTED_RISK: "accepted risk",
    Disposition.NOT_APPLICABLE: "not applicable",
    Disposition.RESOLVED: "resolved",
}


@dataclass(frozen=True)
class PluginVersion:
    """One installed plugin: its name in ``stipa.plugins``, distribution and version."""

    name: str
    distribution: str
    version: str
    module: str


@dataclass
class Report:
    """A report's content; see the module's description."""

    title: str
    version: str
    author: str
    organisation: str
    date: str
    description: str
    summary: list[tuple[str, str]]
    structure: list[PlainTable]
    stpa: list[PlainTable]
    findings: PlainTable
    #: The rules behind the findings: what each checks and where it comes from.
    rules: PlainTable
    suggestions: PlainTable
    traceability: PlainTable
    stipa_version: str
    plugins: list[PluginVersion]
    analyses: list[tuple[str, int]]
    #: The diagram (SVG or PNG bytes), when the report has one.
    diagram: bytes | None = None
    diagram_format: str = ""
    #: Ids without a row of their own -> the row that shows them (link items -> their link,
    #: process variables -> their component).
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> list[PlainTable]:
        """Every table in report order (structure, STPA, findings, traceability)."""
        tables = [*self.structure, *self.stpa, self.findings]
        if self.rules.rows:
            tables.append(self.rules)
        if self.suggestions.rows:
            tables.append(self.suggestions)
        tables.append(self.traceability)
        return tables

    @property
    def diagram_caption(self) -> str:
        """The figure caption of the diagram."""
        return f"Control structure of {self.title}"


def _derived(key: str, header: str) -> Column:
    return Column(key, header, ColumnKind.DERIVED)


def _id(key: str = "id") -> Column:
    return Column(key, "ID", ColumnKind.ID)


def _refs(key: str, header: str, *tables: str) -> Column:
    return Column(key, header, ColumnKind.REFS, None, tables)


def _join(ids: Iterable[str]) -> str:
    return ID_SEPARATOR.join(ids)


#: What a component's name is indented with per level of containment: a visible mark, since
#: the writers strip leading white space from cells (a middle dot and an en space).
INDENT = "\u00b7\u2002"


def _containment_order(view: Snapshot) -> list[tuple[str, int]]:
    """Component ids with their depth, each container followed by what it contains."""
    children: dict[str, list[str]] = {}
    for c in view.components.values():
        children.setdefault(c.parent, []).append(c.id)
    order: list[tuple[str, int]] = []
    stack = [(cid, 0) for cid in reversed(children.get("", []))]
    while stack:
        cid, depth = stack.pop()
        order.append((cid, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(cid, [])))
    return order


def _components(view: Snapshot) -> PlainTable:
    """The components as an indented tree: each container followed by its contents."""
    rows = []
    components = view.components
    for cid, depth in _containment_order(view):
        c = components[cid]
        rows.append(
            (
                c.id,
                c.alias,
                INDENT * depth + c.name,
                c.parent,
                "" if c.level is None else str(c.level),
                _KIND_WORDS.get(c.kind.value, c.kind.value),
                _NATURE_WORDS.get(c.nature.value, c.nature.value),
                c.role,
                c.description,
                process_model_text(c),
            )
        )
    columns = (
        _id(),
        _derived("alias", "Alias"),
        _derived("name", "Name"),
        Column("parent", "Inside", ColumnKind.DERIVED, None, ("components",)),
        _derived("level", "Level"),
        _derived("kind", "STPA role"),
        _derived("nature", "Nature"),
        _derived("role", "Role"),
        _derived("description", "Description"),
        _derived("variables", "Process model"),
    )
    return PlainTable(
        "components", "Components", "Components", columns, tuple(rows), importable=False
    )


def _links(view: Snapshot) -> PlainTable:
    names = view.components
    rows = []
    for link in view.links.values():
        source, target = names.get(link.source), names.get(link.target)
        rows.append(
            (
                link.id,
                link.alias,
                _LINK_WORDS.get(link.kind, link.kind.value),
                source.name if source is not None else link.source,
                target.name if target is not None else link.target,
                "\n".join(
                    f"{item.id} ({item.alias}): {item.name}"
                    if item.alias
                    else f"{item.id}: {item.name}"
                    for item in link.items
                ),
            )
        )
    columns = (
        _id(),
        _derived("alias", "Alias"),
        _derived("kind", "Kind"),
        Column("source", "From", ColumnKind.DERIVED, None, ("components",)),
        Column("target", "To", ColumnKind.DERIVED, None, ("components",)),
        _derived("items", "Items"),
    )
    return PlainTable(
        "links", "Links", "Control actions, feedback and information", columns, tuple(rows),
        importable=False,
    )  # fmt: skip


@dataclass(frozen=True)
class Titles:
    """What analyses and their rules are called: titles by analysis id and by (analysis, rule).

    ``statements`` say what each rule checks (its description, or its title when it declares
    none) and ``sources`` where it comes from, both by (analysis, rule).
    """

    analyses: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[tuple[str, str], str] = field(default_factory=dict)
    statements: Mapping[tuple[str, str], str] = field(default_factory=dict)
    sources: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def analysis(self, analysis_id: str) -> str:
        """The title with the id as a reference: ``Hazard enumeration (stipa.hazards)``."""
        title = self.analyses.get(analysis_id, "")
        return f"{title} ({analysis_id})" if title else analysis_id

    def rule(self, analysis_id: str, rule_id: str) -> str:
        """The rule's title with its id as a reference; the id alone when no title is known."""
        title = self.rules.get((analysis_id, rule_id), "")
        return f"{title} ({rule_id})" if title and title != rule_id else rule_id


def installed_titles() -> Titles:
    """The titles the installed analyses declare (loads the plugins, as ``stipa plugins``)."""
    from stipa.plugin import PluginHost

    host = PluginHost().discover()
    declared = [(aid, rule) for aid, a in host.analyses.items() for rule in a.catalogue.values()]
    return Titles(
        {aid: analysis.title for aid, analysis in host.analyses.items()},
        {(aid, rule.id): rule.title for aid, rule in declared},
        {(aid, rule.id): rule.statement for aid, rule in declared},
        {(aid, rule.id): rule.source for aid, rule in declared if rule.source},
    )


def _findings(view: Snapshot, titles: Titles) -> PlainTable:
    rows = []
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    for finding in sorted(view.findings.values(), key=lambda f: order[f.severity]):
        rows.append(
            (
                finding.id,
                finding.severity.value,
                titles.analysis(finding.plugin),
                titles.rule(finding.plugin, finding.rule),
                finding.message,
                _join(finding.targets),
                _DISPOSITION_WORDS.get(finding.disposition, finding.disposition.value),
                finding.rationale,
            )
        )
    columns = (
        _id(),
        _derived("severity", "Severity"),
        _derived("analysis", "Analysis"),
        _derived("rule", "Rule"),
        _derived("message", "Finding"),
        _refs("targets", "Concerns"),
        _derived("disposition", "Disposition"),
        _derived("rationale", "Rationale"),
    )
    return PlainTable(
        "findings", "Findings", "Findings and their dispositions", columns, tuple(rows),
        importable=False,
    )  # fmt: skip


def _rules(view: Snapshot, titles: Titles) -> PlainTable:
    """The rules behind the findings, each once: its name, what it checks, its source."""
    found = Counter((f.plugin, f.rule) for f in view.findings.values())
    stated = {(f.plugin, f.rule): f.source for f in view.findings.values() if f.source}
    rows = [
        (
            titles.rule(*key),
            titles.analysis(key[0]),
            titles.statements.get(key, ""),
            titles.sources.get(key) or stated.get(key, ""),
            str(count),
        )
        for key, count in sorted(
            found.items(), key=lambda item: (titles.analysis(item[0][0]), titles.rule(*item[0]))
        )
    ]
    columns = (
        _derived("rule", "Rule"),
        _derived("analysis", "Analysis"),
        _derived("checks", "What it checks"),
        _derived("rule_source", "Source"),
        _derived("findings", "Findings"),
    )
    return PlainTable(
        "rules", "Rules", "Rules behind the findings", columns, tuple(rows), importable=False
    )


def _suggestions(view: Snapshot, titles: Titles) -> PlainTable:
    rows = []
    for suggestion in view.suggestions.values():
        proposal = suggestion.proposal
        text = getattr(proposal, "text", "") or getattr(proposal, "context", "")
        rows.append(
            (
                suggestion.id,
                titles.analysis(suggestion.plugin),
                suggestion.message,
                f"{type(proposal).__name__}: {text}",
                suggestion.status.value,
                suggestion.rationale,
            )
        )
    columns = (
        _id(),
        _derived("analysis", "Analysis"),
        _derived("message", "Suggestion"),
        _derived("proposal", "Proposed record"),
        _derived("status", "Status"),
        _derived("rationale", "Rationale"),
    )
    return PlainTable(
        "suggestions", "Suggestions", "Suggestions of the analyses", columns, tuple(rows),
        importable=False,
    )  # fmt: skip


def _traceability(view: Snapshot) -> PlainTable:
    """One row per hazard: what it leads to and what was derived to prevent it."""
    constraints: dict[str, list[str]] = {}
    for constraint in view.constraints.values():
        for hazard_id in constraint.hazards:
            constraints.setdefault(hazard_id, []).append(constraint.id)
    refining: dict[str, list[str]] = {}
    for responsibility in view.responsibilities.values():
        for constraint_id in responsibility.constraints:
            refining.setdefault(constraint_id, []).append(responsibility.id)
    ucas: dict[str, list[str]] = {}
    for uca in view.ucas.values():
        for hazard_id in uca.hazards:
            ucas.setdefault(hazard_id, []).append(uca.id)
    derived: dict[str, list[str]] = {}
    for controller_constraint in view.controller_constraints.values():
        for uca_id in controller_constraint.ucas:
            derived.setdefault(uca_id, []).append(controller_constraint.id)
    scenarios: dict[str, list[str]] = {}
    for scenario in view.scenarios.values():
        for hazard_id in scenario.hazards:
            scenarios.setdefault(hazard_id, []).append(scenario.id)
        for uca_id in scenario.ucas:
            for hazard_id in view.ucas[uca_id].hazards if uca_id in view.ucas else ():
                scenarios.setdefault(hazard_id, []).append(scenario.id)

    def unique(ids: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(ids))

    def answering(hazard_id: str, *traced: Iterable[str]) -> list[str]:
        """Requirements tracing to the hazard itself or to anything derived from it."""
        near = {hazard_id}.union(*traced)
        return [
            r.id
            for r in view.requirements.values()
            if not near.isdisjoint((*r.hazards, *r.constraints, *r.ucas, *r.scenarios))
        ]

    rows = []
    for hazard in view.hazards.values():
        scs = constraints.get(hazard.id, [])
        hazard_ucas = ucas.get(hazard.id, [])
        hazard_scenarios = unique(scenarios.get(hazard.id, []))
        rows.append(
            (
                hazard.id,
                hazard.text,
                _join(hazard.losses),
                _join(scs),
                _join(unique(r for sc in scs for r in refining.get(sc, []))),
                _join(hazard_ucas),
                _join(unique(cc for u in hazard_ucas for cc in derived.get(u, []))),
                _join(hazard_scenarios),
                _join(answering(hazard.id, scs, hazard_ucas, hazard_scenarios)),
            )
        )
    columns = (
        Column("hazard", "Hazard", ColumnKind.ID),
        _derived("text", "Hazard text"),
        _refs("losses", "Losses", "losses"),
        _refs("constraints", "System-level constraints", "constraints"),
        _refs("responsibilities", "Responsibilities", "responsibilities"),
        _refs("ucas", "UCAs", "ucas"),
        _refs("controller_constraints", "Controller constraints", "controller_constraints"),
        _refs("scenarios", "Loss scenarios", "scenarios"),
        _refs("requirements", "Safety requirements", "requirements"),
    )
    return PlainTable(
        "traceability", "Traceability", "Traceability from hazards", columns, tuple(rows),
        importable=False,
    )  # fmt: skip


def installed_plugins() -> list[PluginVersion]:
    """The plugins of the ``stipa.plugins`` group with their versions (none is imported)."""
    found = []
    for entry_point in sorted(entry_points(group="stipa.plugins"), key=lambda e: e.name):
        dist = getattr(entry_point, "dist", None)
        found.append(
            PluginVersion(
                entry_point.name,
                dist.name if dist is not None else "",
                dist.version if dist is not None else "",
                entry_point.value,
            )
        )
    return found


def report_tables(view: Snapshot) -> list[PlainTable]:
    """Every table a report or a CSV export holds, in order (analyses and rules by id: data)."""
    ids = Titles()
    extra = [_findings(view, ids)]
    if view.suggestions:
        extra.append(_suggestions(view, ids))
    return [_components(view), _links(view), *_stpa_tables(view), *extra, _traceability(view)]


def _stpa_tables(view: Snapshot) -> list[PlainTable]:
    """The STPA tables of a report; components have their own, indented, table."""
    return [table for table in document_tables(view) if table.key != "components"]


def build_report(
    snapshot: Snapshot, options: ReportOptions, titles: Titles | None = None
) -> Report:
    """The report's content (without the diagram, which the caller draws and adds).

    ``titles`` name the analyses and rules of the findings; the installed plugins' when None.
    """
    if titles is None:
        titles = installed_titles()
    info = snapshot.info
    findings = list(snapshot.findings.values())
    open_findings = [f for f in findings if f.disposition == Disposition.OPEN]
    by_severity = Counter(f.severity for f in open_findings)
    counts = [
        ("Components", len(snapshot.components)),
        ("Links", len(snapshot.links)),
        ("Losses", len(snapshot.losses)),
        ("Hazards", len(snapshot.hazards)),
        ("System-level constraints", len(snapshot.constraints)),
        ("Responsibilities", len(snapshot.responsibilities)),
        ("Unsafe control actions", len(snapshot.ucas)),
        ("Controller constraints", len(snapshot.controller_constraints)),
        ("Loss scenarios", len(snapshot.scenarios)),
        ("Safety requirements", len(snapshot.requirements)),
    ]
    summary = [(label, str(count)) for label, count in counts]
    summary.append(
        (
            "Findings",
            f"{len(findings)} ({len(open_findings)} open: "
            f"{by_severity[Severity.ERROR]} error, {by_severity[Severity.WARNING]} warning, "
            f"{by_severity[Severity.INFO]} info)",
        )
    )
    analyses = Counter(f.plugin for f in findings)
    aliases = {item.id: link.id for link in snapshot.links.values() for item in link.items}
    aliases.update(
        (variable.id, component.id)
        for component in snapshot.components.values()
        for variable in component.variables
    )
    stpa = _stpa_tables(snapshot)
    report = Report(
        title=options.title or info.title or "STPA analysis",
        version=info.version,
        author=info.author,
        organisation=info.organisation,
        date=export_date(options.date),
        description=info.description,
        summary=summary,
        structure=[_components(snapshot), _links(snapshot)],
        stpa=stpa,
        findings=_findings(snapshot, titles),
        rules=_rules(snapshot, titles),
        suggestions=_suggestions(snapshot, titles),
        traceability=_traceability(snapshot),
        stipa_version=stipa.__version__,
        plugins=installed_plugins(),
        analyses=sorted((titles.analysis(aid), count) for aid, count in analyses.items()),
        aliases=aliases,
    )
    return reveal_bidi_in(report)
