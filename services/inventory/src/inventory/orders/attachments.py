"""Purchase order attachments (quotes, invoices, photos): size and type checked by content.

The declared content type and the file name's extension are ignored: PDFs are recognised
by their header, images are opened with Pillow (decompression-bomb limit lowered) and
re-encoded, which strips EXIF; CSV and plain text must be UTF-8 without NUL bytes, and
text that a browser would take for markup (HTML, SVG, XML) is refused. Whatever is
accepted is stored, and named, with the extension of what it really is.
"""

from __future__ import annotations

import io
import re
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol

from PIL import Image, UnidentifiedImageError

from common.errors import DomainError, NotFound
from inventory.orders.models import OrderAttachment
from inventory.orders.repository import OrderRepository
from inventory.orders.service import OrderService
from inventory.storage import Storage

Image.MAX_IMAGE_PIXELS = 40_000_000
ACCEPTED = "a PDF, PNG, JPEG, WebP, CSV or text file"
# Pillow's name of an image format → (content type, extensions; the first is stored)
IMAGE_FORMATS = {
    "PNG": ("image/png", (".png",)),
    "JPEG": ("image/jpeg", (".jpg", ".jpeg")),
    "WEBP": ("image/webp", (".webp",)),
}
# The leading tags by which a browser takes a resource for HTML or XML (WHATWG MIME
# sniffing), and SVG's root: such text is refused, whatever it is called.
MARKUP = re.compile(
    rb"^\s*(<!doctype\s+html|<html|<head|<script|<iframe|<h1|<div|<font|<table|<a[\s>]|"
    rb"<style|<title|<b[\s>]|<body|<br|<p[\s>]|<!--|<\?xml|<svg)",
    re.IGNORECASE,
)


class TooLarge(DomainError):
    status_code = 413


class UnsupportedType(DomainError):
    status_code = 415


class Upload(Protocol):
    """An uploaded file (FastAPI's ``UploadFile``)."""

    @property
    def filename(self) -> str | None: ...

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Sniffed:
    data: bytes  # what is stored (an image re-encoded)
    content_type: str
    extensions: tuple[str, ...]  # the first is the one files are stored with

    def name(self, filename: str) -> str:
        """The client's file name, ending with an extension of what the file really is."""
        base = PurePath(filename or "attachment").name[:200] or "attachment"
        path = PurePath(base)
        if path.suffix.lower() in self.extensions:
            return base
        return f"{path.stem or 'attachment'}{self.extensions[0]}"


def sniff(data: bytes, filename: str) -> Sniffed:
    """What the bytes are, or UnsupportedType when that is not on the accepted list."""
    if data.startswith(b"%PDF-"):
        return Sniffed(data, "application/pdf", (".pdf",))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            if kind in IMAGE_FORMATS:
                image.load()
                out = io.BytesIO()
                image.save(out, format=kind)  # metadata (EXIF, text chunks) is not carried over
                content_type, extensions = IMAGE_FORMATS[kind]
                return Sniffed(out.getvalue(), content_type, extensions)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        pass
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if MARKUP.match(data.removeprefix(b"\xef\xbb\xbf")[:1024]):
                raise UnsupportedType(
                    f"The file is HTML, SVG or XML (by its content), which is not accepted; "
                    f"attach {ACCEPTED}."
                )
            if PurePath(filename).suffix.lower() == ".csv":
                return Sniffed(data, "text/csv", (".csv",))
            return Sniffed(data, "text/plain", (".txt", ".text", ".log", ".md"))
    raise UnsupportedType(f"Unsupported file type; attach {ACCEPTED}.")


class OrderAttachments:
    """The attachments of the orders ``orders`` may act on."""

    def __init__(self, orders: OrderService, storage: Storage, max_bytes: int) -> None:
        self.orders = orders
        self.rows = OrderRepository(orders.session)
        self.storage = storage
        self.max_bytes = max_bytes

    async def listing(self, order_id: uuid.UUID) -> list[OrderAttachment]:
        order = await self.orders.get(order_id)
        return await self.rows.attachments(order.id)

    async def add(self, order_id: uuid.UUID, upload: Upload) -> OrderAttachment:
        order = await self.orders.get(order_id)
        data = await upload.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise TooLarge(f"The file is larger than {self.max_bytes // (1024 * 1024)} MiB.")
        if not data:
            raise UnsupportedType("The file is empty.")
        sniffed = sniff(data, upload.filename or "attachment")
        key = f"{uuid.uuid4().hex}{sniffed.extensions[0]}"
        attachment = OrderAttachment(
            order_id=order.id,
            filename=sniffed.name(upload.filename or "attachment"),
            content_type=sniffed.content_type,
            size=len(sniffed.data),
            storage_key=key,
            uploaded_by=self.orders.actor_id,
        )
        self.rows.add_row(attachment)
        await self.rows.flush()
        await self.storage.save(key, sniffed.data)  # after the row: a failed insert leaves no file
        await self.rows.save(attachment)
        return attachment

    async def get(self, order_id: uuid.UUID, attachment_id: uuid.UUID) -> OrderAttachment:
        order = await self.orders.get(order_id)
        attachment = await self.rows.attachment(attachment_id)
        if attachment is None or attachment.order_id != order.id:
            raise NotFound(f"Attachment {attachment_id} not found on order {order.number}.")
        return attachment

    async def download(
        self, order_id: uuid.UUID, attachment_id: uuid.UUID
    ) -> tuple[OrderAttachment, bytes]:
        attachment = await self.get(order_id, attachment_id)
        return attachment, await self.storage.read(attachment.storage_key)

    async def delete(self, order_id: uuid.UUID, attachment_id: uuid.UUID) -> None:
        attachment = await self.get(order_id, attachment_id)
        await self.rows.delete(attachment)
        await self.storage.delete(attachment.storage_key)
