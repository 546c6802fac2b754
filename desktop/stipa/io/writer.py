"""Writing ``.stipa`` files: deterministic, pretty-printed XML, saved atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from stipa.io import vocabulary as v
from stipa.io.errors import FileFormatError, FileTooLargeError, megabytes
from stipa.model import (
    Component,
    ContextRule,
    ControllerConstraint,
    Document,
    DocumentInfo,
    Finding,
    Hazard,
    Link,
    LinkLayout,
    Loss,
    LossScenario,
    Responsibility,
    SafetyRequirement,
    Suggestion,
    SystemConstraint,
    UnsafeControlAction,
)
from stipa.model.view import DocumentView

#: Any of these set means someone may write the file; none set means it is read-only.
_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
_Writer = Callable[[list[str], str, str, Any], None]
_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


class _SaveProblem(Exception):
    """A record that cannot be written; turned into a FileFormatError by ``dumps``."""


def dumps(doc: DocumentView, source: str = "<memory>") -> bytes:
    """The ``.stipa`` bytes of ``doc``: UTF-8, pretty-printed, the same bytes every time.

    Raises :class:`FileFormatError` (naming ``source``) when a value cannot be stored in XML,
    such as a control character in a text or a plugin property in the Stipa namespace.
    """
    try:
        return _dumps(doc)
    except _SaveProblem as problem:
        raise FileFormatError.single(source, str(problem)) from None


def save(
    doc: Document,
    path: str | os.PathLike[str],
    *,
    mark_saved: bool = True,
    max_bytes: int | None = None,
) -> None:
    """Write ``doc`` to ``path`` atomically.

    The bytes go to a temporary file in the same folder, which is flushed and synced to disk,
    then renamed over ``path`` (``os.replace``) and the folder is synced: a crash or kill at
    any moment leaves either the previous file or the new one, never a mixture. An existing
    file keeps its permissions; a symbolic link keeps pointing at the saved file.

    With ``mark_saved`` (the default) the document records that it is saved (``modified``
    becomes False). Autosave writes a recovery copy with ``mark_saved=False``, which leaves
    the document's modified state alone.

    What Stipa writes, Stipa reads: a document whose file would be larger than ``max_bytes``
    (default ``MAX_FILE_BYTES``, the limit ``load`` keeps) is refused with
    :class:`FileTooLargeError` before anything is written. Pass the larger limit a file was
    opened with to save it again.

    Raises :class:`FileFormatError` when the document cannot be stored, and ``OSError`` when
    the file cannot be written (a read-only file is refused with ``PermissionError``); the
    previous file is untouched in every case.
    """
    source = os.fspath(path)
    data = dumps(doc, source)
    limit = v.MAX_FILE_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise FileTooLargeError(
            source,
            len(data),
            limit,
            f"The document is too large to save ({megabytes(len(data))}; the limit is "
            f"{megabytes(limit)}, and Stipa would not open a larger file without asking); "
            "delete findings or records you do not need.",
        )
    write_atomically(Path(source), data)
    if mark_saved:
        doc.mark_saved()


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at ``path`` with ``data`` through a synced temporary file beside it.

    Every file Stipa writes (documents, recovery copies, every export) goes through here, so
    all behave alike: a symbolic link keeps pointing at the written file, an existing file
    keeps its permissions, a new one gets the usual ones (0o666 less the umask), and a
    read-only file is refused with ``PermissionError``, as editors do, instead of replaced.
    """
    target = Path(os.path.realpath(os.fspath(path)))
    folder = target.parent
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    if mode is not None and is_read_only(target):
        raise PermissionError(
            errno.EACCES, "The file is read-only; save under another name", os.fspath(path)
        )
    temp = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
    # 0o666 minus the umask, like any new file; O_EXCL so no other file is ever overwritten.
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as stream:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None and not hasattr(os, "fchmod"):
            os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)


