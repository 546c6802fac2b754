"""Errors of the ``.stipa`` format: each names the file and, where it can, the line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileProblem:
    """One thing wrong with a file: where (file, line, column) and a sentence saying what.

    ``str()`` gives ``"wheel.stipa:12: The id H-4 is used twice."``, ``"model.stpa:3:7: ..."``
    when the column is known, or ``"wheel.stipa: ..."`` when no line applies.
    """

    source: str
    line: int | None
    message: str
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.source}: {self.message}"
        if self.column is not None:
            return f"{self.source}:{self.line}:{self.column}: {self.message}"
        return f"{self.source}:{self.line}: {self.message}"


class FileFormatError(Exception):
    """A file (or bytes) that cannot be read as, or written to, a Stipa document.

    ``source`` is the file path or name; ``problems`` lists every problem found, each of which
    names the source and, where meaningful, the line. ``str()`` gives all of them, one a line.
    """

    def __init__(self, source: str, problems: Iterable[FileProblem]) -> None:
        self.source = source
        self.problems: list[FileProblem] = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems) or source)

    @classmethod
    def single(
        cls, source: str, message: str, line: int | None = None, column: int | None = None
    ) -> FileFormatError:
        """An error with one problem."""
        return cls(source, [FileProblem(source, line, message, column)])


class FileTooLargeError(FileFormatError):
    """A file over the size limit that Stipa reads and writes (see ``MAX_FILE_BYTES``).

    ``size`` and ``limit`` are in bytes; a caller may offer to go on with a larger limit.
    """

    def __init__(self, source: str, size: int, limit: int, message: str) -> None:
        super().__init__(source, [FileProblem(source, None, message)])
        self.size = size
        self.limit = limit


def megabytes(size: int) -> str:
    """``size`` bytes as a short figure for messages: ``"100.0 MiB"``."""
    return f"{size / (1024 * 1024):.1f} MiB"


__all__ = ["FileFormatError", "FileProblem", "FileTooLargeError", "megabytes"]
