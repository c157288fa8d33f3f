"""The safe for a store's managers: its status, cash drawn out to a drawer or returned from
one, audits by count, and its movements. Every change is a ``ledger.record`` row; a drawer
on the other side gets its own movement in the same transaction, so the safe and the drawer
never disagree about where the cash went."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, Unprocessable
from common.roles import Principal
from common.scope import scoped
from pos.drawers.service import expected_cash, move
from pos.models import Drawer, SafeTransaction, Store
from pos.money import ZERO
from pos.safe import ledger
from pos.safe.schemas import LastAudit, SafeAuditIn, SafeMovementIn, SafeStatus
from pos.store_time import store_today, zone_of
from pos.stores import store_or_only_own, store_to_act_on


class SafeService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor

    def listing(self, store: uuid.UUID | None, kind: str | None) -> Select[Any]:
        statement = scoped(select(SafeTransaction), SafeTransaction.store_id, self.actor)
        if store is not None:
            statement = statement.where(SafeTransaction.store_id == store)
        if kind is not None:
            statement = statement.where(SafeTransaction.kind == kind)
        return statement.order_by(SafeTransaction.id.desc())

    async def status(self, store_id: uuid.UUID | None) -> SafeStatus:
        store = await store_to_act_on(
            self.session, self.actor, store_or_only_own(self.actor, store_id), "store"
        )
        audit = await self.session.scalar(
            select(SafeTransaction)
            .where(SafeTransaction.store_id == store.id, SafeTransaction.kind == "audit")
            .order_by(SafeTransaction.id.desc())
            .limit(1)
        )
        return SafeStatus(
            store_id=store.id,
            balance=await ledger.balance(self.session, store.id),
            last_audit=None if audit is None else LastAudit.of(audit),
            transactions_today=await self._count_today(store),
        )

    async def draw(self, body: SafeMovementIn) -> tuple[SafeTransaction, Decimal | None]:
        """Cash out of the safe, into the drawer when one is named: (the row, drawer's cash)."""
        await store_to_act_on(self.session, self.actor, body.store_id, "store_id")
        drawer = await self._open_drawer(body)
        row = await ledger.record(
            self.session,
            body.store_id,
            "draw",
            -body.amount,
            self.actor.user_id,
            note=body.note,
            drawer_id=body.drawer_id,
        )
        if drawer is None:
            return row, None
        self.session.add(
            move(drawer, "supplemental_draw", body.amount, self.actor.user_id, note=body.note)
        )
        await self.session.flush()
        return row, await expected_cash(self.session, drawer.id)

    async def return_cash(self, body: SafeMovementIn) -> tuple[SafeTransaction, Decimal | None]:
        """Cash back into the safe, out of the drawer when one is named (never more than it
        should hold)."""
        await store_to_act_on(self.session, self.actor, body.store_id, "store_id")
        drawer = await self._open_drawer(body)
        if drawer is not None:
            holds = await expected_cash(self.session, drawer.id)
            if body.amount > holds:
                raise Conflict(
                    f"Drawer {drawer.id} should hold {holds:.2f}; it cannot return "
                    f"{body.amount:.2f}."
                )
            self.session.add(
                move(
                    drawer, "supplemental_return", -body.amount, self.actor.user_id, note=body.note
                )
            )
        row = await ledger.record(
            self.session,
            body.store_id,
            "return",
            body.amount,
            self.actor.user_id,
            note=body.note,
            drawer_id=body.drawer_id,
        )
        if drawer is None:
            return row, None
        return row, await expected_cash(self.session, drawer.id)

    async def audit(self, body: SafeAuditIn) -> SafeTransaction:
        """The count becomes the balance; the row keeps what was expected and the variance."""
        await store_to_act_on(self.session, self.actor, body.store_id, "store_id")
        return await ledger.record(
            self.session,
            body.store_id,
            "audit",
            ZERO,
            self.actor.user_id,
            note=body.note,
            counted=body.counted_amount,
        )

    async def _open_drawer(self, body: SafeMovementIn) -> Drawer | None:
        """The named drawer, locked like a drop locks it: open and in the body's store."""
        if body.drawer_id is None:
            return None
        drawer = (
            await self.session.execute(
                select(Drawer).where(Drawer.id == body.drawer_id).with_for_update(of=Drawer)
            )
        ).scalar_one_or_none()
        if drawer is None:
            raise Unprocessable(f"drawer_id: no drawer {body.drawer_id}.")
        if drawer.store_id != body.store_id:
            raise Unprocessable(
                f"drawer_id: drawer {drawer.id} is in another store than {body.store_id}."
            )
        if drawer.status != "open":
            raise Conflict(
                f"Drawer {drawer.id} is closed; only an open drawer takes or gives cash."
            )
        return drawer

    async def _count_today(self, store: Store) -> int:
        """Movements since midnight in the store's time zone."""
        now = datetime.now(UTC)
        midnight = datetime.combine(
            store_today(store.time_zone, now), time(), zone_of(store.time_zone)
        )
        count = await self.session.scalar(
            select(func.count())
            .select_from(SafeTransaction)
            .where(SafeTransaction.store_id == store.id, SafeTransaction.created_at >= midnight)
        )
        return int(count or 0)
