"""Property: any analysis Stipa holds survives Stipa -> PASTA -> Stipa, text for text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stipa
from stipa.operations.imports import import_file
from stipa.plugin import PluginHost
from stipa_builtins.importers.pasta_export import dumps
from stipa_builtins.importers.pasta_syntax import parse

HOST = PluginHost().discover()
#: Texts PASTA can hold: any printable text and line breaks, not both kinds of quote at once.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"') | st.just("\n"),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip())
UCA_TYPES = st.sampled_from(list(stipa.UCAType))


@st.composite
def analyses(draw: st.DrawFn) -> stipa.Document:
    doc = stipa.Document()
    losses = [doc.add(stipa.Loss(text=draw(TEXT))).id for _ in range(draw(st.integers(1, 3)))]
    hazards = [
        doc.add(stipa.Hazard(text=draw(TEXT), losses=(draw(st.sampled_from(losses)),))).id
        for _ in range(draw(st.integers(1, 3)))
    ]
    names = draw(st.lists(TEXT, min_size=2, max_size=4, unique_by=str.strip))
    components = [doc.add(stipa.Component(name=name)).id for name in names]
    link = doc.add(
        stipa.Link(
            source=components[0],
            target=components[1],
            items=tuple(
                stipa.LinkItem(name=name)
                for name in draw(st.lists(TEXT, min_size=1, max_size=3, unique=True))
            ),
        )
    )
    for _ in range(draw(st.integers(0, 4))):
        doc.add(
            stipa.UnsafeControlAction(
                action=draw(st.sampled_from([item.id for item in link.items])),
                type=draw(UCA_TYPES),
                context=draw(TEXT),
                hazards=(draw(st.sampled_from(hazards)),),
            )
        )
    return doc


def texts(doc: stipa.Document) -> dict[str, list[str]]:
    return {
        "losses": sorted(r.text for r in doc.losses.values()),
        "hazards": sorted(r.text for r in doc.hazards.values()),
        "components": sorted(r.name for r in doc.components.values()),
        "actions": sorted(i.name for link in doc.links.values() for i in link.items),
        "ucas": sorted((r.type.value, r.context) for r in doc.ucas.values()),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analyses())
def test_any_analysis_survives_the_way_to_pasta_and_back(doc: stipa.Document) -> None:
    text = dumps(doc.snapshot())
    parse(text, "generated.stpa", strict=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.stpa"
        path.write_text(text, encoding="utf-8")
        again = import_file(HOST, path).document
    assert texts(again) == texts(doc)
