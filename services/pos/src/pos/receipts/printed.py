"""What a printed receipt says, section by section, whatever it is printed on. The text and
the PDF layouts only arrange these pieces, so the two never disagree.

A ``Row`` is a label on the left and an amount (or a value) flush right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from common.money import quantity_wire
from pos.carts.schemas import LineOut
from pos.receipts.schemas import ReceiptOut
from pos.store_time import wall_clock


@dataclass(frozen=True)
class Row:
    left: str
    right: str = ""


@dataclass(frozen=True)
class Item:
    title: str  # SKU and name
    row: Row  # qty x price (and the line discount) → the line total


def amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def local_time(receipt: ReceiptOut, instant: datetime) -> str:
    return wall_clock(instant, receipt.store.time_zone)


def header(receipt: ReceiptOut) -> list[str]:
    """The store: name, code, address and phone (empty parts left out)."""
    store = receipt.store
    lines = [store.name, f"Store {store.code}"]
    lines += [part.strip() for part in store.address.splitlines() if part.strip()]
    if store.phone.strip():
        lines.append(f"Tel. {store.phone.strip()}")
    return lines


def particulars(receipt: ReceiptOut) -> list[Row]:
    rows = [
        Row(f"Receipt {receipt.receipt_number}", local_time(receipt, receipt.completed_at)),
        Row(f"Register {receipt.register_code}", f"Cashier {receipt.cashier_id}"),
    ]
    if receipt.customer_number:
        rows.append(Row(f"Customer {receipt.customer_number}"))
    return rows


def item(line: LineOut) -> Item:
    each = f"{quantity_wire(line.quantity)} x {amount(line.unit_price)}"
    if line.discount_amount:
        gross = line.line_total + line.discount_amount
        each += (
            f" = {amount(gross)}, less {line.discount_percent:.2f}% -{amount(line.discount_amount)}"
        )
    return Item(title=f"{line.sku}  {line.name}", row=Row(each, amount(line.line_total)))


def items(receipt: ReceiptOut) -> list[Item]:
    return [item(line) for line in receipt.lines]


def totals(receipt: ReceiptOut) -> list[Row]:
    rows = [Row("Subtotal", amount(receipt.subtotal))]
    if receipt.discount_total:
        rows.append(
            Row(f"Discount {receipt.discount_percent:.2f}%", f"-{amount(receipt.discount_total)}")
        )
    rows.append(Row(f"Tax {receipt.tax_rate * 100:.2f}%", amount(receipt.tax_total)))
    rows.append(Row(f"TOTAL {receipt.currency}", amount(receipt.total)))
    return rows


def payments(receipt: ReceiptOut) -> list[Row]:
    rows = []
    for paid in receipt.payments:
        if paid.method == "cash":
            tendered = "" if paid.tendered is None else f" (tendered {amount(paid.tendered)})"
            rows.append(Row(f"Cash{tendered}", amount(paid.amount)))
        else:
            rows.append(Row("Card", amount(paid.amount)))
    if receipt.change_due is not None:
        rows.append(Row("Change", amount(receipt.change_due)))
    return rows


def void_notice(receipt: ReceiptOut) -> list[str]:
    """Empty unless the sale was voided: when, by whom and why."""
    if receipt.status != "voided":
        return []
    when = "" if receipt.voided_at is None else f" {local_time(receipt, receipt.voided_at)}"
    by = f" by {receipt.voided_by}" if receipt.voided_by else ""
    notice = [f"Voided{when}{by}"]
    if receipt.void_reason:
        notice.append(f"Reason: {receipt.void_reason}")
    return notice


FAREWELL = "Thank you for shopping with us"
VOID = "VOID"
