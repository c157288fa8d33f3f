"""Changing a closed entry's times (an approved modification request): the entry as it was
goes to its history (``entry_revisions``), late, early leave and overtime are recomputed
against the shift instance it was matched to, and approved overtime never exceeds the new
overtime. Nothing in a closed month changes."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.months.service import MonthLock
from attendance.punches.evaluation import finish_entry, recorded_instance
from attendance.punches.models import EntryRevision, TimeEntry
from attendance.punches.repository import EntryRepository
from attendance.shifts.repository import ShiftRepository
from attendance.shifts.rules import late_seconds
from common.roles import Principal

REVISED_FIELDS = (
    "clock_in",
    "clock_out",
    "break_minutes",
    "late_seconds",
    "early_leave_seconds",
    "overtime_seconds",
    "approved_overtime_seconds",
)


def snapshot(entry: TimeEntry) -> dict[str, object]:
    """The revisable part of an entry, as JSON (its history keeps these)."""
    values: dict[str, object] = {}
    for name in REVISED_FIELDS:
        value = getattr(entry, name)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return values


class EntryRevisions:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.entries = EntryRepository(session)

    async def revise(
        self,
        entry: TimeEntry,
        *,
        clock_in: datetime,
        clock_out: datetime,
        break_minutes: int,
        modification_id: uuid.UUID | None,
    ) -> list[str]:
        """Change a closed entry's times (an approved modification), keeping the entry as it
        was in its history and recomputing late, early leave and overtime; the fields changed."""
        await MonthLock(self.session).ensure_open(entry.store_id, entry.work_date)
        before = snapshot(entry)
        shift = await ShiftRepository(self.session).get(entry.shift_id) if entry.shift_id else None
        instance = recorded_instance(entry)
        entry.clock_in = clock_in
        entry.late_seconds = late_seconds(shift, instance, clock_in) if shift and instance else 0
        finish_entry(entry, shift, clock_out, break_minutes)
        entry.approved_overtime_seconds = min(
            entry.approved_overtime_seconds, entry.overtime_seconds
        )
        after = snapshot(entry)
        changed = sorted(name for name in REVISED_FIELDS if before[name] != after[name])
        await self.entries.add_revision(
            EntryRevision(
                entry_id=entry.id,
                modification_id=modification_id,
                revised_by=self.actor.user_id,
                before=before,
                after=after,
            )
        )
        return changed
