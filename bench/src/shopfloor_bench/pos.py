"""pos: checkouts at concurrent registers (gateway vs direct), then sale → inventory ``sold``.

Runs on the event benchmarks' servers (``engines.backends()``: embedded PostgreSQL
and NATS from the wheels, or ``BENCH_DATABASE_URL`` / ``BENCH_NATS_URL``). POS and
inventory each get a database of their own, migrated by their own Alembic history,
and are served as in production (``shopfloor-pos serve``, ``shopfloor-inventory
serve``: uvicorn, one process each, JSON logs to files) on the same NATS. The gateway
is Caddy with the Caddyfile ``make up`` renders (``gateway.caddy``), proxying
``/api/pos/`` to that POS process. The NATS must not hold the streams the services
publish to or consume from yet (``AUTH``, ``CATALOG``, ``POS``, ``INVENTORY``): the run's
services own them and they are deleted at the end.

Seed (SQL, no API; the same rows for the same ``--random-seed``): one store (tax
8.75 %) in both databases. In inventory, its default location and ``--units`` unit
items on the shelf there, each with its stock key, one ``+1`` ledger row and its
balance, as receiving it would have left them. In POS, the same units (same ids,
SKUs ``POS-B000001`` …, prices 5.00-500.00) in its read-model ``sellable_items``, as
inventory's events would have left them. Then through POS's API: ``--registers``
registers (an admin token) and a drawer opened on each by its own cashier (an
advisor token of the store).

1. **Checkout.** One loop per register, all at once, each with its cashier's token:
   ``POST /api/pos/carts``, ``--cart-items`` times ``POST …/add-item`` (a unit by SKU;
   every unit is sold once), ``POST …/complete`` in cash with an ``Idempotency-Key``
   (tendered: the next multiple of 50 above the total, so there is change).
   ``--warmup`` unmeasured checkouts, then ``--checkouts`` measured, straight to POS
   first, then through the gateway. Inventory is not running yet: POS sells from its
   own read-model and its relay publishes ``pos.item.sold`` to JetStream.
2. **Catch-up.** Inventory starts; its durable consumer reads every ``pos.item.sold``
   published so far, one at a time. Measured until every unit sold in 1 is ``sold``
   in inventory; the consumer's own rate comes from its inbox rows' ``processed_at``.
3. **Sale → inventory sold.** One register sells one unit at a time (direct): create,
   add-item, complete; from the ``complete`` response, inventory's ``items`` row is
   polled every 5 ms until it reads ``sold`` (committed). Stages, in ms after the
   response (one machine, one clock): POS's relay claimed the outbox row
   (``event_outbox.sent_at``: POS committed, then its relay was woken by NOTIFY; it
   can come before the response reaches us), inventory started handling the event
   (its inbox row's ``processed_at``: JetStream delivered it), inventory's handler
   marked the item sold (``items.sold_at``, just before its COMMIT) and the committed
   ``sold`` as the poll saw it: commit → publish → consume → inventory commit.

At the end, for every unit sold: ``sold`` in inventory with POS's sale id and exactly
one ``pos_sale`` ledger row; no ``inventory.item.oversold`` event, no dead letter in
either service, and every balance equal to its ledger sum.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import tempfile
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nats.js.errors import NotFoundError
from psycopg import sql

from common.events.bus import NatsBus
from common.events.envelope import stream_name
from shopfloor_bench.auth_me import PlatformUnavailable
from shopfloor_bench.catalog import copy_rows
from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.http import Plan, Result
from shopfloor_bench.inventory import Verification, verify_balances
from shopfloor_bench.report import Ratio, ratio
from shopfloor_bench.services import (
    access_token,
    admin_token,
    error_lines,
    libpq,
    public_pem,
    serve_gateway,
    serve_service,
    service_database,
    with_log_tail,
)
from shopfloor_bench.stats import LatencyStats

DEFAULT_UNITS = 10_000
DEFAULT_REGISTERS = 2
DEFAULT_CART_ITEMS = 10
DEFAULT_CHECKOUTS = 100  # measured, per path
DEFAULT_WARMUP = 5  # unmeasured checkouts per path, and sales before the latency run
DEFAULT_SALES = 100
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_RANDOM_SEED = 20_241_201
POLL_S = 0.005  # the latency run's poll of inventory's item
CATCH_UP_POLL_S = 0.1
TAX_RATE = Decimal("0.0875")
OPENING_CASH = "200.00"
SEED_ACTOR = "shopfloor-bench"
SOLD_SUBSCRIBER = "pos-items-sold"  # inventory's subscription to pos.item.sold
SERVICE_STREAMS = ("auth", "catalog", "pos", "inventory")  # published or consumed

Progress = Callable[[str], None]


# ------------------------------------------------------------------ sizes and the seed


@dataclass(frozen=True)
class Sizes:
    units: int = DEFAULT_UNITS
    registers: int = DEFAULT_REGISTERS
    cart_items: int = DEFAULT_CART_ITEMS
    checkouts: int = DEFAULT_CHECKOUTS
    warmup: int = DEFAULT_WARMUP
    sales: int = DEFAULT_SALES

    def __post_init__(self) -> None:
        if min(self.registers, self.cart_items, self.checkouts, self.sales) < 1:
            raise ValueError("registers, cart items, checkouts and sales must be at least 1")
        if self.warmup < 0:
            raise ValueError("warmup must not be negative")
        if self.units < self.needed:
            raise ValueError(
                f"{self.units:,} units are too few: this run sells up to {self.needed:,} "
                "(each unit once)"
            )

    @property
    def needed(self) -> int:
        """Units the run may sell: both paths' checkouts, then the latency run's sales."""
        return 2 * (self.warmup + self.checkouts) * self.cart_items + self.warmup + self.sales


@dataclass(frozen=True)
class Unit:
    id: uuid.UUID
    sku: str
    price: Decimal


@dataclass
class Seeded:
    random_seed: int
    store_id: uuid.UUID
    location_id: uuid.UUID
    units: list[Unit]
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "pos seed (SQL, both databases)",
            "stores": 1,
            "units": len(self.units),
            "seconds": self.seconds,
        }


def make_seed(units: int, random_seed: int) -> Seeded:
    """The store, its location and the units: ids, SKUs and prices drawn from ``random_seed``."""
    rng = random.Random(random_seed)

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    width = max(6, len(str(units)))
    store_id, location_id = new_id(), new_id()
    return Seeded(
        random_seed=random_seed,
        store_id=store_id,
        location_id=location_id,
        units=[
            Unit(new_id(), f"POS-B{number:0{width}d}", Decimal(rng.randrange(500, 50_001)) / 100)
            for number in range(1, units + 1)
        ],
    )


STORE_CODE = "BENCH-POS"
STORE_NAME = "Bench POS store"


def _unit_fields(seeded: Seeded, unit: Unit) -> dict[str, Any]:
    """What both services know of a unit."""
    return {
        "id": unit.id,
        "sku": unit.sku,
        "name": f"Bench unit {unit.sku}",
        "category": "smartphones",
        "brand": "Bench",
        "condition": "good",
        "status": "on_shelf",
        "price": unit.price,
        "currency": "USD",
        "store_id": seeded.store_id,
        "location_id": seeded.location_id,
    }


async def _copy_dicts(
    cursor: psycopg.AsyncCursor[Any], table: str, rows: Sequence[dict[str, Any]]
) -> None:
    """COPY rows given as dicts, all with the same keys (the columns)."""
    await copy_rows(cursor, table, tuple(rows[0]), [tuple(row.values()) for row in rows])


async def seed_pos(database_url: str, seeded: Seeded) -> None:
    """POS's read-model: the store and the units, as catalog's and inventory's events leave them."""
    store = {"id": seeded.store_id, "code": STORE_CODE, "name": STORE_NAME, "address": ""}
    store |= {"phone": "", "time_zone": "UTC", "is_active": True, "deleted": False}
    synced = {"sellable": True, "synced_at": datetime(2024, 1, 1, tzinfo=UTC)}
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as connection:
        async with connection.transaction(), connection.cursor() as cursor:
            await _copy_dicts(cursor, "stores", [store | {"tax_rate": TAX_RATE}])
            await _copy_dicts(
                cursor,
                "sellable_items",
                [_unit_fields(seeded, unit) | synced for unit in seeded.units],
            )
        await _vacuum(connection, ("stores", "sellable_items"))


