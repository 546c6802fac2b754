"""The ``.stipa`` file format: the only place Stipa reads or writes XML (and imports lxml).

A ``.stipa`` file is namespaced, versioned XML checked against ``resources/schema/stipa-1.xsd``
on every load. Saving is deterministic (save -> load -> save gives the same bytes) and atomic;
loading is hardened against hostile input and reports every problem with file and line.

Examples
--------
>>> import stipa, stipa.io
>>> doc = stipa.Document()
>>> _ = doc.add(stipa.Loss(text="Loss of life or injury"))
>>> stipa.io.loads(stipa.io.dumps(doc)).losses["L-1"].text
'Loss of life or injury'
"""

from stipa.io.errors import FileFormatError, FileProblem, FileTooLargeError
from stipa.io.foreign import (
    canonical_extension,
    parse_foreign_json,
    parse_foreign_xml,
    read_foreign_file,
)
from stipa.io.reader import load, loads, validate
from stipa.io.upgrades import UPGRADES, Upgrade
from stipa.io.vocabulary import FORMAT_VERSION, MAX_FILE_BYTES, NAMESPACE
from stipa.io.writer import dumps, is_read_only, save, write_atomically

__all__ = [
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "NAMESPACE",
    "UPGRADES",
    "FileFormatError",
    "FileProblem",
    "FileTooLargeError",
    "Upgrade",
    "canonical_extension",
    "dumps",
    "is_read_only",
    "load",
    "loads",
    "parse_foreign_json",
    "parse_foreign_xml",
    "read_foreign_file",
    "save",
    "validate",
    "write_atomically",
]
