"""The catalog benchmark's seed and plumbing (no timing assertions).

The seed is checked against a real PostgreSQL with catalog's own migrations: what it
writes must be what catalog itself would have stored (search_text, unique slugs, a
consistent taxonomy), and a second seed must replace the first without touching rows
the benchmark did not write. The load plumbing runs against a stand-in server.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import psycopg
import pytest

from common.testing.engines import PostgresServer, free_port
from shopfloor_bench.auth_me import PlatformUnavailable
from shopfloor_bench.catalog import (
    PRODUCTS_PATH,
    SlugAllocator,
    ensure_loopback_database,
    fold,
    read_seeded,
    run_catalog,
    run_scenario,
    scenarios,
    seed_catalog,
    slug_base,
)
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.http import NotLoopbackError

Serve = Callable[[Any], AbstractAsyncContextManager[str]]  # the ``serve`` fixture (conftest)


# -- what catalog computes -----------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Café Racer", "CRÈME brûlée", "Straße", "ÉCLAIR phone X1", "tres bon état", "ﬁ"]
)
def test_fold_is_catalogs(text: str) -> None:
    search = pytest.importorskip("catalog.products.search")
    assert fold(text) == search.fold(text)


def test_slugs_are_readable_and_unique() -> None:
    allocator = SlugAllocator(taken={"phones", "phones-3"})
    assert [allocator.unique(name) for name in ("Phones", "phones!", "Phones", "Café X1")] == [
        "phones-2",
        "phones-4",
        "phones-5",
        "cafe-x1",
    ]
    assert slug_base("Éclair Drone 2024") == "eclair-drone-2024"
    assert slug_base("!!!") == "item"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5433/shopfloor_catalog",
        "postgres://u:p@localhost/db",
        "postgresql+psycopg://postgres@[::1]:5433/db",
        "postgresql:///db?host=/tmp/sock",
    ],
)
def test_local_databases_are_accepted(url: str) -> None:
    assert ensure_loopback_database(url).startswith("postgresql://")


@pytest.mark.parametrize(
    "url", ["postgresql://postgres@db.example.com/catalog", "postgresql://u@10.0.0.5:5432/x"]
)
def test_remote_databases_are_refused(url: str) -> None:
    with pytest.raises(NotLoopbackError, match="this machine"):
        ensure_loopback_database(url)


# -- the seed, on catalog's real schema ------------------------------------------


@pytest.fixture(scope="module")
def catalog_database() -> Iterator[str]:
    """An embedded PostgreSQL with a database migrated by catalog's own Alembic history."""
    spec = importlib.util.find_spec("catalog")
    if spec is None or not spec.origin:
        pytest.skip("the catalog package is not installed")
    from common.migrations import upgrade_head

    migrations = Path(spec.origin).resolve().parents[2] / "migrations"
    with tempfile.TemporaryDirectory(prefix="sf-bench-catalog-") as directory:
        server = PostgresServer(Path(directory) / "postgres", free_port())
        server.start()
        try:
            with psycopg.connect(server.url(), autocommit=True) as connection:
                connection.execute("CREATE DATABASE bench_catalog")
            url = server.url("bench_catalog")
            upgrade_head(migrations, url)
            yield url
        finally:
            server.stop()


def _rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as connection:
        return list(connection.execute(query).fetchall())


