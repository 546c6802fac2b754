"""How things look, without Qt: component presets (shape, colour) and link colours and dashes."""

from __future__ import annotations

from dataclasses import dataclass

from stipa.model import ComponentKind, LinkKind, Nature, Severity

__all__ = [
    "BOUNDARY_PRESET",
    "DASHES",
    "MARKS",
    "MARK_COLOURS",
    "PRESETS",
    "PRESET_BY_KEY",
    "SEVERITY_COLOURS",
    "Preset",
    "link_colour",
    "preset_for",
]


@dataclass(frozen=True)
class Preset:
    """A palette entry: an STPA kind with a nature (and role), drawn with its own shape."""

    key: str
    label: str
    kind: ComponentKind
    nature: Nature
    role: str
    shape: str
    colour: str
    tooltip: str


#: Okabe & Ito's colour-blind-safe palette; shapes differ too, so colour is never the only cue.
PRESETS: tuple[Preset, ...] = (
    Preset("controller", "Controller", ComponentKind.CONTROLLER, Nature.SOFTWARE, "",
           "rect", "#56B4E9", "A software or automated controller"),
    Preset("ai_model", "AI model", ComponentKind.CONTROLLER, Nature.AI_MODEL, "",
           "hexagon", "#CC79A7", "An AI model acting as (part of) a controller"),
    Preset("human_operator", "Human operator", ComponentKind.CONTROLLER, Nature.HUMAN,
           "operator", "rounded", "#E69F00", "A trained human operator"),
    Preset("lay_user", "Lay user", ComponentKind.EXTERNAL, Nature.HUMAN, "lay user",
           "rounded", "#F0E442", "A member of the public using the system"),
    Preset("organisation", "Organisation", ComponentKind.CONTROLLER, Nature.ORGANISATION, "",
           "double", "#009E73", "A company, agency or team"),
    Preset("regulator", "Regulator", ComponentKind.CONTROLLER, Nature.REGULATOR, "",
           "banner", "#0072B2", "A regulator, authority or oversight body"),
    Preset("actuator", "Actuator", ComponentKind.ACTUATOR, Nature.PHYSICAL, "",
           "trapezoid", "#BBBBBB", "Carries out control actions on a process"),
    Preset("sensor", "Sensor", ComponentKind.SENSOR, Nature.PHYSICAL, "",
           "inv_trapezoid", "#DDDDDD", "Measures a process and sends feedback"),
    Preset("controlled_process", "Controlled process", ComponentKind.CONTROLLED_PROCESS,
           Nature.PHYSICAL, "", "ellipse", "#D55E00", "The process being controlled"),
    Preset("external", "Affected party", ComponentKind.EXTERNAL, Nature.HUMAN,
           "affected person", "dashed", "#999999",
           "Environment or people affected by the system"),
)  # fmt: skip
PRESET_BY_KEY = {preset.key: preset for preset in PRESETS}
#: A system boundary until frames are drawn as containers: a dashed outline, no palette entry.
BOUNDARY_PRESET = Preset("boundary", "System boundary", ComponentKind.BOUNDARY, Nature.ORGANISATION,
                         "", "dashed", "#F7F7F7", "What the analysis calls the system")  # fmt: skip


def preset_for(kind: ComponentKind, nature: Nature, role: str = "") -> Preset:
    """The preset that draws a component best (its kind first, then its nature)."""
    lay = role.strip().lower() in ("lay user", "user", "citizen", "member of the public")
    people = (ComponentKind.CONTROLLER, ComponentKind.EXTERNAL)
    if nature == Nature.HUMAN and lay and kind in people:
        return PRESET_BY_KEY["lay_user"]  # whether drawn as outside or as controlling
    if kind == ComponentKind.CONTROLLER:
        if nature == Nature.HUMAN:
            return PRESET_BY_KEY["human_operator"]
        by_nature = {
            Nature.AI_MODEL: "ai_model",
            Nature.ORGANISATION: "organisation",
            Nature.REGULATOR: "regulator",
        }
        return PRESET_BY_KEY[by_nature.get(nature, "controller")]
    by_kind = {
        ComponentKind.ACTUATOR: "actuator",
        ComponentKind.SENSOR: "sensor",
        ComponentKind.CONTROLLED_PROCESS: "controlled_process",
        ComponentKind.EXTERNAL: "external",
    }
    if kind == ComponentKind.BOUNDARY:
        return BOUNDARY_PRESET
    return PRESET_BY_KEY[by_kind[kind]]


_LINK_COLOURS = {
    False: {
        LinkKind.CONTROL_ACTION: "#1a1a1a",
        LinkKind.FEEDBACK: "#0072B2",
        LinkKind.INFORMATION: "#6b6b6b",
    },
    True: {
        LinkKind.CONTROL_ACTION: "#eeeeee",
        LinkKind.FEEDBACK: "#56B4E9",
        LinkKind.INFORMATION: "#aaaaaa",
    },
}
#: Each kind of link's line: solid, dashed or dotted.
DASHES = {
    LinkKind.CONTROL_ACTION: "solid",
    LinkKind.FEEDBACK: "dash",
    LinkKind.INFORMATION: "dot",
}


def link_colour(kind: LinkKind, dark: bool = False) -> str:
    """Control actions, feedback and information differ in colour, dash and arrow head."""
    return _LINK_COLOURS[dark][kind]


#: Severities differ in shape and mark, not only colour (Okabe-Ito).
SEVERITY_COLOURS: dict[Severity, str] = {
    Severity.ERROR: "#D55E00",
    Severity.WARNING: "#E69F00",
    Severity.INFO: "#0072B2",
}
#: The mark drawn inside each severity's shape, and its colour.
MARKS = {Severity.ERROR: "!", Severity.WARNING: "!", Severity.INFO: "i"}
MARK_COLOURS = {Severity.ERROR: "#ffffff", Severity.WARNING: "#000000", Severity.INFO: "#ffffff"}
