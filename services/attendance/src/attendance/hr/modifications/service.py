"""Modification requests: staff ask for a change to a closed entry of theirs; it changes the
entry only when a manager of its store (not the asker) approves it, and the entry keeps its
earlier version in its history. A denial carries the reviewer's note. An approved entry is
final (sick leave was accrued from it), and so is anything in a closed month."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.contracts import ModificationDecided, ModificationRequested
from attendance.events.outbox import outbox
from attendance.hr.modifications.models import ModificationRequest
from attendance.hr.modifications.repository import ModificationRepository
from attendance.hr.modifications.schemas import ModificationIn
from attendance.hr.review import RequestStatus
from attendance.hr.time_entries.service import TimeEntryService
from attendance.months.service import MonthLock
from attendance.punches.models import EntryStatus, TimeEntry
from attendance.punches.revisions import EntryRevisions
from common.errors import Conflict, NotFound, PermissionDenied, field_error
from common.roles import Principal, Role
from common.scope import check_store, own_stores


class ModificationService:
    def __init__(self, session: AsyncSession, actor: Principal, *, now: datetime) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.requests = ModificationRepository(session)

    def listing(self, *, employee: str | None, status: RequestStatus | None) -> Select[Any]:
        statement = self.requests.listing(employee=employee, status=status)
        if self.actor.is_admin:
            return statement
        mine = ModificationRequest.person_id == self.actor.user_id
        if self.actor.has_role(Role.branch_head):
            return statement.where(
                or_(mine, ModificationRequest.store_id.in_(own_stores(self.actor)))
            )
        return statement.where(mine)

    async def create(self, body: ModificationIn) -> ModificationRequest:
        entry = await TimeEntryService(self.session, self.actor, now=self.now).get(body.entry_id)
        _modifiable(entry)
        if body.clock_in is None and body.clock_out is None and body.break_minutes is None:
            raise field_error("clock_in", "ask for a change: clock_in, clock_out or break_minutes")
        _check_times(entry, body.clock_in, body.clock_out, body.break_minutes, self.now)
        await MonthLock(self.session).ensure_open(entry.store_id, entry.work_date)
        request = await self.requests.add(
            ModificationRequest(
                id=uuid.uuid4(),
                entry_id=entry.id,
                person_id=entry.person_id,
                store_id=entry.store_id,
                clock_in=body.clock_in,
                clock_out=body.clock_out,
                break_minutes=body.break_minutes,
                reason=body.reason,
                status=RequestStatus.pending,
                requested_by=self.actor.user_id,
            )
        )
        event = ModificationRequested(
            request_id=request.id,
            entry_id=request.entry_id,
            person_id=request.person_id,
            store_id=request.store_id,
            clock_in=request.clock_in,
            clock_out=request.clock_out,
            break_minutes=request.break_minutes,
            requested_by=request.requested_by,
        )
        await outbox.publish(self.session, event, actor=self.actor.user_id)
        return request

    async def approve(self, request_id: uuid.UUID, note: str) -> ModificationRequest:
        request = await self._to_review(request_id)
        entries = TimeEntryService(self.session, self.actor, now=self.now)
        entry = await entries.get(request.entry_id, for_update=True)
        _modifiable(entry)
        clock_in = request.clock_in or entry.clock_in
        clock_out = request.clock_out or entry.clock_out or self.now
        breaks = entry.break_minutes if request.break_minutes is None else request.break_minutes
        _check_times(entry, clock_in, clock_out, breaks, self.now)
        changed = await EntryRevisions(self.session, self.actor).revise(
            entry,
            clock_in=clock_in,
            clock_out=clock_out,
            break_minutes=breaks,
            modification_id=request.id,
        )
        return await self._decided(request, RequestStatus.approved, note, changed)

    async def deny(self, request_id: uuid.UUID, note: str) -> ModificationRequest:
        request = await self._to_review(request_id)
        return await self._decided(request, RequestStatus.denied, note, [])

    async def _to_review(self, request_id: uuid.UUID) -> ModificationRequest:
        request = await self.requests.get(request_id)
        if request is None:
            raise NotFound(f"Modification request {request_id} not found.")
        check_store(self.actor, request.store_id)
        if request.person_id == self.actor.user_id:
            raise PermissionDenied("You cannot review a change to your own time entry.")
        if request.status != RequestStatus.pending:
            raise Conflict(f"This request is already {request.status}.")
        return request

    async def _decided(
        self, request: ModificationRequest, status: RequestStatus, note: str, changed: list[str]
    ) -> ModificationRequest:
        request.status = status
        request.reviewed_by = self.actor.user_id
        request.reviewed_at = self.now
        request.review_note = note
        await self.session.flush()
        await outbox.publish(
            self.session,
            ModificationDecided(
                request_id=request.id,
                entry_id=request.entry_id,
                person_id=request.person_id,
                store_id=request.store_id,
                status=status,
                changed=changed,
                reviewed_by=self.actor.user_id,
                review_note=note,
            ),
            subject=f"attendance.modification.{status}",
            actor=self.actor.user_id,
        )
        await self.session.refresh(request)
        return request


def _modifiable(entry: TimeEntry) -> None:
    if entry.is_open:
        raise Conflict("The entry is still clocked in: clock out first, then ask for a change.")
    if entry.status == EntryStatus.approved:
        raise Conflict("The entry is approved and final; ask a manager to add a new entry instead.")


def _check_times(
    entry: TimeEntry,
    clock_in: datetime | None,
    clock_out: datetime | None,
    break_minutes: int | None,
    now: datetime,
) -> None:
    start = clock_in or entry.clock_in
    end = clock_out or entry.clock_out or now
    if end <= start:
        raise field_error("clock_out", "the clock-out must come after the clock-in")
    if end > now or start > now:
        raise field_error("clock_out" if end > now else "clock_in", "a time in the future")
    breaks = entry.break_minutes if break_minutes is None else break_minutes
    if breaks * 60 >= (end - start).total_seconds():
        raise field_error("break_minutes", "the break is longer than the time worked")
