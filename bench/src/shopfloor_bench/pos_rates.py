"""pos-rates: POS's add-item and complete rates alone, at rising concurrency, and past saturation.

The ``pos`` benchmark times whole checkouts at two registers; this one asks how many
``add-item`` and how many ``complete`` requests one POS process answers per second, each
on its own, and whether that rate holds when more clients ask than it can serve.

Same servers, same seed as ``pos`` (``pos.seed_pos``: one store, tax 8.75 %, ``--units``
units in POS's read-model), POS alone (``shopfloor-pos serve``: one uvicorn process; no
inventory, no gateway), ``max(--levels)`` registers each with a drawer opened by its own
cashier. For each concurrency ``c`` in ``--levels`` (1 2 4 8 16):

1. ``c`` clients (each its own register, drawer, cashier token and connection) create
   ``--carts`` carts each (not measured);
2. **add-item**: all at once, each client fills its carts, ``--cart-items`` units per
   cart, one ``POST …/add-item`` at a time: add-items answered / wall seconds;
3. **complete**: all at once, each client completes its carts in cash with an
   ``Idempotency-Key`` (the next multiple of 50 above the total): completes / wall seconds.

Every answer must be the expected status (200) or the run fails naming the step.
``--warmup`` unmeasured checkouts come first. For each kind the report gives the peak
rate, the saturation concurrency (the least ``c`` reaching 90 % of the peak) and the rate
at twice that concurrency (or the next level measured above it), with its ratio to the
peak: ``x1.00`` means no throughput is lost past saturation.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.pos import (
    DEFAULT_CART_ITEMS,
    DEFAULT_RANDOM_SEED,
    Progress,
    Till,
    Unit,
    UnitPool,
    _post,
    checkout,
    make_seed,
    open_tills,
    seed_pos,
    tender,
)
from shopfloor_bench.services import (
    error_lines,
    public_pem,
    serve_service,
    service_database,
    with_log_tail,
)
from shopfloor_bench.stats import LatencyStats

DEFAULT_LEVELS = (1, 2, 4, 8, 16)
DEFAULT_CARTS = 6  # per client and level
DEFAULT_WARMUP = 4  # unmeasured checkouts before the first level
SATURATED = 0.9  # a level at 90 % of the peak rate is saturated
KINDS = ("add-item", "complete")


@dataclass(frozen=True)
class RateSizes:
    levels: tuple[int, ...] = DEFAULT_LEVELS
    carts: int = DEFAULT_CARTS
    cart_items: int = DEFAULT_CART_ITEMS
    warmup: int = DEFAULT_WARMUP

    def __post_init__(self) -> None:
        if not self.levels or min(self.levels) < 1:
            raise ValueError("levels must be concurrencies of at least 1")
        if list(self.levels) != sorted(set(self.levels)):
            raise ValueError("levels must rise, each once (e.g. 1 2 4 8 16)")
        if min(self.carts, self.cart_items) < 1 or self.warmup < 0:
            raise ValueError("carts and cart items must be at least 1, warmup not negative")

    @property
    def needed(self) -> int:
        """Units the run sells (each once): the warm-up checkouts and every level's carts."""
        return (self.warmup + sum(self.levels) * self.carts) * self.cart_items


@dataclass(frozen=True)
class Phase:
    """One kind of request at one concurrency: how many, over how long, each one's seconds."""

    kind: str
    clients: int
    samples: list[float]
    elapsed_s: float

    @property
    def per_s(self) -> float:
        return len(self.samples) / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def to_dict(self) -> dict[str, object]:
        stats = LatencyStats.of(self.samples).scaled(1000)
        return {
            "scenario": f"pos rate · {self.kind} · {self.clients} clients",
            "clients": self.clients,
            "requests": len(self.samples),
            "elapsed_s": self.elapsed_s,
            "requests_per_s": self.per_s,
            "p50_ms": stats.p50,
            "p95_ms": stats.p95,
            "max_ms": stats.max,
        }


