"""Round trips of the .stipa format: every record type, every field, byte-identical saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from stipa_io_samples import GOLDEN, HW, OPS, REVIEW, complete_document

import stipa.io
from stipa.io import FORMAT_VERSION, NAMESPACE, dumps, load, loads
from stipa.model import (
    LAYOUT_TABLES,
    TABLES,
    Component,
    Document,
    DocumentInfo,
    Hazard,
    Link,
    LinkItem,
    LinkLayout,
    Loss,
    NodeLayout,
    ProcessVariable,
    Property,
)

ALL_TABLES = [table.name for table in TABLES + LAYOUT_TABLES]


def assert_same(a: Document, b: Document) -> None:
    """Record for record, in order, with info, layout and extensions."""
    for name in ALL_TABLES:
        assert list(a.table(name).items()) == list(b.table(name).items()), name
    assert a.info == b.info
    assert a.extensions == b.extensions


def test_contract_constants() -> None:
    assert FORMAT_VERSION == 2
    assert NAMESPACE == "https://stipa.dev/ns/document"
    assert stipa.io.MAX_FILE_BYTES == 100 * 1024 * 1024


def test_golden_file_is_what_the_sample_document_saves_to() -> None:
    # If this fails after a deliberate change of the writer, the format changed: that needs a
    # new format version and an upgrade, not a rewritten golden file.
    assert dumps(complete_document()) == GOLDEN.read_bytes()


def test_golden_file_loads_byte_identically() -> None:
    data = GOLDEN.read_bytes()
    assert dumps(load(GOLDEN)) == data


def test_golden_file_content() -> None:
    doc = load(GOLDEN)
    assert not doc.modified and not doc.can_undo and not doc.can_redo
    assert_same(doc, complete_document())
    assert doc.info.title == "Wheel brake system"
    assert doc.info.description.endswith('<markup> & "quotes".')
    bscu = doc.components["C-2"]
    assert bscu.nature == "software" and [v.name for v in bscu.variables] == [
        "Aircraft state",
        "Wheel speed",
    ]
    assert bscu.property(HW, "gpu-hours") == Property(
        namespace=HW, name="gpu-hours", value="120", unit="h"
    )
    assert bscu.property(OPS, "criticality").value == "DAL A"  # type: ignore[union-attr]
    assert doc.components["C-3"].properties[0].value == " 3.5 "  # whitespace is kept
    assert doc.hazards["H-1.1"].parent == "H-1"
    assert doc.constraints["SC-1"].hazards == ("H-1", "H-1.1")
    assert [a.role for a in doc.responsibilities["R-1"].raci] == [
        "responsible",
        "accountable",
        "consulted",
        "informed",
    ]
    assert {u.type for u in doc.ucas.values()} == {"not_provided", "provided", "timing", "duration"}
    assert doc.context_rules["CR-2"].hazardous is False
    assert doc.findings["F-1"].data == (("count", "1"), ("note", "two\nlines"))
    proposals = [type(s.proposal).__name__ for s in doc.suggestions.values()]
    assert len(set(proposals)) == 9
    assert doc.suggestions["S-5"].proposal.id == "UCA-99"
    assert doc.suggestions["S-1"].proposal.id == ""
    assert doc.node_layout["C-2"] == NodeLayout(id="C-2", x=40, y=200, width=200.25, height=90)
    assert doc.link_layout["LK-1"].bends == ((100.0, 120.0), (110.5, 130.0))
    assert doc.extensions == (REVIEW,)


def test_golden_file_uses_every_field_of_every_record() -> None:
    """Every dataclass field of every record class holds a non-default value somewhere."""
    import dataclasses

    doc = load(GOLDEN)
    seen: dict[type, set[str]] = {}

    def visit(record: object) -> None:
        if not dataclasses.is_dataclass(record):
            return
        fields = seen.setdefault(type(record), set())
        for field in dataclasses.fields(record):
            value = getattr(record, field.name)
            default = field.default
            if value != default and value not in ("", (), None):
                fields.add(field.name)
            for part in value if isinstance(value, tuple) else (value,):
                visit(part)

    for name in ALL_TABLES:
        for record in doc.table(name).values():
            visit(record)
    visit(doc.info)
    for cls, fields in seen.items():
        expected = {f.name for f in dataclasses.fields(cls)}
        assert fields == expected, f"{cls.__name__} never sets {expected - fields}"
    record_classes = {t.record_class for t in TABLES + LAYOUT_TABLES} | {DocumentInfo}
    assert record_classes <= set(seen)


@pytest.mark.parametrize("name", [t.name for t in TABLES])
def test_round_trip_per_record_type(name: str) -> None:
    """Each table alone survives dumps -> loads record for record (with what it needs)."""
    full = complete_document()
    loaded = loads(dumps(full))
    assert list(loaded.table(name).items()) == list(full.table(name).items())
    assert list(loaded.table(name)) == list(full.table(name))  # order kept


def test_save_load_save_is_byte_identical(tmp_path: Path) -> None:
    path = tmp_path / "wheel.stipa"
    stipa.io.save(complete_document(), path)
    first = path.read_bytes()
    stipa.io.save(load(path), path)
    assert path.read_bytes() == first


def test_empty_document() -> None:
    data = dumps(Document())
    assert data == (
        b"<?xml version='1.0' encoding='UTF-8'?>\n"
        b'<stipa xmlns="https://stipa.dev/ns/document" format="2">\n'
        b"  <info/>\n"
        b"</stipa>\n"
    )
    doc = loads(data)
    assert len(doc) == 0 and not doc.modified


def test_output_is_pretty_printed_utf8_with_final_newline() -> None:
    data = dumps(complete_document())
    text = data.decode("utf-8")
    assert text.endswith("</stipa>\n")
    lines = text.splitlines()
    assert lines[2].startswith("  <info ")
    tags = [line for line in lines if line.lstrip().startswith("<")]
    assert all((len(line) - len(line.lstrip(" "))) % 2 == 0 for line in tags)
    assert any(line.startswith("      <") for line in tags)
    assert "\t" not in text


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "  leading and trailing  ",
        "line\nbreaks\n",
        "tab\there",
        "carriage\r\nreturn\r",
        "quotes \" and ' and <tags> & ampersands ]]>",
        "Unicode: Überwachung — 監視 — 🚦",
        "&amp; already escaped",
        "\u00a0non-breaking\u2028separator",
    ],
)
def test_texts_survive_in_attributes_and_elements(text: str) -> None:
    doc = Document()
    doc.set_info(title=text, description=text)
    crew = doc.add(
        Component(
            name=text,
            role=text,
            description=text,
            nature="human",
            variables=[ProcessVariable(name=text, values=[text, "other"])],
            properties=[Property(namespace="urn:x", name="p", value=text, unit=text)],
        )
    )
    plant = doc.add(Component(name="Plant", kind="controlled_process"))
    doc.add(
        Link(
            source=crew.id,
            target=plant.id,
            description=text,
            items=[LinkItem(name=text, description=text)],
        )
    )
    doc.add(Loss(text=text, description=text))
    loaded = loads(dumps(doc))
    assert_same(loaded, doc)
    assert dumps(loaded) == dumps(doc)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (120.0, "120"),
        (-40.0, "-40"),
        (0.1, "0.1"),
        (1 / 3, "0.3333333333333333"),
        (1e-20, "1e-20"),
        (1e6, "1000000"),
        (2.5e-7, "2.5e-07"),
        (123456.125, "123456.125"),
    ],
)
def test_floats_are_shortest_round_trip(value: float, written: str) -> None:
    doc = Document()
    crew = doc.add(Component(name="Crew"))
    doc.set_layout(NodeLayout(id=crew.id, x=value, y=0, width=160, height=70))
    data = dumps(doc)
    assert f'x="{written}"'.encode() in data
    assert loads(data).node_layout[crew.id].x == value


def test_negative_zero_and_defaults() -> None:
    doc = Document()
    crew = doc.add(Component(name="Crew"))
    plant = doc.add(Component(name="Plant", kind="controlled_process"))
    link = doc.add(Link(source=crew.id, target=plant.id, items=[LinkItem(name="Act")]))
    doc.set_layout(LinkLayout(id=link.id, label_dx=-0.0, label_dy=0.5))
    loaded = loads(dumps(doc))
    assert loaded.link_layout[link.id] == doc.link_layout[link.id]
    assert b"label-dx" not in dumps(doc)


def test_documents_are_deterministic_and_follow_table_order() -> None:
    a, b = complete_document(), complete_document()
    assert dumps(a) == dumps(b)
    a.move("H-1.1", 0)
    moved = loads(dumps(a))
    assert list(moved.hazards) == ["H-1.1", "H-1"]


def test_one_edit_is_a_small_diff() -> None:
    doc = complete_document()
    before = dumps(doc).decode().splitlines()
    doc.update("L-2", text="Damage to the aircraft or the runway")
    after = dumps(doc).decode().splitlines()
    changed = [(x, y) for x, y in zip(before, after, strict=True) if x != y]
    assert len(before) == len(after) and len(changed) == 1


def test_sub_hazards_and_parents_round_trip() -> None:
    doc = Document()
    top = doc.add(Hazard(text="Top"))
    mid = doc.add(Hazard(text="Mid", parent=top.id))
    doc.add(Hazard(text="Leaf", parent=mid.id))
    assert_same(loads(dumps(doc)), doc)


def test_loads_accepts_bytes_like_and_refuses_text() -> None:
    data = dumps(complete_document())
    assert len(loads(bytearray(data))) == len(loads(memoryview(data)))
    with pytest.raises(TypeError):
        loads(data.decode())  # type: ignore[arg-type]


def test_loaded_document_is_editable_with_fresh_ids() -> None:
    doc = load(GOLDEN)
    loss = doc.add(Loss(text="New"))
    assert loss.id == "L-3"
    assert doc.modified
    doc.undo()
    assert not doc.modified
