"""The ``stipa`` command line: the desktop application and headless commands for CI."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import stipa

if TYPE_CHECKING:
    from stipa.analysis import AnalysisOutcome
    from stipa.model import Document, Finding, Suggestion
    from stipa.plugin import Analysis, Exporter, PluginHost

#: Exit codes shared by every command.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
#: The commands; anything else in first position is a file for ``gui``.
SUBCOMMANDS = ("gui", "validate", "analyze", "plugins", "export", "import", "layout")
#: Severities, mildest first, as ``--fail-on`` accepts them.
FAIL_ON_CHOICES = ("info", "warning", "error")

_ANALYZE_EPILOG = """\
Selection: --plugin takes an analysis id (acme.ai-policy) or a plugin name (acme-ai-policy,
which selects all its analyses); repeat it to run several. Without --plugin every installed
analysis runs. Plugins listed in STIPA_DISABLE_PLUGINS (comma-separated) are not loaded.

Findings the document already holds keep their disposition and rationale when an analysis
finds them again; only findings still open count for --fail-on.

Exit status:
  0  the analyses ran (without --fail-on: whatever they found, and even if some failed)
  1  with --fail-on: an open finding at or above that severity, or the check was incomplete:
     a selected analysis failed, timed out or returned results that were refused, or (when
     no --plugin is given) an installed plugin failed to load
  2  usage error, an unreadable or invalid FILE, an unknown or broken --plugin, or OUT not
     writable (read-only, a folder, FILE itself, or larger than FILE may be without
     --allow-large)
A failed analysis always prints a warning line on stderr (its traceback with --debug) and
leaves its earlier findings in the document untouched. One analysis may return at most
200,000 findings and suggestions; threads an analysis leaves running are waited for until its
--timeout, then named and left behind: the command still exits.
"""

_EXPORT_EPILOG = """\
Formats (built in; plugins can add more, see `stipa plugins`):
  svg, png, pdf        the diagram (png: --option scale=2 or dpi=300; pdf: page=A3,
                       orientation=landscape, a title block)
  html, markdown, docx the report: diagram, every STPA table, findings with dispositions,
                       traceability, plugin versions (--option diagram=no leaves the
                       drawing out and needs no Qt)
  csv                  one file per table: -o DIR/ (a folder), -o NAME.zip, or -o NAME.csv
                       (every table as NAME-<table>.csv; --option table=hazards for one)
  xlsx                 the STPA tables as the workbook File > Import Tables reads back
  reqif                constraints and responsibilities as ReqIF 1.2 requirements with traces
                       (--option created=2025-01-01T00:00:00Z or SOURCE_DATE_EPOCH for a
                       fixed header time)
Diagram options of every image and report: badges=yes|no, legend=yes|no,
selection=C-1,C-2 (only these components and links). The format comes from OUT's
extension unless --format names it. Works without a display (Qt runs offscreen).

