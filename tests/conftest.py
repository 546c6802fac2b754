"""Root pytest configuration for Stipa's test suite."""

import os
from collections.abc import Iterator

# Before anything imports Qt: without a platform and without a display, Qt aborts the whole
# pytest process (exit 134, no summary).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

# "ci": reproducible (derandomized), no per-example deadline on a loaded 2-core machine.
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# "dev": quick and random, so local runs keep exploring new inputs.
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session", autouse=True)
def _isolated_qt_paths(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep tests away from the user's real settings, recent files and recovery copies.

    Qt's test mode sends QStandardPaths to ``~/.qttest``; the settings and the recovery copies
    go to temporary folders of the session: ``~/.qttest`` is shared by every test run of the
    machine, so one run's settings (window state, options) would reach another's windows.
    """
    from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("Stipa")
    QCoreApplication.setApplicationName("Stipa-tests")
    settings = str(tmp_path_factory.mktemp("settings"))
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, settings)
        QSettings.setPath(form, QSettings.Scope.SystemScope, settings)
    previous = os.environ.get("STIPA_RECOVERY_DIR")
    os.environ["STIPA_RECOVERY_DIR"] = str(tmp_path_factory.mktemp("recovery"))
    yield
    if previous is None:
        os.environ.pop("STIPA_RECOVERY_DIR", None)
    else:
        os.environ["STIPA_RECOVERY_DIR"] = previous
    _release_clipboard()


@pytest.fixture(autouse=True)
def _first_start_settings(_isolated_qt_paths: None) -> None:
    """Every test starts with no settings, as on a first start: no window state, options,
    folders or recent files left by the tests before it."""
    from PySide6.QtCore import QSettings

    QSettings().clear()


def _release_clipboard() -> None:
    """Empty the clipboard before Qt shuts down.

    Offscreen, a QMimeData left on the clipboard crashes the process while the application
    is destroyed (exit 139 after the test summary).
    """
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()
