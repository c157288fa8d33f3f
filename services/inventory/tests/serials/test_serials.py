"""Serial numbers: unique per product, moved by stock entries, reverted by cancels, with history."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import Shop


async def serials(shop: Shop, **params: str) -> list[dict[str, Any]]:
    response = await shop.client.get("/api/serials", params=params, headers=shop.admin)
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


async def test_serials_are_unique_per_product(shop: Shop) -> None:
    product = uuid.uuid4()
    await shop.article("IP13-128-MID", product=product)
    await shop.article("IP13-128-BLU", product=product)
    await shop.article("PX8-128", product=uuid.uuid4())
    body = {"serial_number": "F17GK1ABC123", "sku": "IP13-128-MID"}
    created = await shop.client.post("/api/serials", json=body, headers=shop.admin)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "in_stock"
    assert [event["event_type"] for event in created.json()["history"]] == ["registered"]
    same_product = await shop.client.post(
        "/api/serials", json={**body, "sku": "IP13-128-BLU"}, headers=shop.admin
    )
    assert same_product.status_code == 409
    assert same_product.json()["detail"][0]["field"] == "serial_number"
    other_product = await shop.client.post(
        "/api/serials", json={**body, "sku": "PX8-128"}, headers=shop.admin
    )
    assert other_product.status_code == 201
    unknown = await shop.client.post(
        "/api/serials", json={**body, "sku": "NOPE"}, headers=shop.admin
    )
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "sku"
    blank = await shop.client.post(
        "/api/serials", json={**body, "serial_number": " "}, headers=shop.admin
    )
    assert blank.status_code == 422


async def test_serials_move_with_entries_and_cancels_put_them_back(shop: Shop) -> None:
    await shop.article("IP13-128-MID", product=uuid.uuid4())
    floor = await shop.location("FLOOR")
    back = await shop.location("BACK")
    await shop.entry(
        "receipt",
        {
            "sku": "IP13-128-MID",
            "quantity": "2",
            "target_location_id": floor["id"],
            "serial_numbers": ["S1", "S2"],
        },
    )
    received = await serials(shop, sku="ip13-128-mid")
    assert sorted((s["serial_number"], s["status"], s["location_id"]) for s in received) == [
        ("S1", "in_stock", floor["id"]),
        ("S2", "in_stock", floor["id"]),
    ]
    again = await shop.client.post(
        "/api/stock-entries",
        json={
            "entry_type": "receipt",
            "lines": [
                {
                    "sku": "IP13-128-MID",
                    "quantity": "1",
                    "target_location_id": floor["id"],
                    "serial_numbers": ["S1"],
                }
            ],
        },
        headers=shop.admin,
    )
    refused = await shop.client.post(
        f"/api/stock-entries/{again.json()['id']}/post", headers=shop.admin
    )
    assert (
        refused.status_code == 409
        and "S1" in refused.json()["detail"]
        and "already in stock" in refused.json()["detail"]
    )
    transfer = await shop.entry(
        "transfer",
        {
            "sku": "IP13-128-MID",
            "quantity": "1",
            "source_location_id": floor["id"],
            "target_location_id": back["id"],
            "serial_numbers": ["S2"],
        },
    )
    await shop.entry(
        "issue",
        {
            "sku": "IP13-128-MID",
            "quantity": "1",
            "source_location_id": floor["id"],
            "serial_numbers": ["S1"],
        },
    )
    state = {s["serial_number"]: (s["status"], s["location_id"]) for s in await serials(shop)}
    assert state == {"S1": ("issued", floor["id"]), "S2": ("in_stock", back["id"])}
    wrong_place = await shop.client.post(
        "/api/stock-entries",
        json={
            "entry_type": "issue",
            "lines": [
                {
                    "sku": "IP13-128-MID",
                    "quantity": "1",
                    "source_location_id": floor["id"],
                    "serial_numbers": ["S2"],
                }
            ],
        },
        headers=shop.admin,
    )
    wrong = await shop.client.post(
        f"/api/stock-entries/{wrong_place.json()['id']}/post", headers=shop.admin
    )
    assert wrong.status_code == 409, wrong.text
    cancelled = await shop.client.post(
        f"/api/stock-entries/{transfer['id']}/cancel", headers=shop.admin
    )
    assert cancelled.status_code == 200, cancelled.text
    [s2] = await serials(shop, search="s2")
    assert (s2["status"], s2["location_id"]) == ("in_stock", floor["id"])
    detail = await shop.client.get(f"/api/serials/{s2['id']}", headers=shop.admin)
    assert [event["event_type"] for event in detail.json()["history"]] == [
        "received",
        "transfer",
        "reverted",
    ]
    refused_delete = await shop.client.delete(f"/api/serials/{s2['id']}", headers=shop.admin)
    assert refused_delete.status_code == 409 and "scrapped" in refused_delete.json()["detail"]


async def test_update_and_delete_a_serial(shop: Shop) -> None:
    await shop.article("PX8-128")
    created = await shop.client.post(
        "/api/serials", json={"serial_number": "PX-1", "sku": "PX8-128"}, headers=shop.admin
    )
    url = f"/api/serials/{created.json()['id']}"
    damaged = await shop.client.patch(
        url, json={"status": "damaged", "notes": "cracked"}, headers=shop.admin
    )
    assert damaged.status_code == 200 and damaged.json()["status"] == "damaged"
    assert [e["event_type"] for e in damaged.json()["history"]] == ["registered", "updated"]
    bad = await shop.client.put(url, json={"status": "vanished"}, headers=shop.admin)
    assert bad.status_code == 422
    assert [s["serial_number"] for s in await serials(shop, status="damaged")] == ["PX-1"]
    assert (await shop.client.delete(url, headers=shop.admin)).status_code == 204
    assert (await shop.client.get(url, headers=shop.admin)).status_code == 404
