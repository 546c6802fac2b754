"""Containment edits: put components into containers, lift them out, delete and move containers.

Each operation is one transaction, so one undo takes it back whole, and tells listeners what
any edit does: a re-parent is a ``RecordChanged`` of the component (``parent`` differs), a
deletion ``RecordRemoved`` events for the container, its contents and what hung on them, a move
``RecordChanged`` events of the ``node_layout`` and ``link_layout`` tables. Positions stay
absolute scene coordinates: moving a container moves its contents with it here, not by any
rule of the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from stipa.model import (
    Component,
    Document,
    LinkLayout,
    ModelError,
    NodeLayout,
)


class Contents(StrEnum):
    """What happens to the components inside a container when the container is deleted."""

    #: Delete them (and everything inside them) with the container.
    DELETE = "delete"
    #: Move them up one level: into the container's own container, or to the top level.
    LIFT = "lift"


def _component(doc: Document, component_id: str) -> Component:
    component = doc.components.get(component_id)
    if component is None:
        raise ModelError(f"There is no component {component_id}.", component_id)
    return component


def reparent(doc: Document, component_id: str, parent: str) -> Component:
    """Put a component inside ``parent`` ("" for the top level); returns the new version.

    Raises :class:`ModelError`, changing nothing, when ``parent`` is not a component, is the
    component itself or lies inside it.
    """
    component = _component(doc, component_id)
    if component.parent == parent:
        return component
    if parent:
        label = f"Move {component.name} into {_component(doc, parent).name}"
    else:
        label = f"Move {component.name} out of {_component(doc, component.parent).name}"
    with doc.transaction(label):
        moved: Component = doc.update(component_id, parent=parent)
    return moved


def delete_container(doc: Document, component_id: str, contents: Contents | str) -> None:
    """Delete a component that may contain others, deciding what happens to its contents.

    With :attr:`Contents.DELETE` everything inside goes with it (as ``Document.remove``
    does); with :attr:`Contents.LIFT` the components directly inside move up one level and
    keep their own contents. One undo step either way.
    """
    container = _component(doc, component_id)
    label = f"Delete {container.name}"
    if doc.children_of(component_id):
        label += _CONTENTS_WORDS[Contents(contents)]
    delete(doc, [component_id], contents, label)


_CONTENTS_WORDS = {Contents.DELETE: " and its contents", Contents.LIFT: ", keeping its contents"}


def delete(
    doc: Document, record_ids: Iterable[str], contents: Contents | str, label: str = ""
) -> None:
    """Delete records (a selection of components and links), deciding about contents.

    Like :func:`delete_container` for several containers at once: with
    :attr:`Contents.LIFT` a component whose container is deleted moves into the nearest
    container that stays (or to the top level). One undo step, named ``label`` (by default
    "Delete n elements").
    """
    ids = list(dict.fromkeys(record_ids))
    mode = Contents(contents)
    gone = set(ids)
    with doc.transaction(label or f"Delete {len(ids)} elements"):
        if mode == Contents.LIFT:
            for component in list(doc.components.values()):
                if component.parent in gone and component.id not in gone:
                    above = [a for a in doc.ancestors_of(component.id) if a not in gone]
                    doc.update(component.id, parent=above[0] if above else "")
        doc.remove(*ids)


def containers_among(doc: Document, record_ids: Iterable[str]) -> list[str]:
    """The components of ``record_ids`` holding components that are not among them."""
    chosen = set(record_ids)
    return [
        cid
        for cid in doc.components
        if cid in chosen and any(child not in chosen for child in doc.children_of(cid))
    ]


def move_with_contents(doc: Document, component_id: str, dx: float, dy: float) -> None:
    """Move a component's box by (``dx``, ``dy``) and, with it, everything inside it.

    The bends of links whose both ends move go along, so their routes keep their shape.
    Raises :class:`ModelError`, changing nothing, if any box would leave the coordinate range.
    """
    component = _component(doc, component_id)
    moving = {component_id, *doc.descendants_of(component_id)}
    if not (dx or dy):
        return
    with doc.transaction(f"Move {component.name}"):
        for member in moving:
            box: NodeLayout | None = doc.node_layout.get(member)
            if box is not None:
                doc.set_layout(box.replace(x=box.x + dx, y=box.y + dy))
        for link in doc.links.values():
            route: LinkLayout | None = doc.link_layout.get(link.id)
            if route is None or not route.bends:
                continue
            if link.source in moving and link.target in moving:
                bends = tuple((x + dx, y + dy) for x, y in route.bends)
                doc.set_layout(route.replace(bends=bends))


__all__ = [
    "Contents",
    "containers_among",
    "delete",
    "delete_container",
    "move_with_contents",
    "reparent",
]
