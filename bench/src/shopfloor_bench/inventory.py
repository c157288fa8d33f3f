"""inventory: balance, item and ledger lookups on a 1,000,000-row stock ledger, then posting.

Runs on the event benchmarks' servers (``engines.backends()``: embedded PostgreSQL
and NATS from the wheels, or ``BENCH_DATABASE_URL`` / ``BENCH_NATS_URL``). In a
database of its own it applies inventory's Alembic history, then seeds with SQL
(``generate_series``, no API): ``--stores`` stores and ``--locations`` locations,
``--keys`` catalog variants (``articles``, SKU ``SKU-000001`` …) with their stock keys,
``--ledger-rows`` ledger rows and the balances as their sums (one ``INSERT … SELECT
sum() GROUP BY``), and ``--items`` unit items (``ITM-B000001`` …); then ``VACUUM
ANALYZE``. Every pseudo-random choice of the seed is ``hashint8extended(n, seed)``, so the
same options give the same rows.

Then it serves inventory as in production (``shopfloor-inventory serve``: uvicorn, one
process, JSON logs to a file) with a verification key of its own, and measures through
HTTP with an admin token, one request at a time: the balance of a SKU at a location,
the public item lookup by SKU, and three ledger listings (by SKU, page 1, by location).
Then ``--writers`` concurrent writers create and post stock entries (receipts and
transfers of 1-3 lines), and a SQL check proves every balance still equals its ledger
sum and every row's ``quantity_after`` the running sum. The database is dropped at
the end (``--keep-database`` keeps it for ``EXPLAIN``).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.http import RequestSpec, Result, run_load
from shopfloor_bench.services import (
    admin_token,
    error_lines,
    libpq,
    public_pem,
    serve_service,
    service_database,
    with_log_tail,
)
from shopfloor_bench.stats import LatencyStats

DEFAULT_STORES = 5
DEFAULT_LOCATIONS = 50
DEFAULT_KEYS = 10_000
DEFAULT_LEDGER_ROWS = 1_000_000
DEFAULT_ITEMS = 100_000
DEFAULT_REQUESTS = 300
DEFAULT_WARMUP = 20
DEFAULT_WRITERS = 2
DEFAULT_ENTRIES = 250  # per writer
DEFAULT_RANDOM_SEED = 20_241_122
HOMES_PER_KEY = 5  # a key is stocked at up to this many locations (one per store by default)
VARIETY = 100  # distinct targets per read scenario, cycled
POST_WARMUP = 5  # unmeasured entries per writer first
SEED_MARK = "shopfloor-bench seed"
SEED_ACTOR = "shopfloor-bench"
SEED_VOUCHER = "bench_seed"

Progress = Callable[[str], None]


# ------------------------------------------------------------------ sizes and the seed's shape


@dataclass(frozen=True)
class Sizes:
    stores: int = DEFAULT_STORES
    locations: int = DEFAULT_LOCATIONS
    keys: int = DEFAULT_KEYS
    ledger_rows: int = DEFAULT_LEDGER_ROWS
    items: int = DEFAULT_ITEMS

    def __post_init__(self) -> None:
        if min(self.stores, self.keys, self.ledger_rows, self.items) < 1:
            raise ValueError("every size must be at least 1")
        if self.locations < max(2, self.stores):
            raise ValueError("need at least two locations and one per store")

    @property
    def homes(self) -> int:
        """How many locations each key is stocked at by the seed."""
        return min(HOMES_PER_KEY, self.locations)

    @property
    def home_step(self) -> int:
        return max(1, self.locations // self.homes)

    def home(self, key: int, which: int) -> int:
        """Location index (0-based) of ``key``'s (1-based) ``which``-th home: as the seed's SQL."""
        return (key - 1 + which * self.home_step) % self.locations

    def store_of(self, location: int) -> int:
        """Locations are dealt to stores in consecutive blocks: 0-9 → store 0, 10-19 → 1 …"""
        return min(location * self.stores // self.locations, self.stores - 1)


def sku_of(key: int, width: int = 6) -> str:
    return f"SKU-{key:0{width}d}"


def item_sku_of(item: int, width: int = 6) -> str:
    return f"ITM-B{item:0{width}d}"


def _width(count: int) -> int:
    return max(6, len(str(count)))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass
class Seeded:
    """What the seed wrote, and the ids the scenarios need (location ids by index)."""

    sizes: Sizes
    random_seed: int
    store_ids: list[uuid.UUID] = field(default_factory=list)
    location_ids: list[uuid.UUID] = field(default_factory=list)
    balances: int = 0
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)

    def sku(self, key: int) -> str:
        return sku_of(key, _width(self.sizes.keys))

    def item_sku(self, item: int) -> str:
        return item_sku_of(item, _width(self.sizes.items))

    def table_row(self) -> dict[str, object]:
        return {
            key: value
            for key, value in self.to_dict().items()
            if not key.endswith("_s") or key == "seconds"
        }

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "inventory seed (SQL)",
            "stores": self.sizes.stores,
            "locations": self.sizes.locations,
            "stock_keys": self.sizes.keys,
            "ledger_rows": self.sizes.ledger_rows,
            "balances": self.balances,
            "items": self.sizes.items,
            "seconds": self.seconds,
            **{f"{step}_s": seconds for step, seconds in self.steps.items()},
        }


# The ledger: row g (1..N) moves key k at one of its homes; the first row of every
# (key, location) is a receipt, later ones 75 % receipts of 5-24 and 25 % issues of 1-3;
# a pair whose running sum would dip below zero gets its first receipt raised by the dip,
# so quantity_after is the running sum and never negative. Rates are per key, 1.00-99.99.
LEDGER_MOVES = """
CREATE TEMP TABLE seed_moves ON COMMIT DROP AS
SELECT g, k, loc,
       CASE WHEN row_number() OVER pair = 1 THEN abs(raw) ELSE raw END AS change
