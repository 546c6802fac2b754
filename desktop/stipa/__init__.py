"""Stipa: system-theoretic safety analysis (STAMP/STPA) of sociotechnical systems.

The public scripting API. Everything a script or an in-house plugin needs is importable from
here; anything else is internal and may change.

Examples
--------
>>> import stipa
>>> doc = stipa.Document()
>>> bscu = doc.add(stipa.Component(name="BSCU Autobrake", nature="software"))
>>> wheels = doc.add(stipa.Component(name="Wheels", kind="controlled_process",
...                                  nature="physical"))
>>> brake = doc.add(stipa.Link(source=bscu.id, target=wheels.id,
...                            items=[stipa.LinkItem(name="Brake")]))
>>> brake.items[0].id
'CA-1'
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from stipa.io import (
    FileFormatError,
    FileProblem,
    canonical_extension,
    dumps,
    load,
    loads,
    parse_foreign_json,
    parse_foreign_xml,
    read_foreign_file,
    save,
)
from stipa.model import *  # noqa: F403
from stipa.model import __all__ as _model_names
from stipa.operations.analyses import AnalysisReport, analyse
from stipa.plugin import (
    Analysis,
    AnalysisContext,
    Cancelled,
    Exporter,
    Imported,
    Importer,
    ImportNote,
    ImportReport,
    PluginView,
    PropertySpec,
    Rule,
    hookimpl,
)
from stipa.resources import resource_path

if TYPE_CHECKING:
    from stipa import export

try:
    __version__ = version("stipa")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "Analysis",
    "AnalysisContext",
    "AnalysisReport",
    "Cancelled",
    "Exporter",
    "FileFormatError",
    "FileProblem",
    "ImportNote",
    "ImportReport",
    "Imported",
    "Importer",
    "PluginView",
    "PropertySpec",
    "Rule",
    "__version__",
    "analyse",
    "canonical_extension",
    "dumps",
    "export",
    "hookimpl",
    "load",
    "loads",
    "parse_foreign_json",
    "parse_foreign_xml",
    "read_foreign_file",
    "resource_path",
    "save",
    *_model_names,
]


def __getattr__(name: str) -> object:
    """``stipa.export`` on first use: the exporters cost start-up that most commands need not
    pay (``stipa --version``, ``validate``, a headless SVG)."""
    if name == "export":
        return import_module("stipa.export")
    raise AttributeError(f"module 'stipa' has no attribute {name!r}")
