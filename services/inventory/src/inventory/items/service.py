"""Unit item rules: SKUs, the status machine, the ledger, history, price logs and events.

A unit is in stock (one on the ledger at its location) while it has a
location and is neither sold nor lost. Every status change, move and price
change writes an ``item_history`` row and an event in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.roles import Principal
from common.scope import check_store, scoped
from inventory.events import item_payload, money, publish
from inventory.items.schemas import CheckIn, ItemIn, ItemUpdate, Status
from inventory.ledger.keys import key_for_item
from inventory.ledger.posting import Move, StockLedger
from inventory.locations.service import LocationService
from inventory.models import Article, Item, ItemEvent, LedgerRow, PriceLog, Store

OUT_OF_STOCK = {Status.sold, Status.lost}
# status → the statuses staff may set by hand (sold/returned come from POS events)
MANUAL: dict[str, set[Status]] = {
    Status.intake: {Status.on_shelf, Status.damaged, Status.lost},
    Status.on_shelf: {Status.intake, Status.reserved, Status.damaged, Status.lost},
    Status.reserved: {Status.on_shelf, Status.damaged, Status.lost},
    Status.damaged: {Status.intake, Status.on_shelf, Status.lost},
    Status.lost: {Status.intake},
    Status.returned: {Status.intake, Status.on_shelf, Status.damaged, Status.lost},
    Status.sold: set(),
}
SELLABLE = {Status.on_shelf, Status.reserved}
ONE = Decimal(1)


def in_stock(item: Item) -> bool:
    return item.location_id is not None and item.status not in OUT_OF_STOCK


class ItemService:
    def __init__(self, session: AsyncSession, actor: Principal | None) -> None:
        self.session = session
        self.actor = actor
        self.actor_id = None if actor is None else actor.user_id

    # -- reading ---------------------------------------------------------------------------

    async def get(self, item_id: uuid.UUID) -> Item:
        item = await self.session.get(Item, item_id)
        if item is None:
            raise NotFound(f"Item {item_id} not found.")
        if self.actor is not None:
            check_store(self.actor, item.store_id)
        return item

    async def by_sku(self, sku: str) -> Item:
        item = (
            await self.session.execute(select(Item).where(func.upper(Item.sku) == sku.upper()))
        ).scalar_one_or_none()
        if item is None:
            raise NotFound(f"No item with SKU {sku}.")
        return item

    # -- writing ---------------------------------------------------------------------------

    async def _sku(self, wanted: str | None) -> str:
        if wanted is None:
            number = await self.session.scalar(text("SELECT nextval('item_sku_seq')"))
            return f"ITM-{number:06d}"
        sku = wanted.upper()
        taken = await self.session.scalar(
            select(Item.id).where(func.upper(Item.sku) == sku)
        ) or await self.session.scalar(select(Article.id).where(func.upper(Article.sku) == sku))
        if taken is not None:
            raise field_error("sku", f"SKU {sku} is already in use.", status=Conflict)
        return sku

    async def create(self, body: ItemIn) -> Item:
        assert self.actor is not None
        check_store(self.actor, body.store_id)
        store = await self.session.get(Store, body.store_id)
        if store is None or store.deleted:
            raise field_error(
                "store_id", f"Unknown store {body.store_id} (stores come from catalog)."
            )
        if body.location_id is not None:
            await LocationService(self.session).in_store(
                body.location_id, body.store_id, "location_id"
            )
        values: dict[str, Any] = body.model_dump()
        values["sku"] = await self._sku(body.sku)
        item = Item(**values, status=Status.intake, created_by=self.actor_id)
        self.session.add(item)
        await self.session.flush()
        await self.session.refresh(item)
        await self.history(item, "created", None, Status.intake, {"sku": item.sku})
        if item.price is not None:
            await self.price_log(item, None, "inventory.item.created")
        if item.location_id is not None:
            await self._stock(item, +1, item.location_id, "item", "intake")
        await publish(self.session, "inventory.item.created", item_payload(item), self.actor_id)
        return item

    async def update(self, item_id: uuid.UUID, body: ItemUpdate) -> Item:
        item = await self.get(item_id)
        changes = body.model_dump(exclude_unset=True)
        nullable = {"product_id", "price", "cost"}
        for field, value in changes.items():
            if value is None and field not in nullable:
                raise field_error(field, "may not be null")
        if item.status == Status.sold and changes:
            raise Conflict(f"Item {item.sku} is sold; a sold unit is not edited.")
        status = changes.pop("status", None)
        location_id = changes.pop("location_id", None)
        old_price = item.price
        for field, value in changes.items():
            setattr(item, field, value)
        if location_id is not None and location_id != item.location_id:
            await self.move(item, location_id)
        if "price" in changes and old_price != item.price:
            await self.price_log(item, old_price, "inventory.item.updated")
            await self.history(
                item,
                "priced",
                None,
                None,
                {"old_price": money(old_price), "new_price": money(item.price)},
            )
        await self.session.flush()
        if changes:
            await publish(
                self.session,
                "inventory.item.updated",
                {**item_payload(item), "changed": sorted(changes)},
                self.actor_id,
            )
        if status is not None and status != item.status:
            if status == Status.on_shelf:
                await self._to_shelf(item, "ready")
            else:
                await self.transition(item, status, "status_changed")
        await self.session.refresh(item)
        return item

    async def move(self, item: Item, location_id: uuid.UUID) -> None:
        target = await LocationService(self.session).in_store(
            location_id, item.store_id, "location_id"
        )
        source = item.location_id
        if in_stock(item):
            assert source is not None
            key = await key_for_item(self.session, item)
            await StockLedger(self.session, self.actor_id).post(
                [
                    Move(stock_key_id=key.id, location_id=source, change=-ONE, line="from"),
                    Move(
                        stock_key_id=key.id,
                        location_id=target.id,
                        change=ONE,
                        line="to",
                        from_location_id=source,
                    ),
                ],
                voucher_type="item_move",
                voucher_id=str(item.id),
            )
        elif item.status not in OUT_OF_STOCK:
            await self._stock(item, +1, target.id, "item", "located")
        item.location_id = target.id
        await self.history(
            item,
            "moved",
            None,
            None,
            {"from": None if source is None else str(source), "to": str(target.id)},
        )

    async def check_in(self, item_id: uuid.UUID, body: CheckIn) -> Item:
        item = await self.get(item_id)
        if item.status != Status.intake:
            raise Conflict(
                f"Item {item.sku} is {item.status}; only an item in intake can be checked in."
            )
        changes = body.model_dump(exclude_unset=True, exclude={"location_id"})
        old_price = item.price
        for field, value in changes.items():
            if value is None and field not in ("price", "cost"):
                raise field_error(field, "may not be null")
            setattr(item, field, value)
        if body.location_id is not None and body.location_id != item.location_id:
            await self.move(item, body.location_id)
        if old_price != item.price:
            await self.price_log(item, old_price, "inventory.item.check_in")
        await self._to_shelf(item, "checked_in")
        item.checked_in_at = datetime.now(UTC)
        await self.session.flush()
        await self.session.refresh(item)
        return item

    async def ready(self, item_id: uuid.UUID) -> Item:
        item = await self.get(item_id)
        if item.status == Status.on_shelf:
            raise Conflict(f"Item {item.sku} is already on the shelf.")
        await self._to_shelf(item, "ready")
        await self.session.refresh(item)
        return item

    async def _to_shelf(self, item: Item, event_type: str) -> None:
        if Status.on_shelf not in MANUAL[item.status]:
            raise self._illegal(item, Status.on_shelf)
        missing = [field for field in ("price", "location_id") if getattr(item, field) is None]
        if missing:
            raise Conflict(
                f"Item {item.sku} needs {' and '.join(missing)} before it goes on the shelf."
            )
        await self.transition(item, Status.on_shelf, event_type)

    def _illegal(self, item: Item, wanted: Status) -> Conflict:
        allowed = ", ".join(sorted(MANUAL[item.status])) or "none (POS voids a sale)"
        return Conflict(
            f"Item {item.sku} is {item.status}; it cannot become {wanted} by hand. "
            f"Allowed next: {allowed}."
        )

    async def transition(
        self,
        item: Item,
        status: Status,
        event_type: str,
        *,
        check: bool = True,
        details: dict[str, Any] | None = None,
        voucher: tuple[str, str] | None = None,
        line: str | None = None,
        ledger: bool = True,
    ) -> None:
        """Change status; the ledger follows when the unit leaves or re-enters stock
        (``ledger=False`` when the caller already wrote those rows, as a void does)."""
        if check and status not in MANUAL[item.status]:
            raise self._illegal(item, status)
        was_in_stock = in_stock(item)
        previous = item.status
        item.status = status
        now_in_stock = in_stock(item)
        voucher_type, voucher_id = voucher or ("item_status", str(item.id))
        if ledger and was_in_stock != now_in_stock and item.location_id is not None:
            await self._stock(
                item,
                +1 if now_in_stock else -1,
                item.location_id,
                voucher_type,
                line or status,
                voucher_id,
            )
        await self.history(item, event_type, previous, status, details or {})
        await self.session.flush()
        await publish(
            self.session,
            "inventory.item.status_changed",
            {**item_payload(item), "from_status": previous, "event": event_type, **(details or {})},
            self.actor_id,
        )

    async def delete(self, item_id: uuid.UUID) -> None:
        item = await self.get(item_id)
        key = await key_for_item(self.session, item)
        moved = await self.session.scalar(
            select(LedgerRow.id).where(LedgerRow.stock_key_id == key.id).limit(1)
        )
        if moved is not None:
            raise Conflict(
                f"Item {item.sku} has stock history; mark it lost or damaged instead of deleting it."
            )
        await self.session.delete(key)
        await self.session.delete(item)
        await self.session.flush()
        await publish(
            self.session,
            "inventory.item.status_changed",
            {
                **item_payload(item),
                "from_status": item.status,
                "status": "deleted",
                "sellable": False,
                "event": "deleted",
            },
            self.actor_id,
        )

    # -- records ---------------------------------------------------------------------------

    async def _stock(
        self,
        item: Item,
        change: int,
        location_id: uuid.UUID,
        voucher_type: str,
        line: str,
        voucher_id: str | None = None,
    ) -> None:
        key = await key_for_item(self.session, item)
        await StockLedger(self.session, self.actor_id).post(
            [Move(stock_key_id=key.id, location_id=location_id, change=change * ONE, line=line)],
            voucher_type=voucher_type,
            voucher_id=voucher_id or str(item.id),
            allow_negative=False,
        )

    async def history(
        self,
        item: Item,
        event_type: str,
        from_status: str | None,
        to_status: str | None,
        details: dict[str, Any],
    ) -> None:
        self.session.add(
            ItemEvent(
                item_id=item.id,
                event_type=event_type,
                from_status=from_status,
                to_status=to_status,
                details=details,
                actor=self.actor_id,
            )
        )

    async def price_log(self, item: Item, old: Any, source: str) -> None:
        self.session.add(
            PriceLog(
                subject_type="item",
                subject_id=str(item.id),
                sku=item.sku,
                name=item.name,
                old_price=old,
                new_price=item.price,
                currency=item.currency,
                source=source,
                actor=self.actor_id,
            )
        )

    # -- listing ---------------------------------------------------------------------------

    @staticmethod
    def listing(principal: Principal, filters: dict[str, Any]) -> Select[Any]:
        statement = scoped(select(Item), Item.store_id, principal)
        for field in ("status", "source", "condition", "category"):
            if filters.get(field):
                statement = statement.where(getattr(Item, field) == filters[field])
        if filters.get("location"):
            statement = statement.where(Item.location_id == filters["location"])
        if filters.get("store"):
            statement = statement.where(Item.store_id == filters["store"])
        return statement
