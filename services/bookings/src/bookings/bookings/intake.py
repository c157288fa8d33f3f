"""The public booking: throttled, past a captcha, checked whole before anything is stored.

In order: the ``booking`` throttle for the client address (429), the captcha (400 naming
``captcha_token``), the throttle for the email and the phone (429), then the rules — the
store known and active, the slot in the future, within the horizon and the store's hours,
the issues offered, each answer naming a question of its set and every required question
of the issues' sets answered (422 naming the field). Only then the booking, its issues, its
answers, its first history row, its events and the customer's email are written, in the
request's one transaction: bad input stores nothing (the captcha's spent mark included).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bookings.bookings.models import Booking, BookingChange, BookingIssue
from bookings.bookings.repository import BookingRepository
from bookings.bookings.schemas import BookingIn
from bookings.bookings.service import BookingService, BookingView
from bookings.bookings.slots import check_slot
from bookings.bookings.toolkit import Toolkit
from bookings.bookings.transitions import BookingStatus, Changer
from bookings.captcha.service import CaptchaGate
from bookings.customers.service import email_key
from bookings.events.contracts import BookingCreated
from bookings.events.outbox import outbox
from bookings.issues.service import bookable_issues
from bookings.questions.service import QuestionService
from bookings.responses.service import ResponseService
from bookings.stores.service import StoreService
from bookings.throttles.service import Scope
from common.money import round_money


class BookingIntake:
    def __init__(self, session: AsyncSession, toolkit: Toolkit) -> None:
        self.session = session
        self.toolkit = toolkit
        self.settings = toolkit.settings
        self.bookings = BookingRepository(session)

    async def create(self, body: BookingIn, *, address: str) -> BookingView:
        """The booking as its customer sees it, with its manage token."""
        throttle = self.toolkit.throttle
        await throttle.address(Scope.booking, address)
        await CaptchaGate(self.session, self.toolkit.captcha).check(
            body.captcha_token, remote_ip=address
        )
        await throttle.sender(Scope.booking, email=body.email, phone=body.phone)

        zone, hours = self.settings.default_time_zone, None
        if body.store is not None:
            store = await StoreService(self.session).bookable(body.store, "store")
            zone, hours = store.time_zone, store.opening_hours
        starts_at = check_slot(
            body.date,
            body.time,
            zone_name=zone,
            opening_hours=hours,
            horizon_days=self.settings.booking_horizon_days,
        )
        issues = await bookable_issues(self.session, body.details.issues, "details.issues")
        responses = ResponseService(self.session)
        questions = await responses.matched(body.responses, "responses")
        required_sets = {issue.question_set for issue in issues if issue.question_set}
        await QuestionService(self.session).require_answers(required_sets, questions, "responses")

        currency = self.settings.currency
        estimates = [issue.estimated_price for issue in issues if issue.estimated_price is not None]
        quote = round_money(sum(estimates, Decimal(0)), currency) if estimates else None
        booking = await self.bookings.add(
            Booking(
                status=BookingStatus.pending.value,
                name=body.name,
                email=body.email,
                email_key=email_key(body.email),
                phone=body.phone,
                store_id=body.store,
                slot_date=body.date,
                slot_time=body.time.replace(tzinfo=None),
                time_zone=zone,
                starts_at=starts_at,
                brand=body.details.brand or None,
                product=body.details.product or None,
                other_issue=body.other_issue or None,
                notes="",
                quoted_amount=quote,
                currency=currency,
            )
        )
        await self.bookings.add_issues(
            [
                BookingIssue(
                    booking_id=booking.id,
                    issue_id=issue.id,
                    position=position,
                    name=issue.name,
                    estimated_price=issue.estimated_price,
                    estimated_minutes=issue.estimated_minutes,
                )
                for position, issue in enumerate(issues)
            ]
        )
        await self.bookings.record_change(
            BookingChange(
                booking_id=booking.id,
                from_status=None,
                to_status=BookingStatus.pending.value,
                changed_by=Changer.customer.value,
            )
        )
        await responses.record(booking.id, body.responses, questions, actor=None)
        await outbox.publish(
            self.session,
            BookingCreated(
                booking_id=booking.id,
                status=booking.status,
                name=booking.name,
                email=booking.email,
                phone=booking.phone,
                store_id=booking.store_id,
                date=booking.slot_date,
                time=booking.slot_time,
                time_zone=booking.time_zone,
                starts_at=booking.starts_at,
                issue_ids=[issue.id for issue in issues],
                brand=booking.brand,
                product=booking.product,
                quoted_amount=quote,
                currency=currency,
            ),
        )
        service = BookingService(self.session, self.toolkit)
        await service.notify(booking, BookingStatus.pending.value)
        return await service.customer_view(
            booking, manage_token=self.toolkit.tokens.issue(booking.id)
        )
