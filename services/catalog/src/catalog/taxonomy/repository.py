"""Every query of the taxonomy resources, for any ``Resource``: rows by key, parents by slug,
clashes, referring rows, and the list statement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.db import Base
from catalog.slugs import unique_slug
from catalog.taxonomy.resources import Parent, Referrer, Resource
from common.pagination import PageParams, apply_ordering, apply_search, paginate


class TaxonomyRepository:
    def __init__(self, resource: Resource, session: AsyncSession) -> None:
        self.resource = resource
        self.session = session

    async def by_key(self, key: str | int) -> Any | None:
        column = getattr(self.resource.model, self.resource.key)
        found = await self.session.execute(select(self.resource.model).where(column == key))
        return found.unique().scalar_one_or_none()

    async def parent_id(self, parent: Parent, slug: str) -> int | None:
        found = await self.session.execute(select(parent.model.id).where(parent.model.slug == slug))
        value = found.scalar_one_or_none()
        return None if value is None else int(value)

    async def taken(self, name: str, value: str, *, except_id: int | None) -> bool:
        """Whether another row has ``value`` in column ``name``, ignoring case."""
        model = self.resource.model
        clash = select(model.id).where(func.lower(getattr(model, name)) == value.lower())
        if except_id is not None:
            clash = clash.where(model.id != except_id)
        return (await self.session.execute(clash)).first() is not None

    async def referring(self, referrer: Referrer, row_id: int) -> int:
        """How many rows of ``referrer.table`` point at ``row_id``."""
        table = Base.metadata.tables[referrer.table]
        count = select(func.count()).select_from(table).where(table.c[referrer.column] == row_id)
        return int((await self.session.execute(count)).scalar_one())

    async def new_slug(self, name: str) -> str:
        return await unique_slug(self.session, self.resource.model, name)

    async def add(self, row: Any) -> None:
        self.session.add(row)
        await self.session.flush()

    async def save(self, row: Any) -> None:
        await self.session.flush()
        await self.session.refresh(row)

    async def delete(self, row: Any) -> None:
        await self.session.delete(row)
        await self.session.flush()

    def listing(
        self, filters: Mapping[str, str | None], search: str | None, ordering: str | None
    ) -> Select[Any]:
        model = self.resource.model
        statement: Select[Any] = select(model)
        for name, parent_model in self.resource.filters.items():
            value = filters.get(name)
            if value:
                statement = statement.join(parent_model).where(parent_model.slug == value)
        statement = apply_search(
            statement, search, [getattr(model, name) for name in self.resource.search]
        )
        allowed = {name: getattr(model, name) for name in self.resource.ordering}
        return apply_ordering(statement, ordering, allowed, [model.id])

    async def page(self, statement: Select[Any], params: PageParams) -> tuple[int, list[Any]]:
        return await paginate(self.session, statement, params)
