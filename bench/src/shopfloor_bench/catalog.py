"""catalog: product list/filter/search/ordering/detail latency on a 100,000-product catalogue.

Needs the platform from ``make up``: the gateway on
``http://127.0.0.1:${SHOPFLOOR_GATEWAY_PORT:-8000}``, catalog on
``http://127.0.0.1:$((${SHOPFLOOR_SERVICE_PORT_BASE:-8100} + 2))`` and catalog's
database (``DATABASE_URL``, default
``postgresql://postgres@127.0.0.1:${SHOPFLOOR_PG_PORT:-5433}/shopfloor_catalog``).

Seeding (``--seed``, the default) goes straight into catalog's database with
``COPY``: a taxonomy (8 departments, 5 categories each, 5 subcategories each), 50 brands,
``--products`` products (each placed in a subcategory, its category and department;
prices 1.00-5,000.00; 85 % active, 10 % draft, 5 % archived; creation dates spread
over two years) with 1-3 variants each (own SKU, a third with a price override).
``search_text`` is computed as catalog does (``catalog.products.search.fold`` of
name, description and SKUs) and slugs are unique against what the database
already holds. Every seeded row is marked (``attributes.bench`` on products, the
description ``shopfloor-bench seed`` on taxonomy and brands), so a new seed first
deletes the previous one and nothing else. Then ``VACUUM ANALYZE``. No events are
published for seeded rows: they never went through the API.

Each scenario then sends the same requests straight to catalog and through the
gateway (direct first) with the same concurrency, count and warm-up, after
checking that both paths answer 200 with results; the ratio is gateway ÷ direct.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import psycopg

from shopfloor_bench.auth_me import PlatformUnavailable, ensure_listening
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.http import NotLoopbackError, RequestSpec, Result, ensure_loopback, run_load
from shopfloor_bench.report import Ratio, ratio

DEFAULT_PRODUCTS = 100_000
DEFAULT_CONCURRENCY = 10
DEFAULT_REQUESTS = 500
DEFAULT_WARMUP = 50
SLOW_P95_MS = 100.0
SEED_MARK = "shopfloor-bench seed"
RANDOM_SEED = 20_241_112
PRODUCTS_PATH = "/api/products"

Progress = Callable[[str], None]


# ------------------------------------------------------------------ where things are


def default_gateway_url() -> str:
    return f"http://127.0.0.1:{int(os.environ.get('SHOPFLOOR_GATEWAY_PORT') or 8000)}"


def default_direct_url() -> str:
    """Catalog is the second service of the route table: base + 2."""
    base = int(os.environ.get("SHOPFLOOR_SERVICE_PORT_BASE") or 8100)
    return f"http://127.0.0.1:{base + 2}"


def default_database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    port = int(os.environ.get("SHOPFLOOR_PG_PORT") or 5433)
    return f"postgresql://postgres@127.0.0.1:{port}/shopfloor_catalog"


def libpq_url(url: str) -> str:
    """Any ``postgres://`` / ``postgresql+driver://`` form → what psycopg accepts."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.startswith("postgres"):
        raise ValueError(f"not a PostgreSQL URL: {url!r}")
    return f"postgresql://{rest}"


def ensure_loopback_database(url: str) -> str:
    """The psycopg URL when the database is on this machine; ``NotLoopbackError`` otherwise."""
    plain = libpq_url(url)
    host = (urlsplit(plain).hostname or "").lower()
    if host and host != "localhost" and not host.startswith("/"):
        try:
            ensure_loopback(f"http://{host}/" if ":" not in host else f"http://[{host}]/")
        except NotLoopbackError:
            raise NotLoopbackError(
                f"refusing to seed {host!r}: the catalog benchmark only writes to a database "
                "on this machine (127.0.0.1, ::1 or localhost)"
            ) from None
    return plain


# ------------------------------------------------------------------ what catalog computes


def fold(text: str) -> str:
    """Exactly ``catalog.products.search.fold``: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def slug_base(name: str) -> str:
    """A readable slug for the benchmark's own (ASCII-foldable) names: ``Café X1`` → ``cafe-x1``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "item"


