"""Finding badges in an exported SVG never cover the text of a component or a link label."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import stipa
from stipa import export
from stipa.diagram.text import TextStyle, ascent, line_height, text_width
from stipa.resources import examples

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _text_box(text: etree._Element) -> Box:
    style = TextStyle(int(text.get("font-size")), bold=text.get("font-weight") == "700")
    x, baseline = float(text.get("x")), float(text.get("y"))
    top = baseline - ascent(style)
    return (x, top, x + text_width(text.text or "", style), top + line_height(style))


@pytest.mark.parametrize("name", ["wheel-brakes.stipa", "language-model-citizen-assistant.stipa"])
def test_badges_never_cover_text(name: str, tmp_path: Path) -> None:
    document = stipa.load(next(p for p in examples() if p.name == name))
    stipa.analyse(document)  # findings on components and on links' labels
    out = tmp_path / "d.svg"
    export.write_svg(document.snapshot(), out, {"legend": "no"})
    root = etree.parse(str(out)).getroot()
    badges = []
    texts = []
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "badge" in classes:
            frame = group.find(f"{SVG}rect")
            x, y = float(frame.get("x")), float(frame.get("y"))
            w, h = float(frame.get("width")), float(frame.get("height"))
            badges.append((x, y, x + w, y + h))
        elif classes[:1] in (["component"], ["link"]):
            # the texts drawn by the item itself, not by its badge
            texts += [_text_box(t) for t in group.findall(f"{SVG}text")]
    assert len(badges) >= 3 and texts
    covered = [(b, t) for b in badges for t in texts if _overlap(b, t)]
    assert covered == []
