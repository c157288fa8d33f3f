"""What invoicing is told to invoice for a completed booking: lines that add up to the quote.

- the quote equals the issues' estimates: one line per issue (quantity 1, its estimate);
- the quote is higher: those lines and one ``Additional work (as quoted)`` line for the rest;
- the quote is lower (a discount, or issues without estimates): one line, ``Repair as quoted:``
  and the issues' names, at the quote.

Amounts are rounded by ``common.money`` (half up to the currency's minor unit)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bookings.bookings.models import BookingIssue
from bookings.events.contracts import InvoiceLine
from common.money import round_money

ONE = Decimal(1)


def invoice_lines(
    issues: Sequence[BookingIssue], quote: Decimal, currency: str, *, other_issue: str | None
) -> list[InvoiceLine]:
    priced = [issue for issue in issues if issue.estimated_price is not None]
    estimated = round_money(
        sum((issue.estimated_price or Decimal(0) for issue in priced), Decimal(0)), currency
    )
    quote = round_money(quote, currency)
    lines = [
        InvoiceLine(
            description=issue.name,
            quantity=ONE,
            unit_price=round_money(issue.estimated_price or Decimal(0), currency),
            issue_id=issue.issue_id,
        )
        for issue in priced
    ]
    if priced and quote == estimated:
        return lines
    if priced and quote > estimated:
        return [
            *lines,
            InvoiceLine(
                description="Additional work (as quoted)",
                quantity=ONE,
                unit_price=quote - estimated,
                issue_id=None,
            ),
        ]
    names = [issue.name for issue in issues] or ([other_issue] if other_issue else [])
    description = "Repair as quoted" + (": " + ", ".join(names) if names else "")
    return [
        InvoiceLine(description=description[:500], quantity=ONE, unit_price=quote, issue_id=None)
    ]
