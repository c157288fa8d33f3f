"""Queries of store notes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.notes.models import Note
from common.pagination import apply_ordering, apply_search
from common.roles import Principal
from common.scope import scoped

ORDERING = {"title": Note.title, "created_at": Note.created_at}


class NoteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, note_id: uuid.UUID) -> Note | None:
        return await self.session.get(Note, note_id)

    def listing(
        self,
        actor: Principal,
        *,
        store: uuid.UUID | None,
        search: str | None,
        ordering: str | None,
    ) -> Select[Any]:
        """The notes of the caller's stores (every store for a system admin), newest first."""
        statement = scoped(select(Note), Note.store_id, actor)
        if store is not None:
            statement = statement.where(Note.store_id == store)
        statement = apply_search(statement, search, [Note.title, Note.body])
        return apply_ordering(statement, ordering, ORDERING, [Note.created_at.desc(), Note.id])

    async def add(self, note: Note) -> Note:
        self.session.add(note)
        await self.session.flush()
        await self.session.refresh(note)
        return note

    async def delete(self, note: Note) -> None:
        await self.session.delete(note)
        await self.session.flush()
