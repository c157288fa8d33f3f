"""The inventory benchmark's seed, checks and plumbing (tiny sizes, no timing assertions).

The seed runs on inventory's real schema (its own Alembic history) in an embedded
PostgreSQL: it must be what inventory itself keeps (balances = ledger sums,
``quantity_after`` the running sum, never negative), the same for the same seed,
and the balance check must catch a ledger row the balances do not know. One
whole run serves inventory as a process and drives it through HTTP.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from common.security import KeyStore, TokenVerifier, parse_public_keys
from shopfloor_bench.engines import backends
from shopfloor_bench.inventory import (
    InventoryReport,
    PostingResult,
    Seeded,
    Sizes,
    Verification,
    admin_token,
    entry_body,
    inventory_database,
    public_pem,
    run_inventory,
    scenarios,
    seed_inventory,
    verify_balances,
)
from shopfloor_bench.stats import LatencyStats

pytest.importorskip("inventory")

TINY = Sizes(stores=2, locations=6, keys=40, ledger_rows=3_000, items=120)


# -- the seed's shape ---------------------------------------------------------------


def test_homes_are_distinct_locations_one_per_store() -> None:
    sizes = Sizes()
    for key in (1, 2, 7, 9_999, 10_000):
        homes = [sizes.home(key, which) for which in range(sizes.homes)]
        assert len(set(homes)) == sizes.homes == 5
        assert all(0 <= home < sizes.locations for home in homes)
        assert sorted(sizes.store_of(home) for home in homes) == [0, 1, 2, 3, 4]
    assert [sizes.store_of(index) for index in (0, 9, 10, 49)] == [0, 0, 1, 4]


@pytest.mark.parametrize(
    "kwargs", [{"keys": 0}, {"locations": 1}, {"stores": 4, "locations": 3}, {"items": 0}]
)
def test_impossible_sizes_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        Sizes(**kwargs)


def _seeded(sizes: Sizes = TINY) -> Seeded:
    rng = random.Random(1)
    return Seeded(
        sizes=sizes,
        random_seed=7,
        store_ids=[uuid.uuid4() for _ in range(sizes.stores)],
        location_ids=[uuid.UUID(int=rng.getrandbits(128)) for _ in range(sizes.locations)],
    )


def test_entries_are_reproducible_receipts_and_transfers() -> None:
    seeded = _seeded()
    first = [entry_body(random.Random(3), seeded) for _ in range(1)]
    again = [entry_body(random.Random(3), seeded) for _ in range(1)]
    assert first == again
    rng = random.Random(5)
    bodies = [entry_body(rng, seeded) for _ in range(200)]
    assert {body["entry_type"] for body in bodies} == {"receipt", "transfer"}
    for body in bodies:
        skus = [line["sku"] for line in body["lines"]]
        assert 1 <= len(skus) <= 3 and len(set(skus)) == len(skus)
        for line in body["lines"]:
            assert line["sku"].startswith("SKU-") and 1 <= int(line["quantity"]) <= 3
            if body["entry_type"] == "transfer":
                assert line["source_location_id"] != line["target_location_id"]
            else:
                assert "source_location_id" not in line and line["unit_cost"]


def test_scenarios_are_the_five_lookups() -> None:
    listed = {scenario.name: scenario for scenario in scenarios(_seeded(), variety=10)}
    assert list(listed) == [
        "balance by SKU + location",
        "item lookup by SKU (public)",
        "ledger by SKU, page 1",
        "ledger page 1 (newest first)",
        "ledger by location, page 1",
    ]
    assert (
        listed["balance by SKU + location"].paths[0].startswith("/api/inventory/stock?sku=SKU-0000")
    )
    assert "&location=" in listed["balance by SKU + location"].paths[0]
    lookup = listed["item lookup by SKU (public)"]
    assert not lookup.auth and lookup.paths[0].startswith("/api/inventory/items/lookup/ITM-B")
    assert listed["ledger page 1 (newest first)"].paths == ["/api/stock-ledgers"]
    assert len(listed["ledger by location, page 1"].paths) == TINY.locations


def test_wrong_answers_are_problems_but_409s_are_not() -> None:
    def posting(**counts: int) -> PostingResult:
        fields: dict[str, Any] = {
            "writers": 2,
            "attempted": 10,
            "posted": 10,
            "lines": 20,
            "conflicts": 0,
            "not_found_after_201": 0,
            "failures": 0,
            "elapsed_s": 2.0,
            "create": LatencyStats.of([0.01]),
            "post": LatencyStats.of([0.02]),
            "statuses": {},
            "sample_failures": ["post 500: boom"],
        }
        return PostingResult(**{**fields, **counts})

    ok = Verification(pairs=5, ledger_rows=9, mismatches=[], running_mismatches=0, seconds=0.1)
    fine = InventoryReport(_seeded(), [], posting(posted=8, conflicts=2), ok)
    assert fine.problems() == [] and fine.posting is not None
    assert fine.posting.entries_per_s == 4.0
    assert fine.json_rows()[-2]["conflicts_409"] == 2
    raced = InventoryReport(_seeded(), [], posting(posted=9, not_found_after_201=1), ok)
    [problem] = raced.problems()
    assert "answered 404" in problem and "COMMIT had not happened" in problem
    broken = InventoryReport(_seeded(), [], posting(posted=9, failures=1), ok)
    assert "post 500: boom" in broken.problems()[0]
    wrong = Verification(
        pairs=5,
        ledger_rows=9,
        mismatches=[(1, uuid.uuid4(), None, Decimal(3))],
        running_mismatches=0,
        seconds=0.1,
    )
    assert "balance None, ledger sum 3" in InventoryReport(_seeded(), [], None, wrong).problems()[0]


async def test_the_token_is_an_admin_token_inventory_accepts() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    verifier = TokenVerifier(
        KeyStore(static_keys=parse_public_keys(public_pem(key))),
        issuer="shopfloor-auth",
        audience="shopfloor",
    )
    principal = await verifier.principal(admin_token(key))
    assert principal.is_admin


# -- the seed, on inventory's real schema ------------------------------------------------


@pytest.fixture
async def database(pg_server: str) -> AsyncIterator[str]:
    async with inventory_database(pg_server) as url:
        yield url


def _rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as connection:
        return list(connection.execute(query).fetchall())


FINGERPRINT = (
    "SELECT md5(string_agg(concat_ws(',', k.sku, l.code, s.code, r.quantity_change,"
    " r.quantity_after, r.valuation_rate), ';' ORDER BY r.id))"
    " FROM stock_ledger r JOIN stock_keys k ON k.id = r.stock_key_id"
    " JOIN locations l ON l.id = r.location_id JOIN stores s ON s.id = l.store_id"
)


async def test_seed_is_what_inventory_keeps(database: str, pg_server: str) -> None:
    messages: list[str] = []
    seeded = await seed_inventory(database, TINY, random_seed=11, progress=messages.append)
    assert messages and seeded.seconds > 0
    counts = _rows(
        database,
        "SELECT (SELECT count(*) FROM stores), (SELECT count(*) FROM locations),"
        " (SELECT count(*) FROM articles WHERE kind = 'variant'), (SELECT count(*) FROM stock_keys),"
        " (SELECT count(*) FROM stock_ledger), (SELECT count(*) FROM items),"
        " (SELECT count(*) FROM stock_balances)",
    )[0]
    assert counts[:6] == (2, 6, 40, 40, 3_000, 120)
    assert counts[6] == seeded.balances > 0
    assert _rows(database, "SELECT min(sku), max(sku) FROM articles") == [
        ("SKU-000001", "SKU-000040")
    ]
    assert _rows(database, "SELECT min(sku), max(sku) FROM items") == [
        ("ITM-B000001", "ITM-B000120")
    ]
    assert _rows(database, "SELECT count(*) FROM locations WHERE is_default") == [(2,)]
    # every key sits at its homes only, one per store here (6 locations / 3 homes)
    homes = _rows(
        database,
        "SELECT count(DISTINCT location_id), count(DISTINCT l.store_id) FROM stock_ledger r"
        " JOIN locations l ON l.id = r.location_id GROUP BY stock_key_id",
    )
    assert all(places <= TINY.homes and stores <= TINY.stores for places, stores in homes)
    dangling = _rows(
        database,
        "SELECT (SELECT count(*) FROM stock_ledger r WHERE NOT EXISTS"
        " (SELECT FROM stock_keys k WHERE k.id = r.stock_key_id) OR NOT EXISTS"
        " (SELECT FROM locations l WHERE l.id = r.location_id)),"
        " (SELECT count(*) FROM stock_keys k LEFT JOIN articles a ON a.id = k.article_id"
        " WHERE a.sku IS DISTINCT FROM k.sku),"
        " (SELECT count(*) FROM items i WHERE NOT EXISTS"
        " (SELECT FROM stores s WHERE s.id = i.store_id)),"
        " (SELECT count(*) FROM stock_balances b WHERE NOT EXISTS"
        " (SELECT FROM locations l WHERE l.id = b.location_id))",
    )
    assert dangling == [(0, 0, 0, 0)], "the foreign keys hold (the seed may skip their triggers)"
    assert _rows(database, "SELECT count(*) FROM stock_ledger WHERE quantity_after < 0") == [(0,)]
    assert _rows(database, "SELECT count(*) FROM stock_ledger WHERE quantity_change = 0") == [(0,)]
    assert _rows(
        database,
        "SELECT count(*) FROM stock_ledger r JOIN stock_ledger n ON n.id = r.id + 1"
        " WHERE n.posted_at <= r.posted_at",
    ) == [(0,)], "ids and posting times grow together (newest first either way)"

    verified = await verify_balances(database)
    assert verified.ok and verified.pairs == seeded.balances and verified.ledger_rows == 3_000
    assert "OK" in str(verified)

    # the same options give the same rows
    async with inventory_database(pg_server) as other:
        await seed_inventory(other, TINY, random_seed=11)
        assert _rows(other, FINGERPRINT) == _rows(database, FINGERPRINT)
    async with inventory_database(pg_server) as third:
        await seed_inventory(third, TINY, random_seed=12)
        assert _rows(third, FINGERPRINT) != _rows(database, FINGERPRINT)


async def test_the_check_catches_a_ledger_row_the_balance_missed(database: str) -> None:
    await seed_inventory(database, TINY, random_seed=3)
    with psycopg.connect(database) as connection:
        connection.execute(
            "INSERT INTO stock_ledger (stock_key_id, location_id, quantity_change,"
            " quantity_after, valuation_rate, value_change, voucher_type, voucher_id)"
            " SELECT stock_key_id, location_id, 2, 999, 0, 0, 'test', 'rogue'"
            " FROM stock_balances ORDER BY stock_key_id, location_id LIMIT 1"
        )
    verified = await verify_balances(database)
    assert not verified.ok
    assert len(verified.mismatches) == 1 and verified.running_mismatches == 1
    key, _location, balance, total = verified.mismatches[0]
    assert balance is not None and total - balance == 2
    assert "1 mismatch" in str(verified) and f"stock_key {key}" in str(verified)


# -- one whole run: the service as a process, HTTP, writers, the check -------------------


async def test_a_tiny_run_end_to_end(pg_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_DATABASE_URL", pg_server)
    monkeypatch.delenv("BENCH_NATS_URL", raising=False)
    messages: list[str] = []
    with backends() as backend:  # our PostgreSQL, an embedded NATS
        assert backend.started == ("nats",)
        report = await run_inventory(
            backend,
            sizes=TINY,
            requests=4,
            warmup=1,
            writers=2,
            entries=4,
            progress=messages.append,
        )
    assert [result.name for result in report.reads] == [s.name for s in scenarios(report.seeded)]
    assert all(result.count == 4 and not result.errors for result in report.reads)
    assert report.posting is not None
    posting = report.posting
    assert posting.attempted == 8 and posting.failures == 0
    assert posting.posted + posting.conflicts + posting.not_found_after_201 == 8
    # a 404 right after the create's 201 is inventory's commit-after-response race (README)
    assert report.verification.ok
    assert all("answered 404" in problem for problem in report.problems())
    assert report.verification.ledger_rows > TINY.ledger_rows
    rows = report.json_rows()
    assert rows[0]["scenario"] == "inventory seed (SQL)"
    assert rows[-1]["scenario"] == "balances = ledger sums" and rows[-1]["ok"] is True
    assert any("serving on http://127.0.0.1:" in message for message in messages)
    left = _rows(
        pg_server, "SELECT count(*) FROM pg_database WHERE datname LIKE 'bench_inventory_%'"
    )
    assert left == [(0,)], "the run's database is dropped"
