"""Request and response bodies of schedule exceptions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from attendance.fields import Day
from attendance.schedule_exceptions.models import ExceptionKind
from common.updates import Nullable, PartialUpdate

_EXCEPTION: dict[str, Any] = {
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "kind": "leave",
    "date_from": "2026-03-16",
    "date_to": "2026-03-20",
    "shift_id": None,
    "note": "Family visit",
}


class ScheduleExceptionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                _EXCEPTION,
                {
                    "store_id": "0000000a-0000-4000-8000-00000000000a",
                    "person_id": None,
                    "kind": "holiday",
                    "date_from": "2026-12-25",
                    "note": "Christmas Day",
                },
            ]
        },
    )

    store_id: uuid.UUID
    person_id: str | None = Field(
        default=None, max_length=64, description="Leave out for a holiday of the whole store"
    )
    kind: ExceptionKind
    date_from: Day
    date_to: Day | None = Field(default=None, description="Inclusive; the same day by default")
    shift_id: uuid.UUID | None = Field(default=None, description="The shift worked instead (swap)")
    note: str = Field(default="", max_length=1000)


class ScheduleExceptionUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"date_to": "2026-03-21"}]})

    kind: ExceptionKind | None = None
    date_from: Day | None = None
    date_to: Day | None = None
    shift_id: Nullable[uuid.UUID] = None
    note: str | None = Field(default=None, max_length=1000)


class ScheduleExceptionOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
                    **_EXCEPTION,
                    "created_at": "2026-12-01T09:30:00Z",
                    "updated_at": "2026-12-01T09:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    store_id: uuid.UUID
    person_id: str | None
    kind: ExceptionKind
    date_from: date
    date_to: date
    shift_id: uuid.UUID | None
    note: str
    created_at: datetime
    updated_at: datetime
