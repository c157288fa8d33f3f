"""Every query on purchase orders: orders and lines, numbers, transitions, receipts and
attachments."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, String, cast, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, paginate
from common.roles import Principal
from common.scope import scoped
from inventory.orders.models import (
    OrderAttachment,
    OrderReceipt,
    OrderTransition,
    PurchaseOrder,
)

# the counter row stays locked until the transaction ends: concurrent creators queue here,
# and a rolled-back creation gives its number back (gapless)
NEXT_NUMBER = text(
    "INSERT INTO purchase_order_counters (year, last) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last = purchase_order_counters.last + 1 "
    "RETURNING last"
)


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, order_id: uuid.UUID, *, lock: bool = False) -> PurchaseOrder | None:
        statement = select(PurchaseOrder).where(PurchaseOrder.id == order_id)
        if lock:
            statement = statement.with_for_update(of=PurchaseOrder).execution_options(
                populate_existing=True
            )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def store_of(self, order_id: uuid.UUID) -> uuid.UUID | None:
        store: uuid.UUID | None = await self.session.scalar(
            select(PurchaseOrder.store_id).where(PurchaseOrder.id == order_id)
        )
        return store

    @staticmethod
    def ids_in_stores(stores: set[uuid.UUID]) -> Select[Any]:
        """The ids (as text, as approval flows name them) of these stores' orders."""
        return select(cast(PurchaseOrder.id, String)).where(PurchaseOrder.store_id.in_(stores))

    async def number_taken(self, number: str) -> bool:
        found = await self.session.scalar(
            select(PurchaseOrder.id).where(PurchaseOrder.number == number)
        )
        return found is not None

    async def next_number(self, year: int) -> int:
        return int(await self.session.scalar(NEXT_NUMBER, {"year": year}))

    async def add(self, order: PurchaseOrder) -> None:
        self.session.add(order)
        await self.session.flush()

    async def save(self, row: PurchaseOrder | OrderReceipt | OrderAttachment) -> None:
        await self.session.flush()
        await self.session.refresh(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def delete(self, row: PurchaseOrder | OrderAttachment) -> None:
        await self.session.delete(row)
        await self.session.flush()

    def add_row(self, row: OrderTransition | OrderReceipt | OrderAttachment) -> None:
        self.session.add(row)

    async def transitions(self, order_id: uuid.UUID) -> list[OrderTransition]:
        rows = await self.session.execute(
            select(OrderTransition)
            .where(OrderTransition.order_id == order_id)
            .order_by(OrderTransition.id)
        )
        return list(rows.scalars())

    async def receipts(self, order_id: uuid.UUID) -> list[OrderReceipt]:
        rows = await self.session.execute(
            select(OrderReceipt)
            .where(OrderReceipt.order_id == order_id)
            .order_by(OrderReceipt.received_at)
        )
        return list(rows.scalars())

    async def attachment(self, attachment_id: uuid.UUID) -> OrderAttachment | None:
        return await self.session.get(OrderAttachment, attachment_id)

    async def attachments(self, order_id: uuid.UUID) -> list[OrderAttachment]:
        rows = await self.session.execute(
            select(OrderAttachment)
            .where(OrderAttachment.order_id == order_id)
            .order_by(OrderAttachment.uploaded_at)
        )
        return list(rows.scalars())

    async def listing(
        self,
        principal: Principal,
        *,
        vendor: uuid.UUID | None,
        status: str | None,
        store: uuid.UUID | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        statement = scoped(select(PurchaseOrder), PurchaseOrder.store_id, principal)
        if vendor is not None:
            statement = statement.where(PurchaseOrder.vendor_id == vendor)
        if status:
            statement = statement.where(PurchaseOrder.status == status)
        if store is not None:
            statement = statement.where(PurchaseOrder.store_id == store)
        statement = statement.order_by(PurchaseOrder.created_at.desc(), PurchaseOrder.id)
        return await paginate(self.session, statement, page)
