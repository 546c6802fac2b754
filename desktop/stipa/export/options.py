"""Export options: the ``KEY=VALUE`` strings of ``stipa export --option`` and the export dialog.

Every exporter receives its options as a mapping of strings (``Exporter.export(snapshot, path,
options)``); this module turns them into checked values, with one clear sentence for each
mistake (:class:`ExportError`). The option names below are shared by the built-in formats, so
the dialog and the command line offer the same choices everywhere.

No Qt here: the diagram options are plain data that ``stipa.ui.image_export`` draws from.
"""

from __future__ import annotations

import math
import os
import re
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = [
    "DIAGRAM_OPTIONS",
    "MAX_PIXELS",
    "PAGE_SIZES",
    "PDF_OPTIONS",
    "PNG_OPTIONS",
    "REPORT_OPTIONS",
    "DiagramOptions",
    "ExportError",
    "ExportWarning",
    "ReportOptions",
    "collect_export_warnings",
    "creation_time",
    "diagram_options",
    "export_date",
    "report_options",
]


class ExportError(Exception):
    """An export that cannot be written as asked; the message is one sentence for the user."""


class ExportWarning(UserWarning):
    """An export written, but not quite as asked (text cut to fit a cell, say): one sentence.

    Exporters raise it with :func:`warnings.warn`; the command line prints it and the
    desktop application shows it (:func:`collect_export_warnings`).
    """


@contextmanager
def collect_export_warnings() -> Iterator[list[str]]:
    """Gather the :class:`ExportWarning` sentences raised inside the block into a list."""
    collected: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        try:
            yield collected
        finally:
            collected += [str(w.message) for w in caught if issubclass(w.category, ExportWarning)]


#: Page sizes a PDF can have (ISO A and B series, and the North American sizes).
PAGE_SIZES = ("A0", "A1", "A2", "A3", "A4", "A5", "B4", "B5", "Letter", "Legal", "Tabloid")
ORIENTATIONS = ("auto", "portrait", "landscape")
BACKGROUNDS = ("white", "transparent")
#: Largest PNG drawn (pixels); the automatic scale shrinks big diagrams to stay under it.
MAX_PIXELS = 40_000_000
#: Largest PNG a user can ask for with an explicit scale or dpi.
HARD_MAX_PIXELS = 250_000_000

#: Options of every diagram image (SVG, PNG, PDF), name -> one line of help.
DIAGRAM_OPTIONS: Mapping[str, str] = {
    "badges": "yes/no: draw the badges of open findings on components and links (yes)",
    "legend": "yes/no: draw a legend of the shapes, lines and badges used (yes)",
    "selection": "comma-separated component or link ids: draw only these (whole diagram)",
    "background": "white or transparent (white)",
}
PNG_OPTIONS: Mapping[str, str] = {
    **DIAGRAM_OPTIONS,
    "scale": "pixels per diagram unit, 0.1 to 10 (2, less for very large diagrams)",
    "dpi": "dots per inch instead of scale: 96 is 1x, 192 is 2x, 300 for print",
}
PDF_OPTIONS: Mapping[str, str] = {
    **DIAGRAM_OPTIONS,
    "page": f"page size: {', '.join(PAGE_SIZES)} (A4)",
    "orientation": "auto, portrait or landscape (auto: the diagram's shape decides)",
    "title_block": "yes/no: a title block with title, version, author, organisation, date (yes)",
    "title": "the title in the title block (the document's title)",
    "date": "the date in the title block, YYYY-MM-DD (today, or SOURCE_DATE_EPOCH)",
}
#: Options of the reports (HTML, Markdown, DOCX).
REPORT_OPTIONS: Mapping[str, str] = {
    "diagram": "yes/no: include the diagram (yes); no needs no Qt at all",
    "badges": DIAGRAM_OPTIONS["badges"],
    "legend": DIAGRAM_OPTIONS["legend"],
    "selection": DIAGRAM_OPTIONS["selection"],
    "title": "the report's title (the document's title)",
    "date": PDF_OPTIONS["date"],
}

