"""The consignee portal's answers (seed 002 /api/consignment/my)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from common.money import Amount


class SummaryOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "items_on_floor": 12,
                "sold_this_month": 3,
                "sold_this_month_amount": "1450.00",
                "owed_now": "745.50",
                "awaiting_payment": "0.00",
                "paid_to_date": "3120.00",
            }
        }
    )

    items_on_floor: int
    sold_this_month: int = Field(
        description="Items sold since the 1st of this month on the store's clock"
    )
    sold_this_month_amount: Amount = Field(description="Their share of those sales")
    owed_now: Amount = Field(
        description="What the next payout will take: shares less adjustments no payout took"
    )
    awaiting_payment: Amount = Field(description="Generated payouts not paid yet")
    paid_to_date: Amount
