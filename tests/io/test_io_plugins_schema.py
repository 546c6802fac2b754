"""Plugin namespaces survive load/save; the schema accepts what Stipa writes; upgrades run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from stipa_io_samples import DATA, GOLDEN, GOLDEN_V1, complete_document

import stipa.io
from stipa import resources
from stipa.io import FORMAT_VERSION, NAMESPACE, FileFormatError, dumps, load, loads
from stipa.model import Component, Document, Property

SCHEMA_PATH = resources.resource_path("schema", f"stipa-{FORMAT_VERSION}.xsd")

FOREIGN = b"""<?xml version="1.0" encoding="UTF-8"?>
<stipa xmlns="https://stipa.dev/ns/document" format="2"
       xmlns:acme="urn:acme:stipa-risk" xmlns:unused="urn:unused">
  <info title="Plugin data"/>
  <components>
    <component id="C-1" name="Model" kind="controller" nature="ai_model">
      <acme:risk-class unit="">high</acme:risk-class>
      <hw:tokens xmlns:hw="urn:example:hw" unit="Mtok/day">350</hw:tokens>
    </component>
  </components>
  <acme:register version="2">
    <acme:entry ref="C-1" score="7">Keep &amp; review <acme:b>weekly</acme:b></acme:entry>
    <!-- a comment the plugin keeps -->
    <other:x xmlns:other="urn:other" acme:flag="1"/>
  </acme:register>
  <audit xmlns="urn:example:audit" when="2024-05-01"><by>QA</by></audit>