async def seed_inventory_units(database_url: str, seeded: Seeded) -> None:
    """Inventory: the store, its floor, the units on the shelf with key, ledger row, balance."""
    store = {"id": seeded.store_id, "code": STORE_CODE, "name": STORE_NAME, "time_zone": "UTC"}
    floor = {"id": seeded.location_id, "store_id": seeded.store_id, "code": "FLOOR"}
    floor |= {"name": "Floor", "description": SEED_ACTOR, "is_default": True}
    intake = {"description": SEED_ACTOR, "source": "trade_in", "attributes": '{"bench": true}'}
    intake |= {"notes": "", "created_by": SEED_ACTOR}
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as connection:
        async with connection.transaction(), connection.cursor() as cursor:
            await _copy_dicts(cursor, "stores", [store | {"is_active": True, "deleted": False}])
            await _copy_dicts(cursor, "locations", [floor | {"is_active": True}])
            await _copy_dicts(
                cursor,
                "items",
                [
                    _unit_fields(seeded, unit)
                    | intake
                    | {"cost": (unit.price * Decimal("0.6")).quantize(Decimal("0.01"))}
                    for unit in seeded.units
                ],
            )
            await cursor.execute(
                "INSERT INTO stock_keys (sku, item_id) SELECT sku, id FROM items ORDER BY sku"
            )
            await cursor.execute(
                """
                INSERT INTO stock_ledger (
                    stock_key_id, location_id, quantity_change, quantity_after, valuation_rate,
                    value_change, voucher_type, voucher_id, voucher_line, actor
                )
                SELECT k.id, i.location_id, 1, 1, i.cost, i.cost, 'item', i.id::text, 'intake',
                       %s
                FROM stock_keys AS k JOIN items AS i ON i.id = k.item_id
                ORDER BY k.id
                """,
                (SEED_ACTOR,),
            )
            await cursor.execute(
                "INSERT INTO stock_balances (stock_key_id, location_id, quantity, valuation_rate,"
                " is_low, updated_at) SELECT stock_key_id, location_id, quantity_after,"
                " valuation_rate, false, posted_at FROM stock_ledger"
            )
        await _vacuum(
            connection,
            ("stores", "locations", "items", "stock_keys", "stock_ledger", "stock_balances"),
        )


