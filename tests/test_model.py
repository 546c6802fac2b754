"""The document model's mutation API, as someone scripting Stipa would notice it.

Every refused edit raises :class:`ModelError` with a sentence naming what is wrong and leaves
the document (tables, their order, the undo history) exactly as it was. Every accepted edit is
one undo step that puts everything back at the same index.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

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
    HistoryChanged,
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
    RecordAdded,
    RecordChanged,
    RecordRemoved,
    RecordsAdded,
    Responsibility,
    Suggestion,
    SystemConstraint,
    UnsafeControlAction,
    connection_problem,
)

TABLE_NAMES = [table.name for table in TABLES + LAYOUT_TABLES]


def state(doc: Document) -> dict[str, Any]:
    """Everything a user can see: every table, in order, and the title block."""
    tables: dict[str, Any] = {name: list(doc.table(name).items()) for name in TABLE_NAMES}
    tables["info"] = doc.info
    return tables


def history(doc: Document) -> tuple[Any, ...]:
    return (doc.can_undo, doc.can_redo, doc.undo_label, doc.redo_label, doc.modified)


def build() -> Document:
    """A small wheel-brake analysis with every kind of record, ids as the comments say."""
    doc = Document()
    doc.add(
        Component(  # C-1, with PV-1 and PV-2
            name="BSCU",
            variables=[
                ProcessVariable(name="aircraft", values=["landing", "taxiing"]),
                ProcessVariable(name="wheels", values=["spinning", "stopped"]),
            ],
        )
    )
    doc.add(Component(name="Wheel brakes", kind="controlled_process", nature="physical"))  # C-2
    doc.add(Component(name="Wheel speed sensor", kind="sensor", nature="physical"))  # C-3
    doc.add(Component(name="Flight crew", nature="human", role="operator"))  # C-4
    doc.add(  # LK-1 with CA-1, CA-2
        Link(source="C-1", target="C-2", items=[LinkItem(name="Brake"), LinkItem(name="Release")])
    )
    doc.add(Link(source="C-3", target="C-1", kind="feedback", items=[LinkItem(name="Speed")]))
    doc.add(Link(source="C-4", target="C-1", items=[LinkItem(name="Arm autobrake")]))  # LK-3, CA-3
    doc.add(Loss(text="Loss of life"))  # L-1
    doc.add(Loss(text="Damage to aircraft"))  # L-2
    doc.add(Hazard(text="Insufficient deceleration", losses=["L-1", "L-2"]))  # H-1
    doc.add(Hazard(text="Deceleration on landing too low", parent="H-1"))  # H-1.1
    doc.add(Hazard(text="Loss of directional control", losses=["L-1"]))  # H-2
    doc.add(SystemConstraint(text="Decelerate enough", hazards=["H-1", "H-2"]))  # SC-1
    doc.add(
        Responsibility(
            text="Brake on landing",
            owner="C-1",
            constraints=["SC-1"],
            processes=["C-2"],
            raci=[RaciAssignment(component="C-4", role="accountable")],
        )
    )
    doc.add(  # owned by the crew, concerns the BSCU
        Responsibility(
            text="Monitor",
            owner="C-4",
            processes=["C-1", "C-2"],
            raci=[RaciAssignment(component="C-1", role="informed")],
        )
    )
    doc.add(UnsafeControlAction(action="CA-1", type="not_provided", hazards=["H-1"]))  # UCA-1
    doc.add(UnsafeControlAction(action="CA-2", type="provided", hazards=["H-2"]))  # UCA-2
    doc.add(ControllerConstraint(text="Must brake", ucas=["UCA-1", "UCA-2"]))  # CC-1
    doc.add(LossScenario(text="Stale speed", ucas=["UCA-1"], hazards=["H-1"]))  # LS-1
    doc.add(  # CR-1 uses PV-1, CR-2 uses PV-2
        ContextRule(
            action="CA-1",
            type="not_provided",
            conditions=[Condition(variable="PV-1", value="landing")],
        )
    )
    doc.add(ContextRule(action="CA-1", conditions=[Condition(variable="PV-2", value="stopped")]))
    doc.add(Finding(plugin="demo", rule="r1", message="Only about the BSCU", targets=["C-1"]))
    doc.add(Finding(plugin="demo", rule="r2", message="BSCU and H-1", targets=["C-1", "H-1"]))
    doc.add(Finding(plugin="demo", rule="r3", message="About the brake", targets=["CA-1"]))
    doc.set_layout(NodeLayout(id="C-1", x=0, y=0))
    doc.set_layout(NodeLayout(id="C-2", x=0, y=200))
    doc.set_layout(LinkLayout(id="LK-1", bends=[(10, 20)]))
    doc.mark_saved()
    return doc


@pytest.fixture
def doc() -> Document:
    return build()


@pytest.fixture
def events(doc: Document) -> list[Any]:
    received: list[Any] = []
    doc.subscribe(received.append)
    return received


# --- id allocation ------------------------------------------------------------------------------


def test_the_fixture_is_consistent_and_has_the_ids_the_tests_rely_on(doc: Document) -> None:
    assert doc.check() == []
    assert list(doc.components) == ["C-1", "C-2", "C-3", "C-4"]
    assert [v.id for v in doc.components["C-1"].variables] == ["PV-1", "PV-2"]
    assert list(doc.links) == ["LK-1", "LK-2", "LK-3"]
    assert [i.id for i in doc.links["LK-1"].items] == ["CA-1", "CA-2"]
    assert [i.id for i in doc.links["LK-2"].items] == ["FB-1"]
    assert [i.id for i in doc.links["LK-3"].items] == ["CA-3"]
    assert list(doc.hazards) == ["H-1", "H-1.1", "H-2"]
    assert list(doc.ucas) == ["UCA-1", "UCA-2"]
    assert list(doc.context_rules) == ["CR-1", "CR-2"]
    assert list(doc.findings) == ["F-1", "F-2", "F-3"]


def test_each_kind_of_record_gets_its_own_numbered_ids() -> None:
    doc = Document()
    assert doc.add(Component(name="A")).id == "C-1"
    assert doc.add(Component(name="B", kind="controlled_process")).id == "C-2"
    link = doc.add(Link(source="C-1", target="C-2", items=[LinkItem(name="x"), LinkItem(name="y")]))
    assert (link.id, [i.id for i in link.items]) == ("LK-1", ["CA-1", "CA-2"])
    feedback = doc.add(
        Link(source="C-2", target="C-1", kind="feedback", items=[LinkItem(name="f")])
    )
    info = doc.add(Link(source="C-2", target="C-1", kind="information", items=[LinkItem(name="i")]))
    assert [i.id for i in feedback.items] == ["FB-1"]
    assert [i.id for i in info.items] == ["IN-1"]
    assert (
        doc.add(Link(source="C-1", target="C-2", items=[LinkItem(name="z")])).items[0].id == "CA-3"
    )
    assert doc.add(Loss(text="l")).id == "L-1"
    assert doc.add(Hazard(text="h")).id == "H-1"
    assert doc.add(SystemConstraint(text="s")).id == "SC-1"
    assert doc.add(Responsibility(text="r", owner="C-1")).id == "R-1"
    assert doc.add(UnsafeControlAction(action="CA-1", type="timing")).id == "UCA-1"
    assert doc.add(UnsafeControlAction(action="CA-2", type="timing")).id == "UCA-2"
    assert doc.add(ControllerConstraint(text="c")).id == "CC-1"
    assert doc.add(LossScenario(text="ls")).id == "LS-1"
    assert doc.add(ContextRule(action="CA-1")).id == "CR-1"
    assert doc.add(Finding(plugin="p", rule="r", message="m")).id == "F-1"
    suggestion = doc.add(Suggestion(plugin="p", rule="r", message="m", proposal=Loss(text="x")))
    assert suggestion.id == "S-1"
    var = doc.update("C-1", variables=[ProcessVariable(name="v", values=["a"])]).variables[0]
    assert var.id == "PV-1"
    assert doc.check() == []


def test_sub_hazards_are_numbered_under_their_parent() -> None:
    doc = Document()
    for _ in range(4):
        doc.add(Hazard(text="h"))
    assert doc.add(Hazard(text="a", parent="H-4")).id == "H-4.1"
    assert doc.add(Hazard(text="b", parent="H-4")).id == "H-4.2"
    assert doc.add(Hazard(text="c", parent="H-4.1")).id == "H-4.1.1"
    assert doc.add(Hazard(text="d", parent="H-2")).id == "H-2.1"
    assert doc.add(Hazard(text="top")).id == "H-5"
    assert doc.check() == []


def test_explicit_ids_are_kept_and_numbering_continues_after_them() -> None:
    doc = Document()
    assert doc.add(Component(id="C-10", name="A")).id == "C-10"
    assert doc.add(Component(name="B")).id == "C-11"
    link = doc.add(Link(source="C-10", target="C-11", items=[LinkItem(id="CA-7", name="x")]))
    assert doc.update(link.id, items=[*link.items, LinkItem(name="y")]).items[1].id == "CA-8"


def test_ids_of_deleted_or_undone_records_are_not_given_to_new_records() -> None:
    """A deleted H-3 must not come back as a different hazard in a traced document."""
    doc = Document()
    doc.add(Component(name="A"))
    doc.add(Component(name="B"))
    doc.remove("C-2")
    assert doc.add(Component(name="C")).id == "C-3"
    doc.undo()
    assert doc.add(Component(name="D")).id == "C-4"


# --- validation: refused edits change nothing ---------------------------------------------------

NAN = math.nan

REFUSED: list[tuple[str, Callable[[Document], Any], str]] = [
    ("loss that does not exist", lambda d: d.add(Hazard(text="h", losses=["L-99"])), r"L-99"),
    (
        "hazard that does not exist",
        lambda d: d.add(SystemConstraint(text="s", hazards=["H-9"])),
        r"H-9",
    ),
    ("hazard given as loss", lambda d: d.add(Hazard(text="h", losses=["H-1"])), r"not a loss"),
    ("owner missing", lambda d: d.add(Responsibility(text="r", owner="C-99")), r"C-99.*component"),
    ("constraint missing", lambda d: d.update("R-1", constraints=["SC-9"]), r"SC-9"),
    (
        "RACI missing",
        lambda d: d.update("R-1", raci=[RaciAssignment(component="C-9", role="informed")]),
        r"C-9",
    ),
    (
        "RACI twice",
        lambda d: d.update(
            "R-1",
            raci=[
                RaciAssignment(component="C-2", role="informed"),
                RaciAssignment(component="C-2", role="responsible"),
            ],
        ),
        r"more than one RACI",
    ),
    ("UCA missing", lambda d: d.add(ControllerConstraint(text="c", ucas=["UCA-9"])), r"UCA-9"),
    ("scenario UCA missing", lambda d: d.add(LossScenario(text="s", ucas=["UCA-9"])), r"UCA-9"),
    (
        "finding target missing",
        lambda d: d.add(Finding(plugin="p", rule="r", message="m", targets=["X-1"])),
        r"X-1.*not in this document",
    ),
    (
        "link end missing",
        lambda d: d.add(Link(source="C-99", target="C-2")),
        r"C-99.*not a component",
    ),
    (
        "link end not a component",
        lambda d: d.add(Link(source="C-1", target="H-1")),
        r"H-1.*not a component",
    ),
    (
        "UCA on a feedback item",
        lambda d: d.add(UnsafeControlAction(action="FB-1", type="provided")),
        r"must analyse a control action; FB-1",
    ),
    (
        "UCA on a component",
        lambda d: d.add(UnsafeControlAction(action="C-1", type="provided")),
        r"C-1 is not one",
    ),
    ("UCA moved to a feedback item", lambda d: d.update("UCA-1", action="FB-1"), r"control action"),
    (
        "context rule on a feedback item",
        lambda d: d.add(ContextRule(action="FB-1")),
        r"control action",
    ),
    (
        "context rule on another controller's variable",
        lambda d: d.add(
            ContextRule(action="CA-3", conditions=[Condition(variable="PV-1", value="landing")])
        ),
        r"not a process-model variable of Flight crew",
    ),
    (
        "context rule value outside the domain",
        lambda d: d.add(
            ContextRule(action="CA-1", conditions=[Condition(variable="PV-1", value="flying")])
        ),
        r"'flying'.*not one of its values",
    ),
    (
        "context rule fixes a variable twice",
        lambda d: d.add(
            ContextRule(
                action="CA-1",
                conditions=[
                    Condition(variable="PV-1", value="landing"),
                    Condition(variable="PV-1", value="taxiing"),
                ],
            )
        ),
        r"PV-1 twice",
    ),
    ("hazard refines itself", lambda d: d.update("H-1", parent="H-1"), r"loop"),
    (
        "hazard refinement cycle",
        lambda d: d.update("H-1", parent="H-1.1"),
        r"H-1 cannot refine H-1\.1.*loop",
    ),
    ("parent not a hazard", lambda d: d.add(Hazard(text="h", parent="L-1")), r"not a hazard"),
    (
        "duplicate component id",
        lambda d: d.add(Component(id="C-1", name="again")),
        r"C-1 is already in use",
    ),
    (
        "id used by another table",
        lambda d: d.add(Loss(id="C-2", text="l")),
        r"C-2 is already in use",
    ),
    (
        "item id used by another link",
        lambda d: d.add(Link(source="C-1", target="C-2", items=[LinkItem(id="CA-3", name="x")])),
        r"CA-3 is already in use",
    ),
    (
        "item id twice in one link",
        lambda d: d.add(
            Link(
                source="C-1",
                target="C-2",
                items=[LinkItem(id="CA-9", name="x"), LinkItem(id="CA-9", name="y")],
            )
        ),
        r"CA-9 is already in use",
    ),
    (
        "variable id used elsewhere",
        lambda d: d.update("C-2", variables=[ProcessVariable(id="UCA-1", name="v", values=["a"])]),
        r"UCA-1 is already in use",
    ),
    ("invalid id", lambda d: d.add(Loss(id="1 bad", text="l")), r"not a valid id"),
    ("id changed", lambda d: d.update("C-1", id="C-100"), r"id of C-1 cannot change"),
    (
        "invalid enum value",
        lambda d: d.update("C-1", kind="robot"),
        r"'robot' is not a valid ComponentKind; use one of .*'controller'",
    ),
    ("invalid UCA type", lambda d: d.update("UCA-1", type="sometimes"), r"'sometimes'.*UCAType"),
    (
        "invalid disposition",
        lambda d: d.update("F-1", disposition="ignored"),
        r"'ignored'.*Disposition",
    ),
    ("unknown field", lambda d: d.update("C-1", colour="red"), r"Cannot change C-1"),
    (
        "NaN layout",
        lambda d: d.set_layout(NodeLayout(id="C-1", x=NAN, y=0)),
        r"C-1 has x nan; coordinates must lie between -1,000,000 and 1,000,000",
    ),
    (
        "infinite layout",
        lambda d: d.set_layout(NodeLayout(id="C-3", x=0, y=0, width=math.inf)),
        r"C-3 has width inf; a box is 1 to 20,000 units wide and high",
    ),
    (
        "NaN bend",
        lambda d: d.set_layout(LinkLayout(id="LK-1", bends=[(NAN, 0)])),
        r"LK-1 has a bend at x nan",
    ),
    (
        "zero size",
        lambda d: d.set_layout(NodeLayout(id="C-1", x=0, y=0, width=0)),
        r"C-1 has width 0.0; a box is 1 to 20,000",
    ),
    (
        "layout of nothing",
        lambda d: d.set_layout(NodeLayout(id="C-99", x=0, y=0)),
        r"C-99.*not a component",
    ),
    ("route of a component", lambda d: d.set_layout(LinkLayout(id="C-1")), r"C-1.*not a link"),
    ("layout through add", lambda d: d.add(NodeLayout(id="C-1", x=0, y=0)), r"set_layout"),
    ("record through set_layout", lambda d: d.set_layout(Loss(text="l")), r"not a layout record"),
    (
        "N/A UCA without rationale",
        lambda d: d.update("UCA-1", status="not_applicable"),
        r"UCA-1 is marked not applicable; say why",
    ),
    (
        "N/A UCA with blank rationale",
        lambda d: d.add(
            UnsafeControlAction(
                action="CA-1", type="timing", status="not_applicable", rationale="  "
            )
        ),
        r"not applicable",
    ),
    (
        "disposition without rationale",
        lambda d: d.update("F-1", disposition="accepted_risk"),
        r"F-1: a disposition of accepted_risk needs a rationale",
    ),
    (
        "resolved without rationale",
        lambda d: d.add(Finding(plugin="p", rule="r", message="m", disposition="resolved")),
        r"resolved needs a rationale",
    ),
    (
        "rejected suggestion without rationale",
        lambda d: d.add(
            Suggestion(
                plugin="p", rule="r", message="m", proposal=Loss(text="x"), status="rejected"
            )
        ),
        r"rejected; say why",
    ),
    (
        "finding without message",
        lambda d: d.add(Finding(plugin="p", rule="r", message=" ")),
        r"message must not be empty",
    ),
    (
        "self link",
        lambda d: d.add(Link(source="C-1", target="C-1")),
        r"BSCU cannot be linked to itself",
    ),
    ("self link by update", lambda d: d.update("LK-1", target="C-1"), r"itself"),
    (
        "control action from a sensor",
        lambda d: d.add(Link(source="C-3", target="C-2")),
        r"Wheel speed sensor is a sensor",
    ),
    (
        "feedback link turned control action from a sensor",
        lambda d: d.update("LK-2", kind="control_action"),
        r"sensor",
    ),
    (
        "link used by UCAs turned feedback",
        lambda d: d.update("LK-1", kind="feedback"),
        r"LK-1 carries control actions that UCA-1, UCA-2, CR-1, CR-2 analyse",
    ),
    (
        "link used by rules turned information",
        lambda d: d.update("LK-1", kind="information"),
        r"must stay a control action",
    ),
    (
        "variable value a rule uses removed",
        lambda d: d.update(
            "C-1",
            variables=[
                ProcessVariable(id="PV-1", name="aircraft", values=["taxiing"]),
                d.components["C-1"].variables[1],
            ],
        ),
        r"CR-1 uses the value 'landing'",
    ),
    ("empty component name", lambda d: d.add(Component(name="  ")), r"name must not be empty"),
    (
        "variable without values",
        lambda d: d.update("C-2", variables=[ProcessVariable(name="v")]),
        r"needs at least one value",
    ),
    (
        "variable value twice",
        lambda d: d.update("C-2", variables=[ProcessVariable(name="v", values=["a", "a"])]),
        r"'a' twice",
    ),
    (
        "two variables with one name",
        lambda d: d.update(
            "C-2",
            variables=[
                ProcessVariable(name="v", values=["a"]),
                ProcessVariable(name="v", values=["b"]),
            ],
        ),
        r"two process variables named 'v'",
    ),
    (
        "two items with one name",
        lambda d: d.update("LK-1", items=[*d.links["LK-1"].items, LinkItem(name="Brake")]),
        r"carries 'Brake' twice",
    ),
    ("text that is not text", lambda d: d.update("L-1", text=42), r"text must be text"),
    (
        "editing a nested item directly",
        lambda d: d.update("CA-1", name="x"),
        r"CA-1 is part of LK-1; edit LK-1 instead",
    ),
    ("editing nothing", lambda d: d.update("C-99", name="x"), r"no record C-99"),
    ("removing nothing", lambda d: d.remove("C-1", "C-99"), r"no record C-99 to remove"),
    (
        "add beyond the end",
        lambda d: d.add(Loss(text="l"), index=5),
        r"Position 5 is outside the table \(0 to 2\)",
    ),
    (
        "move beyond the end",
        lambda d: d.move("L-1", 2),
        r"Position 2 is outside the table \(0 to 1\)",
    ),
    ("move a nested item", lambda d: d.move("CA-1", 0), r"part of LK-1"),
    ("not a record", lambda d: d.add(LinkItem(name="x")), r"LinkItem is not a document record"),
    ("bad document info", lambda d: d.set_info(title=3), r"title must be text"),
    ("unknown document info", lambda d: d.set_info(colour="red"), r"document information"),
]


@pytest.mark.parametrize(
    ("edit", "message"), [(e, m) for _, e, m in REFUSED], ids=[n for n, _, _ in REFUSED]
)
def test_a_refused_edit_says_why_and_changes_nothing(
    doc: Document, events: list[Any], edit: Callable[[Document], Any], message: str
) -> None:
    before, hist = state(doc), history(doc)
    with pytest.raises(ModelError, match=message):
        edit(doc)
    assert state(doc) == before
    assert history(doc) == hist
    assert events == []
    assert doc.check() == []


def test_record_classes_refuse_invalid_enum_values_with_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"'robot' is not a valid ComponentKind; use one of"):
        Component(name="x", kind="robot")
    with pytest.raises(ValueError, match=r"'maybe'.*'open', 'accepted_risk'"):
        Finding(plugin="p", rule="r", message="m", disposition="maybe")


def test_records_are_frozen(doc: Document) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.components["C-1"].name = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        doc.components["C-9"] = Component(name="x")  # type: ignore[index]
    assert doc.components["C-1"].name == "BSCU"


def test_error_names_the_record(doc: Document) -> None:
    with pytest.raises(ModelError) as error:
        doc.update("UCA-1", status="not_applicable")
    assert error.value.record_id == "UCA-1"


# --- known bugs: edits that are accepted but leave a broken document -------------------------


def test_a_component_with_outgoing_control_actions_cannot_become_a_sensor(doc: Document) -> None:
    """Bug: ``update_problems`` does not check the component's links, so this is accepted."""
    before = state(doc)
    with pytest.raises(ModelError, match=r"sensor"):
        doc.update("C-1", kind="sensor")
    assert state(doc) == before
    assert doc.check() == []


