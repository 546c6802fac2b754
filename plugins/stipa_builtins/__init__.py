"""Stipa's built-in analyses.

Each module is a plugin registered through the ``stipa.plugins`` entry-point group, exactly
like a third-party plugin, and uses only the public API of ``stipa``.
"""
