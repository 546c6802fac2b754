"""The findings panel (``dock.findings``): triage what analyses found, and their suggestions.

Two tabs over table models (no widget per row): the findings, sortable and filtered by
severity, analysis, rule, disposition and text, with the analyst's disposition and rationale;
and the open suggestions, to accept (as proposed or edited) or reject. Every decision is one
undoable edit of the document; the panel itself only shows the document and follows its
events.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from stipa.diagram.targets import canvas_ids_of
from stipa.model import (
    ContextRule,
    ControllerConstraint,
    Disposition,
    DocumentView,
    Event,
    Finding,
    Hazard,
    HistoryChanged,
    Loss,
    LossScenario,
    ModelError,
    RecordAdded,
    RecordChanged,
    RecordRemoved,
    RecordsAdded,
    Responsibility,
    Severity,
    StpaRecord,
    Suggestion,
    SuggestionStatus,
    SystemConstraint,
    UCAType,
    UnsafeControlAction,
)
from stipa.operations import decisions
from stipa.operations.targets import target_name, target_names
from stipa.ui.actions import make_action
from stipa.ui.following import REFRESH_RETRY_MS, DocumentFollower
from stipa.ui.severity import disposition_labels, severity_icon, severity_labels
from stipa.ui.slices import Slices

if TYPE_CHECKING:
    from stipa.ui.panel_context import PanelContext

#: Model role: the record id of a row.
ID_ROLE = Qt.ItemDataRole.UserRole
#: Finding columns.
SEVERITY, MESSAGE, TARGETS, ANALYSIS, RULE, DISPOSITION, RATIONALE = range(7)
#: Suggestion columns.
S_TYPE, S_PROPOSAL, S_MESSAGE, S_ANALYSIS, S_RULE, S_STATUS, S_RATIONALE = range(7)
#: Tables whose changes can change what the panel shows (records named as targets too).
WATCHED_TABLES = frozenset(
    {
        "findings",
        "suggestions",
        "components",
        "links",
        "losses",
        "hazards",
        "constraints",
        "responsibilities",
        "ucas",
        "controller_constraints",
        "scenarios",
        "context_rules",
    }
)
_DISPOSITION_ORDER = {d: i for i, d in enumerate(Disposition)}
#: Rows whose texts are worked out between two chances to stop for a slice.
ROW_BATCH = 200


def _tr(text: str) -> str:
    return QCoreApplication.translate("Findings", text)


# --- describing proposals -----------------------------------------------------------------------


def record_type_labels() -> dict[type, str]:
    """Readable names of the STPA record classes a suggestion can propose."""
    return {
        Loss: _tr("Loss"),
        Hazard: _tr("Hazard"),
        SystemConstraint: _tr("System-level constraint"),
        Responsibility: _tr("Responsibility"),
        UnsafeControlAction: _tr("Unsafe control action"),
        ControllerConstraint: _tr("Controller constraint"),
        LossScenario: _tr("Loss scenario"),
        ContextRule: _tr("Context rule"),
    }


def uca_type_labels() -> dict[UCAType, str]:
    """The four types of unsafe control action, as a phrase."""
    return {
        UCAType.NOT_PROVIDED: _tr("not provided"),
        UCAType.PROVIDED: _tr("provided"),
        UCAType.TIMING: _tr("too early, too late or out of order"),
        UCAType.DURATION: _tr("stopped too soon or applied too long"),
    }


def editable_field(record: StpaRecord) -> str:
    """The text field of a proposal the analyst edits before accepting it."""
    if isinstance(record, UnsafeControlAction):
        return "context"
    if isinstance(record, ContextRule):
        return "rationale"
    return "text"


def proposal_text(view: DocumentView, record: StpaRecord) -> str:
    """What a proposed record says, in one line."""
    if isinstance(record, UnsafeControlAction | ContextRule):
        action = target_name(view, record.action)
        kind = uca_type_labels()[record.type]
        detail = record.context if isinstance(record, UnsafeControlAction) else record.rationale
        return f"{action} ({kind}): {detail}" if detail else f"{action} ({kind})"
    return str(getattr(record, "text", ""))


@dataclass(frozen=True)
class ResultTitles:
    """What the analyses call themselves and their rules: the titles they declare."""

    #: Analysis titles by analysis id.
    analyses: Mapping[str, str]
    #: Rule titles by (analysis id, rule id).
    rules: Mapping[tuple[str, str], str]
    #: What each rule checks, by (analysis id, rule id): the declared descriptions.
    descriptions: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def analysis(self, analysis_id: str) -> str:
        """The title of an analysis (its id if it is not installed)."""
        return self.analyses.get(analysis_id, analysis_id)

    def rule(self, analysis_id: str, rule_id: str) -> str:
        """The title of a rule (its id if its analysis does not declare one)."""
        return self.rules.get((analysis_id, rule_id)) or rule_id

    def description(self, analysis_id: str, rule_id: str) -> str:
        """What a rule checks ("" if its analysis declares no description)."""
        return self.descriptions.get((analysis_id, rule_id), "")


def finding_row_text(view: DocumentView, finding: Finding, titles: ResultTitles) -> list[str]:
    """The displayed texts of a finding, column by column."""
    return [
        severity_labels()[finding.severity],
        finding.message,
        target_names(view, finding.targets),
        titles.analysis(finding.plugin),
        titles.rule(finding.plugin, finding.rule),
        disposition_labels()[finding.disposition],
        finding.rationale,
    ]


# --- models -------------------------------------------------------------------------------------


class ResultTableModel(QAbstractTableModel):
    """Analysis results (findings or suggestions), one row each, texts worked out once.

    The model sorts its rows itself (``sort``): a sorting proxy asks ``data`` twice per
    comparison, seconds for the 30,000 results of a big analysis; here one key per row is
    worked out and Python sorts them.
    """

    #: How many columns (the length of ``headers()``).
    COLUMNS = 7
    #: The titles the rows were last filled with (the Rule cell's tooltip says what it checks).
    titles = ResultTitles({}, {})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records: list[Any] = []
        self._texts: list[list[str]] = []
        self._row_of: dict[str, int] = {}
        #: The column and order rows are sorted by (None: document order).
        self._sorting: tuple[int, Qt.SortOrder] | None = None

    def headers(self) -> list[str]:
        """The column titles."""
        raise NotImplementedError

    def shown(self, view: DocumentView) -> list[Any]:
        """The records of ``view`` the model shows, in document order."""
        raise NotImplementedError

    def texts_of(self, view: DocumentView, titles: ResultTitles) -> Callable[[Any], list[str]]:
        """How a row's texts are worked out (what every row shares is looked up once)."""
        raise NotImplementedError

    def fill(self, view: DocumentView, titles: ResultTitles) -> Generator[None, None, None]:
        """Show the records of ``view``, yielding every ``ROW_BATCH`` rows; the rows change at
        the end, keeping rows (and selection) when only texts changed."""
        self.titles = titles
        records = self.shown(view)  # a list: the document may change between yields
        texts_of = self.texts_of(view, titles)
        texts = []
        for count, record in enumerate(records, start=1):
            if count % ROW_BATCH == 0:
                yield
            texts.append(texts_of(record))
        self._show(records, texts)

    def sort_key(self, record: Any, texts: list[str], column: int) -> Any:
        """What ``column`` sorts ``record`` by (its text, case-blind, unless overridden)."""
        return texts[column].casefold()

    def _ordered(
        self, records: list[Any], texts: list[list[str]]
    ) -> tuple[list[Any], list[list[str]]]:
        """``records`` and ``texts`` in the model's sort order."""
        if self._sorting is None or not records:
            return records, texts
        column, order = self._sorting
        keys = [self.sort_key(r, t, column) for r, t in zip(records, texts, strict=True)]
        rows = sorted(
            range(len(records)),
            key=keys.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        return [records[r] for r in rows], [texts[r] for r in rows]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sorting = (column, order)
        if not self.records:
            return
        self.layoutAboutToBeChanged.emit()
        ids = [r.id for r in self.records]
        self.records, self._texts = self._ordered(self.records, self._texts)
        self._row_of = {r.id: row for row, r in enumerate(self.records)}
        old = self.persistentIndexList()
        new = [self.index(self._row_of[ids[i.row()]], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _show(self, records: list[Any], texts: list[list[str]]) -> None:
        """Show ``records`` (sorted); keeps rows (and selection) when only texts changed."""
        records, texts = self._ordered(records, texts)
        if [r.id for r in records] == [r.id for r in self.records]:
            self.records, self._texts = records, texts
            if records:
                last = self.index(len(records) - 1, self.COLUMNS - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self.records, self._texts = records, texts
        self._row_of = {r.id: row for row, r in enumerate(records)}
        self.endResetModel()

    def row_texts(self, row: int) -> list[str]:
        """The displayed texts of a row."""
        return self._texts[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[index.row()][index.column()]
        if role == ID_ROLE:
            return self.records[index.row()].id
        return None


class SourceSorted(QSortFilterProxyModel):
    """A proxy whose view sorts by asking the source model (a ``ResultTableModel``)."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, ResultTableModel):
            source.sort(column, order)
        else:
            super().sort(column, order)


class FindingsModel(ResultTableModel):
    """The document's findings."""

    @property
    def findings(self) -> list[Finding]:
        """The findings shown, in row order."""
        return self.records

    def headers(self) -> list[str]:
        """The column titles."""
        return [
            _tr("Severity"),
            _tr("Message"),
            _tr("Targets"),
            _tr("Analysis"),
            _tr("Rule"),
            _tr("Disposition"),
            _tr("Rationale"),
        ]

    def sort_key(self, record: Any, texts: list[str], column: int) -> Any:
        if column == SEVERITY:
            return record.severity.rank
        if column == DISPOSITION:
            return _DISPOSITION_ORDER[record.disposition]
        return texts[column].casefold()

    def shown(self, view: DocumentView) -> list[Finding]:
        return list(view.findings.values())

    def texts_of(self, view: DocumentView, titles: ResultTitles) -> Callable[[Any], list[str]]:
        return lambda finding: finding_row_text(view, finding, titles)

    def update_findings(self, view: DocumentView, ids: set[str], titles: ResultTitles) -> bool:
        """Show new versions of the findings ``ids`` in place; False if a row must come or go."""
        if any(i not in self._row_of or i not in view.findings for i in ids):
            return False
        self.titles = titles
        for finding_id in ids:
            row = self._row_of[finding_id]
            finding = view.findings[finding_id]
            self.records[row] = finding
            self._texts[row] = finding_row_text(view, finding, titles)
            self.dataChanged.emit(self.index(row, 0), self.index(row, RATIONALE))
        return True

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        finding = self.records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DecorationRole and column == SEVERITY:
            return severity_icon(finding.severity)
        if role == Qt.ItemDataRole.ToolTipRole and column == RULE:
            title = self._texts[index.row()][RULE]  # whole, as the cell may elide it
            statement = self.titles.description(finding.plugin, finding.rule)
            reference = "" if title == finding.rule else f"\n({finding.rule})"
            return f"{title}{reference}" + (f"\n\n{statement}" if statement else "")
        return super().data(index, role)


class SuggestionsModel(ResultTableModel):
    """The document's suggestions (open ones, or all when ``show_decided``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_decided = False

    @property
    def suggestions(self) -> list[Suggestion]:
        """The suggestions shown, in row order."""
        return self.records

    def headers(self) -> list[str]:
        """The column titles."""
        return [
            _tr("Type"),
            _tr("Proposal"),
            _tr("Message"),
            _tr("Analysis"),
            _tr("Rule"),
            _tr("Status"),
            _tr("Rationale"),
        ]

    def shown(self, view: DocumentView) -> list[Suggestion]:
        return [
            s
            for s in view.suggestions.values()
            if self.show_decided or s.status == SuggestionStatus.OPEN
        ]

    def texts_of(self, view: DocumentView, titles: ResultTitles) -> Callable[[Any], list[str]]:
        statuses = {
            SuggestionStatus.OPEN: _tr("Open"),
            SuggestionStatus.ACCEPTED: _tr("Accepted"),
            SuggestionStatus.REJECTED: _tr("Rejected"),
        }
        types = record_type_labels()

        def texts(s: Suggestion) -> list[str]:
            return [
                types.get(type(s.proposal), type(s.proposal).__name__),
                proposal_text(view, s.proposal),
                s.message,
                titles.analysis(s.plugin),
                titles.rule(s.plugin, s.rule),
                statuses[s.status],
                s.rationale,
            ]

        return texts


class FindingsFilter(SourceSorted):
    """Keeps the findings matching the severity, analysis, rule, disposition and search
    text chosen (an empty choice matches everything); the model sorts them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.severity = ""
        self.analysis = ""
        self.rule = ""
        self.disposition = ""
        self.text = ""

    def set_filter(self, **choices: str) -> None:
        """Change some of ``severity``, ``analysis``, ``rule``, ``disposition``, ``text``."""
        self.beginFilterChange()
        for name, value in choices.items():
            if name not in ("severity", "analysis", "rule", "disposition", "text"):
                raise TypeError(f"unknown filter {name}")
            setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self,
        source_row: int,
        source_parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, FindingsModel)
        finding = model.findings[source_row]
        if self.severity and finding.severity.value != self.severity:
            return False
        if self.analysis and finding.plugin != self.analysis:
            return False
        if self.rule and finding.rule != self.rule:
            return False
        if self.disposition and finding.disposition.value != self.disposition:
            return False
        if self.text:
            needle = self.text.casefold()
            texts = model.row_texts(source_row)
            haystack = [*texts, finding.rule, finding.source, finding.id, *finding.targets]
            if not any(needle in text.casefold() for text in haystack):
                return False
        return True


# --- dialogs ------------------------------------------------------------------------------------


class RationaleDialog(QDialog):
    """Asks for a written rationale; OK stays disabled while the text is empty."""

    def __init__(
        self, title: str, prompt: str, initial: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.rationale")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.editor = QPlainTextEdit(initial)
        self.editor.setObjectName("rationale.text")
        self.editor.setAccessibleName(_tr("Rationale"))
        self.editor.setTabChangesFocus(True)
        label.setBuddy(self.editor)
        layout.addWidget(self.editor)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.editor.textChanged.connect(self._update_ok)
        self._update_ok()
        self.resize(420, 220)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.text()))

    def text(self) -> str:
        """The rationale typed, without surrounding white space."""
        return self.editor.toPlainText().strip()


class ProposalDialog(RationaleDialog):
    """Shows a suggestion's proposed text for editing before it is accepted."""

    def __init__(self, kind: str, message: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(
            _tr("Edit {0}").format(kind.lower()),
            _tr("{0}\n\nEdit the proposed text, then accept it:").format(message),
            text,
            parent,
        )
        self.setObjectName("dialog.proposal")
        self.editor.setObjectName("proposal.text")
        self.editor.setAccessibleName(_tr("Proposed text"))
        self.ok_button.setText(_tr("Accept"))


# --- the dock -----------------------------------------------------------------------------------


class FindingsDock(QDockWidget):
    """The findings and suggestions of the window's document, with the analyst's decisions."""

    def __init__(self, window: PanelContext) -> None:
        super().__init__(_tr("Findings"), window.window())
        self.setObjectName("dock.findings")
        self.setAccessibleName(_tr("Findings"))
        self.window_ = window
        #: The actions of the panel's buttons, by name; the window lists them with its own.
        self.actions_by_name: dict[str, QAction] = {}
        self._dirty = False
        #: What changed since the last refresh: some findings only, or possibly everything.
        self._changed_findings: set[str] = set()
        self._everything = False
        #: The refresh being worked on between events.
        self.slices = Slices(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("findings.tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_findings_page(), "")
        self.tabs.addTab(self._build_suggestions_page(), "")
        self.setWidget(self.tabs)
        self.follower = DocumentFollower(self, window, self._on_event, self.refresh)
        self.refresh()

    # --- construction ----------------------------------------------------------------------
    def _action(self, name: str, text: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = make_action(self, name, text, tip, slot)
        self.actions_by_name[name] = action
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setObjectName(action.objectName().replace("action.", "button."))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def _combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setToolTip(tip)
        combo.setAccessibleName(tip)
        # long analysis and rule names must not push the search box out of a narrow dock
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        return combo

    def _build_findings_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        filters = QHBoxLayout()
        self.severity_filter = self._combo("findings.severity", _tr("Show findings of severity"))
        self.severity_filter.addItem(_tr("All severities"), "")
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
            self.severity_filter.addItem(
                severity_icon(severity), severity_labels()[severity], severity.value
            )
        self.analysis_filter = self._combo("findings.analysis", _tr("Show findings of analysis"))
        self.rule_filter = self._combo("findings.rule", _tr("Show findings of rule"))
        self.disposition_filter = self._combo(
            "findings.disposition", _tr("Show findings with disposition")
        )
        self.disposition_filter.addItem(_tr("All dispositions"), "")
        for disposition, label in disposition_labels().items():
            self.disposition_filter.addItem(label, disposition.value)
        self.search = QLineEdit()
        self.search.setObjectName("findings.search")
        self.search.setPlaceholderText(_tr("Search findings…"))
        self.search.setAccessibleName(_tr("Search findings"))
        self.search.setToolTip(_tr("Show findings whose texts contain these words"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filters_changed)
        for combo in (
            self.severity_filter,
            self.analysis_filter,
            self.rule_filter,
            self.disposition_filter,
        ):
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self._filters_changed)
        filters.addWidget(self.search, 1)
        layout.addLayout(filters)

        self.findings_model = FindingsModel(self)
        self.findings_proxy = FindingsFilter(self)
        self.findings_proxy.setSourceModel(self.findings_model)
        self.findings_table = self._table("findings.table", self.findings_proxy)
        self.findings_table.setAccessibleName(_tr("Findings"))
        header = self.findings_table.horizontalHeader()
        header.setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Interactive)
        for column, width in ((SEVERITY, 90), (MESSAGE, 380), (TARGETS, 180), (ANALYSIS, 140)):
            self.findings_table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        self.findings_table.sortByColumn(SEVERITY, Qt.SortOrder.DescendingOrder)
        self.findings_table.doubleClicked.connect(lambda index: self.show_on_canvas())
        self.findings_table.customContextMenuRequested.connect(self._finding_context_menu)
        self.findings_table.selectionModel().selectionChanged.connect(self._finding_selection)

        # the selected finding whole, wrapped, beside the list: message, rule, source, targets
        self.detail = QLabel()
        self.detail.setObjectName("findings.detail")
        self.detail.setAccessibleName(_tr("Finding details"))
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMargin(6)
        self.detail_pane = QScrollArea()
        self.detail_pane.setObjectName("findings.detail_pane")
        self.detail_pane.setWidgetResizable(True)
        self.detail_pane.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_pane.setWidget(self.detail)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("findings.splitter")
        self.splitter.addWidget(self.findings_table)
        self.splitter.addWidget(self.detail_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 280])
        layout.addWidget(self.splitter, 1)

        a = self._action
        self.show_action = a(
            "finding_show",
            _tr("Show on Canvas"),
            _tr("Select the finding's targets on the canvas and scroll to them"),
            self.show_on_canvas,
        )
        self.accept_risk_action = a(
            "finding_accept_risk",
            _tr("Accept Risk…"),
            _tr("Accept the risk of the selected findings, with a rationale"),
            lambda: self.set_disposition(Disposition.ACCEPTED_RISK),
        )
        self.not_applicable_action = a(
            "finding_not_applicable",
            _tr("Not Applicable…"),
            _tr("Mark the selected findings as not applicable, with a rationale"),
            lambda: self.set_disposition(Disposition.NOT_APPLICABLE),
        )
        self.resolved_action = a(
            "finding_resolved",
            _tr("Resolved…"),
            _tr("Mark the selected findings as resolved, saying how"),
            lambda: self.set_disposition(Disposition.RESOLVED),
        )
        self.reopen_action = a(
            "finding_reopen",
            _tr("Reopen"),
            _tr("Make the selected findings open again"),
            lambda: self.set_disposition(Disposition.OPEN),
        )
        buttons = QHBoxLayout()  # the decisions
        buttons.addStretch(1)
        for action in (
            self.show_action,
            self.accept_risk_action,
            self.not_applicable_action,
            self.resolved_action,
            self.reopen_action,
        ):
            buttons.addWidget(self._button(action))
        layout.addLayout(buttons)
        return page

    def _build_suggestions_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(4, 4, 4, 4)
        self.suggestions_model = SuggestionsModel(self)
        self.suggestions_proxy = SourceSorted(self)
        self.suggestions_proxy.setSourceModel(self.suggestions_model)
        self.suggestions_table = self._table("suggestions.table", self.suggestions_proxy)
        self.suggestions_table.setAccessibleName(_tr("Suggestions"))
        header = self.suggestions_table.horizontalHeader()
        for column, width in ((S_TYPE, 150), (S_PROPOSAL, 360), (S_MESSAGE, 260)):
            self.suggestions_table.setColumnWidth(
                column, max(width, header.sectionSizeHint(column))
            )
        self.suggestions_table.doubleClicked.connect(lambda index: self.edit_suggestion())
        self.suggestions_table.customContextMenuRequested.connect(self._suggestion_context_menu)
        self.suggestions_table.selectionModel().selectionChanged.connect(self._update_actions)
        layout.addWidget(self.suggestions_table, 1)
        a = self._action
        self.accept_suggestion_action = a(
            "suggestion_accept",
            _tr("Accept"),
            _tr("Add the proposed records to the analysis"),
            self.accept_suggestions,
        )
        self.edit_suggestion_action = a(
            "suggestion_edit",
            _tr("Edit and Accept…"),
            _tr("Edit the proposed text, then add it to the analysis"),
            self.edit_suggestion,
        )
        self.reject_suggestion_action = a(
            "suggestion_reject",
            _tr("Reject…"),
            _tr("Reject the selected suggestions, with a rationale"),
            self.reject_suggestions,
        )
        buttons = QHBoxLayout()
        for action in (
            self.accept_suggestion_action,
            self.edit_suggestion_action,
            self.reject_suggestion_action,
        ):
            buttons.addWidget(self._button(action))
        buttons.addStretch(1)
        self.show_decided = QCheckBox(_tr("Show decided"))
        self.show_decided.setObjectName("suggestions.show_decided")
        self.show_decided.setToolTip(_tr("Also list accepted and rejected suggestions"))
        self.show_decided.toggled.connect(self._show_decided_toggled)
        buttons.addWidget(self.show_decided)
        layout.addLayout(buttons)
        return page

    def _table(self, name: str, model: QSortFilterProxyModel) -> QTableView:
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setHighlightSections(False)
        return table

    # --- following the document ------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        if isinstance(event, RecordAdded | RecordsAdded | RecordChanged | RecordRemoved):
            if event.table not in WATCHED_TABLES:
                return
            if isinstance(event, RecordChanged) and event.table == "findings":
                self._changed_findings.add(event.new.id)  # e.g. a disposition: rows stay
            else:
                self._everything = True
            if not self._dirty:
                self._dirty = True
                QTimer.singleShot(0, self._refresh_if_dirty)
        elif isinstance(event, HistoryChanged):
            self._refresh_if_dirty()

    def _refresh_if_dirty(self) -> None:
        if not shiboken6.isValid(self):
            return
        if self.window_.document.in_transaction:  # applied in slices: once, when it closes
            QTimer.singleShot(REFRESH_RETRY_MS, self._refresh_if_dirty)
        elif self._dirty:
            self.refresh()

    def titles(self) -> ResultTitles:
        """The titles of the analyses and their rules, from the window's plugin host."""
        analyses = self.window_.host.analyses
        declared = [(aid, rule) for aid, a in analyses.items() for rule in a.catalogue.values()]
        return ResultTitles(
            {aid: analysis.title for aid, analysis in analyses.items()},
            {(aid, rule.id): rule.title for aid, rule in declared},
            {(aid, rule.id): rule.description for aid, rule in declared if rule.description},
        )

    def rule_title(self, finding: Finding) -> str:
        """The title its analysis declares for the rule of ``finding`` (its id if none)."""
        return self.titles().rule(finding.plugin, finding.rule)

    def bring_forward(self) -> None:
        """Show the findings tab of the dock in front of the docks it is tabbed with."""
        self.show()
        self.raise_()
        self.tabs.setCurrentIndex(0)

    def refresh(self) -> None:
        """Show the document's findings and suggestions as they are now.

        When only some findings changed (a disposition, say) just their rows are updated;
        anything else rebuilds the texts of every row. Thousands of rows take a while: they
        are worked out a slice at a time between events (a small document's at once), and a
        refresh meanwhile starts over.
        """
        changed, everything = self._changed_findings, self._everything
        self._dirty, self._changed_findings, self._everything = False, set(), False
        everything |= self.slices.running  # the rebuild left unfinished is still owed
        self.slices.start(self._refresh_steps(changed, everything))

    def _refresh_steps(self, changed: set[str], everything: bool) -> Generator[None, None, None]:
        doc = self.window_.document
        titles = self.titles()
        selected = self.selected_finding_ids()
        chosen_suggestions = self.selected_suggestion_ids()
        if (
            everything
            or not changed
            or not self.findings_model.update_findings(doc, changed, titles)
        ):
            yield from self.findings_model.fill(doc, titles)
        if everything or not changed:
            yield from self.suggestions_model.fill(doc, titles)
        self._fill_choices(
            self.analysis_filter,
            _tr("All analyses"),
            {f.plugin: titles.analysis(f.plugin) for f in doc.findings.values()},
        )
        self._fill_choices(
            self.rule_filter,
            _tr("All rules"),
            {f.rule: titles.rule(f.plugin, f.rule) for f in doc.findings.values()},
        )
        self._select(self.findings_table, selected)
        self._select(self.suggestions_table, chosen_suggestions)
        open_findings = sum(f.disposition == Disposition.OPEN for f in doc.findings.values())
        self.tabs.setTabText(
            0, _tr("Findings ({0} open of {1})").format(open_findings, len(doc.findings))
        )
        self.tabs.setTabText(1, _tr("Suggestions ({0})").format(self.open_suggestion_count()))
        self._finding_selection()

    def open_suggestion_count(self) -> int:
        """How many suggestions wait for a decision."""
        return sum(
            s.status == SuggestionStatus.OPEN for s in self.window_.document.suggestions.values()
        )

    def _fill_choices(self, combo: QComboBox, everything: str, choices: dict[str, str]) -> None:
        current = combo.currentData() or ""
        wanted = [("", everything), *sorted(choices.items(), key=lambda c: c[1].casefold())]
        present = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
        if present == wanted:
            return
        combo.blockSignals(True)
        combo.clear()
        for data, text in wanted:
            combo.addItem(text, data)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if index < 0 and current:
            self._filters_changed()  # the chosen analysis or rule has no findings left

    def _filters_changed(self) -> None:
        self.findings_proxy.set_filter(
            severity=self.severity_filter.currentData() or "",
            analysis=self.analysis_filter.currentData() or "",
            rule=self.rule_filter.currentData() or "",
            disposition=self.disposition_filter.currentData() or "",
            text=self.search.text().strip(),
        )
        self._finding_selection()

    def _show_decided_toggled(self, checked: bool) -> None:
        self.suggestions_model.show_decided = checked
        self.refresh()

    # --- selection -------------------------------------------------------------------------
    @staticmethod
    def _ids_of(table: QTableView) -> list[str]:
        rows = sorted({index.row() for index in table.selectionModel().selectedRows()})
        model = table.model()
        return [str(model.data(model.index(row, 0), ID_ROLE)) for row in rows]

    def selected_finding_ids(self) -> list[str]:
        """Ids of the selected findings, in the order shown."""
        return self._ids_of(self.findings_table)

    def selected_suggestion_ids(self) -> list[str]:
        """Ids of the selected suggestions, in the order shown."""
        return self._ids_of(self.suggestions_table)

    def selected_findings(self) -> list[Finding]:
        """The selected findings that still exist."""
        findings = self.window_.document.findings
        return [findings[i] for i in self.selected_finding_ids() if i in findings]

    def selected_suggestions(self) -> list[Suggestion]:
        """The selected suggestions that still exist."""
        suggestions = self.window_.document.suggestions
        return [suggestions[i] for i in self.selected_suggestion_ids() if i in suggestions]

    def _select(self, table: QTableView, ids: Iterable[str]) -> None:
        wanted = set(ids)
        selection = table.selectionModel()
        model = table.model()
        if not wanted:
            return
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if model.data(index, ID_ROLE) in wanted:
                selection.select(index, flags)

    def _finding_selection(self) -> None:
        findings = self.selected_findings()
        if len(findings) == 1:
            self.detail.setText(self.detail_text(findings[0]))
        elif findings:
            self.detail.setText(_tr("{0} findings selected").format(len(findings)))
        else:
            self.detail.setText("")
        self._update_actions()

    def detail_text(self, finding: Finding) -> str:
        """The details of a finding: its whole message, rule, analysis, source, targets, data."""
        doc = self.window_.document
        titles = self.titles()
        rule = titles.rule(finding.plugin, finding.rule)
        statement = titles.description(finding.plugin, finding.rule)
        lines = [  # the rule and its source first: they stay in sight above a long message
            _tr("Rule: {0}").format(rule if rule == finding.rule else f"{rule} ({finding.rule})"),
            *([statement] if statement else []),
            _tr("Source: {0}").format(finding.source or _tr("not stated")),
            "",
            finding.message,
            "",
            _tr("Analysis: {0}").format(titles.analysis(finding.plugin)),
        ]
        if finding.targets:
            lines.append(_tr("Targets: {0}").format(target_names(doc, finding.targets)))
        if finding.data:
            lines.append(", ".join(f"{key} = {value}" for key, value in finding.data))
        if finding.rationale:
            lines.append(_tr("Rationale: {0}").format(finding.rationale))
        lines.append(_tr("Finding {0}").format(finding.id))
        return "\n".join(lines)

    def _update_actions(self) -> None:
        findings = self.selected_findings()
        for action in (self.accept_risk_action, self.not_applicable_action, self.resolved_action):
            action.setEnabled(bool(findings))
        self.reopen_action.setEnabled(any(f.disposition != Disposition.OPEN for f in findings))
        self.show_action.setEnabled(len(findings) == 1 and bool(findings[0].targets))
        suggestions = self.selected_suggestions()
        deciding = bool(suggestions) and all(s.status == SuggestionStatus.OPEN for s in suggestions)
        self.accept_suggestion_action.setEnabled(deciding)
        self.reject_suggestion_action.setEnabled(deciding)
        self.edit_suggestion_action.setEnabled(deciding and len(suggestions) == 1)

    # --- context menus (built by methods, so tests can look without opening them) --------
    def finding_menu(self) -> QMenu:
        """The findings table's context menu."""
        menu = QMenu(self)
        menu.addAction(self.show_action)
        menu.addSeparator()
        menu.addActions(
            [
                self.accept_risk_action,
                self.not_applicable_action,
                self.resolved_action,
                self.reopen_action,
            ]
        )
        return menu

    def suggestion_menu(self) -> QMenu:
        """The suggestions table's context menu."""
        menu = QMenu(self)
        menu.addActions(
            [
                self.accept_suggestion_action,
                self.edit_suggestion_action,
                self.reject_suggestion_action,
            ]
        )
        return menu

    def _finding_context_menu(self, point: QPoint) -> None:
        menu = self.finding_menu()
        menu.exec(self.findings_table.viewport().mapToGlobal(point))
        menu.deleteLater()

    def _suggestion_context_menu(self, point: QPoint) -> None:
        menu = self.suggestion_menu()
        menu.exec(self.suggestions_table.viewport().mapToGlobal(point))
        menu.deleteLater()

    # --- canvas ----------------------------------------------------------------------------
    def show_on_canvas(self) -> None:
        """Select the current finding's targets on the canvas and centre the view on them."""
        findings = self.selected_findings()
        index = self.findings_table.currentIndex()
        if index.isValid():
            current = self.window_.document.findings.get(
                str(self.findings_proxy.data(index, ID_ROLE))
            )
            if current is not None:
                findings = [current]
        if not findings:
            return
        window = self.window_
        ids = canvas_ids_of(window.document, findings[0].targets)
        diagram = window.diagram
        items = [diagram.components.get(i) or diagram.links.get(i) for i in ids]
        shown = [item for item in items if item is not None]
        if not shown:
            window.statusBar().showMessage(
                _tr("The targets of {0} are not drawn on the canvas.").format(findings[0].id),
                6000,
            )
            return
        diagram.select_ids(ids)
        window.view.zoom_to_items(shown)  # readable, not just scrolled into view

    # --- decisions -------------------------------------------------------------------------
    def ask_rationale(self, title: str, prompt: str, initial: str = "") -> str | None:
        """Ask for a rationale in a dialog; None when cancelled (tests replace this)."""
        dialog = RationaleDialog(title, prompt, initial, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.text()
        finally:
            dialog.deleteLater()

    def ask_proposal_text(self, suggestion: Suggestion) -> str | None:
        """Let the analyst edit a proposal's text; None when cancelled (tests replace this)."""
        proposal = suggestion.proposal
        kind = record_type_labels().get(type(proposal), type(proposal).__name__)
        text = str(getattr(proposal, editable_field(proposal)))
        dialog = ProposalDialog(kind, suggestion.message, text, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.text()
        finally:
            dialog.deleteLater()

    def _try(self, edit: Callable[[], object]) -> bool:
        """Run ``edit`` (one operation); a refused edit is said in the status bar."""
        try:
            edit()
        except ModelError as error:
            self.window_.statusBar().showMessage(str(error), 10000)
            return False
        return True

    def set_disposition(self, disposition: Disposition) -> bool:
        """Set the selected findings' disposition (asking for the rationale) as one step."""
        findings = self.selected_findings()
        if disposition == Disposition.OPEN:
            findings = [f for f in findings if f.disposition != Disposition.OPEN]
        if not findings:
            return False
        verbs = {
            Disposition.ACCEPTED_RISK: _tr("Accept risk"),
            Disposition.NOT_APPLICABLE: _tr("Mark not applicable"),
            Disposition.RESOLVED: _tr("Mark resolved"),
            Disposition.OPEN: _tr("Reopen"),
        }
        verb = verbs[disposition]
        if len(findings) == 1:
            label = _tr("{0}: {1}").format(verb, findings[0].id)
        else:
            label = _tr("{0}: {1} findings").format(verb, len(findings))
        rationale = ""
        if disposition != Disposition.OPEN:
            prompts = {
                Disposition.ACCEPTED_RISK: _tr("Why is this risk acceptable?"),
                Disposition.NOT_APPLICABLE: _tr("Why does this finding not apply?"),
                Disposition.RESOLVED: _tr("How was this finding resolved?"),
            }
            same = {f.rationale for f in findings if f.disposition == disposition}
            initial = same.pop() if len(same) == 1 else ""
            answer = self.ask_rationale(label, prompts[disposition], initial)
            if answer is None or not answer.strip():
                return False
            rationale = answer.strip()

        return self._try(
            lambda: decisions.set_disposition(
                self.window_.document, [f.id for f in findings], disposition, rationale, label
            ),
        )

    def accept_suggestions(self) -> bool:
        """Add the selected suggestions' proposals as records, and mark them accepted."""
        suggestions = [s for s in self.selected_suggestions() if s.status == SuggestionStatus.OPEN]
        if not suggestions:
            return False
        return self._accept([(s, s.proposal) for s in suggestions])

    def edit_suggestion(self) -> bool:
        """Edit the selected suggestion's proposal, then accept it."""
        suggestions = [s for s in self.selected_suggestions() if s.status == SuggestionStatus.OPEN]
        if len(suggestions) != 1:
            return False
        suggestion = suggestions[0]
        text = self.ask_proposal_text(suggestion)
        if text is None:
            return False
        proposal = suggestion.proposal.replace(**{editable_field(suggestion.proposal): text})
        return self._accept([(suggestion, proposal)])

    def _accept(self, chosen: list[tuple[Suggestion, StpaRecord]]) -> bool:
        doc = self.window_.document
        added: list[str] = []
        if len(chosen) == 1:
            label = _tr("Accept suggestion {0}").format(chosen[0][0].id)
        else:
            label = _tr("Accept {0} suggestions").format(len(chosen))

        def edit() -> None:
            added.extend(decisions.accept_suggestions(doc, [(s.id, p) for s, p in chosen], label))

        if not self._try(edit):
            return False
        self.window_.statusBar().showMessage(_tr("Added {0}").format(", ".join(added)), 6000)
        return True

    def reject_suggestions(self) -> bool:
        """Reject the selected suggestions, asking for the rationale, as one step."""
        suggestions = [s for s in self.selected_suggestions() if s.status == SuggestionStatus.OPEN]
        if not suggestions:
            return False
        if len(suggestions) == 1:
            label = _tr("Reject suggestion {0}").format(suggestions[0].id)
        else:
            label = _tr("Reject {0} suggestions").format(len(suggestions))
        answer = self.ask_rationale(label, _tr("Why is this suggestion rejected?"))
        if answer is None or not answer.strip():
            return False
        rationale = answer.strip()

        return self._try(
            lambda: decisions.reject_suggestions(
                self.window_.document, [s.id for s in suggestions], rationale, label
            ),
        )
