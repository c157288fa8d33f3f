"""Purchase order attachments (quotes, invoices, photos): size and type checked by content.

The declared content type is ignored: PDFs are recognised by their header, images are
opened with Pillow (decompression-bomb limit lowered) and re-encoded, which strips EXIF;
CSV and plain text must be UTF-8 without NUL bytes.
"""

from __future__ import annotations

import io
import uuid
from pathlib import PurePath

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import DomainError, NotFound
from inventory.procurement_models import OrderAttachment, PurchaseOrder
from inventory.storage import Storage

Image.MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "WEBP": ("image/webp", ".webp"),
}


class TooLarge(DomainError):
    status_code = 413


class UnsupportedType(DomainError):
    status_code = 415


def sniff(data: bytes, filename: str) -> tuple[bytes, str, str]:
    """(bytes to store, content type, extension) or UnsupportedType."""
    if data.startswith(b"%PDF-"):
        return data, "application/pdf", ".pdf"
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            if kind in IMAGE_FORMATS:
                image.load()
                out = io.BytesIO()
                image.save(out, format=kind)  # metadata (EXIF, text chunks) is not carried over
                content_type, extension = IMAGE_FORMATS[kind]
                return out.getvalue(), content_type, extension
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        pass
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if PurePath(filename).suffix.lower() == ".csv":
                return data, "text/csv", ".csv"
            return data, "text/plain", ".txt"
    raise UnsupportedType("Unsupported file type; attach a PDF, PNG, JPEG, WebP, CSV or text file.")


class AttachmentService:
    def __init__(self, session: AsyncSession, storage: Storage) -> None:
        self.session = session
        self.storage = storage

    async def add(
        self, order: PurchaseOrder, filename: str, data: bytes, max_bytes: int, actor: str | None
    ) -> OrderAttachment:
        if len(data) > max_bytes:
            raise TooLarge(f"The file is larger than {max_bytes // (1024 * 1024)} MiB.")
        if not data:
            raise UnsupportedType("The file is empty.")
        stored, content_type, extension = sniff(data, filename)
        key = f"{uuid.uuid4().hex}{extension}"
        attachment = OrderAttachment(
            order_id=order.id,
            filename=PurePath(filename or "attachment").name[:255] or "attachment",
            content_type=content_type,
            size=len(stored),
            storage_key=key,
            uploaded_by=actor,
        )
        self.session.add(attachment)
        await self.session.flush()
        await self.storage.save(key, stored)  # after the row: a failed insert leaves no file
        await self.session.refresh(attachment)
        return attachment

    async def get(self, order: PurchaseOrder, attachment_id: uuid.UUID) -> OrderAttachment:
        attachment = await self.session.get(OrderAttachment, attachment_id)
        if attachment is None or attachment.order_id != order.id:
            raise NotFound(f"Attachment {attachment_id} not found on order {order.number}.")
        return attachment

    async def listing(self, order: PurchaseOrder) -> list[OrderAttachment]:
        rows = await self.session.execute(
            select(OrderAttachment)
            .where(OrderAttachment.order_id == order.id)
            .order_by(OrderAttachment.uploaded_at)
        )
        return list(rows.scalars())

    async def delete(self, order: PurchaseOrder, attachment_id: uuid.UUID) -> None:
        attachment = await self.get(order, attachment_id)
        await self.session.delete(attachment)
        await self.session.flush()
        await self.storage.delete(attachment.storage_key)
