"""Render Stipa's SVG application icon into the raster icons each platform wants.

    python packaging/make_icons.py OUTDIR

writes ``OUTDIR/stipa.ico`` (Windows: 16-256 px), ``OUTDIR/stipa.icns`` (macOS: 16-1024 px)
and ``OUTDIR/hicolor/<N>x<N>/apps/io.github.stipa.Stipa.png`` (Linux desktops that want
bitmaps). Only PySide6 (QtSvg, already a dependency) is needed: the ICO and ICNS containers are
written here directly, with PNG-compressed images, which Windows Vista+ and macOS 10.7+ read.
No ImageMagick, Pillow, iconutil or icotool is required, so the icons can be generated on any
build machine, at build time, from the one SVG kept in git.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
APP_ID = "io.github.stipa.Stipa"
#: The one icon, shipped with the application's resources (it is also the window icon).
SVG = HERE.parent / "resources" / "icons" / f"{APP_ID}.svg"

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: ICNS chunk types holding PNG data, by pixel size (the @2x types share sizes).
ICNS_TYPES = (
    ("icp4", 16),
    ("icp5", 32),
    ("icp6", 64),
    ("ic07", 128),
    ("ic08", 256),
    ("ic09", 512),
    ("ic10", 1024),
    ("ic11", 32),
    ("ic12", 64),
    ("ic13", 256),
    ("ic14", 512),
)
HICOLOR_SIZES = (16, 32, 48, 64, 128, 256, 512)


def render_png(size: int, svg: Path = SVG) -> bytes:
    """The SVG rendered to a transparent square PNG of ``size`` pixels."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        render_png.app = QGuiApplication([])  # type: ignore[attr-defined]
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file holding the PNG ``images`` (size -> PNG bytes)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    directory, payload = b"", b""
    for size in sizes:
        png = images[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + directory + payload


def icns(images: dict[int, bytes]) -> bytes:
    """An ICNS file holding PNG chunks for each type in ``ICNS_TYPES``."""
    body = b""
    for kind, size in ICNS_TYPES:
        png = images[size]
        body += kind.encode("ascii") + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_all(outdir: Path) -> list[Path]:
    """Write the ICO, the ICNS and the hicolor PNGs into ``outdir``; return their paths."""
    sizes = sorted(set(ICO_SIZES) | {s for _, s in ICNS_TYPES} | set(HICOLOR_SIZES))
    images = {size: render_png(size) for size in sizes}
    outdir.mkdir(parents=True, exist_ok=True)
    written = [outdir / "stipa.ico", outdir / "stipa.icns"]
    written[0].write_bytes(ico({s: images[s] for s in ICO_SIZES}))
    written[1].write_bytes(icns(images))
    for size in HICOLOR_SIZES:
        path = outdir / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(images[size])
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    for path in write_all(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
