"""The plugin host: discovery through entry points, with every plugin isolated from the rest.

pluggy isolates nothing (``load_setuptools_entrypoints`` stops at the first broken plugin,
one raising implementation aborts a hook call), so the host loads, registers and calls each
plugin on its own and records what failed as data, for the plugins panel and
``stipa plugins``.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import pluggy

from stipa.plugin import hookspecs
from stipa.plugin.api import Analysis, Exporter, Importer, PluginView, PropertySpec

#: The entry-point group plugins (built-ins too) register under.
ENTRY_POINT_GROUP = "stipa.plugins"
#: Comma-separated plugin names to leave out, e.g. ``STIPA_DISABLE_PLUGINS=acme.policy``.
DISABLE_VARIABLE = "STIPA_DISABLE_PLUGINS"
_DECLARED = {
    "stipa_analyses": Analysis,
    "stipa_component_properties": PropertySpec,
    "stipa_exporters": Exporter,
    "stipa_importers": Importer,
    "stipa_views": PluginView,
}


@dataclass(frozen=True)
class PluginFailure:
    """Something a plugin did wrong, and when: ``load``, ``register``, a hook name, or a run."""

    plugin: str
    phase: str
    message: str
    traceback: str = ""
    distribution: str = ""
    version: str = ""

    def __str__(self) -> str:
        return f"{self.plugin} ({self.phase}): {self.message}"


@dataclass
class PluginInfo:
    """What the host knows about one plugin."""

    name: str
    distribution: str = ""
    version: str = ""
    module: str = ""
    status: str = "active"  # active, disabled or failed
    hooks: list[str] = field(default_factory=list)
    analyses: list[str] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``stipa plugins --format json``."""
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "module": self.module,
            "status": self.status,
            "hooks": list(self.hooks),
            "analyses": list(self.analyses),
            "failures": [
                {"phase": f.phase, "message": f.message, "traceback": f.traceback}
                for f in self.failures
            ],
        }


def disabled_from_environment() -> set[str]:
    """Plugin names listed in ``STIPA_DISABLE_PLUGINS``."""
    return {
        name.strip() for name in os.environ.get(DISABLE_VARIABLE, "").split(",") if name.strip()
    }


