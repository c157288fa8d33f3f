"""Carts and sales. A cart belongs to an open drawer and its cashier; items are found by SKU
in POS's own read-model (never by calling inventory), a unit can sit in one open cart only,
and completing takes the payment, a gapless receipt number and publishes the sale through
the outbox — all in one transaction, idempotent by ``Idempotency-Key`` and by cart id."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, PermissionDenied, Unprocessable
from common.events.contracts import Published
from common.idempotency import request_hash
from common.pagination import PageParams
from common.roles import Principal, Role
from common.scope import check_store
from pos.carts.models import CartStatus, LineKind
from pos.carts.payment import Payment, payments_of, settle
from pos.carts.pricing import cart_amounts, line_amounts
from pos.carts.repository import CartRepository, CartView, Line, SaleUnit, ShelfUnit
from pos.carts.schemas import AddItem, CartCreate, CompleteSale, LineUpdate, VoidSale
from pos.cash.models import DrawerStatus, MovementKind
from pos.cash.repository import CashRepository
from pos.cash.service import movement
from pos.config import PosSettings
from pos.consigned.sales import ConsignedSales
from pos.customers.service import CustomerBook
from pos.events.contracts import ItemSold, SaleCompleted, SaleLine, SalePayment, SaleVoided
from pos.events.outbox import outbox
from pos.shelf.repository import ShelfRepository
from pos.store_time import zone_of


class CartService:
    def __init__(self, session: AsyncSession, actor: Principal, settings: PosSettings) -> None:
        self.carts = CartRepository(session)
        self.shelf = ShelfRepository(session)
        self.cash = CashRepository(session)
        self.customers = CustomerBook(session)
        self.consigned = ConsignedSales(session)
        self.session = session
        self.actor = actor
        self.settings = settings

    # -- reading ---------------------------------------------------------------------------

    async def listing(
        self,
        page: PageParams,
        *,
        status: CartStatus | None = None,
        drawer: uuid.UUID | None = None,
        receipt_number: str | None = None,
        ordering: str | None = None,
    ) -> tuple[int, list[CartView]]:
        statement = self.carts.listing(
            self.actor,
            status=status,
            drawer=drawer,
            receipt_number=receipt_number,
            ordering=ordering,
        )
        return await self.carts.page_of_views(statement, page)

    async def get(self, cart_id: uuid.UUID) -> CartView:
        cart = await self._cart(cart_id)
        return CartView(cart, await self.carts.lines(cart.id))

    # -- building a cart ---------------------------------------------------------------------

    async def create(self, body: CartCreate) -> tuple[CartView, bool]:
        """(the cart, whether it is new). The same client id again returns that cart."""
        if body.id is not None:
            existing = await self.carts.get(body.id)
            if existing is not None:
                check_store(self.actor, existing.store_id)
                if existing.drawer_id != body.drawer_id and existing.status == CartStatus.open:
                    raise Conflict(f"Cart {body.id} exists on another drawer.")
                return CartView(existing, await self.carts.lines(existing.id)), False
        drawer = await self.cash.drawer_row(body.drawer_id)
        if drawer is None:
            raise Unprocessable(f"drawer_id: no drawer {body.drawer_id}.")
        customer = await self.customers.active_number(body.customer_number)
        check_store(self.actor, drawer.store_id)
        if drawer.status != DrawerStatus.open:
            raise Conflict(f"Drawer {drawer.id} is closed; open a drawer to sell.")
        self._own_or_manager(drawer.cashier_id)
        cart = await self.carts.insert(
            {
                "id": body.id or uuid.uuid4(),
                "drawer_id": drawer.id,
                "register_id": drawer.register_id,
                "store_id": drawer.store_id,
                "cashier_id": drawer.cashier_id,
                "customer_number": customer,
                "tax_rate": await self.carts.tax_rate_of(drawer.store_id),
            }
        )
        return CartView(cart), True

    async def add_item(self, cart_id: uuid.UUID, body: AddItem) -> CartView:
        sku = body.sku.strip()
        found, unit, lines = await self.carts.locked_with_unit(cart_id, sku)
        cart = self._check_open(found)
        self._check_discount(body.discount_percent)
        if unit is not None:
            price = self._check_unit(cart, unit)
            if body.quantity != 1:
                raise Unprocessable(f"quantity: {unit.sku} is a single unit; its quantity is 1.")
            line = self._new_line(
                cart,
                lines,
                kind=LineKind.unit,
                sku=unit.sku,
                name=unit.name,
                quantity=Decimal(1),
                price=price,
                discount=body.discount_percent,
                item_id=unit.id,
            )
            lines = [*lines, line]
            return CartView(
                await self.carts.add_unit(cart.id, self._totals(cart, lines), line), lines
            )
        article = await self.shelf.article_by_sku(sku)
        if article is None:
            raise NotFound(f"No sellable item or article with SKU '{sku}'.")
        if not article.is_active or article.price is None:
            reason = "is no longer sold" if not article.is_active else "has no price"
            raise Conflict(f"Article {article.sku} {reason}.")
        same = next((line for line in lines if line.article_id == article.id), None)
        if same is not None:
            changed = _changed(same, quantity=same.quantity + body.quantity)
            return await self._changing(cart, lines, changed)
        line = self._new_line(
            cart,
            lines,
            kind=LineKind.quantity,
            sku=article.sku,
            name=article.name,
            quantity=body.quantity,
            price=article.price,
            discount=body.discount_percent,
            article_id=article.id,
        )
        lines = [*lines, line]
        return CartView(await self.carts.add_line(cart.id, self._totals(cart, lines), line), lines)

    async def update_line(self, cart_id: uuid.UUID, line_no: int, body: LineUpdate) -> CartView:
        cart, lines = await self._open_cart(cart_id)
        line = self._line(cart, lines, line_no)
        quantity, discount = line.quantity, line.discount_percent
        if body.quantity is not None:
            if line.kind == LineKind.unit and body.quantity != 1:
                raise Unprocessable(f"quantity: {line.sku} is a single unit; its quantity is 1.")
            quantity = body.quantity
        if body.discount_percent is not None:
            self._check_discount(body.discount_percent)
            discount = body.discount_percent
        return await self._changing(
            cart, lines, _changed(line, quantity=quantity, discount=discount)
        )

    async def remove_line(self, cart_id: uuid.UUID, line_no: int) -> CartView:
        cart, lines = await self._open_cart(cart_id)
        line = self._line(cart, lines, line_no)
        kept = [other for other in lines if other.line_no != line.line_no]
        removed = await self.carts.remove_line(cart.id, self._totals(cart, kept), line)
        return CartView(removed, kept)

    async def set_discount(self, cart_id: uuid.UUID, percent: Decimal) -> CartView:
        cart, lines = await self._open_cart(cart_id)
        self._check_discount(percent)
        totals = self._totals(cart, lines, discount_percent=percent)
        return CartView(await self.carts.set_totals(cart.id, totals), lines)

    # -- selling -----------------------------------------------------------------------------

    async def complete(
        self, cart_id: uuid.UUID, body: CompleteSale, idempotency_key: str | None
    ) -> tuple[CartView, bool]:
        """(the sale, whether this call completed it; False: a replay of the same request)."""
        cart, lines, locked_units = await self.carts.for_sale(cart_id, idempotency_key)
        if cart is None:
            raise NotFound("No such cart.")
        check_store(self.actor, cart.store_id)
        digest = request_hash(body)
        if idempotency_key is not None and self._is_replay(cart, idempotency_key, digest):
            return CartView(cart, lines), False
        if cart.status != CartStatus.open:
            raise Conflict(
                f"Cart {cart.id} is {cart.status} already (receipt {cart.receipt_number})."
            )
        self._own_or_manager(cart.cashier_id)
        if cart.drawer_status != DrawerStatus.open:
            raise Conflict(f"Drawer {cart.drawer_id} is closed; a sale needs an open drawer.")
        if not lines:
            raise Unprocessable("The cart is empty: add an item before completing.")
        units, consigned_units = self._units_still_sellable(cart, lines, locked_units)
        amounts = cart_amounts(
            (line.line_total for line in lines), cart.discount_percent, cart.store_tax_rate
        )
        payment = settle(amounts.total, body.payment_method, body.cash_tendered, body.card_amount)
        customer = await self.customers.active_number(body.customer_number)
        # a consigned unit's share: computed here, stored with the sale (no call to anything)
        consigned = (
            await self.consigned.prepare(
                [line for line in lines if line.item_id in consigned_units],
                cart.discount_percent,
            )
            if consigned_units
            else []
        )
        now = datetime.now(UTC)
        # The receipt counter stays locked until the commit (numbers are gapless), so it is
        # taken last and followed by one statement: the sale, its units, its cash, its events.
        # The relay's NOTIFY goes with it (sent at the commit: it may come first).
        year = now.astimezone(zone_of(cart.store_time_zone)).year
        number = await self.carts.next_receipt_number(
            cart.store_id, year, notify_channel=outbox.notified(self.session)
        )
        values = {
            "tax_rate": cart.store_tax_rate,
            "subtotal": amounts.subtotal,
            "discount_total": amounts.discount_total,
            "tax_total": amounts.tax_total,
            "total": amounts.total,
            "payment_method": payment.method,
            "cash_tendered": payment.cash_tendered,
            "card_amount": payment.card_amount,
            "cash_amount": payment.cash_amount,
            "change_due": payment.change_due,
            "customer_number": customer or cart.customer_number,
            "receipt_number": f"{cart.store_code}-{year}-{number:06d}",
            "completed_at": now,
            "status": CartStatus.completed,
            "idempotency_key": idempotency_key,
            "request_hash": digest if idempotency_key else None,
        }
        sale = Sale(cart, values)
        shares = await self.consigned.record(
            consigned, sale_id=cart.id, receipt_number=values["receipt_number"], at=now
        )
        events: list[tuple[str, Published]] = [
            *(("pos.item.sold", item_sold(sale, line)) for line in lines),
            ("pos.sale.completed", sale_completed(sale, lines)),
            *shares,
        ]
        completed = await self.carts.complete(
            cart.id,
            values,
            units=units,
            movements=self._cash_movements(cart, payment),
            events=outbox.rows(events, actor=self.actor.user_id),
        )
        return CartView(completed, lines), True

    async def void(self, cart_id: uuid.UUID, body: VoidSale) -> CartView:
        cart, lines = await self.carts.locked_with_lines(cart_id)
        if cart is None:
            raise NotFound("No such cart.")
        check_store(self.actor, cart.store_id)
        if cart.status == CartStatus.voided:
            when = f" at {cart.voided_at:%Y-%m-%d %H:%M}" if cart.voided_at else ""
            raise Conflict(f"Sale {cart.receipt_number} was voided{when}.")
        if cart.status != CartStatus.completed:
            raise Conflict(f"Cart {cart.id} is open: only a completed sale can be voided.")
        units = [line.item_id for line in lines if line.item_id is not None]
        if units:
            await self.shelf.give_back(units, cart.id)
        if cart.cash_amount:
            drawer = await self._refund_drawer(cart)
            if drawer is not None:
                await self.cash.add_movements(
                    [
                        movement(
                            drawer.id,
                            MovementKind.void_refund,
                            -cart.cash_amount,
                            actor=self.actor.user_id,
                            sale_id=cart.id,
                            note=body.reason,
                        )
                    ]
                )
        taken_back = await self.consigned.take_back(cart.id, datetime.now(UTC)) if units else []
        voided = await self.carts.update(
            cart.id,
            {
                "status": CartStatus.voided,
                "voided_at": datetime.now(UTC),
                "voided_by": self.actor.user_id,
                "void_reason": body.reason,
            },
        )
        await outbox.publish(self.session, sale_voided(voided, units), actor=self.actor.user_id)
        for subject, event in taken_back:
            await outbox.publish(self.session, event, subject=subject, actor=self.actor.user_id)
        return CartView(voided, lines)

    # -- rules -------------------------------------------------------------------------------

    async def _cart(self, cart_id: uuid.UUID, *, lock: bool = False) -> Row[Any]:
        cart = await self.carts.get(cart_id, lock=lock)
        if cart is None:
            raise NotFound("No such cart.")
        check_store(self.actor, cart.store_id)
        return cart

    async def _open_cart(self, cart_id: uuid.UUID) -> tuple[Row[Any], list[Line]]:
        """The cart, locked, and its lines; 409 unless it is open, 403 unless it is yours."""
        cart, lines = await self.carts.locked_with_lines(cart_id)
        return self._check_open(cart), lines

    def _check_open(self, cart: Row[Any] | None) -> Row[Any]:
        """404 for no cart, 403 for another store's, 409 unless it is open, 403 unless it
        is yours."""
        if cart is None:
            raise NotFound("No such cart.")
        check_store(self.actor, cart.store_id)
        if cart.status != CartStatus.open:
            raise Conflict(f"Cart {cart.id} is {cart.status}; it can no longer change.")
        self._own_or_manager(cart.cashier_id)
        return cart

    def _is_replay(self, cart: Row[Any], key: str, digest: str) -> bool:
        """True when this sale was completed with ``key`` and this body before; 422 when the
        key came with another body, or belongs to another sale."""
        if cart.idempotency_key == key:
            if cart.request_hash != digest:
                raise Unprocessable("Idempotency-Key was used for this sale with a different body.")
            return True
        if cart.key_owner is not None:
            raise Unprocessable(f"Idempotency-Key was already used for sale {cart.key_owner}.")
        return False

    def _own_or_manager(self, cashier_id: str) -> None:
        if cashier_id != self.actor.user_id and not self.actor.has_role(Role.branch_head):
            raise PermissionDenied("Only the drawer's cashier or a branch head may do this.")

    def _check_discount(self, percent: Decimal) -> None:
        cap = self.settings.advisor_discount_cap_percent
        if percent > cap and not self.actor.has_role(Role.branch_head):
            raise PermissionDenied(f"Discounts above {cap}% need a branch head.")

    @staticmethod
    def _check_unit(cart: Row[Any], unit: ShelfUnit) -> Decimal:
        """The unit's price, when the unit may go into this cart; 409 saying why not."""
        if unit.held_by_cart_id == cart.id and unit.sold_in_sale_id is None:
            raise Conflict(f"Item {unit.sku} is already in this cart.")
        if unit.sold_in_sale_id is not None or not unit.sellable:
            raise Conflict(f"Item {unit.sku} is {unit.status}, not on the shelf.")
        if unit.held_by_cart_id is not None:
            raise Conflict(f"Item {unit.sku} is in open cart {unit.held_by_cart_id}.")
        if unit.store_id != cart.store_id:
            raise Conflict(f"Item {unit.sku} belongs to another store ({unit.store_id}).")
        if unit.price is None:
            raise Conflict(f"Item {unit.sku} has no price yet.")
        price: Decimal = unit.price
        return price

    @staticmethod
    def _line(cart: Row[Any], lines: list[Line], line_no: int) -> Line:
        line = next((line for line in lines if line.line_no == line_no), None)
        if line is None:
            raise NotFound(f"Cart {cart.id} has no line {line_no}.")
        return line

    @staticmethod
    def _new_line(
        cart: Row[Any],
        lines: list[Line],
        *,
        kind: LineKind,
        sku: str,
        name: str,
        quantity: Decimal,
        price: Decimal,
        discount: Decimal,
        item_id: uuid.UUID | None = None,
        article_id: uuid.UUID | None = None,
    ) -> Line:
        """The next line of the cart (rounding point 1), not yet written."""
        amounts = line_amounts(quantity, price, discount)
        return Line(
            id=None,
            cart_id=cart.id,
            line_no=max((line.line_no for line in lines), default=0) + 1,
            kind=kind,
            item_id=item_id,
            article_id=article_id,
            sku=sku,
            name=name,
            quantity=quantity,
            unit_price=price,
            discount_percent=discount,
            discount_amount=amounts.discount_amount,
            line_total=amounts.line_total,
        )

    @staticmethod
    def _totals(
        cart: Any, lines: list[Line], *, discount_percent: Decimal | None = None
    ) -> dict[str, Any]:
        """The cart's totals from its lines (rounding points 2 and 3)."""
        percent = cart.discount_percent if discount_percent is None else discount_percent
        amounts = cart_amounts((line.line_total for line in lines), percent, cart.tax_rate)
        return {
            "discount_percent": percent,
            "subtotal": amounts.subtotal,
            "discount_total": amounts.discount_total,
            "tax_total": amounts.tax_total,
            "total": amounts.total,
        }

    async def _changing(self, cart: Any, lines: list[Line], changed: Line) -> CartView:
        lines = _replaced(lines, changed)
        written = await self.carts.change_line(cart.id, self._totals(cart, lines), changed)
        return CartView(written, lines)

    @staticmethod
    def _units_still_sellable(
        cart: Row[Any], lines: list[Line], locked: list[SaleUnit]
    ) -> tuple[list[uuid.UUID], set[uuid.UUID]]:
        """The cart's units (as locked with it, in id order) and those of them that are
        consigned units; 409 naming any that left the shelf since it was added."""
        units = {unit.id: unit for unit in locked}
        for line in lines:
            if line.item_id is None:
                continue
            unit = units.get(line.item_id)
            held = unit is not None and unit.held_by_cart_id == cart.id
            if unit is None or not held or not unit.sellable or unit.sold_in_sale_id is not None:
                status = "gone" if unit is None else unit.status
                raise Conflict(f"Item {line.sku} is {status} now; remove line {line.line_no}.")
        return list(units), {unit.id for unit in locked if unit.consigned}

    def _cash_movements(self, cart: Row[Any], payment: Payment) -> list[dict[str, Any]]:
        """The cash tendered into the drawer, the change out of it."""
        moves = []
        if payment.cash_tendered:
            moves.append(
                movement(
                    cart.drawer_id,
                    MovementKind.cash_sale,
                    payment.cash_tendered,
                    actor=self.actor.user_id,
                    sale_id=cart.id,
                )
            )
        if payment.change_due:
            moves.append(
                movement(
                    cart.drawer_id,
                    MovementKind.change,
                    -payment.change_due,
                    actor=self.actor.user_id,
                    sale_id=cart.id,
                )
            )
        return moves

    async def _refund_drawer(self, cart: Row[Any]) -> Row[Any] | None:
        """The sale's drawer if it is still open, else the register's open drawer, if any."""
        drawer = await self.cash.drawer_row(cart.drawer_id, lock=True)
        if drawer is not None and drawer.status == DrawerStatus.open:
            return drawer
        return await self.cash.open_drawer_row_of_register(cart.register_id)


