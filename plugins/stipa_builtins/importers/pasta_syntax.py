"""A tolerant recursive-descent parser of PASTA's ``.stpa`` language into a syntax tree.

It follows PASTA's Langium grammar (kieler/pasta ``stpa.langium``) and is tolerant where PASTA
itself is: both keyword generations of the UCA blocks (``tooEarlyOrLateOrWrongOrder`` and,
before PASTA 0.6.3, ``tooEarly/Late``), causal factors in any case, sections in any order,
optional reference lists, comments anywhere, any UTF-8 text. ``strict=True`` accepts only what
the current grammar does (the exporter's output is checked that way). Every syntax error names
the file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stipa import FileFormatError

#: The 16 causal-factor keywords of loss scenarios, as the grammar spells them.
CAUSAL_FACTORS: tuple[str, ...] = (
    "controlAction",
    "inadequateOperation",
    "delayedOperation",
    "componentFailure",
    "changesOverTime",
    "conflictingCA",
    "wrongProcessInput",
    "disturbance",
    "processOutput",
    "delayedFeedback",
    "measurementInaccurate",
    "incorrectInformationProvided",
    "missingFeedback",
    "inadequateControlAlgorithm",
    "wrongProcessModel",
    "wrongControlInput",
)
_FACTOR_BY_LOWER = {factor.lower(): factor for factor in CAUSAL_FACTORS}

#: UCA blocks in the order the grammar requires: (current keyword, keyword before 0.6.3).
UCA_BLOCKS: tuple[tuple[str, str], ...] = (
    ("notProviding", "notProviding"),
    ("providing", "providing"),
    ("tooEarlyOrLateOrWrongOrder", "tooEarly/Late"),
    ("stoppedTooSoonOrLate", "stoppedTooSoon"),
)
RULE_TYPES = (
    "not-provided",
    "provided",
    "too-late",
    "too-early",
    "wrong-time",
    "applied-too-long",
    "stopped-too-soon",
)
SECTIONS = (
    "Goals",
    "Assumptions",
    "Losses",
    "Hazards",
    "SystemConstraints",
    "ControlStructure",
    "Responsibilities",
    "UCAs",
    "Context-Table",
    "DCAs",
    "ControllerConstraints",
    "LossScenarios",
    "SafetyRequirements",
)

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<comment>//[^\n\r]*|/\*[\s\S]*?\*/)
      | (?P<unclosed>/\*)
      | (?P<string>"[^"]*"|'[^']*')
      | (?P<id>[_a-zA-Z][_a-zA-Z0-9]*)
      | (?P<int>[0-9]+)
      | (?P<punct>->|!=|[{}\[\](),.:=<>/-])""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "id", "int", "string", "punct" or "end"
    text: str
    line: int
    column: int
    offset: int


@dataclass
class Item:
    """A named text with references: goal, loss, hazard, constraint, UCA, scenario..."""

    name: str
    text: str
    line: int
    refs: list[str] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    #: The group header string written before this sub-item, if any.
    header: str | None = None
    factor: str = ""
    uca: str | None = None


@dataclass
class Command:
    name: str
    label: str
    line: int


@dataclass
class Edge:
    commands: list[Command]
    target: str
    line: int
    bi: bool = False


@dataclass
class Value:
    name: str
    #: The range after the name exactly as written (``=[MIN, minDist]``), or "".
    range: str = ""


@dataclass
class Variable:
    name: str
    values: list[Value]
    line: int


@dataclass
class Node:
    name: str
    line: int
    level: int | None = None
    label: str | None = None
    variables: list[Variable] = field(default_factory=list)
    inputs: list[Command] = field(default_factory=list)
    outputs: list[Command] = field(default_factory=list)
    actions: list[Edge] = field(default_factory=list)
    feedbacks: list[Edge] = field(default_factory=list)
    coordinations: list[Edge] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


@dataclass
class Context:
    name: str
    values: list[tuple[str, str]]
    hazards: list[str]
    line: int


@dataclass
class Rule:
    name: str
    system: str
    action: str
    type: str
    contexts: list[Context]
    line: int


@dataclass
class ActionUcas:
    system: str
    action: str
    line: int
    #: The four blocks in grammar order, keyed by the current keyword.
    blocks: dict[str, list[Item]] = field(default_factory=dict)


@dataclass
class Responsibilities:
    system: str
    items: list[Item]
    line: int


@dataclass
class Model:
    goals: list[Item] = field(default_factory=list)
    assumptions: list[Item] = field(default_factory=list)
    losses: list[Item] = field(default_factory=list)
    hazards: list[Item] = field(default_factory=list)
    constraints: list[Item] = field(default_factory=list)
    structure: str | None = None
    nodes: list[Node] = field(default_factory=list)
    responsibilities: list[Responsibilities] = field(default_factory=list)
    ucas: list[ActionUcas] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    dcas: list[Rule] = field(default_factory=list)
    controller_constraints: list[Item] = field(default_factory=list)
    scenarios: list[Item] = field(default_factory=list)
    requirements: list[Item] = field(default_factory=list)
    #: Notes on what the tolerant parser accepted that the current grammar does not.
    tolerated: list[tuple[int, str]] = field(default_factory=list)


def tokenize(text: str, source: str) -> list[Token]:
    """The tokens of ``text``, without spaces and comments."""
    tokens: list[Token] = []
    position, line, line_start = 0, 1, 0
    size = len(text)
    while position < size:
        match = _TOKEN.match(text, position)
        if match is None:
            column = position - line_start + 1
            char = text[position]
            if char in "\"'":
                message = f"The text opened by {char} is never closed."
            else:
                message = f"Unexpected character {char!r}."
            raise FileFormatError.single(source, message, line, column)
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "unclosed":
            raise FileFormatError.single(
                source,
                "The comment opened by /* is never closed.",
                line,
                position - line_start + 1,
            )
        if kind not in ("space", "comment"):  # comments hide what they hold, as in PASTA
            tokens.append(Token(kind, value, line, position - line_start + 1, position))
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = position + value.rindex("\n") + 1
        position = match.end()
    tokens.append(Token("end", "", line, position - line_start + 1, position))
    return tokens


def parse(text: str, source: str, *, strict: bool = False) -> Model:
    """The syntax tree of the PASTA file ``text`` named ``source``.

    Raises
    ------
    FileFormatError
        At the first syntax error, with its line and column.
    """
    return _Parser(text, source, strict).model()


class _Parser:
    def __init__(self, text: str, source: str, strict: bool) -> None:
        self.tokens = tokenize(text, source)
        self.text = text
        self.source = source
        self.strict = strict
        self.index = 0
        self.tolerated: list[tuple[int, str]] = []

    # --- tokens ------------------------------------------------------------------------------
    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def error(self, expected: str, token: Token | None = None) -> FileFormatError:
        token = token or self.token
        found = "the end of the file" if token.kind == "end" else repr(token.text)
        return FileFormatError.single(
            self.source, f"Expected {expected}, found {found}.", token.line, token.column
        )

    def at(self, text: str) -> bool:
        return self.token.kind in ("punct", "id") and self.token.text == text

    def take(self, text: str) -> Token:
        if not self.at(text):
            raise self.error(repr(text))
        token = self.token
        self.index += 1
        return token

    def optional(self, text: str) -> bool:
        if self.at(text):
            self.index += 1
            return True
        return False

    def identifier(self, what: str = "a name") -> Token:
        token = self.token
        if token.kind != "id":
            raise self.error(what)
        self.index += 1
        return token

    def string(self, what: str = "a text in quotes") -> str:
        token = self.token
        if token.kind != "string":
            raise self.error(what)
        self.index += 1
        return token.text[1:-1]

    def adjacent(self, text: str) -> bool:
        """The next token is ``text`` written right after the previous one (``H2.1``)."""
        previous = self.tokens[self.index - 1]
        token = self.token
        return (
            token.kind == "punct"
            and token.text == text
            and token.offset == previous.offset + len(previous.text)
        )

    def sub_id(self) -> str:
        name = self.identifier("a name such as H1 or H1.2").text
        while self.adjacent(".") and self.peek().kind == "int":
            self.index += 1
            name += "." + self.token.text
            self.index += 1
        return name

    def qualified(self) -> str:
        name = self.identifier().text
        while self.adjacent("-") and self.peek().kind == "id":
            self.index += 1
            name += "-" + self.token.text
            self.index += 1
        return name

    def tolerate(self, token: Token, message: str) -> None:
        if self.strict:
            raise FileFormatError.single(self.source, message, token.line, token.column)
        self.tolerated.append((token.line, message))

    # --- the model ---------------------------------------------------------------------------
    def model(self) -> Model:
        model = Model()
        seen: list[str] = []
        while self.token.kind != "end":
            start = self.token
            section = self.section_keyword()
            if section in seen:
                self.tolerate(start, f"The section {section} appears twice.")
            elif seen and SECTIONS.index(section) < SECTIONS.index(seen[-1]):
                self.tolerate(start, f"The section {section} is out of PASTA's order.")
            seen.append(section)
            self.section(model, section)
        model.tolerated = self.tolerated
        return model

    def section_keyword(self) -> str:
        token = self.token
        if token.kind == "id" and token.text == "Context" and self.peek().text == "-":
            self.index += 2
            if self.token.text == "Table":
                self.index += 1
                return "Context-Table"
        elif token.kind == "id" and token.text in SECTIONS:
            self.index += 1
            return token.text
        raise self.error("a section keyword (" + ", ".join(SECTIONS) + ")", token)

    def at_section(self) -> bool:
        token = self.token
        return token.kind == "end" or (
            token.kind == "id"
            and (token.text in SECTIONS or (token.text == "Context" and self.peek().text == "-"))
        )

    def section(self, model: Model, section: str) -> None:
        if section == "ControlStructure":
            if not self.at_section():
                model.structure = self.identifier("the control structure's name").text
                self.take("{")
                while not self.optional("}"):
                    model.nodes.append(self.node())
            return
        while not self.at_section():
            if section == "Goals":
                model.goals.append(self.item(refs=False))
            elif section == "Assumptions":
                model.assumptions.append(self.item(refs=False))
            elif section == "Losses":
                model.losses.append(self.item(refs=False))
            elif section in ("Hazards", "SystemConstraints"):
                target = model.hazards if section == "Hazards" else model.constraints
                target.append(self.nested_item(refs_required=section == "SystemConstraints"))
            elif section == "Responsibilities":
                system = self.identifier("a component's name")
                self.take("{")
                items = []
                while not self.optional("}"):
                    items.append(self.item(refs_required=True))
                model.responsibilities.append(Responsibilities(system.text, items, system.line))
            elif section == "UCAs":
                model.ucas.append(self.action_ucas())
            elif section in ("Context-Table", "DCAs"):
                rule = self.rule(dca=section == "DCAs")
                (model.dcas if section == "DCAs" else model.rules).append(rule)
            elif section == "ControllerConstraints":
                model.controller_constraints.append(self.item(refs_required=True))
            elif section == "LossScenarios":
                model.scenarios.append(self.scenario())
            else:
                model.requirements.append(self.item(refs_required=True))

    def refs(self, required: bool) -> list[str]:
        if not self.at("["):
            if required:
                token = self.token
                self.tolerate(token, "Expected a list of references in [ ].")
            return []
        self.take("[")
        names = [self.sub_id()]
        while self.optional(","):
            names.append(self.sub_id())
        self.take("]")
        return names

    def item(self, refs: bool = True, refs_required: bool = False) -> Item:
        name = self.identifier("a name such as L1")
        text = self.string()
        found = self.refs(refs_required) if refs or self.at("[") else []
        if found and not refs:
            self.tolerate(name, f"{name.text} has references, which PASTA does not read here.")
        return Item(name.text, text, name.line, found)

    def nested_item(self, refs_required: bool) -> Item:
        start = self.token
        name = self.sub_id()
        text = self.string()
        item = Item(name, text, start.line, self.refs(refs_required))
        if self.optional("{"):
            header: str | None = None
            while not self.optional("}"):
                if self.token.kind == "string":
                    header = self.string()
                    continue
                child = self.nested_item(refs_required=False)
                child.header, header = header, None
                item.children.append(child)
        return item

    def commands(self) -> list[Command]:
        self.take("[")
        found = []
        while True:
            name = self.identifier("an action's name")
            found.append(Command(name.text, self.string("the action's label"), name.line))
            if not self.optional(","):
                break
        self.take("]")
        return found

    def edges(self) -> list[Edge]:
        self.take("{")
        found = []
        while not self.optional("}"):
            start = self.token
            bi = self.optional("bi")
            commands = self.commands()
            self.take("->")
            found.append(Edge(commands, self.identifier("the target's name").text, start.line, bi))
        return found

    def node(self) -> Node:
        name = self.identifier("a component's name")
        node = Node(name.text, name.line)
        self.take("{")
        while not self.optional("}"):
            token = self.token
            if self.optional("hierarchyLevel"):
                level = self.token
                if level.kind != "int":
                    raise self.error("a whole number")
                self.index += 1
                node.level = int(level.text)
            elif self.optional("label"):
                node.label = self.string()
            elif self.optional("processModel"):
                self.take("{")
                while not self.optional("}"):
                    node.variables.append(self.variable())
            elif self.optional("input"):
                node.inputs.extend(self.commands())
            elif self.optional("output"):
                node.outputs.extend(self.commands())
            elif self.optional("controlActions"):
                node.actions.extend(self.edges())
            elif self.optional("feedback"):
                node.feedbacks.extend(self.edges())
            elif self.optional("coordination"):
                node.coordinations.extend(self.edges())
            elif token.kind == "id":
                node.children.append(self.node())
            else:
                raise self.error("a component, processModel, controlActions, feedback or '}'")
        return node

    def variable(self) -> Variable:
        name = self.identifier("a process variable's name")
        self.take(":")
        self.take("[")
        values = [self.value()]
        while self.optional(","):
            values.append(self.value())
        self.take("]")
        return Variable(name.text, values, name.line)

    def value(self) -> Value:
        name = self.qualified()
        if not (self.at("=") or self.at("!=")):
            return Value(name)
        start = self.token.offset
        self.index += 1
        if not (self.at("[") or self.at("(")):
            raise self.error("'[' or '(' opening a range")
        self.index += 1
        depth = 1
        while depth:
            token = self.token
            if token.kind == "end":
                raise self.error("']' or ')' closing the range")
            if token.text in ("[", "("):
                depth += 1
            elif token.text in ("]", ")"):
                depth -= 1
            self.index += 1
        previous = self.tokens[self.index - 1]
        return Value(name, self.text[start : previous.offset + 1])

    def action_ucas(self) -> ActionUcas:
        system = self.identifier("Component.action")
        self.take(".")
        action = self.identifier("the control action's name")
        entry = ActionUcas(system.text, action.text, system.line)
        self.take("{")
        for current, older in UCA_BLOCKS:
            keyword = self.token
            if self.optional(current):
                pass
            elif "/" in older and self.at(older.split("/")[0]) and self.peek().text == "/":
                self.index += 3
                self.tolerate(keyword, f"{older} is PASTA's keyword before 0.6.3.")
            elif self.optional(older):
                self.tolerate(keyword, f"{older} is PASTA's keyword before 0.6.3.")
            else:
                raise self.error(repr(current), keyword)
            self.take("{")
            items = []
            while not self.optional("}"):
                items.append(self.item(refs_required=True))
            entry.blocks[current] = items
        self.take("}")
        return entry

    def rule(self, dca: bool) -> Rule:
        name = self.identifier("a rule's name such as RL1")
        self.take("{")
        self.keyword_with_colon("controlAction")
        system = self.identifier("Component.action").text
        self.take(".")
        action = self.identifier("the control action's name").text
        self.keyword_with_colon("type")
        type_token = self.token
        rule_type = self.qualified()
        allowed = RULE_TYPES[:2] if dca else RULE_TYPES
        if rule_type not in allowed:
            raise self.error("one of " + ", ".join(allowed), type_token)
        self.keyword_with_colon("contexts")
        self.take("{")
        contexts = []
        while not self.optional("}"):
            contexts.append(self.context(dca))
        self.take("}")
        return Rule(name.text, system, action, rule_type, contexts, name.line)

    def keyword_with_colon(self, keyword: str) -> None:
        self.take(keyword)
        self.take(":")

    def context(self, dca: bool) -> Context:
        name = self.identifier("a context's name such as UCA1")
        self.take("[")
        values = []
        while True:
            variable = self.identifier("a process variable").text
            self.take("=")
            values.append((variable, self.qualified()))
            if not self.optional(","):
                break
        self.take("]")
        hazards = [] if dca else self.refs(required=True)
        return Context(name.text, values, hazards, name.line)

    def scenario(self) -> Item:
        name = self.identifier("a scenario's name")
        factor = ""
        if self.optional("<"):
            token = self.identifier("a causal factor")
            factor = _FACTOR_BY_LOWER.get(token.text.lower(), "")
            if not factor:
                raise self.error("one of the causal factors " + ", ".join(CAUSAL_FACTORS), token)
            if factor != token.text:
                self.tolerate(token, f"The causal factor {token.text} is spelt {factor}.")
            self.take(">")
        uca = None
        if self.optional("for"):
            uca = self.identifier("the UCA's name").text
        text = self.string()
        hazards = self.refs(required=uca is None)
        item = Item(name.text, text, name.line, hazards, factor=factor, uca=uca)
        return item


__all__ = ["CAUSAL_FACTORS", "RULE_TYPES", "UCA_BLOCKS", "Model", "parse", "tokenize"]
