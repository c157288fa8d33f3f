"""What attendance publishes when a system admin (or, for departments, a branch head) changes
its setup: shifts, schedules, week-offs, schedule exceptions, geofences, payroll profiles,
store policies and HR departments (issue 13: every state change is an event).

Each carries the record's id, its store where it has one (audit scopes by branch) and
``changed``: the fields an update changed (empty for a creation or a deletion). Free-text
notes stay in attendance, and a payroll profile's event names no amount or rate.
"""

from __future__ import annotations

import uuid
from datetime import date, time

from pydantic import Field

from common.events.contracts import Published


def _verbs(resource: str, *verbs: str) -> tuple[str, ...]:
    return tuple(f"attendance.{resource}.{verb}" for verb in verbs)


CRUD = ("created", "updated", "deleted")


class SetupChanged(Published):
    """What every setup event says besides its record."""

    changed: list[str] = Field(description="fields an update changed; empty otherwise")


class InForce(SetupChanged):
    """A person's rule from a date (until one)."""

    person_id: str = Field(description="auth's user id")
    effective_from: date
    effective_to: date | None


class ShiftChanged(SetupChanged, subjects=_verbs("shift", *CRUD)):
    """A store's shift created, changed or deleted (times are the store's local time)."""

    shift_id: uuid.UUID
    store_id: uuid.UUID
    name: str
    start_time: time
    end_time: time
    overnight: bool
    grace_late_minutes: int
    grace_early_minutes: int
    check_in_opens_minutes: int
    break_minutes: int
    break_after_minutes: int
    overtime_after_minutes: int
    is_active: bool


class ScheduleChanged(InForce, subjects=_verbs("schedule", *CRUD)):
    """A person's schedule (a shift on days of the week) created, changed or deleted."""

    schedule_id: uuid.UUID
    store_id: uuid.UUID
    shift_id: uuid.UUID
    weekdays: list[int] = Field(description="0 = Monday ... 6 = Sunday")
    is_active: bool


class WeeklyOffChanged(InForce, subjects=_verbs("weekoff", *CRUD)):
    """A person's weekly day off created, changed or deleted."""

    weekoff_id: uuid.UUID
    weekday: int = Field(description="0 = Monday ... 6 = Sunday")


class ScheduleExceptionChanged(SetupChanged, subjects=_verbs("schedule_exception", *CRUD)):
    """A holiday, swap or leave overriding the roster created, changed or deleted.

    (``attendance.exception.*`` are the exceptions punches raise, for a manager to judge.)"""

    exception_id: uuid.UUID
    store_id: uuid.UUID
    person_id: str | None = Field(description="None: the whole store (a holiday)")
    kind: str = Field(description="holiday, swap or leave")
    date_from: date
    date_to: date
    shift_id: uuid.UUID | None = Field(description="the shift worked instead (a swap)")


class GeofenceChanged(SetupChanged, subjects=_verbs("geofence", *CRUD)):
    """A store's geofence (a circle or a polygon) created, changed or deleted."""

    geofence_id: uuid.UUID
    store_id: uuid.UUID
    name: str
    kind: str = Field(description="circle or polygon")
    center_latitude: float | None
    center_longitude: float | None
    radius_m: float | None
    points: list[dict[str, float]] | None = Field(description="a polygon's vertices")
    is_active: bool


class PayrollProfileChanged(InForce, subjects=_verbs("payroll", "created", "updated")):
    """A person's payroll profile created or changed: how they are paid, never how much
    (``changed`` may name a rate; its value stays in attendance)."""

    profile_id: uuid.UUID
    pay_type: str = Field(description="hourly or monthly")
    currency: str
    updated_by: str | None


class PolicyChanged(SetupChanged, subjects=("attendance.policy.updated",)):
    """A store's attendance policy changed."""

    store_id: uuid.UUID
    outside_geofence: str
    unlocated_clock_in: str
    sick_accrual_worked_hours: int
    sick_accrual_cap_hours: int
    weekly_overtime_hours: int
    updated_by: str | None


class DepartmentChanged(SetupChanged, subjects=_verbs("hr.department", *CRUD)):
    """An HR department created, changed or deleted."""

    department_id: int
    store_id: uuid.UUID | None = Field(description="None: a company-wide department")
    name: str
    is_active: bool


SETUP: list[type[Published]] = [
    ShiftChanged,
    ScheduleChanged,
    WeeklyOffChanged,
    ScheduleExceptionChanged,
    GeofenceChanged,
    PayrollProfileChanged,
    PolicyChanged,
    DepartmentChanged,
]
