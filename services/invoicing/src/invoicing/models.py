"""Every table of invoicing, imported once so Alembic and the tests see the whole schema."""

from __future__ import annotations

from invoicing.customers.models import Customer
from invoicing.db import EVENT_TABLES, REVOKED_USERS, Base
from invoicing.invoices.models import Invoice, InvoiceLine, InvoiceSnapshot
from invoicing.numbering.models import InvoiceCounter
from invoicing.payments.models import Payment
from invoicing.sales.models import EarlySaleVoid
from invoicing.stores.models import Store

__all__ = [
    "EVENT_TABLES",
    "REVOKED_USERS",
    "Base",
    "Customer",
    "EarlySaleVoid",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "InvoiceSnapshot",
    "Payment",
    "Store",
]