</stipa>
"""


def schema(version: int = FORMAT_VERSION) -> Any:
    path = resources.resource_path("schema", f"stipa-{version}.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def test_unknown_plugin_data_survives_load_and_save() -> None:
    doc = loads(FOREIGN, "plugins.stipa")
    model = doc.components["C-1"]
    assert model.properties == (
        Property(namespace="urn:acme:stipa-risk", name="risk-class", value="high"),
        Property(namespace="urn:example:hw", name="tokens", value="350", unit="Mtok/day"),
    )
    assert len(doc.extensions) == 2
    register, audit = doc.extensions
    assert register.startswith('<acme:register xmlns:acme="urn:acme:stipa-risk" version="2">')
    assert "<!-- a comment the plugin keeps -->" in register
    assert "urn:unused" not in register and NAMESPACE not in register
    assert audit == '<audit xmlns="urn:example:audit" when="2024-05-01"><by>QA</by></audit>'
    first = dumps(doc)
    assert b"  <audit xmlns=" in first
    again = loads(first, "again.stipa")
    assert again.extensions == doc.extensions
    assert again.components == doc.components
    assert dumps(again) == first
    # the extension text in the saved file is exactly the stored string
    assert register.encode() in first


def test_extensions_and_properties_are_checked_on_save() -> None:
    doc = Document()
    doc.extensions = ("<not-namespaced/>",)
    with pytest.raises(FileFormatError, match="own namespace"):
        dumps(doc)
    doc.extensions = ("<x:a xmlns:x='urn:x'>",)
    with pytest.raises(FileFormatError, match="not well-formed"):
        dumps(doc)
    doc.extensions = ()
    doc.add(Component(name="C", properties=[Property(namespace=NAMESPACE, name="p", value="1")]))
    with pytest.raises(FileFormatError, match="namespace of their own"):
        dumps(doc)


def test_plugin_prefixes_are_stable_and_distinct() -> None:
    doc = Document()
    doc.add(
        Component(
            name="C",
            properties=[
                Property(namespace="urn:a:hw", name="x", value="1"),
                Property(namespace="urn:b:hw", name="y", value="2"),
                Property(namespace="urn:123", name="z", value="3"),
            ],
        )
    )
    text = dumps(doc).decode()
    assert 'xmlns:urn="urn:123" xmlns:hw="urn:a:hw" xmlns:hw2="urn:b:hw" format' in text
    assert "<hw:x>1</hw:x>" in text and "<hw2:y>2</hw2:y>" in text
    assert loads(dumps(doc)).components == doc.components


def test_schema_is_a_valid_xsd_for_the_stipa_namespace() -> None:
    tree = etree.parse(str(SCHEMA_PATH))
    assert tree.getroot().get("targetNamespace") == NAMESPACE
    schema()  # compiles


def test_golden_files_and_examples_validate_against_the_schema() -> None:
    checker = schema()
    files = [GOLDEN, *resources.examples()]
    for path in files:
        tree = etree.parse(str(path))
        assert checker.validate(tree), f"{path}: {checker.error_log}"
        assert stipa.io.validate(path) == [], path


def test_everything_written_validates() -> None:
    checker = schema()
    assert checker.validate(etree.fromstring(dumps(complete_document())))
    assert checker.validate(etree.fromstring(dumps(Document())))
    assert checker.validate(etree.fromstring(FOREIGN))


def test_schema_rejects_what_the_model_cannot_hold() -> None:
    checker = schema()
    data = GOLDEN.read_bytes()
    for old, new in [
        (b'kind="sensor"', b'kind="robot"'),
        (b'id="H-1.1"', b'id="1 bad id"'),
        (b'format="2"', b'format="3"'),
        (b'level="1"', b'level="-1"'),
        (b'level="1"', b'level="1000"'),
        (b'subtype="too_late"', b'subtype="late"'),
        (b'factor="delayed_feedback"', b'factor="delayedFeedback"'),
        (b'parent="C-8"', b'parent="8"'),
        (b'hazardous="true"', b'hazardous="maybe"'),
        (b'<node id="C-1" x="40"', b'<node id="C-1" x="far"'),
    ]:
        assert old in data
        assert not checker.validate(etree.fromstring(data.replace(old, new, 1))), new


# --- upgrades --------------------------------------------------------------------------------

V0 = DATA / "format-v0-synthetic.stipa"


def upgrade_0_to_1(root: Any) -> None:
    """The synthetic version 0 called losses <harm> and kept texts in a ``title`` attribute."""
    ns = "{" + NAMESPACE + "}"
    for section in root.iter(ns + "harms"):
        section.tag = ns + "losses"
        for harm in section:
            harm.tag = ns + "loss"
            text = etree.SubElement(harm, ns + "text")
            text.text = harm.attrib.pop("title")


def test_upgrade_mechanism_loads_an_old_version(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FileFormatError) as caught:
        load(V0)
    assert "format version 0, which this version of Stipa cannot read" in str(caught.value)

    monkeypatch.setitem(stipa.io.UPGRADES, 0, upgrade_0_to_1)
    doc = load(V0)
    assert [loss.text for loss in doc.losses.values()] == ["Loss of life", "Loss of mission"]
    assert doc.hazards["H-1"].losses == ("L-1", "L-2")
    assert not doc.modified
    # saved in the current version, it loads without the upgrade
    data = dumps(doc)
    assert f'format="{FORMAT_VERSION}"'.encode() in data
    monkeypatch.delitem(stipa.io.UPGRADES, 0)
    assert loads(data).losses == doc.losses


def test_upgrade_errors_and_schema_errors_after_upgrade(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(root: Any) -> None:
        raise KeyError("title")

    monkeypatch.setitem(stipa.io.UPGRADES, 0, broken)
    with pytest.raises(FileFormatError, match="could not be upgraded from format version 0 to 1"):
        load(V0)
    monkeypatch.setitem(stipa.io.UPGRADES, 0, lambda root: None)  # leaves <harms> in place
    with pytest.raises(FileFormatError) as caught:
        load(V0)
    assert caught.value.problems[0].line == 5
    assert "<harms>" in caught.value.problems[0].message


def test_upgrade_may_return_a_new_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def replace_root(root: Any) -> Any:
        upgrade_0_to_1(root)
        new = etree.fromstring(etree.tostring(root))
        return new

    monkeypatch.setitem(stipa.io.UPGRADES, 0, replace_root)
    assert len(load(V0).losses) == 2


def test_version_1_golden_file_upgrades_to_version_2_and_back() -> None:
    """v1 -> v2 changes nothing but the version: the upgraded file saves as the v1 bytes
    with format="2", and a version-2 file without v2 features is a valid version-1 file."""
    v1 = GOLDEN_V1.read_bytes()
    assert schema(1).validate(etree.fromstring(v1))
    upgraded = load(GOLDEN_V1)
    assert not upgraded.modified and not upgraded.can_undo
    saved = dumps(upgraded)
    assert saved == v1.replace(b'format="1"', b'format="2"', 1)
    assert dumps(complete_document(version=1)) == saved
    assert schema(1).validate(etree.fromstring(saved.replace(b'format="2"', b'format="1"', 1)))
    # everything version 1 held is there; the version-2 fields hold their "none" values
    components = upgraded.components.values()
    assert all(c.parent == "" and c.level is None and c.alias == "" for c in components)
    assert all(u.subtype == "" for u in upgraded.ucas.values())
    assert all(s.factor == "" for s in upgraded.scenarios.values())
    assert not upgraded.requirements


def test_version_2_golden_file_is_not_a_version_1_file() -> None:
    v2 = GOLDEN.read_bytes().replace(b'format="2"', b'format="1"', 1)
    assert not schema(1).validate(etree.fromstring(v2))


def test_an_older_stipa_opening_a_newer_file_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """What Stipa 1 says when it opens a version-2 file (and what this Stipa says of v3)."""
    monkeypatch.setattr(stipa.io.vocabulary, "FORMAT_VERSION", 1)
    with pytest.raises(FileFormatError) as caught:
        load(GOLDEN)
    [problem] = caught.value.problems
    assert problem.source == str(GOLDEN)
    assert "written by a newer Stipa (format version 2)" in problem.message
    assert "reads up to version 1" in problem.message
    monkeypatch.undo()
    newer = GOLDEN.read_bytes().replace(b'format="2"', b'format="3"', 1)
    with pytest.raises(FileFormatError, match=r"newer Stipa \(format version 3\); this version"):
        loads(newer, "new.stipa")


def test_every_golden_file_is_in_a_known_version() -> None:
    goldens = sorted(DATA.glob("format-v*.stipa"))
    assert GOLDEN_V1 in goldens and GOLDEN in goldens
    for path in goldens:
        version = int(path.stem.split("-v")[1].split("-")[0])
        assert version <= FORMAT_VERSION
        if version == FORMAT_VERSION:
            assert stipa.io.validate(path) == []
        else:
            assert version in stipa.io.UPGRADES or "synthetic" in path.name
