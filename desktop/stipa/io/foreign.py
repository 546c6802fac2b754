"""Reading other tools' files safely: hardened XML and bounded JSON for the importers.

Importers read untrusted files, so foreign XML goes through the same parser as ``.stipa``
files (no DTD, no entities, no network, a size limit) and JSON through a reader that refuses
oversized input and nesting deeper than a limit before ``json`` sees it. Every failure is one
:class:`FileFormatError` naming the file and, where it can, the line.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from stipa.io.errors import FileFormatError
from stipa.io.reader import _check_size, _extension, _parse

#: Largest foreign file read, in bytes (the largest real samples are well under 2 MiB).
MAX_FOREIGN_BYTES = 64 * 1024 * 1024
#: Deepest nesting of JSON arrays and objects accepted (real exports nest fewer than 10 deep).
MAX_JSON_DEPTH = 64


def read_foreign_file(path: str | os.PathLike[str], max_bytes: int = MAX_FOREIGN_BYTES) -> bytes:
    """The bytes of ``path``, refused before reading when larger than ``max_bytes``."""
    source = os.fspath(path)
    with open(source, "rb") as stream:
        _check_size(os.fstat(stream.fileno()).st_size, max_bytes, source)
        data = stream.read(max_bytes + 1)
    _check_size(len(data), max_bytes, source)
    return data


def parse_foreign_xml(
    data: bytes, source: str, files: str = "XML files", *, max_bytes: int = MAX_FOREIGN_BYTES
) -> Any:
    """The root element of another tool's XML file, parsed as hardened as a ``.stipa`` file.

    DTDs and entities are refused outright, nothing is fetched from the network, huge text
    nodes and trees are refused by the parser, and ``data`` longer than ``max_bytes`` is
    refused before parsing. ``files`` names the kind of file in messages ("XSTAMPP files").
    The result has the ElementTree interface (``tag``, ``attrib``, ``text``, ``iter``,
    ``sourceline``).

    Raises
    ------
    FileFormatError
        With one problem naming the file and, where known, the line.
    """
    _check_size(len(data), max_bytes, source)
    return _parse(bytes(data), source, files, strict=False)


def canonical_extension(text: str, source: str = "extension") -> str:
    """``text``, one XML element, as a ``.stipa`` file keeps a plugin's data (byte-stable).

    A plugin that builds its extension element with another serializer passes it through
    this, so that saving, loading and saving again gives the same bytes.
    """
    return _extension(_parse(text.encode("utf-8"), source, "extensions", strict=False))


def parse_foreign_json(
    data: bytes,
    source: str,
    *,
    max_bytes: int = MAX_FOREIGN_BYTES,
    max_depth: int = MAX_JSON_DEPTH,
) -> Any:
    """The value of a JSON file, refusing oversized input and nesting deeper than ``max_depth``.

    The depth is measured on the text before decoding (brackets outside strings), so a
    hostile file never reaches the decoder's recursion.

    Raises
    ------
    FileFormatError
        With one problem naming the file and, where known, the line.
    """
    _check_size(len(data), max_bytes, source)
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = bytes(data).count(b"\n", 0, error.start) + 1
        raise FileFormatError.single(source, "The file is not UTF-8 text.", line) from None
    if not text.strip():
        raise FileFormatError.single(source, "The file is empty; it is not a JSON file.")
    _check_depth(text, source, max_depth)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FileFormatError.single(
            source,
            f"The file is not valid JSON ({error.msg}); it may be truncated or damaged.",
            error.lineno,
            error.colno,
        ) from None
    except RecursionError:  # the depth check bounds this; kept for a lowered recursion limit
        raise FileFormatError.single(source, "The JSON nests too deeply.") from None


def _check_depth(text: str, source: str, max_depth: int) -> None:
    depth = 0
    for match in _BRACKETS_OUTSIDE_STRINGS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > max_depth:
                line = text.count("\n", 0, match.start()) + 1
                raise FileFormatError.single(
                    source,
                    f"The JSON nests deeper than {max_depth} levels; it is not an export of an "
                    "STPA tool.",
                    line,
                )
        elif char in "]}":
            depth -= 1


#: A whole JSON string (skipped) or one bracket outside strings.
_BRACKETS_OUTSIDE_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')


__all__ = [
    "MAX_FOREIGN_BYTES",
    "MAX_JSON_DEPTH",
    "canonical_extension",
    "parse_foreign_json",
    "parse_foreign_xml",
    "read_foreign_file",
]
