"""Queries on carts, their lines and the receipt counters.

The cart paths run many times a minute at every register, so they are Core statements that
return rows (no ORM unit of work, no reload): a cart is locked once, its lines read once, and
every write returns the row it wrote (``RETURNING``), which is what the answer shows."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    Row,
    Select,
    Uuid,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import aliased

from common.pagination import PageParams, apply_ordering
from common.roles import Principal
from common.scope import scoped
from pos.carts.models import Cart, CartLine, CartStatus, LineKind, ReceiptCounter
from pos.cash.repository import MOVED, moved
from pos.db import table_of
from pos.events.outbox import EVENTS
from pos.repository import Repository
from pos.shelf.repository import HELD, RELEASED, SOLD_UNITS, held, released, sold
from pos.shops.models import Store

CARTS = table_of(Cart)
LINES = table_of(CartLine)
COUNTERS = table_of(ReceiptCounter)
STORES = table_of(Store)
# Plain SQL rather than ``postgresql.insert().on_conflict_do_update()``: SQLAlchemy does not
# cache the compiled form of the PostgreSQL INSERT construct, and this runs at every sale.
NEXT_RECEIPT = text(
    "INSERT INTO receipt_counters (store_id, year, last_number) VALUES (:store_id, :year, 1) "
    "ON CONFLICT (store_id, year) DO UPDATE SET last_number = receipt_counters.last_number + 1 "
    "RETURNING last_number"
).bindparams(bindparam("store_id", type_=Uuid), bindparam("year", type_=Integer))
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
LOCKED_WITH_LINES = (
    select(CARTS, *_LINE_LABELS)
    .outerjoin(LINES, LINES.c.cart_id == CARTS.c.id)
    .where(CARTS.c.id == bindparam("the_cart"))
    .order_by(LINES.c.line_no)
    .with_for_update(of=CARTS)
)
_OTHER = aliased(CARTS)
FOR_SALE = (
    select(
        CARTS,
        STORES.c.tax_rate.label("store_tax_rate"),
        STORES.c.code.label("store_code"),
        STORES.c.time_zone.label("store_time_zone"),
        select(_OTHER.c.id)
        .where(_OTHER.c.idempotency_key == bindparam("the_key"), _OTHER.c.id != CARTS.c.id)
        .scalar_subquery()
        .label("key_owner"),  # no key (NULL): equal to none
        *_LINE_LABELS,
    )
    .join(STORES, STORES.c.id == CARTS.c.store_id)
    .outerjoin(LINES, LINES.c.cart_id == CARTS.c.id)
    .where(CARTS.c.id == bindparam("the_cart"))
    .order_by(LINES.c.line_no)
    .with_for_update(of=CARTS)
)
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

    async def locked_with_lines(self, cart_id: uuid.UUID) -> tuple[Row[Any] | None, list[Line]]:
        """The cart, locked, and its lines by number, in one round trip."""
        rows = (await self.session.execute(LOCKED_WITH_LINES, {"the_cart": cart_id})).all()
        if not rows:
            return None, []
        return rows[0], [Line.from_row(row) for row in rows if row.line_id is not None]

    async def get(self, cart_id: uuid.UUID, *, lock: bool = False) -> Row[Any] | None:
        statement = select(CARTS).where(CARTS.c.id == cart_id)
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).first()

    async def for_sale(
        self, cart_id: uuid.UUID, idempotency_key: str | None
    ) -> tuple[Row[Any] | None, list[Line]]:
        """The cart, locked, and its lines, with what completing it needs in the same round
        trip: its store's current ``store_tax_rate``, ``store_code`` and ``store_time_zone``,
        and ``key_owner``: another sale that already carries ``idempotency_key`` (or None)."""
        params = {"the_cart": cart_id, "the_key": idempotency_key}
        rows = (await self.session.execute(FOR_SALE, params)).all()
        if not rows:
            return None, []
        return rows[0], [Line.from_row(row) for row in rows if row.line_id is not None]

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

    async def next_receipt_number(self, store_id: uuid.UUID, year: int) -> int:
        """The store's next number in ``year``; the counter row stays locked until the
        transaction ends, so numbers are gapless (a rolled-back sale gives its number back)."""
        found = await self.session.execute(NEXT_RECEIPT, {"store_id": store_id, "year": year})
        return int(found.scalar_one())

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
