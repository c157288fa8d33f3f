"""One person's month at one store, from their records, the roster and their pay.

- A record counts unless it was **rejected** (its location exception was rejected).
- **Absences**: days the roster expected the person at this store, already over (every
  expected shift of the day has ended), with no record dated that day.
- **Payable hours**: closed records with no location exception still pending: the time
  inside the shift less the break (unscheduled work: all of it less the break), plus
  approved overtime (``punches.evaluation.payable_seconds``); the amount by
  ``payroll.pay``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime

from attendance.payroll.models import PayrollProfile
from attendance.payroll.pay import month_pay
from attendance.punches.evaluation import payable_seconds
from attendance.punches.models import EntryStatus
from attendance.reports.repository import MonthRecord
from attendance.reports.schemas import PersonMonth
from attendance.schedules.roster import Roster
from attendance.shifts.instances import ShiftInstance
from attendance.units import hours_of_seconds as hours


def _payable(entry: MonthRecord) -> bool:
    return not entry.is_open and entry.status != EntryStatus.rejected and not entry.pending_location


def _over(instances: list[ShiftInstance], now: datetime) -> bool:
    return all(instance.end <= now for instance in instances)


def person_month(
    *,
    person_id: str,
    name: str,
    store_id: uuid.UUID,
    first: date,
    last: date,
    now: datetime,
    entries: list[MonthRecord],
    roster: Roster,
    profiles: list[PayrollProfile],
    weekly_hours: int,
) -> PersonMonth:
    counted = [e for e in entries if e.status != EntryStatus.rejected]
    present = {e.work_date for e in counted}
    scheduled = absences = 0
    for plan in roster.days(person_id, first, last, store_id):
        if not plan.expected:
            continue
        scheduled += 1
        if plan.day not in present and _over([e.instance for e in plan.expected], now):
            absences += 1
    pay_days: dict[date, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for entry in counted:
        if _payable(entry):
            regular, overtime = payable_seconds(entry)
            before = pay_days[entry.work_date]
            pay_days[entry.work_date] = (before[0] + regular, before[1] + overtime)
    pay = month_pay(profiles, pay_days, first, last, weekly_hours=weekly_hours)
    return PersonMonth(
        person_id=person_id,
        name=name,
        scheduled_days=scheduled,
        days_present=len(present),
        absences=absences,
        late_count=sum(1 for e in counted if e.late_seconds > 0),
        late_minutes=sum(e.late_seconds for e in counted) // 60,
        early_leaves=sum(1 for e in counted if e.early_leave_seconds > 0),
        early_leave_minutes=sum(e.early_leave_seconds for e in counted) // 60,
        approved_ot_hours=hours(sum(e.approved_overtime_seconds for e in counted)),
        approved_ot_entries=sum(1 for e in counted if e.approved_overtime_seconds > 0),
        pending_exceptions=sum(e.pending for e in entries),
        payable_hours=hours(sum(regular + overtime for regular, overtime in pay_days.values())),
        unpriced_hours=hours(pay.unpriced_seconds),
        amount=pay.amount,
        currency=pay.currency,
    )
