"""Reading ``.stipa`` files: hardened parsing, version upgrades, schema, then the model.

Every failure is a :class:`FileFormatError` whose problems name the file and, where it can, the
line: malformed or truncated XML, DTDs and entities (refused outright, so XXE and "billion
laughs" never reach the parser's entity machinery), processing instructions, oversized input,
a wrong namespace, a future format version, schema violations, and the model's own checks
(duplicate and dangling ids), each mapped to the line of the record concerned.

A file loads in two threads: libxml2 checks the tree against the schema (C code that releases
the GIL) while the loading thread reads its elements into records. The records are only used
once the schema check has passed; a file that breaks the schema is reported by its schema
errors, whatever reading it met meanwhile.
"""

from __future__ import annotations

import copy
import gc
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from lxml import etree

from stipa.io import vocabulary as v
from stipa.io.errors import FileFormatError, FileProblem, FileTooLargeError, megabytes
from stipa.io.schema import schema_errors
from stipa.io.upgrades import UPGRADES
from stipa.model import (
    CausalFactor,
    Component,
    ComponentKind,
    Condition,
    ContextRule,
    ControllerConstraint,
    Disposition,
    Document,
    DocumentInfo,
    Finding,
    Hazard,
    Link,
    LinkItem,
    LinkKind,
    LinkLayout,
    Loss,
    LossScenario,
    Nature,
    NodeLayout,
    Problem,
    ProcessVariable,
    Property,
    RaciAssignment,
    RaciRole,
    Responsibility,
    Routing,
    SafetyRequirement,
    ScenarioCategory,
    Severity,
    Suggestion,
    SuggestionStatus,
    SystemConstraint,
    TrainingLevel,
    UCAStatus,
    UCASubtype,
    UCAType,
    UnsafeControlAction,
)

_Reader = Callable[[Any], Any]
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_PI = etree.ProcessingInstruction
#: The class of elements (not comments) in trees of this module's parser (default lookup).
_ELEMENT: Any = etree._Element
#: More digits than any format version will ever have.
_VERSION_DIGITS = 9


class _Bad(Exception):
    """A problem found while converting one element; carries the element's line."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def load(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Document:
    """Read the document in ``path``: no undo history, not modified.

    Files larger than ``max_bytes`` (default ``MAX_FILE_BYTES``, the limit ``save`` keeps
    too) are refused before they are read, with :class:`FileTooLargeError`; pass a larger
    ``max_bytes`` only when the user asked to open such a file. Raises
    :class:`FileFormatError` when the file is not a valid Stipa document and ``OSError`` when
    it cannot be read at all; nothing else.
    """
    source = os.fspath(path)
    limit = v.MAX_FILE_BYTES if max_bytes is None else max_bytes
    with open(source, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        _check_size(size, limit, source)
        # Asking for limit + 1 bytes at once would allocate that much first; a byte more than
        # the size tells whether the file grew since, and then the rest is read up to the limit.
        data = stream.read(size + 1)
        if len(data) > size:  # grown since: read on in pieces (the limit may be huge)
            grown = bytearray(data)
            while len(grown) <= limit and (
                piece := stream.read(min(limit + 1 - len(grown), 1 << 20))
            ):
                grown += piece
            data = bytes(grown)
    return loads(data, source, max_bytes=limit)


def loads(data: bytes, source: str = "<memory>", *, max_bytes: int | None = None) -> Document:
    """Read a document from ``data``, the bytes of a ``.stipa`` file named ``source``."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"loads() needs the bytes of a file, not {type(data).__name__}")
    data = bytes(data)
    _check_size(len(data), v.MAX_FILE_BYTES if max_bytes is None else max_bytes, source)
    root = _parse(data, source)
    root = _upgrade(root, source)
    with _collection_paused():
        return _checked_build(root, source)


