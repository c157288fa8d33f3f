"""Unit items: SKUs, the status machine, the ledger following the unit, price logs,
history, events, the public lookup and store scoping."""

from __future__ import annotations

import time
from typing import Any

from common.db import Database
from common.roles import Role
from common.testing.helpers import read_events
from tests.conftest import STORE_A, STORE_B, Shop
from tests.invariants import ledger_mismatches


async def history(shop: Shop, item: dict[str, Any]) -> list[str]:
    response = await shop.client.get(
        "/api/inventory/item-history", params={"item": item["id"]}, headers=shop.admin
    )
    return [event["event_type"] for event in response.json()["results"]]


async def test_a_unit_from_intake_to_the_shelf(
    shop: Shop, database: Database, nats_url: str
) -> None:
    floor = await shop.location("FLOOR")
    since = time.time()
    item = await shop.item(
        name="iPhone 13 128GB",
        condition="good",
        source="trade_in",
        cost="210.00",
        category="smartphones",
    )
    assert (item["status"], item["location_id"], item["price"]) == ("intake", None, None)
    not_ready = await shop.client.post(
        f"/api/inventory/items/{item['id']}/ready", headers=shop.admin
    )
    assert not_ready.status_code == 409
    assert "price and location_id" in not_ready.json()["detail"]
    checked = await shop.client.post(
        f"/api/inventory/items/{item['id']}/check-in",
        json={"price": "379.00", "condition": "like_new", "location_id": floor["id"]},
        headers=shop.admin,
    )
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert (body["status"], body["price"], body["condition"]) == ("on_shelf", "379.00", "like_new")
    assert body["checked_in_at"] and body["location_id"] == floor["id"]
    assert await shop.balance(item["sku"], floor) == 1
    assert await history(shop, item) == ["created", "moved", "checked_in"]
    again = await shop.client.post(
        f"/api/inventory/items/{item['id']}/check-in", json={}, headers=shop.admin
    )
    assert again.status_code == 409 and "only an item in intake" in again.json()["detail"]
    [created] = await read_events(nats_url, "inventory.item.created", since=since)
    assert created.data["sku"] == item["sku"] and created.data["store_id"] == str(STORE_A)
    [shelved] = await read_events(nats_url, "inventory.item.status_changed", since=since)
    assert (shelved.data["status"], shelved.data["from_status"], shelved.data["sellable"]) == (
        "on_shelf",
        "intake",
        True,
    )
    assert shelved.data["price"] == "379.00" and shelved.data["location_id"] == floor["id"]
    logs = await shop.client.get("/api/price-logs", params={"sku": item["sku"]}, headers=shop.admin)
    [log] = logs.json()["results"]
    assert (log["old_price"], log["new_price"], log["source"]) == (
        None,
        "379.00",
        "inventory.item.check_in",
    )


async def test_status_transitions_and_the_ledger(shop: Shop, database: Database) -> None:
    floor = await shop.location("FLOOR")
    item = await shop.item(price="99.00", location_id=floor["id"])
    url = f"/api/inventory/items/{item['id']}"
    assert await shop.balance(item["sku"], floor) == 1, "a unit with a location is in stock"
    sold = await shop.client.patch(url, json={"status": "sold"}, headers=shop.admin)
    assert sold.status_code == 409
    assert "Allowed next: damaged, lost, on_shelf" in sold.json()["detail"]
    for status, on_hand in (
        ("on_shelf", 1),
        ("reserved", 1),
        ("lost", 0),
        ("intake", 1),
        ("damaged", 1),
    ):
        response = await shop.client.patch(url, json={"status": status}, headers=shop.admin)
        assert response.status_code == 200, (status, response.text)
        assert response.json()["status"] == status
        assert await shop.balance(item["sku"], floor) == on_hand, status
    returned = await shop.client.patch(url, json={"status": "returned"}, headers=shop.admin)
    assert returned.status_code == 409
    assert await ledger_mismatches(database) == []
    events = await history(shop, item)
    assert events.count("status_changed") == 4 and "ready" in events


async def test_moving_and_repricing_a_unit(shop: Shop, database: Database) -> None:
    floor = await shop.location("FLOOR")
    back = await shop.location("BACK")
    other_store = await shop.location("FLOOR", STORE_B)
    item = await shop.item(price="99.00", location_id=floor["id"])
    url = f"/api/inventory/items/{item['id']}"
    moved = await shop.client.patch(
        url, json={"location_id": back["id"], "price": "89.00"}, headers=shop.admin
    )
    assert moved.status_code == 200 and moved.json()["location_id"] == back["id"]
    assert (await shop.balance(item["sku"], floor), await shop.balance(item["sku"], back)) == (0, 1)
    elsewhere = await shop.client.patch(
        url, json={"location_id": other_store["id"]}, headers=shop.admin
    )
    assert elsewhere.status_code == 422 and "another store" in str(elsewhere.json()["detail"])
    logs = await shop.client.get("/api/price-logs", params={"sku": item["sku"]}, headers=shop.admin)
    assert [(log["old_price"], log["new_price"]) for log in logs.json()["results"]] == [
        ("99.00", "89.00"),
        (None, "99.00"),
    ]
    assert await history(shop, item) == ["created", "moved", "priced"]
    ledger = await shop.client.get(
        "/api/stock-ledgers", params={"sku": item["sku"], "ordering": "id"}, headers=shop.admin
    )
    assert [row["voucher_type"] for row in ledger.json()["results"]] == [
        "item",
        "item_move",
        "item_move",
    ]