def is_read_only(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is an existing file that Stipa must not replace (nor write through).

    The mode bits count as well as ``access()``: root may write anything, yet a file made
    read-only (0o444) says "keep me", and saving over it is refused as editors do.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_IMODE(mode) & _WRITE_BITS or not os.access(path, os.W_OK)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); folders cannot be opened for syncing on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on folders; the rename itself is done
        pass
    finally:
        os.close(fd)


# --- the document ------------------------------------------------------------------------------
#
# The XML is written as text, not built as an lxml tree: building elements costs about ten times
# what serialising them does, and the text form gives full control over the layout. Every value
# goes through ``_attr`` or ``_content``; the result is checked once for characters XML cannot
# hold. The layout matches lxml's pretty printer (2-space indentation, ``<a/>`` when empty).

_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
_ATTR_SPECIAL = re.compile(r'[&<>"\n\r\t]')
_special = _ATTR_SPECIAL.search
_CONTENT_SPECIAL = re.compile(r"[&<>\r]")
#: Characters XML 1.0 cannot hold, even escaped (and lone surrogates, which UTF-8 cannot).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: The same control characters as UTF-8 bytes, for a fast check of the whole output.
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")


def _attr(value: str, _search: Any = _ATTR_SPECIAL.search) -> str:
    """``value`` escaped for a double-quoted attribute (newlines and tabs survive)."""
    if _search(value) is None:
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def _content(value: str, _search: Any = _CONTENT_SPECIAL.search) -> str:
    """``value`` escaped for element content (carriage returns survive)."""
    if _search(value) is None:
        return value
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _ids(ids: tuple[str, ...]) -> str:
    return _attr(" ".join(ids))