async def _vacuum(connection: psycopg.AsyncConnection[Any], tables: Sequence[str]) -> None:
    await connection.set_autocommit(True)
    for table in tables:
        await connection.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))


class UnitPool:
    """The seeded units in a shuffled order; every unit is handed out (sold) once."""

    def __init__(self, seeded: Seeded) -> None:
        order = list(seeded.units)
        random.Random(seeded.random_seed + 1).shuffle(order)
        self._left = deque(order)

    def take(self, count: int) -> list[Unit]:
        if len(self._left) < count:
            raise BenchmarkFailed("ran out of seeded units: raise --units")
        return [self._left.popleft() for _ in range(count)]


# ------------------------------------------------------------------ registers and checkouts


@dataclass(frozen=True)
class Till:
    """A register with a drawer open on it, and the token of the drawer's cashier."""

    register_id: str
    drawer_id: str
    headers: dict[str, str]


async def _post(
    client: httpx.AsyncClient,
    path: str,
    body: dict[str, Any],
    expected: int,
    what: str,
    headers: dict[str, str] | None = None,
) -> tuple[dict[str, Any], float]:
    """The answer's JSON and how long it took; ``BenchmarkFailed`` naming the step otherwise."""
    started = time.perf_counter()
    try:
        response = await client.post(path, json=body, headers=headers)
    except httpx.HTTPError as exc:
        raise BenchmarkFailed(f"{what}: POST {path} failed: {exc!r}") from exc
    elapsed = time.perf_counter() - started
    if response.status_code != expected:
        raise BenchmarkFailed(
            f"{what}: POST {path} answered {response.status_code} (expected {expected}): "
            f"{response.text[:400]}"
        )
    answer: dict[str, Any] = response.json()
    return answer, elapsed


async def open_tills(
    base: str, key: Ed25519PrivateKey, seeded: Seeded, registers: int
) -> list[Till]:
    """``registers`` registers (as an admin) with a drawer opened on each by its cashier."""
    admin = {"Authorization": f"Bearer {admin_token(key)}"}
    tills: list[Till] = []
    async with httpx.AsyncClient(base_url=base, timeout=60.0, trust_env=False) as client:
        for number in range(1, registers + 1):
            register, _ = await _post(
                client,
                "/api/pos/registers",
                {"store_id": str(seeded.store_id), "code": f"REG-{number}", "name": "Bench"},
                201,
                f"register {number}",
                admin,
            )
            token = access_token(
                key,
                subject=f"bench-cashier-{number}",
                role="advisor",
                stores=[str(seeded.store_id)],
            )
            cashier = {"Authorization": f"Bearer {token}"}
            drawer, _ = await _post(
                client,
                "/api/pos/drawers",
                {"register_id": register["id"], "opening_amount": OPENING_CASH},
                201,
                f"open a drawer on register {number}",
                cashier,
            )
            tills.append(Till(register["id"], drawer["id"], cashier))
    return tills


