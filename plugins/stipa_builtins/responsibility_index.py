"""What one run of ``stipa.responsibility`` indexes once, and the traversals its rules share.

Links are indexed by end and kind in one pass, responsibilities by owner, process and
constraint in another. The path questions the rules ask ("does feedback from P reach the
owner?", "does anyone above this controller answer for it?") are answered by traversals that
are either bounded per component (feedback paths of at most :data:`FEEDBACK_HOPS` links,
cached per owner) or done once for the whole document from many sources at a time, so the
analysis stays linear in the size of the document: no search between all pairs.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from stipa import (
    Component,
    ComponentKind,
    DocumentView,
    Link,
    LinkKind,
    Nature,
    RaciRole,
    Responsibility,
)

__all__ = [
    "ACTUATOR_HOPS",
    "ANSWERING",
    "AUTOMATED",
    "FEEDBACK_HOPS",
    "LAY_ROLES",
    "OVERRIDE_WORDS",
    "OVERSIGHT_ROLES",
    "RACI_LETTERS",
    "UNCERTAINTY_WORDS",
    "Groups",
    "Index",
    "effective_raci",
    "listing",
]

#: How many feedback or information links a report may pass on its way to a controller:
#: process -> sensor -> operator -> supervisor -> organisation is four.
FEEDBACK_HOPS = 4
#: How many actuators a control action may pass on its way to the process it acts on.
ACTUATOR_HOPS = 2
#: Natures that answer for a system: where accountability chains end (Rismani et al. 2024).
ANSWERING = frozenset({Nature.ORGANISATION, Nature.REGULATOR})
#: Roles of organisations that oversee others independently, as a regulator does.
OVERSIGHT_ROLES = re.compile(
    r"oversight|regulat|\baudit|inspector|inspectorate|ombuds|watchdog|supervisory\s+authorit",
    re.IGNORECASE,
)
#: Natures of automated controllers, whose failures a person may be made to catch.
AUTOMATED = frozenset({Nature.SOFTWARE, Nature.AI_MODEL})
#: Kinds of automated components a responsibility can make a person watch over.
_WATCHED_KINDS = frozenset({ComponentKind.CONTROLLER, ComponentKind.CONTROLLED_PROCESS})

#: Control-action names that let a person stop or override what automation does.
OVERRIDE_WORDS = re.compile(
    r"overrid|overrul|\bstop|\bhalt|\bveto|\breject|\bcancel|\babort|suspend|disabl|disengag"
    r"|shut\s*down|switch\s*off|turn\s*off|\bpause|\brevers|\brevert|take\s*over|takeover"
    r"|interven|\bmanual|\bcontest|\bappeal|\bcorrect",
    re.IGNORECASE,
)
#: Feedback names that report how certain automation is of its output.
UNCERTAINTY_WORDS = re.compile(
    r"confiden|uncertain|probabilit|likelihood|certaint|\bscores?\b|error\s*rate|accuracy"
    r"|calibrat|reliabilit",
    re.IGNORECASE,
)
#: Roles of people who use or undergo a system without professional training for it.
LAY_ROLES = re.compile(
    r"\blay\b|affected|\bpublic\b|citizen|consumer|customer|\bclient|patient|passenger"
    r"|applicant|claimant|resident|bystander|end[\s-]?user",
    re.IGNORECASE,
)
#: The letter of each RACI role, in the order the matrix shows them.
RACI_LETTERS: dict[RaciRole, str] = {
    RaciRole.RESPONSIBLE: "R",
    RaciRole.ACCOUNTABLE: "A",
    RaciRole.CONSULTED: "C",
    RaciRole.INFORMED: "I",
}


def effective_raci(responsibility: Responsibility) -> dict[str, list[RaciRole]]:
    """Who holds which RACI role for a responsibility, the owner counting as Responsible.

    The roles entered are taken as they are; an owner with no role entered is Responsible.
    """
    roles: dict[str, list[RaciRole]] = {}
    for assignment in responsibility.raci:
        held = roles.setdefault(assignment.component, [])
        if assignment.role not in held:
            held.append(assignment.role)
    if responsibility.owner not in roles:
        roles = {responsibility.owner: [RaciRole.RESPONSIBLE], **roles}
    return roles


def listing(names: Sequence[str], limit: int = 4, conjunction: str = "and") -> str:
    """``"A, B and C"``; beyond ``limit`` names ``"A, B, C, D and 3 others"``."""
    unique = list(dict.fromkeys(names))
    if len(unique) > limit:
        rest = len(unique) - limit
        return f"{', '.join(unique[:limit])} {conjunction} {rest} other{'s' if rest > 1 else ''}"
    if len(unique) <= 1:
        return "".join(unique)
    return f"{', '.join(unique[:-1])} {conjunction} {unique[-1]}"


class Groups:
    """Disjoint sets (union-find) of component ids: who is coordinated with whom."""

    def __init__(self, members: Iterable[str]) -> None:
        self._parent = {member: member for member in members}

    def find(self, member: str) -> str:
        """The representative of ``member``'s group."""
        parent = self._parent
        root = member
        while parent[root] != root:
            root = parent[root]
        while parent[member] != root:  # path compression
            parent[member], member = root, parent[member]
        return root

    def join(self, first: str, second: str) -> None:
        """Put ``first`` and ``second`` (both members) in one group."""
        a, b = self.find(first), self.find(second)
        if a != b:
            self._parent[b] = a

    def groups(self) -> list[list[str]]:
        """The groups, each in member order, ordered by their first member."""
        found: dict[str, list[str]] = {}
        for member in self._parent:
            found.setdefault(self.find(member), []).append(member)
        return list(found.values())


