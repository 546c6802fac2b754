"""Fixtures of the operation tests: a small drawn control structure, and undo-all checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stipa import io
from stipa.model import Component, Document, Link, LinkItem, NodeLayout


@pytest.fixture
def drawn() -> Document:
    """Controller C-1 -> Actuator C-2 (control action CA-1), C-3 sensor feeding C-1 back."""
    doc = Document()
    with doc.transaction("Draw"):
        c1 = doc.add(Component(name="BSCU", kind="controller", nature="software"))
        c2 = doc.add(Component(name="Brakes", kind="actuator", nature="physical"))
        c3 = doc.add(Component(name="Wheel speed", kind="sensor", nature="physical"))
        for index, component in enumerate((c1, c2, c3)):
            doc.set_layout(NodeLayout(id=component.id, x=100.0 * index, y=50.0 * index))
        doc.add(Link(source=c1.id, target=c2.id, items=(LinkItem(name="Brake"),)))
        doc.add(Link(source=c3.id, target=c1.id, kind="feedback", items=(LinkItem(name="Speed"),)))
    return io.loads(io.dumps(doc))  # loaded: no undo history


@pytest.fixture
def undone_is_identical() -> Callable[[Document, bytes], None]:
    """``check(doc, before)``: one undo returns ``doc`` to the saved bytes ``before``."""

    def check(doc: Document, before: bytes) -> None:
        assert io.dumps(doc) != before
        doc.undo()
        assert io.dumps(doc) == before
        assert not doc.can_undo

    return check
