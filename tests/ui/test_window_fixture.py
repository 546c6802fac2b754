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
    window = stipa_window()
    assert window.ask_reload(path) is False  # no, unless the test says yes
    stipa_window.answers["ask_reload"] = True
    assert window.ask_reload(path) is True
    assert stipa_window.questions == [("ask_reload", (path,)), ("ask_reload", (path,))]
