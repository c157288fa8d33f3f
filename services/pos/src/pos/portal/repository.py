"""The portal's counts over a consignee's own items and ledger."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from common.money import ZERO
from pos.consignment.models import ConsignedItem, ConsignedStatus
from pos.repository import Repository


class PortalRepository(Repository):
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
