"""Root pytest configuration for Stipa's test suite."""

import os

# Before anything imports Qt: without a platform and without a display, Qt aborts the whole
# pytest process (exit 134, no summary).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
