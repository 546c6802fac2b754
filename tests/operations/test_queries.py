"""The queries operations and views share, headless: what targets mean, and traceability."""

from __future__ import annotations

import pytest

from stipa.diagram.targets import canvas_ids_of
from stipa.model import (
    ControllerConstraint,
    Document,
    Hazard,
    Loss,
    Responsibility,
    SystemConstraint,
    UnsafeControlAction,
)
from stipa.operations.targets import target_name, target_names
from stipa.operations.tracing import canvas_targets, concerns, loss_chain, related, upward


@pytest.fixture
def traced(drawn: Document) -> Document:
    """drawn + L-1 <- H-1 <- SC-1 <- R-1 (BSCU); H-1 <- UCA-1 (Brake) <- CC-1."""
    with drawn.transaction("Record the analysis"):
        loss = drawn.add(Loss(text="Aircraft damaged"))
        hazard = drawn.add(Hazard(text="Insufficient deceleration", losses=(loss.id,)))
        constraint = drawn.add(SystemConstraint(text="Decelerate", hazards=(hazard.id,)))
        drawn.add(Responsibility(text="Brake", owner="C-1", constraints=(constraint.id,)))
        brake = drawn.links["LK-1"].items[0].id
        uca = drawn.add(
            UnsafeControlAction(action=brake, type="not_provided", context="on landing",
                                hazards=(hazard.id,))
        )  # fmt: skip
        drawn.add(ControllerConstraint(text="Must brake on landing", ucas=(uca.id,)))
    return drawn


def test_targets_have_names_and_show_on_the_canvas(traced: Document) -> None:
    (uca,) = traced.ucas
    (cc,) = traced.controller_constraints
    assert target_name(traced, "C-1") == "BSCU"
    assert target_name(traced, "LK-1") == "Brake"  # a link goes by its items
    assert target_names(traced, ("C-1", "C-404")) == "BSCU, C-404"
    assert canvas_ids_of(traced, (uca, cc, "C-2")) == ["LK-1", "C-2"]


def test_tracing_goes_up_and_down_the_chain(traced: Document) -> None:
    (loss,), (hazard,), (constraint,) = traced.losses, traced.hazards, traced.constraints
    (responsibility,), (uca,), (cc,) = (
        traced.responsibilities,
        traced.ucas,
        traced.controller_constraints,
    )
    assert upward(traced, uca) == [hazard]
    assert related(traced, [hazard]) == {loss, hazard, constraint, responsibility, uca, cc}
    assert concerns(traced, ["C-3"]) == set()  # the sensor holds nothing
    assert {responsibility, uca} <= concerns(traced, ["C-1"])
    assert canvas_targets(traced, [uca, responsibility]) == ({"C-1"}, {"LK-1"})
    chain = [node.record_id for node in loss_chain(traced, loss).walk()]
    assert chain[0] == loss and {hazard, constraint, responsibility, uca, cc} <= set(chain)
