"""Request and response bodies of weekly offs."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from attendance.fields import Count, Day
from common.updates import Nullable, PartialUpdate

Weekday = Annotated[Count, Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")]

_OFF: dict[str, Any] = {
    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "weekday": 6,
    "effective_from": "2026-03-01",
    "effective_to": None,
    "note": "Sundays off",
}


class WeeklyOffIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_OFF]})

    person_id: str = Field(min_length=1, max_length=64)
    weekday: Weekday
    effective_from: Day
    effective_to: Day | None = None
    note: str = Field(default="", max_length=1000)


class WeeklyOffUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"effective_to": "2026-06-30"}]})

    weekday: Weekday | None = None
    effective_from: Day | None = None
    effective_to: Nullable[Day] = None
    note: str | None = Field(default=None, max_length=1000)


class WeeklyOffOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6",
                    **_OFF,
                    "created_at": "2026-12-01T09:30:00Z",
                    "updated_at": "2026-12-01T09:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    person_id: str
    weekday: int
    effective_from: date
    effective_to: date | None
    note: str
    created_at: datetime
    updated_at: datetime