def test_moving_a_control_action_to_another_controller_keeps_its_context_rules_valid(
    doc: Document,
) -> None:
    """Bug: CR-1 and CR-2 use the BSCU's variables; giving LK-1 to the crew breaks them."""
    before = state(doc)
    with pytest.raises(ModelError, match=r"CR-1"):
        doc.update("LK-1", source="C-4")
    assert state(doc) == before
    assert doc.check() == []


def test_a_finding_about_a_finding_removed_by_a_cascade_loses_that_target(doc: Document) -> None:
    """Bug: F-1 goes with C-1 (its only target) but F-4 keeps pointing at F-1."""
    doc.add(Finding(plugin="demo", rule="meta", message="About F-1", targets=["F-1", "C-2"]))
    doc.remove("C-1")
    assert "F-1" not in doc.findings
    assert doc.findings["F-4"].targets == ("C-2",)
    assert doc.check() == []


def test_parts_that_are_not_parts_are_refused_with_a_model_error(doc: Document) -> None:
    """Bug: a string where a LinkItem/ProcessVariable belongs raises AttributeError."""
    before = state(doc)
    with pytest.raises(ModelError):
        doc.update("LK-1", items=["Brake"])
    with pytest.raises(ModelError):
        doc.add(Component(name="x", variables=["speed"]))
    assert state(doc) == before


