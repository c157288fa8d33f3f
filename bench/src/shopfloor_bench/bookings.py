"""bookings: the public booking through the gateway (captcha verified), and the admin's list of
``--bookings`` (100k) bookings filtered by status and date.

Runs on the event benchmarks' servers (``engines.backends()``). Bookings gets a database of its
own, migrated by its Alembic history, and is served as in production (``shopfloor-bookings
serve``: uvicorn, one process) with throttles raised out of the way (the benchmark is one
client address) and the default ALTCHA settings; Caddy is the gateway, as ``make up`` renders
it. The NATS must not hold the ``BOOKINGS`` stream (or those it consumes) yet.

Seed (SQL COPY, the same rows for the same ``--random-seed``): one store (UTC, no hours) and
``--bookings`` bookings spread over 365 days, statuses drawn evenly from the seven.

1. **Create.** One client, one booking at a time: ``GET /api/bookings/captcha`` (timed), the
   challenge solved here as the widget would (not timed: the customer's browser does it),
   ``POST /api/bookings`` (timed: the throttles, the ALTCHA verification and its spent mark,
   the slot rules, the booking, its history, its event and its skipped notification, all in
   one commit). ``--warmup`` unmeasured first. Each answer must be a 201.
2. **List.** ``GET /api/bookings?status=…&date_from=…&date_to=…`` (a random status and a
   random 30-day window, 20 a page) with a system admin's token, ``--lists`` times, each
   straight to the service and then through the gateway; p50/p95 and the gateway/direct ratio. Each answer must
   be a 200 whose count matches the seed.
"""

from __future__ import annotations

import base64
import json
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
from altcha.v1 import solve_challenge
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common.testing.engines import free_port
from shopfloor_bench.catalog import copy_rows
from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.pos import own_streams
from shopfloor_bench.services import (
    admin_token,
    error_lines,
    libpq,
    public_pem,
    serve_gateway,
    serve_process,
    service_database,
    service_environment,
    with_log_tail,
)
from shopfloor_bench.stats import LatencyStats

DEFAULT_BOOKINGS = 100_000
DEFAULT_CREATES = 200
DEFAULT_LISTS = 200
DEFAULT_WARMUP = 10
DEFAULT_RANDOM_SEED = 20_241_201
STATUSES = ("pending", "approved", "rejected", "cancelled", "in_progress", "completed", "paid")
WINDOW_DAYS = 30
SPREAD_DAYS = 365
STORE_ID = uuid.UUID("0000b00c-0000-4000-8000-000000000001")
SERVICE_STREAMS = ("bookings", "catalog", "auth", "invoicing")
UNTHROTTLED = {
    f"{scope}_RATE_PER_{key}": "1000000/hour"
    for scope in ("BOOKING", "CONTACT", "SCHEDULE_CALL")
    for key in ("IP", "SENDER")
}
COLUMNS = (
    "id", "status", "name", "email", "email_key", "phone", "store_id", "slot_date", "slot_time",
    "time_zone", "starts_at", "brand", "product", "notes", "quoted_amount", "currency",
)  # fmt: skip


@dataclass
class Seed:
    first_day: date
    by_status_day: dict[tuple[str, date], int] = field(default_factory=dict)

    def count(self, status: str, first: date, last: date) -> int:
        return sum(
            self.by_status_day.get((status, first + timedelta(days=offset)), 0)
            for offset in range((last - first).days + 1)
        )


def seed_rows(bookings: int, random_seed: int) -> tuple[Seed, list[tuple[Any, ...]]]:
    generator = random.Random(random_seed)
    first_day = datetime.now(UTC).date() + timedelta(days=1)
    seed = Seed(first_day)
    rows = []
    for index in range(bookings):
        status = STATUSES[index % len(STATUSES)]
        day = first_day + timedelta(days=generator.randrange(SPREAD_DAYS))
        at = clock(9 + generator.randrange(9), generator.choice((0, 30)))
        seed.by_status_day[(status, day)] = seed.by_status_day.get((status, day), 0) + 1
        email = f"bench{index}@example.com"
        rows.append(
            (
                uuid.UUID(int=generator.getrandbits(128) | (4 << 76)),
                status,
                f"Customer {index}",
                email,
                email,
                None,
                STORE_ID,
                day,
                at,
                "UTC",
                datetime.combine(day, at, tzinfo=UTC),
                "Apple",
                "iPhone",
                "",
                Decimal("129.00"),
                "USD",
            )
        )
    return seed, rows


async def seed_database(database_url: str, bookings: int, random_seed: int) -> Seed:
    seed, rows = seed_rows(bookings, random_seed)
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as connection:
        async with connection.cursor() as cursor:
            await cursor.execute(
                "INSERT INTO stores (id, code, name, time_zone, is_active, synced_at) "
                "VALUES (%s, 'BENCH-1', 'Bench repairs', 'UTC', true, now())",
                (STORE_ID,),
            )
            await copy_rows(cursor, "bookings", COLUMNS, rows)
        await connection.commit()
        await connection.set_autocommit(True)
        await connection.execute("VACUUM ANALYZE bookings")
    return seed


def solved(challenge: dict[str, Any]) -> str:
    found = solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    if found is None:
        raise BenchmarkFailed("an ALTCHA challenge had no solution below its maxnumber")
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": found.number}).encode()).decode()


@dataclass
class Timed:
    name: str
    samples_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def row(self) -> dict[str, object]:
        stats = LatencyStats.of(self.samples_ms)
        return {
            "scenario": self.name,
            **{
                key: round(value, 2) if isinstance(value, float) else value
                for key, value in stats.as_ms_dict().items()
            },
        }


