"""PyInstaller runtime hook: let the frozen Stipa find plugins installed beside it.

An organisation adds an in-house plugin to a frozen Stipa without rebuilding it::

    pip install --no-deps --target <folder of the stipa executable>/plugins acme_ai_policy.whl

(or points ``STIPA_PLUGIN_PATH`` at such folders, separated by ``os.pathsep``). Each existing
folder is appended to ``sys.path`` before Stipa starts, so ``importlib.metadata`` finds the
plugin's ``*.dist-info/entry_points.txt`` and the plugin host loads its ``stipa.plugins``
entry point like any other. Appended, not prepended: modules in the bundle always win, so a
plugin folder cannot replace Stipa, Qt or the built-in plugins.

Runtime hooks only run in the frozen application; a normal installation uses pip instead.
"""

import os
import sys


def _plugin_folders() -> list[str]:
    executable_dir = os.path.dirname(os.path.abspath(sys.executable))
    folders = [os.path.join(executable_dir, "plugins")]
    if sys.platform == "darwin" and executable_dir.endswith(os.path.join("Contents", "MacOS")):
        # Stipa.app/Contents/MacOS/stipa: a folder beside the .app keeps its signature intact.
        app_parent = os.path.dirname(os.path.dirname(os.path.dirname(executable_dir)))
        folders.append(os.path.join(app_parent, "plugins"))
    folders += [p for p in os.environ.get("STIPA_PLUGIN_PATH", "").split(os.pathsep) if p]
    return folders


for _folder in _plugin_folders():
    _folder = os.path.abspath(_folder)
    if os.path.isdir(_folder) and _folder not in sys.path:
        sys.path.append(_folder)
