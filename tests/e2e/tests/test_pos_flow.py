"""POS through the gateway: inventory receives a unit, POS sells it from its own read-model,
inventory shows it sold with a ledger row — and POS keeps selling while inventory is down
(its process frozen), inventory catching up from JetStream once it is back."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import psutil


async def eventually(
    attempt: Callable[[], Awaitable[httpx.Response]],
    ok: Callable[[httpx.Response], bool],
    timeout: float = 30,
) -> httpx.Response:
    """Repeat a request until ``ok`` holds for its answer (an event has arrived)."""
    deadline = time.monotonic() + timeout
    while True:
        response = await attempt()
        if ok(response) or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.2)


@contextlib.contextmanager
def frozen(platform: Any, service: str) -> Iterator[None]:
    """The service's process stopped (SIGSTOP) for the block: it answers nothing and consumes
    nothing; JetStream keeps what is published meanwhile. SIGCONT after, whatever happens."""
    root = psutil.Process(platform.process.process.pid)
    matches = [
        child
        for child in root.children(recursive=True)
        if any(f"shopfloor-{service}" in part for part in child.cmdline())
    ]
    assert matches, f"no shopfloor-{service} process under the platform"
    for process in matches:
        os.kill(process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for process in matches:
            os.kill(process.pid, signal.SIGCONT)


class Shop:
    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str], store_id: str) -> None:
        self.client, self.headers, self.store_id = client, headers, store_id

    async def unit_on_shelf(self, location_id: str, name: str, price: str) -> dict[str, Any]:
        item = await self.client.post(
            "/api/inventory/items/",
            json={
                "name": name,
                "store_id": self.store_id,
                "location_id": location_id,
                "price": price,
                "condition": "good",
                "source": "trade_in",
            },
            headers=self.headers,
        )
        assert item.status_code == 201, item.text
        ready = await self.client.post(
            f"/api/inventory/items/{item.json()['id']}/ready", headers=self.headers
        )
        assert ready.status_code == 200, ready.text
        return dict(ready.json())

    async def sell(self, drawer_id: str, sku: str, tendered: str) -> dict[str, Any]:
        cart = await self.client.post(
            "/api/pos/carts/", json={"drawer_id": drawer_id}, headers=self.headers
        )
        assert cart.status_code == 201, cart.text
        added = await eventually(  # inventory's event reaches POS's read-model
            lambda: self.client.post(
                f"/api/pos/carts/{cart.json()['id']}/add-item/",
                json={"sku": sku},
                headers=self.headers,
            ),
            ok=lambda response: response.status_code == 200,
        )
        assert added.status_code == 200, added.text
        done = await self.client.post(
            f"/api/pos/carts/{cart.json()['id']}/complete/",
            json={"payment_method": "cash", "cash_tendered": tendered},
            headers={**self.headers, "Idempotency-Key": f"e2e-{sku}"},
        )
        assert done.status_code == 200, done.text
        return dict(done.json())

    async def sold_in_inventory(self, item_id: str, timeout: float = 60) -> None:
        item = await eventually(
            lambda: self.client.get(f"/api/inventory/items/{item_id}", headers=self.headers),
            ok=lambda response: response.status_code == 200 and response.json()["status"] == "sold",
            timeout=timeout,
        )
        assert item.json()["status"] == "sold", item.text


async def open_shop(
    client: httpx.AsyncClient, headers: dict[str, str], code: str
) -> tuple[Shop, str, str]:
    """A store in catalog, its floor in inventory, a register and an open drawer in POS."""
    store = await client.post(
        "/api/stores",
        json={"code": code, "name": f"{code} store", "time_zone": "America/New_York"},
        headers=headers,
    )
    assert store.status_code == 201, store.text
    store_id = store.json()["id"]
    location = await eventually(
        lambda: client.post(
            "/api/inventory/locations/",
            json={"store_id": store_id, "code": "FLOOR", "name": "Floor", "is_default": True},
            headers=headers,
        ),
        ok=lambda response: response.status_code == 201,
    )
    assert location.status_code == 201, location.text
    register = await eventually(  # catalog's store event reaches POS
        lambda: client.post(
            "/api/pos/registers/",
            json={"store_id": store_id, "code": "REG-1", "name": "Front"},
            headers=headers,
        ),
        ok=lambda response: response.status_code == 201,
    )
    assert register.status_code == 201, register.text
    drawer = await client.post(
        "/api/pos/drawers/",
        json={"register_id": register.json()["id"], "opening_amount": "100.00"},
        headers=headers,
    )
    assert drawer.status_code == 201, drawer.text
    return Shop(client, headers, store_id), location.json()["id"], drawer.json()["id"]


async def test_inventory_receives_pos_sells_inventory_shows_it_sold(
    platform, admin_headers
) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        shop, location_id, drawer_id = await open_shop(client, admin_headers, "E2E-POS")
        unit = await shop.unit_on_shelf(location_id, "E2E used iPad", "120.00")
        sale = await shop.sell(drawer_id, unit["sku"], "150.00")
        assert sale["total"] == "120.00" and sale["change_due"] == "30.00"
        assert sale["receipt_number"].startswith("E2E-POS-")
        await shop.sold_in_inventory(unit["id"])
        ledger = await client.get(
            "/api/stock-ledgers", params={"voucher_id": sale["id"]}, headers=shop.headers
        )
        assert ledger.status_code == 200, ledger.text
        [row] = ledger.json()["results"]
        assert (row["voucher_type"], row["quantity_change"]) == ("pos_sale", "-1.000")
        receipt = await client.get("/api/pos/drawers/" + drawer_id, headers=shop.headers)
        assert receipt.json()["expected_amount"] == "220.00"


async def test_pos_keeps_selling_while_inventory_is_down(platform, admin_headers) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        shop, location_id, drawer_id = await open_shop(client, admin_headers, "E2E-DOWN")
        unit = await shop.unit_on_shelf(location_id, "E2E used Pixel", "80.00")
        # POS has the unit in its read-model before inventory goes down
        probe = await shop.client.post(
            "/api/pos/carts/", json={"drawer_id": drawer_id}, headers=shop.headers
        )
        known = await eventually(
            lambda: shop.client.post(
                f"/api/pos/carts/{probe.json()['id']}/add-item/",
                json={"sku": unit["sku"]},
                headers=shop.headers,
            ),
            ok=lambda response: response.status_code == 200,
        )
        assert known.status_code == 200, known.text
        emptied = await shop.client.delete(
            f"/api/pos/carts/{probe.json()['id']}/lines/1/", headers=shop.headers
        )
        assert emptied.status_code == 200, emptied.text

        with frozen(platform, "inventory"):
            try:
                down = await client.get(
                    f"/api/inventory/items/{unit['id']}", headers=shop.headers, timeout=2
                )
                assert down.status_code >= 500, down.text  # the gateway gives up on it
            except httpx.TimeoutException:
                pass  # inventory answers nothing: it is down
            sale = await shop.sell(drawer_id, unit["sku"], "100.00")
            assert sale["status"] == "completed" and sale["total"] == "80.00"

        await shop.sold_in_inventory(unit["id"], timeout=90)
        ledger = await client.get(
            "/api/stock-ledgers", params={"voucher_id": sale["id"]}, headers=shop.headers
        )
        assert ledger.json()["count"] == 1, ledger.text
