"""Issue 15: the loader lets only FileFormatError/OSError out; save keeps load's size limit,
refuses read-only files and writes through links (items 2, 5, 10, 13)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stipa_io_samples import GOLDEN_V1

import stipa
from stipa.io import (
    MAX_FILE_BYTES,
    FileFormatError,
    FileTooLargeError,
    load,
    loads,
    save,
    validate,
    write_atomically,
)
from stipa.model import Document, Finding, Loss, Severity
from stipa.resources import examples

# --- item 10: only FileFormatError (or OSError) ever leaves the loader -------------------------

_GOLDEN = GOLDEN_V1.read_bytes()


@pytest.mark.parametrize("version", ["²", "1" * 4301, "٣", "1.0", "-1", " 1e3 "])
def test_odd_format_versions_are_format_errors(version: str) -> None:
    data = re.sub(rb'format="1"', f'format="{version}"'.encode(), _GOLDEN, count=1)
    with pytest.raises(FileFormatError, match=r"format version .* is not a whole number"):
        loads(data, "v.stipa")


def test_a_long_version_is_shortened_in_the_message() -> None:
    data = re.sub(rb'format="1"', b'format="' + b"9" * 4301 + b'"', _GOLDEN, count=1)
    with pytest.raises(FileFormatError) as caught:
        loads(data, "v.stipa")
    assert len(str(caught.value)) < 200


_EXAMPLES = [path.read_bytes() for path in examples()] + [_GOLDEN]
#: Values to put in attributes and texts: numbers Python reads differently from XML, huge
#: and odd numbers, non-ASCII digits, markup and control characters.
_ODD_SAMPLES = st.sampled_from(
    [
        "²",
        "1" * 4301,
        "1e400",
        "-1e400",
        "nan",
        "inf",
        "1e23",
        "",
        " ",
        "0x10",
        "&amp;",
        "<",
        "]]>",
        "\u202e",
        "١٢",
        "-0",
        "9" * 30,
        "true",
        "L-1 L-1",
        "\x00",
    ]
)
_ODD_VALUES = st.one_of(_ODD_SAMPLES, _ODD_SAMPLES, _ODD_SAMPLES, st.text(max_size=12))
_ATTRIBUTE = re.compile(rb'="([^"]*)"')


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(_EXAMPLES))
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["root", "value", "value", "cut", "insert", "bytes"]))
        if kind in ("root", "value"):
            spans = [m.span(1) for m in _ATTRIBUTE.finditer(data)]
            # the root's attributes (namespace, format version) come first
            start, end = draw(st.sampled_from(spans[:2] if kind == "root" else spans))
            value = draw(_ODD_VALUES).encode("utf-8", "surrogatepass")
            data = data[:start] + value + data[end:]
            continue
        start = draw(st.integers(0, len(data)))
        end = min(len(data), start + draw(st.integers(0, 64)))
        if kind == "cut":
            data = data[:start] + data[end:]
        elif kind == "insert":
            data = data[:start] + data[start:end] + data[start:]
        else:
            data = data[:start] + draw(st.binary(min_size=1, max_size=8)) + data[end:]
    return data


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_mutated())
def test_mutated_examples_load_or_fail_with_a_format_error(data: bytes) -> None:
    try:
        loads(data, "fuzz.stipa")
    except FileFormatError as error:
        assert error.problems and all(p.source == "fuzz.stipa" for p in error.problems)


# --- item 2: what Stipa writes, Stipa reads ----------------------------------------------------


def _document_of_size(findings: int) -> Document:
    doc = Document()
    doc.add(Loss(text="Loss"))
    with doc.transaction("many findings"):
        for n in range(findings):
            doc.add(
                Finding(
                    plugin="acme.check",
                    rule="R1",
                    severity=Severity.INFO,
                    message=f"finding number {n}",
                    targets=("L-1",),
                )
            )
    return doc


def test_save_refuses_a_document_load_would_refuse_and_keeps_the_old_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "big.stipa"
    save(_document_of_size(1), path)
    before = path.read_bytes()
    doc = _document_of_size(200)
    with pytest.raises(FileTooLargeError) as caught:
        save(doc, path, max_bytes=len(before) + 1000)
    assert str(caught.value).startswith(f"{path}: The document is too large to save")
    assert caught.value.limit == len(before) + 1000 and caught.value.size > caught.value.limit
    assert path.read_bytes() == before
    assert doc.modified  # not saved
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.stipa"]  # no temporary left


def test_save_and_load_share_one_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.stipa"
    doc = _document_of_size(50)
    save(doc, path, max_bytes=10**9)
    size = path.stat().st_size
    with pytest.raises(FileTooLargeError) as caught:
        load(path, max_bytes=size - 1)
    assert caught.value.size == size
    with pytest.raises(FileTooLargeError):
        save(doc, tmp_path / "again.stipa", max_bytes=size - 1)
    assert len(load(path, max_bytes=size).findings) == 50  # the explicit way to open it
    assert validate(path, max_bytes=size) == []
    assert validate(path, max_bytes=size - 1)[0].message.startswith("The file is too large")
    assert MAX_FILE_BYTES == stipa.io.MAX_FILE_BYTES == 100 * 1024 * 1024


# --- item 5: a read-only file is refused, not replaced -----------------------------------------


def test_save_over_a_read_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.stipa"
    save(_document_of_size(1), path)
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(PermissionError) as caught:
        save(_document_of_size(3), path)
    assert "read-only" in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.stipa"]


# --- item 13: one way to write a file ----------------------------------------------------------


def test_write_atomically_writes_through_a_link_keeps_modes_and_respects_the_umask(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    old = os.umask(0o027)
    try:
        write_atomically(tmp_path / "fresh.txt", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "fresh.txt").stat().st_mode) == 0o640
