"""The intake pipeline's steps, in order, and the 409 that names the step that must come first.

upload-manifest → process-manifest → (AI cleanup, optional) → match-products →
update-manifest-pricing → finalize-rows → create-items (or deliver) → check-in → mark-complete.
Each undo refuses while a later step's work exists, naming the undo that must come first
(undo-product-matching before clear-pricing is refused, and so on).
"""

from __future__ import annotations

from enum import StrEnum

from common.errors import Conflict


class Step(StrEnum):
    upload = "upload-manifest"
    standardize = "process-manifest"
    match = "match-products"
    price = "update-manifest-pricing"
    finalize = "finalize-rows"
    items = "create-items"


def must_come_first(order_number: str, step: Step, why: str = "") -> Conflict:
    return Conflict(f"Order {order_number}: {step} must come first{why}.")


def must_undo_first(order_number: str, undo: str, why: str) -> Conflict:
    return Conflict(f"Order {order_number}: {why}; {undo} must come first.")