async def run_creates(gateway: str, creates: int, warmup: int) -> tuple[Timed, Timed]:
    challenge_times, create_times = (
        Timed("captcha challenge (gateway)"),
        Timed("booking create (gateway)"),
    )
    day = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    async with httpx.AsyncClient(base_url=gateway, timeout=30, trust_env=False) as client:
        for index in range(warmup + creates):
            started = time.perf_counter()
            challenge = await client.get("/api/bookings/captcha")
            fetched = (time.perf_counter() - started) * 1000
            token = solved(challenge.json())
            body = {
                "name": f"Bench {index}",
                "email": f"create{index}@example.com",
                "date": day,
                "time": "10:00",
                "captcha_token": token,
                "details": {"issues": [], "brand": "Apple", "product": "iPhone"},
                "responses": [],
                "store": str(STORE_ID),
            }
            started = time.perf_counter()
            response = await client.post("/api/bookings", json=body)
            took = (time.perf_counter() - started) * 1000
            if response.status_code != 201:
                raise BenchmarkFailed(
                    f"booking {index} answered {response.status_code}: {response.text[:300]}"
                )
            if index >= warmup:
                challenge_times.samples_ms.append(fetched)
                create_times.samples_ms.append(took)
    return challenge_times, create_times


async def run_lists(
    direct: str, gateway: str, token: str, seed: Seed, lists: int, random_seed: int
) -> tuple[Timed, Timed]:
    """Each list straight to the service, then the same through the gateway (interleaved, so
    neither path gets the warmer cache)."""
    generator = random.Random(random_seed)
    timings = (Timed("list by status+date (direct)"), Timed("list by status+date (gateway)"))
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx.AsyncClient(
            base_url=direct, timeout=30, trust_env=False, headers=headers
        ) as straight,
        httpx.AsyncClient(
            base_url=gateway, timeout=30, trust_env=False, headers=headers
        ) as proxied,
    ):
        for _ in range(lists):
            status = generator.choice(STATUSES)
            first = seed.first_day + timedelta(days=generator.randrange(SPREAD_DAYS - WINDOW_DAYS))
            last = first + timedelta(days=WINDOW_DAYS - 1)
            params = {"status": status, "date_from": first.isoformat(), "date_to": last.isoformat()}
            expected = seed.count(status, first, last)
            for client, timed in zip((straight, proxied), timings, strict=True):
                started = time.perf_counter()
                response = await client.get("/api/bookings", params=params)
                timed.samples_ms.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise BenchmarkFailed(
                        f"list answered {response.status_code}: {response.text[:300]}"
                    )
                if response.json()["count"] != expected:
                    raise BenchmarkFailed(
                        f"list {params} counted {response.json()['count']}, seeded {expected}"
                    )
    return timings


@dataclass
class BookingsReport:
    bookings: int
    seed_seconds: float
    timings: list[Timed]
    service_errors: list[str]

    def rows(self) -> list[dict[str, object]]:
        return [timed.row() for timed in self.timings]

    def gateway_ratio(self) -> dict[str, object]:
        """The filtered list through the gateway / straight to the service (p50, p95)."""
        direct, gateway = (LatencyStats.of(t.samples_ms) for t in self.timings[2:4])
        return {
            "scenario": "list: gateway / direct",
            "p50": round(gateway.p50 / direct.p50, 2) if direct.p50 else None,
            "p95": round(gateway.p95 / direct.p95, 2) if direct.p95 else None,
        }


async def run_bookings(
    backend: Backends,
    *,
    bookings: int = DEFAULT_BOOKINGS,
    creates: int = DEFAULT_CREATES,
    lists: int = DEFAULT_LISTS,
    warmup: int = DEFAULT_WARMUP,
    random_seed: int = DEFAULT_RANDOM_SEED,
    progress: Any = None,
) -> BookingsReport:
    say = progress or (lambda _message: None)
    key = Ed25519PrivateKey.generate()
    pem = public_pem(key)
    async with (
        own_streams(backend.nats_url, SERVICE_STREAMS),
        service_database(backend.postgres_url, "bookings") as url,
    ):
        started = time.perf_counter()
        seed = await seed_database(url, bookings, random_seed)
        seeded = time.perf_counter() - started
        say(f"seeded {bookings:,} bookings in {seeded:.1f} s")
        with tempfile.TemporaryDirectory(prefix="sf-bench-bookings-") as directory:
            log = Path(directory, "bookings.log")
            port = free_port()
            direct = f"http://127.0.0.1:{port}"
            env = {**service_environment(url, backend.nats_url, pem), **UNTHROTTLED}
            command = [
                sys.executable, "-c", "from bookings.cli import app; app()",
                "serve", "--host", "127.0.0.1", "--port", str(port),
            ]  # fmt: skip
            async with (
                with_log_tail("bookings", log),
                serve_process("bookings", command, env, log, f"{direct}/readyz"),
                serve_gateway(
                    {"bookings": direct.removeprefix("http://")}, Path(directory)
                ) as gateway,
            ):
                say(f"bookings on {direct}, the gateway on {gateway}: {warmup} + {creates} creates")
                challenge, create = await run_creates(gateway, creates, warmup)
                say(f"{lists} filtered lists, direct then through the gateway")
                token = admin_token(key)
                straight, proxied = await run_lists(
                    direct, gateway, token, seed, lists, random_seed
                )
            errors = error_lines(log)
    return BookingsReport(
        bookings=bookings,
        seed_seconds=seeded,
        timings=[challenge, create, straight, proxied],
        service_errors=errors,
    )
