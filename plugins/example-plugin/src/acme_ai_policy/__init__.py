"""Acme's AI governance policy (AIG-3) as a Stipa analysis plugin.

The policy, as the governance office wrote it:

* §2.1 Every AI model in service has an accountable owner: an organisation (a legal entity
  or a named business unit), answerable for how the model behaves in its context of use.
* §2.2 Every AI model has a documented intended purpose: what it is for, and for whom.
* §4   Everyone who acts on an AI model's output has at least basic training in the model's
  intended purpose and known limitations.

The plugin declares two component properties for AI models (``owner`` and ``purpose``, saved
in the namespace :data:`NAMESPACE`) and one analysis, ``acme.ai-policy``, with three rules:

``acme.ai-owner`` (error)
    An AI model names no accountable owner.
``acme.ai-purpose`` (warning)
    An AI model states no intended purpose.
``acme.human-training`` (error when recorded below the minimum, warning when not recorded)
    A human acts on an AI model's output — receives feedback or information from it, or
    controls a process the model also controls — without the required training.

Option ``minimum-training`` (``basic``, ``trained`` or ``expert``; default ``basic``) raises
the level §4 requires: ``stipa analyze FILE --option minimum-training=trained``.
"""

from __future__ import annotations

from collections.abc import Iterator

import stipa
from stipa import Component, LinkKind, Nature, Severity, TrainingLevel

#: The XML namespace the plugin's properties are saved in. Never change it once files exist.
NAMESPACE = "https://acme.example/stipa/ai-policy"
#: The analysis id: the ``plugin`` of every finding, and the ``--plugin`` to run just this.
ANALYSIS_ID = "acme.ai-policy"
#: Where each rule comes from, shown with every finding (``Finding.source``).
POLICY = "Acme AI governance policy AIG-3"

OWNER = stipa.PropertySpec(
    namespace=NAMESPACE,
    name="owner",
    label="Accountable owner",
    type="text",
    natures=(Nature.AI_MODEL,),
    description="The organisation accountable for this AI model in service "
    "(a legal entity or named business unit, not a person).",
)
PURPOSE = stipa.PropertySpec(
    namespace=NAMESPACE,
    name="purpose",
    label="Intended purpose",
    type="text",
    natures=(Nature.AI_MODEL,),
    description="What the model is meant to be used for, by whom, and in which setting.",
)

#: The rules, declared once, each with a short title and what it checks: Stipa lists them
#: (``stipa plugins``), names findings by their titles, gives each finding the declared
#: severity and source unless the check says otherwise, and refuses a finding of a rule not
#: declared here.
RULES = (
    stipa.Rule(
        "acme.ai-owner",
        "Accountable AI owner",
        Severity.ERROR,
        f"{POLICY} §2.1",
        description="Every AI model names an accountable owner organisation (AIG-3 §2.1).",
    ),
    stipa.Rule(
        "acme.ai-purpose",
        "Stated AI purpose",
        Severity.WARNING,
        f"{POLICY} §2.2",
        description="Every AI model states its intended purpose (AIG-3 §2.2).",
    ),
    stipa.Rule(
        "acme.human-training",
        "Training to act on AI output",
        Severity.ERROR,
        f"{POLICY} §4",
        description="Everyone who acts on an AI model's output has at least basic training in "
        "its purpose and limitations (AIG-3 §4).",
    ),
)

#: Training levels in increasing order; ``""`` (not recorded) is below all of them.
_LEVELS = (TrainingLevel.NONE, TrainingLevel.BASIC, TrainingLevel.TRAINED, TrainingLevel.EXPERT)


@stipa.hookimpl
def stipa_component_properties() -> list[stipa.PropertySpec]:
    """The two properties every AI model gets in the inspector."""
    return [OWNER, PURPOSE]


@stipa.hookimpl
def stipa_analyses() -> list[stipa.Analysis]:
    """The policy check."""
    return [
        stipa.Analysis(
            id=ANALYSIS_ID,
            title="Acme AI governance policy",
            run=check_policy,
            description="Checks the control structure against Acme's AI governance policy "
            "AIG-3: accountable owners and intended purposes of AI models, and the training "
            "of the people who act on their output.",
            rules=RULES,
        )
    ]


