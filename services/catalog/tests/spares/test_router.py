"""Spare parts: compatible products and brands, filters, the price only for system admins.

What their users rely on: the price never reaches anyone but a ``system_admin`` (absent, not
null, in lists and details, and not inferable through ordering); compatibility is by product
slug and brand id and refuses unknown ones with 422 naming the field; part numbers are unique;
a price change is published with the old and the new price.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from common.db import Database
from common.roles import Role
from common.testing.helpers import read_events
from tests.helpers import create, error_fields, names, outbox_subjects

NON_ADMINS = (None, Role.customer, Role.consignee, Role.advisor, Role.branch_head)


@pytest.fixture
async def parts(
    client: httpx.AsyncClient, admin: dict[str, str], taxonomy: dict[str, str]
) -> dict[str, Any]:
    """Two products, two brands and three spares with different compatibility."""
    for name in ("iPhone 13", "Pixel 8"):
        await create(client, admin, "/api/products", {"name": name, "base_price": "500"})
    google = await create(client, admin, "/api/brands", {"name": "Google"})
    apple = int(taxonomy["brand"])
    spares = {
        "screen": {
            "part_number": "IP13-SCR",
            "name": "iPhone 13 OLED screen",
            "price": "89.00",
            "stock_hint": 4,
            "compatible_products": ["iphone-13"],
            "compatible_brands": [apple],
        },
        "battery": {
            "part_number": "PX8-BAT",
            "name": "Pixel 8 battery",
            "price": "39.50",
            "compatible_products": ["pixel-8"],
            "compatible_brands": [google["id"]],
        },
        "cable": {
            "part_number": "USBC-1M",
            "name": "USB-C cable",
            "description": "Fits both",
            "price": "9.99",
            "compatible_products": ["pixel-8", "iphone-13"],
            "compatible_brands": [google["id"], apple],
        },
    }
    created = {
        key: await create(client, admin, "/api/spares", body) for key, body in spares.items()
    }
    return {"apple": apple, "google": google["id"], **created}


async def test_spare_crud_round_trip(
    client: httpx.AsyncClient, admin: dict[str, str], parts: dict[str, Any]
) -> None:
    cable = parts["cable"]
    assert cable["compatible_products"] == ["iphone-13", "pixel-8"]
    assert cable["compatible_brands"] == sorted([parts["google"], parts["apple"]])
    assert (cable["price"], cable["currency"], cable["stock_hint"]) == ("9.99", "USD", 0)
    url = f"/api/spares/{cable['id']}"
    assert (await client.get(url, headers=admin)).json() == cable

    patched = await client.patch(
        url, json={"stock_hint": 12, "compatible_products": ["pixel-8"]}, headers=admin
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["stock_hint"] == 12
    assert patched.json()["compatible_products"] == ["pixel-8"]
    assert patched.json()["compatible_brands"] == cable["compatible_brands"], "untouched"
    put = await client.put(url, json={"compatible_brands": [], "name": "USB-C"}, headers=admin)
    assert put.status_code == 200
    assert (put.json()["compatible_brands"], put.json()["name"]) == ([], "USB-C")
    assert (await client.get(url, headers=admin)).json() == put.json()

    assert (await client.delete(url, headers=admin)).status_code == 204
    assert (await client.get(url)).status_code == 404
    assert (await client.delete(url, headers=admin)).status_code == 404


@pytest.mark.parametrize("caller", NON_ADMINS, ids=lambda role: role.value if role else "anonymous")
async def test_price_is_absent_for_everyone_but_admins(
    caller: Role | None,
    client: httpx.AsyncClient,
    parts: dict[str, Any],
    as_role: Callable[[Role | None], dict[str, str]],
) -> None:
    headers = as_role(caller)
    listed = (await client.get("/api/spares", headers=headers)).json()
    assert listed["count"] == 3
    for row in listed["results"]:
        assert "price" not in row, row
        assert row["part_number"] and "stock_hint" in row and "compatible_products" in row
    filtered = await client.get("/api/spares/", params={"search": "screen"}, headers=headers)
    assert "price" not in filtered.json()["results"][0]
    detail = (await client.get(f"/api/spares/{parts['screen']['id']}/", headers=headers)).json()
    assert "price" not in detail and detail["name"] == "iPhone 13 OLED screen"
    by_price = await client.get("/api/spares", params={"ordering": "-price"}, headers=headers)
    assert by_price.status_code == 400, "the price cannot be inferred from the order either"


async def test_admins_see_the_price(
    client: httpx.AsyncClient, admin: dict[str, str], parts: dict[str, Any]
) -> None:
    listed = (
        await client.get("/api/spares", params={"ordering": "part_number"}, headers=admin)
    ).json()
    assert [row["price"] for row in listed["results"]] == ["89.00", "39.50", "9.99"]
    detail = (await client.get(f"/api/spares/{parts['screen']['id']}", headers=admin)).json()
    assert detail["price"] == "89.00"


async def test_filters(client: httpx.AsyncClient, parts: dict[str, Any]) -> None:
    async def listed(**params: Any) -> list[str]:
        response = await client.get("/api/spares", params={"ordering": "part_number", **params})
        assert response.status_code == 200, (params, response.text)
        return names(response.json(), "part_number")

    assert await listed() == ["IP13-SCR", "PX8-BAT", "USBC-1M"]
    assert await listed(product="iphone-13") == ["IP13-SCR", "USBC-1M"]
    assert await listed(product="pixel-8") == ["PX8-BAT", "USBC-1M"]
    assert await listed(product="nope") == []
    assert await listed(brand=parts["apple"]) == ["IP13-SCR", "USBC-1M"]
    assert await listed(brand=parts["google"]) == ["PX8-BAT", "USBC-1M"]
    assert await listed(brand=424242) == []
    assert await listed(product="iphone-13", brand=parts["google"]) == ["USBC-1M"]
    assert await listed(search="battery") == ["PX8-BAT"], "by name"
    assert await listed(search="ip13") == ["IP13-SCR"], "by part number"
    assert await listed(search="usb-c") == ["USBC-1M"]
    assert await listed(search="%") == [], "wildcards are matched literally"
    assert await listed(ordering="-part_number") == ["USBC-1M", "PX8-BAT", "IP13-SCR"]
    too_big = await client.get("/api/spares", params={"brand": "99999999999999999999"})
    assert too_big.status_code == 422 and error_fields(too_big) == ["brand"], too_big.text


async def test_unknown_compatibility_is_422_naming_the_field(
    client: httpx.AsyncClient, admin: dict[str, str], parts: dict[str, Any]
) -> None:
    base = {"part_number": "NEW-1", "name": "New", "price": "1.00"}
    for extra, field_name in (
        ({"compatible_products": ["iphone-13", "nope"]}, "compatible_products"),
        ({"compatible_brands": [424242]}, "compatible_brands"),
        ({"compatible_brands": [99999999999999999999]}, "compatible_brands"),
        ({"compatible_brands": ["apple"]}, "compatible_brands"),
    ):
        response = await client.post("/api/spares", json={**base, **extra}, headers=admin)
        assert response.status_code == 422, (extra, response.text)
        assert error_fields(response) == [field_name], response.json()
    refused = await client.patch(
        f"/api/spares/{parts['screen']['id']}",
        json={"compatible_products": ["nope"]},
        headers=admin,
    )
    assert refused.status_code == 422 and error_fields(refused) == ["compatible_products"]
    assert "nope" in refused.json()["detail"][0]["msg"]
    kept = (await client.get(f"/api/spares/{parts['screen']['id']}")).json()
    assert kept["compatible_products"] == ["iphone-13"]
    assert (await client.get("/api/spares")).json()["count"] == 3


async def test_invalid_bodies_name_the_field(
    client: httpx.AsyncClient, admin: dict[str, str], parts: dict[str, Any]
) -> None:
    cases: list[tuple[str, str, dict[str, Any], int, str]] = [
        ("POST", "", {"part_number": "ip13-scr", "name": "Dup", "price": "1"}, 409, "part_number"),
        ("POST", "", {"part_number": "N-1", "name": "X", "price": "-1"}, 422, "price"),
        ("POST", "", {"part_number": "N-1", "name": "X"}, 422, "price"),
        (
            "POST",
            "",
            {"part_number": "N-1", "name": "X", "price": "1", "stock_hint": -1},
            422,
            "stock_hint",
        ),
        ("POST", "", {"part_number": "", "name": "X", "price": "1"}, 422, "part_number"),
        ("PATCH", "/{screen}", {"part_number": "px8-bat"}, 409, "part_number"),
        ("PATCH", "/{screen}", {"price": None}, 422, "price"),
        ("PATCH", "/{screen}", {"currency": "euro"}, 422, "currency"),
        ("PATCH", "/{screen}", {"stock_hint": 2**31}, 422, "stock_hint"),
    ]
    for method, suffix, sent, status, field_name in cases:
        url = "/api/spares" + suffix.format(screen=parts["screen"]["id"])
        response = await client.request(method, url, json=sent, headers=admin)
        assert response.status_code == status, (method, sent, response.text)
        assert error_fields(response) == [field_name], (sent, response.json())
    assert (await client.get("/api/spares")).json()["count"] == 3


async def test_price_change_is_published(
    client: httpx.AsyncClient,
    admin: dict[str, str],
    parts: dict[str, Any],
    nats_url: str,
    database: Database,
) -> None:
    url = f"/api/spares/{parts['screen']['id']}"
    since = time.time()
    response = await client.patch(url, json={"price": "79.5"}, headers=admin)
    assert response.status_code == 200 and response.json()["price"] == "79.50"
    [event] = await read_events(nats_url, "catalog.spare.price_changed", since=since)
    assert event.data["spare_id"] == parts["screen"]["id"]
    assert (event.data["part_number"], event.data["name"]) == ("IP13-SCR", "iPhone 13 OLED screen")
    assert (event.data["old_price"], event.data["new_price"]) == ("89.00", "79.50")
    assert event.data["currency"] == "USD"
    assert event.data["changed_by"] == "admin-1" and event.actor == "admin-1"

    before = await outbox_subjects(database)
    unchanged = await client.patch(url, json={"price": "79.50", "stock_hint": 2}, headers=admin)
    assert unchanged.status_code == 200
    after = await outbox_subjects(database)
    assert after[len(before) :] == ["catalog.spare.updated"], "no price change, no price event"


async def test_spare_lifecycle_is_published(
    client: httpx.AsyncClient, admin: dict[str, str], parts: dict[str, Any], nats_url: str
) -> None:
    """Inventory keeps spares as stock articles by part number: created, updated, deleted."""
    url = f"/api/spares/{parts['screen']['id']}"
    since = time.time()
    assert (await client.patch(url, json={"name": "OLED screen"}, headers=admin)).status_code == 200
    assert (await client.delete(url, headers=admin)).status_code == 204
    [updated] = await read_events(nats_url, "catalog.spare.updated", since=since)
    assert updated.data["changed"] == ["name"] and updated.data["name"] == "OLED screen"
    assert (updated.data["part_number"], updated.data["price"]) == ("IP13-SCR", "89.00")
    [deleted] = await read_events(nats_url, "catalog.spare.deleted", since=since)
    assert deleted.data["spare_id"] == parts["screen"]["id"] and deleted.actor == "admin-1"
    body = {"part_number": "IP14-BAT", "name": "iPhone 14 battery", "price": "39.00"}
    assert (await client.post("/api/spares", json=body, headers=admin)).status_code == 201
    [created] = await read_events(nats_url, "catalog.spare.created", since=since)
    assert (created.data["part_number"], created.data["price"]) == ("IP14-BAT", "39.00")


@pytest.mark.parametrize(
    ("sent", "field_name"),
    [({"stock_hint": True}, "stock_hint"), ({"stock_hint": "4"}, "stock_hint")],
)
async def test_stock_hint_is_an_integer(
    sent: dict[str, Any],
    field_name: str,
    client: httpx.AsyncClient,
    admin: dict[str, str],
    parts: dict[str, Any],
) -> None:
    body = {"part_number": "STRICT-1", "name": "Strict", "price": "1", **sent}
    refused = await client.post("/api/spares", json=body, headers=admin)
    assert refused.status_code == 422 and error_fields(refused) == [field_name], refused.text
    url = f"/api/spares/{parts['screen']['id']}"
    changed = await client.patch(url, json=sent, headers=admin)
    assert changed.status_code == 422 and error_fields(changed) == [field_name]
    assert (await client.get(url)).json()["stock_hint"] == 4


def test_public_reads_are_declared_public(app: Any) -> None:
    """Seed 000: spares are public read. The OpenAPI said a bearer token was required; it
    is optional (it shows the price to a system admin), and writes still require one."""
    paths = app.openapi()["paths"]
    for path in ("/api/spares", "/api/spares/{spare_id}"):
        security = paths[path]["get"]["security"]
        assert {} in security and {"HTTPBearer": []} in security, (path, security)
    assert paths["/api/spares"]["post"]["security"] == [{"HTTPBearer": []}]
    assert paths["/api/spares/{spare_id}"]["patch"]["security"] == [{"HTTPBearer": []}]
