"""Drawing edits: place a component, connect two components, move and resize."""

from __future__ import annotations

from collections.abc import Iterable

from stipa.diagram.components import DEFAULT_HEIGHT, DEFAULT_WIDTH
from stipa.model import (
    Component,
    ComponentKind,
    Document,
    Link,
    LinkItem,
    LinkKind,
    ModelError,
    Nature,
    NodeLayout,
    connection_problem,
)


def new_component_name(document: Document, stem: str) -> str:
    """A name not yet used: "Controller 1", "Controller 2", ..."""
    names = {c.name for c in document.components.values()}
    number = 1
    while f"{stem} {number}" in names:
        number += 1
    return f"{stem} {number}"


def place_component(
    document: Document,
    stem: str,
    kind: ComponentKind | str,
    nature: Nature | str,
    x: float,
    y: float,
    *,
    role: str = "",
    label: str = "Add {0}",
    width: float = DEFAULT_WIDTH,
    height: float = DEFAULT_HEIGHT,
    parent: str = "",
) -> Component:
    """Add a component named "<stem> <n>" with its layout at (``x``, ``y``), as one undo step.

    ``label`` names the undo step; ``{0}`` stands for the new component's name. ``parent``:
    the container it is placed in ("" for the top level).
    """
    name = new_component_name(document, stem)
    with document.transaction(label.format(name)):
        component: Component = document.add(
            Component(
                name=name,
                kind=ComponentKind(kind),
                nature=Nature(nature),
                role=role,
                parent=parent,
            )
        )
        document.set_layout(NodeLayout(id=component.id, x=x, y=y, width=width, height=height))
    return component


def connect(
    document: Document,
    source: str,
    target: str,
    kind: LinkKind | str,
    item_name: str,
) -> Link:
    """Draw a link of ``kind`` carrying one item ``item_name`` from ``source`` to ``target``.

    One undo step ("Add link L-1").

    Raises
    ------
    ModelError
        When the connection is not allowed (the reason as the message); nothing changes.
    """
    kind = LinkKind(kind)
    problem = connection_problem(document, kind, source, target)
    if problem:
        raise ModelError(problem)
    link: Link = document.add(
        Link(source=source, target=target, kind=kind, items=(LinkItem(name=item_name),))
    )
    return link


def commit_geometry(document: Document, layouts: Iterable[NodeLayout], label: str) -> bool:
    """Record where components now are (moved or resized) as one undo step.

    Layouts equal to the document's are skipped; returns whether anything changed.
    """
    changed = [layout for layout in layouts if layout != document.node_layout.get(layout.id)]
    if not changed:
        return False
    with document.transaction(label):
        for layout in changed:
            document.set_layout(layout)
    return True


def place_connected(
    document: Document,
    source: str,
    stem: str,
    kind: ComponentKind | str,
    nature: Nature | str,
    x: float,
    y: float,
    link_kind: LinkKind | str,
    item_name: str,
    *,
    role: str = "",
) -> tuple[Component, Link]:
    """Place a new component at (``x``, ``y``) linked from ``source``: one undo step.

    The link of ``link_kind`` carries one item ``item_name``. When the link is not allowed
    (the reason as the message of :class:`ModelError`), nothing changes.
    """
    with document.transaction(f"Add connected {stem}"):
        component = place_component(document, stem, kind, nature, x, y, role=role)
        link = connect(document, source, component.id, link_kind, item_name)
    return component, link
