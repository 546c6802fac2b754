"""The layer rules of DESIGN.md, checked on the source so that nobody has to remember them.

1. Nothing outside ``stipa.ui`` imports PySide6 (or shiboken6, or ``stipa.ui`` itself).
2. Only ``stipa.io`` imports lxml.
3. ``stipa`` never imports ``stipa_builtins``; the built-ins use only what ``stipa`` exports
   publicly (``import stipa`` / ``from stipa import X`` with ``X`` in ``stipa.__all__``).
4. The UI never changes model objects directly: no private model names, no
   ``object.__setattr__``, no ``dataclasses.replace``, no ``_apply*`` calls.
5. The packages are ordered (:data:`LAYER_RANKS`): ``model`` below ``diagram``, ``plugin``,
   ``analysis``, ``io`` and ``export``; ``operations`` above those and below ``ui``; a package
   imports only lower ranks (the middle rank may use its peers); nothing but the UI imports
   ``stipa.ui`` (the launchers only lazily, see rule 1).
6. ``stipa.diagram`` (geometry without Qt), though a peer of ``export`` in the ranks, sits below
   the exports: of Stipa it imports only the model, the resources accessor and itself, and the
   model never imports it. (No Qt and no lxml follow from rules 1 and 2.)
7. The UI never reaches into a plugin module: no plugin objects from the plugin manager
   (``get_plugin``, ``get_plugins``, ``list_name_plugin``, ``.manager``); what a plugin offers
   comes through hooks (``stipa_views`` for the data of views).
8. Panels depend on what they use, not on the main window: only the application's assembly
   (:data:`ASSEMBLY_MODULES`: the main window itself, the start-up, the window factory of the
   tests and the ``stipa.ui`` facade) imports ``stipa.ui.main_window`` or ``MainWindow``;
   panels, docks and dialogs take a ``PanelContext`` (``stipa.ui.panel_context``).

Every ``.py`` file under ``desktop/stipa`` and ``plugins/stipa_builtins`` is parsed with ``ast``;
relative imports are resolved. A layer that does not exist yet simply has nothing to violate.
The checkers are also run on small synthetic sources, so they are known to catch violations.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_ROOTS = {
    "stipa": ROOT / "desktop" / "stipa",
    "stipa_builtins": ROOT / "plugins" / "stipa_builtins",
}
QT_PACKAGES = ("PySide6", "shiboken6")


@dataclass(frozen=True)
class Module:
    name: str  # dotted module name, e.g. "stipa.model.records"
    path: Path
    is_package: bool  # an __init__.py
    tree: ast.Module

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name of the imported module
    names: tuple[str, ...]  # names taken by ``from module import ...``; () for ``import module``
    lineno: int


def _module_name(top: str, root: Path, path: Path) -> str:
    parts = [top, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _parse(name: str, path: Path, source: str | None = None) -> Module:
    text = path.read_text(encoding="utf-8") if source is None else source
    return Module(name, path, path.name == "__init__.py", ast.parse(text, filename=str(path)))


def load_modules(roots: dict[str, Path] = SOURCE_ROOTS) -> list[Module]:
    modules = []
    for top, root in roots.items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" not in path.parts:
                modules.append(_parse(_module_name(top, root, path), path))
    return modules


def imports_of(module: Module) -> Iterator[Import]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.package.split(".")
                if node.level - 1 >= len(base) or not module.package:
                    raise AssertionError(
                        f"{module.path}:{node.lineno}: relative import beyond the top package"
                    )
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield Import(target, tuple(alias.name for alias in node.names), node.lineno)


def _targets(imp: Import) -> Iterator[str]:
    """The module itself and, for ``from pkg import sub``, the possible submodule ``pkg.sub``."""
    yield imp.module
    for name in imp.names:
        if name != "*":
            yield f"{imp.module}.{name}"


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _where(module: Module, imp: Import) -> str:
    path = module.path.relative_to(ROOT) if module.path.is_relative_to(ROOT) else module.path
    return f"{path}:{imp.lineno}"


# --- the rules, as functions of a list of modules --------------------------------------------


#: The command line opens the desktop application for ``stipa gui``, and the pytest plugin
#: builds a main window for plugin authors: both import ``stipa.ui`` lazily.
LAZY_UI_IMPORTERS = frozenset({"stipa.cli", "stipa.testing.pytest_plugin"})


def qt_violations(modules: Iterable[Module]) -> list[str]:
    found = []
    for module in modules:
        if _within(module.name, "stipa.ui"):
            continue
        for imp in imports_of(module):
            if any(_within(imp.module, qt) for qt in QT_PACKAGES):
                found.append(f"{_where(module, imp)}: {module.name} imports {imp.module}")
            elif module.name in LAZY_UI_IMPORTERS:
                continue  # Qt on demand only; the headless-import test keeps it out
            elif any(_within(t, "stipa.ui") for t in _targets(imp)):
                found.append(f"{_where(module, imp)}: {module.name} imports stipa.ui (Qt)")
    return found


def lxml_violations(modules: Iterable[Module]) -> list[str]:
    return [
        f"{_where(module, imp)}: {module.name} imports {imp.module}"
        for module in modules
        if not _within(module.name, "stipa.io")
        for imp in imports_of(module)
        if _within(imp.module, "lxml")
    ]


def builtins_violations(modules: Iterable[Module], public: set[str]) -> list[str]:
    found = []
    for module in modules:
        for imp in imports_of(module):
            if _within(module.name, "stipa"):
                if _within(imp.module, "stipa_builtins"):
                    found.append(f"{_where(module, imp)}: stipa imports {imp.module}")
            elif _within(module.name, "stipa_builtins") and _within(imp.module, "stipa"):
                if imp.module != "stipa":
                    found.append(f"{_where(module, imp)}: built-in uses private {imp.module}")
                    continue
                for name in imp.names:
                    if name not in public:
                        found.append(
                            f"{_where(module, imp)}: built-in imports stipa.{name}, "
                            "which is not in stipa.__all__"
                        )
    return found


#: What ``stipa.diagram`` may import of Stipa.
DIAGRAM_MAY_USE = ("stipa.diagram", "stipa.model", "stipa.resources")


def diagram_layer_violations(modules: Iterable[Module]) -> list[str]:
    found = []
    for module in modules:
        for imp in imports_of(module):
            if _within(module.name, "stipa.diagram"):
                stipa_targets = [t for t in _targets(imp) if _within(t, "stipa")]
                if imp.module == "stipa":  # ``from stipa import resources``
                    stipa_targets = stipa_targets[1:]
                if any(
                    not any(_within(target, allowed) for allowed in DIAGRAM_MAY_USE)
                    for target in stipa_targets
                ):
                    found.append(f"{_where(module, imp)}: {module.name} imports {imp.module}")
            elif _within(module.name, "stipa.model") and any(
                _within(t, "stipa.diagram") for t in _targets(imp)
            ):
                found.append(f"{_where(module, imp)}: {module.name} imports {imp.module}")
    return found


def ui_mutation_violations(modules: Iterable[Module]) -> list[str]:
    found = []
    for module in modules:
        if not _within(module.name, "stipa.ui"):
            continue
        for imp in imports_of(module):
            where = _where(module, imp)
            if _within(imp.module, "stipa.model"):
                private = [p for p in imp.module.split(".") if p.startswith("_")]
                private += [n for n in imp.names if n.startswith("_")]
                if private:
                    found.append(f"{where}: ui imports private model names {private}")
            if imp.module == "dataclasses" and "replace" in imp.names:
                found.append(f"{where}: ui imports dataclasses.replace")
        for node in ast.walk(module.tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            func, owner = node.func, node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else None
            where = f"{module.path}:{node.lineno}"
            if owner_name == "object" and func.attr == "__setattr__":
                found.append(f"{where}: ui calls object.__setattr__")
            elif owner_name == "dataclasses" and func.attr == "replace":
                found.append(f"{where}: ui calls dataclasses.replace")
            elif func.attr.startswith("_apply"):
                found.append(f"{where}: ui calls private {func.attr}()")
    return found


#: Each package's rank: a module imports only packages of a lower rank (or, in the middle rank
#: of the core, its peers). A new package must be given a rank here.
LAYER_RANKS = {
    "stipa.resources": 0,
    "stipa.model": 1,
    "stipa.diagram": 2,
    "stipa.plugin": 2,
    "stipa.analysis": 2,
    "stipa.io": 2,
    "stipa.export": 2,
    "stipa.operations": 3,
    "stipa.ui": 4,
    "stipa.testing": 5,
    "stipa.cli": 5,
    "stipa.__main__": 6,
}
#: The rank whose packages may use each other.
PEER_RANK = 2


def _layer(name: str) -> str | None:
    """The ranked package ``name`` belongs to (``None`` for the ``stipa`` facade itself)."""
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "stipa" and len(parts) > 1 else None


def layer_violations(modules: Iterable[Module]) -> list[str]:
    found = []
    for module in modules:
        source = _layer(module.name)
        if source is None:
            continue
        if source not in LAYER_RANKS:
            found.append(f"{module.path}: {source} has no rank in LAYER_RANKS")
            continue
        rank = LAYER_RANKS[source]
        for imp in imports_of(module):
            target = _layer(imp.module)
            if target is None and imp.module == "stipa":  # ``from stipa import resources``
                targets = [_layer(f"stipa.{name}") for name in imp.names]
                target = next((t for t in targets if t in LAYER_RANKS), None)
            if target is None or target == source or target not in LAYER_RANKS:
                continue
            other = LAYER_RANKS[target]
            if other < rank or other == rank == PEER_RANK:
                continue
            if module.name in LAZY_UI_IMPORTERS and target == "stipa.ui":
                continue
            found.append(f"{_where(module, imp)}: {source} (rank {rank}) imports {target}")
    return found


#: Plugin-manager names that hand out plugin objects (modules) themselves.
PLUGIN_OBJECT_ACCESS = frozenset({"manager", "get_plugin", "get_plugins", "list_name_plugin"})


def plugin_reach_violations(modules: Iterable[Module]) -> list[str]:
    found = []
    for module in modules:
        if not _within(module.name, "stipa.ui"):
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Attribute) and node.attr in PLUGIN_OBJECT_ACCESS:
                found.append(f"{module.path}:{node.lineno}: ui uses .{node.attr} (a plugin itself)")
    return found


#: The modules that build main windows: the window itself, the application start-up, the
#: window factory of the tests (``stipa_window``) and the ``stipa.ui`` facade naming the class.
ASSEMBLY_MODULES = frozenset(
    {"stipa.ui", "stipa.ui.main_window", "stipa.ui.app", "stipa.ui.testing"}
)


def main_window_violations(modules: Iterable[Module]) -> list[str]:
    found = []
    for module in modules:
        if module.name in ASSEMBLY_MODULES:
            continue
        for imp in imports_of(module):
            if any(t in ("stipa.ui.main_window", "stipa.ui.MainWindow") for t in _targets(imp)):
                found.append(f"{_where(module, imp)}: {module.name} imports the main window")
    return found


def _checkout_env() -> dict[str, str]:
    """The environment for a subprocess that must import this checkout's sources."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "desktop"), str(ROOT / "plugins"), env.get("PYTHONPATH", "")]
    )
    return env


