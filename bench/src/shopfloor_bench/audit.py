"""The audit benchmark: ingest rate from a backlog, filtered list latency on a large log,
and a large export's time and the service's peak memory.

- **ingest**: ``--events`` (100,000) events are published to a stream of the run's own
  first (a backlog: a mix of sales with lines, product changes, user changes carrying an
  e-mail and a phone, stock movements); then audit's own ``Ingester`` (as the service runs
  it: one durable consumer, batched fetches, one transaction and one multi-row INSERT per
  batch, masking and the hash chain) drains it, once per ``--batch-size``. Events/s = the
  backlog / the time from the consumer's start to the last row. The run fails unless the
  log then holds exactly one row per event.
- **list**: ``--rows`` (2,000,000) rows are seeded with SQL into audit's real schema over six
  months of partitions (30 actions, 500 actors, 20 stores, a rare action), its action counts
  and stores beside them; audit is served as in production (``shopfloor-audit serve``) and
  each filter is asked ``--requests`` times one at a time (p50/p95/max, ms), the page's
  exact ``count`` included.
- **export**: ``GET /api/logs/export/?format=csv`` over a date range holding about
  ``--export-rows`` (1,000,000) rows, read to the end; its time, rows/s, MB, and the
  service's resident memory sampled every 50 ms (baseline before, peak during).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nats.js.errors import NotFoundError
from sqlalchemy import text

from common.config import normalise_database_url
from common.db import Database
from common.events.bus import NatsBus
from common.events.envelope import Envelope
from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.services import (
    access_token,
    admin_token,
    error_lines,
    libpq,
    public_pem,
    serve_service,
    service_database,
)
from shopfloor_bench.stats import LatencyStats

DEFAULT_EVENTS = 100_000
DEFAULT_BATCH_SIZES = (500, 1000)
DEFAULT_ROWS = 2_000_000
DEFAULT_EXPORT_ROWS = 1_000_000
DEFAULT_REQUESTS = 40
DEFAULT_WARMUP = 3
DEFAULT_RANDOM_SEED = 13
SEED_CHUNK = 250_000
SEED_MAINTENANCE_MEMORY = "256MB"  # for building the indexes after the load
MONTHS = 6
STORES = [uuid.UUID(int=0xA0D17000 + index) for index in range(20)]
ACTIONS = [
    f"{service}.{entity}.{verb}"
    for service, entity, verbs in (
        ("pos", "sale", ("completed", "voided")),
        ("pos", "item", ("sold",)),
        ("pos", "drawer", ("opened", "closed")),
        ("inventory", "item", ("created", "updated", "status_changed")),
        ("inventory", "stock", ("changed", "low")),
        ("inventory", "purchase_order", ("created", "state_changed", "received")),
        ("inventory", "approval", ("signed", "completed", "rejected")),
        ("inventory", "stock_entry", ("posted", "cancelled")),
        ("catalog", "product", ("created", "updated", "price_changed")),
        ("catalog", "variant", ("created", "updated")),
        ("auth", "user", ("created", "updated", "deactivated")),
        ("invoicing", "payment", ("recorded",)),
        ("bookings", "booking", ("completed",)),
    )
    for verb in verbs
]
RARE_ACTION = "inventory.item.oversold"  # one row in 10,007
STORELESS = ("catalog", "auth")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Sizes:
    events: int = DEFAULT_EVENTS
    rows: int = DEFAULT_ROWS
    export_rows: int = DEFAULT_EXPORT_ROWS
    requests: int = DEFAULT_REQUESTS
    warmup: int = DEFAULT_WARMUP

    def __post_init__(self) -> None:
        if self.export_rows > self.rows:
            raise ValueError("--export-rows cannot exceed --rows")
        if min(self.events, self.rows, self.export_rows, self.requests) < 1:
            raise ValueError("every size must be at least 1")


# ------------------------------------------------------------------ ingest


def backlog_event(number: int, source: str, rng: random.Random) -> Envelope:
    """One of four shapes, as the services publish them (under the run's own source)."""
    store = str(rng.choice(STORES))
    kind = number % 4
    if kind == 0:
        data: dict[str, Any] = {
            "sale_id": str(uuid.uuid4()),
            "receipt_number": f"NYC-01-2026-{number:06d}",
            "store_id": store,
            "cashier_id": f"user-{number % 500}",
            "lines": [
                {
                    "line_id": str(line),
                    "sku": f"ITM-{number + line:06d}",
                    "quantity": "1",
                    "unit_price": "19.99",
                }
                for line in range(1, 4)
            ],
            "total": "59.97",
            "payments": [{"method": "card", "amount": "59.97", "tendered": None}],
        }
        subject = f"{source}.sale.completed"
    elif kind == 1:
        data = {
            "product_id": str(uuid.uuid4()),
            "slug": f"widget-{number}",
            "name": "Widget",
            "base_price": "9.99",
        }
        subject = f"{source}.product.updated"
    elif kind == 2:
        data = {
            "user_id": str(uuid.uuid4()),
            "email": f"person{number}@shop.example",
            "phone": f"+1 555 {number % 10000:04d}",
            "role": "advisor",
            "store_ids": [store],
            "changed": ["role"],
        }
        subject = f"{source}.user.updated"
    else:
        data = {
            "sku": f"ITM-{number:06d}",
            "store_id": store,
            "quantity": "4",
            "location_id": str(uuid.uuid4()),
        }
        subject = f"{source}.stock.changed"
    return Envelope(type=subject, source=source, actor=f"user-{number % 500}", data=data)


async def publish_backlog(bus: NatsBus, source: str, events: int, progress: Progress) -> float:
    """``events`` envelopes in the stream (pipelined, acked); returns the seconds it took."""
    rng = random.Random(events)
    started = time.perf_counter()
    chunk = 1000
    for first in range(0, events, chunk):
        envelopes = [
            backlog_event(n, source, rng) for n in range(first, min(first + chunk, events))
        ]
        await asyncio.gather(*(bus.publish(envelope, {}) for envelope in envelopes))
        if first and first % 20_000 == 0:
            progress(f"published {first:,} events")
    return time.perf_counter() - started


@dataclass(frozen=True)
class IngestResult:
    batch_size: int
    events: int
    seconds: float
    rows: int
    ingester_cpu_s: float
    postgres_cpu_s: float | None  # None: PostgreSQL is not on this machine
    batches: int = 0  # transactions that wrote rows

    def to_dict(self) -> dict[str, Any]:
        busiest = max(self.ingester_cpu_s, self.postgres_cpu_s or 0.0)
        return {
            "scenario": f"ingest backlog, batch {self.batch_size}",
            "events": self.events,
            "seconds": self.seconds,
            "events_per_s": self.events / self.seconds if self.seconds else 0.0,
            "ingester_cpu_us_per_event": self.ingester_cpu_s / self.events * 1e6,
            "postgres_cpu_us_per_event": (
                self.postgres_cpu_s / self.events * 1e6 if self.postgres_cpu_s is not None else None
            ),
            # Each side on a core of its own (they overlap): what an idle 2-core machine allows.
            "cpu_bound_events_per_s": self.events / busiest if busiest else 0.0,
            "rows": self.rows,
            "mean_batch": self.rows / self.batches if self.batches else 0.0,
            "target_per_s": 5000,
        }


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a local process (None when it is not readable here)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def backend_cpu(url: str) -> float | None:
    """CPU spent so far by the PostgreSQL backends serving ``url``'s database, if local."""
    async with await psycopg.AsyncConnection.connect(libpq(url)) as connection:
        pids = [
            row[0]
            for row in await (
                await connection.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                )
            ).fetchall()
        ]
    seconds = [cpu_seconds(pid) for pid in pids]
    if not seconds or any(value is None for value in seconds):
        return None
    return sum(value for value in seconds if value is not None)


