"""Payout bodies (seed 002 /api/consignment/payouts): generate for a period, pay once."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from common.money import Amount
from common.updates import PartialUpdate
from pos.consignment.models import PayoutStatus
from pos.schema_types import IsoDate, update_example

EXAMPLE_OUT: dict[str, Any] = {
    "id": "3a4c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e9f",
    "consignee_id": "42",
    "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
    "period_start": "2026-11-01",
    "period_end": "2026-11-30",
    "status": "pending",
    "shares_total": "820.50",
    "adjustments_total": "-75.00",
    "amount": "745.50",
    "line_count": 4,
    "minimum_payout": "25.00",
    "method": None,
    "reference": None,
    "paid_at": None,
    "paid_by": None,
    "notes": "",
    "created_at": "2026-12-01T09:00:00Z",
    "updated_at": "2026-12-01T09:00:00Z",
}


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period_start: IsoDate
    period_end: IsoDate = Field(description="Inclusive; today at the latest")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.period_end < self.period_start:
            raise ValueError(
                f"period_end {self.period_end} is before period_start {self.period_start}"
            )
        return self


class GeneratePayouts(Period):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"period_start": "2026-11-01", "period_end": "2026-11-30"}},
    )

    store_id: uuid.UUID | None = Field(
        default=None, description="Only this store's consignees (default: all of yours)"
    )


class PayoutIn(Period):
    """One consignee's payout for a period (``generate`` for one consignee)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "consignee_id": "42",
                "period_start": "2026-11-01",
                "period_end": "2026-11-30",
            }
        },
    )

    consignee_id: str = Field(min_length=1, max_length=64)


class PayoutUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra=update_example({"notes": "Pick up on Friday"}))

    notes: str | None = Field(default=None, max_length=2000)


class PayIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"method": "check", "reference": "CHK-10442"}},
    )

    method: str = Field(
        pattern="^(cash|check|bank_transfer|store_credit)$",
        description="cash, check, bank_transfer, store_credit",
    )
    reference: str = Field(default="", max_length=200, description="Check number, transfer id")


class PayoutOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"example": EXAMPLE_OUT})

    id: uuid.UUID
    consignee_id: str
    store_id: uuid.UUID
    period_start: date
    period_end: date
    status: PayoutStatus
    shares_total: Amount
    adjustments_total: Amount
    amount: Amount
    line_count: int
    minimum_payout: Amount
    method: str | None
    reference: str | None
    paid_at: datetime | None
    paid_by: str | None
    notes: str
    created_at: datetime
    updated_at: datetime


class PayoutsOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"created": 1, "payouts": [EXAMPLE_OUT]}}
    )

    created: int = Field(description="How many this call made (0: all existed already)")
    payouts: list[PayoutOut]
