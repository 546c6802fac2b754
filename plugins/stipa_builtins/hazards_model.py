"""The indexes one run of ``stipa.hazards`` builds once, and the wording of UCAs and constraints.

Every lookup the checks need (links by source and target, control actions by item, UCAs by
action, constraints by hazard...) is built here in one pass over the snapshot, so no check
scans all links or all records per component: the analysis stays linear in the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from typing import Generic, TypeVar, cast

from stipa import (
    Component,
    ComponentKind,
    ContextRule,
    ContextTable,
    ControllerConstraint,
    Hazard,
    Link,
    LinkItem,
    LinkKind,
    LossScenario,
    Responsibility,
    Snapshot,
    SystemConstraint,
    UCAStatus,
    UCAType,
    UnsafeControlAction,
)

__all__ = [
    "INVERTED",
    "TYPE_WORDS",
    "Groups",
    "Index",
    "constraint_text",
    "label",
    "listing",
    "uca_sentence",
]

#: How each UCA type reads in a finding ("has no decision for ...").
TYPE_WORDS: dict[UCAType, str] = {
    UCAType.NOT_PROVIDED: "not provided",
    UCAType.PROVIDED: "provided",
    UCAType.TIMING: "too early, too late or out of order",
    UCAType.DURATION: "stopped too soon or applied too long",
}

T = TypeVar("T")

#: How many steps ``Index.reach`` follows a control action down.
_REACH_DEPTH = 3

_TOO_LONG = re.compile(r"\s*(for\s+)?(too\s+long|longer)\b", re.IGNORECASE)


def _duration_keeps_on(context: str) -> bool:
    """Whether a duration UCA's context is about applying too long (else stopping too soon)."""
    return bool(_TOO_LONG.match(context))


def _verb(uca_type: UCAType, context: str) -> str:
    if uca_type == UCAType.NOT_PROVIDED:
        return "does not provide"
    if uca_type == UCAType.DURATION and not _duration_keeps_on(context):
        return "stops providing"
    return "provides"


#: The verb of each UCA type's inversion (Handbook: each UCA inverted is a constraint).
INVERTED: dict[UCAType, str] = {
    UCAType.NOT_PROVIDED: "must provide",
    UCAType.PROVIDED: "must not provide",
    UCAType.TIMING: "must not provide",
    UCAType.DURATION: "must not stop providing",
}


def _join(controller: str, verb: str, action: str, context: str) -> str:
    context = context.strip()
    text = f"{controller.strip()} {verb} {action.strip()}"
    return f"{text} {context}" if context else text


def uca_sentence(controller: str, action: str, uca_type: UCAType, context: str) -> str:
    """``"BSCU Autobrake provides Brake during a normal takeoff"`` (Handbook UCA format)."""
    return _join(controller, _verb(uca_type, context), action, context)


def constraint_text(controller: str, action: str, uca_type: UCAType, context: str) -> str:
    """The UCA inverted: ``"BSCU Autobrake must not provide Brake during a normal takeoff"``."""
    verb = INVERTED[uca_type]
    if uca_type == UCAType.DURATION and _duration_keeps_on(context):
        verb = "must not provide"
    return _join(controller, verb, action, context)


def label(link: Link) -> str:
    """The items of a link, quoted: ``'"Manual braking", "Power off BSCU"'``."""
    if not link.items:
        return f"link {link.id}"
    return ", ".join(f'"{item.name}"' for item in link.items)


def listing(names: Sequence[str], limit: int = 4, conjunction: str = "and") -> str:
    """``"A, B and C"``; beyond ``limit`` names, ``"A, B, C, D and 3 others"``."""
    names = list(dict.fromkeys(names))
    if len(names) > limit:
        shown, rest = names[:limit], len(names) - limit
        return f"{', '.join(shown)} {conjunction} {rest} other{'s' if rest != 1 else ''}"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