def tender(total: Decimal) -> Decimal:
    """Cash handed over: the next multiple of 50 above the total (so there is change)."""
    return (total // 50 + 1) * 50


@dataclass(frozen=True)
class Checkout:
    """One completed sale as the client saw it (seconds)."""

    sale_id: str
    units: list[Unit]
    create_s: float
    add_s: list[float]
    complete_s: float
    total_s: float
    answered_at: float  # time.time() when the complete's answer arrived
    answered_perf: float  # time.perf_counter() at the same moment


async def checkout(client: httpx.AsyncClient, till: Till, units: Sequence[Unit]) -> Checkout:
    """Create a cart, add ``units`` by SKU one request each, complete in cash."""
    started = time.perf_counter()
    cart, create_s = await _post(
        client, "/api/pos/carts", {"drawer_id": till.drawer_id}, 201, "create a cart"
    )
    path = f"/api/pos/carts/{cart['id']}"
    add_s = []
    for unit in units:
        cart, seconds = await _post(
            client, f"{path}/add-item", {"sku": unit.sku}, 200, f"add {unit.sku}"
        )
        add_s.append(seconds)
    paid = tender(Decimal(str(cart["total"])))
    sale, complete_s = await _post(
        client,
        f"{path}/complete",
        {"payment_method": "cash", "cash_tendered": f"{paid:.2f}"},
        200,
        f"complete cart {cart['id']}",
        {"Idempotency-Key": f"bench-{cart['id']}"},
    )
    answered_perf, answered_at = time.perf_counter(), time.time()
    change = paid - Decimal(str(sale["total"]))
    if sale.get("status") != "completed" or Decimal(str(sale["change_due"])) != change:
        raise BenchmarkFailed(f"complete cart {cart['id']}: unexpected sale {sale}")
    return Checkout(
        sale_id=str(sale["id"]),
        units=list(units),
        create_s=create_s,
        add_s=add_s,
        complete_s=complete_s,
        total_s=answered_perf - started,
        answered_at=answered_at,
        answered_perf=answered_perf,
    )


@dataclass
class CheckoutRun:
    """One path's checkouts (``path``: "direct" to POS or through the "gateway")."""

    path: str
    cart_items: int
    checkouts: list[Checkout] = field(default_factory=list)  # measured
    warmup: list[Checkout] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def sales(self) -> list[Checkout]:
        """Every sale this path made, warm-up included."""
        return [*self.warmup, *self.checkouts]

    def _result(self, what: str, samples: list[float], status: str) -> Result:
        return Result.from_samples(
            f"{what} · {self.path}",
            samples,
            errors=0,
            elapsed_s=self.elapsed_s,
            statuses={status: len(samples)},
        )

    @property
    def checkout(self) -> Result:
        name = f"checkout ({self.cart_items + 2} requests)"
        return self._result(name, [c.total_s for c in self.checkouts], "completed")

    @property
    def complete(self) -> Result:
        return self._result("complete", [c.complete_s for c in self.checkouts], "200")

    @property
    def add_item(self) -> Result:
        return self._result("add-item", [s for c in self.checkouts for s in c.add_s], "200")

    @property
    def create(self) -> Result:
        return self._result("create cart", [c.create_s for c in self.checkouts], "201")

    @property
    def requests_per_s(self) -> float:
        requests = len(self.checkouts) * (self.cart_items + 2)
        return requests / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def rows(self) -> list[dict[str, object]]:
        rows = [result.to_dict() for result in (self.checkout, self.create, self.add_item)]
        rows[0]["requests_per_s"] = self.requests_per_s
        return [*rows, self.complete.to_dict()]


async def _each_till(
    tills: Sequence[Till], base: str, work: Callable[[httpx.AsyncClient, Till], Any]
) -> None:
    """``work(client, till)`` for every till at once, each with its own connection; the first
    failure cancels the others and is raised as it is."""
    clients = [
        httpx.AsyncClient(base_url=base, headers=till.headers, timeout=60.0, trust_env=False)
        for till in tills
    ]
    try:
        async with asyncio.TaskGroup() as group:
            for client, till in zip(clients, tills, strict=True):
                group.create_task(work(client, till))
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None
    finally:
        for client in clients:
            await client.aclose()


async def run_checkouts(
    path: str,
    base: str,
    tills: Sequence[Till],
    pool: UnitPool,
    sizes: Sizes,
    max_seconds: float | None = None,
) -> CheckoutRun:
    """``sizes.warmup`` unmeasured checkouts, then ``sizes.checkouts`` measured, all registers."""
    run = CheckoutRun(path, sizes.cart_items)

    def loop(plan: Plan, done: list[Checkout]) -> Callable[[httpx.AsyncClient, Till], Any]:
        async def register(client: httpx.AsyncClient, till: Till) -> None:
            while plan.next() is not None:
                done.append(await checkout(client, till, pool.take(sizes.cart_items)))

        return register

    if sizes.warmup:
        await _each_till(tills, base, loop(Plan(sizes.warmup, None), run.warmup))
    deadline = time.monotonic() + max_seconds if max_seconds else None
    started = time.perf_counter()
    await _each_till(tills, base, loop(Plan(sizes.checkouts, deadline), run.checkouts))
    run.elapsed_s = time.perf_counter() - started
    return run


# ------------------------------------------------------------------ inventory's side


class InventoryWatch:
    """Polls inventory's ``items`` (autocommit: each read sees what is committed)."""

    def __init__(self, connection: psycopg.AsyncConnection[Any]) -> None:
        self.connection = connection

    async def sold(self, item_ids: Sequence[uuid.UUID]) -> int:
        cursor = await self.connection.execute(
            "SELECT count(*) FROM items WHERE id = ANY(%s) AND status = 'sold'", (list(item_ids),)
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def until_sold(
        self, item_ids: Sequence[uuid.UUID], *, interval: float, stall_timeout: float
    ) -> float:
        """``time.perf_counter()`` once every item reads ``sold``; fails when the count stops
        growing for ``stall_timeout`` seconds."""
        last, moved = -1, time.monotonic()
        while True:
            done = await self.sold(item_ids)
            if done == len(item_ids):
                return time.perf_counter()
            if done != last:
                last, moved = done, time.monotonic()
            elif time.monotonic() - moved > stall_timeout:
                raise BenchmarkFailed(
                    f"{len(item_ids) - done} of {len(item_ids)} units sold in POS never became "
                    f"sold in inventory (no progress for {stall_timeout:.0f} s; --timeout)"
                )
            await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def watching(database_url: str) -> AsyncIterator[InventoryWatch]:
    async with await psycopg.AsyncConnection.connect(
        libpq(database_url), autocommit=True
    ) as connection:
        yield InventoryWatch(connection)


@dataclass(frozen=True)
class CatchUp:
    """Inventory, started after the checkouts, working through their ``pos.item.sold``."""

    sales: int
    units: int
    seconds: float  # from inventory ready to the last unit sold
    consumer_seconds: float  # first to last inbox row (processed_at)

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "inventory catch-up (pos.item.sold backlog)",
            "sales": self.sales,
            "units": self.units,
            "seconds": self.seconds,
            "units_per_s": self.units / self.seconds if self.seconds > 0 else 0.0,
            "consumer_units_per_s": (
                (self.units - 1) / self.consumer_seconds if self.consumer_seconds > 0 else 0.0
            ),
        }


async def _consumer_span(database_url: str) -> float:
    """Seconds between inventory's first and last handled ``pos.item.sold`` (its inbox)."""
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as connection:
        cursor = await connection.execute(
            "SELECT extract(epoch FROM max(processed_at) - min(processed_at)) FROM event_inbox"
            " WHERE subscriber = %s",
            (SOLD_SUBSCRIBER,),
        )
        row = await cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


STAGES = (
    ("complete (1 unit, one sale at a time)", "complete"),
    ("response → POS relay claimed the event (outbox sent_at)", "relayed"),
    ("response → inventory began handling it (inbox processed_at)", "consumed"),
    ("response → inventory marked it sold (items.sold_at, before COMMIT)", "handled"),
    ("response → sold committed in inventory (polled every 5 ms)", "sold"),
)


@dataclass(frozen=True)
class SaleLatency:
    """Per measured sale (ms): the complete request, and each stage after its response."""

    sales: int
    stages: dict[str, list[float]]

    def stats(self, stage: str) -> LatencyStats:
        return LatencyStats.of(self.stages.get(stage, []))

    def rows(self) -> list[dict[str, object]]:
        return [
            {"scenario": f"sale → inventory: {name}", **self.stats(stage).as_ms_dict()}
            for name, stage in STAGES
        ]

    def __str__(self) -> str:
        sold = self.stats("sold")
        return (
            f"sale → inventory sold: p50 {sold.p50:.1f} ms, p95 {sold.p95:.1f} ms over "
            f"{sold.count} sales (from the complete response to inventory's committed 'sold': "
            "POS commit → relay → JetStream → inventory consumer → inventory commit)"
        )


async def _stage_times(
    pos_url: str, inventory_url: str, sales: Sequence[Checkout]
) -> dict[str, dict[uuid.UUID, float]]:
    """Unit id → epoch seconds of the relay's claim, inventory's inbox row and ``sold_at``."""
    sale_ids = [sale.sale_id for sale in sales]
    times: dict[str, dict[uuid.UUID, float]] = {"relayed": {}, "consumed": {}, "handled": {}}
    event_of: dict[uuid.UUID, uuid.UUID] = {}
    async with await psycopg.AsyncConnection.connect(libpq(pos_url)) as connection:
        cursor = await connection.execute(
            "SELECT (envelope->'data'->>'item_id')::uuid, id, sent_at FROM event_outbox"
            " WHERE subject = 'pos.item.sold' AND envelope->'data'->>'sale_id' = ANY(%s)",
            (sale_ids,),
        )
        for item_id, event_id, sent_at in await cursor.fetchall():
            event_of[event_id] = item_id
            if sent_at is not None:
                times["relayed"][item_id] = sent_at.timestamp()
    async with await psycopg.AsyncConnection.connect(libpq(inventory_url)) as connection:
        cursor = await connection.execute(
            "SELECT event_id, processed_at FROM event_inbox"
            " WHERE subscriber = %s AND event_id = ANY(%s)",
            (SOLD_SUBSCRIBER, list(event_of)),
        )
        for event_id, processed_at in await cursor.fetchall():
            times["consumed"][event_of[event_id]] = processed_at.timestamp()
        cursor = await connection.execute(
            "SELECT id, sold_at FROM items WHERE id = ANY(%s) AND sold_at IS NOT NULL",
            ([unit.id for sale in sales for unit in sale.units],),
        )
        for item_id, sold_at in await cursor.fetchall():
            times["handled"][item_id] = sold_at.timestamp()
    return times


async def run_sale_latency(
    base: str,
    till: Till,
    pool: UnitPool,
    watch: InventoryWatch,
    *,
    sales: int,
    warmup: int,
    timeout: float,
    max_seconds: float | None = None,
) -> tuple[list[Checkout], list[Checkout], dict[uuid.UUID, float]]:
    """(warm-up sales, measured sales, unit id → ms from the complete's answer to ``sold``)."""
    warm: list[Checkout] = []
    measured: list[Checkout] = []
    sold_ms: dict[uuid.UUID, float] = {}
    deadline = None
    async with httpx.AsyncClient(
        base_url=base, headers=till.headers, timeout=60.0, trust_env=False
    ) as client:
        for number in range(warmup + sales):
            if number == warmup and max_seconds:
                deadline = time.monotonic() + max_seconds
            if deadline is not None and time.monotonic() >= deadline:
                break
            sale = await checkout(client, till, pool.take(1))
            [unit] = sale.units
            seen = await watch.until_sold([unit.id], interval=POLL_S, stall_timeout=timeout)
            (measured if number >= warmup else warm).append(sale)
            sold_ms[unit.id] = (seen - sale.answered_perf) * 1000
    return warm, measured, sold_ms


async def measure_sale_latency(
    base: str,
    till: Till,
    pool: UnitPool,
    pos_url: str,
    inventory_url: str,
    *,
    sales: int,
    warmup: int,
    timeout: float,
    max_seconds: float | None = None,
) -> tuple[SaleLatency, list[Checkout]]:
    """The latency run and its stages; also every sale it made (for the final check)."""
    async with watching(inventory_url) as watch:
        warm, measured, sold_ms = await run_sale_latency(
            base,
            till,
            pool,
            watch,
            sales=sales,
            warmup=warmup,
            timeout=timeout,
            max_seconds=max_seconds,
        )
    times = await _stage_times(pos_url, inventory_url, measured)
    stages: dict[str, list[float]] = {
        "complete": [sale.complete_s * 1000 for sale in measured],
        "sold": [sold_ms[sale.units[0].id] for sale in measured],
    }
    for stage, found in times.items():
        stages[stage] = [
            (found[sale.units[0].id] - sale.answered_at) * 1000
            for sale in measured
            if sale.units[0].id in found
        ]
    return SaleLatency(len(measured), stages), [*warm, *measured]


# ------------------------------------------------------------------ the final check


@dataclass(frozen=True)
class SoldCheck:
    """Every unit POS sold, as inventory holds it now."""

    units: int
    sold: int  # status sold, with POS's sale id and one pos_sale ledger row
    wrong: list[str]  # a few that are not
    oversold_events: int
    dead_letters: dict[str, int]
    balances: Verification

    @property
    def ok(self) -> bool:
        return (
            self.sold == self.units
            and not self.oversold_events
            and not any(self.dead_letters.values())
            and self.balances.ok
        )

    def __str__(self) -> str:
        head = (
            f"every unit sold in POS is sold in inventory: {'OK' if self.sold == self.units else 'NO'}"
            f" ({self.sold:,} of {self.units:,}, each with POS's sale id and one pos_sale ledger"
            f" row); oversold events {self.oversold_events}; dead letters "
            + ", ".join(f"{name} {count}" for name, count in self.dead_letters.items())
        )
        lines = [head, *(f"  {line}" for line in self.wrong), str(self.balances)]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "sold in POS = sold in inventory",
            "ok": self.ok,
            "units": self.units,
            "sold_in_inventory": self.sold,
            "oversold_events": self.oversold_events,
            "dead_letters": self.dead_letters,
            "balances_ok": self.balances.ok,
            "ledger_rows": self.balances.ledger_rows,
        }


