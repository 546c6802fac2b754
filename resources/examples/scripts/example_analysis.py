"""What the example scripts share: run the built-in analyses, then record the analyst's decisions.

Findings and suggestions are found by analysis, rule and targets — never by generated id — so
the scripts keep working when an analysis adds or reorders its results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import stipa

#: The built-in analyses, in the order they run (findings are numbered in this order).
BUILT_IN = ("stipa.footprint", "stipa.hazards", "stipa.responsibility")


def analysed_example(
    label: str,
    build: Callable[[stipa.Document], None],
    decide: Callable[[stipa.Document], None],
) -> stipa.Document:
    """Build a document in one step, run the built-in analyses, record the analyst's decisions.

    Returns the analysed example; ``doc.check()`` is empty.
    """
    doc = stipa.Document()
    with doc.transaction(label):
        build(doc)
    analyse(doc)
    with doc.transaction("Record the analyst's dispositions"):
        decide(doc)
    return doc


def add_link(
    doc: stipa.Document,
    items: dict[str, str],
    source: stipa.Component,
    target: stipa.Component,
    kind: str,
    names: Iterable[str],
) -> stipa.Link:
    """Add a link carrying items ``names``; note each item's id in ``items`` by name."""
    added: stipa.Link = doc.add(
        stipa.Link(
            source=source.id,
            target=target.id,
            kind=kind,
            items=tuple(stipa.LinkItem(name=name) for name in names),
        )
    )
    for item in added.items:
        items[item.name] = item.id
    return added


def add_constraint(doc: stipa.Document, text: str, hazards: Iterable[str], cid: str = "") -> str:
    """Add a system-level constraint on ``hazards`` (with id ``cid``, else the next); its id."""
    added: stipa.SystemConstraint = doc.add(
        stipa.SystemConstraint(id=cid, text=text, hazards=tuple(hazards))
    )
    return added.id


def add_ucas(
    doc: stipa.Document,
    action: str,
    rows: Iterable[tuple[str, str, str, tuple[str, ...], str]],
    uca_ids: dict[str, str],
) -> None:
    """Add the UCAs of one control action: rows of (key, type, context, hazards, constraint).

    A row without hazards is a type recorded as not applicable; its last field is the
    rationale instead of a controller constraint. Accepted UCAs are noted in ``uca_ids``.
    """
    for key, uca_type, context, hazards, text in rows:
        if not hazards:
            doc.add(
                stipa.UnsafeControlAction(
                    action=action,
                    type=uca_type,
                    context=context,
                    rationale=text,
                    status="not_applicable",
                )
            )
            continue
        uca = doc.add(
            stipa.UnsafeControlAction(
                action=action, type=uca_type, context=context, hazards=hazards, status="accepted"
            )
        )
        uca_ids[key] = uca.id
        doc.add(stipa.ControllerConstraint(text=text, ucas=(uca.id,)))


def add_scenario(
    doc: stipa.Document,
    uca_ids: dict[str, str],
    text: str,
    category: str,
    factor: str,
    keys: Iterable[str],
    hazards: Iterable[str] = (),
) -> None:
    """Add a loss scenario of the UCAs noted in ``uca_ids`` under ``keys``."""
    doc.add(
        stipa.LossScenario(
            text=text,
            category=category,
            causal_factor=factor,
            ucas=tuple(uca_ids[key] for key in keys),
            hazards=tuple(hazards),
        )
    )


def analyse(doc: stipa.Document) -> stipa.AnalysisReport:
    """Run the built-in analyses on ``doc`` and apply their results as one step.

    Raises
    ------
    RuntimeError
        If a built-in analysis is missing, fails, or has results refused.
    """
    try:
        report = stipa.analyse(doc, BUILT_IN, label="Run the built-in analyses")
    except LookupError as error:
        raise RuntimeError(f"built-in analyses not installed: {error}") from None
    if not report.complete:
        raise RuntimeError("; ".join(report.problems()))
    return report


def dispose(
    doc: stipa.Document,
    plugin: str,
    rule: str,
    targets: Iterable[str],
    disposition: str,
    rationale: str,
) -> None:
    """Record the analyst's decision on the one finding of ``rule`` naming ``targets``."""
    wanted = set(targets)
    found = [
        f
        for f in doc.findings.values()
        if f.plugin == plugin and f.rule == rule and wanted <= set(f.targets)
    ]
    if len(found) != 1:
        raise RuntimeError(f"{len(found)} findings of {plugin} {rule} name {sorted(wanted)}")
    doc.update(found[0].id, disposition=disposition, rationale=rationale)


def reject(doc: stipa.Document, rule: str, target: str, rationale: str) -> None:
    """Reject every open suggestion of ``rule`` naming ``target``, with a rationale."""
    for suggestion in list(doc.suggestions.values()):
        if suggestion.rule == rule and target in suggestion.targets and suggestion.status == "open":
            doc.update(suggestion.id, status="rejected", rationale=rationale)


def named(doc: stipa.Document, name: str) -> str:
    """The id of the component or link item called ``name``."""
    found = [c.id for c in doc.components.values() if c.name == name]
    found += [i.id for link in doc.links.values() for i in link.items if i.name == name]
    if len(found) != 1:
        raise RuntimeError(f"{len(found)} components or items are called {name!r}")
    return found[0]
