"""Store rules: unique codes, soft delete (hidden from lists, still resolvable for history), events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.events import publish, store_payload
from catalog.models import Store
from catalog.stores.schemas import StoreIn, StoreUpdate
from common.errors import Conflict, NotFound, field_error
from common.pagination import apply_search
from common.roles import Principal


class StoreService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, store_id: uuid.UUID) -> Store:
        store = await self.session.get(Store, store_id)
        if store is None:
            raise NotFound(f"Store {store_id} not found.")
        return store

    async def _code_free(self, code: str, except_id: uuid.UUID | None = None) -> None:
        statement = select(Store.id).where(func.upper(Store.code) == code.upper())
        if except_id:
            statement = statement.where(Store.id != except_id)
        if (await self.session.execute(statement)).first():
            raise field_error("code", f"A store with code {code} already exists.", status=Conflict)

    async def create(self, body: StoreIn, actor: Principal) -> Store:
        await self._code_free(body.code)
        values: dict[str, Any] = body.model_dump()
        values["code"] = values["code"].upper()
        values["email"] = values["email"] or ""
        store = Store(**values)
        self.session.add(store)
        await self.session.flush()
        await self.session.refresh(store)
        await publish(self.session, "catalog.store.created", store_payload(store), actor.user_id)
        return store

    async def update(self, store_id: uuid.UUID, body: StoreUpdate, actor: Principal) -> Store:
        store = await self.get(store_id)
        if store.deleted_at is not None:
            raise Conflict(f"Store {store_id} is deleted and cannot be changed.")
        changes = body.model_dump(exclude_unset=True)
        if changes.get("code"):
            changes["code"] = changes["code"].upper()
            await self._code_free(changes["code"], except_id=store.id)
        for field, value in changes.items():
            if value is None and field not in ("latitude", "longitude"):
                raise field_error(field, "may not be null")
            setattr(store, field, value)
        await self.session.flush()
        await self.session.refresh(store)
        await publish(
            self.session,
            "catalog.store.updated",
            {**store_payload(store), "changed": sorted(changes)},
            actor.user_id,
        )
        return store

    async def delete(self, store_id: uuid.UUID, actor: Principal) -> None:
        store = await self.get(store_id)
        if store.deleted_at is not None:
            return
        store.deleted_at = datetime.now(UTC)
        store.is_active = False
        await self.session.flush()
        await publish(self.session, "catalog.store.deleted", store_payload(store), actor.user_id)

    @staticmethod
    def listing(
        *, is_headquarters: bool | None, is_active: bool | None, search: str | None
    ) -> Select[Any]:
        statement = select(Store).where(Store.deleted_at.is_(None))
        if is_headquarters is not None:
            statement = statement.where(Store.is_headquarters.is_(is_headquarters))
        if is_active is not None:
            statement = statement.where(Store.is_active.is_(is_active))
        # apply_search escapes % and _: "%" finds stores with a "%", not every store.
        return apply_search(statement, search, [Store.name, Store.code, Store.address])
