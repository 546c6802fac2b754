"""ReqIF 1.2 (OMG Requirements Interchange Format, formal/2016-07-01) writing.

ReqIF is what DOORS, Polarion, Jama and codebeamer exchange requirements in. This module
writes a generic, valid ReqIF document from plain data: spec-object types with string
attributes, spec objects, spec relations with their types, and one specification whose
hierarchy orders the objects. ``stipa.export.reqif`` decides what an STPA analysis becomes.

The namespace is the one ReqIF 1.0 to 1.2 share (``.../ReqIF/20110401/reqif.xsd``), and
elements are written in the order of the schema's sequences. Every ``IDENTIFIER`` is checked
to be unique and a valid ``xsd:ID``, every reference to point at something written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

__all__ = [
    "REQIF_NAMESPACE",
    "AttributeDefinition",
    "HierarchyNode",
    "ObjectType",
    "RelationType",
    "ReqIFContent",
    "SpecObject",
    "SpecRelation",
    "dumps_reqif",
]

REQIF_NAMESPACE = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
_R = f"{{{REQIF_NAMESPACE}}}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: ``xsd:ID`` is an NCName: a letter or ``_`` first, then letters, digits, ``._-``.
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._\-]*\Z")


@dataclass(frozen=True)
class AttributeDefinition:
    """A string attribute of a spec-object type (``LONG-NAME`` e.g. ``ReqIF.Text``)."""

    identifier: str
    long_name: str


@dataclass(frozen=True)
class ObjectType:
    """A ``SPEC-OBJECT-TYPE`` and its attributes."""

    identifier: str
    long_name: str
    attributes: tuple[AttributeDefinition, ...]


@dataclass(frozen=True)
class RelationType:
    """A ``SPEC-RELATION-TYPE``."""

    identifier: str
    long_name: str


@dataclass(frozen=True)
class SpecObject:
    """A requirement (or heading): its type and its values by attribute identifier."""

    identifier: str
    type: str
    long_name: str
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SpecRelation:
    """A trace from one spec object to another."""

    identifier: str
    type: str
    source: str
    target: str
    long_name: str = ""


@dataclass(frozen=True)
class HierarchyNode:
    """One place in the specification's tree, showing ``object``."""

    identifier: str
    object: str
    children: tuple[HierarchyNode, ...] = ()


@dataclass(frozen=True)
class ReqIFContent:
    """Everything one ReqIF file holds."""

    title: str
    created: str
    tool_id: str
    repository_id: str
    header_id: str
    object_types: tuple[ObjectType, ...]
    relation_types: tuple[RelationType, ...]
    objects: tuple[SpecObject, ...]
    relations: tuple[SpecRelation, ...]
    specification_id: str
    specification_type: str
    specification_name: str
    hierarchy: tuple[HierarchyNode, ...]
    datatype_id: str
    comment: str = ""
    language: str = "en"