async def _count(url: str, query: str) -> int:
    async with await psycopg.AsyncConnection.connect(libpq(url)) as connection:
        row = await (await connection.execute(query)).fetchone()
    return int(row[0]) if row else 0


async def check_sold(pos_url: str, inventory_url: str, sales: Sequence[Checkout]) -> SoldCheck:
    expected = {unit.id: sale.sale_id for sale in sales for unit in sale.units}
    async with await psycopg.AsyncConnection.connect(libpq(inventory_url)) as connection:
        cursor = await connection.execute(
            """
            SELECT i.id, i.sku, i.status, i.sale_id,
                   count(r.id) FILTER (WHERE r.voucher_type = 'pos_sale')
            FROM items AS i
            LEFT JOIN stock_keys AS k ON k.item_id = i.id
            LEFT JOIN stock_ledger AS r ON r.stock_key_id = k.id
            WHERE i.id = ANY(%s)
            GROUP BY i.id
            """,
            (list(expected),),
        )
        rows = await cursor.fetchall()
    wrong = [
        f"{sku}: {status}, sale {sale_id} (POS: {expected[item_id]}), {rows_} pos_sale rows"
        for item_id, sku, status, sale_id, rows_ in rows
        if (status, sale_id, rows_) != ("sold", expected[item_id], 1)
    ]
    sold = len(rows) - len(wrong)
    if len(rows) < len(expected):
        wrong.insert(0, f"{len(expected) - len(rows)} unit(s) missing from inventory's items")
    return SoldCheck(
        units=len(expected),
        sold=sold,
        wrong=wrong[:5],
        oversold_events=await _count(
            inventory_url,
            "SELECT count(*) FROM event_outbox WHERE subject = 'inventory.item.oversold'",
        ),
        dead_letters={
            "pos": await _count(pos_url, "SELECT count(*) FROM event_dead_letters"),
            "inventory": await _count(inventory_url, "SELECT count(*) FROM event_dead_letters"),
        },
        balances=await verify_balances(inventory_url),
    )


