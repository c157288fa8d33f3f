"""Hours on the wire, once: durations are counted in whole seconds (or minutes) and shown as
decimal hours with two places, rounded half up; the schema types that carry them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from common.money import decimal_type

# Decimal hours with two places ("7.50"), in responses and request bodies.
Hours = decimal_type(places=2, integer_digits=6, what="hours", example="7.50")
# A pay multiplier ("1.50": overtime at time and a half).
Multiplier = decimal_type(
    places=2, integer_digits=2, what="multiplier", example="1.50", minimum=Decimal(0)
)

_CENT = Decimal("0.01")


def hours_of_seconds(seconds: int) -> Decimal:
    return (Decimal(seconds) / Decimal(3600)).quantize(_CENT, rounding=ROUND_HALF_UP)


def hours_of_minutes(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(_CENT, rounding=ROUND_HALF_UP)
