"""The invoicing benchmark's plumbing and one tiny whole run (no timing assertions).

The whole run is the real thing at a tiny size: invoicing migrated, seeded by COPY and
served as a process, every lookup answered, sales published to JetStream and invoiced,
a backlog caught up after a restart, and the final check that every sale has one paid
invoice and every store's numbers run from 1 to its counter."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

import psycopg
import pytest

from invoicing.events.contracts import SaleCompleted
from shopfloor_bench.engines import backends
from shopfloor_bench.invoicing import (
    InvoicingCheck,
    Seeded,
    SeedStore,
    Sizes,
    _split,
    run_invoicing,
    sale_payload,
    scenarios,
)

pytest.importorskip("invoicing")

TINY = Sizes(
    stores=2, customers=10, invoices=80, payments=150, requests=2, warmup=0, sales=2, backlog=15
)


def test_sizes_refuse_payments_that_do_not_fit() -> None:
    assert Sizes().payments == 300_000 and Sizes().invoices == 100_000
    with pytest.raises(ValueError, match="do not fit"):
        Sizes(invoices=100, payments=5_000)
    with pytest.raises(ValueError):
        Sizes(backlog=0)


def test_an_amount_splits_into_positive_cents_that_add_up() -> None:
    rng = random.Random(3)
    for total, parts in ((Decimal("100.00"), 4), (Decimal("0.03"), 8), (Decimal("12.34"), 1)):
        pieces = _split(total, parts, rng)
        assert sum(pieces) == total and all(piece > 0 for piece in pieces)
        assert len(pieces) == min(parts, int(total * 100))


def test_a_bench_sale_is_one_invoicing_accepts() -> None:
    store = SeedStore(uuid.uuid4(), "B00", "Asia/Tokyo")
    seeded = Seeded(TINY, 1, [store], ["CUS-B000001"], ["Nowak"], [])
    sale = SaleCompleted.model_validate(sale_payload(seeded, random.Random(1)))
    assert sum(tender.amount for tender in sale.payments) == sale.total
    assert sale.store_id == store.id and sale.tax_rate == Decimal("0.0875")


def test_a_sale_not_invoiced_is_a_problem() -> None:
    fine = InvoicingCheck(sales=3, invoiced_paid=3, wrong=[], dead_letters=0, gaps=[])
    assert fine.ok and "OK (3 of 3" in str(fine)
    short = InvoicingCheck(
        sales=3, invoiced_paid=2, wrong=["sale x: 2 invoices"], dead_letters=0, gaps=[]
    )
    assert not short.ok and "sale x" in str(short)


async def test_a_tiny_run_end_to_end(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_server)
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    with backends() as backend:  # our PostgreSQL, an embedded NATS
        report = await run_invoicing(backend, sizes=TINY)
    assert report.check.ok, str(report.check)
    assert report.problems() == []
    assert (report.seeded.invoices, report.seeded.payments) == (TINY.invoices, TINY.payments)
    expected = [scenario.name for scenario in scenarios(report.seeded, report.seeded_on)]
    assert [result.name for result in report.lookups] == expected
    assert all(result.count == TINY.requests and result.errors == 0 for result in report.lookups)
    assert len(report.latency.paid) == TINY.sales and all(ms > 0 for ms in report.latency.paid)
    assert report.catch_up.sales == TINY.backlog and report.catch_up.seconds > 0
    assert report.check.sales == TINY.sales + TINY.backlog  # no warm-up at this size
    names = [row["scenario"] for row in report.json_rows()]
    assert names[0] == "seed" and names[-1] == "check"
    with psycopg.connect(pg_server) as connection:
        dropped = connection.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE 'bench_invoicing_%'"
        ).fetchone()
    assert dropped == (0,), "the run's database is dropped"