# ------------------------------------------------------------------ the whole run


@dataclass(frozen=True)
class PosReport:
    sizes: Sizes
    seeded: Seeded
    direct: CheckoutRun
    gateway: CheckoutRun
    catch_up: CatchUp
    latency: SaleLatency
    check: SoldCheck
    service_errors: list[str] = field(default_factory=list)
    database_urls: list[str] = field(default_factory=list)  # when kept

    @property
    def ratios(self) -> list[Ratio]:
        return [
            ratio(self.gateway.checkout, self.direct.checkout, "checkout: gateway vs direct"),
            ratio(self.gateway.complete, self.direct.complete, "complete: gateway vs direct"),
        ]

    def checkout_rows(self) -> list[dict[str, object]]:
        return [*self.direct.rows(), *self.gateway.rows()]

    def json_rows(self) -> list[dict[str, object]]:
        return [
            self.seeded.to_dict(),
            *self.checkout_rows(),
            *(item.to_dict() for item in self.ratios),
            self.catch_up.to_dict(),
            *self.latency.rows(),
            self.check.to_dict(),
        ]

    def problems(self) -> list[str]:
        """Why the result is wrong (empty when right): exit 1 after printing."""
        return [] if self.check.ok else [str(self.check)]


@contextlib.asynccontextmanager
async def own_streams(nats_url: str, services: Sequence[str]) -> AsyncIterator[None]:
    """Refuse a NATS that already holds the services' streams (another platform's, or an
    earlier run's: their events and durable consumers would mix with ours); delete the
    streams the run's services made at the end."""
    bus = NatsBus(nats_url, name="bench-pos")
    await bus.connect(timeout=15)
    try:
        taken = []
        for service in services:
            with contextlib.suppress(NotFoundError):
                await bus.js.stream_info(stream_name(service))
                taken.append(stream_name(service))
        if taken:
            raise PlatformUnavailable(
                f"NATS at {nats_url} already has the stream(s) {', '.join(taken)}: the pos "
                "benchmark runs POS and inventory under their real stream and consumer names, "
                "so it needs a NATS without them (unset BENCH_NATS_URL for an embedded one)"
            )
        try:
            yield
        finally:
            for service in services:
                with contextlib.suppress(NotFoundError):
                    await bus.js.delete_stream(stream_name(service))
    finally:
        await bus.close()


