"""Location rules: one store per tree, unique codes per store, no cycles, one default per store,
and no deleting a place that still holds stock, has children or has stock history."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.pagination import PageParams
from common.roles import Principal
from common.scope import check_store
from common.updates import assign
from common.updates import changes as sent
from inventory.events.contracts import LocationChanged
from inventory.events.outbox import outbox
from inventory.locations.models import Location
from inventory.locations.repository import LocationFilters, LocationRepository
from inventory.locations.schemas import LocationIn, LocationUpdate
from inventory.stores.service import StoreService

DEFAULT_CODE = "FLOOR"


class StockAt(Protocol):
    """What the ledger knows about a location (the ledger's repository answers)."""

    async def skus_held_at(self, location_id: uuid.UUID) -> int: ...

    async def has_moved_at(self, location_id: uuid.UUID) -> bool: ...

    async def forget_location(self, location_id: uuid.UUID) -> None: ...


class LocationService:
    """``actor`` is the caller (store-scoped); ``None`` for the system. Deleting needs
    ``stock`` (the ledger), so a location with stock or history is never removed."""

    def __init__(
        self,
        session: AsyncSession,
        actor: Principal | None = None,
        *,
        stock: StockAt | None = None,
    ) -> None:
        self.session = session
        self.actor = actor
        self.actor_id = None if actor is None else actor.user_id
        self.stock = stock
        self.locations = LocationRepository(session)
        self.stores = StoreService(session)

    async def get(self, location_id: uuid.UUID) -> Location:
        location = await self.locations.get(location_id)
        if location is None:
            raise NotFound(f"Location {location_id} not found.")
        if self.actor is not None:
            check_store(self.actor, location.store_id)
        return location

    async def find(self, location_id: uuid.UUID) -> Location | None:
        return await self.locations.get(location_id)

    async def in_store(self, location_id: uuid.UUID, store_id: uuid.UUID, field: str) -> Location:
        """An active location of the store, named by the body's ``field`` (422 otherwise)."""
        location = await self.locations.get(location_id)
        if location is None:
            raise field_error(field, f"Unknown location {location_id}.")
        if location.store_id != store_id:
            raise field_error(field, f"Location {location.code} belongs to another store.")
        if not location.is_active:
            raise field_error(field, f"Location {location.code} is inactive.")
        return location

    async def known(self, location_id: uuid.UUID, field: str) -> Location:
        """An active location (of the caller's stores) named by the body's ``field``."""
        location = await self.locations.get(location_id)
        if location is None:
            raise field_error(field, f"Unknown location {location_id}.")
        if not location.is_active:
            raise field_error(field, f"Location {location.code} is inactive.")
        if self.actor is not None:
            check_store(self.actor, location.store_id)
        return location

    async def _code_free(self, store_id: uuid.UUID, code: str, except_id: uuid.UUID | None) -> None:
        if await self.locations.code_taken(store_id, code, except_id):
            raise field_error("code", f"This store already has a location {code}.", status=Conflict)

    async def _parent(
        self, parent_id: uuid.UUID, store_id: uuid.UUID, moving: uuid.UUID | None
    ) -> None:
        parent = await self.locations.get(parent_id)
        if parent is None:
            raise field_error("parent_id", f"Unknown location {parent_id}.")
        if parent.store_id != store_id:
            raise field_error("parent_id", "The parent belongs to another store.")
        cursor: Location | None = parent
        while cursor is not None and moving is not None:
            if cursor.id == moving:
                raise field_error("parent_id", "A location cannot be moved under itself.")
            cursor = (
                None if cursor.parent_id is None else await self.locations.get(cursor.parent_id)
            )

    async def create(self, body: LocationIn) -> Location:
        if self.actor is not None:
            check_store(self.actor, body.store_id)
        await self.stores.known(
            body.store_id, advice="stores come from catalog; create it there first"
        )
        code = body.code.upper()
        await self._code_free(body.store_id, code, None)
        if body.parent_id is not None:
            await self._parent(body.parent_id, body.store_id, None)
        if body.is_default:
            await self._clear_default(body.store_id, None)
        location = await self.locations.add(Location(**{**body.model_dump(), "code": code}))
        await self._announce(location, "created")
        return location

    async def update(self, location_id: uuid.UUID, body: LocationUpdate) -> Location:
        location = await self.get(location_id)
        changes = sent(body)
        if "code" in changes:
            changes["code"] = changes["code"].upper()
            await self._code_free(location.store_id, changes["code"], location.id)
        if changes.get("parent_id") is not None:
            await self._parent(changes["parent_id"], location.store_id, location.id)
        if changes.get("is_default"):
            await self._clear_default(location.store_id, location.id)
        changed = assign(location, changes)
        location = await self.locations.save(location)
        if changed:
            await self._announce(location, "updated", changed)
        return location

    async def delete(self, location_id: uuid.UUID) -> None:
        if self.stock is None:
            raise RuntimeError("deleting a location needs the ledger: build it through deps")
        location = await self.get(location_id)
        children = await self.locations.children(location.id)
        if children:
            raise Conflict(
                f"Location {location.code} has {children} child location(s); move or delete them first."
            )
        holding = await self.stock.skus_held_at(location.id)
        if holding:
            raise Conflict(
                f"Location {location.code} still holds stock of {holding} SKU(s); "
                "transfer it out first."
            )
        if await self.stock.has_moved_at(location.id):
            raise Conflict(
                f"Location {location.code} has stock history the ledger must keep; "
                "deactivate it instead (is_active: false)."
            )
        gone = _event(location, [])
        await self.stock.forget_location(location.id)
        await self.locations.delete(location)
        await outbox.publish(
            self.session, gone, subject="inventory.location.deleted", actor=self.actor_id
        )

    async def default_for_store(self, store_id: uuid.UUID) -> Location:
        """The store's default location, created as "Sales floor" when the store has none."""
        location = await self.locations.default_of(store_id)
        if location is not None:
            return location
        await self.stores.placeholder(store_id)
        code = DEFAULT_CODE
        if await self.locations.code_taken(store_id, code, None):
            code = f"{DEFAULT_CODE}-{uuid.uuid4().hex[:6].upper()}"
        location = await self.locations.add(
            Location(
                store_id=store_id, code=code, name="Sales floor", is_default=True, is_active=True
            )
        )
        await self._announce(location, "created")
        return location

    async def _clear_default(self, store_id: uuid.UUID, except_id: uuid.UUID | None) -> None:
        """The store's default location, other than ``except_id``, stops being the default."""
        previous = await self.locations.default_of(store_id)
        if previous is None or previous.id == except_id:
            return
        previous.is_default = False
        await self.locations.save(previous)
        await self._announce(previous, "updated", ["is_default"])

    async def _announce(
        self, location: Location, verb: str, changed: list[str] | None = None
    ) -> None:
        await outbox.publish(
            self.session,
            _event(location, changed or []),
            verb=verb,
            actor=self.actor_id,
        )

    async def listing(self, filters: LocationFilters, page: PageParams) -> tuple[int, list[Any]]:
        if self.actor is None:
            raise RuntimeError("a listing is for a caller")
        return await self.locations.listing(self.actor, filters, page)


def _event(location: Location, changed: list[str]) -> LocationChanged:
    return LocationChanged.of(location, location_id=location.id, changed=changed)
