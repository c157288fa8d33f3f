"""The POS benchmark's plumbing and one tiny whole run (no timing assertions).

The whole run is the real thing at a tiny size: POS and inventory migrated and served
as processes, Caddy in front of POS, checkouts both ways, inventory catching up from
JetStream, single sales timed to inventory's ``sold``, and the final check that every
unit POS sold is sold in inventory.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from common.events.bus import NatsBus
from common.events.envelope import stream_name
from common.testing.engines import free_port
from shopfloor_bench.auth_me import PlatformUnavailable
from shopfloor_bench.engines import backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.inventory import Verification
from shopfloor_bench.pos import (
    STAGES,
    Sizes,
    SoldCheck,
    Till,
    UnitPool,
    make_seed,
    run_checkouts,
    run_pos,
    tender,
    watching,
)

pytest.importorskip("pos")
pytest.importorskip("inventory")

Serve = Callable[[Any], AbstractAsyncContextManager[str]]  # the ``serve`` fixture (conftest)
TINY = Sizes(units=20, registers=2, cart_items=2, checkouts=3, warmup=1, sales=2)


def test_sizes_count_the_units_a_run_sells() -> None:
    assert Sizes().needed == 2 * (5 + 100) * 10 + 5 + 100
    assert TINY.needed == 2 * (1 + 3) * 2 + 1 + 2 == 19
    with pytest.raises(ValueError, match="too few"):
        Sizes(units=18, registers=2, cart_items=2, checkouts=3, warmup=1, sales=2)
    with pytest.raises(ValueError):
        Sizes(units=100, checkouts=0)


def test_the_seed_is_reproducible_and_every_unit_is_sold_once() -> None:
    first, again, other = make_seed(30, 7), make_seed(30, 7), make_seed(30, 8)
    assert first.units == again.units and first.store_id == again.store_id
    assert first.units != other.units
    assert [unit.sku for unit in first.units[:2]] == ["POS-B000001", "POS-B000002"]
    assert all(Decimal("5.00") <= unit.price <= Decimal("500.00") for unit in first.units)
    pool = UnitPool(first)
    taken = pool.take(10) + pool.take(20)
    assert sorted(unit.sku for unit in taken) == sorted(unit.sku for unit in first.units)
    with pytest.raises(Exception, match="raise --units"):
        pool.take(1)


def test_cash_tendered_leaves_change() -> None:
    assert tender(Decimal("12.34")) == 50
    assert tender(Decimal("50.00")) == 100
    assert tender(Decimal("1234.56")) == 1250


def test_a_unit_missing_in_inventory_is_a_problem() -> None:
    balances = Verification(pairs=3, ledger_rows=4, mismatches=[], running_mismatches=0, seconds=0)
    fine = SoldCheck(3, 3, [], 0, {"pos": 0, "inventory": 0}, balances)
    assert fine.ok and "OK (3 of 3" in str(fine)
    late = SoldCheck(3, 2, ["POS-B000002: on_shelf"], 0, {"pos": 0, "inventory": 0}, balances)
    assert not late.ok and "NO (2 of 3" in str(late) and "POS-B000002" in str(late)
    oversold = SoldCheck(3, 3, [], 1, {"pos": 0, "inventory": 0}, balances)
    assert not oversold.ok


class StubPos:
    """Carts: created (201), every add-item refused with 409 as POS does for a sold unit."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        path = scope["path"]
        self.requests.append(path)
        status, body = (201, {"id": "c1"}) if path == "/api/pos/carts" else (409, {"detail": "no"})
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": json.dumps(body).encode()})


async def test_a_failed_checkout_names_the_step(serve: Serve) -> None:
    seeded = make_seed(TINY.units, 3)
    tills = [Till(f"r{n}", f"d{n}", {}) for n in (1, 2)]
    stub = StubPos()
    async with serve(stub) as base:
        with pytest.raises(BenchmarkFailed, match=r"add POS-B0000\d\d: POST /api/pos/carts/c1/"):
            await run_checkouts("direct", base, tills, UnitPool(seeded), TINY)
    assert stub.requests[0] == "/api/pos/carts"


