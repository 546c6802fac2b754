"""Writing a Stipa document as a PASTA ``.stpa`` file (the current keyword generation).

Records keep the ids they had in PASTA (the aliases the importer kept), and what the importer
kept in its namespace (goals, assumptions, DCAs, inputs, outputs, group headers, safety
requirements, sub-constraints, process-model ranges, hierarchy levels) is written back where
PASTA's grammar puts it, so PASTA -> Stipa -> PASTA keeps every count and every text. Records
made in Stipa get PASTA ids from their Stipa ids (``UCA-4`` -> ``UCA4``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from stipa import LinkKind, Snapshot, parse_foreign_xml
from stipa_builtins.importers.common import NAMESPACE_BASE
from stipa_builtins.importers.pasta import BLOCK_TYPES, FORMAT, quote

_NAMESPACE = NAMESPACE_BASE + FORMAT
_NOT_ID = re.compile(r"\W")


class _Kept:
    """What the PASTA importer kept in its namespace of the document."""

    def __init__(self, extensions: tuple[str, ...]) -> None:
        self.aliases: dict[str, str] = {}
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
                if local == "alias":
                    self.aliases[element.get("record")] = element.get("id")
                elif local == "data":
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
        self.used: set[str] = set(self.kept.aliases.values())
        self.names: dict[str, str] = {}

    def name(self, record_id: str) -> str:
        """The PASTA id of a record: its alias, else one made from its Stipa id."""
        found = self.names.get(record_id) or self.kept.aliases.get(record_id)
        if found is None:
            base = _NOT_ID.sub("", record_id) or "X"
            base = base if base[0].isalpha() or base[0] == "_" else "_" + base
            found, number = base, 1
            while found in self.used:
                number += 1
                found = f"{base}_{number}"
            self.used.add(found)
        self.names[record_id] = found
        return found

    def refs(self, ids: tuple[str, ...] | list[str]) -> str:
        return f" [{', '.join(self.name(i) for i in ids)}]" if ids else ""

    def section(self, title: str, lines: list[str]) -> None:
        if lines:
            self.out += [title, *lines, ""]

    def write(self) -> str:
        s = self.s
        kept = self.kept
        self.section("Goals", [e["text"] for e in kept.of_kind("goal")])
        self.section("Assumptions", [e["text"] for e in kept.of_kind("assumption")])
        self.section(
            "Losses", [f"{self.name(i)} {quote(loss.text)}" for i, loss in s.losses.items()]
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
            )
        self.section("SystemConstraints", lines)
        self.structure()
        by_owner: dict[str, list[str]] = defaultdict(list)
        for r in s.responsibilities.values():
            by_owner[r.owner].append(
                f"    {self.name(r.id)} {quote(r.text)}{self.refs(r.constraints)}"
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
                f"{self.name(i)} {quote(c.text)}{self.refs(c.ucas)}"
                for i, c in s.controller_constraints.items()
            ],
        )
        lines = []
        for i, scenario in s.scenarios.items():
            factor = f" <{scenario.causal_factor}>" if scenario.causal_factor else ""
            target = f" for {self.name(scenario.ucas[0])}" if scenario.ucas else ""
            hazards = self.refs(scenario.hazards)
            lines.append(f"{self.name(i)}{factor}{target} {quote(scenario.text)}{hazards}")
        self.section("LossScenarios", lines)
        self.section("SafetyRequirements", [e["text"] for e in kept.of_kind("safety requirement")])
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
    ) -> None:
        line = f"{indent}{self.name(record_id)} {quote(text(record_id))}"
        line += self.refs(references(record_id))
        below = children.get(record_id, [])
        if not below:
            lines.append(line)
            return
        lines.append(line + " {")
        for child in below:
            header = headers.get((record_id, self.name(child)))
            if header is not None:
                lines.append(f"{indent}    {quote(header)}")
            self.nested(lines, child, children, headers, references, text, indent + "    ")
        lines.append(indent + "}")

    # --- the control structure --------------------------------------------------------------
    def structure(self) -> None:
        s = self.s
        if not s.components:
            return
        data = self.kept.data
        by_alias = {self.name(cid): cid for cid in s.components}
        children: dict[str | None, list[str]] = defaultdict(list)
        for cid in s.components:
            parent = data.get((cid, "parent"))
            children[by_alias.get(parent) if parent else None].append(cid)
        title = _NOT_ID.sub("", s.info.title) or "Structure"
        title = title if title[0].isalpha() else "S" + title
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
        if (cid, "hierarchyLevel") in data:
            lines.append(f"{inner}hierarchyLevel {data[(cid, 'hierarchyLevel')]}")
        label = data.get((cid, "label"))
        if label is None and component.name != name:
            label = component.name
        if label is not None:
            lines.append(f"{inner}label {quote(label)}")
        if component.variables:
            lines.append(f"{inner}processModel {{")
            for variable in component.variables:
                values = ", ".join(
                    value + data.get((variable.id, f"range:{value}"), "")
                    for value in variable.values
                )
                lines.append(f"{inner}    {variable.name}: [{values}]")
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
                items = ", ".join(f"{self.name(item.id)} {quote(item.name)}" for item in link.items)
                bi = "bi " if data.get((link.id, "bi")) == "true" else ""
                lines.append(f"{inner}    {bi}[{items}] -> {self.name(link.target)}")
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
                    f"        {self.name(u)} {quote(s.ucas[u].context)}"
                    f"{self.refs(s.ucas[u].hazards)}"
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
        s, data = self.s, self.kept.data
        groups: dict[str, list[str]] = defaultdict(list)
        for uca_id, rule_id in rule_of_uca.items():
            groups[self.name(rule_id)].append(uca_id)
        lines = []
        for rule_name, uca_ids in groups.items():
            first = s.ucas[uca_ids[0]]
            link, item = s.control_action(first.action)  # type: ignore[misc]
            rule_type = data.get((first.id, "ruleType"), first.type.value.replace("_", "-"))
            lines += [
                f"{rule_name} {{",
                f"    controlAction: {self.name(link.source)}.{self.name(item.id)}",
                f"    type: {rule_type}",
                "    contexts: {",
            ]
            for uca_id in uca_ids:
                rule = s.context_rules[rule_of_uca[uca_id]]
                values = ", ".join(
                    f"{self._variable_name(c.variable)} = {c.value}" for c in rule.conditions
                )
                hazards = self.refs(s.ucas[uca_id].hazards)
                lines.append(f"        {self.name(uca_id)} [{values}]{hazards}")
            lines += ["    }", "}"]
        self.section("Context-Table", lines)

    def _variable_name(self, variable_id: str) -> str:
        for component in self.s.components.values():
            for variable in component.variables:
                if variable.id == variable_id:
                    return variable.name
        return variable_id


def dumps(snapshot: Snapshot) -> str:
    """The PASTA text of ``snapshot``."""
    return _Writer(snapshot).write()


def export(snapshot: Snapshot, path: Path, options: Mapping[str, str]) -> None:
    """Write ``snapshot`` to ``path`` as a PASTA ``.stpa`` file (no options)."""
    Path(path).write_text(dumps(snapshot), encoding="utf-8")


__all__ = ["dumps", "export"]
