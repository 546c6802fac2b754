"""Assembling one clean SVG document from the small SVG documents Qt writes item by item.

``stipa.ui.image_export`` paints each component, link and the legend into its own
``QSvgGenerator`` (Qt's painting code, so the SVG looks exactly like the canvas, with text
kept as text in the font asked for). This module puts those pieces into one document: one
``<g id="C-1" class="component ...">`` per component and one per link, each with a
``<title>`` that viewers show as a tooltip, inside layer groups (links below components,
then the legend). It also drops what Qt repeats on every group (font attributes where no
text is drawn, identity transforms, ``vector-effect="none"``), so the file stays small.

Qt-free: only lxml. The pieces are our own output, still parsed with a hardened parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

__all__ = ["SVG_NAMESPACE", "SvgPart", "assemble_svg"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
_S = f"{{{SVG_NAMESPACE}}}"
_FONT_ATTRIBUTES = ("font-family", "font-size", "font-weight", "font-style")
_IDENTITY = re.compile(r"matrix\(1,0,0,1,0,0\)\Z")
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True
)


@dataclass(frozen=True)
class SvgPart:
    """One item drawn by Qt into an SVG document of its own.

    Attributes
    ----------
    svg
        The whole document ``QSvgGenerator`` wrote.
    layer
        The layer group it goes in (``"links"``, ``"components"``, ``"legend"``).
    id
        The group's id (the record id), or empty.
    kind
        The group's ``class`` attribute (``"component controller"``).
    title
        A ``<title>`` for the group: viewers show it as a tooltip.
    """

    svg: bytes
    layer: str
    id: str = ""
    kind: str = ""
    title: str = ""


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def assemble_svg(
    parts: Sequence[SvgPart],
    *,
    view_box: tuple[float, float, float, float],
    layers: Sequence[str],
    title: str = "",
    description: str = "",
    font_family: str = "DejaVu Sans",
    background: str | None = "white",
) -> bytes:
    """One SVG document (UTF-8 bytes) holding ``parts`` in ``layers`` order.

    ``view_box`` is (x, y, width, height) in diagram units; the document's width and height
    are the same numbers in pixels.
    """
    x, y, width, height = view_box
    namespaces = {None: SVG_NAMESPACE, "xlink": XLINK_NAMESPACE}
    root = etree.Element(f"{_S}svg", nsmap=namespaces)  # type: ignore[arg-type]
    root.set("version", "1.1")
    root.set("width", _number(width))
    root.set("height", _number(height))
    root.set("viewBox", " ".join(_number(v) for v in (x, y, width, height)))
    root.set("font-family", font_family)
    if title:
        etree.SubElement(root, f"{_S}title").text = title
    if description:
        etree.SubElement(root, f"{_S}desc").text = description
    defs = etree.SubElement(root, f"{_S}defs")
    if background:
        rect = etree.SubElement(
            root, f"{_S}rect", {"class": "background", "fill": background, "stroke": "none"}
        )
        for edge, number in zip(("x", "y", "width", "height"), view_box, strict=True):
            rect.set(edge, _number(number))
    groups: dict[str, etree._Element] = {}
    for layer in layers:
        groups[layer] = etree.SubElement(root, f"{_S}g", {"id": f"layer-{layer}"})
        groups[layer].set("class", "layer")
    defaults_set = False
    for number, part in enumerate(parts):
        piece = etree.fromstring(part.svg, _PARSER)
        wrapper = piece.find(f"{_S}g")
        target = groups.get(part.layer)
        if target is None:
            raise ValueError(f"part {part.id or number} names unknown layer {part.layer!r}")
        group = etree.SubElement(target, f"{_S}g")
        if part.id:
            group.set("id", part.id)
        if part.kind:
            group.set("class", part.kind)
        if part.title:
            etree.SubElement(group, f"{_S}title").text = part.title
        if wrapper is None:
            continue
        if not defaults_set:  # Qt's outer group holds the same defaults in every piece
            for key, text in wrapper.attrib.items():
                if key not in _FONT_ATTRIBUTES:
                    root.set(key, text)
            defaults_set = True
        _move_definitions(piece, wrapper, defs, f"d{number}")
        for child in list(wrapper):
            _clean(child)
            if child.tag == f"{_S}g" and len(child) == 0:
                continue
            group.append(child)
    if len(defs) == 0:
        root.remove(defs)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _clean(group: etree._Element) -> None:
    """Drop what Qt repeats on every state group and what is the default anyway.

    Qt writes the font on every group and again on every ``<text>``; the texts keep theirs.
    """
    transform = group.get("transform")
    if transform is not None and _IDENTITY.match(transform.replace(" ", "")):
        del group.attrib["transform"]
    for name in _FONT_ATTRIBUTES:
        if name in group.attrib:
            del group.attrib[name]
    for element in group.iter():
        attributes = element.attrib
        if attributes.get("vector-effect") == "none":
            del attributes["vector-effect"]
        for name in ("fill-opacity", "stroke-opacity"):
            if attributes.get(name) == "1":
                del attributes[name]


def _move_definitions(
    piece: etree._Element, wrapper: etree._Element, defs: etree._Element, prefix: str
) -> None:
    """Move a piece's gradients and patterns to the shared ``<defs>``, with unique ids."""
    own = piece.find(f"{_S}defs")
    if own is None or len(own) == 0:
        return
    renamed: dict[str, str] = {}
    for definition in list(own):
        old = definition.get("id")
        if old:
            renamed[old] = f"{prefix}-{old}"
            definition.set("id", renamed[old])
        defs.append(definition)
    if not renamed:
        return
    for element in wrapper.iter():
        for key, raw in element.attrib.items():
            value = str(raw)
            for old, new in renamed.items():
                value = value.replace(f"url(#{old})", f"url(#{new})")
                if value == f"#{old}":
                    value = f"#{new}"
            element.set(key, value)
