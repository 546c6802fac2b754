"""Gaphor RAAML models (``.gaphor``) into Stipa documents, best effort.

Gaphor stores model elements by type, and RAAML STPA is often encoded by modelling pattern
rather than type (IMPORTERS.md section 5), so this importer carries what has a clear meaning
and lists everything else: RAAML ``Loss`` and ``Hazard`` elements (a concrete element whose
generalization is the template ``Loss``/``Hazard`` is kept as one, the bare templates too),
``Controller``/``Actuator``/``Sensor``/``ControlledProcess`` as components (at the place of
their first diagram item, parent-relative matrices resolved), ``LossScenario`` as
scenarios. UCAs (typed by generalizing a template UCA), operational situations, diagrams and
every other element are kept in the ``gaphor`` namespace and listed by element and id. All
three file generations are read: version 3.0 with nested or top-level items, and version 4.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stipa import (
    Component,
    ComponentKind,
    DocumentInfo,
    FileFormatError,
    Hazard,
    Imported,
    Loss,
    LossScenario,
    parse_foreign_xml,
    read_foreign_file,
)
from stipa_builtins.importers.common import Builder

FORMAT = "gaphor"
COMPONENTS = {
    "Controller": ComponentKind.CONTROLLER,
    "Actuator": ComponentKind.ACTUATOR,
    "Sensor": ComponentKind.SENSOR,
    "ControlledProcess": ComponentKind.CONTROLLED_PROCESS,
}
#: Template UCAs of Gaphor's STPA example, by name -> fine type.
UCA_TEMPLATES = {
    "NotProvided": "not provided",
    "Provided": "provided",
    "Early": "too early",
    "Late": "too late",
    "OutOfSequence": "out of order",
    "TooShort": "stopped too soon",
    "TooLong": "applied too long",
}
_PRESENTATION = ("Item", "StyleSheet", "Package", "Diagram")


def load(path: Path) -> Imported:
    """Import the Gaphor model ``path``."""
    path = Path(path)
    root = parse_foreign_xml(read_foreign_file(path), str(path), "Gaphor models")
    if _local(root.tag) != "gaphor":
        raise FileFormatError.single(str(path), "This is not a Gaphor model.", 1)
    return _Import(path, root).run()


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(element: Any, name: str) -> Any | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _name(element: Any) -> str:
    found = _child(element, "name")
    if found is None:
        return ""
    value = next((c for c in found.iter() if _local(c.tag) == "val"), None)
    return (value.text or "").strip() if value is not None else ""


def _value(element: Any, name: str) -> float:
    found = _child(element, name)
    text = ""
    if found is not None:
        value = next((c for c in found.iter() if _local(c.tag) == "val"), found)
        text = (value.text or "").strip()
    try:
        return float(text)
    except ValueError:
        return 0.0


def _translation(item: Any) -> tuple[float, float]:
    """The translation of an item's affine ``matrix`` (a 6-tuple ``(a, b, c, d, x, y)``)."""
    found = _child(item, "matrix")
    if found is None:
        return 0.0, 0.0
    value = next((c for c in found.iter() if _local(c.tag) == "val"), found)
    parts = (value.text or "").strip("() \n").split(",")
    try:
        return float(parts[4]), float(parts[5])
    except (IndexError, ValueError):
        return 0.0, 0.0


def _refs(element: Any, name: str) -> list[str]:
    found = _child(element, name)
    if found is None:
        return []
    return [c.get("refid") for c in found.iter() if _local(c.tag) == "ref" and c.get("refid")]


