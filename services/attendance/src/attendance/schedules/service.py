"""Schedules: a system admin manages them and previews them; every other domain asks here
for the roster (who is expected when)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.outbox import announce
from attendance.events.setup import ScheduleChanged
from attendance.people.service import PersonService
from attendance.schedule_exceptions.repository import ScheduleExceptionRepository
from attendance.schedules.models import Schedule
from attendance.schedules.preview import preview
from attendance.schedules.repository import ScheduleRepository
from attendance.schedules.roster import Roster
from attendance.schedules.schemas import PreviewOut, ScheduleIn, ScheduleUpdate
from attendance.shifts.repository import ShiftRepository
from attendance.shifts.service import ShiftService
from attendance.stores.repository import StoreRepository
from attendance.stores.service import StoreService
from attendance.weekoffs.repository import WeeklyOffRepository
from common.errors import NotFound, Unprocessable, field_entry, field_error
from common.updates import apply_changes

LONGEST_PREVIEW_DAYS = 92


class RosterLoader:
    """Reads what a roster of some people over some days needs, in five queries."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def roster(
        self,
        person_ids: Iterable[str],
        first: date,
        last: date,
        *,
        store_id: uuid.UUID | None = None,
    ) -> Roster:
        people = sorted(set(person_ids))
        # One day either side: an overnight shift of the day before, a check-in before midnight.
        first, last = first - timedelta(days=1), last + timedelta(days=1)
        schedules = await ScheduleRepository(self.session).in_force(first, last, person_ids=people)
        stores = {s.store_id for s in schedules} | ({store_id} if store_id else set())
        exceptions = await ScheduleExceptionRepository(self.session).affecting(
            people, stores, first, last
        )
        shift_ids = {s.shift_id for s in schedules} | {e.shift_id for e in exceptions if e.shift_id}
        shifts = await ShiftRepository(self.session).many(shift_ids)
        zones = {
            store.id: store.zone
            for store in (
                await StoreRepository(self.session).many({s.store_id for s in shifts.values()})
            ).values()
        }
        return Roster(
            schedules=schedules,
            weekoffs=await WeeklyOffRepository(self.session).of_people(people, first, last),
            exceptions=exceptions,
            shifts=shifts,
            zones=zones,
        )


class ScheduleService:
    def __init__(self, session: AsyncSession, *, actor: str | None = None) -> None:
        self.session = session
        self.actor = actor
        self.schedules = ScheduleRepository(session)

    def listing(
        self, *, person: str | None, store: uuid.UUID | None, active: bool | None
    ) -> Select[Any]:
        return self.schedules.listing(person=person, store=store, active=active)

    async def get(self, schedule_id: uuid.UUID) -> Schedule:
        schedule = await self.schedules.get(schedule_id)
        if schedule is None:
            raise NotFound(f"Schedule {schedule_id} not found.")
        return schedule

    async def create(self, body: ScheduleIn) -> Schedule:
        await StoreService(self.session).known(body.store_id, "store_id")
        await PersonService(self.session).staff(body.person_id, "person_id", body.store_id)
        await ShiftService(self.session).known(body.shift_id, "shift_id", body.store_id)
        _check_range(body.effective_from, body.effective_to)
        schedule = await self.schedules.add(Schedule(**body.model_dump()))
        await announce(self.session, _event(schedule, []), "created", self.actor)
        return schedule

    async def update(self, schedule_id: uuid.UUID, body: ScheduleUpdate) -> Schedule:
        schedule = await self.get(schedule_id)
        changed = apply_changes(schedule, body)
        if "shift_id" in changed:
            await ShiftService(self.session).known(schedule.shift_id, "shift_id", schedule.store_id)
        if changed:
            _check_range(schedule.effective_from, schedule.effective_to)
            await self.session.flush()
            await self.session.refresh(schedule)
            await announce(self.session, _event(schedule, sorted(changed)), "updated", self.actor)
        return schedule

    async def delete(self, schedule_id: uuid.UUID) -> None:
        schedule = await self.get(schedule_id)
        event = _event(schedule, [])
        await self.schedules.delete(schedule)
        await announce(self.session, event, "deleted", self.actor)

    async def preview(self, schedule_id: uuid.UUID, first: date, last: date) -> PreviewOut:
        schedule = await self.get(schedule_id)
        if last < first:
            raise Unprocessable(
                [field_entry(["query", "date_to"], "before date_from", "value_error")]
            )
        if (last - first).days >= LONGEST_PREVIEW_DAYS:
            raise Unprocessable(
                [
                    field_entry(
                        ["query", "date_to"],
                        f"a preview covers at most {LONGEST_PREVIEW_DAYS} days",
                        "value_error",
                    )
                ]
            )
        roster = await RosterLoader(self.session).roster([schedule.person_id], first, last)
        policy = await StoreService(self.session).policy(schedule.store_id)
        return preview(roster, schedule, first, last, policy.weekly_overtime_hours)


def _event(schedule: Schedule, changed: list[str]) -> ScheduleChanged:
    return ScheduleChanged.of(schedule, schedule_id=schedule.id, changed=changed)


def _check_range(first: date, last: date | None) -> None:
    if last is not None and last < first:
        raise field_error(
            "effective_to",
            "effective_to is before effective_from (a schedule ends after it starts)",
        )
