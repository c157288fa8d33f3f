"""A purchase order's states and the actions between them, stated once.

draft → pending_approval → approved → (paid) → (shipped) → delivered → complete, and
cancelled. A ``revert-*`` action goes back to the latest state the order's dates say it
passed through (``paid|approved``: paid if it has a paid date, else approved).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OrderStatus(StrEnum):
    draft = "draft"
    pending_approval = "pending_approval"
    approved = "approved"
    paid = "paid"
    shipped = "shipped"
    delivered = "delivered"
    complete = "complete"
    cancelled = "cancelled"


class LineKind(StrEnum):
    article = "article"  # a catalog variant or spare, by SKU
    unit = "unit"  # each unit received becomes an item
    text = "text"  # freight, fees: no stock


RECEIVABLE = frozenset(
    {OrderStatus.approved, OrderStatus.paid, OrderStatus.shipped, OrderStatus.delivered}
)
FINAL = frozenset({OrderStatus.complete, OrderStatus.cancelled})


@dataclass(frozen=True)
class Action:
    sources: frozenset[str]
    target: str


ACTIONS: dict[str, Action] = {
    "submit": Action(frozenset({"draft"}), "pending_approval"),
    "mark-paid": Action(frozenset({"approved"}), "paid"),
    "revert-paid": Action(frozenset({"paid"}), "approved"),
    "mark-shipped": Action(frozenset({"approved", "paid"}), "shipped"),
    "revert-shipped": Action(frozenset({"shipped"}), "paid|approved"),
    "deliver": Action(frozenset({"approved", "paid", "shipped"}), "delivered"),
    "revert-delivered": Action(frozenset({"delivered"}), "shipped|paid|approved"),
    "mark-complete": Action(frozenset({"delivered"}), "complete"),
    "cancel": Action(frozenset({"draft", "pending_approval", "approved", "paid"}), "cancelled"),
}


def allowed_actions(status: str) -> list[str]:
    return [name for name, action in ACTIONS.items() if status in action.sources]
