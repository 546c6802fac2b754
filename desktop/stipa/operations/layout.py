"""Automatic layout as one undoable edit."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from stipa.diagram.geometry import Box
from stipa.diagram.layout import label_places, layout_document, placed_layouts, room_for_labels
from stipa.model import COORDINATE_LIMIT, Document, LinkLayout, ModelError

__all__ = ["auto_layout", "make_room_for_labels"]


def auto_layout(document: Document, selection: Collection[str] | None = None) -> int:
    """Lay out the control structure by control authority, in one transaction (one undo
    step named "Auto Layout").

    Parameters
    ----------
    document : stipa.Document
        The document to lay out.
    selection : collection of str, optional
        Ids of the components to lay out; the others stay where they are. Ids that are not
        components (links, say) are ignored. All components when None.

    Returns
    -------
    int
        How many components moved (0 when the layout was already in place: a second run
        changes nothing and adds no undo step).

    Raises
    ------
    stipa.ModelError
        If the layout would not fit the coordinates a diagram may use (a very large
        structure with many crossing links); the document is left as it was.
    """
    chosen = None if selection is None else set(selection) & set(document.components)
    boxes = layout_document(document, chosen)
    extent = max((max(abs(b.x), abs(b.y), b.right, b.bottom) for b in boxes.values()), default=0)
    if extent > COORDINATE_LIMIT:
        raise ModelError(
            f"The layout would reach {extent:,.0f} pixels from the origin, beyond the "
            f"{COORDINATE_LIMIT:,.0f} a diagram may use: lay out parts of it (a selection) "
            "or give its components hierarchy levels."
        )
    moved, _links = _apply(document, "Auto Layout", boxes)
    return moved


def make_room_for_labels(document: Document) -> int:
    """Make room for the links' labels of a diagram drawn by hand, in one transaction (one
    undo step named "Make Room for Labels").

    The components keep their arrangement: where labels find no free place by their links,
    the rows (or columns) below (or right of) them move apart, and the links' bends move
    along. A label still without room by its link is then nudged into the nearest free
    place, as Auto Layout does. Any size of diagram (1,000 generated components: about
    3 s).

    Parameters
    ----------
    document : stipa.Document
        The document whose diagram gets room.

    Returns
    -------
    int
        How many components and links changed place (0 when every label already had room:
        nothing changes and no undo step is added).
    """
    boxes, links = room_for_labels(document)
    moved, relabelled = _apply(document, "Make Room for Labels", boxes, links)
    return moved + relabelled


def _apply(
    document: Document,
    label: str,
    boxes: Mapping[str, Box],
    link_layout: Mapping[str, LinkLayout] | None = None,
) -> tuple[int, int]:
    """Give the components ``boxes`` and the links their layouts (``link_layout``, else
    fresh ones) with labels placed, in one transaction named ``label``: how many
    components and how many links changed."""
    node_layout, current = document.node_layout, document.link_layout
    moved = relabelled = 0
    with document.transaction(label):
        for component_id, new in placed_layouts(node_layout, boxes).items():
            if component_id in boxes and node_layout.get(component_id) != new:
                document.set_layout(new)
                moved += 1
        for link_id, fresh in label_places(document, boxes, link_layout).items():
            if current.get(link_id) != fresh:
                document.set_layout(fresh)
                relabelled += 1
    return moved, relabelled
