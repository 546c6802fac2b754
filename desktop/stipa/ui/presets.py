"""Palette presets: the kinds of component an engineer draws, with their look."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from stipa.diagram.style import BOUNDARY_PRESET, PRESET_BY_KEY, PRESETS, Preset, preset_for
from stipa.model import ComponentKind, LinkKind, Nature

__all__ = [
    "FRAME_PRESETS",
    "LINK_STYLES",
    "LINK_STYLE_BY_KIND",
    "PLACEABLE",
    "PRESETS",
    "PRESET_BY_KEY",
    "LinkStyle",
    "Preset",
    "preset_for",
]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Presets", text)


@dataclass(frozen=True)
class LinkStyle:
    """How a kind of link is drawn and offered in the palette."""

    kind: LinkKind
    label: str
    default_item: str
    tooltip: str


LINK_STYLES: tuple[LinkStyle, ...] = (
    LinkStyle(LinkKind.CONTROL_ACTION, "Control action", "control action",
              "Draw a control action from a controller down to what it controls"),
    LinkStyle(LinkKind.FEEDBACK, "Feedback", "feedback",
              "Draw feedback from a process or sensor up to its controller"),
    LinkStyle(LinkKind.INFORMATION, "Information", "information",
              "Draw other communication or coordination between components"),
)  # fmt: skip
LINK_STYLE_BY_KIND = {style.kind: style for style in LINK_STYLES}

#: Palette entries placed as frames: an organisation to put components in, and a boundary.
FRAME_PRESETS: tuple[Preset, ...] = (
    Preset("container", "Container", ComponentKind.CONTROLLER, Nature.ORGANISATION, "",
           "double", PRESET_BY_KEY["organisation"].colour,
           "An organisation or group that contains components: drag them into it"),
    BOUNDARY_PRESET,
)  # fmt: skip
#: Every preset a place tool can put down, by key.
PLACEABLE = {preset.key: preset for preset in (*PRESETS, *FRAME_PRESETS)}