async def test_sku_rules_and_refused_fields(shop: Shop) -> None:
    await shop.article("IP13-128")
    first = await shop.item(sku="rs-100")
    assert first["sku"] == "RS-100"
    for sku in ("RS-100", "ip13-128"):
        taken = await shop.client.post(
            "/api/inventory/items",
            json={"name": "x", "store_id": str(STORE_A), "sku": sku},
            headers=shop.admin,
        )
        assert taken.status_code == 409 and taken.json()["detail"][0]["field"] == "sku"
    cases = [
        ({"name": "x", "store_id": str(STORE_A), "status": "on_shelf"}, "status"),
        ({"name": "x", "store_id": str(STORE_A), "price": "-1"}, "price"),
        ({"name": "x", "store_id": str(STORE_A), "condition": "shiny"}, "condition"),
        ({"name": "x", "store_id": "0000000c-0000-4000-8000-00000000000c"}, "store_id"),
        ({"name": "", "store_id": str(STORE_A)}, "name"),
    ]
    for body, field in cases:
        response = await shop.client.post("/api/inventory/items", json=body, headers=shop.admin)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"][0]["field"] == field, response.json()
    patch = await shop.client.patch(
        f"/api/inventory/items/{first['id']}", json={"sku": "NEW"}, headers=shop.admin
    )
    assert patch.status_code == 422 and patch.json()["detail"][0]["field"] == "sku"


async def test_delete_only_before_the_unit_entered_stock(shop: Shop) -> None:
    floor = await shop.location("FLOOR")
    loose = await shop.item()
    placed = await shop.item(location_id=floor["id"])
    assert (
        await shop.client.delete(f"/api/inventory/items/{loose['id']}", headers=shop.admin)
    ).status_code == 204
    refused = await shop.client.delete(f"/api/inventory/items/{placed['id']}", headers=shop.admin)
    assert refused.status_code == 409 and "mark it lost or damaged" in refused.json()["detail"]


async def test_public_lookup_shows_only_public_fields(shop: Shop) -> None:
    floor = await shop.location("FLOOR")
    item = await shop.item(
        sku="RS-200", price="45.00", cost="10.00", notes="from the Smiths", location_id=floor["id"]
    )
    intake = await shop.client.get("/api/inventory/items/lookup/RS-200")
    assert intake.status_code == 200
    assert intake.json() == {
        "sku": "RS-200",
        "name": item["name"],
        "description": "",
        "category": "",
        "brand": "",
        "condition": "good",
        "available": False,
        "price": None,
        "currency": "USD",
        "store_code": "NYC-01",
        "store_name": "Manhattan",
    }
    await shop.client.post(f"/api/inventory/items/{item['id']}/ready", headers=shop.admin)
    shelf = await shop.client.get("/api/inventory/items/lookup/rs-200")
    assert (shelf.json()["available"], shelf.json()["price"]) == (True, "45.00")
    missing = await shop.client.get("/api/inventory/items/lookup/RS-404")
    assert missing.status_code == 404 and "RS-404" in missing.json()["detail"]


async def test_filters(shop: Shop, staff: Any) -> None:
    floor = await shop.location("FLOOR")
    boston = await shop.location("FLOOR", STORE_B)
    await shop.item(
        sku="A-1", condition="new", source="donation", category="phones", location_id=floor["id"]
    )
    await shop.item(sku="A-2", condition="poor", source="trade_in", category="laptops")
    await shop.item(sku="B-1", store_id=str(STORE_B), location_id=boston["id"])

    async def skus(headers: dict[str, str], **params: str) -> list[str]:
        response = await shop.client.get(
            "/api/inventory/items", params={"ordering": "sku", **params}, headers=headers
        )
        assert response.status_code == 200, response.text
        return [item["sku"] for item in response.json()["results"]]

    assert await skus(shop.admin) == ["A-1", "A-2", "B-1"]
    assert await skus(shop.admin, condition="new") == ["A-1"]
    assert await skus(shop.admin, source="trade_in") == ["A-2"]
    assert await skus(shop.admin, category="phones") == ["A-1"]
    assert await skus(shop.admin, location=floor["id"]) == ["A-1"]
    assert await skus(shop.admin, store=str(STORE_B)) == ["B-1"]
    assert await skus(shop.admin, status="intake") == ["A-1", "A-2", "B-1"]
    advisor = staff(Role.advisor, STORE_A)
    assert await skus(advisor) == ["A-1", "A-2"], "staff see their own store only"
    assert await skus(advisor, store=str(STORE_B)) == []
    bad = await shop.client.get(
        "/api/inventory/items", params={"status": "gone"}, headers=shop.admin
    )
    assert bad.status_code == 422