Exit status: 0 written; 2 usage error, FILE unreadable or invalid, an unknown format or
option, or OUT not writable: read-only, FILE itself (links included), or an existing folder
for a single-file format (nothing is left half-written). An existing file keeps its
permissions and a symbolic link is written through.
"""

_PLUGINS_EPILOG = """\
Exit status: 0 when every plugin loaded and declared its contributions cleanly, 1 when any
failure was recorded (each is listed with its plugin and phase). Tracebacks appear in the
text output with --debug, and always in the JSON output.
"""


#: The size limit of .stipa files (``stipa.io.MAX_FILE_BYTES``), for the help text.
_MEGABYTES = 100
_LARGE_HINT = "give --allow-large to open it anyway, if you trust it."


class CommandError(Exception):
    """A problem the user can fix, reported as one sentence with exit code 2."""


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stipa",
        description="System-theoretic safety analysis (STPA) of sociotechnical systems.",
    )
    parser.add_argument("--version", action="version", version=f"stipa {stipa.__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback of unexpected errors"
    )
    # --debug is accepted after the command too (``stipa plugins --debug``)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    # --allow-large on every command that reads a .stipa file
    large = argparse.ArgumentParser(add_help=False)
    large.add_argument(
        "--allow-large",
        action="store_true",
        help="open FILE even when it is larger than Stipa's limit "
        f"({_MEGABYTES} MiB); only for a file you trust",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser(
        "gui", parents=[common], help="open the desktop application (the default)"
    )
    gui.add_argument("file", nargs="?", type=Path, help="a .stipa file to open")
    gui.set_defaults(handler=_gui)

    validate = commands.add_parser(
        "validate",
        parents=[common, large],
        help="check a .stipa file against the schema and the model's rules",
    )
    validate.add_argument("file", type=Path, help="the .stipa file to check")
    validate.set_defaults(handler=_validate)

    analyze = commands.add_parser(
        "analyze",
        parents=[common, large],
        help="run analyses headless and report their findings (for CI)",
        description="Run the installed analyses on FILE and report their findings.",
        epilog=_ANALYZE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    analyze.add_argument("file", type=Path, help="the .stipa file to analyse")
    analyze.add_argument(
        "--plugin",
        action="append",
        default=[],
        metavar="ID",
        help="an analysis id or plugin name to run (repeatable; default: all)",
    )
    analyze.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    analyze.add_argument(
        "--fail-on",
        choices=FAIL_ON_CHOICES,
        default=None,
        help="exit 1 when an open finding of this severity or worse remains, or the check "
        "was incomplete",
    )
    analyze.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=None,
        metavar="S",
        help="seconds each analysis may run before it is abandoned (default: 60)",
    )
    analyze.add_argument(
        "--option",
        action="append",
        default=[],
        type=_key_value,
        metavar="KEY=VALUE",
        help="an option passed to the analyses (repeatable)",
    )
    analyze.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="OUT.stipa",
        help="write the analysed document, findings included, to this file",
    )
    analyze.set_defaults(handler=_analyze)

    plugins = commands.add_parser(
        "plugins",
        parents=[common],
        help="list the discovered plugins, their contributions and their failures",
        description="List the plugins of the stipa.plugins entry-point group.",
        epilog=_PLUGINS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plugins.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    plugins.set_defaults(handler=_plugins)

    export = commands.add_parser(
        "export",
        parents=[common, large],
        help="write the diagram, a report, the tables or ReqIF requirements (headless)",
        description="Export FILE as an image, a report, tables or requirements.",
        epilog=_EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("file", type=Path, help="the .stipa file to export")
    export.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="the file (or folder) to write"
    )
    export.add_argument(
        "--format", default=None, metavar="F", help="the format (default: from OUT's extension)"
    )
    export.add_argument(
        "--option",
        action="append",
        default=[],
        type=_key_value,
        metavar="KEY=VALUE",
        help="an option of the format (repeatable)",
    )
    export.set_defaults(handler=_export)

    imports = commands.add_parser(
        "import",
        parents=[common],
        help="convert another STPA tool's file (PASTA, XSTAMPP, WebSTAMP...) to .stipa",
        description="Import SRC from another STPA tool into a new .stipa file, with a report of "
        "what was counted, inferred and not carried over.",
    )
    imports.add_argument("source", type=Path, metavar="SRC", help="the file to import")
    imports.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT", help="the .stipa file to write"
    )
    imports.add_argument(
        "--format",
        default=None,
        metavar="F",
        help="the import format (default: from SRC's extension)",
    )
    imports.add_argument(
        "--report", type=Path, default=None, metavar="OUT.json", help="write the report as JSON"
    )
    imports.set_defaults(handler=_import)

    layout = commands.add_parser(
        "layout",
        parents=[common],
        help="lay the control structure out by control authority (headless)",
        description="Lay out FILE's control structure: controllers above what they control, "
        "control actions down, feedback up. Writes OUT, or FILE itself (saved atomically) "
        "when no OUT is given.",
    )
    layout.add_argument("file", type=Path, help="the .stipa file to lay out")
    layout.add_argument("-o", "--output", type=Path, metavar="OUT", help="the file to write")
    layout.add_argument(
        "--room-for-labels",
        action="store_true",
        help="keep the drawing as it is: only move its rows and columns apart where link "
        "labels have no room (as Arrange > Make Room for Labels)",
    )
    layout.set_defaults(handler=_layout)
    return parser


def _import(args: argparse.Namespace) -> int:
    from stipa.io import FileFormatError, save
    from stipa.operations.imports import import_file, report_text, write_report
    from stipa.plugin import PluginHost

    source: Path = args.source
    _require_readable(source)
    _require_writable(args.output, source)
    if args.report is not None:
        _require_writable(args.report, source)
    host = PluginHost().discover()
    try:
        imported = import_file(host, source, args.format)
    except FileFormatError as error:
        raise CommandError(str(error.problems[0]) if error.problems else str(error)) from None
    save(imported.document, args.output)
    if args.report is not None:
        write_report(imported.report, args.report)
    print(report_text(imported.report))
    print(f"Wrote {args.output}.")
    return EXIT_OK


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds")
    return value


def _key_value(text: str) -> tuple[str, str]:
    key, separator, value = text.partition("=")
    if not separator or not key.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    return key.strip(), value


# --- validate and gui --------------------------------------------------------------------------
def _validate(args: argparse.Namespace) -> int:
    from stipa.io import validate

    path: Path = args.file
    _require_readable(path)
    problems = validate(path, max_bytes=_size_limit(args))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = len(problems)
        print(f"{path}: invalid ({count} problem{'s' if count != 1 else ''}).", file=sys.stderr)
        if _too_large(path, args):
            print(f"stipa: {_LARGE_HINT}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"{path}: valid.")
    return EXIT_OK


def _gui(args: argparse.Namespace) -> int:
    path: Path | None = args.file
    if path is not None:
        _require_readable(path)
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        raise CommandError(
            "No display found: set DISPLAY, or use the headless commands (stipa --help)."
        )
    from stipa.ui.app import run

    return int(run(path))


def _size_limit(args: argparse.Namespace) -> int | None:
    """The most bytes a .stipa file may have: Stipa's limit, or none with --allow-large."""
    return sys.maxsize if getattr(args, "allow_large", False) else None


