"""stipa.responsibility: the known answer on the benefit-decision model, then every rule —
where it fires and the edit that clears it — and the matrix, people and chain data."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

import stipa
from stipa import (
    AnalysisContext,
    Component,
    Document,
    Finding,
    Hazard,
    Link,
    LinkItem,
    Loss,
    ProcessVariable,
    Property,
    RaciAssignment,
    Responsibility,
    SystemConstraint,
)
from stipa.analysis.runner import AnalysisRunner
from stipa.plugin import PluginHost
from stipa.testing.generate import generate_document
from stipa_builtins import responsibility
from stipa_builtins.responsibility import (
    ANALYSIS_ID,
    NAMESPACE,
    RULES,
    TIME_TO_ACT,
    accountability_chain,
    human_roles,
    responsibility_matrix,
)
from stipa_builtins.responsibility_example import IDS, benefit_decision_example
from stipa_builtins.responsibility_index import FEEDBACK_HOPS

REGULATOR, PROVIDER, DEPLOYER = IDS["Regulator"], IDS["Provider"], IDS["Deployer"]
AI, WORKER, CITIZEN, DECISION = (
    IDS["AI model"],
    IDS["Case worker"],
    IDS["Citizen"],
    IDS["Benefit decision"],
)


def run(doc: Document) -> list[Finding]:
    return list(responsibility.run(AnalysisContext(ANALYSIS_ID, doc.snapshot())))


def fired(doc: Document, rule: str) -> list[Finding]:
    assert rule in RULES
    return [f for f in run(doc) if f.rule == rule]


def keys(findings: list[Finding]) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.rule, f.targets) for f in findings}


def link(doc: Document, source: str, target: str, kind: str, *names: str) -> Link:
    return doc.add(
        Link(source=source, target=target, kind=kind, items=[LinkItem(name=n) for n in names])
    )


def controller(doc: Document, name: str, nature: str = "software", **fields: object) -> str:
    variables = fields.pop("variables", [ProcessVariable(name="state", values=["a", "b"])])
    component: Component = doc.add(
        Component(name=name, nature=nature, variables=variables, **fields)  # type: ignore[arg-type]
    )
    return component.id


def process(doc: Document, name: str = "Process", nature: str = "physical") -> str:
    component: Component = doc.add(Component(name=name, kind="controlled_process", nature=nature))
    return component.id


def hazard_with_constraint(doc: Document) -> tuple[str, str]:
    loss = doc.add(Loss(text="Someone is hurt"))
    hazard = doc.add(Hazard(text="Process out of bounds", losses=[loss.id]))
    constraint = doc.add(SystemConstraint(text="Keep the process in bounds", hazards=[hazard.id]))
    return hazard.id, constraint.id


# --- the plugin ----------------------------------------------------------------------------------


def test_plugin_registers_through_a_host() -> None:
    host = PluginHost()
    info = host.register(responsibility, "stipa.responsibility")
    assert info.status == "active", info.failures
    assert info.analyses == [ANALYSIS_ID]
    analysis = host.analyses[ANALYSIS_ID]
    assert set(analysis.rules) == set(RULES)
    assert len(RULES) == 15
    assert [(p.namespace, p.name, p.type) for p in host.properties] == [
        (NAMESPACE, TIME_TO_ACT, "choice")
    ]


def test_registered_as_an_entry_point() -> None:
    host = PluginHost().discover()
    assert "stipa.responsibility" in host.plugins
    assert host.plugins["stipa.responsibility"].status == "active"
    assert ANALYSIS_ID in host.analyses


def test_imports_only_the_public_api() -> None:
    names = {"responsibility", "responsibility_index", "responsibility_example"}
    import ast
    from pathlib import Path

    root = Path(responsibility.__file__).parent
    for name in names:
        tree = ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "stipa":
                assert {a.name for a in node.names} <= set(stipa.__all__)


# --- the known answer ----------------------------------------------------------------------------


def test_known_answer_on_the_benefit_decision_model() -> None:
    doc = benefit_decision_example()
    found = keys(run(doc))
    # what the issue asks for
    expected = {
        ("unassigned-hazard", ("H-2", "SC-2")),
        ("moral-crumple-zone", (CITIZEN, AI, "R-1")),
        ("overlap-without-coordination", (DECISION, AI, WORKER)),
        ("responsibility-without-observability", ("R-2", WORKER, AI)),
        ("drift-unmonitored", (DECISION, AI, WORKER)),
    }
    assert expected <= found
    # and, true of this model as drawn, the rest
    also = {
        # Both responsibilities concern the AI model (its recommendation); neither person
        # can act on it, and the citizen cannot see it either.
        ("responsibility-without-authority", ("R-2", WORKER, AI)),
        ("responsibility-without-authority", ("R-1", CITIZEN, AI)),
        ("responsibility-without-observability", ("R-1", CITIZEN, AI)),
        # The case worker, too, must catch the model's failures without feedback or override.
        ("moral-crumple-zone", (WORKER, AI, "R-2")),
        # Citizen and case worker each hold SC-1 for the model's output: each may count on
        # the other.
        ("boundary-gap", (AI, "SC-1", "R-1", "R-2")),
        # Only the two people hold responsibilities, so everyone else acts without one.
        ("unowned-authority", (REGULATOR,)),
        ("unowned-authority", (PROVIDER,)),
        ("unowned-authority", (DEPLOYER,)),
        ("unowned-authority", (AI,)),
        # H-2 (leading to L-1 and L-2) stops at SC-2, which nobody holds; H-1's chain
        # (SC-1, held by the case worker) stops at the Deployer, which answers to no
        # regulator, while the Regulator has authority over the AI model through the Provider.
        ("broken-accountability-chain", ("L-1", "SC-1", "SC-2")),
        ("broken-accountability-chain", ("L-2", "SC-2")),
        # The Regulator governs the benefit decision (through the Provider and the AI model)
        # but hears only the Provider's audit report, nothing about the decisions made.
        ("oversight-without-feedback", (REGULATOR, DECISION)),
    }
    assert found == expected | also


def test_citizen_crumple_zone_says_which_means_are_missing() -> None:
    (finding,) = [f for f in fired(benefit_decision_example(), "moral-crumple-zone")
                  if f.targets[0] == CITIZEN]  # fmt: skip
    data = dict(finding.data)
    assert finding.severity == "error"
    assert data["missing"] == "feedback, uncertainty, override, training"
    assert data["lay_user"] == "yes"
    assert data["feedback"] == data["override"] == "no"
    assert data["time_to_act"] == "not stated"
    assert data["control_actions"] == "0"
    assert "no feedback on AI model's state or uncertainty" in finding.message
    assert "no override or stop action on AI model" in finding.message
    assert "lay user" in finding.message
    assert "Elish" in finding.source


def test_feedback_with_confidence_and_an_override_clear_the_case_worker() -> None:
    doc = benefit_decision_example()
    link(doc, AI, WORKER, "feedback", "recommendation with confidence")
    link(doc, WORKER, AI, "control_action", "override / stop")
    after = run(doc)
    assert not [f for f in after if f.targets and f.targets[0] in ("R-2", WORKER)]
    assert ("moral-crumple-zone", (CITIZEN, AI, "R-1")) in keys(after)
    # The override makes the case worker a second controller of the AI model, next to the
    # provider that trains it, with nothing to coordinate the two: reported, rightly.
    assert ("overlap-without-coordination", (AI, PROVIDER, WORKER)) in keys(after)


def test_feedback_without_confidence_leaves_uncertainty_missing() -> None:
    doc = benefit_decision_example()
    link(doc, AI, WORKER, "feedback", "recommendation")
    link(doc, WORKER, AI, "control_action", "override / stop")
    (finding,) = [f for f in fired(doc, "moral-crumple-zone") if f.targets[0] == WORKER]
    assert dict(finding.data)["missing"] == "uncertainty"
    assert finding.severity == "warning"
    assert "no report of AI model's uncertainty" in finding.message


def test_a_deployer_coordination_responsibility_clears_the_overlap() -> None:
    doc = benefit_decision_example()
    doc.add(
        Responsibility(
            text="Coordinate case workers' decisions with the model's recommendations",
            owner=DEPLOYER,
            constraints=["SC-1"],
            processes=[AI, WORKER],
        )
    )
    after = keys(run(doc))
    assert not [k for k in after if k[0] == "overlap-without-coordination"]
    assert ("unowned-authority", (DEPLOYER,)) not in after
    # ...and shows that the deployer cannot act on the model it is to coordinate
    assert ("responsibility-without-authority", ("R-3", DEPLOYER, AI)) in after


def test_operational_feedback_to_an_organisation_clears_drift() -> None:
    doc = benefit_decision_example()
    # the deployer reporting to the regulator is not enough: it hears nothing from operation
    link(doc, DEPLOYER, REGULATOR, "feedback", "incident reports")
    (finding,) = fired(doc, "drift-unmonitored")
    assert "Regulator, Provider or Deployer" in finding.message
    link(doc, WORKER, DEPLOYER, "feedback", "case outcomes and appeals")
    assert not fired(doc, "drift-unmonitored")


def test_the_citizen_with_the_means_is_no_crumple_zone() -> None:
    doc = benefit_decision_example()
    link(doc, AI, CITIZEN, "feedback", "recommendation with confidence score")
    link(doc, CITIZEN, DECISION, "control_action", "contest decision")
    doc.update(CITIZEN, training="basic")
    assert not [f for f in fired(doc, "moral-crumple-zone") if f.targets[0] == CITIZEN]


def test_findings_pass_the_runner_validation_and_are_stable() -> None:
    doc = benefit_decision_example()
    snapshot = doc.snapshot()
    (outcome,) = AnalysisRunner([responsibility.stipa_analyses()[0]]).run(snapshot)
    assert outcome.succeeded, outcome.message
    assert outcome.problems == []
    assert len(outcome.findings) == 17
    assert [f.message for f in outcome.findings] == [f.message for f in run(doc)]
    for finding in outcome.findings:
        assert finding.source
        assert finding.rule in RULES


# --- each rule -----------------------------------------------------------------------------------


def test_unassigned_hazard() -> None:
    doc = Document()
    loss = doc.add(Loss(text="Harm"))
    hazard = doc.add(Hazard(text="Unsafe state", losses=[loss.id]))
    (finding,) = fired(doc, "unassigned-hazard")
    assert finding.targets == (hazard.id,)
    assert "no system-level constraint traces to it" in finding.message
    sc = doc.add(SystemConstraint(text="Avoid it", hazards=[hazard.id]))
    assert fired(doc, "unassigned-hazard")[0].targets == (hazard.id, sc.id)
    owner = controller(doc, "Operator", "human")
    doc.add(Responsibility(text="Avoid it", owner=owner, constraints=[sc.id]))
    assert not fired(doc, "unassigned-hazard")


def test_unassigned_hazard_follows_sub_hazards() -> None:
    doc = Document()
    parent = doc.add(Hazard(text="Parent"))
    child = doc.add(Hazard(text="Child", parent=parent.id))
    sc = doc.add(SystemConstraint(text="Child constraint", hazards=[child.id]))
    owner = controller(doc, "Operator", "human")
    doc.add(Responsibility(text="Hold it", owner=owner, constraints=[sc.id]))
    # the parent is covered through its only sub-hazard
    assert not fired(doc, "unassigned-hazard")
    other = doc.add(Hazard(text="Second child", parent=parent.id))
    assert {f.targets[0] for f in fired(doc, "unassigned-hazard")} == {parent.id, other.id}
    # a sub-hazard without constraints of its own refines those of its parent
    doc2 = Document()
    top = doc2.add(Hazard(text="Parent"))
    sc2 = doc2.add(SystemConstraint(text="Parent constraint", hazards=[top.id]))
    doc2.add(Hazard(text="Child", parent=top.id))
    owner2 = controller(doc2, "Operator", "human")
    doc2.add(Responsibility(text="Hold it", owner=owner2, constraints=[sc2.id]))
    assert not fired(doc2, "unassigned-hazard")


def test_responsibility_without_authority() -> None:
    doc = Document()
    owner = controller(doc, "Controller")
    target = process(doc)
    resp = doc.add(Responsibility(text="Keep it safe", owner=owner, processes=[target]))
    (finding,) = fired(doc, "responsibility-without-authority")
    assert finding.targets == (resp.id, owner, target)
    actuator = doc.add(Component(name="Valve", kind="actuator", nature="physical"))
    link(doc, owner, actuator.id, "control_action", "open")
    link(doc, actuator.id, target, "control_action", "flow")
    assert not fired(doc, "responsibility-without-authority")  # through the actuator


def test_responsibility_without_observability() -> None:
    doc = Document()
    owner = controller(doc, "Controller")
    target = process(doc)
    resp = doc.add(Responsibility(text="Keep it safe", owner=owner, processes=[target]))
    (finding,) = fired(doc, "responsibility-without-observability")
    assert finding.targets == (resp.id, owner, target)
    sensor = doc.add(Component(name="Sensor", kind="sensor", nature="physical"))
    link(doc, target, sensor.id, "feedback", "level")
    assert fired(doc, "responsibility-without-observability")
    link(doc, sensor.id, owner, "feedback", "measured level")
    assert not fired(doc, "responsibility-without-observability")  # via a sensor


def test_observability_via_another_controller_and_its_bound() -> None:
    doc = Document()
    owner = controller(doc, "Supervisor", "human")
    target = process(doc)
    doc.add(Responsibility(text="Oversee it", owner=owner, processes=[target]))
    chain = [controller(doc, f"Relay {i}") for i in range(FEEDBACK_HOPS)]
    link(doc, target, chain[0], "feedback", "state")
    for a, b in pairwise(chain):
        link(doc, a, b, "information", "report")
    # FEEDBACK_HOPS + 1 links from the process to the owner: too far to count
    link(doc, chain[-1], owner, "feedback", "summary")
    assert fired(doc, "responsibility-without-observability")
    link(doc, chain[1], owner, "information", "shift report")
    assert not fired(doc, "responsibility-without-observability")


def test_missing_process_model() -> None:
    doc = Document()
    acting = controller(doc, "Controller", variables=[])
    idle = controller(doc, "Idle controller", variables=[])
    link(doc, acting, process(doc), "control_action", "start")
    (finding,) = fired(doc, "missing-process-model")
    assert finding.targets == (acting,)
    assert idle not in finding.targets
    doc.update(acting, variables=[ProcessVariable(name="mode", values=["on", "off"])])
    assert not fired(doc, "missing-process-model")


def _two_controllers(doc: Document) -> tuple[str, str, str]:
    first, second, target = controller(doc, "A"), controller(doc, "B"), process(doc)
    link(doc, first, target, "control_action", "raise")
    link(doc, second, target, "control_action", "lower")
    return first, second, target


def test_overlap_without_coordination() -> None:
    doc = Document()
    first, second, target = _two_controllers(doc)
    (finding,) = fired(doc, "overlap-without-coordination")
    assert finding.targets == (target, first, second)
    assert dict(finding.data)["groups"] == f"{first} | {second}"
    link(doc, first, second, "information", "coordination request")
    assert not fired(doc, "overlap-without-coordination")


def test_overlap_through_an_actuator_and_a_common_superior() -> None:
    doc = Document()
    first, second, target = controller(doc, "A"), controller(doc, "B"), process(doc)
    actuator = doc.add(Component(name="Pump", kind="actuator", nature="physical"))
    link(doc, first, actuator.id, "control_action", "run")
    link(doc, actuator.id, target, "control_action", "flow")
    link(doc, second, target, "control_action", "drain")
    (finding,) = fired(doc, "overlap-without-coordination")
    assert finding.targets == (target, first, second)  # the actuator is a relay
    boss = controller(doc, "Shift supervisor", "human")
    link(doc, boss, first, "control_action", "assign")
    link(doc, boss, second, "control_action", "assign")
    assert fired(doc, "overlap-without-coordination")  # a superior, but no responsibility
    doc.add(Responsibility(text="Keep the process balanced", owner=boss, processes=[target]))
    assert not fired(doc, "overlap-without-coordination")


def test_overlap_cleared_by_a_coordination_responsibility() -> None:
    doc = Document()
    first, second, _target = _two_controllers(doc)
    coordinator = controller(doc, "Operations", "organisation")
    doc.add(Responsibility(text="Coordinate A and B", owner=coordinator, processes=[first, second]))
    assert not fired(doc, "overlap-without-coordination")


def _shared_responsibility(doc: Document) -> tuple[str, str, str, str, str]:
    _hazard, sc = hazard_with_constraint(doc)
    target = process(doc)
    first = controller(doc, "Operator", "human")
    second = controller(doc, "Maintainer", "human")
    r1 = doc.add(Responsibility(text="Check it", owner=first, constraints=[sc], processes=[target]))
    r2 = doc.add(
        Responsibility(text="Check it", owner=second, constraints=[sc], processes=[target])
    )
    return sc, target, first, r1.id, r2.id


def test_boundary_gap() -> None:
    doc = Document()
    sc, target, first, r1, r2 = _shared_responsibility(doc)
    (finding,) = fired(doc, "boundary-gap")
    assert finding.targets == (target, sc, r1, r2)
    assert "each could assume the other" in finding.message
    doc.update(r2, raci=[RaciAssignment(component=first, role="accountable")])
    assert not fired(doc, "boundary-gap")  # one Accountable settles it


def test_boundary_gap_cleared_by_coordination() -> None:
    doc = Document()
    _sc, _target, first, _r1, r2 = _shared_responsibility(doc)
    second = doc.responsibilities[r2].owner
    link(doc, first, second, "information", "handover checklist")
    assert not fired(doc, "boundary-gap")


def _watched_model(doc: Document, nature: str = "human", role: str = "operator") -> dict[str, str]:
    model = controller(doc, "Triage model", "ai_model")
    target = process(doc, "Triage queue", "software")
    link(doc, model, target, "control_action", "prioritise")
    person = controller(doc, "Nurse", nature, role=role, training="trained")
    resp = doc.add(Responsibility(text="Catch wrong triage", owner=person, processes=[target]))
    return {"model": model, "process": target, "person": person, "resp": resp.id}


def test_crumple_zone_over_the_process_automation_acts_on() -> None:
    doc = Document()
    ids = _watched_model(doc)
    (finding,) = fired(doc, "moral-crumple-zone")
    assert finding.targets == (ids["person"], ids["model"], ids["resp"])
    assert dict(finding.data)["missing"] == "feedback, uncertainty, override"
    assert finding.severity == "error"  # neither feedback nor override
    link(doc, ids["model"], ids["person"], "feedback", "priority with confidence")
    assert dict(fired(doc, "moral-crumple-zone")[0].data)["missing"] == "override"
    # an action on the process counts as an override when it says so
    link(doc, ids["person"], ids["process"], "control_action", "re-prioritise")
    assert fired(doc, "moral-crumple-zone")
    link(doc, ids["person"], ids["process"], "control_action", "override priority")
    assert not fired(doc, "moral-crumple-zone")


def test_crumple_zone_training_and_time_to_act() -> None:
    doc = Document()
    ids = _watched_model(doc)
    link(doc, ids["model"], ids["person"], "feedback", "priority with confidence")
    link(doc, ids["person"], ids["model"], "control_action", "stop")
    assert not fired(doc, "moral-crumple-zone")
    doc.update(ids["person"], training="none")
    (finding,) = fired(doc, "moral-crumple-zone")
    assert dict(finding.data)["missing"] == "training"
    doc.update(ids["person"], training="expert")
    slow = [Property(namespace=NAMESPACE, name=TIME_TO_ACT, value="insufficient")]
    doc.update(ids["person"], properties=slow)
    (finding,) = fired(doc, "moral-crumple-zone")
    assert dict(finding.data)["missing"] == "time_to_act"
    assert "no time to act" in finding.message
    enough = [Property(namespace=NAMESPACE, name=TIME_TO_ACT, value="sufficient")]
    doc.update(ids["person"], properties=enough)
    assert not fired(doc, "moral-crumple-zone")


def test_a_lay_user_without_stated_training_is_untrained() -> None:
    doc = Document()
    ids = _watched_model(doc, role="patient")
    doc.update(ids["person"], training="")
    link(doc, ids["model"], ids["person"], "feedback", "priority with confidence")
    link(doc, ids["person"], ids["model"], "control_action", "stop")
    (finding,) = fired(doc, "moral-crumple-zone")
    assert dict(finding.data)["missing"] == "training"
    assert finding.severity == "error"  # a lay user
    doc.update(ids["person"], role="nurse")
    assert not fired(doc, "moral-crumple-zone")  # a professional: training not stated only


def test_no_crumple_zone_without_automation() -> None:
    doc = Document()
    person = controller(doc, "Driver", "human", role="lay user", training="none")
    target = process(doc, "Car")
    doc.add(Responsibility(text="Drive safely", owner=person, processes=[target]))
    assert not fired(doc, "moral-crumple-zone")


def test_broken_accountability_chain() -> None:
    doc = Document()
    hazard, sc = hazard_with_constraint(doc)
    loss = doc.hazards[hazard].losses[0]
    (finding,) = fired(doc, "broken-accountability-chain")
    assert finding.targets == (loss, sc)
    operator = controller(doc, "Operator", "human")
    doc.add(Responsibility(text="Keep it in bounds", owner=operator, constraints=[sc]))
    (finding,) = fired(doc, "broken-accountability-chain")
    assert "answer to no organisation or regulator" in finding.message
    company = controller(doc, "Operating company", "organisation")
    link(doc, company, operator, "control_action", "procedures")
    assert not fired(doc, "broken-accountability-chain")


def test_broken_chain_of_a_loss_without_hazards() -> None:
    doc = Document()
    loss = doc.add(Loss(text="Nobody traced this"))
    (finding,) = fired(doc, "broken-accountability-chain")
    assert finding.targets == (loss.id,)
    assert "no hazard traces to" in finding.message


def test_unowned_authority() -> None:
    doc = Document()
    acting = controller(doc, "Controller")
    link(doc, acting, process(doc), "control_action", "start")
    (finding,) = fired(doc, "unowned-authority")
    assert finding.targets == (acting,)
    other = controller(doc, "Manager", "human")
    resp = doc.add(Responsibility(text="Start safely", owner=other))
    doc.update(resp.id, raci=[RaciAssignment(component=acting, role="responsible")])
    assert not fired(doc, "unowned-authority")  # Responsible through RACI


def test_drift_unmonitored() -> None:
    doc = Document()
    operator = controller(doc, "Operator", "human")
    target = process(doc)
    link(doc, operator, target, "control_action", "run")
    link(doc, target, operator, "feedback", "state")
    company = controller(doc, "Company", "organisation")
    link(doc, company, operator, "control_action", "procedures")
    (finding,) = fired(doc, "drift-unmonitored")
    assert finding.targets == (target, operator)
    link(doc, operator, company, "feedback", "shift reports")
    assert not fired(doc, "drift-unmonitored")


def test_raci() -> None:
    doc = Document()
    owner = controller(doc, "Operator", "human")
    boss = controller(doc, "Manager", "human")
    other = controller(doc, "Director", "human")
    resp = doc.add(Responsibility(text="Do it", owner=owner))
    assert not fired(doc, "raci")  # no roles entered
    doc.update(resp.id, raci=[RaciAssignment(component=boss, role="consulted")])
    (finding,) = fired(doc, "raci")
    assert "no one is Accountable" in finding.message
    both = [
        RaciAssignment(component=boss, role="accountable"),
        RaciAssignment(component=other, role="accountable"),
    ]
    doc.update(resp.id, raci=both)
    assert "2 are Accountable" in fired(doc, "raci")[0].message
    # a component holds one role per responsibility: an owner entered as Accountable is
    # not also Responsible
    doc.update(resp.id, raci=[RaciAssignment(component=owner, role="accountable")])
    assert "no one is Responsible" in fired(doc, "raci")[0].message
    doc.update(
        resp.id,
        raci=[
            RaciAssignment(component=owner, role="accountable"),
            RaciAssignment(component=boss, role="responsible"),
        ],
    )
    assert not fired(doc, "raci")
    doc.update(resp.id, raci=[RaciAssignment(component=boss, role="accountable")])
    assert not fired(doc, "raci")  # the owner, with no role entered, is Responsible


def test_cancelled_runs_stop() -> None:
    import threading

    cancel = threading.Event()
    cancel.set()
    context = AnalysisContext(ANALYSIS_ID, benefit_decision_example().snapshot(), cancel=cancel)
    with pytest.raises(stipa.Cancelled):
        list(responsibility.run(context))


def test_generated_documents_validate() -> None:
    snapshot = generate_document(300, seed=2).snapshot()
    (outcome,) = AnalysisRunner([responsibility.stipa_analyses()[0]]).run(snapshot)
    assert outcome.succeeded, outcome.traceback
    assert outcome.problems == []
    assert {f.rule for f in outcome.findings} >= {"moral-crumple-zone", "unowned-authority"}


# --- the data for views and exporters ----------------------------------------------------------


def test_responsibility_matrix() -> None:
    doc = benefit_decision_example()
    doc.update("R-2", raci=[RaciAssignment(component=DEPLOYER, role="accountable")])
    doc.add(
        Responsibility(
            text="Audit",
            owner=REGULATOR,
            constraints=["SC-1", "SC-2"],
            raci=[
                RaciAssignment(component=PROVIDER, role="consulted"),
                RaciAssignment(component=DEPLOYER, role="informed"),
            ],
        )
    )
    doc.add(
        Responsibility(
            text="Make decisions contestable",
            owner=PROVIDER,
            constraints=["SC-2"],
            raci=[RaciAssignment(component=REGULATOR, role="accountable")],
        )
    )
    matrix = responsibility_matrix(doc)
    json.dumps(matrix)  # plain data
    assert [row["id"] for row in matrix["rows"]] == [
        REGULATOR, PROVIDER, DEPLOYER, AI, WORKER, CITIZEN,
    ]  # fmt: skip
    assert [c["id"] for c in matrix["columns"]] == ["SC-1", "SC-2"]
    assert all(c["assigned"] for c in matrix["columns"])
    cells = matrix["cells"]
    assert cells[CITIZEN]["SC-1"] == {"roles": ["R"], "label": "R", "responsibilities": ["R-1"]}
    assert cells[WORKER]["SC-1"]["label"] == "R"  # owner without a role entered
    assert cells[DEPLOYER]["SC-1"]["label"] == "A/I"
    assert cells[DEPLOYER]["SC-1"]["responsibilities"] == ["R-2", "R-3"]
    assert cells[REGULATOR]["SC-2"] == {
        "roles": ["R", "A"],
        "label": "R/A",
        "responsibilities": ["R-3", "R-4"],
    }
    assert cells[PROVIDER]["SC-2"]["label"] == "R/C"
    assert cells[PROVIDER]["SC-1"]["label"] == "C"
    assert AI not in cells


def test_matrix_marks_unassigned_constraints() -> None:
    columns = responsibility_matrix(benefit_decision_example())["columns"]
    assert {c["id"]: c["assigned"] for c in columns} == {"SC-1": True, "SC-2": False}


def test_human_roles() -> None:
    people = {p["id"]: p for p in human_roles(benefit_decision_example())}
    assert set(people) == {WORKER, CITIZEN}
    citizen = people[CITIZEN]
    assert citizen["lay_user"] is True
    assert citizen["responsibilities"] == citizen["catching"] == ["R-1"]
    assert citizen["automation"] == [AI]
    assert citizen["control_actions"] == 0
    assert citizen["means"] == {
        "feedback": "no",
        "uncertainty": "no",
        "override": "no",
        "training": "no",
        "time_to_act": "not stated",
    }
    worker = people[WORKER]
    assert worker["control_actions"] == 1
    assert worker["means"]["training"] == "yes"
    assert worker["missing"] == ["feedback", "uncertainty", "override"]
    json.dumps(list(people.values()))


def test_accountability_chain_of_the_example() -> None:
    doc = benefit_decision_example()
    chain = accountability_chain(doc, "L-1")
    json.dumps(chain)
    assert chain["type"] == "loss" and chain["holds"] is False
    assert chain["breaks"] == [
        [
            "SC-1",
            "SC-1's chain stops at Deployer, which answers to no regulator, while Regulator "
            "has authority over AI model",
        ],
        ["SC-2", "SC-2 is assigned to no responsibility"],
    ]
    h1, h2 = chain["children"]
    assert (h1["id"], h1["holds"], h2["id"], h2["holds"]) == ("H-1", False, "H-2", False)
    (sc1,) = h1["children"]
    r1, r2 = sc1["children"]
    (citizen,) = r1["children"]
    assert citizen["id"] == CITIZEN and "answers to no one" in citizen["break"]
    (worker,) = r2["children"]
    (deployer,) = worker["children"]
    # the chain view shows where it stops: at the Deployer, short of the Regulator
    assert (deployer["id"], deployer["link"], deployer["holds"]) == (DEPLOYER, "LK-6", False)
    assert deployer["break"] == (
        "Deployer answers to no regulator, while Regulator has authority over what it is "
        "responsible for"
    )
    # a control action from the Regulator to the Deployer mends the chain
    link(doc, REGULATOR, DEPLOYER, "control_action", "supervise")
    mended = accountability_chain(doc, "L-1")
    assert mended["breaks"] == [["SC-2", "SC-2 is assigned to no responsibility"]]
    deployer = mended["children"][0]["children"][0]["children"][1]["children"][0]["children"][0]
    assert deployer["holds"] is True and deployer["children"][0]["id"] == REGULATOR
    assert h2["children"][0]["break"] == "SC-2 is assigned to no responsibility"
    assert chain["highlight"] == {"components": [CITIZEN, WORKER, DEPLOYER], "links": ["LK-6"]}


def test_accountability_chain_follows_control_upward_to_the_regulator() -> None:
    doc = benefit_decision_example()
    doc.add(Responsibility(text="Validate the model", owner=AI, constraints=["SC-2"]))
    chain = accountability_chain(doc, "L-2")
    assert chain["holds"] is True and chain["breaks"] == []
    (hazard,) = chain["children"]
    model = hazard["children"][0]["children"][0]["children"][0]
    assert model["id"] == AI
    (provider,) = model["children"]
    (regulator,) = provider["children"]
    assert (provider["id"], regulator["id"], regulator["link"]) == (PROVIDER, REGULATOR, "LK-1")
    assert chain["highlight"]["links"] == ["LK-3", "LK-1"]
    assert not [f for f in fired(doc, "broken-accountability-chain") if f.targets[0] == "L-2"]


def test_accountability_chain_survives_control_cycles() -> None:
    doc = Document()
    hazard, sc = hazard_with_constraint(doc)
    a, b = controller(doc, "A", "human"), controller(doc, "B", "human")
    link(doc, a, b, "control_action", "x")
    link(doc, b, a, "control_action", "y")
    doc.add(Responsibility(text="Hold", owner=a, constraints=[sc]))
    chain = accountability_chain(doc, doc.hazards[hazard].losses[0])
    holder = chain["children"][0]["children"][0]["children"][0]["children"][0]
    assert holder["children"][0]["children"][0]["repeat"] is True
    assert chain["holds"] is False


def test_unknown_loss_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        accountability_chain(benefit_decision_example(), "L-99")


# --- oversight, containment and system boundaries (issues 18 and 20) ----------------------------


def test_oversight_without_feedback_names_the_body_and_the_process() -> None:
    doc = benefit_decision_example()
    (finding,) = fired(doc, "oversight-without-feedback")
    assert finding.targets == (REGULATOR, DECISION)
    assert finding.message.startswith("Regulator has authority over Benefit decision")
    # the deployer's own monitoring does not replace oversight
    link(doc, DECISION, DEPLOYER, "feedback", "decision statistics")
    (finding,) = fired(doc, "oversight-without-feedback")
    assert "Deployer monitors it, which does not replace oversight" in finding.message
    # the deployer reporting to the regulator does
    link(doc, DEPLOYER, REGULATOR, "feedback", "incident reports")
    assert not fired(doc, "oversight-without-feedback")


def test_oversight_covers_independent_bodies_and_what_they_contain() -> None:
    doc = Document()
    board = controller(doc, "Audit board", "organisation", role="independent oversight")
    agency = controller(doc, "Agency", "organisation")
    target = process(doc)
    link(doc, board, agency, "control_action", "audit")
    link(doc, agency, target, "control_action", "operate")
    link(doc, target, agency, "feedback", "operating data")
    (finding,) = fired(doc, "oversight-without-feedback")
    assert finding.targets == (board, target)
    # a feedback to a unit the board contains reaches the board
    unit = controller(doc, "Audit unit", "human", parent=board)
    link(doc, agency, unit, "feedback", "annual audit report")
    assert not fired(doc, "oversight-without-feedback")
    # an organisation without an oversight role is no overseer
    doc.update(board, role="")
    doc.remove(*[lk for lk in doc.links if doc.links[lk].target == unit])
    assert not fired(doc, "oversight-without-feedback")


def test_an_organisation_answers_for_what_it_contains() -> None:
    doc = Document()
    _hazard, sc = hazard_with_constraint(doc)
    company = controller(doc, "Operating company", "organisation")
    operator = controller(doc, "Operator", "human", parent=company)
    doc.add(Responsibility(text="Keep it in bounds", owner=operator, constraints=[sc]))
    assert not fired(doc, "broken-accountability-chain")
    loss = next(iter(doc.losses))
    holder = accountability_chain(doc, loss)["children"][0]["children"][0]["children"][0]
    (above,) = holder["children"][0]["children"]
    assert (above["id"], above["contains"], above["link"]) == (company, True, "")
    # a system boundary contains, but answers for nothing
    doc.update(company, kind="boundary", variables=())
    assert fired(doc, "broken-accountability-chain")


def test_an_external_person_inside_a_boundary_is_not_outside() -> None:
    doc = Document()
    ids = _watched_model(doc, role="")
    doc.update(ids["person"], kind="external")
    (finding,) = fired(doc, "moral-crumple-zone")
    assert finding.severity == "error" and dict(finding.data)["lay_user"] == "yes"
    system = doc.add(Component(name="Service", kind="boundary"))
    doc.update(ids["person"], parent=system.id)
    (finding,) = fired(doc, "moral-crumple-zone")
    assert dict(finding.data)["lay_user"] == "no"


def _boundaries(doc: Document) -> dict[str, str]:
    """A model inside a technical boundary, inside the service around it, and a citizen."""
    _hazard, sc = hazard_with_constraint(doc)
    service = doc.add(Component(name="Service", kind="boundary")).id
    technical = doc.add(Component(name="AI system", kind="boundary", parent=service)).id
    model = controller(doc, "Model", "ai_model", parent=technical)
    output_filter = controller(doc, "Filter", "software", parent=technical)
    answer = process(doc, "Answers", "software")
    doc.update(answer, parent=technical)
    link(doc, model, answer, "control_action", "answer")
    link(doc, output_filter, model, "control_action", "block")
    resp = doc.add(Responsibility(text="Block wrong answers", owner=output_filter,
                                  constraints=[sc], processes=[model]))  # fmt: skip
    citizen = controller(doc, "Citizen", "human", role="citizen")
    return {"sc": sc, "service": service, "technical": technical, "model": model,
            "filter": output_filter, "answer": answer, "resp": resp.id,
            "citizen": citizen}  # fmt: skip


def test_technical_mitigation_only() -> None:
    doc = Document()
    ids = _boundaries(doc)
    (finding,) = fired(doc, "technical-mitigation-only")
    assert ids["filter"] in finding.targets and "technical means alone" in finding.message
    assert dict(finding.data)["boundaries"] == ids["technical"]
    worker = controller(doc, "Case worker", "human", parent=ids["service"])
    doc.add(Responsibility(text="Check answers before they are sent", owner=worker,
                           constraints=[ids["sc"]], processes=[ids["answer"]]))  # fmt: skip
    assert not fired(doc, "technical-mitigation-only")


def test_catching_outside_the_boundary() -> None:
    doc = Document()
    ids = _boundaries(doc)
    resp = doc.add(Responsibility(text="Spot wrong answers", owner=ids["citizen"],
                                  processes=[ids["answer"]]))  # fmt: skip
    (finding,) = fired(doc, "catching-outside-boundary")
    assert finding.targets == (ids["citizen"], ids["service"], resp.id)
    assert "Citizen is outside Service" in finding.message
    doc.update(ids["citizen"], parent=ids["service"])
    assert not fired(doc, "catching-outside-boundary")


def test_boundary_nobody_outside_observes() -> None:
    doc = Document()
    ids = _boundaries(doc)
    found = fired(doc, "boundary-unobserved")
    assert {f.targets for f in found} == {(ids["service"],), (ids["technical"],)}
    assert "No controller outside Service receives feedback from inside it" in found[0].message
    link(doc, ids["answer"], ids["citizen"], "feedback", "answer")
    assert not fired(doc, "boundary-unobserved")
    # a boundary around every controller has nobody outside to see it: no finding
    doc.remove(*[lk for lk in doc.links if doc.links[lk].target == ids["citizen"]])
    doc.update(ids["citizen"], parent=ids["technical"])
    assert not fired(doc, "boundary-unobserved")