def validate(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> list[FileProblem]:
    """Every problem of the file in ``path``; empty when it is a valid Stipa document.

    Never raises for bad content: unreadable files are reported as a problem too.
    ``max_bytes`` is as for :func:`load`.
    """
    source = os.fspath(path)
    try:
        load(path, max_bytes=max_bytes)
    except FileFormatError as error:
        return error.problems
    except OSError as error:
        reason = error.strerror or str(error)
        return [FileProblem(source, None, f"The file cannot be read: {reason}.")]
    return []


# --- hardened parsing --------------------------------------------------------------------------


def _check_size(size: int, limit: int, source: str) -> None:
    if size > limit:
        raise FileTooLargeError(
            source,
            size,
            limit,
            f"The file is too large to open ({megabytes(size)}; the limit is "
            f"{megabytes(limit)}); it is probably not a Stipa document.",
        )


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line_at(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _prescan(data: bytes, source: str, files: str = ".stipa files") -> None:
    """Refuse what the parser must never see: other encodings, DTDs, entity declarations."""
    what = "a Stipa document" if files == ".stipa files" else "an XML file"
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    stripped = data[start : start + 64].lstrip(b" \t\r\n")
    if not stripped:
        raise FileFormatError.single(source, f"The file is empty; it is not {what}.")
    if not stripped.startswith(b"<") or b"\x00" in data[:4]:
        raise FileFormatError.single(
            source, f"This is not {what}: {files} are XML text in UTF-8.", 1
        )
    position = start
    size = len(data)
    while position < size:
        while position < size and data[position] in b" \t\r\n":
            position += 1
        if data.startswith(b"<?", position):
            end = data.find(b"?>", position)
            if end < 0:
                return  # the parser reports it
            if data.startswith(b"<?xml", position) and position <= start:
                match = _ENCODING.search(data, position, end)
                if match and match.group(1).decode("ascii").lower() not in _UTF8_NAMES:
                    name = match.group(1).decode("ascii")
                    raise FileFormatError.single(
                        source,
                        f"The file declares the encoding {name}; {files} must be UTF-8.",
                        _line_at(data, position),
                    )
            position = end + 2
        elif data.startswith(b"<!--", position):
            end = data.find(b"-->", position)
            if end < 0:
                return
            position = end + 3
        elif data.startswith(b"<!DOCTYPE", position):
            raise FileFormatError.single(
                source,
                f"DTDs are not allowed in {files} (a <!DOCTYPE> declaration can define "
                "entities that read other files or expand without limit); remove it.",
                _line_at(data, position),
            )
        else:
            return


def _parse(data: bytes, source: str, files: str = ".stipa files", strict: bool = True) -> Any:
    """The root of ``data``, parsed without DTDs, entities or network.

    ``files`` names the kind of file in messages; ``strict`` also refuses processing
    instructions and ``xsi:schemaLocation`` (Stipa's own files have no use for them).
    """
    _prescan(data, source, files)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise _syntax_error(error, parser, source, files) from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # the prescan missed it
        raise FileFormatError.single(source, f"DTDs are not allowed in {files}.", 1)
    declaration = data.find(b"?>") + 2 if data.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml") else 0
    if strict and data.find(b"<?", declaration) >= 0:
        _refuse_instructions(root, source)
    if strict and data.find(b"XMLSchema-instance") >= 0:
        _refuse_schema_locations(root, source)
    return root


def _syntax_error(
    error: etree.XMLSyntaxError, parser: Any, source: str, files: str = ".stipa files"
) -> FileFormatError:
    log: Any = parser.error_log  # the exception's own log may hold older, unrelated entries
    entries = [e for e in log if e.level >= etree.ErrorLevels.ERROR]
    if entries:
        detail, line = entries[0].message.strip(), entries[0].line or None
    else:
        detail, line = str(error.msg or error), error.lineno or None
    detail = re.sub(r", line \d+, column \d+$", "", detail).rstrip(".")
    if "entity" in detail.lower():
        message = f"Entities are not allowed in {files} ({detail})."
    else:
        message = f"The file is not well-formed XML ({detail}); it may be truncated or damaged."
    return FileFormatError.single(source, message, line)


def _refuse_instructions(root: Any, source: str) -> None:
    found = [*root.itersiblings(_PI, preceding=True), *root.itersiblings(_PI), *root.iter(_PI)]
    if found:
        first = min(found, key=lambda pi: pi.sourceline or 0)
        raise FileFormatError.single(
            source,
            f"Processing instructions such as <?{first.target}?> are not allowed in .stipa "
            "files; remove it.",
            first.sourceline,
        )


def _refuse_schema_locations(root: Any, source: str) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name in element.attrib:
            if name.startswith(_XSI) and name.endswith("chemaLocation"):
                raise FileFormatError.single(
                    source,
                    "References to external schemas (xsi:schemaLocation) are not allowed in "
                    ".stipa files; remove the attribute.",
                    element.sourceline,
                )


# --- root, version, upgrades -------------------------------------------------------------------


def _upgrade(root: Any, source: str) -> Any:
    line = root.sourceline
    if root.tag != v.ROOT:
        qname = etree.QName(root)
        if qname.localname == "stipa":
            raise FileFormatError.single(
                source,
                f"This is not a Stipa document: its <stipa> element is in the wrong namespace "
                f"({qname.namespace or 'none'}); Stipa documents use {v.NAMESPACE}.",
                line,
            )
        raise FileFormatError.single(
            source,
            f"This is not a Stipa document: it starts with <{qname.localname}> instead of <stipa>.",
            line,
        )
    text = root.get("format")
    if text is None:
        raise FileFormatError.single(
            source,
            f'The <stipa> element has no format version; add format="{v.FORMAT_VERSION}".',
            line,
        )
    digits = text.strip()
    # ASCII only: "²" is a digit to str.isdigit but not to int(); and a version of thousands
    # of digits would trip int()'s guard against huge conversions.
    if not (digits.isascii() and digits.isdigit()) or len(digits) > _VERSION_DIGITS:
        raise FileFormatError.single(
            source, f"The format version {_short(text)!r} is not a whole number.", line
        )
    version = int(digits)
    if version > v.FORMAT_VERSION:
        raise FileFormatError.single(
            source,
            f"This file was written by a newer Stipa (format version {version}); this version "
            f"reads up to version {v.FORMAT_VERSION}.",
        )
    while version < v.FORMAT_VERSION:
        upgrade = UPGRADES.get(version)
        if upgrade is None:
            raise FileFormatError.single(
                source,
                f"This file uses format version {version}, which this version of Stipa cannot "
                f"read (it reads versions {min(UPGRADES, default=v.FORMAT_VERSION)} to "
                f"{v.FORMAT_VERSION}).",
                line,
            )
        try:
            upgraded = upgrade(root)
        except Exception as error:
            raise FileFormatError.single(
                source,
                f"The file could not be upgraded from format version {version} to "
                f"{version + 1}: {error}.",
            ) from error
        if upgraded is not None:
            root = upgraded
        version += 1
        root.set("format", str(version))
    return root


# --- schema check and elements to records -----------------------------------------------------


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is built.

    Building makes hundreds of thousands of objects and no garbage cycles; each of them would
    otherwise count towards a collection that walks every one of them again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _checked_build(root: Any, source: str) -> Document:
    """The document of ``root`` once it has passed the schema, read while the check runs."""
    if root.getprevious() is not None or root.getnext() is not None:
        # lxml checks a root with sibling comments in a temporary document that re-parents the
        # root's children meanwhile, so no other thread may walk the tree then.
        _refuse_schema_errors(schema_errors(root), source)
        return _with_extensions(*_build(root, source))
    outcome: list[Any] = []

    def check() -> None:
        try:
            outcome.append(schema_errors(root))
        except BaseException as error:  # handed to the loading thread, never lost
            outcome.append(error)

    checker = threading.Thread(target=check, name="stipa schema check", daemon=True)
    checker.start()
    built: tuple[Document, list[Any]] | None = None
    failure: Exception | None = None
    try:
        built = _build(root, source)
    except Exception as error:  # meaningless if the schema check fails, so decided after it
        failure = error
    finally:
        checker.join()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    _refuse_schema_errors(result, source)
    if failure is not None:
        raise failure
    assert built is not None
    return _with_extensions(*built)


def _with_extensions(doc: Document, foreign: list[Any]) -> Document:
    """``doc`` keeping the plugins' foreign elements (copied only once no other thread reads)."""
    doc.extensions = tuple([_extension(element) for element in foreign])
    return doc


def _refuse_schema_errors(errors: list[tuple[int | None, str]], source: str) -> None:
    if errors:
        raise FileFormatError(source, [FileProblem(source, line, text) for line, text in errors])


def _build(root: Any, source: str) -> tuple[Document, list[Any]]:
    """The document of a schema-valid ``root`` and its plugins' foreign elements.

    Run on a root that breaks the schema, it may raise anything.
    """
    problems: list[FileProblem] = []
    records: list[Any] = []
    layouts: list[Any] = []
    info: DocumentInfo | None = None
    foreign: list[Any] = []
    for section in root:
        tag = section.tag
        if not isinstance(tag, str):
            continue
        reader = _SECTION_READERS.get(tag)
        if reader is not None:
            append = records.append
            for element in section:
                if element.__class__ is not _ELEMENT:  # a comment
                    continue
                try:
                    append(reader(element))
                except _Bad as bad:
                    problems.append(FileProblem(source, bad.line, str(bad)))
                except (ValueError, TypeError) as error:
                    problems.append(FileProblem(source, element.sourceline, _sentence(error)))
        elif tag == v.INFO:
            info = _read_info(section)
        elif tag == v.DIAGRAM:
            for element in section:
                layout_tag = element.tag
                try:
                    if layout_tag == v.NODE:
                        layouts.append(_read_node(element))
                    elif layout_tag == v.ROUTE:
                        layouts.append(_read_route(element))
                except (ValueError, TypeError) as error:
                    problems.append(FileProblem(source, element.sourceline, _sentence(error)))
        else:
            foreign.append(section)
    if problems:
        raise FileFormatError(source, problems)
    doc, model_problems = Document.assemble(records, layouts, info, schema_valid=True)
    if model_problems:
        raise FileFormatError(source, _locate(root, source, model_problems))
    return doc, foreign


def _sentence(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text if text.endswith(".") else text + "."


def _extension(element: Any) -> str:
    """A plugin's foreign element as standalone XML, declaring only the namespaces it uses."""
    detached = copy.deepcopy(element)
    detached.tail = None
    etree.cleanup_namespaces(detached)
    text: str = etree.tostring(detached, encoding="unicode", with_tail=False)
    return text


def _locate(root: Any, source: str, problems: list[Problem]) -> list[FileProblem]:
    """Map the model's problems to the lines of the elements with those ids."""
    lines: dict[str, list[int]] = {}
    layout_lines: dict[str, list[int]] = {}
    for section in root:
        if section.tag in _SECTION_READERS:
            for element in section:
                if not isinstance(element.tag, str):
                    continue
                lines.setdefault(element.get("id", ""), []).append(element.sourceline)
                for child in element:
                    if child.tag in (v.VARIABLE, v.ITEM):
                        lines.setdefault(child.get("id", ""), []).append(child.sourceline)
        elif section.tag == v.DIAGRAM:
            for element in section:
                if isinstance(element.tag, str):
                    layout_lines.setdefault(element.get("id", ""), []).append(element.sourceline)
    located = []
    for problem in problems:
        line = None
        if problem.record_id is not None:
            about_layout = "layout" in problem.message.lower()
            found = (layout_lines if about_layout else lines).get(problem.record_id)
            found = found or lines.get(problem.record_id) or layout_lines.get(problem.record_id)
            if found:
                twice = "used twice" in problem.message or "two layouts" in problem.message
                line = found[1] if twice and len(found) > 1 else found[0]
        located.append(FileProblem(source, line, problem.message))
    return located


def _text_of(element: Any) -> str:
    text: str | None = element.text
    return text or ""


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(value.split()) if value else ()


# --- element readers -----------------------------------------------------------------------------
#
# These run once per element of every loaded file, so they are written for speed: bound ``get``
# methods, tags compared with module constants, and records made through ``_trusted``
# constructors (see ``stipa.model.records``), which skip ``__post_init__`` when the values
# already have their final types. Enum attributes are looked up in member tables; a value that
# is not a member (the schema refuses those) passes through unchanged, and the constructor then
# falls back to the public one, which refuses it with its usual error.


def _members(enum: Any) -> dict[str, Any]:
    return {member.value: member for member in enum}


_COMPONENT_KINDS = _members(ComponentKind)
_NATURES = _members(Nature)
_TRAINING = _members(TrainingLevel)
_LINK_KINDS = _members(LinkKind)
_UCA_TYPES = _members(UCAType)
_UCA_STATUSES = _members(UCAStatus)
_UCA_SUBTYPES = _members(UCASubtype)
_FACTORS = _members(CausalFactor)
_CATEGORIES = _members(ScenarioCategory)
_RACI_ROLES = _members(RaciRole)
_SEVERITIES = _members(Severity)
_DISPOSITIONS = _members(Disposition)
_SUGGESTION_STATUSES = _members(SuggestionStatus)
_ROUTINGS = _members(Routing)

_new_component: Callable[..., Component] = Component._trusted
_new_variable: Callable[..., ProcessVariable] = ProcessVariable._trusted
_new_link: Callable[..., Link] = Link._trusted
_new_item: Callable[..., LinkItem] = LinkItem._trusted
_new_loss: Callable[..., Loss] = Loss._trusted
_new_hazard: Callable[..., Hazard] = Hazard._trusted
_new_constraint: Callable[..., SystemConstraint] = SystemConstraint._trusted
_new_raci: Callable[..., RaciAssignment] = RaciAssignment._trusted
_new_responsibility: Callable[..., Responsibility] = Responsibility._trusted
_new_uca: Callable[..., UnsafeControlAction] = UnsafeControlAction._trusted
_new_controller_constraint: Callable[..., ControllerConstraint] = ControllerConstraint._trusted
_new_scenario: Callable[..., LossScenario] = LossScenario._trusted
_new_condition: Callable[..., Condition] = Condition._trusted
_new_context_rule: Callable[..., ContextRule] = ContextRule._trusted
_new_requirement: Callable[..., SafetyRequirement] = SafetyRequirement._trusted
_new_finding: Callable[..., Finding] = Finding._trusted
_new_suggestion: Callable[..., Suggestion] = Suggestion._trusted
_new_node: Callable[..., NodeLayout] = NodeLayout._trusted
_new_route: Callable[..., LinkLayout] = LinkLayout._trusted

_DESCRIPTION = v.DESCRIPTION
_VARIABLE = v.VARIABLE
_VALUE = v.VALUE
_RACI = v.RACI
_CONDITION = v.CONDITION
_DATA = v.DATA
_BEND = v.BEND


def _read_info(element: Any) -> DocumentInfo:
    get = element.get
    description = ""
    for child in element:
        if child.tag == _DESCRIPTION:
            description = child.text or ""
    return DocumentInfo(
        title=get("title", ""),
        version=get("version", ""),
        author=get("author", ""),
        organisation=get("organisation", ""),
        description=description,
    )


def _read_component(element: Any) -> Component:
    get = element.get
    description = ""
    variables = []
    properties = []
    for child in element:
        tag = child.tag
        if tag == _VARIABLE:
            values = tuple([value.text or "" for value in child if value.tag == _VALUE])
            cget = child.get
            variables.append(_new_variable(id=cget("id"), name=cget("name"), values=values))
        elif tag == _DESCRIPTION:
            description = child.text or ""
        elif tag.__class__ is str:
            properties.append(_read_property(child, get("id")))
    kind = get("kind")
    nature = get("nature")
    training = get("training", "")
    level = get("level")
    return _new_component(
        id=get("id"),
        name=get("name"),
        kind=_COMPONENT_KINDS.get(kind, kind),
        nature=_NATURES.get(nature, nature),
        role=get("role", ""),
        training=_TRAINING.get(training, training),
        description=description,
        variables=tuple(variables),
        properties=tuple(properties),
        parent=get("parent", ""),
        level=None if level is None else int(level),
        alias=get("alias", ""),
    )


def _read_property(element: Any, owner: str) -> Property:
    namespace, _, name = element.tag[1:].partition("}")
    attributes = element.attrib
    if len(element) or any(key != "unit" for key in attributes):
        raise _Bad(
            element.sourceline,
            f"The plugin property {name} of {owner} holds child elements or attributes other "
            "than unit, which Stipa cannot keep; plugin data that is not a single value "
            "belongs at the end of the file, after <diagram>.",
        )
    return Property(
        namespace=namespace, name=name, value=element.text or "", unit=attributes.get("unit", "")
    )


def _read_link(element: Any) -> Link:
    # The most numerous records, with the most numerous parts. The schema allows a link only
    # <item> elements, which have an id, and one <description>, which has none (nor has a
    # comment): asking for the id tells them apart without making the tag string. Items
    # without a description (no child elements) skip the loop over their children.
    get = element.get
    description = ""
    items = []
    for child in element:
        cget = child.get
        item_id = cget("id")
        if item_id is not None:
            item_description = ""
            if len(child):
                for part in child:
                    if part.tag == _DESCRIPTION:
                        item_description = part.text or ""
            items.append(
                _new_item(
                    id=item_id,
                    name=cget("name"),
                    description=item_description,
                    alias=cget("alias", ""),
                )
            )
        elif child.tag == _DESCRIPTION:
            description = child.text or ""
    kind = get("kind")
    return _new_link(
        id=get("id"),
        source=get("source"),
        target=get("target"),
        kind=_LINK_KINDS.get(kind, kind),
        items=tuple(items),
        description=description,
        alias=get("alias", ""),
    )


def _texts(element: Any, *required: str) -> dict[str, str]:
    """The text children of a record by field name (``causal-factor`` -> ``causal_factor``).

    Empty texts are not written, so ``required`` fields (those without a default) start as "".
    """
    texts = dict.fromkeys(required, "")
    fields = _TEXT_FIELDS
    for child in element:
        name = fields.get(child.tag)
        if name is not None:
            texts[name] = child.text or ""
    return texts


def _read_loss(element: Any) -> Loss:
    get = element.get
    return _new_loss(id=get("id", ""), alias=get("alias", ""), **_texts(element, "text"))


def _read_hazard(element: Any) -> Hazard:
    get = element.get
    return _new_hazard(
        id=get("id", ""),
        parent=get("parent"),
        losses=_ids(get("losses")),
        alias=get("alias", ""),
        **_texts(element, "text"),
    )


def _read_constraint(element: Any) -> SystemConstraint:
    get = element.get
    return _new_constraint(
        id=get("id", ""),
        hazards=_ids(get("hazards")),
        alias=get("alias", ""),
        **_texts(element, "text"),
    )


def _read_responsibility(element: Any) -> Responsibility:
    get = element.get
    raci = []
    for child in element:
        if child.tag == _RACI:
            role = child.get("role")
            raci.append(
                _new_raci(component=child.get("component"), role=_RACI_ROLES.get(role, role))
            )
    return _new_responsibility(
        id=get("id", ""),
        owner=get("owner"),
        constraints=_ids(get("constraints")),
        processes=_ids(get("processes")),
        raci=tuple(raci),
        alias=get("alias", ""),
        **_texts(element, "text"),
    )


def _read_uca(element: Any) -> UnsafeControlAction:
    get = element.get
    kind, status, subtype = get("type"), get("status"), get("subtype", "")
    return _new_uca(
        id=get("id", ""),
        action=get("action"),
        type=_UCA_TYPES.get(kind, kind),
        status=_UCA_STATUSES.get(status, status),
        subtype=_UCA_SUBTYPES.get(subtype, subtype),
        hazards=_ids(get("hazards")),
        alias=get("alias", ""),
        **_texts(element),
    )


def _read_controller_constraint(element: Any) -> ControllerConstraint:
    get = element.get
    return _new_controller_constraint(
        id=get("id", ""), ucas=_ids(get("ucas")), alias=get("alias", ""), **_texts(element, "text")
    )


def _read_scenario(element: Any) -> LossScenario:
    get = element.get
    category, factor = get("category", ""), get("factor", "")
    return _new_scenario(
        id=get("id", ""),
        category=_CATEGORIES.get(category, category),
        factor=_FACTORS.get(factor, factor),
        ucas=_ids(get("ucas")),
        hazards=_ids(get("hazards")),
        alias=get("alias", ""),
        **_texts(element, "text"),
    )


def _read_context_rule(element: Any) -> ContextRule:
    get = element.get
    conditions = tuple(
        [
            _new_condition(variable=child.get("variable"), value=child.get("value"))
            for child in element
            if child.tag == _CONDITION
        ]
    )
    kind, subtype = get("type"), get("subtype", "")
    return _new_context_rule(
        id=get("id", ""),
        action=get("action"),
        type=_UCA_TYPES.get(kind, kind),
        subtype=_UCA_SUBTYPES.get(subtype, subtype),
        alias=get("alias", ""),
        hazardous=get("hazardous").strip() in ("true", "1"),
        hazards=_ids(get("hazards")),
        conditions=conditions,
        **_texts(element),
    )


def _read_requirement(element: Any) -> SafetyRequirement:
    get = element.get
    return _new_requirement(
        id=get("id", ""),
        scenarios=_ids(get("scenarios")),
        ucas=_ids(get("ucas")),
        hazards=_ids(get("hazards")),
        constraints=_ids(get("constraints")),
        alias=get("alias", ""),
        **_texts(element, "text"),
    )


def _read_finding(element: Any) -> Finding:
    get = element.get
    data = tuple([(child.get("key"), child.text or "") for child in element if child.tag == _DATA])
    severity, disposition = get("severity"), get("disposition")
    return _new_finding(
        id=get("id"),
        plugin=get("plugin"),
        rule=get("rule"),
        severity=_SEVERITIES.get(severity, severity),
        disposition=_DISPOSITIONS.get(disposition, disposition),
        source=get("source", ""),
        targets=_ids(get("targets")),
        data=data,
        **_texts(element, "message"),
    )


def _read_suggestion(element: Any) -> Suggestion:
    get = element.get
    proposal = None
    for child in element:
        if child.tag == v.PROPOSAL:
            for part in child:
                reader = _PROPOSAL_READERS.get(part.tag)
                if reader is not None:
                    proposal = reader(part)
    status = get("status")
    return _new_suggestion(
        id=get("id"),
        plugin=get("plugin"),
        rule=get("rule"),
        status=_SUGGESTION_STATUSES.get(status, status),
        targets=_ids(get("targets")),
        proposal=proposal,
        **_texts(element, "message"),
    )


def _read_node(element: Any) -> NodeLayout:
    get = element.get
    return _new_node(
        id=get("id"),
        x=float(get("x")),
        y=float(get("y")),
        width=float(get("width")),
        height=float(get("height")),
        collapsed=get("collapsed") in ("true", "1"),
    )


def _read_route(element: Any) -> LinkLayout:
    get = element.get
    bends = tuple(
        [(float(child.get("x")), float(child.get("y"))) for child in element if child.tag == _BEND]
    )
    routing = get("routing")
    return _new_route(
        id=get("id"),
        routing=_ROUTINGS.get(routing, routing),
        bends=bends,
        label_dx=float(get("label-dx", "0")),
        label_dy=float(get("label-dy", "0")),
    )


_TEXT_FIELDS = {
    v.TEXT: "text",
    v.DESCRIPTION: "description",
    v.RATIONALE: "rationale",
    v.CONTEXT: "context",
    v.MESSAGE: "message",
    v.CAUSAL_FACTOR: "causal_factor",
}
_PROPOSAL_READERS: dict[str, _Reader] = {
    v.q("loss"): _read_loss,
    v.q("hazard"): _read_hazard,
    v.q("constraint"): _read_constraint,
    v.q("responsibility"): _read_responsibility,
    v.q("uca"): _read_uca,
    v.q("controller-constraint"): _read_controller_constraint,
    v.q("scenario"): _read_scenario,
    v.q("context-rule"): _read_context_rule,
    v.q("requirement"): _read_requirement,
}
_READERS_BY_TABLE: dict[str, _Reader] = {
    "components": _read_component,
    "links": _read_link,
    "losses": _read_loss,
    "hazards": _read_hazard,
    "constraints": _read_constraint,
    "responsibilities": _read_responsibility,
    "ucas": _read_uca,
    "controller_constraints": _read_controller_constraint,
    "scenarios": _read_scenario,
    "context_rules": _read_context_rule,
    "requirements": _read_requirement,
    "findings": _read_finding,
    "suggestions": _read_suggestion,
}
_SECTION_READERS: dict[str, _Reader] = {
    v.q(section): _READERS_BY_TABLE[name] for name, (section, _tag) in v.SECTIONS.items()
}

__all__ = ["load", "loads", "validate"]