def _too_large(path: Path, args: argparse.Namespace) -> bool:
    from stipa.io import MAX_FILE_BYTES

    try:
        return not getattr(args, "allow_large", False) and path.stat().st_size > MAX_FILE_BYTES
    except OSError:
        return False


def _load(path: Path, args: argparse.Namespace) -> Document:
    """The document in ``path``, or a CommandError saying why not (and how to go on)."""
    from stipa.io import FileFormatError, FileTooLargeError, load

    try:
        return load(path, max_bytes=_size_limit(args))
    except FileTooLargeError as error:
        raise CommandError(f"{str(error).rstrip('.')}; {_LARGE_HINT}") from None
    except FileFormatError as error:
        raise CommandError(_format_error_sentence(path, error)) from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror or error}).") from None


def _require_readable(path: Path) -> None:
    if not path.exists():
        raise CommandError(f"{path}: no such file.")
    if path.is_dir():
        raise CommandError(f"{path}: is a folder, not a .stipa file.")
    if not os.access(path, os.R_OK):
        raise CommandError(f"{path}: permission denied.")


def _warn(message: str) -> None:
    print(f"stipa: warning: {message}", file=sys.stderr)


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


# --- plugins -------------------------------------------------------------------------------------
def _plugins(args: argparse.Namespace) -> int:
    from stipa.plugin import PluginHost

    host = PluginHost().discover()
    failures = host.failures()
    if args.format == "json":
        print(json.dumps(_plugins_json(host), indent=2, ensure_ascii=False))
    else:
        _print_plugins(host, debug=getattr(args, "debug", False))
    return EXIT_FINDINGS if failures else EXIT_OK