async def _count_rows(url: str) -> tuple[int, int, int]:
    """Rows, distinct event ids, and batches written (a batch's rows share ``recorded_at``)."""
    async with await psycopg.AsyncConnection.connect(libpq(url)) as connection:
        row = await (
            await connection.execute(
                "SELECT count(*), count(DISTINCT event_id), count(DISTINCT recorded_at) "
                "FROM audit_entries"
            )
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


async def ingest_once(
    backend: Backends, bus: NatsBus, stream: str, subjects: list[str], events: int, batch_size: int
) -> IngestResult:
    """Drain the backlog into a fresh audit database with a fresh durable consumer."""
    from audit.config import AuditSettings
    from audit.partitions.maintenance import PartitionKeeper
    from audit.streams.ingester import DURABLE, Ingester

    with contextlib.suppress(NotFoundError):
        await bus.js.delete_consumer(stream, DURABLE)
    async with service_database(backend.postgres_url, "audit") as url:
        settings = AuditSettings(
            database_url=url,
            nats_url=backend.nats_url,
            audit_ingest_batch_size=batch_size,
            event_ack_wait_seconds=120.0,
        )
        database = Database(settings.database_url, pool_size=4)
        try:
            await PartitionKeeper(database, settings).ensure_ahead()
            ingester = Ingester(database=database, bus=bus, settings=settings)
            async with database.session() as session:  # open the pool's first connection
                await session.execute(text("SELECT 1"))
            postgres_before = await backend_cpu(url)
            started, cpu_started = time.perf_counter(), time.process_time()
            await ingester.consume(stream, subjects)
            while ingester.recorded < events:
                task = ingester.consumers[stream]
                if task.done():
                    raise BenchmarkFailed(f"the consumer of {stream} stopped: {task.exception()!r}")
                await asyncio.sleep(0.02)
            seconds = time.perf_counter() - started
            ingester_cpu = time.process_time() - cpu_started
            postgres_after = await backend_cpu(url)
            for task in ingester.consumers.values():
                task.cancel()
            await asyncio.gather(*ingester.consumers.values(), return_exceptions=True)
            rows, distinct, batches = await _count_rows(url)
        finally:
            await database.dispose()
    if rows != events or distinct != events:
        raise BenchmarkFailed(f"{events} events became {rows} rows ({distinct} distinct event ids)")
    postgres_cpu = (
        postgres_after - postgres_before
        if postgres_after is not None and postgres_before is not None
        else None
    )
    return IngestResult(batch_size, events, seconds, rows, ingester_cpu, postgres_cpu, batches)


async def run_ingest(
    backend: Backends, events: int, batch_sizes: Sequence[int], progress: Progress
) -> list[IngestResult]:
    source = f"benchaudit{uuid.uuid4().hex[:6]}"
    bus = NatsBus(backend.nats_url, name="bench-audit")
    await bus.connect(timeout=15)
    stream = await bus.ensure_stream(source)
    try:
        progress(f"publishing a backlog of {events:,} events to {stream}")
        seconds = await publish_backlog(bus, source, events, progress)
        progress(f"backlog published in {seconds:.1f} s")
        results = []
        for batch_size in batch_sizes:
            progress(f"ingesting with batches of {batch_size}")
            result = await ingest_once(backend, bus, stream, [f"{source}.>"], events, batch_size)
            progress(f"  {result.events / result.seconds:,.0f} events/s")
            results.append(result)
        return results
    finally:
        with contextlib.suppress(NotFoundError):
            await bus.js.delete_stream(stream)
        await bus.close()


# ------------------------------------------------------------------ the large log


def months_back(today: date, count: int) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return sorted(months)


@dataclass(frozen=True)
class Seeded:
    rows: int
    seconds: float
    first: datetime
    last: datetime

    def table_row(self) -> dict[str, Any]:
        return {"rows": self.rows, "seconds": self.seconds, "rows_per_s": self.rows / self.seconds}


SEED_SQL = """
INSERT INTO audit_entries (
    recorded_at, event_id, occurred_at, stream, stream_sequence, source, action, actor,
    entity_type, entity_id, store_id, request_id, trace_id, schema_version, payload,
    position, prev_hash, hash)
SELECT t + interval '1 second', gen_random_uuid(), t, upper(split_part(act, '.', 1)), g,
       split_part(act, '.', 1), act, 'user-' || (g %% 500), split_part(act, '.', 2),
       split_part(act, '.', 2) || '-' || (g %% 200000),
       CASE WHEN split_part(act, '.', 1) IN ('catalog', 'auth') THEN NULL
            ELSE (%(stores)s::uuid[])[1 + g %% 20] END,
       md5(g::text), md5((g * 7)::text), 1,
       '{"' || split_part(act, '.', 2) || '_id":"' || split_part(act, '.', 2) || '-' || (g %% 200000)
         || '","store_id":"' || ((%(stores)s::uuid[])[1 + g %% 20])::text
         || '","total":"' || (g %% 1000) || '.99","note":"seeded row ' || g
         || (CASE WHEN g %% 50000 = 0 THEN ' needle' ELSE '' END) || '"}',
       g, repeat('0', 64), md5(g::text) || md5((g + 1)::text)
FROM (
    SELECT g,
           %(start)s::timestamptz + (g - 1) * %(step)s::interval AS t,
           CASE WHEN g %% 10007 = 0 THEN %(rare)s ELSE (%(actions)s::text[])[1 + g %% %(count)s] END AS act
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
) AS s
"""


async def seed_log(url: str, rows: int, today: date, progress: Progress) -> Seeded:
    """``rows`` rows spread evenly over the last six months (partitions made first)."""
    from audit.partitions.service import PartitionService

    months = months_back(today, MONTHS)
    start = datetime(months[0].year, months[0].month, 1, tzinfo=UTC)
    end = datetime(today.year, today.month, 1, tzinfo=UTC) + timedelta(days=27)
    step = (end - start) / rows
    database = Database(normalise_database_url(url), pool_size=2)
    try:
        async with database.session() as session:
            await PartitionService(session).ensure(months)
    finally:
        await database.dispose()
    started = time.perf_counter()
    async with await psycopg.AsyncConnection.connect(libpq(url), autocommit=True) as connection:
        await connection.execute("SET synchronous_commit = off")
        await connection.execute(f"SET maintenance_work_mem = '{SEED_MAINTENANCE_MEMORY}'")
        # Building an index once over the loaded rows is several times faster than keeping it
        # up to date row by row: the log's indexes (all but the primary key) are dropped for
        # the load and made again from their own definitions (on the parent: every partition).
        indexes = await (
            await connection.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename = 'audit_entries' AND indexname <> 'pk_audit_entries' "
                "ORDER BY indexname"
            )
        ).fetchall()
        for name, _ in indexes:
            await connection.execute(f'DROP INDEX "{name}"')
        for first in range(1, rows + 1, SEED_CHUNK):
            last = min(first + SEED_CHUNK - 1, rows)
            await connection.execute(
                SEED_SQL,
                {
                    "stores": [str(store) for store in STORES],
                    "start": start,
                    "step": step,
                    "rare": RARE_ACTION,
                    "actions": ACTIONS,
                    "count": len(ACTIONS),
                    "first": first,
                    "last": last,
                },
            )
            progress(f"seeded {last:,} rows")
        for name, definition in indexes:
            progress(f"building {name}")
            # The parent's definition reads ``ON ONLY`` (that table alone): without it the
            # index is built on every partition too.
            await connection.execute(definition.replace(" ON ONLY ", " ON ", 1))
        unindexed = await (
            await connection.execute(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'audit_entries'::regclass AND (SELECT count(*) FROM "
                "pg_index x WHERE x.indrelid = c.oid) < %s",
                (len(indexes) + 1,),
            )
        ).fetchone()
        if unindexed is None or unindexed[0]:
            raise BenchmarkFailed("the log's indexes were not built on every partition")
        await connection.execute(
            "INSERT INTO action_counts (action, store_id, source, entity_type, count, last_seen) "
            "SELECT action, COALESCE(store_id, '00000000-0000-0000-0000-000000000000'), "
            "min(source), min(entity_type), count(*), max(occurred_at) FROM audit_entries "
            "GROUP BY 1, 2"
        )
        for index, store in enumerate(STORES):
            await connection.execute(
                "INSERT INTO stores (id, code, name, time_zone, is_active, synced_at) "
                "VALUES (%s, %s, %s, 'UTC', true, now())",
                (store, f"ST-{index:02d}", f"Store {index}"),
            )
        progress("VACUUM ANALYZE")
        await connection.execute("VACUUM ANALYZE audit_entries")
    return Seeded(rows, time.perf_counter() - started, start, start + step * rows)


# ------------------------------------------------------------------ list and export


@dataclass
class ListResult:
    scenario: str
    stats: LatencyStats
    count: int | None  # None: refused (a search past its time)
    statuses: dict[int, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "matching": self.count,
            "answers": self.statuses,
            **self.stats.as_ms_dict(),
        }


@dataclass(frozen=True)
class ListScenario:
    name: str
    query: dict[str, str]
    who: str = "admin"  # or "head": a branch head of one store
    path: str = "/api/logs/"


def seeded_entity_id(seeded: Seeded, entity: str) -> str:
    """An id the seed gave rows of ``entity`` (``SEED_SQL``'s rule), from the log's middle."""
    for g in range(max(seeded.rows // 2, 1), seeded.rows + 1):
        action = RARE_ACTION if g % 10007 == 0 else ACTIONS[g % len(ACTIONS)]
        if action.split(".")[1] == entity:
            return f"{entity}-{g % 200000}"
    return f"{entity}-0"


def list_scenarios(seeded: Seeded) -> list[ListScenario]:
    """Every measured list: each filter of the seeds' two lists alone, and a few together."""
    middle = seeded.first + (seeded.last - seeded.first) / 2
    day = middle.date().isoformat()
    week_end = (middle + timedelta(days=6)).date().isoformat()
    store = str(STORES[5])
    return [
        ListScenario("newest page, no filter", {}),
        ListScenario("newest page, /api/audit/", {}, path="/api/audit/"),
        ListScenario("action (1 in 28)", {"action": "pos.sale.completed"}),
        ListScenario("rare action (1 in 10,007)", {"action": RARE_ACTION}),
        ListScenario("actor (1 in 500)", {"actor": "user-42"}),
        ListScenario("actor, /api/audit/", {"actor": "user-42"}, path="/api/audit/"),
        ListScenario("entity type (2 in 28)", {"entity": "sale"}),
        ListScenario(
            "entity + id", {"entity": "sale", "entity_id": seeded_entity_id(seeded, "sale")}
        ),
        ListScenario("store (1 in 20), admin", {"store": store}),
        ListScenario("store, a branch head's own", {}, who="head"),
        ListScenario("source (inventory: 13 in 28)", {"source": "inventory"}),
        ListScenario("one day", {"date_from": day, "date_to": day}),
        ListScenario("one week", {"date_from": day, "date_to": week_end}),
        ListScenario(
            "action + one week",
            {"action": "pos.item.sold", "date_from": day, "date_to": week_end},
        ),
        ListScenario("store + actor", {"store": store, "actor": "user-45"}),
        ListScenario("page 50, no filter", {"page": "50"}),
        ListScenario(
            "search 'needle' in one week",
            {"search": "needle", "date_from": day, "date_to": week_end},
        ),
        ListScenario("search 'needle', whole log (422 past 5 s)", {"search": "needle"}),
    ]


async def measure_lists(
    base: str, headers: dict[str, dict[str, str]], seeded: Seeded, sizes: Sizes, only: Sequence[str]
) -> list[ListResult]:
    results = []
    async with httpx.AsyncClient(base_url=base, timeout=120, trust_env=False) as client:
        for scenario in list_scenarios(seeded):
            name, query = scenario.name, scenario.query
            if only and name not in only:
                continue
            samples: list[float] = []
            count: int | None = None
            statuses: dict[int, int] = {}
            refusable = "search" in query and "date_from" not in query
            for attempt in range(sizes.warmup + sizes.requests):
                started = time.perf_counter()
                response = await client.get(
                    scenario.path, params=query, headers=headers[scenario.who]
                )
                elapsed = (time.perf_counter() - started) * 1000
                ok = response.status_code == 200 or (refusable and response.status_code == 422)
                if not ok:
                    raise BenchmarkFailed(f"{name}: {response.status_code} {response.text[:300]}")
                if response.status_code == 200:
                    count = int(response.json()["count"])
                if attempt >= sizes.warmup:
                    samples.append(elapsed)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            results.append(ListResult(name, LatencyStats.of(samples), count, statuses))
    return results


def resident_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pid_listening_on(port: int) -> int | None:
    """The process serving ``port`` (found by its command line: ``--port <port>``)."""
    wanted = f"--port\0{port}\0".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError), open(f"/proc/{entry}/cmdline", "rb") as cmdline:
            if wanted in cmdline.read():
                return int(entry)
    return None


@dataclass(frozen=True)
class ExportResult:
    rows: int
    seconds: float
    megabytes: float
    baseline_mib: float
    peak_mib: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": "export csv, streamed",
            "rows": self.rows,
            "seconds": self.seconds,
            "rows_per_s": self.rows / self.seconds if self.seconds else 0.0,
            "mb": self.megabytes,
            "rss_baseline_mib": self.baseline_mib,
            "rss_peak_mib": self.peak_mib,
            "rss_increase_mib": self.peak_mib - self.baseline_mib,
            "target_increase_mib": 50,
        }


def export_range(seeded: Seeded, export_rows: int) -> dict[str, str]:
    """Whole days from the first seeded one holding at least ``export_rows`` rows."""
    per_day = seeded.rows / max((seeded.last - seeded.first) / timedelta(days=1), 1e-9)
    days = max(1, int(export_rows / per_day + 0.999))
    first = seeded.first.date()
    return {
        "date_from": first.isoformat(),
        "date_to": (first + timedelta(days=days - 1)).isoformat(),
    }


async def measure_export(
    base: str, headers: dict[str, str], pid: int, query: dict[str, str]
) -> ExportResult:
    baseline = resident_kib(pid)
    peak = baseline
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, resident_kib(pid))
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample())
    received, tail = 0, b""
    started = time.perf_counter()
    try:
        async with (
            httpx.AsyncClient(base_url=base, timeout=600, trust_env=False) as client,
            client.stream(
                "GET", "/api/logs/export/", params={"format": "csv", **query}, headers=headers
            ) as response,
        ):
            if response.status_code != 200:
                raise BenchmarkFailed(
                    f"export: {response.status_code} {(await response.aread())[:300]!r}"
                )
            async for chunk in response.aiter_bytes():
                received += len(chunk)
                tail = (tail + chunk)[-400:]
        seconds = time.perf_counter() - started
    finally:
        done.set()
        await sampler
    trailer = tail.decode(errors="replace").rstrip("\n").rsplit("\n", 1)[-1]
    if not trailer.startswith("# rows="):
        raise BenchmarkFailed(f"the export did not end with its trailer: {trailer!r}")
    rows = int(trailer.split()[1].split("=")[1])
    return ExportResult(rows, seconds, received / 1e6, baseline / 1024, peak / 1024)