def _public_api() -> set[str]:
    """``stipa.__all__`` (it is computed, so ``stipa`` is imported, in a fresh interpreter)."""
    if not (SOURCE_ROOTS["stipa"] / "__init__.py").is_file():
        return set()
    script = "import json, stipa; print(json.dumps(list(getattr(stipa, '__all__', []))))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, env=_checkout_env(), cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"`import stipa` failed:\n{result.stderr}"
    return set(json.loads(result.stdout.splitlines()[-1]))


# --- the rules, on the real source -----------------------------------------------------------


@pytest.fixture(scope="module")
def modules() -> list[Module]:
    return load_modules()


def test_rule1_only_ui_imports_qt(modules: list[Module]) -> None:
    assert qt_violations(modules) == []


def test_rule2_only_io_imports_lxml(modules: list[Module]) -> None:
    assert lxml_violations(modules) == []


def test_rule3_stipa_and_builtins_are_separated(modules: list[Module]) -> None:
    assert builtins_violations(modules, _public_api()) == []


def test_rule4_ui_does_not_mutate_the_model(modules: list[Module]) -> None:
    assert ui_mutation_violations(modules) == []


def test_rule5_packages_import_only_lower_layers(modules: list[Module]) -> None:
    assert layer_violations(modules) == []


def test_rule6_diagram_is_between_model_and_the_exports(modules: list[Module]) -> None:
    assert any(_within(m.name, "stipa.diagram") for m in modules)
    assert diagram_layer_violations(modules) == []


