"""Automatic layout: quality and time on the six examples and generated structures.

Quality (``stipa.diagram.metrics`` on the canvas's default routes): component overlaps, label
overlaps, control actions pointing down, crossings, bends, area, for

* ``hand``: the layout the file has (the examples' hand layout; the generator's rows);
* ``igraph``: the raw engine, igraph's own Sugiyama layout of the same graph (its own
  layering of every link, its grid scaled to the widest component);
* ``dot``: Graphviz ``dot -Tjson`` of the same graph, where the program is installed (up to
  300 components: at 1,000 it takes minutes);
* ``auto``: ``stipa.operations.auto_layout`` (layers by control authority, then igraph; a
  label whose places by its link are all taken is nudged into the nearest free room, and
  how many and how far is printed).

* ``room``: the ``hand`` layout after ``stipa.operations.layout.make_room_for_labels``
  (Arrange > Make Room for Labels: rows and columns moved apart, the arrangement kept, at any
  size; then each label still without a free place by its link nudged into the nearest free
  room).

For ``hand``, ``room`` and ``auto``, the labels placed away from their links (tied to them by
a leader line) are counted, with the leaders' median and largest length, and so are the
labels that found no free place by their link at all (``crowded``: placed in the nearest free
room, or beyond the diagram's edge). The time of each (making room or laying out, and
drawing) is printed beside them.

Time: the whole process ``stipa layout FILE -o OUT`` (start-up, load, layout, save) at 300 and
1,000 components, beside the raw engine call (``layout_sugiyama`` on the same graph) in the
same run. Budgets (soft, printed): at most 1 s at 300 and 5 s at 1,000 components.
"""

from __future__ import annotations

import json
import math
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from stipa.diagram.geometry import Box
from stipa.diagram.layout import layout_graph, raw_sugiyama, text_sizes
from stipa.diagram.metrics import Drawing, Metrics, drawing_of, measure
from stipa.diagram.scene import diagram_geometry
from stipa.io import load
from stipa.model import Document, NodeLayout
from stipa.operations.layout import auto_layout, make_room_for_labels
from stipa.resources import examples
from stipa.testing import generate_document

pytestmark = pytest.mark.bench

SECTION = "layout"
SIZES = (30, 100, 300, 1_000)
BUDGETS = {300: 1.0, 1_000: 5.0}
REPEAT = 3
#: Largest structure Graphviz lays out here.
DOT_LIMIT = 300


def placed(document: Document, boxes: dict[str, Box]) -> Document:
    """``document`` with its components at ``boxes`` (one transaction)."""
    with document.transaction("Place"):
        for component_id, box in boxes.items():
            document.set_layout(
                NodeLayout(id=component_id, x=box.x, y=box.y, width=box.width, height=box.height)
            )
    return document


def graph_of(document: Document) -> Any:
    """The layout graph of a whole document, as the auto layout sees it (no containers)."""
    components = list(document.components.values())
    sizes = text_sizes(components, document.node_layout)
    return layout_graph(components, document.links.values(), sizes)


def dot_boxes(document: Document) -> dict[str, Box] | None:
    """Graphviz ``dot``'s own layout of the same graph (sizes in points = pixels), or None
    where the program is not installed."""
    program = shutil.which("dot")
    if program is None or len(document.components) > DOT_LIMIT:
        return None
    lines = ["digraph G {", "node [shape=box, fixedsize=true];"]
    for component_id, layout in document.node_layout.items():
        lines.append(
            f'"{component_id}" [width={layout.width / 72:.3f}, height={layout.height / 72:.3f}];'
        )
    lines += [f'"{link.source}" -> "{link.target}";' for link in document.links.values()]
    lines.append("}")
    result = subprocess.run(
        [program, "-Tjson"], input="\n".join(lines), capture_output=True, text=True, check=True
    )
    boxes = {}
    for node in json.loads(result.stdout).get("objects", []):
        x, y = (float(v) for v in node["pos"].split(","))
        width, height = float(node["width"]) * 72, float(node["height"]) * 72
        boxes[node["name"]] = Box(x - width / 2, -y - height / 2, width, height)
    return boxes


def leader_lengths(document: Document) -> list[float]:
    """The lengths of the leader lines of ``document``'s diagram, shortest first."""
    geometry = diagram_geometry(
        document.components, document.links, document.node_layout, document.link_layout
    )
    return sorted(
        math.dist(*shape.label.leader)
        for shape in geometry.links.values()
        if shape.label is not None and shape.label.leader is not None
    )


def distances(record: Any, key: str, what: str, lengths: list[float]) -> None:
    """Print and record how many ``lengths`` (sorted) there are, their median and largest."""
    if not lengths:
        return
    median, largest = statistics.median(lengths), lengths[-1]
    print(f"  {what} {len(lengths)}: median {median:.0f} px, most {largest:.0f} px")
    record.add(SECTION, key, count=len(lengths), median_px=median, max_px=largest)


def stats_seconds(value: float) -> str:
    """A time for the console: milliseconds below one second."""
    return f"{value * 1000:7.0f} ms" if value < 1 else f"{value:7.2f} s "


