"""Containers on the canvas: open a nested 5,000-component document, collapse a big container.

* open: a generated document of 5,000 components (3 links each) made nested: 500 containers
  in 100 chains five levels deep, each holding 9 components and the next container of its
  chain, and one system boundary around ten chains (500 members). Opened as the canvas
  benchmark opens a file (load + scene + view fitted + first paint), beside the same
  document flat (no containers, the generator's grid) and beside a raw ``QGraphicsScene``
  of the same number of plain items for each. Budget: the nested document's ratio to its
  raw scene within the flat budget (4x, the canvas benchmark's).
* collapse/expand: the boundary's collapse, then its expand (one undo step each), timed
  from the call until the view has painted the answer, with the whole diagram in the view
  (every link painted again: the collapsed links and the aggregated arrows cross all of
  it) and at 100 % on the container's corner (as one works on it). The paint has ended
  when the view's ``paintEvent`` returns (the copy to the screen after it is left out);
  what the window does after the paint, out of sight (labels re-placed far out, where no
  label is painted), is timed to when the events are all handled, printed beside, with
  the scene's part (until the repaint). The objects alive once the document is open are
  put out of the garbage collector's sight, as the window does after building a big
  diagram. Toggled back and forth, a container is drawn from what its last toggle kept
  (arrows, sketch, picture); the "_first" figures are of toggles with another container
  (50 members, outside the boundary) collapsed or expanded before each, so that nothing
  kept serves: a container's first collapse or expand after other work. Then the same
  in the main window (the file opened with File > Open, at the zoom it opens with, then
  fitted; the overview panel shown): what else follows a collapse there (the overview,
  the panels) is part of the answer. Budget: 100 ms each, until painted.

Budgets are soft: "WITHIN BUDGET" / "OVER BUDGET" is printed, never a failure.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QGraphicsView
from test_canvas_bench import _discard, _plain_geometry, open_document, open_raw
from test_stall_bench import fresh_window, scene_complete, wait_until

from stipa import io
from stipa.model import Component, ComponentKind, Document, NodeLayout
from stipa.testing.generate import generate_document
from stipa.ui import collector
from stipa.ui.canvas.view import CanvasView
from stipa.ui.navigation import Overview

pytestmark = [pytest.mark.bench, pytest.mark.gui]

COMPONENTS = 5_000
CHAINS, LEVELS, LEAVES = 100, 5, 9
REPEAT = 2
TOGGLES = 5
OPEN_BUDGET = 4.0
TOGGLE_BUDGET_MS = 100.0
SECTION = "hierarchy"
#: Where each chain sits, and how its frames nest: each level 120 px below the one around it.
CHAIN_DX, CHAIN_DY, LEVEL_DY, INSET, LEAF_STEP = 1900.0, 1000.0, 120.0, 20.0, 170.0


def nested(doc: Document) -> Document:
    """The generated document made nested (see the module docstring).

    Built with ``Document.assemble`` as a file is loaded: one ``doc.update`` per component
    checks the whole document each time, minutes for 5,000 (a model cost, not the canvas's).
    """
    ids = list(doc.components)
    containers, leaves = ids[: CHAINS * LEVELS], ids[CHAINS * LEVELS :]
    assert len(leaves) == CHAINS * LEVELS * LEAVES
    parents: dict[str, str] = {}
    layouts: dict[str, NodeLayout] = {}
    boundary = Component(id="C-99999", name="Pilot region", kind=ComponentKind.BOUNDARY)
    for chain in range(CHAINS):
        left, top = (chain % 10) * CHAIN_DX, (chain // 10) * CHAIN_DY
        for level in range(LEVELS):
            container = containers[chain * LEVELS + level]
            x, y = left + level * INSET, top + level * LEVEL_DY
            width, height = 1700 - 2 * level * INSET, 640 - 130 * level
            if level:
                parents[container] = containers[chain * LEVELS + level - 1]
            elif chain < 10:
                parents[container] = boundary.id
            layouts[container] = NodeLayout(id=container, x=x, y=y, width=width, height=height)
            first = (chain * LEVELS + level) * LEAVES
            for index, leaf in enumerate(leaves[first : first + LEAVES]):
                parents[leaf] = container
                layouts[leaf] = NodeLayout(id=leaf, x=x + 10 + index * LEAF_STEP, y=y + 30)
    layouts[boundary.id] = NodeLayout(id=boundary.id, x=-20, y=-50, width=18_860, height=720)
    records = [
        record.replace(parent=parents[record.id]) if record.id in parents else record
        for record in doc.records()
    ]
    records.insert(len(doc.components), boundary)
    rest = [layout for layout in doc.link_layout.values()]
    made, problems = Document.assemble(records, [*layouts.values(), *rest], doc.info)
    assert problems == []
    return made


@pytest.fixture(scope="module")
def files(generated: Any) -> tuple[Path, Path]:
    flat: Path = generated.path(COMPONENTS)
    path = generated.folder / f"generated-{COMPONENTS}-nested.stipa"
    io.save(nested(generate_document(COMPONENTS, links_per_component=3, seed=0)), path)
    return flat, path


def test_open_nested_like_flat(
    files: tuple[Path, Path], qtbot: Any, record: Any, stats: Any
) -> None:
    flat, nested_file = files
    plain = {
        name: _plain_geometry(io.load(path))
        for name, path in zip(("flat", "nested"), files, strict=True)
    }
    _discard(open_document(nested_file, qtbot))  # warm up (fonts, caches, Qt's first time)
    _discard(open_raw(*plain["nested"], qtbot)[0])
    times: dict[str, list[float]] = {"flat": [], "flat_raw": [], "nested": [], "nested_raw": []}
    views: list[Any] = []

    def run(name: str, fn: Any) -> None:
        times[name].extend(stats.timed(lambda: views.append(fn()), 1))
        result = views.pop()
        _discard(result[0] if isinstance(result, tuple) else result)

    for _ in range(REPEAT):
        run("flat", lambda: open_document(flat, qtbot))
        run("flat_raw", lambda: open_raw(*plain["flat"], qtbot))
        run("nested", lambda: open_document(nested_file, qtbot))
        run("nested_raw", lambda: open_raw(*plain["nested"], qtbot))
    med = {name: stats.median(values) for name, values in times.items()}
    flat_ratio = med["flat"] / med["flat_raw"]
    nested_ratio = med["nested"] / med["nested_raw"]
    print(f"\nopen {COMPONENTS} components, flat and in {CHAINS * LEVELS} containers")
    print(f"  flat    {stats.seconds(med['flat'])}  raw {stats.seconds(med['flat_raw'])}"
          f"  ratio {flat_ratio:.2f}x")  # fmt: skip
    print(f"  nested  {stats.seconds(med['nested'])}  raw {stats.seconds(med['nested_raw'])}"
          f"  ratio {nested_ratio:.2f}x")  # fmt: skip
    record.add(
        SECTION,
        "open_nested_5000",
        components=COMPONENTS,
        containers=CHAINS * LEVELS + 1,
        repeat=REPEAT,
        median_s=med,
        samples_s=times,
        flat_ratio=flat_ratio,
        nested_ratio=nested_ratio,
    )
    record.check(SECTION, "open_nested_5000", flat_ratio, OPEN_BUDGET, "flat_open_ratio")
    record.check(SECTION, "open_nested_5000", nested_ratio, OPEN_BUDGET, "nested_open_ratio")


class _PaintEnd:
    """When a view's paint has ended (its ``paintEvent`` returned)."""

    def __init__(self, view: QGraphicsView) -> None:
        self.at: float | None = None
        paint = view.paintEvent

        def painted(event: QPaintEvent) -> None:
            paint(event)
            self.at = time.perf_counter()

        view.paintEvent = painted  # type: ignore[method-assign]

    def clear(self) -> None:
        self.at = None


Figures = dict[str, dict[str, list[float]]]


def toggle_times(
    view: CanvasView, boundary: str, where: str, stats: Any, figures: Figures, other: str = ""
) -> None:
    """Collapse and expand ``boundary`` ``TOGGLES`` times each in ``view``; add to
    ``figures`` ("painted", "scene", "handled") the times, by ``<collapse|expand>_<where>``.

    With ``other``, that container is collapsed or expanded (untimed) before each toggle,
    so nothing kept from the toggle before serves (a toggled back container is drawn from
    what its last toggle kept): the times of a first collapse or expand, under
    ``<collapse|expand>_<where>_first``.
    """
    scene = view.diagram
    doc = scene.document
    painted = _PaintEnd(view)
    started: list[float] = []
    scene_times: list[float] = []

    def toggle(container: str) -> None:
        painted.clear()
        start = time.perf_counter()
        started.append(start)
        scene.hierarchy.toggle(container)
        scene_times.append(time.perf_counter() - start)
        deadline = start + 30
        while painted.at is None:  # the view repaints what changed, then what follows
            assert time.perf_counter() < deadline, "the view did not repaint"
            QApplication.processEvents()
        QApplication.processEvents()

    for _ in range(TOGGLES):
        for name in ("collapse", "expand"):
            if other:
                toggle(other)  # untimed
                scene_times.pop()
                started.pop()
                while scene.after_paint:  # what the toggle left for after the paint
                    QApplication.processEvents()
            key = f"{name}_{where}_first" if other else f"{name}_{where}"
            figures["handled"].setdefault(key, []).extend(stats.timed(lambda: toggle(boundary), 1))
            figures["scene"].setdefault(key, []).append(scene_times.pop())
            assert painted.at is not None
            figures["painted"].setdefault(key, []).append(painted.at - started.pop())
            hidden = not scene.components[doc.children_of(boundary)[0]].isVisible()
            assert doc.node_layout[boundary].collapsed == hidden == (name == "collapse")


def report_toggles(figures: Figures, record: Any, stats: Any, arrows: int) -> None:
    """Print and record the medians of ``figures`` beside the budget."""
    med = {name: stats.median(values) for name, values in figures["painted"].items()}
    work = {name: stats.median(values) for name, values in figures["scene"].items()}
    handled = {name: stats.median(values) for name, values in figures["handled"].items()}
    print(f"\ncollapse/expand a container of 500 in {COMPONENTS + 1} components")
    print("  (the time until the view has painted; in brackets the scene's part, before")
    print("  it, and the time until every event is handled, after it)")
    for name in med:
        print(
            f"  {name:20} {stats.seconds(med[name])}  ({stats.seconds(work[name])},"
            f" {stats.seconds(handled[name])})"
        )
    name = "toggle_500_window" if any("window" in key for key in med) else "toggle_500"
    record.add(
        SECTION,
        name,
        median_s=med,
        scene_median_s=work,
        events_handled_median_s=handled,
        samples_s=figures["painted"],
        repeat=TOGGLES,
        aggregated_arrows=arrows,
    )
    for key in med:
        record.check(SECTION, name, med[key] * 1000, TOGGLE_BUDGET_MS, key, " ms")


def _boundary(doc: Document) -> str:
    boundary = next(c.id for c in doc.components.values() if c.name == "Pilot region")
    assert len(doc.descendants_of(boundary)) == 500
    return boundary


def _other(doc: Document, boundary: str) -> str:
    """A container of 50 outside the boundary (toggled between the first toggles)."""
    return next(
        c.id
        for c in doc.components.values()
        if not c.parent and c.id != boundary and len(doc.descendants_of(c.id)) == 49
    )


def test_collapse_and_expand_500_members(
    files: tuple[Path, Path], qtbot: Any, record: Any, stats: Any
) -> None:
    view = open_document(files[1], qtbot)
    scene = view.diagram
    wait_until(lambda: not scene.placing_labels)  # the crowded labels, placed between events
    collector.settle()  # as the window does once a big diagram is built
    try:
        doc = scene.document
        boundary = _boundary(doc)
        other = _other(doc, boundary)
        figures: Figures = {"painted": {}, "scene": {}, "handled": {}}
        toggle_times(view, boundary, "whole", stats, figures)
        toggle_times(view, boundary, "whole", stats, figures, other)
        view.zoom_reset()  # at 100 %, the container's corner in the middle
        view.centerOn(scene.components[boundary].scene_rect().topLeft())
        QApplication.processEvents()
        toggle_times(view, boundary, "zoomed", stats, figures)
        toggle_times(view, boundary, "zoomed", stats, figures, other)
        collapsed = doc.node_layout[boundary].collapsed
        report_toggles(figures, record, stats, len(scene.hierarchy.aggregates) if collapsed else 0)
    finally:
        collector.release()
        _discard(view)


def test_collapse_and_expand_500_members_in_the_window(
    files: tuple[Path, Path], qtbot: Any, record: Any, stats: Any
) -> None:
    with fresh_window(qtbot) as window:
        window.open_path(files[1])
        wait_until(lambda: window.path == files[1] and scene_complete(window))
        wait_until(lambda: not window.diagram.placing_labels)
        overview = window.findChild(Overview)
        assert overview is not None and overview.isVisible()
        boundary = _boundary(window.document)
        other = _other(window.document, boundary)
        figures: Figures = {"painted": {}, "scene": {}, "handled": {}}
        for where in ("window_opened", "window_fit"):  # readable, as opened; then Fit
            if where == "window_fit":
                window.actions_by_name["zoom_fit"].trigger()
                assert window.view.sketching  # the whole diagram, far out
            wait_until(lambda: overview.picture is not None and not overview.repainting)
            toggle_times(window.view, boundary, where, stats, figures)
            toggle_times(window.view, boundary, where, stats, figures, other)
        report_toggles(figures, record, stats, 0)
