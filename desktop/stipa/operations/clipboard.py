"""Copy and paste of diagram elements as records: a selection becomes a small document.

The GUI puts the copied document on the system clipboard as ``.stipa`` XML; this module
knows nothing about clipboards, so copy and paste are tested (and scripted) headless.
"""

from __future__ import annotations

from collections.abc import Iterable

from stipa.model import Document, LinkLayout, ModelError, NodeLayout


def _counted(one: str, many: str, n: int) -> str:
    return one if n == 1 else many.format(n)


def copy_selection(document: Document, component_ids: Iterable[str]) -> Document:
    """A fresh document holding the components, the links among them and their layout.

    A container comes with everything inside it (deleting it would delete that too). Links to
    components outside the copy are left out; STPA records and findings are never copied.
    """
    chosen = set(component_ids)
    for cid in list(chosen):
        chosen.update(document.descendants_of(cid))
    wanted = [cid for cid in document.components if cid in chosen]
    # containment within the selection is kept; a container left behind is not copied
    components = [
        c if not c.parent or c.parent in chosen else c.replace(parent="")
        for c in (document.components[cid] for cid in wanted)
    ]
    links = [
        link for link in document.links.values() if link.source in chosen and link.target in chosen
    ]
    layouts: list[NodeLayout | LinkLayout] = [
        document.node_layout[cid] for cid in wanted if cid in document.node_layout
    ]
    layouts += [document.link_layout[link.id] for link in links if link.id in document.link_layout]
    clip, problems = Document.assemble([*components, *links], layouts)
    if problems:  # cannot happen for records taken from a valid document
        raise ModelError(problems[0].message)
    return clip


def element_count(clip: Document) -> int:
    """How many elements pasting ``clip`` adds: its components and the links among them."""
    return len(clip.components) + sum(
        1
        for link in clip.links.values()
        if link.source in clip.components and link.target in clip.components
    )


def paste_label(clip: Document, duplicate: bool = False) -> str:
    """The undo step's name: "Paste n elements" (or "Duplicate n elements")."""
    if duplicate:
        return _counted("Duplicate 1 element", "Duplicate {0} elements", element_count(clip))
    return _counted("Paste 1 element", "Paste {0} elements", element_count(clip))


def paste(
    document: Document, clip: Document, dx: float, dy: float, label: str | None = None
) -> list[str]:
    """Add the components and links of ``clip`` to ``document`` with new ids, as ONE step.

    Positions move by ``dx``, ``dy``; ``label`` names the undo step (default
    :func:`paste_label`). Returns the new ids (components, then links). Raises
    :class:`ModelError`, changing nothing, when they cannot be added.
    """
    new_ids: dict[str, str] = {}
    added: list[str] = []
    with document.transaction(paste_label(clip) if label is None else label):
        for index, component in enumerate(clip.components.values()):
            fresh = component.replace(
                id="", parent="", variables=tuple(v.replace(id="") for v in component.variables)
            )
            new = document.add(fresh)
            new_ids[component.id] = new.id
            added.append(new.id)
            layout = clip.node_layout.get(component.id) or NodeLayout(
                id=component.id, x=index * 40.0, y=index * 40.0
            )
            document.set_layout(layout.replace(id=new.id, x=layout.x + dx, y=layout.y + dy))
        for component in clip.components.values():  # the copies contain each other's copies
            if component.parent in new_ids:
                document.update(new_ids[component.id], parent=new_ids[component.parent])
        for link in clip.links.values():
            if link.source not in new_ids or link.target not in new_ids:
                continue
            new_link = document.add(
                link.replace(
                    id="",
                    source=new_ids[link.source],
                    target=new_ids[link.target],
                    items=tuple(item.replace(id="") for item in link.items),
                )
            )
            added.append(new_link.id)
            route = clip.link_layout.get(link.id)
            if route is not None:
                bends = tuple((x + dx, y + dy) for x, y in route.bends)
                document.set_layout(route.replace(id=new_link.id, bends=bends))
    return added


def top_left(clip: Document) -> tuple[float, float]:
    """The top-left corner of the components of ``clip`` (0, 0 when none has a layout)."""
    layouts = [clip.node_layout[cid] for cid in clip.components if cid in clip.node_layout]
    if not layouts:
        return 0.0, 0.0
    return min(layout.x for layout in layouts), min(layout.y for layout in layouts)


def cut(document: Document, component_ids: Iterable[str], label: str = "") -> Document:
    """Copy the components (see :func:`copy_selection`), then delete them as one undo step."""
    ids = [cid for cid in component_ids if cid in document.components]
    clip = copy_selection(document, ids)
    with document.transaction(label or _counted("Cut 1 component", "Cut {0} components", len(ids))):
        document.remove(*ids)
    return clip
