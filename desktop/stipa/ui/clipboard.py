"""Cut, copy, paste and duplicate of diagram elements, through the system clipboard.

The clipboard carries a small ``.stipa`` document (the selected components, the links among
them and their layout) under :data:`STIPA_MIME`, so elements move between windows and between
processes; the component names go along as plain text for other applications.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData, QObject, QPointF
from PySide6.QtGui import QAction, QCursor, QGuiApplication, QKeySequence

from stipa import io
from stipa.model import Document, LinkLayout, ModelError, NodeLayout

if TYPE_CHECKING:
    from stipa.ui.main_window import MainWindow

#: MIME type of Stipa elements on the clipboard: a ``.stipa`` document.
STIPA_MIME = "application/x-stipa+xml"
#: How far each repeated paste (and each duplicate) moves from the previous one.
PASTE_OFFSET = 20.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("Clipboard", text)


def _counted(one: str, many: str, n: int) -> str:
    """``one`` when ``n`` is 1, else ``many`` with ``{0}`` replaced by ``n`` (translated)."""
    return _tr(one) if n == 1 else _tr(many).format(n)


def copy_document(document: Document, component_ids: list[str]) -> Document:
    """A fresh document holding the components, the links among them and their layout.

    Links to components outside ``component_ids`` are left out; STPA records and findings
    are never copied.
    """
    wanted = [cid for cid in document.components if cid in set(component_ids)]
    chosen = set(wanted)
    components = [document.components[cid] for cid in wanted]
    links = [
        link for link in document.links.values() if link.source in chosen and link.target in chosen
    ]
    layouts: list[NodeLayout | LinkLayout] = [
        document.node_layout[cid] for cid in wanted if cid in document.node_layout
    ]
    layouts += [document.link_layout[link.id] for link in links if link.id in document.link_layout]
    clip, problems = Document.assemble([*components, *links], layouts)
    if problems:  # cannot happen for records taken from a valid document
        raise ModelError(problems[0].message)
    return clip


def paste_document(
    document: Document, clip: Document, dx: float, dy: float, duplicate: bool = False
) -> list[str]:
    """Add the components and links of ``clip`` to ``document`` with new ids, as ONE step.

    Positions move by ``dx``, ``dy``; the undo step is named "Paste n elements" (or
    "Duplicate n elements" when ``duplicate``). Returns the new ids (components, then
    links). Raises :class:`ModelError`, changing nothing, when they cannot be added.
    """
    count = len(clip.components) + sum(
        1
        for link in clip.links.values()
        if link.source in clip.components and link.target in clip.components
    )
    new_ids: dict[str, str] = {}
    added: list[str] = []
    if duplicate:
        label = _counted("Duplicate 1 element", "Duplicate {0} elements", count)
    else:
        label = _counted("Paste 1 element", "Paste {0} elements", count)
    with document.transaction(label):
        for index, component in enumerate(clip.components.values()):
            fresh = component.replace(
                id="", variables=tuple(v.replace(id="") for v in component.variables)
            )
            new = document.add(fresh)
            new_ids[component.id] = new.id
            added.append(new.id)
            layout = clip.node_layout.get(component.id) or NodeLayout(
                id=component.id, x=index * 40.0, y=index * 40.0
            )
            document.set_layout(layout.replace(id=new.id, x=layout.x + dx, y=layout.y + dy))
        for link in clip.links.values():
            if link.source not in new_ids or link.target not in new_ids:
                continue
            new_link = document.add(
                link.replace(
                    id="",
                    source=new_ids[link.source],
                    target=new_ids[link.target],
                    items=tuple(item.replace(id="") for item in link.items),
                )
            )
            added.append(new_link.id)
            route = clip.link_layout.get(link.id)
            if route is not None:
                bends = tuple((x + dx, y + dy) for x, y in route.bends)
                document.set_layout(route.replace(id=new_link.id, bends=bends))
    return added


class ClipboardActions(QObject):
    """The Edit menu's cut, copy, paste and duplicate for one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: (clipboard data, mouse anchor) of the last paste, and how often it was repeated.
        self._last_paste: tuple[bytes, tuple[float, float] | None] | None = None
        self._repeat = 0
        self.actions = self._build_actions()
        window.documentReplaced.connect(self._document_replaced)
        self._update_actions()

    # --- construction ------------------------------------------------------------------------
    def _build_actions(self) -> dict[str, QAction]:
        key = QKeySequence.StandardKey
        not_copied = _tr("STPA records and findings are not copied.")
        specs = [
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
        actions: dict[str, QAction] = {}
        for name, text, tooltip, slot, shortcuts in specs:
            action = QAction(text, self.window)
            action.setObjectName(f"action.{name}")
            action.setToolTip(tooltip)
            action.setStatusTip(tooltip)
            if isinstance(shortcuts, QKeySequence.StandardKey):
                action.setShortcuts(QKeySequence.keyBindings(shortcuts))
            else:
                action.setShortcuts(shortcuts)
            action.triggered.connect(lambda checked=False, s=slot: s())
            self.window.addAction(action)
            self.window.actions_by_name[name] = action
            actions[name] = action
        return actions

    def install(self) -> None:
        """Put the actions into the Edit menu and the toolbar, before Delete."""
        window = self.window
        ordered = [self.actions[n] for n in ("cut", "copy", "paste", "duplicate")]
        delete = window.actions_by_name.get("delete")
        if delete is not None and delete in window.edit_menu.actions():
            window.edit_menu.insertActions(delete, ordered)
        else:
            window.edit_menu.addActions(ordered)
        toolbar = getattr(window, "toolbar", None)
        if toolbar is not None:
            if delete is not None and delete in toolbar.actions():
                toolbar.insertActions(delete, ordered[:3])
            else:
                toolbar.addActions(ordered[:3])

    # --- state -------------------------------------------------------------------------------
    def _document_replaced(self) -> None:
        self.window.diagram.selectionChanged.connect(self._update_actions)
        self._update_actions()

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
        data = io.dumps(copy_document(doc, ids))
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
            with doc.transaction(_counted("Cut 1 component", "Cut {0} components", len(ids))):
                doc.remove(*ids)
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
            left, top = _top_left(clip)
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
        clip = copy_document(self.window.document, ids)
        self._add(clip, PASTE_OFFSET, PASTE_OFFSET, duplicate=True)

    # --- helpers -----------------------------------------------------------------------------
    def _add(self, clip: Document, dx: float, dy: float, duplicate: bool = False) -> None:
        window = self.window
        try:
            added = paste_document(window.document, clip, dx, dy, duplicate)
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


def _top_left(clip: Document) -> tuple[float, float]:
    layouts = [clip.node_layout[cid] for cid in clip.components if cid in clip.node_layout]
    if not layouts:
        return 0.0, 0.0
    return min(layout.x for layout in layouts), min(layout.y for layout in layouts)


def install_clipboard(window: MainWindow) -> ClipboardActions:
    """Add cut, copy, paste and duplicate to ``window``'s Edit menu and toolbar."""
    actions = ClipboardActions(window)
    actions.install()
    return actions


__all__ = [
    "STIPA_MIME",
    "ClipboardActions",
    "copy_document",
    "install_clipboard",
    "paste_document",
]
