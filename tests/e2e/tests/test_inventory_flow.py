"""Inventory through the gateway, fed by catalog's events: a store and a variant created in
catalog become usable in inventory; stock is received with an entry and shows as a balance;
a unit is looked up publicly by SKU; a catalog price change lands in the price logs."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal

import httpx


async def eventually(
    attempt: Callable[[], Awaitable[httpx.Response]], ok: int, timeout: float = 30
) -> httpx.Response:
    """Repeat a request until it answers ``ok`` (catalog's event has reached inventory)."""
    deadline = time.monotonic() + timeout
    while True:
        response = await attempt()
        if response.status_code == ok or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.2)


async def test_receive_stock_see_the_balance_and_look_a_unit_up(platform, admin_headers) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        headers = admin_headers
        store = await client.post(
            "/api/stores",
            json={"code": "E2E-INV", "name": "E2E Inventory Store", "time_zone": "Europe/Paris"},
            headers=headers,
        )
        assert store.status_code == 201, store.text
        store_id = store.json()["id"]

        location = await eventually(
            lambda: client.post(
                "/api/inventory/locations/",
                json={
                    "store_id": store_id,
                    "code": "FLOOR",
                    "name": "Sales floor",
                    "is_default": True,
                },
                headers=headers,
            ),
            ok=201,
        )
        assert location.status_code == 201, location.text
        location_id = location.json()["id"]

        department = await client.post(
            "/api/departments", json={"name": "E2E Cables"}, headers=headers
        )
        product = await client.post(
            "/api/products",
            json={
                "name": "E2E USB-C cable",
                "department": department.json()["slug"],
                "base_price": "12.00",
            },
            headers=headers,
        )
        assert product.status_code == 201, product.text
        variant = await client.post(
            "/api/variants",
            json={"product": product.json()["slug"], "name": "E2E 1m", "sku": "E2E-USBC-1M"},
            headers=headers,
        )
        assert variant.status_code == 201, variant.text

        entry = await eventually(
            lambda: client.post(
                "/api/stock-entries/",
                json={
                    "entry_type": "receipt",
                    "reference": "E2E delivery",
                    "lines": [
                        {
                            "sku": "E2E-USBC-1M",
                            "quantity": "25",
                            "target_location_id": location_id,
                            "unit_cost": "3.10",
                        }
                    ],
                },
                headers={**headers, "Idempotency-Key": "e2e-delivery-1"},
            ),
            ok=201,
        )
        assert entry.status_code == 201, entry.text
        posted = await client.post(
            f"/api/stock-entries/{entry.json()['id']}/post/", headers=headers
        )
        assert posted.status_code == 200 and posted.json()["status"] == "posted", posted.text

        balance = await client.get(
            "/api/inventory/stock",
            params={"sku": "e2e-usbc-1m", "store": store_id},
            headers=headers,
        )
        [row] = balance.json()["results"]
        assert Decimal(row["quantity"]) == 25 and row["location_code"] == "FLOOR"
        assert Decimal(row["valuation_rate"]) == Decimal("3.10")

        item = await client.post(
            "/api/inventory/items/",
            json={
                "name": "E2E used iPhone 12",
                "store_id": store_id,
                "location_id": location_id,
                "price": "289.00",
                "cost": "150.00",
                "condition": "good",
                "source": "trade_in",
            },
            headers=headers,
        )
        assert item.status_code == 201, item.text
        ready = await client.post(
            f"/api/inventory/items/{item.json()['id']}/ready", headers=headers
        )
        assert ready.status_code == 200, ready.text
        public = await client.get(f"/api/inventory/items/lookup/{item.json()['sku']}/")
        assert public.status_code == 200
        assert public.json()["available"] is True and public.json()["price"] == "289.00"
        assert public.json()["store_code"] == "E2E-INV" and "cost" not in public.json()

        repriced = await client.patch(
            f"/api/products/{product.json()['slug']}", json={"base_price": "11.00"}, headers=headers
        )
        assert repriced.status_code == 200, repriced.text

        async def product_log() -> httpx.Response:
            response = await client.get(
                "/api/price-logs", params={"subject_id": product.json()["id"]}, headers=headers
            )
            return response if response.json()["count"] else httpx.Response(404)

        logs = await eventually(product_log, ok=200)
        assert logs.status_code == 200
        [log] = logs.json()["results"]
        assert (log["old_price"], log["new_price"], log["source"]) == (
            "12.00",
            "11.00",
            "catalog.product.price_changed",
        )
