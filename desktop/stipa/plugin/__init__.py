"""The plugin host: hook specifications, discovery with isolation, and the plugin API."""

from stipa.plugin.api import (
    PROPERTY_TYPES,
    Analysis,
    AnalysisContext,
    AnalysisOutput,
    Cancelled,
    Exporter,
    Imported,
    Importer,
    ImportNote,
    ImportReport,
    PropertySpec,
)
from stipa.plugin.hookspecs import HOOKS, hookimpl, hookspec
from stipa.plugin.host import (
    DISABLE_VARIABLE,
    ENTRY_POINT_GROUP,
    PluginFailure,
    PluginHost,
    PluginInfo,
)

__all__ = [
    "DISABLE_VARIABLE",
    "ENTRY_POINT_GROUP",
    "HOOKS",
    "PROPERTY_TYPES",
    "Analysis",
    "AnalysisContext",
    "AnalysisOutput",
    "Cancelled",
    "Exporter",
    "ImportNote",
    "ImportReport",
    "Imported",
    "Importer",
    "PluginFailure",
    "PluginHost",
    "PluginInfo",
    "PropertySpec",
    "hookimpl",
    "hookspec",
]
