"""The month's records of a store as the report reads them: one query, the exceptions counted
in SQL (no ORM objects for 1,500 records and their approvals)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.punches.models import Approval, ApprovalKind, ApprovalStatus, TimeEntry

LOCATION_KINDS = (
    ApprovalKind.outside_geofence,
    ApprovalKind.low_accuracy,
    ApprovalKind.no_location,
)


@dataclass(frozen=True)
class MonthRecord:
    person_id: str
    work_date: date
    status: str
    clock_in: datetime
    clock_out: datetime | None
    break_minutes: int
    shift_start: datetime | None
    shift_end: datetime | None
    late_seconds: int
    early_leave_seconds: int
    approved_overtime_seconds: int
    pending: int  # exceptions awaiting a manager
    pending_location: int  # of which about the punch's location

    @property
    def is_open(self) -> bool:
        return self.clock_out is None


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def month_records(
        self, store_id: uuid.UUID, first: date, last: date, person_id: str | None = None
    ) -> list[MonthRecord]:
        pending = Approval.status == ApprovalStatus.pending
        statement = (
            select(
                TimeEntry.person_id,
                TimeEntry.work_date,
                TimeEntry.status,
                TimeEntry.clock_in,
                TimeEntry.clock_out,
                TimeEntry.break_minutes,
                TimeEntry.shift_start,
                TimeEntry.shift_end,
                TimeEntry.late_seconds,
                TimeEntry.early_leave_seconds,
                TimeEntry.approved_overtime_seconds,
                func.count(Approval.id).filter(pending),
                func.count(Approval.id).filter(and_(pending, Approval.kind.in_(LOCATION_KINDS))),
            )
            .outerjoin(Approval, Approval.entry_id == TimeEntry.id)
            .where(TimeEntry.store_id == store_id, TimeEntry.work_date.between(first, last))
            .group_by(TimeEntry.id)
            .order_by(TimeEntry.clock_in)
        )
        if person_id is not None:
            statement = statement.where(TimeEntry.person_id == person_id)
        return [MonthRecord(*row) for row in await self.session.execute(statement)]