class SlugAllocator:
    """``unique("Phones")`` → ``phones``, then ``phones-2``, … skipping slugs already taken."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def unique(self, name: str) -> str:
        base = slug_base(name)
        if base not in self.taken:
            self.taken.add(base)
            return base
        suffix = self._next.get(base, 2)
        while f"{base}-{suffix}" in self.taken:
            suffix += 1
        self._next[base] = suffix + 1
        slug = f"{base}-{suffix}"
        self.taken.add(slug)
        return slug


# ------------------------------------------------------------------ the generated catalogue

DEPARTMENTS = [
    "Phones",
    "Computers",
    "Audio",
    "Cameras",
    "Gaming",
    "Home",
    "Wearables",
    "Accessories",
]
CATEGORY_WORDS = ["Essentials", "Premium", "Refurbished", "Outlet", "Pro"]
SUBCATEGORY_WORDS = ["Starter", "Classic", "Advanced", "Studio", "Travel"]
BRANDS = [
    f"{stem}{suffix}"
    for stem in ("Nova", "Orion", "Zephyr", "Atlas", "Kite")
    for suffix in ("tek", "ware", "lab", "one", "works", "sonic", "gear", "line", "craft", "hub")
]
ADJECTIVES = [
    "Ultra",
    "Compact",
    "Smart",
    "Wireless",
    "Rugged",
    "Café",
    "Crème",
    "Éclair",
    "Noir",
    "Turbo",
    "Silent",
    "Solar",
    "Classic",
    "Retro",
    "Sport",
    "Studio",
    "Travel",
    "Prime",
    "Nano",
    "Titan",
]
NOUNS = [
    ("Phone", "PHN"),
    ("Tablet", "TAB"),
    ("Laptop", "LAP"),
    ("Headphones", "HPH"),
    ("Speaker", "SPK"),
    ("Charger", "CHG"),
    ("Cable", "CBL"),
    ("Watch", "WCH"),
    ("Camera", "CAM"),
    ("Router", "RTR"),
    ("Monitor", "MON"),
    ("Keyboard", "KBD"),
    ("Mouse", "MSE"),
    ("Drone", "DRN"),
    ("Console", "CNS"),
]
MODELS = ["X1", "S20", "Mini", "Max", "Lite", "Plus", "2024", "Neo", "Air", "Edge", "Go", "One"]
FEATURES = [
    "long battery life",
    "fast charging",
    "a scratch-resistant finish",
    "noise cancelling",
    "a two-year warranty",
    "très bon état",
    "an OLED display",
    "water resistance",
]
VARIANT_OPTIONS = ["64GB Black", "128GB Silver", "256GB Blue", "512GB Rosé", "1TB Graphite"]
STATUSES = ["active"] * 17 + ["draft"] * 2 + ["archived"]


@dataclass
class Seeded:
    """What the scenarios need to know about the seeded catalogue."""

    products: int = 0
    variants: int = 0
    category_slugs: list[str] = field(default_factory=list)
    product_slugs: list[str] = field(default_factory=list)  # a sample for detail requests
    sku_fragments: list[str] = field(default_factory=list)  # a sample for SKU searches
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "catalog seed (COPY)",
            "products": self.products,
            "variants": self.variants,
            "seconds": self.seconds,
            "products_per_s": self.products / self.seconds if self.seconds else 0.0,
        }


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100 + 1)) / 100


def _jsonb(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _taken(cursor: psycopg.AsyncCursor[Any], table: str) -> set[str]:
    await cursor.execute(f"SELECT slug FROM {table}")  # table names are ours, never input
    return {row[0] for row in await cursor.fetchall()}


async def delete_previous_seed(connection: psycopg.AsyncConnection[Any]) -> int:
    """Remove an earlier benchmark seed (and only it); returns how many products went."""
    async with connection.cursor() as cursor:
        await cursor.execute(
            "DELETE FROM variants WHERE product_id IN "
            "(SELECT id FROM products WHERE attributes ? 'bench')"
        )
        await cursor.execute("DELETE FROM products WHERE attributes ? 'bench'")
        removed = cursor.rowcount
        for table in ("subcategories", "categories", "departments", "brands"):
            await cursor.execute(
                f"DELETE FROM {table} WHERE description = %s",  # our own table names
                (SEED_MARK,),
            )
    return int(removed)


async def _insert_named(
    cursor: psycopg.AsyncCursor[Any],
    table: str,
    rows: Sequence[tuple[Any, ...]],
    columns: Sequence[str],
) -> list[int]:
    """INSERT … RETURNING id for the small tables (taxonomy, brands), in order."""
    placeholders = ", ".join(["%s"] * len(columns))
    ids = []
    for row in rows:
        await cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) RETURNING id",
            row,
        )
        fetched = await cursor.fetchone()
        assert fetched is not None
        ids.append(int(fetched[0]))
    return ids


async def seed_catalog(
    database_url: str,
    *,
    products: int = DEFAULT_PRODUCTS,
    progress: Progress | None = None,
    samples: int = 500,
) -> Seeded:
    """Replace the previous benchmark seed with ``products`` products and their variants."""
    say = progress or (lambda _message: None)
    rng = random.Random(RANDOM_SEED)
    started = time.perf_counter()
    seeded = Seeded()
    url = ensure_loopback_database(database_url)
    async with await _connect(url) as connection:
        async with connection.transaction():
            removed = await delete_previous_seed(connection)
            if removed:
                say(f"removed the previous seed ({removed:,} products)")
        async with connection.transaction(), connection.cursor() as cursor:
            now = datetime.now(UTC)
            slugs = {
                table: SlugAllocator(await _taken(cursor, table))
                for table in ("departments", "categories", "subcategories", "brands")
            }
            await cursor.execute("SELECT lower(name) FROM brands")
            brand_names = {row[0] for row in await cursor.fetchall()}
            brand_rows = []
            for name in BRANDS:
                while name.lower() in brand_names:  # brand names are unique in catalog
                    name += " B"
                brand_names.add(name.lower())
                brand_rows.append((name, slugs["brands"].unique(name), SEED_MARK, "", ""))
            brand_ids = await _insert_named(
                cursor,
                "brands",
                brand_rows,
                ("name", "slug", "description", "logo_url", "website"),
            )
            # (department id, category id, subcategory id) for every subcategory
            placements: list[tuple[int, int, int]] = []
            for department in DEPARTMENTS:
                [department_id] = await _insert_named(
                    cursor,
                    "departments",
                    [(department, slugs["departments"].unique(department), SEED_MARK)],
                    ("name", "slug", "description"),
                )
                for word in CATEGORY_WORDS:
                    name = f"{department} {word}"
                    slug = slugs["categories"].unique(name)
                    seeded.category_slugs.append(slug)
                    [category_id] = await _insert_named(
                        cursor,
                        "categories",
                        [(department_id, name, slug, SEED_MARK)],
                        ("department_id", "name", "slug", "description"),
                    )
                    sub_rows = [
                        (
                            category_id,
                            f"{name} {sub}",
                            slugs["subcategories"].unique(f"{name} {sub}"),
                            SEED_MARK,
                        )
                        for sub in SUBCATEGORY_WORDS
                    ]
                    for sub_id in await _insert_named(
                        cursor,
                        "subcategories",
                        sub_rows,
                        ("category_id", "name", "slug", "description"),
                    ):
                        placements.append((department_id, category_id, sub_id))
            say(f"taxonomy: {len(DEPARTMENTS)} departments, {len(placements)} subcategories")

            product_slugs = SlugAllocator(await _taken(cursor, "products"))
            variant_slugs = SlugAllocator(await _taken(cursor, "variants"))
            await cursor.execute("SELECT upper(sku) FROM variants")
            taken_skus = {row[0] for row in await cursor.fetchall()}
            sample_every = max(1, products // samples)
            product_rows: list[tuple[Any, ...]] = []
            variant_rows: list[tuple[Any, ...]] = []
            for index in range(products):
                adjective = rng.choice(ADJECTIVES)
                noun, code = rng.choice(NOUNS)
                model = rng.choice(MODELS)
                name = f"{adjective} {noun} {model}"
                description = (
                    f"{adjective} {noun.lower()} with {rng.choice(FEATURES)} "
                    f"and {rng.choice(FEATURES)}."
                )
                product_id = uuid.uuid4()
                slug = product_slugs.unique(name)
                department_id, category_id, subcategory_id = rng.choice(placements)
                created = now - timedelta(seconds=rng.randrange(0, 2 * 365 * 86_400))
                price = _money(rng, 1, 5_000)
                skus = []
                for number in range(1, rng.randint(1, 3) + 1):
                    sku = f"{code}{index:06d}-{number}"
                    if sku in taken_skus:
                        sku = f"{sku}-B{uuid.uuid4().hex[:6].upper()}"
                    skus.append(sku)
                    option = rng.choice(VARIANT_OPTIONS)
                    override = _money(rng, 1, 5_000) if rng.random() < 0.33 else None
                    variant_rows.append(
                        (
                            uuid.uuid4(),
                            product_id,
                            option,
                            variant_slugs.unique(f"{name} {option}"),
                            sku,
                            override,
                            _jsonb({"option": option}),
                            True,
                            created,
                            created,
                        )
                    )
                product_rows.append(
                    (
                        product_id,
                        name,
                        slug,
                        description,
                        rng.choice(brand_ids),
                        department_id,
                        category_id,
                        subcategory_id,
                        price,
                        "USD",
                        rng.choice(STATUSES),
                        _jsonb({"bench": True}),
                        "[]",
                        fold(" ".join([name, description, *skus])),
                        created,
                        created,
                    )
                )
                if index % sample_every == 0:
                    seeded.product_slugs.append(slug)
                    seeded.sku_fragments.append(f"{index:06d}")
            say(f"generated {len(product_rows):,} products, {len(variant_rows):,} variants")
            await copy_rows(
                cursor,
                "products",
                (
                    "id",
                    "name",
                    "slug",
                    "description",
                    "brand_id",
                    "department_id",
                    "category_id",
                    "subcategory_id",
                    "base_price",
                    "currency",
                    "status",
                    "attributes",
                    "images",
                    "search_text",
                    "created_at",
                    "updated_at",
                ),
                product_rows,
            )
            await copy_rows(
                cursor,
                "variants",
                (
                    "id",
                    "product_id",
                    "name",
                    "slug",
                    "sku",
                    "price_override",
                    "attributes",
                    "is_active",
                    "created_at",
                    "updated_at",
                ),
                variant_rows,
            )
            seeded.products, seeded.variants = len(product_rows), len(variant_rows)
        say("copied; VACUUM ANALYZE")
        await connection.set_autocommit(True)
        for table in (
            "products",
            "variants",
            "departments",
            "categories",
            "subcategories",
            "brands",
        ):
            await connection.execute(f"VACUUM ANALYZE {table}")
    seeded.seconds = time.perf_counter() - started
    return seeded


async def _connect(url: str) -> psycopg.AsyncConnection[Any]:
    try:
        return await psycopg.AsyncConnection.connect(url, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise PlatformUnavailable(
            f"catalog's database does not answer at {_redact(url)} ({exc.__class__.__name__}). "
            "Start the platform with `make up` first, or pass --database-url / DATABASE_URL."
        ) from exc


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


async def copy_rows(
    cursor: psycopg.AsyncCursor[Any],
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    async with cursor.copy(statement) as copy:
        for row in rows:
            await copy.write_row(row)


async def read_seeded(database_url: str, samples: int = 500) -> Seeded:
    """What an earlier ``--seed`` left, for ``--no-seed`` runs."""
    url = ensure_loopback_database(database_url)
    seeded = Seeded()
    async with await _connect(url) as connection, connection.cursor() as cursor:
        await cursor.execute("SELECT count(*) FROM products WHERE attributes ? 'bench'")
        row = await cursor.fetchone()
        seeded.products = int(row[0]) if row else 0
        if not seeded.products:
            raise BenchmarkFailed("no seeded products in catalog's database: run with --seed")
        await cursor.execute(
            "SELECT count(*) FROM variants v JOIN products p ON p.id = v.product_id "
            "WHERE p.attributes ? 'bench'"
        )
        row = await cursor.fetchone()
        seeded.variants = int(row[0]) if row else 0
        await cursor.execute(
            "SELECT slug FROM categories WHERE description = %s ORDER BY id", (SEED_MARK,)
        )
        seeded.category_slugs = [r[0] for r in await cursor.fetchall()]
        await cursor.execute(
            "SELECT p.slug, min(v.sku) FROM products p JOIN variants v ON v.product_id = p.id "
            "WHERE p.attributes ? 'bench' GROUP BY p.slug ORDER BY p.slug LIMIT %s",
            (samples,),
        )
        for slug, sku in await cursor.fetchall():
            seeded.product_slugs.append(slug)
            seeded.sku_fragments.append(re.sub(r"^[A-Z]+|-.*$", "", sku))
    return seeded


# ------------------------------------------------------------------ the scenarios


@dataclass(frozen=True)
class Scenario:
    """One kind of request; ``queries`` are cycled (each a path and its query string)."""

    name: str
    queries: Sequence[str]
    expect_results: bool = True


def _query(path: str, **params: object) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def scenarios(seeded: Seeded, variety: int = 20) -> list[Scenario]:
    """The issue's list: page 1, filters, search (a word, a SKU fragment), -price, detail."""
    rng = random.Random(RANDOM_SEED + 1)
    categories = seeded.category_slugs[:variety] or ["none"]
    words = ["wireless", "drone", "cafe", "noise cancelling", "tres bon etat"]
    fragments = rng.sample(seeded.sku_fragments, min(variety, len(seeded.sku_fragments)))
    details = rng.sample(seeded.product_slugs, min(variety * 10, len(seeded.product_slugs)))
    return [
        Scenario("list page 1", [PRODUCTS_PATH]),
        Scenario(
            "list category + price range",
            [
                _query(PRODUCTS_PATH, category=slug, min_price="100", max_price="500")
                for slug in categories
            ],
        ),
        Scenario("search a word", [_query(PRODUCTS_PATH, search=word) for word in words]),
        Scenario(
            "search a SKU fragment",
            [_query(PRODUCTS_PATH, search=fragment) for fragment in fragments],
        ),
        Scenario("ordering -price", [_query(PRODUCTS_PATH, ordering="-price")]),
        Scenario("detail by slug", [f"{PRODUCTS_PATH}/{slug}" for slug in details], False),
    ]


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    direct: Result
    gateway: Result
    ratio: Ratio

    @property
    def slow(self) -> bool:
        return self.direct.p95_ms > SLOW_P95_MS

    def rows(self) -> list[dict[str, object]]:
        return [self.direct.to_dict(), self.gateway.to_dict()]


