"""Who is expected to work when: schedules, overridden by weekly offs, overridden by exceptions.

For a person on a local date, in this order:

1. a **leave** of theirs covering the day: not expected (``off: leave``);
2. a **holiday** of theirs: not expected (``off: holiday``);
3. a **swap** of theirs: the swap's shift instead of whatever was scheduled;
4. a **weekly off** on that weekday: not expected (``off: weekly_off``);
5. otherwise every active schedule of theirs on that weekday, from its start date.

A holiday of a whole store then removes that store's shifts (``off: holiday`` when nothing
is left). An exception on a weekly-off day wins but is reported as a conflict, as are two
expected shifts that overlap in time (the previous day's overnight shift included).
"""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from attendance.schedule_exceptions.models import ExceptionKind, ScheduleException
from attendance.schedules.models import Schedule
from attendance.shifts.instances import ShiftInstance, instance_on
from attendance.shifts.models import Shift
from attendance.weekoffs.models import WeeklyOff


@dataclass(frozen=True)
class Expected:
    instance: ShiftInstance
    shift: Shift
    source: str  # "schedule" or "swap"
    schedule_id: uuid.UUID | None = None


@dataclass
class DayPlan:
    person_id: str
    day: date
    expected: list[Expected] = field(default_factory=list)
    off: str | None = None
    conflicts: list[str] = field(default_factory=list)


class Roster:
    def __init__(
        self,
        *,
        schedules: Iterable[Schedule],
        weekoffs: Iterable[WeeklyOff],
        exceptions: Iterable[ScheduleException],
        shifts: dict[uuid.UUID, Shift],
        zones: dict[uuid.UUID, ZoneInfo],
    ) -> None:
        self.shifts = shifts
        self.zones = zones
        self._schedules: dict[str, list[Schedule]] = defaultdict(list)
        self._weekoffs: dict[str, list[WeeklyOff]] = defaultdict(list)
        self._personal: dict[str, list[ScheduleException]] = defaultdict(list)
        self._store_holidays: dict[uuid.UUID, list[ScheduleException]] = defaultdict(list)
        for schedule in schedules:
            self._schedules[schedule.person_id].append(schedule)
        for weekoff in weekoffs:
            self._weekoffs[weekoff.person_id].append(weekoff)
        for exception in exceptions:
            if exception.person_id is None:
                if exception.kind == ExceptionKind.holiday:
                    self._store_holidays[exception.store_id].append(exception)
            else:
                self._personal[exception.person_id].append(exception)

    def day(self, person_id: str, day: date, store_id: uuid.UUID | None = None) -> DayPlan:
        """The plan of one day (overlaps with the previous day are found by ``days``)."""
        plan = DayPlan(person_id, day)
        personal = [e for e in self._personal.get(person_id, []) if e.covers(day)]
        weekly_off = any(off.applies(day) for off in self._weekoffs.get(person_id, []))
        if weekly_off and personal:
            named = " and ".join(sorted({e.kind for e in personal}))
            plan.conflicts.append(f"weekly off clashes with a {named} exception")
        kinds = {e.kind for e in personal}
        if ExceptionKind.leave in kinds:
            plan.off = "leave"
            return plan
        if ExceptionKind.holiday in kinds:
            plan.off = "holiday"
            return plan
        swaps = [e for e in personal if e.kind == ExceptionKind.swap and e.shift_id]
        if swaps:
            plan.expected = [
                self._expected(self.shifts[e.shift_id], day, "swap")
                for e in swaps
                if e.shift_id in self.shifts
            ]
        elif weekly_off:
            plan.off = "weekly_off"
            return plan
        else:
            plan.expected = [
                self._expected(self.shifts[s.shift_id], day, "schedule", s.id)
                for s in self._schedules.get(person_id, [])
                if s.applies(day) and s.shift_id in self.shifts
            ]
        self._drop_store_holidays(plan)
        if store_id is not None:
            plan.expected = [e for e in plan.expected if e.instance.store_id == store_id]
        plan.expected.sort(key=lambda e: e.instance.start)
        for first, second in zip(plan.expected, plan.expected[1:], strict=False):
            if first.instance.overlaps(second.instance):
                plan.conflicts.append(_overlap(first, second))
        return plan

    def days(
        self, person_id: str, first: date, last: date, store_id: uuid.UUID | None = None
    ) -> list[DayPlan]:
        """The plans of ``first``..``last``, with shifts overlapping the previous day's."""
        plans = [self.day(person_id, first - timedelta(days=1), store_id)]
        day = first
        while day <= last:
            plans.append(self.day(person_id, day, store_id))
            day += timedelta(days=1)
        for before, plan in itertools.pairwise(plans):
            if before.expected and plan.expected:
                late, early = before.expected[-1], plan.expected[0]
                if late.instance.overlaps(early.instance):
                    plan.conflicts.append(_overlap(late, early))
        return plans[1:]

    def _expected(
        self, shift: Shift, day: date, source: str, schedule_id: uuid.UUID | None = None
    ) -> Expected:
        zone = self.zones.get(shift.store_id, ZoneInfo("UTC"))
        return Expected(instance_on(shift, day, zone), shift, source, schedule_id)

    def _drop_store_holidays(self, plan: DayPlan) -> None:
        kept = [
            e
            for e in plan.expected
            if not any(
                h.covers(plan.day) for h in self._store_holidays.get(e.instance.store_id, [])
            )
        ]
        if plan.expected and not kept:
            plan.off = "holiday"
        plan.expected = kept


def _overlap(first: Expected, second: Expected) -> str:
    def label(expected: Expected) -> str:
        instance = expected.instance
        start, end = instance.local(instance.start), instance.local(instance.end)
        return f"{instance.name} of {instance.day} ({start:%H:%M}-{end:%H:%M})"

    return f"overlapping shifts: {label(first)} and {label(second)}"
