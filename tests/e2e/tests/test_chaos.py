"""The platform survives a crash: while sales run through the gateway, inventory, then POS,
then NATS are killed with SIGKILL; supervisord brings each back by itself (a new PID that
answers /healthz), no sale is lost or made twice, and every event gets where it goes.

A sale attempt that meets the outage (connection error, 502, 503 from the gateway) is
retried with the same Idempotency-Key, as a till would. Afterwards every completed sale's
unit is `sold` in inventory with exactly one `pos_sale` ledger row, the drawer expects
exactly the cash of those sales, every service's outbox has nothing left to send and no
event was dead-lettered (read in each service's own database).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
import pytest
from test_pos_flow import Shop, eventually, open_shop

from gateway.table import route_for

pytestmark = pytest.mark.chaos

OUTAGE_STATUSES = (502, 503, 504)
BACK_TIMEOUT = 180.0  # a service comes back through `prestart` (migrations at head) on a busy box
SALES_PER_PHASE = 3
OPENING = Decimal("100.00")
SERVICES_WITH_EVENTS = ("auth", "catalog", "inventory", "pos")


@dataclass
class Till:
    """Sells through the gateway, retrying what met an outage; remembers what it sold."""

    shop: Shop
    drawer_id: str
    sales: list[dict[str, Any]] = field(default_factory=list)
    outage_errors: list[str] = field(default_factory=list)

    async def through(self, send: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
        """The answer of ``send`` once it gets past an outage (same request every time)."""
        deadline = time.monotonic() + BACK_TIMEOUT
        while True:
            try:
                response = await send()
            except httpx.TransportError as exc:
                self.outage_errors.append(type(exc).__name__)
            else:
                if response.status_code not in OUTAGE_STATUSES:
                    return response
                self.outage_errors.append(f"HTTP {response.status_code}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"still failing after {BACK_TIMEOUT:.0f}s: {self.outage_errors}"
                )
            await asyncio.sleep(0.25)

    async def cart_with(self, unit: dict[str, Any]) -> str:
        """A cart holding ``unit``; the cart's id is ours, so a retried create makes no second."""
        client, headers = self.shop.client, self.shop.headers
        cart_id = str(uuid.uuid4())
        cart = await self.through(
            lambda: client.post(
                "/api/pos/carts/",
                json={"drawer_id": self.drawer_id, "id": cart_id},
                headers=headers,
            )
        )
        assert cart.status_code in (200, 201), cart.text
        added = await self.through(
            lambda: client.post(
                f"/api/pos/carts/{cart_id}/add-item/", json={"sku": unit["sku"]}, headers=headers
            )
        )
        if added.status_code == 409:  # the attempt that met the outage had added it already
            current = await self.through(
                lambda: client.get(f"/api/pos/carts/{cart_id}", headers=headers)
            )
            assert [line["sku"] for line in current.json()["lines"]] == [unit["sku"]], current.text
        else:
            assert added.status_code == 200, added.text
        return cart_id

    async def complete(self, cart_id: str, unit: dict[str, Any]) -> dict[str, Any]:
        key = f"chaos-{unit['sku']}"  # one key per sale, every attempt of it the same
        done = await self.through(
            lambda: self.shop.client.post(
                f"/api/pos/carts/{cart_id}/complete/",
                json={"payment_method": "cash", "cash_tendered": unit["price"]},
                headers={**self.shop.headers, "Idempotency-Key": key},
            )
        )
        assert done.status_code == 200, done.text
        sale = dict(done.json())
        assert sale["status"] == "completed" and sale["id"] == cart_id, sale
        self.sales.append({**sale, "unit": unit})
        return sale

    async def sell(self, unit: dict[str, Any]) -> dict[str, Any]:
        return await self.complete(await self.cart_with(unit), unit)


# -- the platform's processes ---------------------------------------------------------------


def program_process(platform: Any, matches: Callable[[list[str]], bool]) -> psutil.Process | None:
    keeper = psutil.Process(platform.process.process.pid)
    for child in keeper.children(recursive=True):
        try:
            if matches(child.cmdline()):
                return child
        except psutil.NoSuchProcess:
            continue
    return None


def serving(name: str) -> Callable[[list[str]], bool]:
    return lambda cmdline: (
        any(part.endswith(f"shopfloor-{name}") for part in cmdline[:2]) and ("serve" in cmdline)
    )


def nats_server(cmdline: list[str]) -> bool:
    return bool(cmdline) and Path(cmdline[0]).name == "nats-server"


async def answers(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2, trust_env=False) as client:
            return (await client.get(url)).is_success
    except httpx.HTTPError:
        return False


async def kill_and_await_return(
    platform: Any, matches: Callable[[list[str]], bool], health_url: str
) -> None:
    """SIGKILL the program's process, then wait until another process of it answers."""
    victim = program_process(platform, matches)
    assert victim is not None, "the process to kill is not running"
    os.kill(victim.pid, signal.SIGKILL)
    deadline = time.monotonic() + BACK_TIMEOUT
    while True:
        successor = program_process(platform, matches)
        if successor is not None and successor.pid != victim.pid and await answers(health_url):
            return
        assert time.monotonic() < deadline, f"not back after {BACK_TIMEOUT:.0f}s: {health_url}"
        await asyncio.sleep(0.25)


def service_url(platform: Any, name: str) -> str:
    return f"http://127.0.0.1:{platform.process.service_port_base + route_for(name).index}"


# -- what must hold afterwards -----------------------------------------------------------------


