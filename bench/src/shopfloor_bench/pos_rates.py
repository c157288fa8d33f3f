"""pos-rates: POS's add-item and complete rates alone, at rising concurrency, and past saturation.

The ``pos`` benchmark times whole checkouts at two registers; this one asks how many
``add-item`` and how many ``complete`` requests one POS process answers per second, each
on its own, and whether that rate holds when more clients ask than it can serve.

Same servers, same seed as ``pos`` (``pos.seed_pos``: one store, tax 8.75 %, the units in
POS's read-model), POS alone (``shopfloor-pos serve``: one uvicorn process; no inventory,
no gateway), ``max(--level)`` registers each with a drawer opened by its own cashier. For
each concurrency ``c`` in ``--level`` (1 2 4 8 16):

1. ``c`` clients (each its own register, drawer, cashier token and connection) create
   ``--carts`` carts each (not measured);
2. **add-item**: all at once, each client fills its carts, ``--cart-items`` units per
   cart, one ``POST …/add-item`` at a time: add-items answered / wall seconds;
3. **complete**: all at once, each client completes its carts in cash with an
   ``Idempotency-Key`` (the next multiple of 50 above the total): completes / wall seconds.

Every answer must be the expected status (200) or the run fails naming the step. Beside
the rate (requests per wall second, which other load on the machine lowers) each phase
reports ``per_pos_cpu_s``: requests per CPU-second the POS process itself spent (from
``/proc``), the rate one core would give. For each kind the report gives the peak rate, the
saturation concurrency (the least ``c`` reaching 90 % of the peak) and the rate at twice that
concurrency (or the next level measured above it), with its ratio to the peak: ``x1.00``
means no throughput is lost past saturation.

``--against CHECKOUT`` serves a second POS from another checkout of the repository (its
``services/pos``: code and migrations, its own database) beside this one and interleaves
them phase by phase, alternating which goes first, so drift on a shared machine lands on
both: the ratios ``this ÷ against`` are the A/B result.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from common.testing.engines import free_port
from shopfloor_bench.auth_me import PlatformUnavailable
from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.pos import (
    DEFAULT_CART_ITEMS,
    DEFAULT_RANDOM_SEED,
    Progress,
    Seeded,
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
    checkout_pythonpath,
    error_lines,
    libpq,
    public_pem,
    serve_process,
    serve_service,
    service_database,
    service_environment,
    with_log_tail,
)
from shopfloor_bench.stats import LatencyStats

DEFAULT_LEVELS = (1, 2, 4, 8, 16)
DEFAULT_CARTS = 6  # per client and level
DEFAULT_WARMUP = 4  # unmeasured checkouts before the first level
SATURATED = 0.9  # a level at 90 % of the peak rate is saturated
KINDS = ("add-item", "complete")
THIS, AGAINST = "this", "against"


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
        """Units one POS sells (each once): the warm-up checkouts and every level's carts."""
        return (self.warmup + sum(self.levels) * self.carts) * self.cart_items


# ------------------------------------------------------------------ the POS process's CPU


def service_pid(marker: str) -> int | None:
    """The pid of this process's child whose command line holds ``marker`` (Linux /proc)."""
    mine = os.getpid()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as command:
                line = command.read().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue
        if parent == mine and marker in line:
            return int(entry)
    return None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds the process has used so far (None when unknown)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ results