def _plugins_json(host: PluginHost) -> dict[str, Any]:
    from stipa.plugin import ENTRY_POINT_GROUP

    def owner(declared: object) -> str:
        return host.plugin_name(declared, "")

    return {
        "group": ENTRY_POINT_GROUP,
        "disabled": sorted(host.disabled),
        "plugins": [info.as_dict() for info in host.plugins.values()],
        "analyses": [
            {
                "id": analysis.id,
                "title": analysis.title,
                "plugin": owner(analysis),
                "description": analysis.description,
                "rules": {rule.id: rule.title for rule in analysis.catalogue.values()},
                "rule_declarations": [
                    {
                        "id": rule.id,
                        "title": rule.title,
                        "severity": str(rule.severity) if rule.severity else None,
                        "source": rule.source,
                        "description": rule.description,
                    }
                    for rule in analysis.catalogue.values()
                ],
                "options": {
                    name: {"help": text, "choices": list(analysis.choices.get(name, ()))}
                    for name, text in analysis.options.items()
                },
            }
            for analysis in host.analyses.values()
        ],
        "properties": [
            {
                "plugin": owner(spec),
                "namespace": spec.namespace,
                "name": spec.name,
                "label": spec.label,
                "type": spec.type,
                "unit": spec.unit,
                "choices": list(spec.choices),
                "kinds": [str(kind) for kind in spec.kinds],
                "natures": [str(nature) for nature in spec.natures],
            }
            for spec in host.properties
        ],
        "exporters": [
            {"id": e.id, "title": e.title, "extensions": list(e.extensions), "plugin": owner(e)}
            for e in host.exporters.values()
        ],
        "importers": [
            {"id": i.id, "title": i.title, "extensions": list(i.extensions), "plugin": owner(i)}
            for i in host.importers.values()
        ],
        "views": [
            {"id": v.id, "title": v.title, "kind": v.kind, "plugin": owner(v)}
            for v in host.views.values()
        ],
        "failures": [
            {
                "plugin": failure.plugin,
                "distribution": failure.distribution,
                "version": failure.version,
                "phase": failure.phase,
                "message": failure.message,
                "traceback": failure.traceback,
            }
            for failure in host.failures()
        ],
    }


def _print_plugins(host: PluginHost, debug: bool) -> None:
    from stipa.plugin import DISABLE_VARIABLE, ENTRY_POINT_GROUP

    if not host.plugins:
        print(f"No plugins are installed (entry-point group {ENTRY_POINT_GROUP}).")
        return
    for info in host.plugins.values():
        origin = " ".join(part for part in (info.distribution, info.version) if part)
        status = info.status
        if status == "disabled":
            status = f"disabled ({DISABLE_VARIABLE})"
        print(f"{info.name}  {status}" + (f"  [{origin}]" if origin else ""))
        if info.module:
            print(f"    module:   {info.module}")
        if info.hooks:
            print(f"    hooks:    {', '.join(info.hooks)}")
        for analysis_id in info.analyses:
            analysis = host.analyses[analysis_id]
            print(f"    analysis: {analysis_id}  {analysis.title}")
            for rule in analysis.catalogue.values():
                severity = f"  ({rule.severity})" if rule.severity else ""
                print(f"      rule {rule.id}{severity}  {rule.title}")
                if rule.description:
                    print(f"        {rule.description}")
            for name, text in analysis.options.items():
                values = analysis.choices.get(name, ())
                print(f"      option {name}{'=' + '|'.join(values) if values else ''}  {text}")
        for failure in info.failures:
            print(f"    FAILED ({failure.phase}): {failure.message}")
            if debug and failure.traceback:
                for line in failure.traceback.rstrip().splitlines():
                    print(f"        {line}")
    counts: dict[str, int] = {}
    for info in host.plugins.values():
        counts[info.status] = counts.get(info.status, 0) + 1
    parts = [f"{counts[s]} {s}" for s in ("active", "failed", "disabled") if counts.get(s)]
    failures = len(host.failures())
    line = f"{_plural(len(host.plugins), 'plugin')}: {', '.join(parts)}"
    if failures:
        line += f"; {_plural(failures, 'failure')}"
        if not debug:
            line += " (tracebacks with --debug)"
    print(line + ".")


