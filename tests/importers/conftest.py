"""Fixtures of the importer tests: the plugin host with the built-in importers."""

from __future__ import annotations

import pytest

from stipa.plugin import PluginHost


@pytest.fixture(scope="session")
def host() -> PluginHost:
    return PluginHost().discover()
