"""The ``stipa`` command line: the desktop application and headless commands for CI."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import stipa

#: Exit codes shared by every command.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the desktop application (the default)")
    gui.add_argument("file", nargs="?", type=Path, help="a .stipa file to open")
    gui.set_defaults(handler=_gui)

    validate = commands.add_parser(
        "validate", help="check a .stipa file against the schema and the model's rules"
    )
    validate.add_argument("file", type=Path, help="the .stipa file to check")
    validate.set_defaults(handler=_validate)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from stipa.io import validate

    path: Path = args.file
    _require_readable(path)
    problems = validate(path)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        count = len(problems)
        print(f"{path}: invalid ({count} problem{'s' if count != 1 else ''}).", file=sys.stderr)
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

    return run(path)


def _require_readable(path: Path) -> None:
    if not path.exists():
        raise CommandError(f"{path}: no such file.")
    if path.is_dir():
        raise CommandError(f"{path}: is a folder, not a .stipa file.")
    if not os.access(path, os.R_OK):
        raise CommandError(f"{path}: permission denied.")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser()
    subcommands = {"gui", "validate"}
    first = next((a for a in arguments if not a.startswith("-")), None)
    if first is None and not any(a in ("-h", "--help", "--version") for a in arguments):
        arguments.append("gui")
    elif first is not None and first not in subcommands:
        arguments.insert(arguments.index(first), "gui")  # `stipa FILE` opens FILE
    args = parser.parse_args(arguments)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
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
