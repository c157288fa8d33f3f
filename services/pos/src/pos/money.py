"""The one rounding rule for money at the register.

Amounts are ``Decimal`` end to end. Rounding happens at exactly three points, each to the
cent, half up (0.005 → 0.01):

1. a line: ``quantity x unit price`` rounded, minus its discount (``line discount % x
   that gross``, rounded) → the line total;
2. the cart discount: ``cart discount % x Σ line totals``, rounded;
3. the tax: ``store tax rate x (Σ line totals - cart discount)``, rounded.

``total = Σ line totals - cart discount + tax``. Nothing else is ever rounded, so a receipt
can be recomputed from its lines."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return to_cents(amount * percent / HUNDRED)


def line_amounts(
    quantity: Decimal, unit_price: Decimal, discount_percent: Decimal
) -> tuple[Decimal, Decimal]:
    """(discount amount, line total) of one line."""
    gross = to_cents(quantity * unit_price)
    discount = percent_of(gross, discount_percent)
    return discount, gross - discount


def cart_amounts(
    line_totals: list[Decimal], discount_percent: Decimal, tax_rate: Decimal
) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(subtotal, cart discount, tax, total)."""
    subtotal = sum(line_totals, ZERO)
    discount = percent_of(subtotal, discount_percent)
    tax = to_cents((subtotal - discount) * tax_rate)
    return subtotal, discount, tax, subtotal - discount + tax
