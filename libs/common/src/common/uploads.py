"""Uploaded files: read within a size cap, recognised by content, kept in a private store.

The declared content type and the file name's extension are ignored: PDFs are recognised
by their header, images are opened with Pillow (decompression-bomb limit lowered) and
re-encoded, which strips EXIF; CSV and plain text must be UTF-8 without NUL bytes, and
text that a browser would take for markup (HTML, SVG, XML) is refused. Whatever is
accepted is stored, and named, with the extension of what it really is.

Files are stored under a server-generated name (never the client's) in a folder that no
route serves directly; downloads go through the API, which checks permissions first.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import uuid
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePath
from typing import Protocol

from PIL import Image, UnidentifiedImageError
from sqlalchemy.ext.asyncio import AsyncSession

from common.after_commit import after_commit
from common.errors import DomainError

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

    def storage_key(self) -> str:
        """A fresh server-side name, with the extension of what the file is."""
        return f"{uuid.uuid4().hex}{self.extensions[0]}"


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


async def read_upload(upload: Upload, max_bytes: int) -> Sniffed:
    """The upload read (at most ``max_bytes``, else 413) and sniffed (empty or not accepted: 415)."""
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(f"The file is larger than {max_bytes // (1024 * 1024)} MiB.")
    if not data:
        raise UnsupportedType("The file is empty.")
    return sniff(data, upload.filename or "attachment")


class Storage(Protocol):
    async def save(self, key: str, data: bytes) -> None: ...

    async def read(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


def delete_after_commit(session: AsyncSession, storage: Storage, key: str) -> None:
    """Remove ``key``'s bytes once the transaction that deletes its row has committed."""
    after_commit(session, partial(storage.delete, key))


class DiskStorage:
    """Files in one private folder, each created once (O_EXCL) and readable by the owner only."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if "/" in key or "\\" in key or key.startswith("."):
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key

    async def save(self, key: str, data: bytes) -> None:
        def write() -> None:
            self.root.mkdir(parents=True, exist_ok=True)
            path = self._path(key)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)

        await asyncio.to_thread(write)

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)
