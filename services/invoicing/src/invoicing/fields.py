"""The decimals of invoicing's bodies beyond common.money's: request fields with bounds,
documented exactly as they are checked, and the reports' sums.

``common.money.decimal_type`` parses and rounds (never negative here: a ``-`` is refused,
``-0`` included); a ``Field`` bound on top (``gt=0``, ``le=100``) is checked but would
vanish from OpenAPI, since the money types bring their own schema. Here each bound is in
the schema too, in both forms a client may send: the JSON number (``minimum`` /
``maximum``) and the decimal string (its pattern admits only strings inside the bounds),
so a client generator or a fuzzer sees what a line or a payment really accepts.

A report adds up many invoices: its figures outgrow one invoice's NUMERIC(12,2) amounts
and NUMERIC(14,3) quantities (PostgreSQL's SUM of NUMERIC is unbounded), so ``Total`` and
``Units`` have room for them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, WithJsonSchema

from common.money import decimal_type

__all__ = ["LineQuantity", "PaymentAmount", "Rate", "Total", "Units"]

# A string of only zeros (and a point) is refused by this lookahead.
_NOT_ZERO = r"(?!0*(\.0*)?$)"


def _bounded(
    *,
    places: int,
    integer_digits: int,
    what: str,
    example: str,
    bound: Any,
    number: dict[str, float],
    pattern: str,
) -> Any:
    """A never-negative decimal with a ``Field`` ``bound``, documented by ``number`` (the
    JSON number's bounds) and ``pattern`` (the decimal strings inside them)."""
    base = decimal_type(
        places=places, integer_digits=integer_digits, what=what, example=example, minimum=Decimal(0)
    )
    schema = {
        "anyOf": [{"type": "number", **number}, {"type": "string", "pattern": pattern}],
        "examples": [example],
    }
    return Annotated[base, bound, WithJsonSchema(schema, mode="validation")]


# 0 to 100 %, two decimals: a discount or a tax rate.
Rate = _bounded(
    places=2,
    integer_digits=3,
    what="percent",
    example="8.75",
    bound=Field(ge=0, le=100),
    number={"minimum": 0, "maximum": 100},
    pattern=r"^(100(\.0{1,2})?|0?\d{1,2}(\.\d{1,2})?)$",
)
# More than zero, three decimals, NUMERIC(14,3): what a line sells.
LineQuantity = _bounded(
    places=3,
    integer_digits=11,
    what="quantity",
    example="1",
    bound=Field(gt=0),
    number={"exclusiveMinimum": 0, "exclusiveMaximum": 1e11},
    pattern=rf"^{_NOT_ZERO}\d{{1,11}}(\.\d{{1,3}})?$",
)
# More than zero, two decimals, NUMERIC(12,2): a payment.
PaymentAmount = _bounded(
    places=2,
    integer_digits=10,
    what="amount",
    example="50.00",
    bound=Field(gt=0),
    number={"exclusiveMinimum": 0, "exclusiveMaximum": 1e10},
    pattern=rf"^{_NOT_ZERO}\d{{1,10}}(\.\d{{1,2}})?$",
)
# A report's sum of amounts, or of quantities.
Total = decimal_type(places=2, integer_digits=18, what="amount", example="1609.50")
Units = decimal_type(places=3, integer_digits=18, what="quantity", example="12.000")