# --- analyze ---------------------------------------------------------------------------------
def _analyze(args: argparse.Namespace) -> int:
    from stipa.analysis import DEFAULT_TIMEOUT
    from stipa.io import FileFormatError, save
    from stipa.model import Severity
    from stipa.operations.analyses import AnalysisSelectionError, analyse
    from stipa.plugin import PluginHost

    path: Path = args.file
    output: Path | None = args.output
    debug = bool(getattr(args, "debug", False))
    _require_readable(path)
    if output is not None:
        _require_writable(output, path)
    document = _load(path, args)

    host = PluginHost().discover()
    if not args.plugin:
        for failure in host.failures():
            _warn(f"plugin {failure.plugin} ({failure.phase}): {failure.message}")
    try:
        analysed = analyse(
            document,
            args.plugin,
            host=host,
            timeout=args.timeout or DEFAULT_TIMEOUT,
            options=dict(args.option),
            label="Analyse from the command line",
        )
    except AnalysisSelectionError as error:
        raise CommandError(f"--plugin {error}") from None
    outcomes = analysed.outcomes

    for outcome in outcomes:
        where = f"analysis {outcome.analysis.id} (plugin {outcome.plugin})"
        if not outcome.succeeded:
            status = _STATUS_WORDS.get(outcome.status, outcome.status)
            _warn(f"{where} {status}: {outcome.message}")
            if debug and outcome.traceback:
                print(outcome.traceback.rstrip(), file=sys.stderr)
        for problem in outcome.problems:
            _warn(f"{where}: a result was refused: {problem}")
        if outcome.lingering:
            _warn(
                f"{where} left work running after {args.timeout or DEFAULT_TIMEOUT:g} s: "
                f"{_plural(len(outcome.lingering), 'thread')} ({', '.join(outcome.lingering)}); "
                "it is not waited for."
            )

    findings = {
        outcome.analysis.id: _sorted_findings(document, outcome.analysis.id)
        for outcome in outcomes
        if outcome.succeeded
    }
    suggestions = [
        suggestion
        for outcome in outcomes
        if outcome.succeeded
        for suggestion in document.suggestions.values()
        if suggestion.plugin == outcome.analysis.id
    ]
    threshold = Severity(args.fail_on).rank if args.fail_on else None
    all_findings = [finding for group in findings.values() for finding in group]
    blocking = [
        f
        for f in all_findings
        if threshold is not None and f.disposition == "open" and f.severity.rank >= threshold
    ]
    incomplete = [o for o in outcomes if not o.succeeded or o.problems]
    broken_plugins = (
        [info.name for info in host.plugins.values() if info.status == "failed"]
        if not args.plugin
        else []
    )
    failed_check = threshold is not None and bool(blocking or incomplete or broken_plugins)
    code = EXIT_FINDINGS if failed_check else EXIT_OK

    if output is not None:
        try:
            save(document, output, max_bytes=_size_limit(args))
        except OSError as error:
            raise CommandError(
                f"{output}: cannot be written ({error.strerror or error})."
            ) from None
        except FileFormatError as error:
            raise CommandError(str(error)) from None

    summary = _summary(all_findings, suggestions, outcomes, blocking, broken_plugins)
    summary.update(fail_on=args.fail_on, exit_code=code, output=str(output) if output else None)
    if args.format == "json":
        report = {
            "file": str(path),
            "analyses": [_outcome_json(outcome, host) for outcome in outcomes],
            "findings": [_finding_json(f) for f in all_findings],
            "suggestions": [_suggestion_json(s) for s in suggestions],
            "plugin_failures": [
                {"plugin": f.plugin, "phase": f.phase, "message": f.message}
                for f in host.failures()
            ],
            "summary": summary,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_analysis(path, outcomes, findings, host, summary, output)
        if threshold is not None:
            _print_verdict(args.fail_on, blocking, incomplete, broken_plugins)
    args.leftover_threads = _leftover_threads()
    return code


def _leftover_threads() -> list[threading.Thread]:
    """Non-daemon threads still running besides the main one (plugins left them behind)."""
    main_thread = threading.main_thread()
    return [t for t in threading.enumerate() if t is not main_thread and not t.daemon]


_STATUS_WORDS = {"failed": "failed", "timeout": "timed out", "cancelled": "was cancelled"}


def _layout(args: argparse.Namespace) -> int:
    from stipa.io import FileFormatError, load, save
    from stipa.model import ModelError
    from stipa.operations.layout import auto_layout, make_room_for_labels

    path: Path = args.file
    output: Path = args.output if args.output is not None else path
    _require_readable(path)
    _require_writable(output, path, in_place=True)
    try:
        document = load(path)
    except FileFormatError as error:
        raise CommandError(_format_error_sentence(path, error)) from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror or error}).") from None
    if args.room_for_labels:
        changed = make_room_for_labels(document)
        moves = _plural(changed, "component or link", "components or links")
        done = f"room made for labels ({moves} moved)"
    else:
        try:
            moved = auto_layout(document)
        except ModelError as error:
            raise CommandError(f"{path}: cannot be laid out. {error}") from None
        done = f"laid out ({_plural(moved, 'component')} moved)"
    try:
        save(document, output)
    except (OSError, FileFormatError) as error:
        raise CommandError(f"{output}: cannot be written ({error}).") from None
    print(f"{output}: {done}.")
    return EXIT_OK


