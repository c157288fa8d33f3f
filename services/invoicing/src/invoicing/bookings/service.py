"""Completed bookings become invoices: ``bookings.booking.completed`` → one issued invoice
(source ``booking``, source id = the booking's id) with the booking's quoted lines, to the
auth customer it names when invoicing knows them as an active customer, else to the named
customer (name and email as booked). The quote is the price asked, so the lines carry no
tax. Each booking has at most one invoice (source + id is unique), so a replay, under any
event id, changes nothing. Bookings is never called: the event carries the quote; the
payment the admin records on the invoice tells bookings it is paid."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import DomainError
from common.events.consumer import EventRejected
from common.money import to_wire
from common.roles import Principal
from invoicing.customers.service import CustomerService
from invoicing.events.contracts import BookingCompleted
from invoicing.invoices.schemas import InvoiceIn, LineIn
from invoicing.invoices.service import InvoiceService, system_actor
from invoicing.invoices.states import InvoiceSource
from invoicing.stores.service import StoreService


class BookingInvoicing:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.invoices = InvoiceService(session, actor)
        self.customers = CustomerService(session)
        self.stores = StoreService(session)

    @classmethod
    def for_event(cls, session: AsyncSession, actor: str | None) -> BookingInvoicing:
        return cls(session, system_actor(actor))

    async def invoice_booking(self, booking: BookingCompleted) -> None:
        source_id = str(booking.booking_id)
        if await self.invoices.by_source(InvoiceSource.booking, source_id) is not None:
            return  # invoiced already (a replay)
        if await self.stores.get(booking.store_id) is None:
            # catalog's store event may still be on its way: retried, then dead-lettered
            raise LookupError(f"store {booking.store_id} of booking {source_id} is unknown")
        known = booking.customer_id is not None and await self.customers.is_active_customer(
            booking.customer_id
        )
        try:
            body = InvoiceIn(
                store_id=booking.store_id,
                customer_id=booking.customer_id if known else None,
                customer_name=None if known else booking.customer_name,
                customer_email=booking.customer_email or None,
                currency=booking.currency,
                lines=[
                    LineIn(
                        description=line.description,
                        quantity=line.quantity,
                        unit_price=line.unit_price,
                    )
                    for line in booking.lines
                ],
                notes=f"Repair booking {source_id}",
                source=InvoiceSource.booking,
                source_id=source_id,
                issue=True,
            )
            invoice = await self.invoices.create(body)
        except (DomainError, ValidationError) as exc:  # no retry can change these
            raise EventRejected(f"booking {source_id} cannot be invoiced: {exc}") from exc
        if invoice.total != booking.quoted_amount:
            raise EventRejected(
                f"booking {source_id} is quoted {to_wire(booking.quoted_amount)} but its lines "
                f"make {to_wire(invoice.total)}; not invoiced"
            )