class Index:
    """Lookups over one document view, built once per run.

    With ``links=False`` the links are not indexed (the link tables stay empty): enough for
    the responsibility matrix, which needs only the responsibilities.
    """

    def __init__(self, view: DocumentView, links: bool = True) -> None:
        self.view = view
        # A system boundary is a frame, not an actor: it holds and answers for nothing itself.
        self.components: Mapping[str, Component] = {
            cid: c for cid, c in view.components.items() if c.kind != ComponentKind.BOUNDARY
        }
        #: Component id -> its position in the document, for stable orders.
        self.order: dict[str, int] = {cid: i for i, cid in enumerate(self.components)}
        #: Control actions: source -> target -> links, and target -> source -> links.
        self.ca_out: dict[str, dict[str, list[Link]]] = {}
        self.ca_in: dict[str, dict[str, list[Link]]] = {}
        #: Feedback and information ("flow" toward whoever receives it), by end.
        self.flow_in: dict[str, dict[str, list[Link]]] = {}
        self.flow_out: dict[str, list[Link]] = {}
        #: Unordered pairs joined by an information (coordination) link.
        self.info_pairs: set[tuple[str, str]] = set()
        for link in view.links.values() if links else ():
            source, target = link.source, link.target
            if link.kind == LinkKind.CONTROL_ACTION:
                self.ca_out.setdefault(source, {}).setdefault(target, []).append(link)
                self.ca_in.setdefault(target, {}).setdefault(source, []).append(link)
            else:
                self.flow_in.setdefault(target, {}).setdefault(source, []).append(link)
                self.flow_out.setdefault(source, []).append(link)
                if link.kind == LinkKind.INFORMATION:
                    self.info_pairs.add((source, target) if source < target else (target, source))

        self.responsibilities: Mapping[str, Responsibility] = view.responsibilities
        self.raci: dict[str, dict[str, list[RaciRole]]] = {}
        #: Component id -> responsibilities it holds (owner, or Responsible/Accountable).
        self.held: dict[str, list[Responsibility]] = {}
        #: Responsibility id -> who holds it: the owner, then others Responsible/Accountable.
        self.holders: dict[str, list[str]] = {}
        self.by_process: dict[str, list[Responsibility]] = {}
        self.by_constraint: dict[str, list[Responsibility]] = {}
        for resp in self.responsibilities.values():
            roles = self.raci[resp.id] = effective_raci(resp)
            holders = [resp.owner] + [
                c
                for c, held in roles.items()
                if c != resp.owner
                and (RaciRole.RESPONSIBLE in held or RaciRole.ACCOUNTABLE in held)
            ]
            self.holders[resp.id] = holders
            for holder in holders:
                self.held.setdefault(holder, []).append(resp)
            for process in dict.fromkeys(resp.processes):
                self.by_process.setdefault(process, []).append(resp)
            for constraint in dict.fromkeys(resp.constraints):
                self.by_constraint.setdefault(constraint, []).append(resp)

        #: Hazard id -> ids of the constraints tracing to it; loss id -> hazards tracing to it.
        self.constraints_of: dict[str, list[str]] = {}
        for system_constraint in view.constraints.values():
            for hazard in dict.fromkeys(system_constraint.hazards):
                self.constraints_of.setdefault(hazard, []).append(system_constraint.id)
        self.sub_hazards: dict[str, list[str]] = {}
        self.hazards_of_loss: dict[str, list[str]] = {}
        for record in view.hazards.values():
            if record.parent is not None:
                self.sub_hazards.setdefault(record.parent, []).append(record.id)
            for loss in dict.fromkeys(record.losses):
                self.hazards_of_loss.setdefault(loss, []).append(record.id)

        #: Containment among the components (boundaries included): child -> its container,
        #: container -> its children.
        self.container: dict[str, str] = {}
        self.contents: dict[str, list[str]] = {}
        for cid, component in view.components.items():
            if component.parent and component.parent in view.components:
                self.container[cid] = component.parent
                self.contents.setdefault(component.parent, []).append(cid)
        #: Regulators and independent oversight bodies, in document order.
        self.overseers: list[str] = [
            cid
            for cid, c in self.components.items()
            if c.nature == Nature.REGULATOR
            or (c.nature == Nature.ORGANISATION and OVERSIGHT_ROLES.search(c.role))
        ]

        self._observers: dict[str, frozenset[str]] = {}
        self._reach: dict[str, frozenset[str]] = {}
        self._answerable: frozenset[str] | None = None
        self._regulated: frozenset[str] | None = None
        self._governed: dict[str, int] | None = None

    # --- names and kinds -------------------------------------------------------------------
    def name(self, component_id: str) -> str:
        """The component's name (its id if it has none or is unknown)."""
        component = self.view.components.get(component_id)  # boundaries too
        return component.name if component is not None and component.name else component_id

    def names(self, component_ids: Iterable[str]) -> list[str]:
        """Names of several components, in the order given."""
        return [self.name(cid) for cid in component_ids]

    def sorted(self, component_ids: Iterable[str]) -> list[str]:
        """Component ids, unique, in document order."""
        order = self.order
        return sorted(set(component_ids), key=lambda cid: order.get(cid, len(order)))

    def kind(self, component_id: str) -> ComponentKind | None:
        """The component's kind, or None for an unknown id."""
        component = self.components.get(component_id)
        return component.kind if component is not None else None

    def nature(self, component_id: str) -> Nature | None:
        """The component's nature, or None for an unknown id."""
        component = self.components.get(component_id)
        return component.nature if component is not None else None

    def automated(self, component_id: str, controllers_only: bool = False) -> bool:
        """Whether the component is automation a person could be made to watch over.

        Software and AI models acting as controllers; AI models drawn as controlled
        processes too (a deployed model), unless ``controllers_only``. Passive software
        processes (a database, a case record) are not automation in this sense.
        """
        component = self.components.get(component_id)
        if component is None or component.nature not in AUTOMATED:
            return False
        if component.kind == ComponentKind.CONTROLLER:
            return True
        return (
            not controllers_only
            and component.nature == Nature.AI_MODEL
            and component.kind in _WATCHED_KINDS
        )

    # --- control -----------------------------------------------------------------------------
    def reach(self, controller: str) -> frozenset[str]:
        """What ``controller`` acts on: targets of its control actions, also through actuators.

        An actuator that receives a control action passes it on: what the actuator acts on
        (up to :data:`ACTUATOR_HOPS` actuators deep) is in reach as well.
        """
        cached = self._reach.get(controller)
        if cached is not None:
            return cached
        found: set[str] = set()
        frontier = [controller]
        for _ in range(ACTUATOR_HOPS + 1):
            following = []
            for node in frontier:
                for target in self.ca_out.get(node, ()):
                    if target in found or target == controller:
                        continue
                    found.add(target)
                    if self.kind(target) == ComponentKind.ACTUATOR:
                        following.append(target)
            frontier = following
            if not frontier:
                break
        result = self._reach[controller] = frozenset(found)
        return result

    def action_links(self, source: str, target: str) -> list[Link]:
        """Control-action links by which ``source`` acts on ``target`` (direct or via actuator)."""
        out = self.ca_out.get(source, {})
        links = list(out.get(target, ()))
        for middle, middle_links in out.items():
            if self.kind(middle) == ComponentKind.ACTUATOR and target in self.ca_out.get(
                middle, {}
            ):
                links.extend(middle_links)
        return links

    def controllers_of(self, process: str) -> list[str]:
        """Who acts on ``process``: sources of control actions on it, and the controllers of
        actuators that act on it (an actuator is a relay, not a controller of its own)."""
        found: list[str] = []
        for source in self.ca_in.get(process, ()):
            if self.kind(source) == ComponentKind.ACTUATOR:
                found.extend(s for s in self.ca_in.get(source, ()) if s != process)
            else:
                found.append(source)
        return self.sorted(s for s in found if s != process)

    def superiors(self, component_id: str) -> list[str]:
        """Who controls ``component_id``: the sources of control actions on it."""
        return self.sorted(s for s in self.ca_in.get(component_id, ()) if s != component_id)

    def coordinated(self, first: str, second: str) -> bool:
        """Whether two controllers talk (an information link) or one controls the other."""
        pair = (first, second) if first < second else (second, first)
        return (
            pair in self.info_pairs
            or second in self.ca_out.get(first, {})
            or first in self.ca_out.get(second, {})
        )

    def group(self, members: Sequence[str]) -> Groups:
        """``members`` grouped by coordination.

        Two are coordinated when an information link joins them or one controls the other,
        or when a responsibility names two or more of them among its processes: someone is
        charged with coordinating them.
        """
        groups = Groups(members)
        present = set(members)
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                if self.coordinated(first, second):
                    groups.join(first, second)
        seen: set[str] = set()
        for member in members:
            for resp in self.by_process.get(member, ()):
                if resp.id in seen:
                    continue
                seen.add(resp.id)
                named = [p for p in dict.fromkeys(resp.processes) if p in present]
                for other in named[1:]:
                    groups.join(named[0], other)
        return groups

    # --- feedback ---------------------------------------------------------------------------
    def observed_by(self, observer: str) -> frozenset[str]:
        """Components whose feedback or information reaches ``observer``.

        Directly, or relayed by sensors, other controllers or anyone else, along at most
        :data:`FEEDBACK_HOPS` links. One bounded breadth-first search per observer, cached.
        """
        cached = self._observers.get(observer)
        if cached is not None:
            return cached
        found: set[str] = set()
        frontier = [observer]
        for _ in range(FEEDBACK_HOPS):
            following = []
            for node in frontier:
                for source in self.flow_in.get(node, ()):
                    if source not in found and source != observer:
                        found.add(source)
                        following.append(source)
            frontier = following
            if not frontier:
                break
        result = self._observers[observer] = frozenset(found)
        return result

    def reports_to(self, component_id: str) -> list[str]:
        """The organisations and regulators that feedback or information from
        ``component_id`` reaches along at most :data:`FEEDBACK_HOPS` links, in document
        order."""
        found: set[str] = set()
        frontier = [component_id]
        for _ in range(FEEDBACK_HOPS):
            following = []
            for node in frontier:
                for link in self.flow_out.get(node, ()):
                    if link.target not in found and link.target != component_id:
                        found.add(link.target)
                        following.append(link.target)
            frontier = following
        return self.sorted(c for c in found if self.nature(c) in ANSWERING)

    def monitored(self) -> frozenset[str]:
        """Components whose feedback or information reaches an organisation or regulator.

        The organisations and regulators themselves are included (a path of no links). One
        traversal backwards from all of them at once, unbounded: linear in the links.
        """
        start = [cid for cid, c in self.components.items() if c.nature in ANSWERING]
        found = set(start)
        queue = deque(start)
        while queue:
            node = queue.popleft()
            for source in self.flow_in.get(node, ()):
                if source not in found:
                    found.add(source)
                    queue.append(source)
        return frozenset(found)

    def _below(self, start: Iterable[str]) -> set[str]:
        """``start`` and everything it controls or contains, down any number of levels.

        Control actions and containment both carry authority down: an organisation answers
        for what it contains (a department, a boundary's contents) as for what it controls.
        """
        found = set(start)
        queue = deque(found)
        while queue:
            node = queue.popleft()
            for target in (*self.ca_out.get(node, ()), *self.contents.get(node, ())):
                if target not in found:
                    found.add(target)
                    queue.append(target)
        return found

    @property
    def answerable(self) -> frozenset[str]:
        """Components that answer, up their control chain, to an organisation or regulator.

        An organisation or regulator answers for itself; anything an answerable component
        controls or contains answers through it. One traversal down the control actions and
        containment from all organisations and regulators at once.
        """
        if self._answerable is None:
            start = [cid for cid, c in self.components.items() if c.nature in ANSWERING]
            self._answerable = frozenset(self._below(start))
        return self._answerable

    @property
    def regulated(self) -> frozenset[str]:
        """Components that answer, up their control or containment chain, to an overseer."""
        if self._regulated is None:
            self._regulated = frozenset(self._below(self.overseers))
        return self._regulated

    @property
    def governed(self) -> dict[str, int]:
        """Component -> the overseers with authority over it, as bits (bit i is
        ``overseers[i]``): what an overseer controls or contains, at any depth, directly or
        through the organisations it controls. One traversal for all overseers."""
        if self._governed is None:
            self._governed = self.spread(
                {
                    target: 1 << i
                    for i, body in enumerate(self.overseers)
                    for target in self.controlled_or_contained(body)
                },
                self.controlled_or_contained,
            )
        return self._governed

    def overseers_of(self, component_ids: Iterable[str]) -> list[str]:
        """The overseers with authority over any of ``component_ids``, in document order."""
        mask = 0
        for cid in component_ids:
            mask |= self.governed.get(cid, 0)
        return [body for i, body in enumerate(self.overseers) if mask >> i & 1]

    def informed(self, receivers: Iterable[str]) -> frozenset[str]:
        """Components whose feedback or information reaches any of ``receivers``, over any
        number of links (the receivers included): one traversal backwards."""
        found = set(receivers)
        queue = deque(found)
        while queue:
            node = queue.popleft()
            for source in self.flow_in.get(node, ()):
                if source not in found:
                    found.add(source)
                    queue.append(source)
        return frozenset(found)

    def spread(
        self, seeds: Mapping[str, int], step: Callable[[str], Iterable[str]]
    ) -> dict[str, int]:
        """Bit masks carried from ``seeds`` (component -> bits) along ``step`` until nothing
        changes: component -> the bits of every seed reaching it.

        One traversal for all the seeds at once (a component is revisited only when it gains a
        bit), so asking "which of these many sources reach each component?" stays near linear
        where a search per source would be quadratic.
        """
        mask = dict(seeds)
        queue = deque(mask)
        while queue:
            node = queue.popleft()
            bits = mask[node]
            for following in step(node):
                old = mask.get(following, 0)
                if old | bits != old:
                    mask[following] = old | bits
                    queue.append(following)
        return mask

    def controlled_or_contained(self, component_id: str) -> Iterator[str]:
        """What ``component_id`` acts on with a control action, then what it contains."""
        yield from self.ca_out.get(component_id, ())
        yield from self.contents.get(component_id, ())

    def informing(self, component_id: str) -> Iterator[str]:
        """Who sends ``component_id`` feedback or information."""
        yield from self.flow_in.get(component_id, ())

    def answers_to(self, component_id: str) -> list[str]:
        """Who answers for ``component_id`` one level up: who controls it, then the
        component containing it (unless that is a system boundary, which answers for
        nothing)."""
        found = self.superiors(component_id)
        container = self.container.get(component_id, "")
        if container in self.components and container not in found:
            found.append(container)
        return found

    def boundaries_of(self, component_id: str) -> list[str]:
        """The system boundaries containing ``component_id``, innermost first."""
        found: list[str] = []
        seen = {component_id}
        current = self.container.get(component_id)
        while current is not None and current not in seen:
            seen.add(current)
            if self.view.components[current].kind == ComponentKind.BOUNDARY:
                found.append(current)
            current = self.container.get(current)
        return found

    def inside(self, container: str) -> set[str]:
        """Everything ``container`` contains, at any depth."""
        found: set[str] = set()
        stack = list(self.contents.get(container, ()))
        while stack:
            node = stack.pop()
            if node not in found:
                found.add(node)
                stack.extend(self.contents.get(node, ()))
        return found

    # --- people -----------------------------------------------------------------------------
    def lay_user(self, component_id: str) -> bool:
        """Whether a person takes part as a lay user or affected party, not a professional.

        A person drawn as external counts, unless drawn inside a system boundary: a role
        inside the boundary is part of the system, not outside it. A lay role (citizen,
        patient, applicant, ...) counts wherever it is drawn.
        """
        component = self.components.get(component_id)
        if component is None or component.nature != Nature.HUMAN:
            return False
        outside = component.kind == ComponentKind.EXTERNAL and not self.boundaries_of(component_id)
        return outside or bool(LAY_ROLES.search(component.role))