async def test_seed_writes_what_catalog_would_store(catalog_database: str) -> None:
    url = catalog_database
    with psycopg.connect(url) as connection:  # a row the benchmark did not write
        connection.execute(
            "INSERT INTO departments (name, slug, description) VALUES ('Phones', 'phones', 'mine')"
        )
        connection.execute(
            "INSERT INTO products (id, name, slug, description, base_price, currency, status,"
            " attributes, images, search_text) VALUES (%s, 'Ultra Phone X1', 'ultra-phone-x1',"
            " '', 1, 'USD', 'active', '{}', '[]', 'ultra phone x1')",
            (uuid.uuid4(),),
        )

    messages: list[str] = []
    seeded = await seed_catalog(url, products=300, progress=messages.append, samples=50)
    assert seeded.products == 300 and 300 <= seeded.variants <= 900
    assert messages, "progress is reported"
    counts = _rows(
        url,
        "SELECT count(*), count(DISTINCT slug) FROM products WHERE attributes ? 'bench'",
    )
    assert counts == [(300, 300)]
    assert _rows(url, "SELECT count(*) FROM variants")[0][0] == seeded.variants
    # Unique against what was already there: the hand-made rows keep their slugs.
    assert _rows(url, "SELECT description FROM departments WHERE slug = 'phones'") == [("mine",)]
    assert _rows(url, "SELECT count(*) FROM departments WHERE slug LIKE 'phones-%'")[0][0] == 1
    assert _rows(url, "SELECT count(*) FROM products WHERE slug = 'ultra-phone-x1'")[0][0] == 1

    search = pytest.importorskip("catalog.products.search")
    for name, description, text, skus in _rows(
        url,
        "SELECT p.name, p.description, p.search_text, array_agg(v.sku ORDER BY v.sku)"
        " FROM products p JOIN variants v ON v.product_id = p.id"
        " WHERE p.attributes ? 'bench' GROUP BY p.id",
    ):
        assert text == search.fold(" ".join([name, description, *skus]))
    inconsistent = _rows(
        url,
        "SELECT count(*) FROM products p JOIN subcategories s ON s.id = p.subcategory_id"
        " JOIN categories c ON c.id = s.category_id"
        " WHERE p.category_id <> s.category_id OR p.department_id <> c.department_id",
    )
    assert inconsistent == [(0,)], "every product sits in its subcategory's category/department"
    statuses = dict(_rows(url, "SELECT status, count(*) FROM products GROUP BY status"))
    assert set(statuses) == {"active", "draft", "archived"}

    read = await read_seeded(url, samples=20)
    assert (read.products, read.variants) == (seeded.products, seeded.variants)
    assert len(read.category_slugs) == 40 and len(read.product_slugs) == 20
    fragment = read.sku_fragments[0]
    hits = _rows(url, f"SELECT count(*) FROM products WHERE search_text LIKE '%{fragment}%'")
    assert hits[0][0] >= 1, "a SKU fragment finds its product through search_text"

    again = await seed_catalog(url, products=120)
    assert again.products == 120
    assert _rows(url, "SELECT count(*) FROM products WHERE attributes ? 'bench'")[0][0] == 120
    assert _rows(url, "SELECT count(*) FROM products")[0][0] == 121, "the hand-made one stays"
    assert _rows(url, "SELECT count(*) FROM departments")[0][0] == 1 + 8
    assert json.loads(json.dumps(again.to_dict()))["products"] == 120


async def test_no_seed_without_a_seed_says_so(catalog_database: str) -> None:
    with psycopg.connect(catalog_database) as connection:
        connection.execute("DELETE FROM variants; DELETE FROM products WHERE attributes ? 'bench'")
    with pytest.raises(BenchmarkFailed, match="--seed"):
        await read_seeded(catalog_database)


# -- the scenarios and their load ---------------------------------------------------


class StubCatalog:
    """``/api/products`` → a page (empty when ``empty``); ``/api/products/<slug>`` → 200."""

    def __init__(self, *, empty: bool = False, status: int = 200) -> None:
        self.empty = empty
        self.status = status
        self.paths: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        path = scope["path"]
        self.paths.append(
            path + ("?" + scope["query_string"].decode() if scope["query_string"] else "")
        )
        results = [] if self.empty else [{"slug": "x"}]
        payload: dict[str, Any] = {"count": len(results), "results": results}
        status = self.status if path.startswith(PRODUCTS_PATH) else 200
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": json.dumps(payload).encode()})


