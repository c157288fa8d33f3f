"""Money, once for every service: ``Decimal`` amounts, one rounding rule, one wire format.

- **Never float.** ``install_decimal_context()`` (called by the app factory and every
  CLI) traps ``FloatOperation``: mixing a float into a ``Decimal`` raises instead of
  silently carrying binary noise into a price.
- **One rounding rule**: half up (0.005 → 0.01) to the currency's minor unit (cents for
  USD/EUR, none for JPY, mils for KWD), applied in Python *before* a value reaches a
  ``NUMERIC`` column (PostgreSQL would round ties away from zero on its own).
- **One wire format**: an amount travels as a string with exactly the currency's
  decimals (``"12.50"``), in API bodies and in event payloads alike.

``Amount``, ``Quantity`` and ``Percent`` are the pydantic types request and response
schemas and event contracts use: they accept a JSON string (``"12.50"``) or number,
refuse floats' noise, NaN, infinities and more decimals than the column holds, and
document themselves truthfully in OpenAPI.
"""

from __future__ import annotations

import decimal
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

DEFAULT_CURRENCY = "USD"
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

# ISO 4217 minor units where they are not 2.
_MINOR_UNITS = {
    "BHD": 3,
    "CLP": 0,
    "IQD": 3,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KRW": 0,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "PYG": 0,
    "TND": 3,
    "UGX": 0,
    "VND": 0,
    "XAF": 0,
    "XOF": 0,
}
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")


def install_decimal_context() -> None:
    """Trap ``FloatOperation`` in this thread's context and in every context made later."""
    decimal.DefaultContext.traps[decimal.FloatOperation] = True
    decimal.getcontext().traps[decimal.FloatOperation] = True


def minor_units(currency: str = DEFAULT_CURRENCY) -> int:
    """How many decimals the currency has (2 unless ISO 4217 says otherwise)."""
    return _MINOR_UNITS.get(currency.upper(), 2)


@functools.cache
def _exponent(places: int) -> Decimal:
    """``Decimal("0.01")`` for 2: built once per number of places (every rounding asks)."""
    return Decimal(1).scaleb(-places)


def round_money(amount: Decimal, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """The one rounding rule: half up to the currency's minor unit."""
    return amount.quantize(_exponent(minor_units(currency)), rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """``percent`` % of ``amount``, rounded by the rule."""
    return round_money(amount * percent / HUNDRED, currency)


def to_wire(amount: Decimal, currency: str = DEFAULT_CURRENCY) -> str:
    """``Decimal("12.5")`` → ``"12.50"`` (rounded by the rule, every decimal written)."""
    return f"{round_money(amount, currency):f}"


def optional_wire(amount: Decimal | None, currency: str = DEFAULT_CURRENCY) -> str | None:
    return None if amount is None else to_wire(amount, currency)


def quantity_wire(value: Decimal) -> str:
    """A quantity on the wire: ``"2"`` for whole numbers, else its digits (``"1.250"``)."""
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


@dataclass(frozen=True, order=True)
class Money:
    """An amount in a currency; arithmetic only within one currency."""

    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money needs a Decimal amount, not {type(self.amount).__name__}")
        if not CURRENCY_PATTERN.match(self.currency):
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def times(self, factor: Decimal) -> Money:
        """Multiplied and rounded by the rule (a line: quantity x unit price)."""
        return Money(round_money(self.amount * factor, self.currency), self.currency)

    def rounded(self) -> Money:
        return Money(round_money(self.amount, self.currency), self.currency)

    def wire(self) -> str:
        return to_wire(self.amount, self.currency)


class _DecimalRule:
    """Parse a JSON number or string into a Decimal with bounded digits (pydantic validator)."""

    def __init__(
        self, *, places: int, integer_digits: int, what: str, minimum: Decimal | None = None
    ) -> None:
        self.places = places
        self.integer_digits = integer_digits
        self.what = what
        self.minimum = minimum
        sign = "" if minimum is not None and minimum >= 0 else "-?"
        self.pattern = rf"^{sign}\d{{1,{integer_digits}}}(\.\d{{1,{places}}})?$"
        self._regex = re.compile(self.pattern)
        self._quantum = _exponent(places)
        self._limit = Decimal(10) ** integer_digits

    def __call__(self, value: Any) -> Decimal:
        if isinstance(value, bool):
            raise ValueError(f"{self.what} must be a number or a decimal string, not a boolean")
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, int):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))  # the shortest digits that round-trip, not binary noise
        elif isinstance(value, str):
            if not self._regex.match(value.strip()):
                raise ValueError(
                    f"{self.what} must be a decimal like '12.50' with at most "
                    f"{self.places} decimals and {self.integer_digits} digits before the point"
                )
            number = Decimal(value.strip())
        else:
            raise ValueError(f"{self.what} must be a number or a decimal string")
        try:
            if not number.is_finite():
                raise ValueError(f"{self.what} must be finite")
            exponent = number.as_tuple().exponent
        except InvalidOperation as exc:
            raise ValueError(f"{self.what} is not a number") from exc
        if (
            isinstance(exponent, int)
            and -exponent > self.places
            and number != number.quantize(self._quantum)
        ):
            raise ValueError(f"{self.what} has more than {self.places} decimals")
        if abs(number) >= self._limit:
            raise ValueError(f"{self.what} must be less than 10^{self.integer_digits}")
        if self.minimum is not None and number < self.minimum:
            raise ValueError(f"{self.what} must be at least {self.minimum}")
        if exponent == -self.places:  # already written with its places (a NUMERIC column's)
            return number
        return number.quantize(self._quantum)

    def json_schema(self, example: str) -> dict[str, Any]:
        limit = float(self._limit)
        low: dict[str, Any] = (
            {"minimum": float(self.minimum)}
            if self.minimum is not None
            else {"exclusiveMinimum": -limit}
        )
        return {
            "anyOf": [
                {"type": "number", **low, "exclusiveMaximum": limit},
                {"type": "string", "pattern": self.pattern},
            ],
            "examples": [example],
        }


def decimal_type(
    *, places: int, integer_digits: int, what: str, example: str, minimum: Decimal | None = None
) -> Any:
    """An annotated Decimal type for schemas (see ``Amount``); serialised as a string."""
    rule = _DecimalRule(places=places, integer_digits=integer_digits, what=what, minimum=minimum)
    return Annotated[
        Decimal,
        BeforeValidator(rule),
        PlainSerializer(lambda value: f"{value:f}", return_type=str, when_used="json"),
        WithJsonSchema(rule.json_schema(example), mode="validation"),
        WithJsonSchema(
            {"type": "string", "pattern": rule.pattern, "examples": [example]}, mode="serialization"
        ),
    ]


# NUMERIC(12,2): a price, a total, a payment.
Amount = decimal_type(places=2, integer_digits=10, what="amount", example="12.50")
# NUMERIC(12,2), never negative: a price or a cost, documented with its minimum.
Price = decimal_type(places=2, integer_digits=10, what="price", example="12.50", minimum=Decimal(0))
# NUMERIC(14,3): stock counted in units, metres or kilograms.
Quantity = decimal_type(places=3, integer_digits=11, what="quantity", example="2.000")
# A rate or discount in percent, two decimals.
Percent = decimal_type(places=2, integer_digits=3, what="percent", example="7.50")
