"""Small documents the UI tests open: saved to a file, and the names their components have."""

from __future__ import annotations

from pathlib import Path

from stipa import io
from stipa.model import Component, Document


def saved(path: Path, *names: str) -> Path:
    """A document of components named ``names``, saved to ``path``; returns ``path``."""
    doc = Document()
    for name in names:
        doc.add(Component(name=name))
    io.save(doc, path)
    return path


def names(doc: Document) -> list[str]:
    """The names of the components of ``doc``, in document order."""
    return [component.name for component in doc.components.values()]