class Sale:
    """A cart as it is being completed: its columns with the values the sale writes on them
    (copied out of the row once: a row's attribute lookup by name is the slow path)."""

    def __init__(self, cart: Row[Any], values: dict[str, Any]) -> None:
        self.__dict__.update(cart._asdict())
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # the columns, for mypy
        raise AttributeError(name)


def _replaced(lines: list[Line], changed: Line) -> list[Line]:
    return [changed if line.line_no == changed.line_no else line for line in lines]


def _changed(line: Line, *, quantity: Decimal, discount: Decimal | None = None) -> Line:
    """The line with a new quantity or discount, its amounts recomputed (rounding point 1)."""
    percent = line.discount_percent if discount is None else discount
    amounts = line_amounts(quantity, line.unit_price, percent)
    return replace(
        line,
        quantity=quantity,
        discount_percent=percent,
        discount_amount=amounts.discount_amount,
        line_total=amounts.line_total,
    )


# -- the events of a sale ------------------------------------------------------------------


def item_sold(sale: Any, line: Line) -> ItemSold:
    return ItemSold(
        sale_id=sale.id,
        line_id=str(line.line_no),
        receipt_number=sale.receipt_number,
        store_id=sale.store_id,
        sku=line.sku,
        kind=line.kind,
        item_id=line.item_id,
        quantity=line.quantity,
        unit_price=line.unit_price,
        location_id=None,
    )


