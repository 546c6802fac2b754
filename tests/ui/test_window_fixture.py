"""The ``stipa_window`` fixture plugin authors get: a real main window, no modal dialogs."""

from __future__ import annotations

import pytest

import stipa
from stipa.plugin import PluginHost

pytestmark = pytest.mark.gui


def test_stipa_window_opens_the_document_and_never_blocks_on_a_dialog(qtbot, stipa_window) -> None:
    doc = stipa.Document()
    doc.add(stipa.Component(name="Triage model", nature="ai_model"))
    host = PluginHost()
    window = stipa_window(doc, host=host)
    assert window.isVisible() and window.document is doc and window.host is host
    assert set(window.diagram.components) == {"C-1"}
    window.show_error("Cannot save", "The disk is full.")
    assert stipa_window.errors == [("Cannot save", "The disk is full.")]
    window.document.add(stipa.Component(name="Nurse", nature="human"))
    assert window.document.modified
    assert window.close()  # unsaved changes: discarded without asking


def test_stipa_window_can_stay_hidden(stipa_window) -> None:
    window = stipa_window(show=False)
    assert not window.isVisible() and len(window.document) == 0


def test_stipa_window_answers_questions_as_told(stipa_window, tmp_path) -> None:
    path = tmp_path / "one.stipa"
    doc = stipa.Document()
    doc.add(stipa.Component(name="Pilot"))
    stipa.save(doc, path)
    window = stipa_window()
    assert window.open_path(path)
    elsewhere = stipa.load(path)  # another program changes the file meanwhile
    elsewhere.add(stipa.Component(name="Co-pilot"))
    stipa.save(elsewhere, path)
    theirs = path.read_bytes()
    window.document.add(stipa.Component(name="Nurse"))
    assert not window.save()  # "overwrite their changes?" is declined by default
    assert [name for name, _arguments in stipa_window.questions] == ["ask_overwrite_changed"]
    assert path.read_bytes() == theirs
    stipa_window.answers["ask_overwrite_changed"] = True
    assert window.save()
    assert {c.name for c in stipa.load(path).components.values()} == {"Pilot", "Nurse"}