# --- cascades -------------------------------------------------------------------------------------


def test_removing_a_controller_removes_what_hangs_on_it_and_prunes_references(
    doc: Document,
) -> None:
    before = state(doc)
    doc.remove("C-1")
    assert list(doc.components) == ["C-2", "C-3", "C-4"]
    assert list(doc.links) == []  # all three links touch the BSCU
    assert "CA-1" not in doc and "FB-1" not in doc and "PV-1" not in doc
    assert list(doc.node_layout) == ["C-2"]
    assert list(doc.link_layout) == []
    assert list(doc.responsibilities) == ["R-2"]
    assert doc.responsibilities["R-2"].processes == ("C-2",)
    assert doc.responsibilities["R-2"].raci == ()
    assert list(doc.ucas) == []
    assert list(doc.context_rules) == []
    assert doc.controller_constraints["CC-1"].ucas == ()
    assert doc.scenarios["LS-1"].ucas == () and doc.scenarios["LS-1"].hazards == ("H-1",)
    assert list(doc.findings) == ["F-2"]  # F-1 and F-3 had no target left
    assert doc.findings["F-2"].targets == ("H-1",)
    assert list(doc.hazards) == ["H-1", "H-1.1", "H-2"]  # semantics elsewhere untouched
    assert doc.check() == []
    assert doc.undo_label == "Delete component BSCU"
    doc.undo()
    assert state(doc) == before
    doc.redo()
    assert list(doc.components) == ["C-2", "C-3", "C-4"]
    assert doc.check() == []


