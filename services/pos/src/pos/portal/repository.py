"""The portal's counts over a consignee's own items and ledger."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from common.money import ZERO
from pos.consignment.models import ConsignedItem, ConsignedStatus, Consignee
from pos.repository import Repository
from pos.shops.models import Store


class PortalRepository(Repository):
    async def time_zone_of(self, consignee_id: str) -> str:
        """The time zone of the consignee's store (UTC without an account)."""
        statement = (
            select(Store.time_zone)
            .join(Consignee, Consignee.store_id == Store.id)
            .where(Consignee.user_id == consignee_id)
        )
        return await self.session.scalar(statement) or "UTC"

    async def sold_since(self, consignee_id: str, since: datetime) -> tuple[int, Decimal]:
        statement = select(
            func.count(), func.coalesce(func.sum(ConsignedItem.share_amount), ZERO)
        ).where(
            ConsignedItem.consignee_id == consignee_id,
            ConsignedItem.status == ConsignedStatus.sold,
            ConsignedItem.sold_at >= since,
        )
        count, amount = (await self.session.execute(statement)).one()
        return int(count), Decimal(amount)
