"""The built-in import formats (plugin ``stipa.importers``): other STPA tools' files.

Each format is a :class:`stipa.Importer` whose ``load`` returns the document and its report
(:class:`stipa.Imported`); an in-house plugin declares its own formats the same way. The
formats (IMPORTERS.md describes each):

========  ===================================================================================
pasta     PASTA ``.stpa`` (both keyword generations); ``stipa export -o F.stpa`` writes back
xstampp   XSTAMPP ``.haz`` (A-STPA 0.15) and ``.hazx`` (3.x), positions kept
webstamp  WebSTAMP ``.json`` and ``.xml`` exports
capella   STPA-Capella ``.capella`` (the layout lives in ``.aird``, not read: laid out anew)
gaphor    Gaphor RAAML ``.gaphor`` (best effort: STPA is encoded by modelling pattern)
========  ===================================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from stipa import Exporter, Importer, hookimpl


def _on_first_use(module: str, function: str) -> Callable[..., Any]:
    """``stipa_builtins.importers.<module>.<function>``, imported when first called.

    Every command discovers the plugins; the readers are needed only when a file is imported,
    so discovery (and with it ``stipa export`` and ``stipa validate``) does not pay for them.
    """

    def call(*args: Any, **kwargs: Any) -> Any:
        target = getattr(import_module(f"stipa_builtins.importers.{module}"), function)
        return target(*args, **kwargs)

    call.__name__ = call.__qualname__ = function
    call.__doc__ = f"``stipa_builtins.importers.{module}.{function}``, imported on first use."
    return call


IMPORTERS: tuple[Importer, ...] = (
    Importer(
        id="pasta",
        title="PASTA analysis",
        extensions=(".stpa",),
        load=_on_first_use("pasta", "load"),
        description="PASTA's STPA language (VS Code), before and after PASTA 0.6.3.",
    ),
    Importer(
        id="xstampp",
        title="XSTAMPP project",
        extensions=(".haz", ".hazx"),
        load=_on_first_use("xstampp", "load"),
        description="XSTAMPP 3 / A-STPA projects, with the control structure's positions.",
    ),
    Importer(
        id="webstamp",
        title="WebSTAMP export",
        extensions=(".json", ".xml"),
        load=_on_first_use("webstamp", "load"),
        description="A WebSTAMP project exported as JSON or XML.",
    ),
    Importer(
        id="capella",
        title="STPA-Capella model",
        extensions=(".capella",),
        load=_on_first_use("capella", "load"),
        description="The STPA objects of a Capella project (STPA-Capella).",
    ),
    Importer(
        id="gaphor",
        title="Gaphor RAAML model",
        extensions=(".gaphor",),
        load=_on_first_use("gaphor", "load"),
        description="Losses, hazards, components and scenarios of a Gaphor RAAML model "
        "(best effort; the rest is listed).",
    ),
)

EXPORTERS: tuple[Exporter, ...] = (
    Exporter(
        id="pasta",
        title="PASTA analysis",
        extensions=(".stpa",),
        export=_on_first_use("pasta_export", "export"),
        description="The analysis in PASTA's STPA language, for PASTA (VS Code).",
    ),
)


@hookimpl
def stipa_importers() -> tuple[Importer, ...]:
    """The built-in import formats."""
    return IMPORTERS


@hookimpl
def stipa_exporters() -> tuple[Exporter, ...]:
    """Writing back to PASTA."""
    return EXPORTERS
