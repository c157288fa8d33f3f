"""The shift rules, once: late arrival, early leave, overtime, the unpaid break.

All durations are whole seconds between instants (``shifts.instances``), so a rule means
the same in Los Angeles, in Kolkata (+05:30) and on the night the clocks change.

- **Late**: a check-in after start + ``grace_late_minutes`` is late by the time since the
  start (09:12 for 09:00 with 10 minutes' grace: late, 12 minutes).
- **Early leave**: a check-out before end - ``grace_early_minutes`` leaves early by the time
  to the end.
- **Overtime**: the time worked after the end (after the later of the end and the check-in).
  Beyond ``overtime_after_minutes``, with overtime requested, it goes to a manager; it is
  paid only once approved.
- **Break**: a day of at least ``break_after_minutes`` has ``break_minutes`` unpaid.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from attendance.shifts.instances import ShiftInstance


class ShiftRules(Protocol):
    @property
    def grace_late_minutes(self) -> int: ...

    @property
    def grace_early_minutes(self) -> int: ...

    @property
    def break_minutes(self) -> int: ...

    @property
    def break_after_minutes(self) -> int: ...

    @property
    def overtime_after_minutes(self) -> int: ...


def seconds_between(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds())


def late_seconds(rules: ShiftRules, instance: ShiftInstance, clock_in: datetime) -> int:
    late = seconds_between(instance.start, clock_in)
    return late if late > rules.grace_late_minutes * 60 else 0


def early_leave_seconds(rules: ShiftRules, instance: ShiftInstance, clock_out: datetime) -> int:
    early = seconds_between(clock_out, instance.end)
    return early if early > rules.grace_early_minutes * 60 else 0


def overtime_seconds(instance: ShiftInstance, clock_in: datetime, clock_out: datetime) -> int:
    return max(0, seconds_between(max(instance.end, clock_in), clock_out))


def overtime_needs_approval(rules: ShiftRules, overtime: int) -> bool:
    return overtime > rules.overtime_after_minutes * 60


def break_seconds(rules: ShiftRules, worked: int) -> int:
    return rules.break_minutes * 60 if worked >= rules.break_after_minutes * 60 else 0


def paid_shift_seconds(rules: ShiftRules, instance: ShiftInstance) -> int:
    """What a shift pays when worked as scheduled (the preview's hours)."""
    return instance.seconds - break_seconds(rules, instance.seconds)