def _require_writable(output: Path, source: Path, *, in_place: bool = False) -> None:
    """Refuse an output that is a folder, the input ``source`` itself (unless the command
    changes its input ``in_place``), or read-only."""
    from stipa.io import is_read_only

    if output.is_dir():
        raise CommandError(f"{output}: is a folder; give a file name for the output.")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(f"{output}: the folder {folder} does not exist.")
    if not in_place and _same_file(output, source):
        raise CommandError(
            f"{output}: is the input file {source}, which is never changed; "
            "give another name for the output."
        )
    if is_read_only(output):
        raise CommandError(f"{output}: the file is read-only; write to another file.")
    if not os.access(folder, os.W_OK):
        raise CommandError(f"{output}: permission denied.")


def _same_file(one: Path, other: Path) -> bool:
    """Whether two names are one file: the same name, a link to it, or a hard link."""
    try:
        return os.path.samefile(one, other)
    except OSError:  # either does not exist (yet)
        return False


def _format_error_sentence(path: Path, error: Exception) -> str:
    problems = getattr(error, "problems", [])
    if not problems:
        return f"{path}: cannot be read as a Stipa document ({error})."
    first = str(problems[0]).rstrip(".")
    more = len(problems) - 1
    if more:
        return f"{first} (and {_plural(more, 'more problem')}; see `stipa validate {path}`)."
    return f"{first}."


def _sorted_findings(document: Document, analysis_id: str) -> list[Finding]:
    mine = [f for f in document.findings.values() if f.plugin == analysis_id]
    return sorted(mine, key=lambda f: -f.severity.rank)  # stable: document order within


def _summary(
    findings: list[Finding],
    suggestions: list[Suggestion],
    outcomes: Sequence[AnalysisOutcome],
    blocking: list[Finding],
    broken_plugins: list[str],
) -> dict[str, Any]:
    severities = ("error", "warning", "info")
    return {
        "analyses": len(outcomes),
        "succeeded": sum(1 for o in outcomes if o.succeeded),
        "failed": sum(1 for o in outcomes if not o.succeeded),
        "refused_results": sum(len(o.problems) for o in outcomes),
        "findings": len(findings),
        "open": sum(1 for f in findings if f.disposition == "open"),
        "by_severity": {s: sum(1 for f in findings if f.severity == s) for s in severities},
        "open_by_severity": {
            s: sum(1 for f in findings if f.severity == s and f.disposition == "open")
            for s in severities
        },
        "suggestions": len(suggestions),
        "blocking": len(blocking),
        "broken_plugins": broken_plugins,
    }


def _outcome_json(outcome: AnalysisOutcome, host: PluginHost) -> dict[str, Any]:
    info = host.plugin_of(outcome.analysis)
    return {
        "id": outcome.analysis.id,
        "title": outcome.analysis.title,
        "plugin": outcome.plugin,
        "version": info.version if info is not None else "",
        "status": outcome.status,
        "message": outcome.message,
        "seconds": round(outcome.seconds, 6),
        "problems": list(outcome.problems),
        "findings": len(outcome.findings),
        "suggestions": len(outcome.suggestions),
    }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "plugin": finding.plugin,
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "targets": list(finding.targets),
        "source": finding.source,
        "data": dict(finding.data),
        "disposition": str(finding.disposition),
        "rationale": finding.rationale,
    }


