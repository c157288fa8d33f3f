"""Request and response bodies of time-entry modification requests."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from attendance.fields import Count, Instant
from attendance.hr.review import RequestStatus

_MODIFICATION: dict[str, Any] = {
    "entry_id": "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b",
    "clock_in": "2026-03-02T17:00:00Z",
    "clock_out": None,
    "break_minutes": 30,
    "reason": "The tablet at the door was down; I started at 9:00",
}


class ModificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_MODIFICATION]})

    entry_id: uuid.UUID
    clock_in: Instant | None = Field(default=None, description="The right clock-in")
    clock_out: Instant | None = Field(default=None, description="The right clock-out")
    break_minutes: Count | None = Field(default=None, ge=0, le=24 * 60)
    reason: str = Field(min_length=1, max_length=2000)


class ReviewIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"review_note": "Checked the door log"}]}
    )

    review_note: str = Field(default="", max_length=2000)


class DenialIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"review_note": "The door log shows 9:20"}]},
    )

    review_note: str = Field(min_length=1, max_length=2000, description="Why (the person sees it)")


class ModificationOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
                    **_MODIFICATION,
                    "employee": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                    "store_id": "0000000a-0000-4000-8000-00000000000a",
                    "status": "pending",
                    "requested_by": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                    "reviewed_by": None,
                    "reviewed_at": None,
                    "review_note": "",
                    "created_at": "2026-03-02T18:00:00Z",
                    "updated_at": "2026-03-02T18:00:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    entry_id: uuid.UUID
    employee: str = Field(validation_alias="person_id")
    store_id: uuid.UUID
    clock_in: datetime | None
    clock_out: datetime | None
    break_minutes: int | None
    reason: str
    status: RequestStatus
    requested_by: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str
    created_at: datetime
    updated_at: datetime
