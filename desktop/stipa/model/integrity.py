"""The rules every record obeys: id syntax, references that resolve, values that make sense.

``record_problems`` is the single source of these rules. The document runs it before every
edit (and refuses the edit on the first problem); ``document_problems`` runs it over a whole
loaded document so every problem can be reported at once.

Each checker takes ``schema_valid``: True when the record was read from a file that passed the
schema (``stipa.io`` checks every file before it builds records). The parser and the schema
already guarantee what only concerns the syntax of such records: every id is a valid token,
every text is a string XML can hold. Those checks are skipped for them; every reference and
domain rule (empty names, dangling ids, duplicates, sensors, numbers...) still runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from stipa.model.records import (
    COORDINATE_LIMIT,
    MAX_LEVEL,
    MAX_SIZE,
    MIN_SIZE,
    STPA_TABLES,
    Component,
    ComponentKind,
    ContextRule,
    ControllerConstraint,
    Disposition,
    DocumentInfo,
    Finding,
    Hazard,
    Link,
    LinkKind,
    LinkLayout,
    Loss,
    LossScenario,
    NodeLayout,
    Responsibility,
    SafetyRequirement,
    Suggestion,
    SuggestionStatus,
    SystemConstraint,
    UCAStatus,
    UCASubtype,
    UCAType,
    UnsafeControlAction,
)
from stipa.model.view import ITEM, TABLE_NAMES, VARIABLE, DocumentView

#: Ids are XML-safe tokens such as ``C-12``, ``H-4.1`` or ``UCA-3``.
ID_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,63}\Z")
#: Property names become XML element names in the plugin's namespace.
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,63}\Z")


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: the record concerned (if any) and a sentence saying what is wrong."""

    record_id: str | None
    message: str


def nested_ids(record: object) -> list[str]:
    """Ids of the parts a record holds: a link's items, a component's process variables."""
    if isinstance(record, Link):
        return [item.id for item in record.items]
    if isinstance(record, Component):
        return [variable.id for variable in record.variables]
    return []


def connection_problem(
    view: DocumentView, kind: LinkKind | str, source: str, target: str
) -> str | None:
    """Why a link of ``kind`` from ``source`` to ``target`` may not be drawn, or None.

    The canvas asks this while a link is dragged, to grey out refused targets.
    """
    if kind.__class__ is not LinkKind:
        kind = LinkKind(kind)
    components = view.components
    src, dst = components.get(source), components.get(target)
    if src is None or dst is None:
        missing = source if src is None else target
        return f"There is no component {missing}."
    return _connection_rule(kind, source, target, src, dst)


def _connection_rule(
    kind: LinkKind, source: str, target: str, src: Component, dst: Component
) -> str | None:
    """The part of ``connection_problem`` once both ends are known to be components."""
    if source == target:
        return f"{src.name} cannot be linked to itself."
    if src.kind == ComponentKind.BOUNDARY:
        return f"{src.name} is a system boundary: it marks the system and sends nothing."
    if kind == LinkKind.CONTROL_ACTION and src.kind == ComponentKind.SENSOR:
        return f"{src.name} is a sensor: sensors send feedback, not control actions."
    if dst.kind == ComponentKind.BOUNDARY:
        return f"{dst.name} is a system boundary: it marks the system and receives nothing."
    return None


def record_problems(view: DocumentView, record: object) -> Iterator[str]:
    """Every rule ``record`` breaks against the other records of ``view``."""
    checker = _CHECKERS.get(type(record))
    if checker is None:
        yield f"{type(record).__name__} is not a document record."
        return
    yield from checker(view, record, False)


