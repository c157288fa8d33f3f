"""``shopfloor-bench``: the benchmark commands (``--help`` on each documents its options).

Exit codes: 0 done, 1 a benchmark ran but its result is wrong (lost events,
timeouts), 2 it could not run (platform not up, bad credentials, a target
outside this machine).
"""

from __future__ import annotations

import logging
import os
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from shopfloor_bench import (
    attendance,
    audit,
    auth_me,
    bookings,
    catalog,
    catalog_list,
    events_backlog,
    events_latency,
    events_relay,
    idle_memory,
    intake,
    inventory,
    invoicing,
    pos,
    pos_rates,
    revocation_delay,
)
from shopfloor_bench.engines import Backends, backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.http import NotLoopbackError
from shopfloor_bench.report import console, print_json_lines, print_results, print_table
from shopfloor_bench.runner import catch_stop_signals, run

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode="markdown",
    help=(
        "Shopfloor load and latency benchmarks. The event benchmarks start their own "
        "embedded PostgreSQL and NATS (temporary, free ports) unless BENCH_DATABASE_URL "
        "(a server URL whose user may CREATE DATABASE) and BENCH_NATS_URL are set; auth-me "
        "needs the platform from `make up`. Results print as a table and as one JSON line "
        "per scenario."
    ),
)

EventsOpt = Annotated[int, typer.Option("--events", "-n", min=1, help="Outbox events per run.")]
BatchOpt = Annotated[
    list[int] | None,
    typer.Option(
        "--batch-size",
        "-b",
        min=1,
        help="Relay batch size; repeat to compare (default 50 200 500).",
    ),
]
ChunkOpt = Annotated[
    int, typer.Option(min=1, help="Outbox rows written per committed transaction.")
]
LatencyEventsOpt = Annotated[
    int, typer.Option("--events", "-n", min=1, help="Measured events, one commit each.")
]
IntervalOpt = Annotated[
    float, typer.Option(min=0.0, help="Milliseconds between two commits (steady pace).")
]
LatencyWarmupOpt = Annotated[
    int, typer.Option(min=0, help="Unmeasured events first (consumer and relay warm).")
]
TimeoutOpt = Annotated[
    float, typer.Option(min=1.0, help="Seconds to wait for the last effect before failing.")
]
GatewayOpt = Annotated[
    str | None,
    typer.Option(
        help="Gateway base URL (default: http://127.0.0.1:PORT, PORT = $SHOPFLOOR_GATEWAY_PORT or 8000)"
    ),
]
DirectOpt = Annotated[
    str | None,
    typer.Option(
        help="Auth base URL of a running platform (`make up`), bypassing the gateway, e.g. "
        "http://127.0.0.1:8101. Without it and --gateway-url, auth-me starts its own auth"
    ),
]
EmailOpt = Annotated[
    str | None,
    typer.Option(help="Login email (default: $SHOPFLOOR_ADMIN_EMAIL or admin@shopfloor.local)"),
]
PasswordOpt = Annotated[
    str | None,
    typer.Option(help="Login password (default: $SHOPFLOOR_ADMIN_PASSWORD; required otherwise)"),
]
ConcurrencyOpt = Annotated[
    int, typer.Option("--concurrency", "-c", min=1, help="Requests in flight, both paths.")
]
RequestsOpt = Annotated[
    int, typer.Option("--requests", "-r", min=1, help="Measured requests per path.")
]
WarmupOpt = Annotated[int, typer.Option(min=0, help="Unmeasured requests per path first.")]
MaxSecondsOpt = Annotated[
    float | None,
    typer.Option(min=1.0, help="Stop each measured load phase after this long, if sooner."),
]
RandomSeedOpt = Annotated[
    int, typer.Option(help="Seed of every random choice (the seeded data and the requests).")
]
KeepDatabaseOpt = Annotated[
    bool,
    typer.Option(
        "--keep-database",
        help="Do not drop the seeded database(s) (for EXPLAIN; useful with BENCH_DATABASE_URL).",
    ),
]


def _progress(message: str) -> None:
    console.print(f"[dim]· {message}[/dim]")


def _load() -> str:
    """The 1/5/15-minute load averages: other work on the machine skews every figure."""
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _context(backend: Backends | None = None) -> None:
    cpus = os.cpu_count() or 0
    line = (
        f"{platform.node()}: {cpus} CPUs, load average {_load()}, "
        f"Python {platform.python_version()}"
    )
    console.print(f"[dim]{line}[/dim]")
    if backend is not None:
        console.print(f"[dim]{backend.describe()}[/dim]")


@contextmanager
def _failures() -> Iterator[None]:
    """Turn the known failures into a message and an exit code; report the load at the end."""
    try:
        yield
        console.print(f"[dim]load average at the end: {_load()}[/dim]")
    except BenchmarkFailed as exc:
        console.print(f"[red]benchmark failed:[/red] {exc}")
        raise typer.Exit(1) from exc
    except (auth_me.PlatformUnavailable, NotLoopbackError) as exc:
        console.print(f"[red]cannot run:[/red] {exc}")
        raise typer.Exit(2) from exc
    except KeyboardInterrupt as exc:
        console.print(
            "[yellow]interrupted[/yellow]: whatever the run started was stopped and removed"
        )
        raise typer.Exit(130) from exc


def _relay(backend: Backends, events: int, batch_sizes: list[int], chunk: int) -> None:
    runs = run(
        events_relay.run_events_relay(
            backend, events=events, batch_sizes=batch_sizes, write_chunk=chunk, progress=_progress
        )
    )
    print_results("events-relay: OutboxRelay.sweep() → JetStream", [r.to_dict() for r in runs])


def _latency(
    backend: Backends, events: int, interval_ms: float, warmup: int, timeout: float
) -> None:
    report = run(
        events_latency.run_events_latency(
            backend,
            events=events,
            interval_ms=interval_ms,
            warmup=warmup,
            timeout=timeout,
            progress=_progress,
        )
    )
    print_results("events-latency: commit → publish → consumer effect", report.rows())
    console.print(report.verdict())