@pytest.fixture
def seeded_sample() -> Any:
    from shopfloor_bench.catalog import Seeded

    return Seeded(
        products=10,
        variants=20,
        category_slugs=["phones-essentials", "audio-pro"],
        product_slugs=[f"p-{n}" for n in range(10)],
        sku_fragments=[f"{n:06d}" for n in range(10)],
    )


def test_scenarios_are_the_issues_list(seeded_sample: Any) -> None:
    listed = {scenario.name: scenario for scenario in scenarios(seeded_sample)}
    assert list(listed) == [
        "list page 1",
        "list category + price range",
        "search a word",
        "search a SKU fragment",
        "ordering -price",
        "detail by slug",
    ]
    assert listed["list category + price range"].queries[0] == (
        "/api/products?category=phones-essentials&min_price=100&max_price=500"
    )
    assert listed["ordering -price"].queries == ["/api/products?ordering=-price"]
    assert all(q.startswith("/api/products?search=") for q in listed["search a word"].queries)
    assert all(q.startswith("/api/products/p-") for q in listed["detail by slug"].queries)
    assert not listed["detail by slug"].expect_results


async def test_a_scenario_loads_both_paths(serve: Serve, seeded_sample: Any) -> None:
    direct_app, gateway_app = StubCatalog(), StubCatalog()
    scenario = scenarios(seeded_sample)[1]
    async with serve(direct_app) as direct, serve(gateway_app) as gateway:
        result = await run_scenario(
            scenario, gateway=gateway, direct=direct, concurrency=2, requests=12, warmup=2
        )
    assert (result.direct.count, result.gateway.count) == (12, 12)
    checks = len(scenario.queries)
    assert len(direct_app.paths) == len(gateway_app.paths) == checks + 2 + 12
    assert set(direct_app.paths) == set(scenario.queries)
    assert str(result.ratio).startswith("list category + price range: gateway vs direct: p50 x")


async def test_empty_answers_and_errors_fail_the_run(serve: Serve, seeded_sample: Any) -> None:
    scenario = scenarios(seeded_sample)[2]
    async with serve(StubCatalog(empty=True)) as empty, serve(StubCatalog()) as fine:
        with pytest.raises(BenchmarkFailed, match="found nothing"):
            await run_scenario(
                scenario, gateway=fine, direct=empty, concurrency=1, requests=1, warmup=0
            )
    async with serve(StubCatalog(status=500)) as broken, serve(StubCatalog()) as fine:
        with pytest.raises(BenchmarkFailed, match="500"):
            await run_scenario(
                scenario, gateway=broken, direct=fine, concurrency=1, requests=1, warmup=0
            )


async def test_nothing_listening_says_make_up() -> None:
    gateway, direct = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PlatformUnavailable, match="make up"):
        await run_catalog(
            gateway=gateway,
            direct=direct,
            database_url=f"postgresql://postgres@127.0.0.1:{free_port()}/x",
        )


async def test_a_remote_target_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(NotLoopbackError):
        await run_catalog(
            gateway="http://127.0.0.1:1",
            direct="http://127.0.0.1:2",
            database_url="postgresql://postgres@db.example.com/shopfloor_catalog",
        )
    with pytest.raises(NotLoopbackError):
        await run_catalog(
            gateway="http://192.0.2.1:8000",
            direct="http://127.0.0.1:2",
            database_url="postgresql://postgres@127.0.0.1/x",
        )


# -- catalog-list: lists vs the /healthz floor, interleaved --------------------


