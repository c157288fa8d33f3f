"""Location rules: one store per tree, unique codes per store, no cycles, one default per store,
and no deleting a place that still holds stock, has children or has stock history."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.roles import Principal
from common.scope import check_store, scoped
from inventory.locations.schemas import LocationIn, LocationUpdate
from inventory.models import Balance, LedgerRow, Location, Store

DEFAULT_CODE = "FLOOR"


class LocationService:
    def __init__(self, session: AsyncSession, actor: Principal | None = None) -> None:
        self.session = session
        self.actor = actor

    async def get(self, location_id: uuid.UUID) -> Location:
        location = await self.session.get(Location, location_id)
        if location is None:
            raise NotFound(f"Location {location_id} not found.")
        if self.actor is not None:
            check_store(self.actor, location.store_id)
        return location

    async def in_store(self, location_id: uuid.UUID, store_id: uuid.UUID, field: str) -> Location:
        location = await self.session.get(Location, location_id)
        if location is None:
            raise field_error(field, f"Unknown location {location_id}.")
        if location.store_id != store_id:
            raise field_error(field, f"Location {location.code} belongs to another store.")
        if not location.is_active:
            raise field_error(field, f"Location {location.code} is inactive.")
        return location

    async def known(self, location_id: uuid.UUID, field: str) -> Location:
        location = await self.session.get(Location, location_id)
        if location is None:
            raise field_error(field, f"Unknown location {location_id}.")
        if not location.is_active:
            raise field_error(field, f"Location {location.code} is inactive.")
        if self.actor is not None:
            check_store(self.actor, location.store_id)
        return location

    async def _store(self, store_id: uuid.UUID) -> Store:
        store = await self.session.get(Store, store_id)
        if store is None or store.deleted:
            raise field_error(
                "store_id",
                f"Unknown store {store_id} (stores come from catalog; create it there first).",
            )
        return store

    async def _code_free(self, store_id: uuid.UUID, code: str, except_id: uuid.UUID | None) -> None:
        statement = select(Location.id).where(Location.store_id == store_id, Location.code == code)
        if except_id is not None:
            statement = statement.where(Location.id != except_id)
        if (await self.session.execute(statement)).first():
            raise field_error("code", f"This store already has a location {code}.", status=Conflict)

    async def _parent(
        self, parent_id: uuid.UUID, store_id: uuid.UUID, moving: uuid.UUID | None
    ) -> None:
        parent = await self.session.get(Location, parent_id)
        if parent is None:
            raise field_error("parent_id", f"Unknown location {parent_id}.")
        if parent.store_id != store_id:
            raise field_error("parent_id", "The parent belongs to another store.")
        cursor: Location | None = parent
        while cursor is not None and moving is not None:
            if cursor.id == moving:
                raise field_error("parent_id", "A location cannot be moved under itself.")
            cursor = (
                None
                if cursor.parent_id is None
                else await self.session.get(Location, cursor.parent_id)
            )

    async def _clear_default(self, store_id: uuid.UUID, except_id: uuid.UUID | None) -> None:
        statement = update(Location).where(Location.store_id == store_id, Location.is_default)
        if except_id is not None:
            statement = statement.where(Location.id != except_id)
        await self.session.execute(statement.values(is_default=False))

    async def create(self, body: LocationIn) -> Location:
        assert self.actor is not None
        check_store(self.actor, body.store_id)
        await self._store(body.store_id)
        code = body.code.upper()
        await self._code_free(body.store_id, code, None)
        if body.parent_id is not None:
            await self._parent(body.parent_id, body.store_id, None)
        if body.is_default:
            await self._clear_default(body.store_id, None)
        location = Location(**{**body.model_dump(), "code": code})
        self.session.add(location)
        await self.session.flush()
        await self.session.refresh(location)
        return location

    async def update(self, location_id: uuid.UUID, body: LocationUpdate) -> Location:
        location = await self.get(location_id)
        changes = body.model_dump(exclude_unset=True)
        for field, value in changes.items():
            if value is None and field != "parent_id":
                raise field_error(field, "may not be null")
        if "code" in changes:
            changes["code"] = changes["code"].upper()
            await self._code_free(location.store_id, changes["code"], location.id)
        if changes.get("parent_id") is not None:
            await self._parent(changes["parent_id"], location.store_id, location.id)
        if changes.get("is_default"):
            await self._clear_default(location.store_id, location.id)
        for field, value in changes.items():
            setattr(location, field, value)
        await self.session.flush()
        await self.session.refresh(location)
        return location

    async def delete(self, location_id: uuid.UUID) -> None:
        location = await self.get(location_id)
        children = await self.session.scalar(
            select(func.count()).select_from(Location).where(Location.parent_id == location.id)
        )
        if children:
            raise Conflict(
                f"Location {location.code} has {children} child location(s); move or delete them first."
            )
        holding = await self.session.scalar(
            select(func.count())
            .select_from(Balance)
            .where(Balance.location_id == location.id, Balance.quantity != 0)
        )
        if holding:
            raise Conflict(
                f"Location {location.code} still holds stock of {holding} SKU(s); "
                "transfer it out first."
            )
        history = await self.session.scalar(
            select(LedgerRow.id).where(LedgerRow.location_id == location.id).limit(1)
        )
        if history is not None:
            raise Conflict(
                f"Location {location.code} has stock history the ledger must keep; "
                "deactivate it instead (is_active: false)."
            )
        await self.session.execute(delete(Balance).where(Balance.location_id == location.id))
        await self.session.delete(location)
        await self.session.flush()

    async def default_for_store(self, store_id: uuid.UUID) -> Location:
        """The store's default location, created as "Sales floor" when the store has none."""
        location = (
            await self.session.execute(
                select(Location).where(Location.store_id == store_id, Location.is_default)
            )
        ).scalar_one_or_none()
        if location is not None:
            return location
        if await self.session.get(Store, store_id) is None:
            self.session.add(Store(id=store_id, code=str(store_id)[:8], name="(unknown store)"))
            await self.session.flush()
        code = DEFAULT_CODE
        taken = await self.session.scalar(
            select(Location.id).where(Location.store_id == store_id, Location.code == code)
        )
        if taken is not None:
            code = f"{DEFAULT_CODE}-{uuid.uuid4().hex[:6].upper()}"
        location = Location(
            store_id=store_id, code=code, name="Sales floor", is_default=True, is_active=True
        )
        self.session.add(location)
        await self.session.flush()
        await self.session.refresh(location)
        return location

    @staticmethod
    def listing(
        principal: Principal,
        *,
        store: uuid.UUID | None,
        parent: uuid.UUID | None,
        roots: bool | None,
        is_active: bool | None,
    ) -> Select[Any]:
        statement = scoped(select(Location), Location.store_id, principal)
        if store is not None:
            statement = statement.where(Location.store_id == store)
        if parent is not None:
            statement = statement.where(Location.parent_id == parent)
        if roots:
            statement = statement.where(Location.parent_id.is_(None))
        if is_active is not None:
            statement = statement.where(Location.is_active.is_(is_active))
        return statement.order_by(Location.store_id, Location.code)
