"""The shortcuts of the load path change nothing but its speed.

Loading builds records through trusted constructors, indexes them in bulk and skips the checks
the parser and the schema already guarantee (``schema_valid``). Each test here loads the same
bytes twice, the fast way and the reference way (public constructors, one-by-one indexing, every
check), and requires the same document or the same problems with the same lines.

The schema check runs in a second thread while the records are read, except for a root with
sibling comments; both ways give the same document or the same problems.
"""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest
from stipa_io_samples import DATA, GOLDEN_V1

from stipa import io
from stipa.io import FileFormatError, reader
from stipa.model import (
    LAYOUT_TABLES,
    TABLES,
    Component,
    Condition,
    ContextRule,
    ControllerConstraint,
    Document,
    Finding,
    Hazard,
    Link,
    LinkItem,
    LinkKind,
    LinkLayout,
    Loss,
    LossScenario,
    ModelError,
    NodeLayout,
    ProcessVariable,
    RaciAssignment,
    Responsibility,
    Suggestion,
    SystemConstraint,
    UnsafeControlAction,
)
from stipa.testing.generate import generate_document

#: The loader's trusted constructors and the public classes they stand for.
TRUSTED = {
    "_new_component": Component,
    "_new_variable": ProcessVariable,
    "_new_link": Link,
    "_new_item": LinkItem,
    "_new_loss": Loss,
    "_new_hazard": Hazard,
    "_new_constraint": SystemConstraint,
    "_new_raci": RaciAssignment,
    "_new_responsibility": Responsibility,
    "_new_uca": UnsafeControlAction,
    "_new_controller_constraint": ControllerConstraint,
    "_new_scenario": LossScenario,
    "_new_condition": Condition,
    "_new_context_rule": ContextRule,
    "_new_finding": Finding,
    "_new_suggestion": Suggestion,
    "_new_node": NodeLayout,
    "_new_route": LinkLayout,
}
GOLDEN = GOLDEN_V1.read_text(encoding="utf-8")

