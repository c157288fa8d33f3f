"""Every query on manifest templates."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.pagination import PageParams, apply_search, paginate
from inventory.templates.models import ManifestTemplate


class TemplateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, template_id: uuid.UUID) -> ManifestTemplate | None:
        return await self.session.get(ManifestTemplate, template_id)

    async def by_signature(self, signature: str) -> ManifestTemplate | None:
        return (
            await self.session.execute(
                select(ManifestTemplate).where(ManifestTemplate.header_signature == signature)
            )
        ).scalar_one_or_none()

    async def add(self, template: ManifestTemplate) -> ManifestTemplate:
        self.session.add(template)
        return await self.save(template)

    async def save(self, template: ManifestTemplate) -> ManifestTemplate:
        await self.session.flush()
        await self.session.refresh(template)
        return template

    async def delete(self, template: ManifestTemplate) -> None:
        await self.session.delete(template)
        await self.session.flush()

    async def listing(
        self,
        *,
        vendor: uuid.UUID | None,
        signature: str | None,
        search: str | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        statement = select(ManifestTemplate)
        if vendor is not None:
            statement = statement.where(ManifestTemplate.vendor_id == vendor)
        if signature:
            statement = statement.where(ManifestTemplate.header_signature == signature)
        statement = apply_search(statement, search, [ManifestTemplate.name])
        statement = statement.order_by(ManifestTemplate.name, ManifestTemplate.id)
        return await paginate(self.session, statement, page)