def update_problems(view: DocumentView, new: object) -> Iterator[str]:
    """Rules that records depending on ``new`` would break if it replaced its old version.

    Deleting a part cascades (see ``Document.remove``); changing one that others rely on in
    place is refused instead, so no analysis is silently lost.
    """
    if isinstance(new, Component):
        if new.kind == ComponentKind.SENSOR:
            sends = [link.id for link in view.links_of(new.id) if link.source == new.id]
            actions = [i for i in sends if view.links[i].kind == LinkKind.CONTROL_ACTION]
            if actions:
                yield (
                    f"{new.name} sends control actions ({', '.join(actions)}); a sensor "
                    "cannot, so delete or redirect them first."
                )
        domains = {variable.id: set(variable.values) for variable in new.variables}
        for rule in view.context_rules.values():
            for condition in rule.conditions:
                domain = domains.get(condition.variable)
                if domain is not None and condition.value not in domain:
                    yield (
                        f"Context rule {rule.id} uses the value {condition.value!r} of "
                        f"{new.name}'s variable; keep the value or change the rule first."
                    )
    elif isinstance(new, Link) and new.kind != LinkKind.CONTROL_ACTION:
        item_ids = {item.id for item in new.items}
        users = [r.id for r in view.ucas.values() if r.action in item_ids]
        users += [r.id for r in view.context_rules.values() if r.action in item_ids]
        if users:
            yield (
                f"Link {new.id} carries control actions that {', '.join(users)} analyse; "
                "it must stay a control action."
            )


def document_problems(view: DocumentView, *, schema_valid: bool = False) -> list[Problem]:
    """Every rule broken anywhere in ``view`` (used on load and by ``stipa validate``).

    ``schema_valid`` says the records were read from a file that passed the schema, so the
    checks of id syntax and text that it guarantees are skipped (see the module docstring).
    """
    problems: list[Problem] = []
    append = problems.append
    checkers = _CHECKERS
    for table in TABLE_NAMES:  # the semantic tables, then the layout ones
        for record in view.table(table).values():
            checker = checkers.get(type(record))
            if checker is None:
                texts = record_problems(view, record)
            else:
                texts = checker(view, record, schema_valid)
            for text in texts:
                append(Problem(record.id, text))
    return problems


# --- helpers ----------------------------------------------------------------------------------


def _bad_id(record_id: str) -> str | None:
    if not isinstance(record_id, str) or not ID_PATTERN.match(record_id):
        return (
            f"{record_id!r} is not a valid id: use a letter followed by letters, digits, "
            "'-', '_' or '.' (at most 64 characters)."
        )
    return None


def _refs(
    view: DocumentView, owner: str, field: str, ids: Iterable[str], table: str, noun: str
) -> Iterator[str]:
    table_of = view.table_of
    for ref in ids:
        if table_of(ref) != table:
            yield f"{owner} refers in {field} to {ref}, which is not {noun} of this document."


#: Characters XML 1.0 cannot hold: a document containing them could not be saved.
_UNSAVABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(owner: str, field: str, value: object) -> str | None:
    """Why ``value`` cannot be the text of ``field``, or None."""
    if not isinstance(value, str):
        return f"{owner}: {field} must be text, not {type(value).__name__}."
    if _UNSAVABLE.search(value):
        return f"{owner}: {field} contains a control character that cannot be saved."
    return None


def _required_text(owner: str, field: str, value: object, schema_valid: bool) -> str | None:
    """Like ``_text``, and the text must not be blank; a schema-valid value is a savable str."""
    if schema_valid or isinstance(value, str):
        if not value.strip():  # type: ignore[attr-defined]
            return _empty(owner, field)
        if schema_valid:
            return None
    return _text(owner, field, value)


def _empty(owner: str, field: str) -> str:
    return f"{owner}: {field} must not be empty."


def _duplicates(values: Iterable[str]) -> list[str]:
    values = list(values)
    if len(values) < 2 or len(set(values)) == len(values):
        return []
    seen: set[str] = set()
    dupes: list[str] = []
    for value in values:
        if value in seen and value not in dupes:
            dupes.append(value)
        seen.add(value)
    return dupes


# --- one checker per record class --------------------------------------------------------------
#
# Each takes the view, the record and ``schema_valid`` (see the module docstring) and yields one
# sentence per broken rule, in a fixed order. They run for every record of every loaded file:
# plain calls instead of nested generators where a check yields at most one sentence, and no
# duplicate search over fewer than two values.


