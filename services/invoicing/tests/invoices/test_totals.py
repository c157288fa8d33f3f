"""The one rule for an invoice's amounts, by hand-computed examples: lines rounded half up,
the invoice discount and the tax per tax rate, and POS's rule reproduced to the cent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from invoicing.invoices.totals import invoice_totals


@dataclass(frozen=True)
class Line:
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = Decimal("0")
    tax_rate: Decimal = Decimal("0")


def test_a_line_rounds_its_gross_and_its_discount_half_up() -> None:
    # 3 x 0.335 = 1.005 → 1.01; 12.5 % of 1.01 = 0.12625 → 0.13; net 0.88
    totals = invoice_totals(
        [Line(Decimal("3"), Decimal("0.335"), Decimal("12.5"))], Decimal(0), "USD"
    )
    [line] = totals.lines
    assert (line.gross, line.discount, line.net) == (
        Decimal("1.01"),
        Decimal("0.13"),
        Decimal("0.88"),
    )
    assert totals.total == Decimal("0.88")


def test_discount_and_tax_are_taken_per_tax_rate() -> None:
    lines = [
        Line(Decimal("2"), Decimal("10.00"), tax_rate=Decimal("19")),  # net 20.00
        Line(Decimal("1"), Decimal("5.55"), tax_rate=Decimal("7")),  # net 5.55
        Line(Decimal("1"), Decimal("4.45"), tax_rate=Decimal("7")),  # net 4.45
    ]
    totals = invoice_totals(lines, Decimal("5"), "USD")
    # 19 %: 5 % of 20.00 = 1.00, tax 19 % of 19.00 = 3.61
    # 7 %: net 10.00, 5 % = 0.50, tax 7 % of 9.50 = 0.665 → 0.67
    assert [(band.rate, band.discount, band.tax) for band in totals.bands] == [
        (Decimal("7"), Decimal("0.50"), Decimal("0.67")),
        (Decimal("19"), Decimal("1.00"), Decimal("3.61")),
    ]
    assert (totals.subtotal, totals.discount_total, totals.tax_total, totals.total) == (
        Decimal("30.00"),
        Decimal("1.50"),
        Decimal("4.28"),
        Decimal("32.78"),
    )


def test_yen_have_no_decimals() -> None:
    totals = invoice_totals(
        [Line(Decimal("3"), Decimal("333.5"), tax_rate=Decimal("10"))], Decimal(0), "JPY"
    )
    assert (totals.subtotal, totals.tax_total, totals.total) == (
        Decimal("1001"),
        Decimal("100"),
        Decimal("1101"),
    )


def _pos_total(lines: list[Line], discount: Decimal, rate_fraction: Decimal) -> Decimal:
    """POS's own rule (services/pos/src/pos/money.py), written out again independently."""
    cent = Decimal("0.01")

    def to_cents(value: Decimal) -> Decimal:
        return value.quantize(cent, rounding="ROUND_HALF_UP")

    totals = []
    for line in lines:
        gross = to_cents(line.quantity * line.unit_price)
        totals.append(gross - to_cents(gross * line.discount_percent / 100))
    subtotal = sum(totals, Decimal("0"))
    cart_discount = to_cents(subtotal * discount / 100)
    return subtotal - cart_discount + to_cents((subtotal - cart_discount) * rate_fraction)


MONEY = st.integers(min_value=0, max_value=500_000).map(lambda cents: Decimal(cents) / 100)
PERCENT = st.integers(min_value=0, max_value=10_000).map(
    lambda hundredths: Decimal(hundredths) / 100
)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(st.tuples(st.integers(1, 20), MONEY, PERCENT), min_size=1, max_size=6),
    discount=PERCENT,
    rate=st.integers(min_value=0, max_value=2500).map(lambda bp: Decimal(bp) / 10000),
)
def test_a_pos_sale_totals_the_same_by_the_invoice_rule(
    lines: list[tuple[int, Decimal, Decimal]], discount: Decimal, rate: Decimal
) -> None:
    """Any sale with one tax rate: the invoice's total is POS's total to the cent."""
    sale = [Line(Decimal(qty), price, off) for qty, price, off in lines]
    as_invoice = [
        Line(line.quantity, line.unit_price, line.discount_percent, rate * 100) for line in sale
    ]
    assert invoice_totals(as_invoice, discount, "USD").total == _pos_total(sale, discount, rate)
