"""The rules of leads: throttled per address and per sender (``contact``, ``schedule_call``),
one lead per person, kind and day — a second submission within a day of the first updates it
and counts — and every submission announced (``bookings.lead.captured``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.customers.service import email_key
from bookings.events.contracts import LeadCaptured
from bookings.events.outbox import outbox
from bookings.leads.csv import leads_csv
from bookings.leads.models import Lead, LeadKind
from bookings.leads.repository import LeadRepository
from bookings.leads.schemas import ContactIn, ScheduleCallIn
from bookings.throttles.service import Scope, Throttle, phone_key

DEDUP_WINDOW = timedelta(days=1)
EXPORT_LIMIT = 100_000


class LeadService:
    def __init__(self, session: AsyncSession, throttle: Throttle) -> None:
        self.session = session
        self.throttle = throttle
        self.leads = LeadRepository(session)

    async def capture(
        self, kind: LeadKind, body: ContactIn | ScheduleCallIn, *, address: str
    ) -> Lead:
        scope = Scope.contact if kind == LeadKind.contact else Scope.schedule_call
        await self.throttle.address(scope, address)
        await self.throttle.sender(scope, email=body.email, phone=body.phone)
        keys = {
            "email_key": email_key(body.email) if body.email else None,
            "phone_key": (phone_key(body.phone) or None) if body.phone else None,
        }
        await self.leads.lock_sender(kind.value, [key for key in keys.values() if key])
        now = datetime.now(UTC)
        fields: dict[str, Any] = {
            "name": body.name,
            "email": body.email,
            "phone": body.phone,
            "message": body.message,
            "source_page": body.source_page,
            "preferred_date": getattr(body, "preferred_date", None),
            "preferred_time": getattr(body, "preferred_time", None),
        }
        lead = await self.leads.of_the_day(kind.value, **keys, since=now - DEDUP_WINDOW)
        if lead is None:
            lead = await self.leads.add(
                Lead(
                    kind=kind.value,
                    **fields,
                    **keys,
                    submissions=1,
                    first_received_at=now,
                    last_received_at=now,
                )
            )
        else:
            for field, value in fields.items():
                if value is not None and value != "":
                    setattr(lead, field, value)
            for field, value in keys.items():
                if value and getattr(lead, field) is None:
                    setattr(lead, field, value)
            lead.submissions += 1
            lead.last_received_at = now
            await self.session.flush()
        await outbox.publish(
            self.session,
            LeadCaptured(
                lead_id=lead.id,
                kind=lead.kind,
                name=lead.name,
                email=lead.email,
                phone=lead.phone,
                source_page=lead.source_page,
                submissions=lead.submissions,
                first_received_at=lead.first_received_at,
            ),
        )
        return lead

    def listing(
        self,
        *,
        kind: LeadKind | None,
        date_from: date | None,
        date_to: date | None,
        search: str | None,
    ) -> Select[Any]:
        return self.leads.listing(
            kind=kind.value if kind else None, date_from=date_from, date_to=date_to, search=search
        )

    async def export(
        self,
        *,
        kind: LeadKind | None,
        date_from: date | None,
        date_to: date | None,
        search: str | None,
    ) -> str:
        statement = self.listing(kind=kind, date_from=date_from, date_to=date_to, search=search)
        return leads_csv(await self.leads.all_of(statement, EXPORT_LIMIT))
