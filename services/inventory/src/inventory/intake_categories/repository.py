"""Every query on intake categories (and the counts of what refers to one)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_search, paginate
from inventory.intake_categories.models import IntakeCategory

# The tables that refer to a category, by name: products sit above categories (no import).
REFERRERS = {"product_profiles": "category_id"}


class CategoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, category_id: uuid.UUID) -> IntakeCategory | None:
        return await self.session.get(IntakeCategory, category_id)

    async def by_name(self, name: str) -> IntakeCategory | None:
        return (
            await self.session.execute(
                select(IntakeCategory).where(func.lower(IntakeCategory.name) == name.lower())
            )
        ).scalar_one_or_none()

    async def add(self, category: IntakeCategory) -> IntakeCategory:
        self.session.add(category)
        return await self.save(category)

    async def save(self, category: IntakeCategory) -> IntakeCategory:
        await self.session.flush()
        await self.session.refresh(category)
        return category

    async def delete(self, category: IntakeCategory) -> None:
        await self.session.delete(category)
        await self.session.flush()

    async def parent_of(self, category_id: uuid.UUID) -> uuid.UUID | None:
        parent: uuid.UUID | None = await self.session.scalar(
            select(IntakeCategory.parent_id).where(IntakeCategory.id == category_id)
        )
        return parent

    async def referrers(self, category_id: uuid.UUID) -> dict[str, int]:
        counts = {
            "child categories": int(
                await self.session.scalar(
                    select(func.count()).where(IntakeCategory.parent_id == category_id)
                )
                or 0
            )
        }
        for table, column in REFERRERS.items():
            counts[table.replace("_", " ")] = int(
                await self.session.scalar(
                    text(f"SELECT count(*) FROM {table} WHERE {column} = :id"), {"id": category_id}
                )
                or 0
            )
        return {what: count for what, count in counts.items() if count}

    async def listing(
        self, *, parent: uuid.UUID | None, search: str | None, page: PageParams
    ) -> tuple[int, list[Any]]:
        statement = select(IntakeCategory)
        if parent is not None:
            statement = statement.where(IntakeCategory.parent_id == parent)
        statement = apply_search(statement, search, [IntakeCategory.name])
        return await paginate(
            self.session, statement.order_by(IntakeCategory.name, IntakeCategory.id), page
        )
