"""The diagram as SVG without Qt: drawn straight from what ``stipa.diagram`` computes.

The same picture as the canvas (and the PNG and PDF exports, which Qt draws from the canvas
items): one ``<g>`` per component and per link with a ``<title>`` viewers show as a
tooltip, text kept as text in DejaVu Sans at the engine's positions, the badges of open
findings, and a legend of what the drawing uses. Layers: links, then components, then the
legend. Kerning is off, as on the canvas, so every line is as wide as the engine measured.
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import stipa
from stipa.diagram.containers import count_label, title_rect
from stipa.diagram.geometry import Box, Point, TextLine, label_badge_places
from stipa.diagram.scene import (
    AggregateShape,
    ComponentShape,
    DiagramGeometry,
    LinkShape,
    diagram_geometry,
)
from stipa.diagram.style import (
    DASHES,
    MARK_COLOURS,
    MARKS,
    PRESETS,
    SEVERITY_COLOURS,
    Preset,
    link_colour,
)
from stipa.diagram.targets import canvas_ids_of
from stipa.diagram.text import FONT_FAMILY, TextStyle, ascent, line_height, text_width
from stipa.export.bidi import reveal_bidi, reveal_bidi_in
from stipa.export.options import DiagramOptions, ExportError
from stipa.model import ComponentKind, Disposition, LinkKind, Severity, Snapshot

__all__ = ["render_svg"]

#: Space around the drawing, and between the drawing and the legend.
MARGIN, LEGEND_GAP = 24.0, 40.0
#: What the canvas's light palette draws text and outlines in.
_TEXT, _OUTLINE, _BASE = "#111111", "#000000", "#ffffff"
_LABEL_TEXT = "#000000"
#: The tint of the container in the legend (a frame takes its preset's colour: grey here).
_FRAME_SWATCH = "#888888"
_SEVERITY_COLOURS = {
    Severity.ERROR: "#D55E00",
    Severity.WARNING: "#E69F00",
    Severity.INFO: "#0072B2",
}
_MARKS = {Severity.ERROR: "!", Severity.WARNING: "!", Severity.INFO: "i"}
_MARK_COLOURS = {Severity.ERROR: "#ffffff", Severity.WARNING: "#000000", Severity.INFO: "#ffffff"}
_SEVERITY_NAMES = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Info"}
#: The frames the legend explains: a container (its contents inside), a system boundary.
_FRAME_NAMES = {"container": "Container (holds what is inside)", "boundary": "System boundary"}
_LINK_NAMES = {
    LinkKind.CONTROL_ACTION: "Control action",
    LinkKind.FEEDBACK: "Feedback",
    LinkKind.INFORMATION: "Information",
}
#: A badge's height, and its count's font.
_BADGE = 16.0
_BADGE_TEXT = TextStyle(10, bold=True)
#: The legend's fonts (the canvas's 9, 7.5 and 8 points, in whole pixels as Qt draws them).
_LEGEND_TITLE, _LEGEND_HEADING, _LEGEND_TEXT = (
    TextStyle(12, True),
    TextStyle(10, True),
    TextStyle(11),
)
_SWATCH_W, _SWATCH_H, _ROW, _PAD = 36.0, 18.0, 24.0, 10.0


def _n(value: float) -> str:
    """A coordinate as short as it can be written."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _lighter(colour: str, factor: float = 1.35) -> str:
    """``QColor.lighter``: value up by ``factor``; past white, less saturation instead."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    v *= factor
    if v > 1.0:
        s = max(0.0, s - (v - 1.0))
        v = 1.0
    return "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hsv_to_rgb(h, s, v))


def _darker(colour: str, factor: float = 1.4) -> str:
    """``QColor.darker``: value down by ``factor``."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    return "#" + "".join(f"{round(c * 255):02x}" for c in colorsys.hsv_to_rgb(h, s, v / factor))


def _text(line: TextLine, fill: str) -> str:
    weight = ' font-weight="700"' if line.style.bold else ""
    return (
        f'<text x="{_n(line.x)}" y="{_n(line.y)}" font-family="{FONT_FAMILY}" '
        f'font-size="{line.style.pixels}"{weight} '
        f'fill="{fill}" xml:space="preserve">{escape(line.text)}</text>'
    )


