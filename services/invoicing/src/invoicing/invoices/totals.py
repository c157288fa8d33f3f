"""The one rule for an invoice's amounts; every total is derived from its lines by it.

Rounding is common.money's (half up to the currency's minor unit) and happens at exactly
these points:

1. a line: ``gross = quantity x unit price``, rounded; its ``discount = line discount % of
   gross``, rounded; ``net = gross - discount``;
2. per tax rate (a *band*): ``discount = invoice discount % of the band's Σ net``, rounded;
   ``tax = rate % of (Σ net - discount)``, rounded;
3. ``subtotal = Σ net``, ``discount_total = Σ band discounts``, ``tax_total = Σ band taxes``,
   ``total = subtotal - discount_total + tax_total``.

With one tax rate this is exactly POS's rule (line, cart discount, tax on the rest), so a
sale's invoice has the sale's total to the cent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from common.money import ZERO, percent_of, round_money


class LineTerms(Protocol):
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def discount_percent(self) -> Decimal: ...
    @property
    def tax_rate(self) -> Decimal: ...


@dataclass(frozen=True)
class LineAmounts:
    gross: Decimal
    discount: Decimal
    net: Decimal


@dataclass(frozen=True)
class TaxBand:
    rate: Decimal
    net: Decimal
    discount: Decimal
    taxable: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    lines: list[LineAmounts]
    bands: list[TaxBand]
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal


def line_amounts(line: LineTerms, currency: str) -> LineAmounts:
    gross = round_money(line.quantity * line.unit_price, currency)
    discount = percent_of(gross, line.discount_percent, currency)
    return LineAmounts(gross, discount, gross - discount)


def invoice_totals(lines: Sequence[LineTerms], discount_percent: Decimal, currency: str) -> Totals:
    amounts = [line_amounts(line, currency) for line in lines]
    nets: dict[Decimal, Decimal] = {}
    for line, amount in zip(lines, amounts, strict=True):
        nets[line.tax_rate] = nets.get(line.tax_rate, ZERO) + amount.net
    bands = []
    for rate in sorted(nets):
        net = nets[rate]
        discount = percent_of(net, discount_percent, currency)
        taxable = net - discount
        bands.append(TaxBand(rate, net, discount, taxable, percent_of(taxable, rate, currency)))
    subtotal = sum((amount.net for amount in amounts), ZERO)
    discount_total = sum((band.discount for band in bands), ZERO)
    tax_total = sum((band.tax for band in bands), ZERO)
    return Totals(
        lines=amounts,
        bands=bands,
        subtotal=subtotal,
        discount_total=discount_total,
        tax_total=tax_total,
        total=subtotal - discount_total + tax_total,
    )