@dataclass(frozen=True)
class Phase:
    """One kind of request at one concurrency on one POS: how many, over how long, each
    one's seconds, and the CPU seconds the POS process spent meanwhile (None: unknown)."""

    kind: str
    clients: int
    samples: list[float]
    elapsed_s: float
    cpu_s: float | None = None
    side: str = THIS

    @property
    def per_s(self) -> float:
        return len(self.samples) / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def per_cpu_s(self) -> float | None:
        if not self.cpu_s:
            return None
        return len(self.samples) / self.cpu_s

    def to_dict(self, *, with_side: bool = False) -> dict[str, object]:
        stats = LatencyStats.of(self.samples).scaled(1000)
        where = f"{self.side} · " if with_side else ""
        return {
            "scenario": f"pos rate · {where}{self.kind} · {self.clients} clients",
            "clients": self.clients,
            "requests": len(self.samples),
            "elapsed_s": self.elapsed_s,
            "requests_per_s": self.per_s,
            "pos_cpu_s": self.cpu_s,
            "per_pos_cpu_s": self.per_cpu_s,
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
    side: str = THIS

    @property
    def beyond_vs_peak(self) -> float | None:
        if self.beyond_per_s is None or self.peak_per_s <= 0:
            return None
        return self.beyond_per_s / self.peak_per_s

    @classmethod
    def of(cls, kind: str, phases: Sequence[Phase], side: str = THIS) -> Saturation:
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
            side=side,
        )

    def to_dict(self, *, with_side: bool = False) -> dict[str, object]:
        where = f"{self.side} · " if with_side else ""
        return {
            "scenario": f"pos rate · {where}{self.kind} · saturation",
            "peak_per_s": self.peak_per_s,
            "peak_clients": self.peak_clients,
            "saturation_clients": self.saturation_clients,
            "beyond_clients": self.beyond_clients,
            "beyond_per_s": self.beyond_per_s,
            "beyond_vs_peak": self.beyond_vs_peak,
        }

    def __str__(self) -> str:
        if self.beyond_per_s is None:
            past = "no level measured at twice the saturation (add a higher --level)"
        else:
            past = (
                f"{self.beyond_per_s:.1f}/s at {self.beyond_clients} clients "
                f"(x{self.beyond_vs_peak:.2f} of the peak)"
            )
        return (
            f"{self.side}: {self.kind}: peak {self.peak_per_s:.1f}/s at {self.peak_clients} "
            f"clients, saturated from {self.saturation_clients}; past saturation {past}"
        )


@dataclass(frozen=True)
class Comparison:
    """This POS against the other, for one kind of request."""

    kind: str
    peak_ratio: float | None  # this peak ÷ against peak
    per_cpu_ratio: float | None  # median over the levels of this per-CPU ÷ against per-CPU
    beyond_ratio: float | None  # this rate ÷ against rate, each at its own 2 x saturation

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": f"pos rate · {self.kind} · this ÷ against",
            "peak_ratio": self.peak_ratio,
            "per_cpu_ratio": self.per_cpu_ratio,
            "beyond_saturation_ratio": self.beyond_ratio,
        }

    def __str__(self) -> str:
        def shown(value: float | None) -> str:
            return "n/a" if value is None else f"x{value:.2f}"

        return (
            f"{self.kind}, this ÷ against: peak rate {shown(self.peak_ratio)}, requests per "
            f"POS CPU-second {shown(self.per_cpu_ratio)} (median over the levels), rate at "
            f"twice saturation {shown(self.beyond_ratio)}"
        )


def _ratio(top: float | None, bottom: float | None) -> float | None:
    if top is None or bottom is None or bottom <= 0:
        return None
    return top / bottom


@dataclass
class RateReport:
    sizes: RateSizes
    units: int
    phases: list[Phase] = field(default_factory=list)
    compared: bool = False  # a second POS ran (--against)
    service_errors: list[str] = field(default_factory=list)
    database_urls: list[str] = field(default_factory=list)

    def of(self, kind: str, side: str = THIS) -> list[Phase]:
        return [phase for phase in self.phases if phase.kind == kind and phase.side == side]

    @property
    def sides(self) -> tuple[str, ...]:
        return (THIS, AGAINST) if self.compared else (THIS,)

    @property
    def saturation(self) -> list[Saturation]:
        return [
            Saturation.of(kind, self.of(kind, side), side)
            for side in self.sides
            for kind in KINDS
            if self.of(kind, side)
        ]

    @property
    def comparisons(self) -> list[Comparison]:
        if not self.compared:
            return []
        found = []
        for kind in KINDS:
            mine, theirs = self.of(kind, THIS), self.of(kind, AGAINST)
            if not mine or not theirs:
                continue
            by_level = {phase.clients: phase for phase in theirs}
            ratios = [
                ratio
                for phase in mine
                if phase.clients in by_level
                and (ratio := _ratio(phase.per_cpu_s, by_level[phase.clients].per_cpu_s))
                is not None
            ]
            this, that = Saturation.of(kind, mine, THIS), Saturation.of(kind, theirs, AGAINST)
            found.append(
                Comparison(
                    kind=kind,
                    peak_ratio=_ratio(this.peak_per_s, that.peak_per_s),
                    per_cpu_ratio=statistics.median(ratios) if ratios else None,
                    beyond_ratio=_ratio(this.beyond_per_s, that.beyond_per_s),
                )
            )
        return found

    def rows(self) -> list[dict[str, object]]:
        return [
            phase.to_dict(with_side=self.compared)
            for side in self.sides
            for kind in KINDS
            for phase in self.of(kind, side)
        ]

    def json_rows(self) -> list[dict[str, object]]:
        return [
            *self.rows(),
            *(item.to_dict(with_side=self.compared) for item in self.saturation),
            *(item.to_dict() for item in self.comparisons),
        ]