class PluginHost:
    """Discovers, registers and queries plugins, keeping each failure to its own plugin.

    Parameters
    ----------
    disabled
        Plugin names not to load (settings); ``STIPA_DISABLE_PLUGINS`` adds to them.
    """

    def __init__(self, disabled: Iterable[str] = ()) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.disabled = set(disabled) | disabled_from_environment()
        self.plugins: dict[str, PluginInfo] = {}
        self.analyses: dict[str, Analysis] = {}
        self.properties: list[PropertySpec] = []
        self.exporters: dict[str, Exporter] = {}
        self.importers: dict[str, Importer] = {}
        self.views: dict[str, PluginView] = {}
        #: Which plugin declared each analysis, property, exporter, importer and view.
        self.owner: dict[int, str] = {}
        #: Called with no arguments after ``record_failure`` (e.g. to refresh a plugins
        #: panel); may be called from a worker thread. Remove a callback when done with it.
        self.on_change: list[Callable[[], None]] = []

    # --- discovery ---------------------------------------------------------------------------
    def discover(self, entry_point_list: Iterable[EntryPoint] | None = None) -> PluginHost:
        """Load every plugin of the ``stipa.plugins`` group, each on its own."""
        found = entry_point_list
        if found is None:
            found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        for entry_point in found:
            self._load(entry_point)
        return self

    def _load(self, entry_point: EntryPoint) -> None:
        dist = getattr(entry_point, "dist", None)
        info = PluginInfo(
            name=entry_point.name,
            distribution=dist.name if dist is not None else "",
            version=dist.version if dist is not None else "",
            module=entry_point.value,
        )
        if entry_point.name in self.plugins:
            self._fail(info, "load", f"another plugin is already named {entry_point.name}")
            self.plugins[f"{entry_point.name} ({entry_point.value})"] = info
            return
        self.plugins[info.name] = info
        if info.name in self.disabled:
            info.status = "disabled"
            return
        try:
            plugin = entry_point.load()
        except BaseException as error:  # an import can raise anything, SystemExit included
            self._fail(info, "load", _describe(error), traceback.format_exc())
            return
        self._register(plugin, info)

    def register(
        self, plugin: object, name: str, version: str = "", distribution: str = ""
    ) -> PluginInfo:
        """Register a plugin object directly (tests, scripts, the pytest fixtures)."""
        info = PluginInfo(
            name=name,
            version=version,
            distribution=distribution,
            module=getattr(plugin, "__name__", type(plugin).__name__),
        )
        self.plugins[name] = info
        if name in self.disabled:
            info.status = "disabled"
            return info
        self._register(plugin, info)
        return info

    def _register(self, plugin: object, info: PluginInfo) -> None:
        try:
            self.manager.register(plugin, name=info.name)
        except BaseException as error:
            self._fail(info, "register", _describe(error), traceback.format_exc())
            return
        unknown = [
            name
            for name in dir(plugin)
            if name.startswith("stipa_") and name not in hookspecs.HOOKS
        ]
        if unknown:
            self.manager.unregister(name=info.name)
            self._fail(
                info,
                "register",
                f"{', '.join(unknown)} is not a Stipa hook "
                f"(the hooks are {', '.join(hookspecs.HOOKS)}).",
            )
            return
        info.hooks = [
            hook.name
            for hook in self.manager.get_hookcallers(plugin) or ()
            if hook.name in _DECLARED
        ]
        for hook in hookspecs.HOOKS:
            if hook in info.hooks:
                self._collect(plugin, info, hook)

    def _collect(self, plugin: object, info: PluginInfo, hook: str) -> None:
        """Call one plugin's implementation of a declaring hook and keep what is valid."""
        caller = getattr(self.manager.hook, hook)
        for impl in caller.get_hookimpls():
            if impl.plugin is not plugin:
                continue
            try:
                declared = impl.function()  # declaring hooks take no arguments yet
                items = list(declared or ())
            except BaseException as error:
                self._fail(info, hook, _describe(error), traceback.format_exc())
                return
            expected = _DECLARED[hook]
            for item in items:
                if not isinstance(item, expected):
                    self._fail(
                        info,
                        hook,
                        f"returned {type(item).__name__}; {hook} must return "
                        f"{expected.__name__} objects.",
                    )
                    continue
                self._accept(info, hook, item)

    def _accept(self, info: PluginInfo, hook: str, item: Any) -> None:
        if isinstance(item, Analysis):
            if item.id in self.analyses:
                other = self.owner[id(self.analyses[item.id])]
                self._fail(info, hook, f"analysis id {item.id} is already used by {other}.")
                return
            self.analyses[item.id] = item
            info.analyses.append(item.id)
        elif isinstance(item, PropertySpec):
            clash = [
                p for p in self.properties if (p.namespace, p.name) == (item.namespace, item.name)
            ]
            if clash:
                self._fail(
                    info, hook, f"property {item.name} is declared twice in {item.namespace}."
                )
                return
            self.properties.append(item)
        elif isinstance(item, Exporter):
            self.exporters.setdefault(item.id, item)
        elif isinstance(item, Importer):
            self.importers.setdefault(item.id, item)
        elif isinstance(item, PluginView):
            if item.id in self.views:
                other = self.owner[id(self.views[item.id])]
                self._fail(info, hook, f"view id {item.id} is already used by {other}.")
                return
            self.views[item.id] = item
        self.owner[id(item)] = info.name

    def _fail(self, info: PluginInfo, phase: str, message: str, trace: str = "") -> None:
        info.status = "failed" if phase in ("load", "register") else info.status
        info.failures.append(
            PluginFailure(info.name, phase, message, trace, info.distribution, info.version)
        )

    # --- queries -----------------------------------------------------------------------------
    def failures(self) -> list[PluginFailure]:
        """Every failure of every plugin, in discovery order."""
        return [failure for info in self.plugins.values() for failure in info.failures]

    def plugin_of(self, declared: object) -> PluginInfo | None:
        """The plugin that declared an analysis, property, exporter, importer or view."""
        name = self.owner.get(id(declared))
        return self.plugins.get(name) if name is not None else None

    def views_of(self, kind: str) -> list[PluginView]:
        """The views of ``kind`` the plugins contribute, in registration order."""
        return [view for view in self.views.values() if view.kind == kind]

    def plugin_name(self, declared: object, default: str | None = None) -> str:
        """The name of the plugin that declared ``declared``.

        When no plugin declared it: ``default``, else the thing's own ``id``.
        """
        info = self.plugin_of(declared)
        if info is not None:
            return info.name
        return default if default is not None else str(getattr(declared, "id", ""))

    def record_failure(self, plugin: str, phase: str, message: str, trace: str = "") -> None:
        """Record a failure found later (an analysis run), against its plugin."""
        info = self.plugins.get(plugin)
        if info is None:
            info = self.plugins.setdefault(plugin, PluginInfo(name=plugin))
        self._fail(info, phase, message, trace)
        for callback in list(self.on_change):  # a callback may remove itself
            callback()

    def properties_for(self, component: Any) -> list[PropertySpec]:
        """The plugin properties a component has."""
        return [spec for spec in self.properties if spec.applies_to(component)]

    def select_analyses(self, ids: Sequence[str] = ()) -> list[Analysis]:
        """The analyses with these ids (all when empty); unknown ids raise KeyError."""
        if not ids:
            return list(self.analyses.values())
        missing = [analysis_id for analysis_id in ids if analysis_id not in self.analyses]
        if missing:
            raise KeyError(", ".join(missing))
        return [self.analyses[analysis_id] for analysis_id in ids]


def _describe(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return f"{type(error).__name__}: {text}" if str(error).strip() else text
