"""Selfies: sniffed by content, size- and pixel-capped, stored re-encoded without EXIF (read
back to prove it) under a server name outside any served folder, and shown only to their
person and their store's managers."""

from __future__ import annotations

import io
import os
import stat
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from attendance.models import Base
from attendance.selfies.images import ImageTooBig, NotAnImage, SelfieTooLarge, clean_selfie
from common.db import Database
from common.testing.permissions import snapshot
from tests.conftest import (
    ADVISOR_IN,
    ADVISOR_LA,
    HEAD_IN,
    HEAD_LA,
    LA_POINT,
    Staff,
    gps_exif,
    photo,
    punch,
)

Headers = Callable[[Staff], dict[str, str]]
LIMITS = {"max_bytes": 8 * 1024 * 1024, "max_pixels": 24_000_000, "max_side": 1600}


def stored_files(settings: Any) -> list[Path]:
    folder = Path(settings.attachments_dir)
    return list(folder.iterdir()) if folder.exists() else []


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A real PNG of width x height black pixels (1 bit deep): tiny on disk, 400 MP decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_and_gps_are_gone_after_cleaning(fmt: str) -> None:
    original = photo(fmt, exif=gps_exif())
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get(0x8825)  # the upload carries GPS
    clean = clean_selfie(original, **LIMITS)
    with Image.open(io.BytesIO(clean.data)) as stored:
        assert stored.format == "JPEG"
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info and "icc_profile" not in stored.info


def test_a_large_photo_is_scaled_down() -> None:
    clean = clean_selfie(photo(size=(4000, 3000)), **LIMITS)
    assert (clean.width, clean.height) == (1600, 1200)


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = png_bomb()
    assert len(bomb) < 200_000
    with pytest.raises(ImageTooBig, match="too many pixels"):
        clean_selfie(bomb, **LIMITS)
    with pytest.raises(ImageTooBig, match="5000 x 5000 pixels"):  # above our cap, below Pillow's
        clean_selfie(png_bomb(5000, 5000), **LIMITS)


@pytest.mark.parametrize(
    "data",
    [b"just some text, named selfie.jpg", b"%PDF-1.7\n...", b"GIF89a" + b"\x00" * 40, b""],
    ids=["text", "pdf", "gif", "empty"],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(data: bytes) -> None:
    with pytest.raises(NotAnImage):
        clean_selfie(data, **LIMITS)


def test_over_the_byte_cap_is_refused_before_decoding() -> None:
    with pytest.raises(SelfieTooLarge):
        clean_selfie(b"\xff" * 2048, max_bytes=1024, max_pixels=10, max_side=64)


@pytest.mark.usefixtures("stores")
async def test_the_stored_selfie_reads_back_without_exif_for_its_person_and_managers(
    client: httpx.AsyncClient, headers: Headers, settings: Any
) -> None:
    entry = (
        await punch(
            client, "check-in", headers(ADVISOR_LA), LA_POINT, selfie=photo(exif=gps_exif())
        )
    ).json()
    url = entry["check_in"]["selfie_url"]
    for viewer in (ADVISOR_LA, HEAD_LA):
        shown = await client.get(url, headers=headers(viewer))
        assert shown.status_code == 200, shown.text
        assert shown.headers["content-type"] == "image/jpeg"
        assert "no-store" in shown.headers["cache-control"]
        with Image.open(io.BytesIO(shown.content)) as image:
            assert dict(image.getexif()) == {}
    for stranger in (ADVISOR_IN, HEAD_IN):
        assert (await client.get(url, headers=headers(stranger))).status_code == 403
    assert (await client.get(url)).status_code == 401
    [stored] = stored_files(settings)
    assert stored.name.endswith(".jpg") and stored.name != "selfie.jpg"
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600


@pytest.mark.usefixtures("stores")
@pytest.mark.parametrize(
    ("selfie", "status"),
    [(b"hello, I am text", 415), (png_bomb(), 422), (b"\xff" * (30 * 1024 * 1024), 413)],
    ids=["text-named-jpg", "bomb", "30MB"],
)
async def test_a_refused_selfie_stores_nothing(
    client: httpx.AsyncClient,
    headers: Headers,
    database: Database,
    settings: Any,
    selfie: bytes,
    status: int,
) -> None:
    before = await snapshot(database, Base.metadata)
    response = await punch(client, "check-in", headers(ADVISOR_LA), LA_POINT, selfie=selfie)
    assert response.status_code == status, response.text
    assert isinstance(response.json()["detail"], str | list)
    assert await snapshot(database, Base.metadata) == before
    assert stored_files(settings) == []
