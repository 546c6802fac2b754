"""The report as ONE self-contained HTML file: styles inline, the diagram as inline SVG.

Every table of the :class:`~stipa.export.report.Report` becomes a real ``<table>`` with a
header row; each record's row has the anchor ``rec-<id>`` and every id a cell refers to links
there, so the traceability can be followed by clicking. The diagram's groups keep the record
ids (``<g id="C-1">``), so a browser can jump into the drawing too. Nothing is fetched from
anywhere: the file can be mailed, archived or attached to a safety case as it is.

Text is escaped with :func:`html.escape`; the SVG comes from our own renderer.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from stipa.export.report import Report
from stipa.export.tables import ColumnKind, PlainTable, split_ids
from stipa.io import write_atomically

__all__ = ["render_html", "write_html"]

_STYLE = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #c9c9c9; --head: #eef2f6; --accent: #0b5394; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1200px; padding: 24px 32px 48px; line-height: 1.45;
       font-size: 14px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px;
     border-bottom: 2px solid var(--accent); }
h3 { font-size: 16px; margin: 24px 0 8px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.title-block { border: 1px solid var(--rule); border-left: 6px solid var(--accent);
               padding: 14px 18px; margin-bottom: 18px; }
.title-block dl { display: grid; grid-template-columns: max-content 1fr max-content 1fr;
                  gap: 2px 16px; margin: 10px 0 0; }
.title-block dt { color: var(--muted); font-size: 12px; text-transform: uppercase;
                  letter-spacing: .04em; padding-top: 2px; }
.title-block dd { margin: 0; }
.description { color: var(--muted); margin: 10px 0 0; }
nav.toc ol { columns: 2; margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--rule); padding: 4px 7px; text-align: left;
         vertical-align: top; }
thead th { background: var(--head); font-weight: 600; position: sticky; top: 0; }
tbody tr:nth-child(even) { background: #fafafa; }
td a { white-space: nowrap; }
#table-findings td:nth-child(5) { min-width: 22em; }
#table-findings td:nth-child(8) { min-width: 14em; }
td.id, th.id { white-space: nowrap; font-family: "DejaVu Sans Mono", monospace;
               font-size: 12px; }
table.summary { width: auto; }
table.summary td:first-child { color: var(--muted); }
figure { margin: 10px 0 18px; border: 1px solid var(--rule); padding: 10px; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; text-align: center; }
.severity { font-weight: 600; white-space: nowrap; }
.severity-error { color: #b34700; }
.severity-warning { color: #8a5d00; }
.severity-info { color: #005a8d; }
tr.open td.disposition { font-weight: 600; }
p.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px;
         border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  thead th { position: static; }
  tr { break-inside: avoid; }
  figure { break-inside: avoid; }
}
"""

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_SEVERITY_MARKS = {"error": "⬣ error", "warning": "▲ warning", "info": "● info"}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _multiline(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n"))


def _anchor(record_id: str) -> str:
    return f"rec-{record_id}"


def _anchored(table: PlainTable) -> bool:
    """Whether each row is a record of its own (not a view repeating records' ids)."""
    views = ("uca_matrix", "traceability")
    return bool(table.columns) and table.columns[0].kind == ColumnKind.ID and table.key not in views


class _Writer:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.parts: list[str] = []
        self.anchors = {row[0] for table in report.tables if _anchored(table) for row in table.rows}

    def add(self, text: str) -> None:
        self.parts.append(text)

    def ref_cell(self, text: str) -> str:
        links = []
        for record_id in split_ids(text):
            row = record_id if record_id in self.anchors else self.report.aliases.get(record_id)
            if row is not None and row in self.anchors:
                links.append(f'<a href="#{_e(_anchor(row))}">{_e(record_id)}</a>')
            else:
                links.append(_e(record_id))
        return ", ".join(links)

    def table(self, table: PlainTable, heading: str = "h3") -> None:
        self.add(f'<{heading} id="section-{_e(table.key)}">{_e(table.title)}</{heading}>')
        if not table.rows:
            self.add('<p class="empty">None recorded.</p>')
            return
        out = [f'<table id="table-{_e(table.key)}" class="data"><thead><tr>']
        for column in table.columns:
            css = ' class="id"' if column.kind == ColumnKind.ID else ""
            out.append(f'<th scope="col"{css}>{_e(column.header)}</th>')
        out.append("</tr></thead><tbody>")
        key_is_record = _anchored(table)
        severity_at = disposition_at = -1
        if table.key == "findings":
            severity_at = next(i for i, c in enumerate(table.columns) if c.key == "severity")
            disposition_at = next(i for i, c in enumerate(table.columns) if c.key == "disposition")
        for row in table.rows:
            attributes = ""
            if key_is_record and row[0]:
                attributes = f' id="{_e(_anchor(row[0]))}"'
            if disposition_at >= 0 and row[disposition_at] == "open":
                attributes += ' class="open"'
            out.append(f"<tr{attributes}>")
            for index, (column, cell) in enumerate(zip(table.columns, row, strict=True)):
                if column.kind == ColumnKind.ID:
                    out.append(f'<td class="id">{_e(cell)}</td>')
                elif column.kind in (ColumnKind.REF, ColumnKind.REFS):
                    out.append(f"<td>{self.ref_cell(cell)}</td>")
                elif index == severity_at:
                    mark = _SEVERITY_MARKS.get(cell, cell)
                    out.append(f'<td class="severity severity-{_e(cell)}">{_e(mark)}</td>')
                elif index == disposition_at:
                    out.append(f'<td class="disposition">{_e(cell)}</td>')
                else:
                    out.append(f"<td>{_multiline(cell)}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        self.add("".join(out))

    def render(self) -> str:
        report = self.report
        self.add("<!DOCTYPE html>")
        self.add('<html lang="en"><head><meta charset="utf-8">')
        self.add('<meta name="viewport" content="width=device-width, initial-scale=1">')
        self.add(f'<meta name="generator" content="Stipa {_e(report.stipa_version)}">')
        if report.author:
            self.add(f'<meta name="author" content="{_e(report.author)}">')
        self.add(f"<title>{_e(report.title)}</title>")
        self.add(f"<style>{_STYLE}</style></head><body>")
        self.title_block()
        sections = [
            ("summary", "Summary"),
            ("control-structure", "Control structure"),
            ("stpa", "STPA tables"),
            ("findings", "Findings"),
            ("traceability", "Traceability"),
            ("software", "Software and plugins"),
        ]
        self.add('<nav class="toc"><h2>Contents</h2><ol>')
        for key, title in sections:
            self.add(f'<li><a href="#{key}">{_e(title)}</a></li>')
        self.add("</ol></nav>")

        self.add('<section id="summary"><h2>1 Summary</h2><table class="summary"><tbody>')
        for label, value in report.summary:
            self.add(f"<tr><td>{_e(label)}</td><td>{_e(value)}</td></tr>")
        self.add("</tbody></table></section>")

        self.add('<section id="control-structure"><h2>2 Control structure</h2>')
        if report.diagram is not None:
            svg = _XML_DECLARATION.sub("", report.diagram.decode("utf-8"))
            self.add(f'<figure id="diagram">{svg}')
            self.add(f"<figcaption>Figure 1: {_e(report.diagram_caption)}</figcaption></figure>")
        for table in report.structure:
            self.table(table)
        self.add("</section>")

        self.add('<section id="stpa"><h2>3 STPA tables</h2>')
        for table in report.stpa:
            self.table(table)
        self.add("</section>")

        self.add('<section id="findings"><h2>4 Findings</h2>')
        self.add(
            "<p>What the analyses found, with the analyst's disposition and the rationale "
            "recorded for it.</p>"
        )
        self.table(report.findings)
        if report.rules.rows:
            self.table(report.rules)
        if report.suggestions.rows:
            self.table(report.suggestions)
        self.add("</section>")

        self.add('<section id="traceability"><h2>5 Traceability</h2>')
        self.add(
            "<p>For each hazard: the losses it leads to, the system-level constraints derived "
            "from it and the responsibilities refining them, the unsafe control actions that "
            "lead to it, the controller constraints derived from those, and the loss "
            "scenarios.</p>"
        )
        self.table(report.traceability)
        self.add("</section>")

        self.software()
        self.add(
            f"<footer>Made with Stipa {_e(report.stipa_version)} on {_e(report.date)}."
            "</footer></body></html>"
        )
        return "\n".join(self.parts) + "\n"

    def title_block(self) -> None:
        report = self.report
        self.add(f'<header class="title-block"><h1>{_e(report.title)}</h1><dl>')
        for label, value in (
            ("Version", report.version),
            ("Date", report.date),
            ("Author", report.author),
            ("Organisation", report.organisation),
        ):
            self.add(f"<dt>{_e(label)}</dt><dd>{_e(value) or '—'}</dd>")
        self.add("</dl>")
        if report.description:
            self.add(f'<p class="description">{_multiline(report.description)}</p>')
        self.add("</header>")

    def software(self) -> None:
        report = self.report
        self.add('<section id="software"><h2>6 Software and plugins</h2>')
        self.add(f"<p>Stipa {_e(report.stipa_version)}.</p>")
        self.add('<h3 id="section-plugins">Installed plugins</h3>')
        if report.plugins:
            self.add(
                '<table id="table-plugins" class="data"><thead><tr><th scope="col">Plugin</th>'
                '<th scope="col">Distribution</th><th scope="col">Version</th>'
                '<th scope="col">Module</th></tr></thead><tbody>'
            )
            for plugin in report.plugins:
                self.add(
                    f"<tr><td>{_e(plugin.name)}</td><td>{_e(plugin.distribution)}</td>"
                    f"<td>{_e(plugin.version)}</td><td>{_e(plugin.module)}</td></tr>"
                )
            self.add("</tbody></table>")
        else:
            self.add('<p class="empty">No plugins are installed.</p>')
        self.add('<h3 id="section-analyses">Analyses behind the findings</h3>')
        if report.analyses:
            self.add(
                '<table id="table-analyses" class="data"><thead><tr>'
                '<th scope="col">Analysis</th><th scope="col">Findings</th></tr></thead><tbody>'
            )
            for analysis, count in report.analyses:
                self.add(f"<tr><td>{_e(analysis)}</td><td>{count}</td></tr>")
            self.add("</tbody></table>")
        else:
            self.add('<p class="empty">The document holds no findings.</p>')
        self.add("</section>")


def render_html(report: Report) -> str:
    """The report as one HTML document."""
    return _Writer(report).render()


def write_html(report: Report, path: Path) -> None:
    """Write the report to ``path`` (atomically)."""
    write_atomically(Path(path), render_html(report).encode("utf-8"))