_TRUE = {"yes", "y", "true", "on", "1"}
_FALSE = {"no", "n", "false", "off", "0"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@dataclass(frozen=True)
class DiagramOptions:
    """How to draw the diagram of an image export (all formats share one set).

    ``scale`` is None for the automatic scale of a PNG (2, less for diagrams too large for
    :data:`MAX_PIXELS`). The title-block fields left empty come from the document's info.
    """

    badges: bool = True
    legend: bool = True
    selection: tuple[str, ...] = ()
    background: str = "white"
    scale: float | None = None
    page: str = "A4"
    orientation: str = "auto"
    title_block: bool = True
    title: str = ""
    date: str = ""
    #: The automatic PNG scale keeps the image under this many pixels.
    max_pixels: int = MAX_PIXELS


@dataclass(frozen=True)
class ReportOptions:
    """What a report (HTML, Markdown, DOCX) holds."""

    diagram: bool = True
    title: str = ""
    date: str = ""
    image: str = "svg"
    drawing: DiagramOptions = DiagramOptions()


def _flag(options: Mapping[str, str], key: str, default: bool) -> bool:
    text = options.get(key)
    if text is None:
        return default
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ExportError(f"Option {key} must be yes or no, not {text!r}.")


def _choice(options: Mapping[str, str], key: str, choices: tuple[str, ...], default: str) -> str:
    text = options.get(key)
    if text is None or not text.strip():
        return default
    wanted = text.strip().lower()
    for choice in choices:
        if choice.lower() == wanted:
            return choice
    raise ExportError(f"Option {key} must be one of {', '.join(choices)}, not {text!r}.")


def _number(options: Mapping[str, str], key: str, low: float, high: float) -> float | None:
    text = options.get(key)
    if text is None or not text.strip():
        return None
    try:
        value = float(text.strip().removesuffix("x"))
    except ValueError:
        value = math.nan
    if not low <= value <= high:  # also refuses nan
        raise ExportError(f"Option {key} must be a number from {low:g} to {high:g}, not {text!r}.")
    return value


def _date(options: Mapping[str, str]) -> str:
    text = options.get("date", "").strip()
    if text and not _DATE.match(text):
        raise ExportError(f"Option date must be written YYYY-MM-DD, not {text!r}.")
    if text:
        try:
            datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            raise ExportError(f"Option date {text!r} is not a date of the calendar.") from None
    return text


def _selection(options: Mapping[str, str]) -> tuple[str, ...]:
    text = options.get("selection", "")
    return tuple(part for part in re.split(r"[\s,;]+", text.strip()) if part)


def diagram_options(options: Mapping[str, str]) -> DiagramOptions:
    """The diagram options given as strings, checked; raises :class:`ExportError`."""
    scale = _number(options, "scale", 0.1, 10.0)
    dpi = _number(options, "dpi", 10.0, 1200.0)
    if scale is not None and dpi is not None:
        raise ExportError("Give either option scale or option dpi, not both.")
    if dpi is not None:
        scale = dpi / 96.0
    return DiagramOptions(
        badges=_flag(options, "badges", True),
        legend=_flag(options, "legend", True),
        selection=_selection(options),
        background=_choice(options, "background", BACKGROUNDS, "white"),
        scale=scale,
        page=_choice(options, "page", PAGE_SIZES, "A4"),
        orientation=_choice(options, "orientation", ORIENTATIONS, "auto"),
        title_block=_flag(options, "title_block", True),
        title=options.get("title", "").strip(),
        date=_date(options),
    )


def report_options(options: Mapping[str, str]) -> ReportOptions:
    """The report options given as strings, checked; raises :class:`ExportError`."""
    drawing = diagram_options(
        {key: value for key, value in options.items() if key in DIAGRAM_OPTIONS}
    )
    return ReportOptions(
        diagram=_flag(options, "diagram", True),
        title=options.get("title", "").strip(),
        date=_date(options),
        image=_choice(options, "image", ("svg", "png"), "svg"),
        drawing=drawing,
    )


def _epoch() -> float | None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) as seconds, or None when unset."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    try:
        return float(int(text))
    except ValueError:
        raise ExportError(f"SOURCE_DATE_EPOCH must be whole seconds, not {text!r}.") from None


def export_date(given: str = "") -> str:
    """The date written on an export: ``given``, else ``SOURCE_DATE_EPOCH``, else today."""
    if given:
        return given
    epoch = _epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d")
    return time.strftime("%Y-%m-%d")


def creation_time(given: str = "") -> str:
    """An ISO 8601 time stamp in UTC: ``given``, else ``SOURCE_DATE_EPOCH``, else now.

    ``given`` may be a date (``2025-05-01``) or a date and time (``2025-05-01T12:00:00Z``).
    """
    if given:
        text = given.strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ExportError(
                f"Option created must be an ISO 8601 time such as 2025-05-01T12:00:00Z, "
                f"not {given!r}."
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    else:
        epoch = _epoch()
        moment = datetime.fromtimestamp(epoch if epoch is not None else time.time(), UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
