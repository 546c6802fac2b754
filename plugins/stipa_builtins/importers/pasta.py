"""PASTA ``.stpa`` files into Stipa documents (both keyword generations).

Mapping (IMPORTERS.md section 3): losses, hazards with sub-hazards, system constraints (sub-
constraints flattened, their parent kept), nodes as components (kind inferred: a node that
sends control actions is a controller, any other a controlled process; nesting and
``hierarchyLevel`` kept as ``parent`` and ``level``), each ``[a, b] -> T`` as one link carrying
its actions, process models with their ranges kept, responsibilities, UCAs (block -> Handbook
type), context-table rules (each context one UCA plus one structured context rule, the fine
type as ``subtype``), controller constraints, loss scenarios with their causal-factor keyword
(``factor``), safety requirements with their traces. Every record keeps its PASTA id as its
``alias``. Goals, assumptions, DCAs, inputs, outputs, group headers and sub-constraints have no
home in Stipa's model: they are kept verbatim in the ``pasta`` namespace and listed.
"""

from __future__ import annotations

from pathlib import Path

from stipa import (
    CausalFactor,
    Component,
    ComponentKind,
    Condition,
    ContextRule,
    ControllerConstraint,
    DocumentInfo,
    FileFormatError,
    Hazard,
    Imported,
    Link,
    LinkItem,
    LinkKind,
    Loss,
    LossScenario,
    ProcessVariable,
    Responsibility,
    SafetyRequirement,
    ScenarioCategory,
    SystemConstraint,
    UCASubtype,
    UCAType,
    UnsafeControlAction,
    read_foreign_file,
)
from stipa_builtins.importers.common import Builder
from stipa_builtins.importers.pasta_syntax import CAUSAL_FACTORS, Edge, Item, Node, Rule, parse

FORMAT = "pasta"

#: UCA block keyword -> Handbook type.
BLOCK_TYPES = {
    "notProviding": UCAType.NOT_PROVIDED,
    "providing": UCAType.PROVIDED,
    "tooEarlyOrLateOrWrongOrder": UCAType.TIMING,
    "stoppedTooSoonOrLate": UCAType.DURATION,
}
#: Context-table rule type -> Handbook type (the fine type is kept beside it).
RULE_TYPES = {
    "not-provided": UCAType.NOT_PROVIDED,
    "provided": UCAType.PROVIDED,
    "too-early": UCAType.TIMING,
    "too-late": UCAType.TIMING,
    "wrong-time": UCAType.TIMING,
    "applied-too-long": UCAType.DURATION,
    "stopped-too-soon": UCAType.DURATION,
}
#: Context-table rule type -> the fine type kept beside the Handbook's.
RULE_SUBTYPES = {
    "too-early": UCASubtype.TOO_EARLY,
    "too-late": UCASubtype.TOO_LATE,
    "applied-too-long": UCASubtype.APPLIED_TOO_LONG,
    "stopped-too-soon": UCASubtype.STOPPED_TOO_SOON,
}
#: PASTA's causal-factor keyword -> Stipa's (the same 16, in snake case).
FACTORS = {
    keyword: CausalFactor(
        "conflicting_control_action"
        if keyword == "conflictingCA"
        else "".join("_" + c.lower() if c.isupper() else c for c in keyword)
    )
    for keyword in CAUSAL_FACTORS
}
#: Causal-factor keyword -> the Handbook's scenario category (an inference, reported).
FACTOR_CATEGORIES = {
    "inadequateControlAlgorithm": ScenarioCategory.CONTROLLER,
    "wrongProcessModel": ScenarioCategory.CONTROLLER,
    "wrongControlInput": ScenarioCategory.CONTROLLER,
    "missingFeedback": ScenarioCategory.FEEDBACK,
    "delayedFeedback": ScenarioCategory.FEEDBACK,
    "measurementInaccurate": ScenarioCategory.FEEDBACK,
    "incorrectInformationProvided": ScenarioCategory.FEEDBACK,
    "controlAction": ScenarioCategory.CONTROL_PATH,
    "inadequateOperation": ScenarioCategory.CONTROL_PATH,
    "delayedOperation": ScenarioCategory.CONTROL_PATH,
    "conflictingCA": ScenarioCategory.CONTROL_PATH,
    "componentFailure": ScenarioCategory.PROCESS,
    "changesOverTime": ScenarioCategory.PROCESS,
    "disturbance": ScenarioCategory.PROCESS,
    "processOutput": ScenarioCategory.PROCESS,
    "wrongProcessInput": ScenarioCategory.PROCESS,
}