def event_backlog(platform: Any) -> dict[str, tuple[int, int]]:
    """(unsent outbox rows, dead letters) in each service's own database."""
    found: dict[str, tuple[int, int]] = {}
    for name in SERVICES_WITH_EVENTS:
        url = f"postgresql://postgres@127.0.0.1:{platform.process.pg_port}/shopfloor_{name}"
        with psycopg.connect(url, connect_timeout=5) as connection:
            unsent = connection.execute(
                "SELECT count(*) FROM event_outbox WHERE sent_at IS NULL"
            ).fetchone()
            dead = connection.execute("SELECT count(*) FROM event_dead_letters").fetchone()
        found[name] = (unsent[0] if unsent else -1, dead[0] if dead else -1)
    return found


async def assert_sold_once(till: Till) -> None:
    client, headers = till.shop.client, till.shop.headers
    for sale in till.sales:
        await till.shop.sold_in_inventory(sale["unit"]["id"], timeout=BACK_TIMEOUT)
        ledger = await client.get(
            "/api/stock-ledgers", params={"voucher_id": sale["id"]}, headers=headers
        )
        assert ledger.status_code == 200, ledger.text
        rows = ledger.json()["results"]
        assert [(row["voucher_type"], row["quantity_change"]) for row in rows] == [
            ("pos_sale", "-1.000")
        ], ledger.text
    drawer = await client.get(f"/api/pos/drawers/{till.drawer_id}", headers=headers)
    cash = sum((Decimal(sale["total"]) for sale in till.sales), OPENING)
    assert Decimal(drawer.json()["expected_amount"]) == cash, drawer.text


async def everything_ready(platform: Any) -> None:
    """Every service ready again, so the tests after this one meet a whole platform."""
    urls = [f"{service_url(platform, name)}/readyz" for name in SERVICES_WITH_EVENTS]
    deadline = time.monotonic() + BACK_TIMEOUT
    while not all([await answers(url) for url in urls]):
        assert time.monotonic() < deadline, "the platform did not recover"
        await asyncio.sleep(0.5)


# -- the test ---------------------------------------------------------------------------------


async def test_kill_9_inventory_pos_and_nats_while_selling(platform, admin_headers) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=10) as client:
        shop, location_id, drawer_id = await open_shop(client, admin_headers, "E2E-CHAOS")
        units = [
            await shop.unit_on_shelf(location_id, f"E2E chaos phone {n}", f"{10 + n}.00")
            for n in range(2 * SALES_PER_PHASE + 2)
        ]
        till = Till(shop, drawer_id)
        await in_read_model(shop, drawer_id, units)
        pending = list(units)
        try:
            # inventory is not needed to sell: sales go on while it is down
            selling = asyncio.create_task(sell_all(till, pending[:SALES_PER_PHASE]))
            await kill_and_await_return(
                platform, serving("inventory"), f"{service_url(platform, 'inventory')}/healthz"
            )
            await selling
            del pending[:SALES_PER_PHASE]

            # POS killed with a sale in flight, and one attempted while it is down
            in_flight, while_down = pending[0], pending[1]
            cart_in_flight = await till.cart_with(in_flight)
            cart_while_down = await till.cart_with(while_down)
            completing = asyncio.create_task(till.complete(cart_in_flight, in_flight))
            await asyncio.sleep(0.01)
            errors_before = len(till.outage_errors)
            victim = program_process(platform, serving("pos"))
            assert victim is not None
            os.kill(victim.pid, signal.SIGKILL)
            await till.complete(cart_while_down, while_down)
            assert len(till.outage_errors) > errors_before, "the sale never met POS down"
            await completing
            successor = program_process(platform, serving("pos"))
            assert successor is not None and successor.pid != victim.pid
            del pending[:2]

            # NATS down: POS keeps selling, the outboxes hold the events until it is back
            selling = asyncio.create_task(sell_all(till, pending[:SALES_PER_PHASE]))
            monitor = f"http://127.0.0.1:{platform.process.nats_monitor_port}"
            await kill_and_await_return(
                platform, nats_server, f"{monitor}/healthz?js-enabled-only=true"
            )
            await selling
            del pending[:SALES_PER_PHASE]

            await assert_sold_once(till)
            assert len(till.sales) == len(units) - len(pending)
            backlog = await asyncio.to_thread(event_backlog, platform)
            deadline = time.monotonic() + BACK_TIMEOUT
            while any(unsent for unsent, _ in backlog.values()) and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                backlog = await asyncio.to_thread(event_backlog, platform)
            assert backlog == {name: (0, 0) for name in SERVICES_WITH_EVENTS}, backlog
        finally:
            await everything_ready(platform)


async def in_read_model(shop: Shop, drawer_id: str, units: list[dict[str, Any]]) -> None:
    """Every unit in POS's read-model before anything is killed: each added to a probe cart
    (once inventory's event has arrived), then removed again (back on the shelf)."""
    client, headers = shop.client, shop.headers
    probe = await client.post("/api/pos/carts/", json={"drawer_id": drawer_id}, headers=headers)
    assert probe.status_code == 201, probe.text
    cart = f"/api/pos/carts/{probe.json()['id']}"
    for unit in units:
        added = await eventually(
            lambda unit=unit: client.post(
                f"{cart}/add-item/", json={"sku": unit["sku"]}, headers=headers
            ),
            ok=lambda response: response.status_code == 200,
        )
        assert added.status_code == 200, added.text
        [line] = added.json()["lines"]
        removed = await client.delete(f"{cart}/lines/{line['line_id']}/", headers=headers)
        assert removed.status_code == 200, removed.text


async def sell_all(till: Till, units: list[dict[str, Any]]) -> None:
    for unit in units:
        await till.sell(unit)
