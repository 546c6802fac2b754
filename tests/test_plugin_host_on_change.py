"""PluginHost.on_change: a Qt-free observer hook, called when a failure is recorded later."""

from __future__ import annotations

import threading

import stipa
from stipa.plugin import PluginHost


class Acme:
    @stipa.hookimpl
    def stipa_analyses(self) -> list[stipa.Analysis]:
        return [stipa.Analysis(id="acme.check", title="Check", run=lambda context: [])]


def test_record_failure_calls_every_observer_after_recording() -> None:
    host = PluginHost()
    host.register(Acme(), "acme")
    seen: list[list[str]] = []
    host.on_change.append(lambda: seen.append([f.message for f in host.failures()]))
    host.on_change.append(lambda: seen.append(["second"]))

    host.record_failure("acme", "run acme.check", "ValueError: boom", "Traceback ...")

    assert seen == [["ValueError: boom"], ["second"]]  # the failure is there when called
    assert host.plugins["acme"].status == "active"  # a failed run does not fail the plugin


def test_an_observer_may_remove_itself_and_is_not_called_during_discovery() -> None:
    host = PluginHost()
    calls: list[str] = []

    def once() -> None:
        calls.append("once")
        host.on_change.remove(once)

    host.on_change.append(once)
    host.on_change.append(lambda: calls.append("always"))

    class Broken:
        @stipa.hookimpl
        def stipa_analyses(self) -> list[object]:
            raise RuntimeError("broken at start")

    host.register(Broken(), "broken")  # start-up failures are read when shown, not observed
    assert calls == [] and host.failures()
    host.record_failure("unknown", "run x", "late")
    host.record_failure("unknown", "run x", "later")
    assert calls == ["once", "always", "always"]
    assert [f.message for f in host.plugins["unknown"].failures] == ["late", "later"]


def test_observers_run_on_the_recording_thread() -> None:
    host = PluginHost()
    threads: list[str] = []
    host.on_change.append(lambda: threads.append(threading.current_thread().name))
    worker = threading.Thread(
        target=lambda: host.record_failure("acme", "run", "boom"), name="analysis acme"
    )
    worker.start()
    worker.join()
    assert threads == ["analysis acme"]
