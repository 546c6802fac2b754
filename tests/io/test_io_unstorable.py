"""Text XML cannot hold is refused on save, naming the record, whichever character it is."""

from __future__ import annotations

import pytest

from stipa.io import FileFormatError, dumps
from stipa.model import Component, Document, Loss


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1f", "\ufffe", "\uffff", "\ud800"])
@pytest.mark.parametrize("where", ["name", "description"])
def test_unstorable_character_is_refused(character: str, where: str) -> None:
    # The model refuses such text in edits; a document assembled without checks can hold it.
    fields = {"name": "Pump", "description": ""} | {where: f"a{character}b"}
    doc, problems = Document.assemble([Component(id="C-1", **fields), Loss(id="L-1", text="ok")])
    assert problems
    with pytest.raises(FileFormatError) as caught:
        dumps(doc, "w.stipa")
    assert str(caught.value).startswith("w.stipa: C-1 holds a control character")


@pytest.mark.parametrize(
    "text", ["tab\tnewline\ncr\r", "\u00ff\u0100\ud7ff\ue000\ufffd", "\U0001f600"]
)
def test_storable_text_is_kept(text: str) -> None:
    doc, problems = Document.assemble([Component(id="C-1", name="Pump", description=text)])
    assert not problems
    assert text.encode("utf-8") in dumps(doc).replace(b"&#13;", b"\r")
