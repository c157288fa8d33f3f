"""Queries of issue presets and "other" issues (one repository per table, same shape)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bookings.issues.models import Issue, OtherIssue
from common.pagination import apply_ordering, apply_search

Row = TypeVar("Row", Issue, OtherIssue)


class PresetRepository(Generic[Row]):
    def __init__(self, session: AsyncSession, model: type[Row]) -> None:
        self.session = session
        self.model: type[Row] = model

    async def get(self, row_id: int) -> Row | None:
        return await self.session.get(self.model, row_id)

    async def named(self, name: str) -> Row | None:
        return (
            await self.session.execute(select(self.model).where(self.model.name == name))
        ).scalar_one_or_none()

    async def many(self, ids: Sequence[int]) -> list[Row]:
        return list(
            (await self.session.execute(select(self.model).where(self.model.id.in_(ids)))).scalars()
        )

    def listing(
        self, *, active: bool | None, search: str | None, ordering: str | None
    ) -> Select[Any]:
        statement = select(self.model)
        if active is not None:
            statement = statement.where(self.model.is_active.is_(active))
        statement = apply_search(statement, search, [self.model.name, self.model.description])
        allowed = {
            "name": self.model.name,
            "id": self.model.id,
            "created_at": self.model.created_at,
        }
        return apply_ordering(statement, ordering, allowed, [self.model.name, self.model.id])

    async def add(self, row: Row) -> Row:
        self.session.add(row)
        await self.session.flush()
        await self.session.refresh(row)
        return row

    async def delete(self, row: Row) -> None:
        await self.session.delete(row)
        await self.session.flush()