def test_removing_a_process_removes_its_links_but_not_the_analysis_of_others(doc: Document) -> None:
    before = state(doc)
    doc.remove("C-2")
    assert list(doc.links) == ["LK-2", "LK-3"]
    assert list(doc.ucas) == []  # both on LK-1
    assert doc.responsibilities["R-1"].processes == ()
    assert doc.check() == []
    doc.undo()
    assert state(doc) == before


def test_removing_a_control_action_item_removes_its_ucas_and_rules(doc: Document) -> None:
    before = state(doc)
    doc.remove("CA-1")
    assert [i.id for i in doc.links["LK-1"].items] == ["CA-2"]
    assert list(doc.ucas) == ["UCA-2"]
    assert list(doc.context_rules) == []
    assert doc.controller_constraints["CC-1"].ucas == ("UCA-2",)
    assert doc.scenarios["LS-1"].ucas == ()
    assert list(doc.findings) == ["F-1", "F-2"]
    assert doc.undo_label == "Delete Brake"
    assert doc.check() == []
    doc.undo()
    assert state(doc) == before


def test_dropping_an_item_by_update_cascades_like_remove(doc: Document) -> None:
    expected = build()
    expected.remove("CA-1")
    before = state(doc)
    doc.update("LK-1", items=[doc.get("CA-2")])
    assert state(doc) == state(expected)
    assert doc.undo_label == "Edit link LK-1"
    doc.undo()
    assert state(doc) == before
    assert not doc.modified