FROM (
    SELECT g, k, (k - 1 + home * %(step)s) %% %(locations)s AS loc,
           CASE WHEN roll < 75 THEN 5 + size ELSE -(1 + size %% 3) END AS raw
    FROM (
        SELECT g,
               1 + abs(hashint8extended(g, %(seed)s + 1) %% %(keys)s) AS k,
               abs(hashint8extended(g, %(seed)s + 2) %% %(homes)s) AS home,
               abs(hashint8extended(g, %(seed)s + 3) %% 100) AS roll,
               abs(hashint8extended(g, %(seed)s + 4) %% 20) AS size
        FROM generate_series(1, %(rows)s::bigint) AS g
    ) AS drawn
) AS moves
WINDOW pair AS (PARTITION BY k, loc ORDER BY g)
"""

LEDGER_INSERT = """
WITH running AS (
    SELECT g, k, loc, change,
           row_number() OVER pair AS rn,
           sum(change) OVER pair AS run
    FROM seed_moves
    WINDOW pair AS (PARTITION BY k, loc ORDER BY g)
), lift AS (
    SELECT k, loc, greatest(0, -min(run)) AS lift FROM running GROUP BY k, loc
)
INSERT INTO stock_ledger (
    stock_key_id, location_id, quantity_change, quantity_after, valuation_rate,
    value_change, voucher_type, voucher_id, voucher_line, actor, posted_at
)
SELECT keys.id, places.id,
       r.change + CASE WHEN r.rn = 1 THEN lift.lift ELSE 0 END,
       r.run + lift.lift,
       keys.rate,
       (r.change + CASE WHEN r.rn = 1 THEN lift.lift ELSE 0 END) * keys.rate,
       %(voucher)s, 'seed-' || r.g, '1', %(actor)s,
       now() - make_interval(secs => (%(rows)s - r.g + 1) * 31536000.0 / %(rows)s)
