"""Field types of inventory's request bodies and queries: inventory's own shapes (SKUs,
codes, unit costs, quantities moved or counted) on top of ``common.money`` and the strict
dates, booleans and currency codes of ``common.types``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictBool, StrictInt

from common.money import Price, Quantity
from common.types import CurrencyCode, IsoDate, IsoDateTime
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

# NUMERIC(14,4), never negative: a unit cost (valuation keeps four decimals).
Cost = Annotated[UnitCost, Field(ge=0)]
# NUMERIC(14,3): a quantity moved (> 0) or counted (>= 0).
Units = Annotated[Quantity, Field(gt=0)]
Count = Annotated[Quantity, Field(ge=0)]
Sku = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
Currency = CurrencyCode
Day = IsoDate
Moment = IsoDateTime