def test_rule7_the_ui_never_reaches_into_a_plugin(modules: list[Module]) -> None:
    assert plugin_reach_violations(modules) == []


def test_rule8_only_the_assembly_knows_the_main_window(modules: list[Module]) -> None:
    assert {m.name for m in modules} >= ASSEMBLY_MODULES
    assert main_window_violations(modules) == []


def test_headless_import_does_not_load_qt(modules: list[Module]) -> None:
    names = [
        m.name
        for m in modules
        if not _within(m.name, "stipa.ui") and not m.name.endswith("__main__")
    ]
    script = textwrap.dedent(
        """
        import importlib, sys
        for name in sys.argv[1:]:
            importlib.import_module(name)
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
        print(",".join(loaded))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *names],
        capture_output=True, text=True, env=_checkout_env(), cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing {names} loaded Qt: {result.stdout}"


def test_every_package_directory_is_listed_in_pyproject() -> None:
    """Wheels contain only listed packages; an editable install hides a missing one."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools_config = config["tool"]["setuptools"]
    listed = set(setuptools_config["packages"])
    assert setuptools_config["package-dir"]["stipa._data"] == "resources"
    assert "stipa._data" in listed
    on_disk = set()
    for top, root in SOURCE_ROOTS.items():
        if root.is_dir():
            for directory in [root, *root.rglob("*")]:
                in_cache = "__pycache__" in directory.parts
                if directory.is_dir() and not in_cache and any(directory.glob("*.py")):
                    on_disk.add(_module_name(top, root, directory / "__init__.py"))
    assert sorted(listed - {"stipa._data"}) == sorted(on_disk), (
        "[tool.setuptools] packages in pyproject.toml must list exactly the package directories"
    )


# --- the checkers catch what they should -----------------------------------------------------


def _synthetic(name: str, source: str, *, package: bool = False) -> Module:
    path = (
        Path("/synthetic", *name.split(".")) / "__init__.py"
        if package
        else Path("/synthetic", *name.split(".")).with_suffix(".py")
    )
    return _parse(name, path, textwrap.dedent(source))


def test_relative_imports_are_resolved() -> None:
    module = _synthetic(
        "stipa.export.html",
        """
        from . import csv
        from .. import ui
        from ..ui.canvas import Scene
        from .templates import page
        """,
    )
    resolved = [(imp.module, imp.names) for imp in imports_of(module)]
    assert resolved == [
        ("stipa.export", ("csv",)),
        ("stipa", ("ui",)),
        ("stipa.ui.canvas", ("Scene",)),
        ("stipa.export.templates", ("page",)),
    ]
    package = _synthetic("stipa.export", "from .html import render", package=True)
    assert [imp.module for imp in imports_of(package)] == ["stipa.export.html"]
    beyond = _synthetic("stipa.export.html", "from ... import x")
    with pytest.raises(AssertionError, match="beyond the top package"):
        list(imports_of(beyond))


def test_checkers_catch_violations() -> None:
    headless = _synthetic(
        "stipa.export.report",
        """
        import lxml.etree
        from PySide6 import QtGui
        from .. import ui
        def f():
            import shiboken6
        """,
    )
    assert len(qt_violations([headless])) == 3
    assert len(lxml_violations([headless])) == 1
    assert lxml_violations([_synthetic("stipa.io.load", "from lxml import etree")]) == []
    assert qt_violations([_synthetic("stipa.ui.main", "from PySide6 import QtWidgets")]) == []

    core = _synthetic("stipa.plugin.host", "import stipa_builtins.stpa")
    builtin = _synthetic(
        "stipa_builtins.uca",
        """
        import stipa
        from stipa import hookimpl, Finding
        from stipa.model import Document
        import stipa.model.records
        """,
    )
    assert len(builtins_violations([core, builtin], {"hookimpl"})) == 4
    assert len(builtins_violations([builtin], {"hookimpl", "Finding"})) == 2

    ui = _synthetic(
        "stipa.ui.panels",
        """
        import dataclasses
        from dataclasses import replace
        from stipa.model import _apply_move, Document
        from stipa.model._internal import thing
        def edit(doc, comp):
            object.__setattr__(comp, "name", "x")
            dataclasses.replace(comp, name="y")
            doc._apply_command(None)
            comp.setPos(1, 2)
        """,
    )
    assert len(ui_mutation_violations([ui])) == 6

    diagram = _synthetic(
        "stipa.diagram.routes",
        """
        from stipa import resources
        from stipa.model import Link
        from stipa.export import html
        from stipa.ui.canvas import scene
        from . import text
        """,
    )
    model = _synthetic("stipa.model.records", "from stipa.diagram import text")
    assert len(diagram_layer_violations([diagram, model])) == 3
    assert ui_mutation_violations([headless]) == []

    upward = [
        _synthetic("stipa.model.records", "from stipa.plugin import Analysis"),
        _synthetic("stipa.io.reader", "from stipa.operations import drawing"),
        _synthetic("stipa.analysis.runner", "from ..ui import findings"),
        _synthetic("stipa.operations.drawing", "import stipa.ui.canvas"),
        _synthetic("stipa.newlayer", "import stipa.model", package=True),
    ]
    assert len(layer_violations(upward)) == 5
    fine = [
        _synthetic("stipa.export.report", "import stipa\nfrom stipa.io import load"),
        _synthetic("stipa.io.schema", "from stipa import resources"),
        _synthetic("stipa.operations.drawing", "from stipa.analysis import apply_outcomes"),
        _synthetic("stipa.ui.panels", "from stipa.operations import clipboard"),
    ]
    assert layer_violations(fine) == []

    reaching = _synthetic(
        "stipa.ui.views",
        """
        def data(host, info, view):
            plugin = host.manager.get_plugin(info.name)
            return getattr(plugin, "responsibility_matrix")(view)
        """,
    )
    assert len(plugin_reach_violations([reaching])) == 2
    declared = _synthetic("stipa.ui.views", "def data(host, view):\n    return host.views_of('x')")
    assert plugin_reach_violations([declared]) == []

    panel = _synthetic(
        "stipa.ui.findings",
        """
        from typing import TYPE_CHECKING
        from stipa.ui import MainWindow
        from . import main_window
        if TYPE_CHECKING:
            from stipa.ui.main_window import MainWindow
        def later():
            import stipa.ui.main_window
        """,
    )
    assert len(main_window_violations([panel])) == 4
    narrow = _synthetic("stipa.ui.findings", "from stipa.ui.panel_context import PanelContext")
    start = _synthetic("stipa.ui.app", "from stipa.ui.main_window import MainWindow")
    assert main_window_violations([narrow, start]) == []
