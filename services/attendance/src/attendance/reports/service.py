"""Monthly reports in the store's time zone, and closing a store's month.

A store's report covers every person of the store (auth's staff of it), and anyone with a
record or a schedule there that month. A closed month's report is the one stored when it
was closed, served as it was: later changes to rosters or pay cannot alter it (and nothing
dated in it can change: ``months.service``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.contracts import MonthClosed
from attendance.events.outbox import outbox
from attendance.months.models import ClosedMonth
from attendance.months.repository import ClosedMonthRepository
from attendance.months.service import MonthLock, month_of
from attendance.payroll.repository import PayrollRepository
from attendance.people.repository import PersonRepository
from attendance.punches.repository import EntryRepository
from attendance.reports.monthly import person_month
from attendance.reports.repository import ReportRepository
from attendance.reports.schemas import (
    MyReportOut,
    MyStoreMonth,
    StoreReportOut,
    StoreTotals,
)
from attendance.schedules.repository import ScheduleRepository
from attendance.schedules.service import RosterLoader
from attendance.shifts.instances import local_date
from attendance.stores.models import Store
from attendance.stores.repository import StoreRepository
from attendance.stores.service import StoreService
from attendance.units import hours_of_seconds
from common.errors import Conflict, NotFound
from common.money import to_wire
from common.roles import Principal
from common.scope import check_store, own_stores


def month_bounds(month: str) -> tuple[date, date]:
    year, number = int(month[:4]), int(month[5:7])
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


class ReportService:
    def __init__(self, session: AsyncSession, actor: Principal, *, now: datetime) -> None:
        self.session = session
        self.actor = actor
        self.now = now

    async def store_month(self, store_id: uuid.UUID, month: str | None) -> StoreReportOut:
        check_store(self.actor, store_id)
        store = await self._store(store_id)
        month = month or month_of(local_date(self.now, store.zone))
        closed = await ClosedMonthRepository(self.session).get(store_id, month)
        if closed is not None:
            return StoreReportOut.model_validate(closed.report)
        return await self._compute(store, month)

    async def my_month(self, month: str | None) -> MyReportOut:
        person = self.actor.user_id
        month = month or month_of(self.now.date())
        first, last = month_bounds(month)
        store_ids = own_stores(self.actor) | await EntryRepository(self.session).stores_of_person(
            person, first, last
        )
        stores = await StoreRepository(self.session).many(store_ids)
        rows = []
        for store in sorted(stores.values(), key=lambda s: s.code):
            closed = await ClosedMonthRepository(self.session).get(store.id, month)
            report = (
                StoreReportOut.model_validate(closed.report)
                if closed is not None
                else await self._compute(store, month, only=person)
            )
            for row in report.people:
                if row.person_id == person:
                    rows.append(
                        MyStoreMonth(
                            **row.model_dump(),
                            store_id=store.id,
                            store_code=store.code,
                            closed=report.closed,
                        )
                    )
        return MyReportOut(person_id=person, month=month, stores=rows)

    async def close(self, store_id: uuid.UUID, month: str) -> StoreReportOut:
        store = await self._store(store_id)
        _first, last = month_bounds(month)
        if local_date(self.now, store.zone) <= last:
            raise Conflict(f"{month} is not over at {store.code} yet: close it from the 1st.")
        lock = MonthLock(self.session)
        await lock.for_closing(store_id, month)
        if await lock.closed(store_id, month) is not None:
            raise Conflict(f"{month} is already closed for {store.code}.")
        report = await self._compute(store, month)
        report.closed, report.closed_at, report.closed_by = True, self.now, self.actor.user_id
        await ClosedMonthRepository(self.session).add(
            ClosedMonth(
                store_id=store_id,
                month=month,
                closed_by=self.actor.user_id,
                closed_at=self.now,
                report=report.model_dump(mode="json"),
            )
        )
        await outbox.publish(
            self.session,
            MonthClosed(
                store_id=store_id,
                month=month,
                closed_by=self.actor.user_id,
                closed_at=self.now,
                people=report.totals.people,
                payable_hours=f"{report.totals.payable_hours:f}",
                amounts=report.totals.amounts,
            ),
            actor=self.actor.user_id,
        )
        return report

    async def _store(self, store_id: uuid.UUID) -> Store:
        store = await StoreRepository(self.session).get(store_id)
        if store is None:
            raise NotFound(f"Store {store_id} not found (stores come from catalog).")
        return store

    async def _compute(
        self, store: Store, month: str, *, only: str | None = None
    ) -> StoreReportOut:
        first, last = month_bounds(month)
        entries = await ReportRepository(self.session).month_records(store.id, first, last, only)
        if only is not None:
            person_ids = {only}
        else:
            person_ids = {p.id for p in await PersonRepository(self.session).of_store(store.id)}
            person_ids |= {e.person_id for e in entries}
            person_ids |= {
                s.person_id
                for s in await ScheduleRepository(self.session).in_force(
                    first, last, store_id=store.id
                )
            }
        people = await PersonRepository(self.session).many(person_ids)
        roster = await RosterLoader(self.session).roster(person_ids, first, last, store_id=store.id)
        profiles = defaultdict(list)
        for profile in await PayrollRepository(self.session).in_force(person_ids, first, last):
            profiles[profile.person_id].append(profile)
        by_person = defaultdict(list)
        for entry in entries:
            by_person[entry.person_id].append(entry)
        policy = await StoreService(self.session).policy(store.id)
        rows = [
            person_month(
                person_id=person_id,
                name=people[person_id].name if person_id in people else person_id,
                store_id=store.id,
                first=first,
                last=last,
                now=self.now,
                entries=by_person[person_id],
                roster=roster,
                profiles=profiles[person_id],
                weekly_hours=policy.weekly_overtime_hours,
            )
            for person_id in sorted(
                person_ids, key=lambda p: (people[p].name if p in people else p, p)
            )
        ]
        amounts: dict[str, Decimal] = defaultdict(Decimal)
        for row in rows:
            if row.amount is not None and row.currency is not None:
                amounts[row.currency] += row.amount
        return StoreReportOut(
            store_id=store.id,
            store_code=store.code,
            store_name=store.name,
            month=month,
            time_zone=store.time_zone,
            closed=False,
            closed_at=None,
            closed_by=None,
            generated_at=self.now,
            people=rows,
            totals=StoreTotals(
                people=len(rows),
                payable_hours=sum((row.payable_hours for row in rows), hours_of_seconds(0)),
                amounts={c: to_wire(a, c) for c, a in sorted(amounts.items())},
            ),
        )
