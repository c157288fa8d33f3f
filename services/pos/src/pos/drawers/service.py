"""Drawers: one cashier's cash on one register. Every movement of cash is a row, so the
expected amount is always the sum of the drawer's movements:

    expected = opening + cash sales - change - drops + supplemental draws - returns - refunds

One drawer is open per register (a unique partial index); closing locks the drawer row, so
of two concurrent closes exactly one succeeds and the other gets 409."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, PermissionDenied, Unprocessable
from common.pagination import PageParams
from common.roles import Principal, Role
from common.scope import check_store
from pos.carts.repository import CartRepository
from pos.cash.models import Drawer, DrawerStatus, MovementKind, SafeKind
from pos.cash.repository import CashRepository
from pos.cash.service import CashLedger
from pos.drawers.repository import DrawerRepository
from pos.drawers.schemas import DrawerClose, DrawerDrop, DrawerHandoff, DrawerOpen
from pos.events.contracts import DrawerChanged
from pos.events.outbox import outbox
from pos.registers.models import Register


def drawer_event(drawer: Drawer) -> DrawerChanged:
    return DrawerChanged(
        drawer_id=drawer.id,
        register_id=drawer.register_id,
        store_id=drawer.store_id,
        cashier_id=drawer.cashier_id,
        status=drawer.status,
        opening_amount=drawer.opening_amount,
        expected_amount=drawer.expected_amount,
        counted_amount=drawer.counted_amount,
        variance=drawer.variance,
        opened_at=drawer.opened_at,
        closed_at=drawer.closed_at,
    )


class DrawerService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.drawers = DrawerRepository(session)
        self.cash = CashRepository(session)
        self.ledger = CashLedger(session)
        self.carts = CartRepository(session)
        self.actor = actor

    async def listing(
        self,
        page: PageParams,
        *,
        register: uuid.UUID | None = None,
        day: date | None = None,
        status: DrawerStatus | None = None,
        cashier: str | None = None,
        ordering: str | None = None,
    ) -> tuple[int, list[Row[Any]]]:
        statement = self.drawers.listing(
            self.actor,
            register=register,
            day=day,
            status=status,
            cashier=cashier,
            ordering=ordering,
        )
        return await self.drawers.page(statement, page, scalars=False)

    async def get(self, drawer_id: uuid.UUID) -> Row[Any]:
        """The drawer as shown: with its register's code and the cash it should hold."""
        return await self.drawers.view((await self._drawer(drawer_id)).id)

    async def movements(self, drawer_id: uuid.UUID) -> list[Row[Any]]:
        await self._drawer(drawer_id)
        return await self.cash.movements(drawer_id)

    async def open(self, body: DrawerOpen) -> Row[Any]:
        register = await self.drawers.register(body.register_id)
        if register is None:
            raise Unprocessable(f"register_id: no register {body.register_id}.")
        check_store(self.actor, register.store_id)
        if not register.is_active:
            raise Conflict(f"Register {register.code} is not active.")
        drawer = await self._open(
            register,
            cashier=self.actor.user_id,
            amount=body.opening,
            denominations=body.opening_denominations,
            notes=body.notes,
        )
        return await self.drawers.view(drawer.id)

    async def close(self, drawer_id: uuid.UUID, body: DrawerClose) -> Row[Any]:
        drawer = await self._closable(drawer_id)
        busy = await self.carts.open_carts_with_lines(drawer.id)
        if busy:
            raise Conflict(
                f"Drawer has open carts with items: {', '.join(map(str, busy))}; complete or "
                "empty them."
            )
        await self.carts.discard_open_carts(drawer.id)
        await self._settle(drawer, body.counted, body.counted_denominations, body.notes)
        return await self.drawers.view(drawer.id)

    async def handoff(self, drawer_id: uuid.UUID, body: DrawerHandoff) -> tuple[Row[Any], Row[Any]]:
        """Close the outgoing count and open the incoming cashier's drawer on the same
        register with the counted cash; open carts move to the new drawer and cashier."""
        drawer = await self._closable(drawer_id)
        if body.incoming_cashier_id == drawer.cashier_id:
            raise Unprocessable("incoming_cashier_id: the drawer is already theirs.")
        await self._settle(drawer, body.counted, body.counted_denominations, body.notes)
        register = await self.drawers.register(drawer.register_id)
        if register is None:  # the foreign key keeps it; a broken row is no client's fault
            raise Conflict(f"Drawer {drawer.id} names no register.")
        incoming = await self._open(
            register,
            cashier=body.incoming_cashier_id,
            amount=body.counted,
            denominations=body.counted_denominations,
            notes=f"Handed off from drawer {drawer.id}",
        )
        drawer.handed_off_to_id = incoming.id
        await self.carts.move_open_carts(drawer.id, to=incoming.id, cashier=incoming.cashier_id)
        await self.session.flush()
        return await self.drawers.view(drawer.id), await self.drawers.view(incoming.id)

    async def drop(self, drawer_id: uuid.UUID, body: DrawerDrop) -> Row[Any]:
        """Cash from the drawer into the store's safe."""
        drawer = await self._closable(drawer_id)
        holds = await self.cash.expected(drawer.id)
        if body.amount > holds:
            raise Conflict(f"The drawer should hold {holds:.2f}; it cannot drop {body.amount:.2f}.")
        await self.ledger.move(
            drawer.id, MovementKind.drop, -body.amount, actor=self.actor.user_id, note=body.note
        )
        await self.ledger.record_safe(
            drawer.store_id,
            SafeKind.drop,
            body.amount,
            actor=self.actor.user_id,
            note=body.note,
            drawer_id=drawer.id,
        )
        return await self.drawers.view(drawer.id)

    # -- rules ----------------------------------------------------------------------------

    async def _drawer(self, drawer_id: uuid.UUID, *, lock: bool = False) -> Drawer:
        drawer = await self.cash.drawer(drawer_id, lock=lock)
        if drawer is None:
            raise NotFound("No such drawer.")
        check_store(self.actor, drawer.store_id)
        return drawer

    async def _open(
        self,
        register: Register,
        *,
        cashier: str,
        amount: Decimal,
        denominations: dict[str, int],
        notes: str,
    ) -> Drawer:
        drawer = Drawer(
            register_id=register.id,
            store_id=register.store_id,
            cashier_id=cashier,
            opening_amount=amount,
            opening_denominations=denominations,
            notes=notes,
        )
        try:
            async with self.session.begin_nested():
                await self.drawers.add(drawer)
        except IntegrityError as exc:
            open_one = await self.cash.open_drawer_id(register.id)
            raise Conflict(
                f"Register {register.code} already has drawer {open_one} open; close it or "
                "hand it off first."
            ) from exc
        await self.ledger.move(drawer.id, MovementKind.opening, amount, actor=self.actor.user_id)
        await self.session.refresh(drawer)
        await outbox.publish(
            self.session,
            drawer_event(drawer),
            subject="pos.drawer.opened",
            actor=self.actor.user_id,
        )
        return drawer

    async def _closable(self, drawer_id: uuid.UUID) -> Drawer:
        drawer = await self._drawer(drawer_id, lock=True)
        if drawer.status != DrawerStatus.open:
            closed = f" at {drawer.closed_at:%Y-%m-%d %H:%M}" if drawer.closed_at else ""
            raise Conflict(f"Drawer {drawer.id} was closed{closed}.")
        if drawer.cashier_id != self.actor.user_id and not self.actor.has_role(Role.branch_head):
            raise PermissionDenied("Only the drawer's cashier or a branch head may do this.")
        return drawer

    async def _settle(
        self, drawer: Drawer, counted: Decimal, denominations: dict[str, int], notes: str
    ) -> None:
        expected = await self.cash.expected(drawer.id)
        drawer.status = DrawerStatus.closed
        drawer.closed_at = datetime.now(UTC)
        drawer.closed_by = self.actor.user_id
        drawer.counted_amount = counted
        drawer.counted_denominations = denominations
        drawer.expected_amount = expected
        drawer.variance = counted - expected
        if notes:
            drawer.notes = f"{drawer.notes}\n{notes}".strip()
        await self.session.flush()
        await outbox.publish(
            self.session,
            drawer_event(drawer),
            subject="pos.drawer.closed",
            actor=self.actor.user_id,
        )
