"""Diagram images read back with real parsers: SVG with lxml, PNG with Qt, PDF with pypdf."""

from __future__ import annotations

import io as bytes_io
from pathlib import Path

import pytest
from export_samples import sample_document
from lxml import etree
from pypdf import PdfReader
from PySide6.QtGui import QImage

from stipa import export
from stipa.export import ExportError
from stipa.export.diagram import render_diagram
from stipa.export.options import diagram_options
from stipa.model import Document, Snapshot

pytestmark = pytest.mark.gui
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def document() -> Document:
    return sample_document()


@pytest.fixture
def snapshot(document: Document) -> Snapshot:
    return document.snapshot()


def _svg(snapshot: Snapshot, **options: str) -> etree._Element:
    data = render_diagram(snapshot, "svg", diagram_options(options))
    return etree.fromstring(data)


def _groups(root: etree._Element, kind: str) -> list[etree._Element]:
    return [g for g in root.iter(f"{SVG}g") if kind in (g.get("class") or "").split()]


def test_svg_has_one_group_per_component_and_link(snapshot: Snapshot, tmp_path: Path) -> None:
    out = tmp_path / "diagram.svg"
    export.write_svg(snapshot, out, {})
    root = etree.parse(str(out)).getroot()
    assert root.tag == f"{SVG}svg"
    components = _groups(root, "component")
    assert [g.get("id") for g in components] == list(snapshot.components)
    assert [g.get("id") for g in _groups(root, "link")] == list(snapshot.links)
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    for group in components:  # each group holds its own shape and name, as text
        component = snapshot.components[group.get("id")]
        assert group.find(f"{SVG}title").text.endswith(f"({group.get('class').split()[0]})") or (
            component.name in group.find(f"{SVG}title").text
        )
        assert group.find(f".//{SVG}path") is not None or group.find(f".//{SVG}polygon") is not None
        words = " ".join(t.text or "" for t in group.iter(f"{SVG}text"))
        for word in component.name.split():
            assert word in words
    texts = list(root.iter(f"{SVG}text"))
    assert texts and {t.get("font-family") for t in texts} == {"DejaVu Sans"}
    assert root.get("font-family") == "DejaVu Sans"
    assert root.find(f"{SVG}title").text == snapshot.info.title
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox").split()[2:] == [root.get("width"), root.get("height")]
    assert width > 300 and height > 300


def test_svg_badges_legend_and_selection(snapshot: Snapshot) -> None:
    full = _svg(snapshot)
    legend = full.find(f".//{SVG}g[@id='layer-legend']")
    assert legend is not None and len(legend) == 1
    legend_words = " ".join(t.text or "" for t in legend.iter(f"{SVG}text"))
    for word in ("Legend", "Controller", "Control action", "Feedback", "Error"):
        assert word in legend_words
    assert "Warning" not in legend_words  # the only warning is accepted: no badge shows it
    bscu = full.find(f".//{SVG}g[@id='C-2']")
    # the open error on C-2 draws a badge with the count 1 inside the component's group
    assert "1" in [t.text for t in bscu.iter(f"{SVG}text")]
    bare = _svg(snapshot, badges="no", legend="no")
    assert len(bare.find(f".//{SVG}g[@id='layer-legend']")) == 0
    assert "1" not in [t.text for t in bare.find(f".//{SVG}g[@id='C-2']").iter(f"{SVG}text")]
    # resolved, accepted and not-applicable findings draw no badge (C-1's is not applicable)
    assert "1" not in [t.text for t in full.find(f".//{SVG}g[@id='C-1']").iter(f"{SVG}text")]

    part = _svg(snapshot, selection="C-2,C-3")
    assert [g.get("id") for g in _groups(part, "component")] == ["C-2", "C-3"]
    links = [g.get("id") for g in _groups(part, "link")]
    assert links and all(
        {snapshot.links[i].source, snapshot.links[i].target} <= {"C-2", "C-3"} for i in links
    )
    assert float(part.get("width")) < float(full.get("width"))


def test_png_scale_dpi_and_background(snapshot: Snapshot, tmp_path: Path) -> None:
    sizes = {}
    for scale in ("1", "2"):
        out = tmp_path / f"diagram-{scale}.png"
        export.write_png(snapshot, out, {"scale": scale})
        image = QImage(str(out))
        assert not image.isNull()
        sizes[scale] = (image.width(), image.height())
        assert round(image.dotsPerMeterX() * 0.0254) == 96 * int(scale)
        assert image.text("Title") == snapshot.info.title
    assert abs(sizes["2"][0] - 2 * sizes["1"][0]) <= 2
    assert abs(sizes["2"][1] - 2 * sizes["1"][1]) <= 2
    out = tmp_path / "print.png"
    export.write_png(snapshot, out, {"dpi": "300", "background": "transparent"})
    image = QImage(str(out))
    assert round(image.dotsPerMeterX() * 0.0254) == 300
    assert image.hasAlphaChannel() and image.pixelColor(0, 0).alpha() == 0
    white = QImage(str(tmp_path / "diagram-1.png"))
    assert white.pixelColor(0, 0).name() == "#ffffff"
    # something is drawn: not every pixel is the background
    middle = white.height() // 2
    colours = {white.pixel(x, middle) for x in range(0, white.width(), 7)}
    assert len(colours) > 3


