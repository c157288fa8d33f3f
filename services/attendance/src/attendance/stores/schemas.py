"""Request and response bodies of a store's attendance policy."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from attendance.fields import Count
from attendance.stores.models import OutsideGeofence, UnlocatedClockIn
from common.updates import PartialUpdate

_POLICY: dict[str, Any] = {
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "outside_geofence": "pending",
    "unlocated_clock_in": "allow",
    "sick_accrual_worked_hours": 30,
    "sick_accrual_cap_hours": 40,
    "weekly_overtime_hours": 40,
    "updated_by": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "updated_at": "2026-12-01T09:30:00Z",
}


class PolicyUpdate(PartialUpdate):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"outside_geofence": "refuse", "sick_accrual_cap_hours": 48}]
        }
    )

    outside_geofence: OutsideGeofence | None = Field(
        default=None,
        description="A punch outside every geofence: `pending` (an exception for a manager) or "
        "`refuse` (422, nothing stored)",
    )
    unlocated_clock_in: UnlocatedClockIn | None = Field(
        default=None,
        description="An HR clock-in (no location) at a store with geofences: allow, pending, refuse",
    )
    sick_accrual_worked_hours: Count | None = Field(
        default=None, ge=1, le=1000, description="One hour of sick leave per this many hours worked"
    )
    sick_accrual_cap_hours: Count | None = Field(
        default=None, ge=0, le=2000, description="Sick leave accrued at most per calendar year"
    )
    weekly_overtime_hours: Count | None = Field(
        default=None,
        ge=1,
        le=168,
        description="Scheduled hours a week beyond which preview projects overtime",
    )


class PolicyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_POLICY]})

    store_id: uuid.UUID
    outside_geofence: OutsideGeofence
    unlocated_clock_in: UnlocatedClockIn
    sick_accrual_worked_hours: int
    sick_accrual_cap_hours: int
    weekly_overtime_hours: int
    updated_by: str | None = None
    updated_at: datetime | None = None
