"""Unit item rules: SKUs, the status machine, the ledger, history, price logs and events.

A unit is in stock (one on the ledger at its location) while it has a location and is
neither sold nor lost. Every status change, move and price change writes an
``item_history`` row and an event in the same transaction. POS's sales and voids reach
a unit through ``sell`` and ``give_back`` (the system acting for the event's actor).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable, field_error
from common.money import optional_wire
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import changes as sent
from inventory.events.contracts import ItemCreated, ItemStatusChanged, ItemUpdated
from inventory.events.outbox import outbox
from inventory.items.models import OUT_OF_STOCK, Item, ItemEvent, ItemStatus, ProcessingTier, Source
from inventory.items.repository import ItemFilters, ItemRepository, Stockable
from inventory.items.schemas import CheckIn, ItemIn, ItemUpdate
from inventory.ledger.models import Voucher
from inventory.ledger.service import Move, StockLedger
from inventory.locations.service import LocationService
from inventory.prices.models import PricedThing, PriceLog
from inventory.prices.service import PriceLogService
from inventory.stores.service import StoreService

# status → the statuses staff may set by hand (sold/returned come from POS events)
MANUAL: dict[str, set[ItemStatus]] = {
    ItemStatus.intake: {ItemStatus.on_shelf, ItemStatus.damaged, ItemStatus.lost},
    ItemStatus.on_shelf: {
        ItemStatus.intake,
        ItemStatus.reserved,
        ItemStatus.damaged,
        ItemStatus.lost,
    },
    ItemStatus.reserved: {ItemStatus.on_shelf, ItemStatus.damaged, ItemStatus.lost},
    ItemStatus.damaged: {ItemStatus.intake, ItemStatus.on_shelf, ItemStatus.lost},
    ItemStatus.lost: {ItemStatus.intake},
    ItemStatus.returned: {
        ItemStatus.intake,
        ItemStatus.on_shelf,
        ItemStatus.damaged,
        ItemStatus.lost,
    },
    ItemStatus.sold: set(),
}
ONE = Decimal(1)


@dataclass(frozen=True)
class NewUnit:
    """One unit to create in intake (from a manifest row): no location yet, so no stock."""

    name: str
    product_id: uuid.UUID | None
    category: str
    brand: str
    condition: str
    price: Decimal | None
    cost: Decimal | None
    attributes: dict[str, Any]
    batch_group_id: uuid.UUID | None
    manifest_row_id: int | None
    description: str = ""
    notes: str = ""


def unit_payload(item: Item) -> dict[str, Any]:
    """Everything POS needs to sell the unit from its own read-model."""
    return {
        "item_id": item.id,
        "sku": item.sku,
        "name": item.name,
        "description": item.description,
        "product_id": item.product_id,
        "category": item.category,
        "brand": item.brand,
        "condition": item.condition,
        "source": item.source,
        "status": item.status,
        "sellable": item.sellable,
        "price": item.price,
        "currency": item.currency,
        "store_id": item.store_id,
        "location_id": item.location_id,
        "owner_id": item.owner_id,
    }


class ItemService:
    """``actor`` is the caller (their stores only); ``for_system`` acts for an event."""

    def __init__(
        self, session: AsyncSession, actor: Principal | None, *, actor_id: str | None = None
    ) -> None:
        self.session = session
        self.actor = actor
        self.actor_id = actor.user_id if actor is not None else actor_id
        self.items = ItemRepository(session)
        self.locations = LocationService(session)
        self.prices = PriceLogService(session)

    @classmethod
    def for_system(cls, session: AsyncSession, *, actor: str | None) -> ItemService:
        """The service acting for an event: no store scope; rows and events name ``actor``."""
        return cls(session, None, actor_id=actor)

    # -- reading ---------------------------------------------------------------------------

    async def get(self, item_id: uuid.UUID) -> Item:
        item = await self.items.get(item_id)
        if item is None:
            raise NotFound(f"Item {item_id} not found.")
        if self.actor is not None:
            check_store(self.actor, item.store_id)
        return item

    async def by_sku(self, sku: str) -> Item:
        item = await self.items.by_sku(sku)
        if item is None:
            raise NotFound(f"No item with SKU {sku}.")
        return item

    async def stockable(self, sku: str) -> Stockable | None:
        """The unit or catalog article a SKU names (with its stock key), or None."""
        return await self.items.stockable(sku)

    async def listing(self, filters: ItemFilters, page: PageParams) -> tuple[int, list[Any]]:
        return await self.items.listing(self._caller(), filters, page)

    async def history_list(
        self, item_id: uuid.UUID | None, event_type: str | None, page: PageParams
    ) -> tuple[int, list[Any]]:
        return await self.items.history(self._caller(), item_id, event_type, page)

    def _caller(self) -> Principal:
        if self.actor is None:
            raise RuntimeError("a listing is for a caller")
        return self.actor

    # -- writing ---------------------------------------------------------------------------

    async def _sku(self, wanted: str | None) -> str:
        if wanted is None:
            return f"ITM-{await self.items.next_sku_number():06d}"
        sku = wanted.upper()
        if await self.items.sku_taken(sku):
            raise field_error("sku", f"SKU {sku} is already in use.", status=Conflict)
        return sku

    async def create(self, body: ItemIn) -> Item:
        item, _ = await self.create_once(body, None)
        return item

    async def create_once(self, body: ItemIn, idempotency_key: str | None) -> tuple[Item, bool]:
        """(the unit, whether it is new): with ``idempotency_key``, a repeat (same key, same
        unit) answers the unit the first request made and writes nothing more."""
        if self.actor is not None:
            check_store(self.actor, body.store_id)
        if idempotency_key is not None:
            earlier = await self.items.by_idempotency_key(idempotency_key)
            if earlier is not None:
                return self._same_unit(earlier, body), False
        if body.owner_id is not None and body.source != Source.consignment:
            raise field_error(
                "owner_id", "Only a consignment unit (source consignment) has an owner."
            )
        await StoreService(self.session).known(body.store_id)
        if body.location_id is not None:
            await self.locations.in_store(body.location_id, body.store_id, "location_id")
        values: dict[str, Any] = body.model_dump()
        values["sku"] = await self._sku(body.sku)
        item = Item(
            **values,
            status=ItemStatus.intake,
            created_by=self.actor_id,
            idempotency_key=idempotency_key,
        )
        if idempotency_key is None:
            item = await self.items.add(item)
        elif not await self.items.add_keyed(item):
            earlier = await self.items.by_idempotency_key(idempotency_key)
            if earlier is None:
                raise Conflict("This Idempotency-Key is being used by another request; try again.")
            return self._same_unit(earlier, body), False
        self.history(item, "created", None, ItemStatus.intake, {"sku": item.sku})
        if item.price is not None:
            self.price_log(item, None, "inventory.item.created")
        if item.location_id is not None:
            await self._stock(item, +1, item.location_id, Voucher.item, "intake")
        await outbox.publish(self.session, ItemCreated(**unit_payload(item)), actor=self.actor_id)
        return item, True

    @staticmethod
    def _same_unit(earlier: Item, body: ItemIn) -> Item:
        sent = (body.store_id, body.name, body.source, body.owner_id)
        if (earlier.store_id, earlier.name, earlier.source, earlier.owner_id) != sent:
            raise Unprocessable(
                "This Idempotency-Key was used for another unit; use a new key for a new unit."
            )
        return earlier

    async def create_intake_units(
        self,
        units: Sequence[NewUnit],
        *,
        store_id: uuid.UUID,
        currency: str,
        purchase_order_id: uuid.UUID,
    ) -> list[uuid.UUID]:
        """Many units in intake at once (a manifest's): multi-row inserts of the units, their
        ``created`` history and their ``inventory.item.created`` events, in this transaction."""
        if self.actor is not None:
            check_store(self.actor, store_id)
        now = datetime.now(UTC)
        numbers = await self.items.next_sku_numbers(len(units))
        rows: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        events: list[ItemCreated] = []
        for unit, number in zip(units, numbers, strict=True):
            item_id, sku = uuid.uuid4(), f"ITM-{number:06d}"
            row = {
                "id": item_id,
                "sku": sku,
                "name": unit.name,
                "description": unit.description,
                "product_id": unit.product_id,
                "category": unit.category,
                "brand": unit.brand,
                "condition": unit.condition,
                "source": Source.purchase_order,
                "status": ItemStatus.intake,
                "price": unit.price,
                "cost": unit.cost,
                "currency": currency,
                "store_id": store_id,
                "location_id": None,
                "attributes": unit.attributes,
                "notes": unit.notes,
                "created_by": self.actor_id,
                "purchase_order_id": purchase_order_id,
                "manifest_row_id": unit.manifest_row_id,
                "batch_group_id": unit.batch_group_id,
                "processing_tier": ProcessingTier.batch
                if unit.batch_group_id
                else ProcessingTier.individual,
                "created_at": now,
                "updated_at": now,
            }
            rows.append(row)
            history.append(
                {
                    "item_id": item_id,
                    "event_type": "created",
                    "from_status": None,
                    "to_status": ItemStatus.intake,
                    "details": {"sku": sku, "purchase_order_id": str(purchase_order_id)},
                    "actor": self.actor_id,
                }
            )
            events.append(
                ItemCreated(
                    item_id=item_id,
                    sku=sku,
                    name=unit.name,
                    description=unit.description,
                    product_id=unit.product_id,
                    category=unit.category,
                    brand=unit.brand,
                    condition=unit.condition,
                    source=Source.purchase_order,
                    status=ItemStatus.intake,
                    sellable=False,
                    price=unit.price,
                    currency=currency,
                    store_id=store_id,
                    location_id=None,
                )
            )
        await self.items.insert_many(rows, history)
        await outbox.publish_many(self.session, events, actor=self.actor_id)
        return [row["id"] for row in rows]

    async def of_order(
        self,
        order_id: uuid.UUID,
        *,
        ids: Sequence[uuid.UUID] | None = None,
        status: str | None = None,
    ) -> list[Item]:
        return await self.items.of_order(order_id, ids=ids, status=status)

    async def in_group(self, group_id: uuid.UUID, *, status: str | None = None) -> list[Item]:
        return await self.items.in_group(group_id, status=status)

    async def update(self, item_id: uuid.UUID, body: ItemUpdate) -> Item:
        item = await self.get(item_id)
        changes = sent(body)
        if item.status == ItemStatus.sold and changes:
            raise Conflict(f"Item {item.sku} is sold; a sold unit is not edited.")
        if (
            item.batch_group_id is not None
            and "product_id" in changes
            and changes["product_id"] != item.product_id
        ):
            raise Conflict(
                f"Item {item.sku} is in a batch group of one product; a group never holds two "
                "products: detach the unit from its batch group first."
            )
        status = changes.pop("status", None)
        location_id = changes.pop("location_id", None)
        old_price = item.price
        for field, value in changes.items():
            setattr(item, field, value)
        if location_id is not None and location_id != item.location_id:
            await self.move(item, location_id)
        if "price" in changes and old_price != item.price:
            self.price_log(item, old_price, "inventory.item.updated")
            self.history(
                item,
                "priced",
                None,
                None,
                {"old_price": optional_wire(old_price), "new_price": optional_wire(item.price)},
            )
        await self.session.flush()
        if changes:
            await outbox.publish(
                self.session,
                ItemUpdated(**unit_payload(item), changed=sorted(changes)),
                actor=self.actor_id,
            )
        if status is not None and status != item.status:
            if status == ItemStatus.on_shelf:
                await self._to_shelf(item, "ready")
            else:
                await self.transition(item, status, "status_changed")
        return await self.items.save(item)

    async def move(self, item: Item, location_id: uuid.UUID) -> None:
        target = await self.locations.in_store(location_id, item.store_id, "location_id")
        source = item.location_id
        if item.in_stock and source is not None:
            key = await self.items.key_of(item)
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
                voucher_type=Voucher.item_move,
                voucher_id=str(item.id),
            )
        elif item.status not in OUT_OF_STOCK:
            await self._stock(item, +1, target.id, Voucher.item, "located")
        item.location_id = target.id
        self.history(
            item,
            "moved",
            None,
            None,
            {"from": None if source is None else str(source), "to": str(target.id)},
        )

    async def check_in(self, item_id: uuid.UUID, body: CheckIn) -> Item:
        item = await self.get(item_id)
        if item.status != ItemStatus.intake:
            raise Conflict(
                f"Item {item.sku} is {item.status}; only an item in intake can be checked in."
            )
        changes = sent(body)
        location_id = changes.pop("location_id", None)
        old_price = item.price
        for field, value in changes.items():
            setattr(item, field, value)
        if location_id is not None and location_id != item.location_id:
            await self.move(item, location_id)
        if old_price != item.price:
            self.price_log(item, old_price, "inventory.item.check_in")
        await self._to_shelf(item, "checked_in")
        item.checked_in_at = datetime.now(UTC)
        return await self.items.save(item)

    async def detach(self, item: Item) -> None:
        """The unit leaves its batch group: processed on its own from now on."""
        group = item.batch_group_id
        item.batch_group_id = None
        item.processing_tier = ProcessingTier.individual
        self.history(
            item, "detached", None, None, {"batch_group_id": None if group is None else str(group)}
        )
        await outbox.publish(
            self.session,
            ItemUpdated(**unit_payload(item), changed=["batch_group_id", "processing_tier"]),
            actor=self.actor_id,
        )

    async def ready(self, item_id: uuid.UUID) -> Item:
        item = await self.get(item_id)
        if item.status == ItemStatus.on_shelf:
            raise Conflict(f"Item {item.sku} is already on the shelf.")
        await self._to_shelf(item, "ready")
        return await self.items.save(item)

    async def _to_shelf(self, item: Item, event_type: str) -> None:
        if ItemStatus.on_shelf not in MANUAL[item.status]:
            raise self._illegal(item, ItemStatus.on_shelf)
        missing = [field for field in ("price", "location_id") if getattr(item, field) is None]
        if missing:
            raise Conflict(
                f"Item {item.sku} needs {' and '.join(missing)} before it goes on the shelf."
            )
        await self.transition(item, ItemStatus.on_shelf, event_type)

    def _illegal(self, item: Item, wanted: ItemStatus) -> Conflict:
        allowed = ", ".join(sorted(MANUAL[item.status])) or "none (POS voids a sale)"
        return Conflict(
            f"Item {item.sku} is {item.status}; it cannot become {wanted} by hand. "
            f"Allowed next: {allowed}."
        )

    async def transition(
        self,
        item: Item,
        status: ItemStatus,
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
        was_in_stock = item.in_stock
        previous = item.status
        item.status = status
        voucher_type, voucher_id = voucher or (Voucher.item_status, str(item.id))
        if ledger and was_in_stock != item.in_stock and item.location_id is not None:
            await self._stock(
                item,
                +1 if item.in_stock else -1,
                item.location_id,
                voucher_type,
                line or status,
                voucher_id,
            )
        self.history(item, event_type, previous, status, details or {})
        await self.session.flush()
        await outbox.publish(
            self.session,
            ItemStatusChanged(
                **unit_payload(item), from_status=previous, event=event_type, **(details or {})
            ),
            actor=self.actor_id,
        )

    async def delete(self, item_id: uuid.UUID) -> None:
        item = await self.get(item_id)
        key = await self.items.key_of(item)
        if await self.items.has_moved(key):
            raise Conflict(
                f"Item {item.sku} has stock history; mark it lost or damaged instead of deleting it."
            )
        gone = ItemStatusChanged(
            **{**unit_payload(item), "status": "deleted", "sellable": False},
            from_status=item.status,
            event="deleted",
        )
        await self.items.delete(item, key)
        await outbox.publish(self.session, gone, actor=self.actor_id)

    # -- POS: a sale line, a void ----------------------------------------------------------

    async def sell(self, item: Item, *, sale_id: str, line: str, receipt: str | None) -> bool:
        """Sell the unit on a POS sale line; False (and a history row) when it was not
        sellable any more: on the shelf or reserved, and in stock."""
        sale = {"sale_id": sale_id, "line_id": line, "receipt_number": receipt}
        if item.status not in (ItemStatus.on_shelf, ItemStatus.reserved) or not item.in_stock:
            self.history(item, "oversold", item.status, item.status, sale)
            return False
        await self.transition(
            item,
            ItemStatus.sold,
            "sold",
            check=False,
            details=sale,
            voucher=(Voucher.pos_sale, sale_id),
            line=line,
        )
        item.sold_at = datetime.now(UTC)
        item.sale_id = sale_id
        return True

    async def give_back(self, sale_id: str, reason: str | None) -> None:
        """A voided sale's units go back on the shelf (the void already reversed the ledger)."""
        for item in await self.items.sold_in(sale_id):
            await self.transition(
                item,
                ItemStatus.on_shelf,
                "voided",
                check=False,
                details={"sale_id": sale_id, "reason": reason},
                ledger=False,
            )
            item.sale_id = None
            item.sold_at = None

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
        key = await self.items.key_of(item)
        await StockLedger(self.session, self.actor_id).post(
            [Move(stock_key_id=key.id, location_id=location_id, change=change * ONE, line=line)],
            voucher_type=voucher_type,
            voucher_id=voucher_id or str(item.id),
            allow_negative=False,
        )

    def history(
        self,
        item: Item,
        event_type: str,
        from_status: str | None,
        to_status: str | None,
        details: dict[str, Any],
    ) -> None:
        self.items.add_event(
            ItemEvent(
                item_id=item.id,
                event_type=event_type,
                from_status=from_status,
                to_status=to_status,
                details=details,
                actor=self.actor_id,
            )
        )

    def price_log(self, item: Item, old: Decimal | None, source: str) -> None:
        self.prices.record(
            PriceLog(
                subject_type=PricedThing.item,
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
