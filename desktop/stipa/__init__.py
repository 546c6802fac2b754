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

from importlib.metadata import PackageNotFoundError, version

from stipa import export
from stipa.io import FileFormatError, dumps, load, loads, save
from stipa.model import *  # noqa: F403
from stipa.model import __all__ as _model_names
from stipa.operations.analyses import AnalysisReport, analyse
from stipa.plugin import (
    Analysis,
    AnalysisContext,
    Cancelled,
    Exporter,
    Importer,
    PropertySpec,
    hookimpl,
)
from stipa.resources import resource_path

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
    "Importer",
    "PropertySpec",
    "__version__",
    "analyse",
    "dumps",
    "export",
    "hookimpl",
    "load",
    "loads",
    "resource_path",
    "save",
    *_model_names,
]
