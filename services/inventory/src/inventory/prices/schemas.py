"""Price log responses (seed 000 ``/api/price-logs``, read-only)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from common.money import Amount


class PriceLogOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": 311,
                "subject_type": "item",
                "subject_id": "5a8e3b21-7c4d-4e9f-8b1a-2d6c0f9e7a33",
                "sku": "ITM-000123",
                "name": "iPhone 13 128GB Midnight (used)",
                "old_price": "399.00",
                "new_price": "379.00",
                "currency": "USD",
                "source": "inventory.item.updated",
                "actor": "advisor-7",
                "event_id": None,
                "changed_at": "2026-11-23T14:05:00Z",
            }
        },
    )

    id: int
    subject_type: str
    subject_id: str
    sku: str
    name: str
    old_price: Amount | None
    new_price: Amount | None
    currency: str
    source: str
    actor: str | None
    event_id: uuid.UUID | None
    changed_at: datetime
