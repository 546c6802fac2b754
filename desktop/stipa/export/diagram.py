"""The diagram as an image, for the Qt-free exports: SVG headless, PNG and PDF through Qt.

SVG is drawn from ``stipa.diagram``'s geometry without Qt (``stipa.export.svg``). Rasters and
PDF pages still need Qt's painter, and nothing outside ``stipa.ui`` imports Qt. So the exports
reach that renderer through an entry point of the group ``stipa.renderers`` (Stipa's own
``pyproject.toml`` declares ``diagram = "stipa.ui.image_export:render"``), loaded only when a
PNG or PDF is actually drawn: importing ``stipa.export`` never loads Qt, and SVG, CSV, XLSX,
ReqIF and reports with SVG images run on a machine without Qt's libraries. The desktop
application registers the renderer directly (:func:`register_renderer`), so it works from a
source tree too.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points

from stipa.export.bidi import reveal_bidi_in, reveal_bidi_in_drawing
from stipa.export.options import DiagramOptions, ExportError
from stipa.model import Snapshot

__all__ = ["FORMATS", "RENDERER_GROUP", "Renderer", "register_renderer", "render_diagram"]

#: ``render(snapshot, format, options) -> bytes``; format is one of :data:`FORMATS`.
Renderer = Callable[[Snapshot, str, DiagramOptions], bytes]
#: The entry-point group the renderer is found in.
RENDERER_GROUP = "stipa.renderers"
#: The image formats a renderer writes.
FORMATS = ("svg", "png", "pdf")
_renderer: Renderer | None = None


def register_renderer(renderer: Renderer | None) -> None:
    """Use ``renderer`` for diagrams (None: find it through the entry point again)."""
    global _renderer
    _renderer = renderer


def _find_renderer() -> Renderer:
    global _renderer
    if _renderer is None:
        found = sorted(entry_points(group=RENDERER_GROUP, name="diagram"), key=lambda e: e.value)
        if not found:
            raise ExportError(
                "No diagram renderer is installed (entry point group stipa.renderers); "
                "reinstall Stipa, or export without the diagram (--option diagram=no)."
            )
        try:
            _renderer = found[0].load()
        except ImportError as error:
            raise ExportError(
                f"The diagram cannot be drawn because Qt cannot be loaded ({error}); "
                "install Qt's system libraries or export without it (--option diagram=no)."
            ) from None
    return _renderer


def render_diagram(snapshot: Snapshot, fmt: str, options: DiagramOptions) -> bytes:
    """The diagram of ``snapshot`` as an SVG, PNG or PDF file's bytes.

    SVG is drawn without Qt (``stipa.export.svg``); PNG and PDF through the renderer.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "svg":
        from stipa.export.svg import render_svg  # only when drawn: it loads the font metrics

        # bidi controls in names and titles show as markers (the Qt renderer does the same)
        return render_svg(reveal_bidi_in_drawing(snapshot), reveal_bidi_in(options))
    return _find_renderer()(snapshot, fmt, options)
