"""Deciding attendance exceptions: the person's branch head (their store's) or a system admin,
never the person themselves; each decision is final and announced.

Approving an overtime exception makes its overtime payable; approving a location exception
lets the punch stand. Rejecting a location exception voids the entry (``rejected``: not
worked time); rejecting overtime leaves it unpaid. Nothing in a closed month is decided.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.months.service import MonthLock
from attendance.punches.announcements import announce_exception
from attendance.punches.models import Approval, ApprovalKind, ApprovalStatus, EntryStatus
from attendance.punches.repository import ApprovalRepository, EntryRepository
from common.errors import Conflict, NotFound, PermissionDenied
from common.roles import Principal
from common.scope import check_store, scoped


class ApprovalService:
    def __init__(self, session: AsyncSession, actor: Principal, *, now: datetime) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.approvals = ApprovalRepository(session)

    def listing(
        self,
        *,
        status: ApprovalStatus | None,
        store: uuid.UUID | None,
        person: str | None,
        kind: ApprovalKind | None,
    ) -> Select[Any]:
        statement = self.approvals.listing(status=status, store=store, person=person, kind=kind)
        return scoped(statement, Approval.store_id, self.actor)

    async def approve(self, approval_id: uuid.UUID, note: str) -> Approval:
        return await self._decide(approval_id, ApprovalStatus.approved, note)

    async def reject(self, approval_id: uuid.UUID, note: str) -> Approval:
        return await self._decide(approval_id, ApprovalStatus.rejected, note)

    async def _decide(self, approval_id: uuid.UUID, outcome: ApprovalStatus, note: str) -> Approval:
        approval = await self.approvals.get(approval_id, for_update=True)
        if approval is None:
            raise NotFound(f"Approval {approval_id} not found.")
        check_store(self.actor, approval.store_id)
        if approval.person_id == self.actor.user_id:
            raise PermissionDenied("You cannot decide an exception of your own attendance.")
        if approval.status != ApprovalStatus.pending:
            raise Conflict(f"This exception is already {approval.status}.")
        entry = await EntryRepository(self.session).get(approval.entry_id, for_update=True)
        if entry is None:
            raise NotFound(f"The entry of approval {approval_id} is gone.")
        await MonthLock(self.session).ensure_open(entry.store_id, entry.work_date)
        if approval.kind == ApprovalKind.overtime:
            if outcome == ApprovalStatus.approved:
                entry.approved_overtime_seconds = approval.overtime_seconds or 0
        elif outcome == ApprovalStatus.rejected:
            entry.status = EntryStatus.rejected
        approval.status = outcome
        approval.decided_by = self.actor.user_id
        approval.decided_at = self.now
        approval.decision_note = note
        await self.session.flush()
        await announce_exception(self.session, approval, outcome.value, actor=self.actor.user_id)
        return approval
