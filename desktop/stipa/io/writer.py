"""Writing ``.stipa`` files: deterministic, pretty-printed XML, saved atomically."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree

from stipa.io import vocabulary as v
from stipa.io.errors import FileFormatError
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
    NodeLayout,
    Responsibility,
    Suggestion,
    SystemConstraint,
    UnsafeControlAction,
)
from stipa.model.view import DocumentView

_SubElement = etree.SubElement
_Writer = Callable[[Any, str, Any], Any]
_ROOT_END = b"</stipa>\n"
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


def save(doc: Document, path: str | os.PathLike[str], *, mark_saved: bool = True) -> None:
    """Write ``doc`` to ``path`` atomically.

    The bytes go to a temporary file in the same folder, which is flushed and synced to disk,
    then renamed over ``path`` (``os.replace``) and the folder is synced: a crash or kill at
    any moment leaves either the previous file or the new one, never a mixture. An existing
    file keeps its permissions; a symbolic link keeps pointing at the saved file.

    With ``mark_saved`` (the default) the document records that it is saved (``modified``
    becomes False). Autosave writes a recovery copy with ``mark_saved=False``, which leaves
    the document's modified state alone.

    Raises :class:`FileFormatError` when the document cannot be stored, and ``OSError`` when
    the file cannot be written; the previous file is untouched in both cases.
    """
    target = Path(os.path.realpath(os.fspath(path)))
    data = dumps(doc, os.fspath(path))
    write_atomically(target, data)
    if mark_saved:
        doc.mark_saved()


def write_atomically(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` through a synced temporary file in the same folder."""
    folder = target.parent
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
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


def _dumps(doc: DocumentView) -> bytes:
    prefixes = _plugin_prefixes(doc)
    nsmap: dict[str | None, str] = {None: v.NAMESPACE}
    nsmap.update((prefix, uri) for uri, prefix in prefixes.items())
    root = etree.Element(v.ROOT, {"format": str(v.FORMAT_VERSION)}, nsmap=nsmap)  # type: ignore[arg-type]
    _write_info(root, doc.info)
    for name, (section, tag) in v.SECTIONS.items():
        records = doc.table(name)
        if not records:
            continue
        parent = _SubElement(root, v.q(section))
        write = _TABLE_WRITERS[name]
        qtag = v.q(tag)
        for record in records.values():
            try:
                write(parent, qtag, record)
            except (ValueError, TypeError) as error:
                raise _SaveProblem(_unstorable(record.id, error)) from None
    _write_diagram(root, doc)
    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    extensions: tuple[str, ...] = getattr(doc, "extensions", ())
    if extensions:
        data = _with_extensions(data, extensions)
    return data


def _unstorable(record_id: str, error: Exception) -> str:
    if isinstance(error, ValueError) and "XML compatible" in str(error):
        return (
            f"{record_id} holds a control character or other text that XML cannot store; "
            "remove it and save again."
        )
    return f"{record_id} cannot be saved: {error}."


def _plugin_prefixes(doc: DocumentView) -> dict[str, str]:
    """A stable, readable prefix for each plugin namespace used by component properties."""
    uris = sorted({p.namespace for c in doc.components.values() for p in c.properties})
    result: dict[str, str] = {}
    used: set[str] = set()
    for uri in uris:
        if not uri or uri in (v.NAMESPACE, _XML_NAMESPACE):
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
        match = _TOKEN.fullmatch(token)
        if match and not token.lower().startswith("xml"):
            return token
    return "p"


def _with_extensions(data: bytes, extensions: tuple[str, ...]) -> bytes:
    """Insert the plugins' foreign elements, verbatim, at the end of the root element."""
    parts = [data[: -len(_ROOT_END)]]
    for extension in extensions:
        _check_extension(extension)
        parts.append(b"  " + extension.encode("utf-8") + b"\n")
    parts.append(_ROOT_END)
    return b"".join(parts)


