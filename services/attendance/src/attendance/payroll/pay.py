"""What a month pays a person, once: exact decimals, rounded half up once at the end.

- **Hourly**: each day's regular hours x the rate in force that day, plus its approved
  overtime hours x the rate x the overtime multiplier.
- **Monthly**: the salary, prorated by the calendar days of the month the profile covers,
  plus approved overtime at the salary's hourly equivalent (salary x 12 / 52 / the store's
  weekly hours) x the multiplier. Absences are reported, not deducted here.

Hours of a day no profile covers are not priced (the report says how many).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from attendance.payroll.models import PayrollProfile, PayType
from common.money import round_money

SECONDS_PER_HOUR = Decimal(3600)
WEEKS_PER_YEAR = Decimal(52)
MONTHS_PER_YEAR = Decimal(12)


@dataclass(frozen=True)
class MonthPay:
    amount: Decimal | None  # None: no profile covers this month
    currency: str | None
    unpriced_seconds: int


def month_pay(
    profiles: Iterable[PayrollProfile],
    days: Mapping[date, tuple[int, int]],
    first: date,
    last: date,
    *,
    weekly_hours: int,
) -> MonthPay:
    """``days``: (regular, overtime) payable seconds per work date of the month."""
    mine = sorted(profiles, key=lambda p: p.effective_from)
    exact = Decimal(0)
    priced = False
    unpriced = 0
    month_days = Decimal(calendar.monthrange(first.year, first.month)[1])
    for day, (regular, overtime) in days.items():
        profile = next((p for p in mine if p.covers(day)), None)
        if profile is None:
            unpriced += regular + overtime
            continue
        if profile.pay_type == PayType.hourly and profile.hourly_rate is not None:
            rate = profile.hourly_rate
            exact += Decimal(regular) / SECONDS_PER_HOUR * rate
            exact += Decimal(overtime) / SECONDS_PER_HOUR * rate * profile.ot_multiplier
            priced = True
        elif profile.monthly_salary is not None:
            hourly = (
                profile.monthly_salary * MONTHS_PER_YEAR / WEEKS_PER_YEAR / Decimal(weekly_hours)
            )
            exact += Decimal(overtime) / SECONDS_PER_HOUR * hourly * profile.ot_multiplier
    for profile in mine:
        if profile.pay_type == PayType.monthly and profile.monthly_salary is not None:
            covered = _covered_days(profile, first, last)
            if covered:
                exact += profile.monthly_salary * Decimal(covered) / month_days
                priced = True
    if not priced:
        return MonthPay(None, mine[0].currency if mine else None, unpriced)
    currency = mine[0].currency
    return MonthPay(round_money(exact, currency), currency, unpriced)


def _covered_days(profile: PayrollProfile, first: date, last: date) -> int:
    start = max(first, profile.effective_from)
    end = min(last, profile.effective_to or last)
    return max(0, (end - start).days + 1)
