"""Containment: components inside components and system boundaries, refused loops, the two ways
of deleting a container, moving a container with its contents, and bounded geometry, each
undone byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import stipa
from stipa import (
    Component,
    Document,
    FileFormatError,
    Hazard,
    Link,
    LinkItem,
    LinkLayout,
    ModelError,
    NodeLayout,
    ProcessVariable,
)
from stipa.cli import main
from stipa.operations.hierarchy import Contents, delete_container, move_with_contents, reparent

WHEEL_BRAKES = Path(__file__).resolve().parents[1] / "resources" / "examples" / "wheel-brakes.stipa"


@pytest.fixture
def doc() -> Document:
    """Municipality > service > {assistant > model, case worker}; a citizen outside."""
    d = Document()
    municipality = d.add(Component(name="Municipality", nature="organisation"))
    service = d.add(Component(name="Citizen service", kind="boundary", parent=municipality.id))
    assistant = d.add(Component(name="Assistant", parent=service.id, level=2))
    d.add(Component(name="Language model", kind="actuator", nature="ai_model", parent="C-3"))
    worker = d.add(Component(name="Case worker", nature="human", parent=service.id))
    citizen = d.add(Component(name="Citizen", kind="external", nature="human"))
    d.add(Link(source=assistant.id, target="C-4", items=[LinkItem(name="Prompt")]))
    d.add(
        Link(source=citizen.id, target=worker.id, kind="information", items=[LinkItem(name="Ask")])
    )
    for number, component in enumerate(d.components.values()):
        d.set_layout(NodeLayout(id=component.id, x=100 * number, y=50 * number))
    d.set_layout(LinkLayout(id="LK-1", bends=[(10, 20), (30, 40)]))
    d.set_layout(LinkLayout(id="LK-2", bends=[(500, 600)]))
    d.mark_saved()
    return d


def test_containment_queries(doc: Document) -> None:
    assert doc.children_of("") == ["C-1", "C-6"]
    assert doc.children_of("C-2") == ["C-3", "C-5"]
    assert doc.descendants_of("C-1") == ["C-2", "C-3", "C-5", "C-4"]
    assert doc.ancestors_of("C-4") == ["C-3", "C-2", "C-1"]
    assert doc.ancestors_of("C-1") == []
    assert doc.components["C-3"].level == 2


@pytest.mark.parametrize(
    ("component", "changes", "message"),
    [
        ("C-1", {"parent": "C-1"}, "Municipality cannot contain itself"),
        ("C-1", {"parent": "C-4"}, "cannot go inside Language model: Language model is inside"),
        ("C-2", {"parent": "C-3"}, "cannot go inside Assistant: Assistant is inside"),
        ("C-3", {"parent": "H-1"}, "is inside H-1, which is not a component"),
        ("C-3", {"parent": "C-99"}, "is inside C-99, which is not a component"),
        ("C-3", {"level": -1}, "level must be a whole number from 0 to 999"),
        ("C-3", {"level": 1000}, "level must be a whole number from 0 to 999"),
        ("C-3", {"level": True}, "level must be a whole number"),
        ("C-3", {"level": "2"}, "level must be a whole number"),
        ("C-2", {"variables": [ProcessVariable(name="v", values=["a"])]}, "no process model"),
    ],
)
def test_refused_containment_edits_change_nothing(
    doc: Document, component: str, changes: dict[str, object], message: str
) -> None:
    doc.add(Hazard(text="A hazard"))
    before = stipa.dumps(doc)
    with pytest.raises(ModelError, match=re.escape(message)):
        doc.update(component, **changes)
    if "parent" not in changes or changes["parent"] not in doc.components:
        # a new component cannot close a loop (nothing is inside it yet), the rest holds
        with pytest.raises(ModelError, match=re.escape(message)):
            doc.add(doc.components[component].replace(id="", **changes))
    assert stipa.dumps(doc) == before


def test_a_boundary_sends_and_receives_nothing(doc: Document) -> None:
    for source, target in (("C-2", "C-3"), ("C-3", "C-2")):
        with pytest.raises(ModelError, match="is a system boundary"):
            doc.add(Link(source=source, target=target, items=[LinkItem(name="x")]))
        assert stipa.model.connection_problem(doc, "feedback", source, target)


def test_reparent_is_one_undo_step(doc: Document) -> None:
    before = stipa.dumps(doc)
    moved = reparent(doc, "C-6", "C-2")
    assert moved.parent == "C-2" and doc.undo_label == "Move Citizen into Citizen service"
    reparent(doc, "C-4", "")
    assert doc.undo_label == "Move Language model out of Assistant"
    assert doc.children_of("") == ["C-1", "C-4"]
    doc.undo()
    doc.undo()
    assert stipa.dumps(doc) == before and not doc.modified
    with pytest.raises(ModelError, match="Language model is inside Assistant"):
        reparent(doc, "C-3", "C-4")
    assert stipa.dumps(doc) == before


def test_deleting_a_container_deletes_its_contents_by_default(doc: Document) -> None:
    before = stipa.dumps(doc)
    doc.remove("C-2")
    assert list(doc.components) == ["C-1", "C-6"]
    assert not doc.links and "C-4" not in doc.node_layout
    doc.undo()
    assert stipa.dumps(doc) == before


@pytest.mark.parametrize("mode", list(Contents))
def test_delete_container_offers_both_modes_in_one_undo_step(doc: Document, mode: str) -> None:
    before = stipa.dumps(doc)
    delete_container(doc, "C-2", mode)
    if mode == Contents.LIFT:
        assert doc.undo_label == "Delete Citizen service, keeping its contents"
        # the service's contents are now directly in the municipality, keeping their own
        assert doc.children_of("C-1") == ["C-3", "C-5"]
        assert doc.components["C-4"].parent == "C-3"
        assert list(doc.links) == ["LK-1", "LK-2"]
    else:
        assert doc.undo_label == "Delete Citizen service and its contents"
        assert list(doc.components) == ["C-1", "C-6"]
    doc.undo()
    assert stipa.dumps(doc) == before and not doc.modified
    doc.redo()
    doc.undo()
    assert stipa.dumps(doc) == before


def test_lifting_from_the_top_level_puts_contents_at_the_top(doc: Document) -> None:
    delete_container(doc, "C-1", "lift")
    assert doc.children_of("") == ["C-2", "C-6"]


def test_moving_a_container_moves_its_contents(doc: Document) -> None:
    before = stipa.dumps(doc)
    move_with_contents(doc, "C-2", 15, -5)
    assert doc.undo_label == "Move Citizen service"
    for cid in ("C-2", "C-3", "C-4", "C-5"):
        old = stipa.loads(before).node_layout[cid]
        assert (doc.node_layout[cid].x, doc.node_layout[cid].y) == (old.x + 15, old.y - 5)
    assert doc.node_layout["C-1"].x == 0 and doc.node_layout["C-6"].x == 500
    # the route inside the container moves along; the one from outside keeps its bends
    assert doc.link_layout["LK-1"].bends == ((25, 15), (45, 35))
    assert doc.link_layout["LK-2"].bends == ((500, 600),)
    doc.undo()
    assert stipa.dumps(doc) == before


def test_a_move_beyond_the_coordinate_range_is_refused_whole(doc: Document) -> None:
    before = stipa.dumps(doc)
    with pytest.raises(ModelError, match="coordinates must lie between -1,000,000 and 1,000,000"):
        move_with_contents(doc, "C-2", 999_900, 0)
    assert stipa.dumps(doc) == before and not doc.modified


def test_snapshot_and_networkx_expose_containment(doc: Document) -> None:
    snapshot = doc.snapshot()
    assert snapshot.children_of("C-2") == ["C-3", "C-5"]
    graph = snapshot.to_networkx()
    assert graph.nodes["C-4"]["parent"] == "C-3"
    assert graph.nodes["C-1"]["parent"] == ""
    assert graph.nodes["C-3"]["level"] == 2 and graph.nodes["C-1"]["level"] is None
    assert graph.nodes["C-2"]["kind"] == "boundary"


def _wheel_brakes_with(old: str, new: str, tmp_path: Path) -> tuple[Path, int]:
    text = WHEEL_BRAKES.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    path = tmp_path / "changed.stipa"
    path.write_text(changed, encoding="utf-8")
    line = next(n for n, row in enumerate(changed.splitlines(), 1) if new in row)
    return path, line


def test_a_containment_loop_in_a_file_is_refused_with_its_line(tmp_path: Path) -> None:
    doc = stipa.load(WHEEL_BRAKES)
    doc.update("C-2", parent="C-1")
    data = stipa.dumps(doc).replace(b'name="Flight crew"', b'name="Flight crew" parent="C-2"', 1)
    with pytest.raises(FileFormatError) as caught:
        stipa.loads(data, "loop.stipa")
    lines = data.decode().splitlines()
    for problem in caught.value.problems:
        assert "cannot go inside" in problem.message
        assert problem.line is not None and 'id="C-' in lines[problem.line - 1]


@pytest.mark.parametrize("value", ["1e6", "1000000", "1e308", "INF", "NaN", "1e23", "0"])
def test_huge_geometry_is_refused_by_load_and_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """Issue 15.1: a box of width 1e6 made every export and the GUI hang; now it never loads."""
    text = WHEEL_BRAKES.read_text(encoding="utf-8")
    node = re.search(r'<node id="C-1" [^>]*width="([^"]+)"', text)
    assert node is not None
    old = node.group(0)
    path, line = _wheel_brakes_with(
        old, old.replace(f'width="{node.group(1)}"', f'width="{value}"'), tmp_path
    )
    with pytest.raises(FileFormatError) as caught:
        stipa.load(path)
    [problem] = caught.value.problems
    assert problem.line == line and "width" in problem.message
    assert main(["validate", str(path)]) != 0
    err = capsys.readouterr().err
    assert f"{path}:{line}:" in err and "invalid (1 problem)" in err


def test_copy_and_paste_keep_containment_within_the_selection(doc: Document) -> None:
    from stipa.operations.clipboard import copy_selection, paste

    before = stipa.dumps(doc)
    clip = copy_selection(doc, ["C-3", "C-4", "C-5"])  # the service itself stays behind
    assert clip.components["C-3"].parent == "" and clip.components["C-4"].parent == "C-3"
    new = paste(doc, clip, 10, 10)
    assistant, model, worker = (doc.components[i] for i in new[:3])
    assert assistant.parent == "" and worker.parent == ""
    assert model.parent == assistant.id and assistant.level == 2
    doc.undo()
    assert stipa.dumps(doc) == before


def test_cutting_a_container_takes_its_contents_along(doc: Document) -> None:
    from stipa.operations.clipboard import cut, paste

    clip = cut(doc, ["C-2"])
    assert list(doc.components) == ["C-1", "C-6"]
    assert [c.name for c in clip.components.values()] == [
        "Citizen service",
        "Assistant",
        "Language model",
        "Case worker",
    ]
    new = paste(doc, clip, 0, 0)
    service = doc.components[new[0]]
    assert service.parent == "" and doc.children_of(service.id) == new[1:2] + new[3:4]
    assert [link.items[0].name for link in doc.links.values()] == ["Prompt"]  # inside only


def test_lifting_past_several_deleted_containers(doc: Document) -> None:
    from stipa.operations.hierarchy import containers_among, delete

    assert containers_among(doc, ["C-2", "C-3", "LK-1"]) == ["C-2", "C-3"]
    assert containers_among(doc, ["C-3", "C-4", "C-6"]) == []
    before = stipa.dumps(doc)
    delete(doc, ["C-2", "C-3"], "lift")
    # the model and the case worker land in the municipality, the nearest container left
    assert doc.children_of("C-1") == ["C-4", "C-5"]
    assert doc.undo_label == "Delete 2 elements"
    doc.undo()
    assert stipa.dumps(doc) == before