async def test_catalog_list_interleaves_the_loads_and_compares_with_healthz(serve: Serve) -> None:
    from shopfloor_bench.catalog_list import LISTS, run_catalog_list

    app = StubCatalog()
    async with serve(app) as base:
        result = await run_catalog_list(base, concurrency=2, requests=6, rounds=3, warmup=2)
    assert [item.order for item in result.rounds] == [
        ("healthz", "products", "stores"),
        ("products", "stores", "healthz"),
        ("stores", "healthz", "products"),
    ], "the order rotates every round"
    # per path: one check, the first round's warm-up, one concurrency's worth later, 3 x 6
    for path in ("/healthz", *LISTS.values()):
        assert app.paths.count(path) == 1 + 2 + 2 + 2 + 3 * 6, path
    assert result.healthz.count == 18 and {name: r.count for name, r in result.lists.items()} == {
        "products": 18,
        "stores": 18,
    }
    assert set(result.floors) == {"products", "stores"}
    assert result.floors["products"].rps == result.lists["products"].rps / result.healthz.rps
    assert all("the same process's /healthz rate" in line for line in result.verdicts())
    assert result.cpu_lines() == [], "no CPU figures for a server whose process is unknown"


async def test_catalog_ab_runs_every_round_on_both_sides_alternating(serve: Serve) -> None:
    from shopfloor_bench.catalog_list import LISTS, ab_rows, run_catalog_ab

    this_app, other_app = StubCatalog(), StubCatalog()
    async with serve(this_app) as this, serve(other_app) as other:
        mine, theirs = await run_catalog_ab(
            this, other, concurrency=2, requests=4, rounds=3, warmup=2
        )
    for result in (mine, theirs):
        assert [item.order[0] for item in result.rounds] == ["healthz", "products", "stores"]
        assert result.healthz.count == 12 and result.lists["products"].count == 12
    for app in (this_app, other_app):
        for path in ("/healthz", *LISTS.values()):
            # per round: a check and a warm-up (the first round's longer), then the load
            assert app.paths.count(path) == 3 * (1 + 4) + 2 + 2 + 2, path
    rows = ab_rows(mine, theirs)
    assert [row["scenario"] for row in rows] == [
        "/healthz this ÷ against",
        "/api/products this ÷ against",
        "/api/stores this ÷ against",
    ]
    assert rows[1]["rps_ratio"] == round(
        mine.lists["products"].rps / theirs.lists["products"].rps, 3
    )
    assert rows[1]["per_cpu_ratio"] is None, "no CPU figures for a process that is unknown"


def test_another_checkouts_catalog_is_found_with_its_common(tmp_path: Path) -> None:
    from shopfloor_bench.catalog_list import other_catalog

    with pytest.raises(PlatformUnavailable, match="services/catalog"):
        other_catalog(tmp_path)
    repository = Path(__file__).resolve().parents[2]
    path, migrations = other_catalog(repository)
    assert path.split(":") == [
        str(repository / "services" / "catalog" / "src"),
        str(repository / "libs" / "common" / "src"),
    ]
    assert (migrations / "env.py").is_file()


async def test_catalog_list_refuses_empty_lists_errors_and_remote_targets(serve: Serve) -> None:
    from shopfloor_bench.catalog_list import run_catalog_list

    async with serve(StubCatalog(empty=True)) as base:
        with pytest.raises(BenchmarkFailed, match="listed nothing"):
            await run_catalog_list(base, requests=1, rounds=1, warmup=0)
    async with serve(StubCatalog(status=500)) as base:
        with pytest.raises(BenchmarkFailed, match="500"):
            await run_catalog_list(base, requests=1, rounds=1, warmup=0)
    with pytest.raises(NotLoopbackError):
        await run_catalog_list("http://192.0.2.1:8102", requests=1, rounds=1)
    with pytest.raises(PlatformUnavailable):
        await run_catalog_list(f"http://127.0.0.1:{free_port()}", requests=1, rounds=1)


def test_the_server_cpu_of_this_process_is_read() -> None:
    import os

    from shopfloor_bench.catalog_list import cpu_seconds

    spent = cpu_seconds(os.getpid())
    assert spent is not None and spent > 0
    assert cpu_seconds(None) is None
