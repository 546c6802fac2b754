"""The example in-house plugin, installed like an organisation would install it.

``plugins/example-plugin`` is built and installed with pip into a temporary folder (offline),
found through its ``stipa.plugins`` entry point by ``PluginHost().discover()``, run on a
document built here, used from ``stipa analyze``, and its own test suite — written with the
pytest fixtures Stipa ships — is run in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import stipa
from stipa.analysis import AnalysisRunner, apply_outcomes
from stipa.cli import main
from stipa.plugin import DISABLE_VARIABLE, PluginHost
from stipa.testing import example_plugin_source, install_example_plugin

NS = "https://acme.example/stipa/ai-policy"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_example_plugin(tmp_path_factory.mktemp("acme-site"))


@pytest.fixture
def acme(installed: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The installed example on ``sys.path`` for one test."""
    monkeypatch.syspath_prepend(str(installed))
    monkeypatch.delenv(DISABLE_VARIABLE, raising=False)
    yield installed
    for name in [m for m in sys.modules if m == "acme_ai_policy" or m.startswith("acme_ai_")]:
        del sys.modules[name]


def test_install_leaves_the_source_tree_clean(installed: Path) -> None:
    source = example_plugin_source()
    assert not list(source.glob("build")) and not list(source.rglob("*.egg-info"))
    (dist_info,) = installed.glob("acme_ai_policy-*.dist-info")
    assert "acme-ai-policy = acme_ai_policy" in (dist_info / "entry_points.txt").read_text()


def hospital() -> tuple[stipa.Document, dict[str, str]]:
    """An emergency department with two AI models and the people around them."""
    doc = stipa.Document()

    def add(name: str, **fields: object) -> str:
        return str(doc.add(stipa.Component(name=name, **fields)).id)

    def owned(owner: str, purpose: str) -> list[stipa.Property]:
        return [
            stipa.Property(namespace=NS, name="owner", value=owner),
            stipa.Property(namespace=NS, name="purpose", value=purpose),
        ]

    ids = {
        "triage": add("Triage model", nature="ai_model"),
        "sepsis": add(
            "Sepsis alert model",
            nature="ai_model",
            properties=owned("Acme Health Ltd", "Early warning of sepsis in adult patients"),
        ),
        "nurse": add("Triage nurse", nature="human", role="operator"),
        "doctor": add("Emergency physician", nature="human", training="none"),
        "manager": add("Shift manager", nature="human", training="trained"),
        "porter": add("Porter", nature="human"),
        "queue": add("Patient queue", kind="controlled_process", nature="physical"),
    }

    def link(source: str, target: str, kind: str, item: str) -> None:
        doc.add(
            stipa.Link(
                source=ids[source],
                target=ids[target],
                kind=kind,
                items=[stipa.LinkItem(name=item)],
            )
        )

    link("triage", "nurse", "feedback", "Urgency score")
    link("sepsis", "manager", "information", "Sepsis alert")
    link("triage", "queue", "control_action", "Reorder queue")
    link("doctor", "queue", "control_action", "Call next patient")
    link("porter", "queue", "feedback", "Bed free")  # the porter reports, but acts on nothing
    return doc, ids


def test_discovered_through_its_entry_point(acme: Path) -> None:
    host = PluginHost().discover()
    info = host.plugins["acme-ai-policy"]
    assert (info.status, info.distribution, info.version) == ("active", "acme-ai-policy", "1.0.0")
    assert info.failures == []
    assert info.hooks == ["stipa_analyses", "stipa_component_properties"]
    assert info.analyses == ["acme.ai-policy"]
    analysis = host.analyses["acme.ai-policy"]
    assert set(analysis.rules) == {"acme.ai-owner", "acme.ai-purpose", "acme.human-training"}
    model = stipa.Component(name="M", nature="ai_model")
    specs = {(p.name, p.label, p.type) for p in host.properties_for(model) if p.namespace == NS}
    assert specs == {
        ("owner", "Accountable owner", "text"),
        ("purpose", "Intended purpose", "text"),
    }
    human = stipa.Component(name="N", nature="human")
    assert all(p.namespace != NS for p in host.properties_for(human))