FROM running AS r
JOIN lift USING (k, loc)
JOIN seed_keys AS keys ON keys.idx = r.k
JOIN seed_locations AS places ON places.idx = r.loc
ORDER BY r.g
"""


async def seed_inventory(
    database_url: str,
    sizes: Sizes,
    *,
    random_seed: int = DEFAULT_RANDOM_SEED,
    progress: Progress | None = None,
) -> Seeded:
    """Fill an empty, migrated inventory database (one transaction), then VACUUM ANALYZE."""
    say = progress or (lambda _message: None)
    rng = random.Random(random_seed)
    seeded = Seeded(sizes=sizes, random_seed=random_seed)
    seeded.store_ids = [_uuid(rng) for _ in range(sizes.stores)]
    seeded.location_ids = [_uuid(rng) for _ in range(sizes.locations)]
    params: dict[str, Any] = {
        "seed": random_seed,
        "keys": sizes.keys,
        "items": sizes.items,
        "rows": sizes.ledger_rows,
        "locations": sizes.locations,
        "stores": sizes.stores,
        "homes": sizes.homes,
        "step": sizes.home_step,
        "key_width": _width(sizes.keys),
        "item_width": _width(sizes.items),
        "mark": SEED_MARK,
        "actor": SEED_ACTOR,
        "voucher": SEED_VOUCHER,
    }
    started = time.perf_counter()

    def step(name: str, since: float) -> float:
        now = time.perf_counter()
        seeded.steps[name] = now - since
        say(f"{name}: {now - since:.1f} s")
        return now

    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as connection:
        async with connection.transaction(), connection.cursor() as cursor:
            # Sorts of a million rows in memory rather than on disk; as a superuser, skip the
            # per-row foreign-key triggers (a third of the ledger's INSERT): every id below
            # comes from a join with the rows it references, and the test checks it.
            await cursor.execute("SET LOCAL work_mem = '256MB'")
            await cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            superuser = await cursor.fetchone()
            if superuser and superuser[0]:
                await cursor.execute("SET LOCAL session_replication_role = replica")
            mark = time.perf_counter()
            async with cursor.copy(
                "COPY stores (id, code, name, time_zone, is_active, deleted) FROM STDIN"
            ) as copy:
                for index, store_id in enumerate(seeded.store_ids):
                    await copy.write_row(
                        (
                            store_id,
                            f"B{index + 1:03d}",
                            f"Bench store {index + 1}",
                            "UTC",
                            True,
                            False,
                        )
                    )
            await cursor.execute(
                "CREATE TEMP TABLE seed_locations (idx int PRIMARY KEY, id uuid) ON COMMIT DROP"
            )
            location_rows = []
            per_store: Counter[int] = Counter()
            for index, location_id in enumerate(seeded.location_ids):
                store = sizes.store_of(index)
                number = per_store[store]
                per_store[store] += 1
                code = "FLOOR" if number == 0 else f"BIN-{number:02d}"
                location_rows.append(
                    (location_id, seeded.store_ids[store], code, code.title(), number == 0)
                )
            async with cursor.copy(
                "COPY locations (id, store_id, code, name, description, is_default, is_active) "
                "FROM STDIN"
            ) as copy:
                for location_id, store_id, code, name, default in location_rows:
                    await copy.write_row(
                        (location_id, store_id, code, name, SEED_MARK, default, True)
                    )
            async with cursor.copy("COPY seed_locations (idx, id) FROM STDIN") as copy:
                for index, location_id in enumerate(seeded.location_ids):
                    await copy.write_row((index, location_id))
            mark = step("stores_locations", mark)

            await cursor.execute(
                """
                INSERT INTO articles (id, kind, sku, name, price, currency, is_active)
                SELECT md5('shopfloor-bench article ' || %(seed)s || ' ' || g)::uuid, 'variant',
                       'SKU-' || lpad(g::text, %(key_width)s, '0'), 'Bench article ' || g,
                       round(1 + abs(hashint8extended(g, %(seed)s + 5) %% 99900) / 100.0, 2),
                       'USD', true
                FROM generate_series(1, %(keys)s) AS g
                ORDER BY g
                """,
                params,
            )
            await cursor.execute(
                "INSERT INTO stock_keys (sku, article_id) SELECT sku, id FROM articles ORDER BY sku"
            )
            await cursor.execute(
                """
                CREATE TEMP TABLE seed_keys ON COMMIT DROP AS
                SELECT substr(sku, 5)::int AS idx, id,
                       round(1 + abs(hashint8extended(substr(sku, 5)::bigint, %(seed)s + 6)
                                     %% 9900) / 100.0, 4) AS rate
                FROM stock_keys
                """,
                params,
            )
            await cursor.execute("ALTER TABLE seed_keys ADD PRIMARY KEY (idx)")
            mark = step("articles_keys", mark)

            await cursor.execute(LEDGER_MOVES, params)
            await cursor.execute(LEDGER_INSERT, params)
            mark = step("ledger", mark)

            await cursor.execute(
                """
                INSERT INTO stock_balances
                    (stock_key_id, location_id, quantity, valuation_rate, is_low, updated_at)
                SELECT stock_key_id, location_id, sum(quantity_change), max(valuation_rate),
                       false, max(posted_at)
                FROM stock_ledger
                GROUP BY stock_key_id, location_id
                """
            )
            seeded.balances = cursor.rowcount
            mark = step("balances", mark)

            await cursor.execute(
                """
                INSERT INTO items (
                    id, sku, name, description, category, brand, condition, source, status,
                    price, cost, currency, store_id, location_id, attributes, notes,
                    created_by, created_at, updated_at
                )
                SELECT md5('shopfloor-bench item ' || %(seed)s || ' ' || g)::uuid,
                       'ITM-B' || lpad(g::text, %(item_width)s, '0'),
                       'Bench unit ' || g, %(mark)s,
                       (ARRAY['smartphones', 'laptops', 'tablets', 'audio', 'cameras'])
                           [1 + abs(hashint8extended(g, %(seed)s + 7) %% 5)],
                       (ARRAY['Apple', 'Samsung', 'Sony', 'Lenovo', 'Canon', 'Bose'])
                           [1 + abs(hashint8extended(g, %(seed)s + 8) %% 6)],
                       (ARRAY['new', 'like_new', 'good', 'fair', 'poor'])
                           [1 + abs(hashint8extended(g, %(seed)s + 9) %% 5)],
                       (ARRAY['trade_in', 'purchase_order', 'donation', 'consignment'])
                           [1 + abs(hashint8extended(g, %(seed)s + 10) %% 4)],
                       'intake',
                       round(5 + abs(hashint8extended(g, %(seed)s + 11) %% 200000) / 100.0, 2),
                       round(2 + abs(hashint8extended(g, %(seed)s + 12) %% 100000) / 100.0, 2),
                       'USD', stores.id, NULL, '{"bench": true}'::jsonb, '', %(actor)s,
                       now() - make_interval(secs => (%(items)s - g + 1) * 600),
                       now() - make_interval(secs => (%(items)s - g + 1) * 600)
                FROM generate_series(1, %(items)s) AS g
                JOIN unnest(%(store_ids)s::uuid[]) WITH ORDINALITY AS stores (id, idx)
                  ON stores.idx = 1 + g %% %(stores)s
                ORDER BY g
                """,
                {**params, "store_ids": seeded.store_ids},
            )
            mark = step("items", mark)
        await connection.set_autocommit(True)
        for table in ("stores", "locations", "articles", "stock_keys", "stock_ledger"):
            await connection.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
        for table in ("stock_balances", "items"):
            await connection.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
        step("vacuum_analyze", mark)
    seeded.seconds = time.perf_counter() - started
    return seeded


# ------------------------------------------------------------------ the service, as in production


def inventory_database(server_url: str, *, keep: bool = False) -> AbstractAsyncContextManager[str]:
    """A new database migrated by inventory's own Alembic history; dropped unless ``keep``."""
    return service_database(server_url, "inventory", keep=keep)


