"""Running analyses on snapshots and applying their results as one undoable command."""

from stipa.analysis.runner import (
    CANCELLED,
    DEFAULT_TIMEOUT,
    FAILED,
    MAX_RESULTS,
    OK,
    TIMED_OUT,
    AnalysisOutcome,
    AnalysisRunner,
    Progress,
    apply_outcomes,
    apply_steps,
)

__all__ = [
    "CANCELLED",
    "DEFAULT_TIMEOUT",
    "FAILED",
    "MAX_RESULTS",
    "OK",
    "TIMED_OUT",
    "AnalysisOutcome",
    "AnalysisRunner",
    "Progress",
    "apply_outcomes",
    "apply_steps",
]
