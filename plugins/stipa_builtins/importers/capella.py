"""The STPA objects of an STPA-Capella model (``.capella``) into Stipa documents.

Mapping (IMPORTERS.md section 6): ``stpa:*`` elements anywhere in the Capella project. Losses,
hazards with sub-hazards, system constraints, control entities (nested ones with their
``parent``; kind inferred: ``process="true"`` is a controlled process, an entity with control
relations a controller, others controlled processes), control and feedback relations with the
actions and feedback they carry, information exchanges, responsibilities, UCAs (``kind``
omitted = NOT_PROVIDING, the EMF default), loss scenarios. Process-model variables (no values
in the metamodel), control flaws and countermeasures are kept in the ``capella`` namespace and
listed. The diagram lives in the ``.aird`` file, which is not read: the structure is laid out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stipa import (
    Component,
    ComponentKind,
    DocumentInfo,
    FileFormatError,
    Hazard,
    Imported,
    Link,
    LinkItem,
    LinkKind,
    Loss,
    LossScenario,
    Responsibility,
    SystemConstraint,
    UCAType,
    UnsafeControlAction,
    parse_foreign_xml,
    read_foreign_file,
)
from stipa_builtins.importers.common import Builder

FORMAT = "capella"
_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
UCA_KINDS = {
    "NOT_PROVIDING": UCAType.NOT_PROVIDED,
    "PROVIDING": UCAType.PROVIDED,
    "WRONG_TIMING": UCAType.TIMING,
    "WRONG_DURATION": UCAType.DURATION,
}
RELATIONS = {
    "stpa:ControlRelation": (LinkKind.CONTROL_ACTION, "CA-", "control"),
    "stpa:FeedbackRelation": (LinkKind.FEEDBACK, "FB-", "feedback"),
    "stpa:InformationExchangeRelation": (LinkKind.INFORMATION, "IN-", "information"),
}
_TAG = re.compile(r"<[^>]+>")


def load(path: Path) -> Imported:
    """Import the STPA objects of the Capella model ``path``."""
    path = Path(path)
    root = parse_foreign_xml(read_foreign_file(path), str(path), "Capella models")
    if not any(_type(e) == "stpa:StpaAnalysis" for e in root.iter()):
        raise FileFormatError.single(str(path), "This Capella model holds no STPA analysis.")
    return _Import(path, root).run()


def _type(element: Any) -> str:
    return str(element.get(_TYPE) or "")


def _refs(element: Any, attribute: str) -> list[str]:
    return [ref.lstrip("#") for ref in (element.get(attribute) or "").split() if ref]


def _typed(element: Any, kind: str) -> Iterator[Any]:
    return (child for child in element if _type(child) == kind)


def _plain(html: str) -> str:
    return " ".join(_TAG.sub(" ", html).split())


class _Import:
    def __init__(self, path: Path, root: Any) -> None:
        self.root = root
        self.b = Builder(FORMAT, path)
        self.ids: dict[str, str] = {}  # Capella uuid -> Stipa id
        self.entities: list[tuple[Any, Any | None]] = []

    def where(self, element: Any) -> int | str:
        return element.sourceline or _type(element)

    def text(self, element: Any, kind: str) -> str:
        name = (element.get("name") or "").strip()
        if not name:
            name = f"(unnamed {kind} {element.get('userID') or ''})".replace(" )", ")")
            self.b.infer("text", self.where(element), f"An unnamed {kind} is named {name}.")
        return name

    def run(self) -> Imported:
        b = self.b
        analysis = next(e for e in self.root.iter() if _type(e) == "stpa:StpaAnalysis")
        elements = list(analysis.iter())
        for element in elements:  # first pass: every referable element gets its Stipa id
            kind = _type(element)
            prefix = {
                "stpa:Loss": "L-",
                "stpa:Hazard": "H-",
                "stpa:SystemConstraint": "SC-",
                "stpa:ControlEntity": "C-",
                "stpa:UnsafeControlAction": "UCA-",
            }.get(kind)
            if prefix and element.get("id"):
                self.ids[element.get("id")] = b.new_id(prefix)
        for loss in (e for e in elements if _type(e) == "stpa:Loss"):
            b.add(
                Loss(
                    id=self.ids[loss.get("id")],
                    text=self.text(loss, "loss"),
                    description=_plain(loss.get("description") or ""),
                ),
                loss.get("userID") or "",
            )
        for hazard in (e for e in elements if _type(e) == "stpa:Hazard"):
            self.hazard(hazard, elements)
        for constraint in (e for e in elements if _type(e) == "stpa:SystemConstraint"):
            b.add(
                SystemConstraint(
                    id=self.ids[constraint.get("id")],
                    text=self.text(constraint, "constraint"),
                    hazards=self.resolve(constraint, "hazards"),
                ),
                constraint.get("userID") or "",
            )
        for package in (e for e in elements if _type(e) == "stpa:ControlStructurePackage"):
            for entity in _typed(package, "stpa:ControlEntity"):
                self.collect(entity, None)
        for entity, parent in self.entities:
            self.entity(entity, parent)
        for entity, _parent in self.entities:
            self.relations(entity)
        for scenario in (e for e in elements if _type(e) == "stpa:LossScenario"):
            self.scenario(scenario)
        for flaw in (e for e in elements if _type(e) == "stpa:ControlFlaw"):
            b.keep(
                "control flaw",
                self.where(flaw),
                "Control flaws have no home in Stipa.",
                " ".join(f"{k}={v}" for k, v in flaw.attrib.items() if k != "id"),
            )
        return b.finish(DocumentInfo(title=analysis.get("name") or "STPA Analysis"))

    def resolve(self, element: Any, attribute: str) -> tuple[str, ...]:
        return tuple(self.ids[ref] for ref in _refs(element, attribute) if ref in self.ids)

    def hazard(self, hazard: Any, elements: list[Any]) -> None:
        parent = next(
            (
                self.ids[p.get("id")]
                for p in elements
                if _type(p) == "stpa:Hazard" and hazard in list(p)
            ),
            None,
        )
        b = self.b
        b.add(
            Hazard(
                id=self.ids[hazard.get("id")],
                text=self.text(hazard, "hazard"),
                losses=self.resolve(hazard, "losses"),
                parent=parent,
            ),
            hazard.get("userID") or "",
            count="sub_hazards" if parent else "hazards",
        )
        for category in _typed(hazard, "stpa:DecompositionCategory"):
            b.keep(
                "hazard category",
                self.where(category),
                f"The sub-hazard category {category.get('name')!r} has no home in Stipa.",
                category.get("name") or "",
            )

    def collect(self, entity: Any, parent: Any | None) -> None:
        self.entities.append((entity, parent))
        for child in _typed(entity, "stpa:ControlEntity"):
            self.collect(child, entity)

    def entity(self, entity: Any, parent: Any | None) -> None:
        b = self.b
        cid = self.ids[entity.get("id")]
        controls = any(True for _ in _typed(entity, "stpa:ControlRelation"))
        if entity.get("process") == "true":
            kind, why = ComponentKind.CONTROLLED_PROCESS, "it is marked as the process"
        elif controls:
            kind, why = ComponentKind.CONTROLLER, "it sends control actions"
        else:
            kind, why = ComponentKind.CONTROLLED_PROCESS, "it sends no control actions"
        name = self.text(entity, "entity")
        parent_id = self.ids[parent.get("id")] if parent is not None else ""
        b.add(Component(id=cid, name=name, kind=kind, parent=parent_id), entity.get("userID") or "")
        b.infer(
            "component kind",
            self.where(entity),
            f"{name} is a {kind.value.replace('_', ' ')}: {why}.",
        )
        if parent is not None:
            b.counts["nested_components"] += 1
        for variable in _typed(entity, "stpa:ProcessModelVariable"):
            b.keep(
                "process variable",
                self.where(variable),
                f"The process-model variable {variable.get('name')!r} has no values.",
                variable.get("name") or "",
                component=cid,
            )
            b.counts["process_variables"] += 1
        for responsibility in _typed(entity, "stpa:Responsibility"):
            b.add(
                Responsibility(
                    id=b.new_id("R-"),
                    text=self.text(responsibility, "responsibility"),
                    owner=cid,
                    constraints=self.resolve(responsibility, "systemConstraints"),
                ),
                responsibility.get("userID") or "",
            )

    def relations(self, entity: Any) -> None:
        b = self.b
        source = self.ids[entity.get("id")]
        for relation in entity:
            spec = RELATIONS.get(_type(relation))
            if spec is None:
                continue
            kind, prefix, noun = spec
            targets = _refs(relation, "target")
            target = self.ids.get(targets[0]) if targets else None
            if target is None or target == source:
                b.keep("relation", self.where(relation), "A relation without a target entity.")
                continue
            items = []
            ucas = []
            for element in relation:
                if not _type(element) or _type(element) == "stpa:UnsafeControlAction":
                    continue
                item = LinkItem(
                    id=b.new_id(prefix),
                    name=self.text(element, noun),
                    alias=element.get("userID") or "",
                )
                items.append(item)
                ucas += [(item.id, uca) for uca in _typed(element, "stpa:UnsafeControlAction")]
            b.add(
                Link(
                    id=b.new_id("LK-"), source=source, target=target, kind=kind, items=tuple(items)
                ),
                count=f"{noun}_arrows",
            )
            b.counts["control_actions" if noun == "control" else noun] += len(items)
            for item_id, uca in ucas:
                uca_type = UCA_KINDS.get(uca.get("kind") or "NOT_PROVIDING")
                if uca_type is None:
                    b.keep(
                        "UCA",
                        self.where(uca),
                        f"The UCA kind {uca.get('kind')} is unknown.",
                        uca.get("name") or "",
                    )
                    continue
                b.add(
                    UnsafeControlAction(
                        id=self.ids[uca.get("id")],
                        action=item_id,
                        type=uca_type,
                        context=uca.get("name") or "",
                        hazards=self.resolve(uca, "hazards"),
                    ),
                    uca.get("userID") or "",
                )
                if uca.get("kind") is None:
                    b.infer(
                        "UCA type",
                        self.where(uca),
                        f"{uca.get('userID')} has no kind: not providing, Capella's default.",
                    )
                for countermeasure in _refs(uca, "countermeasures"):
                    b.keep(
                        "countermeasure",
                        self.where(uca),
                        "A countermeasure reference is not read.",
                        countermeasure,
                    )

    def scenario(self, scenario: Any) -> None:
        b = self.b
        ucas = self.resolve(scenario, "unsafeControlAction")
        if ucas:
            b.counts["scenarios_for_uca"] += 1
        scenario_id = b.new_id("LS-")
        b.add(
            LossScenario(
                id=scenario_id,
                text=self.text(scenario, "scenario"),
                ucas=ucas,
                hazards=self.resolve(scenario, "hazards"),
            ),
            scenario.get("userID") or "",
        )
        description = _plain(scenario.get("description") or "")
        if description:
            b.data(scenario_id, "description", description)


__all__ = ["FORMAT", "load"]
