"""Rules as declared data: declarations, defaults in findings, the runner's check, the harness."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

import stipa
from stipa.cli import main
from stipa.operations.analyses import analyse
from stipa.plugin import PluginHost
from stipa.testing import RuleCases

ORPHAN = stipa.Rule(
    "demo.orphan", "Orphan component", "info", "Demo guide §1",
    description="A component with no links: nothing controls it and it controls nothing.",
)  # fmt: skip
#: Declared as before descriptions existed: the title says what the rule checks.
ROLELESS = stipa.Rule("demo.roleless", "A person without a role.", stipa.Severity.ERROR)


def _check(context: stipa.AnalysisContext) -> Iterator[stipa.Finding]:
    linked = {end for link in context.snapshot.links.values() for end in (link.source, link.target)}
    for component in context.snapshot.components.values():
        if component.id not in linked:
            yield context.finding("demo.orphan", f"{component.name} has no links", [component.id])
        if component.nature == "human" and not component.role:
            yield context.finding("demo.roleless", "A person has no role", [component.id],
                                  source="Demo guide §2")  # fmt: skip
        if component.name == "Rogue":
            yield context.finding("demo.undeclared", "Not declared", [component.id])


DEMO = stipa.Analysis(
    id="demo.check",
    title="Demo",
    run=_check,
    rules=(ORPHAN, ROLELESS),
    options={"mode": "how strict the check is", "limit": "at most this many findings"},
    choices={"mode": ["lenient", "strict"]},
)


def _document(*names: str) -> stipa.Document:
    """Components named ``names``; "Person" is a human without a role."""
    doc = stipa.Document()
    for name in names:
        doc.add(stipa.Component(name=name, nature="human" if name == "Person" else "software"))
    return doc


def test_declarations_give_findings_their_severity_and_source() -> None:
    report = analyse(_document("Pilot", "Person"), [DEMO], host=PluginHost(), apply=False)
    by_rule = {(f.rule, f.targets): f for f in report.findings}
    orphan = by_rule[("demo.orphan", ("C-1",))]
    assert (orphan.severity, orphan.source) == (stipa.Severity.INFO, "Demo guide §1")
    nameless = by_rule[("demo.roleless", ("C-2",))]
    assert (nameless.severity, nameless.source) == (stipa.Severity.ERROR, "Demo guide §2")
    assert DEMO.rules == {"demo.orphan": ORPHAN.title, "demo.roleless": ROLELESS.title}
    assert list(DEMO.catalogue.values()) == [ORPHAN, ROLELESS]


def test_a_description_is_optional_and_must_be_text() -> None:
    assert (ORPHAN.statement, ROLELESS.statement) == (ORPHAN.description, ROLELESS.title)
    assert ROLELESS.description == ""
    with pytest.raises(stipa.ModelError, match="the description must be a string"):
        stipa.Rule("demo.bad", "Bad", description=None)  # type: ignore[arg-type]


def test_a_result_of_an_undeclared_rule_is_refused() -> None:
    report = analyse(_document("Rogue"), [DEMO], host=PluginHost(), apply=False)
    assert [f.rule for f in report.findings] == ["demo.orphan"]
    (problem,) = report.refused
    assert "rule 'demo.undeclared' is not declared by demo.check" in problem
    assert "(it declares demo.orphan, demo.roleless)" in problem


def test_the_old_mapping_still_declares_rules_without_severity() -> None:
    old_style = {"demo.orphan": "Orphans.", "demo.roleless": "No role."}
    legacy = stipa.Analysis(id="demo.legacy", title="Legacy", run=_check, rules=old_style)
    assert legacy.rules == old_style
    assert legacy.catalogue["demo.orphan"] == stipa.Rule("demo.orphan", "Orphans.", None)
    report = analyse(_document("Pilot"), [legacy], host=PluginHost(), apply=False)
    assert [(f.severity, f.source) for f in report.findings] == [(stipa.Severity.WARNING, "")]
    undeclared = stipa.Analysis(id="demo.free", title="Free", run=_check)
    report = analyse(_document("Rogue"), [undeclared], host=PluginHost(), apply=False)
    assert report.complete  # an analysis that declares nothing is not checked


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ((ORPHAN, ORPHAN), "rule demo.orphan is declared twice"),
        (("demo.orphan",), "rules are stipa.Rule declarations, not str"),
    ],
)
def test_bad_declarations_are_refused(rules: object, message: str) -> None:
    with pytest.raises(stipa.ModelError, match=message):
        stipa.Analysis(id="demo.bad", title="Bad", run=_check, rules=rules)  # type: ignore[arg-type]


def test_stipa_plugins_lists_the_declarations(
    stipa_host: PluginHost, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Plugin:
        @stipa.hookimpl
        def stipa_analyses(self) -> list[stipa.Analysis]:
            return [DEMO]

    from stipa.plugin import host as host_module

    entry = type("EntryPoint", (), {"name": "demo", "value": "demo", "dist": None,
                                    "load": staticmethod(lambda: Plugin())})  # fmt: skip
    monkeypatch.setattr(host_module, "entry_points", lambda **kwargs: [entry])
    assert main(["plugins", "--format", "json"]) == 0
    (analysis,) = json.loads(capsys.readouterr().out)["analyses"]
    assert analysis["rules"] == DEMO.rules
    assert analysis["rule_declarations"] == [
        {"id": "demo.orphan", "title": "Orphan component", "severity": "info",
         "source": "Demo guide §1", "description": ORPHAN.description},
        {"id": "demo.roleless", "title": "A person without a role.", "severity": "error",
         "source": "", "description": ""},
    ]  # fmt: skip
    assert analysis["options"] == {
        "mode": {"help": "how strict the check is", "choices": ["lenient", "strict"]},
        "limit": {"help": "at most this many findings", "choices": []},
    }
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "rule demo.roleless  (error)  A person without a role." in out
    orphan = out.splitlines().index("      rule demo.orphan  (info)  Orphan component")
    assert out.splitlines()[orphan + 1].strip() == ORPHAN.description  # the statement below
    assert "option mode=lenient|strict  how strict the check is" in out
    assert "option limit  at most this many findings" in out


@pytest.mark.parametrize(
    "choices",
    [{"speed": ["slow"]}, {"mode": []}, {"mode": "lenient"}],
    ids=["undeclared option", "no values", "a string, not a list"],
)
def test_choices_must_list_values_of_a_declared_option(choices: dict) -> None:
    with pytest.raises(stipa.ModelError, match="choices of"):
        stipa.Analysis(id="demo.bad", title="Bad", run=_check, options={"mode": "m"},
                       choices=choices)  # fmt: skip
    assert DEMO.choices == {"mode": ("lenient", "strict")}


# --- the fire/clear harness for plugin authors ----------------------------------------------------

CASES = RuleCases(DEMO)


@CASES.case("demo.orphan")
def _orphan() -> tuple[object, object]:
    def build() -> tuple[stipa.Document, None]:
        return _document("Pilot", "Aircraft"), None

    def clear(doc: stipa.Document, _: None) -> None:
        doc.add(stipa.Link(source="C-1", target="C-2", items=(stipa.LinkItem(name="Pitch"),)))

    return build, clear


def test_the_harness_runs_a_good_case_and_names_missing_ones() -> None:
    CASES.check("demo.orphan")
    assert CASES.missing() == ["demo.roleless"]
    assert CASES.ids() == ["demo.orphan"]


def test_the_harness_fails_a_case_that_does_not_fire_or_does_not_clear() -> None:
    cases = RuleCases(DEMO)
    cases.case("demo.roleless")(lambda: (lambda: (_document("Pilot"), None), lambda d, _: None))
    with pytest.raises(AssertionError, match=r"demo\.roleless did not fire"):
        cases.check("demo.roleless")
    cases = RuleCases(DEMO)
    cases.case("demo.orphan")(lambda: (lambda: (_document("Alone"), None), lambda d, _: None))
    with pytest.raises(AssertionError, match=r"demo\.orphan still fires after the edit"):
        cases.check("demo.orphan")
    with pytest.raises(ValueError, match="has a case already"):
        cases.case("demo.orphan")(lambda: (lambda: (_document(), None), lambda d, _: None))
