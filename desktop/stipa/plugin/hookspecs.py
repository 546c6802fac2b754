"""The hooks a Stipa plugin can implement.

Every hook *declares* something; the host calls it once per plugin at start-up, one
implementation at a time, and records a failure against the plugin that raised it. Hooks are
called with keyword arguments only, so an implementation may accept fewer arguments than the
specification lists, and hooks can gain arguments later without breaking plugins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from stipa.plugin.api import Analysis, Exporter, Importer, PluginView, PropertySpec

#: The project name pluggy uses for Stipa's hooks.
PROJECT = "stipa"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def stipa_analyses() -> Sequence[Analysis]:
    """Declare the analyses this plugin provides.

    Called once when the plugin is registered.

    Returns
    -------
    Sequence[Analysis]
        One :class:`stipa.Analysis` per analysis. Each has a globally unique ``id``
        (prefix it with your organisation, e.g. ``"acme.ai-policy"``), a title for menus and
        reports, and a ``run(context)`` function that reads ``context.snapshot`` and returns
        or yields :class:`stipa.Finding` and :class:`stipa.Suggestion` records made with
        ``context.finding(...)`` and ``context.suggestion(...)``.

        ``rules`` declares every rule the analysis reports, each a :class:`stipa.Rule` with
        a short capitalised ``title`` that names it ("Accountable AI owner"), an optional
        ``description`` saying what it checks (shown in a finding's details, ``stipa
        plugins``, the plugins panel and reports), its severity and source.

        The snapshot exposes containment: ``Component.parent`` is the id of the component
        containing a component ("" at the top), ``Component.level`` its stated hierarchy
        level (or None), and ``snapshot.children_of(id)``, ``descendants_of(id)`` and
        ``ancestors_of(id)`` walk it; ``context.graph`` nodes carry ``parent`` and ``level``.
        A component of kind ``boundary`` marks "the system": a frame holding components, not
        an actor (it has no links and no process model).
    """
    raise NotImplementedError  # a specification only


@hookspec
def stipa_component_properties() -> Sequence[PropertySpec]:
    """Declare typed properties this plugin adds to components.

    Called once when the plugin is registered. The property inspector shows them for the
    components they apply to, and their values are saved in the plugin's XML namespace (kept
    untouched by installations without the plugin).

    Returns
    -------
    Sequence[PropertySpec]
        One :class:`stipa.PropertySpec` per property.
    """
    raise NotImplementedError


@hookspec
def stipa_exporters() -> Sequence[Exporter]:
    """Declare export formats this plugin writes.

    Called once when the plugin is registered.

    Returns
    -------
    Sequence[Exporter]
        One :class:`stipa.Exporter` per format: an id, a title, the file extensions it
        writes, and ``export(snapshot, path, options)``.
    """
    raise NotImplementedError


@hookspec
def stipa_importers() -> Sequence[Importer]:
    """Declare file formats this plugin reads into a Stipa document.

    Called once when the plugin is registered.

    Returns
    -------
    Sequence[Importer]
        One :class:`stipa.Importer` per format: an id, a title, the file extensions it
        reads, and ``load(path) -> Document``.
    """
    raise NotImplementedError


@hookspec
def stipa_views() -> Sequence[PluginView]:
    """Declare the data this plugin computes for views of the desktop application.

    Called once when the plugin is registered. The window offers a view for each kind it
    knows (``stipa.plugin.VIEW_KINDS``) and calls ``compute`` when the view opens and after
    edits; a failure is recorded against the plugin and shown in the view. This is how the
    responsibility matrix and accountability chains get their data: the desktop application
    never reaches into a plugin module.

    Returns
    -------
    Sequence[PluginView]
        One :class:`stipa.PluginView` per view: an id, a title, its ``kind`` and
        ``compute(view, *arguments)`` returning the plain data that kind documents.
    """
    raise NotImplementedError


#: The hooks, in the order the host calls them.
HOOKS: tuple[str, ...] = (
    "stipa_component_properties",
    "stipa_analyses",
    "stipa_exporters",
    "stipa_importers",
    "stipa_views",
)
