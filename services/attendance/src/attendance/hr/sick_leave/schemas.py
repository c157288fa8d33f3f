"""Request and response bodies of sick-leave balances and requests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from attendance.fields import Day
from attendance.hr.review import RequestStatus
from attendance.units import Hours, hours_of_minutes
from common.updates import PartialUpdate


class BalanceOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                    "year": 2026,
                    "worked_minutes": 9600,
                    "accrued_minutes": 320,
                    "used_minutes": 120,
                    "balance_minutes": 200,
                    "accrued_hours": "5.33",
                    "used_hours": "2.00",
                    "balance_hours": "3.33",
                }
            ]
        },
    )

    person_id: str
    year: int
    worked_minutes: int
    accrued_minutes: int
    used_minutes: int
    balance_minutes: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accrued_hours(self) -> Hours:
        return hours_of_minutes(self.accrued_minutes)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def used_hours(self) -> Hours:
        return hours_of_minutes(self.used_minutes)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def balance_hours(self) -> Hours:
        return hours_of_minutes(self.balance_minutes)


_REQUEST: dict[str, Any] = {
    "start_date": "2026-03-09",
    "end_date": "2026-03-09",
    "hours": "7.50",
    "reason": "Flu",
}


class SickLeaveIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_REQUEST]})

    start_date: Day
    end_date: Day | None = Field(default=None, description="Inclusive; the start date by default")
    hours: Hours = Field(description="Hours to take, in whole minutes (7.5, 0.25)")
    reason: str = Field(default="", max_length=2000)
    employee: str | None = Field(
        default=None, max_length=64, description="For someone of your store (branch head)"
    )
    store_id: uuid.UUID | None = Field(default=None, description="When you work at several")


class SickLeaveUpdate(PartialUpdate):
    model_config = ConfigDict(json_schema_extra={"examples": [{"hours": "4.00"}]})

    start_date: Day | None = None
    end_date: Day | None = None
    hours: Hours | None = None
    reason: str | None = Field(default=None, max_length=2000)


class ReviewIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"review_note": "Get well soon"}]}
    )

    review_note: str = Field(default="", max_length=2000)


class DenialIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"review_note": "That day was a scheduled day off"}]},
    )

    review_note: str = Field(min_length=1, max_length=2000, description="Why (the person sees it)")


class SickLeaveOut(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f",
                    "employee": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                    "store_id": "0000000a-0000-4000-8000-00000000000a",
                    "start_date": "2026-03-09",
                    "end_date": "2026-03-09",
                    "minutes": 450,
                    "hours": "7.50",
                    "reason": "Flu",
                    "status": "pending",
                    "requested_by": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                    "reviewed_by": None,
                    "reviewed_at": None,
                    "review_note": "",
                    "created_at": "2026-03-08T18:00:00Z",
                    "updated_at": "2026-03-08T18:00:00Z",
                }
            ]
        },
    )

    id: uuid.UUID
    employee: str = Field(validation_alias="person_id")
    store_id: uuid.UUID
    start_date: date
    end_date: date
    minutes: int
    reason: str
    status: RequestStatus
    requested_by: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def hours(self) -> Hours:
        return hours_of_minutes(self.minutes)
