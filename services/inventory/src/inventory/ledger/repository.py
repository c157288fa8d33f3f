"""Every query on the stock ledger's tables: stock keys, ledger rows, balances."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_ordering, paginate
from common.roles import Principal
from common.scope import scoped
from inventory.ledger.models import Balance, LedgerRow, StockKey
from inventory.locations.models import Location

BIGINT = 2**63
Pair = tuple[int, uuid.UUID]  # (stock key, location)


@dataclass(frozen=True)
class LedgerFilters:
    sku: str | None = None
    location: uuid.UUID | None = None
    voucher_type: str | None = None
    voucher_id: str | None = None
    since: datetime | None = None
    ordering: str | None = None


@dataclass(frozen=True)
class BalanceFilters:
    sku: str | None = None
    location: uuid.UUID | None = None
    store: uuid.UUID | None = None
    low: bool | None = None
    include_zero: bool = False


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- stock keys ------------------------------------------------------------------------

    async def key_for_article(self, article_id: uuid.UUID, sku: str) -> StockKey:
        await self.session.execute(
            insert(StockKey).values(sku=sku, article_id=article_id).on_conflict_do_nothing()
        )
        return (
            await self.session.execute(select(StockKey).where(StockKey.article_id == article_id))
        ).scalar_one()

    async def key_for_item(self, item_id: uuid.UUID, sku: str) -> StockKey:
        await self.session.execute(
            insert(StockKey).values(sku=sku, item_id=item_id).on_conflict_do_nothing()
        )
        return (
            await self.session.execute(select(StockKey).where(StockKey.item_id == item_id))
        ).scalar_one()

    async def has_moved(self, key: StockKey) -> bool:
        found = await self.session.scalar(
            select(LedgerRow.id).where(LedgerRow.stock_key_id == key.id).limit(1)
        )
        return found is not None

    async def delete_key(self, key: StockKey) -> None:
        await self.session.delete(key)

    # -- balances and rows -----------------------------------------------------------------

    async def lock(self, pairs: Iterable[Pair]) -> dict[Pair, Balance]:
        """The balances of ``pairs``, created when missing and locked for this transaction,
        in (stock key, location) order so that two postings cannot deadlock."""
        ordered = sorted(set(pairs), key=lambda pair: (pair[0], str(pair[1])))
        await self.session.execute(
            insert(Balance)
            .values([{"stock_key_id": key, "location_id": loc} for key, loc in ordered])
            .on_conflict_do_nothing()
        )
        rows = (
            await self.session.execute(
                select(Balance)
                .where(tuple_(Balance.stock_key_id, Balance.location_id).in_(ordered))
                .order_by(Balance.stock_key_id, Balance.location_id)
                .with_for_update(of=Balance)
                .execution_options(populate_existing=True)
            )
        ).scalars()
        return {(row.stock_key_id, row.location_id): row for row in rows}

    def add_row(self, row: LedgerRow) -> None:
        self.session.add(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def unreversed(self, voucher_type: str, voucher_id: str) -> list[LedgerRow]:
        """The voucher's rows no later row reverses, newest first."""
        reversed_ids = select(LedgerRow.reverses_id).where(LedgerRow.reverses_id.is_not(None))
        rows = await self.session.execute(
            select(LedgerRow)
            .where(
                LedgerRow.voucher_type == voucher_type,
                LedgerRow.voucher_id == voucher_id,
                LedgerRow.id.not_in(reversed_ids),
            )
            .order_by(LedgerRow.id.desc())
        )
        return list(rows.scalars().all())

    async def line_posted(self, voucher_type: str, voucher_id: str, line: str) -> bool:
        found = await self.session.scalar(
            select(LedgerRow.id)
            .where(
                LedgerRow.voucher_type == voucher_type,
                LedgerRow.voucher_id == voucher_id,
                LedgerRow.voucher_line == line,
            )
            .limit(1)
        )
        return found is not None

    # -- what a location holds (the locations service asks before a delete) ----------------

    async def skus_held_at(self, location_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(Balance)
            .where(Balance.location_id == location_id, Balance.quantity != 0)
        )
        return int(count or 0)

    async def has_moved_at(self, location_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(LedgerRow.id).where(LedgerRow.location_id == location_id).limit(1)
        )
        return found is not None

    async def forget_location(self, location_id: uuid.UUID) -> None:
        """Drop the location's (zero) balance rows."""
        await self.session.execute(delete(Balance).where(Balance.location_id == location_id))

    # -- reading ---------------------------------------------------------------------------

    async def row(self, row_id: int) -> LedgerRow | None:
        return await self.session.get(LedgerRow, row_id) if 0 < row_id < BIGINT else None

    def _keys_of(self, sku: str) -> Any:
        return select(StockKey.id).where(func.upper(StockKey.sku) == sku.upper())

    async def rows(self, filters: LedgerFilters, page: PageParams) -> tuple[int, list[Any]]:
        statement = select(LedgerRow)
        if filters.sku:
            statement = statement.where(LedgerRow.stock_key_id.in_(self._keys_of(filters.sku)))
        if filters.location is not None:
            statement = statement.where(LedgerRow.location_id == filters.location)
        if filters.voucher_type:
            statement = statement.where(LedgerRow.voucher_type == filters.voucher_type)
        if filters.voucher_id:
            statement = statement.where(LedgerRow.voucher_id == filters.voucher_id)
        if filters.since is not None:
            statement = statement.where(LedgerRow.posted_at >= filters.since)
        statement = apply_ordering(
            statement,
            filters.ordering,
            {"id": LedgerRow.id, "posted_at": LedgerRow.posted_at},
            [LedgerRow.id.desc()] if not filters.ordering else [],
        )
        return await paginate(self.session, statement, page)

    async def balances(
        self, principal: Principal, filters: BalanceFilters, page: PageParams
    ) -> tuple[int, list[Any]]:
        statement = scoped(
            select(Balance).join(Location, Location.id == Balance.location_id),
            Location.store_id,
            principal,
        )
        if filters.sku:
            statement = statement.where(Balance.stock_key_id.in_(self._keys_of(filters.sku)))
        if filters.location is not None:
            statement = statement.where(Balance.location_id == filters.location)
        if filters.store is not None:
            statement = statement.where(Location.store_id == filters.store)
        if filters.low is not None:
            statement = statement.where(Balance.is_low.is_(filters.low))
        if not filters.include_zero:
            statement = statement.where(Balance.quantity != 0)
        statement = statement.order_by(Balance.stock_key_id, Balance.location_id)
        return await paginate(self.session, statement, page)
