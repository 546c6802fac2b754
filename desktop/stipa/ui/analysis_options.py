"""The Analysis Options dialog: the options the installed analyses declare, kept in the settings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from stipa.plugin import Analysis

#: QSettings group holding the analysis options (``KEY=VALUE`` as ``stipa analyze --option``).
OPTIONS_GROUP = "analysis/options"


def _tr(text: str) -> str:
    return QCoreApplication.translate("AnalysisOptions", text)


def analysis_options(settings: QSettings) -> dict[str, str]:
    """The options a window's analyses run with (those set in the Analysis Options dialog), as
    kept in its ``settings``."""
    settings.beginGroup(OPTIONS_GROUP)
    try:
        return {key: str(settings.value(key, "")) for key in settings.childKeys()}
    finally:
        settings.endGroup()


def set_analysis_options(settings: QSettings, options: Mapping[str, str]) -> None:
    """Keep ``options`` as the analysis options in ``settings``; an empty value leaves the
    option out."""
    settings.remove(OPTIONS_GROUP)
    settings.beginGroup(OPTIONS_GROUP)
    for key, value in options.items():
        if value.strip():
            settings.setValue(key, value.strip())
    settings.endGroup()


class AnalysisOptionsDialog(QDialog):
    """One group per analysis with options: a list for fixed values, else a text field.

    The options are the user's, like the CLI's ``--option``: they apply to every document
    this user analyses, and the rule texts say which findings they change.
    """

    def __init__(
        self, analyses: Iterable[Analysis], settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.analysis_options")
        self.setWindowTitle(_tr("Analysis Options"))
        #: Where the options are kept (the window's settings).
        self.settings = settings
        current = analysis_options(settings)
        #: Option name -> its field; an option two analyses declare is one field (one value).
        self.fields: dict[str, QComboBox | QLineEdit] = {}
        layout = QVBoxLayout(self)
        for analysis in analyses:
            names = [name for name in analysis.options if name not in self.fields]
            if not names:
                continue
            group = QGroupBox(analysis.title, self)
            form = QFormLayout(group)
            for name in names:
                form.addRow(name, self._field(analysis, name, current.get(name, "")))
            layout.addWidget(group)
        if not self.fields:
            layout.addWidget(QLabel(_tr("The installed analyses have no options."), self))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("buttons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _field(self, analysis: Analysis, name: str, value: str) -> QWidget:
        help_text = analysis.options[name]
        choices = analysis.choices.get(name, ())
        field: QComboBox | QLineEdit
        if choices:
            field = QComboBox(self)
            field.addItems(list(choices))
            # a value set elsewhere (an older version, by hand) is shown, not silently dropped
            if value and value not in choices:
                field.addItem(value)
            field.setCurrentText(value or choices[0])
        else:
            field = QLineEdit(value, self)
            field.setPlaceholderText(_tr("default"))
        field.setObjectName(f"option.{name}")
        field.setToolTip(help_text)
        field.setWhatsThis(help_text)
        self.fields[name] = field
        return field

    def values(self) -> dict[str, str]:
        """The options as chosen; a list's first value (the default) is left out."""
        chosen: dict[str, str] = {}
        for name, field in self.fields.items():
            if isinstance(field, QComboBox):
                if field.currentIndex() > 0:
                    chosen[name] = field.currentText()
            elif field.text().strip():
                chosen[name] = field.text().strip()
        return chosen

    def accept(self) -> None:
        """Keep the chosen options in the settings (and those of analyses not installed now)."""
        kept = {k: v for k, v in analysis_options(self.settings).items() if k not in self.fields}
        set_analysis_options(self.settings, kept | self.values())
        super().accept()
