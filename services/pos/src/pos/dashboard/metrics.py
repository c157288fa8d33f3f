"""The dashboard's numbers: today's revenue and quick stats, this week by day, the last four
ISO weeks compared, today's best items and today's revenue goal.

Revenue is the sum of the totals of completed sales (a voided sale is not revenue). Each
store counts in its own time zone: its "today" is its local date now, its week starts on its
own Monday, and several stores' days are added up position by position (today with today).
The dates shown are those of the store whose day is furthest ahead."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial

from common.money import HUNDRED, ZERO, round_money
from pos.dashboard.repository import TODAY_LOOK_BACK, DashboardRepository, DaySales
from pos.dashboard.schemas import (
    DayRevenue,
    GoalProgress,
    MetricsOut,
    StoreDay,
    TodayStats,
    TopItem,
    WeekRevenue,
)
from pos.dashboard.scope import DashboardScope
from pos.goals.repository import GoalRepository
from pos.shops.models import Store
from pos.store_time import store_today

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKS_COMPARED = 4
TOP_ITEMS = 5
# Far enough back for five of any store's weeks (the oldest compared with the one before).
LOOK_BACK = timedelta(days=7 * (WEEKS_COMPARED + 1) + 2)


@dataclass(frozen=True)
class Calendar:
    """One store's today and the Monday of its week."""

    store: Store
    today: date

    @property
    def monday(self) -> date:
        return monday_of(self.today)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to two places (half up); None for a zero whole."""
    return round_money(part * HUNDRED / whole) if whole else None


def from_monday(calendar: Calendar, offsets: Iterable[int]) -> list[date]:
    """Days of a store's calendar counted from its Monday (negative: weeks before)."""
    return [calendar.monday + timedelta(days=offset) for offset in offsets]


def on_today(calendar: Calendar) -> list[date]:
    return [calendar.today]


class Ledger:
    """Daily sales per (store, local day), added up over every store's own days."""

    def __init__(self, calendars: list[Calendar], rows: Iterable[DaySales]) -> None:
        self.calendars = calendars
        self.days = {(row.store_id, row.day): row for row in rows}

    def tally(
        self, days_of: Callable[[Calendar], list[date]], only: Collection[uuid.UUID] | None = None
    ) -> tuple[Decimal, int]:
        """(revenue, sales) over each store's ``days_of`` (of the ``only`` stores if given)."""
        revenue, count = ZERO, 0
        for calendar in self.calendars:
            if only is not None and calendar.store.id not in only:
                continue
            for day in days_of(calendar):
                found = self.days.get((calendar.store.id, day))
                if found is not None:
                    revenue += found.revenue
                    count += found.count
        return revenue, count


def week_by_day(ledger: Ledger, monday: date) -> list[DayRevenue]:
    week = []
    for offset, name in enumerate(WEEKDAYS):
        revenue, count = ledger.tally(partial(from_monday, offsets=[offset]))
        week.append(
            DayRevenue(
                date=monday + timedelta(days=offset),
                weekday=name,
                revenue=revenue,
                sales_count=count,
            )
        )
    return week


def weeks_compared(ledger: Ledger, monday: date) -> list[WeekRevenue]:
    """The last four weeks, oldest first, each against the week before it."""

    def week(back: int) -> tuple[Decimal, int]:
        return ledger.tally(partial(from_monday, offsets=range(-7 * back, -7 * back + 7)))

    previous, _ = week(WEEKS_COMPARED)
    weeks = []
    for back in range(WEEKS_COMPARED - 1, -1, -1):
        revenue, count = week(back)
        starts_on = monday - timedelta(weeks=back)
        weeks.append(
            WeekRevenue(
                week=iso_week(starts_on),
                starts_on=starts_on,
                revenue=revenue,
                sales_count=count,
                change_percent=percent(revenue - previous, previous),
            )
        )
        previous = revenue
    return weeks


async def goal_progress(
    goals_of: GoalRepository, ledger: Ledger, today: dict[uuid.UUID, date]
) -> GoalProgress | None:
    """Today's goals against today's revenue of the stores that set one."""
    goals = await goals_of.on_days(today)
    if not goals:
        return None
    amount = sum(goals.values(), ZERO)
    revenue, _ = ledger.tally(on_today, only=goals.keys())
    return GoalProgress(amount=amount, revenue=revenue, percent=percent(revenue, amount))


async def dashboard_metrics(
    queries: DashboardRepository, goals: GoalRepository, scope: DashboardScope, now: datetime
) -> MetricsOut:
    calendars = [Calendar(store, store_today(store.time_zone, now)) for store in scope.stores]
    today = {calendar.store.id: calendar.today for calendar in calendars}
    shown_today = max(today.values(), default=now.astimezone(UTC).date())
    monday = monday_of(shown_today)
    ledger = Ledger(calendars, await queries.daily_sales(today.keys(), now - LOOK_BACK))
    revenue, count = ledger.tally(on_today)
    since = now - TODAY_LOOK_BACK
    best = await queries.top_items(today, since, TOP_ITEMS)
    return MetricsOut(
        stores=[
            StoreDay(
                id=c.store.id,
                code=c.store.code,
                name=c.store.name,
                time_zone=c.store.time_zone,
                today=c.today,
            )
            for c in calendars
        ],
        today=shown_today,
        revenue_today=revenue,
        week=week_by_day(ledger, monday),
        last_four_weeks=weeks_compared(ledger, monday),
        today_stats=TodayStats(
            sales_count=count,
            average_basket=round_money(revenue / count) if count else ZERO,
            items_sold=await queries.items_sold(today, since),
        ),
        top_items=[
            TopItem(sku=item.sku, name=item.name, quantity=item.quantity, revenue=item.revenue)
            for item in best
        ],
        goal=await goal_progress(goals, ledger, today),
    )
