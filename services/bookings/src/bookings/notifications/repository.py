"""Queries of notifications: adding one, claiming it for delivery, recording the outcome."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.notifications.models import Delivery, Notification


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, notification: Notification) -> Notification:
        self.session.add(notification)
        await self.session.flush()
        return notification

    async def of_booking(self, booking_id: uuid.UUID) -> list[Notification]:
        return list(
            (
                await self.session.execute(
                    select(Notification)
                    .where(Notification.booking_id == booking_id)
                    .order_by(Notification.created_at, Notification.id)
                )
            ).scalars()
        )

    async def claim(
        self, notification_id: uuid.UUID, *, stale_after: timedelta
    ) -> Notification | None:
        """Take a queued notification for delivery, unless another worker holds a fresh claim."""
        now = datetime.now(UTC)
        claimed = await self.session.execute(
            update(Notification)
            .where(
                Notification.id == notification_id,
                Notification.status == Delivery.queued.value,
                or_(Notification.claimed_at.is_(None), Notification.claimed_at < now - stale_after),
            )
            .values(claimed_at=now)
            .returning(Notification)
        )
        return claimed.scalar_one_or_none()

    async def outcome(
        self, notification_id: uuid.UUID, *, status: Delivery, attempts: int, error: str | None
    ) -> None:
        await self.session.execute(
            update(Notification)
            .where(Notification.id == notification_id)
            .values(
                status=status.value,
                attempts=attempts,
                last_error=error,
                sent_at=datetime.now(UTC) if status == Delivery.sent else None,
            )
        )

    async def stranded(self, *, older_than: timedelta, limit: int = 100) -> list[uuid.UUID]:
        """Queued notifications nobody is sending (their process ended before it did)."""
        cutoff = datetime.now(UTC) - older_than
        return list(
            (
                await self.session.execute(
                    select(Notification.id)
                    .where(
                        Notification.status == Delivery.queued.value,
                        Notification.created_at < cutoff,
                        or_(Notification.claimed_at.is_(None), Notification.claimed_at < cutoff),
                    )
                    .order_by(Notification.created_at)
                    .limit(limit)
                )
            ).scalars()
        )
