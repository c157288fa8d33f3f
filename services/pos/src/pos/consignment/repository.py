"""Queries over consignment's tables that more than one of its domains needs: what a
consignee is owed now, what they were paid, their items on the floor."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from common.money import ZERO
from pos.consignment.models import (
    ConsignedItem,
    ConsignedStatus,
    EntryStatus,
    LedgerEntry,
    Payout,
    PayoutStatus,
)
from pos.repository import Repository


class BalanceRepository(Repository):
    async def owed_now(self, consignee_id: str) -> Decimal:
        """Σ of the ledger rows no payout has taken yet (shares less adjustments)."""
        statement = select(func.coalesce(func.sum(LedgerEntry.amount), ZERO)).where(
            LedgerEntry.consignee_id == consignee_id,
            LedgerEntry.status == EntryStatus.owed,
            LedgerEntry.payout_id.is_(None),
        )
        return Decimal(await self.session.scalar(statement) or ZERO)

    async def unpaid_payouts(self, consignee_id: str) -> Decimal:
        statement = select(func.coalesce(func.sum(Payout.amount), ZERO)).where(
            Payout.consignee_id == consignee_id, Payout.status == PayoutStatus.pending
        )
        return Decimal(await self.session.scalar(statement) or ZERO)

    async def paid_to_date(self, consignee_id: str) -> Decimal:
        statement = select(func.coalesce(func.sum(Payout.amount), ZERO)).where(
            Payout.consignee_id == consignee_id, Payout.status == PayoutStatus.paid
        )
        return Decimal(await self.session.scalar(statement) or ZERO)

    async def on_floor(self, consignee_id: str) -> int:
        statement = select(func.count()).where(
            ConsignedItem.consignee_id == consignee_id,
            ConsignedItem.status == ConsignedStatus.on_floor,
        )
        return int(await self.session.scalar(statement) or 0)