def _auth(
    gateway: str | None,
    direct: str | None,
    email: str | None,
    password: str | None,
    concurrency: int,
    requests: int,
    rounds: int,
    warmup: int,
) -> None:
    async def measure() -> auth_me.AuthMeResult:
        options = {
            "concurrency": concurrency,
            "requests": requests,
            "rounds": rounds,
            "warmup": warmup,
        }
        if direct is not None or gateway is not None:
            return await auth_me.run_auth_me(
                gateway=gateway or auth_me.default_gateway_url(),
                direct=direct or auth_me.default_direct_url(),
                email=email or auth_me.default_email(),
                password=password or auth_me.default_password(),
                **options,
            )
        with backends() as backend:
            _context(backend)
            _progress("starting auth (prestart + serve) and the gateway")
            async with auth_me.auth_platform(backend.postgres_url, backend.nats_url) as platform:
                _progress(f"auth at {platform.direct}, gateway at {platform.gateway}")
                return await auth_me.run_auth_me(
                    gateway=platform.gateway,
                    direct=platform.direct,
                    email=auth_me.DEFAULT_EMAIL,
                    password=auth_me.BENCH_PASSWORD,
                    server_pid=platform.auth_pid,
                    **options,
                )

    result = run(measure())
    print_table(
        "auth-me: rounds (interleaved, order rotating)",
        [item.to_dict(number) for number, item in enumerate(result.rounds, 1)],
    )
    rows = [result.healthz.to_dict(), result.direct.to_dict(), result.gateway.to_dict()]
    print_table("auth-me: all rounds", rows)
    cpu = result.cpu_row()
    if cpu is not None:
        print_table("auth-me: the server's own CPU", [cpu])
    print_json_lines(
        [*rows, *([cpu] if cpu else []), result.floor.to_dict(), result.ratio.to_dict()]
    )
    console.print(str(result.floor))
    console.print(str(result.ratio))
    console.print(result.verdict())


