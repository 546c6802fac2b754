"""A corpus of bad files: each gives a clear error naming the file (and line), never a crash."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from stipa_io_samples import DATA, GOLDEN_V1

import stipa.io
from stipa.io import FileFormatError, FileProblem, load, loads, validate

BAD = DATA / "bad"

#: file in tests/data/bad -> (line of the first problem or None, phrase the message contains)
CORPUS: dict[str, tuple[int | None, str]] = {
    "truncated.stipa": (31, "truncated"),
    "mismatched-tag.stipa": (6, "not well-formed XML"),
    "wrong-namespace.stipa": (2, "wrong namespace"),
    "future-version.stipa": (None, "newer Stipa (format version 3)"),
    "dangling-ids.stipa": (10, "L-9, which is not a loss"),
    "duplicate-ids.stipa": (11, "The id H-4 is used twice."),
    "not-xml.stipa": (1, "not a Stipa document"),
    "empty.stipa": (None, "empty"),
    "wrong-root.stipa": (2, "starts with <svg>"),
    "no-format.stipa": (2, "no format version"),
    "bad-enum.stipa": (6, "'robot'"),
    "unknown-element.stipa": (7, "<severity>"),
    "missing-id.stipa": (5, "'id' is required"),
    "processing-instruction.stipa": (2, "Processing instructions"),
    "latin1.stipa": (1, "must be UTF-8"),
    "schema-location.stipa": (4, "external schemas"),
    "complex-property.stipa": (6, "cannot keep"),
    "sensor-control-action.stipa": (9, "sensors send feedback"),
    "bad-number.stipa": (8, "'forty'"),
    "unqualified-extension.stipa": (4, "<notes>"),
}


def check(error: FileFormatError, source: str, line: int | None, phrase: str) -> None:
    assert error.source == source
    assert error.problems, "an error without problems"
    first = error.problems[0]
    assert isinstance(first, FileProblem)
    assert first.source == source
    assert first.line == line
    assert phrase in first.message
    text = str(first)
    expected = f"{source}:{line}: " if line is not None else f"{source}: "
    assert text.startswith(expected)
    assert "Traceback" not in str(error) and "\n" not in first.message
    assert first.message[0].isupper() and first.message.endswith((".", ")"))


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.glob("*.stipa")) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_gives_a_clear_error(name: str) -> None:
    line, phrase = CORPUS[name]
    path = BAD / name
    with pytest.raises(FileFormatError) as caught:
        load(path)
    check(caught.value, str(path), line, phrase)
    assert validate(path) == caught.value.problems


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_bytes_name_the_given_source(name: str) -> None:
    line, phrase = CORPUS[name]
    with pytest.raises(FileFormatError) as caught:
        loads((BAD / name).read_bytes(), "wheel.stipa")
    check(caught.value, "wheel.stipa", line, phrase)


def test_every_problem_is_reported_with_its_line() -> None:
    data = (BAD / "dangling-ids.stipa").read_bytes()
    data = data.replace(b"  </hazards>", b'    <hazard id="H-2" losses="L-7"/>\n  </hazards>')
    problems = validate_bytes(data)
    assert [(p.line, p.message[:24]) for p in problems] == [
        (10, "H-1 refers in losses to "),
        (13, "H-2 refers in losses to "),
    ]


def validate_bytes(data: bytes) -> list[FileProblem]:
    try:
        loads(data, "x.stipa")
    except FileFormatError as error:
        return error.problems
    return []


XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE stipa [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<stipa xmlns="https://stipa.dev/ns/document" format="1">
  <info title="&xxe;"/>
</stipa>
"""


def billion_laughs() -> bytes:
    entities = ['  <!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'  <!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n'
        + "\n".join(entities)
        + '\n]>\n<stipa xmlns="https://stipa.dev/ns/document" format="1">\n'
        + '  <info title="&lol9;"/>\n</stipa>\n'
    ).encode()


