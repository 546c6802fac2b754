"""A link's text as a list: one item per line; commas never split or join items."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stipa.io import dumps
from stipa.model import Component, Document, Link, LinkItem
from stipa.operations.link_text import items_from_text, link_text, set_link_text

names = st.text(alphabet=st.sampled_from("ab, ;-"), min_size=1, max_size=12).filter(
    lambda name: name.strip() != ""
)


def _document() -> Document:
    doc = Document()
    with doc.transaction("build"):
        a = doc.add(Component(name="Crew"))
        b = doc.add(Component(name="Brakes", kind="controlled_process"))
        doc.add(
            Link(
                source=a.id,
                target=b.id,
                items=[LinkItem(name="Apply brake, gently"), LinkItem(name="Release brake")],
            )
        )
    return doc


@given(st.lists(names, min_size=1, max_size=6))
def test_every_line_is_one_item_whatever_its_commas(lines: list[str]) -> None:
    items = items_from_text((), "\n".join(lines))
    assert [item.name for item in items] == [" ".join(line.split()) for line in lines]


@given(st.lists(names, min_size=1, max_size=5, unique_by=lambda n: " ".join(n.split())))
def test_showing_then_reading_a_link_changes_nothing(lines: list[str]) -> None:
    items = tuple(
        LinkItem(id=f"CA-{i}", name=" ".join(name.split())) for i, name in enumerate(lines)
    )
    link = Link(id="LK-1", source="C-1", target="C-2", items=items)
    assert items_from_text(items, link_text(link)) == items


def test_editing_keeps_the_ids_of_the_items_it_keeps_or_renames() -> None:
    doc = _document()
    before = dumps(doc)
    first, second = doc.links["LK-1"].items
    assert link_text(doc.links["LK-1"]) == "Apply brake, gently\nRelease brake"
    set_link_text(doc, "LK-1", "Release brake\nApply brake gently\n\nHold brake")
    items = doc.links["LK-1"].items
    assert [item.name for item in items] == ["Release brake", "Apply brake gently", "Hold brake"]
    assert items[0].id == second.id and items[1].id == first.id  # moved, and renamed
    assert items[2].id not in (first.id, second.id)
    doc.undo()
    assert dumps(doc) == before


def test_two_actions_on_one_line_stay_one_action() -> None:
    doc = _document()
    set_link_text(doc, "LK-1", "Apply brake, Release brake")
    assert [item.name for item in doc.links["LK-1"].items] == ["Apply brake, Release brake"]
