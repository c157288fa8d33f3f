"""What attendance publishes (``PUBLISHED``), and its own trimmed copies of what it consumes.

Published contracts forbid unknown fields; consumed copies hold only the fields this
service reads and ignore the rest (docs/new-service.md "Events: contracts and docs").

Seed 002's HR events are published under attendance's own prefix (a service publishes only
under ``attendance.>``): ``attendance.time_entry.approved``, ``attendance.sick_leave.*`` and
``attendance.modification.*`` (docs/architecture.md).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from attendance.events.setup import SETUP
from common.events.contracts import Consumed, Published

# --------------------------------------------------------------------------- published


class PunchRecorded(Published, subjects=("attendance.punch.recorded",)):
    """A check-in or check-out was recorded (selfie or HR), accepted or pending an exception."""

    entry_id: uuid.UUID
    person_id: str = Field(description="auth's user id")
    store_id: uuid.UUID
    punch: str = Field(description="`check_in` or `check_out`")
    source: str = Field(description="`selfie` (seed 000) or `hr` (seed 002)")
    at: datetime
    work_date: date = Field(description="the shift's local date at the store")
    status: str = Field(description="the entry's status: active, completed, approved, rejected")
    pending_exceptions: int = Field(description="exceptions of the entry awaiting a manager")
    shift_id: uuid.UUID | None
    late_minutes: int
    early_leave_minutes: int
    overtime_minutes: int
    distance_m: float | None = Field(description="from the fence the punch was judged by")


class ExceptionChanged(
    Published,
    subjects=(
        "attendance.exception.raised",
        "attendance.exception.approved",
        "attendance.exception.rejected",
    ),
):
    """An attendance exception was raised by a punch, or approved or rejected by a manager."""

    approval_id: uuid.UUID
    entry_id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    kind: str = Field(description="outside_geofence, low_accuracy, no_location or overtime")
    punch: str
    status: str = Field(description="pending, approved or rejected")
    distance_m: float | None
    accuracy_m: float | None
    radius_m: float | None
    overtime_minutes: int | None
    decided_by: str | None
    note: str


class MonthClosed(Published, subjects=("attendance.month.closed",)):
    """A store's month was closed: its report is final and nothing dated in it changes."""

    store_id: uuid.UUID
    month: str = Field(description="YYYY-MM")
    closed_by: str
    closed_at: datetime
    people: int
    payable_hours: str = Field(description="decimal hours, two places")
    amounts: dict[str, str] = Field(description="payable amount per currency")


class TimeEntryApproved(Published, subjects=("attendance.time_entry.approved",)):
    """A manager approved a time entry (seed 002); sick leave was accrued from it."""

    entry_id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    work_date: date
    worked_minutes: int
    approved_by: str
    sick_leave_accrued_minutes: int


class SickLeaveDecided(
    Published, subjects=("attendance.sick_leave.approved", "attendance.sick_leave.denied")
):
    """A sick-leave request was approved (its hours deducted) or denied."""

    request_id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    start_date: date
    end_date: date
    minutes: int
    status: str
    reviewed_by: str
    review_note: str
    balance_minutes: int = Field(description="the person's balance for the year after the decision")


class ModificationDecided(
    Published, subjects=("attendance.modification.approved", "attendance.modification.denied")
):
    """A time-entry modification request was approved (and applied) or denied."""

    request_id: uuid.UUID
    entry_id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    status: str
    changed: list[str] = Field(description="fields of the entry the approval changed")
    reviewed_by: str
    review_note: str


class SickLeaveRequested(
    Published,
    subjects=(
        "attendance.sick_leave.requested",
        "attendance.sick_leave.updated",
        "attendance.sick_leave.withdrawn",
    ),
):
    """A sick-leave request filed, changed while pending (``changed`` names the fields) or
    withdrawn (deleted while pending). Its reason stays in attendance: health is private."""

    request_id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    start_date: date
    end_date: date
    minutes: int
    status: str
    requested_by: str
    changed: list[str] = Field(description="fields an update changed; empty otherwise")


class ModificationRequested(Published, subjects=("attendance.modification.requested",)):
    """A change of a time entry asked for, to be approved or denied by a manager."""

    request_id: uuid.UUID
    entry_id: uuid.UUID
    person_id: str
    store_id: uuid.UUID
    clock_in: datetime | None
    clock_out: datetime | None
    break_minutes: int | None
    requested_by: str


PUBLISHED: list[type[Published]] = [
    PunchRecorded,
    ExceptionChanged,
    MonthClosed,
    TimeEntryApproved,
    SickLeaveDecided,
    ModificationDecided,
    SickLeaveRequested,
    ModificationRequested,
    *SETUP,
]

# --------------------------------------------------------------------------- consumed


class StoreChanged(Consumed):
    """catalog.store.created|updated|deleted, as far as attendance reads it."""

    store_id: uuid.UUID
    code: str
    name: str
    time_zone: str = "UTC"
    latitude: float | None = None
    longitude: float | None = None
    geofence_radius_m: int | None = None
    is_active: bool = True
    deleted: bool = False


class UserChanged(Consumed):
    """auth.user.registered|created|updated|deactivated, as far as attendance reads it.

    ``auth.user.*`` also carries ``auth.user.tokens_invalidated`` (no person in it: no
    ``role``), which the handler leaves alone."""

    user_id: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    role: str | None = None
    store_ids: list[str] = Field(default_factory=list)
    is_active: bool = True
