"""App settings (seed 002 Core): one shop-wide JSON value per key, Manager+.

What their users rely on: lookup by key (an unknown key is a 404 naming it), a key taken
once (409 naming ``key``), partial updates that never change the key, the print server
keys refused unless they hold a release, and an event for every change."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from catalog.models import AppSetting
from common.db import Database
from common.roles import Role
from common.testing.helpers import read_events
from tests.helpers import create, error_fields

RELEASE = {
    "version": "2.4.1",
    "download_url": "https://downloads.shop.example/print-server/2.4.1/setup.exe",
    "released_at": "2026-11-20",
    "notes": "Fixes label offsets.",
}


@pytest.fixture
def manager(auth_headers: Callable[..., dict[str, str]]) -> dict[str, str]:
    return auth_headers(Role.branch_head, user_id="manager-7")


async def test_setting_round_trip_by_key(
    client: httpx.AsyncClient, manager: dict[str, str], database: Database
) -> None:
    body = {"key": "receipt.footer", "value": {"text": "Thank you!", "lines": 2}}
    created = await create(client, manager, "/api/core/settings", body)
    assert created["value"] == {"text": "Thank you!", "lines": 2}
    assert (created["description"], created["updated_by"]) == ("", "manager-7")

    got = await client.get("/api/core/settings/receipt.footer/", headers=manager)
    assert got.status_code == 200, got.text
    assert got.json()["value"] == created["value"]

    patched = await client.patch(
        "/api/core/settings/receipt.footer",
        json={"description": "Printed under every receipt"},
        headers=manager,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["value"] == created["value"], "a field left out is unchanged"
    put = await client.put(
        "/api/core/settings/receipt.footer", json={"value": "Merci"}, headers=manager
    )
    assert put.json()["value"] == "Merci"
    assert put.json()["description"] == "Printed under every receipt"
    async with database.session() as session:
        stored = await session.get(AppSetting, "receipt.footer")
        assert stored is not None and stored.value == "Merci"

    listed = await client.get("/api/core/settings", params={"search": "footer"}, headers=manager)
    assert [row["key"] for row in listed.json()["results"]] == ["receipt.footer"]

    assert (
        await client.delete("/api/core/settings/receipt.footer", headers=manager)
    ).status_code == 204
    gone = await client.get("/api/core/settings/receipt.footer", headers=manager)
    assert gone.status_code == 404
    assert "receipt.footer" in gone.json()["detail"]


async def test_unknown_key_is_404_for_every_method(
    client: httpx.AsyncClient, manager: dict[str, str]
) -> None:
    url = "/api/core/settings/no.such.key"
    for method, body in (
        ("GET", None),
        ("PATCH", {"value": 1}),
        ("PUT", {"value": 1}),
        ("DELETE", None),
    ):
        response = await client.request(method, url, json=body, headers=manager)
        assert response.status_code == 404, (method, response.text)
        assert response.json() == {"detail": "Setting 'no.such.key' not found."}


async def test_a_key_is_taken_once(client: httpx.AsyncClient, manager: dict[str, str]) -> None:
    await create(client, manager, "/api/core/settings", {"key": "tills.per_store", "value": 4})
    again = await client.post(
        "/api/core/settings", json={"key": "tills.per_store", "value": 5}, headers=manager
    )
    assert again.status_code == 409
    assert error_fields(again) == ["key"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"key": "Upper.Case", "value": 1}, "key"),
        ({"key": "", "value": 1}, "key"),
        ({"key": "x" * 101, "value": 1}, "key"),
        ({"key": "ok.key", "value": None}, "value"),
        ({"key": "ok.key"}, "value"),
        ({"key": "ok.key", "value": 1, "owner": "me"}, "owner"),
        # an event could not carry it (the outbox relay would be stuck on it)
        ({"key": "ok.key", "value": {"n": [2**64]}}, "value"),
    ],
)
async def test_bad_setting_bodies_name_the_field(
    client: httpx.AsyncClient, manager: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = await client.post("/api/core/settings", json=body, headers=manager)
    assert response.status_code == 422, response.text
    assert field in error_fields(response)


async def test_the_key_never_changes(client: httpx.AsyncClient, manager: dict[str, str]) -> None:
    await create(client, manager, "/api/core/settings", {"key": "a.key", "value": 1})
    response = await client.patch(
        "/api/core/settings/a.key", json={"key": "b.key"}, headers=manager
    )
    assert response.status_code == 422
    assert error_fields(response) == ["key"]


async def test_print_server_keys_must_hold_releases(
    client: httpx.AsyncClient, manager: dict[str, str], database: Database
) -> None:
    bad = await client.post(
        "/api/core/settings",
        json={"key": "print_server_version", "value": {"release": "2.4.1"}},
        headers=manager,
    )
    assert bad.status_code == 422, bad.text
    assert error_fields(bad) == ["value"]
    assert "print_server_version must be one print server release" in bad.json()["detail"][0]["msg"]
    listed = await client.post(
        "/api/core/settings",
        json={"key": "print_server_releases", "value": [RELEASE, {"version": ""}]},
        headers=manager,
    )
    assert listed.status_code == 422, listed.text
    async with database.session() as session:
        assert (await session.execute(select(AppSetting))).first() is None, "nothing was stored"

    await create(
        client, manager, "/api/core/settings", {"key": "print_server_version", "value": RELEASE}
    )
    patched = await client.patch(
        "/api/core/settings/print_server_version", json={"value": "2.5"}, headers=manager
    )
    assert patched.status_code == 422
    assert error_fields(patched) == ["value"]


async def test_setting_events(
    client: httpx.AsyncClient, manager: dict[str, str], nats_url: str
) -> None:
    since = time.time()
    await create(client, manager, "/api/core/settings", {"key": "loyalty.rate", "value": "0.05"})
    await client.patch("/api/core/settings/loyalty.rate", json={"value": "0.06"}, headers=manager)
    await client.delete("/api/core/settings/loyalty.rate", headers=manager)

    events = await read_events(nats_url, "catalog.setting.*", expected=3, since=since)
    assert [event.type for event in events] == [
        "catalog.setting.changed",
        "catalog.setting.changed",
        "catalog.setting.deleted",
    ]
    created, updated, deleted = events
    assert created.data == {
        "key": "loyalty.rate",
        "value": "0.05",
        "changed": ["description", "value"],
    }
    assert updated.data == {"key": "loyalty.rate", "value": "0.06", "changed": ["value"]}
    assert deleted.data == {"key": "loyalty.rate"}
    assert {event.actor for event in events} == {"manager-7"}