def test_replacing_all_items_keeps_the_link(doc: Document) -> None:
    doc.update("LK-1", items=[LinkItem(name="Apply")])
    assert [i.id for i in doc.links["LK-1"].items] == ["CA-4"]
    assert list(doc.ucas) == []
    assert doc.check() == []


def test_removing_a_variable_removes_the_rules_that_use_it(doc: Document) -> None:
    before = state(doc)
    doc.remove("PV-1")
    assert [v.id for v in doc.components["C-1"].variables] == ["PV-2"]
    assert list(doc.context_rules) == ["CR-2"]
    doc.undo()
    assert state(doc) == before
    doc.update("C-1", variables=[])
    assert list(doc.context_rules) == []
    assert doc.check() == []


def test_removing_a_hazard_removes_its_sub_hazards_and_prunes_traces(doc: Document) -> None:
    before = state(doc)
    doc.remove("H-1")
    assert list(doc.hazards) == ["H-2"]
    assert doc.constraints["SC-1"].hazards == ("H-2",)
    assert doc.ucas["UCA-1"].hazards == ()
    assert doc.scenarios["LS-1"].hazards == ()
    assert doc.findings["F-2"].targets == ("C-1",)
    doc.undo()
    assert state(doc) == before


def test_removing_several_records_is_one_step(doc: Document) -> None:
    before = state(doc)
    doc.remove("L-1", "C-3", "CA-2")
    assert doc.undo_label == "Delete 3 elements"
    assert doc.hazards["H-1"].losses == ("L-2",)
    assert list(doc.links) == ["LK-1", "LK-3"]
    doc.undo()
    assert state(doc) == before
    assert doc.can_redo is not False


def test_removing_a_part_and_its_owner_together(doc: Document) -> None:
    before = state(doc)
    doc.remove("CA-1", "LK-1", "PV-1", "C-1")
    assert doc.check() == []
    doc.undo()
    assert state(doc) == before


# --- undo, order, move -----------------------------------------------------------------------


def test_undo_puts_a_removed_record_back_at_the_same_index(doc: Document) -> None:
    before = state(doc)
    for record_id in ["C-2", "L-1", "H-1.1", "UCA-1", "F-2", "LK-2"]:
        doc.remove(record_id)
        doc.undo()
        assert state(doc) == before, record_id


def test_add_at_an_index(doc: Document) -> None:
    doc.add(Loss(text="first"), index=0)
    assert list(doc.losses) == ["L-3", "L-1", "L-2"]
    doc.undo()
    assert list(doc.losses) == ["L-1", "L-2"]
    doc.redo()
    assert list(doc.losses) == ["L-3", "L-1", "L-2"]


def test_move_reorders_a_table_and_undo_restores_the_order(doc: Document) -> None:
    before = state(doc)
    doc.move("C-4", 0)
    assert list(doc.components) == ["C-4", "C-1", "C-2", "C-3"]
    assert doc.undo_label == "Move component Flight crew"
    doc.move("C-4", 3)
    assert list(doc.components) == ["C-1", "C-2", "C-3", "C-4"]
    doc.move("H-1", 2)
    assert list(doc.hazards) == ["H-1.1", "H-2", "H-1"]
    doc.undo()
    doc.undo()
    doc.undo()
    assert state(doc) == before
    assert not doc.modified


def test_moving_to_the_same_place_is_no_step(doc: Document) -> None:
    hist = history(doc)
    doc.move("C-2", 1)
    assert history(doc) == hist


def test_update_keeps_position_and_undo_restores_the_old_version(doc: Document) -> None:
    before = state(doc)
    new = doc.update("C-2", name="Brakes", description="Hydraulic")
    assert list(doc.components).index("C-2") == 1
    assert doc.components["C-2"] is new and new.name == "Brakes"
    assert doc.undo_label == "Edit component Brakes"
    doc.undo()
    assert state(doc) == before