@dataclass(frozen=True)
class Saturation:
    """Where one kind's rate stops growing, and what is left of it at twice that load."""

    kind: str
    peak_per_s: float
    peak_clients: int
    saturation_clients: int
    beyond_clients: int | None  # 2 x saturation, or the next level above it
    beyond_per_s: float | None

    @property
    def beyond_vs_peak(self) -> float | None:
        if self.beyond_per_s is None or self.peak_per_s <= 0:
            return None
        return self.beyond_per_s / self.peak_per_s

    @classmethod
    def of(cls, kind: str, phases: Sequence[Phase]) -> Saturation:
        ordered = sorted(phases, key=lambda phase: phase.clients)
        peak = max(ordered, key=lambda phase: phase.per_s)
        saturated = next(p for p in ordered if p.per_s >= SATURATED * peak.per_s)
        beyond = next((p for p in ordered if p.clients >= 2 * saturated.clients), None)
        return cls(
            kind=kind,
            peak_per_s=peak.per_s,
            peak_clients=peak.clients,
            saturation_clients=saturated.clients,
            beyond_clients=None if beyond is None else beyond.clients,
            beyond_per_s=None if beyond is None else beyond.per_s,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": f"pos rate · {self.kind} · saturation",
            "peak_per_s": self.peak_per_s,
            "peak_clients": self.peak_clients,
            "saturation_clients": self.saturation_clients,
            "beyond_clients": self.beyond_clients,
            "beyond_per_s": self.beyond_per_s,
            "beyond_vs_peak": self.beyond_vs_peak,
        }

    def __str__(self) -> str:
        if self.beyond_per_s is None:
            past = "no level measured at twice the saturation (add a higher --levels)"
        else:
            past = (
                f"{self.beyond_per_s:.1f}/s at {self.beyond_clients} clients "
                f"(x{self.beyond_vs_peak:.2f} of the peak)"
            )
        return (
            f"{self.kind}: peak {self.peak_per_s:.1f}/s at {self.peak_clients} clients, "
            f"saturated from {self.saturation_clients}; past saturation {past}"
        )


@dataclass
class RateReport:
    sizes: RateSizes
    units: int
    phases: list[Phase] = field(default_factory=list)
    service_errors: list[str] = field(default_factory=list)
    database_urls: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Phase]:
        return [phase for phase in self.phases if phase.kind == kind]

    @property
    def saturation(self) -> list[Saturation]:
        return [Saturation.of(kind, self.of_kind(kind)) for kind in KINDS if self.of_kind(kind)]

    def rows(self) -> list[dict[str, object]]:
        return [phase.to_dict() for kind in KINDS for phase in self.of_kind(kind)]

    def json_rows(self) -> list[dict[str, object]]:
        return [*self.rows(), *(item.to_dict() for item in self.saturation)]


@dataclass
class _Cart:
    id: str
    units: list[Unit]
    total: Decimal = Decimal("0")


Work = Callable[[httpx.AsyncClient, list["_Cart"], list[float]], Coroutine[Any, Any, None]]


async def _timed_clients(
    base: str, tills: Sequence[Till], carts: Sequence[list[_Cart]], work: Work
) -> tuple[list[float], float]:
    """``work(client, carts, samples)`` for every till at once; (samples, wall seconds)."""
    clients = [
        httpx.AsyncClient(base_url=base, headers=till.headers, timeout=120.0, trust_env=False)
        for till in tills
    ]
    samples: list[float] = []
    try:
        started = time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for client, own in zip(clients, carts, strict=True):
                group.create_task(work(client, own, samples))
        elapsed = time.perf_counter() - started
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None
    finally:
        for client in clients:
            await client.aclose()
    return samples, elapsed


async def _fill(client: httpx.AsyncClient, carts: list[_Cart], samples: list[float]) -> None:
    for cart in carts:
        for unit in cart.units:
            answer, seconds = await _post(
                client,
                f"/api/pos/carts/{cart.id}/add-item",
                {"sku": unit.sku},
                200,
                f"add {unit.sku}",
            )
            samples.append(seconds)
            cart.total = Decimal(str(answer["total"]))