#: Edits of the golden file that keep it schema-valid but break a model rule (or none).
MUTATIONS: dict[str, tuple[str, str]] = {
    "unchanged": ("", ""),
    "dangling loss": ('losses="L-1 L-2"', 'losses="L-1 L-9"'),
    "duplicate component": ('id="C-4" name="Wheels"', 'id="C-3" name="Wheels"'),
    "item id of a link": ('<item id="CA-3" name="Brake"/>', '<item id="LK-2" name="Brake"/>'),
    "item id twice in a link": ('<item id="CA-2"', '<item id="CA-1"'),
    "item id of another link": ('<item id="CA-4"', '<item id="CA-3"'),
    "variable id of a component": ('<variable id="PV-1"', '<variable id="C-2"'),
    "variable id twice": ('<variable id="PV-3"', '<variable id="PV-2"'),
    "record id of an item": ('<uca id="UCA-4"', '<uca id="CA-4"'),
    "item name twice": ('name="Disarm autobrake"', 'name="Arm autobrake"'),
    "blank component name": ('name="Wheels"', 'name="  "'),
    "empty item name": ('name="Brake"', 'name=""'),
    "blank variable name": ('name="Wheel speed"', 'name=" "'),
    "variable name twice": ('name="Wheel speed"', 'name="Aircraft state"'),
    "blank value": ("<value>no</value>", "<value> </value>"),
    "value twice": ("<value>no</value>", "<value>yes</value>"),
    "variable without values": (
        "<value>low</value>\n        <value>high</value>\n      </variable>",
        "</variable>",
    ),
    "property twice": (
        '<ai-hardware:gpu-hours unit="h">120</ai-hardware:gpu-hours>',
        '<ai-hardware:gpu-hours unit="h">120</ai-hardware:gpu-hours>\n'
        "      <ai-hardware:gpu-hours>7</ai-hardware:gpu-hours>",
    ),
    "sensor sends a control action": (
        'source="C-5" target="C-2" kind="feedback"',
        'source="C-5" target="C-2" kind="control_action"',
    ),
    "link to itself": ('source="C-6" target="C-1"', 'source="C-6" target="C-6"'),
    "link to nowhere": (
        'target="C-4" kind="control_action"',
        'target="C-40" kind="control_action"',
    ),
    "link from a loss": ('source="C-6" target="C-1"', 'source="L-1" target="C-1"'),
    "hazard loop": ('<hazard id="H-1" losses', '<hazard id="H-1" parent="H-1.1" losses'),
    "parent not a hazard": (
        'parent="H-1" losses="L-1">\n      <text>Aircraft',
        'parent="L-1" losses="L-1">\n      <text>Aircraft',
    ),
    "owner not a component": ('owner="C-2"', 'owner="SC-1"'),
    "raci twice": ('<raci component="C-1"', '<raci component="C-2"'),
    "uca of a feedback": ('action="CA-1" type="duration"', 'action="FB-1" type="duration"'),
    "not applicable without rationale": (
        "<rationale>The wheels are not on the ground; no effect.</rationale>",
        "",
    ),
    "rule value not in the domain": (
        'value="landed"/>\n      <condition',
        'value="parked"/>\n      <condition',
    ),
    "rule variable of another controller": ('variable="PV-3"', 'variable="PV-1"'),
    "rule variable twice": ('variable="PV-3"', 'variable="PV-2"'),
    "rule of a feedback": (
        '<context-rule id="CR-2" action="CA-3"',
        '<context-rule id="CR-2" action="FB-1"',
    ),
    "dangling finding target": ('targets="UCA-1"', 'targets="UCA-9"'),
    "disposition without rationale": ("<rationale>Ok</rationale>", ""),
    "blank plugin": (
        'plugin="p" rule="r" severity="error"',
        'plugin=" " rule="r" severity="error"',
    ),
    "blank suggestion message": ("<message>Consider this Loss.</message>", "<message> </message>"),
    "rejected without rationale": (
        "<rationale>Not needed.</rationale>\n      <proposal>\n        <constraint",
        "<proposal>\n        <constraint",
    ),
    "dangling suggestion target": ('status="open" targets="H-1"', 'status="open" targets="H-9"'),
    "node not a finite number": ('x="600"', 'x="NaN"'),
    "node infinitely wide": ('width="200.25"', 'width="INF"'),
    "node without width": (
        'width="160" height="70"/>\n    <node id="C-4"',
        'width="0" height="70"/>\n    <node id="C-4"',
    ),
    "layout of a link": ('<node id="C-7"', '<node id="LK-1"'),
    "two layouts": ('<node id="C-7"', '<node id="C-6"'),
    "route of a component": ('<route id="LK-4"', '<route id="C-4"'),
    "bend not a number": ('<bend x="100"', '<bend x="-INF"'),
    "comments between records": ("  </links>", "    <!-- the end -->\n  </links>"),
}


