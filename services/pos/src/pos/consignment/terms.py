"""The consignee's share of one sold line, from the agreement version the item was taken
in under: a category override, else the tier the sale price falls in, else the flat
share; less the fee per item; never below zero. Rounded once, half up to the cent
(``common.money.percent_of``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common.money import ZERO, percent_of


@dataclass(frozen=True)
class Share:
    share_percent: Decimal
    fee: Decimal
    amount: Decimal  # owed to the consignee


def percent_for(
    sale_price: Decimal,
    category: str,
    *,
    flat: Decimal,
    tiers: Sequence[Mapping[str, Any]],
    category_shares: Mapping[str, Any],
) -> Decimal:
    """The share % for a line sold at ``sale_price`` (tiers: ``min_price`` ≤ price <
    ``max_price``; the last tier has no ``max_price``)."""
    if category and category in category_shares:
        return Decimal(str(category_shares[category]))
    for tier in tiers:
        upper = tier.get("max_price")
        if Decimal(str(tier["min_price"])) <= sale_price and (
            upper is None or sale_price < Decimal(str(upper))
        ):
            return Decimal(str(tier["share_percent"]))
    return flat


def share_of(
    sale_price: Decimal,
    category: str,
    *,
    flat: Decimal,
    tiers: Sequence[Mapping[str, Any]],
    category_shares: Mapping[str, Any],
    fee_per_item: Decimal,
) -> Share:
    percent = percent_for(
        sale_price, category, flat=flat, tiers=tiers, category_shares=category_shares
    )
    gross = percent_of(sale_price, percent)
    return Share(share_percent=percent, fee=fee_per_item, amount=max(gross - fee_per_item, ZERO))


def tier_problem(tiers: Sequence[Mapping[str, Any]]) -> str | None:
    """What is wrong with the tiers (overlaps, gaps, an open tier not last), else None.

    Tiers cover every sale price once: the first starts at 0.00, each starts where the one
    before ends (``max_price``, exclusive), and only the last has no ``max_price``."""
    expected = ZERO
    for index, tier in enumerate(tiers):
        low = Decimal(str(tier["min_price"]))
        high = tier.get("max_price")
        if low != expected:
            kind = "overlaps" if low < expected else "leaves a gap before"
            return f"tiers.{index}: min_price {low:.2f} {kind} {expected:.2f} (where the tier before ends)"
        if high is None:
            if index != len(tiers) - 1:
                return f"tiers.{index}: only the last tier may have no max_price"
            return None
        if Decimal(str(high)) <= low:
            return f"tiers.{index}: max_price must be above min_price"
        expected = Decimal(str(high))
    if tiers:
        return f"tiers.{len(tiers) - 1}: the last tier must have no max_price (prices above {expected:.2f})"
    return None
