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
from typing import Annotated

import typer

from shopfloor_bench import audit, auth_me, catalog, events_latency, events_relay, inventory, pos
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
        help="Auth base URL, bypassing the gateway (default: http://127.0.0.1:PORT, "
        "PORT = $SHOPFLOOR_SERVICE_PORT_BASE or 8100, plus 1)"
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
    warmup: int,
) -> None:
    result = run(
        auth_me.run_auth_me(
            gateway=gateway or auth_me.default_gateway_url(),
            direct=direct or auth_me.default_direct_url(),
            email=email or auth_me.default_email(),
            password=password or auth_me.default_password(),
            concurrency=concurrency,
            requests=requests,
            warmup=warmup,
        )
    )
    rows = [result.direct.to_dict(), result.gateway.to_dict()]
    print_table("auth-me: GET /api/auth/me", rows)
    print_json_lines([*rows, result.ratio.to_dict()])
    console.print(str(result.ratio))


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


@app.command("auth-me")
def auth_me_command(
    gateway_url: GatewayOpt = None,
    direct_url: DirectOpt = None,
    email: EmailOpt = None,
    password: PasswordOpt = None,
    concurrency: ConcurrencyOpt = auth_me.DEFAULT_CONCURRENCY,
    requests: RequestsOpt = auth_me.DEFAULT_REQUESTS,
    warmup: WarmupOpt = auth_me.DEFAULT_WARMUP,
) -> None:
    """GET /api/auth/me through the gateway vs straight to auth, and the ratio.

    Needs the platform running (`make up`); exits 2 with a message when it is not.
    """
    with _failures():
        _context()
        _auth(gateway_url, direct_url, email, password, concurrency, requests, warmup)


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
        typer.Option("--skip-auth-me", help="Run only the event benchmarks (no platform needed)."),
    ] = False,
) -> None:
    """Every benchmark with its defaults: events-relay, events-latency, auth-me.

    auth-me needs `make up`; without --skip-auth-me the platform is checked first,
    so a missing platform fails at once rather than after the event benchmarks.
    """
    with _failures():
        _context()
        if not skip_auth_me:
            run(
                auth_me.prepare(
                    auth_me.default_gateway_url(),
                    auth_me.default_direct_url(),
                    email or auth_me.default_email(),
                    password or auth_me.default_password(),
                )
            )
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
            _auth(None, None, email, password, concurrency, requests, auth_me.DEFAULT_WARMUP)


if __name__ == "__main__":
    app()