def row(name: str, metrics: Metrics) -> str:
    return (
        f"  {name:7s} overlaps {metrics.component_overlaps:3d}  labels {metrics.label_overlaps:5d}"
        f"/{metrics.links:<5d} down {metrics.control_down_share:6.1%}  crossings "
        f"{metrics.crossings:7d}  bends {metrics.bends:5d}  area {metrics.area / 1e6:7.2f} Mpx²"
    )


def figures(metrics: Metrics) -> dict[str, Any]:
    return {
        "component_overlaps": metrics.component_overlaps,
        "label_overlaps": metrics.label_overlaps,
        "links": metrics.links,
        "control_down_share": round(metrics.control_down_share, 4),
        "control_acyclic": metrics.control_acyclic,
        "crossings": metrics.crossings,
        "bends": metrics.bends,
        "area": round(metrics.area),
    }


def timed_drawing(load_document: Any, operation: Any = None) -> tuple[Document, float, Drawing]:
    """A document after ``operation`` (None: as it is), the time of the operation and the
    drawing together, and the drawing."""
    document = load_document()
    started = time.perf_counter()
    if operation is not None:
        operation(document)
    drawn = drawing_of(document)
    return document, time.perf_counter() - started, drawn


def compare(name: str, load_document: Any, record: Any) -> Metrics:
    """Print and record the metrics of every layout of one document; the auto layout's."""
    print(f"\n{name}")
    times, results, crowded = {}, {}, {}
    _document, times["hand"], drawn = timed_drawing(load_document)
    results["hand"], crowded["hand"] = measure(drawn), len(drawn.crowded)
    document = load_document()
    graph = graph_of(document)
    results["igraph"] = measure(drawing_of(placed(document, raw_sugiyama(graph))))
    document = load_document()
    boxes = dot_boxes(document)
    if boxes is not None:
        results["dot"] = measure(drawing_of(placed(document, boxes)))
    roomy, times["room"], drawn = timed_drawing(load_document, make_room_for_labels)
    results["room"], crowded["room"] = measure(drawn), len(drawn.crowded)
    document, times["auto"], drawn = timed_drawing(load_document, auto_layout)
    results["auto"], crowded["auto"] = measure(drawn), len(drawn.crowded)
    for layout, metrics in results.items():
        extra = ""
        if layout in times:
            extra = f"  crowded {crowded[layout]:5d}  time {stats_seconds(times[layout])}"
        print(row(layout, metrics) + extra)
        more = {"crowded": crowded[layout], "time_s": times[layout]} if layout in times else {}
        record.add(SECTION, f"{name}.{layout}", **figures(metrics), **more)
    for layout, laid_out in (("hand", load_document()), ("room", roomy), ("auto", document)):
        distances(
            record,
            f"{name}.{layout}_leaders",
            f"{layout} labels tied by a leader line",
            leader_lengths(laid_out),
        )
    # how far the auto layout moved labels whose places by their links were all taken
    nudges = sorted(
        math.hypot(layout.label_dx, layout.label_dy)
        for layout in document.link_layout.values()
        if layout.label_dx or layout.label_dy
    )
    distances(record, f"{name}.auto_nudges", "labels nudged into free room", nudges)
    return results["auto"]


@pytest.mark.parametrize("path", examples(), ids=lambda p: Path(p).stem)
def test_examples_quality(path: Path, record: Any) -> None:
    auto = compare(Path(path).stem, lambda: load(path), record)
    assert auto.component_overlaps == 0
    assert auto.label_overlaps == 0
    assert auto.control_down_share == 1.0 or not auto.control_acyclic


@pytest.mark.parametrize("size", SIZES)
def test_generated_quality(size: int, record: Any) -> None:
    auto = compare(f"generated-{size}", lambda: generate_document(size, seed=0), record)
    assert auto.component_overlaps == 0
    assert auto.label_overlaps == 0
    assert auto.control_down_share == 1.0 or not auto.control_acyclic


@pytest.mark.parametrize("size", sorted(BUDGETS))
def test_stipa_layout_whole_process_time(
    size: int, generated: Any, record: Any, stats: Any, tmp_path: Path
) -> None:
    source = generated.path(size)
    output = tmp_path / "out.stipa"
    command = [sys.executable, "-m", "stipa", "layout", str(source), "-o", str(output)]
    document = load(source)
    graph = graph_of(document)

    def whole() -> None:
        subprocess.run(command, check=True, capture_output=True)

    def raw() -> None:
        raw_sugiyama(graph)

    times = stats.interleaved({"whole": whole, "raw": raw}, REPEAT)
    whole_s, raw_s = stats.median(times["whole"]), stats.median(times["raw"])
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "stipa", "--version"], check=True, capture_output=True)
    startup = time.perf_counter() - started
    print(
        f"\nstipa layout, {size} components: whole process {stats.seconds(whole_s)}, "
        f"raw igraph layout_sugiyama {stats.seconds(raw_s)}, "
        f"stipa --version {stats.seconds(startup)}"
    )
    record.add(
        SECTION,
        f"stipa_layout_{size}",
        whole_process_s=whole_s,
        raw_engine_s=raw_s,
        startup_s=startup,
    )
    record.check(SECTION, f"stipa_layout_{size}", whole_s, BUDGETS[size], "whole_process", "s")
    assert load(output).node_layout.keys() == document.node_layout.keys()
