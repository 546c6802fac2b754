"""Traceability between STPA records, both ways, without Qt.

What a record traces to (upward: a UCA to its hazards, those to their losses) and what traces
to it (downward: a hazard's constraints, UCAs, scenarios), what concerns a component drawn on
the canvas, the canvas items a set of records lights up, and a loss's whole chain as a tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from stipa.model import (
    ContextRule,
    ControllerConstraint,
    Hazard,
    LossScenario,
    Responsibility,
    SystemConstraint,
    UnsafeControlAction,
)
from stipa.model.view import DocumentView

#: The STPA tables the workbench shows.
STPA_TABLES = (
    "losses",
    "hazards",
    "constraints",
    "responsibilities",
    "ucas",
    "controller_constraints",
    "scenarios",
    "context_rules",
)


def upward(view: DocumentView, record_id: str) -> list[str]:
    """The ids a record refers to directly (its hazards, losses, UCAs, constraints, parent)."""
    record = view.get(record_id)
    refs: list[str] = []
    if isinstance(record, Hazard):
        refs += record.losses
        if record.parent:
            refs.append(record.parent)
    elif isinstance(record, SystemConstraint):
        refs += record.hazards
    elif isinstance(record, Responsibility):
        refs += record.constraints
    elif isinstance(record, UnsafeControlAction | ContextRule):
        refs += record.hazards
    elif isinstance(record, ControllerConstraint):
        refs += record.ucas
    elif isinstance(record, LossScenario):
        refs += [*record.ucas, *record.hazards]
    return [ref for ref in refs if ref in view]


def _index(view: DocumentView) -> dict[str, list[str]]:
    """id -> ids of the STPA records that refer to it directly."""
    down: dict[str, list[str]] = {}
    for name in STPA_TABLES:
        for record_id in view.table(name):
            for ref in upward(view, record_id):
                down.setdefault(ref, []).append(record_id)
    return down


def _closure(
    start: Iterable[str], step: dict[str, list[str]] | None, view: DocumentView
) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(step.get(current, []) if step is not None else upward(view, current))
    return seen


def related(view: DocumentView, record_ids: Iterable[str]) -> set[str]:
    """Everything the records trace to (upward) and everything tracing to them (downward).

    Sub-hazards of a hazard and the hazards refining into it are followed like references,
    so a loss relates to its hazards, their sub-hazards and everything below them.
    """
    ids = [i for i in record_ids if i in view]
    up = _closure(ids, None, view)
    down = _closure(ids, _index(view), view)
    return up | down


def concerns(view: DocumentView, canvas_ids: Iterable[str]) -> set[str]:
    """The STPA records that concern the given components or links of the canvas.

    A component: its responsibilities (owner, process or RACI), the UCAs and context rules of
    control actions it sends or receives; a link: those of its control actions. Then what
    those trace to and what traces to them.
    """
    components = {i for i in canvas_ids if i in view.components}
    actions: set[str] = set()
    for link_id in canvas_ids:
        link = view.links.get(link_id)
        if link is not None:
            actions.update(item.id for item in link.items)
    for link in view.links.values():
        if link.source in components or link.target in components:
            actions.update(item.id for item in link.items)
    start: set[str] = set()
    for r in view.responsibilities.values():
        holders = {r.owner, *r.processes, *(a.component for a in r.raci)}
        if holders & components:
            start.add(r.id)
    start.update(u.id for u in view.ucas.values() if u.action in actions)
    start.update(c.id for c in view.context_rules.values() if c.action in actions)
    return related(view, start)


def canvas_targets(view: DocumentView, record_ids: Iterable[str]) -> tuple[set[str], set[str]]:
    """(component ids, link ids) that records light up on the canvas.

    A UCA or context rule: its control action's link and controller; a responsibility: its
    owner; a component or link itself.
    """
    components: set[str] = set()
    links: set[str] = set()
    for record_id in record_ids:
        record = view.get(record_id)
        if record_id in view.components:
            components.add(record_id)
        elif record_id in view.links:
            links.add(record_id)
        elif isinstance(record, UnsafeControlAction | ContextRule):
            found = view.control_action(record.action)
            if found is not None:
                links.add(found[0].id)
                components.add(found[0].source)
        elif isinstance(record, Responsibility):
            components.add(record.owner)
    return components, links


@dataclass
class TraceNode:
    """One record in a loss's chain and the records below it."""

    record_id: str
    kind: str
    children: list[TraceNode] = field(default_factory=list)

    def walk(self) -> Iterator[TraceNode]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def loss_chain(view: DocumentView, loss_id: str) -> TraceNode:
    """The chain of a loss: hazards → sub-hazards → constraints → responsibilities, and
    hazards → UCAs → controller constraints and scenarios (and scenarios of the hazard)."""
    root = TraceNode(loss_id, "loss")
    down = _index(view)

    def below(record_id: str, table: str) -> list[str]:
        return [i for i in down.get(record_id, []) if view.table_of(i) == table]

    def hazard_node(hazard_id: str, seen: set[str]) -> TraceNode:
        node = TraceNode(hazard_id, "hazard")
        seen = seen | {hazard_id}
        for sub in (h.id for h in view.hazards.values() if h.parent == hazard_id):
            if sub not in seen:
                node.children.append(hazard_node(sub, seen))
        for sc in below(hazard_id, "constraints"):
            sc_node = TraceNode(sc, "constraint")
            sc_node.children = [
                TraceNode(r, "responsibility") for r in below(sc, "responsibilities")
            ]
            node.children.append(sc_node)
        for uca in below(hazard_id, "ucas"):
            uca_node = TraceNode(uca, "uca")
            uca_node.children = [
                TraceNode(cc, "controller_constraint")
                for cc in below(uca, "controller_constraints")
            ] + [TraceNode(ls, "scenario") for ls in below(uca, "scenarios")]
            node.children.append(uca_node)
        node.children += [TraceNode(ls, "scenario") for ls in below(hazard_id, "scenarios")]
        return node

    for hazard in view.hazards.values():
        if loss_id in hazard.losses:
            parent = view.hazards.get(hazard.parent) if hazard.parent else None
            if parent is not None and loss_id in parent.losses:
                continue  # shown under its parent
            root.children.append(hazard_node(hazard.id, set()))
    return root
