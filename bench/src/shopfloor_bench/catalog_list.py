"""catalog-list: a public catalog list against the same catalog process's ``/healthz`` floor.

Issue 11's throughput target: an anonymous ``GET /api/products`` (and ``GET /api/stores``)
at ≥ 0.3 of the rate at which the same process answers ``/healthz`` (routing and
middleware only: no token, no database). The three loads run interleaved in ``--rounds``
rounds, the order rotating each round, so drift on a busy machine lands in all of them
alike; every round's figures and the pooled ratios are printed.

By default it starts what it measures (``catalog_service``): catalog's own database on
the event benchmarks' PostgreSQL (migrated by catalog's Alembic history), served as
``shopfloor-catalog serve`` runs it (uvicorn, one process, JSON logs), with a verification
key of the run's own. Before loading it seeds, through catalog's own API as a system
admin, a small taxonomy, ``--products`` products placed in it (with a brand) and
``--stores`` stores, so the product list answers a full first page with every placement
field filled. ``--direct-url`` measures a running catalog instead (``make up``, which must
already hold products and stores).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shopfloor_bench.auth_me import PlatformUnavailable
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.http import RequestSpec, Result, ensure_loopback, run_load
from shopfloor_bench.report import Ratio, ratio
from shopfloor_bench.services import checkout_pythonpath

DEFAULT_CONCURRENCY = 10
DEFAULT_REQUESTS = 1_000  # measured, per path and round
DEFAULT_ROUNDS = 5
DEFAULT_WARMUP = 100
DEFAULT_PRODUCTS = 50
DEFAULT_STORES = 10
HEALTH_PATH = "/healthz"
LISTS = {"products": "/api/products", "stores": "/api/stores"}
TARGET_FLOOR_RATIO = 0.3

Progress = Callable[[str], None]


def server_pid(base: str) -> int | None:
    """The pid of the process serving ``base`` (a ``serve --port N`` we started), if found."""
    port = base.rsplit(":", 1)[-1].encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in command and b"--port" in command and port in command:
            return int(entry.name)
    return None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time the process has used so far (Linux ``/proc/<pid>/stat``)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Round:
    """One round: the loads, measured one after the other in ``order``; ``cpu_ms``: the
    server's CPU milliseconds per request of each (None when its process is unknown)."""

    order: tuple[str, ...]
    results: dict[str, Result]
    cpu_ms: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self, number: int) -> dict[str, object]:
        healthz = self.results["healthz"].rps
        row: dict[str, object] = {"scenario": f"round {number}", "order": " → ".join(self.order)}
        for name, result in self.results.items():
            row[f"{name}_rps"] = result.rps
        for name in LISTS:
            row[f"{name}_vs_healthz"] = self.results[name].rps / healthz if healthz else None
        for name, cpu in self.cpu_ms.items():
            if cpu is not None:
                row[f"{name}_cpu_ms"] = cpu
        return row


def pooled(name: str, results: list[Result]) -> Result:
    """The rounds of one path as one row: counts and time summed (rps = all requests ÷ all
    time), latency percentiles the median of the rounds' percentiles."""
    count = sum(result.count for result in results)
    elapsed = sum(result.elapsed_s for result in results)
    statuses: dict[str, int] = {}
    for result in results:
        for status, seen in result.statuses.items():
            statuses[status] = statuses.get(status, 0) + seen
    return Result(
        name=name,
        count=count,
        errors=sum(result.errors for result in results),
        elapsed_s=elapsed,
        rps=count / elapsed if elapsed else 0.0,
        p50_ms=statistics.median(result.p50_ms for result in results),
        p95_ms=statistics.median(result.p95_ms for result in results),
        p99_ms=statistics.median(result.p99_ms for result in results),
        max_ms=max(result.max_ms for result in results),
        mean_ms=statistics.fmean(result.mean_ms for result in results),
        statuses=dict(sorted(statuses.items())),
    )


@dataclass(frozen=True)
class CatalogListResult:
    rounds: list[Round]
    healthz: Result
    lists: dict[str, Result]
    floors: dict[str, Ratio]  # list ÷ healthz, same process

    def cpu_ms(self, name: str) -> float | None:
        """The server's CPU ms per request of ``name`` over every round (None if unknown)."""
        values = [item.cpu_ms.get(name) for item in self.rounds]
        known = [value for value in values if value is not None]
        return statistics.fmean(known) if known and len(known) == len(values) else None

    def cpu_lines(self) -> list[str]:
        """healthz CPU ÷ list CPU per request: the rate ratio a CPU-bound server would reach,
        which a machine busy with other work skews far less than the measured rates."""
        healthz = self.cpu_ms("healthz")
        lines = []
        for name, path in LISTS.items():
            cost = self.cpu_ms(name)
            if healthz is None or not cost:
                continue
            lines.append(
                f"server CPU per request: /healthz {healthz:.2f} ms, {path} {cost:.2f} ms "
                f"(x{healthz / cost:.2f} of the floor by CPU)"
            )
        return lines

    def meets_target(self, name: str) -> bool:
        rps = self.floors[name].rps
        return rps is not None and rps >= TARGET_FLOOR_RATIO

    def verdicts(self) -> list[str]:
        lines = []
        for name, floor in self.floors.items():
            shown = f"x{floor.rps:.2f}" if floor.rps is not None else "n/a"
            mark = "meets" if self.meets_target(name) else "MISSES"
            lines.append(
                f"GET {LISTS[name]} (anonymous) at {shown} of the same process's /healthz "
                f"rate: {mark} the target x{TARGET_FLOOR_RATIO:.1f}"
            )
        return lines

    def rows(self) -> list[dict[str, object]]:
        return [self.healthz.to_dict(), *(result.to_dict() for result in self.lists.values())]


