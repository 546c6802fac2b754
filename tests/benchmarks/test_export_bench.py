"""Export benchmarks: every format on a generated document of 1,000 components.

Each export is ``Exporter.export(snapshot, path, {})`` of the built-in plugin, end to end:
options, the export scene built from the snapshot, drawing, encoding, the atomic write.

Baselines measured in the same run, interleaved:

* images (SVG, PNG, PDF): the **raw scene render** to the same format — the canvas's
  ``DiagramScene`` of the same document, built once beforehand (not timed), rendered whole
  with ``QGraphicsScene.render`` into a ``QSvgGenerator``, a ``QImage`` of the same pixel
  size as the export then saved as PNG, and a one-page ``QPdfWriter``. Building that scene
  from the document is timed too (``scene_build``): an export starts from a snapshot, so it
  always pays it.
* reports with the diagram: the raw render of the image they embed (SVG for HTML and
  Markdown, a PNG of the report picture's size for DOCX) + ``scene_build`` + ``dumps``;
* tables, ReqIF and reports without the diagram (``diagram=no``): ``stipa.io.dumps`` of the
  same document, i.e. writing the document itself as XML.

Budgets (soft, printed): images and reports with the diagram within 3x of their baseline;
the others within 20x of ``dumps`` (they write zipped XML or text from pure Python, dumps is
lxml's C serializer). Figures go to ``build/benchmarks.json`` under ``export``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from stipa import io
from stipa.export.options import diagram_options
from stipa.export.writers import REPORT_PICTURE_PIXELS
from stipa.model import Document
from stipa.testing import generate_document
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.image_export import DiagramExport, ensure_application

pytestmark = [pytest.mark.bench, pytest.mark.gui]

COMPONENTS = 1_000
REPEAT = 3
IMAGE_BUDGET = 3.0
DATA_BUDGET = 20.0
SECTION = "export"
FORMATS = {
    "svg": "diagram.svg",
    "png": "diagram.png",
    "pdf": "diagram.pdf",
    "html": "report.html",
    "markdown": "report.md",
    "docx": "report.docx",
    "csv": "tables.zip",
    "xlsx": "tables.xlsx",
    "reqif": "requirements.reqif",
    "html_nodiagram": "plain.html",
    "docx_nodiagram": "plain.docx",
}
IMAGES = ("svg", "png", "pdf")
#: Reports with the diagram, and the raw render of the picture each embeds.
REPORTS = {"html": "raw_svg", "markdown": "raw_svg", "docx": "raw_png_report"}


def _scene(document: Document) -> DiagramScene:
    scene = DiagramScene(document)
    scene.arrange_labels()
    return scene


def raw_svg(scene: DiagramScene, rect: QRectF) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(rect.size().toSize())
    generator.setViewBox(rect)
    painter = QPainter(generator)
    scene.render(painter, rect, rect)
    painter.end()
    return bytes(buffer.data().data())


def raw_png(scene: DiagramScene, rect: QRectF, size: QSize) -> bytes:
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def raw_pdf(scene: DiagramScene, rect: QRectF) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter(writer)
    scene.render(painter, QRectF(painter.viewport()), rect)
    painter.end()
    return bytes(buffer.data().data())


def test_export_every_format(record: Any, stats: Any, tmp_path: Path) -> None:
    ensure_application()
    from stipa_builtins.exporters import EXPORTERS

    exporters = {exporter.id: exporter for exporter in EXPORTERS}
    document = generate_document(COMPONENTS, links_per_component=3, seed=0)
    snapshot = document.snapshot()
    scene = _scene(document)
    rect = scene.itemsBoundingRect()
    prepared = DiagramExport(snapshot, diagram_options({}))
    png_size, png_scale = prepared.png_size()
    prepared.close()
    in_report = DiagramExport(
        snapshot, replace(diagram_options({}), max_pixels=REPORT_PICTURE_PIXELS)
    )
    report_size, _scale = in_report.png_size()
    in_report.close()

    runs: dict[str, Any] = {}
    for name, file_name in FORMATS.items():
        out = tmp_path / file_name
        exporter = exporters[name.removesuffix("_nodiagram")]
        options = {"diagram": "no"} if name.endswith("_nodiagram") else {}
        runs[name] = lambda e=exporter, o=out, c=options: e.export(snapshot, o, c)
    runs["raw_svg"] = lambda: raw_svg(scene, rect)
    runs["raw_png"] = lambda: raw_png(scene, rect, png_size)
    runs["raw_png_report"] = lambda: raw_png(scene, rect, report_size)
    runs["raw_pdf"] = lambda: raw_pdf(scene, rect)
    runs["scene_build"] = lambda: _scene(document).clear()
    runs["dumps"] = lambda: io.dumps(document)

    started = time.perf_counter()
    times = stats.interleaved(runs, REPEAT)
    total = time.perf_counter() - started
    med = {name: stats.median(values) for name, values in times.items()}

    # the work really was done (not a timing check)
    sizes = {name: (tmp_path / file_name).stat().st_size for name, file_name in FORMATS.items()}
    assert all(size > 1000 for size in sizes.values()), sizes
    assert QImage(str(tmp_path / "diagram.png")).size() == png_size

    ratios = {}
    print(
        f"\n{COMPONENTS} components, {len(document.links)} links, {len(document)} records; "
        f"PNG {png_size.width()}x{png_size.height()} (scale {png_scale:.2f}); "
        f"median of {REPEAT}, {total:.0f} s in all"
    )
    print(f"  scene_build {stats.seconds(med['scene_build'])}  (paid by every image export)")
    for name in IMAGES:
        raw = med[f"raw_{name}"]
        ratio = med[name] / (raw + med["scene_build"])
        ratios[name] = {"vs_raw": med[name] / raw, "vs_raw_plus_build": ratio}
        print(
            f"  {name:9s}{stats.seconds(med[name])}  vs raw_{name} {stats.seconds(raw)}"
            f"  ratio {med[name] / raw:5.2f}x raw, {ratio:5.2f}x raw+build"
            f"  ({sizes[name] / 1e6:.2f} MB)"
        )
    for name, raw_name in REPORTS.items():
        baseline = med[raw_name] + med["scene_build"] + med["dumps"]
        ratios[name] = {"vs_baseline": med[name] / baseline}
        print(
            f"  {name:9s}{stats.seconds(med[name])}  vs {raw_name}+build+dumps "
            f"{stats.seconds(baseline)}  ratio {ratios[name]['vs_baseline']:5.2f}x"
            f"  ({sizes[name] / 1e6:.2f} MB)"
        )
    for name in FORMATS:
        if name in IMAGES or name in REPORTS:
            continue
        ratios[name] = {"vs_dumps": med[name] / med["dumps"]}
        print(
            f"  {name:15s}{stats.seconds(med[name])}  vs dumps {stats.seconds(med['dumps'])}"
            f"  ratio {ratios[name]['vs_dumps']:5.2f}x  ({sizes[name] / 1e6:.2f} MB)"
        )
    figures = f"{COMPONENTS}"
    record.add(
        SECTION,
        figures,
        components=COMPONENTS,
        links=len(document.links),
        records=len(document),
        repeat=REPEAT,
        png_size=[png_size.width(), png_size.height()],
        png_scale=png_scale,
        bytes=sizes,
        median_s=med,
        samples_s=times,
        ratio=ratios,
    )
    for name in IMAGES:
        record.check(
            SECTION, figures, ratios[name]["vs_raw_plus_build"], IMAGE_BUDGET, f"{name}_ratio"
        )
    for name in REPORTS:
        record.check(SECTION, figures, ratios[name]["vs_baseline"], IMAGE_BUDGET, f"{name}_ratio")
    for name in FORMATS:
        if name not in IMAGES and name not in REPORTS:
            record.check(SECTION, figures, ratios[name]["vs_dumps"], DATA_BUDGET, f"{name}_ratio")
