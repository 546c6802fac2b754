"""Writing a Stipa document as a PASTA ``.stpa`` file (the current keyword generation).

Records keep the ids they had in PASTA (their ``alias``), nesting, hierarchy levels, fine UCA
types, causal factors and safety requirements come from the model's fields, and what the
importer kept in its namespace (goals, assumptions, DCAs, inputs, outputs, group headers, sub-
constraints, process-model ranges) is written back where PASTA's grammar puts it, so PASTA ->
Stipa -> PASTA keeps every count and every text. Records from elsewhere get PASTA ids from their
alias, name or Stipa id (``A-1`` -> ``A1``); what PASTA's grammar cannot hold (a constraint
without hazards, an arrow without actions) is written as a comment saying so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from stipa import TABLES, LinkKind, Snapshot, UCASubtype, UCAType, parse_foreign_xml
from stipa_builtins.importers.common import NAMESPACE_BASE
from stipa_builtins.importers.pasta import BLOCK_TYPES, FACTORS, FORMAT, quote

_NAMESPACE = NAMESPACE_BASE + FORMAT
_NOT_ID = re.compile(r"\W+", re.ASCII)
#: An id (or sub-id, ``H2.1``) PASTA's grammar reads.
_PASTA_ID = re.compile(r"[_a-zA-Z]\w*(\.[0-9]+)*\Z", re.ASCII)
KEYWORDS = {factor: keyword for keyword, factor in FACTORS.items()}
#: (Handbook type, fine type) -> context-table rule type; timing without one is "wrong-time".
RULE_TYPES = {
    (UCAType.NOT_PROVIDED, UCASubtype.UNSPECIFIED): "not-provided",
    (UCAType.PROVIDED, UCASubtype.UNSPECIFIED): "provided",
    (UCAType.TIMING, UCASubtype.TOO_EARLY): "too-early",
    (UCAType.TIMING, UCASubtype.TOO_LATE): "too-late",
    (UCAType.DURATION, UCASubtype.APPLIED_TOO_LONG): "applied-too-long",
    (UCAType.DURATION, UCASubtype.STOPPED_TOO_SOON): "stopped-too-soon",
    (UCAType.DURATION, UCASubtype.UNSPECIFIED): "stopped-too-soon",
}


class _Kept:
    """What the PASTA importer kept in its namespace of the document."""

    def __init__(self, extensions: tuple[str, ...]) -> None:
        self.data: dict[tuple[str, str], str] = {}
        self.kept: list[dict[str, str]] = []
        for extension in extensions:
            if _NAMESPACE not in extension:
                continue
            root = parse_foreign_xml(extension.encode("utf-8"), "pasta extension")
            if root.tag != f"{{{_NAMESPACE}}}import":
                continue
            for element in root:
                local = element.tag.rsplit("}", 1)[-1]
                if local == "data":
                    self.data[(element.get("record"), element.get("key"))] = element.get("value")
                elif local == "kept":
                    self.kept.append({**element.attrib, "text": element.text or ""})

    def of_kind(self, kind: str) -> list[dict[str, str]]:
        return [entry for entry in self.kept if entry.get("kind") == kind]


class _Writer:
    def __init__(self, snapshot: Snapshot) -> None:
        self.s = snapshot
        self.kept = _Kept(getattr(snapshot, "extensions", ()))
        self.out: list[str] = []
        self.aliases = {
            record.id: record.alias
            for table in TABLES
            for record in snapshot.table(table.name).values()
            if getattr(record, "alias", "")
        }
        self.aliases.update(
            {
                item.id: item.alias
                for link in snapshot.links.values()
                for item in link.items
                if item.alias
            }
        )
        self.used: set[str] = set(self.aliases.values())
        self.names: dict[str, str] = {}
        self.altered = 0  # texts holding both quote marks

    def name(self, record_id: str) -> str:
        """The PASTA id of a record: its alias, else one made from its Stipa id."""
        found = self.names.get(record_id)
        alias = self.aliases.get(record_id, "")
        if found is None and _PASTA_ID.match(alias):
            found = alias
        if found is None:  # made from an alias PASTA cannot read (A-1 -> A1), a name, the id
            named = getattr(self.s.get(record_id), "name", "") if not alias else ""
            base = ident(alias or named or record_id)
            found, number = base, 1
            while found in self.used:
                number += 1
                found = f"{base}_{number}"
            self.used.add(found)
        self.names[record_id] = found
        return found

    def quote(self, text: str) -> str:
        if '"' in text and "'" in text:
            self.altered += 1
        return quote(text)

    def refs(self, ids: tuple[str, ...] | list[str]) -> str:
        return f" [{', '.join(self.name(i) for i in ids)}]" if ids else ""

    def entry(self, head: str, ids: tuple[str, ...] | list[str]) -> str:
        """``head`` with its required references; commented out, saying why, without any."""
        if ids:
            return head + self.refs(ids)
        indent = head[: len(head) - len(head.lstrip())]
        return f"{indent}// {head.lstrip()}  (not written: PASTA needs a reference list here)"

    def section(self, title: str, lines: list[str]) -> None:
        if lines:
            self.out += [title, *lines, ""]

    def write(self) -> str:
        s = self.s
        kept = self.kept
        self.section("Goals", [e["text"] for e in kept.of_kind("goal")])
        self.section("Assumptions", [e["text"] for e in kept.of_kind("assumption")])
        self.section(
            "Losses", [f"{self.name(i)} {self.quote(loss.text)}" for i, loss in s.losses.items()]
        )
        headers = {(e["record"], e["before"]): e["text"] for e in kept.of_kind("group header")}
        hazard_children: dict[str | None, list[str]] = defaultdict(list)
        for hazard in s.hazards.values():
            hazard_children[hazard.parent].append(hazard.id)
        lines: list[str] = []
        for hid in hazard_children[None]:
            self.nested(
                lines,
                hid,
                hazard_children,
                headers,
                lambda h: s.hazards[h].losses,
                lambda h: s.hazards[h].text,
                "",
            )
        self.section("Hazards", lines)
        parents = {e["record"]: e["parent"] for e in kept.of_kind("constraint refinement")}
        constraint_children: dict[str | None, list[str]] = defaultdict(list)
        for cid in s.constraints:
            constraint_children[parents.get(cid)].append(cid)
        lines = []
        for cid in constraint_children[None]:
            self.nested(
                lines,
                cid,
                constraint_children,
                headers,
                lambda c: s.constraints[c].hazards,
                lambda c: s.constraints[c].text,
                "",
                refs_required=True,
            )
        self.section("SystemConstraints", lines)
        self.structure()
        by_owner: dict[str, list[str]] = defaultdict(list)
        for r in s.responsibilities.values():
            by_owner[r.owner].append(
                self.entry(f"    {self.name(r.id)} {self.quote(r.text)}", r.constraints)
            )
        lines = []
        for owner, items in by_owner.items():
            lines += [f"{self.name(owner)} {{", *items, "}"]
        self.section("Responsibilities", lines)
        self.ucas()
        self.section("DCAs", [e["text"] for e in kept.of_kind("DCA rule")])
        self.section(
            "ControllerConstraints",
            [
                self.entry(f"{self.name(i)} {self.quote(c.text)}", c.ucas)
                for i, c in s.controller_constraints.items()
            ],
        )
        lines = []
        for i, scenario in s.scenarios.items():
            keyword = KEYWORDS.get(scenario.factor, "")
            factor = f" <{keyword}>" if keyword else ""
            target = f" for {self.name(scenario.ucas[0])}" if scenario.ucas else ""
            head = f"{self.name(i)}{factor}{target} {self.quote(scenario.text)}"
            if scenario.ucas:
                lines.append(head + self.refs(scenario.hazards))
            else:
                lines.append(self.entry(head, scenario.hazards))
        self.section("LossScenarios", lines)
        self.section(
            "SafetyRequirements",
            [
                self.entry(
                    f"{self.name(i)} {self.quote(r.text)}", (*r.scenarios, *r.hazards, *r.ucas)
                )
                for i, r in s.requirements.items()
            ],
        )
        if self.altered:
            self.out.insert(
                0,
                f"// {self.altered} texts hold both quote marks; PASTA strings have no escapes, "
                "so their double quotes are written as \u201d.\n",
            )
        return "\n".join(self.out)

    def nested(
        self,
        lines: list[str],
        record_id: str,
        children: Mapping[str | None, list[str]],
        headers: Mapping[tuple[str, str], str],
        references: Any,
        text: Any,
        indent: str,
        refs_required: bool = False,
    ) -> None:
        line = f"{indent}{self.name(record_id)} {self.quote(text(record_id))}"
        below = children.get(record_id, [])
        if not below:
            required = references(record_id) or not refs_required
            lines.append(
                line + self.refs(references(record_id)) if required else self.entry(line, ())
            )
            return
        line += self.refs(references(record_id))
        lines.append(line + " {")
        for child in below:
            header = headers.get((record_id, self.name(child)))
            if header is not None:
                lines.append(f"{indent}    {self.quote(header)}")
            self.nested(
                lines, child, children, headers, references, text, indent + "    ", refs_required
            )
        lines.append(indent + "}")

    # --- the control structure --------------------------------------------------------------
    def structure(self) -> None:
        s = self.s
        if not s.components:
            return
        children: dict[str | None, list[str]] = defaultdict(list)
        for component in s.components.values():
            children[component.parent or None].append(component.id)
        title = ident(s.info.title or "Structure")
        lines = [f"{title} {{"]
        for cid in children[None]:
            self.node(lines, cid, children, "    ")
        lines.append("}")
        self.section("ControlStructure", lines)

    def node(
        self, lines: list[str], cid: str, children: Mapping[str | None, list[str]], indent: str
    ) -> None:
        s, data = self.s, self.kept.data
        component = s.components[cid]
        name = self.name(cid)
        inner = indent + "    "
        lines.append(f"{indent}{name} {{")
        if component.level is not None:
            lines.append(f"{inner}hierarchyLevel {component.level}")
        if component.name != name:
            lines.append(f"{inner}label {self.quote(component.name)}")
        if component.variables:
            lines.append(f"{inner}processModel {{")
            for variable in component.variables:
                values = ", ".join(
                    ident(value) + data.get((variable.id, f"range:{value}"), "")
                    for value in variable.values
                )
                lines.append(f"{inner}    {ident(variable.name)}: [{values}]")
            lines.append(f"{inner}}}")
        for kind in ("input", "output"):
            commands = [e["text"] for e in self.kept.of_kind(kind) if e.get("component") == cid]
            if commands:
                lines.append(f"{inner}{kind} [{', '.join(commands)}]")
        for kind, keyword in (
            (LinkKind.CONTROL_ACTION, "controlActions"),
            (LinkKind.FEEDBACK, "feedback"),
            (LinkKind.INFORMATION, "coordination"),
        ):
            edges = [link for link in s.links.values() if link.source == cid and link.kind == kind]
            if not edges:
                continue
            lines.append(f"{inner}{keyword} {{")
            for link in edges:
                items = ", ".join(
                    f"{self.name(item.id)} {self.quote(item.name)}" for item in link.items
                )
                bi = "bi " if data.get((link.id, "bi")) == "true" else ""
                arrow = f"{bi}[{items}] -> {self.name(link.target)}"
                if not link.items:  # PASTA's arrows carry at least one labelled action
                    arrow = f"// {arrow}  (not written: a PASTA arrow needs a labelled action)"
                lines.append(f"{inner}    {arrow}")
            lines.append(f"{inner}}}")
        for child in children.get(cid, []):
            self.node(lines, child, children, inner)
        lines.append(f"{indent}}}")

    # --- UCAs or the context table ----------------------------------------------------------
    def ucas(self) -> None:
        s, data = self.s, self.kept.data
        rule_of_uca = {
            data[(rule_id, "uca")]: rule_id
            for rule_id in s.context_rules
            if (rule_id, "uca") in data and data[(rule_id, "uca")] in s.ucas
        }
        if s.ucas and len(rule_of_uca) == len(s.ucas):
            self.context_table(rule_of_uca)
            return
        by_action: dict[str, list[str]] = defaultdict(list)
        for uca in s.ucas.values():
            by_action[uca.action].append(uca.id)
        lines = []
        for action, uca_ids in by_action.items():
            link, item = s.control_action(action)  # type: ignore[misc]
            lines.append(f"{self.name(link.source)}.{self.name(item.id)} {{")
            for block, uca_type in BLOCK_TYPES.items():
                entries = [
                    self.entry(
                        f"        {self.name(u)} {self.quote(s.ucas[u].context)}", s.ucas[u].hazards
                    )
                    for u in uca_ids
                    if s.ucas[u].type == uca_type
                ]
                lines += (
                    [f"    {block} {{", *entries, "    }"] if entries else [f"    {block} {{}}"]
                )
            lines.append("}")
        self.section("UCAs", lines)
        if s.context_rules:  # PASTA files hold UCAs or a context table, never both
            self.out.append("// Stipa context rules not written: PASTA files hold UCAs or a")
            self.out.append(f"// context table, not both ({', '.join(s.context_rules)}).")
            self.out.append("")

    def context_table(self, rule_of_uca: Mapping[str, str]) -> None:
        s = self.s
        groups: dict[str, list[str]] = defaultdict(list)
        for uca_id, rule_id in rule_of_uca.items():
            groups[self.name(rule_id)].append(uca_id)
        lines = []
        for rule_name, uca_ids in groups.items():
            first = s.ucas[uca_ids[0]]
            link, item = s.control_action(first.action)  # type: ignore[misc]
            rule_type = RULE_TYPES.get((first.type, first.subtype), "wrong-time")
            lines += [
                f"{rule_name} {{",
                f"    controlAction: {self.name(link.source)}.{self.name(item.id)}",
                f"    type: {rule_type}",
                "    contexts: {",
            ]
            for uca_id in uca_ids:
                rule = s.context_rules[rule_of_uca[uca_id]]
                values = ", ".join(
                    f"{self._variable_name(c.variable)} = {ident(c.value)}" for c in rule.conditions
                )
                hazards = self.refs(s.ucas[uca_id].hazards)
                lines.append(f"        {self.name(uca_id)} [{values}]{hazards}")
            lines += ["    }", "}"]
        self.section("Context-Table", lines)

    def _variable_name(self, variable_id: str) -> str:
        for component in self.s.components.values():
            for variable in component.variables:
                if variable.id == variable_id:
                    return ident(variable.name)
        return ident(variable_id)


def ident(text: str) -> str:
    """``text`` as a PASTA id: other characters become ``_`` (``Vehicle Speed`` ->
    ``Vehicle_Speed``), never starting with a digit."""
    found = _NOT_ID.sub("_", text).strip("_") or "X"
    return found if found[0].isalpha() or found[0] == "_" else "_" + found


def dumps(snapshot: Snapshot) -> str:
    """The PASTA text of ``snapshot``."""
    return _Writer(snapshot).write()


def export(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """Write ``snapshot`` to ``path`` as a PASTA ``.stpa`` file (no options)."""
    Path(path).write_text(dumps(snapshot), encoding="utf-8")


__all__ = ["dumps", "export"]
