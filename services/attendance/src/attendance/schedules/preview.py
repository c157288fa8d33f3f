"""A schedule's preview: each day's expected shifts for its person, the projected hours, the
overtime they imply and the conflicts, before anyone works them.

Hours are the shifts' paid hours (less their break). Projected overtime is, per ISO week,
the hours beyond the store's ``weekly_overtime_hours`` (a week cut by the range counts only
its days inside the range). The person's other schedules, weekly offs and exceptions are
taken into account, so a preview shows what the roster will really ask.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from attendance.schedules.models import Schedule
from attendance.schedules.roster import DayPlan, Expected, Roster
from attendance.schedules.schemas import ExpectedShift, PreviewDay, PreviewOut, PreviewWeek
from attendance.shifts.rules import paid_shift_seconds
from attendance.units import hours_of_seconds as hours


def expected_shift(expected: Expected) -> ExpectedShift:
    instance = expected.instance
    return ExpectedShift(
        shift_id=instance.shift_id,
        store_id=instance.store_id,
        name=instance.name,
        start=instance.start,
        end=instance.end,
        local_start=instance.local(instance.start),
        local_end=instance.local(instance.end),
        hours=hours(paid_shift_seconds(expected.shift, instance)),
        source=expected.source,
        schedule_id=expected.schedule_id,
    )


def _paid(plan: DayPlan) -> int:
    return sum(paid_shift_seconds(e.shift, e.instance) for e in plan.expected)


def preview(
    roster: Roster, schedule: Schedule, first: date, last: date, weekly_limit_hours: int
) -> PreviewOut:
    plans = roster.days(schedule.person_id, first, last)
    weeks: dict[str, int] = defaultdict(int)
    days = []
    for plan in plans:
        iso = plan.day.isocalendar()
        weeks[f"{iso.year}-W{iso.week:02d}"] += _paid(plan)
        days.append(
            PreviewDay(
                date=plan.day,
                weekday=plan.day.weekday(),
                shifts=[expected_shift(e) for e in plan.expected],
                off=plan.off,
                hours=hours(_paid(plan)),
                conflicts=plan.conflicts,
            )
        )
    limit = weekly_limit_hours * 3600
    week_rows = [
        PreviewWeek(week=week, hours=hours(seconds), overtime_hours=hours(max(0, seconds - limit)))
        for week, seconds in sorted(weeks.items())
    ]
    return PreviewOut(
        schedule_id=schedule.id,
        person_id=schedule.person_id,
        date_from=first,
        date_to=last,
        days=days,
        weeks=week_rows,
        scheduled_days=sum(1 for plan in plans if plan.expected),
        hours=hours(sum(_paid(plan) for plan in plans)),
        overtime_hours=sum((week.overtime_hours for week in week_rows), Decimal("0.00")),
        conflicts=sum(len(plan.conflicts) for plan in plans),
    )