async def run_pos(
    backend: Backends,
    *,
    sizes: Sizes | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_seconds: float | None = None,
    random_seed: int = DEFAULT_RANDOM_SEED,
    keep_database: bool = False,
    progress: Progress | None = None,
) -> PosReport:
    """Seed, serve POS (and the gateway), check out, start inventory, measure, check."""
    say = progress or (lambda _message: None)
    sizes = sizes or Sizes()
    key = Ed25519PrivateKey.generate()
    pem = public_pem(key)
    server = backend.postgres_url
    async with (
        own_streams(backend.nats_url, SERVICE_STREAMS),
        service_database(server, "pos", keep=keep_database) as pos_url,
        service_database(server, "inventory", keep=keep_database) as inventory_url,
    ):
        started = time.perf_counter()
        seeded = make_seed(sizes.units, random_seed)
        await seed_pos(pos_url, seeded)
        await seed_inventory_units(inventory_url, seeded)
        seeded.seconds = time.perf_counter() - started
        say(f"seeded one store and {sizes.units:,} units in both databases")
        pool = UnitPool(seeded)
        with tempfile.TemporaryDirectory(prefix="sf-bench-pos-") as directory:
            pos_log, inventory_log = Path(directory, "pos.log"), Path(directory, "inventory.log")
            async with (
                with_log_tail("POS", pos_log),
                serve_service("pos", pos_url, backend.nats_url, pem, pos_log) as direct,
                serve_gateway({"pos": direct.removeprefix("http://")}, Path(directory)) as gateway,
            ):
                say(f"POS serving on {direct}, the gateway (Caddy) on {gateway}")
                tills = await open_tills(direct, key, seeded, sizes.registers)
                runs: dict[str, CheckoutRun] = {}
                for path, base in (("direct", direct), ("gateway", gateway)):
                    say(
                        f"checkouts {path}: {sizes.registers} registers, {sizes.warmup} warm-up + "
                        f"{sizes.checkouts} x ({sizes.cart_items} items + create + complete)"
                    )
                    runs[path] = await run_checkouts(
                        path, base, tills, pool, sizes, max_seconds=max_seconds
                    )
                sold_before = [*runs["direct"].sales, *runs["gateway"].sales]
                units_before = [unit.id for sale in sold_before for unit in sale.units]
                say(f"starting inventory: {len(units_before):,} sold units wait in JetStream")
                async with (
                    with_log_tail("inventory", inventory_log),
                    serve_service("inventory", inventory_url, backend.nats_url, pem, inventory_log),
                    watching(inventory_url) as watch,
                ):
                    ready = time.perf_counter()
                    done = await watch.until_sold(
                        units_before, interval=CATCH_UP_POLL_S, stall_timeout=timeout
                    )
                    catch_up = CatchUp(
                        sales=len(sold_before),
                        units=len(units_before),
                        seconds=done - ready,
                        consumer_seconds=await _consumer_span(inventory_url),
                    )
                    say(f"inventory caught up in {catch_up.seconds:.1f} s")
                    say(f"sale → inventory sold: {sizes.warmup} warm-up + {sizes.sales} sales")
                    latency, sold_after = await measure_sale_latency(
                        direct,
                        tills[0],
                        pool,
                        pos_url,
                        inventory_url,
                        sales=sizes.sales,
                        warmup=sizes.warmup,
                        timeout=timeout,
                        max_seconds=max_seconds,
                    )
            service_errors = [f"pos: {line}" for line in error_lines(pos_log)]
            service_errors += [f"inventory: {line}" for line in error_lines(inventory_log)]
        say("checking every sold unit in inventory, and its balances against the ledger")
        check = await check_sold(pos_url, inventory_url, [*sold_before, *sold_after])
    return PosReport(
        sizes=sizes,
        seeded=seeded,
        direct=runs["direct"],
        gateway=runs["gateway"],
        catch_up=catch_up,
        latency=latency,
        check=check,
        service_errors=service_errors,
        database_urls=[pos_url, inventory_url] if keep_database else [],
    )
