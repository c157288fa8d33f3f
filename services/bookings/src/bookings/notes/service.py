"""The rules of store notes: staff write in their own stores, every change is an event."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.events.contracts import NoteChanged
from bookings.events.outbox import outbox
from bookings.notes.models import Note
from bookings.notes.repository import NoteRepository
from bookings.notes.schemas import NoteIn, NoteUpdate
from bookings.stores.service import StoreService
from common.errors import NotFound
from common.roles import Principal
from common.scope import check_store
from common.updates import apply_changes


class NoteService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor
        self.notes = NoteRepository(session)

    def listing(
        self, *, store: uuid.UUID | None, search: str | None, ordering: str | None
    ) -> Select[Any]:
        return self.notes.listing(self.actor, store=store, search=search, ordering=ordering)

    async def get(self, note_id: uuid.UUID) -> Note:
        """The note, if it is in one of the caller's stores (403 for another store's)."""
        note = await self.notes.get(note_id)
        if note is None:
            raise NotFound(f"Note {note_id} not found.")
        check_store(self.actor, note.store_id)
        return note

    async def create(self, body: NoteIn) -> Note:
        await StoreService(self.session).to_act_on(self.actor, body.store_id, "store_id")
        note = await self.notes.add(
            Note(
                store_id=body.store_id,
                title=body.title,
                body=body.body,
                author_id=self.actor.user_id,
            )
        )
        await self._announce(note, "created", ["title", "body"])
        return note

    async def update(self, note_id: uuid.UUID, body: NoteUpdate) -> Note:
        note = await self.get(note_id)
        changed = apply_changes(note, body)
        if changed:
            await self.session.flush()
            await self.session.refresh(note)
            await self._announce(note, "updated", sorted(changed))
        return note

    async def delete(self, note_id: uuid.UUID) -> None:
        note = await self.get(note_id)
        await self._announce(note, "deleted", [])
        await self.notes.delete(note)

    async def _announce(self, note: Note, verb: str, changed: list[str]) -> None:
        await outbox.publish(
            self.session,
            NoteChanged(
                note_id=note.id,
                store_id=note.store_id,
                title=note.title,
                author_id=note.author_id,
                changed=changed,
            ),
            subject=f"bookings.note.{verb}",
            actor=self.actor.user_id,
        )