def reference_loads(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``io.loads`` with every shortcut of the load path undone."""
    with monkeypatch.context() as patch:
        for name, record_class in TRUSTED.items():
            patch.setattr(reader, name, record_class)
        assemble = Document.assemble.__func__  # type: ignore[attr-defined]

        def checked_assemble(
            cls: type, records: Any, layouts: Any = (), info: Any = None, **_: Any
        ) -> Any:
            return assemble(cls, records, layouts, info)

        patch.setattr(Document, "assemble", classmethod(checked_assemble))
        patch.setattr(Document, "_index_all", lambda self, records: False)
        return outcome(data)


def outcome(data: bytes) -> Any:
    """What loading ``data`` gives: every table, the index and the extensions, or the problems."""
    try:
        doc = io.loads(data, "m.stipa")
    except FileFormatError as error:
        return [(problem.line, problem.message) for problem in error.problems]
    tables = {t.name: list(doc.table(t.name).items()) for t in TABLES + LAYOUT_TABLES}
    return tables, doc.info, doc.extensions, doc._where, doc._owner


def test_trusted_constructors_stand_for_their_classes() -> None:
    for name, record_class in TRUSTED.items():
        assert getattr(reader, name) is record_class._trusted, name


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_golden_file_and_its_mutations_load_as_the_reference_does(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = MUTATIONS[name]
    assert old in GOLDEN, "the mutation no longer applies to the golden file"
    data = GOLDEN.replace(old, new, 1).encode("utf-8")
    fast = outcome(data)
    assert fast == reference_loads(data, monkeypatch)
    if name in ("unchanged", "comments between records"):
        assert isinstance(fast, tuple)
    else:  # a model problem, reported with its line
        assert isinstance(fast, list) and fast and all(line for line, _ in fast), fast


@pytest.mark.parametrize("path", sorted((DATA / "bad").glob("*.stipa")), ids=lambda p: p.name)
def test_bad_files_give_the_reference_problems(path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    data = path.read_bytes()
    assert outcome(data) == reference_loads(data, monkeypatch)


def test_generated_document_loads_as_the_reference_does(monkeypatch: pytest.MonkeyPatch) -> None:
    data = io.dumps(generate_document(200, links_per_component=3, seed=1))
    assert outcome(data) == reference_loads(data, monkeypatch)


@pytest.mark.parametrize(
    "reference",
    ["&#1;", "&#x1F;", "&#xB;", "&#xFFFE;", "&#xFFFF;", "&#xD800;", "&#xDFFF;"],
)
def test_the_parser_refuses_what_the_model_could_not_save(reference: str) -> None:
    """Why loaded texts skip the control-character check: they never reach the model."""
    for where in ('name="Wheels{}"', "<text>Loss of life or injury{}</text>"):
        old = where.format("")
        data = GOLDEN.replace(old, where.format(reference), 1).encode("utf-8")
        with pytest.raises(FileFormatError) as caught:
            io.loads(data, "c.stipa")
        [problem] = caught.value.problems
        assert problem.line is not None and "not well-formed" in problem.message


def test_trusted_constructor_makes_what_the_public_one_makes() -> None:
    item = LinkItem._trusted(id="CA-1", name="Brake")
    assert item == LinkItem(id="CA-1", name="Brake") and type(item) is LinkItem
    link = Link._trusted(
        id="LK-1", source="C-1", target="C-2", kind=LinkKind.FEEDBACK, items=(item,)
    )
    assert link == Link(id="LK-1", source="C-1", target="C-2", kind="feedback", items=[item])
    node = NodeLayout._trusted(id="C-1", x=1.0, y=2.0, width=3.0, height=4.0)
    assert node == NodeLayout(id="C-1", x=1, y=2, width=3, height=4)
    with pytest.raises(AttributeError):
        link.id = "LK-2"  # type: ignore[misc]  # still frozen


def test_trusted_constructor_falls_back_to_the_public_one() -> None:
    # Values of other types are converted, or refused with the public constructor's error.
    link = Link._trusted(id="LK-1", source="C-1", target="C-2", kind="feedback", items=[])
    assert link.kind is LinkKind.FEEDBACK and link.items == ()
    assert NodeLayout._trusted(id="C-1", x=1, y=2, width=3, height=4).x == 1.0
    with pytest.raises(ModelError, match="not a valid LinkKind") as trusted:
        Link._trusted(id="LK-1", source="C-1", target="C-2", kind="pipe")
    with pytest.raises(ModelError) as public:
        Link(id="LK-1", source="C-1", target="C-2", kind="pipe")
    assert str(trusted.value) == str(public.value)
    with pytest.raises(ModelError, match="must be a sequence"):
        Hazard._trusted(id="H-1", text="t", losses="L-1")
    with pytest.raises(TypeError):
        Loss._trusted(id="L-1")  # text is required, as for Loss()


def test_load_reads_a_file_that_grew_after_its_size_was_taken(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.stipa"
    path.write_bytes(GOLDEN_V1.read_bytes())
    real_fstat = reader.os.fstat

    class Shrunk:
        st_size = 10

    monkeypatch.setattr(reader.os, "fstat", lambda fd: Shrunk() if fd > 2 else real_fstat(fd))
    assert len(io.load(path).components) == 7
    with pytest.raises(FileFormatError, match="too large"):
        io.load(path, max_bytes=100)


#: Edits of the golden file that break the schema, some so that its records cannot be read.
SCHEMA_BREAKS: dict[str, tuple[str, str]] = {
    "rule without hazardous": ('type="provided" hazardous="false"', 'type="provided"'),
    "link without source": ('source="C-6" target="C-1"', 'target="C-1"'),
    "node without x": ('<node id="C-7" x=', '<node id="C-7" z='),
    "unknown link kind": ('kind="feedback"', 'kind="pipe"'),
    "text in a component": ('<component id="C-4"', '<component id="C-4">x</component><c id="C-4"'),
}


def sequential(data: bytes) -> bytes:
    """``data`` with a comment after the root, which makes the loader check it first, alone."""
    return data.rstrip() + b"\n<!-- checked alone -->\n"


@pytest.mark.parametrize("name", sorted(MUTATIONS) + sorted(SCHEMA_BREAKS))
def test_schema_checked_while_reading_gives_what_checking_first_gives(name: str) -> None:
    old, new = MUTATIONS.get(name) or SCHEMA_BREAKS[name]
    data = GOLDEN.replace(old, new, 1).encode("utf-8")
    assert outcome(data) == outcome(sequential(data))
    if name in SCHEMA_BREAKS:  # what reading met meanwhile is not reported, the schema is
        problems = outcome(data)
        assert isinstance(problems, list) and problems, problems
        assert all(line for line, _ in problems) and all("In <" in m for _, m in problems)


def test_a_failing_schema_check_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(root: Any) -> Any:
        raise RuntimeError("libxml2 gave up")

    monkeypatch.setattr(reader, "schema_errors", broken)
    with pytest.raises(RuntimeError, match="libxml2 gave up"):
        io.loads(GOLDEN.encode("utf-8"))
    with pytest.raises(RuntimeError, match="libxml2 gave up"):
        io.loads(sequential(GOLDEN.encode("utf-8")))


def test_a_reading_error_of_a_schema_valid_file_is_not_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(root: Any, source: str) -> Any:
        raise KeyError("a bug in a reader")

    monkeypatch.setattr(reader, "_build", broken)
    with pytest.raises(KeyError, match="a bug in a reader"):
        io.loads(GOLDEN.encode("utf-8"))


def test_loading_leaves_the_garbage_collector_as_it_was() -> None:
    bad = GOLDEN.replace('losses="L-1 L-2"', 'losses="L-1 L-9"', 1).encode("utf-8")
    assert gc.isenabled()
    io.loads(GOLDEN.encode("utf-8"))
    assert gc.isenabled()
    with pytest.raises(FileFormatError):
        io.loads(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        io.loads(GOLDEN.encode("utf-8"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_loads_in_several_threads_at_once_give_the_same_documents() -> None:
    generated = io.dumps(generate_document(200, links_per_component=3, seed=2))
    golden = GOLDEN.encode("utf-8")
    broken = GOLDEN.replace(*SCHEMA_BREAKS["rule without hazardous"], 1).encode("utf-8")
    expected = [outcome(data) for data in (generated, golden, broken)]
    results: list[Any] = []

    def load_each() -> None:
        for _ in range(3):
            results.append([outcome(data) for data in (generated, golden, broken)])

    threads = [threading.Thread(target=load_each) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 12 and all(result == expected for result in results)
