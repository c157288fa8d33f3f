"""File records (seed 002 Core): uploads checked by content, size capped, kept privately
under a server-made name with the sniffed extension, downloaded through the API only."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from catalog.config import CatalogSettings
from catalog.models import StoredFile
from common.db import Database
from common.roles import Role
from common.testing.helpers import read_events

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def manager(auth_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth_headers(Role.branch_head, user_id="manager-7")


@pytest.fixture
def settings_overrides(tmp_path: Path) -> dict[str, Any]:
    return {"attachments_dir": tmp_path / "files", "file_max_bytes": 64 * 1024}


def stored(settings: CatalogSettings) -> list[Path]:
    folder = Path(settings.attachments_dir)
    return sorted(folder.iterdir()) if folder.exists() else []


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="PNG")
    return out.getvalue()


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], name: str, data: bytes, **form: str
) -> httpx.Response:
    return await client.post(
        "/api/core/files",
        files={"file": (name, data, "application/octet-stream")},
        data=form,
        headers=headers,
    )


async def test_upload_list_download_rename_delete(
    client: httpx.AsyncClient, manager: dict[str, str], settings: CatalogSettings, nats_url: str
) -> None:
    since = time.time()
    response = await upload(client, manager, "floor plan.pdf", PDF, description="Floor plan")
    assert response.status_code == 201, response.text
    record = response.json()
    assert {
        key: record[key]
        for key in ("filename", "content_type", "size", "description", "uploaded_by")
    } == {
        "filename": "floor plan.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "description": "Floor plan",
        "uploaded_by": "manager-7",
    }
    [path] = stored(settings)
    assert path.suffix == ".pdf" and "floor" not in path.name, (
        "a server-made name, not the client's"
    )
    assert path.read_bytes() == PDF

    listed = await client.get("/api/core/files/", headers=manager)
    assert [row["id"] for row in listed.json()["results"]] == [record["id"]]
    download = await client.get(f"/api/core/files/{record['id']}/content", headers=manager)
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["x-content-type-options"] == "nosniff"

    renamed = await client.patch(
        f"/api/core/files/{record['id']}", json={"filename": "plan.exe"}, headers=manager
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["filename"] == "plan.pdf", "a rename keeps what the file really is"

    assert (
        await client.delete(f"/api/core/files/{record['id']}", headers=manager)
    ).status_code == 204
    assert stored(settings) == [], "the bytes go with the record"
    assert (await client.get(f"/api/core/files/{record['id']}", headers=manager)).status_code == 404

    events = await read_events(nats_url, "catalog.file.*", expected=3, since=since)
    assert [event.type for event in events] == [
        "catalog.file.uploaded",
        "catalog.file.updated",
        "catalog.file.deleted",
    ]
    assert events[0].data == {
        "file_id": record["id"],
        "filename": "floor plan.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "uploaded_by": "manager-7",
    }
    assert events[1].data["changed"] == ["filename"]


async def test_a_file_is_stored_with_the_extension_of_what_it_is(
    client: httpx.AsyncClient, manager: dict[str, str], settings: CatalogSettings
) -> None:
    response = await upload(client, manager, "logo.pdf", png())
    assert response.status_code == 201, response.text
    assert (response.json()["filename"], response.json()["content_type"]) == (
        "logo.png",
        "image/png",
    )
    [path] = stored(settings)
    assert path.suffix == ".png"


@pytest.mark.parametrize(
    ("name", "data", "status", "detail"),
    [
        ("big.pdf", b"%PDF-" + b"0" * (64 * 1024), 413, "larger than"),
        ("page.html", b"<html><script>alert(1)</script></html>", 415, "HTML, SVG or XML"),
        ("icon.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415, "HTML, SVG or XML"),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00", 415, "Unsupported file type"),
        ("empty.txt", b"", 415, "empty"),
    ],
)
async def test_refused_uploads_name_the_problem_and_store_nothing(
    client: httpx.AsyncClient,
    manager: dict[str, str],
    settings: CatalogSettings,
    database: Database,
    name: str,
    data: bytes,
    status: int,
    detail: str,
) -> None:
    response = await upload(client, manager, name, data)
    assert response.status_code == status, response.text
    assert detail in response.json()["detail"]
    assert stored(settings) == []
    async with database.session() as session:
        assert (
            await session.execute(select(func.count()).select_from(StoredFile))
        ).scalar_one() == 0


async def test_unknown_file_is_404(client: httpx.AsyncClient, manager: dict[str, str]) -> None:
    url = "/api/core/files/5d0c1a52-8c55-4f0e-a7f1-0f7c2b1e9a31"
    for method, path in (("GET", url), ("GET", f"{url}/content"), ("DELETE", url)):
        response = await client.request(method, path, headers=manager)
        assert response.status_code == 404, (method, path)
        assert "5d0c1a52-8c55-4f0e-a7f1-0f7c2b1e9a31" in response.json()["detail"]
