"""The rules of the taxonomy resources: generated slugs, parents that exist, unique names,
no move that strands placed products, no delete while anything refers to the row. Every
write is announced (``catalog.<resource>.created|updated|deleted``) in its transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.events.contracts import TaxonomyChanged
from catalog.events.outbox import outbox
from catalog.fields import PG_INTEGER_MAX
from catalog.taxonomy.repository import TaxonomyRepository
from catalog.taxonomy.resources import Resource
from common.errors import Conflict, NotFound, field_error
from common.pagination import Page, PageParams, make_page
from common.roles import Principal


class TaxonomyService:
    def __init__(
        self, resource: Resource, session: AsyncSession, actor: Principal | None = None
    ) -> None:
        self.resource = resource
        self.session = session
        self.actor = actor
        self.rows = TaxonomyRepository(resource, session)

    async def get(self, key: str) -> Any:
        lookup: str | int = key
        if self.resource.key == "id":
            # ASCII digits within PostgreSQL's integer: "²" or a 20-digit id is a 404, not a 500.
            if not (key.isascii() and key.isdigit()) or int(key) > PG_INTEGER_MAX:
                raise NotFound(f"No {self.resource.name} with id '{key}'.")
            lookup = int(key)
        row = await self.rows.by_key(lookup)
        if row is None:
            raise NotFound(f"No {self.resource.name} with {self.resource.key} '{key}'.")
        return row

    async def list(
        self,
        params: PageParams,
        *,
        filters: Mapping[str, str | None],
        search: str | None,
        ordering: str | None,
    ) -> Page[Any]:
        statement = self.rows.listing(filters, search, ordering)
        count, rows = await self.rows.page(statement, params)
        return make_page(count, [self.resource.out.model_validate(row) for row in rows], params)

    async def create(self, body: BaseModel) -> Any:
        values = body.model_dump(exclude_unset=True, mode="json")
        row = self.resource.model()
        await self._apply(row, values)
        row.slug = await self.rows.new_slug(values["name"])
        await self._write(self.rows.add(row))
        created = await self.get(str(getattr(row, self.resource.key)))
        await self._announce(created, "created", [])
        return created

    async def update(self, key: str, body: BaseModel) -> Any:
        row = await self.get(key)
        sent = body.model_dump(exclude_unset=True, mode="json")
        await self._apply(row, dict(sent))
        await self._write(self.rows.save(row))
        updated = await self.get(key)
        await self._announce(updated, "updated", sorted(sent))
        return updated

    async def delete(self, key: str) -> None:
        row = await self.get(key)
        blocking = []
        for referrer in self.resource.referrers:
            count = await self.rows.referring(referrer, row.id)
            if count:
                blocking.append(f"{count} {referrer.label}")
        if blocking:
            raise Conflict(
                f"Cannot delete {self.resource.name} '{key}': it still has "
                f"{', '.join(blocking)}. Move or delete them first."
            )
        await self._announce(row, "deleted", [])
        await self.rows.delete(row)

    async def _announce(self, row: Any, verb: str, changed: Sequence[str]) -> None:
        parent = self.resource.parent
        event = TaxonomyChanged(
            id=row.id,
            slug=row.slug,
            name=row.name,
            parent_id=None if parent is None else getattr(row, parent.column),
            changed=[*changed],
        )
        subject = f"catalog.{self.resource.name}.{verb}"
        actor = None if self.actor is None else self.actor.user_id
        await outbox.publish(self.session, event, subject=subject, actor=actor)

    async def _apply(self, row: Any, values: dict[str, Any]) -> None:
        parent = self.resource.parent
        if parent is not None and parent.field in values:
            slug = values.pop(parent.field)
            parent_id = await self.rows.parent_id(parent, slug)
            if parent_id is None:
                raise field_error(parent.field, f"No {parent.field} with slug '{slug}'.")
            current = getattr(row, parent.column, None)
            if current is not None and parent_id != current:
                await self._refuse_move(row, parent.field)
            values[parent.column] = parent_id
        for name in self.resource.unique_fields:
            if name in values and await self.rows.taken(
                name, str(values[name]), except_id=getattr(row, "id", None)
            ):
                raise field_error(
                    name,
                    f"A {self.resource.name} with this {name} already exists.",
                    status=Conflict,
                )
        for name, value in values.items():
            setattr(row, name, value)

    async def _refuse_move(self, row: Any, field: str) -> None:
        for placed in self.resource.placed:
            count = await self.rows.referring(placed, row.id)
            if count:
                raise field_error(
                    field,
                    f"Cannot move {self.resource.name} '{row.slug}' to another {field}: "
                    f"{count} {placed.label} are placed in it. Move them first.",
                    status=Conflict,
                )

    async def _write(self, write: Any) -> None:
        try:
            await write
        except IntegrityError as exc:
            raise Conflict(
                f"This {self.resource.name} conflicts with an existing one: {exc.orig}"
            ) from exc