# ------------------------------------------------------------------ the read scenarios


@dataclass(frozen=True)
class Scenario:
    """One kind of request; ``paths`` (path and query) are cycled; ``auth``: send the token."""

    name: str
    paths: Sequence[str]
    auth: bool = True
    expect_results: bool = True


def _query(path: str, **params: object) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def scenarios(seeded: Seeded, variety: int = VARIETY) -> list[Scenario]:
    """The five lookups, each over ``variety`` targets drawn with the run's seed."""
    sizes = seeded.sizes
    rng = random.Random(seeded.random_seed + 1)
    keys = [rng.randint(1, sizes.keys) for _ in range(variety)]
    pairs = [(key, sizes.home(key, rng.randrange(sizes.homes))) for key in keys]
    items = [rng.randint(1, sizes.items) for _ in range(variety)]
    locations = seeded.location_ids
    return [
        Scenario(
            "balance by SKU + location",
            [
                _query("/api/inventory/stock", sku=seeded.sku(key), location=locations[place])
                for key, place in pairs
            ],
            expect_results=False,  # a seeded pair may have been issued down to zero
        ),
        Scenario(
            "item lookup by SKU (public)",
            [f"/api/inventory/items/lookup/{seeded.item_sku(item)}" for item in items],
            auth=False,
            expect_results=False,
        ),
        Scenario(
            "ledger by SKU, page 1",
            [_query("/api/stock-ledgers", sku=seeded.sku(key)) for key in keys],
        ),
        Scenario("ledger page 1 (newest first)", ["/api/stock-ledgers"]),
        Scenario(
            "ledger by location, page 1",
            [_query("/api/stock-ledgers", location=location) for location in locations],
        ),
    ]