def check_policy(context: stipa.AnalysisContext) -> Iterator[stipa.Finding]:
    """Yield one finding per policy breach found in ``context.snapshot``."""
    minimum = _minimum_training(context.options.get("minimum-training", "basic"))
    snapshot = context.snapshot
    models = [c for c in snapshot.components.values() if c.nature == Nature.AI_MODEL]

    for index, model in enumerate(models):
        context.check_cancelled()  # cheap; lets the user stop a long run
        context.progress(index / max(1, len(models)), f"Checking {model.name}")
        yield from _check_model(context, model)

    for human, reasons in _humans_acting_on_models(context).items():
        context.check_cancelled()
        finding = _check_training(context, snapshot.components[human], reasons, minimum)
        if finding is not None:
            yield finding


def _text(component: Component, spec: stipa.PropertySpec) -> str:
    prop = component.property(spec.namespace, spec.name)
    return prop.value.strip() if prop is not None else ""


def _check_model(context: stipa.AnalysisContext, model: Component) -> Iterator[stipa.Finding]:
    if not _text(model, OWNER):
        yield context.finding(
            "acme.ai-owner",
            f'The AI model "{model.name}" names no accountable owner. Policy AIG-3 §2.1 '
            "requires an organisation that answers for the model in service; enter it as "
            f'"{OWNER.label}".',
            targets=[model.id],
        )
    if not _text(model, PURPOSE):
        yield context.finding(
            "acme.ai-purpose",
            f'The AI model "{model.name}" states no intended purpose. Policy AIG-3 §2.2 '
            "requires it, so that uses outside that purpose can be recognised and "
            f'refused; enter it as "{PURPOSE.label}".',
            targets=[model.id],
        )


def _humans_acting_on_models(context: stipa.AnalysisContext) -> dict[str, dict[str, list[str]]]:
    """human id -> AI model id -> how the human acts on that model's output (sentences)."""
    graph = context.graph  # a networkx MultiDiGraph: nodes are component ids
    nature = {node: data["nature"] for node, data in graph.nodes(data=True)}
    name = {node: data["name"] for node, data in graph.nodes(data=True)}
    acting: dict[str, dict[str, list[str]]] = {}

    def note(human: str, model: str, how: str) -> None:
        reasons = acting.setdefault(human, {}).setdefault(model, [])
        if how not in reasons:
            reasons.append(how)

    controlled_by_model: dict[str, list[str]] = {}
    for source, target, data in graph.edges(data=True):
        if nature[source] != Nature.AI_MODEL:
            continue
        if data["kind"] == LinkKind.CONTROL_ACTION:
            controlled_by_model.setdefault(target, []).append(source)
        elif nature[target] == Nature.HUMAN:  # feedback or information from the model
            what = data["record"].label or str(data["kind"]).replace("_", " ")
            note(target, source, f'receives "{what}" from it')
    for source, target, data in graph.edges(data=True):
        if nature[source] != Nature.HUMAN or data["kind"] != LinkKind.CONTROL_ACTION:
            continue
        for model in controlled_by_model.get(target, []):
            note(source, model, f'controls "{name[target]}", which the model also controls')
    return acting


def _check_training(
    context: stipa.AnalysisContext,
    human: Component,
    reasons: dict[str, list[str]],
    minimum: TrainingLevel,
) -> stipa.Finding | None:
    level = human.training
    if level != TrainingLevel.UNKNOWN and _LEVELS.index(level) >= _LEVELS.index(minimum):
        return None
    snapshot = context.snapshot
    models = sorted(reasons)  # by id: the targets stay the same when a model is renamed,
    # so the finding keeps the analyst's disposition from one run to the next
    parts = [
        f'"{snapshot.components[model_id].name}" ({"; ".join(reasons[model_id])})'
        for model_id in models
    ]
    which = "the AI model " if len(parts) == 1 else "the AI models "
    which += parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    who = f'"{human.name}"' + (f" ({human.role})" if human.role else "")
    if level == TrainingLevel.UNKNOWN:
        state, severity = "has no training level recorded", Severity.WARNING
    elif level == TrainingLevel.NONE:
        state, severity = "is recorded as untrained", Severity.ERROR
    else:
        state, severity = f"is recorded with only {level} training", Severity.ERROR
    return context.finding(
        "acme.human-training",
        f"{who} acts on the output of {which}, but {state}. Policy AIG-3 §4 requires at "
        f"least {minimum} training in a model's intended purpose and known limitations for "
        "everyone who acts on its output.",
        targets=[human.id, *models],
        severity=severity,
        data={
            "training": str(level) or "not recorded",
            "required": str(minimum),
            "ai_models": ", ".join(models),
        },
    )


def _minimum_training(text: str) -> TrainingLevel:
    allowed = [str(level) for level in _LEVELS[1:]]
    if text not in allowed:
        raise ValueError(
            f"Option minimum-training must be one of {', '.join(allowed)}, not {text!r}."
        )
    return TrainingLevel(text)
