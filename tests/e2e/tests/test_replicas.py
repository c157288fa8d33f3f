"""Safe at N replicas: POS and inventory with two workers each — each worker a whole service
with its own outbox relay and consumers, as each replica is on Kubernetes — sell 1,000 items
through the gateway, and every event is published once and consumed once, the two workers
of each service sharing the relaying and the consuming.

A platform of its own (`make up` with ``SHOPFLOOR_WORKERS_POS=2``,
``SHOPFLOOR_WORKERS_INVENTORY=2``). Ten articles with stock; 100 sales of one of each from
four tills at once: 1,000 sale lines, 1,000 ``pos.item.sold`` events. Afterwards, read in
each service's own database and in JetStream:

- published once: every outbox row of POS and of inventory is sent, its stream holds exactly
  as many messages, and the relays' own counts (``/healthz/details``, one per worker) add up
  to the outbox rows — a row published by both workers would count twice;
- consumed once: one ``pos_sale`` ledger row per sale line, inventory's inbox holds one row
  per ``pos.item.sold`` event, the durable consumer has nothing pending, and the consumers'
  counts add up to the inbox rows; no dead letter anywhere;
- shared: both POS workers published, both inventory workers applied sale events and
  published their stock events.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import nats
import psutil
import psycopg
import pytest
from test_pos_flow import eventually, open_shop

from common.events.consumer import durable_name
from gateway.table import route_for
from shopfloor_local.platform import Platform

ADMIN_EMAIL = "e2e-replicas@shopfloor.test"
ADMIN_PASSWORD = "e2e replicas passphrase"
WORKERS = 2
ARTICLES = 10
SALES = 100  # one of each article per sale: 1,000 items
TILLS = 4
PRICE = "2.00"
DRAIN_TIMEOUT = 240.0
# Eight uvicorn processes to import and migrate: on a busy 2-core machine start-up alone has
# taken over three minutes (the shared platform's 180 s default is for five processes).
START_TIMEOUT = 420.0


@dataclass(frozen=True)
class Replicated:
    platform: Platform
    headers: dict[str, str]

    def service_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.platform.service_port_base + route_for(name).index}"

    def database(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.platform.pg_port}/shopfloor_{name}"


@pytest.fixture(scope="module")
def replicated() -> Iterator[Replicated]:
    workdir = Path(tempfile.mkdtemp(prefix="sfe2e-replicas-"))
    platform = Platform(
        data_dir=workdir / "data",
        extra_env={
            "SHOPFLOOR_ADMIN_EMAIL": ADMIN_EMAIL,
            "SHOPFLOOR_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SHOPFLOOR_WORKERS_POS": str(WORKERS),
            "SHOPFLOOR_WORKERS_INVENTORY": str(WORKERS),
        },
    )
    platform.start()
    try:
        platform.wait_ready(timeout=START_TIMEOUT)
        login = httpx.post(
            f"{platform.gateway_url}/api/auth/login",
            json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            timeout=10,
        )
        assert login.status_code == 200, login.text
        yield Replicated(platform, {"Authorization": f"Bearer {login.json()['access']}"})
        code = platform.stop()
        assert code in (0, 130), f"`up` ended with {code}:\n{platform.output()[-3000:]}"
        assert platform.leftovers() == [], "processes outlived the platform"
    finally:
        platform.kill_everything()
        shutil.rmtree(workdir, ignore_errors=True)


def worker_pids(replicated: Replicated, name: str) -> set[int]:
    """The uvicorn workers of the service: children of its `shopfloor-<name> serve` master."""
    assert replicated.platform.process is not None
    keeper = psutil.Process(replicated.platform.process.pid)
    for process in keeper.children(recursive=True):
        cmdline = process.cmdline()
        if any(part.endswith(f"shopfloor-{name}") for part in cmdline[:2]) and "serve" in cmdline:
            return {
                child.pid
                for child in process.children()
                if "resource_tracker" not in " ".join(child.cmdline())
            }
    raise AssertionError(f"no shopfloor-{name} serve process")


async def each_workers_counts(url: str, pids: set[int]) -> dict[int, dict[str, Any]]:
    """``/healthz/details`` of every worker: new connections until each pid has answered."""
    seen: dict[int, dict[str, Any]] = {}
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(timeout=5, trust_env=False) as client:
        while set(seen) != pids:
            assert time.monotonic() < deadline, f"only {sorted(seen)} of {sorted(pids)} answered"
            response = await client.get(f"{url}/healthz/details", headers={"Connection": "close"})
            assert response.status_code == 200, response.text
            process = response.json()["process"]
            seen[process["pid"]] = process
    return seen


async def articles_with_stock(
    client: httpx.AsyncClient, headers: dict[str, str], location: str
) -> list[str]:
    """Ten variants in catalog, SALES of each received at the location and posted."""
    department = await client.post(
        "/api/departments", json={"name": "E2E Replicas"}, headers=headers
    )
    assert department.status_code == 201, department.text
    product = await client.post(
        "/api/products",
        json={
            "name": "E2E replica cable",
            "department": department.json()["slug"],
            "base_price": PRICE,
        },
        headers=headers,
    )
    assert product.status_code == 201, product.text
    skus = [f"E2E-REPL-{n}" for n in range(ARTICLES)]
    for sku in skus:
        variant = await client.post(
            "/api/variants",
            json={"product": product.json()["slug"], "name": sku, "sku": sku},
            headers=headers,
        )
        assert variant.status_code == 201, variant.text
    lines = [
        {"sku": sku, "quantity": str(SALES), "target_location_id": location, "unit_cost": "1.00"}
        for sku in skus
    ]
    entry = await eventually(  # catalog's variant events reach inventory
        lambda: client.post(
            "/api/stock-entries/",
            json={"entry_type": "receipt", "reference": "E2E replicas", "lines": lines},
            headers={**headers, "Idempotency-Key": "e2e-replicas-receipt"},
        ),
        ok=lambda response: response.status_code == 201,
        timeout=60,
    )
    assert entry.status_code == 201, entry.text
    posted = await client.post(f"/api/stock-entries/{entry.json()['id']}/post/", headers=headers)
    assert posted.status_code == 200, posted.text
    return skus


async def known_to_pos(
    client: httpx.AsyncClient, headers: dict[str, str], drawer: str, skus: list[str]
) -> None:
    """Every article in POS's read-model (a probe cart, left open, takes each once)."""
    probe = await client.post("/api/pos/carts/", json={"drawer_id": drawer}, headers=headers)
    assert probe.status_code == 201, probe.text
    for sku in skus:
        added = await eventually(
            lambda sku=sku: client.post(
                f"/api/pos/carts/{probe.json()['id']}/add-item/", json={"sku": sku}, headers=headers
            ),
            ok=lambda response: response.status_code == 200,
            timeout=60,
        )
        assert added.status_code == 200, added.text


