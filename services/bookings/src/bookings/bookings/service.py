"""The rules of a booking after it was made: the admin's list, view and changes (by the
transition table, each change a history row, an event and an email), the customer's view and
cancellation with the manage link, and ``paid`` from invoicing's payment."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.bookings import transitions
from bookings.bookings.invoice import invoice_lines
from bookings.bookings.models import Booking, BookingChange
from bookings.bookings.repository import BookingFilters, BookingRepository
from bookings.bookings.schemas import BookingUpdate
from bookings.bookings.slots import describe
from bookings.bookings.toolkit import Toolkit
from bookings.bookings.transitions import BookingStatus, Changer
from bookings.customers.service import CustomerService
from bookings.events.contracts import BookingCompleted, BookingStatusChanged, PaymentRecorded
from bookings.events.outbox import outbox
from bookings.links.tokens import ManageLinkRefused
from bookings.notifications.schemas import BookingMail
from bookings.notifications.service import Notifier
from bookings.responses.service import ResponseService
from bookings.stores.service import StoreService
from common.errors import Conflict, NotFound, PermissionDenied, field_error
from common.events.consumer import EventRejected
from common.money import round_money
from common.roles import Principal
from common.updates import changes

INVOICING_ACTOR = "service:invoicing"


class BookingView:
    """A booking with what its answer adds (history, issues, ...): attributes for the
    response models, the booking's own read through."""

    def __init__(self, booking: Booking, **extra: Any) -> None:
        self.booking = booking
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.booking, name)

    @property
    def date(self) -> Any:
        return self.booking.slot_date

    @property
    def time(self) -> Any:
        return self.booking.slot_time


