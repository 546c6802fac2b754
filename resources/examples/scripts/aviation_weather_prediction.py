"""Build ``resources/examples/aviation-weather-prediction.stipa``: AI weather forecasts in aviation.

The policy brief's example of an unreliable component in a safe system (Dobbe, *AI Safety is
Stuck in Technical Terms*, TU Delft, 2025, §6.3): "Consider for instance the use of AI models for
weather prediction in aviation. Wrong predictions may be costly but are typically acceptable, as
these can be updated with real-time measurements and pilots are trained to respond to
sudden/unanticipated weather changes." This example draws that system: a machine-learning
weather model at a meteorological service, the forecasters who check its guidance against
observations, the airline's dispatchers, air traffic control and the flight crew with the
onboard weather radar. The organisations and the model are generic; the roles follow common
aviation practice. Run::

    .venv/bin/python resources/examples/scripts/aviation_weather_prediction.py

What the analysis shows: hazard H-4 (flights delayed or cancelled for weather that does not
occur) rests on the model's responsibility alone, and still the "reliability alone" check of
``stipa.hazards`` does not fire, because the model sits in a loop of independent checks: the
meteorological service verifies it, forecasters amend or withhold its guidance against
observations, and dispatchers and pilots weigh it against real-time measurements. The safety
of flights never rests on the model: each hazard to people is held by trained people with
feedback of their own.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from pathlib import Path

import stipa
from stipa import (
    Component,
    Hazard,
    Link,
    LinkLayout,
    Loss,
    NodeLayout,
    ProcessVariable,
    Responsibility,
)
from stipa.operations.layout import auto_layout

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helpers shared by the scripts
from example_analysis import (
    add_constraint,
    add_link,
    add_scenario,
    add_ucas,
    analysed_example,
    dispose,
    named,
    reject,
)

#: The resources folder (this script lives in resources/examples/scripts).
RESOURCES = Path(__file__).resolve().parents[2]
OUTPUT = RESOURCES / "examples" / "aviation-weather-prediction.stipa"


def build() -> stipa.Document:
    """Return the analysed example.

    Returns
    -------
    stipa.Document
        The analysis, built in one transaction, analysed by the built-in analyses, with the
        analyst's dispositions; ``doc.check()`` is empty.
    """
    return analysed_example("Build the aviation weather example", _build, _dispose)


def _build(doc: stipa.Document) -> None:
    doc.set_info(
        title="AI weather prediction in aviation",
        version="1.0",
        author="Stipa examples",
        organisation="Stipa",
        description=(
            "An unreliable component in a safe system (Dobbe, AI Safety is Stuck in Technical "
            "Terms, TU Delft, 2025, §6.3). A meteorological service uses a machine-learning "
            "weather model; its forecasters check the model's guidance against observations "
            "and amend or withhold it; airline dispatchers plan routes, fuel and alternates; "
            "air traffic control clears deviations; trained flight crews avoid the weather "
            "they see on the onboard radar. Wrong predictions cost delays and diversions, but "
            "no hazard to people rests on the model: each is held by trained people with "
            "real-time feedback of their own, so the 'reliability alone' check does not fire "
            "even for the hazard the model alone is responsible for (H-4). Generic example. "
            "The loss-scenario drafts the hazards analysis proposes for categories not written "
            "here are left open for the reader to triage."
        ),
    )

    # --- step 1: losses, hazards, system-level constraints ---------------------------------
    l1 = doc.add(Loss(text="Loss of life or injury to people")).id
    l2 = doc.add(Loss(text="Loss of or damage to aircraft")).id
    l3 = doc.add(
        Loss(
            text="Loss of mission: flights delayed, diverted or cancelled",
            description="The cost of wrong predictions, which the brief calls typically "
            "acceptable.",
        )
    ).id

    h1 = doc.add(
        Hazard(
            text="Aircraft is in or near hazardous weather beyond its or its crew's capability",
            losses=(l1, l2),
            description="Hazardous weather: convection, severe turbulence, icing, wind shear.",
        )
    ).id
    h11 = doc.add(
        Hazard(
            text="Aircraft is dispatched towards forecast hazardous weather without an "
            "alternative that avoids it",
            losses=(l1, l2),
            parent=h1,
        )
    ).id
    h12 = doc.add(
        Hazard(
            text="Aircraft continues towards hazardous weather that develops en route",
            losses=(l1, l2),
            parent=h1,
        )
    ).id
    h2 = doc.add(
        Hazard(
            text="Aircraft comes closer to other aircraft than the separation minima while "
            "deviating around weather",
            losses=(l1, l2),
        )
    ).id
    h3 = doc.add(
        Hazard(
            text="Aircraft has too little fuel for weather holding or diversion", losses=(l1, l2)
        )
    ).id
    h4 = doc.add(
        Hazard(
            text="Flights are delayed, rerouted or cancelled for hazardous weather that does not "
            "occur",
            losses=(l3,),
        )
    ).id

    constraint = functools.partial(add_constraint, doc)

    sc1 = constraint(
        "Aircraft must stay out of hazardous weather beyond its and its crew's capability",
        (h1,),
    )
    sc11 = constraint(
        "Flights must be dispatched with routes, alternates and fuel that avoid forecast "
        "hazardous weather",
        (h11,),
        "SC-1.1",
    )
    sc12 = constraint(
        "Hazardous weather that develops en route must be detected and avoided in time",
        (h12,),
        "SC-1.2",
    )
    sc2 = constraint("Deviations around weather must keep the separation minima", (h2,))
    sc3 = constraint("Fuel on board must cover weather holding and diversion", (h3,))
    sc4 = constraint(
        "Forecast probabilities of hazardous weather must match how often it is observed",
        (h4,),
    )

    # --- step 2: the control structure -----------------------------------------------------
    def variable(name: str, *values: str) -> ProcessVariable:
        return ProcessVariable(name=name, values=values)

    authority = doc.add(
        Component(
            name="Civil aviation authority",
            kind="controller",
            nature="regulator",
            description="Designates and audits the aviation weather provider; approves the "
            "airline's operations and training; licenses and audits air traffic services.",
            variables=(variable("Oversight findings", "none open", "open"),),
        )
    )
    met = doc.add(
        Component(
            name="Meteorological service",
            kind="controller",
            nature="organisation",
            description="The designated aviation weather provider; runs the AI model beside "
            "physics-based numerical weather prediction.",
            variables=(
                variable("Model skill", "verified", "degraded", "unknown"),
                variable("Rare severe events in verification", "covered", "not covered"),
            ),
        )
    )
    airline = doc.add(
        Component(
            name="Airline",
            kind="controller",
            nature="organisation",
            description="Sets dispatch policy and weather minima; trains crews and dispatchers.",
            variables=(variable("Weather-related occurrences", "none", "reported"),),
        )
    )
    atc = doc.add(
        Component(
            name="Air traffic control",
            kind="controller",
            nature="human",
            role="operator",
            training="expert",
            description="Clears deviations around weather and keeps aircraft separated.",
            variables=(
                variable("Weather in the sector", "none", "cells", "line of storms"),
                variable("Traffic near the deviation", "clear", "conflicting"),
            ),
        )
    )
    forecasters = doc.add(
        Component(
            name="Aviation forecaster",
            kind="controller",
            nature="human",
            role="operator",
            training="expert",
            description="Check the model's guidance against observations; amend or withhold it; "
            "issue terminal forecasts (TAF) and warnings (SIGMET).",
            variables=(
                variable("Model guidance", "consistent with observations", "contradicted"),
                variable("Hazardous weather", "forecast", "observed", "none"),
            ),
        )
    )
    dispatcher = doc.add(
        Component(
            name="Flight dispatcher",
            kind="controller",
            nature="human",
            role="operator",
            training="expert",
            description="Shares operational control with the captain: plans route, fuel and "
            "alternates; follows the flight.",
            variables=(
                variable("Weather on the route", "clear", "hazardous forecast", "hazardous"),
                variable("Fuel margin", "sufficient", "marginal"),
            ),
        )
    )
    model = doc.add(
        Component(
            name="AI weather model",
            kind="controller",
            nature="ai_model",
            description="A machine-learning weather model trained on decades of reanalysis "
            "data; forecasts convection, turbulence, icing and wind. Advisory: it issues no "
            "control action; its forecasts are feedback to forecasters and information to "
            "dispatchers. Wrong now and then, especially for rare severe events.",
            variables=(
                variable("Atmospheric state", "analysed", "sparsely observed"),
                variable("Lead time", "nowcast", "short range", "medium range"),
            ),
        )
    )
    crew = doc.add(
        Component(
            name="Flight crew",
            kind="controller",
            nature="human",
            role="operator",
            training="expert",
            description="Trained to respond to sudden and unforecast weather changes.",
            variables=(
                variable("Weather ahead", "clear", "cell on radar", "reported by others"),
                variable("Fuel for the alternate", "sufficient", "marginal"),
            ),
        )
    )
    aircraft = doc.add(
        Component(
            name="Aircraft",
            kind="controlled_process",
            nature="physical",
            description="The aircraft in flight: its trajectory, fuel and state.",
        )
    )
    observations = doc.add(
        Component(
            name="Ground weather observations",
            kind="sensor",
            nature="physical",
            description="Airport weather reports (METAR), weather radar, lightning detection, "
            "satellite images and pilot reports.",
        )
    )
    radar = doc.add(
        Component(
            name="Onboard weather radar",
            kind="sensor",
            nature="physical",
            description="Shows precipitation, and on some radars turbulence, ahead of the "
            "aircraft.",
        )
    )
    weather = doc.add(
        Component(
            name="Weather",
            kind="external",
            nature="physical",
            description="The atmosphere: nobody controls it; everyone observes it.",
        )
    )

    ca, fb, info = "control_action", "feedback", "information"
    items: dict[str, str] = {}

    def link(source: Component, target: Component, kind: str, *names: str) -> Link:
        return add_link(doc, items, source, target, kind, names)

    link(
        authority,
        met,
        ca,
        "Designate the aviation weather provider",
        "Audit the aviation weather provider",
    )
    link(met, authority, fb, "Forecast verification and occurrence reports")
    link(authority, airline, ca, "Approve the operations manual", "Approve the training programme")
    link(airline, authority, fb, "Airline occurrence reports")
    link(authority, atc, ca, "License air traffic services", "Audit air traffic services")
    link(atc, authority, fb, "Air traffic occurrence reports")
    link(met, model, ca, "Run, verify and retrain the model", "Withdraw the model from service")
    link(model, met, fb, "Verification scores per weather type")
    link(met, forecasters, ca, "Set forecasting procedures")
    link(forecasters, met, fb, "Forecast amendments and their reasons")
    amend = link(forecasters, model, ca, "Amend or withhold model guidance")
    link(model, forecasters, fb, "Model forecast with probabilities")
    link(observations, model, fb, "Observations for each model run")
    link(observations, forecasters, fb, "Observations, radar and lightning")
    observations_atc = link(observations, atc, fb, "Airport weather reports and radar")
    forecasts_to_atc = link(forecasters, atc, info, "Warnings (SIGMET)")
    link(forecasters, dispatcher, info, "Terminal forecasts, warnings and route forecasts")
    link(model, dispatcher, info, "Probabilistic route forecast")
    link(airline, dispatcher, ca, "Set dispatch policy", "Set weather minima")
    link(dispatcher, airline, fb, "Dispatch and diversion records")
    airline_crew = link(airline, crew, ca, "Train for unforecast weather and set procedures")
    crew_airline = link(crew, airline, fb, "Air safety reports")
    link(
        dispatcher,
        crew,
        ca,
        "Release flight with route, fuel and alternates",
        "Recommend reroute or diversion",
    )
    link(crew, dispatcher, fb, "Position, fuel and weather reports")
    link(dispatcher, atc, info, "Reroutes and flow measures (collaborative decision making)")
    link(atc, crew, ca, "Clear weather deviation", "Issue weather information and holding")
    link(crew, atc, fb, "Deviation requests and pilot reports")
    link(crew, aircraft, ca, "Deviate around weather", "Divert or hold")
    link(aircraft, crew, fb, "Position, fuel and flight state")
    link(radar, crew, fb, "Radar returns ahead")
    link(weather, observations, fb, "Conditions at the stations")
    link(weather, radar, fb, "Precipitation ahead")

    # Controllers above what they control, rows 260 px apart: the model under the service
    # that runs it, the forecasters beside it.
    places = {
        authority: (700, 0, 200),
        met: (0, 260, 220),
        airline: (700, 260, 200),
        atc: (1400, 260, 200),
        forecasters: (340, 520, 220),
        dispatcher: (820, 520, 200),
        model: (0, 780, 200),
        crew: (1100, 780, 200),
        observations: (300, 1040, 260),
        aircraft: (760, 1040, 200),
        radar: (1400, 1040, 220),
        weather: (760, 1300, 200),
    }
    for component, (x, y, width) in places.items():
        doc.set_layout(NodeLayout(id=component.id, x=x, y=y, width=width, height=70))
    # Where an elbow would cross a box, its middle segment runs in the gap between two rows.
    for routed, channel in (
        (forecasts_to_atc, 380.0),
        (airline_crew, 460.0),
        (crew_airline, 490.0),
        (observations_atc, 720.0),
    ):
        doc.set_layout(LinkLayout(id=routed.id, bends=((0.0, channel),)))
    doc.set_layout(LinkLayout(id=amend.id, label_dx=-40.0, label_dy=75.0))
    auto_layout(doc)  # by control authority: it scores better than the places above

    # --- responsibilities ------------------------------------------------------------------
    def responsibility(
        owner: Component, text: str, constraints: Iterable[str], processes: Iterable[Component]
    ) -> None:
        doc.add(
            Responsibility(
                text=text,
                owner=owner.id,
                constraints=tuple(constraints),
                processes=tuple(p.id for p in processes),
            )
        )

    responsibility(
        authority,
        "Oversee the weather provider, the airline and air traffic services",
        (sc1, sc11, sc2),
        (met, airline, atc),
    )
    responsibility(
        met,
        "Verify the AI model against observations, per weather type; retrain it, or withdraw "
        "it when its skill degrades",
        (sc11,),
        (model,),
    )
    responsibility(
        forecasters,
        "Check the model's guidance against observations, amend or withhold it, and warn of "
        "hazardous weather",
        (sc11, sc12),
        (model,),
    )
    responsibility(
        model,
        "Forecast convection, turbulence, icing and wind shear with calibrated probabilities, "
        "refreshed with every observation cycle",
        (sc4,),
        (weather,),
    )
    responsibility(
        airline,
        "Train crews and dispatchers for unforecast weather, and set dispatch weather minima",
        (sc1, sc11, sc12),
        (crew, dispatcher),
    )
    responsibility(
        dispatcher,
        "Plan routes, alternates and fuel that avoid forecast hazardous weather; release a "
        "flight only when they do",
        (sc11, sc3),
        (crew,),
    )
    responsibility(
        dispatcher,
        "Follow the weather along the route and recommend reroutes or diversions",
        (sc12, sc3),
        (crew,),
    )
    responsibility(
        atc,
        "Clear deviations around weather while keeping separation; pass on warnings and pilot "
        "reports",
        (sc2, sc12),
        (crew,),
    )
    responsibility(
        crew,
        "Detect and avoid hazardous weather en route with the onboard radar, reports and "
        "forecasts; divert or hold when needed",
        (sc1, sc12, sc3),
        (aircraft,),
    )

    # --- step 3: unsafe control actions and controller constraints --------------------------
    uca_ids: dict[str, str] = {}

    def ucas(action: str, rows: Iterable[tuple[str, str, str, tuple[str, ...], str]]) -> None:
        add_ucas(doc, items[action], rows, uca_ids)

    discrete = "A discrete action: it has no duration that could be too short or too long."
    ucas(
        "Release flight with route, fuel and alternates",
        (
            (
                "release-into-weather",
                "provided",
                "when the route or destination has forecast hazardous weather and no alternate "
                "avoids it",
                (h11,),
                "Flight dispatcher must not release a flight towards forecast hazardous weather "
                "without an alternate that avoids it",
            ),
            (
                "release-short-fuel",
                "provided",
                "with fuel that does not cover holding or diversion for the forecast weather",
                (h3,),
                "Flight dispatcher must not release a flight without fuel for weather holding "
                "and diversion",
            ),
            (
                "release-withheld",
                "not_provided",
                "when the forecast overstates hazardous weather that observations do not show",
                (h4,),
                "Flight dispatcher must check the latest observations and amended forecasts "
                "before delaying or cancelling a flight for weather",
            ),
            (
                "release-stale",
                "timing",
                "too early, on a forecast hours old without the latest update",
                (h11,),
                "Flight dispatcher must release a flight on the latest forecast",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Recommend reroute or diversion",
        (
            (
                "recommend-missing",
                "not_provided",
                "when hazardous weather develops on the route or at the destination",
                (h12, h3),
                "Flight dispatcher must recommend a reroute or diversion when hazardous "
                "weather develops on the route or at the destination",
            ),
            (
                "recommend-late",
                "timing",
                "too late, when the fuel on board no longer reaches the alternate",
                (h3,),
                "Flight dispatcher must recommend a diversion while the fuel still reaches "
                "the alternate",
            ),
            (
                "",
                "provided",
                "",
                (),
                "The captain decides; an unneeded recommendation costs time, not safety.",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Clear weather deviation",
        (
            (
                "clear-refused",
                "not_provided",
                "when the crew requests a deviation around a storm cell",
                (h12,),
                "Air traffic control must clear a requested deviation around a storm cell, or "
                "give an alternative at once",
            ),
            (
                "clear-conflict",
                "provided",
                "into airspace where the deviation conflicts with other traffic",
                (h2,),
                "Air traffic control must not clear a deviation that conflicts with other traffic",
            ),
            (
                "clear-late",
                "timing",
                "too late, after the aircraft has reached the cell",
                (h12,),
                "Air traffic control must answer a deviation request before the aircraft "
                "reaches the cell",
            ),
            (
                "clear-short",
                "duration",
                "stopped too soon: the aircraft is cleared back on its route before it has "
                "passed the weather",
                (h12,),
                "Air traffic control must not clear the aircraft back on its route before it "
                "has passed the weather",
            ),
        ),
    )
    ucas(
        "Deviate around weather",
        (
            (
                "deviate-missing",
                "not_provided",
                "when the onboard radar shows a cell on the route that the forecast missed",
                (h12,),
                "Flight crew must deviate around a cell the radar shows, whatever the forecast "
                "said",
            ),
            (
                "deviate-uncleared",
                "provided",
                "without a clearance, into other traffic",
                (h2,),
                "Flight crew must not deviate into other traffic without a clearance, except "
                "in an emergency declared to air traffic control",
            ),
            (
                "deviate-late",
                "timing",
                "too late, within the distance the cell's turbulence reaches",
                (h12,),
                "Flight crew must start a deviation outside the distance the cell's turbulence "
                "reaches",
            ),
            (
                "deviate-short",
                "duration",
                "stopped too soon, turning back before the cell is passed",
                (h12,),
                "Flight crew must not turn back before the cell is passed",
            ),
        ),
    )
    ucas(
        "Divert or hold",
        (
            (
                "divert-missing",
                "not_provided",
                "when the destination weather falls below minima",
                (h3, h1),
                "Flight crew must divert or hold when the destination weather falls below minima",
            ),
            (
                "divert-late",
                "timing",
                "too late, after the fuel for the alternate is used",
                (h3,),
                "Flight crew must divert while the fuel still reaches the alternate",
            ),
            (
                "hold-too-long",
                "duration",
                "applied too long: holding for a forecast improvement until the fuel for the "
                "alternate is gone",
                (h3,),
                "Flight crew must end holding at the fuel for the alternate",
            ),
            (
                "",
                "provided",
                "",
                (),
                "An unneeded diversion or hold costs time and the fuel planned for it; the "
                "fuel for the alternate remains.",
            ),
        ),
    )
    ucas(
        "Amend or withhold model guidance",
        (
            (
                "amend-missing",
                "not_provided",
                "when observations contradict the model's forecast of hazardous weather",
                (h11, h12),
                "Aviation forecaster must amend or withhold model guidance that observations "
                "contradict",
            ),
            (
                "amend-wrong",
                "provided",
                "when they withhold a correct warning of the model",
                (h11,),
                "Aviation forecaster must not withhold a model warning that observations do "
                "not contradict",
            ),
            (
                "amend-late",
                "timing",
                "too late, after flights were dispatched on the unamended forecast",
                (h11,),
                "Aviation forecaster must amend a forecast before the next dispatch cycle",
            ),
            ("", "duration", "", (), discrete),
        ),
    )
    ucas(
        "Withdraw the model from service",
        (
            (
                "withdraw-missing",
                "not_provided",
                "when verification shows its skill on hazardous weather has degraded",
                (h11, h4),
                "Meteorological service must withdraw the model when its skill on hazardous "
                "weather degrades",
            ),
            (
                "withdraw-late",
                "timing",
                "too late, after a season of degraded forecasts",
                (h4,),
                "Meteorological service must verify the model monthly and withdraw it without "
                "delay",
            ),
            (
                "withdraw-short",
                "duration",
                "stopped too soon: back in service before the retrained version is verified",
                (h11,),
                "Meteorological service must not return the model to service before the "
                "retrained version is verified",
            ),
            (
                "",
                "provided",
                "",
                (),
                "Without the model, forecasters work from physics-based guidance as before: "
                "forecasts may be less skilful, not unsafe.",
            ),
        ),
    )
    ucas(
        "Run, verify and retrain the model",
        (
            (
                "retrain-unverified",
                "provided",
                "with a version not verified on rare severe events",
                (h11, h4),
                "Meteorological service must verify every model version on rare severe "
                "events before use",
            ),
            (
                "retrain-missing",
                "not_provided",
                "when the region's climate has shifted away from the training data",
                (h4, h11),
                "Meteorological service must retrain the model when the climate of the region "
                "shifts from its training data",
            ),
            (
                "",
                "timing",
                "",
                (),
                "A late retrain is a missing retrain until it happens (above).",
            ),
            ("", "duration", "", (), discrete),
        ),
    )

    ucas(
        "Train for unforecast weather and set procedures",
        (
            (
                "training-cut",
                "not_provided",
                "when forecasts have become more reliable and unforecast weather is rare",
                (h12,),
                "Airline must keep recurrent training on unforecast weather, however reliable "
                "the forecasts",
            ),
            (
                "procedure-forecast-first",
                "provided",
                "with procedures that put the forecast above what the crew sees on the radar",
                (h12,),
                "Airline must not set procedures that put a forecast above the crew's own "
                "observation",
            ),
            (
                "training-late",
                "timing",
                "too late, at intervals longer than the skill lasts",
                (h12,),
                "Airline must repeat the training before the skill fades",
            ),
            (
                "",
                "duration",
                "",
                (),
                "Training and procedures have no duration to get wrong; their timing is "
                "analysed above.",
            ),
        ),
    )
    ucas(
        "Issue weather information and holding",
        (
            (
                "info-missing",
                "not_provided",
                "when pilots report severe turbulence or a warning is issued for the sector",
                (h12,),
                "Air traffic control must pass severe-weather reports and warnings to every "
                "aircraft in or entering the sector",
            ),
            (
                "hold-in-weather",
                "provided",
                "with a holding pattern in or near the hazardous weather",
                (h1,),
                "Air traffic control must not assign holding in or near hazardous weather",
            ),
            (
                "info-late",
                "timing",
                "too late, after the aircraft has entered the area",
                (h12,),
                "Air traffic control must pass weather information before aircraft enter the area",
            ),
            (
                "atc-hold-long",
                "duration",
                "applied too long: holding until the fuel for the alternate is used",
                (h3,),
                "Air traffic control must ask holding aircraft for their fuel limit and release "
                "them before it",
            ),
        ),
    )

    # --- step 4: loss scenarios --------------------------------------------------------------
    scenario = functools.partial(add_scenario, doc, uca_ids)

    scenario(
        "The model under-forecasts a line of storms: such lines are rare in its training data. "
        "Over the sea there are few observations to contradict it, so the forecasters leave "
        "the guidance as it is and flights are dispatched on it.",
        "feedback",
        "Feedback missing: sparse observations where the model is wrong",
        ("amend-missing", "amend-late", "release-into-weather"),
    )
    scenario(
        "The dispatcher plans from the model's probabilistic route forecast, which arrives "
        "before the forecasters' amendment, and releases the flight without an alternate.",
        "feedback",
        "Feedback inadequate: an unchecked forecast reaches a controller first",
        ("release-into-weather", "release-stale"),
    )
    scenario(
        "Heavy rain between the aircraft and a storm cell attenuates the radar beam, so the "
        "crew sees less of the cell than there is and continues.",
        "feedback",
        "Sensor cannot measure what is needed: radar attenuation",
        ("deviate-missing", "deviate-late"),
    )
    scenario(
        "The forecast showed no convection; the crew reads the radar returns as rain and "
        "deviates late. Recurrent training on unforecast weather is what keeps the forecast "
        "from overriding what the crew sees.",
        "controller",
        "Inadequate process model: the forecast trusted over the radar",
        ("deviate-late", "deviate-missing"),
    )
    scenario(
        "Every flight asks to deviate around the same line of storms; the sector is full and "
        "the controller cannot clear all deviations at once.",
        "process",
        "Conflicting demands on the process: many deviations in one sector",
        ("clear-refused", "clear-late", "clear-conflict"),
    )
    scenario(
        "The crew turns back towards the route as the cell leaves the radar display's range, "
        "and air traffic control clears it back on route; the cell has grown meanwhile.",
        "process",
        "Process changes over time: the cell grows",
        ("deviate-short", "clear-short"),
    )
    scenario(
        "The model forecasts the destination weather to improve within the hour; the crew "
        "holds for it and the dispatcher waits, until the fuel for the alternate is used.",
        "controller",
        "Inadequate process model: a forecast improvement believed",
        ("hold-too-long", "divert-late", "recommend-late", "divert-missing", "recommend-missing"),
    )
    scenario(
        "The dispatcher's fuel plan takes the model's low probability of holding at face "
        "value and carries no extra fuel.",
        "controller",
        "Inadequate control algorithm: fuel planned on a probability alone",
        ("release-short-fuel",),
    )
    scenario(
        "The model over-forecasts icing for a morning; flights are delayed until the next "
        "cycle, when observations show no icing and the forecasters amend. Costly, and "
        "acceptable: no one was put at risk.",
        "controller",
        "Inadequate control algorithm: the model's bias",
        ("release-withheld",),
        (h4,),
    )
    scenario(
        "Verification scores are averaged over all weather, so poor skill on rare severe "
        "events is hidden in good scores on ordinary days.",
        "feedback",
        "Feedback inadequate: what the verification averages over",
        ("withdraw-missing", "withdraw-late", "retrain-unverified"),
    )
    scenario(
        "A retrained version goes back into service on its average scores, before its skill "
        "on severe events is verified.",
        "controller",
        "Inadequate control algorithm: release criteria",
        ("withdraw-short",),
    )
    scenario(
        "Summers in the region have grown warmer than any in the training data; convection "
        "forms earlier in the day than the model has seen.",
        "process",
        "Process changes over time: climate",
        ("retrain-missing",),
    )
    scenario(
        "As the AI forecasts improved, the airline shortened recurrent training on unforecast "
        "weather and wrote procedures around the forecast: a reliable component eroding the "
        "independent check that made it safe to use.",
        "controller",
        "Inadequate process model: reliability mistaken for safety",
        ("training-cut", "training-late", "procedure-forecast-first"),
    )
    scenario(
        "The frequency is busy and the crew cannot get a word in; they deviate without a "
        "clearance into airspace where other traffic was cleared to climb.",
        "control_path",
        "Feedback and control path delayed: a congested frequency",
        ("deviate-uncleared",),
    )
    scenario(
        "A pilot report of severe turbulence reaches one controller but is not passed on when "
        "the aircraft behind is handed over to the next sector.",
        "feedback",
        "Feedback lost at a hand-over",
        ("info-missing", "info-late"),
    )
    scenario(
        "The holding pattern assigned to a busy airport lies under a growing cell, and holding "
        "goes on because every aircraft in the stack waits for the same improvement.",
        "process",
        "Process changes over time: the weather moves over the holding area",
        ("hold-in-weather", "atc-hold-long"),
    )
    scenario(
        "Forecasters, used to a reliable model, withhold a warning of it that looks "
        "exaggerated; the convection forms as the model said.",
        "controller",
        "Inadequate process model: the model's rare warnings doubted",
        ("amend-wrong",),
    )


# --- analyses and dispositions ---------------------------------------------------------------


SCOPE = (
    "Outside the scope of this example, which analyses how forecasts reach the flight and "
    "who can correct them. The authority's, the airline's and the meteorological service's "
    "organisational control actions are drawn to show who answers for the system, not "
    "analysed for unsafe control actions."
)


def _dispose(doc: stipa.Document) -> None:
    for action in (
        "Designate the aviation weather provider",
        "Audit the aviation weather provider",
        "Approve the operations manual",
        "Approve the training programme",
        "License air traffic services",
        "Audit air traffic services",
        "Set forecasting procedures",
        "Set dispatch policy",
        "Set weather minima",
    ):
        dispose(
            doc,
            "stipa.hazards",
            "stpa.undecided-uca-types",
            (named(doc, action),),
            "not_applicable",
            SCOPE,
        )
        reject(doc, "stpa.candidate-uca", named(doc, action), SCOPE)
    dispose(
        doc,
        "stipa.responsibility",
        "responsibility-without-authority",
        (named(doc, "AI weather model"), named(doc, "Weather")),
        "not_applicable",
        "Nobody acts on the weather: a forecast concerns the weather without authority over "
        "it. What the model's responsibility needs is observability, and observations reach "
        "it every run.",
    )
    dispose(
        doc,
        "stipa.footprint",
        "footprint.inputs",
        (named(doc, "AI weather model"),),
        "not_applicable",
        "Not estimated: the model is trained and run by the meteorological service for many "
        "users besides aviation; its footprint is not the question of this example. Enter its "
        "hardware and hours in the inspector to get a footprint note.",
    )


def main() -> int:
    """Write the example next to this script's directory and report where."""
    from stipa import io

    io.save(build(), OUTPUT)
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
