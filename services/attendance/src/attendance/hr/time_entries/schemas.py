"""Bodies of seed 002's time-entry views onto the worked-interval model."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from attendance.fields import Count
from attendance.units import Hours, hours_of_seconds


class ClockIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{}, {"department_id": 3, "notes": "Covering for Sam"}]},
    )

    store_id: uuid.UUID | None = Field(default=None, description="When you work at several stores")
    department_id: Count | None = Field(default=None, ge=1, le=2_147_483_647)
    notes: str = Field(default="", max_length=2000)


class ClockOut(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"break_minutes": 30}]}
    )

    break_minutes: Count | None = Field(
        default=None, ge=0, le=24 * 60, description="Unpaid break; the shift's rule when left out"
    )


class BulkApprove(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "ids": [
                        "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b",
                        "6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c",
                    ]
                }
            ]
        },
    )

    ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


_ENTRY: dict[str, Any] = {
    "id": "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b",
    "employee": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "department_id": 3,
    "date": "2026-03-02",
    "clock_in": "2026-03-02T17:00:00Z",
    "clock_out": "2026-03-03T01:30:00Z",
    "break_minutes": 30,
    "hours_worked": "8.00",
    "status": "completed",
    "source": "hr",
    "notes": "",
    "late_minutes": 0,
    "early_leave_minutes": 0,
    "overtime_minutes": 30,
    "pending_exceptions": 0,
    "approved_by": None,
    "approved_at": None,
}


class TimeEntryOut(BaseModel):
    """A worked interval as seed 002's HR views show it."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_ENTRY]})

    id: uuid.UUID
    employee: str = Field(validation_alias="person_id")
    store_id: uuid.UUID
    department_id: int | None
    date: dt.date = Field(validation_alias="work_date")
    clock_in: datetime
    clock_out: datetime | None
    break_minutes: int
    status: str = Field(description="active, completed, approved or rejected")
    source: str = Field(description="hr (time entry) or selfie (check-in)")
    notes: str
    approved_by: str | None
    approved_at: datetime | None
    worked_seconds: int = Field(exclude=True)
    late_seconds: int = Field(exclude=True)
    early_leave_seconds: int = Field(exclude=True)
    overtime_seconds: int = Field(exclude=True)
    pending_approvals: list[Any] = Field(exclude=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def hours_worked(self) -> Hours:
        return hours_of_seconds(self.worked_seconds)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def late_minutes(self) -> int:
        return self.late_seconds // 60

    @computed_field  # type: ignore[prop-decorator]
    @property
    def early_leave_minutes(self) -> int:
        return self.early_leave_seconds // 60

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overtime_minutes(self) -> int:
        return self.overtime_seconds // 60

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pending_exceptions(self) -> int:
        return len(self.pending_approvals)


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    revised_at: datetime
    revised_by: str
    modification_id: uuid.UUID | None
    before: dict[str, Any] = Field(description="The entry as it was")
    after: dict[str, Any]


class TimeEntryDetail(TimeEntryOut):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    **_ENTRY,
                    "history": [
                        {
                            "revised_at": "2026-03-03T09:00:00Z",
                            "revised_by": "head-1",
                            "modification_id": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d",
                            "before": {
                                "clock_in": "2026-03-02T17:20:00+00:00",
                                "late_seconds": 1200,
                            },
                            "after": {"clock_in": "2026-03-02T17:00:00+00:00", "late_seconds": 0},
                        }
                    ],
                }
            ]
        },
    )

    history: list[RevisionOut] = Field(description="Earlier versions (approved modifications)")


class EmployeeHours(BaseModel):
    employee: str
    entries: int
    hours: Hours


class SummaryOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 12,
                    "total_hours": "94.50",
                    "approved_hours": "62.00",
                    "by_status": {"approved": 8, "completed": 3, "active": 1},
                    "by_employee": [
                        {
                            "employee": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
                            "entries": 12,
                            "hours": "94.50",
                        }
                    ],
                }
            ]
        }
    )

    count: int
    total_hours: Hours = Field(description="Worked (clock-in to clock-out less breaks)")
    approved_hours: Hours
    by_status: dict[str, int]
    by_employee: list[EmployeeHours]
