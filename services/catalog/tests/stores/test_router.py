"""Stores: the places attendance geofences, POS registers and inventory locations refer to.

What their users rely on: unique store codes (409 naming ``code``, whatever the case), the
branch/HQ and active filters and a search, a soft delete that hides a store from lists but
keeps it resolvable for history, and events that carry the coordinates and time zone so
other services never have to call back.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from common.db import Database
from common.testing.helpers import read_events
from tests.helpers import create, error_fields, names, outbox_subjects

MANHATTAN = {
    "code": "nyc-01",
    "name": "Shopfloor Manhattan",
    "address": "12 Broadway, New York, NY",
    "phone": "+1 212 555 0100",
    "email": "manhattan@shop.example",
    "time_zone": "America/New_York",
    "latitude": "40.705",
    "longitude": "-74.013",
    "geofence_radius_m": 200,
}


@pytest.fixture
async def stores(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, dict[str, Any]]:
    """An HQ, an active branch and an inactive branch."""
    rows = {
        "hq": {
            "code": "HQ",
            "name": "Head Office",
            "address": "1 Main St",
            "is_headquarters": True,
        },
        "paris": {"code": "PAR-01", "name": "Paris Opéra", "address": "8 rue Auber"},
        "lyon": {"code": "LYS-01", "name": "Lyon Part-Dieu", "is_active": False},
    }
    return {key: await create(client, admin, "/api/stores", body) for key, body in rows.items()}


def codes(page: dict[str, Any]) -> set[str]:
    return set(names(page, "code"))


async def test_store_crud_round_trip(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    created = await create(client, admin, "/api/stores", MANHATTAN)
    assert created["code"] == "NYC-01", "codes are stored upper-case"
    for key in ("name", "address", "phone", "email", "time_zone", "geofence_radius_m"):
        assert created[key] == MANHATTAN[key], key
    assert (created["latitude"], created["longitude"]) == ("40.705000", "-74.013000")
    assert (created["is_headquarters"], created["is_active"], created["deleted"]) == (
        False,
        True,
        False,
    )
    url = f"/api/stores/{created['id']}"
    assert (await client.get(url)).json() == created

    patched = await client.patch(
        url, json={"phone": "+1 212 555 0199", "latitude": None}, headers=admin
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["phone"] == "+1 212 555 0199" and patched.json()["latitude"] is None
    assert patched.json()["name"] == MANHATTAN["name"], "fields not sent are kept"
    put = await client.put(url, json={"time_zone": "Europe/London"}, headers=admin)
    assert put.status_code == 200 and put.json()["time_zone"] == "Europe/London"
    assert (await client.get(url)).json() == put.json()


async def test_list_filters(client: httpx.AsyncClient, stores: dict[str, dict[str, Any]]) -> None:
    async def listed(**params: str) -> set[str]:
        response = await client.get("/api/stores", params=params)
        assert response.status_code == 200, response.text
        return codes(response.json())

    assert await listed() == {"HQ", "PAR-01", "LYS-01"}
    assert await listed(is_headquarters="true") == {"HQ"}
    assert await listed(is_headquarters="false") == {"PAR-01", "LYS-01"}
    assert await listed(is_active="true") == {"HQ", "PAR-01"}
    assert await listed(is_active="false") == {"LYS-01"}
    assert await listed(is_headquarters="false", is_active="true") == {"PAR-01"}
    assert await listed(search="opéra") == {"PAR-01"}, "by name"
    assert await listed(search="lys") == {"LYS-01"}, "by code"
    assert await listed(search="MAIN st") == {"HQ"}, "by address"
    assert await listed(search="%") == set(), "wildcards are matched literally"
    assert await listed(search="nowhere") == set()
    ordered = (await client.get("/api/stores/", params={"ordering": "-code"})).json()
    assert names(ordered, "code") == ["PAR-01", "LYS-01", "HQ"]
    refused = await client.get("/api/stores", params={"ordering": "deleted_at"})
    assert refused.status_code == 400
    bad = await client.get("/api/stores", params={"is_active": "perhaps"})
    assert bad.status_code == 422 and error_fields(bad) == ["is_active"]


async def test_duplicate_code_is_409_in_any_case(
    client: httpx.AsyncClient, admin: dict[str, str], stores: dict[str, dict[str, Any]]
) -> None:
    duplicate = await client.post(
        "/api/stores", json={"code": "par-01", "name": "Paris bis"}, headers=admin
    )
    assert duplicate.status_code == 409 and error_fields(duplicate) == ["code"]
    taken = await client.patch(
        f"/api/stores/{stores['lyon']['id']}", json={"code": "Par-01"}, headers=admin
    )
    assert taken.status_code == 409 and error_fields(taken) == ["code"]
    own = await client.patch(
        f"/api/stores/{stores['paris']['id']}", json={"code": "par-01"}, headers=admin
    )
    assert own.status_code == 200 and own.json()["code"] == "PAR-01"
    # A deleted store keeps its code: history (receipts, attendance) still names it.
    assert (
        await client.delete(f"/api/stores/{stores['lyon']['id']}", headers=admin)
    ).status_code == 204
    reused = await client.post(
        "/api/stores", json={"code": "LYS-01", "name": "Lyon again"}, headers=admin
    )
    assert reused.status_code == 409 and error_fields(reused) == ["code"]
    assert (await client.get("/api/stores")).json()["count"] == 2


async def test_soft_delete_hides_but_keeps_the_store(
    client: httpx.AsyncClient, admin: dict[str, str], stores: dict[str, dict[str, Any]]
) -> None:
    url = f"/api/stores/{stores['paris']['id']}"
    assert (await client.delete(url, headers=admin)).status_code == 204
    assert codes((await client.get("/api/stores")).json()) == {"HQ", "LYS-01"}
    assert codes((await client.get("/api/stores", params={"is_active": "false"})).json()) == {
        "LYS-01"
    }, "a deleted store is not merely inactive"
    kept = await client.get(url)
    assert kept.status_code == 200
    assert kept.json()["deleted"] is True and kept.json()["is_active"] is False
    assert (kept.json()["code"], kept.json()["name"]) == ("PAR-01", "Paris Opéra")
    changed = await client.patch(url, json={"name": "Back"}, headers=admin)
    assert changed.status_code == 409, "a deleted store cannot be edited"
    again = await client.delete(url, headers=admin)
    assert again.status_code == 204, "deleting twice is harmless"


async def test_unknown_and_malformed_ids(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    unknown = "/api/stores/00000000-0000-4000-8000-000000000000"
    for method, sent in (("GET", None), ("PATCH", {"name": "x"}), ("DELETE", None)):
        assert (await client.request(method, unknown, json=sent, headers=admin)).status_code == 404
    malformed = await client.get("/api/stores/not-a-uuid")
    assert malformed.status_code == 422 and error_fields(malformed) == ["store_id"]


async def test_invalid_bodies_name_the_field(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for sent, field_name in (
        ({"code": "X1", "name": "X", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"code": "X1", "name": "X", "latitude": "91"}, "latitude"),
        ({"code": "X1", "name": "X", "longitude": "-180.5"}, "longitude"),
        ({"code": "X1", "name": "X", "geofence_radius_m": 5}, "geofence_radius_m"),
        ({"code": "bad code", "name": "X"}, "code"),
        ({"code": "X1", "name": ""}, "name"),
        ({"code": "X1", "name": "X", "email": "nope"}, "email"),
        ({"code": "X1", "name": "X", "deleted_at": "2024-01-01T00:00:00Z"}, "deleted_at"),
        ({"name": "X"}, "code"),
    ):
        response = await client.post("/api/stores", json=sent, headers=admin)
        assert response.status_code == 422, (sent, response.text)
        assert error_fields(response) == [field_name], (sent, response.json())
    store = await create(client, admin, "/api/stores", {"code": "OK-1", "name": "OK"})
    for sent, field_name in (({"name": None}, "name"), ({"time_zone": "UTC+2"}, "time_zone")):
        response = await client.patch(f"/api/stores/{store['id']}", json=sent, headers=admin)
        assert response.status_code == 422 and error_fields(response) == [field_name], sent
    assert (await client.get("/api/stores")).json()["count"] == 1


async def test_store_events_carry_coordinates_and_time_zone(
    client: httpx.AsyncClient, admin: dict[str, str], nats_url: str, database: Database
) -> None:
    since = time.time()
    store = await create(client, admin, "/api/stores", MANHATTAN)
    url = f"/api/stores/{store['id']}"
    await client.patch(url, json={"time_zone": "America/Chicago", "phone": "1"}, headers=admin)
    assert (await client.delete(url, headers=admin)).status_code == 204
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await read_events(nats_url, "catalog.store.*", expected=3, since=since)
    assert [event.type for event in events] == [
        "catalog.store.created",
        "catalog.store.updated",
        "catalog.store.deleted",
    ]
    created, updated, deleted = events
    expected = {
        "store_id": store["id"],
        "code": "NYC-01",
        "name": "Shopfloor Manhattan",
        "address": "12 Broadway, New York, NY",
        "phone": "+1 212 555 0100",
        "time_zone": "America/New_York",
        "latitude": "40.705000",
        "longitude": "-74.013000",
        "geofence_radius_m": 200,
        "is_headquarters": False,
        "is_active": True,
        "deleted": False,
    }
    assert {key: created.data.get(key) for key in expected} == expected
    assert updated.data["time_zone"] == "America/Chicago"
    assert updated.data["changed"] == ["phone", "time_zone"]
    assert updated.data["latitude"] == "40.705000", "an update still carries the coordinates"
    assert deleted.data["store_id"] == store["id"] and deleted.data["deleted"] is True
    assert deleted.data["is_active"] is False and deleted.data["code"] == "NYC-01"
    assert all(event.actor == "admin-1" for event in events)
    assert (await outbox_subjects(database)).count("catalog.store.deleted") == 1, (
        "the second delete published nothing"
    )


@pytest.mark.parametrize(
    ("sent", "field_name"),
    [
        ({"is_headquarters": 1}, "is_headquarters"),
        ({"is_active": 0}, "is_active"),
        ({"is_active": "false"}, "is_active"),
        ({"geofence_radius_m": "150"}, "geofence_radius_m"),
        ({"geofence_radius_m": True}, "geofence_radius_m"),
        ({"latitude": True}, "latitude"),
    ],
)
async def test_booleans_and_numbers_are_strict(
    sent: dict[str, Any], field_name: str, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """``is_active: 0`` deactivated a store and ``"150"`` passed as a radius: a JSON boolean is
    true/false and a number is a number, in creates and updates alike."""
    refused = await client.post(
        "/api/stores", json={"code": "STRICT-1", "name": "Strict", **sent}, headers=admin
    )
    assert refused.status_code == 422 and error_fields(refused) == [field_name], refused.text
    store = await create(client, admin, "/api/stores", {"code": "STRICT-2", "name": "Strict"})
    changed = await client.patch(f"/api/stores/{store['id']}", json=sent, headers=admin)
    assert changed.status_code == 422 and error_fields(changed) == [field_name], changed.text
    kept = (await client.get(f"/api/stores/{store['id']}")).json()
    assert (kept["is_active"], kept["is_headquarters"], kept["geofence_radius_m"]) == (
        True,
        False,
        150,
    )


@pytest.mark.parametrize("value", ["1", "0", "yes", "on", "t"])
async def test_boolean_filters_take_true_or_false_only(
    value: str, client: httpx.AsyncClient, stores: dict[str, dict[str, Any]]
) -> None:
    response = await client.get("/api/stores", params={"is_active": value})
    assert response.status_code == 422 and error_fields(response) == ["is_active"], response.text


async def test_explicit_null_is_refused_except_for_coordinates(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    store = await create(client, admin, "/api/stores", MANHATTAN)
    url = f"/api/stores/{store['id']}"
    for field_name in ("code", "address", "phone", "email", "time_zone", "is_active"):
        response = await client.patch(url, json={field_name: None}, headers=admin)
        assert response.status_code == 422 and error_fields(response) == [field_name], field_name
    cleared = await client.patch(url, json={"longitude": None}, headers=admin)
    assert cleared.status_code == 200 and cleared.json()["longitude"] is None


def test_coordinates_are_documented_with_their_pattern(app: Any) -> None:
    """A latitude is a decimal with at most six places, as the schema says."""
    import re

    schemas = app.openapi()["components"]["schemas"]
    for name, mode in (("StoreIn", "input"), ("StoreOut", "output")):
        prop = schemas[name]["properties"]["latitude"]
        patterns: list[str] = []
        options = [prop]
        while options:  # the pattern may sit in a (nested) anyOf
            option = options.pop()
            options.extend(option.get("anyOf", []))
            if "pattern" in option:
                patterns.append(option["pattern"])
        assert patterns, (name, prop)
        assert re.fullmatch(patterns[0], "40.705000"), mode
        assert not re.fullmatch(patterns[0], "40.7050001"), mode