def _check_component(view: DocumentView, c: Component, schema_valid: bool) -> Iterator[str]:
    if problem := _required_text(c.id, "the name", c.name, schema_valid):
        yield problem
    if not schema_valid:
        if problem := _text(c.id, "the description", c.description):
            yield problem
        if problem := _text(c.id, "the role", c.role):
            yield problem
        if problem := _text(c.id, "the alias", c.alias):
            yield problem
    if c.parent or c.level is not None:
        yield from _containment_problems(view, c)
    if c.kind == ComponentKind.BOUNDARY and c.variables:
        yield f"{c.name} is a system boundary; it has no process model (remove its variables)."
    for variable in c.variables:
        if not schema_valid and (problem := _bad_id(variable.id)):
            yield problem
        name = variable.name
        if problem := _required_text(variable.id, "the variable name", name, schema_valid):
            yield problem
        values = variable.values
        if not values:
            yield f"Process variable {name!r} of {c.name} needs at least one value."
        if any(not isinstance(v, str) or not v.strip() for v in values):
            yield f"Process variable {name!r} of {c.name} has an empty value."
        if not schema_valid:
            for value in values:
                if problem := _text(variable.id, "a value", value):
                    yield problem
        if len(values) > 1:
            for dupe in _duplicates(values):
                yield f"Process variable {name!r} of {c.name} lists {dupe!r} twice."
    if len(c.variables) > 1:
        for dupe in _duplicates(v.name for v in c.variables):
            yield f"{c.name} has two process variables named {dupe!r}."
    for prop in c.properties:
        if not prop.namespace:
            yield f"Property {prop.name!r} of {c.name} has no plugin namespace."
        if not NAME_PATTERN.match(prop.name):
            yield f"{prop.name!r} is not a valid property name (letters, digits, '-', '_', '.')."
        if not schema_valid and (problem := _text(c.id, f"property {prop.name!r}", prop.value)):
            yield problem
    if len(c.properties) > 1:
        for dupe in _duplicates(f"{p.namespace} {p.name}" for p in c.properties):
            yield f"{c.name} has the property {dupe.split(' ', 1)[1]!r} twice."


def _containment_problems(view: DocumentView, c: Component) -> Iterator[str]:
    """A component's parent must be another component, and containment must not loop."""
    level = c.level
    if level is not None and (
        level.__class__ is not int or not 0 <= level <= MAX_LEVEL  # bool is not a level
    ):
        yield f"{c.id}: the hierarchy level must be a whole number from 0 to {MAX_LEVEL}."
    parent = c.parent
    if not parent:
        return
    if not isinstance(parent, str):
        yield f"{c.id}: the parent must be a component id, not {parent!r}."
        return
    if parent == c.id:
        yield f"{c.name} cannot contain itself."
        return
    components = view.components
    if view.table_of(parent) != "components":
        yield f"{c.name} is inside {parent}, which is not a component of this document."
        return
    seen = {c.id}
    current: str = parent
    while current:
        if current == c.id:
            container = components[parent].name
            yield f"{c.name} cannot go inside {container}: {container} is inside {c.name}."
            return
        if current in seen:
            yield f"{c.name} is inside {parent}, whose containers form a loop."
            return
        seen.add(current)
        above = components.get(current)
        current = "" if above is None else above.parent


def _check_link(view: DocumentView, link: Link, schema_valid: bool) -> Iterator[str]:
    components = view.components
    source, target = link.source, link.target
    src, dst = components.get(source), components.get(target)
    if src is None or dst is None:
        end = source if src is None else target
        yield f"Link {link.id} ends at {end}, which is not a component of this document."
        return
    if problem := _connection_rule(link.kind, source, target, src, dst):
        yield problem
    items = link.items
    if schema_valid:  # the most numerous records of a loaded file: only what the schema allows
        for item in items:
            if not item.name.strip():
                yield _empty(item.id, "the name")
    else:
        if problem := _text(link.id, "the description", link.description):
            yield problem
        for item in items:
            if problem := _bad_id(item.id):
                yield problem
            if problem := _required_text(item.id, "the name", item.name, schema_valid):
                yield problem
            if problem := _text(item.id, "the description", item.description):
                yield problem
            if problem := _text(item.id, "the alias", item.alias):
                yield problem
    if len(items) > 1:
        for dupe in _duplicates([item.name for item in items]):
            yield f"Link {link.id} carries {dupe!r} twice."


