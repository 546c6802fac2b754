"""What ``stipa.hazards`` proposes: candidate UCAs, controller-constraint drafts, scenario prompts.

Everything here is a :class:`stipa.Suggestion`: the analyst accepts it (it becomes a record),
edits it, or rejects it with a rationale, and the host keeps the decision as the trail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from stipa import (
    AnalysisContext,
    Component,
    ComponentKind,
    ControllerConstraint,
    Link,
    LinkItem,
    LinkKind,
    LossScenario,
    ProcessVariable,
    ScenarioCategory,
    Suggestion,
    UCAStatus,
    UCAType,
    UnsafeControlAction,
)
from stipa_builtins.hazards_model import (
    TYPE_WORDS,
    Index,
    constraint_text,
    label,
    listing,
    uca_sentence,
)

__all__ = [
    "PLACEHOLDER",
    "SOURCES",
    "candidate_ucas",
    "constraint_drafts",
    "scenario_prompts",
    "typed_context",
]

#: What a template candidate's context says until the analyst names the real context.
PLACEHOLDER = "<context>"

_HANDBOOK = "STPA Handbook (Leveson & Thomas, 2018)"
#: The source of each suggestion rule.
SOURCES = {
    "stpa.candidate-uca": (
        f"{_HANDBOOK}, ch. 2, step 3: identify unsafe control actions (four types, UCA "
        "format); Thomas, MIT PhD thesis (2013): context tables"
    ),
    "stpa.draft-controller-constraint": (
        f"{_HANDBOOK}, ch. 2, step 3: controller constraints (each UCA inverted)"
    ),
    "stpa.scenario-prompt": (
        f"{_HANDBOOK}, ch. 2, step 4: identify loss scenarios (causal factors per loop element)"
    ),
}

_TIMING_PREFIX = "too early or too late"
_DURATION_PREFIX = "too soon or applies it too long"


def typed_context(uca_type: UCAType, context: str) -> str:
    """A context with the qualifier its UCA type needs (``"too early or too late when ..."``)."""
    if uca_type == UCAType.TIMING:
        return f"{_TIMING_PREFIX} {context}"
    if uca_type == UCAType.DURATION:
        return f"{_DURATION_PREFIX} {context}"
    return context


def _key(context: str) -> str:
    return " ".join(context.split()).casefold()


def _bracket(hazards: tuple[str, ...]) -> str:
    return f" [{', '.join(hazards)}]" if hazards else " [no hazard traced yet]"


# --- candidate UCAs ---------------------------------------------------------------------------


def candidate_ucas(context: AnalysisContext, index: Index) -> Iterator[Suggestion]:
    """Candidate UCAs for every control action a controller sends, by type.

    Per type: one candidate per hazardous context rule of that type (Thomas); a type without
    rules and without any UCA gets one template candidate whose context the analyst names.
    Candidates equal to an existing UCA (same action, type and context) are left out.
    """
    for number, (controller, link, item) in enumerate(index.controller_actions()):
        if number % 256 == 0:
            context.check_cancelled()
        yield from _candidates_for(context, index, controller, link, item)


def _candidates_for(
    context: AnalysisContext, index: Index, controller: Component, link: Link, item: LinkItem
) -> Iterator[Suggestion]:
    ucas = index.ucas_of_action.get(item.id)
    taken = {(uca.type, _key(uca.context)) for uca in ucas}
    typed = {uca.type for uca in ucas}
    rules = index.rules_of_action.get(item.id)
    ruled = {rule.type for rule in rules}
    table = index.table(controller.id) if rules else None
    for uca_type in UCAType:
        if table is not None and uca_type in ruled:
            for rule in rules:
                if rule.type != uca_type or not rule.hazardous:
                    continue
                pattern = table.pattern(rule.conditions)
                if pattern is None:
                    continue
                ctx_text = typed_context(uca_type, table.phrase(pattern))
                if (uca_type, _key(ctx_text)) in taken:
                    continue
                taken.add((uca_type, _key(ctx_text)))
                sentence = uca_sentence(controller.name, item.name, uca_type, ctx_text)
                yield context.suggestion(
                    "stpa.candidate-uca",
                    f"Candidate UCA from context rule {rule.id}: {sentence}"
                    f"{_bracket(rule.hazards)}",
                    UnsafeControlAction(
                        action=item.id,
                        type=uca_type,
                        context=ctx_text,
                        hazards=rule.hazards,
                        status=UCAStatus.DRAFT,
                    ),
                    targets=(item.id, controller.id, rule.id),
                )
        elif uca_type not in typed and uca_type not in ruled:
            ctx_text = _TEMPLATE_CONTEXT[uca_type]
            hazards, advice = _template_facts(index, controller)
            sentence = uca_sentence(controller.name, item.name, uca_type, ctx_text)
            yield context.suggestion(
                "stpa.candidate-uca",
                f"Candidate UCA ({TYPE_WORDS[uca_type]}): {sentence}{advice}",
                UnsafeControlAction(
                    action=item.id,
                    type=uca_type,
                    context=ctx_text,
                    hazards=hazards,
                    status=UCAStatus.DRAFT,
                ),
                targets=(item.id, controller.id),
            )


#: The context of a template candidate, per type.
_TEMPLATE_CONTEXT = {t: typed_context(t, f"when {PLACEHOLDER}") for t in UCAType}


def _template_facts(index: Index, controller: Component) -> tuple[tuple[str, ...], str]:
    """A controller's hazards and the advice ending its template candidates (made once)."""
    cached = index.memo.get(("template", controller.id))
    if cached is None:
        hazards = index.controller_hazards(controller.id)
        variables = [v.name for v in controller.variables]
        how = (
            f"name the context over its process model ({listing(variables)})"
            if variables
            else "name the context that makes it hazardous"
        )
        advice = (
            f"{_bracket(hazards)}. Accept and {how}, or record this type as not applicable "
            "with a rationale."
        )
        cached = index.memo[("template", controller.id)] = (hazards, advice)
    return cast(tuple[tuple[str, ...], str], cached)


