"""POS sales become invoices: ``pos.sale.completed`` → one issued invoice with the sale's
lines, paid by one payment per tender; ``pos.sale.voided`` → that invoice voided, its
payments reversed. Each sale has at most one invoice (source ``pos_sale`` + the sale id is
unique), so replaying either event, under any event id, changes nothing the second time.
POS is never called: the event carries the sale."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import DomainError
from common.events.consumer import EventRejected
from common.money import HUNDRED, to_wire
from common.roles import Principal
from invoicing.events.contracts import SaleCompleted
from invoicing.invoices.schemas import LineIn
from invoicing.invoices.service import InvoiceService, check_currency, system_actor
from invoicing.invoices.states import InvoiceSource
from invoicing.payments.models import PaymentMethod
from invoicing.payments.service import PaymentService
from invoicing.sales.repository import EarlyVoidRepository
from invoicing.stores.clock import local_date
from invoicing.stores.service import StoreService
from invoicing.voids.service import VoidService


def tender_method(method: str) -> PaymentMethod:
    """POS's tender kinds (cash, card); anything newer is recorded as ``other``."""
    try:
        return PaymentMethod(method)
    except ValueError:
        return PaymentMethod.other


class SaleInvoicing:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.invoices = InvoiceService(session, actor)
        self.payments = PaymentService(session, actor)
        self.voids = VoidService(session, actor)
        self.stores = StoreService(session)
        self.early_voids = EarlyVoidRepository(session)

    @classmethod
    def for_event(cls, session: AsyncSession, actor: str | None) -> SaleInvoicing:
        return cls(session, system_actor(actor))

    async def invoice_sale(self, sale: SaleCompleted) -> None:
        source_id = str(sale.sale_id)
        if await self.invoices.by_source(InvoiceSource.pos_sale, source_id) is not None:
            return  # invoiced already (a replay)
        store = await self.stores.get(sale.store_id)
        if store is None:
            # catalog's store event may still be on its way: retried, then dead-lettered
            raise LookupError(f"store {sale.store_id} of sale {sale.receipt_number} is unknown")
        try:
            check_currency(sale.currency)
            lines = [
                LineIn(
                    description=line.name,
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount_percent=line.discount_percent,
                    tax_rate=sale.tax_rate * HUNDRED,
                )
                for line in sale.lines
            ]
        except (DomainError, ValidationError) as exc:
            raise EventRejected(f"sale {sale.receipt_number} cannot be invoiced: {exc}") from exc
        try:
            invoice = await self.invoices.issue_sale(
                store=store,
                source_id=source_id,
                customer_number=sale.customer_number,
                currency=sale.currency,
                lines=lines,
                discount_percent=sale.discount_percent,
                at=sale.completed_at,
                notes=f"POS receipt {sale.receipt_number}",
            )
        except DomainError as exc:  # a rule no retry can change (no lines, say)
            raise EventRejected(f"sale {sale.receipt_number} cannot be invoiced: {exc}") from exc
        if invoice.total != sale.total:
            raise EventRejected(
                f"sale {sale.receipt_number} totals {to_wire(sale.total)} but its lines make "
                f"{to_wire(invoice.total)} by the invoice rule; not invoiced"
            )
        tendered = sum((tender.amount for tender in sale.payments), Decimal(0))
        if tendered != sale.total:
            raise EventRejected(
                f"sale {sale.receipt_number}'s tenders add up to {to_wire(tendered)}, not its "
                f"total {to_wire(sale.total)}; not invoiced"
            )
        payments = await self.payments.record_tenders(
            invoice,
            [(tender_method(tender.method), tender.amount) for tender in sale.payments],
            paid_on=local_date(sale.completed_at, store.time_zone),
            reference=f"POS receipt {sale.receipt_number}",
            at=sale.completed_at,
        )
        await self.invoices.announce_issued(invoice)
        await self.payments.announce_recorded(invoice, payments)
        early = await self.early_voids.take(sale.sale_id)
        if early is not None:
            await self.voids.void_sale(invoice, early.reason)

    async def void_sale(self, sale_id: uuid.UUID, reason: str | None, at: datetime) -> None:
        invoice = await self.invoices.by_source(InvoiceSource.pos_sale, str(sale_id))
        reason = f"POS sale voided: {reason}" if reason else "POS sale voided"
        if invoice is None:
            await self.early_voids.keep(sale_id, reason, at)
            return
        await self.voids.void_sale(invoice, reason)