async def check_lists(base: str) -> None:
    """``/healthz`` and every list answer 200, and the lists are not empty (anonymous)."""
    async with httpx.AsyncClient(timeout=10.0, trust_env=False) as client:
        for path in (HEALTH_PATH, *LISTS.values()):
            try:
                response = await client.get(f"{base}{path}")
            except httpx.TransportError as exc:
                raise PlatformUnavailable(
                    f"catalog does not answer at {base} ({type(exc).__name__})"
                ) from exc
            if response.status_code != 200:
                raise BenchmarkFailed(
                    f"GET {path} answered {response.status_code}: {response.text[:200]}"
                )
            if path != HEALTH_PATH and not response.json().get("results"):
                raise BenchmarkFailed(f"GET {path} listed nothing: seed products and stores")


async def run_catalog_list(
    base: str,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    requests: int = DEFAULT_REQUESTS,
    rounds: int = DEFAULT_ROUNDS,
    warmup: int = DEFAULT_WARMUP,
    rotation: int = 0,
) -> CatalogListResult:
    """Interleave ``/healthz`` and each public list on ``base`` for ``rounds`` rounds
    (the first round's order shifted by ``rotation``)."""
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    ensure_loopback(base)
    await check_lists(base)
    specs = {"healthz": RequestSpec("GET", f"{base}{HEALTH_PATH}")}
    specs.update({name: RequestSpec("GET", f"{base}{path}") for name, path in LISTS.items()})
    names = tuple(specs)
    pid = server_pid(base)
    measured: list[Round] = []
    for number in range(rounds):
        shift = (number + rotation) % len(names)
        order = names[shift:] + names[:shift]
        results: dict[str, Result] = {}
        cpu: dict[str, float | None] = {}
        for name in order:
            warm = warmup if number == 0 else concurrency
            if warm:
                await run_load([specs[name]], name=name, concurrency=concurrency, count=warm)
            before = cpu_seconds(pid)
            results[name] = await run_load(
                [specs[name]],
                name=name,
                concurrency=concurrency,
                count=requests,
                timeout=30.0,
            )
            after = cpu_seconds(pid)
            cpu[name] = (
                (after - before) * 1000 / requests
                if before is not None and after is not None
                else None
            )
            if results[name].errors:
                raise BenchmarkFailed(
                    f"{name}: {results[name].errors} failed requests {dict(results[name].statuses)}"
                )
        measured.append(Round(order, {name: results[name] for name in names}, cpu))
    return summarize(measured)


def summarize(measured: list[Round]) -> CatalogListResult:
    """The rounds pooled per path, and each list ÷ healthz."""
    healthz = pooled("GET /healthz", [item.results["healthz"] for item in measured])
    lists = {
        name: pooled(f"GET {path} (anonymous)", [item.results[name] for item in measured])
        for name, path in LISTS.items()
    }
    floors = {
        name: ratio(result, healthz, f"{LISTS[name]} vs /healthz (same process)")
        for name, result in lists.items()
    }
    return CatalogListResult(measured, healthz, lists, floors)


async def run_catalog_ab(
    this: str,
    other: str,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    requests: int = DEFAULT_REQUESTS,
    rounds: int = DEFAULT_ROUNDS,
    warmup: int = DEFAULT_WARMUP,
) -> tuple[CatalogListResult, CatalogListResult]:
    """Two catalogs' loads interleaved: each round runs the three loads on one, then on the
    other (which goes first alternates; the loads' order rotates), so drift on a busy
    machine lands on both alike. Each side's result as ``run_catalog_list``'s."""
    sides: dict[str, list[Round]] = {this: [], other: []}
    for number in range(rounds):
        order = (this, other) if number % 2 == 0 else (other, this)
        for base in order:
            result = await run_catalog_list(
                base,
                concurrency=concurrency,
                requests=requests,
                rounds=1,
                warmup=warmup if number == 0 else concurrency,
                rotation=number,
            )
            sides[base] += result.rounds
    return summarize(sides[this]), summarize(sides[other])


