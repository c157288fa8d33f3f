"""Bank run bodies (seed 002 /api/pos/bank-transactions): deposits and change pickups."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from common.money import Amount
from common.updates import PartialUpdate
from pos.bank.models import BankKind, BankStatus
from pos.schema_types import PositiveAmount, update_example

BANK_EXAMPLE: dict[str, Any] = {
    "id": "7d2e4f60-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
    "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "kind": "deposit",
    "amount": "1200.00",
    "status": "completed",
    "reference": "DEP-2026-11-29",
    "notes": "",
    "created_by": "head-1",
    "created_at": "2026-11-29T16:00:00Z",
    "updated_at": "2026-11-29T16:40:00Z",
    "completed_at": "2026-11-29T16:40:00Z",
    "completed_by": "head-1",
}


class BankTransactionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "kind": "deposit",
                "amount": "1200.00",
                "reference": "DEP-2026-11-29",
            }
        },
    )

    store_id: uuid.UUID
    kind: BankKind = Field(description="deposit: safe → bank; change_pickup: bank → safe")
    amount: PositiveAmount
    reference: str = Field(default="", max_length=120)
    notes: str = Field(default="", max_length=2000)


class BankTransactionUpdate(PartialUpdate):
    """A pending bank run only; a completed one has moved the safe and stays as it is."""

    model_config = ConfigDict(
        json_schema_extra=update_example({"amount": "1150.00", "notes": "Recount"})
    )

    kind: BankKind | None = None
    amount: PositiveAmount | None = None
    reference: str | None = Field(default=None, max_length=120)
    notes: str | None = Field(default=None, max_length=2000)


class BankTransactionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": BANK_EXAMPLE})

    id: uuid.UUID
    store_id: uuid.UUID
    kind: BankKind
    amount: Amount
    status: BankStatus
    reference: str
    notes: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    completed_by: str | None