def sale_completed(sale: Any, lines: list[Line]) -> SaleCompleted:
    return SaleCompleted(
        sale_id=sale.id,
        receipt_number=sale.receipt_number,
        store_id=sale.store_id,
        register_id=sale.register_id,
        drawer_id=sale.drawer_id,
        cashier_id=sale.cashier_id,
        customer_number=sale.customer_number,
        currency=sale.currency,
        lines=[
            SaleLine(
                line_id=str(line.line_no),
                kind=line.kind,
                sku=line.sku,
                name=line.name,
                item_id=line.item_id,
                article_id=line.article_id,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                discount_amount=line.discount_amount,
                line_total=line.line_total,
            )
            for line in lines
        ],
        subtotal=sale.subtotal,
        discount_percent=sale.discount_percent,
        discount_total=sale.discount_total,
        tax_rate=sale.tax_rate,
        tax_total=sale.tax_total,
        total=sale.total,
        payments=[SalePayment(**paid) for paid in payments_of(sale)],
        change_due=sale.change_due,
        completed_at=sale.completed_at,
    )


def sale_voided(sale: Row[Any], units: list[uuid.UUID]) -> SaleVoided:
    return SaleVoided(
        sale_id=sale.id,
        receipt_number=sale.receipt_number,
        store_id=sale.store_id,
        reason=sale.void_reason,
        total=sale.total,
        refund_cash=sale.cash_amount,
        refund_card=sale.card_amount,
        items=units,
    )
