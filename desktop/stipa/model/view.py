"""Read access shared by the live document and its frozen snapshots."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from stipa.model.records import (
    LAYOUT_TABLES,
    TABLES,
    Component,
    ContextRule,
    ControllerConstraint,
    DocumentInfo,
    Finding,
    Hazard,
    Link,
    LinkItem,
    LinkKind,
    LinkLayout,
    Loss,
    LossScenario,
    NodeLayout,
    ProcessVariable,
    Record,
    Responsibility,
    SafetyRequirement,
    Suggestion,
    SystemConstraint,
    UnsafeControlAction,
)

#: Where nested parts are indexed: link items and process-model variables.
ITEM = "item"
VARIABLE = "variable"
INFO = "info"
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES + LAYOUT_TABLES)


class DocumentView:
    """Read-only access to a document's records.

    Subclasses fill ``_tables`` (table name -> id -> record, in document order),
    ``_where`` (every semantic id, nested ones too -> table name, ``"item"`` or
    ``"variable"``) and ``_owner`` (nested id -> id of the component or link holding it).
    """

    _tables: dict[str, dict[str, Any]]
    _where: dict[str, str]
    _owner: dict[str, str]

    # --- tables ----------------------------------------------------------------------------
    def _view(self, name: str) -> Mapping[str, Any]:
        # one read-only proxy per table, made on first use: checks read tables in hot loops
        try:
            return self.__dict__["_proxies"][name]  # type: ignore[no-any-return]
        except KeyError:
            proxies = self.__dict__.setdefault("_proxies", {})
            proxy = proxies[name] = MappingProxyType(self._tables[name])
            return proxy

    def table(self, name: str) -> Mapping[str, Any]:
        """The records of table ``name`` (see ``stipa.model.TABLES``), in document order."""
        return self._view(name)

    @property
    def info(self) -> DocumentInfo:
        """Title-block facts (title, version, author, organisation)."""
        info: DocumentInfo = self._tables[INFO][INFO]
        return info

    @property
    def components(self) -> Mapping[str, Component]:
        """Components by id."""
        return self._view("components")

    @property
    def links(self) -> Mapping[str, Link]:
        """Links by id."""
        return self._view("links")

    @property
    def losses(self) -> Mapping[str, Loss]:
        """Losses by id."""
        return self._view("losses")

    @property
    def hazards(self) -> Mapping[str, Hazard]:
        """Hazards and sub-hazards by id."""
        return self._view("hazards")

    @property
    def constraints(self) -> Mapping[str, SystemConstraint]:
        """System-level constraints by id."""
        return self._view("constraints")

    @property
    def responsibilities(self) -> Mapping[str, Responsibility]:
        """Responsibilities by id."""
        return self._view("responsibilities")

    @property
    def ucas(self) -> Mapping[str, UnsafeControlAction]:
        """Unsafe control actions by id."""
        return self._view("ucas")

    @property
    def controller_constraints(self) -> Mapping[str, ControllerConstraint]:
        """Controller constraints by id."""
        return self._view("controller_constraints")

    @property
    def scenarios(self) -> Mapping[str, LossScenario]:
        """Loss scenarios by id."""
        return self._view("scenarios")

    @property
    def context_rules(self) -> Mapping[str, ContextRule]:
        """Context-table rules by id."""
        return self._view("context_rules")

    @property
    def requirements(self) -> Mapping[str, SafetyRequirement]:
        """Safety requirements by id."""
        return self._view("requirements")

    @property
    def findings(self) -> Mapping[str, Finding]:
        """Findings of analyses by id."""
        return self._view("findings")

    @property
    def suggestions(self) -> Mapping[str, Suggestion]:
        """Suggestions of analyses by id."""
        return self._view("suggestions")

    @property
    def node_layout(self) -> Mapping[str, NodeLayout]:
        """Where each drawn component is, by component id."""
        return self._view("node_layout")

    @property
    def link_layout(self) -> Mapping[str, LinkLayout]:
        """How each link with a non-default route is drawn, by link id."""
        return self._view("link_layout")

    # --- lookups ---------------------------------------------------------------------------
    def __contains__(self, record_id: object) -> bool:
        return record_id in self._where

    def get(self, record_id: str) -> Record | LinkItem | ProcessVariable | None:
        """The record, link item or process variable with this id, or None."""
        where = self._where.get(record_id)
        if where is None:
            return None
        if where == ITEM:
            link: Link = self._tables["links"][self._owner[record_id]]
            return next(item for item in link.items if item.id == record_id)
        if where == VARIABLE:
            component: Component = self._tables["components"][self._owner[record_id]]
            return next(var for var in component.variables if var.id == record_id)
        record: Record = self._tables[where][record_id]
        return record

    def table_of(self, record_id: str) -> str | None:
        """The table name holding ``record_id`` (``"item"``/``"variable"`` for nested parts)."""
        return self._where.get(record_id)

    def owner_of(self, nested_id: str) -> Component | Link | None:
        """The component holding a process variable or the link holding an item."""
        owner = self._owner.get(nested_id)
        if owner is None:
            return None
        where = "links" if self._where[nested_id] == ITEM else "components"
        holder: Component | Link = self._tables[where][owner]
        return holder

    def control_action(self, item_id: str) -> tuple[Link, LinkItem] | None:
        """The link and item of a control-action item id, or None if it is not one."""
        if self._where.get(item_id) != ITEM:
            return None
        link: Link = self._tables["links"][self._owner[item_id]]
        if link.kind != LinkKind.CONTROL_ACTION:
            return None
        return link, next(item for item in link.items if item.id == item_id)

    def index_of(self, record_id: str) -> int:
        """Position of a top-level record in its table."""
        return list(self._tables[self._where[record_id]]).index(record_id)

    def records(self) -> Iterator[Record]:
        """Every semantic record, table by table, in document order."""
        for table in TABLES:
            yield from self._tables[table.name].values()

    def links_of(self, component_id: str) -> Iterator[Link]:
        """Links starting or ending at a component."""
        for link in self._tables["links"].values():
            if component_id in (link.source, link.target):
                yield link

    # --- containment ---------------------------------------------------------------------
    def children_of(self, component_id: str = "") -> list[str]:
        """Ids of the components directly inside ``component_id`` ("": the top level)."""
        return [c.id for c in self._tables["components"].values() if c.parent == component_id]

    def descendants_of(self, component_id: str) -> list[str]:
        """Ids of every component inside ``component_id`` at any depth, parents first."""
        children: dict[str, list[str]] = {}
        for component in self._tables["components"].values():
            if component.parent:
                children.setdefault(component.parent, []).append(component.id)
        found: list[str] = []
        queue = deque(children.get(component_id, ()))
        seen = {component_id}
        while queue:  # breadth first; ``seen`` guards against a loop in a broken document
            child = queue.popleft()
            if child in seen:
                continue
            seen.add(child)
            found.append(child)
            queue.extend(children.get(child, ()))
        return found

    def ancestors_of(self, component_id: str) -> list[str]:
        """Ids of the components containing ``component_id``, innermost first."""
        components = self._tables["components"]
        found: list[str] = []
        current = components.get(component_id)
        while current is not None and current.parent and current.parent not in found:
            if current.parent == component_id:
                break
            found.append(current.parent)
            current = components.get(current.parent)
        return found

    def __len__(self) -> int:
        return sum(len(self._tables[table.name]) for table in TABLES)