def _check_extension(extension: str) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        element = etree.fromstring(extension.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise _SaveProblem(f"A plugin's extension data is not well-formed XML ({error}).") from None
    namespace = etree.QName(element).namespace
    if not namespace or namespace == v.NAMESPACE:
        raise _SaveProblem(
            f"A plugin's extension data <{etree.QName(element).localname}> must be in the "
            "plugin's own namespace."
        )
    if extension != extension.strip() or extension.startswith("<?"):
        raise _SaveProblem("A plugin's extension data must be a single XML element.")


# --- records -----------------------------------------------------------------------------------


def _text(parent: Any, tag: str, value: str) -> None:
    if value:
        _SubElement(parent, tag).text = value


def _num(value: float) -> str:
    """The shortest text that reads back as ``value``: 120, not 120.0."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _write_info(root: Any, info: DocumentInfo) -> None:
    attrib = {}
    if info.title:
        attrib["title"] = info.title
    if info.version:
        attrib["version"] = info.version
    if info.author:
        attrib["author"] = info.author
    if info.organisation:
        attrib["organisation"] = info.organisation
    try:
        element = _SubElement(root, v.INFO, attrib)
        _text(element, v.DESCRIPTION, info.description)
    except (ValueError, TypeError) as error:
        raise _SaveProblem(_unstorable("The document information", error)) from None


def _component(parent: Any, tag: str, c: Component) -> None:
    attrib = {"id": c.id, "name": c.name, "kind": c.kind.value, "nature": c.nature.value}
    if c.role:
        attrib["role"] = c.role
    if c.training:
        attrib["training"] = c.training.value
    element = _SubElement(parent, tag, attrib)
    if c.description:
        _SubElement(element, v.DESCRIPTION).text = c.description
    for variable in c.variables:
        holder = _SubElement(element, v.VARIABLE, {"id": variable.id, "name": variable.name})
        for value in variable.values:
            _SubElement(holder, v.VALUE).text = value
    for prop in c.properties:
        unit = {"unit": prop.unit} if prop.unit else None
        _SubElement(element, f"{{{prop.namespace}}}{prop.name}", unit).text = prop.value


def _link(parent: Any, tag: str, link: Link) -> None:
    element = _SubElement(
        parent,
        tag,
        {"id": link.id, "source": link.source, "target": link.target, "kind": link.kind.value},
    )
    if link.description:
        _SubElement(element, v.DESCRIPTION).text = link.description
    for item in link.items:
        child = _SubElement(element, v.ITEM, {"id": item.id, "name": item.name})
        if item.description:
            _SubElement(child, v.DESCRIPTION).text = item.description


def _loss(parent: Any, tag: str, r: Loss) -> None:
    element = _SubElement(parent, tag, {"id": r.id} if r.id else None)
    _text(element, v.TEXT, r.text)
    _text(element, v.DESCRIPTION, r.description)


def _hazard(parent: Any, tag: str, r: Hazard) -> None:
    attrib = {"id": r.id} if r.id else {}
    if r.parent is not None:
        attrib["parent"] = r.parent
    if r.losses:
        attrib["losses"] = " ".join(r.losses)
    element = _SubElement(parent, tag, attrib)
    _text(element, v.TEXT, r.text)
    _text(element, v.DESCRIPTION, r.description)


def _constraint(parent: Any, tag: str, r: SystemConstraint) -> None:
    attrib = {"id": r.id} if r.id else {}
    if r.hazards:
        attrib["hazards"] = " ".join(r.hazards)
    element = _SubElement(parent, tag, attrib)
    _text(element, v.TEXT, r.text)
    _text(element, v.DESCRIPTION, r.description)


def _responsibility(parent: Any, tag: str, r: Responsibility) -> None:
    attrib = {"id": r.id} if r.id else {}
    attrib["owner"] = r.owner
    if r.constraints:
        attrib["constraints"] = " ".join(r.constraints)
    if r.processes:
        attrib["processes"] = " ".join(r.processes)
    element = _SubElement(parent, tag, attrib)
    _text(element, v.TEXT, r.text)
    for assignment in r.raci:
        _SubElement(
            element, v.RACI, {"component": assignment.component, "role": assignment.role.value}
        )


def _uca(parent: Any, tag: str, r: UnsafeControlAction) -> None:
    attrib = {"id": r.id} if r.id else {}
    attrib["action"] = r.action
    attrib["type"] = r.type.value
    attrib["status"] = r.status.value
    if r.hazards:
        attrib["hazards"] = " ".join(r.hazards)
    element = _SubElement(parent, tag, attrib)
    _text(element, v.CONTEXT, r.context)
    _text(element, v.RATIONALE, r.rationale)


def _controller_constraint(parent: Any, tag: str, r: ControllerConstraint) -> None:
    attrib = {"id": r.id} if r.id else {}
    if r.ucas:
        attrib["ucas"] = " ".join(r.ucas)
    element = _SubElement(parent, tag, attrib)
    _text(element, v.TEXT, r.text)


def _scenario(parent: Any, tag: str, r: LossScenario) -> None:
    attrib = {"id": r.id} if r.id else {}
    if r.category:
        attrib["category"] = r.category.value
    if r.ucas:
        attrib["ucas"] = " ".join(r.ucas)
    if r.hazards:
        attrib["hazards"] = " ".join(r.hazards)
    element = _SubElement(parent, tag, attrib)
    _text(element, v.TEXT, r.text)
    _text(element, v.CAUSAL_FACTOR, r.causal_factor)


def _context_rule(parent: Any, tag: str, r: ContextRule) -> None:
    attrib = {"id": r.id} if r.id else {}
    attrib["action"] = r.action
    attrib["type"] = r.type.value
    attrib["hazardous"] = "true" if r.hazardous else "false"
    if r.hazards:
        attrib["hazards"] = " ".join(r.hazards)
    element = _SubElement(parent, tag, attrib)
    for condition in r.conditions:
        _SubElement(
            element, v.CONDITION, {"variable": condition.variable, "value": condition.value}
        )
    _text(element, v.RATIONALE, r.rationale)


def _finding(parent: Any, tag: str, r: Finding) -> None:
    attrib = {
        "id": r.id,
        "plugin": r.plugin,
        "rule": r.rule,
        "severity": r.severity.value,
        "disposition": r.disposition.value,
    }
    if r.source:
        attrib["source"] = r.source
    if r.targets:
        attrib["targets"] = " ".join(r.targets)
    element = _SubElement(parent, tag, attrib)
    _text(element, v.MESSAGE, r.message)
    _text(element, v.RATIONALE, r.rationale)
    for key, value in r.data:
        _SubElement(element, v.DATA, {"key": key}).text = value


def _suggestion(parent: Any, tag: str, r: Suggestion) -> None:
    attrib = {"id": r.id, "plugin": r.plugin, "rule": r.rule, "status": r.status.value}
    if r.targets:
        attrib["targets"] = " ".join(r.targets)
    element = _SubElement(parent, tag, attrib)
    _text(element, v.MESSAGE, r.message)
    _text(element, v.RATIONALE, r.rationale)
    holder = _SubElement(element, v.PROPOSAL)
    found = _PROPOSAL_WRITERS.get(type(r.proposal))
    if found is None:
        raise ValueError(f"it proposes a {type(r.proposal).__name__}, which is not an STPA record")
    proposal_tag, write = found
    write(holder, proposal_tag, r.proposal)


def _write_diagram(root: Any, doc: DocumentView) -> None:
    nodes = doc.node_layout
    routes = doc.link_layout
    if not nodes and not routes:
        return
    diagram = _SubElement(root, v.DIAGRAM)
    for node in nodes.values():
        _write_node(diagram, node)
    for route in routes.values():
        _write_route(diagram, route)


def _write_node(diagram: Any, node: NodeLayout) -> None:
    _SubElement(
        diagram,
        v.NODE,
        {
            "id": node.id,
            "x": _num(node.x),
            "y": _num(node.y),
            "width": _num(node.width),
            "height": _num(node.height),
        },
    )


def _write_route(diagram: Any, route: LinkLayout) -> None:
    attrib = {"id": route.id, "routing": route.routing.value}
    if route.label_dx:
        attrib["label-dx"] = _num(route.label_dx)
    if route.label_dy:
        attrib["label-dy"] = _num(route.label_dy)
    element = _SubElement(diagram, v.ROUTE, attrib)
    for x, y in route.bends:
        _SubElement(element, v.BEND, {"x": _num(x), "y": _num(y)})


_TABLE_WRITERS: dict[str, _Writer] = {
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
    "findings": _finding,
    "suggestions": _suggestion,
}
_PROPOSAL_WRITERS: dict[type, tuple[str, _Writer]] = {
    Loss: (v.q("loss"), _loss),
    Hazard: (v.q("hazard"), _hazard),
    SystemConstraint: (v.q("constraint"), _constraint),
    Responsibility: (v.q("responsibility"), _responsibility),
    UnsafeControlAction: (v.q("uca"), _uca),
    ControllerConstraint: (v.q("controller-constraint"), _controller_constraint),
    LossScenario: (v.q("scenario"), _scenario),
    ContextRule: (v.q("context-rule"), _context_rule),
}

__all__ = ["dumps", "save", "write_atomically"]
