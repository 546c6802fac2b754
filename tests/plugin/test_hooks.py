"""One test per hook (``test_hook_<name>``, required by test_hooks_documented.py).

Each registers a plugin implementing the hook, through a real entry point or
``PluginHost.register``, and checks what the host made of it.
"""

from __future__ import annotations

import inspect
import itertools
import textwrap
from collections.abc import Callable
from pathlib import Path

import pluggy
import pytest

import stipa
from stipa.analysis import AnalysisRunner, apply_outcomes
from stipa.plugin import HOOKS, PluginHost, hookspec, hookspecs


def small_document() -> stipa.Document:
    doc = stipa.Document()
    model = doc.add(stipa.Component(name="Triage model", nature="ai_model"))
    nurse = doc.add(stipa.Component(name="Nurse", nature="human"))
    doc.add(stipa.Link(source=model.id, target=nurse.id, kind="feedback"))
    return doc


def test_hook_stipa_analyses(write_dist: Callable[..., Path]) -> None:
    write_dist(
        "hook-analyses",
        {
            "hook_analyses": """
                import stipa

                def run(context):
                    for component in context.snapshot.components.values():
                        if component.nature == "ai_model":
                            yield context.finding(
                                "hooks.ai", f"{component.name} is an AI model.",
                                targets=[component.id], severity="info",
                            )

                @stipa.hookimpl
                def stipa_analyses():
                    return [stipa.Analysis(id="hooks.ai", title="AI models", run=run,
                                           rules={"hooks.ai": "Lists AI models."})]
            """
        },
        {"hook-analyses": "hook_analyses"},
        version="2.3",
    )
    host = PluginHost().discover()
    info = host.plugins["hook-analyses"]
    assert (info.status, info.distribution, info.version) == ("active", "hook-analyses", "2.3")
    assert info.hooks == ["stipa_analyses"] and info.analyses == ["hooks.ai"]
    analysis = host.analyses["hooks.ai"]
    assert host.plugin_of(analysis) is info
    assert analysis.rules == {"hooks.ai": "Lists AI models."}

    doc = small_document()
    outcomes = AnalysisRunner([analysis], plugin_of=lambda a: host.plugin_of(a).name).run(
        doc.snapshot()
    )
    assert outcomes[0].plugin == "hook-analyses"
    apply_outcomes(doc, outcomes)
    (finding,) = doc.findings.values()
    assert (finding.plugin, finding.rule, finding.targets) == ("hooks.ai", "hooks.ai", ("C-1",))


def test_hook_stipa_component_properties() -> None:
    class Plugin:
        @stipa.hookimpl
        def stipa_component_properties(self) -> list[stipa.PropertySpec]:
            return [
                stipa.PropertySpec(
                    namespace="https://hooks.example/p",
                    name="power",
                    label="Power draw",
                    type="number",
                    unit="kW",
                    natures=(stipa.Nature.AI_MODEL,),
                ),
                stipa.PropertySpec(
                    namespace="https://hooks.example/p",
                    name="shift",
                    label="Shift",
                    type="choice",
                    choices=("day", "night"),
                    kinds=(stipa.ComponentKind.CONTROLLER,),
                    natures=(stipa.Nature.HUMAN,),
                ),
            ]

    host = PluginHost()
    info = host.register(Plugin(), "hook-properties")
    assert info.hooks == ["stipa_component_properties"] and info.failures == []
    model = stipa.Component(name="M", nature="ai_model")
    nurse = stipa.Component(name="N", nature="human")
    (power,) = host.properties_for(model)
    (shift,) = host.properties_for(nurse)
    assert (power.name, power.unit, shift.name) == ("power", "kW", "shift")
    assert host.plugin_of(power) is info
    assert power.parse(" 2.50 ") == "2.5" and shift.parse("night") == "night"
    with pytest.raises(stipa.ModelError, match="Power draw must be a number"):
        power.parse("lots")


def test_hook_stipa_exporters(tmp_path: Path) -> None:
    def export(snapshot: stipa.Snapshot, path: Path, options: dict[str, str]) -> None:
        names = sorted(c.name for c in snapshot.components.values())
        path.write_text(options.get("sep", "\n").join(names), encoding="utf-8")

    class Plugin:
        @stipa.hookimpl
        def stipa_exporters(self) -> list[stipa.Exporter]:
            return [stipa.Exporter(id="hooks.names", title="Names", extensions=(".txt",),
                                   export=export)]  # fmt: skip

    host = PluginHost()
    info = host.register(Plugin(), "hook-exporters")
    assert info.hooks == ["stipa_exporters"] and info.failures == []
    exporter = host.exporters["hooks.names"]
    assert host.plugin_of(exporter) is info
    out = tmp_path / "names.txt"
    exporter.export(small_document().snapshot(), out, {"sep": ","})
    assert out.read_text(encoding="utf-8") == "Nurse,Triage model"


def test_hook_stipa_importers(write_dist: Callable[..., Path], tmp_path: Path) -> None:
    write_dist(
        "hook-importers",
        {
            "hook_importers": """
                import stipa

                def load(path):
                    doc = stipa.Document()
                    for line in path.read_text(encoding="utf-8").splitlines():
                        doc.add(stipa.Component(name=line.strip()))
                    return doc

                @stipa.hookimpl
                def stipa_importers():
                    return [stipa.Importer(id="hooks.lines", title="One name a line",
                                           extensions=(".lines",), load=load)]
            """
        },
        {"hook-importers": "hook_importers"},
    )
    host = PluginHost().discover()
    importer = host.importers["hooks.lines"]
    assert host.plugin_of(importer) is host.plugins["hook-importers"]
    source = tmp_path / "a.lines"
    source.write_text("Pilot\nAutopilot\n", encoding="utf-8")
    doc = importer.load(source)
    assert [c.name for c in doc.components.values()] == ["Pilot", "Autopilot"]


