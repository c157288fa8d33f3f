"""Every query the dashboard runs. A store's day is its own: an instant's local date is
``timezone(store.time_zone, instant)::date``, and "on days" matches (store, local date) pairs.
Each query also takes a lower bound on the instant so the (store, time) indexes are used."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, Row, cast, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from pos.carts.models import Cart, CartLine, CartStatus
from pos.carts.repository import CARTS
from pos.cash.models import DrawerStatus
from pos.cash.repository import DRAWERS
from pos.dashboard.models import OversoldAlert
from pos.db import table_of
from pos.registers.models import Register
from pos.repository import Repository
from pos.shops.models import Store

QUANTITY_ZERO = Decimal("0.000")
# A store's today began less than a day ago (25 h across a DST change): a safe lower bound.
TODAY_LOOK_BACK = timedelta(days=2)
REGISTERS = table_of(Register)


@dataclass(frozen=True)
class DaySales:
    store_id: uuid.UUID
    day: date
    revenue: Decimal
    count: int


@dataclass(frozen=True)
class ItemSales:
    sku: str
    name: str
    quantity: Decimal
    revenue: Decimal


def local_day(instant: Any) -> ColumnElement[date]:
    """The instant's date in its store's time zone (the query joins ``stores``)."""
    return cast(func.timezone(Store.time_zone, instant), Date)


def on_days(store_id: Any, instant: Any, days: Mapping[uuid.UUID, date]) -> ColumnElement[bool]:
    return tuple_(store_id, local_day(instant)).in_(list(days.items()))


def _lines_sold_on(days: Mapping[uuid.UUID, date], since: datetime) -> Any:
    return (
        select()
        .select_from(CartLine)
        .join(Cart, Cart.id == CartLine.cart_id)
        .join(Store, Store.id == Cart.store_id)
        .where(
            Cart.status == CartStatus.completed,
            Cart.completed_at >= since,
            on_days(Cart.store_id, Cart.completed_at, days),
        )
    )


def _drawers_with_register() -> Any:
    return select(DRAWERS, REGISTERS.c.code.label("register_code")).join(
        REGISTERS, REGISTERS.c.id == DRAWERS.c.register_id
    )


class DashboardRepository(Repository):
    async def daily_sales(
        self, store_ids: Collection[uuid.UUID], since: datetime
    ) -> list[DaySales]:
        """Revenue and count of completed sales per store and local day, from ``since`` on."""
        if not store_ids:
            return []
        day = local_day(Cart.completed_at).label("day")
        statement = (
            select(Cart.store_id, day, func.sum(Cart.total), func.count())
            .join(Store, Store.id == Cart.store_id)
            .where(
                Cart.status == CartStatus.completed,
                Cart.completed_at >= since,
                Cart.store_id.in_(list(store_ids)),
            )
            .group_by(Cart.store_id, day)
        )
        rows = (await self.session.execute(statement)).all()
        return [
            DaySales(store, on, Decimal(revenue), int(count)) for store, on, revenue, count in rows
        ]

    async def items_sold(self, days: Mapping[uuid.UUID, date], since: datetime) -> Decimal:
        """Σ line quantities of the completed sales of each store's day."""
        if not days:
            return QUANTITY_ZERO
        total = await self.session.scalar(
            _lines_sold_on(days, since).add_columns(
                func.coalesce(func.sum(CartLine.quantity), QUANTITY_ZERO)
            )
        )
        return QUANTITY_ZERO if total is None else Decimal(total)

    async def top_items(
        self, days: Mapping[uuid.UUID, date], since: datetime, limit: int
    ) -> list[ItemSales]:
        """The best items of each store's day by revenue (line totals), then quantity, then SKU."""
        if not days:
            return []
        revenue = func.sum(CartLine.line_total)
        quantity = func.sum(CartLine.quantity)
        statement = (
            _lines_sold_on(days, since)
            .add_columns(CartLine.sku, func.max(CartLine.name), quantity, revenue)
            .group_by(CartLine.sku)
            .order_by(revenue.desc(), quantity.desc(), CartLine.sku)
            .limit(limit)
        )
        rows = (await self.session.execute(statement)).all()
        return [ItemSales(sku, name, Decimal(qty), Decimal(rev)) for sku, name, qty, rev in rows]

    async def drawers_open_before(
        self, store_ids: Collection[uuid.UUID] | None, before: datetime
    ) -> list[Row[Any]]:
        """Open drawers opened before ``before`` (None: of every store), oldest first, each
        with its ``register_code``."""
        statement = _drawers_with_register().where(
            DRAWERS.c.status == DrawerStatus.open, DRAWERS.c.opened_at < before
        )
        if store_ids is not None:
            statement = statement.where(DRAWERS.c.store_id.in_(list(store_ids)))
        statement = statement.order_by(DRAWERS.c.opened_at, DRAWERS.c.id)
        return list((await self.session.execute(statement)).all())

    async def drawers_closed_off_by(
        self, days: Mapping[uuid.UUID, date], since: datetime, beyond: Decimal
    ) -> list[Row[Any]]:
        """Drawers closed on their store's day with a variance beyond ±``beyond``."""
        if not days:
            return []
        statement = (
            _drawers_with_register()
            .join(Store, Store.id == DRAWERS.c.store_id)
            .where(
                DRAWERS.c.status == DrawerStatus.closed,
                DRAWERS.c.closed_at >= since,
                on_days(DRAWERS.c.store_id, DRAWERS.c.closed_at, days),
                func.abs(DRAWERS.c.variance) > beyond,
            )
            .order_by(DRAWERS.c.closed_at, DRAWERS.c.id)
        )
        return list((await self.session.execute(statement)).all())

    async def sales_voided_on(
        self, days: Mapping[uuid.UUID, date], since: datetime
    ) -> list[Row[Any]]:
        """Sales voided on their store's day."""
        if not days:
            return []
        statement = (
            select(CARTS)
            .join(Store, Store.id == CARTS.c.store_id)
            .where(
                CARTS.c.status == CartStatus.voided,
                CARTS.c.voided_at >= since,
                on_days(CARTS.c.store_id, CARTS.c.voided_at, days),
            )
            .order_by(CARTS.c.voided_at, CARTS.c.id)
        )
        return list((await self.session.execute(statement)).all())

    async def oversold_since(
        self, store_ids: Collection[uuid.UUID] | None, since: datetime
    ) -> list[OversoldAlert]:
        """inventory's oversold reports since ``since`` (None: every store's and store-less)."""
        statement = select(OversoldAlert).where(OversoldAlert.occurred_at >= since)
        if store_ids is not None:
            statement = statement.where(OversoldAlert.store_id.in_(list(store_ids)))
        return list(
            await self.session.scalars(
                statement.order_by(OversoldAlert.occurred_at, OversoldAlert.id)
            )
        )

    async def record_oversold(self, values: dict[str, Any]) -> None:
        """Keep a report once (its id is the event's)."""
        await self.session.execute(
            insert(OversoldAlert)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[OversoldAlert.id])
        )
