"""Built-in rules (and the in-house template's) have short titles and say what they check."""

from __future__ import annotations

import importlib.util
import json
import re
from html import escape
from pathlib import Path
from types import ModuleType

import pytest

import stipa
from stipa import export
from stipa.cli import main
from stipa.plugin import PluginHost, Rule
from stipa.resources import examples
from stipa.testing import example_plugin_source

#: Words a title keeps in capitals wherever they stand.
ACRONYMS = {"AI", "UCA", "UCAs", "RACI"}
CITIZEN = next(p for p in examples() if p.name == "language-model-citizen-assistant.stipa")


def _example_plugin() -> ModuleType:
    """The in-house template's module, read from its source (it is not installed here)."""
    path = example_plugin_source() / "src" / "acme_ai_policy" / "__init__.py"
    spec = importlib.util.spec_from_file_location("acme_ai_policy_titles", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _our_rules() -> list[tuple[str, Rule]]:
    host = PluginHost().discover()
    ours = [
        analysis_id
        for info in host.plugins.values()
        if info.module.startswith("stipa_builtins")
        for analysis_id in info.analyses
    ]
    found = [(aid, rule) for aid in ours for rule in host.analyses[aid].catalogue.values()]
    for analysis in _example_plugin().stipa_analyses():
        found += [(analysis.id, rule) for rule in analysis.catalogue.values()]
    return found


RULES = _our_rules()


def test_every_built_in_analysis_declares_its_rules() -> None:
    analyses = {aid for aid, _rule in RULES}
    assert {"stipa.hazards", "stipa.responsibility", "stipa.footprint", "acme.ai-policy"} <= (
        analyses
    )


def test_titles_tell_the_rules_of_an_analysis_apart() -> None:
    by_analysis: dict[str, list[str]] = {}
    for analysis_id, rule in RULES:
        by_analysis.setdefault(analysis_id, []).append(rule.title.casefold())
    for titles in by_analysis.values():
        assert len(set(titles)) == len(titles), titles  # the rule filter lists each once


@pytest.mark.parametrize(("analysis_id", "rule"), RULES, ids=[r.id for _a, r in RULES])
def test_a_title_is_a_short_name_in_sentence_case(analysis_id: str, rule: Rule) -> None:
    words = rule.title.split()
    assert 2 <= len(words) <= 6, rule.title
    assert words[0][0].isupper(), rule.title
    assert not re.search(r"[.:;,(]", rule.title), rule.title  # a name, not a sentence
    later = [w for w in words[1:] if w not in ACRONYMS]
    assert all(w == w.lower() for w in later), rule.title  # capitalised like the others


@pytest.mark.parametrize(("analysis_id", "rule"), RULES, ids=[r.id for _a, r in RULES])
def test_a_description_says_what_the_rule_checks(analysis_id: str, rule: Rule) -> None:
    text = rule.description
    assert len(text.split()) > len(rule.title.split()), rule.id
    assert text[0].isupper() and text.endswith((".", ".)")), text
    assert rule.statement == text


def test_the_moral_crumple_zone_is_named_and_stated_apart() -> None:
    rule = dict((r.id, r) for _a, r in RULES)["moral-crumple-zone"]
    assert rule.title == "Moral crumple zone"
    assert rule.description.startswith("A person holds responsibility for catching failures")


def test_stipa_plugins_lists_title_and_description(capsys: pytest.CaptureFixture[str]) -> None:
    rule = dict((r.id, r) for _a, r in RULES)["moral-crumple-zone"]
    main(["plugins"])
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("      rule moral-crumple-zone  (warning)  Moral crumple zone")
    assert lines[at + 1].strip() == rule.description
    main(["plugins", "--format", "json"])
    listed = json.loads(capsys.readouterr().out)
    (analysis,) = [a for a in listed["analyses"] if a["id"] == "stipa.responsibility"]
    declared = {d["id"]: d for d in analysis["rule_declarations"]}
    assert declared["moral-crumple-zone"]["title"] == "Moral crumple zone"
    assert declared["moral-crumple-zone"]["description"] == rule.description
    assert analysis["rules"]["moral-crumple-zone"] == "Moral crumple zone"  # kept as it was


@pytest.fixture(scope="module")
def analysed() -> stipa.Snapshot:
    document = stipa.load(CITIZEN)
    stipa.analyse(document)
    return document.snapshot()


def test_reports_name_findings_by_title_and_list_what_each_rule_checks(
    analysed: stipa.Snapshot, tmp_path: Path
) -> None:
    declared = {(aid, r.id): r for aid, r in RULES}
    found = {(f.plugin, f.rule) for f in analysed.findings.values()}
    assert ("stipa.responsibility", "moral-crumple-zone") in found
    crumple = declared["stipa.responsibility", "moral-crumple-zone"]
    options = {"date": "2026-01-15", "diagram": "no"}
    export.write_markdown(analysed, tmp_path / "r.md", options)
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    rules = markdown.split("### Rules behind the findings", 1)[1].split("###", 1)[0]
    rows = [line for line in rules.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0] == "| Rule | Analysis | What it checks | Source | Findings |"
    assert len(rows) - 1 == len(found)  # each rule once
    row = next(r for r in rows if r.startswith("| Moral crumple zone (moral-crumple-zone) |"))
    assert crumple.description in row and crumple.source.split(":")[0] in row
    # the findings table names the rule by its title, the statement stays in the rules table
    findings = markdown.split("### Findings and their dispositions", 1)[1].split("###", 1)[0]
    assert "| Moral crumple zone (moral-crumple-zone) |" in findings
    assert crumple.description not in findings

    export.write_html(analysed, tmp_path / "r.html", options)
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="table-rules"' in html and "What it checks" in html
    assert escape(crumple.description) in html


def test_the_word_report_lists_what_each_rule_checks(
    analysed: stipa.Snapshot, tmp_path: Path
) -> None:
    import docx

    declared = {(aid, r.id): r for aid, r in RULES}
    export.write_docx(analysed, tmp_path / "r.docx", {"date": "2026-01-15", "diagram": "no"})
    word = docx.Document(str(tmp_path / "r.docx"))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert (
        headings.index("Rules behind the findings")
        == headings.index("Findings and their dispositions") + 1
    )
    table = next(t for t in word.tables if t.rows[0].cells[2].text == "What it checks")
    rows = {row.cells[0].text: row.cells[2].text for row in table.rows[1:]}
    for analysis_id, rule_id in {(f.plugin, f.rule) for f in analysed.findings.values()}:
        rule = declared[analysis_id, rule_id]
        assert rows[f"{rule.title} ({rule.id})"] == rule.description
