"""Schedule exceptions: a system admin manages them. A swap names a shift of the same store;
only a holiday may cover the whole store; the dates must not run backwards."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.outbox import announce
from attendance.events.setup import ScheduleExceptionChanged
from attendance.people.service import PersonService
from attendance.schedule_exceptions.models import ExceptionKind, ScheduleException
from attendance.schedule_exceptions.repository import ScheduleExceptionRepository
from attendance.schedule_exceptions.schemas import (
    ScheduleExceptionIn,
    ScheduleExceptionUpdate,
)
from attendance.shifts.service import ShiftService
from attendance.stores.service import StoreService
from common.errors import NotFound, field_error
from common.updates import apply_changes

LONGEST_DAYS = 366


class ScheduleExceptionService:
    def __init__(self, session: AsyncSession, *, actor: str | None = None) -> None:
        self.session = session
        self.actor = actor
        self.exceptions = ScheduleExceptionRepository(session)

    def listing(self, *, store: uuid.UUID | None, person: str | None) -> Select[Any]:
        return self.exceptions.listing(store=store, person=person)

    async def get(self, exception_id: uuid.UUID) -> ScheduleException:
        exception = await self.exceptions.get(exception_id)
        if exception is None:
            raise NotFound(f"Schedule exception {exception_id} not found.")
        return exception

    async def create(self, body: ScheduleExceptionIn) -> ScheduleException:
        await StoreService(self.session).known(body.store_id, "store_id")
        if body.person_id is not None:
            await PersonService(self.session).staff(body.person_id, "person_id")
        exception = ScheduleException(
            **body.model_dump(exclude={"date_to"}), date_to=body.date_to or body.date_from
        )
        await self._check(exception)
        added = await self.exceptions.add(exception)
        await announce(self.session, _event(added, []), "created", self.actor)
        return added

    async def update(
        self, exception_id: uuid.UUID, body: ScheduleExceptionUpdate
    ) -> ScheduleException:
        exception = await self.get(exception_id)
        if changed := apply_changes(exception, body):
            await self._check(exception)
            await self.session.flush()
            await self.session.refresh(exception)
            await announce(self.session, _event(exception, sorted(changed)), "updated", self.actor)
        return exception

    async def delete(self, exception_id: uuid.UUID) -> None:
        exception = await self.get(exception_id)
        event = _event(exception, [])
        await self.exceptions.delete(exception)
        await announce(self.session, event, "deleted", self.actor)

    async def _check(self, exception: ScheduleException) -> None:
        if exception.date_to < exception.date_from:
            raise field_error("date_to", "date_to is before date_from")
        if (exception.date_to - exception.date_from).days >= LONGEST_DAYS:
            raise field_error("date_to", f"an exception covers at most {LONGEST_DAYS} days")
        if exception.person_id is None and exception.kind != ExceptionKind.holiday:
            raise field_error("person_id", f"a {exception.kind} is for one person: name them")
        if exception.kind == ExceptionKind.swap:
            if exception.shift_id is None:
                raise field_error("shift_id", "a swap names the shift worked instead")
            await ShiftService(self.session).known(
                exception.shift_id, "shift_id", exception.store_id
            )
        elif exception.shift_id is not None:
            raise field_error("shift_id", f"a {exception.kind} has no shift (only a swap does)")


def _event(exception: ScheduleException, changed: list[str]) -> ScheduleExceptionChanged:
    return ScheduleExceptionChanged.of(exception, exception_id=exception.id, changed=changed)
