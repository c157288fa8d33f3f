"""Ledger and balance responses (read-only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

from inventory.models import Balance, LedgerRow


class LedgerRowOut(BaseModel):
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