def _check_loss(view: DocumentView, loss: Loss, schema_valid: bool) -> Iterator[str]:
    if not schema_valid:
        if problem := _text(loss.id, "the text", loss.text):
            yield problem
        if problem := _text(loss.id, "the description", loss.description):
            yield problem
        if problem := _text(loss.id, "the alias", loss.alias):
            yield problem


def _check_hazard(view: DocumentView, hazard: Hazard, schema_valid: bool) -> Iterator[str]:
    if not schema_valid:
        if problem := _text(hazard.id, "the text", hazard.text):
            yield problem
        if problem := _text(hazard.id, "the description", hazard.description):
            yield problem
        if problem := _text(hazard.id, "the alias", hazard.alias):
            yield problem
    if hazard.losses:
        yield from _refs(view, hazard.id, "losses", hazard.losses, "losses", "a loss")
    if hazard.parent is None:
        return
    if view.table_of(hazard.parent) != "hazards":
        yield f"{hazard.id} refines {hazard.parent}, which is not a hazard of this document."
        return
    seen = {hazard.id}
    parent: str | None = hazard.parent
    hazards = view.hazards
    while parent is not None:
        if parent in seen:
            yield f"{hazard.id} cannot refine {hazard.parent}: hazard refinement would loop."
            return
        seen.add(parent)
        ancestor = hazards.get(parent)
        parent = ancestor.parent if ancestor is not None else None


def _check_constraint(
    view: DocumentView, sc: SystemConstraint, schema_valid: bool
) -> Iterator[str]:
    if not schema_valid:
        if problem := _text(sc.id, "the text", sc.text):
            yield problem
        if problem := _text(sc.id, "the description", sc.description):
            yield problem
        if problem := _text(sc.id, "the alias", sc.alias):
            yield problem
    if sc.hazards:
        yield from _refs(view, sc.id, "hazards", sc.hazards, "hazards", "a hazard")


def _check_responsibility(
    view: DocumentView, r: Responsibility, schema_valid: bool
) -> Iterator[str]:
    if not schema_valid:
        if problem := _text(r.id, "the text", r.text):
            yield problem
        if problem := _text(r.id, "the alias", r.alias):
            yield problem
    yield from _refs(view, r.id, "owner", [r.owner], "components", "a component")
    yield from _refs(view, r.id, "constraints", r.constraints, "constraints", "a constraint")
    yield from _refs(view, r.id, "processes", r.processes, "components", "a component")
    if r.raci:
        raci = [a.component for a in r.raci]
        yield from _refs(view, r.id, "RACI", raci, "components", "a component")
        for dupe in _duplicates(raci):
            yield f"{r.id} gives {dupe} more than one RACI role."


def _check_uca(view: DocumentView, uca: UnsafeControlAction, schema_valid: bool) -> Iterator[str]:
    if view.control_action(uca.action) is None:
        yield f"{uca.id} must analyse a control action; {uca.action} is not one."
    if not schema_valid:
        if problem := _text(uca.id, "the context", uca.context):
            yield problem
        if problem := _text(uca.id, "the rationale", uca.rationale):
            yield problem
        if problem := _text(uca.id, "the alias", uca.alias):
            yield problem
    if uca.subtype and (problem := _subtype_problem(uca.id, uca.type, uca.subtype)):
        yield problem
    if uca.hazards:
        yield from _refs(view, uca.id, "hazards", uca.hazards, "hazards", "a hazard")
    if uca.status == UCAStatus.NOT_APPLICABLE and not uca.rationale.strip():
        yield f"{uca.id} is marked not applicable; say why in its rationale."


def _check_controller_constraint(
    view: DocumentView, cc: ControllerConstraint, schema_valid: bool
) -> Iterator[str]:
    if not schema_valid:
        if problem := _text(cc.id, "the text", cc.text):
            yield problem
        if problem := _text(cc.id, "the alias", cc.alias):
            yield problem
    if cc.ucas:
        yield from _refs(view, cc.id, "UCAs", cc.ucas, "ucas", "an unsafe control action")