# ------------------------------------------------------------------ the run


@dataclass
class AuditReport:
    ingest: list[IngestResult] = field(default_factory=list)
    seeded: Seeded | None = None
    lists: list[ListResult] = field(default_factory=list)
    export: ExportResult | None = None
    service_errors: list[str] = field(default_factory=list)

    def json_rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = [result.to_dict() for result in self.ingest]
        if self.seeded is not None:
            rows.append({"scenario": "seed (SQL)", **self.seeded.table_row()})
        rows.extend(
            {"rows": self.seeded.rows if self.seeded else 0, **r.to_dict()} for r in self.lists
        )
        if self.export is not None:
            rows.append(self.export.to_dict())
        return rows


async def run_audit(
    backend: Backends,
    *,
    sizes: Sizes,
    batch_sizes: Sequence[int] = DEFAULT_BATCH_SIZES,
    only: Sequence[str] = (),
    skip_ingest: bool = False,
    skip_export: bool = False,
    progress: Progress,
) -> AuditReport:
    report = AuditReport()
    if not skip_ingest:
        report.ingest = await run_ingest(backend, sizes.events, batch_sizes, progress)
    key = Ed25519PrivateKey.generate()
    headers = {
        "admin": {"Authorization": f"Bearer {admin_token(key)}"},
        "head": {
            "Authorization": "Bearer "
            + access_token(key, subject="bench-head", role="branch_head", stores=[str(STORES[3])])
        },
    }
    async with service_database(backend.postgres_url, "audit") as url:
        progress(f"seeding {sizes.rows:,} log rows")
        report.seeded = await seed_log(url, sizes.rows, datetime.now(UTC).date(), progress)
        with tempfile.TemporaryDirectory(prefix="sf-bench-audit-") as directory:
            log_path = Path(directory) / "audit.log"
            async with serve_service(
                "audit", url, backend.nats_url, public_pem(key), log_path
            ) as base:
                progress("measuring the filtered lists")
                report.lists = await measure_lists(base, headers, report.seeded, sizes, only)
                if not skip_export:
                    pid = pid_listening_on(int(base.rsplit(":", 1)[1]))
                    if pid is None:
                        raise BenchmarkFailed("cannot find the audit process to measure its memory")
                    query = export_range(report.seeded, sizes.export_rows)
                    progress(f"exporting {query}")
                    report.export = await measure_export(base, headers["admin"], pid, query)
            report.service_errors = error_lines(log_path)
    return report