class Groups(Generic[T]):
    """Records grouped by key, read as ``groups.get(key)`` (a sequence, empty if none).

    Stored as one flat list and two dicts of integers (a counting sort), not as a list per
    key: a document of 5,000 components would otherwise add tens of thousands of lists that
    Python's cyclic garbage collector traverses again and again while the analysis runs.
    """

    def __init__(self, records: Iterable[T], keys: Callable[[T], Iterable[str]]) -> None:
        records = list(records)
        counts: dict[str, int] = {}
        for record in records:
            for key in keys(record):
                counts[key] = counts.get(key, 0) + 1
        start: dict[str, int] = {}
        total = 0
        for key, count in counts.items():
            start[key] = total
            total += count
        flat: list[T | None] = [None] * total
        fill = dict(start)
        for record in records:
            for key in keys(record):
                flat[fill[key]] = record
                fill[key] += 1
        self._flat = flat
        self._start = start
        self._count = counts

    def get(self, key: str) -> Sequence[T]:
        """The records with ``key``, in document order."""
        begin = self._start.get(key)
        if begin is None:
            return ()
        return cast(Sequence[T], self._flat[begin : begin + self._count[key]])

    def __contains__(self, key: object) -> bool:
        return key in self._start

    def keys(self) -> Iterable[str]:
        """The keys, in the order they first appear."""
        return self._start.keys()