def _check_scenario(view: DocumentView, ls: LossScenario, schema_valid: bool) -> Iterator[str]:
    if not schema_valid:
        if problem := _text(ls.id, "the text", ls.text):
            yield problem
        if problem := _text(ls.id, "the causal factor", ls.causal_factor):
            yield problem
        if problem := _text(ls.id, "the alias", ls.alias):
            yield problem
    if ls.ucas:
        yield from _refs(view, ls.id, "UCAs", ls.ucas, "ucas", "an unsafe control action")
    if ls.hazards:
        yield from _refs(view, ls.id, "hazards", ls.hazards, "hazards", "a hazard")


def _check_context_rule(view: DocumentView, rule: ContextRule, schema_valid: bool) -> Iterator[str]:
    found = view.control_action(rule.action)
    if found is None:
        yield f"{rule.id} must belong to a control action; {rule.action} is not one."
        return
    link, _item = found
    controller = view.components.get(link.source)
    if controller is None:  # a broken link (its id clashed): the link's own check says so
        return
    domains = {variable.id: variable for variable in controller.variables}
    for condition in rule.conditions:
        variable = domains.get(condition.variable)
        if variable is None:
            yield (
                f"{rule.id} uses {condition.variable}, which is not a process-model "
                f"variable of {controller.name}."
            )
        elif condition.value not in variable.values:
            yield (
                f"{rule.id} sets {variable.name} to {condition.value!r}, which is not one of "
                f"its values ({', '.join(variable.values)})."
            )
    if len(rule.conditions) > 1:
        for dupe in _duplicates(c.variable for c in rule.conditions):
            yield f"{rule.id} fixes {dupe} twice."
    if not isinstance(rule.hazardous, bool):
        yield f"{rule.id}: hazardous must be true or false."
    if rule.hazards:
        yield from _refs(view, rule.id, "hazards", rule.hazards, "hazards", "a hazard")
    if not schema_valid:
        if problem := _text(rule.id, "the rationale", rule.rationale):
            yield problem
        if problem := _text(rule.id, "the alias", rule.alias):
            yield problem
    if rule.subtype and (problem := _subtype_problem(rule.id, rule.type, rule.subtype)):
        yield problem


def _subtype_problem(owner: str, kind: UCAType, subtype: UCASubtype) -> str | None:
    """A fine type must refine the record's Handbook type (too early is a timing UCA)."""
    if subtype.type != kind:
        return (
            f"{owner}: {subtype.value.replace('_', ' ')} refines a {subtype.type} UCA, "
            f"not a {kind.value.replace('_', ' ')} one."
        )
    return None


def _check_requirement(
    view: DocumentView, sr: SafetyRequirement, schema_valid: bool
) -> Iterator[str]:
    if not schema_valid:
        if problem := _text(sr.id, "the text", sr.text):
            yield problem
        if problem := _text(sr.id, "the description", sr.description):
            yield problem
        if problem := _text(sr.id, "the alias", sr.alias):
            yield problem
    if sr.scenarios:
        yield from _refs(view, sr.id, "scenarios", sr.scenarios, "scenarios", "a loss scenario")
    if sr.ucas:
        yield from _refs(view, sr.id, "UCAs", sr.ucas, "ucas", "an unsafe control action")
    if sr.hazards:
        yield from _refs(view, sr.id, "hazards", sr.hazards, "hazards", "a hazard")
    if sr.constraints:
        yield from _refs(
            view, sr.id, "constraints", sr.constraints, "constraints", "a system constraint"
        )


def _check_finding(view: DocumentView, finding: Finding, schema_valid: bool) -> Iterator[str]:
    fid = finding.id
    if problem := _required_text(fid, "the plugin", finding.plugin, schema_valid):
        yield problem
    if problem := _required_text(fid, "the rule", finding.rule, schema_valid):
        yield problem
    if problem := _required_text(fid, "the message", finding.message, schema_valid):
        yield problem
    if not schema_valid and (problem := _text(fid, "the rationale", finding.rationale)):
        yield problem
    for target in finding.targets:
        if target not in view:
            yield f"{fid} points at {target}, which is not in this document."
    if finding.disposition != Disposition.OPEN and not finding.rationale.strip():
        yield f"{fid}: a disposition of {finding.disposition.value} needs a rationale."