async def sell(
    client: httpx.AsyncClient, headers: dict[str, str], drawer: str, skus: list[str]
) -> dict[str, Any]:
    cart_id = str(uuid.uuid4())
    cart = await client.post(
        "/api/pos/carts/", json={"drawer_id": drawer, "id": cart_id}, headers=headers
    )
    assert cart.status_code == 201, cart.text
    for sku in skus:
        added = await client.post(
            f"/api/pos/carts/{cart_id}/add-item/", json={"sku": sku}, headers=headers
        )
        assert added.status_code == 200, added.text
    done = await client.post(
        f"/api/pos/carts/{cart_id}/complete/",
        json={"payment_method": "cash", "cash_tendered": "100.00"},
        headers={**headers, "Idempotency-Key": f"e2e-replicas-{cart_id}"},
    )
    assert done.status_code == 200, done.text
    sale: dict[str, Any] = done.json()
    assert sale["status"] == "completed" and len(sale["lines"]) == len(skus), sale
    return sale


def one_value(url: str, sql: str, *params: Any) -> Any:
    with psycopg.connect(url, connect_timeout=5) as connection:
        row = connection.execute(sql, params).fetchone()
    assert row is not None
    return row[0] if len(row) == 1 else row


async def drained(replicated: Replicated, sale_ids: list[str]) -> None:
    """Inventory has a ledger row for every sold line and no outbox has anything left to send."""
    pos, inventory = replicated.database("pos"), replicated.database("inventory")
    unsent = "SELECT count(*) FROM event_outbox WHERE sent_at IS NULL"
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while True:
        rows = await asyncio.to_thread(
            one_value,
            inventory,
            "SELECT count(*) FROM stock_ledger WHERE voucher_type = 'pos_sale' AND voucher_id = ANY(%s)",
            sale_ids,
        )
        left = [await asyncio.to_thread(one_value, url, unsent) for url in (pos, inventory)]
        if rows >= SALES * ARTICLES and left == [0, 0]:
            return
        assert time.monotonic() < deadline, (
            f"after {DRAIN_TIMEOUT:.0f}s: {rows} ledger rows, unsent {left}"
        )
        await asyncio.sleep(0.5)


async def stream_messages(nats_url: str, stream: str) -> int:
    connection = await nats.connect(nats_url, connect_timeout=5)
    try:
        info = await connection.jetstream().stream_info(stream)
        return int(info.state.messages)
    finally:
        await connection.close()


async def sold_lines_consumer(nats_url: str) -> tuple[int, int]:
    connection = await nats.connect(nats_url, connect_timeout=5)
    try:
        info = await connection.jetstream().consumer_info(
            "POS", durable_name("inventory", "pos-items-sold")
        )
        return int(info.num_pending), int(info.num_ack_pending)
    finally:
        await connection.close()


