"""Seed 002's time entries: clock in (an empty body will do), clock out, approve (sick leave
accrues), bulk approve (all or nothing) and sums — onto the same worked-interval model as
seed 000's selfie check-in, so a punch through either API shows in both.

Staff act on their own entries; a branch head also on their stores' (and approves them,
never their own); an admin on all.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.contracts import TimeEntryApproved
from attendance.events.outbox import outbox
from attendance.hr.departments.service import DepartmentService
from attendance.hr.sick_leave.service import SickLeaveService
from attendance.hr.time_entries.repository import EntryFilters, TimeEntryRepository
from attendance.hr.time_entries.schemas import ClockIn, EmployeeHours, SummaryOut
from attendance.months.service import MonthLock
from attendance.punches.models import EntryRevision, EntrySource, EntryStatus, Punch, TimeEntry
from attendance.punches.repository import EntryRepository
from attendance.punches.service import PunchService
from attendance.stores.service import StoreService
from attendance.units import hours_of_seconds as as_hours
from common.errors import Conflict, NotFound, PermissionDenied, field_entry
from common.roles import Principal, Role
from common.scope import acts_on, check_store


@dataclass
class EntryWithHistory:
    """An entry and its earlier versions (``TimeEntryDetail`` reads both)."""

    entry: TimeEntry
    history: list[EntryRevision]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.entry, name)


class TimeEntryService:
    def __init__(self, session: AsyncSession, actor: Principal, *, now: datetime) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.entries = EntryRepository(session)
        self.listed = TimeEntryRepository(session)

    def listing(self, filters: EntryFilters) -> Select[Any]:
        return self.listed.listing(self.actor, filters)

    async def summary(self, filters: EntryFilters) -> SummaryOut:
        totals = await self.listed.totals(self.actor, filters)
        by_status: dict[str, int] = defaultdict(int)
        per_person: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in totals:
            by_status[row.status] += row.entries
            per_person[row.employee][0] += row.entries
            per_person[row.employee][1] += row.seconds
        return SummaryOut(
            count=sum(by_status.values()),
            total_hours=as_hours(sum(row.seconds for row in totals)),
            approved_hours=as_hours(
                sum(row.seconds for row in totals if row.status == EntryStatus.approved)
            ),
            by_status=dict(sorted(by_status.items())),
            by_employee=[
                EmployeeHours(employee=person, entries=count, hours=as_hours(seconds))
                for person, (count, seconds) in sorted(per_person.items())
            ],
        )

    async def clock_in(self, body: ClockIn | None) -> TimeEntry:
        body = body or ClockIn()
        store = await StoreService(self.session).of_caller(self.actor, body.store_id, "store_id")
        if body.department_id is not None:
            await DepartmentService(self.session, self.actor).to_clock_in(
                body.department_id, store.id
            )
        punches = PunchService(self.session, self.actor, now=self.now)
        entry = await punches.open_entry(
            store, EntrySource.hr, location=None, department_id=body.department_id, notes=body.notes
        )
        return await punches.announce(entry, Punch.check_in)

    async def current(self) -> TimeEntry:
        entry = await self.entries.open_of(self.actor.user_id)
        if entry is None:
            raise NotFound("You are not clocked in.")
        return entry

    async def get(self, entry_id: uuid.UUID, *, for_update: bool = False) -> TimeEntry:
        """The entry, if the caller may see it: their own, or (branch head) their store's."""
        entry = await self.entries.get(entry_id, for_update=for_update)
        if entry is None:
            raise NotFound(f"Time entry {entry_id} not found.")
        if entry.person_id != self.actor.user_id:
            if not self.actor.has_role(Role.branch_head):
                raise PermissionDenied("You can only see your own time entries.")
            check_store(self.actor, entry.store_id)
        return entry

    async def with_history(self, entry_id: uuid.UUID) -> EntryWithHistory:
        entry = await self.get(entry_id)
        return EntryWithHistory(entry, await self.entries.revisions(entry.id))

    async def clock_out(self, entry_id: uuid.UUID, break_minutes: int | None) -> TimeEntry:
        entry = await self.get(entry_id)
        await self.entries.lock_person(entry.person_id)
        entry = await self.get(entry_id, for_update=True)
        punches = PunchService(self.session, self.actor, now=self.now)
        await punches.close_entry(entry, location=None, break_minutes=break_minutes)
        return await punches.announce(entry, Punch.check_out)

    async def approve(self, entry_id: uuid.UUID) -> TimeEntry:
        entry = await self.get(entry_id, for_update=True)
        reason = self._not_approvable(entry)
        if reason:
            raise Conflict(f"This entry cannot be approved: {reason}.")
        await self._approve(entry)
        return await self.entries.refreshed(entry)

    async def bulk_approve(self, ids: list[uuid.UUID]) -> list[TimeEntry]:
        """Approve every entry or none, naming each that cannot be approved and why."""
        wanted = list(dict.fromkeys(ids))
        found = {entry.id: entry for entry in await self.entries.many(wanted, for_update=True)}
        problems = []
        for position, entry_id in enumerate(ids):
            entry = found.get(entry_id)
            reason = "not found" if entry is None else self._not_approvable(entry)
            if reason:
                problems.append(
                    field_entry(["body", "ids", str(position)], f"{entry_id}: {reason}", "conflict")
                )
        if problems:
            raise Conflict(problems)
        approved = []
        for entry_id in wanted:
            await self._approve(found[entry_id])
            approved.append(await self.entries.refreshed(found[entry_id]))
        return approved

    def _not_approvable(self, entry: TimeEntry) -> str | None:
        if not acts_on(self.actor, entry.store_id):
            return "it is another store's"
        if entry.person_id == self.actor.user_id:
            return "it is your own (another manager approves it)"
        if entry.is_open:
            return "still clocked in"
        if entry.status != EntryStatus.completed:
            return f"it is {entry.status}"
        pending = entry.pending_approvals
        if pending:
            return f"{len(pending)} exception(s) pending ({', '.join(a.kind for a in pending)})"
        return None

    async def _approve(self, entry: TimeEntry) -> None:
        await MonthLock(self.session).ensure_open(entry.store_id, entry.work_date)
        entry.status = EntryStatus.approved
        entry.approved_by = self.actor.user_id
        entry.approved_at = self.now
        policy = await StoreService(self.session).policy(entry.store_id)
        worked = entry.worked_seconds // 60
        accrued = await SickLeaveService(self.session, self.actor, now=self.now).accrue(
            entry.person_id, entry.work_date.year, worked, policy
        )
        await outbox.publish(
            self.session,
            TimeEntryApproved(
                entry_id=entry.id,
                person_id=entry.person_id,
                store_id=entry.store_id,
                work_date=entry.work_date,
                worked_minutes=worked,
                approved_by=self.actor.user_id,
                sick_leave_accrued_minutes=accrued,
            ),
            actor=self.actor.user_id,
        )
