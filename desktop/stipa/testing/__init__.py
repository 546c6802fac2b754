"""Helpers for tests, benchmarks and demonstrations: documents, plugin installs, rule cases.

Nothing here imports Qt or lxml, so headless tests and benchmarks can use it freely.

Examples
--------
>>> from stipa.testing import generate_document
>>> doc = generate_document(30, seed=1)
>>> len(doc.components), len(doc.links), doc.check()
(30, 90, [])
"""

from stipa.testing.generate import expected_counts, generate_document
from stipa.testing.install import (
    example_plugin_source,
    install_example_plugin,
    install_plugin_project,
)
from stipa.testing.rule_cases import RuleCase, RuleCases

__all__ = [
    "RuleCase",
    "RuleCases",
    "example_plugin_source",
    "expected_counts",
    "generate_document",
    "install_example_plugin",
    "install_plugin_project",
]
