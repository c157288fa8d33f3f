"""intake: a vendor manifest of ``--rows`` rows (20,000 by default) through the pipeline.

Runs on the event benchmarks' servers (``engines.backends()``). In a database of its own
migrated by inventory's Alembic history, it seeds with SQL one store and ``--products``
catalog products (the read-model intake matches to: "Acme Widget Model 1" …), then serves
inventory as in production (``shopfloor-inventory serve``) and drives it through HTTP with
an admin token: a vendor and an approved order, the manifest uploaded (a CSV with half of
its rows naming a seeded product, the rest near misses), then each step once, timed from
request to answer: ``process-manifest`` (standardise), ``match-products``,
``update-manifest-pricing``, ``finalize-rows`` and ``create-items``. A step answered 202 (the
manifest is over INTAKE_BACKGROUND_ROWS: a background job) is timed until ``job-status``
says done (polled every 50 ms), its answer the job's. It prints each step's seconds, rows/s
and where it ran (request or job), and checks the answers (every row written and matched or not, one unit
per manifest unit). The database is dropped at the end (``--keep-database`` keeps it).
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.services import (
    admin_token,
    error_lines,
    libpq,
    public_pem,
    serve_service,
    service_database,
    with_log_tail,
)

DEFAULT_ROWS = 20_000
DEFAULT_PRODUCTS = 500
DEFAULT_RANDOM_SEED = 20_000
STORE = uuid.UUID("0000000a-0000-4000-8000-00000000be0c")
MAPPINGS = {
    "title": "[Item Description] | trim",
    "brand": "[Brand]",
    "quantity": "[Qty] | integer",
    "unit_cost": "[Unit Cost] | money",
    "retail_price": "[Retail] | money",
    "condition": "[Condition] | lower",
}
STEPS = ("process-manifest", "match-products", "update-manifest-pricing", "finalize-rows",
         "create-items")  # fmt: skip

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Step:
    name: str
    rows: int
    seconds: float
    answer: dict[str, Any] = field(default_factory=dict)
    ran: str = "request"  # or "job"

    def to_dict(self) -> dict[str, object]:
        return {
            "step": self.name,
            "rows": self.rows,
            "seconds": round(self.seconds, 2),
            "rows/s": round(self.rows / self.seconds) if self.seconds else 0,
            "ran": self.ran,
        }


@dataclass(frozen=True)
class IntakeReport:
    rows: int
    units: int
    upload_seconds: float
    steps: list[Step]
    matched: int
    items: int
    service_errors: list[str]

    def rows_table(self) -> list[dict[str, object]]:
        upload = Step("upload-manifest", self.rows, self.upload_seconds)
        return [upload.to_dict(), *(step.to_dict() for step in self.steps)]

    def json_rows(self) -> list[dict[str, object]]:
        return [{"benchmark": "intake", **row} for row in self.rows_table()]


def product_name(number: int) -> str:
    return f"Acme Widget Model {number}"


def manifest(rows: int, products: int, random_seed: int) -> tuple[bytes, int]:
    """The CSV and its units: half the rows name a seeded product, half a near miss."""
    rng = random.Random(random_seed)
    lines = ["Item Description,Brand,Qty,Unit Cost,Retail,Condition"]
    units = 0
    for number in range(rows):
        product = rng.randrange(products * 2)  # >= products: a model nobody seeded
        quantity = rng.randint(1, 3)
        units += quantity
        lines.append(
            f"{product_name(product)} lot {number % 7},Acme,{quantity},"
            f"{rng.randint(1, 90)}.50,{rng.randint(100, 200)}.00,Good"
        )
    return "\n".join(lines).encode(), units


async def seed(database_url: str, products: int) -> None:
    """One store and ``products`` catalog products, as catalog's events would have left them."""
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as connection:
        await connection.execute(
            "INSERT INTO stores (id, code, name, time_zone, is_active, deleted)"
            " VALUES (%s, 'BENCH', 'Bench store', 'UTC', true, false)",
            (STORE,),
        )
        await connection.execute(
            "INSERT INTO catalog_products (id, slug, name, brand, base_price, currency, status,"
            " deleted) SELECT gen_random_uuid(), 'acme-widget-model-' || n,"
            " 'Acme Widget Model ' || n, 'Acme', 150.00, 'USD', 'active', false"
            " FROM generate_series(0, %s - 1) AS n",
            (products,),
        )
        await connection.commit()


async def expect(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    if response.status_code != status:
        raise BenchmarkFailed(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:500]}"
        )
    return dict(response.json())