async def _complete(client: httpx.AsyncClient, carts: list[_Cart], samples: list[float]) -> None:
    for cart in carts:
        sale, seconds = await _post(
            client,
            f"/api/pos/carts/{cart.id}/complete",
            {"payment_method": "cash", "cash_tendered": f"{tender(cart.total):.2f}"},
            200,
            f"complete cart {cart.id}",
            {"Idempotency-Key": f"bench-rate-{cart.id}"},
        )
        if sale.get("status") != "completed":
            raise BenchmarkFailed(f"complete cart {cart.id}: unexpected sale {sale}")
        samples.append(seconds)


async def run_level(
    base: str, tills: Sequence[Till], pool: UnitPool, sizes: RateSizes, clients: int
) -> list[Phase]:
    """Carts for ``clients`` tills (unmeasured), then the add-item phase, then the completes."""
    mine = list(tills[:clients])
    carts: list[list[_Cart]] = []
    async with httpx.AsyncClient(base_url=base, timeout=120.0, trust_env=False) as client:
        for till in mine:
            own = []
            for _ in range(sizes.carts):
                cart, _seconds = await _post(
                    client,
                    "/api/pos/carts",
                    {"drawer_id": till.drawer_id},
                    201,
                    "create a cart",
                    till.headers,
                )
                own.append(_Cart(str(cart["id"]), pool.take(sizes.cart_items)))
            carts.append(own)
    added, add_s = await _timed_clients(base, mine, carts, _fill)
    completed, complete_s = await _timed_clients(base, mine, carts, _complete)
    return [
        Phase("add-item", clients, added, add_s),
        Phase("complete", clients, completed, complete_s),
    ]


async def run_pos_rates(
    backend: Backends,
    *,
    sizes: RateSizes | None = None,
    units: int | None = None,
    random_seed: int = DEFAULT_RANDOM_SEED,
    keep_database: bool = False,
    progress: Progress | None = None,
) -> RateReport:
    """Seed POS, serve it alone, warm up, then every level's add-item and complete phases."""
    say = progress or (lambda _message: None)
    sizes = sizes or RateSizes()
    units = units or sizes.needed
    if units < sizes.needed:
        raise ValueError(f"{units:,} units are too few: this run sells {sizes.needed:,}")
    key = Ed25519PrivateKey.generate()
    report = RateReport(sizes=sizes, units=units)
    async with service_database(backend.postgres_url, "pos", keep=keep_database) as pos_url:
        seeded = make_seed(units, random_seed)
        await seed_pos(pos_url, seeded)
        say(f"seeded one store and {units:,} units in POS's read-model")
        pool = UnitPool(seeded)
        with tempfile.TemporaryDirectory(prefix="sf-bench-pos-rates-") as directory:
            log = Path(directory, "pos.log")
            async with (
                with_log_tail("POS", log),
                serve_service("pos", pos_url, backend.nats_url, public_pem(key), log) as base,
            ):
                tills = await open_tills(base, key, seeded, max(sizes.levels))
                say(f"POS serving on {base}; {len(tills)} registers with a drawer open each")
                await _warm_up(base, tills[0], pool, sizes)
                for clients in sizes.levels:
                    say(f"{clients} clients: {sizes.carts} carts x {sizes.cart_items} items each")
                    report.phases += await run_level(base, tills, pool, sizes, clients)
            report.service_errors = [f"pos: {line}" for line in error_lines(log)]
        if keep_database:
            report.database_urls = [pos_url]
    return report


async def _warm_up(base: str, till: Till, pool: UnitPool, sizes: RateSizes) -> None:
    async with httpx.AsyncClient(
        base_url=base, headers=till.headers, timeout=120.0, trust_env=False
    ) as client:
        for _ in range(sizes.warmup):
            await checkout(client, till, pool.take(sizes.cart_items))
