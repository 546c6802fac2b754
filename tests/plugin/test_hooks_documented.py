"""Every hook is specified, documented, listed, explained to plugin authors and tested.

Like datasette's documentation tests: adding a hook without its docstring (arguments and
return value), without an entry in ``HOOKS``, without a section in the plugin guide or
without a ``test_hook_<name>`` test fails here.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
from pathlib import Path

import pytest

from stipa.plugin import HOOKS, hookspecs
from stipa.plugin.host import _DECLARED

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
GUIDE = ROOT / "plugins" / "README.md"
SPEC_MARK = f"{hookspecs.PROJECT}_spec"  # the attribute pluggy's HookspecMarker sets


def specified_hooks() -> list[str]:
    """Names of the functions of the hookspec module marked as specifications."""
    return [
        name
        for name, value in vars(hookspecs).items()
        if inspect.isfunction(value) and hasattr(value, SPEC_MARK)
    ]


def test_hooks_and_specifications_agree() -> None:
    assert len(set(HOOKS)) == len(HOOKS), "HOOKS lists a hook twice"
    assert sorted(HOOKS) == sorted(specified_hooks())
    assert all(name.startswith("stipa_") for name in HOOKS)
    assert sorted(_DECLARED) == sorted(HOOKS), "the host does not know what each hook declares"


def test_helper_finds_the_specifications() -> None:
    assert "stipa_analyses" in specified_hooks()
    assert "hookimpl" not in specified_hooks()


def _section(doc: str, title: str) -> str | None:
    """The body of a numpy-style docstring section, or None."""
    match = re.search(rf"^{title}\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc, re.M | re.S)
    return match.group(1) if match else None


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook: str) -> None:
    function = getattr(hookspecs, hook)
    doc = inspect.cleandoc(function.__doc__ or "")
    assert doc, f"{hook} has no docstring"
    summary = doc.splitlines()[0]
    assert summary.endswith("."), f"{hook}: the first line should be one sentence"
    assert "Called " in doc, f"{hook}: say when the host calls it"
    returns = _section(doc, "Returns")
    assert returns and returns.strip(), f"{hook}: document the return value under 'Returns'"
    parameters = list(inspect.signature(function).parameters)
    documented = _section(doc, "Parameters") or ""
    for name in parameters:
        assert re.search(rf"^{name}\b", documented, re.M), f"{hook}: argument {name} undocumented"
    names_in_docs = re.findall(r"^(\w+)\s*(?::|$)", documented, re.M)
    assert set(names_in_docs) <= set(parameters), f"{hook}: documents arguments it lacks"


def test_section_parser() -> None:
    doc = "Summary.\n\nParameters\n----------\nx\n    An x.\n\nReturns\n-------\nint\n    One."
    assert _section(doc, "Parameters") == "x\n    An x.\n\n"
    assert _section(doc, "Returns") == "int\n    One."
    assert _section(doc, "Raises") is None


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_in_the_plugin_guide(hook: str) -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    assert re.search(rf"^#+ .*`{hook}", guide, re.M), f"plugins/README.md has no section {hook}"


@functools.cache
def hook_tests() -> frozenset[str]:
    """Names of every ``test_hook_*`` function in the test files under tests/."""
    found = set()
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_hook_"
            ):
                found.add(node.name)
    return frozenset(found)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook: str) -> None:
    assert f"test_hook_{hook}" in hook_tests(), f"write test_hook_{hook} somewhere under tests/"
