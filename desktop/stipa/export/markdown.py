"""The report as Markdown (GitHub-flavoured tables), with the diagram in a file beside it.

``report.md`` gets ``report-diagram.svg`` (or ``.png``) next to it and links it as an image
with a caption, so the pair renders on GitHub, GitLab and in most wikis. Cells escape what
Markdown and inline HTML would read as markup, and line breaks inside a cell become ``<br>``;
in running text (the description) a line that would start a block (``---`` under a line makes
it a heading, ``- `` a list item, ``1.`` a numbered one) has that first character escaped.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from stipa.export.report import Report
from stipa.export.tables import PlainTable
from stipa.io import write_atomically

__all__ = ["diagram_path", "render_markdown", "write_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
#: What starts a block at the beginning of a line: setext underlines, rules, list items,
#: fences (a line's first three spaces do not count).
_BLOCK_START = re.compile(r"^( {0,3})([-+=~]|\d+(?=[.)]))", re.MULTILINE)


def _cell(text: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return "<br>".join(line.strip() for line in escaped.split("\n")) or " "


def _text(text: str) -> str:
    escaped = _SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return _BLOCK_START.sub(_escape_block_start, escaped)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, start = match.groups()
    if start.isdigit():  # "1." or "1)": escaping the number's punctuation keeps it a number
        return f"{indent}{start}\\"
    return f"{indent}\\{start}"


def diagram_path(path: Path, image: str) -> Path:
    """Where the diagram of the Markdown report ``path`` goes: ``<stem>-diagram.<image>``."""
    return path.with_name(f"{path.stem}-diagram.{image}")


def _table(lines: list[str], table: PlainTable) -> None:
    lines.append(f"### {_text(table.title)}")
    lines.append("")
    if not table.rows:
        lines.append("*None recorded.*")
        lines.append("")
        return
    lines.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
    lines.append("|" + "|".join(" --- " for _ in table.headers) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")


def render_markdown(report: Report, image_name: str | None) -> str:
    """The report as Markdown; ``image_name`` is the diagram file's name (None: no diagram)."""
    lines = [f"# {_text(report.title)}", ""]
    lines += ["| | |", "| --- | --- |"]
    for label, value in (
        ("Version", report.version),
        ("Date", report.date),
        ("Author", report.author),
        ("Organisation", report.organisation),
    ):
        lines.append(f"| **{label}** | {_cell(value or '—')} |")
    lines.append("")
    if report.description:
        lines += [_text(report.description), ""]

    lines += ["## 1 Summary", "", "| | |", "| --- | --- |"]
    lines += [f"| {_cell(label)} | {_cell(value)} |" for label, value in report.summary]
    lines.append("")

    lines += ["## 2 Control structure", ""]
    if image_name is not None:
        caption = _text(report.diagram_caption)
        lines += [f"![{caption}]({image_name})", "", f"*Figure 1: {caption}*", ""]
    for table in report.structure:
        _table(lines, table)

    lines += ["## 3 STPA tables", ""]
    for table in report.stpa:
        _table(lines, table)

    lines += ["## 4 Findings", ""]
    lines += [
        "What the analyses found, with the analyst's disposition and the rationale recorded "
        "for it.",
        "",
    ]
    _table(lines, report.findings)
    if report.rules.rows:
        _table(lines, report.rules)
    if report.suggestions.rows:
        _table(lines, report.suggestions)

    lines += ["## 5 Traceability", ""]
    _table(lines, report.traceability)

    lines += ["## 6 Software and plugins", "", f"Stipa {_text(report.stipa_version)}.", ""]
    lines += ["### Installed plugins", ""]
    if report.plugins:
        lines += ["| Plugin | Distribution | Version | Module |", "| --- | --- | --- | --- |"]
        for plugin in report.plugins:
            cells = (plugin.name, plugin.distribution, plugin.version, plugin.module)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    else:
        lines.append("*No plugins are installed.*")
    lines += ["", "### Analyses behind the findings", ""]
    if report.analyses:
        lines += ["| Analysis | Findings |", "| --- | --- |"]
        lines += [f"| {_cell(name)} | {count} |" for name, count in report.analyses]
    else:
        lines.append("*The document holds no findings.*")
    lines += ["", f"*Made with Stipa {_text(report.stipa_version)} on {report.date}.*", ""]
    return "\n".join(lines)


def write_markdown(report: Report, path: Path, image: str = "svg") -> None:
    """Write ``path`` and, when the report has a diagram, the image beside it."""
    path = Path(path)
    image_name = None
    if report.diagram is not None:
        picture = diagram_path(path, image)
        write_atomically(picture, report.diagram)
        image_name = picture.name
    write_atomically(path, render_markdown(report, image_name).encode("utf-8"))
