"""Queries of early sale voids."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.sales.models import EarlySaleVoid


class EarlyVoidRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep(self, sale_id: uuid.UUID, reason: str, at: datetime) -> None:
        await self.session.execute(
            insert(EarlySaleVoid)
            .values(sale_id=sale_id, reason=reason, voided_at=at)
            .on_conflict_do_nothing()
        )

    async def take(self, sale_id: uuid.UUID) -> EarlySaleVoid | None:
        found = await self.session.get(EarlySaleVoid, sale_id, with_for_update=True)
        if found is not None:
            await self.session.delete(found)
            await self.session.flush()
        return found
