"""A punch measured against the roster: which shift it belongs to, late, early, overtime.

A check-in belongs to the expected shift whose window contains it — from
``check_in_opens_minutes`` before the start until the end — the nearest start winning when
two do (a night shift's end and a morning shift's start). It is then dated by that shift's
local start date, so the check-out of a 22:00-06:00 shift at 06:05 belongs to yesterday's
record. A check-in no shift expects is unscheduled work: no lateness, no overtime rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from attendance.punches.models import TimeEntry
from attendance.schedules.roster import Expected
from attendance.shifts.instances import ShiftInstance, local_date
from attendance.shifts.rules import (
    ShiftRules,
    break_seconds,
    early_leave_seconds,
    late_seconds,
    overtime_seconds,
    seconds_between,
)


def matching(expected: Iterable[Expected], clock_in: datetime) -> Expected | None:
    candidates = [
        item
        for item in expected
        if item.instance.start - timedelta(minutes=item.shift.check_in_opens_minutes)
        <= clock_in
        < item.instance.end
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda item: abs(seconds_between(item.instance.start, clock_in)))


def work_date(match: Expected | None, clock_in: datetime, zone: ZoneInfo) -> date:
    return match.instance.day if match is not None else local_date(clock_in, zone)


def start_entry(entry: TimeEntry, match: Expected | None) -> None:
    """Record the matched shift instance on a new entry, and how late it started."""
    if match is None:
        return
    instance = match.instance
    entry.shift_id = instance.shift_id
    entry.shift_name = instance.name
    entry.shift_start = instance.start
    entry.shift_end = instance.end
    entry.late_seconds = late_seconds(match.shift, instance, entry.clock_in)


def finish_entry(
    entry: TimeEntry, rules: ShiftRules | None, clock_out: datetime, break_minutes: int | None
) -> None:
    """Close an entry at ``clock_out``: its break, early leave and overtime (seconds)."""
    entry.clock_out = clock_out
    worked = seconds_between(entry.clock_in, clock_out)
    if break_minutes is not None:
        entry.break_minutes = break_minutes
    elif rules is not None:
        entry.break_minutes = break_seconds(rules, worked) // 60
    instance = recorded_instance(entry)
    if rules is None or instance is None:
        entry.early_leave_seconds = 0
        entry.overtime_seconds = 0
        return
    entry.early_leave_seconds = early_leave_seconds(rules, instance, clock_out)
    entry.overtime_seconds = overtime_seconds(instance, entry.clock_in, clock_out)


def recorded_instance(entry: TimeEntry) -> ShiftInstance | None:
    """The shift instance an entry was matched to, as recorded on it."""
    if entry.shift_id is None or entry.shift_start is None or entry.shift_end is None:
        return None
    return ShiftInstance(
        shift_id=entry.shift_id,
        store_id=entry.store_id,
        name=entry.shift_name or "",
        day=entry.work_date,
        start=entry.shift_start,
        end=entry.shift_end,
        zone="UTC",
    )


class PaidTime(Protocol):
    """What pay is computed from (a ``TimeEntry``, or a report's record of one)."""

    @property
    def clock_in(self) -> datetime: ...

    @property
    def clock_out(self) -> datetime | None: ...

    @property
    def shift_start(self) -> datetime | None: ...

    @property
    def shift_end(self) -> datetime | None: ...

    @property
    def break_minutes(self) -> int: ...

    @property
    def approved_overtime_seconds(self) -> int: ...


def payable_seconds(entry: PaidTime) -> tuple[int, int]:
    """(regular, overtime) seconds an entry pays: the time inside its shift less the break
    (all of it, less the break, for unscheduled work) and the approved overtime."""
    if entry.clock_out is None:
        return 0, 0
    start, end = entry.clock_in, entry.clock_out
    if entry.shift_start is not None and entry.shift_end is not None:
        start, end = max(start, entry.shift_start), min(end, entry.shift_end)
    regular = max(0, seconds_between(start, end) - entry.break_minutes * 60)
    return regular, entry.approved_overtime_seconds