class _Import:
    def __init__(self, path: Path, root: Any) -> None:
        self.root = root
        self.b = Builder(FORMAT, path)
        elements = [e for e in root if isinstance(e.tag, str)]
        for wrapper in [e for e in elements if _local(e.tag) == "model"]:  # version 4
            elements.remove(wrapper)
            elements += [e for e in wrapper if isinstance(e.tag, str)]
        self.elements = elements
        self.by_id = {e.get("id"): e for e in elements if e.get("id")}
        #: Model element id -> the boxes showing it (x, y, width, height), parents resolved.
        self.boxes: dict[str, list[tuple[float, float, float, float]]] = {}
        items = {e.get("id"): e for e in elements if _local(e.tag).endswith("Item")}
        for item in items.values():  # top-level items (Gaphor 2.7 and later)
            self.box(item, self.offset(item, items))
        for diagram in (e for e in elements if _local(e.tag) == "Diagram"):  # Gaphor <= 2.6
            for canvas in (c for c in diagram if _local(c.tag) == "canvas"):
                for item in (c for c in canvas if _local(c.tag) == "item"):
                    self.nested(item, (0.0, 0.0))

    def offset(self, item: Any, items: dict[str, Any]) -> tuple[float, float]:
        """Where ``item``'s parent items put its origin (matrices are parent-relative)."""
        x = y = 0.0
        seen: set[str] = set()
        parents = _refs(item, "parent")
        while parents and parents[0] in items and parents[0] not in seen:
            seen.add(parents[0])
            parent = items[parents[0]]
            dx, dy = _translation(parent)
            x, y = x + dx, y + dy
            parents = _refs(parent, "parent")
        return x, y

    def box(self, item: Any, origin: tuple[float, float]) -> tuple[float, float]:
        """Record the box of ``item`` at ``origin``; returns its own origin for children."""
        dx, dy = _translation(item)
        x, y = origin[0] + dx, origin[1] + dy
        subject = _refs(item, "subject")
        width, height = _value(item, "width"), _value(item, "height")
        if subject and width > 0 and height > 0:
            self.boxes.setdefault(subject[0], []).append((x, y, width, height))
        return x, y

    def nested(self, item: Any, origin: tuple[float, float]) -> None:
        inner = self.box(item, origin)
        for child in (c for c in item if _local(c.tag) == "item"):
            self.nested(child, inner)

    def general(self, element: Any) -> list[Any]:
        """The elements ``element`` generalizes (through its Generalization elements)."""
        found = []
        for ref in _refs(element, "generalization"):
            link = self.by_id.get(ref)
            if link is None:
                continue
            for target in _refs(link, "general"):
                if target in self.by_id:
                    found.append(self.by_id[target])
        return found

    def run(self) -> Imported:
        b = self.b
        version = self.root.get("version") or "?"
        b.infer(
            "version",
            None,
            f"Read as a Gaphor model of format {version} "
            f"(Gaphor {self.root.get('gaphor-version') or '?'}), best effort.",
        )
        for element in self.elements:
            kind = _local(element.tag)
            name = _name(element)
            where = f"{kind}[@id='{element.get('id')}']"
            if kind == "Loss":
                b.add(Loss(id=b.new_id("L-"), text=name or "Loss"), name)
            elif kind == "Hazard":
                b.add(Hazard(id=b.new_id("H-"), text=name or "Hazard"), name)
            elif kind in COMPONENTS:
                component = Component(id=b.new_id("C-"), name=name or kind, kind=COMPONENTS[kind])
                b.add(component)
                shown = self.boxes.get(element.get("id"), [])
                if shown:
                    b.place(component.id, *shown[0])
                    if len(shown) > 1:
                        b.infer(
                            "position",
                            where,
                            f"{component.name} is shown on {len(shown)} "
                            "diagrams; its place on the first is kept.",
                        )
            elif kind == "LossScenario":
                b.add(LossScenario(id=b.new_id("LS-"), text=name or "Loss scenario"))
            elif kind in ("UnsafeControlAction", "UnsafeControlAction_Def"):
                fine = [
                    UCA_TEMPLATES[g]
                    for g in map(_name, self.general(element))
                    if g in UCA_TEMPLATES
                ]
                if name in UCA_TEMPLATES:
                    b.keep(
                        "UCA template",
                        where,
                        f"The template UCA {name} is not an analysis record.",
                        name,
                    )
                else:
                    b.keep(
                        "UCA",
                        where,
                        f"The UCA {name!r} ({fine[0] if fine else 'untyped'}) "
                        "has no control action Stipa can attach it to.",
                        name,
                    )
                    b.counts["ucas_" + (fine[0].replace(" ", "_") if fine else "untyped")] += 1
            elif kind in ("OperationalSituation", "AbstractOperationalSituation"):
                b.keep(
                    "operational situation", where, f"{kind} {name!r} has no home in Stipa.", name
                )
                b.counts[
                    "operational_situations"
                    if kind == "OperationalSituation"
                    else "abstract_operational_situations"
                ] += 1
            elif kind == "Diagram":
                b.counts["diagrams"] += 1
                b.keep(
                    "diagram",
                    where,
                    f"The diagram {name!r} is not read; the structure is laid out anew.",
                    name,
                )
            elif not kind.endswith(_PRESENTATION):
                b.keep(
                    "element",
                    where,
                    f"A {kind} element {name!r} has no STPA meaning Stipa recognises.",
                    name,
                )
        return b.finish(DocumentInfo(title=self.title()))

    def title(self) -> str:
        packages = [e for e in self.elements if _local(e.tag) == "Package"]
        return _name(packages[0]) if packages else ""


__all__ = ["FORMAT", "load"]
