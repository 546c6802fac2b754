"""Units of the footprint inputs and constants: pint, with ``query`` as a countable unit."""

from __future__ import annotations

import functools
import math
import re
from typing import TYPE_CHECKING

from stipa import ModelError

if TYPE_CHECKING:
    import pint

__all__ = ["quantity", "units"]


# --- units ----------------------------------------------------------------------------------


@functools.cache
def units() -> pint.UnitRegistry:
    """The unit registry (pint), with ``query`` as a countable, dimensionless unit.

    pint is imported here, on first use: loading it costs every ``stipa`` command (the
    plugin host loads this plugin) about 0.05 s.
    """
    import pint

    registry: pint.UnitRegistry = pint.UnitRegistry()
    registry.define("query = 1 = queries")
    return registry


#: What each canonical unit measures, and examples of units a user may give instead.
_DIMENSIONS = {
    "kW": ("power", "W or MW"),
    "W": ("power", "kW or MW"),
    "h": ("time", "d or yr"),
    "yr": ("time", "d or h"),
    "1/d": ("rate", "1/h or queries/d"),
    "Wh": ("energy", "kWh or J"),
    "kg": ("mass", "g or t"),
    "g/kWh": ("carbon intensity", "kg/MWh"),
    "L/kWh": ("water intensity", "m^3/MWh"),
    "kWh": ("energy", "MWh or GJ"),
    "GB": ("memory", "MB or TB"),
    "W/GB": ("power per memory", "mW/MB"),
    "": ("pure number", "%"),
}
#: "kg CO2e", "t CO2-eq", "gCO2e/kWh": the gas is a label, not a unit.
_CO2E = re.compile(r"\s*CO(?:2|₂)(?:\s*-?\s*e(?:q)?)?\.?", re.IGNORECASE)


def _expression(text: str) -> pint.Quantity:
    return units().parse_expression(_CO2E.sub("", text).strip())


def _inline_quantity(text: str, label: str) -> pint.Quantity:
    """``text`` such as ``"400 W"`` as a quantity with a unit, or ModelError."""
    try:
        amount = _expression(text)
    except Exception:  # pint's parser raises many kinds; the user only typed text
        amount = None
    if not isinstance(amount, units().Quantity) or amount.dimensionless:
        raise ModelError(f"{label} must be a number, not {text!r}.")
    return amount


def quantity(value: str, unit: str, target: str, label: str) -> float | None:
    """``value`` in ``unit`` converted to ``target``; None when the value is empty.

    ``value`` may carry its own unit (``"400 W"``) when ``unit`` is empty. Raises
    :class:`stipa.ModelError` with a sentence for the analyst when the value is not a number,
    the unit is unknown, missing for a physical quantity, or of the wrong dimension, or the
    value is negative.

    >>> quantity("400", "W", "kW", "Power")
    0.4
    >>> quantity("2", "d", "h", "Hours")
    48.0
    """
    text = value.strip()
    if not text:
        return None
    noun, examples = _DIMENSIONS.get(target, (target, target))
    given_unit = unit.strip()
    try:
        number = float(text)
    except ValueError:
        amount = _inline_quantity(text, label)
        if given_unit:
            raise ModelError(
                f"{label}: {text!r} carries a unit and the property also says {given_unit!r}; "
                "give the unit once."
            ) from None
        given_unit = f"{amount.units:~}"
    else:
        if not math.isfinite(number):
            raise ModelError(f"{label} must be a finite number, not {text!r}.")
        if not given_unit and target:
            raise ModelError(f"{label} {text} has no unit; give it in {target} (or {examples}).")
        if given_unit == target:  # already in the target unit: no need to start pint
            if number < 0:
                raise ModelError(
                    f"{label} must not be negative ({text} {unit}).".replace(" )", ")")
                )
            return number
        try:
            amount = number * _expression(given_unit) if given_unit else units().Quantity(number)
        except Exception:  # pint's parser raises many kinds; the user only typed text
            raise ModelError(
                f"{label}: {given_unit!r} is not a unit; give it in {target or 'no unit'} "
                f"(or {examples})."
            ) from None
    wanted = _expression(target) if target else units().Quantity(1)
    if not amount.is_compatible_with(wanted) and not target:
        raise ModelError(f"{label} is a pure number: give no unit (or %), not {given_unit!r}.")
    if not amount.is_compatible_with(wanted):
        raise ModelError(
            f"{label}: {given_unit!r} is not a unit of {noun}; give it in "
            f"{target or 'no unit'} (or {examples})."
        )
    converted = float(amount.to(wanted.units).magnitude) * (1.0 / float(wanted.magnitude))
    if not math.isfinite(converted):
        raise ModelError(f"{label} must be a finite number, not {text!r}.")
    if converted < 0:
        raise ModelError(f"{label} must not be negative ({text} {unit}).".replace(" )", ")"))
    return converted
