"""The plugin host: hook specifications, discovery with isolation, and the plugin API."""

from stipa.plugin.api import (
    PROPERTY_TYPES,
    VIEW_KINDS,
    Analysis,
    AnalysisContext,
    AnalysisOutput,
    Cancelled,
    Exporter,
    Imported,
    Importer,
    ImportNote,
    ImportReport,
    PluginView,
    PropertySpec,
    Rule,
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
    "VIEW_KINDS",
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
    "PluginView",
    "PropertySpec",
    "Rule",
    "hookimpl",
    "hookspec",
]