def _num(value: float) -> str:
    """The shortest text that reads back as ``value``: 120, not 120.0."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _nums(text: str) -> str:
    """``_num`` applied to every ``repr``-formatted float in a run of attributes: ``.0"`` -> ``"``.

    Only for text whose attributes are all numbers (an id such as ``H-1.0`` must not change).
    """
    return text.replace('.0"', '"')


def _dumps(doc: DocumentView) -> bytes:
    prefixes = _plugin_prefixes(doc)
    out: list[str] = [_DECLARATION, f'<stipa xmlns="{v.NAMESPACE}"']
    for uri, prefix in prefixes.items():
        out.append(f' xmlns:{prefix}="{_attr(uri)}"')
    out.append(f' format="{v.FORMAT_VERSION}">\n')
    _write_info(out, doc.info)
    for name, (section, tag) in v.SECTIONS.items():
        records = doc.table(name)
        if not records:
            continue
        out.append(f"  <{section}>\n")
        write = _TABLE_WRITERS[name]
        for record in records.values():
            write(out, "    ", tag, record, prefixes)
        out.append(f"  </{section}>\n")
    _write_diagram(out, doc)
    extensions: tuple[str, ...] = getattr(doc, "extensions", ())
    for extension in extensions:
        _check_extension(extension)
        out.append(f"  {extension}\n")
    out.append("</stipa>\n")
    text = "".join(out)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        raise _SaveProblem(_unstorable(doc)) from None
    # U+FFFE and U+FFFF are looked for in the text, not the bytes: in text of Latin-1
    # characters only (the usual case) a character above U+00FF is ruled out at once.
    if (
        len(data.translate(None, _CONTROL_BYTES)) != len(data)
        or "\ufffe" in text
        or "\uffff" in text
    ):
        raise _SaveProblem(_unstorable(doc))
    return data


def _unstorable(doc: DocumentView) -> str:
    """Name the record holding a character XML cannot store (the slow path of ``dumps``)."""
    for record in [doc.info, *doc.records()]:
        if any(_ILLEGAL.search(text) for text in _strings(dataclasses.astuple(record))):
            name = getattr(record, "id", "") or "The document information"
            return (
                f"{name} holds a control character or other text that XML cannot store; "
                "remove it and save again."
            )
    return (
        "The document holds a control character or other text that XML cannot store; "
        "remove it and save again."
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for part in value:
            yield from _strings(part)


def _plugin_prefixes(doc: DocumentView) -> dict[str, str]:
    """A stable, readable prefix for each plugin namespace used by component properties."""
    uris = sorted({p.namespace for c in doc.components.values() for p in c.properties})
    result: dict[str, str] = {}
    used: set[str] = set()
    for uri in uris:
        if not isinstance(uri, str) or not uri or uri in (v.NAMESPACE, _XML_NAMESPACE):
            raise _SaveProblem(
                f"A component property uses the namespace {uri!r}; plugin properties need "
                "a namespace of their own."
            )
        base = _prefix_base(uri)
        prefix, number = base, 2
        while prefix in used:
            prefix, number = f"{base}{number}", number + 1
        used.add(prefix)
        result[uri] = prefix
    return result


_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,23}")


def _prefix_base(uri: str) -> str:
    for token in reversed(re.split(r"[/:#?=&]+", uri)):
        if _TOKEN.fullmatch(token) and not token.lower().startswith("xml"):
            return token
    return "p"


def _check_extension(extension: str) -> None:
    """A plugin's foreign element must be one well-formed element in its own namespace."""
    if not isinstance(extension, str) or extension != extension.strip():
        raise _SaveProblem("A plugin's extension data must be a single XML element.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        element = etree.fromstring(extension.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise _SaveProblem(f"A plugin's extension data is not well-formed XML ({error}).") from None
    qname = etree.QName(element)
    if not qname.namespace or qname.namespace == v.NAMESPACE:
        raise _SaveProblem(
            f"A plugin's extension data <{qname.localname}> must be in the plugin's own namespace."
        )
    if element.getprevious() is not None or element.getnext() is not None:
        raise _SaveProblem("A plugin's extension data must be a single XML element.")


# --- records -----------------------------------------------------------------------------------


def _write_info(out: list[str], info: DocumentInfo) -> None:
    attrs = ""
    if info.title:
        attrs += f' title="{_attr(info.title)}"'
    if info.version:
        attrs += f' version="{_attr(info.version)}"'
    if info.author:
        attrs += f' author="{_attr(info.author)}"'
    if info.organisation:
        attrs += f' organisation="{_attr(info.organisation)}"'
    if info.description:
        out.append(f"  <info{attrs}>\n")
        out.append(f"    <description>{_content(info.description)}</description>\n")
        out.append("  </info>\n")
    else:
        out.append(f"  <info{attrs}/>\n")


def _open(out: list[str], pad: str, tag: str, attrs: str, body: list[str]) -> None:
    """Write ``<tag attrs>`` with ``body`` lines inside, or ``<tag attrs/>`` when empty."""
    if body:
        out.append(f"{pad}<{tag}{attrs}>\n")
        out.extend(body)
        out.append(f"{pad}</{tag}>\n")
    else:
        out.append(f"{pad}<{tag}{attrs}/>\n")


def _id(record_id: str) -> str:
    return f' id="{_attr(record_id)}"' if record_id else ""


def _component(out: list[str], pad: str, tag: str, c: Component, prefixes: dict[str, str]) -> None:
    cid, name = c.id, c.name
    if _special(f"{cid}{name}") is not None:
        cid, name = _attr(cid), _attr(name)
    # StrEnum members format as their values.
    attrs = f' id="{cid}" name="{name}" kind="{c.kind}" nature="{c.nature}"'

    if c.role:
        attrs += f' role="{_attr(c.role)}"'
    if c.training:
        attrs += f' training="{c.training}"'
    if c.parent:
        attrs += f' parent="{_attr(c.parent)}"'
    if c.level is not None:
        attrs += f' level="{c.level}"'
    if c.alias:
        attrs += f' alias="{_attr(c.alias)}"'
    if not (c.description or c.variables or c.properties):
        out.append(f"{pad}<{tag}{attrs}/>\n")
        return
    out.append(f"{pad}<{tag}{attrs}>\n")
    inner = pad + "  "
    if c.description:
        out.append(f"{inner}<description>{_content(c.description)}</description>\n")
    for variable in c.variables:
        head = f'{inner}<variable id="{_attr(variable.id)}" name="{_attr(variable.name)}"'
        if variable.values:
            out.append(head + ">\n")
            for value in variable.values:
                out.append(f"{inner}  <value>{_content(value)}</value>\n")
            out.append(f"{inner}</variable>\n")
        else:
            out.append(head + "/>\n")
    for prop in c.properties:
        if not isinstance(prop.name, str) or not _NAME.match(prop.name):
            raise _SaveProblem(
                f"{c.id} has a property named {prop.name!r}, which cannot be an XML element name."
            )
        name = f"{prefixes[prop.namespace]}:{prop.name}"
        unit = f' unit="{_attr(prop.unit)}"' if prop.unit else ""
        out.append(f"{inner}<{name}{unit}>{_content(prop.value)}</{name}>\n")
    out.append(f"{pad}</{tag}>\n")


def _link(out: list[str], pad: str, tag: str, link: Link, prefixes: dict[str, str]) -> None:
    # Links are the most numerous records: the common shape (one item, no descriptions) is
    # written with a single string.
    lid, source, target = link.id, link.source, link.target
    if _special(f"{lid}{source}{target}") is not None:
        lid, source, target = _attr(lid), _attr(source), _attr(target)
    head = f'{pad}<{tag} id="{lid}" source="{source}" target="{target}" kind="{link.kind}"'
    if link.alias:
        head += f' alias="{_attr(link.alias)}"'
    items = link.items
    if len(items) == 1 and not link.description and not items[0].description and not items[0].alias:
        iid, name = items[0].id, items[0].name
        if _special(f"{iid}{name}") is not None:
            iid, name = _attr(iid), _attr(name)
        out.append(f'{head}>\n{pad}  <item id="{iid}" name="{name}"/>\n{pad}</{tag}>\n')
        return
    if not (link.description or items):
        out.append(head + "/>\n")
        return
    out.append(head + ">\n")
    inner = pad + "  "
    if link.description:
        out.append(f"{inner}<description>{_content(link.description)}</description>\n")
    for item in items:
        iid, name = item.id, item.name
        if _special(f"{iid}{name}") is not None:
            iid, name = _attr(iid), _attr(name)
        item_head = f'{inner}<item id="{iid}" name="{name}"'
        if item.alias:
            item_head += f' alias="{_attr(item.alias)}"'
        if item.description:
            out.append(
                f"{item_head}>\n{inner}  <description>{_content(item.description)}</description>\n"
                f"{inner}</item>\n"
            )
        else:
            out.append(item_head + "/>\n")
    out.append(f"{pad}</{tag}>\n")


def _texts(pad: str, *pairs: tuple[str, str]) -> list[str]:
    return [f"{pad}<{tag}>{_content(value)}</{tag}>\n" for tag, value in pairs if value]


def _alias(alias: str) -> str:
    return f' alias="{_attr(alias)}"' if alias else ""


def _loss(out: list[str], pad: str, tag: str, r: Loss, prefixes: Any = None) -> None:
    body = _texts(pad + "  ", ("text", r.text), ("description", r.description))
    _open(out, pad, tag, _id(r.id) + _alias(r.alias), body)


def _hazard(out: list[str], pad: str, tag: str, r: Hazard, prefixes: Any = None) -> None:
    attrs = _id(r.id)
    if r.parent is not None:
        attrs += f' parent="{_attr(r.parent)}"'
    if r.losses:
        attrs += f' losses="{_ids(r.losses)}"'
    attrs += _alias(r.alias)
    body = _texts(pad + "  ", ("text", r.text), ("description", r.description))
    _open(out, pad, tag, attrs, body)


def _constraint(
    out: list[str], pad: str, tag: str, r: SystemConstraint, prefixes: Any = None
) -> None:
    attrs = _id(r.id)
    if r.hazards:
        attrs += f' hazards="{_ids(r.hazards)}"'
    attrs += _alias(r.alias)
    body = _texts(pad + "  ", ("text", r.text), ("description", r.description))
    _open(out, pad, tag, attrs, body)


def _responsibility(
    out: list[str], pad: str, tag: str, r: Responsibility, prefixes: Any = None
) -> None:
    attrs = f'{_id(r.id)} owner="{_attr(r.owner)}"'
    if r.constraints:
        attrs += f' constraints="{_ids(r.constraints)}"'
    if r.processes:
        attrs += f' processes="{_ids(r.processes)}"'
    attrs += _alias(r.alias)
    inner = pad + "  "
    body = _texts(inner, ("text", r.text))
    body += [f'{inner}<raci component="{_attr(a.component)}" role="{a.role}"/>\n' for a in r.raci]
    _open(out, pad, tag, attrs, body)


def _uca(out: list[str], pad: str, tag: str, r: UnsafeControlAction, prefixes: Any = None) -> None:
    attrs = f'{_id(r.id)} action="{_attr(r.action)}" type="{r.type}" status="{r.status}"'
    if r.hazards:
        attrs += f' hazards="{_ids(r.hazards)}"'
    if r.subtype:
        attrs += f' subtype="{r.subtype}"'
    attrs += _alias(r.alias)
    body = _texts(pad + "  ", ("context", r.context), ("rationale", r.rationale))
    _open(out, pad, tag, attrs, body)


def _controller_constraint(
    out: list[str], pad: str, tag: str, r: ControllerConstraint, prefixes: Any = None
) -> None:
    attrs = _id(r.id)
    if r.ucas:
        attrs += f' ucas="{_ids(r.ucas)}"'
    attrs += _alias(r.alias)
    _open(out, pad, tag, attrs, _texts(pad + "  ", ("text", r.text)))


def _scenario(out: list[str], pad: str, tag: str, r: LossScenario, prefixes: Any = None) -> None:
    attrs = _id(r.id)
    if r.category:
        attrs += f' category="{r.category}"'
    if r.factor:
        attrs += f' factor="{r.factor}"'
    if r.ucas:
        attrs += f' ucas="{_ids(r.ucas)}"'
    if r.hazards:
        attrs += f' hazards="{_ids(r.hazards)}"'
    attrs += _alias(r.alias)
    body = _texts(pad + "  ", ("text", r.text), ("causal-factor", r.causal_factor))
    _open(out, pad, tag, attrs, body)


def _context_rule(out: list[str], pad: str, tag: str, r: ContextRule, prefixes: Any = None) -> None:
    attrs = (
        f'{_id(r.id)} action="{_attr(r.action)}" type="{r.type}"'
        f' hazardous="{"true" if r.hazardous else "false"}"'
    )
    if r.hazards:
        attrs += f' hazards="{_ids(r.hazards)}"'
    if r.subtype:
        attrs += f' subtype="{r.subtype}"'
    attrs += _alias(r.alias)
    inner = pad + "  "
    body = [
        f'{inner}<condition variable="{_attr(c.variable)}" value="{_attr(c.value)}"/>\n'
        for c in r.conditions
    ]
    body += _texts(inner, ("rationale", r.rationale))
    _open(out, pad, tag, attrs, body)


def _requirement(
    out: list[str], pad: str, tag: str, r: SafetyRequirement, prefixes: Any = None
) -> None:
    attrs = _id(r.id)
    for name, ids in (
        ("scenarios", r.scenarios),
        ("ucas", r.ucas),
        ("hazards", r.hazards),
        ("constraints", r.constraints),
    ):
        if ids:
            attrs += f' {name}="{_ids(ids)}"'
    attrs += _alias(r.alias)
    body = _texts(pad + "  ", ("text", r.text), ("description", r.description))
    _open(out, pad, tag, attrs, body)


def _finding(out: list[str], pad: str, tag: str, r: Finding, prefixes: Any = None) -> None:
    attrs = (
        f' id="{_attr(r.id)}" plugin="{_attr(r.plugin)}" rule="{_attr(r.rule)}"'
        f' severity="{r.severity}" disposition="{r.disposition}"'
    )
    if r.source:
        attrs += f' source="{_attr(r.source)}"'
    if r.targets:
        attrs += f' targets="{_ids(r.targets)}"'
    inner = pad + "  "
    body = _texts(inner, ("message", r.message), ("rationale", r.rationale))
    body += [f'{inner}<data key="{_attr(k)}">{_content(value)}</data>\n' for k, value in r.data]
    _open(out, pad, tag, attrs, body)


def _suggestion(out: list[str], pad: str, tag: str, r: Suggestion, prefixes: Any = None) -> None:
    attrs = (
        f' id="{_attr(r.id)}" plugin="{_attr(r.plugin)}" rule="{_attr(r.rule)}" status="{r.status}"'
    )
    if r.targets:
        attrs += f' targets="{_ids(r.targets)}"'
    found = _PROPOSAL_WRITERS.get(type(r.proposal))
    if found is None:
        raise _SaveProblem(
            f"{r.id} proposes a {type(r.proposal).__name__}, which is not an STPA record."
        )
    proposal_tag, write = found
    inner = pad + "  "
    out.append(f"{pad}<{tag}{attrs}>\n")
    out.extend(_texts(inner, ("message", r.message), ("rationale", r.rationale)))
    out.append(f"{inner}<proposal>\n")
    write(out, inner + "  ", proposal_tag, r.proposal, None)
    out.append(f"{inner}</proposal>\n")
    out.append(f"{pad}</{tag}>\n")


def _write_diagram(out: list[str], doc: DocumentView) -> None:
    nodes = doc.node_layout
    routes = doc.link_layout
    if not nodes and not routes:
        return
    out.append("  <diagram>\n")
    for node in nodes.values():
        numbers = (
            f' x="{node.x!r}" y="{node.y!r}" width="{node.width!r}" height="{node.height!r}"'
            + (' collapsed="true"/>\n' if node.collapsed else "/>\n")
        )
        out.append(f'    <node id="{_attr(node.id)}"{_nums(numbers)}')
    for route in routes.values():
        _write_route(out, route)
    out.append("  </diagram>\n")


def _write_route(out: list[str], route: LinkLayout) -> None:
    attrs = f' id="{_attr(route.id)}" routing="{route.routing}"'
    if route.label_dx:
        attrs += f' label-dx="{_num(route.label_dx)}"'
    if route.label_dy:
        attrs += f' label-dy="{_num(route.label_dy)}"'
    body = [f'      <bend x="{_num(x)}" y="{_num(y)}"/>\n' for x, y in route.bends]
    _open(out, "    ", "route", attrs, body)


_TABLE_WRITERS: dict[str, Callable[..., None]] = {
    "components": _component,
    "links": _link,
    "losses": _loss,
    "hazards": _hazard,
    "constraints": _constraint,
    "responsibilities": _responsibility,
    "ucas": _uca,
    "controller_constraints": _controller_constraint,
    "scenarios": _scenario,
    "context_rules": _context_rule,
    "requirements": _requirement,
    "findings": _finding,
    "suggestions": _suggestion,
}
_PROPOSAL_WRITERS: dict[type, tuple[str, Callable[..., None]]] = {
    Loss: ("loss", _loss),
    Hazard: ("hazard", _hazard),
    SystemConstraint: ("constraint", _constraint),
    Responsibility: ("responsibility", _responsibility),
    UnsafeControlAction: ("uca", _uca),
    ControllerConstraint: ("controller-constraint", _controller_constraint),
    LossScenario: ("scenario", _scenario),
    ContextRule: ("context-rule", _context_rule),
    SafetyRequirement: ("requirement", _requirement),
}

__all__ = ["dumps", "save", "write_atomically"]