class Index:
    """Lookups over one snapshot, built once per run."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # A system boundary is a frame, not an actor: no rule about controllers, processes or
        # their natures applies to it (it holds no links and no process model either).
        self.components: Mapping[str, Component] = {
            cid: c for cid, c in snapshot.components.items() if c.kind != ComponentKind.BOUNDARY
        }
        links = snapshot.links.values()
        self._out: Groups[Link] = Groups(links, lambda link: (link.source,))
        self._in: Groups[Link] = Groups(links, lambda link: (link.target,))
        #: Control-action item id -> the link carrying it.
        self.action_link: dict[str, Link] = {
            item.id: link
            for link in links
            if link.kind == LinkKind.CONTROL_ACTION
            for item in link.items
        }
        self.hazards: Mapping[str, Hazard] = snapshot.hazards
        #: Hazard id -> its position in the document (for stable, readable orders).
        self.hazard_order: dict[str, int] = {h: i for i, h in enumerate(self.hazards)}
        self.children: Groups[Hazard] = Groups(
            self.hazards.values(), lambda h: () if h.parent is None else (h.parent,)
        )
        self.constraints_of_hazard: Groups[SystemConstraint] = Groups(
            snapshot.constraints.values(), lambda sc: sc.hazards
        )
        responsibilities = snapshot.responsibilities.values()
        self.responsibilities_of_constraint: Groups[Responsibility] = Groups(
            responsibilities, lambda r: r.constraints
        )
        self.responsibilities_of_owner: Groups[Responsibility] = Groups(
            responsibilities, lambda r: (r.owner,)
        )
        self.ucas_of_action: Groups[UnsafeControlAction] = Groups(
            snapshot.ucas.values(), lambda uca: (uca.action,)
        )
        self.constraints_of_uca: Groups[ControllerConstraint] = Groups(
            snapshot.controller_constraints.values(), lambda cc: cc.ucas
        )
        self.scenarios_of_uca: Groups[LossScenario] = Groups(
            snapshot.scenarios.values(), lambda ls: ls.ucas
        )
        self.rules_of_action: Groups[ContextRule] = Groups(
            snapshot.context_rules.values(), lambda rule: (rule.action,)
        )
        self._tables: dict[str, ContextTable] = {}
        #: Per-run cache for the checks (keys are tuples starting with the check's name).
        self.memo: dict[tuple[str, ...], object] = {}
        self._controller_hazards: dict[str, tuple[str, ...]] = {}

    # --- the control structure ---------------------------------------------------------------
    def name(self, component_id: str) -> str:
        """A component's name (its id if it has none)."""
        component = self.snapshot.components.get(component_id)  # boundaries too
        return component.name if component is not None and component.name else component_id

    def is_controller(self, component_id: str) -> bool:
        """Whether the component is a controller."""
        component = self.components.get(component_id)
        return component is not None and component.kind == ComponentKind.CONTROLLER

    def links_from(self, component_id: str, *kinds: LinkKind) -> Sequence[Link]:
        """Links starting at a component (of the given kinds; all kinds when none given)."""
        links = self._out.get(component_id)
        return [link for link in links if link.kind in kinds] if kinds else links

    def links_to(self, component_id: str, *kinds: LinkKind) -> Sequence[Link]:
        """Links ending at a component (of the given kinds; all kinds when none given)."""
        links = self._in.get(component_id)
        return [link for link in links if link.kind in kinds] if kinds else links

    def reach(self, link: Link) -> tuple[list[str], list[str]]:
        """Where a control action goes: ``(path, ends)``.

        ``path`` lists the components it passes through (actuators, and a lower controller it
        commands, which passes it on through its own control actions); ``ends`` lists what it
        finally acts on (controlled processes, or a component that passes nothing on). The
        walk goes at most three steps down and through a controller only at the first step,
        so it stays small in deep hierarchies.
        """
        path: list[str] = []
        ends: list[str] = []
        seen = {link.source}
        frontier = [link.target]
        for depth in range(_REACH_DEPTH):
            following: list[str] = []
            for node in frontier:
                if node in seen:
                    continue
                seen.add(node)
                component = self.components.get(node)
                relays = component is not None and (
                    component.kind == ComponentKind.ACTUATOR
                    or (component.kind == ComponentKind.CONTROLLER and depth == 0)
                )
                onward = (
                    [r.target for r in self.links_from(node, LinkKind.CONTROL_ACTION)]
                    if relays
                    else []
                )
                onward = [n for n in onward if n not in seen]
                if onward:
                    path.append(node)
                    following.extend(onward)
                else:
                    ends.append(node)
            frontier = following
        ends.extend(n for n in frontier if n not in seen)
        return path, list(dict.fromkeys(ends))

    @cached_property
    def controllers(self) -> list[Component]:
        """The controllers, in document order."""
        return [c for c in self.components.values() if c.kind == ComponentKind.CONTROLLER]

    # --- control actions ---------------------------------------------------------------------
    def controller_actions(self) -> Iterable[tuple[Component, Link, LinkItem]]:
        """Every control-action item a controller sends, in document order."""
        controller = ComponentKind.CONTROLLER
        for link in self.snapshot.links.values():
            if link.kind != LinkKind.CONTROL_ACTION or not link.items:
                continue
            source = self.components.get(link.source)
            if source is not None and source.kind == controller:
                for item in link.items:
                    yield source, link, item

    def action(self, item_id: str) -> tuple[Link, LinkItem] | None:
        """The link and item of a control-action item id, or None."""
        link = self.action_link.get(item_id)
        if link is None:
            return None
        for item in link.items:
            if item.id == item_id:
                return link, item
        return None

    def table(self, controller_id: str) -> ContextTable:
        """The context table over a controller's process-model variables (made once)."""
        table = self._tables.get(controller_id)
        if table is None:
            table = ContextTable(self.components[controller_id].variables)
            self._tables[controller_id] = table
        return table

    def controller_hazards(self, controller_id: str) -> tuple[str, ...]:
        """Hazards the controller is responsible for: responsibility -> constraint -> hazard."""
        found = self._controller_hazards.get(controller_id)
        if found is None:
            hazards: dict[str, None] = {}
            constraints = self.snapshot.constraints
            for r in self.responsibilities_of_owner.get(controller_id):
                for sc_id in r.constraints:
                    sc = constraints.get(sc_id)
                    if sc is not None:
                        hazards.update(dict.fromkeys(sc.hazards))
            order = self.hazard_order
            found = tuple(sorted(hazards, key=lambda h: order.get(h, len(order))))
            self._controller_hazards[controller_id] = found
        return found

    def describe_uca(self, uca: UnsafeControlAction) -> tuple[str, str, str]:
        """(controller id, controller name, action name) of a UCA's control action."""
        found = self.action(uca.action)
        if found is None:
            return "", "", uca.action
        link, item = found
        return link.source, self.name(link.source), item.name

    def sentence(self, uca: UnsafeControlAction, with_hazards: bool = True) -> str:
        """A UCA in the Handbook's format, hazards in brackets."""
        _cid, controller, action = self.describe_uca(uca)
        text = uca_sentence(controller, action, uca.type, uca.context)
        if with_hazards and uca.hazards:
            text += f" [{', '.join(uca.hazards)}]"
        return text

    def decided_types(self, action_id: str) -> set[UCAType]:
        """UCA types with an accepted or not-applicable UCA for the action."""
        return {
            uca.type
            for uca in self.ucas_of_action.get(action_id)
            if uca.status in (UCAStatus.ACCEPTED, UCAStatus.NOT_APPLICABLE)
        }

    # --- hazards -------------------------------------------------------------------------------
    def ancestors(self, hazard_id: str) -> Iterable[Hazard]:
        """The hazards a hazard refines, nearest first (loops are cut)."""
        seen = {hazard_id}
        parent = self.hazards[hazard_id].parent if hazard_id in self.hazards else None
        while parent is not None and parent not in seen and parent in self.hazards:
            seen.add(parent)
            yield self.hazards[parent]
            parent = self.hazards[parent].parent

    def descendants(self, hazard_id: str) -> list[str]:
        """The hazard and every sub-hazard below it."""
        found, stack, seen = [], [hazard_id], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            found.append(current)
            stack.extend(h.id for h in self.children.get(current))
        return found
