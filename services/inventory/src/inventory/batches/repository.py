"""Every query on batch groups."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, paginate
from common.roles import Principal
from common.scope import scoped
from inventory.batches.models import BatchGroup


class BatchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, group_id: uuid.UUID, *, lock: bool = False) -> BatchGroup | None:
        statement = select(BatchGroup).where(BatchGroup.id == group_id)
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def add_many(self, groups: Sequence[dict[str, Any]]) -> None:
        if groups:
            await self.session.execute(insert(BatchGroup), list(groups))

    async def save(self, group: BatchGroup) -> BatchGroup:
        await self.session.flush()
        await self.session.refresh(group)
        return group

    async def of_order(self, order_id: uuid.UUID) -> list[BatchGroup]:
        rows = await self.session.execute(
            select(BatchGroup).where(BatchGroup.order_id == order_id).order_by(BatchGroup.title)
        )
        return list(rows.scalars())

    async def count_of_order(self, order_id: uuid.UUID) -> int:
        return int(
            await self.session.scalar(
                select(func.count()).select_from(BatchGroup).where(BatchGroup.order_id == order_id)
            )
            or 0
        )

    async def delete_of_order(self, order_id: uuid.UUID) -> int:
        result = await self.session.execute(
            delete(BatchGroup).where(BatchGroup.order_id == order_id)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def listing(
        self,
        principal: Principal,
        *,
        status: str | None,
        order: uuid.UUID | None,
        product: uuid.UUID | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        statement = scoped(select(BatchGroup), BatchGroup.store_id, principal)
        if status:
            statement = statement.where(BatchGroup.status == status)
        if order is not None:
            statement = statement.where(BatchGroup.order_id == order)
        if product is not None:
            statement = statement.where(BatchGroup.product_id == product)
        statement = statement.order_by(BatchGroup.created_at.desc(), BatchGroup.id)
        return await paginate(self.session, statement, page)
