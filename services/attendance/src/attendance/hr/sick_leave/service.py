"""Sick leave: accrued from approved work (``accrual``), requested by staff, approved only up to
the balance (the hours are then deducted) or denied, by a manager of the store who is not
the requester. Staff see their own; a branch head their store's people; an admin all."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, or_
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.contracts import SickLeaveDecided, SickLeaveRequested
from attendance.events.outbox import outbox
from attendance.hr.review import RequestStatus
from attendance.hr.sick_leave.accrual import accrue
from attendance.hr.sick_leave.models import SickLeaveBalance, SickLeaveRequest
from attendance.hr.sick_leave.repository import SickLeaveRepository
from attendance.hr.sick_leave.schemas import SickLeaveIn, SickLeaveUpdate
from attendance.people.repository import PersonRepository
from attendance.people.service import PersonService
from attendance.stores.models import StorePolicy
from attendance.stores.service import StoreService
from attendance.units import hours_of_minutes as as_hours
from common.errors import Conflict, NotFound, PermissionDenied, field_error
from common.roles import Principal, Role
from common.scope import check_store, own_stores
from common.updates import apply_changes

MINUTES = Decimal(60)


class SickLeaveService:
    def __init__(self, session: AsyncSession, actor: Principal, *, now: datetime) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.leave = SickLeaveRepository(session)

    # ----------------------------------------------------------------- balances

    async def accrue(
        self, person_id: str, year: int, worked_minutes: int, policy: StorePolicy
    ) -> int:
        """Add approved work to the person's year; the minutes of sick leave it earned."""
        balance = await self.leave.balance_for_update(person_id, year)
        before = balance.accrued_minutes
        balance.worked_minutes, balance.accrued_minutes = accrue(
            worked_before=balance.worked_minutes,
            accrued_before=balance.accrued_minutes,
            worked=worked_minutes,
            per_hours=policy.sick_accrual_worked_hours,
            cap_hours=policy.sick_accrual_cap_hours,
        )
        await self.session.flush()
        return balance.accrued_minutes - before

    async def balances(self, *, employee: str | None, year: int | None) -> Select[Any]:
        return self.leave.balances(
            people=await self._visible_people(), employee=employee, year=year
        )

    async def _visible_people(self) -> set[str] | None:
        if self.actor.is_admin:
            return None
        if self.actor.has_role(Role.branch_head):
            return await PersonRepository(self.session).ids_of_stores(own_stores(self.actor)) | {
                self.actor.user_id
            }
        return {self.actor.user_id}

    # ----------------------------------------------------------------- requests

    def requests(self, *, employee: str | None, status: RequestStatus | None) -> Select[Any]:
        statement = self.leave.requests(employee=employee, status=status)
        if self.actor.is_admin:
            return statement
        mine = SickLeaveRequest.person_id == self.actor.user_id
        if self.actor.has_role(Role.branch_head):
            return statement.where(or_(mine, SickLeaveRequest.store_id.in_(own_stores(self.actor))))
        return statement.where(mine)

    async def get(self, request_id: uuid.UUID, *, for_update: bool = False) -> SickLeaveRequest:
        request = await self.leave.get(request_id, for_update=for_update)
        if request is None:
            raise NotFound(f"Sick-leave request {request_id} not found.")
        if request.person_id != self.actor.user_id:
            if not self.actor.has_role(Role.branch_head):
                raise PermissionDenied("You can only see your own sick-leave requests.")
            check_store(self.actor, request.store_id)
        return request

    async def create(self, body: SickLeaveIn) -> SickLeaveRequest:
        store = await StoreService(self.session).of_caller(self.actor, body.store_id, "store_id")
        person = self.actor.user_id
        if body.employee is not None and body.employee != person:
            if not self.actor.has_role(Role.branch_head):
                raise PermissionDenied("Only a manager files sick leave for someone else.")
            await PersonService(self.session).staff(body.employee, "employee", store.id)
            person = body.employee
        request = SickLeaveRequest(
            id=uuid.uuid4(),
            person_id=person,
            store_id=store.id,
            start_date=body.start_date,
            end_date=body.end_date or body.start_date,
            minutes=_minutes(body.hours),
            reason=body.reason,
            status=RequestStatus.pending,
            requested_by=self.actor.user_id,
        )
        _check_dates(request.start_date, request.end_date)
        added = await self.leave.add(request)
        await self._announce(added, "requested", [])
        return added

    async def update(self, request_id: uuid.UUID, body: SickLeaveUpdate) -> SickLeaveRequest:
        request = await self._pending(request_id)
        changed = apply_changes(request, body, skip=frozenset({"hours"}))
        if body.hours is not None and _minutes(body.hours) != request.minutes:
            request.minutes = _minutes(body.hours)
            changed.add("minutes")
        if changed:
            _check_dates(request.start_date, request.end_date)
            await self.session.flush()
            await self.session.refresh(request)
            await self._announce(request, "updated", sorted(changed))
        return request

    async def delete(self, request_id: uuid.UUID) -> None:
        request = await self._pending(request_id)
        await self._announce(request, "withdrawn", [])
        await self.leave.delete(request)

    async def _announce(self, request: SickLeaveRequest, verb: str, changed: list[str]) -> None:
        event = SickLeaveRequested(
            request_id=request.id,
            person_id=request.person_id,
            store_id=request.store_id,
            start_date=request.start_date,
            end_date=request.end_date,
            minutes=request.minutes,
            status=request.status,
            requested_by=request.requested_by,
            changed=changed,
        )
        subject = f"attendance.sick_leave.{verb}"
        await outbox.publish(self.session, event, subject=subject, actor=self.actor.user_id)

    async def approve(self, request_id: uuid.UUID, note: str) -> SickLeaveRequest:
        request = await self._to_review(request_id)
        balance = await self.leave.balance_for_update(request.person_id, request.start_date.year)
        if request.minutes > balance.balance_minutes:
            raise Conflict(
                f"Only {as_hours(balance.balance_minutes)} h of sick leave are available for "
                f"{request.start_date.year}; {as_hours(request.minutes)} h were asked."
            )
        balance.used_minutes += request.minutes
        return await self._decided(request, RequestStatus.approved, note, balance)

    async def deny(self, request_id: uuid.UUID, note: str) -> SickLeaveRequest:
        request = await self._to_review(request_id)
        balance = await self.leave.balance_for_update(request.person_id, request.start_date.year)
        return await self._decided(request, RequestStatus.denied, note, balance)

    async def _pending(self, request_id: uuid.UUID) -> SickLeaveRequest:
        request = await self.get(request_id, for_update=True)
        if request.status != RequestStatus.pending:
            raise Conflict(f"This request is {request.status}: only a pending one changes.")
        return request

    async def _to_review(self, request_id: uuid.UUID) -> SickLeaveRequest:
        request = await self._pending(request_id)
        check_store(self.actor, request.store_id)
        if request.person_id == self.actor.user_id:
            raise PermissionDenied("You cannot review your own sick-leave request.")
        return request

    async def _decided(
        self,
        request: SickLeaveRequest,
        status: RequestStatus,
        note: str,
        balance: SickLeaveBalance,
    ) -> SickLeaveRequest:
        request.status = status
        request.reviewed_by = self.actor.user_id
        request.reviewed_at = self.now
        request.review_note = note
        await self.session.flush()
        await outbox.publish(
            self.session,
            SickLeaveDecided(
                request_id=request.id,
                person_id=request.person_id,
                store_id=request.store_id,
                start_date=request.start_date,
                end_date=request.end_date,
                minutes=request.minutes,
                status=status,
                reviewed_by=self.actor.user_id,
                review_note=note,
                balance_minutes=balance.balance_minutes,
            ),
            subject=f"attendance.sick_leave.{status}",
            actor=self.actor.user_id,
        )
        await self.session.refresh(request)
        return request


def _minutes(hours: Decimal) -> int:
    minutes = hours * MINUTES
    if hours <= 0:
        raise field_error("hours", "ask for more than 0 hours")
    if minutes != minutes.to_integral_value():
        raise field_error("hours", "hours are taken in whole minutes (e.g. 7.5 or 0.25)")
    return int(minutes)


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise field_error("end_date", "end_date is before start_date")
    if end.year != start.year:
        raise field_error("end_date", "a request stays within one year (file one per year)")