async def test_a_unit_that_never_becomes_sold_fails_the_run(pg_server: str) -> None:
    with psycopg.connect(pg_server, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS bench_pos_watch")
        connection.execute("CREATE DATABASE bench_pos_watch")
    url = pg_server.rpartition("/")[0] + "/bench_pos_watch"
    [unit] = make_seed(1, 5).units
    with psycopg.connect(url) as connection:
        connection.execute("CREATE TABLE items (id uuid PRIMARY KEY, status text)")
        connection.execute("INSERT INTO items VALUES (%s, 'on_shelf')", (unit.id,))
    async with watching(url) as watch:
        with pytest.raises(BenchmarkFailed, match="1 of 1 units sold in POS never became sold"):
            await watch.until_sold([unit.id], interval=0.05, stall_timeout=0.3)
    with psycopg.connect(pg_server, autocommit=True) as connection:
        connection.execute("DROP DATABASE bench_pos_watch")


async def test_a_nats_with_the_services_streams_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/x")
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    with backends() as backend:
        bus = NatsBus(backend.nats_url, name="test")
        await bus.connect(timeout=15)
        try:
            await bus.ensure_stream("pos")
            with pytest.raises(PlatformUnavailable, match="POS"):
                await run_pos(backend, sizes=TINY)
            await bus.js.stream_info(stream_name("pos"))  # left as it was
        finally:
            await bus.close()


async def test_a_tiny_run_end_to_end(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_server)
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    messages: list[str] = []
    with backends() as backend:  # our PostgreSQL, an embedded NATS
        report = await run_pos(backend, sizes=TINY, progress=messages.append)
        bus = NatsBus(backend.nats_url, name="test")
        await bus.connect(timeout=15)
        try:
            left = [info.config.name for info in await bus.js.streams_info()]
        finally:
            await bus.close()
    assert not left, "the services' streams are deleted at the end"

    for run in (report.direct, report.gateway):
        assert len(run.checkouts) == TINY.checkouts and len(run.warmup) == TINY.warmup
        assert all(len(sale.units) == TINY.cart_items for sale in run.sales)
        assert run.checkout.count == TINY.checkouts and run.elapsed_s > 0
        assert run.add_item.count == TINY.checkouts * TINY.cart_items
    rows = report.checkout_rows()
    assert [row["scenario"] for row in rows] == [
        f"{what} · {path}"
        for path in ("direct", "gateway")
        for what in ("checkout (4 requests)", "create cart", "add-item", "complete")
    ]
    assert [str(item).split(":")[0] for item in report.ratios] == ["checkout", "complete"]
    assert all(item.p50 is not None for item in report.ratios)

    checked_out = 2 * (TINY.warmup + TINY.checkouts) * TINY.cart_items
    assert (report.catch_up.units, report.catch_up.sales) == (checked_out, 2 * 4)
    assert report.latency.sales == TINY.sales
    for _name, stage in STAGES:
        assert report.latency.stats(stage).count == TINY.sales, stage
    sold = report.latency.stats("sold")
    assert sold.p50 > 0 and sold.p95 >= sold.p50

    # every sold item reached inventory
    assert report.check.ok, str(report.check)
    assert report.check.units == report.check.sold == TINY.needed
    assert report.check.balances.ok and report.problems() == []

    names = [row["scenario"] for row in report.json_rows()]
    assert names[0] == "pos seed (SQL, both databases)"
    assert names[-1] == "sold in POS = sold in inventory"
    assert any("gateway (Caddy) on http://127.0.0.1:" in message for message in messages)
    with psycopg.connect(pg_server) as connection:
        dropped = connection.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'bench_pos_%'"
            " OR datname LIKE 'bench_inventory_%'"
        ).fetchone()
    assert dropped == (0,), "the run's databases are dropped"
