"""Every query of bookings: the list (filters, search, ordering), a booking with its parts,
the row lock of a change, and the writes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.bookings.models import Booking, BookingChange, BookingIssue
from common.pagination import apply_ordering, apply_search

ORDERING = {
    "starts_at": Booking.starts_at,
    "date": Booking.slot_date,
    "created_at": Booking.created_at,
    "status": Booking.status,
    "name": Booking.name,
}


@dataclass(frozen=True)
class BookingFilters:
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    store: uuid.UUID | None = None
    search: str | None = None
    ordering: str | None = None
    email_key: str | None = None  # ?mine=true: the caller's own


class BookingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, booking_id: uuid.UUID) -> Booking | None:
        return await self.session.get(Booking, booking_id)

    async def get_for_update(self, booking_id: uuid.UUID) -> Booking | None:
        return await self.session.get(
            Booking, booking_id, with_for_update=True, populate_existing=True
        )

    async def exists(self, booking_id: uuid.UUID) -> bool:
        return bool(await self.session.scalar(select(exists().where(Booking.id == booking_id))))

    def listing(self, filters: BookingFilters) -> Select[Any]:
        """Bookings by their slot (soonest first unless ``ordering`` says otherwise)."""
        statement = select(Booking)
        if filters.status is not None:
            statement = statement.where(Booking.status == filters.status)
        if filters.date_from is not None:
            statement = statement.where(Booking.slot_date >= filters.date_from)
        if filters.date_to is not None:
            statement = statement.where(Booking.slot_date <= filters.date_to)
        if filters.store is not None:
            statement = statement.where(Booking.store_id == filters.store)
        if filters.email_key is not None:
            statement = statement.where(Booking.email_key == filters.email_key)
        statement = apply_search(
            statement, filters.search, [Booking.name, Booking.email, Booking.phone]
        )
        return apply_ordering(
            statement, filters.ordering, ORDERING, [Booking.starts_at, Booking.id]
        )

    async def issues_of(self, booking_id: uuid.UUID) -> list[BookingIssue]:
        return list(
            (
                await self.session.execute(
                    select(BookingIssue)
                    .where(BookingIssue.booking_id == booking_id)
                    .order_by(BookingIssue.position)
                )
            ).scalars()
        )

    async def history_of(self, booking_id: uuid.UUID) -> list[BookingChange]:
        return list(
            (
                await self.session.execute(
                    select(BookingChange)
                    .where(BookingChange.booking_id == booking_id)
                    .order_by(BookingChange.id)
                )
            ).scalars()
        )

    async def add(self, booking: Booking) -> Booking:
        self.session.add(booking)
        await self.session.flush()
        return booking

    async def add_issues(self, issues: list[BookingIssue]) -> None:
        self.session.add_all(issues)
        await self.session.flush()

    async def record_change(self, change: BookingChange) -> None:
        self.session.add(change)
        await self.session.flush()
