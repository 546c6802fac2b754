"""WebSTAMP project exports (``.json`` and ``.xml``) into Stipa documents.

Mapping (IMPORTERS.md section 4): losses, hazards and system constraints with their relation
rows; controllers, actuators, sensors and the one controlled process as components (ids are per
table, so every id is keyed by its table); connections as arrows whose kind is inferred from
their ends; each controller's control actions on its control arrow; process variables and their
states (global variables, copied under every controller, read once); context-table rows as
context rules, one per filled cell; UCAs (``safety_constraints``) with their hazards and
controller constraints; causal analyses as loss scenarios and their requirements as safety
requirements. Goals, assumptions, missions and rules are kept in the ``webstamp`` namespace and
listed. The XML export (element names are the list names less their last letter) is read into
the same structure as the JSON.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from stipa import (
    Component,
    ComponentKind,
    Condition,
    ContextRule,
    ControllerConstraint,
    DocumentInfo,
    FileFormatError,
    Hazard,
    Imported,
    Link,
    LinkItem,
    LinkKind,
    Loss,
    LossScenario,
    ProcessVariable,
    SafetyRequirement,
    SystemConstraint,
    UCASubtype,
    UCAType,
    UnsafeControlAction,
    parse_foreign_json,
    parse_foreign_xml,
    read_foreign_file,
)
from stipa_builtins.importers.common import Builder

FORMAT = "webstamp"

_NONE = UCASubtype.UNSPECIFIED
#: WebSTAMP's UCA type -> (Handbook type, fine type).
UCA_TYPES = {
    "provided": (UCAType.PROVIDED, _NONE),
    "not provided": (UCAType.NOT_PROVIDED, _NONE),
    "provided too early": (UCAType.TIMING, UCASubtype.TOO_EARLY),
    "provided too late": (UCAType.TIMING, UCASubtype.TOO_LATE),
    "wrong time": (UCAType.TIMING, UCASubtype.OUT_OF_ORDER),
    "stopped too soon": (UCAType.DURATION, UCASubtype.STOPPED_TOO_SOON),
    "applied too long": (UCAType.DURATION, UCASubtype.APPLIED_TOO_LONG),
}
#: Context-table column -> (Handbook type, fine type).
COLUMNS = {
    "ca_provided": (UCAType.PROVIDED, _NONE),
    "ca_not_provided": (UCAType.NOT_PROVIDED, _NONE),
    "wrong_time_order": (UCAType.TIMING, UCASubtype.OUT_OF_ORDER),
    "ca_too_early": (UCAType.TIMING, UCASubtype.TOO_EARLY),
    "ca_too_late": (UCAType.TIMING, UCASubtype.TOO_LATE),
    "ca_too_soon": (UCAType.DURATION, UCASubtype.STOPPED_TOO_SOON),
    "ca_too_long": (UCAType.DURATION, UCASubtype.APPLIED_TOO_LONG),
}
TABLES = {
    "controllers": ComponentKind.CONTROLLER,
    "actuators": ComponentKind.ACTUATOR,
    "sensors": ComponentKind.SENSOR,
    "controlled_process": ComponentKind.CONTROLLED_PROCESS,
}


def load(path: Path) -> Imported:
    """Import the WebSTAMP export ``path`` (JSON or XML, told by its first character)."""
    path = Path(path)
    data = read_foreign_file(path)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        project = _xml_to_data(parse_foreign_xml(data, str(path), "WebSTAMP files"))
    else:
        project = parse_foreign_json(data, str(path))
    if isinstance(project, list) and len(project) == 1:
        project = project[0]
    if not isinstance(project, dict) or ("losses" not in project and "hazards" not in project):
        raise FileFormatError.single(str(path), "This is not a WebSTAMP project export.")
    return _Import(path, project).run()


def _rows(value: Any) -> list[dict[str, Any]]:
    """A list of rows whether the export wrote a list, one object, or nothing."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return [value]
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _text(row: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = row.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _xml_to_data(element: Any) -> Any:
    """An element of WebSTAMP's XML export as the JSON structure it was made from."""
    children = [child for child in element if isinstance(child.tag, str)]
    if not children:
        return (element.text or "").strip()
    tag = str(element.tag)
    tags = {str(child.tag) for child in children}
    only = next(iter(tags))
    is_list = len(tags) == 1 and (only in (tag[:-1], tag + "_") or only.startswith("item"))
    if is_list:
        return [_xml_to_data(child) for child in children]
    result: dict[str, Any] = {}
    for child in children:
        value = _xml_to_data(child)
        key = str(child.tag)
        if key not in result:
            result[key] = value
        elif isinstance(result[key], list):
            result[key].append(value)
        else:
            result[key] = [result[key], value]
    return result


class _Import:
    def __init__(self, path: Path, project: dict[str, Any]) -> None:
        self.p = project
        self.b = Builder(FORMAT, path)
        self.ids: dict[tuple[str, str], str] = {}  # (table, WebSTAMP id) -> Stipa id
        #: Records that refer to control actions, added once the links carrying them are.
        self.pending: list[tuple[Any, str]] = []

    def key(self, table: str, value: Any) -> tuple[str, str]:
        return (table, str(value))

    def run(self) -> Imported:
        b, p = self.b, self.p
        for table, kind in (
            ("system_goals", "goal"),
            ("assumptions", "assumption"),
            ("missions", "mission"),
        ):
            for row in _rows(p.get(table)):
                b.keep(
                    kind,
                    f"{table}/{row.get('id')}",
                    f"Stipa has no {kind}s.",
                    _text(row, "name", "description"),
                )
        for row in _rows(p.get("losses")):
            lid = b.add(
                Loss(
                    id=b.new_id("L-"),
                    text=_text(row, "name", "description") or "Loss",
                    description=_text(row, "description"),
                ),
                f"L{row.get('id')}",
            ).id
            self.ids[self.key("losses", row.get("id"))] = lid
        for row in _rows(p.get("hazards")):
            links = _rows(row.get("losseshazards_relations"))
            losses = tuple(
                self.ids[k]
                for r in links
                if (k := self.key("losses", r.get("loss_id"))) in self.ids
            )
            b.counts["hazard_loss_links"] += len(losses)
            hid = b.add(
                Hazard(
                    id=b.new_id("H-"),
                    text=_text(row, "name", "description") or "Hazard",
                    description=_text(row, "description"),
                    losses=losses,
                ),
                f"H{row.get('id')}",
            ).id
            self.ids[self.key("hazards", row.get("id"))] = hid
        for row in _rows(p.get("system_safety_constraints")):
            links = _rows(row.get("system_safety_constraint_hazards_relations"))
            hazards = tuple(
                self.ids[k]
                for r in links
                if (k := self.key("hazards", r.get("hazard_id"))) in self.ids
            )
            b.counts["constraint_hazard_links"] += len(hazards)
            b.add(
                SystemConstraint(
                    id=b.new_id("SC-"),
                    text=_text(row, "name", "description") or "Constraint",
                    description=_text(row, "description"),
                    hazards=hazards,
                ),
                f"SSC{row.get('id')}",
            )
        self.components()
        self.connections()
        b.counts["goals"] = len(_rows(p.get("system_goals")))
        b.counts["assumptions"] = len(_rows(p.get("assumptions")))
        b.counts = Counter({k: v for k, v in b.counts.items() if v})
        return b.finish(DocumentInfo(title=_text(p, "name"), description=_text(p, "description")))

    def components(self) -> None:
        b, p = self.b, self.p
        self.variables: dict[str, list[ProcessVariable]] = {}
        self.states: dict[str, tuple[str, str]] = {}  # state id -> (variable id, state name)
        seen_variables: set[str] = set()
        for table, kind in TABLES.items():
            for row in _rows(p.get(table)):
                cid = b.new_id("C-")
                variables = []
                for variable in _rows(row.get("variables")):
                    states = [s for s in _rows(variable.get("states")) if _text(s, "name")]
                    if not states:
                        continue
                    pv = ProcessVariable(
                        id=b.new_id("PV-"),
                        name=_text(variable, "name"),
                        values=tuple(dict.fromkeys(_text(s, "name") for s in states)),
                    )
                    variables.append(pv)
                    if str(variable.get("id")) not in seen_variables:
                        seen_variables.add(str(variable.get("id")))
                        b.counts["process_variables"] += 1
                        b.counts["process_values"] += len(states)
                    for state in states:
                        self.states.setdefault(
                            f"{cid}/{state.get('id')}", (pv.id, _text(state, "name"))
                        )
                role = _text(row, "type")
                b.add(
                    Component(
                        id=cid,
                        name=_text(row, "name") or table,
                        kind=kind,
                        role=role,
                        variables=tuple(variables),
                    ),
                    f"{table}/{row.get('id')}",
                )
                self.ids[self.key(table, row.get("id"))] = cid
                self.ids[self.key(table.rstrip("s"), row.get("id"))] = cid

    def connections(self) -> None:
        b, p = self.b, self.p
        kinds = {
            cid: kind
            for (table, _), cid in self.ids.items()
            if table in TABLES
            for kind in [TABLES[table]]
        }
        links: list[Link] = []
        for row in _rows(p.get("connections")):
            source = self.ids.get(
                self.key(_text(row, "type_output"), row.get("output_component_id"))
            )
            target = self.ids.get(self.key(_text(row, "type_input"), row.get("input_component_id")))
            where = f"connections/{row.get('id')}"
            if source is None or target is None or source == target:
                b.keep("connection", where, "The connection's ends are not components.", str(row))
                continue
            kind = _arrow_kind(kinds[source], kinds[target])
            b.infer(
                "arrow kind",
                where,
                f"The arrow is a {kind.value.replace('_', ' ')}, from the kinds of its ends.",
            )
            links.append(Link(id=b.new_id("LK-"), source=source, target=target, kind=kind))
        for controller in _rows(p.get("controllers")):
            cid = self.ids[self.key("controllers", controller.get("id"))]
            actions = _rows(controller.get("controlactions"))
            if not actions:
                continue
            index = next(
                (
                    i
                    for i, link in enumerate(links)
                    if link.source == cid and link.kind == LinkKind.CONTROL_ACTION
                ),
                None,
            )
            if index is None:
                target = next(
                    iter(self.ids[k] for k in self.ids if k[0] == "controlled_process"), None
                )
                if target is None:
                    for action in actions:
                        b.keep(
                            "control action",
                            f"controlactions/{action.get('id')}",
                            "No arrow to carry it.",
                            _text(action, "name"),
                        )
                    continue
                links.append(Link(id=b.new_id("LK-"), source=cid, target=target))
                index = len(links) - 1
                b.infer(
                    "arrow",
                    f"controllers/{controller.get('id')}",
                    "An arrow to the controlled process was added for its control actions.",
                )
            items = []
            for action in actions:
                item = LinkItem(
                    id=b.new_id("CA-"),
                    name=_text(action, "name") or "action",
                    description=_text(action, "description"),
                )
                items.append(item)
                b.counts["control_actions"] += 1
                self.action_rows(action, item.id, cid)
            b.infer(
                "control action",
                f"controllers/{controller.get('id')}",
                "WebSTAMP's arrows carry no labels: the controller's control actions are put "
                f"on its control arrow {links[index].id}.",
            )
            link = links[index]
            links[index] = Link(
                id=link.id,
                source=link.source,
                target=link.target,
                kind=link.kind,
                items=link.items + tuple(items),
            )
        for link in links:
            noun = "control" if link.kind == LinkKind.CONTROL_ACTION else "feedback"
            b.add(link, count=f"{noun}_arrows")
        # UCAs refer to the items, so they are added after the links
        for record, alias in self.pending:
            b.add(record, alias, count="")  # counted where read

    def action_rows(self, action: dict[str, Any], item: str, controller: str) -> None:
        b = self.b
        for row in _rows(action.get("context_tables")):
            b.counts["context_rows"] += 1
            conditions = []
            for state in str(row.get("context") or "").split(","):
                found = self.states.get(f"{controller}/{state.strip()}")
                if found:
                    conditions.append(Condition(variable=found[0], value=found[1]))
            unique = {c.variable: c for c in conditions}
            for column, (uca_type, subtype) in COLUMNS.items():
                value = str(row.get(column) or "null").lower()
                if value not in ("true", "false"):
                    continue
                b.counts["hazardous_cells"] += value == "true"
                rule = ContextRule(
                    id=b.new_id("CR-"),
                    action=item,
                    type=uca_type,
                    subtype=subtype,
                    conditions=tuple(unique.values()),
                    hazardous=value == "true",
                )
                self.pending.append((rule, ""))
                b.counts["context_rules"] += 1
        for row in _rows(action.get("rules")):
            b.keep("rule", f"rules/{row.get('id')}", "WebSTAMP rules are not read.", str(row))
        for row in _rows(action.get("safety_constraints")):
            types = UCA_TYPES.get(_text(row, "type").lower())
            where = f"safety_constraints/{row.get('id')}"
            if types is None:
                b.keep(
                    "UCA",
                    where,
                    f"The UCA type {_text(row, 'type')!r} is unknown.",
                    _text(row, "unsafe_control_action"),
                )
                continue
            hazards = tuple(
                dict.fromkeys(
                    self.ids[k]
                    for r in _rows(row.get("rules_safety_constraints_hazards_relations"))
                    if (k := self.key("hazards", r.get("hazard_id"))) in self.ids
                )
            )
            uca = UnsafeControlAction(
                id=b.new_id("UCA-"),
                action=item,
                type=types[0],
                subtype=types[1],
                context=_text(row, "unsafe_control_action"),
                hazards=hazards,
            )
            self.pending.append((uca, f"UCA{row.get('id')}"))
            b.counts[f"ucas_{types[0].value}"] += 1
            if _text(row, "safety_constraint"):
                self.pending.append(
                    (
                        ControllerConstraint(
                            id=b.new_id("CC-"), text=_text(row, "safety_constraint"), ucas=(uca.id,)
                        ),
                        "",
                    )
                )
                b.counts["controller_constraints"] += 1
            for analysis in _rows(row.get("causal_analysis")):
                scenario = LossScenario(
                    id=b.new_id("LS-"),
                    text=_text(analysis, "scenario") or "Scenario",
                    ucas=(uca.id,),
                    hazards=hazards,
                    causal_factor=_text(analysis, "associated_causal_factor"),
                )
                self.pending.append((scenario, ""))
                b.counts["scenarios"] += 1
                if _text(analysis, "requirement"):
                    requirement = SafetyRequirement(
                        id=b.new_id("SR-"),
                        text=_text(analysis, "requirement"),
                        scenarios=(scenario.id,),
                    )
                    self.pending.append((requirement, ""))
                    b.counts["requirements"] += 1


def _arrow_kind(source: ComponentKind, target: ComponentKind) -> LinkKind:
    if source == ComponentKind.SENSOR or target == ComponentKind.SENSOR:
        return LinkKind.FEEDBACK
    if source in (ComponentKind.CONTROLLER, ComponentKind.ACTUATOR):
        return LinkKind.CONTROL_ACTION
    return LinkKind.FEEDBACK if target == ComponentKind.CONTROLLER else LinkKind.INFORMATION


__all__ = ["FORMAT", "load"]
