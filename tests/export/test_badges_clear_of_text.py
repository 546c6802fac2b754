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


def _line_box(text: str, x: float, baseline: float, style: TextStyle) -> Box:
    top = baseline - ascent(style)
    return (x, top, x + text_width(text, style), top + line_height(style))


def _text_box(text: etree._Element) -> Box:
    style = TextStyle(int(text.get("font-size")), bold=text.get("font-weight") == "700")
    return _line_box(text.text or "", float(text.get("x")), float(text.get("y")), style)


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


@pytest.mark.gui
@pytest.mark.parametrize("name", ["wheel-brakes.stipa", "language-model-citizen-assistant.stipa"])
def test_badges_in_png_and_pdf_never_cover_text(name: str) -> None:
    """PNG and PDF are drawn from the canvas items (not the SVG writer): their badges keep
    clear of every component's caption and name and of the text of every link label too."""
    from PySide6.QtCore import QRectF

    from stipa.export.options import diagram_options
    from stipa.ui.image_export import DiagramExport, label_text_lines

    document = stipa.load(next(p for p in examples() if p.name == name))
    stipa.analyse(document)
    drawing = DiagramExport(document.snapshot(), diagram_options({"legend": "no"}))
    try:
        badges = [badge.sceneBoundingRect() for badge in drawing.badges.values()]
        drawn = [(link, label_text_lines(link)) for link in drawing.links]
        drawn += [(c, c.text_lines()) for c in drawing.components if not c.drawn_as_frame]
        texts = []
        for item, lines in drawn:
            for line in lines:
                x, top, right, bottom = _line_box(line.text, line.x, line.y, line.style)
                texts.append(item.mapRectToScene(QRectF(x, top, right - x, bottom - top)))
        assert len(badges) >= 3 and texts
        covered = [(b, t) for b in badges for t in texts if b.intersects(t)]
        assert covered == []
    finally:
        drawing.close()
