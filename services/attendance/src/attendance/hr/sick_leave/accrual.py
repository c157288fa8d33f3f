"""The sick-leave rule, once: one hour accrued per ``per_hours`` hours of approved work, at most
``cap_hours`` a calendar year, in whole minutes.

Work accumulates in minutes per year; the accrued total is recomputed from it
(``worked // per_hours`` minutes: 1 h per 30 h is one minute per 30 minutes worked), so the
order of approvals never changes the result and no fraction is lost. What was accrued is
never taken back (a lowered cap or rate applies to what is accrued next). A request is
approved only up to the balance (accrued - used), so the balance is never negative.
"""

from __future__ import annotations


def accrue(
    *, worked_before: int, accrued_before: int, worked: int, per_hours: int, cap_hours: int
) -> tuple[int, int]:
    """(worked, accrued) minutes of the year after ``worked`` more minutes were approved."""
    if worked < 0 or per_hours < 1 or cap_hours < 0:
        raise ValueError("worked minutes, the rate and the cap cannot be negative")
    total = worked_before + worked
    earned = min(cap_hours * 60, total // per_hours)
    return total, max(accrued_before, earned)
