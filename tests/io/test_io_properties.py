"""Property test: any document the model accepts survives dumps -> loads record for record."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stipa.io import FileFormatError, dumps, loads
from stipa.model import (
    COORDINATE_LIMIT,
    LAYOUT_TABLES,
    MAX_SIZE,
    MIN_SIZE,
    TABLES,
    CausalFactor,
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
    SafetyRequirement,
    ScenarioCategory,
    Severity,
    Suggestion,
    SuggestionStatus,
    SystemConstraint,
    TrainingLevel,
    UCAStatus,
    UCASubtype,
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
FLOAT = st.floats(-COORDINATE_LIMIT, COORDINATE_LIMIT, width=64)
SIZE = st.floats(MIN_SIZE, MAX_SIZE, width=64)
#: Values outside the geometry bounds, including what float() reads but the model refuses.
OUT_OF_RANGE = st.one_of(
    st.floats(min_value=COORDINATE_LIMIT, exclude_min=True, allow_infinity=False),
    st.floats(max_value=-COORDINATE_LIMIT, exclude_max=True, allow_infinity=False),
    st.sampled_from([math.inf, -math.inf, math.nan, 1e308, 1e23]),
)
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
        kind = draw(enum(ComponentKind))
        variables = [
            ProcessVariable(
                name=f"v{i} {draw(TEXT)}",
                values=draw(st.lists(NAME, min_size=1, max_size=3, unique=True)),
            )
            for i in range(draw(st.integers(0, 0 if kind == ComponentKind.BOUNDARY else 2)))
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
                kind=kind,
                nature=draw(enum(Nature)),
                description=draw(TEXT),
                role=draw(TEXT),
                training=draw(enum(TrainingLevel)),
                variables=variables,
                properties=props,
                parent=draw(st.sampled_from(["", *doc.components])),
                level=draw(st.one_of(st.none(), st.integers(0, 999))),
                alias=draw(TEXT),
            ),
        )
    components = list(doc.components)
    for _ in range(draw(st.integers(0, 6))):
        items = [
            LinkItem(name=f"i{i} {draw(TEXT)}", description=draw(TEXT), alias=draw(TEXT))
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
                alias=draw(TEXT),
            ),
        )
    for _ in range(draw(st.integers(0, 3))):
        add(doc, Loss(text=draw(TEXT), description=draw(TEXT), alias=draw(TEXT)))
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
                alias=draw(TEXT),
            ),
        )
    hazards = list(doc.hazards)
    for _ in range(draw(st.integers(0, 2))):
        add(
            doc,
            SystemConstraint(
                text=draw(TEXT), hazards=some(draw, hazards), description=draw(TEXT), alias="SC1"
            ),
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
                alias=draw(TEXT),
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
                subtype=draw(enum(UCASubtype)),
                alias=draw(TEXT),
            ),
        )
    ucas = list(doc.ucas)
    for _ in range(draw(st.integers(0, 2))):
        add(doc, ControllerConstraint(text=draw(TEXT), ucas=some(draw, ucas), alias=draw(TEXT)))
    for _ in range(draw(st.integers(0, 2))):
        add(
            doc,
            LossScenario(
                text=draw(TEXT),
                category=draw(enum(ScenarioCategory)),
                ucas=some(draw, ucas),
                hazards=some(draw, hazards),
                causal_factor=draw(TEXT),
                factor=draw(enum(CausalFactor)),
                alias=draw(TEXT),
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
                subtype=draw(enum(UCASubtype)),
                alias=draw(TEXT),
            ),
        )
    for _ in range(draw(st.integers(0, 2))):
        add(
            doc,
            SafetyRequirement(
                text=draw(TEXT),
                description=draw(TEXT),
                scenarios=some(draw, list(doc.scenarios)),
                ucas=some(draw, ucas),
                hazards=some(draw, hazards),
                constraints=some(draw, list(doc.constraints)),
                alias=draw(TEXT),
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
                    SafetyRequirement(text=draw(TEXT), ucas=some(draw, ucas), alias=draw(TEXT)),
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
            width, height = draw(SIZE), draw(SIZE)
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


@settings(max_examples=40, deadline=None)
@given(
    field=st.sampled_from(["x", "y", "width", "height", "bend", "label-dx"]),
    value=st.one_of(OUT_OF_RANGE, st.floats(-1e6, 1e6).filter(lambda v: v < MIN_SIZE)),
)
def test_geometry_outside_the_bounds_is_refused_on_load_with_its_line(
    field: str, value: float
) -> None:
    if field in ("x", "y", "bend", "label-dx") and -COORDINATE_LIMIT <= value <= COORDINATE_LIMIT:
        value = COORDINATE_LIMIT * 2  # sizes below 1 are fine as coordinates
    doc = Document()
    a = doc.add(Component(name="A"))
    b = doc.add(Component(name="B", kind="controlled_process"))
    link = doc.add(Link(source=a.id, target=b.id, items=[LinkItem(name="go")]))
    doc.set_layout(NodeLayout(id=a.id, x=0, y=0))
    doc.set_layout(LinkLayout(id=link.id, bends=[(5, 5)], label_dx=1))
    good = dumps(doc).decode()
    text = repr(value)
    replacements = {
        "x": ('x="0" y="0"', f'x="{text}" y="0"'),
        "y": ('x="0" y="0"', f'x="0" y="{text}"'),
        "width": ('width="160"', f'width="{text}"'),
        "height": ('height="70"', f'height="{text}"'),
        "bend": ('<bend x="5"', f'<bend x="{text}"'),
        "label-dx": ('label-dx="1"', f'label-dx="{text}"'),
    }
    old, new = replacements[field]
    assert old in good
    bad = good.replace(old, new, 1)
    line = next(n for n, row in enumerate(bad.splitlines(), 1) if new in row)
    with pytest.raises(FileFormatError) as caught:
        loads(bad.encode(), "bad.stipa")
    assert caught.value.problems[0].line == line, caught.value.problems