# --- controller constraints -------------------------------------------------------------------


def constraint_drafts(context: AnalysisContext, index: Index) -> Iterator[Suggestion]:
    """A controller-constraint draft, by inversion, for each accepted UCA that has none."""
    for uca in index.snapshot.ucas.values():
        if uca.status != UCAStatus.ACCEPTED or uca.id in index.constraints_of_uca:
            continue
        controller_id, controller, action = index.describe_uca(uca)
        text = constraint_text(controller, action, uca.type, uca.context)
        yield context.suggestion(
            "stpa.draft-controller-constraint",
            f"Draft controller constraint for {uca.id} ({index.sentence(uca)}): {text}",
            ControllerConstraint(text=text, ucas=(uca.id,)),
            targets=tuple(t for t in (uca.id, controller_id) if t),
        )


# --- loss-scenario prompts --------------------------------------------------------------------

#: The four categories of STPA.md §1, as the prompts name them.
CATEGORY_WORDS = {
    ScenarioCategory.CONTROLLER: "unsafe controller behaviour",
    ScenarioCategory.FEEDBACK: "inadequate feedback",
    ScenarioCategory.CONTROL_PATH: "control path",
    ScenarioCategory.PROCESS: "controlled process",
}

_FACTORS = {
    ScenarioCategory.CONTROLLER: (
        "Inadequate process model (wrong, missing or stale beliefs), inadequate control "
        "algorithm, unsafe input from another controller, or physical failure"
    ),
    ScenarioCategory.FEEDBACK: (
        "Feedback not sent, lost, delayed, inaccurate or not in the design; sensor cannot "
        "measure what is needed"
    ),
    ScenarioCategory.CONTROL_PATH: (
        "Action sent but not received; received but not applied; applied wrongly; applied "
        "though not sent"
    ),
    ScenarioCategory.PROCESS: (
        "Process does not respond as expected; conflicting actions from other controllers; "
        "disturbances; process changes over time"
    ),
}

_PATH_FAULT = {
    UCAType.NOT_PROVIDED: "is sent but not received, or received but not applied",
    UCAType.PROVIDED: (
        "is applied although {controller} did not send it, or applied wrongly (too much, too "
        "little, to the wrong target)"
    ),
    UCAType.TIMING: "is delayed or reordered on its way",
    UCAType.DURATION: "is cut short, or held on too long, on its way",
}


class _Loop:
    """The real control loop around one control action, as the prompts describe it."""

    def __init__(self, index: Index, link: Link) -> None:
        self.controller = link.source
        self.link = link
        #: What the action passes through, and what it finally acts on.
        self.path, self.ends = index.reach(link)
        #: What the controller needs to know about: its target and what that acts on.
        self.subjects = list(dict.fromkeys((link.target, *self.ends)))
        watched = {link.target, *self.path, *self.ends}
        #: Feedback and information reaching the controller from the loop, and the sensors.
        self.feedback: list[Link] = []
        self.sensors: list[str] = []
        for fb in index.links_to(self.controller, LinkKind.FEEDBACK, LinkKind.INFORMATION):
            source = fb.source
            if source in watched:
                self.feedback.append(fb)
                continue
            feeds = index.links_to(source, LinkKind.FEEDBACK, LinkKind.INFORMATION)
            if any(inner.source in watched for inner in feeds):
                self.feedback.append(fb)
                component = index.components.get(source)
                if component is not None and component.kind == ComponentKind.SENSOR:
                    self.sensors.append(source)
        #: Control actions into the controller from above (possible unsafe inputs).
        self.upstream = index.links_to(self.controller, LinkKind.CONTROL_ACTION)
        #: Control actions of other controllers on the same target and processes.
        self.others: list[Link] = []
        for target in self.subjects:
            for other in index.links_to(target, LinkKind.CONTROL_ACTION):
                if other.source != self.controller and other.source not in watched:
                    self.others.append(other)