async def check_answers(base: str, headers: dict[str, str], scenario: Scenario) -> None:
    """The first few paths answer 200 (with results where the seed guarantees some)."""
    async with httpx.AsyncClient(timeout=60.0, trust_env=False) as client:
        for path in list(scenario.paths)[:5]:
            response = await client.get(f"{base}{path}", headers=headers if scenario.auth else {})
            if response.status_code != 200:
                raise BenchmarkFailed(
                    f"{scenario.name}: GET {path} answered {response.status_code}: "
                    f"{response.text[:300]}"
                )
            if scenario.expect_results and not response.json().get("results"):
                raise BenchmarkFailed(f"{scenario.name}: GET {path} found nothing")


async def run_scenario(
    scenario: Scenario, base: str, headers: dict[str, str], *, requests: int, warmup: int
) -> Result:
    await check_answers(base, headers, scenario)
    specs = [
        RequestSpec("GET", f"{base}{path}", headers=headers if scenario.auth else {})
        for path in scenario.paths
    ]
    result = await run_load(
        specs,
        name=scenario.name,
        concurrency=1,
        count=requests,
        warmup=warmup,
        timeout=60.0,
    )
    if result.errors:
        raise BenchmarkFailed(
            f"{scenario.name}: {result.errors} failed requests {dict(result.statuses)}"
        )
    return result


# ------------------------------------------------------------------ posting


def entry_body(rng: random.Random, seeded: Seeded) -> dict[str, Any]:
    """A receipt or a transfer of 1-3 distinct keys; transfers leave one of the key's homes."""
    sizes = seeded.sizes
    locations = seeded.location_ids
    entry_type = "transfer" if rng.random() < 0.5 else "receipt"
    lines: list[dict[str, Any]] = []
    for key in rng.sample(range(1, sizes.keys + 1), min(sizes.keys, rng.randint(1, 3))):
        home = sizes.home(key, rng.randrange(sizes.homes))
        quantity = str(rng.randint(1, 3))
        if entry_type == "receipt":
            cost = Decimal(rng.randint(100, 9_999)) / 100
            lines.append(
                {
                    "sku": seeded.sku(key),
                    "quantity": quantity,
                    "target_location_id": str(locations[home]),
                    "unit_cost": str(cost),
                }
            )
        else:
            target = rng.randrange(sizes.locations - 1)
            target += target >= home  # any other location
            lines.append(
                {
                    "sku": seeded.sku(key),
                    "quantity": quantity,
                    "source_location_id": str(locations[home]),
                    "target_location_id": str(locations[target]),
                }
            )
    return {"entry_type": entry_type, "reference": "shopfloor-bench", "lines": lines}


@dataclass
class WriterLog:
    create_s: list[float] = field(default_factory=list)
    post_s: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    posted: int = 0
    lines: int = 0
    unseen: list[str] = field(default_factory=list)  # post 404 after the create's 201
    failures: list[str] = field(default_factory=list)


