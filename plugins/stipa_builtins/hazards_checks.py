"""The findings of ``stipa.hazards``: context tables, STPA consistency, AI-system checks.

Each check is a generator of :class:`stipa.Finding` records over the run's :class:`Index`;
``RULES`` says what every rule checks, ``TITLES`` names it, ``SOURCES`` names where it comes
from, and ``DECLARED`` is all three as the analysis's rule declarations.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence

from stipa import (
    AnalysisContext,
    Component,
    ComponentKind,
    ContextPattern,
    ContextRule,
    ContextTable,
    Finding,
    LinkKind,
    Nature,
    Rule,
    Severity,
    UCAStatus,
    UCAType,
)
from stipa_builtins.hazards_model import TYPE_WORDS, Index, label, listing
from stipa_builtins.hazards_suggest import PLACEHOLDER

__all__ = [
    "DECLARED",
    "DIRECT",
    "FEEDBACK_OPTION",
    "INDIRECT",
    "OPTIONS",
    "RULES",
    "SOURCES",
    "TITLES",
    "ai_checks",
    "consistency_checks",
    "context_table_checks",
    "is_general_purpose",
]

_HANDBOOK = "STPA Handbook (Leveson & Thomas, 2018)"
_THOMAS = "Thomas, MIT PhD thesis (2013), context tables"
_REVIEW = f"{_HANDBOOK}, ch. 2, step 2: control-structure review (p. 34)"
_STEP1 = f"{_HANDBOOK}, ch. 2, step 1: losses and system-level hazards"
_STEP3 = f"{_HANDBOOK}, ch. 2, step 3: unsafe control actions"
_BRIEF = "Dobbe, 'AI Safety is Stuck in Technical Terms', policy brief, TU Delft (2025)"
_DOBBE = "Dobbe, 'System Safety and Artificial Intelligence', arXiv 2202.09292 (2022)"

#: Rule id -> what it checks (for the plugins panel and the documentation).
RULES: dict[str, str] = {
    "stpa.candidate-uca": "Candidate UCAs per control action and type, from the context table "
    "where there is one (suggestions).",
    "stpa.draft-controller-constraint": "A controller-constraint draft for each accepted UCA "
    "without one, by inversion (suggestions).",
    "stpa.scenario-prompt": "Loss-scenario drafts per accepted UCA, one per causal-factor "
    "category, written on the real control loop (suggestions).",
    "stpa.context-conflict": "A context hazardous both when the action is provided and when it "
    "is not: no safe choice exists.",
    "stpa.context-undecided": "Contexts of a control action's table that no rule decides.",
    "stpa.context-duplicate-rules": "Two rules of the same type with the same context.",
    "stpa.context-overlapping-rules": "Two rules of the same type whose contexts overlap or nest.",
    "stpa.uncontrolled-process": "A controlled process no controller acts on.",
    "stpa.action-not-from-controller": "A control action that does not start at a controller "
    "(or at an actuator a controller commands).",
    "stpa.missing-feedback": "A control action without feedback from what it acts on. Option "
    "feedback=indirect (the default): feedback relayed by sensors or other controllers counts; "
    "feedback=direct: only feedback from the process itself, through a sensor if any, counts.",
    "stpa.indirect-feedback": "A controller that learns about a process it acts on only "
    "through another controller (option feedback=indirect): check that this is enough.",
    "stpa.undecided-uca-types": "A control action with UCA types neither accepted nor marked "
    "not applicable.",
    "stpa.uca-without-hazard": "A UCA that traces to no hazard.",
    "stpa.uca-without-constraint": "An accepted UCA without a controller constraint.",
    "stpa.uca-without-scenario": "An accepted UCA without a loss scenario.",
    "stpa.hazard-without-loss": "A hazard that traces to no loss (itself or through its parent).",
    "stpa.unreferenced-loss": "A loss no hazard traces to.",
    "stpa.sub-hazard-scope": "A sub-hazard tracing to losses its parent does not.",
    "stpa.hazard-text": "Hazard wording: a cause or component failure rather than a system "
    "state, or the words 'unsafe', 'unintended', 'accidental'.",
    "stpa.hazard-count": "More than about 10 system-level hazards before refinement.",
    "stpa.placeholder-label": "Placeholder names ('control action', 'feedback', 'Controller "
    "1', a '<context>' left in a UCA).",
    "stpa.ai-reliability-only": "A hazard mitigated only by the reliability of an AI model.",
    "stpa.ai-general-purpose": "A general-purpose AI model controlling a process traced to "
    "hazards. Only components of nature ai_model count: software that mentions a "
    "general-purpose model (a chat service wrapping an LLM) is not the model.",
    "stpa.ai-filter-only-control": "Output filters or fine-tuning as the only control on an AI "
    "model.",
}

#: Rule id -> its name, short (the findings table's Rule column, filters and reports).
TITLES: dict[str, str] = {
    "stpa.candidate-uca": "Candidate UCAs",
    "stpa.draft-controller-constraint": "Draft controller constraint",
    "stpa.scenario-prompt": "Loss-scenario drafts",
    "stpa.context-conflict": "Conflicting context",
    "stpa.context-undecided": "Undecided contexts",
    "stpa.context-duplicate-rules": "Duplicate context rules",
    "stpa.context-overlapping-rules": "Overlapping context rules",
    "stpa.uncontrolled-process": "Uncontrolled process",
    "stpa.action-not-from-controller": "Control action not from a controller",
    "stpa.missing-feedback": "Missing feedback",
    "stpa.indirect-feedback": "Feedback only via another controller",
    "stpa.undecided-uca-types": "Undecided UCA types",
    "stpa.uca-without-hazard": "UCA without hazard",
    "stpa.uca-without-constraint": "UCA without controller constraint",
    "stpa.uca-without-scenario": "UCA without loss scenario",
    "stpa.hazard-without-loss": "Hazard without loss",
    "stpa.unreferenced-loss": "Loss without hazard",
    "stpa.sub-hazard-scope": "Sub-hazard beyond its parent",
    "stpa.hazard-text": "Hazard wording",
    "stpa.hazard-count": "Too many system-level hazards",
    "stpa.placeholder-label": "Placeholder name",
    "stpa.ai-reliability-only": "AI reliability as only mitigation",
    "stpa.ai-general-purpose": "General-purpose AI in control",
    "stpa.ai-filter-only-control": "Filters as only AI control",
}

#: Rule id -> the Handbook section or paper the rule comes from (STPA.md §7).
SOURCES: dict[str, str] = {
    "stpa.context-conflict": f"{_THOMAS}: conflicting contexts",
    "stpa.context-undecided": f"{_THOMAS}: completeness",
    "stpa.context-duplicate-rules": f"{_THOMAS}: duplicate and overlapping rules",
    "stpa.context-overlapping-rules": f"{_THOMAS}: duplicate and overlapping rules",
    "stpa.uncontrolled-process": _REVIEW,
    "stpa.action-not-from-controller": _REVIEW,
    "stpa.missing-feedback": f"{_REVIEW}; Leveson, Engineering a Safer World (2011): "
    "process models need feedback",
    "stpa.indirect-feedback": f"{_REVIEW}; Leveson, Engineering a Safer World (2011), ch. 9: "
    "feedback relayed by another controller arrives late or filtered by that controller's "
    "process model",
    "stpa.undecided-uca-types": f"{_STEP3} (the four types)",
    "stpa.uca-without-hazard": f"{_STEP3} (UCA format: every UCA names its hazards)",
    "stpa.uca-without-constraint": f"{_STEP3} (controller constraints, each UCA inverted)",
    "stpa.uca-without-scenario": f"{_HANDBOOK}, ch. 2, step 4: loss scenarios",
    "stpa.hazard-without-loss": f"{_STEP1} (every hazard traces to losses)",
    "stpa.unreferenced-loss": f"{_STEP1} (traceability of losses)",
    "stpa.sub-hazard-scope": f"{_STEP1} (refining hazards into sub-hazards)",
    "stpa.hazard-text": f"{_STEP1} (hazards are system states, not component failures)",
    "stpa.hazard-count": f"{_STEP1} (about 7 to 10 system-level hazards)",
    "stpa.placeholder-label": f"{_REVIEW} (labels carry functional content)",
    "stpa.ai-reliability-only": f"{_BRIEF}, §6.3 'AI safety is misunderstood as model "
    f"reliability'; Leveson, Engineering a Safer World (2011), ch. 2",
    "stpa.ai-general-purpose": f"{_BRIEF}, §6.7 'the curse of flexibility' and §7; {_DOBBE}",
    "stpa.ai-filter-only-control": f"{_BRIEF}, §6.6 'Safety can only be designed into/across "
    f"systems, never solely into AI models'",
}

#: Rules whose findings are not warnings unless a check says so (None: suggestions only).
_SEVERITY: dict[str, Severity | None] = {
    "stpa.candidate-uca": None,
    "stpa.draft-controller-constraint": None,
    "stpa.scenario-prompt": None,
    "stpa.context-conflict": Severity.ERROR,
    "stpa.hazard-count": Severity.INFO,
    "stpa.indirect-feedback": Severity.INFO,
    "stpa.placeholder-label": Severity.INFO,
}
#: The rule declarations of the analysis (``Analysis.rules``): the titles of ``TITLES``, the
#: texts of ``RULES`` as descriptions, the sources of ``SOURCES``.
DECLARED: tuple[Rule, ...] = tuple(
    Rule(
        rule,
        TITLES[rule],
        _SEVERITY.get(rule, Severity.WARNING),
        SOURCES.get(rule, ""),
        description=text,
    )
    for rule, text in RULES.items()
)

#: The analysis option saying which feedback counts for ``stpa.missing-feedback``.
FEEDBACK_OPTION = "feedback"
#: Its values: feedback relayed by other controllers counts (the default), or it does not.
INDIRECT, DIRECT = "indirect", "direct"
#: The help text of each option (``Analysis.description`` and the rule text repeat it).
OPTIONS: dict[str, str] = {
    FEEDBACK_OPTION: "which feedback counts for stpa.missing-feedback: 'indirect' (default; "
    "relayed by sensors or other controllers) or 'direct' (from the process, through a sensor "
    "if any)",
}

#: Concrete rows are listed in a finding when there are at most this many.
ROW_LIST_LIMIT = 12
#: Patterns shown in a message / kept in a finding's data before "... and N more".
MESSAGE_PATTERNS = 6
DATA_PATTERNS = 100


def _finding(
    context: AnalysisContext,
    rule: str,
    message: str,
    targets: Iterable[str],
    severity: Severity = Severity.WARNING,
    data: dict[str, object] | None = None,
) -> Finding:
    return context.finding(
        rule,
        message,
        targets=tuple(dict.fromkeys(t for t in targets if t)),
        severity=severity,
        source=SOURCES[rule],
        data=data,
    )


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


# --- context tables ---------------------------------------------------------------------------


def _rows(table: ContextTable, patterns: Sequence[ContextPattern]) -> tuple[str, dict[str, object]]:
    """Name the rows of disjoint ``patterns``: for the message, and as finding data."""
    count = table.total(patterns)
    data: dict[str, object] = {"count": count, "table_size": table.size}
    described = [table.describe(p) for p in patterns]
    more = len(described) - DATA_PATTERNS
    data["contexts"] = "; ".join(described[:DATA_PATTERNS]) + (
        f"; … and {more} more" if more > 0 else ""
    )
    if count <= ROW_LIST_LIMIT:
        rows = [table.describe(row) for p in patterns for row in table.expand(p)]
        data["rows"] = "; ".join(rows)
        return "; ".join(rows), data
    shown = "; ".join(described[:MESSAGE_PATTERNS])
    if len(described) > MESSAGE_PATTERNS:
        shown += f"; … and {len(described) - MESSAGE_PATTERNS} more patterns"
    return f"{shown} (variables not named: any value)", data


def context_table_checks(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    """Conflicts, undecided rows and overlapping rules of every control action with rules."""
    for number, action_id in enumerate(index.rules_of_action.keys()):
        if number % 256 == 0:
            context.check_cancelled()
        rules = index.rules_of_action.get(action_id)
        found = index.action(action_id)
        if found is None or found[0].source not in index.components:
            continue
        link, item = found
        table = index.table(link.source)
        what = f"{index.name(link.source)}'s {item.name}"
        patterns = [(rule, table.pattern(rule.conditions)) for rule in rules]
        yield from _conflicts(context, table, what, action_id, link.source, patterns)
        yield from _undecided(context, table, what, action_id, link.source, patterns)
        yield from _overlaps(context, table, what, action_id, patterns)


_Ruled = list[tuple[ContextRule, ContextPattern | None]]


def _conflicts(
    context: AnalysisContext,
    table: ContextTable,
    what: str,
    action_id: str,
    controller_id: str,
    patterns: _Ruled,
) -> Iterator[Finding]:
    provided = [(r, p) for r, p in patterns if r.type == UCAType.PROVIDED and r.hazardous]
    withheld = [(r, p) for r, p in patterns if r.type == UCAType.NOT_PROVIDED and r.hazardous]
    shared: list[ContextPattern] = []
    involved: dict[str, None] = {}
    for r1, p1 in provided:
        for r2, p2 in withheld:
            if p1 is None or p2 is None:
                continue
            both = table.intersect(p1, p2)
            if both is not None:
                shared.append(both)
                involved.update({r1.id: None, r2.id: None})
    if not shared:
        return
    rows = table.union(shared)
    named, data = _rows(table, rows)
    data["rules"] = ", ".join(involved)
    count, size = data["count"], data["table_size"]
    yield _finding(
        context,
        "stpa.context-conflict",
        f"Context-table conflict for {what}: {count} of {size} contexts are hazardous both "
        f"when it is provided and when it is not ({listing(list(involved))}): {named}. "
        "The controller has no safe choice there; the design must change.",
        (action_id, controller_id, *involved),
        Severity.ERROR,
        data,
    )


def _undecided(
    context: AnalysisContext,
    table: ContextTable,
    what: str,
    action_id: str,
    controller_id: str,
    patterns: _Ruled,
) -> Iterator[Finding]:
    ruled = {rule.type for rule, _ in patterns}
    columns = [UCAType.PROVIDED, UCAType.NOT_PROVIDED]
    columns += [t for t in (UCAType.TIMING, UCAType.DURATION) if t in ruled]
    parts: list[str] = []
    data: dict[str, object] = {}
    for column in columns:
        decided = [p for r, p in patterns if r.type == column and p is not None]
        left = table.difference([table.everything], decided)
        if not left:
            continue
        named, column_data = _rows(table, left)
        parts.append(
            f"{TYPE_WORDS[column]}: {column_data['count']} of {table.size} contexts ({named})"
        )
        data.update({f"{column.value}.{key}": value for key, value in column_data.items()})
    if not parts:
        return
    yield _finding(
        context,
        "stpa.context-undecided",
        f"The context table of {what} leaves contexts undecided — {' | '.join(parts)}. "
        "Add rules (hazardous or not) that decide them.",
        (action_id, controller_id),
        Severity.WARNING,
        data,
    )


def _overlaps(
    context: AnalysisContext, table: ContextTable, what: str, action_id: str, patterns: _Ruled
) -> Iterator[Finding]:
    by_type: dict[UCAType, list[tuple[ContextRule, ContextPattern]]] = {}
    for rule, pattern in patterns:
        if pattern is not None:
            by_type.setdefault(rule.type, []).append((rule, pattern))
    for uca_type, ruled in by_type.items():
        for i, (r1, p1) in enumerate(ruled):
            for r2, p2 in ruled[i + 1 :]:
                both = table.intersect(p1, p2)
                if both is None:
                    continue
                agree = r1.hazardous == r2.hazardous
                verdict = (
                    "and agree"
                    if agree
                    else "but contradict each other: one says hazardous, the other not"
                )
                named, data = _rows(table, [both])
                data["type"] = uca_type.value
                if table.same(p1, p2):
                    rule_id = "stpa.context-duplicate-rules"
                    message = (
                        f"Context rules {r1.id} and {r2.id} of {what} ({TYPE_WORDS[uca_type]}) "
                        f"have the same context ({table.describe(p1)}) {verdict}."
                    )
                    severity = Severity.WARNING if agree else Severity.ERROR
                else:
                    rule_id = "stpa.context-overlapping-rules"
                    if table.contains(p1, p2) or table.contains(p2, p1):
                        inner, outer = (r2, r1) if table.contains(p1, p2) else (r1, r2)
                        shape = f"{inner.id} lies within {outer.id}"
                    else:
                        shape = "they overlap"
                    message = (
                        f"Context rules {r1.id} and {r2.id} of {what} ({TYPE_WORDS[uca_type]}): "
                        f"{shape} in {data['count']} contexts ({named}) {verdict}."
                    )
                    severity = Severity.INFO if agree else Severity.ERROR
                yield _finding(context, rule_id, message, (action_id, r1.id, r2.id), severity, data)


# --- STPA consistency (STPA.md §3) -------------------------------------------------------------

_VAGUE = re.compile(r"\b(unsafe(ly)?|unintended|accidental(ly)?)\b", re.IGNORECASE)
_FAILURE = re.compile(
    r"\b(fail(s|ed|ing|ure|ures)?|malfunction(s|ed|ing)?|broken|breaks? down|faulty|"
    r"defective|errors?|mistakes?|distracted|inattentive)\b",
    re.IGNORECASE,
)
#: More system-level hazards than this before refinement is "too many" (Handbook: 7-10).
HAZARD_COUNT_LIMIT = 10
#: Names that carry no functional content (compared without case and trailing numbers).
_PLACEHOLDER_ITEMS = {
    "action",
    "command",
    "commands",
    "control",
    "control action",
    "control actions",
    "data",
    "feedback",
    "info",
    "information",
    "input",
    "message",
    "output",
    "signal",
    "status",
    "tbd",
    "todo",
    "?",
}
_PLACEHOLDER_COMPONENTS = {
    "actuator",
    "affected party",
    "ai model",
    "component",
    "controlled process",
    "controller",
    "human operator",
    "lay user",
    "new component",
    "organisation",
    "process",
    "regulator",
    "sensor",
    "tbd",
    "todo",
    "untitled",
    "?",
}
_TRAILING_NUMBER = re.compile(r"[\s_-]*\d*\s*$")


@functools.lru_cache(maxsize=4096)
def _bare(name: str) -> str:
    return _TRAILING_NUMBER.sub("", " ".join(name.split()).casefold()).strip(" .:-_")


def _placeholder(name: str, words: set[str]) -> bool:
    bare = _bare(name)
    return bare in words or not bare


def consistency_checks(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    """The control-structure, UCA and hazard checks of STPA.md §3."""
    yield from _structure(context, index)
    context.check_cancelled()
    yield from _uca_checks(context, index)
    context.check_cancelled()
    yield from _hazard_checks(context, index)
    context.check_cancelled()
    yield from _placeholders(context, index)


def _commanded(index: Index, component_id: str) -> bool:
    """Whether a controller's control actions reach the component (through actuators too)."""
    seen: set[str] = set()
    stack = [component_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for link in index.links_to(current, LinkKind.CONTROL_ACTION):
            source = index.components.get(link.source)
            if source is None:
                continue
            if source.kind == ComponentKind.CONTROLLER:
                return True
            if source.kind == ComponentKind.ACTUATOR:
                stack.append(source.id)
    return False


def _structure(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for component in index.components.values():
        if component.kind == ComponentKind.CONTROLLED_PROCESS and not _commanded(
            index, component.id
        ):
            yield _finding(
                context,
                "stpa.uncontrolled-process",
                f"No controller acts on the controlled process {component.name}: no control "
                "action reaches it from a controller, directly or through an actuator. Draw "
                "its controller, or make it an external component if nobody controls it.",
                (component.id,),
            )
    succ: dict[str, set[str]] = {}
    for link in index.snapshot.links.values():
        if link.kind in (LinkKind.FEEDBACK, LinkKind.INFORMATION):
            succ.setdefault(link.source, set()).add(link.target)
    relays: dict[str, bool] = {}
    mode = _feedback_mode(context)
    for link in index.snapshot.links.values():
        if link.kind != LinkKind.CONTROL_ACTION:
            continue
        source = index.components.get(link.source)
        if source is None:
            continue
        target = index.name(link.target)
        if source.kind == ComponentKind.ACTUATOR:
            commanded = relays.get(source.id)
            if commanded is None:
                commanded = relays[source.id] = _commanded(index, source.id)
            if not commanded:
                yield _finding(
                    context,
                    "stpa.action-not-from-controller",
                    f"The actuator {source.name} sends {label(link)} to {target}, but no "
                    "controller commands it: a control action starts at a controller. Draw "
                    f"the controller that commands {source.name}.",
                    (link.id, source.id),
                )
            continue
        if source.kind != ComponentKind.CONTROLLER:
            yield _finding(
                context,
                "stpa.action-not-from-controller",
                f"{source.name} ({source.kind.value.replace('_', ' ')}) sends the control "
                f"action {label(link)} to {target}, but control actions start at a "
                f"controller. Make {source.name} a controller, or draw the link as feedback "
                "or information.",
                (link.id, source.id),
            )
            continue
        path, reached = index.reach(link)
        ends = list(dict.fromkeys((link.target, *path, *reached)))
        route = _feedback_route(source.id, ends, succ, index)
        if route is None or (route and mode == DIRECT):
            seen = listing([index.name(e) for e in ends], conjunction="or")
            how = (
                "directly or through a sensor; feedback relayed by "
                f"{listing([index.name(r) for r in route])} does not count in direct mode"
                if route
                else "directly or through a sensor or another component"
            )
            yield _finding(
                context,
                "stpa.missing-feedback",
                f"{source.name} sends {label(link)} to {target} but gets no feedback from "
                f"{seen} ({how}): it acts blind, and its process model cannot be updated.",
                (link.id, source.id, link.target),
                data={"mode": mode},
            )
        elif route:
            relayed = " → ".join(index.name(r) for r in route)
            whose = "that controller's" if len(route) == 1 else "those controllers'"
            yield _finding(
                context,
                "stpa.indirect-feedback",
                f"{source.name} acts on {target} ({label(link)}) but learns about it only "
                f"through {relayed}: check that this is enough — what reaches it is shaped by "
                f"{whose} own process model and may arrive late.",
                (link.id, source.id, link.target, *route),
                Severity.INFO,
                data={"relays": ", ".join(route)},
            )


def _feedback_mode(context: AnalysisContext) -> str:
    """The ``feedback`` option: ``indirect`` unless the user asked for ``direct``."""
    mode = context.options.get(FEEDBACK_OPTION, INDIRECT).strip().casefold() or INDIRECT
    if mode not in (INDIRECT, DIRECT):
        raise ValueError(f"Option {FEEDBACK_OPTION}={mode!r}: expected {INDIRECT!r} or {DIRECT!r}.")
    return mode


def _feedback_route(
    controller: str, ends: Sequence[str], succ: dict[str, set[str]], index: Index
) -> list[str] | None:
    """How feedback from one of ``ends`` reaches the controller (at most three links).

    ``[]`` when it comes directly or through components that are not controllers (a
    sensor); the relaying controllers when it comes only through other controllers;
    ``None`` when it does not come at all.
    """
    relayed: list[str] | None = None

    def relay(component_id: str) -> bool:
        found = index.components.get(component_id)
        return component_id != controller and (
            found is not None and found.kind == ComponentKind.CONTROLLER
        )

    for end in ends:
        first = succ.get(end, set())
        if controller in first:
            return []
        for middle in sorted(first):
            second = succ.get(middle, set())
            if controller in second:
                if not relay(middle):
                    return []
                relayed = relayed or [middle]
            for last in sorted(second):
                if controller in succ.get(last, set()) and last != controller:
                    through = [m for m in (middle, last) if relay(m)]
                    if not through:
                        return []
                    if relayed is None or len(through) < len(relayed):
                        relayed = through
    return relayed


def _uca_checks(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for controller, _link, item in index.controller_actions():
        decided = index.decided_types(item.id)
        missing = [t for t in UCAType if t not in decided]
        if missing:
            words = "; ".join(TYPE_WORDS[t] for t in missing)
            yield _finding(
                context,
                "stpa.undecided-uca-types",
                f"{controller.name}'s control action {item.name!r}: no decision yet for "
                f"{len(missing)} of 4 UCA types ({words}). For each, accept a UCA or record "
                "one as not applicable with a rationale.",
                (item.id, controller.id),
                data={"missing": ", ".join(t.value for t in missing)},
            )
    for uca in index.snapshot.ucas.values():
        if uca.status == UCAStatus.NOT_APPLICABLE:
            continue
        sentence = index.sentence(uca, with_hazards=False)
        if not uca.hazards:
            yield _finding(
                context,
                "stpa.uca-without-hazard",
                f"{uca.id} ({sentence}) traces to no hazard: every UCA names the hazards it "
                "leads to.",
                (uca.id,),
            )
        if uca.status != UCAStatus.ACCEPTED:
            continue
        if uca.id not in index.constraints_of_uca:
            yield _finding(
                context,
                "stpa.uca-without-constraint",
                f"{uca.id} ({sentence}) has no controller constraint; invert it (a draft is "
                "suggested).",
                (uca.id,),
            )
        if uca.id not in index.scenarios_of_uca:
            yield _finding(
                context,
                "stpa.uca-without-scenario",
                f"{uca.id} ({sentence}) has no loss scenario explaining how it could happen "
                "(drafts are suggested per causal-factor category).",
                (uca.id,),
            )


def _effective_losses(index: Index, hazard_id: str) -> tuple[str, ...]:
    hazard = index.hazards[hazard_id]
    if hazard.losses:
        return hazard.losses
    for ancestor in index.ancestors(hazard_id):
        if ancestor.losses:
            return ancestor.losses
    return ()


def _hazard_checks(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    referenced: set[str] = set()
    top_level = 0
    for hazard in index.hazards.values():
        referenced.update(hazard.losses)
        if hazard.parent is None:
            top_level += 1
        if not _effective_losses(index, hazard.id):
            yield _finding(
                context,
                "stpa.hazard-without-loss",
                f"{hazard.id} {_quote(hazard.text)} traces to no loss (nor does the hazard it "
                "refines): a hazard matters because it can lead to a loss.",
                (hazard.id,),
            )
        parent = index.hazards.get(hazard.parent) if hazard.parent is not None else None
        if parent is not None and hazard.losses:
            scope = set(_effective_losses(index, parent.id))
            outside = [loss for loss in hazard.losses if loss not in scope]
            if scope and outside:
                yield _finding(
                    context,
                    "stpa.sub-hazard-scope",
                    f"{hazard.id} refines {parent.id} but traces to {listing(outside)}, which "
                    f"{parent.id} does not: a sub-hazard stays within its parent's losses. "
                    f"Trace {parent.id} to {listing(outside)} too, or move {hazard.id}.",
                    (hazard.id, parent.id, *outside),
                    data={"outside": ", ".join(outside)},
                )
        reasons = []
        failure = _FAILURE.search(hazard.text)
        if failure:
            reasons.append(
                f"'{failure.group(0)}' describes a cause or a component failure, not a system state"
            )
        vague = _VAGUE.search(hazard.text)
        if vague:
            reasons.append(f"'{vague.group(0)}' says nothing about which state is hazardous")
        if reasons:
            yield _finding(
                context,
                "stpa.hazard-text",
                f"{hazard.id} {_quote(hazard.text)}: {'; '.join(reasons)}. Write the hazard as "
                "a system state that leads to a loss in worst-case conditions.",
                (hazard.id,),
                data={"words": ", ".join(m.group(0) for m in (failure, vague) if m)},
            )
    for loss in index.snapshot.losses.values():
        if loss.id not in referenced:
            yield _finding(
                context,
                "stpa.unreferenced-loss",
                f"No hazard traces to {loss.id} {_quote(loss.text)}: a hazard is missing, or "
                "the loss is outside the analysis.",
                (loss.id,),
            )
    if top_level > HAZARD_COUNT_LIMIT:
        yield _finding(
            context,
            "stpa.hazard-count",
            f"{top_level} system-level hazards before refinement; the Handbook suggests about "
            "7 to 10. Group them at the system level and refine into sub-hazards.",
            (),
            Severity.INFO,
            data={"count": top_level},
        )


def _placeholders(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for component in index.components.values():
        if _placeholder(component.name, _PLACEHOLDER_COMPONENTS):
            yield _finding(
                context,
                "stpa.placeholder-label",
                f"The {component.kind.value.replace('_', ' ')} {component.name!r} has a "
                "placeholder name; name what it is (e.g. 'Door controller', 'Train doors').",
                (component.id,),
                Severity.INFO,
            )
    for link in index.snapshot.links.values():
        kind = link.kind.value.replace("_", " ")
        for item in link.items:
            if _placeholder(item.name, _PLACEHOLDER_ITEMS):
                yield _finding(
                    context,
                    "stpa.placeholder-label",
                    f"The {kind} {item.name!r} from {index.name(link.source)} to "
                    f"{index.name(link.target)} is a placeholder; name what it carries (e.g. "
                    "'Open doors', 'Door position').",
                    (item.id, link.id),
                    Severity.INFO,
                )
    for uca in index.snapshot.ucas.values():
        if PLACEHOLDER in uca.context:
            yield _finding(
                context,
                "stpa.placeholder-label",
                f"{uca.id} still reads {_quote(uca.context)}: replace {PLACEHOLDER} with the "
                "context that makes the control action hazardous.",
                (uca.id,),
                Severity.WARNING,
            )


# --- AI systems (STPA.md §5) ------------------------------------------------------------------

_GENERAL = re.compile(
    r"general[- ]purpose|foundation model|large language model|\bLLMs?\b|\bGPAI\b",
    re.IGNORECASE,
)
_GENERAL_PROPERTY = re.compile(r"general|purpose|gpai", re.IGNORECASE)
_TRUE = {"true", "yes", "1", "general-purpose", "general purpose"}
_POST_HOC = re.compile(
    r"\bfilter|guardrail|moderat|safety classifier|content classifier|fine[- ]?tun|\bRLHF\b|"
    r"reinforcement learning from human feedback",
    re.IGNORECASE,
)


def _text_of(component: Component) -> str:
    return f"{component.name}\n{component.role}\n{component.description}"


def is_general_purpose(component: Component) -> bool:
    """Whether a component is a general-purpose AI model (a plugin-independent heuristic).

    An ``ai_model`` component is general-purpose when its name, role or description says
    "general-purpose", "foundation model", "large language model", "LLM" or "GPAI", or when
    a property of any plugin says so (a property whose name mentions "general", "purpose"
    or "GPAI" set to true/yes, or a property value with one of those words). A component of
    another nature never is, whatever its text mentions: software wrapping a general-purpose
    model is not the model, which is drawn as its own ``ai_model`` component.
    """
    if component.nature != Nature.AI_MODEL:
        return False
    if _GENERAL.search(_text_of(component)):
        return True
    for prop in component.properties:
        if _GENERAL_PROPERTY.search(prop.name) and prop.value.strip().casefold() in _TRUE:
            return True
        if _GENERAL.search(prop.value):
            return True
    return False


def _post_hoc(component: Component | None) -> bool:
    return component is not None and bool(_POST_HOC.search(_text_of(component)))


def ai_checks(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    """Reliability-only mitigation, general-purpose models, filters as the only control."""
    yield from _reliability_only(context, index)
    context.check_cancelled()
    yield from _general_purpose(context, index)
    context.check_cancelled()
    yield from _filter_only(context, index)


def _independent(index: Index, loop: set[str]) -> bool:
    """Whether a non-AI controller acts on, or gets feedback from, any part of ``loop``."""

    def other(component_id: str) -> bool:
        c = index.components.get(component_id)
        return (
            c is not None
            and c.kind == ComponentKind.CONTROLLER
            and c.nature != Nature.AI_MODEL
            and component_id not in loop
        )

    for member in loop:
        for link in index.links_to(member, LinkKind.CONTROL_ACTION):
            if other(link.source):
                return True
        for link in index.links_from(member, LinkKind.FEEDBACK, LinkKind.INFORMATION):
            if other(link.target):
                return True
    return False


def _reliability_only(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    snapshot = index.snapshot
    for hazard in index.hazards.values():
        responsibilities: dict[str, None] = {}
        for h in index.descendants(hazard.id):
            for sc in index.constraints_of_hazard.get(h):
                responsibilities.update(
                    dict.fromkeys(r.id for r in index.responsibilities_of_constraint.get(sc.id))
                )
        if not responsibilities:
            continue
        records = [snapshot.responsibilities[r] for r in responsibilities]
        owners = list(dict.fromkeys(r.owner for r in records))
        if not all(
            (c := index.components.get(o)) is not None and c.nature == Nature.AI_MODEL
            for o in owners
        ):
            continue
        loop = set(owners) | {p for r in records for p in r.processes}
        for owner in owners:
            for link in index.links_from(owner, LinkKind.CONTROL_ACTION):
                loop.update(index.reach(link)[1])
        if _independent(index, loop):
            continue
        models = listing([index.name(o) for o in owners])
        yield _finding(
            context,
            "stpa.ai-reliability-only",
            f"{hazard.id} {_quote(hazard.text)} rests on the reliability of {models} alone: "
            f"every responsibility for its constraints ({listing(list(responsibilities))}) "
            "sits with an AI model, and no human, organisational or independent technical "
            "controller acts on it or gets feedback from it. Reliability is not safety: add "
            "an independent check, feedback or control in the loop.",
            (hazard.id, *owners, *responsibilities),
            data={"models": ", ".join(owners)},
        )


def _general_purpose(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    hazardous_processes: dict[str, set[str]] = {}
    for r in index.snapshot.responsibilities.values():
        traced = {
            h
            for sc_id in r.constraints
            if (sc := index.snapshot.constraints.get(sc_id)) is not None
            for h in sc.hazards
        }
        if traced:
            for process in r.processes:
                hazardous_processes.setdefault(process, set()).update(traced)
    for component in index.components.values():
        if component.kind != ComponentKind.CONTROLLER or not is_general_purpose(component):
            continue
        acted: list[str] = []
        hazards: set[str] = set(index.controller_hazards(component.id))
        for link in index.links_from(component.id, LinkKind.CONTROL_ACTION):
            acted.extend(index.reach(link)[1])
            for item in link.items:
                for uca in index.ucas_of_action.get(item.id):
                    hazards.update(uca.hazards)
        if not acted:
            continue
        for process in acted:
            hazards.update(hazardous_processes.get(process, ()))
        if not hazards:
            continue
        order = index.hazard_order
        named = sorted(hazards, key=lambda h: order.get(h, len(order)))
        yield _finding(
            context,
            "stpa.ai-general-purpose",
            f"{component.name} is a general-purpose AI model controlling "
            f"{listing([index.name(p) for p in dict.fromkeys(acted)])}, which the analysis "
            f"traces to hazards ({listing(named)}). A general-purpose model in a "
            "safety-critical loop is an inherent hazard source (the curse of flexibility): ask "
            "whether a narrower, better-understood component would do, and constrain what it "
            "may do.",
            (component.id, *dict.fromkeys(acted)),
            data={"hazards": ", ".join(named)},
        )


def _filter_only(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for model in index.components.values():
        if model.nature != Nature.AI_MODEL:
            continue
        controls = index.links_to(model.id, LinkKind.CONTROL_ACTION)
        post_hoc: list[str] = []
        other_control = False
        for link in controls:
            source = index.components.get(link.source)
            items_post_hoc = bool(link.items) and all(_POST_HOC.search(i.name) for i in link.items)
            if _post_hoc(source) or items_post_hoc:
                post_hoc.append(link.source if _post_hoc(source) else link.id)
            else:
                other_control = True
        if other_control:
            continue
        for link in index.links_from(model.id):
            if _post_hoc(index.components.get(link.target)):
                post_hoc.append(link.target)
        if not post_hoc:
            continue
        names = [index.name(p) if p in index.components else _label_of(index, p) for p in post_hoc]
        yield _finding(
            context,
            "stpa.ai-filter-only-control",
            f"The only control drawn on {model.name} is post-hoc: {listing(names)}. Filters "
            "and fine-tuning are add-ons to a model, not system design; the residual risk of "
            f"its outputs must be handled downstream — design the loop around {model.name} "
            "(who acts on its outputs, what feedback they get, who can stop it).",
            (model.id, *post_hoc),
        )


def _label_of(index: Index, link_id: str) -> str:
    link = index.snapshot.links.get(link_id)
    return label(link) if link is not None else link_id
