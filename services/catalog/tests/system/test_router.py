"""System (seed 002 Core): the version of every running service, asked concurrently with a
short timeout each, and the print server releases from the settings."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from catalog import __version__
from common.roles import Role
from common.testing.fuzz import serving
from tests.helpers import create

RELEASE = {"version": "2.4.1", "download_url": "", "released_at": "2026-11-20", "notes": ""}


def stub(answer: Callable[[], Any]) -> FastAPI:
    """A stand-in service whose /healthz answers ``answer()`` (awaited when it is a coroutine)."""
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> Any:
        result = answer()
        return await result if asyncio.iscoroutine(result) else result

    return app


async def _slow() -> dict[str, str]:
    await asyncio.sleep(3)
    return {"status": "ok", "version": "9.9.9"}


def closed_port() -> int:
    """A local port nobody listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def services() -> Iterator[dict[str, str]]:
    """auth answers its version, pos is slow, bookings answers 503, attendance is not running."""
    with (
        serving(stub(lambda: {"status": "ok", "service": "auth", "version": "1.2.3"})) as auth,
        serving(stub(_slow)) as pos,
        serving(stub(lambda: JSONResponse({"detail": "down"}, status_code=503))) as bookings,
    ):
        yield {
            "auth": auth,
            "pos": pos,
            "bookings": bookings,
            "attendance": f"http://127.0.0.1:{closed_port()}",
        }


@pytest.fixture
def settings_overrides(tmp_path: Any, services: dict[str, str]) -> dict[str, Any]:
    return {
        "attachments_dir": tmp_path / "files",
        "service_urls": services,
        "version_probe_timeout_seconds": 0.5,
        "build_commit": "cd61e95",
        "build_time": "2026-12-01T18:00:00Z",
    }


async def test_version_reports_every_service_and_never_fails_for_one(
    client: httpx.AsyncClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    started = time.monotonic()
    response = await client.get("/api/core/system/version/", headers=auth_headers(Role.customer))
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == __version__
    assert body["build"] == {"commit": "cd61e95", "built_at": "2026-12-01T18:00:00Z"}
    by_name = {row["service"]: row for row in body["services"]}
    assert [row["service"] for row in body["services"]] == [
        "catalog",
        "attendance",
        "auth",
        "bookings",
        "pos",
    ]
    assert by_name["catalog"] == {
        "service": "catalog",
        "status": "ok",
        "version": __version__,
        "detail": None,
    }
    assert by_name["auth"] == {
        "service": "auth",
        "status": "ok",
        "version": "1.2.3",
        "detail": None,
    }
    assert by_name["pos"]["status"] == "unreachable" and by_name["pos"]["version"] is None
    assert by_name["attendance"]["status"] == "unreachable"
    assert by_name["bookings"] == {
        "service": "bookings",
        "status": "error",
        "version": None,
        "detail": "/healthz answered HTTP 503",
    }
    # Asked concurrently: the slow one costs one timeout (0.5 s), not one per service.
    assert elapsed < 4, f"took {elapsed:.1f}s"


async def test_print_server_routes_read_the_settings(
    client: httpx.AsyncClient, auth_headers: Callable[..., dict[str, str]]
) -> None:
    anyone = auth_headers(Role.consignee)
    missing = await client.get("/api/core/system/print-server-version", headers=anyone)
    assert missing.status_code == 404
    assert "print_server_version" in missing.json()["detail"]
    empty = await client.get("/api/core/system/print-server-releases", headers=anyone)
    assert (empty.status_code, empty.json()) == (200, [])

    manager = auth_headers(Role.branch_head)
    await create(
        client, manager, "/api/core/settings", {"key": "print_server_version", "value": RELEASE}
    )
    older = {**RELEASE, "version": "2.3.0", "released_at": "2026-09-01"}
    await create(
        client,
        manager,
        "/api/core/settings",
        {"key": "print_server_releases", "value": [RELEASE, older]},
    )
    current = await client.get("/api/core/system/print-server-version/", headers=anyone)
    assert (current.status_code, current.json()) == (200, RELEASE)
    releases = await client.get("/api/core/system/print-server-releases/", headers=anyone)
    assert [row["version"] for row in releases.json()] == ["2.4.1", "2.3.0"]
