"""Field types shared by the request bodies: money, quantities, percentages."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from pos.money import to_cents

Amount = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2), AfterValidator(to_cents)]
PositiveAmount = Annotated[
    Decimal, Field(gt=0, max_digits=12, decimal_places=2), AfterValidator(to_cents)
]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=3)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Denominations = Annotated[
    dict[str, Annotated[int, Field(ge=0)]],
    Field(description='Count per denomination, e.g. {"20.00": 5, "0.25": 40}'),
]
