"""A document to export: the wheel-brakes example with findings in every disposition."""

from __future__ import annotations

from stipa import io, resource_path
from stipa.model import Disposition, Document, Finding, Severity

#: Findings added to the example: (severity, message, targets, disposition, rationale).
FINDINGS = (
    (Severity.ERROR, "BSCU Autobrake gets no feedback on wheel speed <during taxi>", ("C-2",),
     Disposition.OPEN, ""),
    (Severity.WARNING, "The Brake control action has no timing UCA & no scenario", ("LK-3",),
     Disposition.ACCEPTED_RISK, "Accepted by the safety board on 2025-03-01: crews are "
     "trained to monitor the autobrake | see memo SB-12."),
    (Severity.WARNING, "Hazard H-4.1 is covered by one constraint only", ("H-4.1",),
     Disposition.RESOLVED, "SC-4.1 and SC-4.2 now both address it."),
    (Severity.INFO, "Flight crew carries three responsibilities", ("C-1",),
     Disposition.NOT_APPLICABLE, "Two pilots share them."),
)  # fmt: skip


def sample_document() -> Document:
    """The wheel-brakes example with :data:`FINDINGS` (ids F-1 to F-4)."""
    document = io.load(resource_path("examples/wheel-brakes.stipa"))
    with document.transaction("Findings for the export tests"):
        for severity, message, targets, disposition, rationale in FINDINGS:
            document.add(
                Finding(
                    plugin="tests.sample",
                    rule="sample-rule",
                    severity=severity,
                    message=message,
                    targets=targets,
                    disposition=disposition,
                    rationale=rationale,
                )
            )
    return document
