"""Queries on payouts and the ledger rows they take: one payout per consignee and period
(``INSERT ... ON CONFLICT DO NOTHING`` on the unique constraint: two generations at once
make one)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from common.roles import Principal
from common.scope import scoped
from pos.consignment.models import (
    Agreement,
    AgreementStatus,
    Consignee,
    EntryStatus,
    LedgerEntry,
    Payout,
    PayoutStatus,
)
from pos.db import table_of
from pos.repository import Repository
from pos.shops.models import Store

PAYOUTS = table_of(Payout)
LEDGER = table_of(LedgerEntry)


class PayoutRepository(Repository):
    async def get(self, payout_id: uuid.UUID, *, lock: bool = False) -> Payout | None:
        return await self.session.get(Payout, payout_id, with_for_update=lock)

    def listing(
        self,
        actor: Principal | None,
        *,
        consignee: str | None = None,
        status: PayoutStatus | None = None,
    ) -> Select[Any]:
        statement = select(Payout)
        if actor is not None:
            statement = scoped(statement, Payout.store_id, actor)
        if consignee is not None:
            statement = statement.where(Payout.consignee_id == consignee)
        if status is not None:
            statement = statement.where(Payout.status == status)
        return statement.order_by(Payout.period_end.desc(), Payout.consignee_id)

    async def of_period(self, consignee_ids: list[str], start: date, end: date) -> list[Payout]:
        statement = (
            select(Payout)
            .where(
                Payout.consignee_id.in_(consignee_ids),
                Payout.period_start == start,
                Payout.period_end == end,
            )
            .order_by(Payout.consignee_id)
            .execution_options(populate_existing=True)
        )
        return list(await self.session.scalars(statement))

    async def to_pay(
        self,
        actor: Principal,
        *,
        store: uuid.UUID | None,
        consignee: str | None,
        start: date,
        end: date,
        time_zone: str,
        until: datetime,
    ) -> list[Row[Any]]:
        """(user_id, store_id) of the caller's consignees in stores of ``time_zone`` with
        ledger rows no payout took up to ``until`` (exclusive), or with a payout for the
        period already."""
        owed = select(LEDGER.c.id).where(
            LEDGER.c.consignee_id == Consignee.user_id,
            LEDGER.c.payout_id.is_(None),
            LEDGER.c.status == EntryStatus.owed,
            LEDGER.c.occurred_at < until,
        )
        has_payout = select(PAYOUTS.c.id).where(
            PAYOUTS.c.consignee_id == Consignee.user_id,
            PAYOUTS.c.period_start == start,
            PAYOUTS.c.period_end == end,
        )
        statement = scoped(
            select(Consignee.user_id, Consignee.store_id), Consignee.store_id, actor
        ).where(
            or_(owed.exists(), has_payout.exists()),
            Consignee.store_id.in_(select(Store.id).where(Store.time_zone == time_zone)),
        )
        if store is not None:
            statement = statement.where(Consignee.store_id == store)
        if consignee is not None:
            statement = statement.where(Consignee.user_id == consignee)
        return list((await self.session.execute(statement.order_by(Consignee.user_id))).all())

    async def time_zones(
        self, actor: Principal, *, store: uuid.UUID | None, consignee: str | None
    ) -> list[str]:
        """The time zones of the stores of the caller's consignees (of ``store``, or of the
        one ``consignee``): each cuts its periods at its own midnight."""
        statement = scoped(
            select(Store.time_zone).join(Consignee, Consignee.store_id == Store.id),
            Consignee.store_id,
            actor,
        )
        if store is not None:
            statement = statement.where(Consignee.store_id == store)
        if consignee is not None:
            statement = statement.where(Consignee.user_id == consignee)
        return list(await self.session.scalars(statement.distinct().order_by(Store.time_zone)))

    async def claim(self, values: dict[str, Any]) -> uuid.UUID | None:
        """A new payout for its consignee and period; None when one exists (or is being made
        by a concurrent call: this waits for it, then does nothing)."""
        statement = (
            insert(PAYOUTS)
            .values(values)
            .on_conflict_do_nothing(constraint="uq_consignment_payouts_period")
            .returning(PAYOUTS.c.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def open_entries(self, consignee_id: str, until: datetime) -> list[Row[Any]]:
        statement = (
            select(LEDGER.c.id, LEDGER.c.kind, LEDGER.c.amount)
            .where(
                LEDGER.c.consignee_id == consignee_id,
                LEDGER.c.payout_id.is_(None),
                LEDGER.c.status == EntryStatus.owed,
                LEDGER.c.occurred_at < until,
            )
            .order_by(LEDGER.c.id)
            .with_for_update()
        )
        return list((await self.session.execute(statement)).all())

    async def minimum_payout(self, consignee_id: str) -> Decimal:
        """The minimum payout of the consignee's newest active agreement (0 without one)."""
        statement = (
            select(Agreement.minimum_payout)
            .where(
                Agreement.consignee_id == consignee_id,
                Agreement.status == AgreementStatus.active,
            )
            .order_by(Agreement.created_at.desc())
            .limit(1)
        )
        found = await self.session.scalar(statement)
        return Decimal(found) if found is not None else Decimal("0.00")

    async def take(self, payout_id: uuid.UUID, entry_ids: list[uuid.UUID]) -> None:
        await self.session.execute(
            update(LEDGER).where(LEDGER.c.id.in_(entry_ids)).values(payout_id=payout_id)
        )

    async def release(self, payout_id: uuid.UUID) -> None:
        await self.session.execute(
            update(LEDGER).where(LEDGER.c.payout_id == payout_id).values(payout_id=None)
        )

    async def set_amounts(self, payout_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self.session.execute(
            update(PAYOUTS).where(PAYOUTS.c.id == payout_id).values(**values, updated_at=func.now())
        )

    async def save(self, payout: Payout) -> Payout:
        self.session.add(payout)
        await self.session.flush()
        await self.session.refresh(payout)
        return payout

    async def remove(self, payout: Payout) -> None:
        await self.session.delete(payout)
        await self.session.flush()
