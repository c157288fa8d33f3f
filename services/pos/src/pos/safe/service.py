"""The safe for a store's managers: its status, cash drawn out to a drawer or returned from
one, audits by count, and its movements. Every change is a ``CashLedger.record_safe`` row; a
drawer on the other side gets its own movement in the same transaction, so the safe and the
drawer never disagree about where the cash went."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, Unprocessable
from common.money import ZERO
from common.pagination import PageParams
from common.roles import Principal
from pos.cash.models import DrawerStatus, MovementKind, SafeKind
from pos.cash.repository import CashRepository
from pos.cash.service import CashLedger
from pos.safe.schemas import LastAudit, SafeAuditIn, SafeMovementIn, SafeStatus
from pos.shops.repository import StoreRepository
from pos.shops.service import store_or_only_own, store_to_act_on
from pos.store_time import store_today, zone_of


class SafeService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.cash = CashRepository(session)
        self.ledger = CashLedger(session)
        self.stores = StoreRepository(session)
        self.actor = actor

    async def listing(
        self, page: PageParams, *, store: uuid.UUID | None, kind: SafeKind | None
    ) -> tuple[int, list[Row[Any]]]:
        statement = self.cash.safe_listing(self.actor, store, kind)
        return await self.cash.page(statement, page, scalars=False)

    async def status(self, store_id: uuid.UUID | None) -> SafeStatus:
        store = await store_to_act_on(
            self.stores, self.actor, store_or_only_own(self.actor, store_id), "store"
        )
        audit = await self.cash.last_audit(store.id)
        midnight = datetime.combine(
            store_today(store.time_zone, datetime.now(UTC)), time(), zone_of(store.time_zone)
        )
        return SafeStatus(
            store_id=store.id,
            balance=await self.cash.safe_balance(store.id),
            last_audit=None if audit is None else LastAudit.model_validate(audit),
            transactions_today=await self.cash.safe_rows_since(store.id, midnight),
        )

    async def draw(self, body: SafeMovementIn) -> dict[str, Any]:
        """Cash out of the safe, into the drawer when one is named: the row, with the cash
        the drawer should hold after it."""
        await store_to_act_on(self.stores, self.actor, body.store_id, "store_id")
        drawer = await self._open_drawer(body)
        row = await self.ledger.record_safe(
            body.store_id,
            SafeKind.draw,
            -body.amount,
            actor=self.actor.user_id,
            note=body.note,
            drawer_id=body.drawer_id,
        )
        if drawer is None:
            return _with_drawer(row, None)
        await self.ledger.move(
            drawer.id,
            MovementKind.supplemental_draw,
            body.amount,
            actor=self.actor.user_id,
            note=body.note,
        )
        return _with_drawer(row, await self.cash.expected(drawer.id))

    async def return_cash(self, body: SafeMovementIn) -> dict[str, Any]:
        """Cash back into the safe, out of the drawer when one is named (never more than it
        should hold)."""
        await store_to_act_on(self.stores, self.actor, body.store_id, "store_id")
        drawer = await self._open_drawer(body)
        if drawer is not None:
            holds = await self.cash.expected(drawer.id)
            if body.amount > holds:
                raise Conflict(
                    f"Drawer {drawer.id} should hold {holds:.2f}; it cannot return "
                    f"{body.amount:.2f}."
                )
            await self.ledger.move(
                drawer.id,
                MovementKind.supplemental_return,
                -body.amount,
                actor=self.actor.user_id,
                note=body.note,
            )
        row = await self.ledger.record_safe(
            body.store_id,
            SafeKind.return_,
            body.amount,
            actor=self.actor.user_id,
            note=body.note,
            drawer_id=body.drawer_id,
        )
        if drawer is None:
            return _with_drawer(row, None)
        return _with_drawer(row, await self.cash.expected(drawer.id))

    async def audit(self, body: SafeAuditIn) -> dict[str, Any]:
        """The count becomes the balance; the row keeps what was expected and the variance."""
        await store_to_act_on(self.stores, self.actor, body.store_id, "store_id")
        row = await self.ledger.record_safe(
            body.store_id,
            SafeKind.audit,
            ZERO,
            actor=self.actor.user_id,
            note=body.note,
            counted=body.counted_amount,
        )
        return {**row._mapping, "expected_amount": row.counted_amount - row.variance}

    async def _open_drawer(self, body: SafeMovementIn) -> Row[Any] | None:
        """The named drawer, locked like a drop locks it: open and in the body's store."""
        if body.drawer_id is None:
            return None
        drawer = await self.cash.drawer_row(body.drawer_id, lock=True)
        if drawer is None:
            raise Unprocessable(f"drawer_id: no drawer {body.drawer_id}.")
        if drawer.store_id != body.store_id:
            raise Unprocessable(
                f"drawer_id: drawer {drawer.id} is in another store than {body.store_id}."
            )
        if drawer.status != DrawerStatus.open:
            raise Conflict(
                f"Drawer {drawer.id} is closed; only an open drawer takes or gives cash."
            )
        return drawer


def _with_drawer(row: Row[Any], expected: Decimal | None) -> dict[str, Any]:
    return {**row._mapping, "drawer_expected_amount": expected}