async def job_answer(
    client: httpx.AsyncClient, orders: str, timeout: float = 1800.0
) -> dict[str, Any]:
    """The answer of the order's job once job-status says done (a failed job fails the run)."""
    deadline = time.perf_counter() + timeout
    while True:
        status = await expect(await client.get(f"{orders}/job-status"))
        if status["status"] == "done":
            return dict(status["job"]["result"])
        if status["status"] not in ("queued", "running") or time.perf_counter() > deadline:
            raise BenchmarkFailed(f"{orders}: the job ended {status}")
        await asyncio.sleep(0.05)


async def run_step(client: httpx.AsyncClient, orders: str, name: str, body: Any) -> Step:
    """One step, timed from request to answer — or to its job's end when it was queued."""
    started = time.perf_counter()
    response = await client.post(f"{orders}/{name}", json=body)
    if response.status_code == 202:
        answer, ran = await job_answer(client, orders), "job"
    else:
        answer, ran = await expect(response), "request"
    return Step(name, 0, time.perf_counter() - started, answer, ran)


async def run_intake(
    backend: Backends,
    *,
    rows: int = DEFAULT_ROWS,
    products: int = DEFAULT_PRODUCTS,
    random_seed: int = DEFAULT_RANDOM_SEED,
    keep_database: bool = False,
    background_rows: int | None = None,
    progress: Progress | None = None,
) -> IntakeReport:
    """Migrate, seed, serve, run each step once; fails on a wrong answer. ``background_rows``
    sets the service's INTAKE_BACKGROUND_ROWS (its default when None)."""
    say = progress or (lambda _message: None)
    key = Ed25519PrivateKey.generate()
    headers = {"Authorization": f"Bearer {admin_token(key)}"}
    data, units = manifest(rows, products, random_seed)
    async with service_database(backend.postgres_url, "inventory", keep=keep_database) as url:
        await seed(url, products)
        say(f"seeded a store and {products:,} catalog products; a manifest of {rows:,} rows")
        with tempfile.TemporaryDirectory(prefix="sf-bench-intake-") as directory:
            log_path = Path(directory) / "inventory.log"
            async with (
                with_log_tail("inventory", log_path),
                serve_service(
                    "inventory",
                    url,
                    backend.nats_url,
                    public_pem(key),
                    log_path,
                    extra_env=None
                    if background_rows is None
                    else {"INTAKE_BACKGROUND_ROWS": str(background_rows)},
                ) as base,
                httpx.AsyncClient(base_url=base, headers=headers, timeout=600.0) as client,
            ):
                vendor = await expect(await client.post("/api/inventory/vendors", json={
                    "code": "BENCH-LOTS", "name": "Bench Lots Co."}), 201)  # fmt: skip
                order = await expect(await client.post("/api/inventory/orders", json={
                    "vendor_id": vendor["id"], "store_id": str(STORE),
                    "lines": [{"description": "Manifest lot", "quantity": "1",
                               "unit_cost": "500.00"}]}), 201)  # fmt: skip
                orders = f"/api/inventory/orders/{order['id']}"
                await expect(await client.post(f"{orders}/submit"))
                started = time.perf_counter()
                await expect(await client.post(f"{orders}/upload-manifest", files={
                    "file": ("bench.csv", data, "text/csv")}))  # fmt: skip
                upload_seconds = time.perf_counter() - started
                bodies: dict[str, Any] = {
                    "process-manifest": {"mappings": MAPPINGS},
                    "update-manifest-pricing": {"rule": {"basis": "retail", "percent": "60"}},
                    "finalize-rows": {},
                }
                steps: list[Step] = []
                for name in STEPS:
                    say(f"{name} …")
                    done = await run_step(client, orders, name, bodies.get(name))
                    steps.append(replace(done, rows=rows))
            service_errors = error_lines(log_path)
    answers = {step.name: step.answer for step in steps}
    processed, matched, created = (
        answers["process-manifest"],
        answers["match-products"],
        answers["create-items"],
    )
    if processed["rows_written"] != rows or processed["units"] != units:
        raise BenchmarkFailed(f"process-manifest answered {processed} for {rows} rows")
    if matched["matched"] + matched["suggested"] + matched["unmatched"] != rows:
        raise BenchmarkFailed(f"match-products answered {matched} for {rows} rows")
    if created["items"] != units:
        raise BenchmarkFailed(f"create-items made {created['items']} units of {units}")
    return IntakeReport(rows, units, upload_seconds, steps, matched["matched"],
                        created["items"], service_errors)  # fmt: skip