def test_an_update_that_changes_nothing_is_no_step(doc: Document) -> None:
    hist = history(doc)
    assert doc.update("C-2", name="Wheel brakes") is doc.components["C-2"]
    assert history(doc) == hist


def test_set_layout_and_set_info_are_undoable(doc: Document) -> None:
    before = state(doc)
    doc.set_layout(NodeLayout(id="C-1", x=50, y=60))
    doc.set_layout(NodeLayout(id="C-3", x=5, y=6, width=10, height=10))
    doc.set_info(title="Wheel brakes", author="A. Analyst")
    assert doc.undo_label == "Edit document information"
    assert list(doc.node_layout) == ["C-1", "C-2", "C-3"]
    assert doc.node_layout["C-1"].x == 50.0
    doc.undo()
    assert doc.undo_label == "Move component"
    doc.undo()
    doc.undo()
    assert state(doc) == before
    doc.set_layout(doc.node_layout["C-1"])
    assert not doc.modified  # placing it where it is changes nothing


# --- transactions --------------------------------------------------------------------------------


def test_a_transaction_is_one_undo_step(doc: Document) -> None:
    before = state(doc)
    with doc.transaction("Add controller with link"):
        c = doc.add(Component(name="ATC"))
        doc.add(Link(source=c.id, target="C-4", items=[LinkItem(name="Clear to land")]))
        doc.set_layout(NodeLayout(id=c.id, x=1, y=2))
    assert doc.undo_label == "Add controller with link"
    doc.undo()
    assert state(doc) == before
    assert doc.redo_label == "Add controller with link"
    doc.redo()
    assert "C-5" in doc.components and "LK-4" in doc.links
    assert doc.check() == []


def test_a_failing_transaction_rolls_back_every_edit(doc: Document, events: list[Any]) -> None:
    before, hist = state(doc), history(doc)
    with pytest.raises(ModelError), doc.transaction("Broken"):
        doc.add(Component(name="ATC"))
        doc.remove("C-1")
        doc.update("H-2", text="changed")
        doc.add(Link(source="C-3", target="C-2"))  # refused: sensors send no control actions
    assert state(doc) == before
    assert history(doc) == hist
    assert doc.check() == []
    assert not any(isinstance(e, HistoryChanged) for e in events)


def test_a_transaction_rolls_back_on_any_exception(doc: Document) -> None:
    before, hist = state(doc), history(doc)
    with pytest.raises(KeyError), doc.transaction("Broken"):
        doc.remove("C-2")
        raise KeyError("user script error")
    assert state(doc) == before
    assert history(doc) == hist


def test_nested_transactions_join_the_outermost(doc: Document) -> None:
    before = state(doc)
    with doc.transaction("Outer"):
        doc.add(Loss(text="a"))
        with doc.transaction("Inner"):
            doc.add(Loss(text="b"))
        with pytest.raises(ModelError), doc.transaction("Inner failing"):
            doc.add(Loss(text="c"))
            doc.add(Hazard(text="h", losses=["L-99"]))
        doc.add(Loss(text="d"))
    assert [doc.losses[i].text for i in list(doc.losses)[2:]] == ["a", "b", "d"]
    assert doc.undo_label == "Outer"
    doc.undo()
    assert state(doc) == before
    assert not doc.can_undo or doc.undo_label != "Inner"


def test_undo_and_redo_are_refused_inside_a_transaction(doc: Document) -> None:
    with doc.transaction("T"):
        doc.add(Loss(text="a"))
        with pytest.raises(ModelError, match="transaction"):
            doc.undo()
        with pytest.raises(ModelError, match="transaction"):
            doc.redo()
    assert doc.undo_label == "T"


def test_an_empty_transaction_is_no_step(doc: Document) -> None:
    hist = history(doc)
    with doc.transaction("Nothing"):
        doc.update("C-2", name="Wheel brakes")
    assert history(doc) == hist


def test_an_amending_transaction_joins_the_last_undo_step(doc: Document) -> None:
    before, below = state(doc), doc.undo_label
    doc.update("C-1", name="Pilots")
    label = doc.undo_label
    doc.mark_saved()
    with doc.transaction("Results", amend=True):  # what follows from the rename
        doc.add(Loss(text="follows from the rename"))
    after = state(doc)
    assert doc.undo_label == label and doc.modified  # the file holds the rename only
    doc.undo()  # both at once
    assert state(doc) == before and doc.undo_label == below
    doc.redo()
    assert state(doc) == after and not doc.can_redo


def test_an_amending_transaction_is_a_step_of_its_own_without_a_step_to_join() -> None:
    fresh = Document()
    with fresh.transaction("Results", amend=True):
        fresh.add(Loss(text="a"))
    assert fresh.undo_label == "Results"
    fresh.undo()  # with an undone step to redo, joining the one below would lose it
    with fresh.transaction("Again", amend=True):
        fresh.add(Loss(text="b"))
    assert fresh.undo_label == "Again" and not fresh.can_redo
    fresh.undo()
    assert not fresh.can_undo and not fresh.losses


def test_a_failing_amending_transaction_leaves_the_last_step_alone(doc: Document) -> None:
    before = state(doc)
    doc.update("C-1", name="Pilots")
    hist, after = history(doc), state(doc)
    with pytest.raises(ModelError), doc.transaction("Results", amend=True):
        doc.add(Loss(text="a"))
        doc.add(Hazard(text="h", losses=["L-99"]))
    assert history(doc) == hist and state(doc) == after
    doc.undo()  # the rename alone
    assert state(doc) == before


# --- history and the modified flag ------------------------------------------------------------


