"""The global inventory configuration's bodies (seed 000 ``/api/inventory-config``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from common.money import Quantity
from inventory.inventory_config.models import Valuation
from inventory.types import Count, StrictBool


class ConfigIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "default_low_stock_threshold": "5",
                "low_stock_overrides": {"IP13-SCR-OLED": "20"},
                "allow_negative_stock": False,
                "allow_over_receipt": False,
                "valuation_method": "moving_average",
            }
        },
    )

    default_low_stock_threshold: Count = Field(
        description="An article's balance at a location under this is low (0: never)"
    )
    low_stock_overrides: dict[str, Count] = Field(
        default_factory=dict, description="Per-SKU thresholds", max_length=10_000
    )
    allow_negative_stock: StrictBool = False
    allow_over_receipt: StrictBool = Field(
        default=False, description="Receiving more than a purchase order line ordered"
    )
    valuation_method: Valuation = Valuation.moving_average


class ConfigOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "default_low_stock_threshold": "5.000",
                "low_stock_overrides": {"IP13-SCR-OLED": "20"},
                "allow_negative_stock": False,
                "allow_over_receipt": False,
                "valuation_method": "moving_average",
                "updated_by": "admin-1",
                "updated_at": "2026-11-20T08:00:00Z",
            }
        },
    )

    default_low_stock_threshold: Quantity
    low_stock_overrides: dict[str, Decimal] = Field(description="Per-SKU thresholds, as given")
    allow_negative_stock: bool
    allow_over_receipt: bool
    valuation_method: str
    updated_by: str | None
    updated_at: datetime
