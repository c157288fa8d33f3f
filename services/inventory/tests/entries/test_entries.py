"""Stock entry lifecycle: drafts edited and deleted; posted entries never edited, only
cancelled with reversing rows; bad lines refused naming the field; Idempotency-Key."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from common.db import Database
from tests.conftest import STORE_B, Shop
from tests.invariants import ledger_mismatches, outbox_events, outbox_subjects


def fields(response: Any) -> list[str]:
    detail = response.json()["detail"]
    assert isinstance(detail, list), detail
    return [
        error["field"] if "field" in error else ".".join(map(str, error["loc"][1:]))
        for error in detail
    ]


async def test_draft_edit_post_and_cancel(shop: Shop, database: Database) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    back = await shop.location("BACK")
    entry = await shop.entry(
        "receipt", {"sku": "CASE-1", "quantity": "5", "target_location_id": floor["id"]}, post=False
    )
    assert entry["number"].startswith("SE-") and entry["status"] == "draft"
    assert await shop.balance("CASE-1", floor) == 0, "a draft moves nothing"
    url = f"/api/stock-entries/{entry['id']}"
    edited = await shop.client.patch(
        url,
        json={
            "reference": "DN-8812",
            "lines": [{"sku": "case-1", "quantity": "7", "target_location_id": back["id"]}],
        },
        headers=shop.admin,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["reference"] == "DN-8812"
    assert [(line["sku"], line["quantity"]) for line in edited.json()["lines"]] == [
        ("CASE-1", "7.000")
    ]
    posted = await shop.client.post(f"{url}/post", headers=shop.admin)
    assert posted.status_code == 200 and posted.json()["status"] == "posted"
    assert posted.json()["posted_by"] == "admin-1" and posted.json()["posted_at"]
    assert await shop.balance("CASE-1", back) == 7

    again = await shop.client.post(f"{url}/post", headers=shop.admin)
    assert again.status_code == 409 and "already posted" in again.json()["detail"]
    for method, body in (("PATCH", {"notes": "x"}), ("PUT", {"notes": "x"}), ("DELETE", None)):
        refused = await shop.client.request(method, url, json=body, headers=shop.admin)
        assert refused.status_code == 409, (method, refused.text)
        assert "posted" in refused.json()["detail"] and "/cancel" in refused.json()["detail"]

    cancelled = await shop.client.post(f"{url}/cancel", headers=shop.admin)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert await shop.balance("CASE-1", back) == 0
    ledger = await shop.client.get(
        "/api/stock-ledgers",
        params={"voucher_id": entry["id"], "ordering": "id"},
        headers=shop.admin,
    )
    rows = ledger.json()["results"]
    assert [(row["voucher_type"], row["quantity_change"]) for row in rows] == [
        ("stock_entry", "7.000"),
        ("stock_entry_cancel", "-7.000"),
    ]
    assert rows[1]["reverses_id"] == rows[0]["id"]
    twice = await shop.client.post(f"{url}/cancel", headers=shop.admin)
    assert twice.status_code == 409
    assert await outbox_subjects(database, "inventory.stock_entry") == [
        "inventory.stock_entry.drafted",
        "inventory.stock_entry.updated",
        "inventory.stock_entry.posted",
        "inventory.stock_entry.cancelled",
    ]
    assert await ledger_mismatches(database) == []


async def test_every_change_to_a_draft_is_announced_and_a_refused_one_is_not(
    shop: Shop, database: Database
) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    line = {"sku": "CASE-1", "quantity": "2", "target_location_id": floor["id"]}
    entry = await shop.entry("receipt", line, post=False)
    url = f"/api/stock-entries/{entry['id']}"
    edited = await shop.client.put(
        url, json={"reference": "DN-1", "lines": [{**line, "quantity": "3"}]}, headers=shop.admin
    )
    assert edited.status_code == 200 and edited.json()["lines"][0]["quantity"] == "3.000"
    bad = await shop.client.patch(
        url, json={"lines": [{**line, "sku": "NOPE"}]}, headers=shop.admin
    )
    assert bad.status_code == 422
    assert (await shop.client.delete(url, headers=shop.admin)).status_code == 204
    assert (await shop.client.get(url, headers=shop.admin)).status_code == 404

    events = await outbox_events(database, "inventory.stock_entry")
    assert [event["type"] for event in events] == [
        "inventory.stock_entry.drafted",
        "inventory.stock_entry.updated",
        "inventory.stock_entry.deleted",
    ]
    assert {event["actor"] for event in events} == {"admin-1"}
    drafted, updated, deleted = (event["data"] for event in events)
    assert drafted["entry_id"] == entry["id"] and drafted["status"] == "draft"
    assert drafted["lines"][0]["quantity"] == "2.000"
    assert updated["reference"] == "DN-1" and updated["lines"][0]["quantity"] == "3.000"
    assert deleted["number"] == entry["number"] and deleted["lines"] == updated["lines"]


async def test_a_draft_can_be_deleted_but_not_cancelled(shop: Shop) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    entry = await shop.entry(
        "receipt", {"sku": "CASE-1", "quantity": "1", "target_location_id": floor["id"]}, post=False
    )
    url = f"/api/stock-entries/{entry['id']}"
    cancel = await shop.client.post(f"{url}/cancel", headers=shop.admin)
    assert cancel.status_code == 409 and "delete it" in cancel.json()["detail"]
    assert (await shop.client.delete(url, headers=shop.admin)).status_code == 204
    assert (await shop.client.get(url, headers=shop.admin)).status_code == 404


async def test_cancelling_is_refused_when_the_stock_has_moved_on(
    shop: Shop, database: Database
) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    receipt = await shop.receive("CASE-1", floor, "5")
    await shop.entry("issue", {"sku": "CASE-1", "quantity": "4", "source_location_id": floor["id"]})
    refused = await shop.client.post(
        f"/api/stock-entries/{receipt['id']}/cancel", headers=shop.admin
    )
    assert refused.status_code == 409 and "Not enough stock of CASE-1" in refused.json()["detail"]
    current = await shop.client.get(f"/api/stock-entries/{receipt['id']}", headers=shop.admin)
    assert current.json()["status"] == "posted"
    assert await shop.balance("CASE-1", floor) == 1
    assert await ledger_mismatches(database) == []


async def test_a_count_sets_the_quantity_and_its_cancel_restores_it(shop: Shop) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    await shop.receive("CASE-1", floor, "10")
    count = await shop.entry(
        "adjustment", {"sku": "CASE-1", "quantity": "8", "target_location_id": floor["id"]}
    )
    assert await shop.balance("CASE-1", floor) == 8
    zero = await shop.entry(
        "adjustment", {"sku": "CASE-1", "quantity": "0", "target_location_id": floor["id"]}
    )
    assert await shop.balance("CASE-1", floor) == 0
    await shop.client.post(f"/api/stock-entries/{zero['id']}/cancel", headers=shop.admin)
    assert await shop.balance("CASE-1", floor) == 8
    await shop.client.post(f"/api/stock-entries/{count['id']}/cancel", headers=shop.admin)
    assert await shop.balance("CASE-1", floor) == 10


@pytest.mark.parametrize(
    ("entry_type", "line", "field"),
    [
        ("receipt", {"sku": "NOPE-1", "quantity": "1", "target": "floor"}, "lines[0].sku"),
        ("receipt", {"sku": "CASE-1", "quantity": "0", "target": "floor"}, "lines[0].quantity"),
        ("receipt", {"sku": "CASE-1", "quantity": "-2", "target": "floor"}, "lines.0.quantity"),
        ("receipt", {"sku": "CASE-1", "quantity": "1"}, "lines[0].target_location_id"),
        (
            "receipt",
            {"sku": "CASE-1", "quantity": "1", "target": "floor", "source": "back"},
            "lines[0].source_location_id",
        ),
        ("issue", {"sku": "CASE-1", "quantity": "1"}, "lines[0].source_location_id"),
        (
            "transfer",
            {"sku": "CASE-1", "quantity": "1", "source": "floor", "target": "floor"},
            "lines[0].target_location_id",
        ),
        (
            "transfer",
            {"sku": "CASE-1", "quantity": "1", "source": "floor", "target": "closed"},
            "lines[0].target_location_id",
        ),
        (
            "receipt",
            {"sku": "CASE-1", "quantity": "1", "target": "unknown"},
            "lines[0].target_location_id",
        ),
        (
            "receipt",
            {"sku": "CASE-1", "quantity": "2", "target": "floor", "serial_numbers": ["A"]},
            "lines[0].serial_numbers",
        ),
        (
            "receipt",
            {"sku": "CASE-1", "quantity": "2", "target": "floor", "serial_numbers": ["A", "A"]},
            "lines[0].serial_numbers",
        ),
        (
            "receipt",
            {"sku": "CASE-1", "quantity": "1", "target": "floor", "cost": "-1"},
            "lines.0.unit_cost",
        ),
        ("scrap", {"sku": "CASE-1", "quantity": "1", "target": "floor"}, "entry_type"),
    ],
)
async def test_bad_lines_are_refused_naming_the_field(
    shop: Shop, database: Database, entry_type: str, line: dict[str, Any], field: str
) -> None:
    await shop.article("CASE-1")
    locations = {
        "floor": (await shop.location("FLOOR"))["id"],
        "back": (await shop.location("BACK"))["id"],
        "closed": (await shop.location("CLOSED", STORE_B, is_active=False))["id"],
        "unknown": "9b3f2a9e-0000-4000-8000-000000000000",
    }
    body_line = {
        key: value for key, value in line.items() if key in ("sku", "quantity", "serial_numbers")
    }
    if "target" in line:
        body_line["target_location_id"] = locations[line["target"]]
    if "source" in line:
        body_line["source_location_id"] = locations[line["source"]]
    if "cost" in line:
        body_line["unit_cost"] = line["cost"]
    response = await shop.client.post(
        "/api/stock-entries",
        json={"entry_type": entry_type, "lines": [body_line]},
        headers=shop.admin,
    )
    assert response.status_code == 422, response.text
    assert fields(response) == [field]
    listed = await shop.client.get("/api/stock-entries", headers=shop.admin)
    assert listed.json()["count"] == 0, "nothing half-written"


async def test_unit_items_move_by_receipt_and_transfer_only(shop: Shop) -> None:
    floor = await shop.location("FLOOR")
    back = await shop.location("BACK")
    item = await shop.item(sku="RS-1", price="50.00")
    issue = await shop.client.post(
        "/api/stock-entries",
        json={
            "entry_type": "issue",
            "lines": [{"sku": "RS-1", "quantity": "1", "source_location_id": floor["id"]}],
        },
        headers=shop.admin,
    )
    assert issue.status_code == 422 and fields(issue) == ["lines[0].sku"]
    two = await shop.client.post(
        "/api/stock-entries",
        json={
            "entry_type": "receipt",
            "lines": [{"sku": "RS-1", "quantity": "2", "target_location_id": floor["id"]}],
        },
        headers=shop.admin,
    )
    assert two.status_code == 422 and fields(two) == ["lines[0].quantity"]
    await shop.entry("receipt", {"sku": "RS-1", "quantity": "1", "target_location_id": floor["id"]})
    current = await shop.client.get(f"/api/inventory/items/{item['id']}", headers=shop.admin)
    assert current.json()["location_id"] == floor["id"]
    assert await shop.balance("RS-1", floor) == 1
    twice = await shop.client.post(
        "/api/stock-entries",
        json={
            "entry_type": "receipt",
            "lines": [{"sku": "RS-1", "quantity": "1", "target_location_id": back["id"]}],
        },
        headers=shop.admin,
    )
    assert twice.status_code == 422 and "transfer" in str(twice.json()["detail"])
    moved = await shop.entry(
        "transfer",
        {
            "sku": "RS-1",
            "quantity": "1",
            "source_location_id": floor["id"],
            "target_location_id": back["id"],
        },
    )
    assert (await shop.balance("RS-1", floor), await shop.balance("RS-1", back)) == (0, 1)
    await shop.client.post(f"/api/stock-entries/{moved['id']}/cancel", headers=shop.admin)
    current = await shop.client.get(f"/api/inventory/items/{item['id']}", headers=shop.admin)
    assert current.json()["location_id"] == floor["id"]
    assert (await shop.balance("RS-1", floor), await shop.balance("RS-1", back)) == (1, 0)


async def test_idempotency_key_replays_the_same_entry(shop: Shop, database: Database) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    body = {
        "entry_type": "receipt",
        "lines": [{"sku": "CASE-1", "quantity": "3", "target_location_id": floor["id"]}],
    }
    headers = {**shop.admin, "Idempotency-Key": "delivery-8812"}
    first = await shop.client.post("/api/stock-entries", json=body, headers=headers)
    second = await shop.client.post("/api/stock-entries", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    other = await shop.client.post(
        "/api/stock-entries", json={**body, "reference": "different"}, headers=headers
    )
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    listed = await shop.client.get("/api/stock-entries", headers=shop.admin)
    assert listed.json()["count"] == 1
    assert await outbox_subjects(database, "inventory.stock_entry") == [
        "inventory.stock_entry.drafted"
    ], "a replay drafts nothing new"


async def test_listing_filters_and_ordering(shop: Shop) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    await shop.receive("CASE-1", floor, "3")
    await shop.entry(
        "issue", {"sku": "CASE-1", "quantity": "1", "source_location_id": floor["id"]}, post=False
    )
    drafts = await shop.client.get(
        "/api/stock-entries", params={"status": "draft"}, headers=shop.admin
    )
    assert [entry["entry_type"] for entry in drafts.json()["results"]] == ["issue"]
    receipts = await shop.client.get(
        "/api/stock-entries", params={"entry_type": "receipt"}, headers=shop.admin
    )
    assert receipts.json()["count"] == 1
    bad = await shop.client.get(
        "/api/stock-entries", params={"ordering": "price"}, headers=shop.admin
    )
    assert bad.status_code == 400 and "Unknown ordering field" in bad.json()["detail"]
    ledger_bad = await shop.client.get(
        "/api/stock-ledgers", params={"ordering": "sku"}, headers=shop.admin
    )
    assert ledger_bad.status_code == 400
    assert Decimal(3) == await shop.balance("CASE-1", floor), "a draft issue moves nothing"
