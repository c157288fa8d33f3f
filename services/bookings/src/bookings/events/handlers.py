"""What bookings does with other services' events: each handler is one call into a domain.

- ``catalog.store.*`` → the stores read-model (time zone, name; active or not);
- ``auth.user.registered|created|updated|deactivated`` → the customers read-model (one
  subscription each: ``auth.user.tokens_invalidated`` shares the prefix but is no user);
- ``invoicing.payment.recorded`` → a booking's invoice paid in full marks it ``paid``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bookings.bookings.service import BookingService
from bookings.bookings.toolkit import Toolkit
from bookings.customers.service import CustomerService
from bookings.events.contracts import PaymentRecorded, StoreChanged, UserChanged
from bookings.stores.service import StoreService
from common.events.consumer import Subscription, subscribe
from common.events.contracts import Event

USER_SUBJECTS = ("registered", "created", "updated", "deactivated")


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
        email=user.email,
        first_name=user.first_name or "",
        last_name=user.last_name or "",
        phone=user.phone,
        role=user.role,
        customer_number=user.customer_number,
        is_active=user.is_active and event.verb != "deactivated",
        at=event.time,
    )


def subscriptions(toolkit: Toolkit) -> list[Subscription[Any]]:
    """The service's subscriptions; the payment handler tells the customer, so it gets the
    app's toolkit (its mailer and manage-link signer)."""

    async def payment_recorded(session: AsyncSession, event: Event[PaymentRecorded]) -> None:
        await BookingService.for_events(session, toolkit).payment_recorded(event.data)

    return [
        subscribe("catalog-stores", "catalog.store.*", StoreChanged, store_changed),
        *(
            subscribe(f"auth-users-{verb}", f"auth.user.{verb}", UserChanged, user_changed)
            for verb in USER_SUBJECTS
        ),
        subscribe(
            "invoicing-payments", "invoicing.payment.recorded", PaymentRecorded, payment_recorded
        ),
    ]
