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

from sqlalchemy import ColumnElement, Date, cast, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from pos.models import Cart, CartLine, Drawer, OversoldAlert, RevenueGoal, Store

QUANTITY_ZERO = Decimal("0.000")
# A store's today began less than a day ago (25 h across a DST change): a safe lower bound.
TODAY_LOOK_BACK = timedelta(days=2)


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


async def stores(session: AsyncSession, ids: Collection[uuid.UUID] | None) -> list[Store]:
    """The stores with these ids (every store for None), by code."""
    statement = select(Store).order_by(Store.code, Store.id)
    if ids is not None:
        statement = statement.where(Store.id.in_(list(ids)))
    return list(await session.scalars(statement))


async def daily_sales(
    session: AsyncSession, store_ids: Collection[uuid.UUID], since: datetime
) -> list[DaySales]:
    """Revenue and count of completed sales per store and local day, from ``since`` on."""
    if not store_ids:
        return []
    day = local_day(Cart.completed_at).label("day")
    statement = (
        select(Cart.store_id, day, func.sum(Cart.total), func.count())
        .join(Store, Store.id == Cart.store_id)
        .where(
            Cart.status == "completed",
            Cart.completed_at >= since,
            Cart.store_id.in_(list(store_ids)),
        )
        .group_by(Cart.store_id, day)
    )
    rows = (await session.execute(statement)).all()
    return [DaySales(store, on, Decimal(revenue), int(count)) for store, on, revenue, count in rows]


def _lines_sold_on(days: Mapping[uuid.UUID, date], since: datetime) -> Any:
    return (
        select()
        .select_from(CartLine)
        .join(Cart, Cart.id == CartLine.cart_id)
        .join(Store, Store.id == Cart.store_id)
        .where(
            Cart.status == "completed",
            Cart.completed_at >= since,
            on_days(Cart.store_id, Cart.completed_at, days),
        )
    )


async def items_sold(
    session: AsyncSession, days: Mapping[uuid.UUID, date], since: datetime
) -> Decimal:
    """Σ line quantities of the completed sales of each store's day."""
    if not days:
        return QUANTITY_ZERO
    total = await session.scalar(
        _lines_sold_on(days, since).add_columns(
            func.coalesce(func.sum(CartLine.quantity), QUANTITY_ZERO)
        )
    )
    return QUANTITY_ZERO if total is None else Decimal(total)


async def top_items(
    session: AsyncSession, days: Mapping[uuid.UUID, date], since: datetime, limit: int
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
    rows = (await session.execute(statement)).all()
    return [ItemSales(sku, name, Decimal(qty), Decimal(rev)) for sku, name, qty, rev in rows]


async def goals_on(
    session: AsyncSession, days: Mapping[uuid.UUID, date]
) -> dict[uuid.UUID, Decimal]:
    """Each store's revenue goal for its day, where it set one."""
    if not days:
        return {}
    statement = select(RevenueGoal.store_id, RevenueGoal.amount).where(
        tuple_(RevenueGoal.store_id, RevenueGoal.day).in_(list(days.items()))
    )
    return {store: Decimal(amount) for store, amount in (await session.execute(statement)).all()}


async def drawers_open_before(
    session: AsyncSession, store_ids: Collection[uuid.UUID] | None, before: datetime
) -> list[Drawer]:
    """Open drawers opened before ``before`` (None: of every store), oldest first."""
    statement = select(Drawer).where(Drawer.status == "open", Drawer.opened_at < before)
    if store_ids is not None:
        statement = statement.where(Drawer.store_id.in_(list(store_ids)))
    return list(await session.scalars(statement.order_by(Drawer.opened_at, Drawer.id)))


async def drawers_closed_off_by(
    session: AsyncSession, days: Mapping[uuid.UUID, date], since: datetime, beyond: Decimal
) -> list[Drawer]:
    """Drawers closed on their store's day with a variance beyond ±``beyond``."""
    if not days:
        return []
    statement = (
        select(Drawer)
        .join(Store, Store.id == Drawer.store_id)
        .where(
            Drawer.status == "closed",
            Drawer.closed_at >= since,
            on_days(Drawer.store_id, Drawer.closed_at, days),
            func.abs(Drawer.variance) > beyond,
        )
        .order_by(Drawer.closed_at, Drawer.id)
    )
    return list(await session.scalars(statement))


async def sales_voided_on(
    session: AsyncSession, days: Mapping[uuid.UUID, date], since: datetime
) -> list[Cart]:
    """Sales voided on their store's day."""
    if not days:
        return []
    statement = (
        select(Cart)
        .join(Store, Store.id == Cart.store_id)
        .where(
            Cart.status == "voided",
            Cart.voided_at >= since,
            on_days(Cart.store_id, Cart.voided_at, days),
        )
        .order_by(Cart.voided_at, Cart.id)
    )
    return list((await session.scalars(statement)).unique())


async def oversold_since(
    session: AsyncSession, store_ids: Collection[uuid.UUID] | None, since: datetime
) -> list[OversoldAlert]:
    """inventory's oversold reports since ``since`` (None: every store's and store-less)."""
    statement = select(OversoldAlert).where(OversoldAlert.occurred_at >= since)
    if store_ids is not None:
        statement = statement.where(OversoldAlert.store_id.in_(list(store_ids)))
    return list(
        await session.scalars(statement.order_by(OversoldAlert.occurred_at, OversoldAlert.id))
    )
