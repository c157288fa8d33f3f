"""create_app for invoicing: its routers, the events it publishes and the ones it consumes."""

from __future__ import annotations

from fastapi import FastAPI

from common.app import create_app
from invoicing import __version__
from invoicing.config import InvoicingSettings, get_settings
from invoicing.documents.router import router as documents_router
from invoicing.events.contracts import PUBLISHED
from invoicing.events.handlers import SUBSCRIPTIONS
from invoicing.invoices.router import router as invoices_router
from invoicing.models import EVENT_TABLES, REVOKED_USERS
from invoicing.payments.router import invoice_router as mark_paid_router
from invoicing.payments.router import router as payments_router
from invoicing.reports.router import router as reports_router
from invoicing.voids.router import router as voids_router

DESCRIPTION = """Invoices with gapless numbers per store and year, payments that recalculate
the invoice's status, a paid invoice for every POS sale, and reports in each store's time zone.

- **Invoices** (seed 000 Invoicing, system admin): drafts change freely; issuing takes the
  next number of the store and year (`INV-<store code>-<year>-<000123>`, gapless under
  concurrency) and freezes the snapshot its PDF/DOCX print. An issued invoice's lines never
  change; it is voided with a reason, never deleted. `overdue` is computed on read.
- **Payments**: create, update and delete rewrite the invoice's paid amount and status in
  the same transaction; overpayment is refused naming the balance; `Idempotency-Key` on
  create.
- **From POS**: every `pos.sale.completed` becomes an issued, paid invoice with one payment
  per tender; `pos.sale.voided` voids it and reverses its payments. Stores come from
  catalog's events, customers from auth's (read-models; nothing is called on the request
  path).
- **Reports** (system admin; branch heads on their own stores): days in each store's time
  zone, JSON or `?format=csv`."""


def build_app(settings: InvoicingSettings | None = None) -> FastAPI:
    return create_app(
        settings=settings or get_settings(),
        title="Shopfloor invoicing",
        version=__version__,
        description=DESCRIPTION,
        # invoices first: /api/invoices/propose before /api/invoices/{invoice_id}
        routers=[
            invoices_router,
            voids_router,
            mark_paid_router,
            documents_router,
            payments_router,
            reports_router,
        ],
        event_tables=EVENT_TABLES,
        subscriptions=SUBSCRIPTIONS,
        published=PUBLISHED,
        revocations=REVOKED_USERS,
    )


def __getattr__(name: str) -> FastAPI:
    """``invoicing.main:app`` for uvicorn, built on first access from the environment."""
    if name == "app":
        built = build_app()
        globals()["app"] = built
        return built
    raise AttributeError(name)
