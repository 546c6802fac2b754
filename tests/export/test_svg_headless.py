"""The SVG export without Qt: it draws the canvas's geometry, and never loads Qt."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lxml import etree

from stipa import resources
from stipa.diagram.containers import frame_title
from stipa.export.options import diagram_options
from stipa.export.svg import render_svg
from stipa.io import load
from stipa.ui.canvas.scene import DiagramScene

SVG = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [path for path in resources.examples() if path.suffix == ".stipa"]


def _numbers(text: str) -> list[float]:
    return [float(value) for value in text.replace(",", " ").split()]


@pytest.mark.gui
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_svg_draws_exactly_the_canvas_geometry(qapp, path: Path) -> None:
    """Routes, arrow heads, label boxes, label lines and component boxes agree to 1/1000 px."""
    document = load(path)
    root = etree.fromstring(render_svg(document.snapshot(), diagram_options({})))
    scene = DiagramScene(document)
    try:
        for link_id, item in scene.links.items():
            group = root.find(f".//{SVG}g[@id='{link_id}']")
            route = _numbers(group.find(f"{SVG}polyline").get("points"))
            drawn = [value for point in item.points() for value in (point.x(), point.y())]
            assert route == pytest.approx(drawn, abs=1e-3)
            x, y, w, h = item.label_box()
            rect = group.find(f"{SVG}rect")
            assert [float(rect.get(k)) for k in ("x", "y", "width", "height")] == pytest.approx(
                [x, y, w, h], abs=1e-3
            )
            leader = group.find(f"{SVG}line[@class='leader']")
            if item.leader() is None:
                assert leader is None
            else:
                (x1, y1), (x2, y2) = item.leader()
                assert [float(leader.get(k)) for k in ("x1", "y1", "x2", "y2")] == pytest.approx(
                    [x1, y1, x2, y2], abs=1e-3
                )
            names = [t.text for t in group.findall(f"{SVG}text")]
            assert [text for text, _indent in item.label_lines()] == names
        for component_id, item in scene.components.items():
            group = root.find(f".//{SVG}g[@id='{component_id}']")
            x, y, w, h = item.box()
            texts = group.findall(f"{SVG}text")
            lines = item.text_lines()
            if item.drawn_as_frame:  # an open frame shows its name in its title bar
                lines = (frame_title((0.0, 0.0, w, h), item.component.name),)
            assert [t.text for t in texts] == [line.text for line in lines]
            for text, line in zip(texts, lines, strict=True):
                assert float(text.get("x")) == pytest.approx(x + line.x, abs=1e-3)
                assert float(text.get("y")) == pytest.approx(y + line.y, abs=1e-3)
                assert int(text.get("font-size")) == line.style.pixels
    finally:
        scene.close()


def test_stipa_export_svg_never_loads_qt(tmp_path: Path) -> None:
    """``stipa export F -o out.svg`` runs without Qt (nor networkx or pint: start-up)."""
    out = tmp_path / "wheel-brakes.svg"
    script = textwrap.dedent(
        """
        import sys
        from stipa.cli import main
        code = main(["export", sys.argv[1], "-o", sys.argv[2]])
        heavy = sorted(
            {m.split(".")[0] for m in sys.modules} & {"PySide6", "shiboken6", "networkx", "pint"}
        )
        print(code, ",".join(heavy))
        """
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "desktop"), str(ROOT / "plugins")])
    source = resources.resource_path("examples", "wheel-brakes.stipa")
    result = subprocess.run(
        [sys.executable, "-c", script, str(source), str(out)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2].strip() == "0"
    root = etree.parse(str(out)).getroot()
    assert len(root.findall(f".//{SVG}g[@class='layer']")) == 3


def test_import_stipa_leaves_the_heavy_parts_for_later() -> None:
    """Start-up (issue 17 part 6): ``import stipa`` loads no exporter, graph or unit library;
    ``stipa.export`` still works on first use."""
    script = (
        "import sys, stipa; "
        "print(sorted({'stipa.export', 'networkx', 'pint', 'PySide6'} & set(sys.modules))); "
        "print(stipa.export.write_svg.__name__)"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "desktop"), str(ROOT / "plugins")])
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "write_svg"]
