"""Document benchmarks: load, save, snapshot and to_networkx() of generated documents.

Each figure stands beside a baseline measured in the same run:

* load     vs raw lxml: ``etree.parse`` of the same file, then every element's attributes
             and text read;
* save     vs raw lxml: ``ElementTree.write`` (pretty-printed, declaration, UTF-8) of that
             parsed tree to a file;
* snapshot and to_networkx() vs a plain networkx build: ``MultiDiGraph`` with
             ``add_nodes_from`` / ``add_edges_from`` of the same ids as plain tuples.

Budget (soft, printed): load and save within 3x of their raw lxml baseline at every size;
growth from 1,000 to 5,000 components near-linear (time ratio ideally 5.0; we print
"WITHIN BUDGET" up to 6.0, i.e. within 20 % of linear).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree

from stipa import io

pytestmark = pytest.mark.bench

SIZES = (100, 1_000, 5_000)
REPEAT = 5
LOAD_SAVE_BUDGET = 3.0
GROWTH_BUDGET = 6.0
SECTION = "document"


def raw_parse(path: Path) -> Any:
    """The baseline of load: parse, then read every attribute and text."""
    root = etree.parse(str(path)).getroot()
    for element in root.iter():
        element.attrib.items()
        element.text  # noqa: B018 - reading it is the point
    return root


def raw_write(root: Any, path: Path) -> None:
    """The baseline of save: lxml writes the parsed tree."""
    etree.ElementTree(root).write(
        str(path), pretty_print=True, xml_declaration=True, encoding="UTF-8"
    )


def plain_graph(nodes: list[str], edges: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
    """The baseline of to_networkx(): the same ids as plain tuples."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


@pytest.mark.parametrize("components", SIZES)
def test_document_operations(
    components: int, generated: Any, record: Any, stats: Any, tmp_path: Path
) -> None:
    path = generated.path(components)
    size = path.stat().st_size
    doc = io.load(path)
    snap = doc.snapshot()
    root = raw_parse(path)
    nodes = list(doc.components)
    edges = [(link.source, link.target, link.id) for link in doc.links.values()]
    out, raw_out = tmp_path / "saved.stipa", tmp_path / "raw.xml"

    times = stats.interleaved(
        {
            "load": lambda: io.load(path),
            "raw_parse": lambda: raw_parse(path),
            "save": lambda: io.save(doc, out),
            "dumps": lambda: io.dumps(doc),
            "raw_write": lambda: raw_write(root, raw_out),
            "snapshot": doc.snapshot,
            "to_networkx": snap.to_networkx,
            "plain_networkx": lambda: plain_graph(nodes, edges),
        },
        REPEAT,
    )
    med = {name: stats.median(values) for name, values in times.items()}

    # The work really was done (not a timing check).
    assert len(io.load(out).components) == components
    graph = snap.to_networkx()
    assert graph.number_of_nodes() == components
    assert graph.number_of_edges() == len(edges) == 3 * components

    pairs = {
        "load": "raw_parse",
        "save": "raw_write",
        "dumps": "raw_write",
        "snapshot": "plain_networkx",
        "to_networkx": "plain_networkx",
    }
    name = f"{components}"
    record.add(
        SECTION,
        name,
        components=components,
        links=len(edges),
        records=len(doc),
        file_bytes=size,
        repeat=REPEAT,
        median_s=med,
        samples_s=times,
        ratio={op: med[op] / med[base] for op, base in pairs.items()},
    )
    print(f"\n{components} components, {len(edges)} links, {size / 1e6:.2f} MB file")
    for op, base in pairs.items():
        ratio = med[op] / med[base]
        print(
            f"  {op:12s}{stats.seconds(med[op])}  vs {base:15s}{stats.seconds(med[base])}"
            f"  ratio {ratio:5.2f}x"
        )
    record.check(SECTION, name, med["load"] / med["raw_parse"], LOAD_SAVE_BUDGET, "load_ratio")
    record.check(SECTION, name, med["save"] / med["raw_write"], LOAD_SAVE_BUDGET, "save_ratio")


def test_document_growth(record: Any) -> None:
    """Growth from 1,000 to 5,000 components (runs after the sizes above, in file order)."""
    results = record.sections.get(SECTION, {})
    small, large = results.get("1000"), results.get("5000")
    if small is None or large is None:
        pytest.skip("needs the 1,000 and 5,000 component runs of this session")
    growth = {op: large["median_s"][op] / small["median_s"][op] for op in small["median_s"]}
    record.add(SECTION, "growth_1000_to_5000", ideal=5.0, factor=growth)
    print("\ngrowth 1,000 -> 5,000 components (5,000 time / 1,000 time; ideal 5.0)")
    for op, factor in growth.items():
        print(f"  {op:15s}{factor:6.2f}")
    for op in ("load", "save", "snapshot", "to_networkx"):
        record.check(SECTION, "growth_1000_to_5000", growth[op], GROWTH_BUDGET, f"{op}_growth")
