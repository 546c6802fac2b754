"""Built-in analysis ``stipa.responsibility``: who must do what, with which authority and feedback.

System-level constraints are refined into responsibilities of controllers, and a controller
needs, for each responsibility, authority (a control action on the process concerned),
observability (feedback from it), a process model, and someone above it who answers for it
(Leveson 2011; STPA Handbook 2018). This analysis flags where the drawn structure does not give
that: the gap rules of ``RULES``, each with a stable id and its source. Moral crumple zones
(Elish 2019) get particular care: for every person, how much responsibility for catching
failures of automated or AI controllers it carries against the control it has.

Besides findings, three functions give plain data for views and exporters:
:func:`responsibility_matrix` (controllers x system-level constraints, with R/A/C/I),
:func:`human_roles` (responsibility against control, per person) and
:func:`accountability_chain` (loss -> hazards -> constraints -> responsibilities -> controllers
-> ... up to the organisations and regulators that answer for it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from stipa import (
    Analysis,
    AnalysisContext,
    ComponentKind,
    DocumentView,
    Finding,
    Nature,
    PluginView,
    PropertySpec,
    RaciRole,
    Responsibility,
    Rule,
    Severity,
    TrainingLevel,
    hookimpl,
)
from stipa_builtins.responsibility_index import (
    ANSWERING,
    AUTOMATED,
    OVERRIDE_WORDS,
    RACI_LETTERS,
    UNCERTAINTY_WORDS,
    Index,
    listing,
)

__all__ = [
    "ANALYSIS_ID",
    "NAMESPACE",
    "RULES",
    "TIME_TO_ACT",
    "accountability_chain",
    "human_roles",
    "responsibility_matrix",
    "run",
    "stipa_analyses",
    "stipa_component_properties",
]

ANALYSIS_ID = "stipa.responsibility"
#: XML namespace of the properties this plugin adds to components.
NAMESPACE = "https://stipa.dev/ns/responsibility"
#: The property saying whether a person has time to notice an automation failure and act.
TIME_TO_ACT = "time-to-act"


#: The gap rules: id, name, what each flags, where it comes from (``Analysis.rules``).
_RULE_LIST = (
    Rule(
        "unassigned-hazard",
        "Unassigned hazard",
        description="A hazard whose system-level constraints no responsibility covers.",
        source="Leveson & Thomas, STPA Handbook (2018), ch. 2: constraints are refined into "
        "responsibilities of controllers",
    ),
    Rule(
        "responsibility-without-authority",
        "Responsibility without authority",
        description="The owner of a responsibility has no control action on a process it concerns.",
        source="Leveson, Engineering a Safer World (2011): each responsibility needs the authority "
        "to carry it out",
    ),
    Rule(
        "responsibility-without-observability",
        "Responsibility without feedback",
        description=(
            "The owner receives no feedback from a process its responsibility concerns (directly "
            "or via a sensor or another controller)."
        ),
        source="Leveson, Engineering a Safer World (2011): a controller needs feedback to keep its "
        "process model current",
    ),
    Rule(
        "missing-process-model",
        "Missing process model",
        description="A controller issues control actions but declares no process-model variables.",
        source="Leveson & Thomas, STPA Handbook (2018): every controller has a process model",
    ),
    Rule(
        "overlap-without-coordination",
        "Overlap without coordination",
        description=(
            "Two or more controllers act on the same process with no coordination link and no one "
            "holding a coordination responsibility."
        ),
        source="Leveson, Safety Science 42(4) (2004): overlapping control (overlap flaw)",
    ),
    Rule(
        "boundary-gap",
        "Boundary gap",
        description="A responsibility that each of two controllers could assume the other holds.",
        source="Leveson, Safety Science 42(4) (2004): boundary areas (boundary flaw)",
    ),
    Rule(
        "moral-crumple-zone",
        "Moral crumple zone",
        description=(
            "A person holds responsibility for catching failures of an automated or AI controller "
            "without the means: feedback on its state and uncertainty, an override or stop action, "
            "training, time to act (an error for a lay user: a lay role, or a person drawn "
            "external and outside every system boundary)."
        ),
        source="Elish, Engaging Science, Technology, and Society 5 (2019): responsibility out of "
        "proportion to control; policy brief: foreseeable malfunction is the developer's or "
        "deployer's responsibility, not the lay user's",
    ),
    Rule(
        "broken-accountability-chain",
        "Broken accountability chain",
        description=(
            "A loss that cannot be traced loss -> hazard -> constraint -> responsibility -> "
            "controller -> ... up to an organisation or regulator (through control actions or "
            "containment: an organisation answers for what it contains); where a regulator or "
            "oversight body has authority over a process the responsibility concerns, the chain "
            "must reach one: a chain stopping at the deploying organisation is broken there."
        ),
        source="Rismani, Dobbe & Moon, arXiv 2410.22526 (2024): traceable accountability chains; "
        "Leveson, Engineering a Safer World (2011), ch. 4: the regulator at the top of the "
        "safety control structure",
    ),
    Rule(
        "oversight-without-feedback",
        "Oversight without feedback",
        description=(
            "A regulator or independent oversight body (an organisation whose role says oversight, "
            "audit, inspection, ombudsman) with authority over a process — a control action "
            "reaching it directly or through the organisations it controls or contains — receives "
            "no feedback about the process's operation; a deployer's own monitoring does not "
            "replace it."
        ),
        source="Leveson, Engineering a Safer World (2011), ch. 4: feedback channels to "
        "regulators (incident reports, audits); policy brief (Dobbe 2025): the information "
        "gap between AI companies and governments",
    ),
    Rule(
        "technical-mitigation-only",
        "Technical mitigation only",
        description=(
            "A hazard whose every covering responsibility is held only by components inside a "
            "technical system boundary (a boundary containing software or AI models and no people "
            "or organisations): mitigation by technical means alone."
        ),
        source="Dobbe, 'AI Safety is Stuck in Technical Terms', policy brief (2025), §6.9 "
        "'Post hoc technical mitigation techniques may be too little too late' and the "
        "'AI system' definition as a technical subsystem",
    ),
    Rule(
        "catching-outside-boundary",
        "Catching outside the boundary",
        description=(
            "A person outside the system boundary around an automated or AI controller (a lay "
            "user, an affected party) holds a responsibility for catching its failures."
        ),
        source="Dobbe, policy brief (2025): foreseeable malfunction is the developer's or "
        "deployer's responsibility, not the lay user's; Elish (2019): moral crumple zones",
    ),
    Rule(
        "boundary-unobserved",
        "Unobserved system boundary",
        description=(
            "A system boundary with no controller outside it receiving feedback from inside it "
            "(checked where controllers outside it exist): nobody outside can see the system."
        ),
        source="Dobbe, policy brief (2025): the system boundary and the information gap; "
        "Leveson, Engineering a Safer World (2011): controllers need feedback",
    ),
    Rule(
        "unowned-authority",
        "Authority without responsibility",
        description="A controller with control actions but no responsibility.",
        source="Leveson, Engineering a Safer World (2011): authority comes with responsibility",
    ),
    Rule(
        "drift-unmonitored",
        "Unmonitored drift",
        description=(
            "No feedback about how a process performs in operation reaches an organisation or "
            "regulator, so migration toward higher risk goes unseen."
        ),
        source="Delfos et al., Government Information Quarterly 41(3) 101963 (2024); Leveson, "
        "Engineering a Safer World (2011): migration toward states of higher risk",
    ),
    Rule(
        "raci",
        "Incomplete RACI roles",
        description=(
            "Where R/A/C/I roles are entered: not exactly one Accountable, or no Responsible."
        ),
        source="RACI responsibility assignment (STPA.md §4); the owner counts as Responsible "
        "unless roles are entered for it",
    ),
)
RULE: dict[str, Rule] = {rule.id: rule for rule in _RULE_LIST}
#: Rule id -> what it flags and its source.
RULES: dict[str, str] = {rule.id: f"{rule.description} ({rule.source})" for rule in _RULE_LIST}

_WARNING, _ERROR = Severity.WARNING, Severity.ERROR


# --- plugin hooks ----------------------------------------------------------------------------


@hookimpl
def stipa_analyses() -> list[Analysis]:
    """The responsibility-mapping analysis."""
    return [
        Analysis(
            id=ANALYSIS_ID,
            title="Responsibility mapping",
            run=run,
            description=(
                "Who must do what, with which authority and feedback: unassigned hazards, "
                "responsibilities without authority or feedback, overlaps and boundary gaps, "
                "moral crumple zones, broken accountability chains, unmonitored drift, "
                "oversight without feedback, and the system-boundary checks of the policy "
                "brief (technical mitigation only, catching outside the boundary, a boundary "
                "nobody outside observes)."
            ),
            rules=_RULE_LIST,
        )
    ]


@hookimpl
def stipa_component_properties() -> list[PropertySpec]:
    """Time to act, for people: read by the moral-crumple-zone rule."""
    return [
        PropertySpec(
            namespace=NAMESPACE,
            name=TIME_TO_ACT,
            label="Time to act",
            type="choice",
            choices=("sufficient", "insufficient"),
            natures=(Nature.HUMAN,),
            description=(
                "Whether this person has the time to notice a failure of the automation they "
                "watch over and to act before harm is done"
            ),
        )
    ]


@hookimpl
def stipa_views() -> list[PluginView]:
    """The data of the responsibility matrix and the accountability chain views."""
    return [
        PluginView(
            id="stipa.responsibility.matrix",
            title="Responsibility matrix",
            kind="responsibility_matrix",
            compute=responsibility_matrix,
            description="Controllers by system-level constraints, with R/A/C/I roles.",
        ),
        PluginView(
            id="stipa.responsibility.human-roles",
            title="Human roles",
            kind="human_roles",
            compute=human_roles,
            description="Per person, the responsibility carried against the control held.",
        ),
        PluginView(
            id="stipa.responsibility.accountability-chain",
            title="Accountability chain",
            kind="accountability_chain",
            compute=accountability_chain,
            description="A loss traced to the organisations and regulators answering for it.",
        ),
    ]


# --- the analysis ----------------------------------------------------------------------------


def run(context: AnalysisContext) -> Iterator[Finding]:
    """Every gap of the responsibility mapping in ``context.snapshot``, rule by rule."""
    index = Index(context.snapshot)
    checks = (
        _unassigned_hazards,
        _authority_and_observability,
        _process_models,
        _unowned_authority,
        _overlaps,
        _boundary_gaps,
        _crumple_zones,
        _raci,
        _accountability,
        _drift,
        _oversight,
        _technical_only,
        _catching_outside,
        _unobserved_boundaries,
    )
    for number, check in enumerate(checks):
        context.check_cancelled()
        context.progress(number / len(checks), check.__name__.strip("_").replace("_", " "))
        yield from check(context, index)


def _finding(
    context: AnalysisContext,
    rule: str,
    message: str,
    targets: Sequence[str],
    severity: Severity = _WARNING,
    data: dict[str, object] | None = None,
) -> Finding:
    return context.finding(
        rule,
        message,
        targets=list(dict.fromkeys(targets)),
        severity=severity,
        source=RULE[rule].source,
        data=data,
    )


def _ids(values: Sequence[str]) -> str:
    return ", ".join(values)


# --- hazards ---------------------------------------------------------------------------------


def _covered_hazards(index: Index) -> dict[str, bool]:
    """Hazard id -> whether some responsibility covers one of its constraints.

    A parent hazard is covered when all its sub-hazards are; a sub-hazard without
    constraints of its own is covered by its parent's.
    """
    hazards = index.view.hazards
    own = {
        hid: any(c in index.by_constraint for c in index.constraints_of.get(hid, ()))
        for hid in hazards
    }
    covered: dict[str, bool] = {}

    def visit(hid: str, depth: int = 0) -> bool:
        if hid in covered:
            return covered[hid]
        result = own[hid]
        children = index.sub_hazards.get(hid, ())
        if not result and children and depth < 64:
            result = all(visit(child, depth + 1) for child in children)
        if not result and not index.constraints_of.get(hid):
            parent = hazards[hid].parent
            result = parent is not None and own.get(parent, False)
        covered[hid] = result
        return result

    for hid in hazards:
        visit(hid)
    return covered


def _unassigned_hazards(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    covered = _covered_hazards(index)
    for hazard in index.view.hazards.values():
        if covered[hazard.id]:
            continue
        constraints = index.constraints_of.get(hazard.id, [])
        if constraints:
            message = (
                f"Nobody is responsible for {hazard.id} “{hazard.text}”: no responsibility "
                f"covers {listing(constraints, conjunction='or')}."
            )
        else:
            message = (
                f"Nobody is responsible for {hazard.id} “{hazard.text}”: no system-level "
                "constraint traces to it, so no responsibility can cover it."
            )
        yield _finding(
            context,
            "unassigned-hazard",
            message,
            [hazard.id, *constraints],
            _ERROR,
            {"constraints": _ids(constraints), "losses": _ids(hazard.losses)},
        )


# --- each responsibility -----------------------------------------------------------------------


def _authority_and_observability(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for resp in index.responsibilities.values():
        owner = resp.owner
        processes = [p for p in dict.fromkeys(resp.processes) if p != owner]
        if not processes:
            continue
        reach = index.reach(owner)
        unreached = [p for p in processes if p not in reach]
        if unreached:
            yield _finding(
                context,
                "responsibility-without-authority",
                f"{index.name(owner)} holds {resp.id} “{resp.text}” but has no control action "
                f"on {listing(index.names(unreached), conjunction='or')}.",
                [resp.id, owner, *unreached],
                data={"owner": owner, "processes": _ids(unreached)},
            )
        observed = index.observed_by(owner)
        blind = [p for p in processes if p not in observed]
        if blind:
            yield _finding(
                context,
                "responsibility-without-observability",
                f"{index.name(owner)} holds {resp.id} “{resp.text}” but no feedback from "
                f"{listing(index.names(blind), conjunction='or')} reaches it, directly or via "
                "a sensor or another controller.",
                [resp.id, owner, *blind],
                data={"owner": owner, "processes": _ids(blind)},
            )


def _process_models(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for component in index.components.values():
        if (
            component.kind == ComponentKind.CONTROLLER
            and component.id in index.ca_out
            and not component.variables
        ):
            yield _finding(
                context,
                "missing-process-model",
                f"{component.name} issues control actions but declares no process-model "
                "variables: what must it believe about its process to act safely?",
                [component.id],
            )


def _unowned_authority(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for component in index.components.values():
        if component.kind != ComponentKind.CONTROLLER or component.id not in index.ca_out:
            continue
        if component.id in index.held:
            continue
        targets = index.sorted(index.ca_out[component.id])
        yield _finding(
            context,
            "unowned-authority",
            f"{component.name} acts on {listing(index.names(targets))} but holds no "
            "responsibility: its authority answers to no system-level constraint.",
            [component.id],
            data={"acts_on": _ids(targets)},
        )


# --- several controllers ---------------------------------------------------------------------


def _overlaps(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for process in index.components.values():
        if process.kind == ComponentKind.ACTUATOR or process.id not in index.ca_in:
            continue
        controllers = index.controllers_of(process.id)
        if len(controllers) < 2:
            continue
        groups = index.group(controllers)
        # a common superior holding a responsibility for the process coordinates those it controls
        for resp in index.by_process.get(process.id, ()):
            reach = index.reach(resp.owner)
            governed = [c for c in controllers if c in reach]
            for other in governed[1:]:
                groups.join(governed[0], other)
        parts = groups.groups()
        if len(parts) < 2:
            continue
        described = "; ".join(listing(index.names(part)) for part in parts)
        yield _finding(
            context,
            "overlap-without-coordination",
            f"{listing(index.names(controllers))} {'both' if len(controllers) == 2 else 'all'} "
            f"act on {process.name} with no "
            "coordination link between them and no one holding a responsibility to "
            f"coordinate them (uncoordinated groups: {described}).",
            [process.id, *controllers],
            data={
                "process": process.id,
                "controllers": _ids(controllers),
                "groups": " | ".join(_ids(part) for part in parts),
            },
        )


def _boundary_gaps(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    shared: dict[tuple[str, str], list[str]] = {}
    for resp in index.responsibilities.values():
        for constraint in dict.fromkeys(resp.constraints):
            for process in dict.fromkeys(resp.processes):
                if process != resp.owner:
                    shared.setdefault((constraint, process), []).append(resp.id)
    for (constraint, process), resp_ids in shared.items():
        owners = index.sorted(index.responsibilities[r].owner for r in resp_ids)
        if len(owners) < 2:
            continue
        accountable = {
            c
            for r in resp_ids
            for c, roles in index.raci[r].items()
            if RaciRole.ACCOUNTABLE in roles
        }
        if len(accountable) == 1:
            continue  # one Accountable settles who holds it
        parts = index.group(owners).groups()
        if len(parts) < 2:
            continue
        yield _finding(
            context,
            "boundary-gap",
            f"{listing(index.names(owners))} each hold a responsibility for {constraint} "
            f"concerning {index.name(process)} ({listing(resp_ids)}) with no coordination "
            "between them and no single Accountable: each could assume the other does it.",
            [process, constraint, *resp_ids],
            data={"owners": _ids(owners), "responsibilities": _ids(resp_ids)},
        )


# --- people and automation -------------------------------------------------------------------

_MEANS = ("feedback", "uncertainty", "override", "training", "time_to_act")
YES, NO, PARTLY, UNSTATED, NOT_APPLICABLE = "yes", "no", "partly", "not stated", "n/a"


@dataclass
class HumanLoad:
    """How much responsibility a person carries against the control and feedback it has."""

    id: str
    name: str
    role: str
    lay_user: bool
    training: str
    time_to_act: str
    #: Responsibilities the person holds (owner, or Responsible/Accountable).
    responsibilities: list[str] = field(default_factory=list)
    #: Those that make it catch failures of automation, and that automation.
    catching: list[str] = field(default_factory=list)
    automation: list[str] = field(default_factory=list)
    control_actions: int = 0
    feedback_from: list[str] = field(default_factory=list)
    #: Means -> "yes", "no", "partly" (for some automation only), "not stated" or "n/a".
    means: dict[str, str] = field(default_factory=dict)
    #: Automation id -> the means missing for it.
    missing_for: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "lay_user": self.lay_user,
            "training": self.training,
            "time_to_act": self.time_to_act,
            "responsibilities": list(self.responsibilities),
            "catching": list(self.catching),
            "automation": list(self.automation),
            "control_actions": self.control_actions,
            "feedback_from": list(self.feedback_from),
            "means": dict(self.means),
            "missing_for": {k: list(v) for k, v in self.missing_for.items()},
            "missing": list(self.missing),
        }


def _human_load(index: Index, person: str) -> HumanLoad:
    component = index.components[person]
    lay = index.lay_user(person)
    prop = component.property(NAMESPACE, TIME_TO_ACT)
    time_to_act = prop.value if prop is not None and prop.value else ""
    load = HumanLoad(
        id=person,
        name=component.name,
        role=component.role,
        lay_user=lay,
        training=component.training.value,
        time_to_act=time_to_act,
        responsibilities=[r.id for r in index.held.get(person, ())],
        control_actions=sum(
            len(link.items) for links in index.ca_out.get(person, {}).values() for link in links
        ),
        feedback_from=index.sorted(index.flow_in.get(person, ())),
    )
    automation: dict[str, None] = {}
    for resp in index.held.get(person, ()):
        watched = []
        for process in dict.fromkeys(resp.processes):
            if process != person and index.automated(process):
                watched.append(process)
            watched.extend(
                c
                for c in index.controllers_of(process)
                if c != person and index.automated(c, controllers_only=True)
            )
        if watched:
            load.catching.append(resp.id)
            automation.update(dict.fromkeys(watched))
    load.automation = index.sorted(automation)

    observed = index.observed_by(person)
    reach = index.reach(person)
    found: dict[str, list[bool]] = {m: [] for m in _MEANS[:3]}
    for auto in load.automation:
        feedback = auto in observed
        uncertainty = any(
            (link.target == person or link.target in observed)
            and any(UNCERTAINTY_WORDS.search(item.name) for item in link.items)
            for link in index.flow_out.get(auto, ())
        )
        override = auto in reach or any(
            OVERRIDE_WORDS.search(item.name)
            for target in index.reach(auto)
            if target in reach
            for link in index.action_links(person, target)
            for item in link.items
        )
        checks = {"feedback": feedback, "uncertainty": uncertainty, "override": override}
        for name, ok in checks.items():
            found[name].append(ok)
        missing = [name for name, ok in checks.items() if not ok]
        if missing:
            load.missing_for[auto] = missing
    for name, results in found.items():
        if not results:
            load.means[name] = NOT_APPLICABLE
        else:
            load.means[name] = YES if all(results) else NO if not any(results) else PARTLY
    training = component.training
    if training == TrainingLevel.NONE or (training == TrainingLevel.UNKNOWN and lay):
        load.means["training"] = NO
    else:
        load.means["training"] = UNSTATED if training == TrainingLevel.UNKNOWN else YES
    load.means["time_to_act"] = {"insufficient": NO, "sufficient": YES}.get(time_to_act, UNSTATED)
    if load.automation:
        missing_all: dict[str, None] = {}
        for means in load.missing_for.values():
            missing_all.update(dict.fromkeys(means))
        for name in ("training", "time_to_act"):
            if load.means[name] == NO:
                missing_all[name] = None
        load.missing = [m for m in _MEANS if m in missing_all]
    return load


def _missing_phrases(index: Index, load: HumanLoad) -> list[str]:
    phrases = []
    for auto, missing in load.missing_for.items():
        name = index.name(auto)
        if "feedback" in missing and "uncertainty" in missing:
            phrases.append(f"no feedback on {name}'s state or uncertainty")
        elif "feedback" in missing:
            phrases.append(f"no feedback on {name}'s state")
        elif "uncertainty" in missing:
            phrases.append(f"no report of {name}'s uncertainty")
        if "override" in missing:
            phrases.append(f"no override or stop action on {name}")
    if "training" in load.missing:
        phrases.append("no training" if load.training == "none" else "no training stated")
    if "time_to_act" in load.missing:
        phrases.append("no time to act")
    return phrases


def _crumple_zones(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for component in index.components.values():
        if component.nature != Nature.HUMAN or component.id not in index.held:
            continue
        load = _human_load(index, component.id)
        if not load.missing:
            continue
        core = {m for means in load.missing_for.values() for m in means}
        severity = _ERROR if load.lay_user or {"feedback", "override"} <= core else _WARNING
        who = component.name + (f" ({component.role})" if component.role else "")
        count = len(load.catching)
        message = (
            f"{who} carries {count} responsibilit{'y' if count == 1 else 'ies'} "
            f"({listing(load.catching)}) for catching failures of "
            f"{listing(index.names(load.automation))} without the means: "
            f"{listing(_missing_phrases(index, load), limit=6)}."
        )
        if load.lay_user:
            message += (
                " A lay user cannot be expected to spot a malfunction; once it is foreseeable, "
                "catching it is the developer's or deployer's responsibility."
            )
        else:
            message += " Its responsibility is out of proportion to its control."
        data: dict[str, object] = {
            "human": component.id,
            "role": component.role,
            "lay_user": YES if load.lay_user else NO,
            "automation": _ids(load.automation),
            "responsibilities": _ids(load.catching),
            "missing": _ids(load.missing),
            "control_actions": load.control_actions,
            "feedback_sources": len(load.feedback_from),
        }
        data.update(load.means)
        for auto, missing in load.missing_for.items():
            data[f"missing:{auto}"] = _ids(missing)
        yield _finding(
            context,
            "moral-crumple-zone",
            message,
            [component.id, *load.automation, *load.catching],
            severity,
            data,
        )


def human_roles(view: DocumentView) -> list[dict[str, Any]]:
    """For every person in the structure: responsibility carried against control held.

    Parameters
    ----------
    view
        A document or a snapshot.

    Returns
    -------
    list of dict
        One dict per ``human`` component, in document order: ``id``, ``name``, ``role``,
        ``lay_user``, ``training``, ``time_to_act``, ``responsibilities`` (ids held),
        ``catching`` (those that make it catch failures of automation), ``automation`` (the
        automated components concerned), ``control_actions`` (count of control-action items
        it sends), ``feedback_from`` (ids sending it feedback or information directly),
        ``means`` (``feedback``, ``uncertainty``, ``override``, ``training``,
        ``time_to_act`` -> ``"yes"``, ``"no"``, ``"partly"``, ``"not stated"`` or
        ``"n/a"``), ``missing_for`` (automation id -> missing means) and ``missing``.
    """
    index = Index(view)
    return [
        _human_load(index, cid).as_dict()
        for cid, component in index.components.items()
        if component.nature == Nature.HUMAN
    ]


# --- RACI ------------------------------------------------------------------------------------


def _raci(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for resp in index.responsibilities.values():
        if not resp.raci:
            continue
        roles = index.raci[resp.id]
        accountable = [c for c, held in roles.items() if RaciRole.ACCOUNTABLE in held]
        responsible = [c for c, held in roles.items() if RaciRole.RESPONSIBLE in held]
        problems = []
        if not accountable:
            problems.append("no one is Accountable")
        elif len(accountable) > 1:
            problems.append(
                f"{len(accountable)} are Accountable ({listing(index.names(accountable))}); "
                "exactly one must be"
            )
        if not responsible:
            problems.append("no one is Responsible")
        if not problems:
            continue
        yield _finding(
            context,
            "raci",
            f"{resp.id} “{resp.text}”: {'; '.join(problems)}.",
            [resp.id, *accountable],
            data={"accountable": _ids(accountable), "responsible": _ids(responsible)},
        )


def responsibility_matrix(view: DocumentView) -> dict[str, Any]:
    """Controllers x system-level constraints, with the R/A/C/I roles each holds.

    The owner of a responsibility counts as Responsible unless roles are entered for it.

    Parameters
    ----------
    view
        A document or a snapshot.

    Returns
    -------
    dict
        ``rows``: one dict per controller (and per other component holding a role), in
        document order, with ``id``, ``name``, ``kind``, ``nature``;
        ``columns``: one dict per system-level constraint with ``id``, ``text``,
        ``hazards`` and ``assigned`` (someone is Responsible or Accountable for it);
        ``cells``: row id -> column id -> ``{"roles": ["R", "A"], "label": "R/A",
        "responsibilities": ["R-1"]}``, only for cells that hold something.
    """
    index = Index(view, links=False)
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    letters = list(RACI_LETTERS.values())
    for resp in index.responsibilities.values():
        for component, roles in index.raci[resp.id].items():
            marks = [RACI_LETTERS[role] for role in roles]
            for constraint in dict.fromkeys(resp.constraints):
                cell = cells.setdefault(component, {}).setdefault(
                    constraint, {"roles": [], "responsibilities": []}
                )
                cell["roles"] = [m for m in letters if m in cell["roles"] or m in marks]
                cell["responsibilities"].append(resp.id)
    for row in cells.values():
        for cell in row.values():
            cell["label"] = "/".join(cell["roles"])
    rows = [
        {"id": c.id, "name": c.name, "kind": c.kind.value, "nature": c.nature.value}
        for c in index.components.values()
        if c.kind == ComponentKind.CONTROLLER or c.id in cells
    ]
    assigned = {
        constraint
        for row in cells.values()
        for constraint, cell in row.items()
        if "R" in cell["roles"] or "A" in cell["roles"]
    }
    columns = [
        {
            "id": sc.id,
            "text": sc.text,
            "hazards": list(sc.hazards),
            "assigned": sc.id in assigned,
        }
        for sc in view.constraints.values()
    ]
    return {"rows": rows, "columns": columns, "cells": cells}


# --- accountability chains -------------------------------------------------------------------


def _hazard_breaks(
    index: Index, hazard_id: str, memo: dict[str, list[tuple[str, str]]]
) -> list[tuple[str, str]]:
    """Where the chain from a hazard up to someone answerable breaks; empty when it holds.

    Each break is (id, what is missing). The chain holds when a responsibility covering one
    of its constraints is held by a component that answers to an organisation or regulator,
    or when every sub-hazard's chain holds.
    """
    if hazard_id in memo:
        return memo[hazard_id]
    memo[hazard_id] = []  # a guard against parent cycles
    breaks: list[tuple[str, str]] = []
    constraints = index.constraints_of.get(hazard_id, [])
    children = index.sub_hazards.get(hazard_id, [])
    parent = index.view.hazards[hazard_id].parent
    if not constraints and not children and parent is not None:
        constraints = index.constraints_of.get(parent, [])  # refines its parent's constraints
    for constraint in constraints:
        resps = index.by_constraint.get(constraint, [])
        if not resps:
            breaks.append((constraint, f"{constraint} is assigned to no responsibility"))
            continue
        stops = [_stop(index, r) for r in resps]
        if any(stop is None for stop in stops):
            memo[hazard_id] = []
            return []
        holders = [c for r in resps for c in index.holders[r.id]]
        short = [stop for stop in stops if stop]
        if short:
            breaks.append((constraint, f"{constraint}'s chain {short[0]}"))
            continue
        breaks.append(
            (
                constraint,
                f"{constraint} is held only by {listing(index.names(index.sorted(holders)))}, "
                "who answer to no organisation or regulator",
            )
        )
    if children:
        child_breaks = [b for child in children for b in _hazard_breaks(index, child, memo)]
        if not child_breaks:
            memo[hazard_id] = []
            return []
        if not constraints:
            breaks.extend(child_breaks)
    if not constraints and not children:
        breaks.append((hazard_id, f"no system-level constraint traces to {hazard_id}"))
    memo[hazard_id] = breaks
    return breaks


def _required_overseers(index: Index, resp: Responsibility) -> list[str]:
    """The regulators and oversight bodies with authority over a process ``resp`` concerns."""
    return index.overseers_of(resp.processes)


def _stop(index: Index, resp: Responsibility) -> str | None:
    """Whether the chain above ``resp``'s holders holds: ``None`` when it does, ``""`` when
    no holder answers to any organisation or regulator, else where it stops short of the
    overseers that have authority over its processes."""
    holders = index.holders[resp.id]
    if not any(h in index.answerable for h in holders):
        return ""
    needed = _required_overseers(index, resp)
    if not needed or any(h in index.regulated for h in holders):
        return None
    tops = index.sorted(t for h in holders for t in _tops(index, h))
    processes = [p for p in dict.fromkeys(resp.processes) if index.overseers_of([p])]
    return (
        f"stops at {listing(index.names(tops))}, which answer{'s' if len(tops) == 1 else ''} "
        f"to no regulator, while {listing(index.names(needed))} "
        f"{'has' if len(needed) == 1 else 'have'} authority over "
        f"{listing(index.names(index.sorted(processes)))}"
    )


def _tops(index: Index, component_id: str) -> list[str]:
    """The tops of the chains above ``component_id``: who answers for it and answers to no
    one (itself if no one answers for it), up to 64 levels, as the chain view goes."""
    found: dict[str, None] = {}
    seen = {component_id}
    frontier = [component_id]
    for _ in range(64):
        following = []
        for node in frontier:
            above = index.answers_to(node)
            if not above:
                found[node] = None
            fresh = [a for a in above if a not in seen]
            seen.update(fresh)
            following.extend(fresh)
        frontier = following
        if not frontier:
            break
    return list(found)


def _loss_breaks(
    index: Index, loss_id: str, memo: dict[str, list[tuple[str, str]]]
) -> list[tuple[str, str]]:
    hazards = index.hazards_of_loss.get(loss_id, [])
    if not hazards:
        return [(loss_id, f"no hazard traces to {loss_id}")]
    return [b for hazard in hazards for b in _hazard_breaks(index, hazard, memo)]


def _accountability(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    memo: dict[str, list[tuple[str, str]]] = {}
    for loss in index.view.losses.values():
        breaks = list(dict.fromkeys(_loss_breaks(index, loss.id, memo)))
        if not breaks:
            continue
        yield _finding(
            context,
            "broken-accountability-chain",
            f"{loss.id} “{loss.text}” cannot be traced up to an organisation or regulator "
            f"that answers for it: {'; '.join(text for _, text in breaks)}.",
            [loss.id, *(where for where, _ in breaks)],
            data={"breaks": _ids([where for where, _ in breaks])},
        )


def accountability_chain(view: DocumentView, loss_id: str) -> dict[str, Any]:
    """The accountability chain of one loss, as a tree of plain dicts.

    loss -> hazards (and sub-hazards) -> constraints -> responsibilities -> the components
    holding them -> who controls those (following control actions upward) -> ... up to the
    organisations and regulators that answer for it.

    Parameters
    ----------
    view
        A document or a snapshot.
    loss_id
        The loss; a ``KeyError`` if the view has no such loss.

    Returns
    -------
    dict
        A node: ``id``, ``type`` (``loss``, ``hazard``, ``constraint``, ``responsibility``,
        ``component``), ``label``, ``holds`` (whether the chain below this node reaches an
        organisation or regulator), ``break`` (where it breaks, else ``""``), ``link`` (for
        a component reached upward: the control-action link from it to the one below),
        ``repeat`` (a component already shown higher in the tree), ``contains`` (a
        component reached upward because it contains the one below, not by a control
        action) and ``children``. Where a regulator or oversight body has authority over a
        process a responsibility concerns, a component holds only if its chain reaches one. The
        root also has ``highlight``: ``{"components": [...], "links": [...]}``, what to mark
        on the diagram, and ``breaks``: ``[[id, text], ...]``.
    """
    index = Index(view)
    loss = view.losses[loss_id]
    memo: dict[str, list[tuple[str, str]]] = {}
    answerable = index.answerable
    shown: set[str] = set()
    marked_components: dict[str, None] = {}
    marked_links: dict[str, None] = {}

    def node(kind: str, record_id: str, label: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": record_id,
            "type": kind,
            "label": label,
            "holds": True,
            "break": "",
            "link": "",
            "repeat": False,
            "children": [],
            **extra,
        }

    def component_node(
        cid: str, needed: Sequence[str], link: str = "", depth: int = 0, contains: bool = False
    ) -> dict[str, Any]:
        component = index.components[cid]
        label = component.name
        if component.nature in ANSWERING:
            label += f" ({component.nature.value})"
        holds = cid in (index.regulated if needed else answerable)
        item = node("component", cid, label, link=link, holds=holds, contains=contains)
        marked_components[cid] = None
        if link:
            marked_links[link] = None
        if cid in shown:
            item["repeat"] = True
            return item
        shown.add(cid)
        above = index.answers_to(cid)
        if not above and cid not in answerable:
            item["break"] = (
                f"{component.name} answers to no one: no organisation or regulator controls "
                "or contains it"
            )
        elif not above and not holds:
            item["break"] = (
                f"{component.name} answers to no regulator, while "
                f"{listing(index.names(needed))} {'has' if len(needed) == 1 else 'have'} "
                "authority over what it is responsible for"
            )
        if depth < 64:
            for superior in above:
                links = index.ca_in.get(cid, {}).get(superior)
                item["children"].append(
                    component_node(
                        superior,
                        needed,
                        links[0].id if links else "",
                        depth + 1,
                        contains=not links,
                    )
                )
        return item

    def hazard_node(hid: str, depth: int = 0) -> dict[str, Any]:
        hazard = view.hazards[hid]
        breaks = _hazard_breaks(index, hid, memo)
        item = node("hazard", hid, f"{hid} {hazard.text}", holds=not breaks)
        constraints = index.constraints_of.get(hid, [])
        if not constraints and not index.sub_hazards.get(hid):
            if hazard.parent is not None:  # a sub-hazard refines its parent's constraints
                constraints = index.constraints_of.get(hazard.parent, [])
            if not constraints:
                item["break"] = f"no system-level constraint traces to {hid}"
        for cid in constraints:
            constraint = view.constraints[cid]
            sc_item = node("constraint", cid, f"{cid} {constraint.text}")
            resps = index.by_constraint.get(cid, [])
            if not resps:
                sc_item["holds"] = False
                sc_item["break"] = f"{cid} is assigned to no responsibility"
            for resp in resps:
                holders = index.holders[resp.id]
                needed = _required_overseers(index, resp)
                r_item = node(
                    "responsibility",
                    resp.id,
                    f"{resp.id} {resp.text}",
                    holds=_stop(index, resp) is None,
                )
                r_item["children"] = [component_node(h, needed) for h in holders]
                sc_item["children"].append(r_item)
            if resps and not any(r["holds"] for r in sc_item["children"]):
                sc_item["holds"] = False
            item["children"].append(sc_item)
        if depth < 64:
            for child in index.sub_hazards.get(hid, []):
                item["children"].append(hazard_node(child, depth + 1))
        return item

    root = node("loss", loss.id, f"{loss.id} {loss.text}")
    top = [
        hid
        for hid in index.hazards_of_loss.get(loss.id, [])
        if view.hazards[hid].parent not in index.hazards_of_loss.get(loss.id, [])
    ]
    root["children"] = [hazard_node(hid) for hid in top]
    breaks = list(dict.fromkeys(_loss_breaks(index, loss.id, memo)))
    if not top:
        root["break"] = f"no hazard traces to {loss.id}"
    root["holds"] = not breaks
    root["breaks"] = [[where, text] for where, text in breaks]
    root["highlight"] = {"components": list(marked_components), "links": list(marked_links)}
    return root


# --- drift -------------------------------------------------------------------------------------


def _drift(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    monitored = index.monitored()

    def reports(component_id: str) -> bool:
        return any(link.target in monitored for link in index.flow_out.get(component_id, ()))

    for process in index.components.values():
        if process.kind != ComponentKind.CONTROLLED_PROCESS:
            continue
        front = index.controllers_of(process.id)
        if not front or reports(process.id) or any(reports(c) for c in front):
            continue
        # the nearest organisations and regulators: among the front line, above it, and the
        # regulators above those
        near = [c for c in front if index.nature(c) in ANSWERING] + [
            s for c in front for s in index.superiors(c) if index.nature(s) in ANSWERING
        ]
        above = [s for c in near for s in index.superiors(c) if index.nature(s) in ANSWERING]
        overseers = index.sorted(near + above)
        who = listing(index.names(overseers), conjunction="or") or "no organisation or regulator"
        yield _finding(
            context,
            "drift-unmonitored",
            f"Nothing about how {process.name} performs in operation reaches an organisation "
            f"or regulator: no feedback from it or from {listing(index.names(front))} reaches "
            f"{who}, so migration toward higher risk goes unseen.",
            [process.id, *front],
            data={"front_line": _ids(front), "overseers": _ids(overseers)},
        )


# --- oversight ---------------------------------------------------------------------------------


def _bits(mask: int, ids: Sequence[str]) -> list[str]:
    """The ids whose bit is set in ``mask`` (bit i is ``ids[i]``), in the order of ``ids``."""
    return [cid for i, cid in enumerate(ids) if mask >> i & 1]


def _oversight(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    bodies = index.overseers
    if not bodies:
        return
    # which bodies govern each component (index.governed), and which hear from it: feedback
    # to the body or to anyone it contains, over any number of links
    governed = index.governed
    seeds: dict[str, int] = {}
    for i, body in enumerate(bodies):
        for receiver in (body, *index.inside(body)):
            seeds[receiver] = seeds.get(receiver, 0) | 1 << i
    heard = index.spread(seeds, index.informing)
    unheard: dict[str, list[tuple[str, list[str]]]] = {}
    for pid, component in index.components.items():
        if component.kind != ComponentKind.CONTROLLED_PROCESS or pid not in governed:
            continue
        front = index.controllers_of(pid)
        told = heard.get(pid, 0)
        for controller in front:
            told |= heard.get(controller, 0)
        for body in _bits(governed[pid] & ~told, bodies):
            unheard.setdefault(body, []).append((pid, front))
    for body in bodies:
        for process, front in unheard.get(body, ()):
            monitors = [c for c in index.reports_to(process) if c != body]
            own = (
                f" ({listing(index.names(monitors))} monitor{'s' if len(monitors) == 1 else ''} "
                "it, which does not replace oversight)"
                if monitors
                else ""
            )
            yield _finding(
                context,
                "oversight-without-feedback",
                f"{index.name(body)} has authority over {index.name(process)} but receives no "
                f"feedback about its operation{own}: no incident report, audit or other "
                f"feedback from {index.name(process)} or from "
                f"{listing(index.names(front)) or 'its controllers'} reaches it.",
                [body, process],
                data={"body": body, "process": process, "monitors": _ids(monitors)},
            )


# --- system boundaries (the policy brief) -------------------------------------------------------


def _technical_boundaries(index: Index) -> dict[str, set[str]]:
    """Boundary id -> its contents, for boundaries around technical parts only: software or
    AI models inside, and no person, organisation or regulator."""
    found: dict[str, set[str]] = {}
    for cid, component in index.view.components.items():
        if component.kind != ComponentKind.BOUNDARY:
            continue
        inside = {c for c in index.inside(cid) if c in index.components}
        natures = {index.components[c].nature for c in inside}
        if natures & AUTOMATED and not natures & {Nature.HUMAN, *ANSWERING}:
            found[cid] = inside
    return found


def _technical_only(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    technical = _technical_boundaries(index)
    if not technical:
        return
    within = {c: b for b, inside in technical.items() for c in inside}
    for hazard in index.view.hazards.values():
        resps = [
            r
            for sc in index.constraints_of.get(hazard.id, ())
            for r in index.by_constraint.get(sc, ())
        ]
        if not resps:
            continue
        holders = index.sorted(h for r in resps for h in index.holders[r.id])
        if not all(h in within for h in holders):
            continue
        boundaries = list(dict.fromkeys(within[h] for h in holders))
        yield _finding(
            context,
            "technical-mitigation-only",
            f"{hazard.id} “{hazard.text}” is mitigated by technical means alone: every "
            f"responsibility covering it ({listing([r.id for r in resps])}) is held inside "
            f"{listing(index.names(boundaries))} "
            f"(by {listing(index.names(holders))}). Post hoc technical mitigation may be too "
            "little too late: give people or organisations outside the technical system a "
            "responsibility for it (procedures, oversight, the decision to use the model).",
            [hazard.id, *(r.id for r in resps), *holders],
            data={"boundaries": _ids(boundaries), "holders": _ids(holders)},
        )


def _catching_outside(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    for component in index.components.values():
        if component.nature != Nature.HUMAN or component.id not in index.held:
            continue
        load = _human_load(index, component.id)
        if not load.catching:
            continue
        mine = set(index.boundaries_of(component.id))
        outside: dict[str, None] = {}
        for auto in load.automation:
            around = index.boundaries_of(auto)
            if around and around[-1] not in mine:  # the outermost boundary around it
                outside[around[-1]] = None
        if not outside:
            continue
        systems = list(outside)
        yield _finding(
            context,
            "catching-outside-boundary",
            f"{component.name} is outside {listing(index.names(systems))} but holds "
            f"{listing(load.catching)}, a responsibility for catching failures of "
            f"{listing(index.names(load.automation))} inside it: foreseeable malfunction is "
            "for those who build and deploy the system to catch, not for people outside it.",
            [component.id, *systems, *load.catching],
            data={"boundaries": _ids(systems), "responsibilities": _ids(load.catching)},
        )


def _unobserved_boundaries(context: AnalysisContext, index: Index) -> Iterator[Finding]:
    controllers = {cid for cid, c in index.components.items() if c.kind == ComponentKind.CONTROLLER}
    for cid, component in index.view.components.items():
        if component.kind != ComponentKind.BOUNDARY:
            continue
        inside = index.inside(cid)
        outside = controllers - inside
        if not inside or not outside:
            continue
        # follow feedback and information out of the boundary, through anything outside it
        reached: set[str] = set()
        frontier = list(inside)
        while frontier:
            following = []
            for node in frontier:
                for link in index.flow_out.get(node, ()):
                    target = link.target
                    if target not in inside and target not in reached:
                        reached.add(target)
                        following.append(target)
            frontier = following
        if reached & outside:
            continue
        yield _finding(
            context,
            "boundary-unobserved",
            f"No controller outside {component.name} receives feedback from inside it: "
            f"nobody outside the system can see how it behaves (controllers outside: "
            f"{listing(index.names(index.sorted(outside)))}).",
            [cid],
            data={"outside": _ids(index.sorted(outside))},
        )