# ------------------------------------------------------------------ driving one POS


@dataclass
class _Cart:
    id: str
    units: list[Unit]
    total: Decimal = Decimal("0")


@dataclass(frozen=True)
class Pos:
    """One served POS: its name in the report, URL, process, registers and units."""

    side: str
    base: str
    pid: int | None
    tills: list[Till]
    pool: UnitPool


Work = Callable[[httpx.AsyncClient, list[_Cart], list[float]], Coroutine[Any, Any, None]]


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


async def new_carts(pos: Pos, sizes: RateSizes, clients: int) -> list[list[_Cart]]:
    """``sizes.carts`` carts on each of the first ``clients`` drawers (not measured)."""
    carts: list[list[_Cart]] = []
    async with httpx.AsyncClient(base_url=pos.base, timeout=120.0, trust_env=False) as client:
        for till in pos.tills[:clients]:
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
                own.append(_Cart(str(cart["id"]), pos.pool.take(sizes.cart_items)))
            carts.append(own)
    return carts


async def run_phase(pos: Pos, kind: str, carts: list[list[_Cart]]) -> Phase:
    """Every client at once: fill its carts (add-item) or complete them."""
    work = _fill if kind == "add-item" else _complete
    before = cpu_seconds(pos.pid)
    samples, elapsed = await _timed_clients(pos.base, pos.tills[: len(carts)], carts, work)
    after = cpu_seconds(pos.pid)
    used = None if before is None or after is None else after - before
    return Phase(kind, len(carts), samples, elapsed, used, pos.side)


async def run_level(
    serving: Sequence[Pos], sizes: RateSizes, clients: int, *, first: int = 0
) -> list[Phase]:
    """Carts on every POS, then the add-item phase on each, then the completes on each;
    POS number ``first`` goes first in both."""
    order = [*serving[first:], *serving[:first]]
    carts = {pos.side: await new_carts(pos, sizes, clients) for pos in order}
    phases = []
    for kind in KINDS:
        for pos in order:
            phases.append(await run_phase(pos, kind, carts[pos.side]))
    return phases


async def _warm_up(pos: Pos, sizes: RateSizes) -> None:
    till = pos.tills[0]
    async with httpx.AsyncClient(
        base_url=pos.base, headers=till.headers, timeout=120.0, trust_env=False
    ) as client:
        for _ in range(sizes.warmup):
            await checkout(client, till, pos.pool.take(sizes.cart_items))


# ------------------------------------------------------------------ the other checkout


def _checkout_of(path: Path) -> tuple[str, Path]:
    """(``PYTHONPATH``, ``services/pos/migrations``) of a repository checkout: its
    ``services/pos/src``, then its ``libs/common/src`` when it has one (so a change to
    common is measured too), else this checkout's common."""
    service = path / "services" / "pos"
    source, migrations = service / "src", service / "migrations"
    if not (source / "pos" / "cli.py").is_file() or not migrations.is_dir():
        raise PlatformUnavailable(f"{path} is not a Shopfloor checkout with services/pos")
    return checkout_pythonpath(path, source), migrations


@contextlib.asynccontextmanager
async def other_database(
    server_url: str,
    source: Path | str,
    migrations: Path,
    *,
    keep: bool = False,
    package: str = "pos",
) -> AsyncIterator[str]:
    """A database migrated by the other checkout's own history (in a process importing
    that checkout's ``package`` from ``source``, a ``PYTHONPATH``, as its Alembic
    environment does); dropped unless ``keep``."""
    name = f"bench_{package}_against_{uuid.uuid4().hex[:8]}"
    admin = libpq(server_url)
    async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
        await connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = f"{server_url.rpartition('/')[0]}/{name}"
    try:
        migrate = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from common.migrations import upgrade_head;"
            " upgrade_head(Path(sys.argv[1]), sys.argv[2])",
            str(migrations),
            url,
            env={**os.environ, "PYTHONPATH": str(source)},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, errors = await migrate.communicate()
        if migrate.returncode:
            raise PlatformUnavailable(f"migrating {migrations} failed:\n{errors.decode()[-2000:]}")
        yield url
    finally:
        if not keep:
            async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
                await connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@contextlib.asynccontextmanager
