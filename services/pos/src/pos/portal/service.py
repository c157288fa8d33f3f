"""The consignee portal: a consignee's own items, payouts and summary — never another's (an
item of someone else's is "not found", so ids cannot be probed)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import NotFound
from common.pagination import PageParams
from common.roles import Principal
from pos.consigned.repository import ConsignedRepository
from pos.consignment.models import ConsignedItem, ConsignedStatus, Payout, PayoutStatus
from pos.consignment.repository import BalanceRepository
from pos.payouts.repository import PayoutRepository
from pos.portal.repository import PortalRepository
from pos.portal.schemas import SummaryOut
from pos.store_time import zone_of


class PortalService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.items = ConsignedRepository(session)
        self.payouts = PayoutRepository(session)
        self.balances = BalanceRepository(session)
        self.portal = PortalRepository(session)
        self.me = actor.user_id

    async def items_of_mine(
        self, page: PageParams, *, status: ConsignedStatus | None = None
    ) -> tuple[int, list[ConsignedItem]]:
        statement = self.items.listing(None, consignee=self.me, status=status)
        return await self.items.page(statement, page)

    async def item_of_mine(self, consigned_id: uuid.UUID) -> ConsignedItem:
        item = await self.items.get(consigned_id)
        if item is None or item.consignee_id != self.me:
            raise NotFound("No such consigned item.")
        return item

    async def payouts_of_mine(
        self, page: PageParams, *, status: PayoutStatus | None = None
    ) -> tuple[int, list[Payout]]:
        statement = self.payouts.listing(None, consignee=self.me, status=status)
        return await self.payouts.page(statement, page)

    async def summary(self) -> SummaryOut:
        # the store's month: from the 1st at midnight on its clock
        zone = zone_of(await self.portal.time_zone_of(self.me))
        today = datetime.now(UTC).astimezone(zone).date()
        month = datetime.combine(today.replace(day=1), time.min, tzinfo=zone)
        sold, sold_amount = await self.portal.sold_since(self.me, month)
        return SummaryOut(
            items_on_floor=await self.balances.on_floor(self.me),
            sold_this_month=sold,
            sold_this_month_amount=sold_amount,
            owed_now=await self.balances.owed_now(self.me),
            awaiting_payment=await self.balances.unpaid_payouts(self.me),
            paid_to_date=await self.balances.paid_to_date(self.me),
        )