def test_hook_stipa_views() -> None:
    """An in-house plugin contributes the data of a view; the host collects it by kind."""

    def people(view: stipa.DocumentView) -> list[dict[str, object]]:
        return [
            {"id": c.id, "name": c.name, "role": c.role}
            for c in view.components.values()
            if c.nature == "human"
        ]

    class Plugin:
        @stipa.hookimpl
        def stipa_views(self) -> list[stipa.PluginView]:
            return [stipa.PluginView(id="hooks.people", title="People", kind="human_roles",
                                     compute=people)]  # fmt: skip

    class Clash:
        @stipa.hookimpl
        def stipa_views(self) -> list[object]:
            return [stipa.PluginView(id="hooks.people", title="Again", kind="human_roles",
                                     compute=people), "not a view"]  # fmt: skip

    host = PluginHost()
    info = host.register(Plugin(), "hook-views")
    assert info.hooks == ["stipa_views"] and info.failures == []
    (view,) = host.views_of("human_roles")
    assert host.plugin_name(view) == "hook-views" and host.views_of("accountability_chain") == []
    assert view.compute(small_document()) == [{"id": "C-2", "name": "Nurse", "role": ""}]
    clash = host.register(Clash(), "hook-views-clash")
    assert [f.message for f in clash.failures] == [
        "view id hooks.people is already used by hook-views.",
        "returned str; stipa_views must return PluginView objects.",
    ]
    assert host.views_of("human_roles") == [view]
    with pytest.raises(stipa.ModelError, match="kind 'pie_chart' is not one of"):
        stipa.PluginView(id="hooks.pie", title="Pie", kind="pie_chart", compute=people)


def _declared(hook: str) -> object:
    """Something valid for each declaring hook to return."""
    if hook == "stipa_analyses":
        return stipa.Analysis(id="subset.a", title="A", run=lambda context: [])
    if hook == "stipa_component_properties":
        return stipa.PropertySpec(namespace="https://subset.example", name="p", label="P")
    if hook == "stipa_exporters":
        return stipa.Exporter(id="subset.e", title="E", extensions=(".e",),
                              export=lambda s, p, o: None)  # fmt: skip
    if hook == "stipa_importers":
        return stipa.Importer(id="subset.i", title="I", extensions=(".i",), load=lambda p: None)
    return stipa.PluginView(id="subset.v", title="V", kind="human_roles", compute=lambda view: [])


@pytest.mark.parametrize("hook", HOOKS)
def test_implementation_may_take_a_subset_of_the_arguments(hook: str) -> None:
    """Every subset of a hook's arguments is a valid implementation, today and later."""
    arguments = list(inspect.signature(getattr(hookspecs, hook)).parameters)
    item = _declared(hook)
    subsets = [c for n in range(len(arguments) + 1) for c in itertools.combinations(arguments, n)]
    for subset in subsets:
        namespace: dict[str, object] = {"stipa": stipa, "item": item}
        exec(  # a function with exactly these parameters
            textwrap.dedent(
                f"""
                @stipa.hookimpl
                def {hook}({", ".join(subset)}):
                    return [item]
                """
            ),
            namespace,
        )
        plugin = type("Plugin", (), {hook: staticmethod(namespace[hook])})
        host = PluginHost()
        info = host.register(plugin, f"subset-{len(subset)}")
        assert info.failures == [], (subset, info.failures)
        assert info.hooks == [hook]


def test_pluggy_passes_only_the_arguments_an_implementation_takes() -> None:
    """The mechanism hooks rely on to grow: keyword calls, implementations take a subset."""

    class Future:
        @hookspec
        def stipa_future(self, document: object, options: object, progress: object) -> str:
            """A hook with arguments, as later hooks may have."""
            raise NotImplementedError

    class Old:
        @stipa.hookimpl
        def stipa_future(self, options: dict[str, str]) -> str:
            return f"old saw {sorted(options)}"

    class New:
        @stipa.hookimpl
        def stipa_future(self, document: str, options: dict[str, str], progress: object) -> str:
            return f"new saw {document}"

    host = PluginHost()
    host.manager.add_hookspecs(Future)
    host.manager.register(Old(), name="old")
    host.manager.register(New(), name="new")
    results = host.manager.hook.stipa_future(document="doc", options={"k": "v"}, progress=None)
    assert sorted(results) == ["new saw doc", "old saw ['k']"]


def test_an_argument_the_hook_does_not_have_is_refused() -> None:
    class Plugin:
        @stipa.hookimpl
        def stipa_analyses(self, document: object) -> list[stipa.Analysis]:
            return []

    host = PluginHost()
    info = host.register(Plugin(), "too-many")
    assert info.status == "failed"
    (failure,) = info.failures
    assert failure.plugin == "too-many" and failure.phase == "register"
    assert "document" in failure.message
    assert host.manager.get_plugins() == set() and host.analyses == {}


def test_hooks_are_called_in_the_documented_order() -> None:
    calls: list[str] = []

    class Plugin:
        pass

    for hook in reversed(HOOKS):  # defined in the opposite order on purpose

        def implementation(hook: str = hook) -> list[object]:
            calls.append(hook)
            return []

        setattr(Plugin, hook, staticmethod(stipa.hookimpl(implementation)))
    PluginHost().register(Plugin, "ordered")
    assert calls == list(HOOKS)


def test_markers_are_the_public_ones() -> None:
    assert stipa.hookimpl is hookspecs.hookimpl
    assert isinstance(stipa.hookimpl, pluggy.HookimplMarker)
    assert hookspecs.PROJECT == "stipa"
