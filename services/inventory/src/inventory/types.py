"""Field types shared by the request bodies: money, quantities, codes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2), AfterValidator(cents)]
Cost = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)]
Quantity = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=3)]
Count = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=3)]
Sku = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
