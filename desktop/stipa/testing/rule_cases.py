"""Rule cases for analysis authors: for every declared rule, a document where it fires and the
edit that clears it.

The built-in analyses are tested this way, rule by rule; an in-house analysis gets the same
harness (``from stipa.testing import RuleCases``), and the same guarantee: every rule it
declares has a case, fires where it should, says something, names records that exist, and
stops firing once the analyst fixes what it flagged.

Examples
--------
.. code-block:: python

    import pytest
    import stipa
    from stipa.testing import RuleCases

    import acme_ai_policy

    CASES = RuleCases(acme_ai_policy.stipa_analyses()[0])

    @CASES.case("acme.ai-purpose")
    def _purpose():
        def build():
            doc = stipa.Document()
            model = doc.add(stipa.Component(name="Triage", nature="ai_model"))
            return doc, model.id

        def clear(doc, model_id):
            doc.update(model_id, properties=[...])  # state the purpose

        return build, clear

    def test_every_rule_has_a_case():
        assert CASES.missing() == []

    @pytest.mark.parametrize("rule_id", CASES.ids())
    def test_rule_fires_and_the_edit_clears_it(rule_id):
        CASES.check(rule_id)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from stipa.model import Document, Finding, Suggestion
from stipa.operations.analyses import analyse
from stipa.plugin import Analysis, PluginHost

#: Builds a document where a rule fires, with anything the edit needs (ids, say).
Build = Callable[[], tuple[Document, Any]]
#: The edit that clears the rule: ``clear(document, what build returned beside it)``.
Clear = Callable[[Document, Any], None]


@dataclass(frozen=True)
class RuleCase:
    """Where one rule fires, and the edit that clears it."""

    rule: str
    build: Build
    clear: Clear
    #: The rule speaks of the whole document (a count, say) and names no records.
    about_document: bool = False

    def __iter__(self) -> Iterator[Any]:  # ``build, clear = cases[rule]``
        return iter((self.build, self.clear))


class RuleCases:
    """The rule cases of one analysis, registered with :meth:`case` and run with :meth:`check`.

    Parameters
    ----------
    analysis
        The analysis under test; its declared rules (``analysis.catalogue``) are the rules
        that need a case.
    """

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.cases: dict[str, RuleCase] = {}

    def case(
        self, rule_id: str, *, about_document: bool = False
    ) -> Callable[[Callable[[], tuple[Build, Clear]]], Callable[[], tuple[Build, Clear]]]:
        """Register ``make() -> (build, clear)`` as the case of ``rule_id`` (a decorator)."""

        def register(make: Callable[[], tuple[Build, Clear]]) -> Callable[[], tuple[Build, Clear]]:
            if rule_id in self.cases:
                raise ValueError(f"{rule_id} has a case already")
            build, clear = make()
            self.cases[rule_id] = RuleCase(rule_id, build, clear, about_document)
            return make

        return register

    def __getitem__(self, rule_id: str) -> RuleCase:
        return self.cases[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.cases)

    def ids(self) -> list[str]:
        """The rules with a case, sorted (for ``pytest.mark.parametrize``)."""
        return sorted(self.cases)

    def missing(self) -> list[str]:
        """Declared rules without a case, and cases of rules the analysis does not declare."""
        declared = set(self.analysis.catalogue)
        return sorted(declared ^ set(self.cases))

    def results(self, document: Document, rule_id: str) -> list[Finding | Suggestion]:
        """The findings and suggestions of ``rule_id`` the analysis returns for ``document``.

        The analysis runs the way the application runs it (worker thread, time limit, result
        validation); an analysis that fails or returns results Stipa refuses fails the check.
        """
        report = analyse(document, [self.analysis], host=PluginHost(), apply=False)
        outcome = report.outcomes[0]
        assert outcome.succeeded, f"{self.analysis.id} {outcome.status}: {outcome.message}\n" + (
            outcome.traceback
        )
        assert not outcome.problems, f"{self.analysis.id}: results refused: {outcome.problems}"
        found: list[Finding | Suggestion] = [f for f in outcome.findings if f.rule == rule_id]
        return found + [s for s in outcome.suggestions if s.rule == rule_id]

    def check(self, rule_id: str) -> None:
        """Build the case's document, see the rule fire, make the edit, see it stop firing.

        Raises
        ------
        AssertionError
            Saying what is wrong: the document is inconsistent, the rule does not fire,
            a result has no message, names records that do not exist or (a finding) has no
            source, or the rule still fires after the edit.
        """
        case = self.cases[rule_id]
        document, extra = case.build()
        assert document.check() == [], f"{rule_id}: the case's document is inconsistent"
        fired = self.results(document, rule_id)
        assert fired, f"{rule_id} did not fire"
        for result in fired:
            assert result.message.strip(), f"{rule_id}: a result without a message"
            assert result.plugin == self.analysis.id
            if not case.about_document:
                missing = [t for t in result.targets if t not in document]
                assert result.targets and not missing, (
                    f"{rule_id}: a result must name the records it is about ({result.targets})"
                )
            if isinstance(result, Finding):
                assert result.source, f"{rule_id}: a finding without a source"
        case.clear(document, extra)
        assert document.check() == [], f"{rule_id}: the clearing edit left an inconsistency"
        assert self.results(document, rule_id) == [], f"{rule_id} still fires after the edit"