@app.callback()
def main() -> None:
    """Shopfloor load and latency benchmarks."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    catch_stop_signals()


@app.command("events-relay")
def events_relay_command(
    events: EventsOpt = events_relay.DEFAULT_EVENTS,
    batch_size: BatchOpt = None,
    write_chunk: ChunkOpt = events_relay.DEFAULT_WRITE_CHUNK,
) -> None:
    """Outbox relay throughput: events/s of one OutboxRelay.sweep() per batch size.

    Writes --events outbox rows with Outbox.add (committed in chunks), then times
    sweep() publishing them to JetStream with every ack awaited; once per batch size.
    """
    with _failures(), backends() as backend:
        _context(backend)
        sizes = batch_size or list(events_relay.DEFAULT_BATCH_SIZES)
        _relay(backend, events, sizes, write_chunk)


@app.command("events-latency")
def events_latency_command(
    events: LatencyEventsOpt = events_latency.DEFAULT_EVENTS,
    interval_ms: IntervalOpt = events_latency.DEFAULT_INTERVAL_MS,
    warmup: LatencyWarmupOpt = events_latency.DEFAULT_WARMUP,
    timeout: TimeoutOpt = events_latency.DEFAULT_TIMEOUT_S,
) -> None:
    """Commit → JetStream and commit → consumer-effect latency (p50/p95/p99/max).

    OutboxRelay.run() (woken by LISTEN/NOTIFY) and an EventConsumer run while events
    are committed one per transaction every --interval-ms.
    """
    with _failures(), backends() as backend:
        _context(backend)
        _latency(backend, events, interval_ms, warmup, timeout)


@app.command("events-backlog")
def events_backlog_command(
    events: Annotated[
        int, typer.Option("--events", "-n", min=1, help="Events in the backlog.")
    ] = events_backlog.DEFAULT_EVENTS,
    per_commit: Annotated[
        int, typer.Option(min=1, help="Outbox rows written per transaction.")
    ] = events_backlog.DEFAULT_PER_COMMIT,
    timeout: TimeoutOpt = events_backlog.DEFAULT_TIMEOUT_S,
    handler: Annotated[
        list[str] | None,
        typer.Option(
            help="Handler shape to time (repeatable): batch (one multi-row INSERT a batch, "
            "the target's) and per-event (one INSERT an event). Default: both."
        ),
    ] = None,
) -> None:
    """A consumer draining a backlog already on JetStream: events/s (target ≥ 2,000/s).

    Writes --events outbox rows, lets OutboxRelay.run() publish them all, then starts an
    EventConsumer in its own process and times it from the first effect to the last; once
    per handler shape, each on a backlog of its own.
    """
    shapes = handler or list(events_backlog.HANDLERS)
    unknown = sorted(set(shapes) - set(events_backlog.HANDLERS))
    if unknown:
        raise typer.BadParameter(f"unknown handler {unknown}; one of {events_backlog.HANDLERS}")
    with _failures(), backends() as backend:
        _context(backend)
        reports = [
            run(
                events_backlog.run_events_backlog(
                    backend,
                    handler=shape,
                    events=events,
                    per_commit=per_commit,
                    timeout=timeout,
                    progress=_progress,
                )
            )
            for shape in shapes
        ]
        print_results(
            "events-backlog: one consumer drains a JetStream backlog",
            [row for report in reports for row in report.rows()],
        )
        for report in reports:
            console.print(report.verdict())


RoundsOpt = Annotated[
    int, typer.Option(min=1, help="Rounds of the three loads, interleaved (order rotating).")
]


@app.command("auth-me")
def auth_me_command(
    gateway_url: GatewayOpt = None,
    direct_url: DirectOpt = None,
    email: EmailOpt = None,
    password: PasswordOpt = None,
    concurrency: ConcurrencyOpt = auth_me.DEFAULT_CONCURRENCY,
    requests: RequestsOpt = auth_me.DEFAULT_REQUESTS,
    rounds: RoundsOpt = auth_me.DEFAULT_ROUNDS,
    warmup: WarmupOpt = auth_me.DEFAULT_WARMUP,
) -> None:
    """GET /api/auth/me vs the same process's /healthz, and through the gateway vs direct.

    Interleaved: --rounds rounds of the three loads, the order rotating. Without
    --direct-url/--gateway-url it starts auth (own database, prestart, serve) and Caddy
    on the event benchmarks' servers; with them it measures a running `make up`.
    """
    with _failures():
        _context()
        _auth(gateway_url, direct_url, email, password, concurrency, requests, rounds, warmup)


@app.command("revocation-delay")
def revocation_delay_command(
    revocations: Annotated[
        int,
        typer.Option("--revocations", "-n", min=1, help="Sessions ended, one at a time."),
    ] = revocation_delay.DEFAULT_REVOCATIONS,
    timeout: Annotated[
        float, typer.Option(min=1.0, help="Seconds a revoked token may stay accepted.")
    ] = revocation_delay.DEFAULT_TIMEOUT_S,
) -> None:
    """auth ends a session → two catalog processes refuse its token: p50/p95/max delay.

    Starts auth and two catalog processes sharing one database (one durable consumer:
    the other process learns each revocation by NOTIFY), logs users in, then ends
    their sessions one at a time by logout, role change and password change. No
    platform needed; exit 1 if a token stays accepted past --timeout.
    """
    with _failures(), backends() as backend:
        _context(backend)
        report = run(
            revocation_delay.run_revocation_delay(
                backend, revocations=revocations, timeout=timeout, progress=_progress
            )
        )
        rows = report.rows()
        print_table("revocation-delay: auth answered → the token is refused (ms)", rows)
        print_json_lines(rows)
        console.print(report.verdict())


CatalogDirectOpt = Annotated[
    str | None,
    typer.Option(
        "--direct-url",
        help="Catalog base URL, bypassing the gateway (default: http://127.0.0.1:PORT, "
        "PORT = $SHOPFLOOR_SERVICE_PORT_BASE or 8100, plus 2)",
    ),
]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        help="Catalog's database, seeded directly (default: $DATABASE_URL, else "
        "postgresql://postgres@127.0.0.1:$SHOPFLOOR_PG_PORT/shopfloor_catalog, port 5433)"
    ),
]


def _catalog(
    gateway: str | None,
    direct: str | None,
    database_url: str | None,
    seed: bool,
    products: int,
    concurrency: int,
    requests: int,
    warmup: int,
    scenarios: list[str] | None,
) -> None:
    report = run(
        catalog.run_catalog(
            gateway=gateway or catalog.default_gateway_url(),
            direct=direct or catalog.default_direct_url(),
            database_url=database_url or catalog.default_database_url(),
            seed=seed,
            products=products,
            concurrency=concurrency,
            requests=requests,
            warmup=warmup,
            only=scenarios or (),
            progress=_progress,
        )
    )
    print_table("catalog: /api/products on the seeded catalogue", report.rows())
    print_json_lines(report.json_rows())
    for result in report.results:
        console.print(str(result.ratio))
    for result in report.slow():
        console.print(
            f"[yellow]slow:[/yellow] {result.scenario.name}: direct p95 "
            f"{result.direct.p95_ms:.0f} ms > {catalog.SLOW_P95_MS:.0f} ms "
            "(bench/README.md, catalog: how to EXPLAIN ANALYZE it)"
        )


@app.command("catalog")
def catalog_command(
    gateway_url: GatewayOpt = None,
    direct_url: CatalogDirectOpt = None,
    database_url: DatabaseOpt = None,
    seed: Annotated[
        bool,
        typer.Option(
            "--seed/--no-seed",
            help="Replace the previous benchmark seed first (--no-seed: reuse it).",
        ),
    ] = True,
    products: Annotated[
        int, typer.Option("--products", "-p", min=1, help="Products to seed.")
    ] = catalog.DEFAULT_PRODUCTS,
    concurrency: ConcurrencyOpt = catalog.DEFAULT_CONCURRENCY,
    requests: Annotated[
        int,
        typer.Option("--requests", "-r", min=1, help="Measured requests per scenario and path."),
    ] = catalog.DEFAULT_REQUESTS,
    warmup: WarmupOpt = catalog.DEFAULT_WARMUP,
    scenario: Annotated[
        list[str] | None,
        typer.Option(help="Run only this scenario (repeatable), e.g. 'search a word'."),
    ] = None,
) -> None:
    """/api/products list, filters, search, ordering and detail: gateway vs direct, p50/p95, rps.

    Seeds --products products with variants straight into catalog's database (COPY),
    then loads each scenario direct and through the gateway. Needs `make up`.
    """
    with _failures():
        _context()
        _catalog(
            gateway_url,
            direct_url,
            database_url,
            seed,
            products,
            concurrency,
            requests,
            warmup,
            scenario,
        )


def _catalog_list(
    direct: str | None,
    products: int,
    stores: int,
    concurrency: int,
    requests: int,
    rounds: int,
    warmup: int,
    against: Path | None = None,
) -> None:
    options = {"concurrency": concurrency, "requests": requests, "rounds": rounds, "warmup": warmup}
    if against is not None:
        _catalog_ab(against, products, stores, options)
        return

    async def measure() -> catalog_list.CatalogListResult:
        if direct is not None:
            return await catalog_list.run_catalog_list(direct, **options)
        with backends() as backend:
            _context(backend)
            async with catalog_list.catalog_service(
                backend.postgres_url,
                backend.nats_url,
                products=products,
                stores=stores,
                progress=_progress,
            ) as base:
                return await catalog_list.run_catalog_list(base, **options)

    _print_catalog_list(run(measure()))


def _catalog_ab(against: Path, products: int, stores: int, options: dict[str, int]) -> None:
    """This checkout's catalog and ``against``'s, served side by side, loads interleaved."""

    async def measure() -> tuple[catalog_list.CatalogListResult, catalog_list.CatalogListResult]:
        with backends() as backend:
            _context(backend)
            async with (
                catalog_list.catalog_service(
                    backend.postgres_url,
                    backend.nats_url,
                    products=products,
                    stores=stores,
                    progress=_progress,
                ) as this,
                catalog_list.catalog_service(
                    backend.postgres_url,
                    backend.nats_url,
                    products=products,
                    stores=stores,
                    progress=_progress,
                    checkout=against,
                ) as other,
            ):
                return await catalog_list.run_catalog_ab(this, other, **options)

    this, other = run(measure())
    for side, result in (("this checkout", this), (f"against {against}", other)):
        console.print(f"[bold]{side}[/bold]")
        _print_catalog_list(result)
    rows = catalog_list.ab_rows(this, other)
    print_table("catalog-list: this ÷ against", rows)
    print_json_lines(rows)


def _print_catalog_list(result: catalog_list.CatalogListResult) -> None:
    print_table(
        "catalog-list: rounds (interleaved, order rotating)",
        [item.to_dict(number) for number, item in enumerate(result.rounds, 1)],
    )
    print_table("catalog-list: all rounds", result.rows())
    print_json_lines([*result.rows(), *(floor.to_dict() for floor in result.floors.values())])
    for floor in result.floors.values():
        console.print(str(floor))
    for line in result.verdicts():
        console.print(line)
    for line in result.cpu_lines():
        console.print(line)


@app.command("catalog-list")
def catalog_list_command(
    direct_url: Annotated[
        str | None,
        typer.Option(
            "--direct-url",
            help="A running catalog (e.g. http://127.0.0.1:8102 under `make up`, with products "
            "and stores); without it catalog is started and seeded for the run",
        ),
    ] = None,
    products: Annotated[
        int, typer.Option(min=1, help="Products to seed (through the API).")
    ] = catalog_list.DEFAULT_PRODUCTS,
    stores: Annotated[
        int, typer.Option(min=1, help="Stores to seed (through the API).")
    ] = catalog_list.DEFAULT_STORES,
    concurrency: ConcurrencyOpt = catalog_list.DEFAULT_CONCURRENCY,
    requests: RequestsOpt = catalog_list.DEFAULT_REQUESTS,
    rounds: Annotated[
        int, typer.Option(min=1, help="Rounds of the loads, interleaved (order rotating).")
    ] = catalog_list.DEFAULT_ROUNDS,
    warmup: WarmupOpt = catalog_list.DEFAULT_WARMUP,
    against: Annotated[
        Path | None,
        typer.Option(
            "--against",
            help="Another checkout of the repository: its catalog (services/catalog and "
            "libs/common) is served beside this one and the loads interleave (A/B)",
        ),
    ] = None,
) -> None:
    """Anonymous GET /api/products and /api/stores vs the same catalog process's /healthz.

    Interleaved: --rounds rounds of the three loads, the order rotating; the target is
    x0.3 of the /healthz rate. Starts catalog (own database, seeded through its API) on
    the event benchmarks' servers unless --direct-url names a running one. With --against,
    the other checkout's catalog runs too, each round on both, and this ÷ against is printed.
    """
    with _failures():
        _context()
        _catalog_list(direct_url, products, stores, concurrency, requests, rounds, warmup, against)


InventoryRequestsOpt = Annotated[
    int, typer.Option("--requests", "-r", min=1, help="Measured requests per lookup scenario.")
]


def _inventory(
    backend: Backends,
    sizes: inventory.Sizes,
    requests: int,
    warmup: int,
    writers: int,
    entries: int,
    max_seconds: float | None,
    random_seed: int,
    scenarios: list[str] | None,
    keep_database: bool,
) -> None:
    report = run(
        inventory.run_inventory(
            backend,
            sizes=sizes,
            requests=requests,
            warmup=warmup,
            writers=writers,
            entries=entries,
            max_seconds=max_seconds,
            random_seed=random_seed,
            only=scenarios or (),
            keep_database=keep_database,
            progress=_progress,
        )
    )
    print_table("inventory: seed", [report.seeded.table_row()])
    print_table("inventory: lookups, one request at a time (ms)", report.read_rows())
    if report.posting is not None:
        print_table("inventory: stock entries, create + post (ms)", [report.posting.table_row()])
    print_json_lines(report.json_rows())
    console.print(str(report.verification))
    for line in report.service_errors:
        console.print(f"[yellow]inventory logged an error:[/yellow] {line}")
    if report.database_url:
        console.print(f"[dim]kept the database: {report.database_url}[/dim]")
    problems = report.problems()
    if problems:
        raise BenchmarkFailed("\n".join(problems))


@app.command("intake")
def intake_command(
    rows: Annotated[
        int, typer.Option("--rows", "-n", min=1, help="Rows of the vendor manifest.")
    ] = intake.DEFAULT_ROWS,
    products: Annotated[
        int, typer.Option(min=1, help="Catalog products to seed (half the rows name one).")
    ] = intake.DEFAULT_PRODUCTS,
    random_seed: RandomSeedOpt = intake.DEFAULT_RANDOM_SEED,
    keep_database: KeepDatabaseOpt = False,
    background_rows: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="The service's INTAKE_BACKGROUND_ROWS (its default, 2,000, when left out): "
            "a larger manifest's steps run as background jobs, timed to their end.",
        ),
    ] = None,
) -> None:
    """A vendor manifest through intake: upload, standardise, match, price, finalise,
    create the units in batch groups — seconds and rows/s per step. No platform needed."""
    with _failures(), backends() as backend:
        _context(backend)
        report = run(
            intake.run_intake(
                backend,
                rows=rows,
                products=products,
                random_seed=random_seed,
                keep_database=keep_database,
                background_rows=background_rows,
                progress=_progress,
            )
        )
        print_table(
            f"intake: a {report.rows:,}-row manifest ({report.units:,} units), one step at a "
            f"time ({report.matched:,} rows matched, {report.items:,} units created)",
            report.rows_table(),
        )
        print_json_lines(report.json_rows())
        for line in report.service_errors:
            console.print(f"[yellow]logged an error:[/yellow] {line}")


@app.command("inventory")
def inventory_command(
    stores: Annotated[int, typer.Option(min=1, help="Stores to seed.")] = inventory.DEFAULT_STORES,
    locations: Annotated[
        int, typer.Option(min=2, help="Locations, dealt to the stores in blocks.")
    ] = inventory.DEFAULT_LOCATIONS,
    keys: Annotated[
        int, typer.Option("--keys", "-k", min=1, help="Catalog variants (stock keys) to seed.")
    ] = inventory.DEFAULT_KEYS,
    ledger_rows: Annotated[
        int, typer.Option("--ledger-rows", "-n", min=1, help="Stock ledger rows to seed.")
    ] = inventory.DEFAULT_LEDGER_ROWS,
    items: Annotated[
        int, typer.Option(min=1, help="Unit items to seed (for the lookup by SKU).")
    ] = inventory.DEFAULT_ITEMS,
    requests: InventoryRequestsOpt = inventory.DEFAULT_REQUESTS,
    warmup: WarmupOpt = inventory.DEFAULT_WARMUP,
    writers: Annotated[
        int, typer.Option(min=0, help="Concurrent writers posting stock entries (0: none).")
    ] = inventory.DEFAULT_WRITERS,
    entries: Annotated[
        int, typer.Option(min=1, help="Measured stock entries per writer (create + post).")
    ] = inventory.DEFAULT_ENTRIES,
    max_seconds: MaxSecondsOpt = None,
    random_seed: RandomSeedOpt = inventory.DEFAULT_RANDOM_SEED,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            help="Run only this lookup (repeatable), e.g. 'ledger page 1 (newest first)'; "
            "'posting' for the writers."
        ),
    ] = None,
    keep_database: KeepDatabaseOpt = False,
) -> None:
    """Inventory on a 1,000,000-row stock ledger: lookups (p50/p95/max), posting, balance check.

    Seeds a database of its own with SQL, serves inventory (`shopfloor-inventory serve`),
    measures balance, item and ledger lookups one request at a time, then --writers
    concurrent writers create and post stock entries, then checks every balance against
    its ledger sum (exit 1 on a mismatch). No platform needed.
    """
    try:
        sizes = inventory.Sizes(stores, locations, keys, ledger_rows, items)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _failures(), backends() as backend:
        _context(backend)
        _inventory(
            backend,
            sizes,
            requests,
            warmup,
            writers,
            entries,
            max_seconds,
            random_seed,
            scenario,
            keep_database,
        )


def _pos(
    backend: Backends,
    sizes: pos.Sizes,
    timeout: float,
    max_seconds: float | None,
    random_seed: int,
    keep_database: bool,
) -> None:
    report = run(
        pos.run_pos(
            backend,
            sizes=sizes,
            timeout=timeout,
            max_seconds=max_seconds,
            random_seed=random_seed,
            keep_database=keep_database,
            progress=_progress,
        )
    )
    print_table(
        f"pos: checkouts at {sizes.registers} registers, {sizes.cart_items} items each "
        "(ms; rps = checkouts/s or requests/s)",
        report.checkout_rows(),
    )
    print_table("pos: inventory catching up with the checkouts' sales", [report.catch_up.to_dict()])
    print_table(
        "pos: sale → inventory sold, one sale at a time (ms after the complete response)",
        report.latency.rows(),
    )
    print_json_lines(report.json_rows())
    for item in report.ratios:
        console.print(str(item))
    console.print(str(report.latency))
    console.print(str(report.check))
    for line in report.service_errors:
        console.print(f"[yellow]logged an error:[/yellow] {line}")
    for url in report.database_urls:
        console.print(f"[dim]kept the database: {url}[/dim]")
    problems = report.problems()
    if problems:
        raise BenchmarkFailed("\n".join(problems))


@app.command("pos")
def pos_command(
    units: Annotated[
        int, typer.Option(min=1, help="Units on the shelf, seeded in both services.")
    ] = pos.DEFAULT_UNITS,
    registers: Annotated[
        int, typer.Option(min=1, help="Registers checking out at once, each with its drawer.")
    ] = pos.DEFAULT_REGISTERS,
    cart_items: Annotated[
        int, typer.Option(min=1, help="add-item calls per checkout (one unit each).")
    ] = pos.DEFAULT_CART_ITEMS,
    checkouts: Annotated[
        int, typer.Option("--checkouts", "-n", min=1, help="Measured checkouts per path.")
    ] = pos.DEFAULT_CHECKOUTS,
    warmup: Annotated[
        int,
        typer.Option(min=0, help="Unmeasured checkouts per path first, and sales before --sales."),
    ] = pos.DEFAULT_WARMUP,
    sales: Annotated[
        int, typer.Option(min=1, help="Measured sales of one unit for sale → inventory sold.")
    ] = pos.DEFAULT_SALES,
    timeout: TimeoutOpt = pos.DEFAULT_TIMEOUT_S,
    max_seconds: MaxSecondsOpt = None,
    random_seed: RandomSeedOpt = pos.DEFAULT_RANDOM_SEED,
    keep_database: KeepDatabaseOpt = False,
) -> None:
    """POS checkouts (gateway vs direct, p50/p95, checkouts/s) and sale → inventory sold latency.

    Seeds one store and --units units into POS's read-model and inventory (SQL), serves POS
    (`shopfloor-pos serve`) behind Caddy, and runs --registers concurrent checkout loops
    (create cart, --cart-items add-item, complete in cash) straight to POS, then through the
    gateway. Then inventory starts on the same NATS and catches up with those sales; then
    single sales measure complete → inventory's item `sold`. Exit 1 if a checkout fails or
    a unit never becomes sold in inventory. No platform needed.
    """
    try:
        sizes = pos.Sizes(units, registers, cart_items, checkouts, warmup, sales)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _failures(), backends() as backend:
        _context(backend)
        _pos(backend, sizes, timeout, max_seconds, random_seed, keep_database)


@app.command("bookings")
def bookings_command(
    count: Annotated[
        int, typer.Option("--bookings", min=1, help="Bookings seeded (SQL) for the list.")
    ] = bookings.DEFAULT_BOOKINGS,
    creates: Annotated[
        int, typer.Option(min=1, help="Measured public booking creates (one at a time).")
    ] = bookings.DEFAULT_CREATES,
    lists: Annotated[
        int, typer.Option(min=1, help="Measured filtered lists, per path (direct, gateway).")
    ] = bookings.DEFAULT_LISTS,
    warmup: Annotated[int, typer.Option(min=0, help="Unmeasured creates first.")] = (
        bookings.DEFAULT_WARMUP
    ),
    random_seed: RandomSeedOpt = bookings.DEFAULT_RANDOM_SEED,
) -> None:
    """Public booking create through the gateway (ALTCHA verified; p50/p95) and the admin's
    list of --bookings bookings filtered by status and a 30-day window (p50/p95, direct and
    through the gateway). Serves `shopfloor-bookings serve` behind Caddy; no platform needed.
    Exit 1 if a create is refused or a list's count differs from the seed.
    """
    with _failures(), backends() as backend:
        _context(backend)
        report = run(
            bookings.run_bookings(
                backend,
                bookings=count,
                creates=creates,
                lists=lists,
                warmup=warmup,
                random_seed=random_seed,
                progress=_progress,
            )
        )
        print_results(
            f"bookings: create through the gateway, list of {count:,} filtered (ms)",
            [*report.rows(), report.gateway_ratio()],
        )
        for line in report.service_errors:
            console.print(f"[yellow]logged an error:[/yellow] {line}")


@app.command("idle-memory")
def idle_memory_command(
    settle: Annotated[
        float, typer.Option(min=0.0, help="Seconds to leave the platform idle once it is ready.")
    ] = idle_memory.DEFAULT_SETTLE_S,
    services: Annotated[
        int, typer.Option(min=1, help="Services to project the idle cost to.")
    ] = idle_memory.DEFAULT_SERVICES,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env",
            "-e",
            help="NAME=value for the platform (repeatable), e.g. SHOPFLOOR_WORKERS=2.",
        ),
    ] = None,
) -> None:
    """Summed RSS (and PSS) of a whole idle platform started as `make up` starts it.

    Starts a platform of its own (free ports, temporary data dir), waits until every
    service is ready, idles --settle seconds, measures every process of its tree (the
    runner, supervisord, engines, services, PostgreSQL backends charged to the service
    whose database they serve), stops it. Prints MiB per program, kind and process, the total,
    the cost of one service and the projection to --services services against the
    1.5 GB target. No platform needed (and none is touched).
    """
    try:
        extra_env = idle_memory.env_assignments(env or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _failures():
        _context()
        console.print(f"[dim]{idle_memory.this_machine()}[/dim]")
        projection = idle_memory.measure(
            settle=settle, services=services, extra_env=extra_env, progress=_progress
        )
        print_table("idle-memory: per program (MiB)", projection.rows())
        print_table("idle-memory: per kind of process (MiB)", projection.kinds())
        print_table(
            "idle-memory: per process (MiB)",
            [
                {
                    "program": share.name,
                    "pid": sample.pid,
                    "rss_mib": sample.rss / 2**20,
                    "pss_mib": sample.pss / 2**20,
                    "command": sample.command[:90],
                }
                for share in projection.shares
                for sample in share.processes
            ],
        )
        print_json_lines([*projection.rows(), *projection.kinds(), projection.summary()])
        console.print(projection.verdict())


def _invoicing(
    backend: Backends,
    sizes: invoicing.Sizes,
    timeout: float,
    random_seed: int,
    scenarios: list[str] | None,
    keep_database: bool,
) -> None:
    report = run(
        invoicing.run_invoicing(
            backend,
            sizes=sizes,
            timeout=timeout,
            random_seed=random_seed,
            only=scenarios or (),
            keep_database=keep_database,
            progress=_progress,
        )
    )
    print_table("invoicing: seed", [report.seeded.table_row()])
    print_table("invoicing: lists and reports, one request at a time (ms)", report.lookup_rows())
    print_table(
        "invoicing: POS sale → invoice paid, one sale at a time (ms after the publish ack)",
        report.latency.rows(),
    )
    print_table("invoicing: catching up with a backlog of sales", [report.catch_up.to_dict()])
    print_json_lines(report.json_rows())
    for result in report.slow():
        console.print(
            f"[yellow]slow:[/yellow] {result.name}: p95 {result.p95_ms:.0f} ms > "
            f"{invoicing.TARGET_P95_MS:.0f} ms"
        )
    console.print(str(report.latency))
    console.print(str(report.check))
    for line in report.service_errors:
        console.print(f"[yellow]invoicing logged an error:[/yellow] {line}")
    if report.database_url:
        console.print(f"[dim]kept the database: {report.database_url}[/dim]")
    problems = report.problems()
    if problems:
        raise BenchmarkFailed("\n".join(problems))


@app.command("invoicing")
def invoicing_command(
    stores: Annotated[int, typer.Option(min=1, help="Stores to seed.")] = invoicing.DEFAULT_STORES,
    customers: Annotated[
        int, typer.Option(min=1, help="Customers to seed.")
    ] = invoicing.DEFAULT_CUSTOMERS,
    invoices: Annotated[
        int, typer.Option("--invoices", "-n", min=1, help="Invoices to seed.")
    ] = invoicing.DEFAULT_INVOICES,
    payments: Annotated[
        int, typer.Option("--payments", "-p", min=1, help="Payments to seed.")
    ] = invoicing.DEFAULT_PAYMENTS,
    requests: Annotated[
        int, typer.Option("--requests", "-r", min=1, help="Measured requests per lookup.")
    ] = invoicing.DEFAULT_REQUESTS,
    warmup: WarmupOpt = invoicing.DEFAULT_WARMUP,
    sales: Annotated[
        int, typer.Option(min=1, help="Measured sales for POS sale → invoice paid.")
    ] = invoicing.DEFAULT_SALES,
    backlog: Annotated[
        int, typer.Option(min=1, help="Sales published while invoicing is stopped.")
    ] = invoicing.DEFAULT_BACKLOG,
    timeout: TimeoutOpt = invoicing.DEFAULT_TIMEOUT_S,
    random_seed: RandomSeedOpt = invoicing.DEFAULT_RANDOM_SEED,
    scenario: Annotated[
        list[str] | None,
        typer.Option(help="Run only this lookup (repeatable), e.g. 'report revenue (365 days)'."),
    ] = None,
    keep_database: KeepDatabaseOpt = False,
) -> None:
    """Invoicing on 100,000 invoices / 300,000 payments: lists and reports (p50/p95/max),
    POS sale → invoice paid (p50/p95), and the catch-up rate after a 10,000-sale backlog.

    Seeds a database of its own (COPY), serves invoicing (`shopfloor-invoicing serve`),
    measures one request at a time, publishes pos.sale.completed events to JetStream as POS
    would, then stops invoicing, publishes --backlog sales and times the catch-up. Exit 1 if
    a sale is not invoiced once and paid, a dead letter appears or a number is missing. No
    platform needed.
    """
    try:
        sizes = invoicing.Sizes(
            stores, customers, invoices, payments, requests, warmup, sales, backlog
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _failures(), backends() as backend:
        _context(backend)
        _invoicing(backend, sizes, timeout, random_seed, scenario, keep_database)


def _audit(
    backend: Backends,
    sizes: audit.Sizes,
    batch_sizes: list[int],
    scenarios: list[str] | None,
    skip_ingest: bool,
    skip_export: bool,
) -> None:
    report = run(
        audit.run_audit(
            backend,
            sizes=sizes,
            batch_sizes=batch_sizes,
            only=scenarios or (),
            skip_ingest=skip_ingest,
            skip_export=skip_export,
            progress=_progress,
        )
    )
    if report.ingest:
        print_table("audit: ingest from a backlog", [r.to_dict() for r in report.ingest])
    if report.seeded is not None:
        print_table("audit: seed", [report.seeded.table_row()])
    print_table(
        f"audit: /api/logs/ on {sizes.rows:,} rows, one request at a time (ms)",
        [r.to_dict() for r in report.lists],
    )
    if report.export is not None:
        print_table("audit: export", [report.export.to_dict()])
    print_json_lines(report.json_rows())
    for line in report.service_errors:
        console.print(f"[yellow]audit logged an error:[/yellow] {line}")


@app.command("audit")
def audit_command(
    events: Annotated[
        int, typer.Option("--events", "-n", min=1, help="Backlog events to ingest.")
    ] = audit.DEFAULT_EVENTS,
    batch_size: Annotated[
        list[int] | None,
        typer.Option("--batch-size", "-b", min=1, help="Ingest batch size; repeat to compare."),
    ] = None,
    rows: Annotated[
        int, typer.Option("--rows", min=1, help="Log rows seeded for the lists (10M: the issue's).")
    ] = audit.DEFAULT_ROWS,
    export_rows: Annotated[
        int, typer.Option(min=1, help="About this many rows exported (whole days).")
    ] = audit.DEFAULT_EXPORT_ROWS,
    requests: Annotated[
        int, typer.Option("--requests", "-r", min=1, help="Measured requests per list.")
    ] = audit.DEFAULT_REQUESTS,
    warmup: WarmupOpt = audit.DEFAULT_WARMUP,
    scenario: Annotated[
        list[str] | None, typer.Option(help="Run only this list scenario (repeatable).")
    ] = None,
    skip_ingest: Annotated[bool, typer.Option("--skip-ingest", help="No ingest runs.")] = False,
    skip_export: Annotated[bool, typer.Option("--skip-export", help="No export run.")] = False,
) -> None:
    """Audit: ingest rate from a backlog, /api/logs/ filters on a large log, a large export.

    Publishes --events to a stream of its own and drains it with audit's ingester per
    --batch-size (events/s; exit 1 unless every event is one row); seeds --rows rows with
    SQL, serves audit (`shopfloor-audit serve`) and measures each filter one request at a
    time (p50/p95/max); exports about --export-rows rows as CSV, sampling the service's
    resident memory. No platform needed.
    """
    try:
        sizes = audit.Sizes(events, rows, export_rows, requests, warmup)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _failures(), backends() as backend:
        _context(backend)
        _audit(
            backend,
            sizes,
            batch_size or list(audit.DEFAULT_BATCH_SIZES),
            scenario,
            skip_ingest,
            skip_export,
        )


@app.command("all")
def all_command(
    relay_events: Annotated[
        int, typer.Option(min=1, help="events-relay: outbox events per run.")
    ] = events_relay.DEFAULT_EVENTS,
    latency_events: Annotated[
        int, typer.Option(min=1, help="events-latency: measured events.")
    ] = events_latency.DEFAULT_EVENTS,
    email: EmailOpt = None,
    password: PasswordOpt = None,
    concurrency: ConcurrencyOpt = auth_me.DEFAULT_CONCURRENCY,
    requests: RequestsOpt = auth_me.DEFAULT_REQUESTS,
    skip_auth_me: Annotated[
        bool,
        typer.Option("--skip-auth-me", help="Run only the event benchmarks."),
    ] = False,
) -> None:
    """Every benchmark with its defaults: events-relay, events-latency, auth-me.

    Each starts what it measures (no platform needed); --skip-auth-me leaves auth-me out.
    """
    with _failures():
        _context()
        with backends() as backend:
            console.print(f"[dim]{backend.describe()}[/dim]")
            _relay(
                backend,
                relay_events,
                list(events_relay.DEFAULT_BATCH_SIZES),
                events_relay.DEFAULT_WRITE_CHUNK,
            )
            _latency(
                backend,
                latency_events,
                events_latency.DEFAULT_INTERVAL_MS,
                events_latency.DEFAULT_WARMUP,
                events_latency.DEFAULT_TIMEOUT_S,
            )
        if not skip_auth_me:
            _auth(
                None,
                None,
                email,
                password,
                concurrency,
                requests,
                auth_me.DEFAULT_ROUNDS,
                auth_me.DEFAULT_WARMUP,
            )


def _attendance(
    backend: Backends, sizes: attendance.Sizes, random_seed: int, keep_database: bool
) -> None:
    report = run(
        attendance.run_attendance(
            backend,
            sizes=sizes,
            random_seed=random_seed,
            keep_database=keep_database,
            progress=_progress,
        )
    )
    print_table("attendance: seed", [report.seeded.to_dict()])
    print_table(
        f"attendance: check-in with a {report.selfie_bytes:,} B selfie ({sizes.concurrency} at a "
        "time) and the monthly store report (one at a time), ms",
        report.rows(),
    )
    print_json_lines(report.json_rows())
    for item in report.ratios():
        console.print(str(item))
    for line in report.service_errors:
        console.print(f"[yellow]attendance logged an error:[/yellow] {line}")


@app.command("attendance")
def attendance_command(
    advisors: Annotated[
        int, typer.Option(min=1, help="Advisors of the reported store, each with 31 days worked.")
    ] = attendance.DEFAULT_ADVISORS,
    punches: Annotated[
        int, typer.Option("--punches", "-n", min=1, help="Measured check-ins per path.")
    ] = attendance.DEFAULT_PUNCHES,
    warmup: Annotated[
        int, typer.Option(min=0, help="Unmeasured check-ins and reports per path first.")
    ] = attendance.DEFAULT_WARMUP,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Check-ins in flight.")
    ] = attendance.DEFAULT_CONCURRENCY,
    report_requests: Annotated[
        int, typer.Option(min=1, help="Measured monthly reports per path.")
    ] = attendance.DEFAULT_REPORT_REQUESTS,
    selfie_kb: Annotated[
        int, typer.Option(min=1, help="Size of the selfie JPEG (noise), in KB.")
    ] = attendance.DEFAULT_SELFIE_KB,
    random_seed: RandomSeedOpt = attendance.DEFAULT_RANDOM_SEED,
    keep_database: KeepDatabaseOpt = False,
) -> None:
    """Attendance: check-in with a 1 MB selfie (gateway vs direct, p50/p95) and the monthly
    store report of 50 advisors x 31 days (p50/p95).

    Seeds attendance's own database (its models), serves `shopfloor-attendance serve` behind
    Caddy, checks in --punches people per path with --concurrency in flight, then reads the
    store's March report one request at a time both ways. Exit 1 if a check-in fails, the
    database does not hold one record and one selfie per check-in, or the report is wrong.
    No platform needed.
    """
    try:
        sizes = attendance.Sizes(advisors, punches, warmup, concurrency, report_requests, selfie_kb)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _failures(), backends() as backend:
        _context(backend)
        _attendance(backend, sizes, random_seed, keep_database)


@app.command("pos-rates")
def pos_rates_command(
    levels: Annotated[
        list[int] | None,
        typer.Option(
            "--level", "-c", min=1, help="Concurrent clients; repeat (default 1 2 4 8 16)."
        ),
    ] = None,
    carts: Annotated[
        int, typer.Option(min=1, help="Carts each client fills, then completes, per level.")
    ] = pos_rates.DEFAULT_CARTS,
    cart_items: Annotated[
        int, typer.Option(min=1, help="add-item calls per cart (one unit each).")
    ] = pos.DEFAULT_CART_ITEMS,
    warmup: Annotated[
        int, typer.Option(min=0, help="Unmeasured checkouts before the first level.")
    ] = pos_rates.DEFAULT_WARMUP,
    against: Annotated[
        Path | None,
        typer.Option(
            help="Another checkout of the repository (e.g. `git worktree add /tmp/core core`): "
            "its POS is served too and measured interleaved with this one (A/B)."
        ),
    ] = None,
    random_seed: RandomSeedOpt = pos.DEFAULT_RANDOM_SEED,
    keep_database: KeepDatabaseOpt = False,
) -> None:
    """POS add-item and complete requests/s, each alone, per concurrency, and past saturation.

    Seeds POS's read-model (SQL), serves POS alone (`shopfloor-pos serve`), opens a drawer on
    one register per client, and for each --level: the clients fill --carts carts with
    --cart-items units (add-item/s), then complete them in cash (complete/s). Prints the
    peak, the saturation concurrency and the rate at twice it, and requests per CPU-second of
    the POS process. With --against, the other checkout's POS runs interleaved and the
    ratios this ÷ against are printed. No platform needed.
    """
    try:
        sizes = pos_rates.RateSizes(
            tuple(levels or pos_rates.DEFAULT_LEVELS), carts, cart_items, warmup
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with _failures(), backends() as backend:
        _context(backend)
        report = run(
            pos_rates.run_pos_rates(
                backend,
                sizes=sizes,
                against=against,
                random_seed=random_seed,
                keep_database=keep_database,
                progress=_progress,
            )
        )
        print_table("pos: add-item and complete, each alone (requests/s; ms)", report.rows())
        print_json_lines(report.json_rows())
        for item in report.saturation:
            console.print(str(item))
        for comparison in report.comparisons:
            console.print(str(comparison))
        for line in report.service_errors:
            console.print(f"[yellow]logged an error:[/yellow] {line}")
        for url in report.database_urls:
            console.print(f"[dim]kept the database: {url}[/dim]")


if __name__ == "__main__":
    app()
