"""Built-in plugin ``stipa.hazards``: hazard enumeration and STPA consistency checks.

One analysis, "Hazard enumeration and STPA checks", produces:

* **candidate UCAs** (suggestions, rule ``stpa.candidate-uca``) for every control action a
  controller sends, per UCA type, worded in the Handbook's format ("BSCU Autobrake provides
  Brake when Aircraft state = takeoff roll [H-4.3, H-4.6]"). Where the action has a context
  table (rules over the controller's process-model variables, Thomas 2013), there is one
  candidate per hazardous rule, with the rule's context and hazards. A type without rules and
  without any UCA gets one template candidate (context ``"when <context>"``) traced to the
  hazards the controller is responsible for (responsibility -> constraint -> hazard), for the
  analyst to accept and complete, or to answer by recording the type as not applicable.
  Candidates that equal an existing UCA (action, type, context) are not proposed again, and
  the host keeps rejected ones with their rationale, so a re-run does not nag. A context-table
  candidate stays open even when an accepted UCA of the same type says the same thing in
  other words: only the analyst can tell, by rejecting it ("covered by UCA-2");
* **context-table checks** (findings): conflicts, undecided contexts, duplicate and
  overlapping rules, each naming the rows ("trainSpeed=moving, doorState=open");
* **controller-constraint drafts** (suggestions) for accepted UCAs without a constraint, by
  inversion ("... must not provide Brake during a normal takeoff"), traced to the UCA;
* **loss-scenario drafts** (suggestions, rule ``stpa.scenario-prompt``) per accepted UCA,
  one per causal-factor category the UCA has no scenario of yet, written on the real loop:
  the controller's process-model variables and the controllers above it; the feedback arrows
  and sensors that tell it about the process; the actuators and control path; the other
  controllers acting on the same process;
* **STPA consistency checks** (STPA.md §3) and **AI-system checks** (STPA.md §5), findings
  with one rule id each (see ``RULES``).

Why scenario prompts are suggestions, not info findings: a prompt is only useful if it ends
in a scenario record traced to its UCA. As a suggestion it already is that record, written
as a story on this loop ("... because the feedback that tells BSCU Autobrake about the
Wheels is missing, delayed, inaccurate or not in the design: "Wheel speed" from Wheel speed
sensors ..."), so the analyst accepts and edits it into the real scenario in one step, or
rejects it with a rationale ("the sensor is triplicated, see LS-4") that stays in the file as
the trail. Info findings would repeat four times per UCA in the findings panel, mixed with
the problems that need a disposition, and still leave the scenario to be typed by hand.
The ``stpa.uca-without-scenario`` finding keeps the gap visible until a scenario exists.

Every lookup is built once per run (``hazards_model.Index``: links by source and target,
actions by item...), so the analysis is linear in the size of the document. Context tables
are :class:`stipa.ContextTable` (the workbench uses the same one); ``Pattern`` and ``Row``
are kept here as names for ``stipa.ContextPattern`` and ``stipa.ContextRow``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import stipa
from stipa import Analysis, AnalysisContext, ContextTable, Finding, Suggestion
from stipa import ContextPattern as Pattern
from stipa import ContextRow as Row
from stipa_builtins.hazards_checks import (
    DECLARED,
    DIRECT,
    FEEDBACK_OPTION,
    INDIRECT,
    OPTIONS,
    RULES,
    SOURCES,
    TITLES,
    ai_checks,
    consistency_checks,
    context_table_checks,
    is_general_purpose,
)
from stipa_builtins.hazards_model import Index, constraint_text, uca_sentence
from stipa_builtins.hazards_suggest import (
    PLACEHOLDER,
    candidate_ucas,
    constraint_drafts,
    scenario_prompts,
)
from stipa_builtins.hazards_suggest import SOURCES as SUGGESTION_SOURCES

__all__ = [
    "ANALYSIS_ID",
    "PLACEHOLDER",
    "RULES",
    "SOURCES",
    "SUGGESTION_SOURCES",
    "TITLES",
    "ContextTable",
    "Pattern",
    "Row",
    "analysis",
    "constraint_text",
    "context_table",
    "is_general_purpose",
    "run",
    "stipa_analyses",
    "uca_sentence",
]

Output = Finding | Suggestion

#: The analysis id; findings and suggestions carry it as their ``plugin``.
ANALYSIS_ID = "stipa.hazards"


def context_table(snapshot: stipa.DocumentView, action_id: str) -> ContextTable | None:
    """The context table of a control action: its controller's process-model variables.

    Returns None when ``action_id`` is not a control-action item of the document.
    """
    found = snapshot.control_action(action_id)
    if found is None:
        return None
    controller = snapshot.components.get(found[0].source)
    return ContextTable(controller.variables) if controller is not None else None


def run(context: AnalysisContext) -> Iterator[Output]:
    """The whole analysis on ``context.snapshot``: suggestions first, then findings."""
    index = Index(context.snapshot)
    phases: tuple[tuple[str, Callable[[AnalysisContext, Index], Iterable[Output]]], ...] = (
        ("candidate UCAs", candidate_ucas),
        ("controller-constraint drafts", constraint_drafts),
        ("loss-scenario drafts", scenario_prompts),
        ("context tables", context_table_checks),
        ("STPA consistency", consistency_checks),
        ("AI-system checks", ai_checks),
    )
    for number, (label, phase) in enumerate(phases):
        context.progress(number / len(phases), label)
        context.check_cancelled()
        yield from phase(context, index)
    context.progress(1.0, "done")


def analysis() -> Analysis:
    """The :class:`stipa.Analysis` this plugin declares."""
    return Analysis(
        id=ANALYSIS_ID,
        title="Hazard enumeration and STPA checks",
        run=run,
        description=(
            "Proposes candidate unsafe control actions (from context tables where they "
            "exist), controller-constraint drafts and loss-scenario drafts on the real control "
            "loop; checks context tables (conflicts, undecided contexts, overlapping rules), "
            "the consistency of the STPA records and the control structure (STPA Handbook), "
            "and AI-specific design flaws (reliability as safety, general-purpose models, "
            "post-hoc filters). Option feedback=indirect (default) or feedback=direct: whether "
            "feedback relayed by other controllers counts for stpa.missing-feedback."
        ),
        rules=DECLARED,
        options=OPTIONS,
        choices={FEEDBACK_OPTION: (INDIRECT, DIRECT)},
    )


@stipa.hookimpl
def stipa_analyses() -> Sequence[Analysis]:
    """Declare the hazard-enumeration analysis."""
    return [analysis()]
