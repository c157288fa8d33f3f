"""Queries of time entries, their approvals and their history."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.punches.models import Approval, EntryRevision, TimeEntry


class EntryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_person(self, person_id: str) -> None:
        """One punch of a person at a time (until the transaction ends): no double check-in."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": f"attendance-person:{person_id}"},
        )

    async def get(self, entry_id: uuid.UUID, *, for_update: bool = False) -> TimeEntry | None:
        statement = select(TimeEntry).where(TimeEntry.id == entry_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.scalars(statement)).first()

    async def open_of(self, person_id: str) -> TimeEntry | None:
        return (
            await self.session.scalars(
                select(TimeEntry).where(
                    TimeEntry.person_id == person_id, TimeEntry.clock_out.is_(None)
                )
            )
        ).first()

    async def of_person_since(self, person_id: str, first: date) -> list[TimeEntry]:
        rows = await self.session.scalars(
            select(TimeEntry)
            .where(TimeEntry.person_id == person_id, TimeEntry.work_date >= first)
            .order_by(TimeEntry.clock_in)
        )
        return list(rows)

    async def stores_of_person(self, person_id: str, first: date, last: date) -> set[uuid.UUID]:
        rows = await self.session.scalars(
            select(TimeEntry.store_id)
            .where(TimeEntry.person_id == person_id, TimeEntry.work_date.between(first, last))
            .distinct()
        )
        return set(rows)

    async def many(
        self, entry_ids: Iterable[uuid.UUID], *, for_update: bool = False
    ) -> list[TimeEntry]:
        wanted = sorted(set(entry_ids))
        if not wanted:
            return []
        statement = select(TimeEntry).where(TimeEntry.id.in_(wanted)).order_by(TimeEntry.id)
        if for_update:
            statement = statement.with_for_update()
        return list(await self.session.scalars(statement))

    async def add(self, entry: TimeEntry) -> TimeEntry:
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def add_approval(self, approval: Approval) -> Approval:
        self.session.add(approval)
        await self.session.flush()
        return approval

    async def add_revision(self, revision: EntryRevision) -> EntryRevision:
        self.session.add(revision)
        await self.session.flush()
        return revision

    async def revisions(self, entry_id: uuid.UUID) -> list[EntryRevision]:
        rows = await self.session.scalars(
            select(EntryRevision)
            .where(EntryRevision.entry_id == entry_id)
            .order_by(EntryRevision.revised_at, EntryRevision.id)
        )
        return list(rows)

    async def refreshed(self, entry: TimeEntry) -> TimeEntry:
        """The entry re-read with its approvals (after changes in this transaction)."""
        await self.session.flush()
        await self.session.refresh(entry, attribute_names=["approvals", "updated_at", "created_at"])
        return entry


class ApprovalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, approval_id: uuid.UUID, *, for_update: bool = False) -> Approval | None:
        statement = select(Approval).where(Approval.id == approval_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.scalars(statement)).first()

    def listing(
        self,
        *,
        status: str | None,
        store: uuid.UUID | None,
        person: str | None,
        kind: str | None,
    ) -> Select[Any]:
        statement = select(Approval)
        if status is not None:
            statement = statement.where(Approval.status == status)
        if store is not None:
            statement = statement.where(Approval.store_id == store)
        if person is not None:
            statement = statement.where(Approval.person_id == person)
        if kind is not None:
            statement = statement.where(Approval.kind == kind)
        return statement.order_by(Approval.created_at, Approval.id)

    async def of_entries(self, entry_ids: Iterable[uuid.UUID]) -> list[Approval]:
        wanted = sorted(set(entry_ids))
        if not wanted:
            return []
        rows = await self.session.scalars(select(Approval).where(Approval.entry_id.in_(wanted)))
        return list(rows)
