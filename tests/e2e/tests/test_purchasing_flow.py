"""Purchasing through the gateway: an advisor drafts a purchase order, a branch head and an
admin approve it (two inventory.approval.signed events on JetStream), stock is received into
a location, and the ledger and the item list show it."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import httpx

from common.testing.helpers import read_events

PASSWORD = "purchasing e2e passphrase"


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access']}"}


async def until(attempt, ok: int, timeout: float = 30) -> httpx.Response:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        response = await attempt()
        if response.status_code == ok or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.2)


async def test_draft_approve_receive(platform) -> None:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=15) as client:
        admin = await login(client, platform.admin_email, platform.admin_password)
        store = await client.post(
            "/api/stores", json={"code": "E2E-PO", "name": "E2E Purchasing Store"}, headers=admin
        )
        assert store.status_code == 201, store.text
        store_id = store.json()["id"]
        for email, role in (
            ("e2e-po-advisor@example.com", "advisor"),
            ("e2e-po-head@example.com", "branch_head"),
        ):
            created = await client.post(
                "/api/accounts/users/",
                json={"email": email, "password": PASSWORD, "role": role, "store_ids": [store_id]},
                headers=admin,
            )
            assert created.status_code == 201, created.text
        advisor = await login(client, "e2e-po-advisor@example.com", PASSWORD)
        head = await login(client, "e2e-po-head@example.com", PASSWORD)

        location = await until(
            lambda: client.post(
                "/api/inventory/locations",
                json={"store_id": store_id, "code": "BACK", "name": "Back room"},
                headers=head,
            ),
            ok=201,
        )
        assert location.status_code == 201, location.text
        department = await client.post(
            "/api/departments", json={"name": "E2E Parts"}, headers=admin
        )
        product = await client.post(
            "/api/products",
            json={
                "name": "E2E OLED screen",
                "department": department.json()["slug"],
                "base_price": "89.00",
            },
            headers=admin,
        )
        variant = await client.post(
            "/api/variants",
            json={"product": product.json()["slug"], "name": "E2E iPhone 13", "sku": "E2E-OLED-13"},
            headers=admin,
        )
        assert variant.status_code == 201, variant.text
        template = await client.post(
            "/api/approvals/templates",
            json={
                "name": "E2E purchase orders",
                "signers": [{"role": "branch_head"}, {"role": "system_admin"}],
                "min_signatures": 2,
            },
            headers=admin,
        )
        assert template.status_code == 201, template.text

        vendor = await client.post(
            "/api/inventory/vendors",
            json={"code": "E2E-VENDOR", "name": "E2E Parts Co."},
            headers=advisor,
        )
        assert vendor.status_code == 201, vendor.text
        draft = await until(
            lambda: client.post(
                "/api/inventory/purchase-orders",
                json={
                    "vendor_id": vendor.json()["id"],
                    "store_id": store_id,
                    "lines": [
                        {"sku": "E2E-OLED-13", "quantity": "8", "unit_cost": "41.00"},
                        {
                            "description": "E2E used iPad",
                            "unit_tracked": True,
                            "quantity": "1",
                            "unit_cost": "120",
                        },
                    ],
                },
                headers=advisor,
            ),
            ok=201,
        )
        assert draft.status_code == 201, draft.text
        order_id = draft.json()["id"]
        since = time.time()
        submitted = await client.post(
            f"/api/inventory/purchase-orders/{order_id}/submit", headers=advisor
        )
        assert submitted.json()["status"] == "pending_approval", submitted.text
        own = await client.post(
            f"/api/inventory/purchase-orders/{order_id}/sign", json={}, headers=advisor
        )
        assert own.status_code == 409
        for signer in (head, admin):
            signed = await client.post(
                f"/api/inventory/orders/{order_id}/sign", json={"comment": "ok"}, headers=signer
            )
            assert signed.status_code == 200, signed.text
        events = await read_events(
            platform.nats_url, "inventory.approval.signed", expected=2, since=since
        )
        assert [event.data["signatures"] for event in events] == [1, 2]
        approved = await client.get(f"/api/inventory/purchase-orders/{order_id}", headers=advisor)
        assert approved.json()["status"] == "approved"

        lines = approved.json()["lines"]
        received = await client.post(
            f"/api/inventory/purchase-orders/{order_id}/receive-stock/",
            json={
                "lines": [
                    {
                        "line_id": lines[0]["id"],
                        "quantity": "8",
                        "location_id": location.json()["id"],
                    },
                    {
                        "line_id": lines[1]["id"],
                        "quantity": "1",
                        "location_id": location.json()["id"],
                        "unit_skus": ["E2E-IPAD-1"],
                    },
                ]
            },
            headers=advisor,
        )
        assert received.status_code == 201, received.text
        delivered = await client.get(f"/api/inventory/purchase-orders/{order_id}", headers=advisor)
        assert delivered.json()["status"] == "delivered"

        ledger = await client.get(
            "/api/stock-ledgers",
            params={"voucher_id": received.json()["stock_entry_id"]},
            headers=admin,
        )
        rows = {row["sku"]: row for row in ledger.json()["results"]}
        assert Decimal(rows["E2E-OLED-13"]["quantity_change"]) == 8
        assert Decimal(rows["E2E-IPAD-1"]["quantity_change"]) == 1
        items = await client.get(
            "/api/inventory/items",
            params={"store": store_id, "source": "purchase_order"},
            headers=head,
        )
        [item] = items.json()["results"]
        assert (item["sku"], item["status"], item["location_id"]) == (
            "E2E-IPAD-1",
            "intake",
            location.json()["id"],
        )
        stock = await client.get(
            "/api/inventory/stock", params={"sku": "E2E-OLED-13"}, headers=head
        )
        assert [Decimal(row["quantity"]) for row in stock.json()["results"]] == [8]
