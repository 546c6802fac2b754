"""System boundaries are frames, not actors: no built-in analysis treats one as a controller,
a controlled process, a person or an AI model, and putting components inside one changes no
finding but those of the rules about system boundaries (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

import stipa
from stipa import AnalysisContext, Component, Document, Finding
from stipa.analysis.runner import AnalysisRunner
from stipa.plugin import PluginHost
from stipa_builtins import footprint, hazards, responsibility

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "examples"
    / "language-model-citizen-assistant.stipa"
)


#: The rules that look at system boundaries: the only findings drawing one may change.
BOUNDARY_RULES = {"technical-mitigation-only", "catching-outside-boundary", "boundary-unobserved"}


def findings(doc: Document, host: PluginHost) -> set[tuple[str, str, tuple[str, ...]]]:
    snapshot = doc.snapshot()
    found: list[Finding] = list(
        responsibility.run(AnalysisContext(responsibility.ANALYSIS_ID, snapshot))
    )
    analyses = host.select_analyses([hazards.ANALYSIS_ID, footprint.ANALYSIS_ID])
    for outcome in AnalysisRunner(analyses, lambda a: a.id, timeout=60).run(snapshot):
        assert outcome.status == "ok", outcome.message
        found.extend(outcome.findings)
    return {(f.rule, f.message, tuple(f.targets)) for f in found if f.rule not in BOUNDARY_RULES}


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost().discover()


@pytest.mark.parametrize("nature", list(stipa.Nature))
def test_boundaries_of_any_nature_change_no_finding(host: PluginHost, nature: str) -> None:
    doc = stipa.load(EXAMPLE)
    before = findings(doc, host)
    model = next(c for c in doc.components.values() if c.nature == "ai_model")
    with doc.transaction("Draw the boundaries"):
        social = doc.add(Component(name="Sociotechnical system", kind="boundary", nature=nature))
        technical = doc.add(
            Component(name="AI system", kind="boundary", nature=nature, parent=social.id)
        )
        doc.update(model.id, parent=technical.id)
    after = findings(doc, host)
    assert after == before
    assert not any({social.id, technical.id} & set(targets) for _r, _m, targets in after)
