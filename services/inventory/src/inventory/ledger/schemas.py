"""Ledger and balance responses (read-only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from inventory.models import Balance, LedgerRow


class LedgerRowOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": 1287,
                "sku": "IP13-SCR-OLED",
                "kind": "quantity",
                "location_id": "0f3a1a40-1b1e-4c3a-8f55-9d7d9a0b2c11",
                "quantity_change": "10.000",
                "quantity_after": "14.000",
                "valuation_rate": "42.5000",
                "value_change": "425.00",
                "voucher_type": "stock_entry",
                "voucher_id": "9e4b7a12-3c5d-4f8e-a1b2-6d7c8e9f0a42",
                "voucher_line": "1",
                "reverses_id": None,
                "actor": "admin-1",
                "posted_at": "2026-11-22T09:40:00Z",
            }
        }
    )

    id: int
    sku: str
    kind: str
    location_id: uuid.UUID
    quantity_change: Decimal
    quantity_after: Decimal
    valuation_rate: Decimal
    value_change: Decimal
    voucher_type: str
    voucher_id: str
    voucher_line: str | None
    reverses_id: int | None
    actor: str | None
    posted_at: datetime

    @classmethod
    def of(cls, row: LedgerRow) -> LedgerRowOut:
        return cls(
            id=row.id,
            sku=row.stock_key.sku,
            kind="unit" if row.stock_key.item_id is not None else "quantity",
            location_id=row.location_id,
            quantity_change=row.quantity_change,
            quantity_after=row.quantity_after,
            valuation_rate=row.valuation_rate,
            value_change=row.value_change,
            voucher_type=row.voucher_type,
            voucher_id=row.voucher_id,
            voucher_line=row.voucher_line,
            reverses_id=row.reverses_id,
            actor=row.actor,
            posted_at=row.posted_at,
        )


class BalanceOut(BaseModel):
    model_config = ConfigDict(
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
        }
    )

    sku: str
    kind: str
    location_id: uuid.UUID
    location_code: str
    store_id: uuid.UUID
    quantity: Decimal
    valuation_rate: Decimal
    stock_value: Decimal
    is_low: bool
    updated_at: datetime

    @classmethod
    def of(cls, balance: Balance) -> BalanceOut:
        return cls(
            sku=balance.stock_key.sku,
            kind="unit" if balance.stock_key.item_id is not None else "quantity",
            location_id=balance.location_id,
            location_code=balance.location.code,
            store_id=balance.location.store_id,
            quantity=balance.quantity,
            valuation_rate=balance.valuation_rate,
            stock_value=(balance.quantity * balance.valuation_rate).quantize(Decimal("0.01")),
            is_low=balance.is_low,
            updated_at=balance.updated_at,
        )
