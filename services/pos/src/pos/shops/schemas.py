"""Store bodies for POS (/api/pos/stores): catalog's stores with POS's own tax rate."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field

from common.money import decimal_type

if TYPE_CHECKING:
    Rate = Decimal
else:  # a fraction with four decimals, as a string or a number (no boolean)
    Rate = decimal_type(places=4, integer_digits=1, what="tax_rate", example="0.0875")
TaxRate = Annotated[Rate, Field(ge=0, le=1, description="A fraction: 0.0875 is 8.75 %")]


class StoreTaxIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"tax_rate": "0.0875"}})

    tax_rate: TaxRate


class StoreOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "code": "NYC-01",
                "name": "Shopfloor Manhattan",
                "time_zone": "America/New_York",
                "is_active": True,
                "tax_rate": "0.0875",
            }
        },
    )

    id: uuid.UUID
    code: str
    name: str
    time_zone: str
    is_active: bool
    tax_rate: Decimal
