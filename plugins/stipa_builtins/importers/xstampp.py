"""XSTAMPP 3 / A-STPA projects (``.haz`` 0.15, ``.hazx`` 3.x) into Stipa documents.

Mapping (IMPORTERS.md section 2): accidents as losses, hazards, safety constraints, the
control structure with its positions (parent-relative coordinates resolved; process models
PROCESS_MODEL > PROCESS_VARIABLE > PROCESS_VALUE become the controller's process variables),
arrows whose kind is inferred from their ends (XSTAMPP does not store it), control actions on
the arrow their CONTROLACTION label names (else on the first control arrow of a controller,
reported), UCAs with their hazards and corresponding constraints (controller constraints).
Links are read in both generations (inline 0.15 links, the 3.x link map) and each end is
resolved against the tables, since the order of ``linkA``/``linkB`` is not reliable. Text
boxes, containers, free-ended arrows, causal factors, goals (design requirements become
safety requirements),
custom headers and XSTPA data are kept in the ``xstampp`` namespace and listed.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from stipa import (
    Component,
    ComponentKind,
    ControllerConstraint,
    DocumentInfo,
    FileFormatError,
    Hazard,
    Imported,
    Link,
    LinkItem,
    LinkKind,
    Loss,
    ProcessVariable,
    SafetyRequirement,
    SystemConstraint,
    UCAType,
    UnsafeControlAction,
    parse_foreign_xml,
    read_foreign_file,
)
from stipa_builtins.importers.common import Builder

FORMAT = "xstampp"

BOX_KINDS = {
    "CONTROLLER": ComponentKind.CONTROLLER,
    "ACTUATOR": ComponentKind.ACTUATOR,
    "SENSOR": ComponentKind.SENSOR,
    "CONTROLLED_PROCESS": ComponentKind.CONTROLLED_PROCESS,
    "UNDEFINED": ComponentKind.EXTERNAL,
    "OTHER_COMPONENT": ComponentKind.EXTERNAL,
}
UCA_TYPES = {
    "NOT_GIVEN": UCAType.NOT_PROVIDED,
    "GIVEN_INCORRECTLY": UCAType.PROVIDED,
    "WRONG_TIMING": UCAType.TIMING,
    "STOPPED_TOO_SOON": UCAType.DURATION,
}
#: A link between two tables (sorted by name) -> (which end holds the reference, its field,
#: the report's count).
LINK_FIELDS = {
    "hazard-loss": (0, "losses", "hazard_loss_links"),
    "hazard-uca": (1, "hazards", "uca_hazard_links"),
    "constraint-hazard": (0, "hazards", "constraint_hazard_links"),
    "constraint-requirement": (1, "constraints", "requirement_constraint_links"),
}
_HANDLED = {
    "projectdata",
    "hazacc",
    "sds",
    "controlstructure",
    "cac",
    "causalfactor",
    "linkController",
}


def load(path: Path) -> Imported:
    """Import the XSTAMPP project ``path``."""
    path = Path(path)
    root = parse_foreign_xml(read_foreign_file(path), str(path), "XSTAMPP files")
    if _local(root.tag) != "dataModelController":
        raise FileFormatError.single(
            str(path), f"This is not an XSTAMPP project (its root is <{_local(root.tag)}>).", 1
        )
    return _Import(path, root).run()


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _text(element: Any, name: str) -> str:
    return (element.findtext(name) or "").replace("\r\n", "\n").strip()


def _number(element: Any, name: str) -> float:
    try:
        return float(element.findtext(name) or 0)
    except ValueError:
        return 0.0


class _Import:
    def __init__(self, path: Path, root: Any) -> None:
        self.root = root
        self.b = Builder(FORMAT, path)
        self.uuid: dict[str, str] = {}  # XSTAMPP uuid -> Stipa id
        self.tables: dict[str, str] = {}  # XSTAMPP uuid -> table ("loss", "hazard"...)
        self.boxes: dict[str, tuple[str, ComponentKind]] = {}  # uuid -> (id, kind)
        self.labels: dict[str, list[str]] = {}  # connection uuid -> control-action uuids
        self.links: list[tuple[str, str, str, int | str]] = []  # (key, a, b, where)
        self.names: dict[str, str] = {}  # Stipa component id -> its name, for messages
        self.relabelled: set[str] = set()  # control actions that label feedback arrows
        self.actions: dict[str, str] = {}  # XSTAMPP control-action uuid -> Stipa item id
        self.action_alias: dict[str, str] = {}  # Stipa item id -> XSTAMPP number (CA-n)

    def where(self, element: Any) -> int | str:
        return element.sourceline or _local(element.tag)

    def run(self) -> Imported:
        b, root = self.b, self.root
        version = root.get("astpaversion") or root.get("version") or "unknown"
        b.infer("version", None, f"Read as an XSTAMPP project of version {version}.")
        for child in root:
            if isinstance(child.tag, str) and _local(child.tag) not in _HANDLED:
                b.keep("section", self.where(child), f"<{_local(child.tag)}> is not read.")
        self.collect_links()
        for accident in root.iterfind("hazacc/accidents/accident"):
            self.record(accident, "loss", "A-", "L-")
        for hazard in root.iterfind("hazacc/hazards/hazard"):
            self.record(hazard, "hazard", "H-", "H-")
        for constraint in root.iterfind("sds/safetyConstraints/safetyConstraint"):
            self.record(constraint, "constraint", "SC-", "SC-")
        for section, kind in (
            ("designRequirements/designRequirement", "DR-"),
            ("designRequirementsStep1/designRequirement", "DR1-"),
            ("designRequirementsStep2/designRequirement", "DR2-"),
        ):
            for element in root.iterfind(f"sds/{section}"):
                self.record(element, "requirement", kind, "SR-")
        for element in root.iterfind("sds/systemGoals/systemGoal"):
            title = _text(element, "title") or _text(element, "description")
            number = _text(element, "number")
            b.keep("system goal", self.where(element), f"Goal {number}: Stipa has no goals.", title)
        structure = root.find("controlstructure")
        if structure is not None:
            roots = structure.findall("component") + structure.findall("rootComponents/root")
            for top in roots:
                self.component(top, 0.0, 0.0, None)
        control_actions = self.control_actions()
        self.connections(structure, control_actions)
        self.ucas()
        self.causal_factors()
        return b.finish(self.assemble())

    def assemble(self) -> DocumentInfo:
        # Records were collected with their links still open: fill the references now.
        traces: dict[str, dict[str, list[str]]] = {}
        for key, a, b_end, where in self.links:
            pair = sorted([(self.tables.get(a, "?"), a), (self.tables.get(b_end, "?"), b_end)])
            kinds = f"{pair[0][0]}-{pair[1][0]}"
            rule = LINK_FIELDS.get(kinds)
            if rule is None:
                self.b.keep(
                    "link", where, f"A {key or kinds} link has no home in Stipa.", a=a, b=b_end
                )
                continue
            owner_side, field, count = rule
            owner, other = (pair[0][1], pair[1][1]) if owner_side == 0 else (pair[1][1], pair[0][1])
            traces.setdefault(self.uuid[owner], {}).setdefault(field, []).append(self.uuid[other])
            self.b.counts[count] += 1
        records = self.b.records
        for index, record in enumerate(records):
            if record.id in traces:
                changes = {field: tuple(ids) for field, ids in traces[record.id].items()}
                records[index] = dataclasses.replace(record, **changes)
        data = self.root.find("projectdata")
        if data is None:
            return DocumentInfo()
        return DocumentInfo(
            title=_text(data, "projectName"), description=_text(data, "projectDescription")
        )

    def collect_links(self) -> None:
        root = self.root
        for link in root.iterfind("hazacc/links/link"):
            self.links.append(
                (
                    "",
                    link.findtext("accidentId") or "",
                    link.findtext("hazardId") or "",
                    self.where(link),
                )
            )
        for link in root.iterfind("cac/links/link"):
            self.links.append(
                (
                    "",
                    link.findtext("unsafeControlActionId") or "",
                    link.findtext("hazardId") or "",
                    self.where(link),
                )
            )
        for link_list in root.iterfind("linkController/linkMap/linkList"):
            key = link_list.get("key") or link_list.findtext("key") or ""
            for link in link_list.iterfind(".//link"):
                a = link.get("linkA") or link.findtext("linkA") or ""
                b_end = link.get("linkB") or link.findtext("linkB") or ""
                self.links.append((key, a, b_end, self.where(link)))

    def record(self, element: Any, table: str, alias_prefix: str, prefix: str) -> None:
        b = self.b
        title, description = _text(element, "title"), _text(element, "description")
        text = title or description
        number = _text(element, "number")
        if not text:
            text = f"(untitled {table} {number})"
            b.infer("text", self.where(element), f"{table} {number} has no text; named {text}.")
        record_id = b.new_id(prefix)
        cls = {
            "loss": Loss,
            "hazard": Hazard,
            "constraint": SystemConstraint,
            "requirement": SafetyRequirement,
        }[table]
        description = description if title and description != title else ""
        b.add(cls(id=record_id, text=text, description=description), f"{alias_prefix}{number}")
        self.uuid[element.findtext("id") or record_id] = record_id
        self.tables[element.findtext("id") or record_id] = table
        for attribute in ("severity", "severityType"):
            if element.get(attribute):
                b.data(record_id, attribute, element.get(attribute))

    # --- the control structure --------------------------------------------------------------
    def component(self, element: Any, x0: float, y0: float, owner: str | None) -> None:
        b = self.b
        kind_name = _text(element, "componentType")
        layout = element.find("layout")
        x = x0 + (_number(layout, "x") if layout is not None else 0.0)
        y = y0 + (_number(layout, "y") if layout is not None else 0.0)
        width = _number(layout, "width") if layout is not None else 0.0
        height = _number(layout, "height") if layout is not None else 0.0
        uuid = element.findtext("id") or ""
        name = _text(element, "text")
        where = self.where(element)
        if kind_name in BOX_KINDS:
            kind = BOX_KINDS[kind_name]
            component_id = b.new_id("C-")
            variables = self.process_model(element)
            b.add(
                Component(
                    id=component_id, name=name or kind_name.title(), kind=kind, variables=variables
                )
            )
            b.place(component_id, x, y, width, height)
            self.boxes[uuid] = (component_id, kind)
            self.names[component_id] = name or kind_name.title()
            if kind_name in ("UNDEFINED", "OTHER_COMPONENT"):
                b.infer("component kind", where, f"{name}: an undefined box is an external.")
            owner = component_id
        elif kind_name == "TEXTFIELD":
            b.keep(
                "text box",
                where,
                f"The text box {name!r} is a free label.",
                name,
                x=str(x),
                y=str(y),
            )
        elif kind_name == "CONTROLACTION":
            relative = element.findtext("relative") or ""
            self.labels.setdefault(relative, []).append(element.findtext("controlActionId") or "")
        elif kind_name in ("DASHEDBOX", "CONTAINER", "FEEDBACK"):
            b.keep(
                kind_name.lower(),
                where,
                f"The {kind_name.lower()} {name!r} is not a component.",
                name,
            )
        elif kind_name not in ("ROOT", "PROCESS_MODEL", "PROCESS_VARIABLE", "PROCESS_VALUE"):
            b.keep("component", where, f"A box of type {kind_name} is not read.", name)
        if kind_name in ("PROCESS_MODEL",):
            return  # read by process_model
        for child in element.iterfind("children/component"):
            self.component(child, x, y, owner)

    def process_model(self, element: Any) -> tuple[ProcessVariable, ...]:
        b = self.b
        variables = []
        for model in element.iterfind("children/component[componentType='PROCESS_MODEL']"):
            b.counts["process_models"] += 1
            for variable in model.iterfind("children/component[componentType='PROCESS_VARIABLE']"):
                name = _text(variable, "text")
                values = [_text(v, "text") for v in variable.iterfind("children/component")]
                values = [v for v in values if v]
                b.counts["process_variables"] += 1
                b.counts["process_values"] += len(values)
                if not values or not name:
                    b.keep(
                        "process variable",
                        self.where(variable),
                        f"The process variable {name!r} has no values.",
                        name,
                    )
                    continue
                variables.append(
                    ProcessVariable(
                        id=b.new_id("PV-"), name=name, values=tuple(dict.fromkeys(values))
                    )
                )
        return tuple(variables)

    def control_actions(self) -> dict[str, tuple[str, str, str]]:
        """XSTAMPP control-action uuid -> (Stipa item id, title, where); items made later."""
        found = {}
        for action in self.root.iterfind("cac/controlactions/controlaction"):
            uuid = action.findtext("id") or ""
            title = _text(action, "title") or f"Control action {_text(action, 'number')}"
            found[uuid] = (self.b.new_id("CA-"), title, str(self.where(action)))
            self.action_alias[found[uuid][0]] = f"CA-{_text(action, 'number')}"
            self.b.counts["control_actions"] += 1
        return found

    def connections(self, structure: Any, actions: dict[str, tuple[str, str, str]]) -> None:
        b = self.b
        placed: set[str] = set()
        links: list[Link] = []
        if structure is not None:
            for connection in structure.iterfind("connections/connection"):
                link = self.connection(connection, actions, placed)
                if link is not None:
                    links.append(link)
        loose = [uuid for uuid in actions if uuid not in placed]
        if loose:
            carrier = next(
                (
                    i
                    for i, link in enumerate(links)
                    if link.kind == LinkKind.CONTROL_ACTION
                    and self.kind_of(link.source) == ComponentKind.CONTROLLER
                ),
                None,
            )
            if carrier is None:
                for uuid in loose:
                    _item_id, title, where = actions[uuid]
                    b.keep(
                        "control action", where, f"{title!r} has no control arrow to go on.", title
                    )
            else:
                link = links[carrier]
                extra = tuple(self.item(actions[u]) for u in loose)
                links[carrier] = Link(
                    id=link.id,
                    source=link.source,
                    target=link.target,
                    kind=link.kind,
                    items=link.items + extra,
                )
                placed.update(loose)
                names = ", ".join(repr(actions[u][1]) for u in loose)
                b.infer(
                    "control action",
                    None,
                    f"The file does not say which arrow carries {names}: put on the first "
                    f"control arrow of a controller ({link.id}).",
                )
        for link in links:
            b.add(
                link,
                count=f"{'control' if link.kind == LinkKind.CONTROL_ACTION else 'feedback'}_arrows",
            )
        self.actions = {uuid: actions[uuid][0] for uuid in placed - self.relabelled}

    def item(self, action: tuple[str, str, str]) -> LinkItem:
        """The control action ``(item id, title, where)`` as a link item with its number."""
        return LinkItem(id=action[0], name=action[1], alias=self.action_alias.get(action[0], ""))

    def kind_of(self, component_id: str) -> ComponentKind | None:
        return next((kind for cid, kind in self.boxes.values() if cid == component_id), None)

    def connection(
        self, connection: Any, actions: dict[str, tuple[str, str, str]], placed: set[str]
    ) -> Link | None:
        b = self.b
        where = self.where(connection)
        source = self.boxes.get(connection.findtext("sourceAnchor/ownerId") or "")
        target = self.boxes.get(connection.findtext("targetAnchor/ownerId") or "")
        flying = any(
            (connection.findtext(f"{end}/isFlying") or "") == "true"
            for end in ("sourceAnchor", "targetAnchor")
        )
        if source is None or target is None or flying or source[0] == target[0]:
            b.keep(
                "arrow",
                where,
                "The arrow has a free end (or both ends on one box).",
                connection.findtext("id") or "",
            )
            return None
        kind = _arrow_kind(source[1], target[1])
        b.infer(
            "arrow kind",
            where,
            f"The arrow {self.names[source[0]]} -> {self.names[target[0]]} is a "
            f"{kind.value.replace('_', ' ')}, from the kinds of its ends.",
        )
        items = []
        for uuid in self.labels.get(connection.findtext("id") or "", []):
            if uuid not in actions or uuid in placed:
                continue
            placed.add(uuid)
            if kind == LinkKind.CONTROL_ACTION:
                items.append(self.item(actions[uuid]))
            else:  # pitfall 2: a feedback labelled as a control action
                self.relabelled.add(uuid)
                items.append(LinkItem(id=b.new_id("FB-"), name=actions[uuid][1]))
                b.infer("feedback", where, f"{actions[uuid][1]!r} labels a feedback arrow.")
        return Link(
            id=b.new_id("LK-"), source=source[0], target=target[0], kind=kind, items=tuple(items)
        )

    def ucas(self) -> None:
        b = self.b
        for action in self.root.iterfind("cac/controlactions/controlaction"):
            item = self.actions.get(action.findtext("id") or "")
            for uca in action.iterfind("unsafecontrolactions/unsafecontrolaction"):
                where = self.where(uca)
                uca_type = UCA_TYPES.get(_text(uca, "type"))
                description = _text(uca, "description")
                if item is None or uca_type is None:
                    b.keep(
                        "UCA",
                        where,
                        f"The UCA {description!r} has no control action or type Stipa knows.",
                        description,
                    )
                    continue
                uca_id = b.new_id("UCA-")
                b.add(
                    UnsafeControlAction(id=uca_id, action=item, type=uca_type, context=description),
                    _text(uca, "number"),
                )
                self.uuid[uca.findtext("id") or uca_id] = uca_id
                self.tables[uca.findtext("id") or uca_id] = "uca"
                constraint = _text(uca, "correspondingSafetyConstraint/text")
                if constraint:
                    b.add(ControllerConstraint(id=b.new_id("CC-"), text=constraint, ucas=(uca_id,)))
        for header in self.root.iterfind("cac/ucaCustomHeaders"):
            b.keep(
                "custom header",
                self.where(header),
                "Custom UCA column headers are not read.",
                " | ".join(t.strip() for t in header.itertext() if t.strip()),
            )

    def causal_factors(self) -> None:
        b = self.b
        for factor in self.root.iter("causalFactor"):
            text = _text(factor, "text")
            b.keep(
                "causal factor",
                self.where(factor),
                f"The causal factor {text!r} has no home in Stipa (no scenario text).",
                text,
                note=_text(factor, "note"),
            )
        for link in self.root.iterfind(
            "causalfactor/causalFactorHazardLinks/causalFactorHazardLink"
        ):
            b.keep(
                "causal factor link",
                self.where(link),
                "A causal factor - hazard link.",
                f"{link.findtext('causalFactorId')} {link.findtext('hazardId')}",
            )
            b.counts["causal_factor_hazard_links"] += 1
        for entry in self.root.iterfind("causalfactor/causalComponents/entry"):
            b.keep(
                "causal factor",
                self.where(entry),
                "A 3.x causal-factor entry is not read.",
                " ".join(t.strip() for t in entry.itertext() if t.strip()),
            )
        for rule in self.root.iterfind("extendedData/rules/rule"):
            b.keep(
                "XSTPA rule",
                self.where(rule),
                "XSTPA refined rules (LTL) are not read.",
                " ".join(t.strip() for t in rule.itertext() if t.strip()),
            )


def _arrow_kind(source: ComponentKind, target: ComponentKind) -> LinkKind:
    """What an arrow carries, from the kinds of its ends (XSTAMPP does not store it)."""
    if source == ComponentKind.SENSOR:
        return LinkKind.FEEDBACK
    if source == ComponentKind.CONTROLLER:
        return LinkKind.CONTROL_ACTION
    if target == ComponentKind.CONTROLLER or target == ComponentKind.SENSOR:
        return LinkKind.FEEDBACK
    if source == ComponentKind.ACTUATOR:
        return LinkKind.CONTROL_ACTION
    return LinkKind.INFORMATION


__all__ = ["FORMAT", "load"]
