"""Tests of the Acme AI policy plugin, written with the fixtures Stipa ships for pytest.

``stipa_document``, ``stipa_run``, ``stipa_host`` and ``stipa_example`` come from Stipa's pytest
plugin, which pytest loads by itself wherever ``stipa`` is installed.
"""

from __future__ import annotations

import pytest
import stipa

import acme_ai_policy

NS = acme_ai_policy.NAMESPACE


def owned(owner: str = "Acme Health Ltd", purpose: str = "Triage of emergency patients"):
    """The two policy properties, filled in."""
    return [
        stipa.Property(namespace=NS, name="owner", value=owner),
        stipa.Property(namespace=NS, name="purpose", value=purpose),
    ]


def rules(outcome):
    return sorted((f.rule, f.targets) for f in outcome.findings)


def test_declares_properties_for_ai_models_only(stipa_host):
    stipa_host.register(acme_ai_policy, "acme-ai-policy")
    model = stipa.Component(name="Model", nature="ai_model")
    nurse = stipa.Component(name="Nurse", nature="human")
    assert [p.name for p in stipa_host.properties_for(model)] == ["owner", "purpose"]
    assert stipa_host.properties_for(nurse) == []
    assert stipa_host.failures() == []


def test_model_without_owner_and_purpose(stipa_document, stipa_run):
    model = stipa_document.add(stipa.Component(name="Triage model", nature="ai_model"))
    outcome = stipa_run(acme_ai_policy, stipa_document)
    assert rules(outcome) == [("acme.ai-owner", (model.id,)), ("acme.ai-purpose", (model.id,))]
    owner = next(f for f in outcome.findings if f.rule == "acme.ai-owner")
    assert owner.severity == "error"
    assert '"Triage model"' in owner.message
    assert owner.source.endswith("§2.1")


def test_documented_model_passes(stipa_document, stipa_run):
    stipa_document.add(stipa.Component(name="Triage model", nature="ai_model", properties=owned()))
    assert stipa_run(acme_ai_policy, stipa_document).findings == []


def test_blank_owner_counts_as_missing(stipa_document, stipa_run):
    model = stipa_document.add(
        stipa.Component(name="M", nature="ai_model", properties=owned(owner="  "))
    )
    assert rules(stipa_run(acme_ai_policy, stipa_document)) == [("acme.ai-owner", (model.id,))]


@pytest.mark.parametrize(
    ("training", "severity"), [("", "warning"), ("none", "error"), ("basic", None)]
)
def test_human_reading_model_output_needs_training(stipa_document, stipa_run, training, severity):
    doc = stipa_document
    model = doc.add(stipa.Component(name="Triage model", nature="ai_model", properties=owned()))
    nurse = doc.add(stipa.Component(name="Nurse", nature="human", training=training))
    doc.add(
        stipa.Link(
            source=model.id,
            target=nurse.id,
            kind="feedback",
            items=[stipa.LinkItem(name="Risk score")],
        )
    )
    findings = stipa_run(acme_ai_policy, doc).findings
    if severity is None:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.rule, finding.severity) == ("acme.human-training", severity)
    assert finding.targets == (nurse.id, model.id)
    assert '"Risk score"' in finding.message


def test_human_controlling_the_same_process(stipa_document, stipa_run):
    doc = stipa_document
    model = doc.add(stipa.Component(name="Dispatch model", nature="ai_model", properties=owned()))
    operator = doc.add(stipa.Component(name="Dispatcher", nature="human", role="operator"))
    fleet = doc.add(stipa.Component(name="Fleet", kind="controlled_process", nature="physical"))
    for source in (model, operator):
        doc.add(
            stipa.Link(source=source.id, target=fleet.id, items=[stipa.LinkItem(name="Assign")])
        )
    (finding,) = stipa_run(acme_ai_policy, doc).findings
    assert finding.targets == (operator.id, model.id)
    assert "controls" in finding.message and "(operator)" in finding.message


def test_unrelated_human_is_not_checked(stipa_document, stipa_run):
    doc = stipa_document
    doc.add(stipa.Component(name="Model", nature="ai_model", properties=owned()))
    doc.add(stipa.Component(name="Cleaner", nature="human"))
    assert stipa_run(acme_ai_policy, doc).findings == []


def test_minimum_training_option(stipa_document, stipa_run):
    doc = stipa_document
    model = doc.add(stipa.Component(name="Model", nature="ai_model", properties=owned()))
    nurse = doc.add(stipa.Component(name="Nurse", nature="human", training="basic"))
    doc.add(stipa.Link(source=model.id, target=nurse.id, kind="information"))
    assert stipa_run(acme_ai_policy, doc).findings == []
    (finding,) = stipa_run(acme_ai_policy, doc, **{"minimum-training": "trained"}).findings
    assert finding.severity == "error" and "only basic training" in finding.message


def test_bad_option_fails_the_analysis_with_a_clear_message(stipa_document, stipa_run):
    outcome = stipa_run(
        acme_ai_policy, stipa_document, expect_status="failed", **{"minimum-training": "guru"}
    )
    assert "minimum-training must be one of basic, trained, expert" in outcome.message


def test_bundled_example_has_no_ai_model(stipa_example, stipa_run):
    assert stipa_run(acme_ai_policy, stipa_example("wheel-brakes")).findings == []
