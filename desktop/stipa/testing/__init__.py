"""Helpers for tests, benchmarks and demonstrations: synthetic Stipa documents.

Nothing here imports Qt or lxml, so headless tests and benchmarks can use it freely.

Examples
--------
>>> from stipa.testing import generate_document
>>> doc = generate_document(30, seed=1)
>>> len(doc.components), len(doc.links), doc.check()
(30, 90, [])
"""

from stipa.testing.generate import expected_counts, generate_document

__all__ = ["expected_counts", "generate_document"]