def load(path: Path) -> Imported:
    """Import the PASTA file ``path``."""
    data = read_foreign_file(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileFormatError.single(str(path), "The file is not UTF-8 text.", line) from None
    return _Import(Path(path), text).run()


def quote(text: str) -> str:
    """``text`` as a PASTA string.

    PASTA strings have no escapes, so the other quote mark encloses it; a text holding both
    has its double quotes written as \u201d (the exporter says so in the file).
    """
    if '"' in text and "'" in text:
        text = text.replace('"', "\u201d")
    return f"'{text}'" if '"' in text else f'"{text}"'


def refs(names: list[str]) -> str:
    return f" [{', '.join(names)}]" if names else ""


def rule_text(rule: Rule, dca: bool = False) -> str:
    """A context-table or DCA rule in PASTA syntax."""
    lines = [
        f"{rule.name} {{",
        f"    controlAction: {rule.system}.{rule.action}",
        f"    type: {rule.type}",
        "    contexts: {",
    ]
    for context in rule.contexts:
        values = ", ".join(f"{variable} = {value}" for variable, value in context.values)
        lines.append(f"        {context.name} [{values}]" + ("" if dca else refs(context.hazards)))
    lines += ["    }", "}"]
    return "\n".join(lines)


class _Import:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.model = parse(text, str(path))
        self.b = Builder(FORMAT, path)
        self.losses: dict[str, str] = {}
        self.hazards: dict[str, str] = {}
        self.constraints: dict[str, str] = {}
        self.components: dict[str, str] = {}
        self.nodes: dict[str, Node] = {}
        self.actions: dict[tuple[str, str], str] = {}
        self.variables: dict[tuple[str, str], ProcessVariable] = {}
        self.ucas: dict[str, str] = {}
        self.scenarios: dict[str, str] = {}

    def error(self, line: int, message: str) -> FileFormatError:
        return FileFormatError.single(str(self.path), message, line)

    def resolve(self, table: dict[str, str], name: str, line: int, what: str) -> str:
        found = table.get(name)
        if found is None:
            raise self.error(line, f"{name} is not {what} of this file.")
        return found

    def run(self) -> Imported:
        m, b = self.model, self.b
        for line, message in m.tolerated:
            b.infer("syntax", line, message + " Read as PASTA reads it.")
        for kind, items in (("goal", m.goals), ("assumption", m.assumptions)):
            for item in items:
                b.keep(kind, item.line, f"{item.name}: Stipa has no {kind}s.", _plain(item))
        for item in m.losses:
            lid = b.add(Loss(id=b.new_id("L-"), text=item.text), item.name).id
            self.losses[item.name] = lid
        for item in m.hazards:
            self.hazard(item, None)
        for item in m.constraints:
            self.constraint(item, None)
        self.structure()
        for entry in m.responsibilities:
            owner = self.resolve(self.components, entry.system, entry.line, "a component")
            for item in entry.items:
                constraints = tuple(
                    self.resolve(self.constraints, r, item.line, "a system constraint")
                    for r in item.refs
                )
                b.add(
                    Responsibility(
                        id=b.new_id("R-"), text=item.text, owner=owner, constraints=constraints
                    ),
                    item.name,
                )
        for action_ucas in m.ucas:
            action = self.action(action_ucas.system, action_ucas.action, action_ucas.line)
            for block, items in action_ucas.blocks.items():
                for item in items:
                    uca = UnsafeControlAction(
                        id=b.new_id("UCA-"),
                        action=action,
                        type=BLOCK_TYPES[block],
                        context=item.text,
                        hazards=self.hazard_refs(item.refs, item.line),
                    )
                    self.ucas[item.name] = b.add(uca, item.name).id
        for rule in m.rules:
            self.context_rule(rule)
        for rule in m.dcas:
            b.keep(
                "DCA rule",
                rule.line,
                f"{rule.name}: Stipa has no desired control actions.",
                rule_text(rule, dca=True),
            )
            b.counts["dcas"] += len(rule.contexts)
        for item in m.controller_constraints:
            ucas = tuple(self.resolve(self.ucas, r, item.line, "a UCA") for r in item.refs)
            b.add(ControllerConstraint(id=b.new_id("CC-"), text=item.text, ucas=ucas), item.name)
        for item in m.scenarios:
            self.scenario(item)
        for item in m.requirements:
            self.requirement(item)
        return b.finish(DocumentInfo(title=m.structure or self.path.stem))

    # --- hazards and constraints ------------------------------------------------------------
    def hazard_refs(self, names: list[str], line: int) -> tuple[str, ...]:
        return tuple(self.resolve(self.hazards, name, line, "a hazard") for name in names)

    def hazard(self, item: Item, parent: str | None) -> None:
        b = self.b
        losses = tuple(self.resolve(self.losses, r, item.line, "a loss") for r in item.refs)
        hazard = Hazard(id=b.new_id("H-"), text=item.text, losses=losses, parent=parent)
        b.add(hazard, item.name, count="sub_hazards" if parent else "hazards")
        self.hazards[item.name] = hazard.id
        self.headers(item, hazard.id)
        for child in item.children:
            self.hazard(child, hazard.id)

    def constraint(self, item: Item, parent: str | None) -> None:
        b = self.b
        constraint = SystemConstraint(
            id=b.new_id("SC-"), text=item.text, hazards=self.hazard_refs(item.refs, item.line)
        )
        b.add(constraint, item.name, count="sub_constraints" if parent else "constraints")
        self.constraints[item.name] = constraint.id
        if parent:
            b.keep(
                "constraint refinement",
                item.line,
                f"{item.name} refines another constraint; Stipa's constraints are not nested.",
                record=constraint.id,
                parent=parent,
            )
        self.headers(item, constraint.id)
        for child in item.children:
            self.constraint(child, constraint.id)

    def headers(self, item: Item, record: str) -> None:
        for child in item.children:
            if child.header is not None:
                self.b.keep(
                    "group header",
                    child.line,
                    f"The header {child.header!r} groups {item.name}'s refinements.",
                    child.header,
                    record=record,
                    before=child.name,
                )

    # --- the control structure --------------------------------------------------------------
    def structure(self) -> None:
        b = self.b
        flat: list[tuple[Node, Node | None]] = []

        def walk(node: Node, parent: Node | None) -> None:
            if node.name in self.nodes:
                raise self.error(node.line, f"The component {node.name} is defined twice.")
            self.nodes[node.name] = node
            flat.append((node, parent))
            for child in node.children:
                walk(child, node)

        for node in self.model.nodes:
            walk(node, None)
        for node, parent in flat:
            kind = ComponentKind.CONTROLLER if node.actions else ComponentKind.CONTROLLED_PROCESS
            variables = []
            for variable in node.variables:
                pv = ProcessVariable(
                    id=b.new_id("PV-"),
                    name=variable.name,
                    values=tuple(v.name for v in variable.values),
                )
                variables.append(pv)
                self.variables[(node.name, variable.name)] = pv
                b.counts["process_variables"] += 1
                b.counts["process_values"] += len(variable.values)
                for value in variable.values:
                    if value.range:
                        b.data(pv.id, f"range:{value.name}", value.range)
            component = Component(
                id=b.new_id("C-"),
                name=node.label or node.name,
                kind=kind,
                variables=tuple(variables),
                parent=self.components[parent.name] if parent is not None else "",
                level=node.level,
            )
            b.add(component, node.name)
            self.components[node.name] = component.id
            b.infer(
                "component kind",
                node.line,
                f"{node.name} is a {kind.value.replace('_', ' ')}: "
                + ("it sends control actions." if node.actions else "it sends none."),
            )
            if parent is not None:
                b.counts["nested_components"] += 1
            for kind_name, commands in (("input", node.inputs), ("output", node.outputs)):
                for command in commands:
                    b.keep(
                        kind_name,
                        command.line,
                        f"The {kind_name} {command.name} of {node.name} has no other end.",
                        f"{command.name} {quote(command.label)}",
                        component=component.id,
                    )
        for node, _parent in flat:
            source = self.components[node.name]
            for edges, link_kind in (
                (node.actions, LinkKind.CONTROL_ACTION),
                (node.feedbacks, LinkKind.FEEDBACK),
                (node.coordinations, LinkKind.INFORMATION),
            ):
                for edge in edges:
                    self.edge(node, source, edge, link_kind)

    def edge(self, node: Node, source: str, edge: Edge, kind: LinkKind) -> None:
        b = self.b
        target = self.resolve(self.components, edge.target, edge.line, "a component")
        prefix = {LinkKind.CONTROL_ACTION: "CA-", LinkKind.FEEDBACK: "FB-"}.get(kind, "IN-")
        items = []
        for command in edge.commands:
            item = LinkItem(
                id=b.new_id(prefix), name=command.label or command.name, alias=command.name
            )
            items.append(item)
            if kind == LinkKind.CONTROL_ACTION:
                self.actions[(node.name, command.name)] = item.id
        link = Link(id=b.new_id("LK-"), source=source, target=target, kind=kind, items=tuple(items))
        count = {LinkKind.CONTROL_ACTION: "control", LinkKind.FEEDBACK: "feedback"}
        noun = count.get(kind, "coordination")
        b.add(link, count=f"{noun}_arrows")
        b.counts["control_actions" if noun == "control" else noun] += len(items)
        if edge.bi:
            b.data(link.id, "bi", "true")

    def action(self, system: str, action: str, line: int) -> str:
        if system not in self.components:
            raise self.error(line, f"{system} is not a component of this file.")
        found = self.actions.get((system, action))
        if found is None:
            raise self.error(line, f"{action} is not a control action of {system}.")
        return found

    # --- context tables and scenarios -------------------------------------------------------
    def context_rule(self, rule: Rule) -> None:
        b = self.b
        action = self.action(rule.system, rule.action, rule.line)
        b.counts["context_rules"] += 1
        uca_type = RULE_TYPES[rule.type]
        for context in rule.contexts:
            conditions = []
            for variable_name, value in context.values:
                variable = self.variables.get((rule.system, variable_name))
                if variable is None or value not in variable.values:
                    raise self.error(
                        context.line,
                        f"{variable_name} = {value} is not a value of a process variable of "
                        f"{rule.system}.",
                    )
                conditions.append(Condition(variable=variable.id, value=value))
            hazards = self.hazard_refs(context.hazards, context.line)
            text = ", ".join(f"{name} = {value}" for name, value in context.values)
            subtype = RULE_SUBTYPES.get(rule.type, UCASubtype.UNSPECIFIED)
            uca = UnsafeControlAction(
                id=b.new_id("UCA-"),
                action=action,
                type=uca_type,
                subtype=subtype,
                context=text,
                hazards=hazards,
            )
            self.ucas[context.name] = b.add(uca, context.name).id
            context_rule = ContextRule(
                id=b.new_id("CR-"),
                action=action,
                type=uca_type,
                subtype=subtype,
                conditions=tuple(conditions),
                hazardous=True,
                hazards=hazards,
            )
            b.add(context_rule, rule.name, count="")
            b.data(context_rule.id, "uca", uca.id)

    def scenario(self, item: Item) -> None:
        b = self.b
        ucas: tuple[str, ...] = ()
        if item.uca is not None:
            ucas = (self.resolve(self.ucas, item.uca, item.line, "a UCA"),)
            b.counts["scenarios_for_uca"] += 1
        category = FACTOR_CATEGORIES.get(item.factor, ScenarioCategory.UNSPECIFIED)
        scenario = LossScenario(
            id=b.new_id("LS-"),
            text=item.text,
            ucas=ucas,
            hazards=self.hazard_refs(item.refs, item.line),
            factor=FACTORS.get(item.factor, CausalFactor.UNSPECIFIED),
            category=category,
        )
        self.scenarios[item.name] = b.add(scenario, item.name).id
        if item.factor:
            b.counts["scenarios_with_factor"] += 1
            b.infer(
                "scenario category",
                item.line,
                f"{item.name}'s category {category.value} follows from <{item.factor}>.",
            )

    def requirement(self, item: Item) -> None:
        """A safety requirement tracing to scenarios, UCAs and hazards (names across kinds)."""
        traces: dict[str, list[str]] = {"scenarios": [], "ucas": [], "hazards": []}
        for name in item.refs:
            for field, table in (
                ("scenarios", self.scenarios),
                ("ucas", self.ucas),
                ("hazards", self.hazards),
            ):
                if name in table:
                    traces[field].append(table[name])
                    break
            else:
                raise self.error(
                    item.line, f"{name} is not a scenario, UCA or hazard of this file."
                )
        b = self.b
        b.add(
            SafetyRequirement(
                id=b.new_id("SR-"),
                text=item.text,
                scenarios=tuple(traces["scenarios"]),
                ucas=tuple(traces["ucas"]),
                hazards=tuple(traces["hazards"]),
            ),
            item.name,
        )


def _plain(item: Item) -> str:
    return f"{item.name} {quote(item.text)}{refs(item.refs)}"


__all__ = ["FORMAT", "load", "quote", "rule_text"]