def test_each_finding(acme: Path) -> None:
    host = PluginHost().discover()
    doc, ids = hospital()
    analysis = host.analyses["acme.ai-policy"]
    (outcome,) = AnalysisRunner([analysis], plugin_of=lambda a: "acme-ai-policy").run(
        doc.snapshot()
    )
    assert outcome.status == "ok" and outcome.problems == []
    found = {(f.rule, f.targets): f for f in outcome.findings}
    assert sorted(found) == sorted(
        [
            ("acme.ai-owner", (ids["triage"],)),
            ("acme.ai-purpose", (ids["triage"],)),
            ("acme.human-training", (ids["nurse"], ids["triage"])),
            ("acme.human-training", (ids["doctor"], ids["triage"])),
        ]
    )  # the sepsis model is documented, the manager trained, the porter acts on no model

    owner = found["acme.ai-owner", (ids["triage"],)]
    assert owner.severity == "error" and owner.plugin == "acme.ai-policy"
    assert owner.message.startswith('The AI model "Triage model" names no accountable owner.')
    assert owner.source == "Acme AI governance policy AIG-3 §2.1"
    purpose = found["acme.ai-purpose", (ids["triage"],)]
    assert purpose.severity == "warning" and '"Intended purpose"' in purpose.message

    nurse = found["acme.human-training", (ids["nurse"], ids["triage"])]
    assert nurse.severity == "warning"
    assert nurse.message.startswith(
        '"Triage nurse" (operator) acts on the output of the AI model "Triage model" '
        '(receives "Urgency score" from it), but has no training level recorded.'
    )
    assert dict(nurse.data) == {
        "training": "not recorded",
        "required": "basic",
        "ai_models": ids["triage"],
    }
    doctor = found["acme.human-training", (ids["doctor"], ids["triage"])]
    assert doctor.severity == "error"
    assert 'controls "Patient queue", which the model also controls' in doctor.message
    assert "is recorded as untrained" in doctor.message

    before = stipa.dumps(doc)
    apply_outcomes(doc, [outcome])
    assert len(doc.findings) == 4
    doc.undo()
    assert stipa.dumps(doc) == before


def test_properties_survive_save_and_load(acme: Path, tmp_path: Path) -> None:
    doc, ids = hospital()
    path = tmp_path / "ed.stipa"
    stipa.save(doc, path)
    sepsis = stipa.load(path).components[ids["sepsis"]]
    owner = sepsis.property(NS, "owner")
    assert owner is not None and owner.value == "Acme Health Ltd"


def test_ci_gate_with_dispositions(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc, ids = hospital()
    path, analysed = tmp_path / "ed.stipa", tmp_path / "ed-analysed.stipa"
    stipa.save(doc, path)
    arguments = ["analyze", str(path), "--plugin", "acme-ai-policy", "--fail-on", "error"]

    assert main([*arguments, "-o", str(analysed)]) == 1
    out = capsys.readouterr().out
    assert "== acme.ai-policy  Acme AI governance policy  (acme-ai-policy 1.0.0): 4 findings" in out
    assert f"  ERROR   Accountable AI owner (acme.ai-owner) {ids['triage']}: The AI model" in out
    assert "[open]" in out and "FAILED (--fail-on error): 2 open findings at error or above" in out

    # The governance officer accepts the two errors, with reasons, in the analysed file.
    reviewed = stipa.load(analysed)
    for finding in list(reviewed.findings.values()):
        if finding.severity == "error":
            reviewed.update(
                finding.id, disposition="accepted_risk", rationale="Pilot phase; see memo 12."
            )
    stipa.save(reviewed, analysed)

    assert main(["analyze", str(analysed), "--plugin", "acme.ai-policy", "--fail-on", "error",
                 "--format", "json"]) == 0  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["findings"] == 4 and report["summary"]["open"] == 2
    assert report["summary"]["exit_code"] == 0
    accepted = [f for f in report["findings"] if f["disposition"] == "accepted_risk"]
    assert {f["rule"] for f in accepted} == {"acme.ai-owner", "acme.human-training"}
    assert all(f["rationale"] == "Pilot phase; see memo 12." for f in accepted)
    # warnings are still open: --fail-on warning fails
    assert (
        main(["analyze", str(analysed), "--plugin", "acme.ai-policy", "--fail-on", "warning"]) == 1
    )
    capsys.readouterr()


def test_option_reaches_the_analysis(
    acme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc, _ = hospital()
    path = tmp_path / "ed.stipa"
    stipa.save(doc, path)
    base = ["analyze", str(path), "--plugin", "acme-ai-policy", "--format", "json"]
    assert main([*base, "--option", "minimum-training=expert"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["findings"] == 5  # the trained shift manager falls short of expert
    assert main([*base, "--option", "minimum-training=guru", "--fail-on", "error"]) == 1
    captured = capsys.readouterr()
    assert "minimum-training must be one of basic, trained, expert" in captured.err
    assert json.loads(captured.out)["analyses"][0]["status"] == "failed"


@pytest.mark.slow  # a pytest subprocess: a few seconds
def test_its_own_test_suite_passes(installed: Path) -> None:
    source = example_plugin_source()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(installed), os.environ.get("PYTHONPATH", "")]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop(DISABLE_VARIABLE, None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=source, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout
