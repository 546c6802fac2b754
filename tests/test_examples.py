"""The bundled examples: valid, faithful to their sources, and in sync with their build scripts."""

from __future__ import annotations

import importlib.util
import itertools
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

import stipa
from stipa import io

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "resources" / "examples"
WHEEL_BRAKES = EXAMPLES / "wheel-brakes.stipa"
WHEEL_BRAKES_SCRIPT = EXAMPLES / "scripts" / "wheel_brakes.py"


def _script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_example_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def doc() -> stipa.Document:
    return io.load(WHEEL_BRAKES)


@pytest.fixture(scope="module")
def brake(doc: stipa.Document) -> str:
    """The id of the BSCU Autobrake's Brake control action."""
    (autobrake,) = [c for c in doc.components.values() if c.name == "BSCU Autobrake"]
    found = [
        item.id
        for link in doc.links.values()
        if link.source == autobrake.id and link.kind == stipa.LinkKind.CONTROL_ACTION
        for item in link.items
        if item.name == "Brake"
    ]
    assert len(found) == 1
    return found[0]


def test_every_example_loads_and_is_valid() -> None:
    paths = sorted(EXAMPLES.glob("*.stipa"))
    assert WHEEL_BRAKES in paths
    for path in paths:
        assert io.load(path).check() == [], path


def test_wheel_brakes_is_valid(doc: stipa.Document) -> None:
    assert doc.check() == []


def test_wheel_brakes_info(doc: stipa.Document) -> None:
    assert doc.info.title == "Wheel braking system (STPA Handbook ch. 2)"
    assert doc.info.author == "Stipa examples"
    assert doc.info.version and doc.info.organisation


def test_wheel_brakes_hazard_h4_as_in_the_handbook(doc: stipa.Document) -> None:
    assert doc.hazards["H-4"].text == "Aircraft comes too close to other objects on the ground"
    subs = {h.id: h.text for h in doc.hazards.values() if h.parent == "H-4"}
    assert list(subs) == [f"H-4.{n}" for n in range(1, 7)]
    assert subs["H-4.1"] == (
        "Deceleration is insufficient upon landing, rejected takeoff, or during taxiing"
    )
    assert subs["H-4.3"] == "Deceleration occurs after V1 point during takeoff"
    assert subs["H-4.6"] == "Acceleration is insufficient during takeoff"
    for hazard in doc.hazards.values():
        assert any(hazard.id in sc.hazards for sc in doc.constraints.values()), hazard.id


def test_brake_ucas_by_type(doc: stipa.Document, brake: str) -> None:
    ucas = [uca for uca in doc.ucas.values() if uca.action == brake]
    assert len(ucas) == 6
    assert Counter(uca.type for uca in ucas) == {
        stipa.UCAType.NOT_PROVIDED: 1,
        stipa.UCAType.PROVIDED: 3,
        stipa.UCAType.TIMING: 1,
        stipa.UCAType.DURATION: 1,
    }
    assert all(uca.status == stipa.UCAStatus.ACCEPTED for uca in ucas)


def test_brake_ucas_cover_exactly_the_handbook_hazards(doc: stipa.Document, brake: str) -> None:
    ucas = [uca for uca in doc.ucas.values() if uca.action == brake]
    assert all(uca.hazards for uca in ucas)
    covered = {hazard for uca in ucas for hazard in uca.hazards}
    assert covered == {"H-4.1", "H-4.2", "H-4.3", "H-4.6"}


def test_one_controller_constraint_per_brake_uca(doc: stipa.Document, brake: str) -> None:
    ucas = {uca.id for uca in doc.ucas.values() if uca.action == brake}
    constraints = list(doc.controller_constraints.values())
    assert len(constraints) == 6
    assert all(len(cc.ucas) == 1 for cc in constraints)
    assert {cc.ucas[0] for cc in constraints} == ucas


def test_layout_controllers_above_without_overlaps(doc: stipa.Document) -> None:
    layout = doc.node_layout
    assert set(layout) == set(doc.components)
    for a, b in itertools.combinations(layout.values(), 2):
        apart_x = max(a.x, b.x) - min(a.x + a.width, b.x + b.width)
        apart_y = max(a.y, b.y) - min(a.y + a.height, b.y + b.height)
        assert max(apart_x, apart_y) >= 60, (a.id, b.id)
    for link in doc.links.values():
        source, target = layout[link.source], layout[link.target]
        if link.kind == stipa.LinkKind.CONTROL_ACTION:
            assert source.y < target.y, link.id
        elif link.kind == stipa.LinkKind.FEEDBACK:
            assert source.y > target.y, link.id


def test_wheel_brakes_every_controller_has_a_process_model_and_responsibilities(
    doc: stipa.Document,
) -> None:
    owners = {r.owner for r in doc.responsibilities.values()}
    for component in doc.components.values():
        if component.kind == stipa.ComponentKind.CONTROLLER:
            assert component.variables, component.name
            assert component.id in owners, component.name
    assert all(r.constraints for r in doc.responsibilities.values())


def test_wheel_brakes_scenarios_have_categories(doc: stipa.Document) -> None:
    assert len(doc.scenarios) >= 3
    for scenario in doc.scenarios.values():
        assert scenario.category != stipa.ScenarioCategory.UNSPECIFIED
        assert scenario.ucas or scenario.hazards


def test_wheel_brakes_file_is_what_its_script_builds() -> None:
    built = io.dumps(_script(WHEEL_BRAKES_SCRIPT).build())
    assert built == WHEEL_BRAKES.read_bytes(), (
        "wheel-brakes.stipa is out of date: run resources/examples/scripts/wheel_brakes.py"
    )