def scenario_prompts(context: AnalysisContext, index: Index) -> Iterator[Suggestion]:
    """Per accepted UCA, one draft scenario per category it has no scenario of yet.

    Each draft is written on the real loop: the controller's process-model variables and
    upstream controllers, the feedback arrows and sensors, the actuators and control path,
    and the other controllers acting on the same process.
    """
    loops: dict[str, _Loop] = {}
    for number, uca in enumerate(index.snapshot.ucas.values()):
        if number % 256 == 0:
            context.check_cancelled()
        if uca.status != UCAStatus.ACCEPTED:
            continue
        found = index.action(uca.action)
        if found is None:
            continue
        link, item = found
        loop = loops.get(link.id)
        if loop is None:
            loop = loops[link.id] = _Loop(index, link)
        covered = {ls.category for ls in index.scenarios_of_uca.get(uca.id)}
        for category, (text, targets) in _drafts(index, loop, uca, item).items():
            if category in covered:
                continue
            yield context.suggestion(
                "stpa.scenario-prompt",
                f"Loss-scenario draft for {uca.id} ({CATEGORY_WORDS[category]}): {text}",
                LossScenario(
                    text=text, category=category, ucas=(uca.id,), causal_factor=_FACTORS[category]
                ),
                targets=tuple(dict.fromkeys((uca.id, *targets))),
            )


def _drafts(
    index: Index, loop: _Loop, uca: UnsafeControlAction, item: LinkItem
) -> dict[ScenarioCategory, tuple[str, list[str]]]:
    cid = loop.controller
    c_name = index.name(cid)
    action = item.name
    unsafe = index.sentence(uca)
    subjects = listing([index.name(p) for p in loop.subjects])
    drafts: dict[ScenarioCategory, tuple[str, list[str]]] = {}

    # unsafe controller behaviour: process model, algorithm, inputs from above, failure
    controller = index.components[cid]
    involved = _involved_variables(index, controller, uca)
    if involved:
        beliefs = f"about {listing([v.name for v in involved])}"
    else:
        beliefs = f"about {subjects} (it declares no process-model variables yet)"
    inputs = [f"{index.name(up.source)} ({label(up)})" for up in loop.upstream]
    tail = (
        f"its control algorithm is inadequate for this context, it fails physically, or it "
        f"follows an unsafe input from {listing(inputs, conjunction='or')}"
        if inputs
        else "its control algorithm is inadequate for this context or it fails physically"
    )
    drafts[ScenarioCategory.CONTROLLER] = (
        f"{unsafe}, because {c_name} holds wrong, missing or stale beliefs {beliefs}; or {tail}.",
        [cid, *(v.id for v in involved), *(up.id for up in loop.upstream)],
    )

    # inadequate feedback: the arrows and sensors that tell the controller about the process
    if loop.feedback:
        arrows = [f"{label(fb)} from {index.name(fb.source)}" for fb in loop.feedback]
        text = (
            f"{unsafe}, because the feedback that tells {c_name} about {subjects} is missing, "
            f"delayed, inaccurate or not in the design: {listing(arrows)}"
        )
        if loop.sensors:
            sensors = listing([index.name(s) for s in loop.sensors], conjunction="or")
            text += f"; or {sensors} cannot measure what {c_name} needs to know"
        feedback_targets = [*(fb.id for fb in loop.feedback), *loop.sensors]
    else:
        text = (
            f"{unsafe}, because no feedback from {subjects} reaches {c_name} in the control "
            f"structure: nothing tells {c_name} that its beliefs are wrong"
        )
        feedback_targets = list(loop.subjects)
    drafts[ScenarioCategory.FEEDBACK] = (f"{text}.", [cid, *feedback_targets])

    # control path: from the controller through actuators (or a lower controller) onward
    ends = [e for e in loop.ends if e not in loop.path]
    route = [c_name, *(index.name(p) for p in loop.path)]
    if ends:
        route.append(listing([index.name(e) for e in ends], conjunction="or"))
    fault = _PATH_FAULT[uca.type].format(controller=c_name)
    drafts[ScenarioCategory.CONTROL_PATH] = (
        f"{action} {fault}, on the control path {' → '.join(route)}: in effect, {unsafe}.",
        [loop.link.id, *loop.path],
    )

    # controlled process: unexpected response, disturbances, other controllers, drift
    others = [f"{index.name(o.source)} ({label(o)})" for o in loop.others]
    conflicting = f", or conflicting actions from {listing(others)}" if others else ""
    verb = "does" if len(loop.subjects) == 1 else "do"
    drafts[ScenarioCategory.PROCESS] = (
        f"{subjects} {verb} not respond to {action} as {c_name} expects, because of "
        f"disturbances, changes of the process over time{conflicting}: in effect, {unsafe}.",
        [*loop.subjects, *(o.source for o in loop.others)],
    )
    return drafts


def _involved_variables(
    index: Index, controller: Component, uca: UnsafeControlAction
) -> list[ProcessVariable]:
    """The process-model variables a UCA is about: named in its context or its rules."""
    if not controller.variables:
        return []
    text = uca.context.casefold()
    fixed = {
        condition.variable
        for rule in index.rules_of_action.get(uca.action)
        if rule.type == uca.type
        for condition in rule.conditions
    }
    named = [v for v in controller.variables if v.name.casefold() in text or v.id in fixed]
    return named or list(controller.variables)
