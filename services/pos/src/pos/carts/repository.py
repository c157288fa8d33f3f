"""Queries on carts, their lines and the receipt counters.

The cart paths run many times a minute at every register, so they are Core statements that
return rows (no ORM unit of work, no reload): a cart is locked once, its lines read once, and
every write returns the row it wrote (``RETURNING``), which is what the answer shows."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    Row,
    Select,
    Text,
    Uuid,
    bindparam,
    delete,
    func,
    insert,
    literal_column,
    select,
    text,
    true,
    update,
)
from sqlalchemy.orm import aliased

from common.pagination import PageParams, apply_ordering
from common.roles import Principal
from common.scope import scoped
from pos.carts.models import Cart, CartLine, CartStatus, LineKind, ReceiptCounter
from pos.cash.repository import DRAWERS, MOVED, moved
from pos.db import table_of
from pos.events.outbox import EVENTS
from pos.repository import Repository
from pos.shelf.repository import (
    CONSIGNED,
    HELD,
    RELEASED,
    SOLD_UNITS,
    UNITS,
    held,
    released,
    sold,
)
from pos.shops.models import Store

CARTS = table_of(Cart)
LINES = table_of(CartLine)
COUNTERS = table_of(ReceiptCounter)
STORES = table_of(Store)
# Plain SQL rather than ``postgresql.insert().on_conflict_do_update()``: SQLAlchemy does not
# cache the compiled form of the PostgreSQL INSERT construct, and this runs at every sale.
# It also sends the sale's NOTIFY to the outbox relay (delivered at the commit, wherever in
# the transaction it is sent): one round trip less than a ``SELECT pg_notify`` of its own.
NEXT_RECEIPT = text(
    "INSERT INTO receipt_counters (store_id, year, last_number) VALUES (:store_id, :year, 1) "
    "ON CONFLICT (store_id, year) DO UPDATE SET last_number = receipt_counters.last_number + 1 "
    "RETURNING last_number, pg_notify(:notify_channel, '')::text AS notified"
).bindparams(
    bindparam("store_id", type_=Uuid),
    bindparam("year", type_=Integer),
    bindparam("notify_channel", type_=Text),
)
ORDERING = {
    "created_at": CARTS.c.created_at,
    "completed_at": CARTS.c.completed_at,
    "total": CARTS.c.total,
}


LINE_COLUMNS = tuple(column.name for column in LINES.c)


TOTAL_COLUMNS = ("discount_percent", "subtotal", "discount_total", "tax_total", "total")
SALE_COLUMNS = (
    "tax_rate",
    "subtotal",
    "discount_total",
    "tax_total",
    "total",
    "payment_method",
    "cash_tendered",
    "card_amount",
    "cash_amount",
    "change_due",
    "customer_number",
    "receipt_number",
    "completed_at",
    "status",
    "idempotency_key",
    "request_hash",
)


def _cart_written(prefix: str, columns: Sequence[str], *writes: Any) -> Any:
    """``UPDATE carts SET <columns> ... RETURNING carts.*`` with other writes as CTEs.

    No parameter of these statements is named like a column of a table they write:
    SQLAlchemy would add such a column to the SET of a DML CTE."""
    statement = (
        update(CARTS)
        .where(CARTS.c.id == bindparam("the_cart"))
        .values({name: bindparam(f"{prefix}{name}") for name in columns})
    )
    for write in writes:
        statement = statement.add_cte(write)
    return statement.returning(*CARTS.c)


NEW_LINE = (
    insert(LINES)
    .values({name: bindparam(f"line_{name}") for name in LINE_COLUMNS if name != "id"})
    .cte("line")
)
CHANGED_LINE = (
    update(LINES)
    .where(LINES.c.id == bindparam("changed_line"))
    .values(
        {
            name: bindparam(f"changed_{name}")
            for name in ("quantity", "discount_percent", "discount_amount", "line_total")
        }
    )
    .cte("changed")
)
REMOVED_LINE = delete(LINES).where(LINES.c.id == bindparam("removed_line")).cte("removed")
_LINE_LABELS = [column.label(f"line_{column.name}") for column in LINES.c]
# A statement that waits for a cart's lock reads the locked row as it is once the lock is
# granted, but every other table (the lines, the units) as of the statement's start: a
# request that held the lock before (an add-item) committed lines this statement cannot see.
# Each locking read carries the locked cart's row version (``xmin``) and the version its own
# snapshot sees; when they differ the cart changed while it waited, and the read runs once
# more (the lock is held now, so the second run waits for nothing and sees every line).
_SEEN_CART = aliased(CARTS, name="seen_cart")
SEEN_VERSION = (
    select(literal_column("seen_cart.xmin::text"))
    .where(_SEEN_CART.c.id == bindparam("the_cart"))
    .scalar_subquery()
    .label("seen_version")
)


def _locked_version(cart: Any) -> Any:
    """The version of the cart row ``cart`` (the table or a CTE over it) as locked."""
    return literal_column(f"{cart.name}.xmin::text").label("locked_version")


LOCKED_WITH_LINES = (
    select(CARTS, _locked_version(CARTS), SEEN_VERSION, *_LINE_LABELS)
    .outerjoin(LINES, LINES.c.cart_id == CARTS.c.id)
    .where(CARTS.c.id == bindparam("the_cart"))
    .order_by(LINES.c.line_no)
    .with_for_update(of=CARTS)
)
# add-item's read: the cart locked, then the unit with the SKU locked (if any), and the
# cart's lines, in one round trip. The cart is locked first, as on every path that locks a
# cart and its units (complete, remove a line, void): the unit's CTE runs only once the
# cart's has (its EXISTS reads it), so two requests never take the two locks in turn.
# Only the columns add-item decides with (the answer is the row its write returns).
CART_CHECKED = ("id", "store_id", "status", "cashier_id", "discount_percent", "tax_rate")
_LOCKED_CART = (
    select(*(CARTS.c[name] for name in CART_CHECKED), _locked_version(CARTS))
    .where(CARTS.c.id == bindparam("the_cart"))
    .with_for_update()
    .cte("locked_cart")
    .prefix_with("MATERIALIZED")
)
UNIT_COLUMNS = (
    "id",
    "sku",
    "name",
    "price",
    "store_id",
    "status",
    "sellable",
    "held_by_cart_id",
    "sold_in_sale_id",
)
_LOCKED_UNIT = (
    select(*(UNITS.c[name] for name in UNIT_COLUMNS))
    .where(func.upper(UNITS.c.sku) == bindparam("the_sku"), select(_LOCKED_CART.c.id).exists())
    .with_for_update(of=UNITS)
    .cte("locked_unit")
    .prefix_with("MATERIALIZED")
)
LOCKED_WITH_UNIT = (
    select(
        *_LOCKED_CART.c,
        SEEN_VERSION,
        *(_LOCKED_UNIT.c[name].label(f"unit_{name}") for name in UNIT_COLUMNS),
        *_LINE_LABELS,
    )
    .select_from(
        _LOCKED_CART.outerjoin(_LOCKED_UNIT, true()).outerjoin(
            LINES, LINES.c.cart_id == _LOCKED_CART.c.id
        )
    )
    .order_by(LINES.c.line_no)
)
_CART_WIDTH = len(CART_CHECKED) + 2  # and locked_version, seen_version
_OTHER = aliased(CARTS)
# complete's read, in one round trip: the cart locked, then its drawer locked, then its
# units locked in id order (the order every complete takes them in, so two never deadlock),
# each after the one before (each CTE reads the one before it); with the store's current
# tax rate, code and time zone, ``key_owner`` (another sale that already carries the
# Idempotency-Key, or NULL) and the lines, each unit line with its unit as locked.
_SALE_CART = (
    select(CARTS, _locked_version(CARTS))
    .where(CARTS.c.id == bindparam("the_cart"))
    .with_for_update()
    .cte("sale_cart")
    .prefix_with("MATERIALIZED")
)
_SALE_DRAWER = (
    select(DRAWERS.c.id, DRAWERS.c.status)
    .where(DRAWERS.c.id == select(_SALE_CART.c.drawer_id).scalar_subquery())
    .with_for_update(of=DRAWERS)
    .cte("sale_drawer")
    .prefix_with("MATERIALIZED")
)
SALE_UNIT_COLUMNS = ("id", "status", "sellable", "held_by_cart_id", "sold_in_sale_id")
_SALE_UNITS = (
    select(
        *(UNITS.c[name] for name in SALE_UNIT_COLUMNS),
        select(CONSIGNED.c.id).where(CONSIGNED.c.item_id == UNITS.c.id).exists().label("consigned"),
    )
    .where(
        UNITS.c.id.in_(select(LINES.c.item_id).where(LINES.c.cart_id == bindparam("the_cart"))),
        select(_SALE_DRAWER.c.id).exists(),
    )
    .order_by(UNITS.c.id)
    .with_for_update(of=UNITS)
    .cte("sale_units")
    .prefix_with("MATERIALIZED")
)
FOR_SALE = (
    select(
        *_SALE_CART.c,
        STORES.c.tax_rate.label("store_tax_rate"),
        STORES.c.code.label("store_code"),
        STORES.c.time_zone.label("store_time_zone"),
        select(_OTHER.c.id)
        .where(_OTHER.c.idempotency_key == bindparam("the_key"), _OTHER.c.id != _SALE_CART.c.id)
        .scalar_subquery()
        .label("key_owner"),  # no key (NULL): equal to none
        SEEN_VERSION,
        _SALE_DRAWER.c.status.label("drawer_status"),  # NULL: no such drawer
        *(_SALE_UNITS.c[name].label(f"unit_{name}") for name in SALE_UNIT_COLUMNS),
        _SALE_UNITS.c.consigned.label("unit_consigned"),
        *_LINE_LABELS,
    )
    .select_from(
        _SALE_CART.join(STORES, STORES.c.id == _SALE_CART.c.store_id)
        .outerjoin(_SALE_DRAWER, true())
        .outerjoin(LINES, LINES.c.cart_id == _SALE_CART.c.id)
        .outerjoin(_SALE_UNITS, _SALE_UNITS.c.id == LINES.c.item_id)
    )
    .order_by(LINES.c.line_no)
)
_SALE_UNIT_AT = len(FOR_SALE.selected_columns) - len(LINE_COLUMNS) - len(SALE_UNIT_COLUMNS) - 1
TOTALS = _cart_written("cart_", TOTAL_COLUMNS)
ADD_UNIT = _cart_written("cart_", TOTAL_COLUMNS, HELD, NEW_LINE)
ADD_LINE = _cart_written("cart_", TOTAL_COLUMNS, NEW_LINE)
CHANGE_LINE = _cart_written("cart_", TOTAL_COLUMNS, CHANGED_LINE)
REMOVE_LINE = _cart_written("cart_", TOTAL_COLUMNS, REMOVED_LINE, RELEASED)
COMPLETE = _cart_written("sale_", SALE_COLUMNS, SOLD_UNITS, MOVED, EVENTS)


def _totals(cart_id: uuid.UUID, totals: dict[str, Any]) -> dict[str, Any]:
    return {"the_cart": cart_id, **{f"cart_{name}": totals[name] for name in TOTAL_COLUMNS}}


def _line(line: Line) -> dict[str, Any]:
    return {f"line_{name}": getattr(line, name) for name in LINE_COLUMNS if name != "id"}


def _changed(line: Line) -> dict[str, Any]:
    return {
        "changed_line": line.id,
        "changed_quantity": line.quantity,
        "changed_discount_percent": line.discount_percent,
        "changed_discount_amount": line.discount_amount,
        "changed_line_total": line.line_total,
    }


@dataclass(frozen=True)
class Line:
    """A cart line as read (``id`` is None for a line written in this request)."""

    id: int | None
    cart_id: uuid.UUID
    line_no: int
    kind: LineKind
    item_id: uuid.UUID | None
    article_id: uuid.UUID | None
    sku: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    discount_amount: Decimal
    line_total: Decimal

    @classmethod
    def from_row(cls, row: Any) -> Line:
        """From a row whose last columns are the line's (by position: a row's attribute
        lookup by name is the slow path)."""
        return cls(*row[-len(LINE_COLUMNS) :])


class ShelfUnit(NamedTuple):
    """The unit an add-item names, as locked with its cart (``UNIT_COLUMNS``)."""

    id: uuid.UUID
    sku: str
    name: str
    price: Decimal | None
    store_id: uuid.UUID
    status: str
    sellable: bool
    held_by_cart_id: uuid.UUID | None
    sold_in_sale_id: uuid.UUID | None


class SaleUnit(NamedTuple):
    """A unit of a cart being completed, as locked with it (``SALE_UNIT_COLUMNS``, and
    ``consigned``: whether it was ever taken in on consignment)."""

    id: uuid.UUID
    status: str
    sellable: bool
    held_by_cart_id: uuid.UUID | None
    sold_in_sale_id: uuid.UUID | None
    consigned: bool


class CartView:
    """A cart row's columns as attributes, and its lines by line number: what ``CartOut``
    shows. (Copied out of the row once: a row's attribute lookup by name is the slow path.)"""

    lines: list[Line]

    def __init__(self, cart: Row[Any], lines: Sequence[Line] = ()) -> None:
        self.__dict__.update(cart._asdict())
        self.lines = list(lines)

    def __getattr__(self, name: str) -> Any:  # the columns, for mypy
        raise AttributeError(name)


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

    async def _locked(self, statement: Any, params: dict[str, Any]) -> Sequence[Row[Any]]:
        """The rows of a read that locks a cart, run again when the cart changed while it
        waited for the lock (see ``SEEN_VERSION``)."""
        rows = (await self.session.execute(statement, params)).all()
        if rows and rows[0].locked_version != rows[0].seen_version:
            rows = (await self.session.execute(statement, params)).all()
        return rows

    async def locked_with_lines(self, cart_id: uuid.UUID) -> tuple[Row[Any] | None, list[Line]]:
        """The cart, locked, and its lines by number, in one round trip."""
        rows = await self._locked(LOCKED_WITH_LINES, {"the_cart": cart_id})
        if not rows:
            return None, []
        return rows[0], [Line.from_row(row) for row in rows if row.line_id is not None]

    async def locked_with_unit(
        self, cart_id: uuid.UUID, sku: str
    ) -> tuple[Row[Any] | None, ShelfUnit | None, list[Line]]:
        """The cart, locked (its ``CART_CHECKED`` columns); the unit with ``sku`` (any
        case), locked after it; the cart's lines by number: in one round trip."""
        params = {"the_cart": cart_id, "the_sku": sku.upper()}
        rows = await self._locked(LOCKED_WITH_UNIT, params)
        if not rows:
            return None, None, []
        first = rows[0]
        found = first[_CART_WIDTH : _CART_WIDTH + len(UNIT_COLUMNS)]
        unit = ShelfUnit(*found) if found[0] is not None else None
        return first, unit, [Line.from_row(row) for row in rows if row.line_id is not None]

    async def get(self, cart_id: uuid.UUID, *, lock: bool = False) -> Row[Any] | None:
        statement = select(CARTS).where(CARTS.c.id == cart_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).first()

    async def for_sale(
        self, cart_id: uuid.UUID, idempotency_key: str | None
    ) -> tuple[Row[Any] | None, list[Line], list[SaleUnit]]:
        """The cart, locked, and its lines, with what completing it needs in the same round
        trip: its store's current ``store_tax_rate``, ``store_code`` and ``store_time_zone``,
        ``key_owner``: another sale that already carries ``idempotency_key`` (or None),
        ``drawer_status`` (its drawer locked; None: no drawer), and the cart's units, locked
        after the drawer in id order."""
        params = {"the_cart": cart_id, "the_key": idempotency_key}
        rows = await self._locked(FOR_SALE, params)
        if not rows:
            return None, [], []
        width = len(SALE_UNIT_COLUMNS) + 1
        units = sorted(
            (
                SaleUnit(*row[_SALE_UNIT_AT : _SALE_UNIT_AT + width])
                for row in rows
                if row.unit_id is not None
            ),
            key=lambda unit: unit.id,
        )
        lines = [Line.from_row(row) for row in rows if row.line_id is not None]
        return rows[0], lines, units

    async def lines(self, cart_id: uuid.UUID) -> list[Line]:
        statement = select(LINES).where(LINES.c.cart_id == cart_id).order_by(LINES.c.line_no)
        return [Line.from_row(row) for row in (await self.session.execute(statement)).all()]

    async def lines_of(self, cart_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Line]]:
        found: dict[uuid.UUID, list[Line]] = {}
        if not cart_ids:
            return found
        statement = (
            select(LINES)
            .where(LINES.c.cart_id.in_(list(cart_ids)))
            .order_by(LINES.c.cart_id, LINES.c.line_no)
        )
        for row in (await self.session.execute(statement)).all():
            found.setdefault(row.cart_id, []).append(Line.from_row(row))
        return found

    async def tax_rate_of(self, store_id: uuid.UUID) -> Any:
        return await self.session.scalar(select(STORES.c.tax_rate).where(STORES.c.id == store_id))

    # -- writing --------------------------------------------------------------------------

    async def insert(self, values: dict[str, Any]) -> Row[Any]:
        statement = insert(CARTS).values(**values).returning(*CARTS.c)
        return (await self.session.execute(statement)).one()

    async def update(self, cart_id: uuid.UUID, values: dict[str, Any]) -> Row[Any]:
        """Write ``values`` on the cart; the row as written."""
        statement = update(CARTS).where(CARTS.c.id == cart_id).values(**values)
        return (await self.session.execute(statement.returning(*CARTS.c))).one()

    # The sale path's writes: each change in one statement (the cart's totals and what moved
    # them), each statement built and compiled once, run with its parameters.

    async def add_unit(self, cart_id: uuid.UUID, totals: dict[str, Any], line: Line) -> Row[Any]:
        """The unit held by the cart, its line, the cart's totals."""
        if line.item_id is None:
            raise ValueError("a unit line names its unit")
        params = {**_totals(cart_id, totals), **_line(line), **held(line.item_id, cart_id)}
        return await self._write(ADD_UNIT, params)

    async def add_line(self, cart_id: uuid.UUID, totals: dict[str, Any], line: Line) -> Row[Any]:
        """An article's line and the cart's totals."""
        return await self._write(ADD_LINE, {**_totals(cart_id, totals), **_line(line)})

    async def change_line(self, cart_id: uuid.UUID, totals: dict[str, Any], line: Line) -> Row[Any]:
        """A line's new quantity or discount and the cart's totals."""
        return await self._write(CHANGE_LINE, {**_totals(cart_id, totals), **_changed(line)})

    async def remove_line(self, cart_id: uuid.UUID, totals: dict[str, Any], line: Line) -> Row[Any]:
        """The line gone, its unit (if it still sits in this cart) free, the cart's totals."""
        params = {
            **_totals(cart_id, totals),
            "removed_line": line.id,
            **released(line.item_id, cart_id),
        }
        return await self._write(REMOVE_LINE, params)

    async def set_totals(self, cart_id: uuid.UUID, totals: dict[str, Any]) -> Row[Any]:
        return await self._write(TOTALS, _totals(cart_id, totals))

    async def complete(
        self,
        cart_id: uuid.UUID,
        sale: dict[str, Any],
        *,
        units: Collection[uuid.UUID],
        movements: list[dict[str, Any]],
        events: dict[str, Any],
    ) -> Row[Any]:
        """The sale written on the cart, its units sold, its cash in the drawer and its events
        in the outbox (``SaleOutbox.rows``), in one statement."""
        params = {
            "the_cart": cart_id,
            **{f"sale_{name}": value for name, value in sale.items()},
            **sold(units, cart_id),
            **moved(movements),
            **events,
        }
        return await self._write(COMPLETE, params)

    async def _write(self, statement: Any, params: dict[str, Any]) -> Row[Any]:
        return (await self.session.execute(statement, params)).one()

    async def next_receipt_number(
        self, store_id: uuid.UUID, year: int, *, notify_channel: str
    ) -> int:
        """The store's next number in ``year``; the counter row stays locked until the
        transaction ends, so numbers are gapless (a rolled-back sale gives its number back).
        A NOTIFY on ``notify_channel`` goes with it (at the commit)."""
        params = {"store_id": store_id, "year": year, "notify_channel": notify_channel}
        found = (await self.session.execute(NEXT_RECEIPT, params)).one()
        return int(found[0])

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
