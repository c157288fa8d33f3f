"""Batch group rules, and creating an order's units from its final manifest rows.

``create-items`` (or ``deliver``, when the rows are final) turns each final row into
``quantity`` units in intake — name, product, condition, price, cost and specs from the row —
and groups them: one batch group per product (or, without one, per title) and condition. It
runs once: a second call answers what exists. A group's ``process`` applies a price, a
condition and a location to all its units still in intake (a location puts each on the
ledger); ``check-in`` puts them on the shelf (each needs a price and a location, else 409
naming what is missing); ``detach`` takes one unit out to be processed on its own. A group is
``checked_in`` once none of its units is left in intake.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.money import round_money
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from inventory.batches.models import BatchGroup, BatchStatus
from inventory.batches.repository import BatchRepository
from inventory.batches.schemas import CheckInIn, CheckInItemsIn, DetachIn, ProcessIn
from inventory.intake_products.service import IntakeProductService
from inventory.items.models import Condition, Item, ItemStatus
from inventory.items.repository import ItemRepository
from inventory.items.schemas import CheckIn, ItemUpdate
from inventory.items.service import ItemService, NewUnit
from inventory.manifests.models import ManifestRow, PricingStage
from inventory.manifests.repository import ManifestRepository
from inventory.manifests.service import ManifestService
from inventory.manifests.steps import Step, must_come_first
from inventory.orders.models import PurchaseOrder
from inventory.orders.states import RECEIVABLE

MAX_UNITS = 200_000
HIGHEST_COST = Decimal("9999999999.99")


class BatchService:
    def __init__(
        self, session: AsyncSession, actor: Principal | None, *, actor_id: str | None = None
    ) -> None:
        self.actor = actor
        self.actor_id = actor.user_id if actor is not None else actor_id
        self.stages = ManifestService(session, actor, actor_id=actor_id)
        self.rows = ManifestRepository(session)
        self.groups = BatchRepository(session)
        self.items = ItemService(session, actor, actor_id=actor_id)
        self.item_rows = ItemRepository(session)
        self.products = IntakeProductService(session)

    # -- creating the units ----------------------------------------------------------------

    async def create_items(self, order_id: uuid.UUID) -> dict[str, Any]:
        staged = await self.stages.standardised(order_id)
        return await self._create(staged.order, staged.manifest)

    async def create_if_ready(self, order: PurchaseOrder) -> None:
        """``deliver``'s hook: the units are created now when the rows are final (a delivery
        before that leaves create-items for later)."""
        manifest = await self.rows.of_order(order.id, lock=True)
        if (
            manifest is not None
            and manifest.finalized_at is not None
            and manifest.items_created_at is None
        ):
            await self._create(order, manifest)

    async def check_create(self, order: PurchaseOrder, manifest: Any) -> None:
        """What refuses create-items before any unit is made: rows not final, an order not
        approved (409)."""
        if manifest.finalized_at is None:
            left = await self.rows.row_count(order.id, pricing_stage__not=PricingStage.final)
            raise must_come_first(order.number, Step.finalize, f" ({left} rows are not final)")
        if order.status not in RECEIVABLE:
            raise Conflict(
                f"Order {order.number} is {order.status}; units are created once it is approved."
            )

    async def _create(self, order: PurchaseOrder, manifest: Any) -> dict[str, Any]:
        if manifest.items_created_at is not None:
            return {
                "items": await self.item_rows.count_of_order(order.id),
                "batch_groups": await self.groups.count_of_order(order.id),
                "created": False,
            }
        await self.check_create(order, manifest)
        rows = await self.rows.rows(order.id)
        units = sum(row.quantity for row in rows)
        if units > MAX_UNITS:
            raise Conflict(
                f"Order {order.number}: {units:,} units; at most {MAX_UNITS:,} per order."
            )
        names = await self.products.names(
            [row.matched_product_id for row in rows if row.matched_product_id]
        )
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        new_units: list[NewUnit] = []
        now = datetime.now(UTC)
        for row in rows:
            condition = row.condition or Condition.good.value
            product = row.matched_product_id
            key = (str(product) if product else "title:" + row.clean_title.casefold(), condition)
            group = groups.get(key)
            if group is None:
                group = groups[key] = {
                    "id": uuid.uuid4(),
                    "order_id": order.id,
                    "store_id": order.store_id,
                    "product_id": product,
                    "title": (names.get(product) if product else None) or row.clean_title,
                    "condition": condition,
                    "status": BatchStatus.pending,
                    "created_by": self.actor_id,
                    "created_at": now,
                    "updated_at": now,
                }
            new_units.extend([_unit(row, condition, group["id"])] * row.quantity)
        await self.groups.add_many(list(groups.values()))
        await self.items.create_intake_units(
            new_units, store_id=order.store_id, currency=order.currency, purchase_order_id=order.id
        )
        manifest.items_created_at = now
        await self.rows.flush()
        return {"items": len(new_units), "batch_groups": len(groups), "created": True}

    # -- the groups ------------------------------------------------------------------------

    async def get(self, group_id: uuid.UUID, *, lock: bool = False) -> BatchGroup:
        group = await self.groups.get(group_id, lock=lock)
        if group is None:
            raise NotFound(f"Batch group {group_id} not found.")
        if self.actor is not None:
            check_store(self.actor, group.store_id)
        return group

    async def view(self, group_id: uuid.UUID) -> dict[str, Any]:
        group = await self.get(group_id)
        return (await self._views([group]))[0]

    async def listing(
        self,
        *,
        status: str | None,
        order: uuid.UUID | None,
        product: uuid.UUID | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        if self.actor is None:
            raise RuntimeError("a listing is for a caller")
        count, groups = await self.groups.listing(
            self.actor, status=status, order=order, product=product, page=page
        )
        return count, await self._views(groups)

    async def process(self, group_id: uuid.UUID, body: ProcessIn) -> dict[str, Any]:
        group = await self.get(group_id, lock=True)
        if group.status == BatchStatus.checked_in:
            raise Conflict(
                f"Batch group {group.title!r} is checked in; detach a unit to change it."
            )
        values = body.model_dump(exclude_none=True)
        if not values:
            raise field_error("price", "Send a price, a condition or a location_id to apply.")
        for item in await self.items.in_group(group.id, status=ItemStatus.intake):
            await self.items.update(item.id, ItemUpdate(**values))
        for field, value in values.items():
            setattr(group, field, value)
        group.status = BatchStatus.processed
        group.processed_at = datetime.now(UTC)
        await self.groups.save(group)
        return await self.view(group.id)

    async def check_in(self, group_id: uuid.UUID, body: CheckInIn) -> dict[str, Any]:
        group = await self.get(group_id, lock=True)
        waiting = await self.items.in_group(group.id, status=ItemStatus.intake)
        if not waiting:
            raise Conflict(f"Batch group {group.title!r} has no unit left in intake.")
        await self._check_in(
            waiting,
            location_id=body.location_id or group.location_id,
            price=body.price or group.price,
        )
        await self._settle(group)
        return await self.view(group.id)

    async def detach(self, group_id: uuid.UUID, body: DetachIn) -> dict[str, Any]:
        group = await self.get(group_id, lock=True)
        item = await self.items.get(body.item_id)
        if item.batch_group_id != group.id:
            raise field_error("item_id", f"Item {item.sku} is not in batch group {group.title!r}.")
        await self.items.detach(item)
        await self.item_rows.save(item)
        await self._settle(group)
        return await self.view(group.id)

    async def check_in_items(self, order_id: uuid.UUID, body: CheckInItemsIn) -> dict[str, int]:
        staged = await self.stages.stage(order_id)
        order = staged.order
        wanted = list(dict.fromkeys(body.item_ids))
        found = {item.id: item for item in await self.items.of_order(order.id, ids=wanted)}
        strangers = [str(item) for item in wanted if item not in found]
        if strangers:
            raise field_error(
                "item_ids", f"Not units of order {order.number}: {', '.join(strangers[:20])}."
            )
        done = [item for item in found.values() if item.status != ItemStatus.intake]
        if done:
            raise Conflict(
                f"Not in intake any more: {', '.join(f'{item.sku} ({item.status})' for item in done[:20])}."
            )
        await self._check_in(list(found.values()), location_id=body.location_id, price=body.price)
        for group_id in {item.batch_group_id for item in found.values() if item.batch_group_id}:
            group = await self.groups.get(group_id, lock=True)
            if group is not None:
                await self._settle(group)
        remaining = await self.item_rows.count_of_order(order.id, status=ItemStatus.intake)
        return {"checked_in": len(found), "remaining_in_intake": remaining}

    async def _check_in(
        self, items: list[Item], *, location_id: uuid.UUID | None, price: Decimal | None
    ) -> None:
        missing = [
            item.sku
            for item in items
            if (item.price is None and price is None)
            or (item.location_id is None and location_id is None)
        ]
        if missing:
            raise Conflict(
                f"Units {', '.join(missing[:20])} need a price and a location before check-in "
                "(send them, or process the batch first)."
            )
        for item in items:
            changes: dict[str, Any] = {}
            if item.location_id is None and location_id is not None:
                changes["location_id"] = location_id
            if item.price is None and price is not None:
                changes["price"] = price
            await self.items.check_in(item.id, CheckIn(**changes))

    async def _settle(self, group: BatchGroup) -> None:
        counts = (await self.item_rows.counts_by_group([group.id])).get(group.id, {})
        if not counts.get(ItemStatus.intake) and counts and group.status != BatchStatus.checked_in:
            group.status = BatchStatus.checked_in
            group.checked_in_at = datetime.now(UTC)
        await self.groups.save(group)

    async def _views(self, groups: list[BatchGroup]) -> list[dict[str, Any]]:
        counts = await self.item_rows.counts_by_group([group.id for group in groups])
        views = []
        for group in groups:
            by_status = counts.get(group.id, {})
            views.append(
                {
                    **{
                        column.key: getattr(group, column.key)
                        for column in BatchGroup.__table__.columns
                    },
                    "item_count": sum(by_status.values()),
                    "items_by_status": by_status,
                }
            )
        return views


def _unit(row: ManifestRow, condition: str, group_id: uuid.UUID) -> NewUnit:
    specs = {**(row.specs or {}), **(row.ai_specs or {})}
    return NewUnit(
        name=row.clean_title,
        product_id=row.matched_product_id,
        category=row.category or "",
        brand=row.clean_brand or "",
        condition=condition,
        price=row.final_price,
        cost=None if row.unit_cost is None else round_money(min(row.unit_cost, HIGHEST_COST)),
        attributes=specs,
        batch_group_id=group_id,
        manifest_row_id=row.id,
        description=row.description or "",
    )