def _suggestion_json(suggestion: Suggestion) -> dict[str, Any]:
    proposal = suggestion.proposal
    return {
        "id": suggestion.id,
        "plugin": suggestion.plugin,
        "rule": suggestion.rule,
        "message": suggestion.message,
        "targets": list(suggestion.targets),
        "status": str(suggestion.status),
        "rationale": suggestion.rationale,
        "proposal": {"type": type(proposal).__name__, **_plain(dataclasses.asdict(proposal))},
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _print_analysis(
    path: Path,
    outcomes: Sequence[AnalysisOutcome],
    findings: dict[str, list[Finding]],
    host: PluginHost,
    summary: dict[str, Any],
    output: Path | None,
) -> None:
    if not outcomes:
        print(f"{path}: no analyses to run (no plugin provides one; see `stipa plugins`).")
    for outcome in outcomes:
        analysis = outcome.analysis
        info = host.plugin_of(analysis)
        origin = outcome.plugin + (f" {info.version}" if info is not None and info.version else "")
        if outcome.succeeded:
            count = len(findings.get(analysis.id, []))
            state = f"{_plural(count, 'finding')}, {outcome.seconds:.2f} s"
        else:
            state = f"{_STATUS_WORDS.get(outcome.status, outcome.status).upper()}: "
            state += outcome.message
        print(f"== {analysis.id}  {analysis.title}  ({origin}): {state}")
        for finding in findings.get(analysis.id, []):
            targets = ",".join(finding.targets) or "-"
            print(
                f"  {str(finding.severity).upper():7} {_rule_name(analysis, finding.rule)} "
                f"{targets}: {finding.message} [{finding.disposition}]"
            )
    by = summary["by_severity"]
    line = (
        f"{path}: {_plural(summary['findings'], 'finding')} "
        f"({by['error']} error, {by['warning']} warning, {by['info']} info; "
        f"{summary['open']} open), {_plural(summary['suggestions'], 'suggestion')}; "
        f"{_plural(summary['analyses'], 'analysis', 'analyses')} ran"
    )
    if summary["failed"]:
        line += f", {summary['failed']} did not finish"
    print(line + ".")
    if output is not None:
        print(f"Wrote {output}.")


def _rule_name(analysis: Analysis, rule_id: str) -> str:
    """The rule's declared title with its id as a reference, as reports name it; the id alone
    when the analysis declares no title for it."""
    rule = analysis.catalogue.get(rule_id)
    title = rule.title if rule is not None else ""
    return f"{title} ({rule_id})" if title and title != rule_id else rule_id


def _print_verdict(
    fail_on: str,
    blocking: list[Finding],
    incomplete: list[AnalysisOutcome],
    broken_plugins: list[str],
) -> None:
    reasons = []
    if blocking:
        reasons.append(f"{_plural(len(blocking), 'open finding')} at {fail_on} or above")
    if incomplete:
        reasons.append(f"{_plural(len(incomplete), 'analysis', 'analyses')} incomplete")
    if broken_plugins:
        reasons.append(f"plugins failed to load: {', '.join(broken_plugins)}")
    if reasons:
        print(f"FAILED (--fail-on {fail_on}): {'; '.join(reasons)}.")
    else:
        print(f"PASSED (--fail-on {fail_on}).")


# --- export --------------------------------------------------------------------------------
def _export(args: argparse.Namespace) -> int:
    _headless_qt()
    from stipa.export import ExportError, collect_export_warnings
    from stipa.plugin import PluginHost

    path: Path = args.file
    raw: str = args.output
    output = Path(raw)
    _require_readable(path)
    host = PluginHost().discover()
    exporter = _choose_exporter(host, args.format, raw, output)
    options = dict(args.option)
    known = dict(exporter.options)
    unknown = [key for key in options if known and key not in known]
    if unknown:
        raise CommandError(
            f"--option {unknown[0]}: the {exporter.id} format has no such option "
            f"(it takes {', '.join(known)})."
        )
    wants_folder = raw.endswith(("/", os.sep)) or output.is_dir()
    if wants_folder:
        if exporter.id != "csv":
            raise CommandError(f"{raw}: is a folder; give a file name for the {exporter.id} file.")
        output.mkdir(parents=True, exist_ok=True)
        if not os.access(output, os.W_OK):
            raise CommandError(f"{raw}: permission denied.")
    else:
        _require_writable(output, path)
    document = _load(path, args)

    folder = output if wants_folder else (output.parent if str(output.parent) else Path("."))
    before = _listing(folder)
    try:
        with collect_export_warnings() as warned:
            exporter.export(document.snapshot(), output, options)
    except ExportError as error:
        raise CommandError(str(error).rstrip(".") + ".") from None
    except OSError as error:
        where = error.filename or output
        raise CommandError(f"{where}: cannot be written ({error.strerror or error}).") from None
    except Exception as error:
        if getattr(args, "debug", False):
            raise
        info = host.plugin_of(exporter)
        owner = f" (plugin {info.name})" if info is not None else ""
        raise CommandError(
            f"the {exporter.id} export{owner} failed: {error} (run with --debug for details)"
        ) from None
    # a writer may add files beside OUT (NAME-diagram.svg, NAME-<table>.csv), never others:
    # whatever else changed in the folder meanwhile is not ours to report
    written = [
        p
        for p, stamp in _listing(folder).items()
        if before.get(p) != stamp and (wants_folder or p.name.startswith(output.stem))
    ]
    names = ", ".join(str(p) for p in sorted(written)) or str(output)
    for warning in warned:
        print(f"Warning: {warning}", file=sys.stderr)
    print(f"Wrote {names}.")
    return EXIT_OK


def _headless_qt() -> None:
    """Let Qt draw without a display: offscreen, set before anything imports Qt."""
    no_display = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _listing(folder: Path) -> dict[Path, tuple[float, int]]:
    try:
        return {
            entry: (entry.stat().st_mtime, entry.stat().st_size)
            for entry in folder.iterdir()
            if entry.is_file() and not entry.name.startswith(".")
        }
    except OSError:
        return {}


def _choose_exporter(host: PluginHost, wanted: str | None, raw: str, output: Path) -> Exporter:
    """The exporter named by ``--format`` or by OUT's extension."""
    exporters = list(host.exporters.values())
    available = ", ".join(e.id for e in exporters) or "none"
    if not exporters:
        raise CommandError("no export formats are installed; see `stipa plugins`.")
    if wanted:
        name = wanted.strip().lower().lstrip(".")
        for exporter in exporters:
            if exporter.id == name:
                return exporter
        by_extension = [e for e in exporters if f".{name}" in e.extensions]
        if by_extension:
            return by_extension[0]
        raise CommandError(f"--format {wanted}: no such format (formats: {available}).")
    suffix = output.suffix.lower()
    matches = [e for e in exporters if suffix in (x.lower() for x in e.extensions)]
    # a folder takes the CSV tables, unless its name says another format: "report.html/"
    # is meant for an HTML file, and is refused as a folder rather than filled with CSV
    if (raw.endswith(("/", os.sep)) or output.is_dir()) and not matches:
        folder_formats = [e for e in exporters if e.id == "csv"]
        if folder_formats:
            return folder_formats[0]
    if not suffix:
        raise CommandError(
            f"{raw}: has no extension to tell the format; add one or give --format "
            f"(formats: {available})."
        )
    if not matches:
        raise CommandError(
            f"{raw}: no format writes {suffix} files; give --format (formats: {available})."
        )
    exact = [e for e in matches if e.id == suffix.lstrip(".")]
    return (exact or matches)[0]


# --- entry point -------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    first = next((a for a in arguments if not a.startswith("-")), None)
    if first is None and not any(a in ("-h", "--help", "--version") for a in arguments):
        arguments.append("gui")
    elif first is not None and first not in SUBCOMMANDS:
        arguments.insert(arguments.index(first), "gui")  # `stipa FILE` opens FILE
    args = parser.parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        code = handler(args)
        leftover = getattr(args, "leftover_threads", [])
        if leftover and argv is None:
            # run as a program: threads plugins left behind must not keep a CI job waiting
            _warn(
                f"not waiting for {_plural(len(leftover), 'thread')} left running "
                f"({', '.join(t.name for t in leftover)}); exiting."
            )
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code
    except CommandError as error:
        print(f"stipa: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last resort: one sentence, details with --debug
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"stipa: unexpected error: {error} (run with --debug for details)", file=sys.stderr
            )
        return EXIT_USAGE
