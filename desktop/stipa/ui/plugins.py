"""The application's plugin host: discovered once per process, honouring the settings."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from stipa.plugin import PluginHost

#: QSettings key listing plugin names the user disabled.
DISABLED_SETTING = "plugins/disabled"
_host: PluginHost | None = None


def disabled_plugins(settings: QSettings) -> set[str]:
    """Plugin names disabled in ``settings``."""
    stored = settings.value(DISABLED_SETTING, [])
    # QSettings gives a str for a one-element list, a list for more, None when unset
    names = (
        [stored] if isinstance(stored, str) else list(stored) if isinstance(stored, list) else []
    )
    return {str(name) for name in names if name}


def set_disabled_plugins(settings: QSettings, names: set[str]) -> None:
    """Remember in ``settings`` which plugins to leave out (takes effect at the next start)."""
    settings.setValue(DISABLED_SETTING, sorted(names))


def application_host() -> PluginHost:
    """The process-wide host; discovery runs on first use."""
    global _host
    if _host is None:
        _host = PluginHost(disabled=disabled_plugins(QSettings())).discover()
    return _host
