"""The code in the plugin authors' guide (plugins/README.md) works as printed."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import stipa
from stipa.analysis import AnalysisRunner, apply_outcomes
from stipa.plugin import PluginHost

GUIDE = Path(__file__).resolve().parents[2] / "plugins" / "README.md"


def blocks(language: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.M | re.S)


@pytest.fixture
def guide_plugin(write_dist: Callable[..., Path]) -> Any:
    """The guide's complete small plugin, installed with the guide's entry point."""
    module = blocks("python")[0]
    project = tomllib.loads(next(b for b in blocks("toml") if "[project]" in b))
    entry_points = project["project"]["entry-points"]["stipa.plugins"]
    write_dist(project["project"]["name"], {"acme_feedback": module}, entry_points)
    return project


def test_the_complete_small_plugin_is_found_and_runs(
    guide_plugin: Any, stipa_example: Callable[[str], stipa.Document]
) -> None:
    host = PluginHost().discover()
    info = host.plugins["acme-feedback"]
    assert (info.status, info.failures, info.analyses) == ("active", [], ["acme.feedback"])

    doc = stipa_example("wheel-brakes")
    doc.remove(*doc.controller_constraints)  # so that every UCA gets a draft
    assert doc.ucas
    (outcome,) = AnalysisRunner([host.analyses["acme.feedback"]]).run(doc.snapshot())
    assert outcome.status == "ok" and outcome.problems == [], outcome.message
    assert sorted(s.targets[0] for s in outcome.suggestions) == sorted(doc.ucas)
    assert {f.rule for f in outcome.findings} <= {"acme.no-feedback"}
    assert apply_outcomes(doc, [outcome])
    assert len(doc.suggestions) == len(doc.ucas)


def test_the_guide_test_passes(
    guide_plugin: Any, stipa_document: stipa.Document, stipa_run: Callable[..., Any]
) -> None:
    source = next(b for b in blocks("python") if "def test_" in b)
    namespace: dict[str, Any] = {}
    exec(compile(source, str(GUIDE), "exec"), namespace)
    namespace["test_controller_without_feedback"](stipa_document, stipa_run)


def test_every_fixture_of_the_pytest_plugin_is_in_the_guide() -> None:
    from stipa.testing import pytest_plugin

    text = GUIDE.read_text(encoding="utf-8")
    fixtures = [n for n in vars(pytest_plugin) if n.startswith("stipa_")]
    assert sorted(fixtures) == [
        "stipa_document",
        "stipa_example",
        "stipa_host",
        "stipa_run",
        "stipa_window",
    ]
    for name in fixtures:
        assert f"| `{name}` |" in text, name
