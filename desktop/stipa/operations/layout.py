"""Automatic layout as one undoable edit."""

from __future__ import annotations

from collections.abc import Collection

from stipa.diagram.layout import label_places, layout_document, placed_layouts
from stipa.model import COORDINATE_LIMIT, Document, ModelError

__all__ = ["auto_layout"]


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
    node_layout, link_layout = document.node_layout, document.link_layout
    moved = 0
    with document.transaction("Auto Layout"):
        for component_id, new in placed_layouts(node_layout, boxes).items():
            if component_id in boxes and node_layout.get(component_id) != new:
                document.set_layout(new)
                moved += 1
        for link_id, fresh in label_places(document, boxes).items():
            if link_layout.get(link_id) != fresh:
                document.set_layout(fresh)
    return moved