async def _writer(
    index: int,
    base: str,
    headers: dict[str, str],
    seeded: Seeded,
    entries: int,
    deadline: float | None,
    log: WriterLog,
) -> None:
    rng = random.Random(seeded.random_seed * 1_000 + 17 + index)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, timeout=60.0, trust_env=False
    ) as client:
        for number in range(POST_WARMUP + entries):
            measured = number >= POST_WARMUP
            if measured and deadline is not None and time.monotonic() >= deadline:
                return
            body = entry_body(rng, seeded)
            started = time.perf_counter()
            created = await client.post("/api/stock-entries", json=body)
            create_s = time.perf_counter() - started
            if created.status_code != 201:
                log.statuses[f"create {created.status_code}"] += measured
                log.failures.append(f"create {created.status_code}: {created.text[:300]}")
                continue
            entry_id = created.json()["id"]
            started = time.perf_counter()
            posted = await client.post(f"/api/stock-entries/{entry_id}/post")
            post_s = time.perf_counter() - started
            if not measured:
                continue
            log.create_s.append(create_s)
            log.post_s.append(post_s)
            log.statuses[f"post {posted.status_code}"] += 1
            if posted.status_code == 200:
                log.posted += 1
                log.lines += len(body["lines"])
            elif posted.status_code == 404:
                log.unseen.append(entry_id)  # our own draft, created a moment ago: problems()
            elif posted.status_code != 409:
                log.failures.append(f"post {posted.status_code}: {posted.text[:300]}")


@dataclass(frozen=True)
class PostingResult:
    writers: int
    attempted: int
    posted: int
    lines: int
    conflicts: int
    not_found_after_201: int
    failures: int
    elapsed_s: float
    create: LatencyStats
    post: LatencyStats
    statuses: dict[str, int]
    sample_failures: list[str]
    unseen_ids: list[str] = field(default_factory=list)
    # what the database holds for those entries once the writers are done
    unseen_now: dict[str, str] = field(default_factory=dict)

    @property
    def entries_per_s(self) -> float:
        return self.posted / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def table_row(self) -> dict[str, object]:
        row = self.to_dict()
        row["404_after_201"] = row["not_found_after_201"]
        return {
            key: row[key]
            for key in (
                "scenario",
                "posted",
                "conflicts_409",
                "404_after_201",
                "errors",
                "entries_per_s",
                "post_p50_ms",
                "post_p95_ms",
                "post_max_ms",
                "create_p50_ms",
                "create_p95_ms",
            )
        }

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": f"post stock entries ({self.writers} writers)",
            "entries": self.attempted,
            "posted": self.posted,
            "lines": self.lines,
            "conflicts_409": self.conflicts,
            "not_found_after_201": self.not_found_after_201,
            "errors": self.failures,
            "elapsed_s": self.elapsed_s,
            "entries_per_s": self.entries_per_s,
            "post_p50_ms": self.post.p50 * 1000,
            "post_p95_ms": self.post.p95 * 1000,
            "post_max_ms": self.post.max * 1000,
            "create_p50_ms": self.create.p50 * 1000,
            "create_p95_ms": self.create.p95 * 1000,
            "statuses": self.statuses,
            **({"after_404": self.unseen_now} if self.unseen_now else {}),
        }


async def run_posting(
    base: str,
    headers: dict[str, str],
    seeded: Seeded,
    *,
    writers: int = DEFAULT_WRITERS,
    entries: int = DEFAULT_ENTRIES,
    max_seconds: float | None = None,
) -> PostingResult:
    """``writers`` concurrent loops of create + post; the clock covers both requests."""
    logs = [WriterLog() for _ in range(writers)]
    started = time.perf_counter()
    deadline = time.monotonic() + max_seconds if max_seconds else None
    await asyncio.gather(
        *(
            _writer(index, base, headers, seeded, entries, deadline, log)
            for index, log in enumerate(logs)
        )
    )
    elapsed = time.perf_counter() - started
    statuses: Counter[str] = Counter()
    for log in logs:
        statuses.update(log.statuses)
    create_s = [value for log in logs for value in log.create_s]
    post_s = [value for log in logs for value in log.post_s]
    failures = [failure for log in logs for failure in log.failures]
    return PostingResult(
        writers=writers,
        attempted=len(post_s),
        posted=sum(log.posted for log in logs),
        lines=sum(log.lines for log in logs),
        conflicts=statuses.get("post 409", 0),
        not_found_after_201=sum(len(log.unseen) for log in logs),
        unseen_ids=[entry for log in logs for entry in log.unseen],
        failures=len(failures),
        elapsed_s=elapsed,
        create=LatencyStats.of(create_s),
        post=LatencyStats.of(post_s),
        statuses=dict(sorted(statuses.items())),
        sample_failures=failures[:5],
    )


