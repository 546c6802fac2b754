"""What plugins declare (analyses, properties, exporters, importers) and what analyses get."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stipa.model import (
    Component,
    ComponentKind,
    Finding,
    ModelError,
    Nature,
    Severity,
    Snapshot,
    StpaRecord,
    Suggestion,
)

if TYPE_CHECKING:
    import networkx as nx

    from stipa.model import Document

_ID = re.compile(r"[a-z][a-z0-9_]*([.-][a-z0-9_]+)*\Z")


class Cancelled(Exception):
    """Raised by ``AnalysisContext.check_cancelled`` when the user cancelled the run."""


#: What an analysis's ``run`` returns: findings and suggestions, as a list or a generator.
AnalysisOutput = Iterable[Finding | Suggestion] | None


@dataclass(frozen=True)
class Rule:
    """A rule an analysis checks, declared once: listed, documented and checked.

    ``stipa plugins`` and the plugins panel list the declarations; the runner refuses a
    finding or suggestion of a rule its analysis did not declare.

    Parameters
    ----------
    id
        The rule id findings carry (``Finding.rule``): ``"acme.ai-owner"``.
    title
        The rule's name, short and capitalised (``"Accountable AI owner"``): the findings
        table's Rule column, filters and reports name the rule by it. A rule declared without
        a description may say here, in one line, what it checks (as before).
    severity
        The severity of its findings unless ``context.finding(..., severity=...)`` says
        otherwise; ``None`` for a rule that only proposes suggestions, and for rules declared
        the old way (a mapping of id to text), whose findings are warnings unless they say.
    source
        Where the rule comes from (a handbook section, a paper, a policy clause); the
        ``source`` of its findings unless ``context.finding`` gives another.
    description
        What the rule checks, in one or more sentences (``"Every AI model names an
        accountable owner organisation."``): shown with the title where the whole statement
        belongs (a finding's details, ``stipa plugins``, the plugins panel, reports). Empty
        for a rule whose title says it all.
    """

    id: str
    title: str
    severity: Severity | None = Severity.WARNING
    source: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ModelError(f"Rule id {self.id!r} must be a non-empty string.")
        if not isinstance(self.description, str):
            raise ModelError(f"Rule {self.id}: the description must be a string.")
        if self.severity is not None:
            object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def statement(self) -> str:
        """What the rule checks: its description, or its title when it has none."""
        return self.description or self.title


@dataclass(frozen=True)
class Analysis:
    """An analysis a plugin provides.

    Parameters
    ----------
    id
        Globally unique, lower case, dotted: ``"acme.ai-policy"``. Findings carry it as
        their ``plugin``; re-running the analysis replaces the findings with this id.
    title
        Shown in menus, the findings panel and reports.
    run
        ``run(context) -> iterable of Finding/Suggestion``. Reads ``context.snapshot`` only;
        it runs on a worker thread, so it must not touch the GUI.
    description
        One paragraph for the plugins panel and the documentation.
    rules
        The rules it checks: :class:`Rule` declarations (the way to declare them), or, as
        before, a mapping of rule id to a one-line text (its title). Once an analysis declares
        rules, a result of any other rule is refused. Afterwards this attribute is always
        the mapping of rule id to title; :attr:`catalogue` holds the declarations.
    options
        The ``KEY=VALUE`` options ``run`` reads from ``context.options``, each with one line
        of help (as :attr:`Exporter.options`); ``stipa plugins`` and the window's Analysis
        Options dialog offer them.
    choices
        For an option with a fixed set of values: option -> its values, the default first.
    """

    id: str
    title: str
    run: Callable[[AnalysisContext], AnalysisOutput]
    description: str = ""
    rules: Mapping[str, str] | Sequence[Rule] = field(default_factory=dict)
    options: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    #: Rule id -> declaration, in declaration order (filled from ``rules``).
    catalogue: Mapping[str, Rule] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID.match(self.id):
            raise ModelError(
                f"Analysis id {self.id!r} must be lower case letters, digits and '_', "
                "joined by '.' or '-' (e.g. 'acme.ai-policy')."
            )
        if not callable(self.run):
            raise ModelError(f"Analysis {self.id}: run must be a function of the context.")
        declared: Iterable[object] = (
            [Rule(str(key), str(text), None) for key, text in self.rules.items()]
            if isinstance(self.rules, Mapping)
            else self.rules
        )
        catalogue: dict[str, Rule] = {}
        for rule in declared:
            if not isinstance(rule, Rule):
                raise ModelError(
                    f"Analysis {self.id}: rules are stipa.Rule declarations, "
                    f"not {type(rule).__name__}."
                )
            if rule.id in catalogue:
                raise ModelError(f"Analysis {self.id}: rule {rule.id} is declared twice.")
            catalogue[rule.id] = rule
        object.__setattr__(self, "catalogue", catalogue)
        object.__setattr__(self, "rules", {key: rule.title for key, rule in catalogue.items()})
        for option, values in self.choices.items():
            if option not in self.options or isinstance(values, str) or not values:
                raise ModelError(
                    f"Analysis {self.id}: choices of {option!r} must be a non-empty list of "
                    "values of a declared option."
                )
        object.__setattr__(self, "options", dict(self.options))
        object.__setattr__(
            self, "choices", {key: tuple(map(str, values)) for key, values in self.choices.items()}
        )


class AnalysisContext:
    """What an analysis run gets: the frozen snapshot, helpers, progress and cancellation."""

    def __init__(
        self,
        analysis_id: str,
        snapshot: Snapshot,
        options: Mapping[str, str] | None = None,
        cancel: threading.Event | None = None,
        progress: Callable[[float, str], None] | None = None,
        rules: Mapping[str, Rule] | None = None,
    ) -> None:
        self.analysis_id = analysis_id
        #: The rules the analysis declared (``Analysis.catalogue``), by id.
        self.rules: Mapping[str, Rule] = dict(rules or {})
        #: The document as it was when the run started; read-only.
        self.snapshot = snapshot
        #: Options the user or the command line gave (``--option key=value``).
        self.options: Mapping[str, str] = dict(options or {})
        self._cancel = cancel or threading.Event()
        self._progress = progress
        self._graph: nx.MultiDiGraph | None = None

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The control structure as a networkx ``MultiDiGraph`` (built once per run).

        Nodes carry ``record``, ``name``, ``kind``, ``nature``, ``parent`` and ``level``; see
        :meth:`stipa.Snapshot.to_networkx`.
        """
        if self._graph is None:
            self._graph = self.snapshot.to_networkx()
        return self._graph

    @property
    def cancelled(self) -> bool:
        """Whether the user asked to stop; long analyses should check now and then."""
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled

    def progress(self, fraction: float, message: str = "") -> None:
        """Report progress between 0 and 1 (shown in the progress bar)."""
        if self._progress is not None:
            self._progress(min(1.0, max(0.0, float(fraction))), message)

    def finding(
        self,
        rule: str,
        message: str,
        targets: Sequence[str] = (),
        severity: Severity | str | None = None,
        source: str | None = None,
        data: Mapping[str, object] | None = None,
    ) -> Finding:
        """A finding of this analysis (``plugin`` is filled in).

        ``severity`` and ``source`` default to the declared rule's (else a warning without
        source).
        """
        declared = self.rules.get(rule)
        if severity is None:
            severity = (declared and declared.severity) or Severity.WARNING
        if source is None:
            source = declared.source if declared is not None else ""
        return Finding(
            plugin=self.analysis_id,
            rule=rule,
            severity=Severity(severity),
            message=message,
            targets=tuple(targets),
            source=source,
            data=tuple((str(k), str(v)) for k, v in (data or {}).items()),
        )

    def suggestion(
        self, rule: str, message: str, proposal: StpaRecord, targets: Sequence[str] = ()
    ) -> Suggestion:
        """A suggested record for the analyst to accept, edit or reject."""
        return Suggestion(
            plugin=self.analysis_id,
            rule=rule,
            message=message,
            proposal=proposal,
            targets=tuple(targets),
        )


#: Types a plugin property can have.
PROPERTY_TYPES = ("text", "number", "integer", "choice", "boolean")


@dataclass(frozen=True)
class PropertySpec:
    """A typed component property a plugin adds.

    Parameters
    ----------
    namespace
        The plugin's XML namespace URI, e.g. ``"https://acme.example/stipa/policy"``.
    name
        The property's name in that namespace (an XML name: letters, digits, ``-_.``).
    label
        What the inspector shows.
    type
        One of ``text``, ``number``, ``integer``, ``choice``, ``boolean``.
    unit
        The unit the value is stated in, e.g. ``"kW"`` or ``"h"`` (empty for none).
    choices
        The allowed values of a ``choice`` property.
    kinds, natures
        The components it applies to (empty: all).
    description
        A tooltip sentence.
    group
        The heading the inspector shows it under, with the plugin's other properties of the
        same domain (``"AI footprint"``); "Plugin properties" when empty.
    """

    namespace: str
    name: str
    label: str
    type: str = "text"
    unit: str = ""
    choices: tuple[str, ...] = ()
    kinds: tuple[ComponentKind, ...] = ()
    natures: tuple[Nature, ...] = ()
    description: str = ""
    group: str = ""

    def __post_init__(self) -> None:
        if self.type not in PROPERTY_TYPES:
            raise ModelError(
                f"Property {self.name!r}: type {self.type!r} is not one of "
                f"{', '.join(PROPERTY_TYPES)}."
            )
        if not self.namespace:
            raise ModelError(f"Property {self.name!r} needs the plugin's namespace URI.")
        if self.type == "choice" and not self.choices:
            raise ModelError(f"Property {self.name!r} is a choice but lists no choices.")
        object.__setattr__(self, "kinds", tuple(ComponentKind(k) for k in self.kinds))
        object.__setattr__(self, "natures", tuple(Nature(n) for n in self.natures))

    def applies_to(self, component: Component) -> bool:
        """Whether components like ``component`` have this property."""
        return (not self.kinds or component.kind in self.kinds) and (
            not self.natures or component.nature in self.natures
        )

    def parse(self, text: str) -> str:
        """``text`` checked against the type and normalised for storage; raises ModelError."""
        value = text.strip()
        if value == "":
            return ""
        try:
            if self.type == "number":
                number = float(value)
                if number != number or number in (float("inf"), float("-inf")):
                    raise ValueError
                return repr(number).removesuffix(".0")
            if self.type == "integer":
                return str(int(value))
        except ValueError:
            kind = "a number" if self.type == "number" else "a whole number"
            raise ModelError(f"{self.label} must be {kind}, not {text!r}.") from None
        if self.type == "boolean":
            truth = {"true": "true", "yes": "true", "1": "true"}
            falsity = {"false": "false", "no": "false", "0": "false"}
            lowered = value.lower()
            if lowered not in truth | falsity:
                raise ModelError(f"{self.label} must be yes or no, not {text!r}.")
            return {**truth, **falsity}[lowered]
        if self.type == "choice" and value not in self.choices:
            raise ModelError(
                f"{self.label} must be one of {', '.join(self.choices)}, not {text!r}."
            )
        return value


@dataclass(frozen=True)
class Exporter:
    """An export format a plugin writes: ``export(snapshot, path, options)``.

    ``options`` names the ``KEY=VALUE`` options ``export`` understands, each with one line
    of help; ``stipa export --option`` and the export dialog offer them, and refuse others.
    ``export`` raises ``stipa.export.ExportError`` with one sentence for options or input it
    cannot use.
    """

    id: str
    title: str
    extensions: tuple[str, ...]
    export: Callable[[Snapshot, Path, Mapping[str, str]], None]
    description: str = ""
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportNote:
    """One thing an import inferred or could not carry over, and where in the source it is.

    ``where`` is a line (``"model.stpa:12"``) or an element path (``"cac/controlaction[2]"``);
    ``kind`` says what the element was (``"DCA"``, ``"input"``, ``"position"``).
    """

    kind: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def to_json(self) -> dict[str, str]:
        """The note as a JSON object."""
        return {"kind": self.kind, "where": self.where, "message": self.message}


@dataclass(frozen=True)
class ImportReport:
    """What an import brought in: counts per kind, what was inferred, what was not carried over.

    ``counts`` maps a kind (``"components"``, ``"control_actions"``, ``"ucas_provided"``...)
    to how many the source held and the document now holds. ``not_carried`` lists what has no
    home in Stipa's model; the importer keeps each in its own XML namespace of the document
    (saved untouched), so nothing is dropped silently.
    """

    source: str
    format: str
    counts: Mapping[str, int] = field(default_factory=dict)
    inferred: tuple[ImportNote, ...] = ()
    not_carried: tuple[ImportNote, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The report as plain JSON data (``stipa import --report``)."""
        return {
            "source": self.source,
            "format": self.format,
            "counts": dict(self.counts),
            "inferred": [note.to_json() for note in self.inferred],
            "not_carried": [note.to_json() for note in self.not_carried],
        }


@dataclass(frozen=True)
class Imported:
    """What an importer's ``load`` may return instead of a bare document: it and its report."""

    document: Document
    report: ImportReport


@dataclass(frozen=True)
class Importer:
    """A file format a plugin reads: ``load(path)`` gives a ``Document`` or an ``Imported``.

    ``load`` raises ``stipa.FileFormatError`` with one clear problem for a file it cannot
    read, and returns nothing partial: an import is all or nothing. Returning an
    :class:`Imported` adds the report of what was inferred and not carried over; for a bare
    document the report only counts its records.
    """

    id: str
    title: str
    extensions: tuple[str, ...]
    load: Callable[[Path], Document | Imported]
    description: str = ""


#: The kinds of view a plugin may contribute, each with the data its ``compute`` returns: the
#: contract between the plugin that computes the data and the window that draws it. The
#: built-in responsibility plugin's ``responsibility_matrix``, ``human_roles`` and
#: ``accountability_chain`` document each shape in full.
VIEW_KINDS: Mapping[str, str] = {
    "responsibility_matrix": (
        "compute(view) -> {'rows': [{'id', 'name', ...}], 'columns': [{'id', 'text', "
        "'assigned'}], 'cells': {row id: {column id: {'label', 'roles', "
        "'responsibilities'}}}}: controllers by system-level constraints with R/A/C/I"
    ),
    "human_roles": (
        "compute(view) -> [{'id', 'name', 'role', 'responsibilities', 'control_actions', "
        "'feedback_from', 'means', 'missing', ...}]: per person, the responsibility carried "
        "against the control and feedback held"
    ),
    "accountability_chain": (
        "compute(view, loss_id) -> a tree of {'id', 'type', 'label', 'holds', 'break', "
        "'link', 'repeat', 'children'}, the root with 'highlight' and 'breaks': a loss traced "
        "through hazards, constraints and responsibilities to who answers for it"
    ),
}


@dataclass(frozen=True)
class PluginView:
    """Data a plugin computes from the document for a view of the desktop application.

    Parameters
    ----------
    id
        Globally unique, like an analysis id: ``"acme.raci.matrix"``.
    title
        Shown in menus and window titles.
    kind
        One of :data:`VIEW_KINDS`: which view shows the data, and so what ``compute`` returns.
    compute
        ``compute(view, *arguments)``, reading the :class:`stipa.DocumentView` only and
        returning plain data (dicts, lists, strings) in the shape its kind documents. It is
        called on the GUI thread after edits, so it must be quick and must not change anything.
    description
        One paragraph for the plugins panel and the documentation.
    """

    id: str
    title: str
    kind: str
    compute: Callable[..., Any]
    description: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID.match(self.id):
            raise ModelError(
                f"View id {self.id!r} must be lower case letters, digits and '_', "
                "joined by '.' or '-' (e.g. 'acme.raci.matrix')."
            )
        if self.kind not in VIEW_KINDS:
            raise ModelError(
                f"View {self.id}: kind {self.kind!r} is not one of {', '.join(VIEW_KINDS)}."
            )
        if not callable(self.compute):
            raise ModelError(f"View {self.id}: compute must be a function of the document.")


__all__ = [
    "PROPERTY_TYPES",
    "VIEW_KINDS",
    "Analysis",
    "AnalysisContext",
    "AnalysisOutput",
    "Cancelled",
    "Exporter",
    "ImportNote",
    "ImportReport",
    "Imported",
    "Importer",
    "PluginView",
    "PropertySpec",
    "Rule",
]
