"""The hardened readers of other tools' files: the same hostile-file rules as .stipa files."""

from __future__ import annotations

import pytest

from stipa.io import FileFormatError, parse_foreign_json, parse_foreign_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<root>&lol2;</root>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "DTDs are not allowed in XSTAMPP files"),
        (EXTERNAL, "DTDs are not allowed in XSTAMPP files"),
        (b"<r>&undefined;</r>", "Entities are not allowed in XSTAMPP files"),
        (b"<root><a>truncated", "not well-formed XML"),
        (b"", "The file is empty"),
        (b"plain text", "This is not an XML file"),
        (b'<?xml version="1.0" encoding="UTF-16"?><r/>', "declares the encoding UTF-16"),
    ],
)
def test_hostile_xml_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(FileFormatError, match=message) as caught:
        parse_foreign_xml(data, "evil.haz", "XSTAMPP files")
    assert len(caught.value.problems) == 1


def test_oversized_xml_is_refused_before_parsing() -> None:
    with pytest.raises(FileFormatError, match="too large"):
        parse_foreign_xml(b"<r>" + b"x" * 2000 + b"</r>", "big.xml", max_bytes=1000)


def test_foreign_xml_keeps_what_tools_write() -> None:
    data = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<a:root xmlns:a="astpa.model" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xsi:schemaLocation="x y"><title>Tab&#9;and&#13;&#10;line</title></a:root>'
    )
    root = parse_foreign_xml(data, "ok.haz")
    assert root.findtext("title") == "Tab\tand\r\nline"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[" * 65 + b"]" * 65, "nests deeper than 64 levels"),
        (b'{"a": [1, 2', "not valid JSON"),
        (b"", "The file is empty"),
        (b'{"a": "\xff"}', "not UTF-8"),
    ],
)
def test_hostile_json_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(FileFormatError, match=message) as caught:
        parse_foreign_json(data, "evil.json")
    assert len(caught.value.problems) == 1


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    text = '{"text": "' + "[" * 100 + '\\"]"}'
    assert parse_foreign_json(text.encode(), "ok.json") == {"text": "[" * 100 + '"]'}


def test_oversized_json_is_refused() -> None:
    with pytest.raises(FileFormatError, match="too large"):
        parse_foreign_json(b"[" + b"1," * 1000 + b"1]", "big.json", max_bytes=100)
