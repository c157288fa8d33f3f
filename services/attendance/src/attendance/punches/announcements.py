"""The events of punches and their exceptions, written to the outbox with the change."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.contracts import ExceptionChanged, PunchRecorded
from attendance.events.outbox import outbox
from attendance.punches.models import Approval, Punch, TimeEntry


async def announce_punch(
    session: AsyncSession, entry: TimeEntry, punch: Punch, *, actor: str | None
) -> None:
    at = entry.clock_in if punch == Punch.check_in else entry.clock_out
    distance = entry.check_in_distance_m if punch == Punch.check_in else entry.check_out_distance_m
    await outbox.publish(
        session,
        PunchRecorded(
            entry_id=entry.id,
            person_id=entry.person_id,
            store_id=entry.store_id,
            punch=punch,
            source=entry.source,
            at=at or entry.clock_in,
            work_date=entry.work_date,
            status=entry.status,
            pending_exceptions=len(entry.pending_approvals),
            shift_id=entry.shift_id,
            late_minutes=entry.late_seconds // 60,
            early_leave_minutes=entry.early_leave_seconds // 60,
            overtime_minutes=entry.overtime_seconds // 60,
            distance_m=None if distance is None else round(distance, 1),
        ),
        actor=actor,
    )


async def announce_exception(
    session: AsyncSession, approval: Approval, verb: str, *, actor: str | None
) -> None:
    """``verb``: raised, approved or rejected."""
    await outbox.publish(
        session,
        ExceptionChanged(
            approval_id=approval.id,
            entry_id=approval.entry_id,
            person_id=approval.person_id,
            store_id=approval.store_id,
            kind=approval.kind,
            punch=approval.punch,
            status=approval.status,
            distance_m=None if approval.distance_m is None else round(approval.distance_m, 1),
            accuracy_m=approval.accuracy_m,
            radius_m=approval.radius_m,
            overtime_minutes=None
            if approval.overtime_seconds is None
            else approval.overtime_seconds // 60,
            decided_by=approval.decided_by,
            note=approval.decision_note,
        ),
        subject=f"attendance.exception.{verb}",
        actor=actor,
    )
