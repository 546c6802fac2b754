"""Guards for the Qt platform facts in QT.md: fonts, the pinned PySide6, the None refcount."""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.gui

PySide6 = pytest.importorskip("PySide6")


def test_pyside6_is_pinned_to_6_11() -> None:
    # 6.12.0 drops a reference to None on every void call and aborts the process (QT.md).
    from PySide6 import QtCore

    assert PySide6.__version__.startswith("6.11."), PySide6.__version__
    assert QtCore.qVersion().startswith("6.11."), QtCore.qVersion()


def test_dejavu_sans_is_installed(qapp: object) -> None:
    # Without fonts Qt warns about nothing: every glyph becomes an empty box.
    from PySide6.QtGui import QFontDatabase

    families = QFontDatabase.families()
    assert "DejaVu Sans" in families, (
        "DejaVu Sans is missing (Debian package fonts-dejavu-core; run `make sysdeps`). "
        f"Qt sees: {families}"
    )


def test_void_calls_do_not_drop_references_to_none(qapp: object) -> None:
    from PySide6.QtWidgets import QGraphicsRectItem

    item = QGraphicsRectItem(0, 0, 10, 10)
    item.setPos(1, 2)  # warm up any one-time caches
    before = sys.getrefcount(None)
    for _ in range(1000):
        item.setPos(1, 2)
    after = sys.getrefcount(None)
    assert after >= before, (
        f"sys.getrefcount(None) fell by {before - after} over 1000 setPos calls: this PySide6 "
        "build leaks None references and will abort with `none_dealloc` (see QT.md)."
    )
