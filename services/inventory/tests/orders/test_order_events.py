"""Every edit of a purchase order is announced (issue 13): header edits, deletion, lines and
attachments, under both prefixes (one set of handlers); a refused edit announces nothing."""

from __future__ import annotations

from typing import Any

import pytest

from common.db import Database
from tests.conftest import STORE_A, Shop
from tests.invariants import outbox_events
from tests.procurement import act, order, vendor

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
async def draft(shop: Shop) -> dict[str, Any]:
    await shop.article("CASE-1")
    supplier = await vendor(shop.client, shop.admin)
    return await order(
        shop.client,
        shop.admin,
        supplier["id"],
        [{"sku": "CASE-1", "quantity": "2", "unit_cost": "3"}],
    )


async def edits(database: Database) -> list[dict[str, Any]]:
    return [
        event
        for event in await outbox_events(database, "inventory.purchase_order.")
        if event["type"] != "inventory.purchase_order.created"
    ]


async def test_header_edits_and_deletion_are_announced_with_the_fields_that_changed(
    shop: Shop, database: Database, draft: dict[str, Any]
) -> None:
    url = f"/api/inventory/purchase-orders/{draft['id']}"
    edited = await shop.client.patch(
        url, json={"notes": "call first", "currency": draft["currency"]}, headers=shop.admin
    )
    assert edited.status_code == 200 and edited.json()["notes"] == "call first"
    same = await shop.client.patch(url, json={"notes": "call first"}, headers=shop.admin)
    assert same.status_code == 200, "nothing changed: nothing to announce"
    relined = await shop.client.put(
        f"/api/inventory/orders/{draft['id']}",
        json={"lines": [{"description": "Freight", "quantity": "1", "unit_cost": "9"}]},
        headers=shop.admin,
    )
    assert relined.status_code == 200 and relined.json()["total"] == "9.00"
    [updated, lines] = await edits(database)
    assert updated["type"] == lines["type"] == "inventory.purchase_order.updated"
    assert updated["actor"] == "admin-1" and updated["data"]["changed"] == ["notes"]
    assert updated["data"]["order_id"] == draft["id"]
    assert updated["data"]["store_id"] == str(STORE_A)
    assert lines["data"]["changed"] == ["lines"] and lines["data"]["total"] == "9.00"
    assert [line["description"] for line in lines["data"]["lines"]] == ["Freight"]

    assert (await shop.client.delete(url, headers=shop.admin)).status_code == 204
    assert (await shop.client.get(url, headers=shop.admin)).status_code == 404
    deleted = (await edits(database))[-1]
    assert deleted["type"] == "inventory.purchase_order.deleted"
    assert deleted["data"]["number"] == draft["number"] and deleted["data"]["status"] == "draft"


async def test_a_refused_edit_announces_nothing(
    shop: Shop, database: Database, draft: dict[str, Any]
) -> None:
    url = f"/api/inventory/purchase-orders/{draft['id']}"
    assert (await act(shop.client, shop.admin, draft["id"], "submit")).status_code == 200
    before = await edits(database)  # the submit's state changes
    for method, path, body in (
        ("PATCH", url, {"lines": []}),
        ("DELETE", url, None),
        ("POST", f"{url}/items", {"description": "x", "quantity": "1", "unit_cost": "1"}),
    ):
        refused = await shop.client.request(method, path, json=body, headers=shop.admin)
        assert refused.status_code == 409, (method, path, refused.text)
    assert await edits(database) == before


async def test_lines_added_replaced_and_removed_are_announced_with_the_line(
    shop: Shop, database: Database, draft: dict[str, Any]
) -> None:
    url = f"/api/inventory/orders/{draft['id']}/items"
    added = await shop.client.post(
        url, json={"description": "Freight", "quantity": "1", "unit_cost": "9"}, headers=shop.admin
    )
    assert added.status_code == 201 and len(added.json()["lines"]) == 2
    freight = added.json()["lines"][1]["id"]
    replaced = await shop.client.put(
        f"{url}/{freight}",
        json={"description": "Freight", "quantity": "2", "unit_cost": "9"},
        headers=shop.admin,
    )
    assert replaced.status_code == 200 and replaced.json()["total"] == "24.00"
    removed = await shop.client.delete(f"{url}/{freight}", headers=shop.admin)
    assert removed.status_code == 200 and len(removed.json()["lines"]) == 1
    missing = await shop.client.delete(f"{url}/{freight}", headers=shop.admin)
    assert missing.status_code == 404

    events = await edits(database)
    assert [event["type"] for event in events] == [
        "inventory.purchase_order.line_added",
        "inventory.purchase_order.line_updated",
        "inventory.purchase_order.line_removed",
    ]
    add, update, remove = (event["data"] for event in events)
    assert add["line"]["line_id"] == freight and add["line"]["quantity"] == "1"
    assert len(add["lines"]) == 2 and add["total"] == "15.00"
    assert update["line"]["quantity"] == "2" and update["total"] == "24.00"
    assert remove["line"]["line_id"] == freight and len(remove["lines"]) == 1
    assert remove["total"] == "6.00"


async def test_attachments_added_and_removed_are_announced_without_their_content(
    shop: Shop, database: Database, draft: dict[str, Any]
) -> None:
    url = f"/api/inventory/purchase-orders/{draft['id']}/attachments"
    uploaded = await shop.client.post(
        url, files={"file": ("quote.pdf", PDF, "application/pdf")}, headers=shop.admin
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    refused = await shop.client.post(
        url, files={"file": ("x.exe", b"MZ\x90\x00binary", "application/pdf")}, headers=shop.admin
    )
    assert refused.status_code == 415
    gone = await shop.client.delete(
        f"/api/inventory/orders/{draft['id']}/attachments/{attachment['id']}", headers=shop.admin
    )
    assert gone.status_code == 204
    assert (await shop.client.get(url, headers=shop.admin)).json() == []

    added, removed = await edits(database)
    assert added["type"] == "inventory.purchase_order.attachment_added"
    assert removed["type"] == "inventory.purchase_order.attachment_removed"
    assert (
        added["data"]
        == removed["data"]
        == {
            "order_id": draft["id"],
            "number": draft["number"],
            "store_id": str(STORE_A),
            "attachment_id": attachment["id"],
            "filename": "quote.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
        }
    )