def test_pdf_page_and_title_block(snapshot: Snapshot, tmp_path: Path) -> None:
    out = tmp_path / "diagram.pdf"
    export.write_pdf(snapshot, out, {"date": "2025-05-01"})
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    # the example with its legend is wider than tall: the automatic orientation is landscape
    assert (round(width), round(height)) == (842, 595)
    text = _words(page)
    info = snapshot.info
    for expected in (info.title, info.version, info.author, info.organisation, "2025-05-01"):
        assert expected in text, expected
    for label in ("TITLE", "VERSION", "AUTHOR", "ORGANISATION", "DATE"):
        assert label in text
    for component in snapshot.components.values():  # vector text, not a picture
        assert component.name.split()[0] in text
    assert not _images(page)
    assert reader.metadata is not None and reader.metadata.title == info.title

    export.write_pdf(snapshot, out, {"page": "A3", "orientation": "landscape", "title_block": "no"})
    page = PdfReader(str(out)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (1191, 842)
    assert "ORGANISATION" not in _words(page)


def _words(page: object) -> str:
    """The page's text with every run of white space as one space (pypdf writes tabs)."""
    return " ".join(page.extract_text().split())  # type: ignore[attr-defined]


def _images(page: object) -> list[object]:
    resources = page["/Resources"]  # type: ignore[index]
    objects = resources.get("/XObject", {})
    return [o for o in objects.values() if o.get_object().get("/Subtype") == "/Image"]


def test_pdf_of_a_large_diagram_keeps_every_label(tmp_path: Path) -> None:
    """Fitted far below 1:1, labels the canvas would hide are still in the PDF."""
    from stipa.testing import generate_document

    snapshot = generate_document(150, seed=3).snapshot()
    data = render_diagram(snapshot, "pdf", diagram_options({}))
    text = _words(PdfReader(bytes_io.BytesIO(data)).pages[0])
    link = next(iter(snapshot.links.values()))
    assert link.items[0].name.split()[0] in text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"scale": "0"}, "Option scale must be a number from 0.1 to 10"),
        ({"scale": "2", "dpi": "300"}, "either option scale or option dpi"),
        ({"page": "A7"}, "Option page must be one of"),
        ({"badges": "maybe"}, "Option badges must be yes or no"),
        ({"selection": "H-99"}, "Option selection names H-99"),
        ({"date": "1 May"}, "YYYY-MM-DD"),
        ({"scale": "10"}, "million pixels"),
    ],
)
def test_bad_options_are_one_sentence(
    snapshot: Snapshot, tmp_path: Path, options: dict[str, str], message: str
) -> None:
    out = tmp_path / "x.png"
    big = generate_large() if options == {"scale": "10"} else snapshot
    with pytest.raises(ExportError, match=message):
        export.write_png(big, out, options)
    assert not out.exists()


def generate_large() -> Snapshot:
    from stipa.testing import generate_document

    return generate_document(400, seed=1).snapshot()


def test_empty_document_exports(tmp_path: Path) -> None:
    snapshot = Document().snapshot()
    for name, writer in (("e.svg", export.write_svg), ("e.png", export.write_png),
                         ("e.pdf", export.write_pdf)):  # fmt: skip
        writer(snapshot, tmp_path / name, {})
        assert (tmp_path / name).stat().st_size > 100
    assert "STPA analysis" in _words(PdfReader(str(tmp_path / "e.pdf")).pages[0])


def test_exports_are_light_in_a_dark_application(snapshot: Snapshot) -> None:
    """Documents are white: a dark appearance never leaks into an export, and comes back."""
    from PySide6.QtGui import QGuiApplication

    from stipa.ui.theme import dark_palette

    before = QGuiApplication.palette()
    QGuiApplication.setPalette(dark_palette())
    try:
        root = _svg(snapshot)
        names = root.find(f".//{SVG}g[@id='C-2']")
        fills = {t.get("fill") for t in names.iter(f"{SVG}text")}
        assert "#111111" in fills and "#f4f4f4" not in fills
        assert (
            QGuiApplication.palette().color(QGuiApplication.palette().ColorRole.Base).lightness()
            < 128
        )
    finally:
        QGuiApplication.setPalette(before)