# ------------------------------------------------------------------ balances = ledger


BALANCE_MISMATCHES = """
SELECT coalesce(b.stock_key_id, l.stock_key_id) AS stock_key_id,
       coalesce(b.location_id, l.location_id) AS location_id,
       b.quantity AS balance, coalesce(l.total, 0) AS ledger_sum
FROM stock_balances AS b
FULL JOIN (
    SELECT stock_key_id, location_id, sum(quantity_change) AS total
    FROM stock_ledger GROUP BY stock_key_id, location_id
) AS l ON l.stock_key_id = b.stock_key_id AND l.location_id = b.location_id
WHERE coalesce(b.quantity, 0) <> coalesce(l.total, 0)
ORDER BY 1, 2
LIMIT 20
"""

RUNNING_SUM_MISMATCHES = """
SELECT count(*) FROM (
    SELECT quantity_after,
           sum(quantity_change) OVER (PARTITION BY stock_key_id, location_id ORDER BY id)
               AS running
    FROM stock_ledger
) AS rows
WHERE quantity_after <> running
"""


@dataclass(frozen=True)
class Verification:
    pairs: int
    ledger_rows: int
    mismatches: list[tuple[int, uuid.UUID, Decimal | None, Decimal]]
    running_mismatches: int
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.running_mismatches

    def __str__(self) -> str:
        if self.ok:
            return (
                f"balances = ledger sums: OK ({self.pairs:,} balances, {self.ledger_rows:,} "
                f"ledger rows; every quantity_after is its running sum)"
            )
        lines = [
            f"balances = ledger sums: {len(self.mismatches)} mismatch(es) shown, "
            f"{self.running_mismatches} ledger row(s) whose quantity_after is not the running sum"
        ]
        lines += [
            f"  stock_key {key} at {location}: balance {balance}, ledger sum {total}"
            for key, location, balance, total in self.mismatches
        ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "balances = ledger sums",
            "ok": self.ok,
            "balances": self.pairs,
            "ledger_rows": self.ledger_rows,
            "mismatches": len(self.mismatches),
            "running_sum_mismatches": self.running_mismatches,
            "seconds": self.seconds,
        }


async def verify_balances(database_url: str) -> Verification:
    """Every (stock key, location): balance = sum of its ledger rows; quantity_after chains."""
    started = time.perf_counter()
    async with (
        await psycopg.AsyncConnection.connect(libpq(database_url)) as connection,
        connection.cursor() as cursor,
    ):
        await cursor.execute(BALANCE_MISMATCHES)
        mismatches = [
            (int(key), location, balance, total)
            for key, location, balance, total in await cursor.fetchall()
        ]
        await cursor.execute(RUNNING_SUM_MISMATCHES)
        running = await cursor.fetchone()
        await cursor.execute(
            "SELECT (SELECT count(*) FROM stock_balances), (SELECT count(*) FROM stock_ledger)"
        )
        counts = await cursor.fetchone()
    assert running is not None and counts is not None
    return Verification(
        pairs=int(counts[0]),
        ledger_rows=int(counts[1]),
        mismatches=mismatches,
        running_mismatches=int(running[0]),
        seconds=time.perf_counter() - started,
    )


# ------------------------------------------------------------------ the whole run


