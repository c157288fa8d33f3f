"""What an invoice document says, in order, whatever it is printed with (PDF or DOCX): the
snapshot taken at issue, plus the one thing that may happen later, a void."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

FONTS = Path(__file__).parent / "fonts"  # DejaVu Sans (Bitstream Vera licence, fonts/LICENSE)
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"
LINE_HEADERS = ("Description", "Qty", "Unit price", "Disc. %", "Tax %", "Net")


@dataclass(frozen=True)
class Document:
    title: str
    banner: str | None  # VOID (with its reason) or DRAFT
    facts: list[tuple[str, str]]  # number, dates, currency
    seller: list[str]
    buyer: list[str]
    lines: list[tuple[str, str, str, str, str, str]]
    totals: list[tuple[str, str]]
    notes: str


def document_of(snapshot: dict[str, Any], *, void_reason: str | None, draft: bool) -> Document:
    currency = snapshot["currency"]
    store, customer = snapshot["store"], snapshot["customer"]
    banner = None
    if void_reason is not None:
        banner = f"VOID — {void_reason}"
    elif draft:
        banner = "DRAFT — not a valid invoice until it is issued"
    facts = [
        ("Invoice number", snapshot["number"] or "(given at issue)"),
        ("Invoice date", snapshot["invoice_date"] or "(the day of issue)"),
        ("Due date", snapshot["due_date"] or "(set at issue)"),
        ("Currency", currency),
    ]
    if snapshot["source"]["type"] != "manual":
        facts.append(("Source", f"{snapshot['source']['type']} {snapshot['source']['id']}"))
    buyer = [customer["name"]]
    if customer["number"]:
        buyer.append(f"Customer {customer['number']}")
    if customer["email"]:
        buyer.append(customer["email"])
    totals = [("Subtotal", snapshot["subtotal"])]
    if snapshot["discount_total"] != "0.00" and snapshot["discount_total"] != "0":
        totals.append(
            (f"Discount {snapshot['discount_percent']} %", f"-{snapshot['discount_total']}")
        )
    for band in snapshot["tax_bands"]:
        totals.append((f"Tax {band['rate']} % on {band['taxable']}", band["tax"]))
    totals.append((f"Total {currency}", snapshot["total"]))
    return Document(
        title="Invoice" if not draft else "Draft invoice",
        banner=banner,
        facts=facts,
        seller=[store["name"], f"Store {store['code']}"],
        buyer=buyer,
        lines=[
            (
                line["description"] + (f" ({line['sku']})" if line["sku"] else ""),
                line["quantity"],
                line["unit_price"],
                line["discount_percent"],
                line["tax_rate"],
                line["net"],
            )
            for line in snapshot["lines"]
        ],
        totals=totals,
        notes=snapshot["notes"],
    )
