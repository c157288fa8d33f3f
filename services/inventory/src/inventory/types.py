"""Field types of inventory's request bodies and queries.

Money and quantities are ``common.money``'s (a string or a number, never a boolean, never
more decimals than the column keeps). Booleans, integers and dates are strict: ``0`` is
not ``false``, ``false`` is not ``0``, and neither ``0`` nor ``"0.5"`` is a date — a date
is an ISO date (``2026-12-01``), a moment an ISO date or date-time.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictBool, StrictInt

from common.money import Amount, Quantity
from inventory.money import UnitCost

__all__ = [
    "Code",
    "Cost",
    "Count",
    "Currency",
    "Day",
    "Moment",
    "Price",
    "Sku",
    "StrictBool",
    "StrictInt",
    "Units",
]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    raise ValueError("must be an ISO date like 2026-12-01")


def _iso_moment(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_MOMENT.match(value.strip()):
        return value.strip()
    raise ValueError("must be an ISO date or date-time like 2026-12-01T09:30:00Z")


# NUMERIC(12,2), never negative: a price or a cost of a unit.
Price = Annotated[Amount, Field(ge=0)]
# NUMERIC(14,4), never negative: a unit cost (valuation keeps four decimals).
Cost = Annotated[UnitCost, Field(ge=0)]
# NUMERIC(14,3): a quantity moved (> 0) or counted (>= 0).
Units = Annotated[Quantity, Field(gt=0)]
Count = Annotated[Quantity, Field(ge=0)]
Sku = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
Currency = Annotated[str, Field(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
Day = Annotated[date, BeforeValidator(_iso_date)]
Moment = Annotated[datetime, BeforeValidator(_iso_moment)]