class BookingService:
    def __init__(self, session: AsyncSession, toolkit: Toolkit) -> None:
        self.session = session
        self.toolkit = toolkit
        self.settings = toolkit.settings
        self.bookings = BookingRepository(session)
        self.stores = StoreService(session)
        self.customers = CustomerService(session)
        self.notifier = Notifier(session, toolkit.mailer)

    # -- reading ------------------------------------------------------------------------

    async def listing(
        self, caller: Principal, filters: BookingFilters, *, mine: bool
    ) -> Select[Any]:
        """Every booking for a system admin; with ``mine`` anyone signed in sees the bookings
        made with their account's email (none if auth never announced the account)."""
        if mine:
            email = await self.customers.email_of(caller.user_id)
            # No account known: a key no booking has (emails never contain a space).
            return self.bookings.listing(replace(filters, email_key=email or " unknown"))
        if not caller.is_admin:
            raise PermissionDenied("Only a system admin lists every booking; add ?mine=true.")
        return self.bookings.listing(filters)

    async def get(self, booking_id: uuid.UUID) -> Booking:
        booking = await self.bookings.get(booking_id)
        if booking is None:
            raise NotFound(f"Booking {booking_id} not found.")
        return booking

    async def detail(self, booking_id: uuid.UUID) -> BookingView:
        """A booking as a system admin sees it: what may follow, its parts and history."""
        return await self._admin_view(await self.get(booking_id))

    async def _admin_view(self, booking: Booking) -> BookingView:
        issues = await self.bookings.issues_of(booking.id)
        return BookingView(
            booking,
            allowed_transitions=transitions.allowed(BookingStatus(booking.status), Changer.admin),
            details={
                "issues": [issue.issue_id for issue in issues if issue.issue_id is not None],
                "brand": booking.brand,
                "product": booking.product,
            },
            issues=issues,
            history=await self.bookings.history_of(booking.id),
            responses=await ResponseService(self.session).of_booking(booking.id),
            notifications=await self.notifier.of_booking(booking.id),
        )

    async def customer_view(self, booking: Booking, **extra: Any) -> BookingView:
        """A booking as its customer sees it, with whether (and until when) they may cancel."""
        issues = await self.bookings.issues_of(booking.id)
        store = await self.stores.stores.get(booking.store_id) if booking.store_id else None
        cancel_until = booking.starts_at - timedelta(
            hours=self.settings.customer_cancel_cutoff_hours
        )
        may = transitions.allowed(BookingStatus(booking.status), Changer.customer)
        return BookingView(
            booking,
            store_name=store.name if store else None,
            issues=[issue.name for issue in issues],
            can_cancel=bool(may) and datetime.now(UTC) < cancel_until,
            cancel_until=cancel_until,
            **extra,
        )

    # -- the admin's changes ------------------------------------------------------------

    async def update(
        self, booking_id: uuid.UUID, body: BookingUpdate, actor: Principal
    ) -> BookingView:
        booking = await self.bookings.get_for_update(booking_id)
        if booking is None:
            raise NotFound(f"Booking {booking_id} not found.")
        sent = changes(body)
        if "reason" in sent and body.status not in transitions.NEEDS_REASON:
            raise field_error("reason", "a reason goes with status rejected or cancelled")
        if "store_id" in sent and body.store_id is not None and body.store_id != booking.store_id:
            await self.stores.bookable(body.store_id, "store_id")
        for field in ("notes", "quoted_amount", "store_id"):
            if field in sent:
                value = sent[field]
                if field == "quoted_amount" and value is not None:
                    value = round_money(value, booking.currency)
                setattr(booking, field, value)
        if body.status is not None:
            await self._change(
                booking, body.status, by=Changer.admin, actor=actor.user_id, reason=body.reason
            )
        await self.session.flush()
        await self.session.refresh(booking)
        return await self._admin_view(booking)

    async def _change(
        self,
        booking: Booking,
        target: BookingStatus,
        *,
        by: Changer,
        actor: str | None,
        reason: str | None,
    ) -> None:
        """Move ``booking`` to ``target`` if the table lets ``by`` do it: the history row, the
        ``status_changed`` event, the customer's email, and the invoice request on completion."""
        current = BookingStatus(booking.status)
        transitions.check(current, target, by)
        if target in transitions.NEEDS_REASON and not reason:
            raise field_error("reason", f"a reason is required to make a booking {target}")
        if (
            target == BookingStatus.completed
            and booking.quoted_amount is not None
            and booking.store_id is None
        ):
            raise field_error(
                "store_id", "a quoted booking is invoiced by its store: set store_id first"
            )
        booking.status = target.value
        booking.reason = reason if target in transitions.NEEDS_REASON else booking.reason
        await self.bookings.record_change(
            BookingChange(
                booking_id=booking.id,
                from_status=current.value,
                to_status=target.value,
                reason=reason,
                changed_by=by.value,
                actor=actor,
            )
        )
        await outbox.publish(
            self.session,
            BookingStatusChanged(
                booking_id=booking.id,
                from_status=current.value,
                to_status=target.value,
                reason=reason,
                changed_by=by.value,
                store_id=booking.store_id,
                email=booking.email,
                starts_at=booking.starts_at,
            ),
            actor=actor,
        )
        if target == BookingStatus.completed and booking.quoted_amount is not None:
            await self._ask_for_invoice(booking, booking.quoted_amount, actor=actor)
        await self.notify(booking, target.value, reason=reason)

    async def _ask_for_invoice(
        self, booking: Booking, quote: Decimal, *, actor: str | None
    ) -> None:
        if booking.store_id is None:  # checked before the change; kept for the type
            raise field_error("store_id", "a quoted booking is invoiced by its store")
        account = await self.customers.account_for(booking.email)
        issues = await self.bookings.issues_of(booking.id)
        await outbox.publish(
            self.session,
            BookingCompleted(
                booking_id=booking.id,
                store_id=booking.store_id,
                customer_id=account.user_id if account else None,
                customer_number=account.customer_number if account else None,
                customer_name=booking.name,
                customer_email=booking.email,
                customer_phone=booking.phone,
                currency=booking.currency,
                quoted_amount=round_money(quote, booking.currency),
                lines=invoice_lines(
                    issues, quote, booking.currency, other_issue=booking.other_issue
                ),
                completed_at=datetime.now(UTC),
            ),
            actor=actor,
        )

    async def notify(self, booking: Booking, status: str, *, reason: str | None = None) -> None:
        """Tell the customer (after the commit, in the background)."""
        store = await self.stores.stores.get(booking.store_id) if booking.store_id else None
        token = self.toolkit.tokens.issue(booking.id)
        link = self.settings.manage_url.format(token=token) if self.settings.manage_url else token
        await self.notifier.booking_changed(
            BookingMail(
                booking_id=booking.id,
                status=status,
                recipient=booking.email,
                name=booking.name,
                slot=describe(booking.slot_date, booking.slot_time, booking.time_zone),
                store=store.name if store else None,
                reason=reason,
                manage_link=link,
            )
        )

    # -- the customer's manage link -----------------------------------------------------

    async def by_link(self, token: str, *, lock: bool = False) -> Booking:
        try:
            booking_id = self.toolkit.tokens.booking_of(token)
        except ManageLinkRefused as exc:
            raise PermissionDenied(str(exc)) from exc
        booking = await (
            self.bookings.get_for_update(booking_id) if lock else self.bookings.get(booking_id)
        )
        if booking is None:
            raise PermissionDenied("This manage link is not valid.")
        return booking

    async def cancel_by_customer(self, token: str, reason: str) -> BookingView:
        """Until ``CUSTOMER_CANCEL_CUTOFF_HOURS`` before the slot; 409 after it."""
        booking = await self.by_link(token, lock=True)
        cutoff = booking.starts_at - timedelta(hours=self.settings.customer_cancel_cutoff_hours)
        if datetime.now(UTC) >= cutoff:
            raise Conflict(
                f"Bookings can be cancelled online until {self.settings.customer_cancel_cutoff_hours} "
                f"hours before the slot ({cutoff.isoformat()}); please call the store."
            )
        await self._change(
            booking, BookingStatus.cancelled, by=Changer.customer, actor=None, reason=reason
        )
        await self.session.flush()
        return await self.customer_view(booking)

    # -- invoicing ----------------------------------------------------------------------

    @classmethod
    def for_events(cls, session: AsyncSession, toolkit: Toolkit) -> BookingService:
        return cls(session, toolkit)

    async def payment_recorded(self, payment: PaymentRecorded) -> None:
        """A booking's invoice became paid → the booking is ``paid`` (once: a replay finds it
        paid already). Other invoices and partial payments are not ours."""
        if payment.source != "booking" or payment.status_after != "paid":
            return
        try:
            booking_id = uuid.UUID(str(payment.source_id))
        except ValueError as exc:
            raise EventRejected(f"booking invoice with source_id {payment.source_id!r}") from exc
        booking = await self.bookings.get_for_update(booking_id)
        if booking is None:
            raise EventRejected(
                f"invoice {payment.invoice_id} is for an unknown booking {booking_id}"
            )
        booking.invoice_id = payment.invoice_id
        if booking.status == BookingStatus.paid:
            return
        if booking.status != BookingStatus.completed:
            raise EventRejected(
                f"booking {booking_id} is {booking.status}, not completed: not marked paid"
            )
        await self._change(
            booking, BookingStatus.paid, by=Changer.invoicing, actor=INVOICING_ACTOR, reason=None
        )