async def check_answers(base: str, what: str, scenario: Scenario) -> None:
    """Every query of the scenario answers 200 (with results where some are expected)."""
    async with httpx.AsyncClient(timeout=30.0, trust_env=False) as client:
        for query in scenario.queries:
            try:
                response = await client.get(f"{base}{query}")
            except httpx.TransportError as exc:
                raise PlatformUnavailable(
                    f"{what} does not answer at {base} ({type(exc).__name__})"
                ) from exc
            if response.status_code != 200:
                raise BenchmarkFailed(
                    f"{what}: GET {query} answered {response.status_code}: {response.text[:200]}"
                )
            if scenario.expect_results and not response.json().get("results"):
                raise BenchmarkFailed(f"{what}: GET {query} found nothing; is the seed there?")


async def run_scenario(
    scenario: Scenario,
    *,
    gateway: str,
    direct: str,
    concurrency: int,
    requests: int,
    warmup: int,
) -> ScenarioResult:
    await check_answers(direct, "catalog (direct)", scenario)
    await check_answers(gateway, "the gateway", scenario)
    results: dict[str, Result] = {}
    for name, base in (("direct", direct), ("gateway", gateway)):
        specs = [RequestSpec("GET", f"{base}{query}") for query in scenario.queries]
        results[name] = await run_load(
            specs,
            name=f"{scenario.name} · {name}",
            concurrency=concurrency,
            count=requests,
            warmup=warmup,
            timeout=30.0,
        )
        if results[name].errors:
            raise BenchmarkFailed(
                f"{scenario.name} ({name}): {results[name].errors} failed requests "
                f"{dict(results[name].statuses)}"
            )
    return ScenarioResult(
        scenario,
        results["direct"],
        results["gateway"],
        ratio(results["gateway"], results["direct"], f"{scenario.name}: gateway vs direct"),
    )


