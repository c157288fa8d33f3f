"""The one worked-interval model: a person worked from clock-in to clock-out at a store.

Seed 000's selfie check-in/out and seed 002's HR time entries are two APIs onto this one
row (``TimeEntry``): a check-in through either shows in both, and the partial unique index
keeps anyone from being clocked in twice. A punch that could not be accepted as it came (a
location outside the geofence, overtime) raises an ``Approval`` for a manager; a change
applied by an approved modification request leaves an ``EntryRevision`` with the entry as
it was.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from attendance.db import Base
from common.db import Timestamps


class EntrySource(StrEnum):
    selfie = "selfie"  # seed 000: POST /api/attendance/check-in
    hr = "hr"  # seed 002: POST /api/hr/time-entries/


class EntryStatus(StrEnum):
    active = "active"  # clocked in
    completed = "completed"  # clocked out, not yet approved by a manager (HR)
    approved = "approved"  # approved (HR): sick leave accrued from it
    rejected = "rejected"  # its punch's location exception was rejected: not worked time


class ApprovalKind(StrEnum):
    outside_geofence = "outside_geofence"
    low_accuracy = "low_accuracy"  # inside, but the fix is less precise than the fence
    no_location = "no_location"  # an HR clock-in where the store asks for one
    overtime = "overtime"


class ApprovalStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class Punch(StrEnum):
    check_in = "check_in"
    check_out = "check_out"


class TimeEntry(Timestamps, Base):
    __tablename__ = "time_entries"
    __table_args__ = (
        Index(
            "uq_time_entries_one_open_per_person",
            "person_id",
            unique=True,
            postgresql_where=text("clock_out IS NULL"),
        ),
        Index("ix_time_entries_store_date", "store_id", "work_date"),
        Index("ix_time_entries_person_date", "person_id", "work_date"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    person_id: Mapped[str] = mapped_column(String(64))
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"))
    department_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("departments.id"))
    work_date: Mapped[date] = mapped_column(Date)  # local date of the shift (or the clock-in)
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=EntryStatus.active)
    clock_in: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    clock_out: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    break_minutes: Mapped[int] = mapped_column(Integer, default=0)
    # The shift instance the check-in was matched to (kept: a later edit changes no record).
    shift_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("shifts.id"))
    shift_name: Mapped[str | None] = mapped_column(String(100))
    shift_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shift_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    late_seconds: Mapped[int] = mapped_column(Integer, default=0)
    early_leave_seconds: Mapped[int] = mapped_column(Integer, default=0)
    overtime_seconds: Mapped[int] = mapped_column(Integer, default=0)
    ot_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    approved_overtime_seconds: Mapped[int] = mapped_column(Integer, default=0)
    check_in_latitude: Mapped[float | None] = mapped_column(Float)
    check_in_longitude: Mapped[float | None] = mapped_column(Float)
    check_in_accuracy_m: Mapped[float | None] = mapped_column(Float)
    check_in_distance_m: Mapped[float | None] = mapped_column(Float)
    check_in_selfie_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("selfies.id"))
    check_out_latitude: Mapped[float | None] = mapped_column(Float)
    check_out_longitude: Mapped[float | None] = mapped_column(Float)
    check_out_accuracy_m: Mapped[float | None] = mapped_column(Float)
    check_out_distance_m: Mapped[float | None] = mapped_column(Float)
    check_out_selfie_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("selfies.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    approvals: Mapped[list[Approval]] = relationship(
        back_populates="entry", lazy="selectin", order_by="Approval.created_at"
    )

    @property
    def is_open(self) -> bool:
        return self.clock_out is None

    @property
    def worked_seconds(self) -> int:
        """Clock-in to clock-out, less the break (0 while clocked in)."""
        if self.clock_out is None:
            return 0
        return max(
            0, int((self.clock_out - self.clock_in).total_seconds()) - self.break_minutes * 60
        )

    @property
    def pending_approvals(self) -> list[Approval]:
        return [a for a in self.approvals if a.status == ApprovalStatus.pending]


class Approval(Base):
    """An exception a punch raised: pending until the person's branch head (or an admin) decides."""

    __tablename__ = "approvals"
    __table_args__ = (Index("ix_approvals_store_status", "store_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("time_entries.id"), index=True)
    person_id: Mapped[str] = mapped_column(String(64))
    store_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stores.id"))
    kind: Mapped[str] = mapped_column(String(24))
    punch: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=ApprovalStatus.pending)
    distance_m: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    radius_m: Mapped[float | None] = mapped_column(Float)
    fence: Mapped[str | None] = mapped_column(String(100))
    overtime_seconds: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")  # the person's, e.g. why overtime
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    entry: Mapped[TimeEntry] = relationship(back_populates="approvals", lazy="raise")


class EntryRevision(Base):
    """The entry as it was before an approved modification changed it (its history)."""

    __tablename__ = "entry_revisions"

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("time_entries.id"), index=True)
    modification_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    revised_by: Mapped[str] = mapped_column(String(64))
    revised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    before: Mapped[dict[str, Any]] = mapped_column(JSONB)
    after: Mapped[dict[str, Any]] = mapped_column(JSONB)
