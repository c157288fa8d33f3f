"""The counts and deletes of an order's artifacts that no single domain owns."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.manifests.models import ManifestRow, RawRow
from inventory.orders.models import OrderAttachment, OrderReceipt, OrderTransition


class ResetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, model: type, order_id: uuid.UUID) -> int:
        column = getattr(model, "order_id")  # noqa: B009  (every counted model has one)
        return int(await self.session.scalar(select(func.count()).where(column == order_id)) or 0)

    async def raw_rows(self, manifest_id: uuid.UUID | None) -> int:
        if manifest_id is None:
            return 0
        return int(
            await self.session.scalar(select(func.count()).where(RawRow.manifest_id == manifest_id))
            or 0
        )

    async def attachment_keys(self, order_id: uuid.UUID) -> list[str]:
        rows = await self.session.execute(
            select(OrderAttachment.storage_key).where(OrderAttachment.order_id == order_id)
        )
        return list(rows.scalars())

    async def jobs(self, order_id: uuid.UUID) -> int:
        return int(
            await self.session.scalar(
                text("SELECT count(*) FROM intake_jobs WHERE order_id = :order"),
                {"order": order_id},
            )
            or 0
        )


COUNTED = {
    "manifest rows": ManifestRow,
    "receipts": OrderReceipt,
    "attachments": OrderAttachment,
    "transitions": OrderTransition,
}
