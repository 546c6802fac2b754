"""The one accessor for Stipa's bundled resources.

Everything under the repository's top-level ``resources/`` directory (icons, the file-format
schema, examples, styles, help) is read through this module and nowhere else. The directory is
shipped inside the wheel as the data package ``stipa._data``; this module finds it in each of the
three ways Stipa runs:

* an installed wheel: ``importlib.resources.files("stipa._data")``;
* a source checkout (``pip install -e .`` or ``PYTHONPATH=desktop``): ``resources/`` two levels
  above this file, because an editable install may not expose a mapped directory that has no
  ``__init__.py`` as an importable package;
* a PyInstaller bundle: ``sys._MEIPASS/stipa/_data`` (or ``sys._MEIPASS/resources``).

This module imports neither Qt nor lxml, so headless tools and tests may use it freely.
"""

from __future__ import annotations

import functools
import importlib.resources
import importlib.util
import sys
from pathlib import Path

__all__ = ["examples", "read_bytes", "read_text", "resource_path", "resources_root"]

_PACKAGE = "stipa._data"
#: A file that exists in every copy of the resources; used to recognise the directory.
_MARKER = "README.md"


def _is_resources_dir(path: Path) -> bool:
    return path.is_dir() and (path / _MARKER).is_file()


def _from_package() -> Path | None:
    """Locate ``stipa._data`` through the import system, or return ``None``."""
    try:
        root = importlib.resources.files(_PACKAGE)
    except (ImportError, OSError, TypeError, ValueError):
        # An editable install puts a placeholder path-hook entry on the namespace path, which
        # makes Python 3.11's MultiplexedPath raise NotADirectoryError; use the spec below.
        root = None
    if isinstance(root, Path):
        return root if _is_resources_dir(root) else None
    # resources/ has no __init__.py, so ``stipa._data`` is a namespace package and ``files()``
    # returns a MultiplexedPath rather than a Path; its search locations are plain directories.
    try:
        spec = importlib.util.find_spec(_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.submodule_search_locations is None:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location)
        if _is_resources_dir(candidate):
            return candidate
    return None


def _candidates() -> list[Path]:
    """Directories that may hold the resources, in the order they are tried."""
    found: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass is not None:
        found += [Path(meipass) / "stipa" / "_data", Path(meipass) / "resources"]
    # desktop/stipa/resources.py -> parents[2] is the repository root.
    found.append(Path(__file__).resolve().parents[2] / "resources")
    return found


@functools.cache
def resources_root() -> Path:
    """Return the directory that holds Stipa's resources.

    Returns
    -------
    pathlib.Path
        An absolute path to an existing directory.

    Raises
    ------
    FileNotFoundError
        If no copy of the resources can be found (a broken installation).
    """
    root = _from_package()
    if root is not None:
        return root.resolve()
    for candidate in _candidates():
        if _is_resources_dir(candidate):
            return candidate.resolve()
    tried = ", ".join(str(c) for c in _candidates())
    raise FileNotFoundError(
        f"Stipa's resources were not found (package {_PACKAGE!r}, then {tried}); "
        "the installation is incomplete."
    )


def resource_path(*parts: str) -> Path:
    """Return the path of a resource.

    Parameters
    ----------
    *parts : str
        Path components below the resources directory, e.g. ``("schema", "stipa-1.xsd")``.
        With no parts, the resources directory itself is returned.

    Returns
    -------
    pathlib.Path
        The absolute path. It is not checked for existence, so callers can test for optional
        resources with ``.exists()``.

    Raises
    ------
    ValueError
        If a part is absolute or the result would lie outside the resources directory.
    """
    root = resources_root()
    path = root.joinpath(*parts)
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        raise ValueError(f"resource path {'/'.join(parts)!r} lies outside the resources")
    return path


def read_text(*parts: str, encoding: str = "utf-8") -> str:
    """Return the text of a resource.

    Parameters
    ----------
    *parts : str
        Path components below the resources directory.
    encoding : str, optional
        The text encoding, UTF-8 by default.

    Returns
    -------
    str
        The decoded contents.

    Raises
    ------
    FileNotFoundError
        If the resource does not exist.
    """
    return resource_path(*parts).read_text(encoding=encoding)


def read_bytes(*parts: str) -> bytes:
    """Return the raw contents of a resource.

    Parameters
    ----------
    *parts : str
        Path components below the resources directory.

    Returns
    -------
    bytes
        The contents.

    Raises
    ------
    FileNotFoundError
        If the resource does not exist.
    """
    return resource_path(*parts).read_bytes()


def examples() -> list[Path]:
    """Return the bundled example documents.

    Returns
    -------
    list of pathlib.Path
        The ``*.stipa`` files in ``resources/examples``, sorted by name; empty if there are none.
    """
    directory = resource_path("examples")
    if not directory.is_dir():
        return []
    return sorted(directory.glob("*.stipa"))
