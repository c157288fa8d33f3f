"""How a sale is paid: the cash part, the card part and the change, or why not; and the
payments a completed sale shows (on its receipt and in ``pos.sale.completed``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common.errors import Unprocessable
from common.money import ZERO
from pos.carts.models import PaymentMethod


@dataclass(frozen=True)
class Payment:
    method: PaymentMethod
    cash_tendered: Decimal | None
    card_amount: Decimal | None
    cash_amount: Decimal  # the part of the total paid in cash (what the drawer keeps)
    change_due: Decimal


def settle(
    total: Decimal,
    method: PaymentMethod,
    cash_tendered: Decimal | None,
    card_amount: Decimal | None,
) -> Payment:
    """cash: ``cash_tendered`` ≥ total; card: ``card_amount`` (default the total) = total;
    split: a card part between zero and the total, the rest in cash from ``cash_tendered``."""
    if method == PaymentMethod.cash:
        if card_amount:
            raise Unprocessable("card_amount: a cash sale has no card part; use split.")
        if cash_tendered is None:
            raise Unprocessable("cash_tendered is required for a cash sale.")
        if cash_tendered < total:
            raise Unprocessable(
                f"cash_tendered {cash_tendered:.2f} is less than the total {total:.2f}."
            )
        return Payment(method, cash_tendered, None, total, cash_tendered - total)
    if method == PaymentMethod.card:
        if cash_tendered:
            raise Unprocessable("cash_tendered: a card sale has no cash part; use split.")
        card = total if card_amount is None else card_amount
        if card != total:
            raise Unprocessable(f"card_amount {card:.2f} must equal the total {total:.2f}.")
        return Payment(method, None, card, ZERO, ZERO)
    if card_amount is None or cash_tendered is None:
        raise Unprocessable("A split payment needs both card_amount and cash_tendered.")
    if not ZERO < card_amount < total:
        raise Unprocessable(
            f"card_amount {card_amount:.2f} must be more than 0 and less than the total {total:.2f}."
        )
    cash_part = total - card_amount
    if cash_tendered < cash_part:
        raise Unprocessable(
            f"cash_tendered {cash_tendered:.2f} is less than the cash part {cash_part:.2f} "
            f"(total {total:.2f} - card {card_amount:.2f})."
        )
    return Payment(method, cash_tendered, card_amount, cash_part, cash_tendered - cash_part)


def payments_of(sale: Any) -> list[dict[str, Any]]:
    """The cash part (with what was tendered) and the card part of a completed sale."""
    paid: list[dict[str, Any]] = []
    if sale.cash_amount:
        paid.append({"method": "cash", "amount": sale.cash_amount, "tendered": sale.cash_tendered})
    if sale.card_amount:
        paid.append({"method": "card", "amount": sale.card_amount, "tendered": None})
    return paid
