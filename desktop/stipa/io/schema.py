"""The XML Schema of the current format, loaded once, and its errors as user sentences."""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

from lxml import etree

from stipa import resources
from stipa.io import vocabulary as v

_LOCK = threading.Lock()
_CLARK = re.compile(r"\{[^}\s']*\}(?=[A-Za-z_])")
_MESSAGE = re.compile(r"Element '([^']*)'(?:, attribute '([^']*)')?: (.*)", re.DOTALL)
_FACET = re.compile(r"\[facet '[^']*'\] ")
#: Schema errors reported per file; more are summarised in one line.
MAX_SCHEMA_ERRORS = 50


@functools.cache
def schema(version: int = v.FORMAT_VERSION) -> etree.XMLSchema:
    """The schema of a format version (``resources/schema/stipa-<n>.xsd``), the current one
    by default; older ones are kept so their golden files can be checked against them."""
    path = resources.resource_path("schema", f"stipa-{version}.xsd")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def schema_errors(root: Any) -> list[tuple[int | None, str]]:
    """Where and how ``root`` breaks the schema: (line, sentence) pairs; empty when valid."""
    checker = schema()
    with _LOCK:  # an XMLSchema keeps the error log of its last run
        if checker.validate(root):
            return []
        log: Any = checker.error_log
        entries = list(log)
    errors = [(entry.line or None, describe(entry.message)) for entry in entries]
    if len(errors) > MAX_SCHEMA_ERRORS:
        more = len(errors) - MAX_SCHEMA_ERRORS
        errors = errors[:MAX_SCHEMA_ERRORS]
        errors.append((None, f"There are {more} more problems of the same kind."))
    return errors


def describe(message: str) -> str:
    """A libxml2 schema message as a sentence about the file's elements."""
    message = _FACET.sub("", message.strip())
    match = _MESSAGE.fullmatch(message)
    if match:
        element, attribute, detail = match.groups()
        where = f"<{_local(element)}>"
        if attribute:
            where += f" attribute {_local(attribute)!r}"
        detail = _CLARK.sub("", detail)
        message = f"In {where}: {detail[:1].lower()}{detail[1:]}"
    else:
        message = _CLARK.sub("", message)
    if not message.endswith("."):
        message += "."
    return message


def _local(name: str) -> str:
    if name.startswith("{" + v.NAMESPACE + "}"):
        return name[len(v.NAMESPACE) + 2 :]
    return name


__all__ = ["describe", "schema", "schema_errors"]