def _walk(nodes: Iterable[HierarchyNode]) -> Iterable[HierarchyNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _check(content: ReqIFContent) -> None:
    """Identifiers unique and well formed; every reference resolves."""
    identifiers = [
        content.header_id,
        content.datatype_id,
        content.specification_id,
        content.specification_type,
        *(t.identifier for t in content.object_types),
        *(a.identifier for t in content.object_types for a in t.attributes),
        *(t.identifier for t in content.relation_types),
        *(o.identifier for o in content.objects),
        *(r.identifier for r in content.relations),
        *(n.identifier for n in _walk(content.hierarchy)),
    ]
    seen: set[str] = set()
    for identifier in identifiers:
        if not _NCNAME.match(identifier):
            raise ValueError(f"ReqIF identifier {identifier!r} is not a valid xsd:ID")
        if identifier in seen:
            raise ValueError(f"ReqIF identifier {identifier!r} is used twice")
        seen.add(identifier)
    types = {t.identifier: {a.identifier for a in t.attributes} for t in content.object_types}
    objects = {o.identifier for o in content.objects}
    for spec_object in content.objects:
        if spec_object.type not in types:
            raise ValueError(f"{spec_object.identifier}: unknown type {spec_object.type}")
        for attribute, _value in spec_object.values:
            if attribute not in types[spec_object.type]:
                raise ValueError(f"{spec_object.identifier}: {attribute} is not of its type")
    relation_types = {t.identifier for t in content.relation_types}
    for relation in content.relations:
        if relation.type not in relation_types:
            raise ValueError(f"{relation.identifier}: unknown relation type {relation.type}")
        for end in (relation.source, relation.target):
            if end not in objects:
                raise ValueError(f"{relation.identifier}: no spec object {end}")
    for node in _walk(content.hierarchy):
        if node.object not in objects:
            raise ValueError(f"{node.identifier}: no spec object {node.object}")


def _element(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{_R}{tag}")
    for name, value in attributes.items():
        if value:
            element.set(name.replace("_", "-"), value)
    return element


def _ref(parent: etree._Element, holder: str, tag: str, target: str) -> None:
    etree.SubElement(etree.SubElement(parent, f"{_R}{holder}"), f"{_R}{tag}").text = target


def _identifiable(
    parent: etree._Element, tag: str, identifier: str, changed: str, long_name: str = ""
) -> etree._Element:
    element = etree.SubElement(parent, f"{_R}{tag}")
    element.set("IDENTIFIER", identifier)
    element.set("LAST-CHANGE", changed)
    if long_name:
        element.set("LONG-NAME", long_name)
    return element


def dumps_reqif(content: ReqIFContent) -> bytes:
    """The ReqIF document as UTF-8 bytes (pretty-printed, with an XML declaration)."""
    _check(content)
    when = content.created
    root = etree.Element(f"{_R}REQ-IF", nsmap={None: REQIF_NAMESPACE})  # type: ignore[dict-item]
    root.set(_XML_LANG, content.language)

    header = _element(_element(root, "THE-HEADER"), "REQ-IF-HEADER", IDENTIFIER=content.header_id)
    for tag, text in (
        ("COMMENT", content.comment),
        ("CREATION-TIME", when),
        ("REPOSITORY-ID", content.repository_id),
        ("REQ-IF-TOOL-ID", content.tool_id),
        ("REQ-IF-VERSION", "1.0"),  # the schema's version string for ReqIF 1.0 to 1.2
        ("SOURCE-TOOL-ID", content.tool_id),
        ("TITLE", content.title),
    ):
        if text or tag not in ("COMMENT", "REPOSITORY-ID"):
            _element(header, tag).text = text

    body = _element(_element(root, "CORE-CONTENT"), "REQ-IF-CONTENT")
    longest = max(
        (len(value) for spec_object in content.objects for _a, value in spec_object.values),
        default=0,
    )
    datatype = _identifiable(
        _element(body, "DATATYPES"), "DATATYPE-DEFINITION-STRING", content.datatype_id, when
    )
    datatype.set("LONG-NAME", "Text")
    datatype.set("MAX-LENGTH", str(max(4096, longest)))

    spec_types = _element(body, "SPEC-TYPES")
    for object_type in content.object_types:
        element = _identifiable(
            spec_types, "SPEC-OBJECT-TYPE", object_type.identifier, when, object_type.long_name
        )
        attributes = _element(element, "SPEC-ATTRIBUTES")
        for attribute in object_type.attributes:
            definition = _identifiable(
                attributes,
                "ATTRIBUTE-DEFINITION-STRING",
                attribute.identifier,
                when,
                attribute.long_name,
            )
            _ref(definition, "TYPE", "DATATYPE-DEFINITION-STRING-REF", content.datatype_id)
    for relation_type in content.relation_types:
        _identifiable(
            spec_types,
            "SPEC-RELATION-TYPE",
            relation_type.identifier,
            when,
            relation_type.long_name,
        )
    _identifiable(
        spec_types,
        "SPECIFICATION-TYPE",
        content.specification_type,
        when,
        "Specification",
    )

    objects = _element(body, "SPEC-OBJECTS")
    for spec_object in content.objects:
        element = _identifiable(
            objects, "SPEC-OBJECT", spec_object.identifier, when, spec_object.long_name
        )
        values = _element(element, "VALUES")
        for definition_id, value in spec_object.values:
            holder = _element(values, "ATTRIBUTE-VALUE-STRING")
            holder.set("THE-VALUE", value)
            _ref(holder, "DEFINITION", "ATTRIBUTE-DEFINITION-STRING-REF", definition_id)
        _ref(element, "TYPE", "SPEC-OBJECT-TYPE-REF", spec_object.type)

    relations = _element(body, "SPEC-RELATIONS")
    for relation in content.relations:
        element = _identifiable(
            relations, "SPEC-RELATION", relation.identifier, when, relation.long_name
        )
        _ref(element, "SOURCE", "SPEC-OBJECT-REF", relation.source)
        _ref(element, "TARGET", "SPEC-OBJECT-REF", relation.target)
        _ref(element, "TYPE", "SPEC-RELATION-TYPE-REF", relation.type)

    specifications = _element(body, "SPECIFICATIONS")
    specification = _identifiable(
        specifications,
        "SPECIFICATION",
        content.specification_id,
        when,
        content.specification_name,
    )
    if content.hierarchy:  # CHILDREN before TYPE, as the schema orders them
        _hierarchy(_element(specification, "CHILDREN"), content.hierarchy, when)
    _ref(specification, "TYPE", "SPECIFICATION-TYPE-REF", content.specification_type)

    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _hierarchy(parent: etree._Element, nodes: tuple[HierarchyNode, ...], when: str) -> None:
    for node in nodes:
        element = _identifiable(parent, "SPEC-HIERARCHY", node.identifier, when)
        if node.children:
            _hierarchy(_element(element, "CHILDREN"), node.children, when)
        _ref(element, "OBJECT", "SPEC-OBJECT-REF", node.object)
