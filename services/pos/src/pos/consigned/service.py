"""Consigned items: a unit item of inventory's, in POS's read-model, taken in under an active
agreement version (which it keeps); one consignment per unit. Deleting gives it back to the
consignee (status ``returned``), refused once sold. Taking in is idempotent by the client's
``Idempotency-Key`` (DESIGN.md's semantics; ``common.idempotency``)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable
from common.idempotency import derived_key, earlier_write, request_hash
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import apply_changes
from pos.agreements.repository import AgreementRepository
from pos.consigned.repository import ConsignedRepository
from pos.consigned.schemas import ConsignedItemIn, ConsignedItemUpdate, NewUnitIn
from pos.consignment.models import (
    Agreement,
    AgreementStatus,
    ConsignedItem,
    ConsignedStatus,
)
from pos.consignment.published import item_event
from pos.consignment.remote import Remote
from pos.events.outbox import outbox
from pos.shelf.models import SellableItem
from pos.shelf.repository import ShelfRepository


def inventory_key(idempotency_key: str) -> str:
    """The ``Idempotency-Key`` POS sends inventory for the unit a client's key asks for."""
    return derived_key("pos-consigned-item", idempotency_key)


class ConsignedService:
    def __init__(self, session: AsyncSession, actor: Principal, remote: Remote) -> None:
        self.items = ConsignedRepository(session)
        self.agreements = AgreementRepository(session)
        self.shelf = ShelfRepository(session)
        self.session = session
        self.actor = actor
        self.remote = remote

    async def listing(
        self,
        page: PageParams,
        *,
        agreement: uuid.UUID | None = None,
        consignee: str | None = None,
        status: ConsignedStatus | None = None,
    ) -> tuple[int, list[ConsignedItem]]:
        statement = self.items.listing(
            self.actor, agreement=agreement, consignee=consignee, status=status
        )
        return await self.items.page(statement, page)

    async def get(self, consigned_id: uuid.UUID, *, lock: bool = False) -> ConsignedItem:
        item = await self.items.get(consigned_id, lock=lock)
        if item is None:
            raise NotFound("No such consigned item.")
        check_store(self.actor, item.store_id)
        return item

    async def create(
        self, body: ConsignedItemIn, idempotency_key: str | None = None
    ) -> tuple[ConsignedItem, bool]:
        """(the item, whether it is new). With ``idempotency_key``: the same key and body
        again answer the item the first request made (False), another body is a 422, the
        key still in flight a 409."""
        digest = request_hash(body)
        if idempotency_key is not None:
            earlier = await earlier_write(
                self.session,
                "pos.consigned_items",
                idempotency_key,
                digest,
                self.items.by_key,
                what="item",
                named=lambda item: f"consigned item {item.id}",
                check=lambda item: check_store(self.actor, item.store_id),
            )
            if earlier is not None:
                return earlier, False
        agreement = await self.agreements.get(body.agreement_id)
        if agreement is None:
            raise Unprocessable(f"agreement_id: no agreement {body.agreement_id}.")
        check_store(self.actor, agreement.store_id)
        if agreement.status != AgreementStatus.active:
            raise Conflict(
                f"Agreement version {agreement.version} is {agreement.status}: take items in "
                "under the active version."
            )
        if body.unit is not None:
            item = await self._new_unit(body.unit, agreement, idempotency_key)
        else:
            item = await self._existing_unit(body.item_id, agreement)
        item.idempotency_key = idempotency_key
        item.request_hash = digest if idempotency_key else None
        item = await self.items.save(item)
        await self._publish(item, "created")
        return item, True

    async def _existing_unit(
        self, item_id: uuid.UUID | None, agreement: Agreement
    ) -> ConsignedItem:
        unit = await self.session.get(SellableItem, item_id, with_for_update=True)
        if unit is None:
            raise Unprocessable(f"item_id: POS knows no unit item {item_id} (yet).")
        if unit.store_id != agreement.store_id:
            raise Conflict(f"Item {unit.sku} belongs to another store ({unit.store_id}).")
        if unit.sold_in_sale_id is not None:
            raise Conflict(f"Item {unit.sku} is sold already.")
        if await self.items.by_unit(unit.id) is not None:
            raise Conflict(f"Item {unit.sku} is consigned already.")
        return ConsignedItem(
            item_id=unit.id,
            agreement_id=agreement.id,
            consignee_id=agreement.consignee_id,
            store_id=agreement.store_id,
            sku=unit.sku,
            name=unit.name,
            category=unit.category,
            list_price=unit.price,
        )

    async def _new_unit(
        self, unit: NewUnitIn, agreement: Agreement, idempotency_key: str | None
    ) -> ConsignedItem:
        """The unit created in inventory first (one per key, whatever the retries); nothing is
        written in POS when inventory cannot be reached or refuses. Inventory's key comes from
        the client's: when POS failed after inventory made the unit, the client's retry gets
        that unit back instead of a second one."""
        consigned_id = uuid.uuid4()
        key = (
            f"consigned-item:{consigned_id}"
            if idempotency_key is None
            else inventory_key(idempotency_key)
        )
        created = await self.remote.create_consignment_unit(
            unit.model_dump(mode="json"),
            store_id=str(agreement.store_id),
            owner_id=agreement.consignee_id,
            key=key,
        )
        return ConsignedItem(
            id=consigned_id,
            item_id=uuid.UUID(str(created["id"])),
            agreement_id=agreement.id,
            consignee_id=agreement.consignee_id,
            store_id=agreement.store_id,
            sku=str(created["sku"]),
            name=str(created["name"]),
            category=str(created["category"]),
            list_price=unit.price,
        )

    async def update(self, consigned_id: uuid.UUID, body: ConsignedItemUpdate) -> ConsignedItem:
        item = await self.get(consigned_id, lock=True)
        if apply_changes(item, body):
            item = await self.items.save(item)
            await self._publish(item, "updated")
        return item

    async def give_back(self, consigned_id: uuid.UUID) -> None:
        item = await self.get(consigned_id, lock=True)
        if item.status != ConsignedStatus.on_floor:
            raise Conflict(
                f"Item {item.sku} is {item.status}: only an item on the floor goes back."
            )
        item.status = ConsignedStatus.returned
        await self.items.save(item)
        await self._publish(item, "returned")

    async def _publish(self, item: ConsignedItem, what: str) -> None:
        await outbox.publish(
            self.session,
            item_event(item),
            subject=f"pos.consignment.item.{what}",
            actor=self.actor.user_id,
        )
