"""Request and response bodies of schedules and of their preview."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from attendance.fields import Count, Day, Flag
from attendance.units import Hours
from common.updates import Nullable, PartialUpdate

Weekdays = Annotated[
    list[Annotated[Count, Field(ge=0, le=6)]],
    Field(min_length=1, max_length=7, description="0 = Monday ... 6 = Sunday"),
]

_SCHEDULE: dict[str, Any] = {
    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "shift_id": "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
    "weekdays": [0, 1, 2, 3, 4],
    "effective_from": "2026-03-02",
    "effective_to": None,
    "is_active": True,
    "note": "",
}


def _distinct(days: list[int] | None) -> list[int] | None:
    if days is not None and len(set(days)) != len(days):
        raise ValueError("each weekday once")
    return None if days is None else sorted(days)


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_SCHEDULE]})

    person_id: str = Field(min_length=1, max_length=64)
    store_id: uuid.UUID
    shift_id: uuid.UUID
    weekdays: Weekdays
    effective_from: Day
    effective_to: Day | None = None
    is_active: Flag = True
    note: str = Field(default="", max_length=1000)

    _weekdays = field_validator("weekdays")(_distinct)


class ScheduleUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"weekdays": [0, 2, 4]}]})

    shift_id: uuid.UUID | None = None
    weekdays: Weekdays | None = None
    effective_from: Day | None = None
    effective_to: Nullable[Day] = None
    is_active: Flag | None = None
    note: str | None = Field(default=None, max_length=1000)

    _weekdays = field_validator("weekdays")(_distinct)


class ScheduleOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "4b5c6d7e-8f90-4a1b-8c2d-3e4f5a6b7c8d",
                    **_SCHEDULE,
                    "created_at": "2026-12-01T09:30:00Z",
                    "updated_at": "2026-12-01T09:30:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    shift_id: uuid.UUID
    weekdays: list[int]
    effective_from: date
    effective_to: date | None
    is_active: bool
    note: str
    created_at: datetime
    updated_at: datetime


class ExpectedShift(BaseModel):
    """One shift a person is expected to work, as real instants and as the store's clock."""

    model_config = ConfigDict(from_attributes=True)

    shift_id: uuid.UUID
    store_id: uuid.UUID
    name: str
    start: datetime = Field(description="UTC")
    end: datetime = Field(description="UTC")
    local_start: datetime = Field(description="The store's wall clock, with its offset")
    local_end: datetime
    hours: Hours = Field(description="Paid hours: the shift less its break")
    source: str = Field(description="`schedule` or `swap` (an exception)")
    schedule_id: uuid.UUID | None = None


class PreviewDay(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    date: dt.date
    weekday: int
    shifts: list[ExpectedShift]
    off: str | None = Field(description="`weekly_off`, `holiday` or `leave` when not expected")
    hours: Hours
    conflicts: list[str]


class PreviewWeek(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    week: str = Field(description="ISO week, e.g. 2026-W11")
    hours: Hours
    overtime_hours: Hours


class PreviewOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "schedule_id": "4b5c6d7e-8f90-4a1b-8c2d-3e4f5a6b7c8d",
                    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                    "date_from": "2026-03-02",
                    "date_to": "2026-03-03",
                    "days": [
                        {
                            "date": "2026-03-02",
                            "weekday": 0,
                            "shifts": [
                                {
                                    "shift_id": "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
                                    "store_id": "0000000a-0000-4000-8000-00000000000a",
                                    "name": "Morning",
                                    "start": "2026-03-02T17:00:00Z",
                                    "end": "2026-03-03T01:00:00Z",
                                    "local_start": "2026-03-02T09:00:00-08:00",
                                    "local_end": "2026-03-02T17:00:00-08:00",
                                    "hours": "7.50",
                                    "source": "schedule",
                                    "schedule_id": "4b5c6d7e-8f90-4a1b-8c2d-3e4f5a6b7c8d",
                                }
                            ],
                            "off": None,
                            "hours": "7.50",
                            "conflicts": [],
                        },
                        {
                            "date": "2026-03-03",
                            "weekday": 1,
                            "shifts": [],
                            "off": "leave",
                            "hours": "0.00",
                            "conflicts": ["weekly off clashes with a leave exception"],
                        },
                    ],
                    "weeks": [{"week": "2026-W10", "hours": "7.50", "overtime_hours": "0.00"}],
                    "scheduled_days": 1,
                    "hours": "7.50",
                    "overtime_hours": "0.00",
                    "conflicts": 1,
                }
            ]
        },
    )

    schedule_id: uuid.UUID
    person_id: str
    date_from: date
    date_to: date
    days: list[PreviewDay]
    weeks: list[PreviewWeek]
    scheduled_days: int
    hours: Hours
    overtime_hours: Hours = Field(
        description="Hours of each ISO week beyond the store's weekly limit"
    )
    conflicts: int
