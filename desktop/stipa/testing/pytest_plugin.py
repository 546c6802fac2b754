"""pytest fixtures for people who write Stipa plugins (loaded through the ``pytest11`` entry point).

Installing ``stipa`` makes these fixtures available in every pytest run of the same
environment; nothing needs to be listed in a ``conftest.py``. Switch them off with
``-p no:stipa``.

``stipa_host``
    A :class:`stipa.plugin.PluginHost` with discovery blocked: nothing installed through entry
    points is loaded, not even the built-ins, so a test sees exactly the plugins it registers
    with ``stipa_host.register(plugin, name)``.
``stipa_document``
    A fresh, empty :class:`stipa.Document`.
``stipa_run``
    ``stipa_run(plugin_or_analysis, document, **options) -> AnalysisOutcome``: registers a
    plugin (a module or object with hook implementations) or takes an :class:`stipa.Analysis`,
    runs that one analysis on the document's snapshot the way the application does (worker
    thread, time limit, result validation) and returns the outcome. It fails the test when the
    plugin does not register cleanly, when the analysis fails, times out or returns results
    Stipa refuses, unless ``expect_status`` says otherwise. The document is not changed.
``stipa_example``
    ``stipa_example(name) -> Document``: loads a bundled example, e.g. ``"wheel-brakes"``.
``stipa_window``
    ``stipa_window(document=None, path=None, host=None, show=True) -> MainWindow``: a main
    window of the desktop application for GUI tests (needs pytest-qt), closed after the
    test. Its modal dialogs never open: closing discards unsaved changes, error dialogs
    are collected in ``stipa_window.errors`` as (title, text), and yes/no questions are
    answered from ``stipa_window.answers`` (no, unless the test says yes) and noted in
    ``stipa_window.questions``. Without ``host`` it offers the installed
    plugins, as the application does.

For every declared rule, a document where it fires and the edit that clears it:
:class:`stipa.testing.RuleCases` (the harness the built-in analyses are tested with).

Examples
--------
.. code-block:: python

    import acme_ai_policy

    def test_owner_is_required(stipa_document, stipa_run):
        model = stipa_document.add(stipa.Component(name="Triage model", nature="ai_model"))
        outcome = stipa_run(acme_ai_policy, stipa_document)
        assert [f.rule for f in outcome.findings] == ["acme.ai-owner", "acme.ai-purpose"]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import EntryPoint
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from stipa.analysis import AnalysisOutcome
    from stipa.model import Document
    from stipa.plugin import Analysis, PluginHost
    from stipa.ui.testing import WindowFactory

#: Seconds ``stipa_run`` lets an analysis run before it counts as hanging.
RUN_TIMEOUT = 30.0


def _no_entry_points(*args: Any, **kwargs: Any) -> Iterable[EntryPoint]:
    return ()


@pytest.fixture
def stipa_host(monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginHost]:
    """A plugin host that discovers nothing: register the plugins under test yourself.

    Entry-point discovery is blocked for the whole test (``PluginHost().discover()`` anywhere,
    the command line included, finds no plugin) and ``STIPA_DISABLE_PLUGINS`` is ignored.
    """
    from stipa.plugin import DISABLE_VARIABLE, PluginHost, host

    monkeypatch.setattr(host, "entry_points", _no_entry_points)
    monkeypatch.delenv(DISABLE_VARIABLE, raising=False)
    yield PluginHost()


@pytest.fixture
def stipa_document() -> Document:
    """A new, empty document."""
    from stipa.model import Document

    return Document()


@pytest.fixture
def stipa_example() -> Callable[[str], Document]:
    """``stipa_example(name)``: a bundled example document, loaded fresh for each call."""
    from stipa import io, resources

    def load(name: str) -> Document:
        available = {path.stem: path for path in resources.examples()}
        stem = name.removesuffix(".stipa")
        if stem not in available:
            pytest.fail(
                f"No bundled example named {name!r}; the examples are "
                f"{', '.join(sorted(available)) or 'none'}.",
                pytrace=False,
            )
        return io.load(available[stem])

    return load


class StipaRun:
    """The ``stipa_run`` fixture's function (see the module documentation)."""

    def __init__(self, host: PluginHost) -> None:
        self.host = host
        self._registered: dict[int, str] = {}

    def __call__(
        self,
        plugin_or_analysis: object,
        document: Any,
        *,
        analysis_id: str | None = None,
        expect_status: str | None = "ok",
        timeout: float = RUN_TIMEOUT,
        **options: str,
    ) -> AnalysisOutcome:
        """Run one analysis on ``document`` (a Document or a Snapshot) and return its outcome.

        Parameters
        ----------
        plugin_or_analysis
            An :class:`stipa.Analysis`, or a plugin (module, class or instance) implementing
            ``stipa_analyses``. A plugin that declares several analyses needs ``analysis_id``.
        document
            The document to analyse; it is not changed (the outcome is not applied).
        analysis_id
            Which of the plugin's analyses to run.
        expect_status
            ``"ok"`` (the default) fails the test unless the analysis succeeded and every result
            it returned was accepted; ``"failed"``, ``"timeout"`` or ``"cancelled"`` expect that
            status instead; ``None`` checks nothing.
        timeout
            Seconds before the analysis counts as hanging.
        **options
            Options for the analysis, as ``--option KEY=VALUE`` gives them (strings).
        """
        from stipa.operations.analyses import analyse
        from stipa.plugin import Analysis

        if isinstance(plugin_or_analysis, Analysis):
            analysis = plugin_or_analysis
        else:
            plugin_name = self._register(plugin_or_analysis)
            analysis = self._pick(plugin_name, analysis_id)
        report = analyse(
            document, [analysis], host=self.host, timeout=timeout, options=options, apply=False
        )
        outcome = report.outcomes[0]
        if expect_status == "ok":
            if not outcome.succeeded:
                detail = f"\n{outcome.traceback}" if outcome.traceback else ""
                pytest.fail(
                    f"Analysis {analysis.id} {outcome.status}: {outcome.message}{detail}",
                    pytrace=False,
                )
            if outcome.problems:
                pytest.fail(
                    f"Analysis {analysis.id} returned results Stipa refuses:\n  "
                    + "\n  ".join(outcome.problems),
                    pytrace=False,
                )
        elif expect_status is not None and outcome.status != expect_status:
            pytest.fail(
                f"Analysis {analysis.id} ended {outcome.status!r}, not {expect_status!r}: "
                f"{outcome.message}",
                pytrace=False,
            )
        return outcome

    def _register(self, plugin: object) -> str:
        if id(plugin) in self._registered:
            return self._registered[id(plugin)]
        name = str(getattr(plugin, "__name__", type(plugin).__name__))
        if name in self.host.plugins:
            name = f"{name}-{len(self.host.plugins)}"
        info = self.host.register(plugin, name)
        if info.failures:
            pytest.fail(
                f"Plugin {name} did not register cleanly:\n  "
                + "\n  ".join(f"{f.phase}: {f.message}" for f in info.failures),
                pytrace=False,
            )
        self._registered[id(plugin)] = name
        return name

    def _pick(self, plugin_name: str, analysis_id: str | None) -> Analysis:
        declared = self.host.plugins[plugin_name].analyses
        if analysis_id is not None:
            if analysis_id not in declared:
                pytest.fail(
                    f"Plugin {plugin_name} declares no analysis {analysis_id!r} "
                    f"(it declares {', '.join(declared) or 'none'}).",
                    pytrace=False,
                )
            return self.host.analyses[analysis_id]
        if len(declared) != 1:
            pytest.fail(
                f"Plugin {plugin_name} declares {len(declared)} analyses "
                f"({', '.join(declared) or 'none'}); pass analysis_id= to choose one.",
                pytrace=False,
            )
        return self.host.analyses[declared[0]]


@pytest.fixture
def stipa_run(stipa_host: PluginHost) -> StipaRun:
    """``stipa_run(plugin_or_analysis, document, **options) -> AnalysisOutcome``."""
    return StipaRun(stipa_host)


@pytest.fixture
def stipa_window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> WindowFactory:
    """``stipa_window(document=None, path=None, host=None, show=True) -> MainWindow``."""
    from stipa.ui.testing import WindowFactory  # Qt only for the tests that ask for a window

    qtbot = request.getfixturevalue("qtbot")  # pytest-qt: the QApplication, closing windows
    return WindowFactory(qtbot, monkeypatch)
