"""Intake category rules: unique names (ignoring case), a parent that exists and is not the
category itself or one of its descendants, and no delete while categories or products refer
to it."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, field_error
from common.pagination import PageParams
from common.updates import assign
from common.updates import changes as sent
from inventory.events.contracts import IntakeCategoryChanged
from inventory.events.outbox import outbox
from inventory.intake_categories.models import IntakeCategory
from inventory.intake_categories.repository import CategoryRepository
from inventory.intake_categories.schemas import CategoryIn, CategoryUpdate

MAX_DEPTH = 10


class CategoryService:
    def __init__(self, session: AsyncSession, actor_id: str | None = None) -> None:
        self.session = session
        self.actor_id = actor_id
        self.categories = CategoryRepository(session)

    async def get(self, category_id: uuid.UUID) -> IntakeCategory:
        category = await self.categories.get(category_id)
        if category is None:
            raise NotFound(f"Category {category_id} not found.")
        return category

    async def known(self, category_id: uuid.UUID, field: str = "category_id") -> IntakeCategory:
        category = await self.categories.get(category_id)
        if category is None:
            raise field_error(field, f"Unknown category {category_id}.")
        return category

    async def listing(
        self, *, parent: uuid.UUID | None, search: str | None, page: PageParams
    ) -> tuple[int, list[Any]]:
        return await self.categories.listing(parent=parent, search=search, page=page)

    async def create(self, body: CategoryIn) -> IntakeCategory:
        await self._name_free(body.name)
        if body.parent_id is not None:
            await self.known(body.parent_id, "parent_id")
        _unique_specs(body.spec_template)
        category = await self.categories.add(
            IntakeCategory(
                name=body.name.strip(),
                parent_id=body.parent_id,
                description=body.description,
                spec_template=[spec.model_dump(mode="json") for spec in body.spec_template],
            )
        )
        await self._announce(_event(category, []), "created")
        return category

    async def update(self, category_id: uuid.UUID, body: CategoryUpdate) -> IntakeCategory:
        category = await self.get(category_id)
        changes = sent(body)
        if "name" in changes:
            changes["name"] = changes["name"].strip()
            await self._name_free(changes["name"], except_id=category.id)
        if changes.get("parent_id") is not None:
            await self._parent_allowed(category.id, changes["parent_id"])
        if body.spec_template is not None:
            _unique_specs(body.spec_template)
            changes["spec_template"] = [spec.model_dump(mode="json") for spec in body.spec_template]
        changed = assign(category, changes)
        category = await self.categories.save(category)
        if changed:
            await self._announce(_event(category, changed), "updated")
        return category

    async def delete(self, category_id: uuid.UUID) -> None:
        category = await self.get(category_id)
        referrers = await self.categories.referrers(category.id)
        if referrers:
            named = ", ".join(f"{count} {what}" for what, count in referrers.items())
            raise Conflict(f"Category {category.name!r} is still referred to by {named}.")
        gone = _event(category, [])
        await self.categories.delete(category)
        await self._announce(gone, "deleted")

    async def _announce(self, event: IntakeCategoryChanged, verb: str) -> None:
        await outbox.publish(self.session, event, verb=verb, actor=self.actor_id)

    async def _name_free(self, name: str, except_id: uuid.UUID | None = None) -> None:
        found = await self.categories.by_name(name.strip())
        if found is not None and found.id != except_id:
            raise field_error("name", f"A category named {name.strip()!r} exists.", status=Conflict)

    async def _parent_allowed(self, category_id: uuid.UUID, parent_id: uuid.UUID) -> None:
        await self.known(parent_id, "parent_id")
        current: uuid.UUID | None = parent_id
        for _ in range(MAX_DEPTH):
            if current is None:
                return
            if current == category_id:
                raise field_error(
                    "parent_id", "A category cannot sit under itself or its own children."
                )
            current = await self.categories.parent_of(current)
        raise field_error("parent_id", f"Categories nest at most {MAX_DEPTH} levels.")


def _event(category: IntakeCategory, changed: list[str]) -> IntakeCategoryChanged:
    return IntakeCategoryChanged(
        category_id=category.id,
        name=category.name,
        parent_id=category.parent_id,
        specs=[spec["name"] for spec in category.spec_template or []],
        changed=changed,
    )


def _unique_specs(specs: list[Any]) -> None:
    names = [spec.name for spec in specs]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise field_error("spec_template", f"Spec names repeat: {', '.join(duplicated)}.")
