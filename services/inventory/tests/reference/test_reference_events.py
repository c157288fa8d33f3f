"""Reference data announces every change (issue 13): created, updated (with the fields that
changed; nothing when nothing did) and deleted (as it was), through the outbox in the
write's transaction; a refused write (404, 409, 422) announces nothing."""

from __future__ import annotations

import uuid
from typing import Any

from common.db import Database
from tests.conftest import STORE_A, Shop
from tests.invariants import outbox_events
from tests.procurement import template, vendor


async def announced(database: Database, kind: str) -> list[dict[str, Any]]:
    return await outbox_events(database, f"inventory.{kind}.")


def verbs(events: list[dict[str, Any]]) -> list[str]:
    return [event["type"].rsplit(".", 1)[1] for event in events]


async def test_locations_announce_their_lifecycle_and_the_previous_default(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    floor = await shop.location("FLOOR", is_default=True)
    back = await shop.location("BACK", parent_id=floor["id"])
    url = f"/api/inventory/locations/{back['id']}"
    renamed = await client.patch(
        url, json={"name": "Back room", "code": "back-room"}, headers=admin
    )
    assert renamed.status_code == 200, renamed.text
    same = await client.put(url, json={"name": "Back room"}, headers=admin)
    assert same.status_code == 200, "nothing changed: nothing to announce"
    made_default = await client.patch(url, json={"is_default": True}, headers=admin)
    assert made_default.status_code == 200 and made_default.json()["is_default"] is True
    before = await announced(shop.database, "location")
    for method, path, body, status in (
        ("PATCH", url, {"code": "FLOOR"}, 409),
        ("PATCH", url, {"parent_id": str(uuid.uuid4())}, 422),
        ("DELETE", f"/api/inventory/locations/{floor['id']}", None, 409),  # has a child
        ("DELETE", f"/api/inventory/locations/{uuid.uuid4()}", None, 404),
    ):
        refused = await client.request(method, path, json=body, headers=admin)
        assert refused.status_code == status, (method, path, refused.text)
    assert await announced(shop.database, "location") == before
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await announced(shop.database, "location")
    assert verbs(events) == ["created", "created", "updated", "updated", "updated", "deleted"]
    created, _, renamed_event, old_default, new_default, deleted = events
    assert created["actor"] == "admin-1"
    assert created["data"] == {
        "location_id": floor["id"],
        "store_id": str(STORE_A),
        "code": "FLOOR",
        "name": "Floor",
        "parent_id": None,
        "is_default": True,
        "is_active": True,
        "changed": [],
    }
    assert renamed_event["data"]["changed"] == ["code", "name"]
    assert (
        renamed_event["data"]["code"] == "BACK-ROOM"
        and renamed_event["data"]["name"] == "Back room"
    )
    assert old_default["data"]["location_id"] == floor["id"]
    assert old_default["data"]["changed"] == ["is_default"]
    assert old_default["data"]["is_default"] is False
    assert new_default["data"]["location_id"] == back["id"]
    assert new_default["data"]["changed"] == ["is_default"]
    assert deleted["data"] == {**new_default["data"], "changed": []}


async def test_vendors_announce_their_lifecycle_without_contact_details(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    made = await vendor(client, admin, "PARTS-CO")
    await vendor(client, admin, "OTHER-CO")
    url = f"/api/inventory/vendors/{made['id']}"
    edited = await client.patch(
        url, json={"name": "Parts & Co.", "email": "orders@partsco.example"}, headers=admin
    )
    assert edited.status_code == 200, edited.text
    assert (await client.patch(url, json={"name": "Parts & Co."}, headers=admin)).status_code == 200
    taken = await client.put(url, json={"code": "other-co"}, headers=admin)
    assert taken.status_code == 409, taken.text
    missing = await client.delete(f"/api/inventory/vendors/{uuid.uuid4()}", headers=admin)
    assert missing.status_code == 404
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = [
        event
        for event in await announced(shop.database, "vendor")
        if event["data"]["vendor_id"] == made["id"]
    ]
    assert verbs(events) == ["created", "updated", "deleted"]
    created, updated, deleted = (event["data"] for event in events)
    assert created == {
        "vendor_id": made["id"],
        "code": "PARTS-CO",
        "name": "PARTS-CO Wholesale",
        "currency": "USD",
        "is_active": True,
        "changed": [],
    }
    assert updated["changed"] == ["email", "name"] and "email" not in updated
    assert updated["name"] == "Parts & Co."
    assert deleted == {**updated, "is_active": False, "changed": []}


async def test_serials_announce_their_lifecycle_with_their_store(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    await shop.article("IP13-128-MID", product=uuid.uuid4())
    floor = await shop.location("FLOOR")
    body = {"serial_number": "F17GK1ABC123", "sku": "IP13-128-MID"}
    created = await client.post("/api/serials", json=body, headers=admin)
    assert created.status_code == 201, created.text
    url = f"/api/serials/{created.json()['id']}"
    placed = await client.patch(
        url, json={"location_id": floor["id"], "notes": "shelf 2"}, headers=admin
    )
    assert placed.status_code == 200, placed.text
    assert (await client.put(url, json={"notes": "shelf 2"}, headers=admin)).status_code == 200
    for method, path, payload, status in (
        ("POST", "/api/serials", body, 409),
        ("POST", "/api/serials", {**body, "sku": "NOPE"}, 422),
        ("PATCH", url, {"location_id": str(uuid.uuid4())}, 422),
        ("DELETE", f"/api/serials/{uuid.uuid4()}", None, 404),
    ):
        refused = await client.request(method, path, json=payload, headers=admin)
        assert refused.status_code == status, (method, path, refused.text)
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await announced(shop.database, "serial")
    assert verbs(events) == ["created", "updated", "deleted"]
    made, moved, deleted = (event["data"] for event in events)
    assert made == {
        "serial_id": created.json()["id"],
        "serial_number": "F17GK1ABC123",
        "sku": "IP13-128-MID",
        "status": "in_stock",
        "location_id": None,
        "store_id": None,
        "changed": [],
    }
    assert moved["changed"] == ["location_id", "notes"]
    assert moved["location_id"] == floor["id"] and moved["store_id"] == str(STORE_A)
    assert deleted == {**moved, "changed": []}


async def test_the_configuration_announces_the_settings_that_changed(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    body = {"default_low_stock_threshold": "5", "low_stock_overrides": {"ip13-scr": "20"}}
    replaced = await client.put("/api/inventory-config", json=body, headers=admin)
    assert replaced.status_code == 200, replaced.text
    again = await client.put("/api/inventory-config", json=body, headers=admin)
    assert again.status_code == 200, "nothing changed: nothing to announce"
    bad = {**body, "default_low_stock_threshold": "-1"}
    assert (await client.put("/api/inventory-config", json=bad, headers=admin)).status_code == 422

    [event] = await announced(shop.database, "config")
    assert event["type"] == "inventory.config.updated" and event["actor"] == "admin-1"
    assert event["data"] == {
        "default_low_stock_threshold": "5",
        "override_count": 1,
        "allow_negative_stock": False,
        "allow_over_receipt": False,
        "valuation_method": "moving_average",
        "changed": ["default_low_stock_threshold", "low_stock_overrides"],
    }


async def test_approval_templates_announce_their_lifecycle(shop: Shop) -> None:
    client, admin = shop.client, shop.admin
    signers = [{"role": "branch_head"}, {"user_id": "head-3"}]
    made = await template(
        client, admin, signers, thresholds=[{"above": "1000.00", "min_signatures": 2}]
    )
    url = f"/api/approvals/templates/{made['id']}"
    body = {"name": "Large orders", "object_type": "purchase_order", "signers": signers,
            "min_amount": "500.00", "thresholds": [{"above": "1000.00", "min_signatures": 2}]}  # fmt: skip
    replaced = await client.put(url, json=body, headers=admin)
    assert replaced.status_code == 200, replaced.text
    assert (await client.put(url, json=body, headers=admin)).status_code == 200
    invalid = await client.put(url, json={**body, "signers": [{}]}, headers=admin)
    assert invalid.status_code == 422
    missing = await client.delete(f"/api/approvals/templates/{uuid.uuid4()}", headers=admin)
    assert missing.status_code == 404
    assert (await client.delete(url, headers=admin)).status_code == 204

    events = await announced(shop.database, "approval_template")
    assert verbs(events) == ["created", "updated", "deleted"]
    created, updated, deleted = (event["data"] for event in events)
    assert created == {
        "template_id": made["id"],
        "name": "Purchase orders",
        "object_type": "purchase_order",
        "min_amount": None,
        "signers": [
            {"role": "branch_head", "user_id": None},
            {"role": None, "user_id": "head-3"},
        ],
        "ordered": False,
        "min_signatures": 1,
        "thresholds": [{"above": "1000.00", "min_signatures": 2}],
        "is_active": True,
        "changed": [],
    }
    assert updated["changed"] == ["min_amount", "name"]
    assert updated["min_amount"] == "500.00" and updated["name"] == "Large orders"
    assert deleted == {**updated, "changed": []}