def _dash(kind: LinkKind, width: float) -> str:
    """Qt's dash patterns, which scale with the pen's width."""
    dash = DASHES[kind]
    if dash == "dash":
        return f' stroke-dasharray="{_n(4 * width)},{_n(2 * width)}"'
    if dash == "dot":
        return f' stroke-dasharray="{_n(width)},{_n(2 * width)}"'
    return ""


def _points(points: Iterable[Point]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _outline(shape: str, box: Box) -> str:
    """The preset's outline as an SVG path (the shape the canvas item draws)."""
    x, y, w, h = box.x, box.y, box.width, box.height
    inset = min(18.0, w / 6)
    if shape in ("rounded", "ellipse"):
        r = min(h / (2.5 if shape == "rounded" else 2), w / 2)
        arc = f"A{_n(r)},{_n(r)} 0 0 1"
        d = (
            f"M{_n(x + r)},{_n(y)} H{_n(x + w - r)} {arc} {_n(x + w)},{_n(y + r)} "
            f"V{_n(y + h - r)} {arc} {_n(x + w - r)},{_n(y + h)} H{_n(x + r)} "
            f"{arc} {_n(x)},{_n(y + h - r)} V{_n(y + r)} {arc} {_n(x + r)},{_n(y)} Z"
        )
        return f'<path d="{d}"'
    if shape == "hexagon":
        corners = [
            (x + inset, y), (x + w - inset, y), (x + w, y + h / 2),
            (x + w - inset, y + h), (x + inset, y + h), (x, y + h / 2),
        ]  # fmt: skip
    elif shape in ("trapezoid", "inv_trapezoid"):
        top, bottom = (inset, 0.0) if shape == "trapezoid" else (0.0, inset)
        corners = [(x + top, y), (x + w - top, y), (x + w - bottom, y + h), (x + bottom, y + h)]
    else:
        corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    return f'<path d="M{" L".join(_points([corner]) for corner in corners)} Z"'


def _shape(preset: Preset, box: Box, pen: float, outline: str = _OUTLINE) -> list[str]:
    """A component's body: outline, fill and the preset's extra strokes."""
    dash = f' stroke-dasharray="{_n(4 * pen)},{_n(2 * pen)}"' if preset.shape == "dashed" else ""
    fill = _lighter(preset.colour)
    parts = [
        f'{_outline(preset.shape, box)} fill="{fill}" stroke="{outline}" '
        f'stroke-width="{_n(pen)}"{dash}/>'
    ]
    inner = 4.0 if box.height > 30 else 2.5
    if preset.shape == "double":
        parts.append(
            f'<rect x="{_n(box.x + inner)}" y="{_n(box.y + inner)}" '
            f'width="{_n(box.width - 2 * inner)}" height="{_n(box.height - 2 * inner)}" '
            f'fill="none" stroke="{outline}" stroke-width="{_n(pen)}"/>'
        )
    elif preset.shape == "banner":
        band = 7.0 if box.height > 30 else 4.0
        parts.append(
            f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" '
            f'height="{_n(band)}" fill="{preset.colour}" stroke="none"/>'
        )
        parts.append(
            f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" '
            f'height="{_n(box.height)}" fill="none" stroke="{outline}" stroke-width="{_n(pen)}"/>'
        )
    return parts


def _symbol(severity: Severity, x: float, y: float, side: float) -> list[str]:
    """A severity's symbol: octagon (error), triangle (warning) or circle (info), marked."""
    colour = SEVERITY_COLOURS[severity]
    pen = f'fill="{colour}" stroke="{_darker(colour)}" stroke-width="{_n(max(1.0, side / 14))}"'
    if severity == Severity.ERROR:
        cut = side * 0.29
        r, b = x + side, y + side
        corners = [
            (x + cut, y), (r - cut, y), (r, y + cut), (r, b - cut),
            (r - cut, b), (x + cut, b), (x, b - cut), (x, y + cut),
        ]  # fmt: skip
        parts = [f'<polygon points="{_points(corners)}" {pen}/>']
    elif severity == Severity.WARNING:
        corners = [(x + side / 2, y), (x + side, y + side), (x, y + side)]
        parts = [f'<polygon points="{_points(corners)}" {pen}/>']
    else:
        half = side / 2
        parts = [f'<circle cx="{_n(x + half)}" cy="{_n(y + half)}" r="{_n(half)}" {pen}/>']
    mark = TextStyle(max(6, round(side * 0.62)), bold=True)
    top = y + side * 0.22 if severity == Severity.WARNING else y
    height = y + side - top
    mark_x = x + (side - text_width(MARKS[severity], mark)) / 2
    mark_y = top + (height - line_height(mark)) / 2 + ascent(mark)
    parts.append(_text(TextLine(MARKS[severity], mark_x, mark_y, mark), MARK_COLOURS[severity]))
    return parts


@dataclass
class _Badge:
    count: int = 0
    severities: list[Severity] = field(default_factory=list)

    @property
    def severity(self) -> Severity:
        return max(self.severities, key=lambda severity: severity.rank)


def _badges(snapshot: Snapshot) -> dict[str, _Badge]:
    """The badge each component and link shows: its open findings and their worst severity."""
    badges: dict[str, _Badge] = {}
    for finding in snapshot.findings.values():
        if finding.disposition != Disposition.OPEN:
            continue
        for canvas_id in canvas_ids_of(snapshot, finding.targets):
            badge = badges.setdefault(canvas_id, _Badge())
            badge.count += 1
            badge.severities.append(finding.severity)
    return badges


def _badge(badge: _Badge, left: float, top: float) -> list[str]:
    """A badge with its top left at ``(left, top)``: a rounded frame, symbol and count."""
    text = str(badge.count)
    width = _BADGE + 4 + text_width(text, _BADGE_TEXT)
    colour = SEVERITY_COLOURS[badge.severity]
    parts = [
        f'<g class="badge {badge.severity.value}">',
        f'<rect x="{_n(left + 0.5)}" y="{_n(top + 0.5)}" width="{_n(width - 1)}" '
        f'height="{_n(_BADGE - 1)}" rx="{_n(_BADGE / 2)}" ry="{_n(_BADGE / 2)}" '
        f'fill="{_BASE}" stroke="{colour}" stroke-width="1.2"/>',
        *_symbol(badge.severity, left + 1.5, top + 1.5, _BADGE - 3),
    ]
    room = width - _BADGE - 2
    x = left + _BADGE + (room - text_width(text, _BADGE_TEXT)) / 2
    y = top + (_BADGE - line_height(_BADGE_TEXT)) / 2 + ascent(_BADGE_TEXT)
    parts.append(_text(TextLine(text, x, y, _BADGE_TEXT), _TEXT))
    parts.append("</g>")
    return parts


def _badge_width(badge: _Badge) -> float:
    return _BADGE + 4 + text_width(str(badge.count), _BADGE_TEXT)


def _group(element_id: str, kind: str, title: str, body: list[str]) -> list[str]:
    return [
        f"<g id={quoteattr(element_id)} class={quoteattr(kind)}>",
        f"<title>{escape(title)}</title>",
        *body,
        "</g>",
    ]


def _link(
    shape: LinkShape,
    names: dict[str, str],
    badge: _Badge | None,
    place: tuple[float, float] | None = None,
) -> list[str]:
    link = shape.link
    colour = link_colour(link.kind)
    body = []
    filled = colour if link.kind == LinkKind.CONTROL_ACTION else _BASE
    body.append(
        f'<polygon points="{_points(shape.route.arrow)}" fill="{filled}" stroke="{colour}" '
        'stroke-width="1.4"/>'
    )
    label = shape.label
    if label is not None:
        box = label.box
        if label.leader is not None:
            (x1, y1), (x2, y2) = label.leader
            body.append(
                f'<line class="leader" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
                f'stroke="{colour}" stroke-width="1"/>'
            )
        body.append(
            f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" '
            f'height="{_n(box.height)}" fill="{_BASE}" stroke="{colour}" stroke-width="1"/>'
        )
        body += [_text(line, _LABEL_TEXT) for line in label.lines]
    body.append(
        f'<polyline points="{_points(shape.route.points)}" fill="none" stroke="{colour}" '
        f'stroke-width="1.6"{_dash(link.kind, 1.6)} stroke-linejoin="bevel"/>'
    )
    if badge is not None and place is not None:
        body += _badge(badge, *place)
    ends = f"{names.get(link.source, link.source)} → {names.get(link.target, link.target)}"
    title = f"{link.label} ({ends})" if link.label else ends
    return _group(link.id, f"link {link.kind.value}", f"{link.id}: {title}", body)


def _aggregate(shape: AggregateShape) -> list[str]:
    """Several links between a collapsed container and another component: one thick arrow
    with the count."""
    aggregate = shape.aggregate
    colour = link_colour(aggregate.kind)
    filled = colour if aggregate.kind == LinkKind.CONTROL_ACTION else _BASE
    box, line = count_label(shape.route, len(aggregate.links))
    radius = _n(min(8.0, box.height / 2))
    body = [
        f'<polyline points="{_points(shape.route.points)}" fill="none" stroke="{colour}" '
        f'stroke-width="2.6"{_dash(aggregate.kind, 2.6)} stroke-linejoin="bevel"/>',
        f'<polygon points="{_points(shape.route.arrow)}" fill="{filled}" stroke="{colour}" '
        'stroke-width="1.4"/>',
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" '
        f'height="{_n(box.height)}" rx="{radius}" ry="{radius}" fill="{_BASE}" '
        f'stroke="{colour}" stroke-width="1"/>',
        _text(line, _LABEL_TEXT),
    ]
    element_id = f"{aggregate.source}-{aggregate.target}-{aggregate.kind.value}"
    title = f"{len(aggregate.links)} links: {', '.join(aggregate.links)}"
    return _group(element_id, "aggregate", title, body)


def _frame(shape: ComponentShape) -> list[str]:
    """A container: a frame with a title bar; a system boundary: dashed, with its name."""
    box = shape.box
    boundary = shape.component.kind.value == "boundary"
    rect = f'x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" height="{_n(box.height)}"'
    if boundary:
        body = [
            f'<rect {rect} fill="none" stroke="{_OUTLINE}" stroke-width="1.3" '
            f'stroke-dasharray="{_n(5.2)},{_n(2.6)}"/>'
        ]
    else:
        x, y, width, height = title_rect(box.rect())
        body = [
            f'<rect {rect} fill="{shape.preset.colour}" fill-opacity="0.11" stroke="none"/>',
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
            f'fill="{shape.preset.colour}" fill-opacity="0.43" stroke="none"/>',
            f'<line x1="{_n(x)}" y1="{_n(y + height)}" x2="{_n(x + width)}" '
            f'y2="{_n(y + height)}" stroke="{_OUTLINE}" stroke-width="1.3"/>',
            f'<rect {rect} fill="none" stroke="{_OUTLINE}" stroke-width="1.3"/>',
        ]
    return body + [_text(line, _TEXT) for line in shape.lines]


def _component(
    shape: ComponentShape, badge: _Badge | None, place: tuple[float, float] | None = None
) -> list[str]:
    component = shape.component
    body = _frame(shape) if shape.frame else _shape(shape.preset, shape.box, 1.3)
    if not shape.frame:
        body += [_text(line, _TEXT) for line in shape.lines]
    if badge is not None and place is not None:
        body += _badge(badge, *place)
    kind = f"component {component.kind.value} {component.nature.value}"
    title = f"{component.id}: {component.name} ({shape.preset.label})"
    return _group(component.id, kind, title, body)


@dataclass(frozen=True)
class _Legend:
    """What the shapes, lines and badges mean: only those the drawing uses."""

    presets: list[Preset]
    kinds: list[LinkKind]
    severities: list[Severity]
    #: the kinds of frame drawn: "container", "boundary" (see ``_FRAME_NAMES``)
    frames: list[str]

    def sections(self) -> list[tuple[str, list[str]]]:
        sections = [
            ("Components", [preset.label for preset in self.presets]),
            ("Frames", [_FRAME_NAMES[frame] for frame in self.frames]),
            ("Links", [_LINK_NAMES[kind] for kind in self.kinds]),
            (
                "Badges: open findings, worst severity",
                [_SEVERITY_NAMES[s] for s in self.severities],
            ),
        ]
        return [(heading, rows) for heading, rows in sections if rows]

    def size(self) -> tuple[float, float]:
        sections = self.sections()
        labels = [label for _heading, rows in sections for label in rows]
        widest = max((text_width(label, _LEGEND_TEXT) for label in labels), default=60.0)
        widest_heading = max(
            (text_width(heading, _LEGEND_HEADING) for heading, _rows in sections), default=0.0
        )
        width = max(_PAD * 3 + _SWATCH_W + max(widest, 110.0), widest_heading + 2 * _PAD + 4)
        height = _PAD * 2 + 22.0 + sum(16.0 + len(rows) * _ROW for _heading, rows in sections)
        return width, height

    def draw(self, left: float, top: float) -> list[str]:
        width, height = self.size()
        parts = [
            f'<rect x="{_n(left + 0.5)}" y="{_n(top + 0.5)}" width="{_n(width - 1)}" '
            f'height="{_n(height - 1)}" fill="{_BASE}" stroke="#888888" stroke-width="1"/>',
            _text(self._line("Legend", left + _PAD, top + _PAD, 18.0, _LEGEND_TITLE), _TEXT),
        ]
        y = top + _PAD + 22.0
        swatches = [
            *((self._preset_swatch, preset) for preset in self.presets),
            *((self._frame_swatch, frame) for frame in self.frames),
            *((self._link_swatch, kind) for kind in self.kinds),
            *((self._severity_swatch, severity) for severity in self.severities),
        ]
        index = 0
        for heading, rows in self.sections():
            parts.append(
                _text(self._line(heading, left + _PAD, y, 14.0, _LEGEND_HEADING), "#444444")
            )
            y += 16.0
            for label in rows:
                draw, what = swatches[index]
                index += 1
                swatch = Box(left + _PAD, y + (_ROW - _SWATCH_H) / 2, _SWATCH_W, _SWATCH_H)
                parts += draw(what, swatch)  # type: ignore[operator]
                line = self._line(label, swatch.right + _PAD, y, _ROW, _LEGEND_TEXT)
                parts.append(_text(line, _TEXT))
                y += _ROW
        return parts

    @staticmethod
    def _line(text: str, x: float, top: float, height: float, style: TextStyle) -> TextLine:
        """``text`` left-aligned and centred vertically in a row ``height`` high."""
        return TextLine(text, x, top + (height - line_height(style)) / 2 + ascent(style), style)

    @staticmethod
    def _preset_swatch(preset: Preset, box: Box) -> list[str]:
        return _shape(preset, box, 1.1, outline=_TEXT)

    @staticmethod
    def _frame_swatch(frame: str, box: Box) -> list[str]:
        """A small frame: with a title bar (a container), or dashed (a system boundary)."""
        rect = f'x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" height="{_n(box.height)}"'
        if frame == "boundary":
            return [
                f'<rect {rect} fill="none" stroke="{_OUTLINE}" stroke-width="1.1" '
                f'stroke-dasharray="{_n(5.2)},{_n(2.6)}"/>'
            ]
        band = box.height / 3
        return [
            f'<rect {rect} fill="{_FRAME_SWATCH}" fill-opacity="0.11" stroke="none"/>',
            f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" '
            f'height="{_n(band)}" fill="{_FRAME_SWATCH}" fill-opacity="0.43" stroke="none"/>',
            f'<line x1="{_n(box.x)}" y1="{_n(box.y + band)}" x2="{_n(box.right)}" '
            f'y2="{_n(box.y + band)}" stroke="{_OUTLINE}" stroke-width="1.1"/>',
            f'<rect {rect} fill="none" stroke="{_OUTLINE}" stroke-width="1.1"/>',
        ]

    @staticmethod
    def _link_swatch(kind: LinkKind, box: Box) -> list[str]:
        colour = link_colour(kind)
        y = box.y + box.height / 2
        tip = (box.right, y)
        filled = colour if kind == LinkKind.CONTROL_ACTION else _BASE
        arrow = [tip, (box.right - 10, y - 4.5), (box.right - 10, y + 4.5)]
        return [
            f'<line x1="{_n(box.x)}" y1="{_n(y)}" x2="{_n(box.right - 8)}" y2="{_n(y)}" '
            f'stroke="{colour}" stroke-width="1.6"{_dash(kind, 1.6)}/>',
            f'<polygon points="{_points(arrow)}" fill="{filled}" stroke="{colour}" '
            'stroke-width="1.4"/>',
        ]

    @staticmethod
    def _severity_swatch(severity: Severity, box: Box) -> list[str]:
        return _symbol(severity, box.x, box.y, box.height)


def _selected(
    snapshot: Snapshot, geometry: DiagramGeometry, selection: tuple[str, ...]
) -> DiagramGeometry:
    """Only the selected components and links (and a selected link's ends)."""
    if not selection:
        return geometry
    shown = set(canvas_ids_of(snapshot, selection))
    unknown = [i for i in selection if not canvas_ids_of(snapshot, (i,))]
    if unknown or not shown:
        raise ExportError(
            f"Option selection names {', '.join(unknown or selection)}, which the "
            "diagram does not show; give component or link ids."
        )
    for link_id in [i for i in shown if i in geometry.links]:
        link = geometry.links[link_id].link
        shown.update((link.source, link.target))
    components = {key: s for key, s in geometry.components.items() if key in shown}
    links = {
        key: s
        for key, s in geometry.links.items()
        if s.link.source in components and s.link.target in components
    }
    aggregates = tuple(
        shape
        for shape in geometry.aggregates
        if shape.aggregate.source in components and shape.aggregate.target in components
    )
    return DiagramGeometry(components, links, aggregates)


def render_svg(snapshot: Snapshot, options: DiagramOptions) -> bytes:
    """The diagram of ``snapshot`` as SVG bytes, drawn without Qt."""
    # the drawn names and titles show bidi controls as markers (as every export does)
    components = {key: reveal_bidi_in(c) for key, c in snapshot.components.items()}
    links = {key: reveal_bidi_in(link) for key, link in snapshot.links.items()}
    geometry = diagram_geometry(components, links, snapshot.node_layout, snapshot.link_layout)
    geometry = _selected(snapshot, geometry, options.selection)
    badges = _badges(snapshot) if options.badges else {}
    names = {key: component.name for key, component in components.items()}
    places = _badge_places(geometry, badges)
    link_parts: list[str] = []
    for key, shape in geometry.links.items():
        link_parts += _link(shape, names, badges.get(key), places.get(key))
    for aggregate in geometry.aggregates:
        link_parts += _aggregate(aggregate)
    frame_parts: list[str] = []
    component_parts: list[str] = []
    for component in geometry.painting_order():
        parts = frame_parts if component.frame else component_parts
        key = component.component.id
        parts += _component(component, badges.get(key), places.get(key))
    bounds = _drawing_bounds(geometry, badges, places)
    legend_parts: list[str] = []
    if options.legend:
        # a frame is explained as a frame, not as the shape of its preset
        used = {shape.preset.key for shape in geometry.components.values() if not shape.frame}
        frames = {
            "boundary" if shape.component.kind == ComponentKind.BOUNDARY else "container"
            for shape in geometry.components.values()
            if shape.frame
        }
        kinds = {shape.link.kind for shape in geometry.links.values()}
        shown = {badge.severity for key, badge in badges.items() if _drawn(key, geometry)}
        legend = _Legend(
            [preset for preset in PRESETS if preset.key in used],
            [kind for kind in LinkKind if kind in kinds],
            [s for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if s in shown],
            [frame for frame in _FRAME_NAMES if frame in frames],
        )
        if legend.sections():
            left, top = (0.0, 0.0) if bounds is None else (bounds[2] + LEGEND_GAP, bounds[1])
            width, height = legend.size()
            legend_parts = ['<g id="legend">', *legend.draw(left, top), "</g>"]
            box = (left, top, left + width, top + height)
            bounds = box if bounds is None else _union(bounds, box)
    if bounds is None:
        bounds = (0.0, 0.0, 320.0, 200.0)  # an empty diagram: a small blank area
    left = math.floor(bounds[0] - MARGIN)
    top = math.floor(bounds[1] - MARGIN)
    width = math.ceil(bounds[2] + MARGIN) - left
    height = math.ceil(bounds[3] + MARGIN) - top
    title = reveal_bidi(options.title or snapshot.info.title or "STPA analysis")
    view_box = f"{left} {top} {width} {height}"
    lines = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="{view_box}" font-family="{FONT_FAMILY}" '
        'style="font-kerning:none" stroke-linecap="square">',
        f"<title>{escape(title)}</title>",
        f"<desc>Control structure drawn by Stipa {escape(stipa.__version__)}</desc>",
    ]
    if options.background != "transparent":
        lines.append(
            f'<rect class="background" fill="#ffffff" stroke="none" x="{left}" y="{top}" '
            f'width="{width}" height="{height}"/>'
        )
    for layer, parts in (
        ("frames", frame_parts),
        ("links", link_parts),
        ("components", component_parts),
        ("legend", legend_parts),
    ):
        if layer == "frames" and not parts:
            continue  # a diagram without containers keeps its three layers
        lines.append(f'<g id="layer-{layer}" class="layer">')
        lines += parts
        lines.append("</g>")
    lines.append("</svg>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _drawn(key: str, geometry: DiagramGeometry) -> bool:
    return key in geometry.components or key in geometry.links


def _union(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _drawing_bounds(
    geometry: DiagramGeometry,
    badges: dict[str, _Badge],
    places: dict[str, tuple[float, float]],
) -> tuple[float, float, float, float] | None:
    """Left, top, right, bottom of everything drawn (with room for pens and badges)."""
    box = geometry.bounds()
    if box is None:
        return None
    bounds = (box.x - 4, box.y - 4, box.right + 4, box.bottom + 4)
    for key, (left, top) in places.items():
        bounds = _union(bounds, (left, top, left + _badge_width(badges[key]), top + _BADGE))
    return bounds


#: The side of the grid cells text boxes are filed in, to find the ones near a badge quickly.
_CELL = 64.0
_Box = tuple[float, float, float, float]


def _overlaps(a: _Box, b: _Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _TextIndex:
    """The boxes of the drawn texts (component texts and link labels), filed by grid cell."""

    def __init__(self, geometry: DiagramGeometry) -> None:
        self.cells: dict[tuple[int, int], list[_Box]] = {}
        lines = [line for shape in geometry.components.values() for line in shape.lines]
        lines += [
            line
            for shape in geometry.links.values()
            if shape.label is not None
            for line in shape.label.lines
        ]
        for line in lines:
            top = line.y - ascent(line.style)
            right = line.x + text_width(line.text, line.style)
            box = (line.x, top, right, top + line_height(line.style))
            for cell in self._cells(box):
                self.cells.setdefault(cell, []).append(box)

    @staticmethod
    def _cells(box: _Box) -> list[tuple[int, int]]:
        x0, y0 = math.floor(box[0] / _CELL), math.floor(box[1] / _CELL)
        x1, y1 = math.floor(box[2] / _CELL), math.floor(box[3] / _CELL)
        return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]

    def clear(self, box: _Box) -> bool:
        """Whether ``box`` covers no text."""
        return not any(
            _overlaps(box, text) for cell in self._cells(box) for text in self.cells.get(cell, ())
        )


def _badge_places(
    geometry: DiagramGeometry, badges: dict[str, _Badge]
) -> dict[str, tuple[float, float]]:
    """The top left of each drawn badge: a component's top left corner (above it when a
    container's title is there); a link label's top right corner above its text, or, where
    another item's text is there, the first clear place below, right or left of the label.
    A badge never covers a word."""
    places: dict[str, tuple[float, float]] = {}
    texts = _TextIndex(geometry) if badges else None
    for key, badge in badges.items():
        width = _badge_width(badge)
        candidates: list[tuple[float, float]]
        if key in geometry.components:
            box = geometry.components[key].box
            # on the top left corner; above it where a container's title starts there
            candidates = [(box.x - 6, box.y - _BADGE / 2 - 2), (box.x - 6, box.y - _BADGE - 2)]
        elif key in geometry.links:
            shape = geometry.links[key]
            label = shape.label
            if label is None:
                points = shape.route.points
                middle = len(points) // 2
                (x1, y1), (x2, y2) = points[middle - 1], points[middle]
                places[key] = ((x1 + x2) / 2 + 4, (y1 + y2) / 2 - _BADGE - 2)
                continue
            candidates = list(label_badge_places(label.box, width, _BADGE))
        else:
            continue
        assert texts is not None
        places[key] = next(
            ((x, y) for x, y in candidates if texts.clear((x, y, x + width, y + _BADGE))),
            candidates[0],
        )
    return places
