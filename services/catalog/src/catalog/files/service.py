"""File rules: an upload is checked by content (common.uploads: size cap, accepted types, the
sniffed extension), its bytes kept in the private store, and every change published."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from catalog.events.contracts import FileChanged, FileUpdated
from catalog.events.outbox import outbox
from catalog.files.models import StoredFile
from catalog.files.repository import FileRepository
from catalog.files.schemas import FileUpdate
from common.errors import NotFound
from common.pagination import PageParams
from common.roles import Principal
from common.updates import changes
from common.uploads import Storage, Upload, delete_after_commit, read_upload


def file_fields(row: StoredFile) -> dict[str, Any]:
    """The file record as its events carry it."""
    return {
        "file_id": row.id,
        "filename": row.filename,
        "content_type": row.content_type,
        "size": row.size,
        "uploaded_by": row.uploaded_by,
    }


class FileService:
    def __init__(self, session: AsyncSession, storage: Storage, max_bytes: int) -> None:
        self.session = session
        self.rows = FileRepository(session)
        self.storage = storage
        self.max_bytes = max_bytes

    async def get(self, file_id: uuid.UUID) -> StoredFile:
        row = await self.rows.by_id(file_id)
        if row is None:
            raise NotFound(f"File {file_id} not found.")
        return row

    async def list(
        self, params: PageParams, *, content_type: str | None, search: str | None
    ) -> tuple[int, list[StoredFile]]:
        statement = self.rows.listing(content_type=content_type, search=search)
        return await self.rows.page(statement, params)

    async def upload(self, upload: Upload, description: str, actor: Principal) -> StoredFile:
        sniffed = await read_upload(upload, self.max_bytes)
        row = StoredFile(
            filename=sniffed.name(upload.filename or "file"),
            content_type=sniffed.content_type,
            size=len(sniffed.data),
            description=description,
            storage_key=sniffed.storage_key(),
            uploaded_by=actor.user_id,
        )
        await self.rows.add(row)
        await self.storage.save(row.storage_key, sniffed.data)  # after the row: no orphan file
        await self.rows.save(row)
        await outbox.publish(
            self.session,
            FileChanged(**file_fields(row)),
            subject="catalog.file.uploaded",
            actor=actor.user_id,
        )
        return row

    async def download(self, file_id: uuid.UUID) -> tuple[StoredFile, bytes]:
        row = await self.get(file_id)
        return row, await self.storage.read(row.storage_key)

    async def update(self, file_id: uuid.UUID, body: FileUpdate, actor: Principal) -> StoredFile:
        row = await self.get(file_id)
        values = changes(body)
        if "filename" in values:
            values["filename"] = _keeping_extension(values["filename"], row.filename)
        for field, value in values.items():
            setattr(row, field, value)
        await self.rows.save(row)
        await outbox.publish(
            self.session,
            FileUpdated(**file_fields(row), changed=sorted(values)),
            actor=actor.user_id,
        )
        return row

    async def delete(self, file_id: uuid.UUID, actor: Principal) -> None:
        row = await self.get(file_id)
        await self.rows.delete(row)
        await outbox.publish(
            self.session,
            FileChanged(**file_fields(row)),
            subject="catalog.file.deleted",
            actor=actor.user_id,
        )
        delete_after_commit(self.session, self.storage, row.storage_key)


def _keeping_extension(name: str, current: str) -> str:
    """``name`` without any folder, ending with the stored file's extension (what it really is)."""
    suffix = PurePath(current).suffix
    base = PurePath(name).name or "file"
    if PurePath(base).suffix.lower() == suffix.lower():
        return base
    return f"{PurePath(base).stem or 'file'}{suffix}"
