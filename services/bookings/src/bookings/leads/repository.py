"""Queries of leads: the same person's lead of the day (under a lock), the list."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.leads.models import Lead
from common.pagination import apply_search


class LeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_sender(self, kind: str, keys: list[str]) -> None:
        """Serialise submissions of one person (by email and by phone) until the commit."""
        for key in sorted(keys):
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"lead:{kind}:{key}"}
            )

    async def of_the_day(
        self, kind: str, *, email_key: str | None, phone_key: str | None, since: datetime
    ) -> Lead | None:
        matches = []
        if email_key:
            matches.append(Lead.email_key == email_key)
        if phone_key:
            matches.append(Lead.phone_key == phone_key)
        if not matches:
            return None
        return (
            await self.session.execute(
                select(Lead)
                .where(Lead.kind == kind, Lead.first_received_at > since, or_(*matches))
                .order_by(Lead.first_received_at)
                .limit(1)
            )
        ).scalar_one_or_none()

    async def add(self, lead: Lead) -> Lead:
        self.session.add(lead)
        await self.session.flush()
        return lead

    def listing(
        self,
        *,
        kind: str | None,
        date_from: date | None,
        date_to: date | None,
        search: str | None,
    ) -> Select[Any]:
        """Leads last received in [date_from, date_to] (UTC days), the latest first."""
        statement = select(Lead)
        if kind is not None:
            statement = statement.where(Lead.kind == kind)
        if date_from is not None:
            statement = statement.where(
                Lead.last_received_at >= datetime.combine(date_from, time.min, tzinfo=UTC)
            )
        if date_to is not None:
            end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
            statement = statement.where(Lead.last_received_at < end)
        statement = apply_search(
            statement, search, [Lead.name, Lead.email, Lead.phone, Lead.message]
        )
        return statement.order_by(Lead.last_received_at.desc(), Lead.id)

    async def all_of(self, statement: Select[Any], limit: int) -> list[Lead]:
        return list((await self.session.execute(statement.limit(limit))).scalars())
