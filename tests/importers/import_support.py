"""Shared by the importer tests: where the fixtures and samples are, and the PASTA round trip."""

from __future__ import annotations

import os
from pathlib import Path

import stipa
from stipa.operations.imports import import_file
from stipa.plugin import PluginHost
from stipa_builtins.importers.pasta_export import dumps
from stipa_builtins.importers.pasta_syntax import parse

FIXTURES = Path(__file__).parent / "fixtures"
#: The real files of other tools (never copied into the repository): ../shared/samples beside
#: the repository, or where STIPA_SAMPLES says (a git worktree lives elsewhere).
SAMPLES = Path(
    os.environ.get(
        "STIPA_SAMPLES", Path(__file__).resolve().parents[2].parent / "shared" / "samples"
    )
)


def texts(doc: stipa.Document) -> dict[str, list[str]]:
    return {
        "losses": sorted(r.text for r in doc.losses.values()),
        "hazards": sorted(r.text for r in doc.hazards.values()),
        "constraints": sorted(r.text for r in doc.constraints.values()),
        "responsibilities": sorted(r.text for r in doc.responsibilities.values()),
        "ucas": sorted(r.context for r in doc.ucas.values()),
        "controller_constraints": sorted(r.text for r in doc.controller_constraints.values()),
        "scenarios": sorted(r.text for r in doc.scenarios.values()),
        "components": sorted(r.name for r in doc.components.values()),
        "actions": sorted(i.name for link in doc.links.values() for i in link.items),
    }


def round_trip(host: PluginHost, source: Path, tmp_path: Path) -> None:
    """PASTA -> Stipa (saved and reloaded) -> PASTA -> Stipa keeps every count and text."""
    first = import_file(host, source)
    saved = tmp_path / "first.stipa"
    stipa.save(first.document, saved)
    reloaded = stipa.load(saved)
    text = dumps(reloaded.snapshot())
    parse(text, "exported.stpa", strict=True)  # what PASTA's current grammar accepts
    exported = tmp_path / "exported.stpa"
    exported.write_text(text, encoding="utf-8")
    second = import_file(host, exported)
    assert second.report.counts == first.report.counts
    assert texts(second.document) == texts(first.document)
    assert [n.message for n in second.report.not_carried] == [
        n.message for n in first.report.not_carried
    ]
