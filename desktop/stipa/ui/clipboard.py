"""Cut, copy, paste and duplicate of diagram elements, through the system clipboard.

The clipboard carries a small ``.stipa`` document (the selected components, the links among
them and their layout) under :data:`STIPA_MIME`, so elements move between windows and between
processes; the component names go along as plain text for other applications.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData, QObject, QPointF
from PySide6.QtGui import QAction, QCursor, QGuiApplication, QKeySequence

from stipa import io
from stipa.model import Document, ModelError
from stipa.operations import clipboard as records
from stipa.ui.actions import Shortcuts, make_action
from stipa.ui.following import DocumentFollower

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext

#: MIME type of Stipa elements on the clipboard: a ``.stipa`` document.
STIPA_MIME = "application/x-stipa+xml"
#: How far each repeated paste (and each duplicate) moves from the previous one.
PASTE_OFFSET = 20.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("Clipboard", text)


def _counted(one: str, many: str, n: int) -> str:
    """``one`` when ``n`` is 1, else ``many`` with ``{0}`` replaced by ``n`` (translated)."""
    return _tr(one) if n == 1 else _tr(many).format(n)


class ClipboardActions(QObject):
    """The Edit menu's cut, copy, paste and duplicate for one main window (which puts
    :attr:`actions` into its Edit menu and toolbar)."""

    def __init__(self, window: PanelContext) -> None:
        super().__init__(window.window())
        self.window = window
        #: (clipboard data, mouse anchor) of the last paste, and how often it was repeated.
        self._last_paste: tuple[bytes, tuple[float, float] | None] | None = None
        self._repeat = 0
        self.actions = self._build_actions()
        self.follower = DocumentFollower(
            self, window, on_replaced=self._update_actions, on_selection=self._update_actions
        )
        self._update_actions()

    # --- construction ------------------------------------------------------------------------
    def _build_actions(self) -> dict[str, QAction]:
        key = QKeySequence.StandardKey
        not_copied = _tr("STPA records and findings are not copied.")
        specs: list[tuple[str, str, str, Callable[[], object], Shortcuts]] = [
            (
                "cut",
                _tr("Cu&t"),
                _tr("Move the selected components and the links among them to the clipboard.")
                + " "
                + not_copied,
                self.cut,
                key.Cut,
            ),
            (
                "copy",
                _tr("&Copy"),
                _tr(
                    "Copy the selected components, the links among them and their layout "
                    "to the clipboard."
                )
                + " "
                + not_copied,
                self.copy,
                key.Copy,
            ),
            (
                "paste",
                _tr("&Paste"),
                _tr("Paste components and links from the clipboard, with new ids."),
                self.paste,
                key.Paste,
            ),
            (
                "duplicate",
                _tr("D&uplicate"),
                _tr(
                    "Duplicate the selected components and the links among them, "
                    "without using the clipboard."
                )
                + " "
                + not_copied,
                self.duplicate,
                [QKeySequence("Ctrl+D")],
            ),
        ]
        parent = self.window.window()
        return {
            name: make_action(parent, name, text, tooltip, slot, shortcuts)
            for name, text, tooltip, slot, shortcuts in specs
        }

    # --- state -------------------------------------------------------------------------------
    def _selected_components(self) -> list[str]:
        diagram = self.window.diagram
        return [i for i in diagram.selected_ids() if i in self.window.document.components]

    def _update_actions(self) -> None:
        has = bool(self._selected_components())
        for name in ("cut", "copy", "duplicate"):
            self.actions[name].setEnabled(has)

    def _busy(self) -> bool:
        """True while a name is edited in place (the editor handles its own shortcuts)."""
        return self.window.view.editor is not None

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    # --- the commands ------------------------------------------------------------------------
    def copy(self) -> bool:
        """Put the selected components and the links among them on the clipboard."""
        if self._busy():
            return False
        ids = self._selected_components()
        if not ids:
            self._say(_tr("Select components to copy."))
            return False
        doc = self.window.document
        data = io.dumps(records.copy_selection(doc, ids))
        mime = QMimeData()
        mime.setData(STIPA_MIME, QByteArray(data))
        mime.setText("\n".join(doc.components[cid].name for cid in ids))
        QGuiApplication.clipboard().setMimeData(mime)
        self._last_paste, self._repeat = None, 0
        self._say(_counted("Copied 1 component.", "Copied {0} components.", len(ids)))
        return True

    def cut(self) -> None:
        """Copy the selection, then delete it; the deletion is one undo step."""
        if not self.copy():
            return
        ids = self._selected_components()
        doc = self.window.document
        try:
            records.cut(doc, ids, _counted("Cut 1 component", "Cut {0} components", len(ids)))
        except ModelError as error:
            self._say(str(error))
            return
        # the first paste after a cut puts the elements back where they were
        self._last_paste, self._repeat = (self._clipboard_data() or b"", None), -1

    def paste(self) -> None:
        """Add the clipboard's elements with new ids, moved aside, and select them."""
        if self._busy():
            return
        data = self._clipboard_data()
        if data is None:
            self._say(_tr("The clipboard holds no Stipa elements to paste."))
            return
        try:
            clip = io.loads(data, "clipboard")
        except (io.FileFormatError, ValueError) as error:
            reason = str(error).splitlines()[0] if str(error) else ""
            self._say(
                _tr("Cannot paste: the clipboard does not hold valid Stipa elements ({0}).").format(
                    reason
                )
            )
            return
        if not clip.components:
            self._say(_tr("The clipboard holds no Stipa elements to paste."))
            return
        anchor = self._mouse_anchor()
        key = (data, None if anchor is None else (anchor.x(), anchor.y()))
        # beside the originals (or at the mouse), then one more step per repeated paste
        fresh = 1 if anchor is None else 0
        self._repeat = self._repeat + 1 if key == self._last_paste else fresh
        self._last_paste = key
        if anchor is None:
            dx = dy = PASTE_OFFSET * self._repeat
        else:
            left, top = records.top_left(clip)
            dx = anchor.x() - left + PASTE_OFFSET * self._repeat
            dy = anchor.y() - top + PASTE_OFFSET * self._repeat
        self._add(clip, dx, dy)

    def duplicate(self) -> None:
        """Copy and paste the selection in one go, leaving the clipboard alone."""
        if self._busy():
            return
        ids = self._selected_components()
        if not ids:
            return
        clip = records.copy_selection(self.window.document, ids)
        self._add(clip, PASTE_OFFSET, PASTE_OFFSET, duplicate=True)

    # --- helpers -----------------------------------------------------------------------------
    def _add(self, clip: Document, dx: float, dy: float, duplicate: bool = False) -> None:
        window = self.window
        try:
            count = records.element_count(clip)
            if duplicate:
                label = _counted("Duplicate 1 element", "Duplicate {0} elements", count)
            else:
                label = _counted("Paste 1 element", "Paste {0} elements", count)
            added = records.paste(window.document, clip, dx, dy, label)
        except ModelError as error:
            self._say(_tr("Cannot paste: {0}").format(error))
            return
        window.diagram.update_scene_rect()
        window.diagram.select_ids(added)
        window.view.setFocus()

    @staticmethod
    def _clipboard_data() -> bytes | None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(STIPA_MIME):
            return None
        return bytes(mime.data(STIPA_MIME).data())

    def _mouse_anchor(self) -> QPointF | None:
        """The mouse position in the scene (snapped), if the mouse is over the canvas."""
        view = self.window.view
        viewport = view.viewport()
        local = viewport.mapFromGlobal(QCursor.pos())
        if not viewport.isVisible() or not viewport.rect().contains(local):
            return None
        return view.diagram.free_position(view.mapToScene(local))


__all__ = [
    "STIPA_MIME",
    "ClipboardActions",
]