@dataclass(frozen=True)
class CatalogReport:
    seeded: Seeded
    seeded_now: bool
    results: list[ScenarioResult]

    def rows(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for result in self.results:
            rows.extend(result.rows())
        return rows

    def json_rows(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = [self.seeded.to_dict()] if self.seeded_now else []
        for result in self.results:
            rows.extend([*result.rows(), result.ratio.to_dict()])
        return rows

    def slow(self) -> list[ScenarioResult]:
        return [result for result in self.results if result.slow]


async def run_catalog(
    *,
    gateway: str,
    direct: str,
    database_url: str,
    seed: bool = True,
    products: int = DEFAULT_PRODUCTS,
    concurrency: int = DEFAULT_CONCURRENCY,
    requests: int = DEFAULT_REQUESTS,
    warmup: int = DEFAULT_WARMUP,
    only: Sequence[str] = (),
    progress: Progress | None = None,
) -> CatalogReport:
    """Check the platform answers, seed (or read the seed), then run every scenario."""
    say = progress or (lambda _message: None)
    ensure_loopback(gateway)
    ensure_loopback(direct)
    ensure_loopback_database(database_url)
    async with httpx.AsyncClient(timeout=10.0, trust_env=False) as client:
        await ensure_listening(client, "the gateway", gateway)
        await ensure_listening(client, "catalog (direct)", direct)
    if seed:
        say(f"seeding {products:,} products into {_redact(libpq_url(database_url))}")
        seeded = await seed_catalog(database_url, products=products, progress=say)
        say(f"seeded in {seeded.seconds:.1f} s")
    else:
        seeded = await read_seeded(database_url)
        say(f"using the existing seed: {seeded.products:,} products, {seeded.variants:,} variants")
    results = []
    for scenario in scenarios(seeded):
        if only and scenario.name not in only:
            continue
        say(f"{scenario.name}: direct, then gateway ({requests} requests each)")
        results.append(
            await run_scenario(
                scenario,
                gateway=gateway,
                direct=direct,
                concurrency=concurrency,
                requests=requests,
                warmup=warmup,
            )
        )
    return CatalogReport(seeded, seed, results)