@pytest.mark.parametrize(
    "data",
    [
        XXE,
        billion_laughs(),
        XXE.replace(b"file:///etc/passwd", b"http://127.0.0.1:9/evil"),
        # a parameter entity pulling an external DTD
        b'<?xml version="1.0"?>\n<!DOCTYPE stipa SYSTEM "http://127.0.0.1:9/x.dtd">\n<stipa/>',
        # hidden behind a comment
        b'<?xml version="1.0"?>\n<!-- harmless -->\n<!DOCTYPE stipa [<!ENTITY a "b">]>\n<stipa/>',
    ],
    ids=["xxe-file", "billion-laughs", "xxe-network", "external-dtd", "after-comment"],
)
def test_dtds_are_refused_outright(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "hostile.stipa"
    path.write_bytes(data)
    started = time.perf_counter()
    with pytest.raises(FileFormatError) as caught:
        load(path)
    assert time.perf_counter() - started < 2
    first = caught.value.problems[0]
    assert first.source == str(path)
    assert first.line is not None and first.line >= 2
    assert "DTDs are not allowed in .stipa files" in first.message
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd leaks into messages


def test_undeclared_entities_are_refused() -> None:
    data = b'<stipa xmlns="https://stipa.dev/ns/document" format="1">\n<info title="&x;"/></stipa>'
    with pytest.raises(FileFormatError) as caught:
        loads(data, "e.stipa")
    assert str(caught.value).startswith("e.stipa:2: Entities are not allowed")


def test_200_megabyte_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.stipa"
    with path.open("wb") as stream:  # sparse: no 200 MB written to the disk
        stream.write(b'<?xml version="1.0"?>\n<stipa xmlns="https://stipa.dev/ns/document">')
        stream.truncate(200 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(FileFormatError) as caught:
        load(path)
    assert time.perf_counter() - started < 1
    message = str(caught.value)
    assert message.startswith(f"{path}: The file is too large to open (200.0 MiB")
    assert validate(path) == caught.value.problems


def test_oversized_bytes_are_refused() -> None:
    with pytest.raises(FileFormatError, match="too large"):
        loads(GOLDEN_V1.read_bytes(), "g.stipa", max_bytes=1000)
    with pytest.raises(FileFormatError, match="too large"):
        load(GOLDEN_V1, max_bytes=1000)


def test_deep_nesting_is_refused_without_a_crash() -> None:
    depth = 100_000
    data = (
        b'<stipa xmlns="https://stipa.dev/ns/document" format="1"><info/>'
        + b"<rv:a xmlns:rv='urn:r'>" * depth
        + b"</rv:a>" * depth
        + b"</stipa>"
    )
    with pytest.raises(FileFormatError) as caught:
        loads(data, "deep.stipa")
    assert str(caught.value).startswith("deep.stipa:1: The file is not well-formed XML")


def test_utf16_is_refused() -> None:
    data = GOLDEN_V1.read_text(encoding="utf-8").encode("utf-16")
    with pytest.raises(FileFormatError, match="UTF-8"):
        loads(data, "u.stipa")


def test_validate_reports_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.stipa"
    [problem] = validate(missing)
    assert str(problem).startswith(f"{missing}: The file cannot be read")
    [problem] = validate(tmp_path)  # a folder
    assert problem.source == str(tmp_path)
    with pytest.raises(OSError):
        load(missing)


def test_validate_accepts_the_golden_file() -> None:
    assert validate(GOLDEN_V1) == []


def test_cli_style_use_prints_one_line_per_problem(tmp_path: Path) -> None:
    """What `stipa validate` prints: no traceback, file and line first."""
    script = (
        "import sys, stipa.io\n"
        "problems = stipa.io.validate(sys.argv[1])\n"
        "print('\\n'.join(map(str, problems)))\n"
        "sys.exit(1 if problems else 0)\n"
    )
    path = BAD / "duplicate-ids.stipa"
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stdout == f"{path}:11: The id H-4 is used twice.\n"
    assert result.stderr == ""


def test_error_string_lists_every_problem() -> None:
    error = FileFormatError(
        "w.stipa", [FileProblem("w.stipa", 3, "One."), FileProblem("w.stipa", None, "Two.")]
    )
    assert str(error) == "w.stipa:3: One.\nw.stipa: Two."
    assert stipa.io.FileFormatError is FileFormatError