def test_history_labels_and_modified() -> None:
    doc = Document()
    assert history(doc) == (False, False, "", "", False)
    doc.add(Component(name="Pilot", nature="human"))
    assert history(doc) == (True, False, "Add component Pilot", "", True)
    doc.add(Loss(text="Crash"))
    assert doc.undo_label == "Add L-1"
    doc.mark_saved()
    assert not doc.modified
    doc.undo()
    assert history(doc) == (True, True, "Add component Pilot", "Add L-1", True)
    doc.redo()
    assert not doc.modified
    doc.update("C-1", name="Captain")
    assert doc.undo_label == "Edit component Captain"
    doc.remove("C-1")
    assert doc.undo_label == "Delete component Captain"
    doc.undo()
    doc.undo()
    assert not doc.modified
    doc.undo()
    doc.undo()
    assert history(doc) == (False, True, "", "Add component Pilot", True)
    doc.undo()  # nothing left: does nothing
    assert not doc.can_undo


def test_a_new_edit_after_undo_drops_redo_and_the_saved_state(doc: Document) -> None:
    doc.add(Loss(text="a"))
    doc.mark_saved()
    doc.undo()
    doc.add(Loss(text="b"))
    assert not doc.can_redo
    assert doc.modified
    doc.undo()
    assert doc.modified  # the saved state (with "a") cannot be reached any more
    doc.mark_saved()
    assert not doc.modified


# --- events ---------------------------------------------------------------------------------------