@dataclass(frozen=True)
class InventoryReport:
    seeded: Seeded
    reads: list[Result]
    posting: PostingResult | None
    verification: Verification
    database_url: str | None = None  # set when kept
    service_errors: list[str] = field(default_factory=list)  # error lines of inventory's log

    def read_rows(self) -> list[dict[str, object]]:
        return [
            {
                "scenario": result.name,
                "count": result.count,
                "errors": result.errors,
                "p50_ms": result.p50_ms,
                "p95_ms": result.p95_ms,
                "max_ms": result.max_ms,
                "rps": result.rps,
            }
            for result in self.reads
        ]

    def problems(self) -> list[str]:
        """Why the run's result is wrong (empty when right): exit 1 after printing."""
        found: list[str] = []
        if self.posting is not None and self.posting.not_found_after_201:
            now = "; ".join(
                f"{entry} is {state}" for entry, state in self.posting.unseen_now.items()
            )
            found.append(
                f"posting: {self.posting.not_found_after_201} POST /api/stock-entries/<id>/post "
                "answered 404 for an entry whose create had just answered 201: the create's "
                "COMMIT had not happened yet (the request's session commits after the response "
                f"is sent; bench/README.md, inventory). Afterwards: {now or 'not checked'}"
            )
        if self.posting is not None and self.posting.failures:
            found.append(
                f"posting: {self.posting.failures} unexpected answers, e.g. "
                + "; ".join(self.posting.sample_failures)
            )
        if not self.verification.ok:
            found.append(str(self.verification))
        return found

    def json_rows(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = [self.seeded.to_dict()]
        rows += [result.to_dict() for result in self.reads]
        if self.posting is not None:
            rows.append(self.posting.to_dict())
        rows.append(self.verification.to_dict())
        return rows


async def run_inventory(
    backend: Backends,
    *,
    sizes: Sizes | None = None,
    requests: int = DEFAULT_REQUESTS,
    warmup: int = DEFAULT_WARMUP,
    writers: int = DEFAULT_WRITERS,
    entries: int = DEFAULT_ENTRIES,
    max_seconds: float | None = None,
    random_seed: int = DEFAULT_RANDOM_SEED,
    only: Sequence[str] = (),
    keep_database: bool = False,
    progress: Progress | None = None,
) -> InventoryReport:
    """Migrate, seed, serve, measure the lookups, post, verify; fails on a wrong balance."""
    say = progress or (lambda _message: None)
    sizes = sizes or Sizes()
    key = Ed25519PrivateKey.generate()
    headers = {"Authorization": f"Bearer {admin_token(key)}"}
    async with inventory_database(backend.postgres_url, keep=keep_database) as url:
        say(f"migrated {url.rpartition('/')[2]}; seeding {sizes.ledger_rows:,} ledger rows")
        seeded = await seed_inventory(url, sizes, random_seed=random_seed, progress=say)
        say(f"seeded in {seeded.seconds:.1f} s ({seeded.balances:,} balances)")
        with tempfile.TemporaryDirectory(prefix="sf-bench-inventory-") as directory:
            log_path = Path(directory) / "inventory.log"
            async with (
                with_log_tail("inventory", log_path),
                serve_service(
                    "inventory", url, backend.nats_url, public_pem(key), log_path
                ) as base,
            ):
                say(f"inventory serving on {base} (its JSON log, removed at the end: {log_path})")
                reads: list[Result] = []
                for scenario in scenarios(seeded):
                    if only and scenario.name not in only:
                        continue
                    say(f"{scenario.name}: {requests} requests, one at a time")
                    reads.append(
                        await run_scenario(
                            scenario, base, headers, requests=requests, warmup=warmup
                        )
                    )
                posting = None
                if writers and entries and (not only or "posting" in only):
                    say(f"posting: {writers} writers x {entries} entries (create + post)")
                    posting = await run_posting(
                        base,
                        headers,
                        seeded,
                        writers=writers,
                        entries=entries,
                        max_seconds=max_seconds,
                    )
            service_errors = error_lines(log_path)
        if posting is not None and posting.unseen_ids:
            posting = replace(posting, unseen_now=await entry_states(url, posting.unseen_ids))
        say("checking balances against the ledger")
        verification = await verify_balances(url)
    return InventoryReport(
        seeded,
        reads,
        posting,
        verification,
        url if keep_database else None,
        service_errors,
    )


async def entry_states(database_url: str, entry_ids: Sequence[str]) -> dict[str, str]:
    """``{id: "draft" | "posted" | … | "missing"}`` for stock entries, as committed now."""
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as connection:
        cursor = await connection.execute(
            "SELECT id::text, status FROM stock_entries WHERE id = ANY(%s::uuid[])",
            (list(entry_ids),),
        )
        found = {str(entry): str(status) for entry, status in await cursor.fetchall()}
    return {entry: found.get(entry, "missing") for entry in entry_ids}
