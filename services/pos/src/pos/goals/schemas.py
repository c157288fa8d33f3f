"""Revenue goal bodies (seed 002 /api/pos/revenue-goals): one goal per store and day."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from common.money import Amount
from common.updates import PartialUpdate
from pos.schema_types import IsoDate, NonNegativeAmount, update_example


class RevenueGoalIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "day": "2026-11-29",
                "amount": "8000.00",
                "notes": "Black Friday weekend",
            }
        },
    )

    store_id: uuid.UUID
    day: IsoDate = Field(description="The store's business day, YYYY-MM-DD")
    amount: NonNegativeAmount
    notes: str = Field(default="", max_length=2000)


class RevenueGoalUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra=update_example({"amount": "8500.00"}))

    day: IsoDate | None = None
    amount: NonNegativeAmount | None = None
    notes: str | None = Field(default=None, max_length=2000)


class RevenueGoalOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "2f4c6e80-9a1b-4c2d-8e3f-4a5b6c7d8e9f",
                "store_id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "day": "2026-11-29",
                "amount": "8000.00",
                "notes": "Black Friday weekend",
                "created_at": "2026-11-20T09:00:00Z",
                "updated_at": "2026-11-20T09:00:00Z",
            }
        },
    )

    id: uuid.UUID
    store_id: uuid.UUID
    day: date
    amount: Amount
    notes: str
    created_at: datetime
    updated_at: datetime
