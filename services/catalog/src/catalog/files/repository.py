"""Every query of file records: by id, and the list (newest first)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.files.models import StoredFile
from common.pagination import PageParams, apply_search, paginate


class FileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_id(self, file_id: uuid.UUID) -> StoredFile | None:
        return await self.session.get(StoredFile, file_id)

    async def add(self, row: StoredFile) -> None:
        self.session.add(row)
        await self.session.flush()

    async def save(self, row: StoredFile) -> None:
        await self.session.flush()
        await self.session.refresh(row)

    async def delete(self, row: StoredFile) -> None:
        await self.session.delete(row)
        await self.session.flush()

    def listing(self, *, content_type: str | None, search: str | None) -> Select[Any]:
        statement = select(StoredFile)
        if content_type is not None:
            statement = statement.where(StoredFile.content_type == content_type)
        statement = apply_search(statement, search, [StoredFile.filename, StoredFile.description])
        return statement.order_by(StoredFile.created_at.desc(), StoredFile.id)

    async def page(self, statement: Select[Any], params: PageParams) -> tuple[int, list[Any]]:
        return await paginate(self.session, statement, params)
