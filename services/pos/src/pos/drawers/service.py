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

from sqlalchemy import Select, cast, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Date

from common.errors import Conflict, NotFound, PermissionDenied, Unprocessable
from common.roles import Principal, Role
from common.scope import check_store, scoped
from pos.drawers.schemas import DrawerClose, DrawerDrop, DrawerHandoff, DrawerOpen
from pos.events import drawer_payload, outbox
from pos.models import Cart, CartLine, Drawer, DrawerMovement, Register, Store
from pos.money import ZERO
from pos.safe import ledger as safe


async def expected_cash(session: AsyncSession, drawer_id: uuid.UUID) -> Decimal:
    total = await session.scalar(
        select(func.coalesce(func.sum(DrawerMovement.amount), ZERO)).where(
            DrawerMovement.drawer_id == drawer_id
        )
    )
    return ZERO if total is None else Decimal(total)


def move(drawer: Drawer, kind: str, amount: Decimal, actor: str, **extra: Any) -> DrawerMovement:
    return DrawerMovement(drawer_id=drawer.id, kind=kind, amount=amount, actor=actor, **extra)


class DrawerService:
    def __init__(self, session: AsyncSession, actor: Principal) -> None:
        self.session = session
        self.actor = actor

    def listing(
        self,
        register: uuid.UUID | None,
        day: date | None,
        status: str | None,
        cashier: str | None,
    ) -> Select[Any]:
        statement = scoped(select(Drawer), Drawer.store_id, self.actor)
        if register is not None:
            statement = statement.where(Drawer.register_id == register)
        if status is not None:
            statement = statement.where(Drawer.status == status)
        if cashier is not None:
            statement = statement.where(Drawer.cashier_id == cashier)
        if day is not None:  # the day the drawer opened, in its store's time zone
            local = func.timezone(Store.time_zone, Drawer.opened_at)
            statement = statement.join(Store, Store.id == Drawer.store_id).where(
                cast(local, Date) == day
            )
        return statement

    async def get(self, drawer_id: uuid.UUID, *, lock: bool = False) -> Drawer:
        statement = select(Drawer).where(Drawer.id == drawer_id)
        if lock:
            statement = statement.with_for_update(of=Drawer)
        drawer = (await self.session.execute(statement)).scalar_one_or_none()
        if drawer is None:
            raise NotFound("No such drawer.")
        check_store(self.actor, drawer.store_id)
        return drawer

    async def expected(self, drawer: Drawer) -> Decimal:
        return await expected_cash(self.session, drawer.id)

    async def movements(self, drawer_id: uuid.UUID) -> list[DrawerMovement]:
        await self.get(drawer_id)
        rows = await self.session.scalars(
            select(DrawerMovement)
            .where(DrawerMovement.drawer_id == drawer_id)
            .order_by(DrawerMovement.id)
        )
        return list(rows)

    async def open(self, body: DrawerOpen) -> Drawer:
        register = await self.session.get(Register, body.register_id)
        if register is None:
            raise Unprocessable(f"register_id: no register {body.register_id}.")
        check_store(self.actor, register.store_id)
        if not register.is_active:
            raise Conflict(f"Register {register.code} is not active.")
        assert body.opening_amount is not None  # the schema settles it
        return await self._open(
            register,
            self.actor.user_id,
            body.opening_amount,
            body.opening_denominations,
            body.notes,
        )

    async def _open(
        self,
        register: Register,
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
                self.session.add(drawer)
                await self.session.flush()
        except IntegrityError as exc:
            open_one = await self.session.scalar(
                select(Drawer.id).where(Drawer.register_id == register.id, Drawer.status == "open")
            )
            raise Conflict(
                f"Register {register.code} already has drawer {open_one} open; close it or "
                "hand it off first."
            ) from exc
        self.session.add(move(drawer, "opening", amount, self.actor.user_id))
        await self.session.flush()
        await self.session.refresh(drawer)
        await outbox.add(
            self.session, "pos.drawer.opened", drawer_payload(drawer), actor=self.actor.user_id
        )
        return drawer

    async def close(self, drawer_id: uuid.UUID, body: DrawerClose) -> Drawer:
        drawer = await self._closable(drawer_id)
        busy = await self._open_carts_with_lines(drawer)
        if busy:
            raise Conflict(
                f"Drawer has open carts with items: {', '.join(busy)}; complete or empty them."
            )
        await self._discard_empty_carts(drawer)
        assert body.counted_amount is not None
        await self._settle(drawer, body.counted_amount, body.counted_denominations, body.notes)
        return drawer

    async def handoff(self, drawer_id: uuid.UUID, body: DrawerHandoff) -> tuple[Drawer, Drawer]:
        """Close the outgoing count and open the incoming cashier's drawer on the same
        register with the counted cash; open carts move to the new drawer and cashier."""
        drawer = await self._closable(drawer_id)
        if body.incoming_cashier_id == drawer.cashier_id:
            raise Unprocessable("incoming_cashier_id: the drawer is already theirs.")
        assert body.counted_amount is not None
        await self._settle(drawer, body.counted_amount, body.counted_denominations, body.notes)
        register = await self.session.get(Register, drawer.register_id)
        assert register is not None
        incoming = await self._open(
            register,
            body.incoming_cashier_id,
            body.counted_amount,
            body.counted_denominations,
            f"Handed off from drawer {drawer.id}",
        )
        drawer.handed_off_to_id = incoming.id
        await self.session.execute(
            update(Cart)
            .where(Cart.drawer_id == drawer.id, Cart.status == "open")
            .values(drawer_id=incoming.id, cashier_id=incoming.cashier_id)
        )
        await self.session.flush()
        return drawer, incoming

    async def drop(self, drawer_id: uuid.UUID, body: DrawerDrop) -> Drawer:
        """Cash from the drawer into the store's safe."""
        drawer = await self._closable(drawer_id)
        holds = await self.expected(drawer)
        if body.amount > holds:
            raise Conflict(f"The drawer should hold {holds:.2f}; it cannot drop {body.amount:.2f}.")
        self.session.add(move(drawer, "drop", -body.amount, self.actor.user_id, note=body.note))
        await safe.record(
            self.session,
            drawer.store_id,
            "drop",
            body.amount,
            self.actor.user_id,
            note=body.note,
            drawer_id=drawer.id,
        )
        await self.session.flush()
        return drawer

    async def _closable(self, drawer_id: uuid.UUID) -> Drawer:
        drawer = await self.get(drawer_id, lock=True)
        if drawer.status != "open":
            raise Conflict(f"Drawer {drawer.id} was closed at {drawer.closed_at:%Y-%m-%d %H:%M}.")
        self._check_own_or_manager(drawer)
        return drawer

    def _check_own_or_manager(self, drawer: Drawer) -> None:
        if drawer.cashier_id != self.actor.user_id and not self.actor.has_role(Role.branch_head):
            raise PermissionDenied("Only the drawer's cashier or a branch head may do this.")

    async def _settle(
        self, drawer: Drawer, counted: Decimal, denominations: dict[str, int], notes: str
    ) -> None:
        expected = await self.expected(drawer)
        drawer.status = "closed"
        drawer.closed_at = datetime.now(UTC)
        drawer.closed_by = self.actor.user_id
        drawer.counted_amount = counted
        drawer.counted_denominations = denominations
        drawer.expected_amount = expected
        drawer.variance = counted - expected
        if notes:
            drawer.notes = f"{drawer.notes}\n{notes}".strip()
        await self.session.flush()
        await outbox.add(
            self.session, "pos.drawer.closed", drawer_payload(drawer), actor=self.actor.user_id
        )

    async def _open_carts_with_lines(self, drawer: Drawer) -> list[str]:
        rows = await self.session.scalars(
            select(Cart.id)
            .where(Cart.drawer_id == drawer.id, Cart.status == "open")
            .where(select(CartLine.id).where(CartLine.cart_id == Cart.id).exists())
        )
        return [str(cart) for cart in rows]

    async def _discard_empty_carts(self, drawer: Drawer) -> None:
        await self.session.execute(
            delete(Cart).where(Cart.drawer_id == drawer.id, Cart.status == "open")
        )
