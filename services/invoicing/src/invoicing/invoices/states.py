"""An invoice's states and the moves between them, stated once.

``draft → issued → partially_paid → paid`` as payments arrive (and back when a payment is
updated or deleted); ``issued``/``partially_paid`` read as ``overdue`` once their due date
has passed in the store's calendar (computed on read: no job, never stale); every state
but ``paid`` and ``void`` may be voided (a paid invoice is voided by force: its payments are
reversed first). ``void`` is final. A draft is deleted, never voided; an invoice that was
issued is never deleted (its number stays used)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from common.errors import Conflict


class InvoiceStatus(StrEnum):
    draft = "draft"
    issued = "issued"
    partially_paid = "partially_paid"
    paid = "paid"
    overdue = "overdue"
    void = "void"


class InvoiceSource(StrEnum):
    manual = "manual"
    pos_sale = "pos_sale"
    booking = "booking"


# What is written in the ``status`` column; ``overdue`` only ever appears on read.
STORED = tuple(status for status in InvoiceStatus if status != InvoiceStatus.overdue)
# The states whose due date can pass (they become ``overdue`` on read).
OPEN = (InvoiceStatus.issued, InvoiceStatus.partially_paid)
# The states that take payments.
PAYABLE = (InvoiceStatus.issued, InvoiceStatus.partially_paid, InvoiceStatus.overdue)

S = InvoiceStatus
NEXT: dict[InvoiceStatus, tuple[InvoiceStatus, ...]] = {
    S.draft: (S.issued,),
    S.issued: (S.partially_paid, S.paid, S.overdue, S.void),
    S.partially_paid: (S.issued, S.paid, S.overdue, S.void),
    S.overdue: (S.partially_paid, S.paid, S.void),
    S.paid: (S.partially_paid, S.issued),
    S.void: (),
}


def allowed_from(current: InvoiceStatus) -> str:
    return ", ".join(NEXT[current]) or "nothing (void is final)"


def require_transition(
    label: str, current: InvoiceStatus, target: InvoiceStatus, *, hint: str = ""
) -> None:
    """409 naming the current state and the states it may go to, unless ``target`` is one."""
    if target in NEXT[current]:
        return
    detail = (
        f"Invoice {label} is {current}; it cannot become {target}. "
        f"From {current} it can become: {allowed_from(current)}."
    )
    raise Conflict(f"{detail} {hint}".strip())


def settled_status(total: Decimal, paid: Decimal) -> InvoiceStatus:
    """What the payments make of an issued invoice: paid in full, in part, or not at all."""
    if paid >= total:
        return InvoiceStatus.paid
    if paid > 0:
        return InvoiceStatus.partially_paid
    return InvoiceStatus.issued
