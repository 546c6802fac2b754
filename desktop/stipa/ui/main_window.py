"""The main window: menus, toolbar, palette, canvas, docks, status bar and file handling."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QFileSystemWatcher,
    QLockFile,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
)

from stipa import io
from stipa.model import Document, HistoryChanged, ModelError
from stipa.operations import hierarchy
from stipa.operations.imports import can_import, import_file, importers, report_text
from stipa.plugin import Imported, PluginHost
from stipa.resources import examples, read_text
from stipa.ui import collector
from stipa.ui.actions import Shortcuts, make_action
from stipa.ui.analysis_panel import analysis_parts
from stipa.ui.arrange import DrawingKeys
from stipa.ui.canvas.drill import DiagramTabs
from stipa.ui.canvas.scene import DiagramScene
from stipa.ui.canvas.view import CanvasView
from stipa.ui.clipboard import ClipboardActions
from stipa.ui.document_info import document_properties_action
from stipa.ui.export_dialog import export_action
from stipa.ui.find import find_action
from stipa.ui.inspector import Inspector
from stipa.ui.navigation import Navigation
from stipa.ui.palette import Palette
from stipa.ui.panels import install_panels_menu
from stipa.ui.plugins import application_host
from stipa.ui.plugins_panel import PluginsPanel
from stipa.ui.reading import FileRead, read, reads_at_once
from stipa.ui.recovery import RecoveryManager, claim_open_file, open_elsewhere
from stipa.ui.responsibility_view import ResponsibilityViews
from stipa.ui.theme import apply_appearance, current_appearance, theme_glyph
from stipa.ui.workbench.dock import StpaDock
from stipa.ui.workbench.excel import install_excel

FILE_FILTER = "Stipa analyses (*.stipa);;All files (*)"
MAX_RECENT = 8
#: Milliseconds to let another program finish writing the open file before asking to reload.
RELOAD_DELAY_MS = 200

#: What a file held when Stipa last read or wrote it: size, modification time, SHA-256.
FileState = tuple[int, int, str]


def file_state(path: Path) -> FileState | None:
    """The size, modification time and SHA-256 of the file at ``path``; None when missing."""
    try:
        with path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
    except (OSError, ValueError):  # ValueError: a name no file can have (a NUL in it)
        return None
    return info.st_size, info.st_mtime_ns, digest


def changed_on_disk(path: Path, known: FileState | None) -> bool:
    """Whether the file at ``path`` holds something other than ``known`` (what was read).

    Size and time decide when they match; otherwise the content does, so that a file merely
    touched, or written back unchanged, is not taken for a change. A missing file has not
    changed in a way that saving could lose.
    """
    if known is None:
        return False
    try:
        info = path.stat()
    except (OSError, ValueError):
        return False
    if (info.st_size, info.st_mtime_ns) == known[:2]:
        return False
    now = file_state(path)
    return now is not None and now[2] != known[2]


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    """One window showing one document.

    ``MainWindow()`` opens an empty document; ``open_path(path)`` opens a file;
    ``document`` is the current document. It is the
    :class:`~stipa.ui.panel_context.PanelContext` of its panels, and it assembles them: it
    puts their docks beside the canvas and their actions into its menus and toolbar.
    """

    #: A different document is shown (new, open, restore); docks rebind to ``document``.
    documentReplaced = Signal()

    def __init__(
        self,
        document: Document | None = None,
        path: Path | None = None,
        host: PluginHost | None = None,
    ) -> None:
        super().__init__()
        #: The plugins this window offers (the application's, unless a test gives its own).
        self.host = host if host is not None else application_host()
        # the application's settings (QSettings objects of one process share their values)
        self._settings = QSettings(self)
        self.setObjectName("MainWindow")
        self.setAccessibleName(_tr("Stipa"))
        self.setAcceptDrops(True)
        self.path: Path | None = None
        #: What ``path`` held when last read or written (to notice another program's changes).
        self.file_state: FileState | None = None
        #: The size limit for this window's file: Stipa's (None), or none after "open anyway".
        self.size_limit: int | None = None
        #: A big file being read in a worker thread (see ``open_path``), else None.
        self.reading: FileRead | None = None
        #: The collector paused while the diagram builds in steps (see ``set_document``).
        self._building: collector.Pause | None = None
        #: Held while this window shows ``path``: other Stipa processes see the file is open.
        self._open_lock: QLockFile | None = None
        self._reload_timer: QTimer = QTimer(self)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(lambda _path: self._reload_timer.start())
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._file_changed)
        self.document: Document = Document()
        self.diagram: DiagramScene = DiagramScene(self.document, self)
        self.view: CanvasView = CanvasView(self.diagram)
        #: the whole diagram's view, and a tab for each container opened as its own diagram
        self.views = DiagramTabs(self.view)
        self.setCentralWidget(self.views)
        self.actions_by_name: dict[str, QAction] = {}
        self.view.actions_by_name = self.actions_by_name  # its context menu offers some
        self._unsubscribe: Callable[[], None] = lambda: None
        self._build_palette()
        # the panels, each given this window as its PanelContext; placed below
        self.inspector = Inspector(self)  # dock.properties
        self.plugins_panel = PluginsPanel(self)  # dock.plugins
        self._build_actions()
        self.clipboard = ClipboardActions(self)  # cut, copy, paste, duplicate
        self._build_status_bar()
        self._connect_view()
        self.analysis = analysis_parts(self)  # Analysis menu, findings dock, badges
        self.responsibility = ResponsibilityViews(self)  # matrix, chains
        self.workbench = StpaDock(self)  # dock.stpa
        self.excel = install_excel(self, self.workbench)  # File > Excel tables
        self.export_action = export_action(self)  # File > Export… (action.export)
        self.properties_action = document_properties_action(self)  # File > Document Properties…
        self.drawing_keys = DrawingKeys(self)  # Arrange > Align…, Connect Selected
        self.find_action = find_action(self, self.workbench)  # Edit > Find… (action.find)
        # Zoom to Selection, Hide Panels, the overview, the bottom panels' toolbar buttons
        self.navigation = Navigation(self, [self.analysis.findings, self.workbench])
        self._adopt_actions()
        self._place_docks()
        self._build_menus()
        self._build_toolbar()
        self.set_document(document or Document(), path)
        self.recovery = RecoveryManager(self)  # autosaves a recovery copy after each change
        self._arrange_docks()
        self._restore_window_state()

    # --- construction ------------------------------------------------------------------------
    def _build_palette(self) -> None:
        self.palette_widget = Palette()
        dock = QDockWidget(_tr("Palette"), self)
        dock.setObjectName("dock.palette")
        scroll = QScrollArea()
        scroll.setWidget(self.palette_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        dock.setWidget(scroll)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.palette_widget.group.triggered.connect(
            lambda action: self.views.current_view().set_tool(str(action.data()))
        )
        self.palette_widget.stickyChosen.connect(
            lambda key: self.views.current_view().set_tool(key, sticky=True)
        )

    def _action(
        self,
        name: str,
        text: str,
        tooltip: str,
        slot: Callable[[], object],
        shortcuts: Shortcuts = None,
        checkable: bool = False,
    ) -> QAction:
        action = make_action(self, name, text, tooltip, slot, shortcuts, checkable=checkable)
        self._adopt({name: action})
        return action

    def _adopt(self, actions: dict[str, QAction], shortcuts: bool = True) -> None:
        """List ``actions`` by name with the window's own; with ``shortcuts``, their keys
        work anywhere in the window."""
        self.actions_by_name.update(actions)
        if shortcuts:
            self.addActions(list(actions.values()))

    def _adopt_actions(self) -> None:
        """List the panels' actions with the window's own."""
        self._adopt(self.clipboard.actions)
        self._adopt(self.analysis.controller.actions_by_name)
        self._adopt(self.analysis.findings.actions_by_name, shortcuts=False)  # its buttons
        self._adopt(self.responsibility.actions_by_name)
        self._adopt(self.excel.actions_by_name)
        self._adopt({"export": self.export_action})
        self._adopt({"document_properties": self.properties_action})
        self._adopt(self.drawing_keys.actions_by_name)
        self._adopt({"find": self.find_action})
        self._adopt(self.navigation.actions_by_name)
        toggles = self.navigation.panel_toggles.values()  # toolbar buttons, no shortcuts
        self._adopt({a.objectName().removeprefix("action."): a for a in toggles}, False)

    def _place_docks(self) -> None:
        """Put the panels' docks beside the canvas: properties and plugins on the right, the
        findings and the STPA tables below it, the overview under the palette."""
        right = Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.addDockWidget(right, self.inspector)
        self.addDockWidget(right, self.plugins_panel)
        self.tabifyDockWidget(self.inspector, self.plugins_panel)
        findings = self.analysis.findings
        self.addDockWidget(bottom, findings)
        self.resizeDocks([findings], [250], Qt.Orientation.Vertical)
        self.addDockWidget(bottom, self.workbench)
        self.tabifyDockWidget(findings, self.workbench)  # both wide tables share the bottom
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.navigation.dock)
        # Tab order as laid out: palette, canvas, then the Properties of what Tab chose
        palette = self.findChild(QDockWidget, "dock.palette")
        if palette is not None and palette.widget() is not None:
            self.setTabOrder(palette.widget(), self.view)
        self.setTabOrder(self.view, self.inspector.widget())

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        a = self._action
        a("new", _tr("&New"), _tr("Start a new, empty analysis"), self.new_document, key.New)
        a("open", _tr("&Open…"), _tr("Open a .stipa analysis"), self.open_dialog, key.Open)
        a(
            "import",
            _tr("&Import…"),
            _tr("Import an analysis from another STPA tool (PASTA…) as a new document"),
            self.import_dialog,
        )
        a("save", _tr("&Save"), _tr("Save the analysis"), self.save, key.Save)
        a(
            "save_as",
            _tr("Save &As…"),
            _tr("Save the analysis under a new name"),
            self.save_as,
            key.SaveAs,
        )
        a("quit", _tr("&Quit"), _tr("Close the window"), self.close, key.Quit)
        a("undo", _tr("&Undo"), _tr("Undo the last edit"), self._undo, key.Undo)
        a("redo", _tr("&Redo"), _tr("Redo the last undone edit"), self._redo, key.Redo)
        a(
            "delete",
            _tr("&Delete"),
            _tr("Delete the selection and what depends on it"),
            self.delete_selection,
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)],
        )
        a(
            "select_all",
            _tr("Select &All"),
            _tr("Select every component and link"),
            self.select_all,
            key.SelectAll,
        )
        a(
            "rename",
            _tr("Re&name"),
            _tr("Rename the selected component or link in place"),
            self._rename,
            [QKeySequence(Qt.Key.Key_F2)],
        )
        a("zoom_in", _tr("Zoom &In"), _tr("Zoom in"), self.view.zoom_in, key.ZoomIn)
        a("zoom_out", _tr("Zoom &Out"), _tr("Zoom out"), self.view.zoom_out, key.ZoomOut)
        a(
            "zoom_fit",
            _tr("&Fit Diagram"),
            _tr("Fit the whole diagram in the window"),
            self.view.zoom_fit,
            [QKeySequence("Ctrl+9")],
        )
        a(
            "zoom_reset",
            _tr("&Actual Size"),
            _tr("Zoom to 100 %"),
            self.view.zoom_reset,
            [QKeySequence("Ctrl+0")],
        )
        grid = a(
            "grid",
            _tr("Show &Grid"),
            _tr("Show or hide the grid"),
            self._toggle_grid,
            [QKeySequence("Ctrl+'")],
            checkable=True,
        )
        grid.setChecked(True)
        snap = a(
            "snap",
            _tr("&Snap to Grid"),
            _tr("Snap positions and sizes to the grid"),
            self._toggle_snap,
            checkable=True,
        )
        snap.setChecked(True)
        a(
            "getting_started",
            _tr("&Getting Started"),
            _tr("A short guide: open an example, draw, run the analyses, export"),
            self.show_getting_started,
            QKeySequence.StandardKey.HelpContents,
        )
        a("about", _tr("&About Stipa"), _tr("Version and licence"), self._about)
        a(
            "auto_layout",
            _tr("&Auto Layout"),
            _tr(
                "Lay out by control authority: controllers above what they control "
                "(the selected components only, when some are selected)"
            ),
            self.auto_layout,
            [QKeySequence("Ctrl+Shift+L")],
        )
        a(
            "make_room",
            _tr("Make &Room for Labels"),
            _tr(
                "Move rows and columns apart where link labels have no room, keeping the "
                "arrangement"
            ),
            self.make_room_for_labels,
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        acts = self.actions_by_name
        file_menu = bar.addMenu(_tr("&File"))
        file_menu.setObjectName("menu.file")
        file_menu.addActions([acts["new"], acts["open"], acts["import"]])
        self.recent_menu = file_menu.addMenu(_tr("Open &Recent"))
        self.recent_menu.setObjectName("menu.recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.examples_menu = file_menu.addMenu(_tr("E&xamples"))
        self.examples_menu.setObjectName("menu.examples")
        for path in examples():
            action = self.examples_menu.addAction(path.stem.replace("-", " ").capitalize())
            action.setToolTip(_tr("Open the example {0}").format(path.name))
            action.triggered.connect(lambda checked=False, p=path: self.open_example(p))
        file_menu.addSeparator()
        file_menu.addActions([acts["save"], acts["save_as"]])
        file_menu.addSeparator()
        file_menu.addActions([acts["export_xlsx"], acts["import_xlsx"]])
        file_menu.addSeparator()
        file_menu.addActions([acts["export"], acts["document_properties"]])
        file_menu.addSeparator()
        file_menu.addAction(acts["quit"])
        self.edit_menu = bar.addMenu(_tr("&Edit"))
        self.edit_menu.setObjectName("menu.edit")
        self.edit_menu.addActions([acts["undo"], acts["redo"]])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([acts[n] for n in ("cut", "copy", "paste", "duplicate")])
        self.edit_menu.addActions([acts["delete"], acts["select_all"], acts["rename"]])
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(acts["find"])
        arrange_menu = bar.addMenu(_tr("&Arrange"))
        arrange_menu.setObjectName("menu.arrange")
        arrange_menu.addActions([acts["auto_layout"], acts["make_room"]])
        self.drawing_keys.fill_menu(arrange_menu)
        view_menu = bar.addMenu(_tr("&View"))
        view_menu.setObjectName("menu.view")
        view_menu.addActions(
            [acts["zoom_in"], acts["zoom_out"], acts["zoom_fit"], acts["zoom_reset"]]
        )
        view_menu.addActions([acts["zoom_selection"], acts["hide_panels"]])
        view_menu.addSeparator()
        view_menu.addActions([acts["grid"], acts["snap"]])
        appearance_menu = view_menu.addMenu(_tr("&Appearance"))
        appearance_menu.setObjectName("menu.appearance")
        group = QActionGroup(self)
        labels = {"system": _tr("&System"), "light": _tr("&Light"), "dark": _tr("&Dark")}
        for name, label in labels.items():
            action = appearance_menu.addAction(label)
            action.setObjectName(f"action.appearance_{name}")
            action.setToolTip(_tr("Use the {0} colour scheme").format(name))
            action.setCheckable(True)
            action.setChecked(name == current_appearance())
            action.triggered.connect(lambda checked=False, n=name: apply_appearance(n, True))
            group.addAction(action)
        self.view_menu = view_menu
        self.panels_menu = install_panels_menu(self, view_menu)
        analysis_menu = self.analysis.controller.menu
        bar.addMenu(analysis_menu)
        analysis_menu.addSeparator()
        analysis_menu.addActions([acts["responsibility_matrix"], acts["accountability_chain"]])
        self.help_menu = bar.addMenu(_tr("&Help"))
        self.help_menu.setObjectName("menu.help")
        self.help_menu.addAction(acts["getting_started"])
        self.help_menu.addSeparator()
        self.help_menu.addAction(acts["about"])

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(_tr("Main"))
        toolbar.setObjectName("toolbar.main")
        acts = self.actions_by_name
        style = self.style()
        icons = {
            "new": style.StandardPixmap.SP_FileIcon,
            "open": style.StandardPixmap.SP_DialogOpenButton,
            "save": style.StandardPixmap.SP_DialogSaveButton,
            "undo": style.StandardPixmap.SP_ArrowBack,
            "redo": style.StandardPixmap.SP_ArrowForward,
            "delete": style.StandardPixmap.SP_TrashIcon,
        }
        for name, pixmap in icons.items():
            acts[name].setIcon(theme_glyph(style.standardIcon(pixmap)))
        toolbar.addActions([acts["new"], acts["open"], acts["save"]])
        toolbar.addSeparator()
        toolbar.addActions([acts[n] for n in ("undo", "redo", "cut", "copy", "paste", "delete")])
        toolbar.addSeparator()
        toolbar.addActions([acts["zoom_fit"], acts["zoom_reset"]])
        toolbar.addSeparator()
        toolbar.addAction(acts["run_analyses"])
        run_button = toolbar.widgetForAction(acts["run_analyses"])
        if isinstance(run_button, QToolButton):  # the toolbar's main command says what it does
            run_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addSeparator()
        toolbar.addActions(list(self.navigation.panel_toggles.values()))
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setObjectName("statusBar")
        self.selection_label = QLabel()
        self.counts_label = QLabel()
        self.zoom_label = QLabel("100 %")
        for label in (self.selection_label, self.counts_label, self.zoom_label):
            status.addPermanentWidget(label)

    def _connect_view(self) -> None:
        self.view.toolChanged.connect(self.palette_widget.show_tool)
        self.view.zoomChanged.connect(lambda z: self.zoom_label.setText(f"{round(z * 100)} %"))
        self.view.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.view.filesDropped.connect(self._open_dropped)

    # --- document lifecycle ------------------------------------------------------------------
    def set_document(
        self, document: Document, path: Path | None, diagram: DiagramScene | None = None
    ) -> None:
        """Show ``document`` (from ``path``, or unsaved when None) in this window, in
        ``diagram`` when its scene is already made."""
        self.reading = None  # a file still being read would replace this document
        if self._building is not None:  # the old diagram's build is over, done or not
            self._building.resume()
        collector.release()  # what the old document holds is garbage soon
        self._unsubscribe()
        self.view.finish_rename(False)
        old = self.diagram
        self.document = document
        self.path = path
        self._remember_file()
        self.size_limit = None
        if diagram is None or diagram.document is not document:
            diagram = DiagramScene(document, self, staged=True)  # big ones build in steps
        self.diagram = diagram
        self.view.diagram = self.diagram
        self.view.setScene(self.diagram)
        self.view.set_tool("select")
        old.close()
        old.blockSignals(True)
        old.deleteLater()
        self.diagram.selectionChanged.connect(self._selection_changed)
        self.diagram.contentChanged.connect(self._update_counts)
        if self.diagram.building:  # no collections while a big document builds, and then
            self._building = collector.Pause()  # out of the collector's way
            self.diagram.built.connect(self._building.settle)
            # and what the crowded labels, placed after the first paint, made with them
            self.diagram.labelsPlaced.connect(
                self._settle_labels, Qt.ConnectionType.SingleShotConnection
            )
        self._unsubscribe = document.subscribe(self._on_event)
        self._update_history()
        self._update_counts()
        self._selection_changed()
        self.views.close_containers()
        self.documentReplaced.emit()

    def _settle_labels(self) -> None:
        collector.settle(collect=True)

    def _on_event(self, event: object) -> None:
        if isinstance(event, HistoryChanged):
            self._update_history()

    def _update_history(self) -> None:
        doc = self.document
        undo, redo = self.actions_by_name["undo"], self.actions_by_name["redo"]
        undo.setEnabled(doc.can_undo)
        redo.setEnabled(doc.can_redo)
        undo.setText(_tr("&Undo {0}").format(doc.undo_label) if doc.can_undo else _tr("&Undo"))
        redo.setText(_tr("&Redo {0}").format(doc.redo_label) if doc.can_redo else _tr("&Redo"))
        self.setWindowTitle(f"{self.display_name()}[*] — Stipa")
        self.setWindowModified(doc.modified)

    def display_name(self) -> str:
        """What the window calls its analysis: the file's name, else the document's title (an
        unsaved copy of an example has one), else "Untitled"."""
        if self.path is not None:
            return self.path.name
        return self.document.info.title.strip() or _tr("Untitled")

    def _update_counts(self) -> None:
        doc = self.document
        self.counts_label.setText(
            _tr("{0} components · {1} links").format(len(doc.components), len(doc.links))
        )

    def _selection_changed(self) -> None:
        count = len(self.diagram.selected_ids())
        self.selection_label.setText(_tr("{0} selected").format(count) if count else "")

    # --- files -------------------------------------------------------------------------------
    def new_document(self) -> None:
        """Replace the document with an empty one (asking first if there are unsaved edits),
        shown at 100 %: the previous document's zoom does not carry over."""
        if self.maybe_save():
            self.set_document(Document(), None)
            self.view.zoom_readable()

    def open_dialog(self) -> None:
        """Ask for a file and open it."""
        if not self.maybe_save():
            return
        start = str(self.path.parent) if self.path else ""
        patterns = " ".join(
            f"*{extension}"
            for importer in importers(self.host)
            for extension in importer.extensions
        )
        filters = f"{_tr('Analyses')} (*.stipa {patterns});;{FILE_FILTER}"
        name, _filter = QFileDialog.getOpenFileName(self, _tr("Open analysis"), start, filters)
        if name:
            self.open_path(Path(name))

    def import_dialog(self) -> None:
        """Ask for another tool's file and import it as a new, unsaved document."""
        if not self.maybe_save():
            return
        formats = {
            f"{importer.title} ({' '.join('*' + e for e in importer.extensions)})": importer.id
            for importer in importers(self.host)
        }
        start = str(self.path.parent) if self.path else ""
        name, chosen = QFileDialog.getOpenFileName(
            self, _tr("Import analysis"), start, ";;".join([*formats, _tr("All files (*)")])
        )
        if name:  # the format chosen in the dialog, else the one of the file's extension
            self.import_path(Path(name), formats.get(chosen))

    def import_path(self, path: str | Path, format_id: str | None = None) -> bool:
        """Import ``path`` as a new unsaved document and show the report; on failure say why.

        A big file is read in a worker thread, as :meth:`open_path` reads one.
        """
        path = Path(path)
        host = self.host

        def load() -> Imported | io.FileFormatError:
            try:
                return import_file(host, path, format_id)
            except io.FileFormatError as error:
                return error

        return self._load_then(path, load, lambda *got: self._imported(path, *got))

    def _imported(
        self, path: Path, outcome: object, edited: bool, diagram: DiagramScene | None
    ) -> bool:
        if not isinstance(outcome, Imported):
            self.show_error(_tr("Cannot import {0}").format(path.name), str(outcome))
            return False
        if edited and not self.maybe_save():
            return False
        self.set_document(outcome.document, None, diagram)
        outcome.document.mark_unsaved()
        self.view.zoom_readable()
        self.show_import_report(report_text(outcome.report))
        self.statusBar().showMessage(_tr("Imported {0}").format(path), 5000)
        return True

    def show_import_report(self, text: str) -> None:
        """Show an import's report in a dialog beside the window (not modal)."""
        dialog = QDialog(self)
        dialog.setObjectName("dialog.import_report")
        dialog.setWindowTitle(_tr("Import report"))
        layout = QVBoxLayout(dialog)
        report = QPlainTextEdit(text, dialog)
        report.setObjectName("import_report.text")
        report.setReadOnly(True)
        layout.addWidget(report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.close)
        layout.addWidget(buttons)
        dialog.resize(640, 480)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.import_report_dialog = dialog
        dialog.show()

    def open_path(self, path: str | Path) -> bool:
        """Open ``path``; on failure show why (with the line) and keep the current document.

        Another tool's file (``model.stpa``...) is imported as a new, unsaved document. A file
        over Stipa's size limit opens only when the user asks to open it anyway; a file that
        another window (or another Stipa process) shows opens with a notice saying so. A big
        file is read in a worker thread while the window keeps answering: it shows once read
        (``reading`` until then), and True means it is being opened.
        """
        path = Path(path)
        if path.suffix.lower() != ".stipa" and can_import(self.host, path):
            return self.import_path(path)
        # opening this window's own file again is a revert, not a second window
        shown_elsewhere = not self._is_open_file(path) and open_elsewhere(path)
        return self._read(path, shown_elsewhere, None)

    def _read(self, path: Path, shown_elsewhere: bool, size_limit: int | None) -> bool:
        """Read ``path`` (a big file in a worker thread) and show it, or say why not."""
        return self._load_then(
            path,
            lambda: read(path, size_limit),
            lambda *got: self._opened(path, shown_elsewhere, size_limit, *got),
        )

    def _load_then(
        self,
        path: Path,
        load: Callable[[], object],
        show: Callable[[object, bool, DiagramScene | None], object],
    ) -> bool:
        """``show(outcome, edited, diagram)`` what ``load()`` gives (a document, an import, an
        error), reading the file ``path``: at once when it is small, else in a worker thread
        while the window keeps answering (``reading`` until then; True means it is being
        read). ``edited``: the shown document was edited meanwhile (its edits are to be
        offered for saving first); ``diagram``: the scene of the document read, when made
        already (between events, after a read in the thread)."""
        self.reading = None  # a file still being read is not wanted any more
        if reads_at_once(path):
            return bool(show(load(), False, None))
        reading = FileRead(load, self)
        self.reading = reading
        edited: list[bool] = []
        stop_noting = self.document.subscribe(lambda _event: edited.append(True))

        def done(outcome: object, diagram: DiagramScene | None = None) -> None:
            document = outcome.document if isinstance(outcome, Imported) else outcome
            if self.reading is not reading:  # another document was shown meanwhile
                if diagram is not None:
                    diagram.close()
                    diagram.deleteLater()
            elif isinstance(document, Document) and diagram is None:
                # the first step of its diagram now (every component), the window next
                made = DiagramScene(document, self, staged=True)
                QTimer.singleShot(1, lambda: done(outcome, made))  # a timer: input comes first
                return
            else:
                self.reading = None
                show(outcome, bool(edited), diagram)
            stop_noting()
            reading.finish()

        reading.done.connect(done)
        reading.start()
        self.statusBar().showMessage(_tr("Opening {0}…").format(path))
        return True

    def _opened(
        self,
        path: Path,
        shown_elsewhere: bool,
        size_limit: int | None,
        outcome: object,
        edited: bool,
        diagram: DiagramScene | None = None,
    ) -> bool:
        """Show the document read from ``path``, or why ``outcome`` is not one. ``edited``:
        the shown document was edited while the file was read (its edits are offered for
        saving first); ``diagram``: its scene, when already made."""
        if isinstance(outcome, io.FileTooLargeError) and size_limit is None:
            if not self.ask_open_large(path, outcome):
                return False
            return self._read(path, shown_elsewhere, sys.maxsize)
        title = _tr("Cannot open {0}").format(path.name)
        if isinstance(outcome, io.FileFormatError):
            self.show_error(title, str(outcome))
            return False
        if isinstance(outcome, OSError):
            self.show_error(title, f"{path}: {outcome.strerror or outcome}.")
            return False
        if not isinstance(outcome, Document):  # a bug while reading (also in the excepthook)
            self.show_error(title, _tr("Reading {0} failed: {1}").format(path, outcome))
            return False
        if edited and not self.maybe_save():
            if diagram is not None:
                diagram.close()
                diagram.deleteLater()
            self.statusBar().showMessage(_tr("Opening {0} cancelled.").format(path), 8000)
            return False
        self.set_document(outcome, path, diagram)
        self.size_limit = size_limit
        self.view.zoom_readable()
        self.add_recent(path)
        self.statusBar().showMessage(_tr("Opened {0}").format(path), 5000)
        if shown_elsewhere:
            self.tell_open_elsewhere(path)
        return True

    def tell_open_elsewhere(self, path: Path) -> None:
        """Say, without blocking, that another window shows the file too (tests replace this).

        Nothing is lost either way: Save asks before overwriting what the other saved.
        """
        text = _tr(
            "{0} is also open in another window. Edits in one window do not show in the "
            "other; before one overwrites what the other saved, Stipa asks."
        ).format(path.name)
        self.statusBar().showMessage(text, 15000)
        box = QMessageBox(QMessageBox.Icon.Information, _tr("Already open"), text, parent=self)
        box.setObjectName("dialog.open_elsewhere")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal at most, never a nested event loop

    def ask_open_large(self, path: Path, error: io.FileTooLargeError) -> bool:
        """Ask whether to open a file over the size limit anyway (tests replace this)."""
        answer = QMessageBox.warning(
            self,
            _tr("Large file"),
            _tr(
                "{0} is {1} MiB, more than the {2} MiB Stipa opens without asking. Opening "
                "it may take long and much memory. Open it anyway?"
            ).format(path.name, round(error.size / 2**20, 1), round(error.limit / 2**20, 1)),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Open

    def open_example(self, path: Path) -> None:
        """Open a bundled example as an untitled copy, so saving never writes into the app
        (a big one read in a worker thread, as :meth:`open_path` reads one)."""
        if self.maybe_save():
            self._load_then(path, lambda: read(path, None), lambda *got: self._example(path, *got))

    def _example(
        self, path: Path, outcome: object, edited: bool, diagram: DiagramScene | None
    ) -> bool:
        if not isinstance(outcome, Document):
            self.show_error(_tr("Cannot open {0}").format(path.name), str(outcome))
            return False
        if edited and not self.maybe_save():
            return False
        self.set_document(outcome, None, diagram)
        self.view.zoom_readable()
        return True

    def _open_dropped(self, paths: list[str]) -> None:
        if paths and self.maybe_save():
            self.open_path(paths[0])

    def save(self) -> bool:
        """Save to the current file, or ask for one; returns whether it was saved."""
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        """Ask for a file name and save there."""
        # a new analysis is proposed a file named after its title
        start = str(self.path) if self.path else f"{self.display_name().replace(os.sep, '-')}.stipa"
        name, _filter = QFileDialog.getSaveFileName(self, _tr("Save analysis"), start, FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".stipa")
        return self._write(path)

    def _write(self, path: Path) -> bool:
        self.view.finish_rename()
        changed = self._is_open_file(path) and changed_on_disk(path, self.file_state)
        if changed and not self.ask_overwrite_changed(path):
            return False
        try:
            io.save(self.document, path, max_bytes=self.size_limit)
        except PermissionError as error:  # read-only: as editors do, offer another name
            reason = f"{path}: {error.strerror or error}."
            if self.ask_save_elsewhere(path, reason):
                return self.save_as()
            self.statusBar().showMessage(reason, 10000)
            return False
        except OSError as error:
            self.show_error(
                _tr("Cannot save {0}").format(path.name), f"{path}: {error.strerror or error}."
            )
            return False
        except io.FileFormatError as error:  # a value XML cannot hold; the file is untouched
            self.show_error(_tr("Cannot save {0}").format(path.name), str(error))
            return False
        self.path = path
        self._remember_file()
        self._update_history()
        self.add_recent(path)
        self.statusBar().showMessage(_tr("Saved {0}").format(path), 5000)
        return True

    def _is_open_file(self, path: Path) -> bool:
        if self.path is None:
            return False
        try:
            return os.path.samefile(path, self.path)
        except OSError:
            return False

    def ask_overwrite_changed(self, path: Path) -> bool:
        """Ask whether to overwrite a file changed on disk since it was read (tests replace)."""
        answer = QMessageBox.warning(
            self,
            _tr("File changed on disk"),
            _tr(
                "{0} was changed by another program or window since you opened or saved it. "
                "Saving overwrites those changes. Save anyway? (Cancel, then Save As, keeps "
                "both.)"
            ).format(path.name),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def ask_save_elsewhere(self, path: Path, reason: str) -> bool:
        """Ask whether to save under another name, ``path`` being read-only (tests replace)."""
        answer = QMessageBox.warning(
            self,
            _tr("Cannot save {0}").format(path.name),
            _tr("{0}\nSave the analysis under another name?").format(reason),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        return answer == QMessageBox.StandardButton.Save

    # --- the open file, watched ---------------------------------------------------------------
    def _remember_file(self) -> None:
        """Note what the file holds now, watch it for other programs' changes, and hold its
        lock (a save makes a new file, so the lock is taken again)."""
        self.file_state = file_state(self.path) if self.path is not None else None
        watched = self.watcher.files()
        if watched:
            self.watcher.removePaths(watched)
        self._release_file()
        if self.path is not None and self.file_state is not None:
            self.watcher.addPath(str(self.path))
            self._open_lock = claim_open_file(self.path)

    def _release_file(self) -> None:
        if self._open_lock is not None:
            self._open_lock.unlock()
            self._open_lock = None

    def _file_changed(self) -> None:
        path = self.path
        if path is None:
            return
        if str(path) not in self.watcher.files() and path.exists():
            self.watcher.addPath(str(path))  # replaced by a rename: watch the new file
        if not changed_on_disk(path, self.file_state):
            return  # our own save, or a touch
        if self.ask_reload(path):
            self.reload()
        else:
            # keep what is shown; Save will still ask before overwriting the other version
            self.statusBar().showMessage(
                _tr("{0} changed on disk; not reloaded").format(path.name), 8000
            )

    def ask_reload(self, path: Path) -> bool:
        """Ask whether to reload the file another program changed (tests replace this)."""
        text = _tr("{0} was changed on disk by another program or window. Reload it?")
        if self.document.modified:
            text += " " + _tr("Your unsaved changes in this window would be lost.")
        answer = QMessageBox.question(
            self,
            _tr("File changed on disk"),
            text.format(path.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No
            if self.document.modified
            else QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def reload(self) -> bool:
        """Read the window's file again, dropping the document shown (and its undo history);
        a big file in a worker thread, as :meth:`open_path` reads one."""
        path, size_limit = self.path, self.size_limit
        if path is None:
            return False
        return self._load_then(
            path,
            lambda: read(path, size_limit),
            lambda *got: self._reloaded(path, size_limit, *got),
        )

    def _reloaded(
        self,
        path: Path,
        size_limit: int | None,
        outcome: object,
        edited: bool,
        diagram: DiagramScene | None,
    ) -> bool:
        if not isinstance(outcome, Document):
            self.show_error(_tr("Cannot reload {0}").format(path.name), str(outcome))
            return False
        if edited and not self.maybe_save():
            return False
        self.set_document(outcome, path, diagram)
        self.size_limit = size_limit
        self.statusBar().showMessage(_tr("Reloaded {0}").format(path), 5000)
        return True

    def maybe_save(self) -> bool:
        """Offer to save unsaved edits; False means the user cancelled."""
        if not self.document.modified:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        """Ask whether to save, discard or cancel (tests replace this)."""
        name = self.display_name()
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        return QMessageBox.question(
            self,
            _tr("Unsaved changes"),
            _tr("{0} has unsaved changes. Save them?").format(name),
            buttons,
            QMessageBox.StandardButton.Save,
        )

    def settings(self) -> QSettings:
        """The user's settings: this window's state, recent files and its panels' choices."""
        return self._settings

    def show_error(self, title: str, text: str) -> None:
        """Tell the user why something failed (tests replace this)."""
        self.statusBar().showMessage(text, 10000)
        QMessageBox.critical(self, title, text)

    def show_warning(self, title: str, text: str) -> QMessageBox:
        """Tell the user something was done, but not quite as asked (without waiting)."""
        self.statusBar().showMessage(text, 10000)
        ok = QMessageBox.StandardButton.Ok
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, ok, self)
        box.setObjectName("warningBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # --- recent files ------------------------------------------------------------------------
    def recent_files(self) -> list[Path]:
        """Recently opened or saved files, newest first, that still exist."""
        stored = self.settings().value("recentFiles", [])
        # QSettings gives a str for a one-element list, a list for more, None when unset
        names = (
            [stored]
            if isinstance(stored, str)
            else list(stored)
            if isinstance(stored, list)
            else []
        )
        return [Path(name) for name in names if Path(name).exists()]

    def add_recent(self, path: Path) -> None:
        """Put ``path`` first in the recent files."""
        names = [str(path.resolve())]
        names += [str(p) for p in self.recent_files() if str(p) != names[0]]
        self.settings().setValue("recentFiles", names[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        if not recent:
            placeholder = self.recent_menu.addAction(_tr("No recent files"))
            placeholder.setEnabled(False)
            return
        for path in recent:
            action = self.recent_menu.addAction(path.name)
            action.setToolTip(str(path))
            action.triggered.connect(
                lambda checked=False, p=path: self.maybe_save() and self.open_path(p)
            )

    # --- editing -----------------------------------------------------------------------------
    def _undo(self) -> None:
        self.view.finish_rename(False)
        self.document.undo()

    def _redo(self) -> None:
        self.view.finish_rename(False)
        self.document.redo()

    def _rename(self) -> None:
        selected = self.diagram.selected_ids()
        if len(selected) == 1:
            self.view.start_rename(selected[0])

    def delete_selection(self) -> None:
        """Delete the selected components and links (with what depends on them)."""
        if self.view.editor is not None:
            return
        ids = self.diagram.selected_ids()
        if not ids:
            return
        containers = hierarchy.containers_among(self.document, ids)
        contents = self.ask_contents(containers) if containers else hierarchy.Contents.DELETE
        if contents is None:
            return
        try:
            if containers:
                hierarchy.delete(self.document, ids, contents)
            else:
                self.document.remove(*ids)
        except ModelError as error:
            self.statusBar().showMessage(str(error), 8000)

    def ask_contents(self, containers: list[str]) -> hierarchy.Contents | None:
        """Ask what happens to what the deleted containers hold; None to cancel."""
        names = ", ".join(self.document.components[cid].name for cid in containers)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _tr("Delete containers"),
            _tr(
                "{0} contains other components. Delete them too, or keep them one level up?"
            ).format(names),
            parent=self,
        )
        delete = box.addButton(_tr("Delete contents too"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(_tr("Keep contents"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        if clicked is delete:
            return hierarchy.Contents.DELETE
        if clicked is keep:
            return hierarchy.Contents.LIFT
        return None

    def auto_layout(self) -> None:
        """Lay out the selected components, or the whole diagram when none is selected."""
        if self.view.editor is not None:
            return
        from stipa.operations.layout import auto_layout  # igraph loads on first use

        selected = [i for i in self.diagram.selected_ids() if i in self.document.components]
        try:
            moved = auto_layout(self.document, selected or None)
        except ModelError as error:
            self.statusBar().showMessage(str(error), 10000)
            return
        if not moved:
            self.statusBar().showMessage(_tr("The layout is already in place."), 5000)

    def make_room_for_labels(self) -> None:
        """Spread the diagram where labels are crowded, keeping its arrangement."""
        if self.view.editor is not None:
            return
        from stipa.operations.layout import make_room_for_labels  # igraph loads on first use

        if not make_room_for_labels(self.document):
            self.statusBar().showMessage(_tr("Every label already has room."), 5000)

    def select_all(self) -> None:
        """Select every component and link."""
        self.diagram.select_ids([*self.document.components, *self.document.links])

    def _toggle_grid(self) -> None:
        self.diagram.show_grid = self.actions_by_name["grid"].isChecked()
        self.view.resetCachedContent()
        self.view.viewport().update()

    def _toggle_snap(self) -> None:
        self.diagram.snap_to_grid = self.actions_by_name["snap"].isChecked()

    def show_getting_started(self) -> QDialog:
        """Show the Getting Started guide beside the window (non-modal, one per window)."""
        dialog = self.findChild(QDialog, "dialog.getting_started")
        if dialog is None:
            dialog = QDialog(self)
            dialog.setObjectName("dialog.getting_started")
            dialog.setWindowTitle(_tr("Getting Started"))
            dialog.setAccessibleName(_tr("Getting started guide"))
            browser = QTextBrowser(dialog)
            browser.setObjectName("help.browser")
            browser.setAccessibleName(_tr("Guide"))
            browser.setOpenExternalLinks(True)
            try:
                browser.setHtml(read_text("help", "getting-started.html"))
            except OSError:
                browser.setPlainText(_tr("The guide is missing from this installation."))
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
            buttons.rejected.connect(dialog.close)
            layout = QVBoxLayout(dialog)
            layout.addWidget(browser)
            layout.addWidget(buttons)
            dialog.resize(640, 720)
        dialog.setModal(False)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _about(self) -> None:
        import stipa

        QMessageBox.about(
            self,
            _tr("About Stipa"),
            _tr(
                "<b>Stipa {0}</b><p>System-theoretic safety analysis (STPA) of "
                "sociotechnical systems.</p><p>Apache License 2.0.</p>"
            ).format(stipa.__version__),
        )

    # --- window ------------------------------------------------------------------------------
    def _arrange_docks(self) -> None:
        """First-start layout: the canvas gets most of the window.

        The side docks run the full height and the bottom docks sit under the canvas only,
        at a modest height, and on a laptop screen start folded away; a saved window state
        replaces all of this.
        """
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        screen = self.screen().availableGeometry()
        # a laptop screen (1366x768): the whole screen, and narrower, lower panels
        small = screen.height() < 900
        if small:
            self.resize(screen.width(), screen.height())
        else:
            self.resize(
                min(1760, int(screen.width() * 0.92)), min(1000, int(screen.height() * 0.92))
            )
        self.resizeDocks([self.inspector], [270 if small else 320], Qt.Orientation.Horizontal)
        bottom = [
            dock
            for dock in self.findChildren(QDockWidget)
            if self.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
        ]
        if small:
            # the tables' own minimum (~250 px: buttons, tabs, header and rows) would leave the
            # canvas a strip; here they start low and scroll, and can be dragged taller
            for dock in bottom:
                if dock.widget() is not None:
                    dock.widget().setMinimumHeight(1)
        self.resizeDocks(bottom, [270 if small else 210] * len(bottom), Qt.Orientation.Vertical)
        if small:
            # folded away: the canvas gets the height; the toolbar's Findings and STPA Tables
            # buttons bring them up (at the height above: a few rows), as does a run's news
            for dock in bottom:
                dock.hide()
        palette = self.findChild(QDockWidget, "dock.palette")
        if palette is not None:  # the overview stays small under the palette
            self.resizeDocks(
                [palette, self.navigation.dock], [screen.height(), 120], Qt.Orientation.Vertical
            )

    def _restore_window_state(self) -> None:
        settings = self.settings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            for item in self.diagram.items():
                item.update()  # items paint from the palette; drop their caches
            for link in self.diagram.links.values():
                link.restyle()
            self.view.resetCachedContent()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.finish_rename()
        if not self.maybe_save():
            event.ignore()
            return
        settings = self.settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        self._unsubscribe()
        self._unsubscribe = lambda: None  # a second close (e.g. on quit) must not raise
        self.recovery.detach()  # closed on purpose (saved or discarded): no recovery copy
        self._release_file()
        self.analysis.controller.shutdown()  # a running analysis is cancelled, not applied
        if self._building is not None:
            self._building.resume()
        collector.release()  # what the document holds is garbage soon
        event.accept()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self._open_dropped(paths)
            event.acceptProposedAction()
