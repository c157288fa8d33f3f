"""Deciding to tell the customer: render the email, store it, send it after the commit.

Called in the transaction of the change it tells about; with no ``SMTP_URL`` the row is
``skipped`` and a log line says so, so an operator can see what would have gone out."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from bookings.notifications.mailer import Mailer
from bookings.notifications.models import Delivery, Notification
from bookings.notifications.render import render
from bookings.notifications.repository import NotificationRepository
from bookings.notifications.schemas import BookingMail

logger = logging.getLogger(__name__)


class Notifier:
    def __init__(self, session: AsyncSession, mailer: Mailer) -> None:
        self.session = session
        self.mailer = mailer
        self.notifications = NotificationRepository(session)

    async def booking_changed(self, mail: BookingMail) -> Notification:
        rendered = render(mail)
        status = Delivery.queued if self.mailer.enabled else Delivery.skipped
        notification = await self.notifications.add(
            Notification(
                id=uuid.uuid4(),
                booking_id=mail.booking_id,
                kind=mail.status,
                recipient=mail.recipient,
                subject=rendered.subject,
                text_body=rendered.text,
                html_body=rendered.html,
                status=status.value,
                attempts=0,
            )
        )
        if self.mailer.enabled:
            self.mailer.send_after_commit(self.session, notification.id)
        else:
            logger.info(
                "no SMTP_URL: %s notification of booking %s to %s skipped",
                mail.status,
                mail.booking_id,
                mail.recipient,
            )
        return notification

    async def of_booking(self, booking_id: uuid.UUID) -> list[Notification]:
        return await self.notifications.of_booking(booking_id)
