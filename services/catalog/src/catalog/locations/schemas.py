"""A work location: the store fields a staff member's app needs to pick where they work."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict


class LocationOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "0b6f8a3e-3f7c-4b8e-9d55-8d9f6f1c2a10",
                "code": "NYC-01",
                "name": "Shopfloor Manhattan",
                "address": "12 Broadway, New York, NY",
                "phone": "+1 212 555 0100",
                "time_zone": "America/New_York",
                "is_headquarters": False,
            }
        },
    )
    id: uuid.UUID
    code: str
    name: str
    address: str
    phone: str
    time_zone: str
    is_headquarters: bool
