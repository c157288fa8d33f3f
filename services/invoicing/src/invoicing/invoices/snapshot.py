"""The invoice as issued: everything its documents print, frozen at issue in ``snapshot``.

Later changes to the store's name, the customer's record or the invoice's notes never
reach a document that was handed out; only a void is marked on it (from the invoice)."""

from __future__ import annotations

from typing import Any

from common.money import quantity_wire, to_wire
from invoicing.invoices.models import Invoice
from invoicing.invoices.totals import invoice_totals
from invoicing.stores.models import Store

SNAPSHOT_VERSION = 1


def snapshot_of(invoice: Invoice, store: Store) -> dict[str, Any]:
    currency = invoice.currency
    totals = invoice_totals(invoice.lines, invoice.discount_percent, currency)
    return {
        "version": SNAPSHOT_VERSION,
        "number": invoice.number,
        "invoice_date": invoice.invoice_date.isoformat() if invoice.invoice_date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "currency": currency,
        "store": {"code": store.code, "name": store.name, "time_zone": store.time_zone},
        "customer": {
            "number": invoice.customer_number,
            "name": invoice.customer_name,
            "email": invoice.customer_email,
        },
        "lines": [
            {
                "line_no": line.line_no,
                "description": line.description,
                "sku": line.sku,
                "quantity": quantity_wire(line.quantity),
                "unit_price": to_wire(line.unit_price, currency),
                "discount_percent": f"{line.discount_percent:f}",
                "tax_rate": f"{line.tax_rate:f}",
                "net": to_wire(line.net, currency),
            }
            for line in invoice.lines
        ],
        "discount_percent": f"{invoice.discount_percent:f}",
        "tax_bands": [
            {
                "rate": f"{band.rate:f}",
                "taxable": to_wire(band.taxable, currency),
                "tax": to_wire(band.tax, currency),
            }
            for band in totals.bands
        ],
        "subtotal": to_wire(totals.subtotal, currency),
        "discount_total": to_wire(totals.discount_total, currency),
        "tax_total": to_wire(totals.tax_total, currency),
        "total": to_wire(totals.total, currency),
        "notes": invoice.notes,
        "source": {"type": invoice.source, "id": invoice.source_id},
    }
