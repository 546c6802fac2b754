"""ReqIF 1.2 export read back with lxml: the standard's structure, ids unique, traces resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_samples import sample_document
from lxml import etree

from stipa import export
from stipa.export import ExportError
from stipa.model import Document

R = "{http://www.omg.org/spec/ReqIF/20110401/reqif.xsd}"
SCHEMA = Path(__file__).resolve().parents[1] / "data" / "reqif" / "reqif-1.2-core.xsd"
CREATED = "2025-05-01T12:00:00Z"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.fixture
def document() -> Document:
    return sample_document()


def _export(document: Document, tmp_path: Path, **options: str) -> etree._ElementTree:
    out = tmp_path / "requirements.reqif"
    export.write_reqif(document.snapshot(), out, {"created": CREATED, **options})
    return etree.parse(str(out))


def _dangling(root: etree._Element) -> list[str]:
    """References that name no IDENTIFIER (libxml2's schema check leaves IDREFs unresolved)."""
    identifiers = {e.get("IDENTIFIER") for e in root.iter() if e.get("IDENTIFIER")}
    return [
        e.text
        for e in root.iter()
        if isinstance(e.tag, str) and e.tag.endswith("-REF") and e.text not in identifiers
    ]


def _values(spec_object: etree._Element, names: dict[str, str]) -> dict[str, str]:
    result = {}
    for value in spec_object.iter(f"{R}ATTRIBUTE-VALUE-STRING"):
        ref = value.find(f"{R}DEFINITION/{R}ATTRIBUTE-DEFINITION-STRING-REF").text
        result[names[ref]] = value.get("THE-VALUE")
    return result


def test_reqif_follows_the_standard(
    document: Document, schema: etree.XMLSchema, tmp_path: Path
) -> None:
    tree = _export(document, tmp_path)
    assert schema.validate(tree), schema.error_log  # order, required parts, ID/IDREF
    root = tree.getroot()
    assert root.tag == f"{R}REQ-IF"
    header = root.find(f"{R}THE-HEADER/{R}REQ-IF-HEADER")
    assert header.findtext(f"{R}CREATION-TIME") == CREATED
    assert header.findtext(f"{R}TITLE") == document.info.title
    assert header.findtext(f"{R}REQ-IF-TOOL-ID").startswith("Stipa")
    identifiers = [e.get("IDENTIFIER") for e in root.iter() if e.get("IDENTIFIER")]
    assert len(identifiers) == len(set(identifiers))
    assert _dangling(root) == []
    changes = {e.get("LAST-CHANGE") for e in root.iter() if e.get("LAST-CHANGE")}
    assert changes == {CREATED}


def test_requirements_attributes_and_traces(document: Document, tmp_path: Path) -> None:
    root = _export(document, tmp_path).getroot()
    content = root.find(f"{R}CORE-CONTENT/{R}REQ-IF-CONTENT")
    types = {t.get("LONG-NAME"): t for t in content.iter(f"{R}SPEC-OBJECT-TYPE")}
    requirement = types["STPA requirement"]
    names = {
        a.get("IDENTIFIER"): a.get("LONG-NAME")
        for a in requirement.iter(f"{R}ATTRIBUTE-DEFINITION-STRING")
    }
    assert {"ReqIF.ForeignID", "ReqIF.Text", "Kind"} <= set(names.values())
    names.update(
        (a.get("IDENTIFIER"), a.get("LONG-NAME"))
        for a in types["Heading"].iter(f"{R}ATTRIBUTE-DEFINITION-STRING")
    )
    objects = {}
    for spec_object in content.iter(f"{R}SPEC-OBJECT"):
        values = _values(spec_object, names)
        if "ReqIF.ForeignID" in values:
            objects[values["ReqIF.ForeignID"]] = (spec_object.get("IDENTIFIER"), values)
    snapshot = document.snapshot()
    expected = {
        "System-level constraint": snapshot.constraints,
        "Controller constraint": snapshot.controller_constraints,
        "Responsibility": snapshot.responsibilities,
        "Hazard": snapshot.hazards,
        "Unsafe control action": snapshot.ucas,
    }
    for kind, table in expected.items():
        for record in table.values():
            _identifier, values = objects[record.id]
            assert values["Kind"] == kind
            if hasattr(record, "text"):
                assert values["ReqIF.Text"] == record.text
    for responsibility in snapshot.responsibilities.values():
        owner = snapshot.components[responsibility.owner].name
        assert objects[responsibility.id][1]["Owner"] == owner

    relation_types = {t.get("IDENTIFIER"): t.get("LONG-NAME")
                      for t in content.iter(f"{R}SPEC-RELATION-TYPE")}  # fmt: skip
    by_identifier = {identifier: foreign for foreign, (identifier, _v) in objects.items()}
    traces = set()
    for relation in content.iter(f"{R}SPEC-RELATION"):
        source = by_identifier[relation.findtext(f"{R}SOURCE/{R}SPEC-OBJECT-REF")]
        target = by_identifier[relation.findtext(f"{R}TARGET/{R}SPEC-OBJECT-REF")]
        kind = relation_types[relation.findtext(f"{R}TYPE/{R}SPEC-RELATION-TYPE-REF")]
        traces.add((source, kind, target))
    for cc in snapshot.controller_constraints.values():
        assert all((cc.id, "is derived from", uca) in traces for uca in cc.ucas)
    for responsibility in snapshot.responsibilities.values():
        assert all(
            (responsibility.id, "refines", sc) in traces for sc in responsibility.constraints
        )
    for sc in snapshot.constraints.values():
        assert all((sc.id, "is derived from", hazard) in traces for hazard in sc.hazards)
    for uca in snapshot.ucas.values():
        assert all((uca.id, "leads to", hazard) in traces for hazard in uca.hazards)


def test_specification_hierarchy(document: Document, tmp_path: Path) -> None:
    root = _export(document, tmp_path).getroot()
    specification = root.find(f".//{R}SPECIFICATION")
    assert specification.get("LONG-NAME") == document.info.title
    chapters = specification.findall(f"{R}CHILDREN/{R}SPEC-HIERARCHY")
    names = [c.findtext(f"{R}OBJECT/{R}SPEC-OBJECT-REF") for c in chapters]
    assert names == [
        "stipa-heading-losses",
        "stipa-heading-hazards",
        "stipa-heading-constraints",
        "stipa-heading-responsibilities",
        "stipa-heading-ucas",
        "stipa-heading-controller_constraints",
    ]
    hazards = chapters[1]
    h4 = next(
        n for n in hazards.findall(f"{R}CHILDREN/{R}SPEC-HIERARCHY")
        if n.findtext(f"{R}OBJECT/{R}SPEC-OBJECT-REF") == "stipa-H-4"
    )  # fmt: skip
    subs = [n.findtext(f"{R}OBJECT/{R}SPEC-OBJECT-REF")
            for n in h4.findall(f"{R}CHILDREN/{R}SPEC-HIERARCHY")]  # fmt: skip
    assert subs[:2] == ["stipa-H-4.1", "stipa-H-4.2"]
    owners = chapters[3].findall(f"{R}CHILDREN/{R}SPEC-HIERARCHY")
    assert len(owners) == len({r.owner for r in document.responsibilities.values()})
    placed = [
        n.findtext(f"{R}OBJECT/{R}SPEC-OBJECT-REF")
        for n in specification.iter(f"{R}SPEC-HIERARCHY")
    ]
    assert len(placed) == len(set(placed))  # every object once in the tree


def test_creation_time_from_source_date_epoch(
    document: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out_a, out_b = tmp_path / "a.reqif", tmp_path / "b.reqif"
    export.write_reqif(document.snapshot(), out_a, {})
    export.write_reqif(document.snapshot(), out_b, {})
    assert out_a.read_bytes() == out_b.read_bytes()  # deterministic
    header = etree.parse(str(out_a)).getroot().find(f".//{R}CREATION-TIME")
    assert header.text == "2023-11-14T22:13:20Z"


def test_prefix_and_bad_options(
    document: Document, schema: etree.XMLSchema, tmp_path: Path
) -> None:
    tree = _export(document, tmp_path, prefix="wbs")
    assert schema.validate(tree)
    identifiers = [e.get("IDENTIFIER") for e in tree.getroot().iter() if e.get("IDENTIFIER")]
    assert all(i.startswith("wbs-") for i in identifiers)
    with pytest.raises(ExportError, match="Option prefix"):
        export.write_reqif(document.snapshot(), tmp_path / "x.reqif", {"prefix": "1 bad"})
    with pytest.raises(ExportError, match="ISO 8601"):
        export.write_reqif(document.snapshot(), tmp_path / "x.reqif", {"created": "yesterday"})


def test_the_schema_catches_what_it_should(
    document: Document, schema: etree.XMLSchema, tmp_path: Path
) -> None:
    """A duplicate identifier fails validation, a dangling trace the reference check."""
    tree = _export(document, tmp_path)
    objects = list(tree.getroot().iter(f"{R}SPEC-OBJECT"))
    objects[1].set("IDENTIFIER", objects[0].get("IDENTIFIER"))
    assert not schema.validate(tree)
    tree = _export(document, tmp_path)
    relation = next(tree.getroot().iter(f"{R}SPEC-RELATION"))
    relation.find(f"{R}TARGET/{R}SPEC-OBJECT-REF").text = "stipa-nowhere"
    assert _dangling(tree.getroot()) == ["stipa-nowhere"]