def ab_rows(this: CatalogListResult, other: CatalogListResult) -> list[dict[str, object]]:
    """this ÷ against per path: requests/s, and CPU per request against ÷ this (both
    above 1 when this serves faster), with each side's list ÷ healthz by CPU."""
    rows: list[dict[str, object]] = []
    for name in ("healthz", *LISTS):
        mine = this.healthz if name == "healthz" else this.lists[name]
        theirs = other.healthz if name == "healthz" else other.lists[name]
        mine_cpu, their_cpu = this.cpu_ms(name), other.cpu_ms(name)
        row: dict[str, object] = {
            "scenario": f"{HEALTH_PATH if name == 'healthz' else LISTS[name]} this ÷ against",
            "rps_ratio": round(mine.rps / theirs.rps, 3) if theirs.rps else None,
            "this_cpu_ms": None if mine_cpu is None else round(mine_cpu, 3),
            "against_cpu_ms": None if their_cpu is None else round(their_cpu, 3),
            "per_cpu_ratio": round(their_cpu / mine_cpu, 3) if mine_cpu and their_cpu else None,
        }
        if name != "healthz":
            row["this_vs_healthz_rps"] = this.floors[name].rps
            row["against_vs_healthz_rps"] = other.floors[name].rps
        rows.append(row)
    return rows


# ------------------------------------------------------------------ catalog, started for the run


async def seed_through_api(
    base: str, token: str, *, products: int = DEFAULT_PRODUCTS, stores: int = DEFAULT_STORES
) -> None:
    """A department → category → subcategory, a brand, ``products`` products and ``stores``
    stores, created as a system admin through catalog's API (each answer must be 201)."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30.0) as client:

        async def create(path: str, body: dict[str, object]) -> dict[str, object]:
            response = await client.post(path, json=body)
            if response.status_code != 201:
                raise BenchmarkFailed(
                    f"seeding: POST {path} answered {response.status_code}: {response.text[:200]}"
                )
            created: dict[str, object] = response.json()
            return created

        department = await create("/api/departments", {"name": "Bench Phones"})
        category = await create(
            "/api/categories", {"name": "Bench Smartphones", "department": department["slug"]}
        )
        subcategory = await create(
            "/api/subcategories", {"name": "Bench Refurbished", "category": category["slug"]}
        )
        brand = await create("/api/brands", {"name": "Bench Brand"})
        for number in range(products):
            await create(
                "/api/products",
                {
                    "name": f"Bench phone {number}",
                    "description": "A refurbished handset, grade A, twelve months' warranty.",
                    "brand": brand["id"],
                    "subcategory": subcategory["slug"],
                    "base_price": f"{100 + number}.50",
                    "attributes": {"warranty_months": 12},
                    "images": [f"https://cdn.example/bench-{number}.jpg"],
                },
            )
        for number in range(stores):
            await create(
                "/api/stores",
                {
                    "code": f"BENCH-{number:02d}",
                    "name": f"Bench store {number}",
                    "address": f"{number} Bench Street",
                    "time_zone": "Europe/Paris",
                    "latitude": "48.856600",
                    "longitude": "2.352200",
                },
            )


@contextlib.asynccontextmanager
async def catalog_service(
    postgres_url: str,
    nats_url: str,
    *,
    products: int = DEFAULT_PRODUCTS,
    stores: int = DEFAULT_STORES,
    progress: Progress | None = None,
    checkout: Path | None = None,
) -> AsyncIterator[str]:
    """catalog on a database of its own, served and seeded for one run; its base URL.

    ``checkout``: another checkout's catalog instead, its ``services/catalog/src`` and
    ``libs/common/src`` (when it has them) first on ``PYTHONPATH``, migrated by its own
    history."""
    from shopfloor_bench.pos_rates import other_database, serve_other
    from shopfloor_bench.services import (
        admin_token,
        public_pem,
        serve_service,
        service_database,
        with_log_tail,
    )

    say = progress or (lambda _message: None)
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory(prefix="sf-bench-catalog-") as scratch:
        log_path = Path(scratch) / "catalog.log"
        async with contextlib.AsyncExitStack() as stack:
            if checkout is None:
                database_url = await stack.enter_async_context(
                    service_database(postgres_url, "catalog")
                )
                base = await stack.enter_async_context(
                    serve_service("catalog", database_url, nats_url, public_pem(key), log_path)
                )
            else:
                path, migrations = other_catalog(checkout)
                database_url = await stack.enter_async_context(
                    other_database(postgres_url, path, migrations, package="catalog")
                )
                base = await stack.enter_async_context(
                    serve_other(
                        path, database_url, nats_url, public_pem(key), log_path, package="catalog"
                    )
                )
            await stack.enter_async_context(with_log_tail("catalog", log_path))
            side = "" if checkout is None else f" ({checkout})"
            say(f"catalog{side} at {base}; seeding {products} products and {stores} stores (API)")
            await seed_through_api(base, admin_token(key), products=products, stores=stores)
            yield base


def other_catalog(checkout: Path) -> tuple[str, Path]:
    """(``PYTHONPATH``, migrations) of another checkout's catalog."""
    service = checkout / "services" / "catalog"
    if not (service / "src" / "catalog" / "cli.py").is_file():
        raise PlatformUnavailable(f"{checkout} is not a Shopfloor checkout with services/catalog")
    return checkout_pythonpath(checkout, service / "src"), service / "migrations"
