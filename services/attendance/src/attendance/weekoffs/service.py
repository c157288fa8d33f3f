"""Weekly offs: a system admin manages them for known staff; the range must not run backwards."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.outbox import announce
from attendance.events.setup import WeeklyOffChanged
from attendance.people.service import PersonService
from attendance.weekoffs.models import WeeklyOff
from attendance.weekoffs.repository import WeeklyOffRepository
from attendance.weekoffs.schemas import WeeklyOffIn, WeeklyOffUpdate
from common.errors import NotFound, field_error
from common.updates import apply_changes


class WeeklyOffService:
    def __init__(self, session: AsyncSession, *, actor: str | None = None) -> None:
        self.session = session
        self.actor = actor
        self.weekoffs = WeeklyOffRepository(session)

    def listing(self, *, person: str | None) -> Select[Any]:
        return self.weekoffs.listing(person=person)

    async def get(self, weekoff_id: uuid.UUID) -> WeeklyOff:
        weekoff = await self.weekoffs.get(weekoff_id)
        if weekoff is None:
            raise NotFound(f"Weekly off {weekoff_id} not found.")
        return weekoff

    async def create(self, body: WeeklyOffIn) -> WeeklyOff:
        await PersonService(self.session).staff(body.person_id, "person_id")
        _check_range(body.effective_from, body.effective_to)
        weekoff = await self.weekoffs.add(WeeklyOff(**body.model_dump()))
        await announce(self.session, _event(weekoff, []), "created", self.actor)
        return weekoff

    async def update(self, weekoff_id: uuid.UUID, body: WeeklyOffUpdate) -> WeeklyOff:
        weekoff = await self.get(weekoff_id)
        if changed := apply_changes(weekoff, body):
            _check_range(weekoff.effective_from, weekoff.effective_to)
            await self.session.flush()
            await self.session.refresh(weekoff)
            await announce(self.session, _event(weekoff, sorted(changed)), "updated", self.actor)
        return weekoff

    async def delete(self, weekoff_id: uuid.UUID) -> None:
        weekoff = await self.get(weekoff_id)
        event = _event(weekoff, [])
        await self.weekoffs.delete(weekoff)
        await announce(self.session, event, "deleted", self.actor)


def _event(weekoff: WeeklyOff, changed: list[str]) -> WeeklyOffChanged:
    return WeeklyOffChanged.of(weekoff, weekoff_id=weekoff.id, changed=changed)


def _check_range(first: date, last: date | None) -> None:
    if last is not None and last < first:
        raise field_error("effective_to", "effective_to is before effective_from")
