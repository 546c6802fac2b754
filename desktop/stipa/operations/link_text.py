"""A link's text edited as a list: one item per line, never split or joined at commas."""

from __future__ import annotations

from stipa.model import Document, Link, LinkItem

__all__ = ["items_from_text", "link_text", "set_link_text"]


def link_text(link: Link) -> str:
    """The text an in-place editor shows for ``link``: its items' names, one per line."""
    return "\n".join(item.name for item in link.items)


def items_from_text(items: tuple[LinkItem, ...], text: str) -> tuple[LinkItem, ...]:
    """The items ``text`` describes, one per non-blank line, in its order.

    A line naming an existing item keeps that item (its id, and so its UCAs); the other
    lines take over the remaining items in order (a renamed item keeps its id too); lines
    beyond those are new items, and items no line names any more are dropped. A comma is
    just a character: it never splits an item nor joins two.
    """
    names = [" ".join(line.split()) for line in text.splitlines()]
    names = [name for name in names if name]
    by_name: dict[str, list[LinkItem]] = {}
    for item in items:
        by_name.setdefault(item.name, []).append(item)
    kept: list[LinkItem | None] = []
    for name in names:
        same = by_name.get(name)
        kept.append(same.pop(0) if same else None)
    spare = [item for item in items if not any(item is k for k in kept)]
    result = []
    for name, found in zip(names, kept, strict=True):
        if found is None:
            found = spare.pop(0).replace(name=name) if spare else LinkItem(name=name)
        result.append(found)
    return tuple(result)


def set_link_text(document: Document, link_id: str, text: str) -> Link:
    """Give link ``link_id`` the items ``text`` lists (one undo step; nothing when unchanged).

    Raises :class:`stipa.ModelError` when the text names no item (a link needs one).
    """
    link = document.links[link_id]
    items = items_from_text(link.items, text)
    if items == link.items:
        return link
    with document.transaction("Edit link items"):
        updated: Link = document.update(link_id, items=items)
    return updated
