"""The booking status table: the one place that says which status may follow which, and who
may make each change (docs/architecture.md, "bookings: transitions").

    pending      → approved | rejected | cancelled
    approved     → in_progress | cancelled
    in_progress  → completed
    completed    → paid            (from invoicing only: its payment made the invoice paid)
    rejected, cancelled, paid      (final)

A system admin makes every change but ``paid``; a customer with the manage link may only
cancel (until the cut-off before the slot); invoicing's ``invoicing.payment.recorded`` only
marks a completed booking paid. ``rejected`` and ``cancelled`` need a reason. A change outside
the table is a 409 naming the current status and the allowed ones.
"""

from __future__ import annotations

from enum import StrEnum

from common.errors import Conflict


class BookingStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    cancelled = "cancelled"
    in_progress = "in_progress"
    completed = "completed"
    paid = "paid"


class Changer(StrEnum):
    """Who asks for a change."""

    admin = "admin"
    customer = "customer"
    invoicing = "invoicing"


S = BookingStatus
TABLE: dict[BookingStatus, tuple[BookingStatus, ...]] = {
    S.pending: (S.approved, S.rejected, S.cancelled),
    S.approved: (S.in_progress, S.cancelled),
    S.in_progress: (S.completed,),
    S.completed: (S.paid,),
    S.rejected: (),
    S.cancelled: (),
    S.paid: (),
}
ONLY_BY: dict[BookingStatus, Changer] = {S.paid: Changer.invoicing}
CUSTOMER_MAY = frozenset({S.cancelled})
NEEDS_REASON = frozenset({S.rejected, S.cancelled})


def allowed(current: BookingStatus, by: Changer) -> list[BookingStatus]:
    """What ``by`` may turn a ``current`` booking into, in the table's order."""
    following = TABLE[current]
    if by == Changer.customer:
        return [status for status in following if status in CUSTOMER_MAY]
    return [status for status in following if ONLY_BY.get(status, Changer.admin) == by]


def check(current: BookingStatus, target: BookingStatus, by: Changer) -> None:
    """409 unless ``by`` may turn ``current`` into ``target``."""
    permitted = allowed(current, by)
    if target in permitted:
        return
    options = ", ".join(permitted) if permitted else "none"
    why = ""
    if target in TABLE[current] and target in ONLY_BY:
        why = f" ({target} is set by {ONLY_BY[target]} only)"
    raise Conflict(
        f"A {current} booking cannot become {target}{why}. "
        f"Current status: {current}; allowed: {options}."
    )
