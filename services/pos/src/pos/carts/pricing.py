"""The one rounding rule for money at the register, and where it applies.

Amounts are ``Decimal`` end to end and rounded by ``common.money.round_money`` (half up to
the cent: 0.005 → 0.01) at exactly three points:

1. a line: ``quantity x unit price`` rounded, minus its discount (``line discount % x
   that gross``, rounded) → the line total;
2. the cart discount: ``cart discount % x Σ line totals``, rounded;
3. the tax: ``store tax rate x (Σ line totals - cart discount)``, rounded.

``total = Σ line totals - cart discount + tax``. Nothing else is ever rounded, so a receipt
can be recomputed from its lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from common.money import ZERO, percent_of, round_money


@dataclass(frozen=True)
class LineAmounts:
    discount_amount: Decimal
    line_total: Decimal


@dataclass(frozen=True)
class CartAmounts:
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal


def line_amounts(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> LineAmounts:
    """Rounding point 1: the line's discount and total."""
    gross = round_money(quantity * unit_price)
    discount = percent_of(gross, discount_percent)
    return LineAmounts(discount_amount=discount, line_total=gross - discount)


def cart_amounts(
    line_totals: Iterable[Decimal], discount_percent: Decimal, tax_rate: Decimal
) -> CartAmounts:
    """Rounding points 2 and 3: the cart discount and the tax, then the total."""
    subtotal = sum(line_totals, ZERO)
    discount = percent_of(subtotal, discount_percent)
    tax = round_money((subtotal - discount) * tax_rate)
    return CartAmounts(
        subtotal=subtotal, discount_total=discount, tax_total=tax, total=subtotal - discount + tax
    )
