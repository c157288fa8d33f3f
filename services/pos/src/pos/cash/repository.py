"""Queries on the cash: drawers (locked while cash moves), their movements and the safe's
ledger. Movements and safe rows are written with Core statements (a sale writes two)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Row,
    Select,
    Text,
    bindparam,
    cast,
    column,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

from common.money import ZERO
from common.roles import Principal
from common.scope import scoped
from pos.cash.models import Drawer, DrawerMovement, DrawerStatus, SafeKind, SafeTransaction
from pos.db import table_of
from pos.repository import Repository

DRAWERS = table_of(Drawer)
MOVEMENTS = table_of(DrawerMovement)
SAFE = table_of(SafeTransaction)


DRAWER = select(DRAWERS).where(DRAWERS.c.id == bindparam("the_drawer"))
LOCKED_DRAWER = DRAWER.with_for_update()
MOVEMENT_COLUMNS = ("drawer_id", "kind", "amount", "sale_id", "actor", "note")
_MOVES = (
    func.jsonb_array_elements(cast(bindparam("moved", type_=Text), JSONB))
    .table_valued(column("movement", JSONB), with_ordinality="position")
    .render_derived(name="moves")
)
# A write of the sale path, compiled once: drawer movements from one JSON array, in order.
MOVED = (
    insert(MOVEMENTS)
    .from_select(
        list(MOVEMENT_COLUMNS),
        select(
            *(
                cast(_MOVES.c.movement[name].astext, MOVEMENTS.c[name].type)
                for name in MOVEMENT_COLUMNS
            )
        ).order_by(_MOVES.c.position),
    )
    .cte("moved")
)


def moved(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Parameters of ``MOVED`` for movements as ``cash.service.movement`` makes them."""
    return {"moved": json.dumps(rows, default=str)}


def expected_cash(drawer_id: Any) -> Any:
    """The cash a drawer should hold: the sum of its movements (a scalar subquery)."""
    return (
        select(func.coalesce(func.sum(MOVEMENTS.c.amount), ZERO))
        .where(MOVEMENTS.c.drawer_id == drawer_id)
        .scalar_subquery()
    )


class CashRepository(Repository):
    # -- drawers --------------------------------------------------------------------------

    async def drawer(self, drawer_id: uuid.UUID, *, lock: bool = False) -> Drawer | None:
        statement = select(Drawer).where(Drawer.id == drawer_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def drawer_row(self, drawer_id: uuid.UUID, *, lock: bool = False) -> Row[Any] | None:
        statement = LOCKED_DRAWER if lock else DRAWER
        return (await self.session.execute(statement, {"the_drawer": drawer_id})).first()

    async def open_drawer_row_of_register(self, register_id: uuid.UUID) -> Row[Any] | None:
        """The register's open drawer, locked."""
        statement = (
            select(DRAWERS)
            .where(DRAWERS.c.register_id == register_id, DRAWERS.c.status == DrawerStatus.open)
            .with_for_update()
        )
        return (await self.session.execute(statement)).first()

    async def open_drawer_id(self, register_id: uuid.UUID) -> uuid.UUID | None:
        return await self.session.scalar(
            select(DRAWERS.c.id).where(
                DRAWERS.c.register_id == register_id, DRAWERS.c.status == DrawerStatus.open
            )
        )

    # -- movements ------------------------------------------------------------------------

    async def add_movements(self, rows: list[dict[str, Any]]) -> None:
        """Write drawer movements (``drawer_id``, ``kind``, signed ``amount``, ``actor`` ...)."""
        if rows:
            await self.session.execute(insert(MOVEMENTS), rows)

    async def expected(self, drawer_id: uuid.UUID) -> Decimal:
        total = await self.session.scalar(select(expected_cash(drawer_id)))
        return ZERO if total is None else Decimal(total)

    async def movements(self, drawer_id: uuid.UUID) -> list[Row[Any]]:
        statement = select(MOVEMENTS).where(MOVEMENTS.c.drawer_id == drawer_id)
        return list((await self.session.execute(statement.order_by(MOVEMENTS.c.id))).all())

    # -- the safe -------------------------------------------------------------------------

    async def lock_safe(self, store_id: uuid.UUID) -> None:
        """Serialise safe movements of one store until the transaction ends."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('pos-safe'), hashtext(:store))"),
            {"store": str(store_id)},
        )

    async def safe_balance(self, store_id: uuid.UUID) -> Decimal:
        last = await self.session.scalar(
            select(SAFE.c.balance_after)
            .where(SAFE.c.store_id == store_id)
            .order_by(SAFE.c.id.desc())
            .limit(1)
        )
        return ZERO if last is None else Decimal(last)

    async def add_safe_row(self, values: dict[str, Any]) -> Row[Any]:
        statement = insert(SAFE).values(**values).returning(*SAFE.c)
        return (await self.session.execute(statement)).one()

    async def last_audit(self, store_id: uuid.UUID) -> Row[Any] | None:
        statement = (
            select(SAFE)
            .where(SAFE.c.store_id == store_id, SAFE.c.kind == SafeKind.audit)
            .order_by(SAFE.c.id.desc())
            .limit(1)
        )
        return (await self.session.execute(statement)).first()

    async def safe_rows_since(self, store_id: uuid.UUID, since: datetime) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(SAFE)
            .where(SAFE.c.store_id == store_id, SAFE.c.created_at >= since)
        )
        return int(count or 0)

    def safe_listing(
        self, actor: Principal, store: uuid.UUID | None, kind: SafeKind | None
    ) -> Select[Any]:
        statement = scoped(select(SAFE), SAFE.c.store_id, actor)
        if store is not None:
            statement = statement.where(SAFE.c.store_id == store)
        if kind is not None:
            statement = statement.where(SAFE.c.kind == kind)
        return statement.order_by(SAFE.c.id.desc())
