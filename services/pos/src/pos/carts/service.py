"""Carts and sales. A cart belongs to an open drawer and its cashier; items are found by SKU
in POS's own read-model (never by calling inventory), a unit can sit in one open cart only,
and completing takes the payment, a gapless receipt number and publishes the sale through
the outbox — all in one transaction, idempotent by ``Idempotency-Key`` and by cart id."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, PermissionDenied, Unprocessable
from common.roles import Principal, Role
from common.scope import check_store, scoped
from pos.carts.payment import settle
from pos.carts.receipts import next_receipt_number
from pos.carts.schemas import AddItem, CartCreate, CompleteSale, LineUpdate, VoidSale
from pos.config import PosSettings
from pos.drawers.service import move
from pos.events import sale_completed, sale_voided
from pos.models import Article, Cart, CartLine, Customer, Drawer, SellableItem, Store
from pos.money import cart_amounts, line_amounts


def request_hash(body: CompleteSale) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


class CartService:
    def __init__(self, session: AsyncSession, actor: Principal, settings: PosSettings) -> None:
        self.session = session
        self.actor = actor
        self.settings = settings

    # -- reading ---------------------------------------------------------------------------

    def listing(
        self, status: str | None, drawer: uuid.UUID | None, receipt_number: str | None
    ) -> Select[Any]:
        statement = scoped(select(Cart), Cart.store_id, self.actor)
        if status is not None:
            statement = statement.where(Cart.status == status)
        if drawer is not None:
            statement = statement.where(Cart.drawer_id == drawer)
        if receipt_number is not None:
            statement = statement.where(
                func.upper(Cart.receipt_number) == receipt_number.strip().upper()
            )
        return statement

    async def get(self, cart_id: uuid.UUID, *, lock: bool = False) -> Cart:
        statement = select(Cart).where(Cart.id == cart_id)
        if lock:
            statement = statement.with_for_update(of=Cart)
        cart = (await self.session.execute(statement)).unique().scalar_one_or_none()
        if cart is None:
            raise NotFound("No such cart.")
        check_store(self.actor, cart.store_id)
        return cart

    # -- building a cart ---------------------------------------------------------------------

    async def create(self, body: CartCreate) -> tuple[Cart, bool]:
        """(the cart, whether it is new). The same client id again returns that cart."""
        if body.id is not None:
            existing = await self.session.get(Cart, body.id)
            if existing is not None:
                check_store(self.actor, existing.store_id)
                if existing.drawer_id != body.drawer_id and existing.status == "open":
                    raise Conflict(f"Cart {body.id} exists on another drawer.")
                return existing, False
        drawer = await self.session.get(Drawer, body.drawer_id)
        if drawer is None:
            raise Unprocessable(f"drawer_id: no drawer {body.drawer_id}.")
        customer = await self._customer(body.customer_number)
        check_store(self.actor, drawer.store_id)
        if drawer.status != "open":
            raise Conflict(f"Drawer {drawer.id} is closed; open a drawer to sell.")
        self._own_or_manager(drawer.cashier_id)
        store = await self.session.get(Store, drawer.store_id)
        assert store is not None
        cart = Cart(
            id=body.id or uuid.uuid4(),
            drawer_id=drawer.id,
            register_id=drawer.register_id,
            store_id=drawer.store_id,
            cashier_id=drawer.cashier_id,
            customer_number=customer,
            tax_rate=store.tax_rate,
        )
        self.session.add(cart)
        await self.session.flush()
        return await self._reload(cart.id), True

    async def add_item(self, cart_id: uuid.UUID, body: AddItem) -> Cart:
        cart = await self._open_cart(cart_id)
        self._check_discount(body.discount_percent)
        sku = body.sku.strip()
        unit = (
            await self.session.execute(
                select(SellableItem)
                .where(func.upper(SellableItem.sku) == sku.upper())
                .with_for_update()
            )
        ).scalar_one_or_none()
        if unit is not None:
            self._check_unit(cart, unit)
            if body.quantity != 1:
                raise Unprocessable(f"quantity: {unit.sku} is a single unit; its quantity is 1.")
            assert unit.price is not None
            unit.held_by_cart_id = cart.id
            self._add_line(
                cart,
                "unit",
                unit.sku,
                unit.name,
                Decimal(1),
                unit.price,
                body.discount_percent,
                item_id=unit.id,
            )
            return await self._recalculate(cart)
        article = await self.session.scalar(
            select(Article).where(func.upper(Article.sku) == sku.upper())
        )
        if article is None:
            raise NotFound(f"No sellable item or article with SKU '{sku}'.")
        if not article.is_active or article.price is None:
            reason = "is no longer sold" if not article.is_active else "has no price"
            raise Conflict(f"Article {article.sku} {reason}.")
        same = next((line for line in cart.lines if line.article_id == article.id), None)
        if same is not None:
            same.quantity += body.quantity
        else:
            self._add_line(
                cart,
                "quantity",
                article.sku,
                article.name,
                body.quantity,
                article.price,
                body.discount_percent,
                article_id=article.id,
            )
        return await self._recalculate(cart)

    async def update_line(self, cart_id: uuid.UUID, line_no: int, body: LineUpdate) -> Cart:
        cart = await self._open_cart(cart_id)
        line = self._line(cart, line_no)
        if body.quantity is not None:
            if line.kind == "unit" and body.quantity != 1:
                raise Unprocessable(f"quantity: {line.sku} is a single unit; its quantity is 1.")
            line.quantity = body.quantity
        if body.discount_percent is not None:
            self._check_discount(body.discount_percent)
            line.discount_percent = body.discount_percent
        return await self._recalculate(cart)

    async def remove_line(self, cart_id: uuid.UUID, line_no: int) -> Cart:
        cart = await self._open_cart(cart_id)
        line = self._line(cart, line_no)
        if line.item_id is not None:
            unit = await self.session.get(SellableItem, line.item_id, with_for_update=True)
            if unit is not None and unit.held_by_cart_id == cart.id:
                unit.held_by_cart_id = None
        cart.lines.remove(line)
        return await self._recalculate(cart)

    async def set_discount(self, cart_id: uuid.UUID, percent: Decimal) -> Cart:
        cart = await self._open_cart(cart_id)
        self._check_discount(percent)
        cart.discount_percent = percent
        return await self._recalculate(cart)

    # -- selling -----------------------------------------------------------------------------

    async def complete(
        self, cart_id: uuid.UUID, body: CompleteSale, idempotency_key: str | None
    ) -> tuple[Cart, bool]:
        """(the sale, whether this call completed it; False: a replay of the same request)."""
        cart = await self.get(cart_id, lock=True)
        digest = request_hash(body)
        if idempotency_key is not None:
            replay = await self._replay(cart, idempotency_key, digest)
            if replay:
                return cart, False
        if cart.status != "open":
            raise Conflict(
                f"Cart {cart.id} is {cart.status} already (receipt {cart.receipt_number})."
            )
        self._own_or_manager(cart.cashier_id)
        drawer = await self._locked_drawer(Drawer.id == cart.drawer_id)
        assert drawer is not None
        if drawer.status != "open":
            raise Conflict(f"Drawer {drawer.id} is closed; a sale needs an open drawer.")
        if not cart.lines:
            raise Unprocessable("The cart is empty: add an item before completing.")
        units = await self._units_still_sellable(cart)
        store = await self.session.get(Store, cart.store_id)
        assert store is not None
        cart.tax_rate = store.tax_rate
        await self._recalculate(cart)
        payment = settle(cart.total, body.payment_method, body.cash_tendered, body.card_amount)
        now = datetime.now(UTC)
        cart.payment_method = payment.method
        cart.cash_tendered = payment.cash_tendered
        cart.card_amount = payment.card_amount
        cart.cash_amount = payment.cash_amount
        cart.change_due = payment.change_due
        cart.customer_number = await self._customer(body.customer_number) or cart.customer_number
        cart.receipt_number = await next_receipt_number(self.session, store, now)
        cart.completed_at = now
        cart.status = "completed"
        cart.idempotency_key = idempotency_key
        cart.request_hash = digest if idempotency_key else None
        for unit in units:
            unit.sold_in_sale_id = cart.id
            unit.sellable = False
            unit.status = "sold"
        if payment.cash_tendered:
            self.session.add(
                move(
                    drawer, "cash_sale", payment.cash_tendered, self.actor.user_id, sale_id=cart.id
                )
            )
        if payment.change_due:
            self.session.add(
                move(drawer, "change", -payment.change_due, self.actor.user_id, sale_id=cart.id)
            )
        await self.session.flush()
        await sale_completed(self.session, cart, self.actor.user_id)
        return cart, True

    async def void(self, cart_id: uuid.UUID, body: VoidSale) -> Cart:
        cart = await self.get(cart_id, lock=True)
        if cart.status == "voided":
            raise Conflict(
                f"Sale {cart.receipt_number} was voided at {cart.voided_at:%Y-%m-%d %H:%M}."
            )
        if cart.status != "completed":
            raise Conflict(f"Cart {cart.id} is open: only a completed sale can be voided.")
        cart.status = "voided"
        cart.voided_at = datetime.now(UTC)
        cart.voided_by = self.actor.user_id
        cart.void_reason = body.reason
        for line in cart.lines:
            if line.item_id is None:
                continue
            unit = await self.session.get(SellableItem, line.item_id, with_for_update=True)
            if unit is not None and unit.sold_in_sale_id == cart.id:
                unit.sold_in_sale_id = None
                unit.held_by_cart_id = None
                unit.sellable = True
                unit.status = "on_shelf"
        if cart.cash_amount:
            drawer = await self._refund_drawer(cart)
            if drawer is not None:
                self.session.add(
                    move(
                        drawer,
                        "void_refund",
                        -cart.cash_amount,
                        self.actor.user_id,
                        sale_id=cart.id,
                        note=body.reason,
                    )
                )
        await self.session.flush()
        await sale_voided(self.session, cart, self.actor.user_id)
        return cart

    # -- rules -------------------------------------------------------------------------------

    async def _replay(self, cart: Cart, key: str, digest: str) -> bool:
        if cart.idempotency_key == key:
            if cart.request_hash != digest:
                raise Unprocessable("Idempotency-Key was used for this sale with a different body.")
            return True
        other = await self.session.scalar(select(Cart.id).where(Cart.idempotency_key == key))
        if other is not None:
            raise Unprocessable(f"Idempotency-Key was already used for sale {other}.")
        return False

    async def _customer(self, number: str | None) -> str | None:
        """The customer number as auth issued it; 422 for one POS does not know (or inactive)."""
        if number is None:
            return None
        customer = await self.session.scalar(
            select(Customer).where(func.upper(Customer.customer_number) == number.strip().upper())
        )
        if customer is None or not customer.is_active:
            raise Unprocessable(f"customer_number: no active customer {number}.")
        return customer.customer_number

    async def _open_cart(self, cart_id: uuid.UUID) -> Cart:
        cart = await self.get(cart_id, lock=True)
        if cart.status != "open":
            raise Conflict(f"Cart {cart.id} is {cart.status}; it can no longer change.")
        self._own_or_manager(cart.cashier_id)
        return cart

    def _own_or_manager(self, cashier_id: str) -> None:
        if cashier_id != self.actor.user_id and not self.actor.has_role(Role.branch_head):
            raise PermissionDenied("Only the drawer's cashier or a branch head may do this.")

    def _check_discount(self, percent: Decimal) -> None:
        cap = self.settings.advisor_discount_cap_percent
        if percent > cap and not self.actor.has_role(Role.branch_head):
            raise PermissionDenied(f"Discounts above {cap}% need a branch head.")

    @staticmethod
    def _check_unit(cart: Cart, unit: SellableItem) -> None:
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

    @staticmethod
    def _line(cart: Cart, line_no: int) -> CartLine:
        line = next((line for line in cart.lines if line.line_no == line_no), None)
        if line is None:
            raise NotFound(f"Cart {cart.id} has no line {line_no}.")
        return line

    @staticmethod
    def _add_line(
        cart: Cart,
        kind: str,
        sku: str,
        name: str,
        quantity: Decimal,
        price: Decimal,
        discount: Decimal,
        **ids: uuid.UUID,
    ) -> None:
        number = max((line.line_no for line in cart.lines), default=0) + 1
        cart.lines.append(
            CartLine(
                line_no=number,
                kind=kind,
                sku=sku,
                name=name,
                quantity=quantity,
                unit_price=price,
                discount_percent=discount,
                line_total=Decimal(0),
                **ids,
            )
        )

    async def _units_still_sellable(self, cart: Cart) -> list[SellableItem]:
        """The cart's units, locked in one statement (in id order, so two completes never
        deadlock); 409 naming any that left the shelf since it was added."""
        wanted = {line.item_id: line for line in cart.lines if line.item_id is not None}
        if not wanted:
            return []
        rows = await self.session.scalars(
            select(SellableItem)
            .where(SellableItem.id.in_(wanted))
            .order_by(SellableItem.id)
            .with_for_update()
        )
        units = {unit.id: unit for unit in rows}
        for item_id, line in wanted.items():
            unit = units.get(item_id)
            held = unit is not None and unit.held_by_cart_id == cart.id
            if unit is None or not held or not unit.sellable or unit.sold_in_sale_id is not None:
                status = "gone" if unit is None else unit.status
                raise Conflict(f"Item {line.sku} is {status} now; remove line {line.line_no}.")
        return list(units.values())

    async def _refund_drawer(self, cart: Cart) -> Drawer | None:
        """The sale's drawer if it is still open, else the register's open drawer, if any."""
        drawer = await self._locked_drawer(Drawer.id == cart.drawer_id)
        if drawer is not None and drawer.status == "open":
            return drawer
        return await self._locked_drawer(
            Drawer.register_id == cart.register_id, Drawer.status == "open"
        )

    async def _locked_drawer(self, *where: Any) -> Drawer | None:
        statement = select(Drawer).where(*where).with_for_update(of=Drawer)
        return (await self.session.execute(statement)).unique().scalar_one_or_none()

    async def _recalculate(self, cart: Cart) -> Cart:
        totals = []
        for line in cart.lines:
            line.discount_amount, line.line_total = line_amounts(
                line.quantity, line.unit_price, line.discount_percent
            )
            totals.append(line.line_total)
        cart.subtotal, cart.discount_total, cart.tax_total, cart.total = cart_amounts(
            totals, cart.discount_percent, cart.tax_rate
        )
        await self.session.flush()
        return await self._reload(cart.id)

    async def _reload(self, cart_id: uuid.UUID) -> Cart:
        cart = await self.session.get(Cart, cart_id, populate_existing=True)
        assert cart is not None
        return cart
