"""An STPA analysis as ReqIF: the constraints and responsibilities as requirements, with traces.

What the requirement tools (DOORS, Polarion, Jama) receive:

* **requirements** (spec objects of the type "STPA requirement"): the system-level
  constraints, the responsibilities and the controller constraints;
* **context** they trace to, as spec objects of the same type: losses, hazards and unsafe
  control actions (the ``Kind`` attribute tells them apart);
* **relations**: responsibility *refines* constraint, controller constraint *is derived
  from* UCA, system-level constraint *is derived from* hazard, UCA *leads to* hazard, hazard
  *leads to* loss;
* **one specification** whose hierarchy has a heading per STPA table, sub-hazards under
  their hazards and responsibilities under a heading per owning component.

Attributes are strings: ``ReqIF.ForeignID`` (the Stipa id), ``ReqIF.Name``, ``ReqIF.Text``,
``Kind`` and, for responsibilities, ``Owner``; headings have ``ReqIF.ChapterName``.
Identifiers are the Stipa ids with a prefix (option ``prefix``, default ``stipa``), so a
re-export updates the same objects in the tool; the creation time comes from the option
``created``, ``SOURCE_DATE_EPOCH`` or the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import stipa
from stipa.export.options import ExportError, creation_time
from stipa.io import write_atomically
from stipa.io.reqif import (
    AttributeDefinition,
    HierarchyNode,
    ObjectType,
    RelationType,
    ReqIFContent,
    SpecObject,
    SpecRelation,
    dumps_reqif,
)
from stipa.model import Snapshot

__all__ = ["REQIF_OPTIONS", "reqif_content", "write_reqif"]

REQIF_OPTIONS: Mapping[str, str] = {
    "prefix": "the start of every ReqIF identifier, to keep analyses apart in one tool (stipa)",
    "created": "the header's creation time, ISO 8601 (SOURCE_DATE_EPOCH, else now)",
    "title": "the specification's title (the document's title)",
}
_PREFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,31}\Z")
_KINDS = {
    "losses": "Loss",
    "hazards": "Hazard",
    "constraints": "System-level constraint",
    "responsibilities": "Responsibility",
    "ucas": "Unsafe control action",
    "controller_constraints": "Controller constraint",
}
_HEADINGS = {
    "losses": "Losses",
    "hazards": "Hazards",
    "constraints": "System-level constraints",
    "responsibilities": "Responsibilities",
    "ucas": "Unsafe control actions",
    "controller_constraints": "Controller constraints",
}
_UCA_TYPES = {
    "not_provided": "not providing",
    "provided": "providing",
    "timing": "providing too early, too late or out of order",
    "duration": "stopping too soon or applying too long",
}


def reqif_content(snapshot: Snapshot, options: Mapping[str, str]) -> ReqIFContent:
    """The ReqIF content of ``snapshot`` (see the module's description)."""
    prefix = options.get("prefix", "stipa").strip() or "stipa"
    if not _PREFIX.match(prefix):
        raise ExportError(
            f"Option prefix must start with a letter and hold only letters, digits, '-' and "
            f"'_' (at most 32), not {prefix!r}."
        )
    created = creation_time(options.get("created", ""))
    info = snapshot.info
    title = options.get("title", "").strip() or info.title or "STPA analysis"

    used: set[str] = set()

    def ident(*parts: str) -> str:
        return "-".join([prefix, *parts])

    def claim(identifier: str) -> str:
        """``identifier``, or with a number added in the rare case an odd id took it."""
        unique, number = identifier, 1
        while unique in used:
            number += 1
            unique = f"{identifier}-{number}"
        used.add(unique)
        return unique

    attr = {
        name: AttributeDefinition(ident("attribute", key), name)
        for key, name in (
            ("foreign-id", "ReqIF.ForeignID"),
            ("name", "ReqIF.Name"),
            ("text", "ReqIF.Text"),
            ("kind", "Kind"),
            ("owner", "Owner"),
            ("chapter", "ReqIF.ChapterName"),
        )
    }
    requirement_type = ObjectType(
        ident("type", "requirement"),
        "STPA requirement",
        tuple(attr[n] for n in ("ReqIF.ForeignID", "ReqIF.Name", "ReqIF.Text", "Kind", "Owner")),
    )
    heading_type = ObjectType(ident("type", "heading"), "Heading", (attr["ReqIF.ChapterName"],))
    derived = RelationType(ident("relation-type", "derived-from"), "is derived from")
    refines = RelationType(ident("relation-type", "refines"), "refines")
    leads = RelationType(ident("relation-type", "leads-to"), "leads to")

    header_id, datatype_id = ident("header"), ident("datatype", "text")
    specification_id, specification_type = ident("specification"), ident("type", "specification")
    used.update((header_id, datatype_id, specification_id, specification_type))
    used.update(a.identifier for a in attr.values())
    used.update(t.identifier for t in (requirement_type, heading_type, derived, refines, leads))
    objects: list[SpecObject] = []
    relations: list[SpecRelation] = []
    oid: dict[str, str] = {}  # record id -> spec object identifier

    def add(table: str, record_id: str, text: str, name: str = "", owner: str = "") -> None:
        values = [
            (attr["ReqIF.ForeignID"].identifier, record_id),
            (attr["ReqIF.Name"].identifier, name or record_id),
            (attr["ReqIF.Text"].identifier, text),
            (attr["Kind"].identifier, _KINDS[table]),
        ]
        if owner:
            values.append((attr["Owner"].identifier, owner))
        oid[record_id] = claim(ident(record_id))
        objects.append(
            SpecObject(oid[record_id], requirement_type.identifier, record_id, tuple(values))
        )

    def trace(kind: RelationType, source: str, target: str) -> None:
        if target not in oid:  # traced to a record not exported (cannot happen in a valid doc)
            return
        relations.append(
            SpecRelation(
                claim(ident("trace", source, target)),
                kind.identifier,
                oid[source],
                oid[target],
                f"{source} {kind.long_name} {target}",
            )
        )

    for loss in snapshot.losses.values():
        add("losses", loss.id, loss.text)
    for hazard in snapshot.hazards.values():
        add("hazards", hazard.id, hazard.text)
        for loss_id in hazard.losses:
            trace(leads, hazard.id, loss_id)
    for constraint in snapshot.constraints.values():
        add("constraints", constraint.id, constraint.text)
        for hazard_id in constraint.hazards:
            trace(derived, constraint.id, hazard_id)
    components = snapshot.components
    for responsibility in snapshot.responsibilities.values():
        owner = components.get(responsibility.owner)
        add(
            "responsibilities",
            responsibility.id,
            responsibility.text,
            owner=owner.name if owner is not None else responsibility.owner,
        )
        for constraint_id in responsibility.constraints:
            trace(refines, responsibility.id, constraint_id)
    for uca in snapshot.ucas.values():
        found = snapshot.control_action(uca.action)
        action = found[1].name if found is not None else uca.action
        controller = components.get(found[0].source) if found is not None else None
        who = controller.name if controller is not None else "The controller"
        text = f"{who} {_UCA_TYPES.get(uca.type.value, uca.type.value)} {action}"
        text += f" {uca.context}".rstrip() if uca.context else ""
        add("ucas", uca.id, text, name=f"{uca.id} {action}")
        for hazard_id in uca.hazards:
            trace(leads, uca.id, hazard_id)
    for controller_constraint in snapshot.controller_constraints.values():
        add("controller_constraints", controller_constraint.id, controller_constraint.text)
        for uca_id in controller_constraint.ucas:
            trace(derived, controller_constraint.id, uca_id)

    def heading(key: str, text: str) -> str:
        identifier = claim(ident("heading", key))
        objects.append(
            SpecObject(
                identifier,
                heading_type.identifier,
                text,
                ((attr["ReqIF.ChapterName"].identifier, text),),
            )
        )
        return identifier

    def node(record_id: str, children: tuple[HierarchyNode, ...] = ()) -> HierarchyNode:
        return HierarchyNode(claim(ident("node", record_id)), oid[record_id], children)

    def chapter(key: str, text: str, children: list[HierarchyNode]) -> HierarchyNode:
        target = heading(key, text)
        return HierarchyNode(claim(ident("node", "heading", key)), target, tuple(children))

    hazards = snapshot.hazards
    subs: dict[str, list[str]] = {}
    for hazard in hazards.values():
        if hazard.parent is not None:
            subs.setdefault(hazard.parent, []).append(hazard.id)

    def hazard_node(hazard_id: str) -> HierarchyNode:
        return node(hazard_id, tuple(hazard_node(sub) for sub in subs.get(hazard_id, [])))

    by_owner: dict[str, list[str]] = {}  # owners in the order they first appear
    for responsibility in snapshot.responsibilities.values():
        by_owner.setdefault(responsibility.owner, []).append(responsibility.id)
    owners = []
    for owner_id, ids in by_owner.items():
        owner = components.get(owner_id)
        name = owner.name if owner is not None else owner_id
        owners.append(chapter(f"owner-{owner_id}", name, [node(i) for i in ids]))
    hierarchy = (
        chapter("losses", _HEADINGS["losses"], [node(i) for i in snapshot.losses]),
        chapter(
            "hazards",
            _HEADINGS["hazards"],
            [hazard_node(h.id) for h in hazards.values() if h.parent is None],
        ),
        chapter("constraints", _HEADINGS["constraints"], [node(i) for i in snapshot.constraints]),
        chapter("responsibilities", _HEADINGS["responsibilities"], owners),
        chapter("ucas", _HEADINGS["ucas"], [node(i) for i in snapshot.ucas]),
        chapter(
            "controller_constraints",
            _HEADINGS["controller_constraints"],
            [node(i) for i in snapshot.controller_constraints],
        ),
    )

    return ReqIFContent(
        title=title,
        created=created,
        tool_id=f"Stipa {stipa.__version__}",
        repository_id=prefix,
        header_id=header_id,
        object_types=(requirement_type, heading_type),
        relation_types=(derived, refines, leads),
        objects=tuple(objects),
        relations=tuple(relations),
        specification_id=specification_id,
        specification_type=specification_type,
        specification_name=title,
        hierarchy=hierarchy,
        datatype_id=datatype_id,
        comment=" ".join(
            part
            for part in (
                f"STPA analysis {title!r}",
                f"version {info.version}" if info.version else "",
                f"by {info.author}" if info.author else "",
                f"({info.organisation})" if info.organisation else "",
            )
            if part
        ),
    )


def write_reqif(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """Write ``snapshot`` to ``path`` as ReqIF 1.2."""
    write_atomically(Path(path), dumps_reqif(reqif_content(snapshot, options)))