async def serve_other(
    source: Path | str,
    database_url: str,
    nats_url: str,
    public_key: str,
    log_path: Path,
    *,
    package: str = "pos",
) -> AsyncIterator[str]:
    """The other checkout's ``package`` (from ``source``, a ``PYTHONPATH``) served like
    ``serve_service`` serves this one."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-c",
        f"from {package}.cli import app; app()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    env = {**service_environment(database_url, nats_url, public_key), "PYTHONPATH": str(source)}
    async with serve_process(f"{package} (against)", command, env, log_path, f"{base}/readyz"):
        yield base


# ------------------------------------------------------------------ the whole run


async def _ready(
    side: str, base: str, key: Ed25519PrivateKey, seeded: Seeded, sizes: RateSizes
) -> Pos:
    tills = await open_tills(base, key, seeded, max(sizes.levels))
    pid = service_pid(f"--port {base.rsplit(':', 1)[1]}")
    pos = Pos(side, base, pid, tills, UnitPool(seeded))
    await _warm_up(pos, sizes)
    return pos


async def run_pos_rates(
    backend: Backends,
    *,
    sizes: RateSizes | None = None,
    units: int | None = None,
    against: Path | None = None,
    random_seed: int = DEFAULT_RANDOM_SEED,
    keep_database: bool = False,
    progress: Progress | None = None,
) -> RateReport:
    """Seed, serve POS (and the other checkout's), warm up, then every level's phases."""
    say = progress or (lambda _message: None)
    sizes = sizes or RateSizes()
    units = units or sizes.needed
    if units < sizes.needed:
        raise ValueError(f"{units:,} units are too few: this run sells {sizes.needed:,}")
    other = _checkout_of(against) if against is not None else None
    key = Ed25519PrivateKey.generate()
    pem = public_pem(key)
    report = RateReport(sizes=sizes, units=units, compared=other is not None)
    seeded = make_seed(units, random_seed)
    async with contextlib.AsyncExitStack() as stack:
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sf-bench-rates-")))
        logs = {THIS: directory / "pos.log", AGAINST: directory / "pos-against.log"}
        url = await stack.enter_async_context(
            service_database(backend.postgres_url, "pos", keep=keep_database)
        )
        await seed_pos(url, seeded)
        await stack.enter_async_context(with_log_tail("POS", logs[THIS]))
        base = await stack.enter_async_context(
            serve_service("pos", url, backend.nats_url, pem, logs[THIS])
        )
        urls = [url]
        serving = [await _ready(THIS, base, key, seeded, sizes)]
        if other is not None:
            source, migrations = other
            other_url = await stack.enter_async_context(
                other_database(backend.postgres_url, source, migrations, keep=keep_database)
            )
            await seed_pos(other_url, seeded)
            await stack.enter_async_context(with_log_tail("POS (against)", logs[AGAINST]))
            other_base = await stack.enter_async_context(
                serve_other(source, other_url, backend.nats_url, pem, logs[AGAINST])
            )
            urls.append(other_url)
            serving.append(await _ready(AGAINST, other_base, key, seeded, sizes))
        say(
            f"seeded one store and {units:,} units; serving "
            + ", ".join(f"{pos.side} on {pos.base} (pid {pos.pid})" for pos in serving)
            + f"; {max(sizes.levels)} registers with a drawer open each"
        )
        for number, clients in enumerate(sizes.levels):
            say(f"{clients} clients: {sizes.carts} carts x {sizes.cart_items} items each")
            first = number % len(serving)
            report.phases += await run_level(serving, sizes, clients, first=first)
        report.service_errors = [
            f"{side}: {line}"
            for side, log in logs.items()
            if log.exists()
            for line in error_lines(log)
        ]
        if keep_database:
            report.database_urls = urls
    return report
