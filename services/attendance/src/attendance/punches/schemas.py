"""Bodies of seed 000's attendance views: a punch's form fields, the record, its exceptions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from attendance.schedules.schemas import ExpectedShift

SELFIE_PATH = "/api/attendance/selfies/{}"


@dataclass(frozen=True)
class PunchIn:
    """A check-in's or check-out's form fields (the selfie travels beside them)."""

    latitude: float
    longitude: float
    accuracy_m: float | None = None
    store_id: uuid.UUID | None = None
    ot_requested: bool = False
    ot_reason: str = ""


_APPROVAL: dict[str, Any] = {
    "id": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
    "entry_id": "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b",
    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "kind": "outside_geofence",
    "punch": "check_in",
    "status": "pending",
    "distance_m": 412.6,
    "accuracy_m": 15.0,
    "radius_m": 150.0,
    "fence": "store location (catalog)",
    "overtime_minutes": None,
    "reason": "",
    "decided_by": None,
    "decided_at": None,
    "decision_note": "",
    "created_at": "2026-03-02T17:12:09Z",
}


class ApprovalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_APPROVAL]})

    id: uuid.UUID
    entry_id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    kind: str = Field(description="outside_geofence, low_accuracy, no_location or overtime")
    punch: str = Field(description="check_in or check_out")
    status: str = Field(description="pending, approved or rejected")
    distance_m: float | None = Field(description="metres from the fence's centre (circle) or edge")
    accuracy_m: float | None
    radius_m: float | None
    fence: str | None
    overtime_seconds: int | None = Field(default=None, exclude=True)
    reason: str
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overtime_minutes(self) -> int | None:
        return None if self.overtime_seconds is None else self.overtime_seconds // 60


class DecisionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "Was at the loading bay"}]}
    )

    note: str = Field(default="", max_length=2000, description="Why (kept with the decision)")


class RejectionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"note": "No delivery was booked that morning"}]},
    )

    note: str = Field(min_length=1, max_length=2000, description="Why (the person sees it)")


class PunchPlace(BaseModel):
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    distance_m: float | None
    selfie_url: str | None


class ShiftSlot(BaseModel):
    shift_id: uuid.UUID
    name: str | None
    start: datetime
    end: datetime


_ENTRY: dict[str, Any] = {
    "id": "5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b",
    "person_id": "6f1c2a4e-9c1b-4a47-8f5e-2d7a4b1c9e01",
    "store_id": "0000000a-0000-4000-8000-00000000000a",
    "work_date": "2026-03-02",
    "source": "selfie",
    "status": "completed",
    "clock_in": "2026-03-02T17:12:09Z",
    "clock_out": "2026-03-03T01:40:00Z",
    "break_minutes": 30,
    "notes": "",
    "shift": {
        "shift_id": "7c1e2d3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f",
        "name": "Morning",
        "start": "2026-03-02T17:00:00Z",
        "end": "2026-03-03T01:00:00Z",
    },
    "late": True,
    "late_minutes": 12,
    "early_leave": False,
    "early_leave_minutes": 0,
    "overtime_minutes": 40,
    "ot_requested": True,
    "approved_overtime_minutes": 0,
    "worked_minutes": 477,
    "check_in": {
        "latitude": 40.7128,
        "longitude": -74.006,
        "accuracy_m": 12.0,
        "distance_m": 31.4,
        "selfie_url": "/api/attendance/selfies/0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    },
    "check_out": {
        "latitude": 40.7129,
        "longitude": -74.0061,
        "accuracy_m": 9.0,
        "distance_m": 22.0,
        "selfie_url": "/api/attendance/selfies/1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a",
    },
    "approvals": [{**_APPROVAL, "kind": "overtime", "punch": "check_out", "overtime_minutes": 40}],
}


def _place(
    latitude: float | None,
    longitude: float | None,
    accuracy: float | None,
    distance: float | None,
    selfie: uuid.UUID | None,
) -> PunchPlace:
    return PunchPlace(
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy,
        distance_m=None if distance is None else round(distance, 1),
        selfie_url=None if selfie is None else SELFIE_PATH.format(selfie),
    )


class EntryOut(BaseModel):
    """A worked interval as seed 000's attendance views show it."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [_ENTRY]})

    id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    work_date: date
    source: str = Field(description="selfie (check-in) or hr (time entry)")
    status: str = Field(description="active, completed, approved or rejected")
    clock_in: datetime
    clock_out: datetime | None
    break_minutes: int
    notes: str
    ot_requested: bool
    approvals: list[ApprovalOut]
    shift_id: uuid.UUID | None = Field(exclude=True)
    shift_name: str | None = Field(exclude=True)
    shift_start: datetime | None = Field(exclude=True)
    shift_end: datetime | None = Field(exclude=True)
    late_seconds: int = Field(exclude=True)
    early_leave_seconds: int = Field(exclude=True)
    overtime_seconds: int = Field(exclude=True)
    approved_overtime_seconds: int = Field(exclude=True)
    worked_seconds: int = Field(exclude=True)
    check_in_latitude: float | None = Field(exclude=True)
    check_in_longitude: float | None = Field(exclude=True)
    check_in_accuracy_m: float | None = Field(exclude=True)
    check_in_distance_m: float | None = Field(exclude=True)
    check_in_selfie_id: uuid.UUID | None = Field(exclude=True)
    check_out_latitude: float | None = Field(exclude=True)
    check_out_longitude: float | None = Field(exclude=True)
    check_out_accuracy_m: float | None = Field(exclude=True)
    check_out_distance_m: float | None = Field(exclude=True)
    check_out_selfie_id: uuid.UUID | None = Field(exclude=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shift(self) -> ShiftSlot | None:
        if self.shift_id is None or self.shift_start is None or self.shift_end is None:
            return None
        return ShiftSlot(
            shift_id=self.shift_id, name=self.shift_name, start=self.shift_start, end=self.shift_end
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def late(self) -> bool:
        return self.late_seconds > 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def late_minutes(self) -> int:
        return self.late_seconds // 60

    @computed_field  # type: ignore[prop-decorator]
    @property
    def early_leave(self) -> bool:
        return self.early_leave_seconds > 0

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
    def approved_overtime_minutes(self) -> int:
        return self.approved_overtime_seconds // 60

    @computed_field  # type: ignore[prop-decorator]
    @property
    def worked_minutes(self) -> int:
        return self.worked_seconds // 60

    @computed_field  # type: ignore[prop-decorator]
    @property
    def check_in(self) -> PunchPlace | None:
        if self.check_in_latitude is None and self.check_in_selfie_id is None:
            return None  # an HR clock-in: no place, no selfie
        return _place(
            self.check_in_latitude,
            self.check_in_longitude,
            self.check_in_accuracy_m,
            self.check_in_distance_m,
            self.check_in_selfie_id,
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def check_out(self) -> PunchPlace | None:
        if self.check_out_latitude is None and self.check_out_selfie_id is None:
            return None
        return _place(
            self.check_out_latitude,
            self.check_out_longitude,
            self.check_out_accuracy_m,
            self.check_out_distance_m,
            self.check_out_selfie_id,
        )


class TodayOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "clocked_in": False,
                    "entries": [_ENTRY],
                    "expected": [
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
                }
            ]
        }
    )

    clocked_in: bool
    entries: list[EntryOut] = Field(description="Today's records (and any still open)")
    expected: list[ExpectedShift] = Field(description="The shifts the roster expects today")
    off: str | None = Field(description="weekly_off, holiday or leave when nothing is expected")
