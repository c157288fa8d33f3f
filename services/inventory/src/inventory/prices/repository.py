"""Queries on ``price_logs``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, paginate
from inventory.prices.models import PriceLog

BIGINT = 2**63


@dataclass(frozen=True)
class PriceLogFilters:
    subject_type: str | None = None
    subject_id: str | None = None
    sku: str | None = None
    source: str | None = None


class PriceLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, log_id: int) -> PriceLog | None:
        return await self.session.get(PriceLog, log_id) if 0 < log_id < BIGINT else None

    def add(self, log: PriceLog) -> None:
        self.session.add(log)

    async def listing(self, filters: PriceLogFilters, page: PageParams) -> tuple[int, list[Any]]:
        statement = select(PriceLog)
        if filters.subject_type:
            statement = statement.where(PriceLog.subject_type == filters.subject_type)
        if filters.subject_id:
            statement = statement.where(PriceLog.subject_id == filters.subject_id)
        if filters.sku:
            statement = statement.where(func.upper(PriceLog.sku) == filters.sku.upper())
        if filters.source:
            statement = statement.where(PriceLog.source == filters.source)
        statement = statement.order_by(PriceLog.changed_at.desc(), PriceLog.id.desc())
        return await paginate(self.session, statement, page)