async def test_two_workers_each_sell_1000_items_publishing_and_consuming_every_event_once(
    replicated: Replicated,
) -> None:
    headers = replicated.headers
    pos_db, inventory_db = replicated.database("pos"), replicated.database("inventory")
    nats_url = f"nats://127.0.0.1:{replicated.platform.nats_port}"
    pos_workers, inventory_workers = (
        worker_pids(replicated, "pos"),
        worker_pids(replicated, "inventory"),
    )
    assert len(pos_workers) == len(inventory_workers) == WORKERS

    async with httpx.AsyncClient(base_url=replicated.platform.gateway_url, timeout=30) as client:
        shop, location, drawer = await open_shop(client, headers, "E2E-REPL")
        skus = await articles_with_stock(client, headers, location)
        await known_to_pos(client, headers, drawer, skus)

        queue = list(range(SALES))
        sales: list[dict[str, Any]] = []

        async def till() -> None:
            while queue:
                queue.pop()
                sales.append(await sell(client, shop.headers, drawer, skus))

        started = time.monotonic()
        await asyncio.gather(*(till() for _ in range(TILLS)))
        selling = time.monotonic() - started
        sale_ids = [sale["id"] for sale in sales]
        assert len(set(sale_ids)) == SALES
        await drained(replicated, sale_ids)
        print(
            f"\n{SALES * ARTICLES} items in {SALES} sales: sold in {selling:.1f}s, "
            f"all consumed {time.monotonic() - started:.1f}s after the first sale"
        )

        drawer_now = await client.get(f"/api/pos/drawers/{drawer}", headers=headers)
        takings = sum((Decimal(sale["total"]) for sale in sales), Decimal("100.00"))
        assert Decimal(drawer_now.json()["expected_amount"]) == takings, drawer_now.text

    # published once: all sent, the stream holds as many, the relays' counts add up to them
    pos_counts = await each_workers_counts(replicated.service_url("pos"), pos_workers)
    inventory_counts = await each_workers_counts(
        replicated.service_url("inventory"), inventory_workers
    )
    for name, db, counts in (
        ("POS", pos_db, pos_counts),
        ("INVENTORY", inventory_db, inventory_counts),
    ):
        rows, sent = one_value(db, "SELECT count(*), count(sent_at) FROM event_outbox")
        assert sent == rows, f"{name}: {rows - sent} outbox rows unsent"
        assert await stream_messages(nats_url, name) == rows, f"{name}: stream != outbox"
        assert sum(worker["published"] for worker in counts.values()) == rows, (name, counts)

    # consumed once: a ledger row per sold line, an inbox row per event, nothing pending
    per_line = one_value(
        inventory_db,
        "SELECT count(*), count(DISTINCT (voucher_id, voucher_line)) FROM stock_ledger "
        "WHERE voucher_type = 'pos_sale' AND voucher_id = ANY(%s)",
        sale_ids,
    )
    assert per_line == (SALES * ARTICLES, SALES * ARTICLES)
    sold_events = one_value(
        pos_db, "SELECT count(*) FROM event_outbox WHERE subject = 'pos.item.sold'"
    )
    assert sold_events == SALES * ARTICLES
    inbox = one_value(
        inventory_db, "SELECT count(*) FROM event_inbox WHERE subscriber = 'pos-items-sold'"
    )
    assert inbox == sold_events
    assert await sold_lines_consumer(nats_url) == (0, 0)
    all_inbox = one_value(inventory_db, "SELECT count(*) FROM event_inbox")
    assert sum(worker["applied"] for worker in inventory_counts.values()) == all_inbox
    for db in (pos_db, inventory_db):
        assert one_value(db, "SELECT count(*) FROM event_dead_letters") == 0
    oversold = one_value(
        inventory_db, "SELECT count(*) FROM event_outbox WHERE subject = 'inventory.item.oversold'"
    )
    assert oversold == 0

    # shared: each worker did part of the relaying and the consuming
    other_events = all_inbox - inbox  # catalog's stores and variants, auth's users ...
    print(
        f"POS relays published {[w['published'] for w in pos_counts.values()]}, "
        f"inventory consumers applied {[w['applied'] for w in inventory_counts.values()]} "
        f"(of which {other_events} not sales), inventory relays published "
        f"{[w['published'] for w in inventory_counts.values()]}"
    )
    for pid, worker in pos_counts.items():
        assert worker["published"] > 0, f"POS worker {pid} published nothing: {pos_counts}"
    for pid, worker in inventory_counts.items():
        assert worker["applied"] > other_events, (
            f"inventory worker {pid} applied no sale: {inventory_counts}"
        )
        assert worker["published"] > 0, (
            f"inventory worker {pid} published nothing: {inventory_counts}"
        )
