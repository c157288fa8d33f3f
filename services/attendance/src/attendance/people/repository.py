"""Queries of the people read-model."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.people.models import Person
from common.readmodel import upsert_newer


class PersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, person_id: str) -> Person | None:
        return await self.session.get(Person, person_id)

    async def many(self, person_ids: Iterable[str]) -> dict[str, Person]:
        wanted = sorted(set(person_ids))
        if not wanted:
            return {}
        rows = await self.session.scalars(select(Person).where(Person.id.in_(wanted)))
        return {person.id: person for person in rows}

    async def of_store(self, store_id: uuid.UUID) -> list[Person]:
        """Active staff whose stores include ``store_id``."""
        rows = await self.session.scalars(
            select(Person)
            .where(Person.store_ids.contains([str(store_id)]), Person.is_active.is_(True))
            .order_by(Person.last_name, Person.first_name, Person.id)
        )
        return list(rows)

    async def ids_of_stores(self, store_ids: Iterable[uuid.UUID]) -> set[str]:
        keys = [str(store) for store in store_ids]
        if not keys:
            return set()
        rows = await self.session.scalars(select(Person.id).where(Person.store_ids.overlap(keys)))
        return set(rows)

    async def save_newer(self, values: dict[str, Any]) -> bool:
        return await upsert_newer(self.session, Person, values)

    async def update_newer(self, person_id: str, values: dict[str, Any], at: datetime) -> None:
        """Change a row we already hold (a user who left the staff), if the event is newer."""
        await self.session.execute(
            update(Person)
            .where(Person.id == person_id, Person.synced_at <= at)
            .values(**values, synced_at=at)
        )