def _check_suggestion(
    view: DocumentView, suggestion: Suggestion, schema_valid: bool
) -> Iterator[str]:
    stpa_classes = tuple(t.record_class for t in STPA_TABLES)
    sid = suggestion.id
    if problem := _required_text(sid, "the plugin", suggestion.plugin, schema_valid):
        yield problem
    if problem := _required_text(sid, "the rule", suggestion.rule, schema_valid):
        yield problem
    if problem := _required_text(sid, "the message", suggestion.message, schema_valid):
        yield problem
    if not schema_valid and (problem := _text(sid, "the rationale", suggestion.rationale)):
        yield problem
    if not isinstance(suggestion.proposal, stpa_classes):
        yield f"{sid} must propose an STPA record."
    for target in suggestion.targets:
        if target not in view:
            yield f"{sid} points at {target}, which is not in this document."
    if suggestion.status == SuggestionStatus.REJECTED and not suggestion.rationale.strip():
        yield f"{sid} is rejected; say why in its rationale."


def _check_coordinates(owner: str, **values: float) -> Iterator[str]:
    for name, value in values.items():
        # written so that NaN, which compares false with everything, fails too
        if not -COORDINATE_LIMIT <= value <= COORDINATE_LIMIT:
            yield (
                f"The layout of {owner} has {name} {value!r}; coordinates must lie between "
                f"{-COORDINATE_LIMIT:,.0f} and {COORDINATE_LIMIT:,.0f}."
            )


def _check_node_layout(view: DocumentView, layout: NodeLayout, schema_valid: bool) -> Iterator[str]:
    if view.table_of(layout.id) != "components":
        yield f"Layout for {layout.id}, which is not a component of this document."
    x, y, width, height = layout.x, layout.y, layout.width, layout.height
    limit = COORDINATE_LIMIT
    if not (-limit <= x <= limit and -limit <= y <= limit):
        yield from _check_coordinates(layout.id, x=x, y=y)
    for name, size in (("width", width), ("height", height)):
        if not MIN_SIZE <= size <= MAX_SIZE:
            yield (
                f"The layout of {layout.id} has {name} {size!r}; a box is "
                f"{MIN_SIZE:,.0f} to {MAX_SIZE:,.0f} units wide and high."
            )


def _check_link_layout(view: DocumentView, layout: LinkLayout, schema_valid: bool) -> Iterator[str]:
    if view.table_of(layout.id) != "links":
        yield f"Layout for {layout.id}, which is not a link of this document."
    yield from _check_coordinates(
        layout.id, **{"label offset x": layout.label_dx, "label offset y": layout.label_dy}
    )
    for x, y in layout.bends:
        yield from _check_coordinates(layout.id, **{"a bend at x": x, "a bend at y": y})


def _check_info(view: DocumentView, info: DocumentInfo, schema_valid: bool) -> Iterator[str]:
    for name in ("title", "version", "author", "organisation", "description"):
        if not schema_valid and (problem := _text("The document", name, getattr(info, name))):
            yield problem


_CHECKERS: dict[type, Callable[[DocumentView, Any, bool], Iterator[str]]] = {
    Component: _check_component,
    Link: _check_link,
    Loss: _check_loss,
    Hazard: _check_hazard,
    SystemConstraint: _check_constraint,
    Responsibility: _check_responsibility,
    UnsafeControlAction: _check_uca,
    ControllerConstraint: _check_controller_constraint,
    LossScenario: _check_scenario,
    ContextRule: _check_context_rule,
    SafetyRequirement: _check_requirement,
    Finding: _check_finding,
    Suggestion: _check_suggestion,
    NodeLayout: _check_node_layout,
    LinkLayout: _check_link_layout,
    DocumentInfo: _check_info,
}

__all__ = [
    "ID_PATTERN",
    "ITEM",
    "VARIABLE",
    "Problem",
    "connection_problem",
    "document_problems",
    "nested_ids",
    "record_problems",
    "update_problems",
]
