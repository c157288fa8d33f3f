"""Purchase orders: numbering, the state machine (every legal and illegal move), editing
rules, and receiving stock through the ledger."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from common.db import Database
from common.roles import Role
from common.testing.helpers import read_events
from inventory.orders.models import PurchaseOrder
from inventory.orders.states import ACTIONS
from tests.conftest import STORE_A, Shop
from tests.invariants import ledger_mismatches
from tests.procurement import act, order, vendor

YEAR = datetime.now(UTC).year


@pytest.fixture
async def supplier(shop: Shop) -> dict[str, Any]:
    return await vendor(shop.client, shop.admin)


async def approved_order(
    shop: Shop, supplier: dict[str, Any], lines: list[dict[str, Any]]
) -> dict[str, Any]:
    created = await order(shop.client, shop.admin, supplier["id"], lines)
    submitted = await act(shop.client, shop.admin, created["id"], "submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "approved", submitted.text
    return dict(submitted.json())


async def test_create_number_and_totals(
    shop: Shop, supplier: dict[str, Any], nats_url: str
) -> None:
    await shop.article("IP13-SCR-OLED")
    since = time.time()
    created = await order(
        shop.client,
        shop.admin,
        supplier["id"],
        [
            {"sku": "ip13-scr-oled", "quantity": "20", "unit_cost": "42.50"},
            {
                "description": "Used iPhone 12 lot",
                "unit_tracked": True,
                "quantity": "3",
                "unit_cost": "150",
            },
            {"description": "Freight", "quantity": "1", "unit_cost": "35.005"},
        ],
        expected_delivery="2026-12-01",
    )
    assert created["number"] == f"PO-{YEAR}-000001" and created["status"] == "draft"
    assert [line["kind"] for line in created["lines"]] == ["article", "unit", "text"]
    assert created["lines"][0]["sku"] == "IP13-SCR-OLED"
    assert created["total"] == "1335.01" and created["vendor_name"] == "PARTS-CO Wholesale"
    assert created["allowed_actions"] == ["submit", "cancel"]
    own = await order(shop.client, shop.admin, supplier["id"], [], number="acme-77")
    assert own["number"] == "ACME-77"
    taken = await shop.client.post(
        "/api/inventory/purchase-orders",
        json={"vendor_id": supplier["id"], "store_id": str(STORE_A), "number": "ACME-77"},
        headers=shop.admin,
    )
    assert taken.status_code == 409 and taken.json()["detail"][0]["field"] == "number"
    event, _ = await read_events(
        nats_url, "inventory.purchase_order.created", expected=2, since=since
    )
    assert event.data["number"] == f"PO-{YEAR}-000001" and event.data["total"] == "1335.01"
    assert [line["kind"] for line in event.data["lines"]] == ["article", "unit", "text"]
    alias = await shop.client.get(f"/api/inventory/orders/{created['id']}", headers=shop.admin)
    assert alias.status_code == 200 and alias.json()["number"] == created["number"]


async def test_numbers_are_gapless_under_concurrent_creation(
    shop: Shop, supplier: dict[str, Any]
) -> None:
    async def create(index: int) -> str:
        lines = [{"description": f"Line {index}", "quantity": "1", "unit_cost": "1"}]
        if index % 4 == 3:  # an invalid order fails after validation and takes no number
            lines[0]["sku"] = "NO-SUCH-SKU"
        response = await shop.client.post(
            "/api/inventory/orders",
            json={"vendor_id": supplier["id"], "store_id": str(STORE_A), "lines": lines},
            headers=shop.admin,
        )
        return str(response.json()["number"]) if response.status_code == 201 else ""

    numbers = sorted(filter(None, await asyncio.gather(*(create(i) for i in range(16)))))
    assert numbers == [f"PO-{YEAR}-{n:06d}" for n in range(1, 13)]


async def test_bad_orders_name_the_field(shop: Shop, supplier: dict[str, Any]) -> None:
    floor_item = await shop.item(sku="RS-1")
    cases = [
        ({"vendor_id": str(uuid.uuid4())}, "vendor_id"),
        ({"store_id": str(uuid.uuid4())}, "store_id"),
        ({"lines": [{"sku": "NOPE", "quantity": "1", "unit_cost": "1"}]}, "lines[0].sku"),
        (
            {"lines": [{"sku": floor_item["sku"], "quantity": "1", "unit_cost": "1"}]},
            "lines[0].sku",
        ),
        ({"lines": [{"description": "x", "quantity": "0", "unit_cost": "1"}]}, "lines.0.quantity"),
        (
            {"lines": [{"description": "x", "quantity": "1", "unit_cost": "-1"}]},
            "lines.0.unit_cost",
        ),
        ({"lines": [{"quantity": "1", "unit_cost": "1"}]}, "lines.0"),
        (
            {
                "lines": [
                    {"description": "x", "unit_tracked": True, "quantity": "1.5", "unit_cost": "1"}
                ]
            },
            "lines.0",
        ),
        ({"status": "approved"}, "status"),
    ]
    for extra, field in cases:
        body = {"vendor_id": supplier["id"], "store_id": str(STORE_A), **extra}
        response = await shop.client.post(
            "/api/inventory/purchase-orders", json=body, headers=shop.admin
        )
        assert response.status_code == 422, (extra, response.text)
        assert response.json()["detail"][0]["field"] == field, (extra, response.json())
    listed = await shop.client.get("/api/inventory/purchase-orders", headers=shop.admin)
    assert listed.json()["count"] == 0


def reachable() -> list[str]:
    return [
        "draft",
        "pending_approval",
        "approved",
        "paid",
        "shipped",
        "delivered",
        "complete",
        "cancelled",
    ]


@pytest.mark.parametrize("status", reachable())
async def test_every_illegal_action_is_refused_naming_the_allowed_ones(
    shop: Shop, supplier: dict[str, Any], database: Database, status: str
) -> None:
    created = await order(
        shop.client,
        shop.admin,
        supplier["id"],
        [{"description": "Freight", "quantity": "1", "unit_cost": "5"}],
    )
    async with database.session() as session:
        await session.execute(
            update(PurchaseOrder)
            .where(PurchaseOrder.id == uuid.UUID(created["id"]))
            .values(status=status)
        )
        await session.commit()
    legal = {name for name, action in ACTIONS.items() if status in action.sources}
    for name in ACTIONS:
        if name in legal:
            continue
        response = await act(shop.client, shop.admin, created["id"], name)
        assert response.status_code == 409, (status, name, response.text)
        detail = response.json()["detail"]
        assert f"is {status}" in detail and "Allowed next:" in detail, detail
        for allowed in legal:
            assert allowed in detail
    current = await shop.client.get(
        f"/api/inventory/purchase-orders/{created['id']}", headers=shop.admin
    )
    assert current.json()["status"] == status and set(current.json()["allowed_actions"]) == legal


async def test_every_legal_action_moves_and_is_recorded(
    shop: Shop, supplier: dict[str, Any], nats_url: str
) -> None:
    since = time.time()
    created = await approved_order(
        shop, supplier, [{"description": "Freight", "quantity": "1", "unit_cost": "5"}]
    )
    order_id = created["id"]
    steps = [
        ("mark-paid", {"date": "2026-11-23"}, "paid"),
        ("revert-paid", {}, "approved"),
        ("mark-paid", {}, "paid"),
        ("mark-shipped", {"expected_delivery": "2026-11-30"}, "shipped"),
        ("revert-shipped", {}, "paid"),
        ("revert-paid", {}, "approved"),
        ("mark-shipped", {}, "shipped"),
        ("revert-shipped", {}, "approved"),
        ("deliver", {}, "delivered"),
        ("revert-delivered", {}, "approved"),
        ("mark-shipped", {}, "shipped"),
        ("deliver", {"date": "2026-11-29"}, "delivered"),
        ("revert-delivered", {}, "shipped"),
        ("deliver", {}, "delivered"),
        ("mark-complete", {}, "complete"),
    ]
    for action, body, status in steps:
        response = await act(shop.client, shop.admin, order_id, action, **body)
        assert response.status_code == 200, (action, response.text)
        assert response.json()["status"] == status, action
    done = response.json()
    assert (
        done["completed_at"]
        and done["delivered_date"]
        and done["expected_delivery"] == "2026-11-30"
    )
    history = await shop.client.get(
        f"/api/inventory/purchase-orders/{order_id}/transitions", headers=shop.admin
    )
    moves = [(row["action"], row["from_status"], row["to_status"]) for row in history.json()]
    assert moves[:3] == [
        ("create", None, "draft"),
        ("submit", "draft", "pending_approval"),
        ("auto-approve", "pending_approval", "approved"),
    ]
    assert [move[0] for move in moves[3:]] == [step[0] for step in steps]
    assert all(row["actor"] == "admin-1" for row in history.json())
    events = await read_events(
        nats_url, "inventory.purchase_order.state_changed", expected=len(steps) + 2, since=since
    )
    assert [event.data["status"] for event in events][-1] == "complete"
    cancelled = await order(shop.client, shop.admin, supplier["id"], [])
    assert (await act(shop.client, shop.admin, cancelled["id"], "cancel")).json()[
        "status"
    ] == "cancelled"


async def test_the_seed_004_state_route(shop: Shop, supplier: dict[str, Any]) -> None:
    created = await approved_order(
        shop, supplier, [{"description": "Freight", "quantity": "1", "unit_cost": "5"}]
    )
    url = f"/api/inventory/purchase-orders/{created['id']}/state"
    paid = await shop.client.patch(url, json={"status": "paid"}, headers=shop.admin)
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    complete = await shop.client.patch(url, json={"status": "complete"}, headers=shop.admin)
    assert complete.status_code == 409 and "Allowed next" in complete.json()["detail"]


async def test_editing_rules(shop: Shop, supplier: dict[str, Any]) -> None:
    await shop.article("CASE-1")
    created = await order(
        shop.client,
        shop.admin,
        supplier["id"],
        [{"sku": "CASE-1", "quantity": "2", "unit_cost": "3"}],
    )
    url = f"/api/inventory/purchase-orders/{created['id']}"
    added = await shop.client.post(
        f"{url}/items",
        json={"description": "Freight", "quantity": "1", "unit_cost": "9"},
        headers=shop.admin,
    )
    assert added.status_code == 201 and [line["line_no"] for line in added.json()["lines"]] == [
        1,
        2,
    ]
    line_id = added.json()["lines"][0]["id"]
    replaced = await shop.client.put(
        f"{url}/items/{line_id}",
        json={"sku": "CASE-1", "quantity": "5", "unit_cost": "3"},
        headers=shop.admin,
    )
    assert replaced.json()["total"] == "24.00"
    removed = await shop.client.delete(
        f"{url}/items/{added.json()['lines'][1]['id']}", headers=shop.admin
    )
    assert removed.status_code == 200 and len(removed.json()["lines"]) == 1
    await act(shop.client, shop.admin, created["id"], "submit")
    locked = await shop.client.patch(url, json={"lines": []}, headers=shop.admin)
    assert locked.status_code == 409 and "only while it is a draft" in locked.json()["detail"]
    notes = await shop.client.patch(url, json={"notes": "call before delivery"}, headers=shop.admin)
    assert notes.status_code == 200 and notes.json()["notes"] == "call before delivery"
    assert (await shop.client.delete(url, headers=shop.admin)).status_code == 409
    assert (
        await shop.client.post(
            f"{url}/items",
            json={"description": "x", "quantity": "1", "unit_cost": "1"},
            headers=shop.admin,
        )
    ).status_code == 409


async def test_receiving_partial_over_and_complete(
    shop: Shop, supplier: dict[str, Any], database: Database, nats_url: str
) -> None:
    await shop.article("CASE-1", product=uuid.uuid4())
    floor = await shop.location("FLOOR")
    created = await order(
        shop.client,
        shop.admin,
        supplier["id"],
        [
            {"sku": "CASE-1", "quantity": "10", "unit_cost": "4.00"},
            {
                "description": "Used iPhone 12",
                "unit_tracked": True,
                "quantity": "2",
                "unit_cost": "150",
            },
            {"description": "Freight", "quantity": "1", "unit_cost": "20"},
        ],
    )
    url = f"/api/inventory/purchase-orders/{created['id']}"
    lines = [line["id"] for line in created["lines"]]
    early = await shop.client.post(
        f"{url}/receive-stock",
        json={"lines": [{"line_id": lines[0], "quantity": "1", "location_id": floor["id"]}]},
        headers=shop.admin,
    )
    assert early.status_code == 409 and "only on an approved order" in early.json()["detail"]
    await act(shop.client, shop.admin, created["id"], "submit")
    since = time.time()
    first = await shop.client.post(
        f"{url}/receive-stock",
        json={
            "lines": [
                {
                    "line_id": lines[0],
                    "quantity": "6",
                    "location_id": floor["id"],
                    "batch_code": "LOT-1",
                    "serial_numbers": [],
                },
                {
                    "line_id": lines[1],
                    "quantity": "1",
                    "location_id": floor["id"],
                    "unit_skus": ["RS-PO-1"],
                    "serial_numbers": ["IMEI-1"],
                },
            ]
        },
        headers=shop.admin,
    )
    assert first.status_code == 201, first.text
    assert await shop.balance("CASE-1", floor) == 6
    assert await shop.balance("RS-PO-1", floor) == 1
    unit = await shop.client.get(
        "/api/inventory/items", params={"source": "purchase_order"}, headers=shop.admin
    )
    [item] = unit.json()["results"]
    assert (item["sku"], item["status"], item["location_id"], item["cost"]) == (
        "RS-PO-1",
        "intake",
        floor["id"],
        "150.00",
    )
    entry = await shop.client.get(
        f"/api/stock-entries/{first.json()['stock_entry_id']}", headers=shop.admin
    )
    assert entry.json()["status"] == "posted" and entry.json()["reference"] == created["number"]
    assert (
        entry.json()["lines"][0]["unit_cost"] == "4.0000"
        and "LOT-1" in entry.json()["lines"][0]["notes"]
    )
    over = await shop.client.post(
        f"{url}/receive-stock",
        json={"lines": [{"line_id": lines[0], "quantity": "5", "location_id": floor["id"]}]},
        headers=shop.admin,
    )
    assert over.status_code == 409 and "6 of 10 received" in over.json()["detail"]
    assert await shop.balance("CASE-1", floor) == 6, "nothing half-written"
    rest = await shop.client.post(
        f"{url}/receive-stock",
        json={
            "lines": [
                {"line_id": lines[0], "quantity": "4", "location_id": floor["id"]},
                {"line_id": lines[1], "quantity": "1", "location_id": floor["id"]},
                {"line_id": lines[2], "quantity": "1", "location_id": floor["id"]},
            ]
        },
        headers=shop.admin,
    )
    assert rest.status_code == 201, rest.text
    after = await shop.client.get(url, headers=shop.admin)
    assert after.json()["status"] == "delivered"
    assert [line["received_quantity"] for line in after.json()["lines"]] == [
        "10.000",
        "2.000",
        "1.000",
    ]
    receipts = await shop.client.get(f"{url}/received-items", headers=shop.admin)
    assert len(receipts.json()) == 2 and receipts.json()[0]["lines"][1]["unit_skus"] == ["RS-PO-1"]
    events = await read_events(
        nats_url, "inventory.purchase_order.received", expected=2, since=since
    )
    assert [event.data["fully_received"] for event in events] == [False, True]
    complete = await act(shop.client, shop.admin, created["id"], "mark-complete")
    assert complete.status_code == 200 and complete.json()["status"] == "complete"
    assert await ledger_mismatches(database) == []
    serials = await shop.client.get("/api/serials", params={"sku": "RS-PO-1"}, headers=shop.admin)
    assert [serial["serial_number"] for serial in serials.json()["results"]] == ["IMEI-1"]


async def test_over_receipt_when_configured_and_other_stores_refused(
    shop: Shop, supplier: dict[str, Any], staff: Any
) -> None:
    await shop.article("CASE-1")
    floor = await shop.location("FLOOR")
    from tests.conftest import STORE_B

    boston = await shop.location("FLOOR", STORE_B)
    created = await approved_order(
        shop, supplier, [{"sku": "CASE-1", "quantity": "2", "unit_cost": "1"}]
    )
    url = f"/api/inventory/purchase-orders/{created['id']}/receive-stock"
    line = created["lines"][0]["id"]
    elsewhere = await shop.client.post(
        url,
        json={"lines": [{"line_id": line, "quantity": "1", "location_id": boston["id"]}]},
        headers=shop.admin,
    )
    assert elsewhere.status_code == 422 and "another store" in str(elsewhere.json()["detail"])
    config = (await shop.client.get("/api/inventory-config", headers=shop.admin)).json()
    body = {
        key: config[key]
        for key in (
            "default_low_stock_threshold",
            "low_stock_overrides",
            "allow_negative_stock",
            "valuation_method",
        )
    }
    await shop.client.put(
        "/api/inventory-config", json={**body, "allow_over_receipt": True}, headers=shop.admin
    )
    over = await shop.client.post(
        url,
        json={"lines": [{"line_id": line, "quantity": "3", "location_id": floor["id"]}]},
        headers=shop.admin,
    )
    assert over.status_code == 201, over.text
    assert Decimal(3) == await shop.balance("CASE-1", floor)
    outsider = staff(Role.branch_head, STORE_B)
    assert (
        await shop.client.get(f"/api/inventory/purchase-orders/{created['id']}", headers=outsider)
    ).status_code == 403
    listed = await shop.client.get("/api/inventory/purchase-orders", headers=outsider)
    assert listed.json()["count"] == 0
