"""Request and response bodies of shifts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from attendance.fields import Count, Flag, WallClock
from common.updates import PartialUpdate

Minutes = Annotated[Count, Field(ge=0, le=24 * 60)]

_SHIFT: dict[str, Any] = {
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "name": "Morning",
    "start_time": "09:00:00",
    "end_time": "17:00:00",
    "overnight": False,
    "grace_late_minutes": 10,
    "grace_early_minutes": 10,
    "check_in_opens_minutes": 60,
    "break_minutes": 30,
    "break_after_minutes": 360,
    "overtime_after_minutes": 15,
    "is_active": True,
}


class ShiftIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                _SHIFT,
                {
                    **_SHIFT,
                    "name": "Night",
                    "start_time": "22:00",
                    "end_time": "06:00",
                    "overnight": True,
                },
            ]
        },
    )

    store_id: uuid.UUID
    name: str = Field(min_length=1, max_length=100)
    start_time: WallClock = Field(description="Local wall-clock time at the store (HH:MM[:SS])")
    end_time: WallClock = Field(description="Local time; earlier than start_time only if overnight")
    overnight: Flag = Field(default=False, description="Ends on the next day (across midnight)")
    grace_late_minutes: Minutes = 10
    grace_early_minutes: Minutes = 10
    check_in_opens_minutes: Minutes = Field(
        default=60, description="A check-in counts for this shift from this long before its start"
    )
    break_minutes: Minutes = Field(default=0, description="Unpaid break deducted from a long day")
    break_after_minutes: Minutes = Field(default=360, description="A day this long gets the break")
    overtime_after_minutes: Minutes = Field(
        default=15, description="Overtime is asked for only beyond this many minutes after the end"
    )
    is_active: Flag = True


class ShiftUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"end_time": "17:30"}]})

    name: str | None = Field(default=None, min_length=1, max_length=100)
    start_time: WallClock | None = None
    end_time: WallClock | None = None
    overnight: Flag | None = None
    grace_late_minutes: Minutes | None = None
    grace_early_minutes: Minutes | None = None
    check_in_opens_minutes: Minutes | None = None
    break_minutes: Minutes | None = None
    break_after_minutes: Minutes | None = None
    overtime_after_minutes: Minutes | None = None
    is_active: Flag | None = None


class ShiftOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                    **_SHIFT,
                    "created_at": "2026-12-01T09:30:00Z",
                    "updated_at": "2026-12-01T09:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    store_id: uuid.UUID
    name: str
    start_time: WallClock
    end_time: WallClock
    overnight: bool
    grace_late_minutes: int
    grace_early_minutes: int
    check_in_opens_minutes: int
    break_minutes: int
    break_after_minutes: int
    overtime_after_minutes: int
    is_active: bool
    created_at: datetime
    updated_at: datetime