class Mirror:
    """What a scene does: follow events alone, checking each is meaningful when it arrives."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.tables = {name: dict(doc.table(name)) for name in TABLE_NAMES}
        self.history: HistoryChanged | None = None
        doc.subscribe(self)

    def __call__(self, event: Any) -> None:
        if isinstance(event, RecordsAdded):  # a batch: its records in order
            for single in event.each():
                self(single)
            return
        if isinstance(event, HistoryChanged):
            self.history = event
            return
        assert event.table in self.tables, event
        table = self.tables[event.table]
        if isinstance(event, RecordAdded):
            assert event.record.id not in table
            if event.table == "links":
                assert event.record.source in self.tables["components"], "link before its ends"
                assert event.record.target in self.tables["components"], "link before its ends"
            if event.table in ("node_layout",):
                assert event.record.id in self.tables["components"], "layout before component"
            if event.table in ("link_layout",):
                assert event.record.id in self.tables["links"], "route before link"
            entries = list(table.items())
            assert 0 <= event.index <= len(entries)
            entries.insert(event.index, (event.record.id, event.record))
            self.tables[event.table] = dict(entries)
        elif isinstance(event, RecordRemoved):
            assert list(table).index(event.record.id) == event.index
            assert table[event.record.id] == event.record
            if event.table == "components":
                assert not any(
                    event.record.id in (link.source, link.target)
                    for link in self.tables["links"].values()
                ), "component removed before its links"
                assert event.record.id not in self.tables["node_layout"]
            if event.table == "links":
                assert event.record.id not in self.tables["link_layout"]
            del table[event.record.id]
        elif isinstance(event, RecordChanged):
            key = event.old.id
            assert event.new.id == key
            assert table[key] == event.old
            if event.old is not event.new:  # an edit: the record keeps its place
                table[key] = event.new
                return
            # A move. RecordChanged carries no index, so a panel can only read the position
            # from the document, which after a compound undo is the final one, not this
            # event's. Use the event's index once it has one.
            index = getattr(event, "index", None)
            if index is None:
                index = self.doc.index_of(key)
            entries = [(k, v) for k, v in table.items() if k != key]
            entries.insert(index, (key, event.new))
            self.tables[event.table] = dict(entries)
        else:  # pragma: no cover
            raise AssertionError(f"unknown event {event!r}")

    def matches(self) -> bool:
        return all(
            list(self.tables[name].items()) == list(self.doc.table(name).items())
            for name in TABLE_NAMES
        )


def test_adding_emits_record_added_then_history_changed() -> None:
    doc = Document()
    events: list[Any] = []
    doc.subscribe(events.append)
    c = doc.add(Component(name="Pilot"))
    assert events == [
        RecordAdded("components", c, 0),
        HistoryChanged(True, False, "Add component Pilot", "", True),
    ]


def test_removing_a_component_emits_its_links_first_and_undo_the_reverse(
    doc: Document, events: list[Any]
) -> None:
    mirror = Mirror(doc)
    doc.remove("C-1")
    removed = [(e.table, e.record.id) for e in events if isinstance(e, RecordRemoved)]
    assert removed.index(("links", "LK-1")) < removed.index(("components", "C-1"))
    assert removed.index(("link_layout", "LK-1")) < removed.index(("links", "LK-1"))
    assert removed.index(("ucas", "UCA-1")) < removed.index(("links", "LK-1"))
    assert isinstance(events[-1], HistoryChanged)
    assert mirror.matches()
    events.clear()
    doc.undo()
    added = [(e.table, e.record.id) for e in events if isinstance(e, RecordAdded)]
    assert added.index(("components", "C-1")) < added.index(("links", "LK-1"))
    assert added.index(("links", "LK-1")) < added.index(("ucas", "UCA-1"))
    assert mirror.matches()
    assert mirror.history == HistoryChanged(True, True, "Move link", "Delete component BSCU", False)


def test_a_scene_following_events_stays_in_step(doc: Document) -> None:
    mirror = Mirror(doc)
    with doc.transaction("Several"):
        doc.add(Component(name="ATC"), index=0)
        doc.add(Link(source="C-5", target="C-4", items=[LinkItem(name="Clear")]))
        doc.set_layout(LinkLayout(id="LK-4"))
        doc.remove("CA-2")
    assert mirror.matches()
    doc.move("LK-4", 0)
    assert mirror.matches()
    with pytest.raises(ModelError), doc.transaction("Rolled back"):
        doc.remove("C-1")
        doc.update("C-2", name=" ")
    assert mirror.matches()
    doc.update("LK-1", items=[])
    doc.remove("C-2", "H-1")
    assert mirror.matches()
    while doc.can_undo:
        doc.undo()
        assert mirror.matches()
    while doc.can_redo:
        doc.redo()
        assert mirror.matches()


def test_mark_saved_emits_history_changed(doc: Document, events: list[Any]) -> None:
    doc.add(Loss(text="x"))
    events.clear()
    doc.mark_saved()
    assert events == [HistoryChanged(True, False, "Add L-3", "", False)]


def test_a_broken_listener_does_not_starve_the_others(doc: Document) -> None:
    seen: list[Any] = []

    def broken(event: Any) -> None:
        raise RuntimeError("listener bug")

    doc.subscribe(broken)
    doc.subscribe(seen.append)
    with pytest.raises(RuntimeError):
        doc.add(Loss(text="x"))
    assert len(seen) == 2
    assert "L-3" in doc.losses  # the edit itself happened and is undoable
    assert doc.undo_label == "Add L-3"


def test_unsubscribe(doc: Document) -> None:
    seen: list[Any] = []
    unsubscribe = doc.subscribe(seen.append)
    unsubscribe()
    doc.add(Loss(text="x"))
    assert seen == []


# --- snapshots ---------------------------------------------------------------------------------


def test_a_snapshot_does_not_see_later_edits(doc: Document) -> None:
    snap = doc.snapshot()
    before = {name: list(snap.table(name).items()) for name in TABLE_NAMES}
    doc.update("C-1", name="Renamed")
    doc.remove("C-2")
    doc.add(Loss(text="new"))
    doc.set_layout(NodeLayout(id="C-1", x=99, y=99))
    doc.set_info(title="New title")
    assert {name: list(snap.table(name).items()) for name in TABLE_NAMES} == before
    assert snap.components["C-1"].name == "BSCU"
    assert "C-2" in snap and "CA-1" in snap and "L-3" not in snap
    assert snap.info.title == ""
    assert snap.control_action("CA-1") is not None
    assert snap.owner_of("PV-1").id == "C-1"  # type: ignore[union-attr]
    doc.undo()
    doc.undo()
    assert snap.components["C-1"].name == "BSCU"


def test_a_snapshot_is_read_only(doc: Document) -> None:
    snap = doc.snapshot()
    with pytest.raises(AttributeError):
        snap.extensions = ("<x/>",)
    with pytest.raises(AttributeError):
        snap.components = {}  # type: ignore[misc]
    with pytest.raises(AttributeError):
        snap._tables = {}
    with pytest.raises(TypeError):
        snap.components["C-9"] = Component(name="x")  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.components["C-1"].name = "x"  # type: ignore[misc]
    assert not hasattr(snap, "add") and not hasattr(snap, "remove")
    assert doc.check() == []


def test_to_networkx_is_a_multidigraph_keyed_by_ids(doc: Document) -> None:
    doc.add(Link(source="C-1", target="C-2", kind="information", items=[LinkItem(name="Mode")]))
    graph = doc.snapshot().to_networkx()
    assert isinstance(graph, nx.MultiDiGraph)
    assert list(graph.nodes) == ["C-1", "C-2", "C-3", "C-4"]
    assert graph.nodes["C-3"]["kind"] == "sensor"
    assert graph.nodes["C-4"]["nature"] == "human"
    assert graph.nodes["C-1"]["name"] == "BSCU"
    assert graph.nodes["C-1"]["record"] is doc.components["C-1"]
    assert sorted(graph.edges(keys=True)) == [
        ("C-1", "C-2", "LK-1"),
        ("C-1", "C-2", "LK-4"),
        ("C-3", "C-1", "LK-2"),
        ("C-4", "C-1", "LK-3"),
    ]
    assert graph.number_of_edges("C-1", "C-2") == 2  # parallel links stay apart
    edge = graph.edges["C-1", "C-2", "LK-1"]
    assert edge["kind"] == LinkKind.CONTROL_ACTION
    assert edge["items"] == ["CA-1", "CA-2"]
    assert graph.edges["C-1", "C-2", "LK-4"]["kind"] == "information"


def test_to_networkx_builds_a_fresh_graph_each_time(doc: Document) -> None:
    snap = doc.snapshot()
    graph = snap.to_networkx()
    graph.remove_node("C-1")
    graph.add_node("X")
    again = snap.to_networkx()
    assert "C-1" in again and "X" not in again
    assert again.number_of_edges() == 3
    doc.add(Component(name="Isolated"))
    assert "C-5" in doc.snapshot().to_networkx()  # a node without links is still a node
    assert "C-5" not in snap.to_networkx()


# --- connection rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "source", "target", "problem"),
    [
        ("control_action", "C-1", "C-2", None),
        (LinkKind.FEEDBACK, "C-3", "C-1", None),
        ("information", "C-3", "C-4", None),
        ("control_action", "C-3", "C-2", "Wheel speed sensor is a sensor"),
        ("feedback", "C-1", "C-1", "BSCU cannot be linked to itself"),
        ("feedback", "C-1", "C-99", "There is no component C-99"),
        ("feedback", "H-1", "C-1", "There is no component H-1"),
    ],
)
def test_connection_problem(
    doc: Document, kind: str, source: str, target: str, problem: str | None
) -> None:
    found = connection_problem(doc, kind, source, target)
    if problem is None:
        assert found is None
        doc.add(Link(source=source, target=target, kind=kind))
    else:
        assert found is not None and problem in found
        with pytest.raises(
            ModelError, match="not a component" if "no component" in problem else problem
        ):
            doc.add(Link(source=source, target=target, kind=kind))
    assert connection_problem(doc.snapshot(), kind, source, target) == found


def test_a_panel_following_events_keeps_the_order_after_undoing_a_move_with_other_edits(
    doc: Document,
) -> None:
    """Bug: a move emits RecordChanged without an index, and undo emits its events after
    applying every change, so a listener reading ``index_of`` gets the final position and
    then applies the later RecordRemoved at the wrong place."""
    mirror = Mirror(doc)
    with doc.transaction("Add and reorder"):
        doc.add(Component(name="ATC"), index=0)
        doc.move("C-4", 0)
    assert list(doc.components) == ["C-4", "C-5", "C-1", "C-2", "C-3"]
    assert mirror.matches()
    doc.undo()
    assert list(doc.components) == ["C-1", "C-2", "C-3", "C-4"]
    assert mirror.matches()
