"""What invoicing does with other services' events: each handler is one call into a domain."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events.consumer import Subscription, subscribe
from common.events.contracts import Event
from invoicing.bookings.service import BookingInvoicing
from invoicing.customers.service import CustomerService
from invoicing.events.contracts import (
    BookingCompleted,
    SaleCompleted,
    SaleVoided,
    StoreChanged,
    UserChanged,
)
from invoicing.sales.service import SaleInvoicing
from invoicing.stores.service import StoreService


async def store_changed(session: AsyncSession, event: Event[StoreChanged]) -> None:
    store = event.data
    await StoreService(session).record(
        store_id=store.store_id,
        code=store.code,
        name=store.name,
        time_zone=store.time_zone,
        is_active=store.is_active and not store.deleted and event.verb != "deleted",
        at=event.time,
    )


async def user_changed(session: AsyncSession, event: Event[UserChanged]) -> None:
    user = event.data
    await CustomerService(session).record(
        user_id=user.user_id,
        customer_number=user.customer_number,
        name=" ".join(part for part in (user.first_name, user.last_name) if part),
        email=user.email or "",
        is_active=user.is_active and event.verb != "deactivated",
        at=event.time,
    )


async def sale_completed(session: AsyncSession, event: Event[SaleCompleted]) -> None:
    await SaleInvoicing.for_event(session, event.actor).invoice_sale(event.data)


async def sale_voided(session: AsyncSession, event: Event[SaleVoided]) -> None:
    await SaleInvoicing.for_event(session, event.actor).void_sale(
        event.data.sale_id, event.data.reason, event.time
    )


async def booking_completed(session: AsyncSession, event: Event[BookingCompleted]) -> None:
    await BookingInvoicing.for_event(session, event.actor).invoice_booking(event.data)


SUBSCRIPTIONS: list[Subscription[Any]] = [
    subscribe("catalog-stores", "catalog.store.*", StoreChanged, store_changed),
    subscribe("auth-customers", "auth.user.*", UserChanged, user_changed),
    subscribe("pos-sales-completed", "pos.sale.completed", SaleCompleted, sale_completed),
    subscribe("pos-sales-voided", "pos.sale.voided", SaleVoided, sale_voided),
    subscribe(
        "bookings-completed", "bookings.booking.completed", BookingCompleted, booking_completed
    ),
]
