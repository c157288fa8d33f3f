"""Queries on consigned items and the ledger rows their sales write."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, func, insert, select, update

from common.roles import Principal
from common.scope import scoped
from pos.consignment.models import (
    Agreement,
    ConsignedItem,
    ConsignedStatus,
    EntryKind,
    EntryStatus,
    LedgerEntry,
)
from pos.db import table_of
from pos.repository import Repository

ITEMS = table_of(ConsignedItem)
AGREEMENTS = table_of(Agreement)
LEDGER = table_of(LedgerEntry)


class ConsignedRepository(Repository):
    async def get(self, consigned_id: uuid.UUID, *, lock: bool = False) -> ConsignedItem | None:
        return await self.session.get(ConsignedItem, consigned_id, with_for_update=lock)

    async def by_unit(self, item_id: uuid.UUID) -> ConsignedItem | None:
        found: ConsignedItem | None = await self.session.scalar(
            select(ConsignedItem).where(ConsignedItem.item_id == item_id)
        )
        return found

    def listing(
        self,
        actor: Principal | None,
        *,
        agreement: uuid.UUID | None = None,
        consignee: str | None = None,
        status: ConsignedStatus | None = None,
    ) -> Select[Any]:
        statement = select(ConsignedItem)
        if actor is not None:
            statement = scoped(statement, ConsignedItem.store_id, actor)
        if agreement is not None:
            statement = statement.where(ConsignedItem.agreement_id == agreement)
        if consignee is not None:
            statement = statement.where(ConsignedItem.consignee_id == consignee)
        if status is not None:
            statement = statement.where(ConsignedItem.status == status)
        return statement.order_by(ConsignedItem.created_at.desc(), ConsignedItem.id)

    async def by_key(self, key: str) -> ConsignedItem | None:
        found: ConsignedItem | None = await self.session.scalar(
            select(ConsignedItem).where(ConsignedItem.idempotency_key == key)
        )
        return found

    async def save(self, item: ConsignedItem) -> ConsignedItem:
        self.session.add(item)
        await self.session.flush()
        await self.session.refresh(item)
        return item

    # -- the sale path (Core statements: no ORM unit of work) ---------------------------------

    async def on_floor_with_terms(self, item_ids: Collection[uuid.UUID]) -> list[Row[Any]]:
        """The consigned items among the units, locked, with their agreement version's terms."""
        statement = (
            select(
                ITEMS.c.id,
                ITEMS.c.item_id,
                ITEMS.c.consignee_id,
                ITEMS.c.agreement_id,
                ITEMS.c.category,
                AGREEMENTS.c.share_percent,
                AGREEMENTS.c.tiers,
                AGREEMENTS.c.category_shares,
                AGREEMENTS.c.fee_per_item,
            )
            .join(AGREEMENTS, AGREEMENTS.c.id == ITEMS.c.agreement_id)
            .where(ITEMS.c.item_id.in_(list(item_ids)), ITEMS.c.status == ConsignedStatus.on_floor)
            .order_by(ITEMS.c.id)
            .with_for_update(of=ITEMS)
        )
        return list((await self.session.execute(statement)).all())

    async def record_sold(self, entries: list[dict[str, Any]], at: datetime) -> None:
        """The ledger's shares, and their items sold at their sale price."""
        await self.session.execute(insert(LEDGER), entries)
        for entry in entries:
            await self.session.execute(
                update(ITEMS)
                .where(ITEMS.c.id == entry["consigned_item_id"])
                .values(
                    status=ConsignedStatus.sold,
                    sold_price=entry["price"] - entry["discount"],
                    share_amount=entry["amount"],
                    sold_at=at,
                    updated_at=func.now(),
                )
            )

    async def shares_of_sale(self, sale_id: uuid.UUID) -> list[Row[Any]]:
        """The sale's owed shares, locked (a payout generating at once waits for the void)."""
        statement = (
            select(LEDGER)
            .where(
                LEDGER.c.sale_id == sale_id,
                LEDGER.c.kind == EntryKind.share,
                LEDGER.c.status == EntryStatus.owed,
            )
            .order_by(LEDGER.c.id)
            .with_for_update()
        )
        return list((await self.session.execute(statement)).all())

    async def cancel(self, entry_ids: list[uuid.UUID]) -> None:
        await self.session.execute(
            update(LEDGER).where(LEDGER.c.id.in_(entry_ids)).values(status=EntryStatus.cancelled)
        )

    async def add_entries(self, entries: list[dict[str, Any]]) -> None:
        await self.session.execute(insert(LEDGER), entries)

    async def back_on_floor(self, consigned_ids: list[uuid.UUID]) -> None:
        await self.session.execute(
            update(ITEMS)
            .where(ITEMS.c.id.in_(consigned_ids))
            .values(
                status=ConsignedStatus.on_floor,
                sold_price=None,
                share_amount=None,
                sold_at=None,
                updated_at=func.now(),
            )
        )

    async def units_of(self, consigned_ids: list[uuid.UUID]) -> list[Row[Any]]:
        statement = select(ITEMS.c.id, ITEMS.c.item_id).where(ITEMS.c.id.in_(consigned_ids))
        return list((await self.session.execute(statement)).all())
