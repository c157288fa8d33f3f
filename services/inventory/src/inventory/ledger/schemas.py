"""Ledger and balance responses (read-only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import AliasPath, BaseModel, ConfigDict, Field, computed_field

from common.money import Amount, Quantity, round_money


class LedgerRowOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": 1287,
                "sku": "IP13-SCR-OLED",
                "kind": "quantity",
                "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
                "quantity_change": "10.000",
                "quantity_after": "14.000",
                "valuation_rate": "42.5000",
                "value_change": "425.0000",
                "voucher_type": "stock_entry",
                "voucher_id": "9e4b7a12-3c5d-4f8e-a1b2-6d7c8e9f0a42",
                "voucher_line": "1",
                "reverses_id": None,
                "actor": "admin-1",
                "posted_at": "2026-11-22T09:40:00Z",
            }
        },
    )

    id: int
    sku: str = Field(validation_alias=AliasPath("stock_key", "sku"))
    kind: str = Field(
        validation_alias=AliasPath("stock_key", "kind"), description="unit or quantity"
    )
    location_id: uuid.UUID
    quantity_change: Quantity
    quantity_after: Quantity
    valuation_rate: Decimal
    value_change: Decimal
    voucher_type: str
    voucher_id: str
    voucher_line: str | None
    reverses_id: int | None
    actor: str | None
    posted_at: datetime


class BalanceOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "sku": "IP13-SCR-OLED",
                "kind": "quantity",
                "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
                "location_code": "BACK",
                "store_id": "7d0c1c9e-3f7e-4c49-9a55-2f7f6f6f1a01",
                "quantity": "14.000",
                "valuation_rate": "42.5000",
                "stock_value": "595.00",
                "is_low": True,
                "updated_at": "2026-11-22T09:40:00Z",
            }
        },
    )

    sku: str = Field(validation_alias=AliasPath("stock_key", "sku"))
    kind: str = Field(
        validation_alias=AliasPath("stock_key", "kind"), description="unit or quantity"
    )
    location_id: uuid.UUID
    location_code: str = Field(validation_alias=AliasPath("location", "code"))
    store_id: uuid.UUID = Field(validation_alias=AliasPath("location", "store_id"))
    quantity: Quantity
    valuation_rate: Decimal
    is_low: bool
    updated_at: datetime

    @computed_field(description="quantity times valuation rate, in money")  # type: ignore[prop-decorator]
    @property
    def stock_value(self) -> Amount:
        return round_money(self.quantity * self.valuation_rate)
