"""Every query of stores: by id, codes, and the list (deleted stores left out)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.stores.models import Store
from common.pagination import PageParams, apply_ordering, apply_search, paginate

# The list's columns, read without the ORM (what StoreOut shows; ``deleted`` from deleted_at).
LISTED = (
    *(column for column in Store.__table__.columns if column.name != "deleted_at"),
    Store.deleted_at.is_not(None).label("deleted"),
)
STORE_ORDERING = {"name": Store.name, "code": Store.code, "created_at": Store.created_at}


class StoreRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_id(self, store_id: uuid.UUID) -> Store | None:
        return await self.session.get(Store, store_id)

    async def code_taken(self, code: str, *, except_id: uuid.UUID | None = None) -> bool:
        statement = select(Store.id).where(func.upper(Store.code) == code.upper())
        if except_id:
            statement = statement.where(Store.id != except_id)
        return (await self.session.execute(statement)).first() is not None

    async def add(self, store: Store) -> None:
        self.session.add(store)
        await self.session.flush()
        await self.session.refresh(store)

    async def save(self, store: Store) -> None:
        await self.session.flush()
        await self.session.refresh(store)

    def listing(
        self,
        *,
        is_headquarters: bool | None,
        is_active: bool | None,
        search: str | None,
        ordering: str | None,
    ) -> Select[Any]:
        statement = select(*LISTED).where(Store.deleted_at.is_(None))
        if is_headquarters is not None:
            statement = statement.where(Store.is_headquarters.is_(is_headquarters))
        if is_active is not None:
            statement = statement.where(Store.is_active.is_(is_active))
        # apply_search escapes % and _: "%" finds stores with a "%", not every store.
        statement = apply_search(statement, search, [Store.name, Store.code, Store.address])
        return apply_ordering(statement, ordering, STORE_ORDERING, [Store.name, Store.id])

    async def page(self, statement: Select[Any], params: PageParams) -> tuple[int, list[Any]]:
        """Count and slice the list's rows (``LISTED`` columns, read by StoreOut)."""
        return await paginate(self.session, statement, params, as_dicts=True)
