"""Property test: any document the model accepts survives dumps -> loads record for record."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stipa.io import dumps, loads
from stipa.model import (
    LAYOUT_TABLES,
    TABLES,
    Component,
    ComponentKind,
    Condition,
    ContextRule,
    ControllerConstraint,
    Disposition,
    Document,
    Finding,
    Hazard,
    Link,
    LinkItem,
    LinkKind,
    LinkLayout,
    Loss,
    LossScenario,
    ModelError,
    Nature,
    NodeLayout,
    ProcessVariable,
    Property,
    RaciAssignment,
    RaciRole,
    Responsibility,
    Routing,
    ScenarioCategory,
    Severity,
    Suggestion,
    SuggestionStatus,
    SystemConstraint,
    TrainingLevel,
    UCAStatus,
    UCAType,
    UnsafeControlAction,
)

# Any text XML 1.0 can hold: no control characters but tab, newline and carriage return, no
# surrogates, no U+FFFE/U+FFFF.
XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\ufffe\uffff",
    min_codepoint=0x9,
).filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20)
TEXT = st.text(XML_CHARS, max_size=20)
NAME = st.text(XML_CHARS, min_size=1, max_size=12).filter(lambda s: s.strip() != "")
FLOAT = st.floats(allow_nan=False, allow_infinity=False, width=64)
PROP_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,10}", fullmatch=True).filter(
    lambda s: not s.lower().startswith("xml")
)
NAMESPACES = st.sampled_from(["urn:a:hw", "urn:b:hw", "https://x.example/ns#", "urn:123", "u"])


def enum(cls: type) -> st.SearchStrategy:
    return st.sampled_from(list(cls))


def some(draw: st.DrawFn, pool: list[str], most: int = 3) -> list[str]:
    if not pool:
        return []
    return draw(st.lists(st.sampled_from(pool), max_size=most, unique=True))


def add(doc: Document, record: object) -> object | None:
    """Add through the API; records the model refuses are simply skipped."""
    try:
        return doc.add(record)  # type: ignore[arg-type]
    except ModelError:
        return None


@st.composite
def documents(draw: st.DrawFn) -> Document:
    doc = Document()
    doc.set_info(
        title=draw(TEXT),
        version=draw(TEXT),
        author=draw(TEXT),
        organisation=draw(TEXT),
        description=draw(TEXT),
    )
    for _ in range(draw(st.integers(1, 5))):
        variables = [
            ProcessVariable(
                name=f"v{i} {draw(TEXT)}",
                values=draw(st.lists(NAME, min_size=1, max_size=3, unique=True)),
            )
            for i in range(draw(st.integers(0, 2)))
        ]
        props = draw(
            st.lists(
                st.builds(Property, namespace=NAMESPACES, name=PROP_NAME, value=TEXT, unit=TEXT),
                max_size=3,
                unique_by=lambda p: (p.namespace, p.name),
            )
        )
        add(
            doc,
            Component(
                name=draw(NAME),
                kind=draw(enum(ComponentKind)),
                nature=draw(enum(Nature)),
                description=draw(TEXT),
                role=draw(TEXT),
                training=draw(enum(TrainingLevel)),
                variables=variables,
                properties=props,
            ),
        )
    components = list(doc.components)
    for _ in range(draw(st.integers(0, 6))):
        items = [
            LinkItem(name=f"i{i} {draw(TEXT)}", description=draw(TEXT))
            for i in range(draw(st.integers(0, 3)))
        ]
        add(
            doc,
            Link(
                source=draw(st.sampled_from(components)),
                target=draw(st.sampled_from(components)),
                kind=draw(enum(LinkKind)),
                items=items,
                description=draw(TEXT),
            ),
        )
    for _ in range(draw(st.integers(0, 3))):
        add(doc, Loss(text=draw(TEXT), description=draw(TEXT)))
    for _ in range(draw(st.integers(0, 4))):
        hazards = list(doc.hazards)
        parent = draw(st.one_of(st.none(), st.sampled_from(hazards))) if hazards else None
        add(
            doc,
            Hazard(
                text=draw(TEXT),
                losses=some(draw, list(doc.losses)),
                parent=parent,
                description=draw(TEXT),
            ),
        )
    hazards = list(doc.hazards)
    for _ in range(draw(st.integers(0, 2))):
        add(
            doc,
            SystemConstraint(text=draw(TEXT), hazards=some(draw, hazards), description=draw(TEXT)),
        )
    for _ in range(draw(st.integers(0, 2))):
        raci_components = some(draw, components)
        add(
            doc,
            Responsibility(
                text=draw(TEXT),
                owner=draw(st.sampled_from(components)),
                constraints=some(draw, list(doc.constraints)),
                processes=some(draw, components),
                raci=[
                    RaciAssignment(component=c, role=draw(enum(RaciRole))) for c in raci_components
                ],
            ),
        )
    actions = [
        (link, item)
        for link in doc.links.values()
        if link.kind == LinkKind.CONTROL_ACTION
        for item in link.items
    ]
    for _ in range(draw(st.integers(0, 3)) if actions else 0):
        _link, item = draw(st.sampled_from(actions))
        add(
            doc,
            UnsafeControlAction(
                action=item.id,
                type=draw(enum(UCAType)),
                context=draw(TEXT),
                hazards=some(draw, hazards),
                rationale=draw(NAME),
                status=draw(enum(UCAStatus)),
            ),
        )
    ucas = list(doc.ucas)
    for _ in range(draw(st.integers(0, 2))):
        add(doc, ControllerConstraint(text=draw(TEXT), ucas=some(draw, ucas)))
    for _ in range(draw(st.integers(0, 2))):
        add(
            doc,
            LossScenario(
                text=draw(TEXT),
                category=draw(enum(ScenarioCategory)),
                ucas=some(draw, ucas),
                hazards=some(draw, hazards),
                causal_factor=draw(TEXT),
            ),
        )
    for _ in range(draw(st.integers(0, 2)) if actions else 0):
        link, item = draw(st.sampled_from(actions))
        variables = doc.components[link.source].variables
        chosen = some(draw, [v.id for v in variables])
        conditions = [
            Condition(variable=v.id, value=draw(st.sampled_from(v.values)))
            for v in variables
            if v.id in chosen
        ]
        add(
            doc,
            ContextRule(
                action=item.id,
                type=draw(enum(UCAType)),
                conditions=conditions,
                hazardous=draw(st.booleans()),
                hazards=some(draw, hazards),
                rationale=draw(TEXT),
            ),
        )
    every_id = [*doc.components, *doc.hazards, *ucas]
    for _ in range(draw(st.integers(0, 2))):
        add(
            doc,
            Finding(
                plugin=draw(NAME),
                rule=draw(NAME),
                severity=draw(enum(Severity)),
                message=draw(NAME),
                targets=some(draw, every_id),
                source=draw(TEXT),
                data=draw(st.lists(st.tuples(TEXT, TEXT), max_size=2)),
                disposition=draw(enum(Disposition)),
                rationale=draw(NAME),
            ),
        )
    for _ in range(draw(st.integers(0, 2))):
        proposal = draw(
            st.sampled_from(
                [
                    Loss(text=draw(TEXT)),
                    Hazard(text=draw(TEXT), losses=some(draw, list(doc.losses))),
                    ControllerConstraint(text=draw(TEXT), ucas=some(draw, ucas)),
                    LossScenario(text=draw(TEXT), category=draw(enum(ScenarioCategory))),
                ]
            )
        )
        add(
            doc,
            Suggestion(
                plugin=draw(NAME),
                rule=draw(NAME),
                message=draw(TEXT),
                proposal=proposal,
                targets=some(draw, every_id),
                status=draw(enum(SuggestionStatus)),
                rationale=draw(NAME),
            ),
        )
    for component in components:
        if draw(st.booleans()):
            width, height = draw(st.floats(1, 1e6)), draw(st.floats(1, 1e6))
            doc.set_layout(
                NodeLayout(id=component, x=draw(FLOAT), y=draw(FLOAT), width=width, height=height)
            )
    for link_id in doc.links:
        if draw(st.booleans()):
            doc.set_layout(
                LinkLayout(
                    id=link_id,
                    routing=draw(enum(Routing)),
                    bends=draw(st.lists(st.tuples(FLOAT, FLOAT), max_size=3)),
                    label_dx=draw(FLOAT),
                    label_dy=draw(FLOAT),
                )
            )
    return doc


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_dumps_loads_round_trip(doc: Document) -> None:
    data = dumps(doc)
    loaded = loads(data, "random.stipa")
    for table in TABLES + LAYOUT_TABLES:
        assert list(loaded.table(table.name).items()) == list(doc.table(table.name).items())
    assert loaded.info == doc.info
    assert not loaded.modified
    assert dumps(loaded) == data
    assert dumps(doc) == data
