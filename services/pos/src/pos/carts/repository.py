"""Queries on carts, their lines and the receipt counters.

The cart paths run many times a minute at every register, so they are Core statements that
return rows (no ORM unit of work, no reload): a cart is locked once, its lines read once, and
every write returns the row it wrote (``RETURNING``), which is what the answer shows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, Select, delete, func, null, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import aliased

from common.pagination import PageParams, apply_ordering
from common.roles import Principal
from common.scope import scoped
from pos.carts.models import Cart, CartLine, CartStatus, ReceiptCounter
from pos.db import table_of
from pos.repository import Repository
from pos.shops.models import Store

CARTS = table_of(Cart)
LINES = table_of(CartLine)
COUNTERS = table_of(ReceiptCounter)
STORES = table_of(Store)
ORDERING = {
    "created_at": CARTS.c.created_at,
    "completed_at": CARTS.c.completed_at,
    "total": CARTS.c.total,
}


@dataclass(frozen=True)
class CartView:
    """A cart row and its lines (by line number): the attributes of ``CartOut``."""

    cart: Row[Any]
    lines: list[Row[Any]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cart, name)


class CartRepository(Repository):
    # -- reading --------------------------------------------------------------------------

    def listing(
        self,
        actor: Principal,
        *,
        status: CartStatus | None,
        drawer: uuid.UUID | None,
        receipt_number: str | None,
        ordering: str | None,
    ) -> Select[Any]:
        statement = scoped(select(CARTS), CARTS.c.store_id, actor)
        if status is not None:
            statement = statement.where(CARTS.c.status == status)
        if drawer is not None:
            statement = statement.where(CARTS.c.drawer_id == drawer)
        if receipt_number is not None:
            statement = statement.where(
                func.upper(CARTS.c.receipt_number) == receipt_number.strip().upper()
            )
        return apply_ordering(
            statement, ordering, ORDERING, [CARTS.c.created_at.desc(), CARTS.c.id]
        )

    async def page_of_views(
        self, statement: Select[Any], params: PageParams
    ) -> tuple[int, list[CartView]]:
        """One page of carts, each with its lines (one more query for the whole page)."""
        count, rows = await self.page(statement, params, scalars=False)
        lines = await self.lines_of([row.id for row in rows])
        return count, [CartView(row, lines.get(row.id, [])) for row in rows]

    async def get(self, cart_id: uuid.UUID, *, lock: bool = False) -> Row[Any] | None:
        statement = select(CARTS).where(CARTS.c.id == cart_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).first()

    async def for_sale(self, cart_id: uuid.UUID, idempotency_key: str | None) -> Row[Any] | None:
        """The cart, locked, with what completing it needs in the same round trip: its store's
        current ``tax_rate``, ``store_code`` and ``time_zone``, and ``key_owner``: another
        sale that already carries ``idempotency_key`` (None when none does)."""
        other = aliased(CARTS)
        key_owner: Any = null()
        if idempotency_key is not None:
            key_owner = (
                select(other.c.id)
                .where(other.c.idempotency_key == idempotency_key, other.c.id != CARTS.c.id)
                .scalar_subquery()
            )
        statement = (
            select(
                CARTS,
                STORES.c.tax_rate.label("store_tax_rate"),
                STORES.c.code.label("store_code"),
                STORES.c.time_zone.label("store_time_zone"),
                key_owner.label("key_owner"),
            )
            .join(STORES, STORES.c.id == CARTS.c.store_id)
            .where(CARTS.c.id == cart_id)
            .with_for_update(of=CARTS)
        )
        return (await self.session.execute(statement)).first()

    async def lines(self, cart_id: uuid.UUID) -> list[Row[Any]]:
        statement = select(LINES).where(LINES.c.cart_id == cart_id).order_by(LINES.c.line_no)
        return list((await self.session.execute(statement)).all())

    async def lines_of(self, cart_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Row[Any]]]:
        found: dict[uuid.UUID, list[Row[Any]]] = {}
        if not cart_ids:
            return found
        statement = (
            select(LINES)
            .where(LINES.c.cart_id.in_(list(cart_ids)))
            .order_by(LINES.c.cart_id, LINES.c.line_no)
        )
        for line in (await self.session.execute(statement)).all():
            found.setdefault(line.cart_id, []).append(line)
        return found

    async def tax_rate_of(self, store_id: uuid.UUID) -> Any:
        return await self.session.scalar(select(STORES.c.tax_rate).where(STORES.c.id == store_id))

    # -- writing --------------------------------------------------------------------------

    async def insert(self, values: dict[str, Any]) -> Row[Any]:
        statement = insert(CARTS).values(**values).returning(*CARTS.c)
        return (await self.session.execute(statement)).one()

    async def update(self, cart_id: uuid.UUID, values: dict[str, Any]) -> Row[Any]:
        statement = update(CARTS).where(CARTS.c.id == cart_id).values(**values).returning(*CARTS.c)
        return (await self.session.execute(statement)).one()

    async def add_line(self, values: dict[str, Any]) -> Row[Any]:
        statement = insert(LINES).values(**values).returning(*LINES.c)
        return (await self.session.execute(statement)).one()

    async def update_line(self, line_id: int, values: dict[str, Any]) -> Row[Any]:
        statement = update(LINES).where(LINES.c.id == line_id).values(**values).returning(*LINES.c)
        return (await self.session.execute(statement)).one()

    async def delete_line(self, line_id: int) -> None:
        await self.session.execute(delete(LINES).where(LINES.c.id == line_id))

    async def next_receipt_number(self, store_id: uuid.UUID, year: int) -> int:
        """The store's next number in ``year``; the counter row stays locked until the
        transaction ends, so numbers are gapless (a rolled-back sale gives its number back)."""
        statement = (
            insert(COUNTERS)
            .values(store_id=store_id, year=year, last_number=1)
            .on_conflict_do_update(
                index_elements=[COUNTERS.c.store_id, COUNTERS.c.year],
                set_={"last_number": COUNTERS.c.last_number + 1},
            )
            .returning(COUNTERS.c.last_number)
        )
        return int((await self.session.execute(statement)).scalar_one())

    # -- the carts of a drawer ------------------------------------------------------------

    async def open_carts_with_lines(self, drawer_id: uuid.UUID) -> list[uuid.UUID]:
        statement = select(CARTS.c.id).where(
            CARTS.c.drawer_id == drawer_id,
            CARTS.c.status == CartStatus.open,
            select(LINES.c.id).where(LINES.c.cart_id == CARTS.c.id).exists(),
        )
        return list(await self.session.scalars(statement))

    async def discard_open_carts(self, drawer_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(CARTS).where(CARTS.c.drawer_id == drawer_id, CARTS.c.status == CartStatus.open)
        )

    async def move_open_carts(self, drawer_id: uuid.UUID, *, to: uuid.UUID, cashier: str) -> None:
        await self.session.execute(
            update(CARTS)
            .where(CARTS.c.drawer_id == drawer_id, CARTS.c.status == CartStatus.open)
            .values(drawer_id=to, cashier_id=cashier)
        )
