"""invoicing: lists and reports on 100,000 invoices / 300,000 payments, POS sale → invoice
paid, and the consumer catching up with a 10,000-sale backlog.

Runs on the event benchmarks' servers (``engines.backends()``: embedded PostgreSQL and
NATS from the wheels, or ``BENCH_DATABASE_URL`` / ``BENCH_NATS_URL``). Invoicing gets a
database of its own, migrated by its own Alembic history, and is served as in production
(``shopfloor-invoicing serve``: uvicorn, one process, JSON logs to a file). The NATS must
not hold the streams it consumes (``AUTH``, ``CATALOG``, ``POS``) or its own yet.

Seed (COPY, no API; the same rows for the same ``--random-seed``): ``--stores`` stores in
five time zones (New York, Los Angeles, Berlin, Tokyo, Kiritimati), ``--customers``
customers, ``--invoices`` invoices over the last two years (2 % drafts, 3 % void, 10 %
issued, 10 % partly paid, the rest paid), each with 1-3 lines of 500 products at four tax
rates and totals by the invoice rule itself (``invoicing.invoices.totals``), numbered
gaplessly per store and year with the counters to match, a snapshot as issue writes it;
and ``--payments`` payments dealt to the paid, partly paid and void invoices (a void one's
reversed), adding up to each invoice's paid amount. Then ``VACUUM ANALYZE``.

1. **Lookups**, one request at a time with an admin token: invoice lists (page 1, by store
   and status, by store and a month, overdue, a customer's, a search), payment lists, and
   each report over the last 365 days (every store). ``--warmup`` unmeasured requests,
   then ``--requests`` measured per scenario; p50/p95/max against the 150 ms target.
2. **Sale → invoice paid.** ``pos.sale.completed`` events (1-3 lines, card and cash) are
   published to JetStream one at a time, as POS's relay does; from the publish ack,
   invoicing's database is polled every 5 ms until the sale's invoice is committed
   ``paid``. The first payment's ``created_at`` (the consumer's transaction start) splits
   delivery from handling.
3. **Catch-up.** Invoicing stops; ``--backlog`` sales are published; invoicing starts and
   its durable consumer works through them. Measured from ready to the last invoice, and
   the consumer's own rate from its inbox rows' ``processed_at``.

At the end, for every sale published: one invoice, paid, its payments adding up to its
total; no dead letter; every store's numbers from 1 to its counter with no gap.
"""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import nats
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common.events.envelope import Envelope
from common.money import to_wire
from invoicing.invoices.totals import invoice_totals
from shopfloor_bench.catalog import copy_rows
from shopfloor_bench.engines import Backends
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.http import Result
from shopfloor_bench.inventory import Scenario, run_scenario
from shopfloor_bench.pos import own_streams
from shopfloor_bench.services import (
    admin_token,
    error_lines,
    libpq,
    public_pem,
    serve_service,
    service_database,
    with_log_tail,
)
from shopfloor_bench.stats import LatencyStats

DEFAULT_STORES = 5
DEFAULT_CUSTOMERS = 5_000
DEFAULT_INVOICES = 100_000
DEFAULT_PAYMENTS = 300_000
DEFAULT_REQUESTS = 100
DEFAULT_WARMUP = 10
DEFAULT_SALES = 100
DEFAULT_BACKLOG = 10_000
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_RANDOM_SEED = 20_261_201
TARGET_P95_MS = 150.0
POLL_S = 0.005
CATCH_UP_POLL_S = 0.2
PUBLISH_WINDOW = 500  # backlog publishes in flight at once
ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Asia/Tokyo",
    "Pacific/Kiritimati",
)
RATES = (Decimal("0"), Decimal("7"), Decimal("8.75"), Decimal("19"))
PRODUCTS = 500
DAYS = 730
SEED_ACTOR = "shopfloor-bench"
SALES_SUBSCRIBER = "pos-sales-completed"  # invoicing's subscription to pos.sale.completed
SERVICE_STREAMS = ("auth", "catalog", "pos", "invoicing")

Progress = Callable[[str], None]


# ------------------------------------------------------------------ sizes and the seed


@dataclass(frozen=True)
class Sizes:
    stores: int = DEFAULT_STORES
    customers: int = DEFAULT_CUSTOMERS
    invoices: int = DEFAULT_INVOICES
    payments: int = DEFAULT_PAYMENTS
    requests: int = DEFAULT_REQUESTS
    warmup: int = DEFAULT_WARMUP
    sales: int = DEFAULT_SALES
    backlog: int = DEFAULT_BACKLOG

    def __post_init__(self) -> None:
        if (
            min(self.stores, self.customers, self.invoices, self.requests, self.sales, self.backlog)
            < 1
        ):
            raise ValueError("stores, customers, invoices, requests, sales and backlog must be ≥ 1")
        if self.warmup < 0:
            raise ValueError("warmup must not be negative")
        payable = self.invoices - self.invoices // 50  # all but the drafts may hold payments
        if not payable * 0.2 <= self.payments <= payable * 8:
            raise ValueError(
                f"{self.payments:,} payments do not fit {self.invoices:,} invoices "
                "(between a fifth of and eight per issued invoice)"
            )


@dataclass(frozen=True)
class SeedStore:
    id: uuid.UUID
    code: str
    zone: str


@dataclass
class Seeded:
    sizes: Sizes
    random_seed: int
    stores: list[SeedStore]
    customer_numbers: list[str]
    surnames: list[str]
    sample_invoices: list[str]
    dated: list[tuple[str, date]] = field(default_factory=list)  # (store, day) of issued ones
    paid_dated: list[tuple[str, date]] = field(default_factory=list)  # of ones with payments
    invoices: int = 0
    lines: int = 0
    payments: int = 0
    seconds: float = 0.0

    def table_row(self) -> dict[str, object]:
        return {
            "scenario": "seed",
            "stores": len(self.stores),
            "customers": len(self.customer_numbers),
            "invoices": self.invoices,
            "lines": self.lines,
            "payments": self.payments,
            "seconds": self.seconds,
        }


SURNAMES = ("Łukasiewicz", "Ødegård", "Nowak", "Müller", "García", "Tanaka", "Smith", "Ivanova")


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """``total`` in ``parts`` positive cent amounts (as many as the cents allow)."""
    cents = int(total * 100)
    parts = max(1, min(parts, cents))
    cuts = sorted(rng.sample(range(1, cents), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, cents]
    return [Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(parts)]


@dataclass(frozen=True)
class _Line:
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    tax_rate: Decimal


async def seed_invoicing(database_url: str, sizes: Sizes, random_seed: int) -> Seeded:
    """Stores, customers, invoices with lines, counters and payments, by COPY."""
    started = time.perf_counter()
    rng = random.Random(random_seed)
    now = datetime.now(UTC)
    stores = [
        SeedStore(
            uuid.UUID(int=rng.getrandbits(128), version=4), f"B{n:02d}", ZONES[n % len(ZONES)]
        )
        for n in range(sizes.stores)
    ]
    customers = [
        (
            f"bench-customer-{n:06d}",
            f"CUS-B{n:06d}",
            f"{rng.choice(('Zoë', 'Jörg', 'Ana'))} {SURNAMES[n % len(SURNAMES)]}",
        )
        for n in range(1, sizes.customers + 1)
    ]
    # invoices: their dates first, so numbers follow the dates within each store and year
    plans = []
    for _ in range(sizes.invoices):
        store = rng.choice(stores)
        day = now.date() - timedelta(days=rng.randrange(DAYS))
        roll = rng.random()
        status = (
            "draft" if roll < 0.02 else "void" if roll < 0.05 else "issued" if roll < 0.15
            else "partially_paid" if roll < 0.25 else "paid"
        )  # fmt: skip
        plans.append((day, store, status))
    plans.sort(key=lambda plan: (plan[0], plan[1].code))
    counters: dict[tuple[uuid.UUID, int], int] = {}
    invoice_rows: list[tuple[Any, ...]] = []
    snapshot_rows: list[tuple[uuid.UUID, str]] = []
    line_rows: list[tuple[Any, ...]] = []
    payable: list[tuple[uuid.UUID, SeedStore, date, Decimal, str]] = []
    sample: list[str] = []
    invoiced_customers: set[str] = set()
    dated: list[tuple[str, date]] = []
    paid_dated: list[tuple[str, date]] = []
    for day, store, status in plans:
        invoice_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        customer = rng.choice(customers) if rng.random() < 0.7 else None
        lines = [
            _Line(
                Decimal(rng.randint(1, 3)),
                Decimal(rng.randint(500, 50_000)) / 100,
                Decimal(rng.choice((0, 0, 0, 5, 10))),
                rng.choice(RATES),
            )
            for _ in range(rng.randint(1, 3))
        ]
        products = [rng.randrange(1, PRODUCTS + 1) for _ in lines]
        totals = invoice_totals(lines, Decimal(0), "USD")
        issued_at = datetime.combine(day, datetime.min.time(), ZoneInfo(store.zone)) + timedelta(
            hours=12
        )
        number = sequence = year = None
        if status != "draft":
            year = day.year
            sequence = counters[(store.id, year)] = counters.get((store.id, year), 0) + 1
            number = f"INV-{store.code}-{year}-{sequence:06d}"
        paid = Decimal(0)
        if status in ("paid", "partially_paid", "void"):
            payable.append((invoice_id, store, day, totals.total, status))
            paid = totals.total if status == "paid" else Decimal(0)  # partial: set below
        snapshot = {
            "version": 1,
            "number": number,
            "invoice_date": day.isoformat(),
            "currency": "USD",
            "store": {"code": store.code, "name": f"Bench {store.code}", "time_zone": store.zone},
            "customer": {
                "number": customer[1] if customer else None,
                "name": customer[2] if customer else "Walk-in",
            },
            "lines": [
                {
                    "line_no": n,
                    "description": f"Product {p}",
                    "sku": f"SKU-{p:05d}",
                    "net": to_wire(a.net),
                }
                for n, (p, a) in enumerate(zip(products, totals.lines, strict=True), start=1)
            ],
            "total": to_wire(totals.total),
        }
        if number:
            snapshot_rows.append((invoice_id, json.dumps(snapshot)))
        invoice_rows.append(
            (
                invoice_id, store.id, "draft" if status == "draft" else status, number, year, sequence,
                customer[0] if customer else None, customer[1] if customer else None,
                customer[2] if customer else "Walk-in", "", "USD",
                day if number else None, day + timedelta(days=14) if number else None,
                Decimal(0), totals.subtotal, totals.discount_total, totals.tax_total, totals.total,
                paid, "", "manual", None,
                SEED_ACTOR,
                issued_at if number else None, SEED_ACTOR if number else None,
                issued_at if status == "paid" else None,
                issued_at + timedelta(days=1) if status == "void" else None,
                SEED_ACTOR if status == "void" else None,
                "bench: voided" if status == "void" else None,
                issued_at, issued_at,
            )
        )  # fmt: skip
        for n, (product, line, amounts) in enumerate(
            zip(products, lines, totals.lines, strict=True), start=1
        ):
            line_rows.append(
                (
                    invoice_id, n, f"Product {product}", f"SKU-{product:05d}", line.quantity,
                    line.unit_price, line.discount_percent, line.tax_rate, amounts.gross,
                    amounts.discount, amounts.net,
                )
            )  # fmt: skip
        if number and status != "void" and customer:
            invoiced_customers.add(customer[1])
        if number and len(dated) < 1000 and rng.random() < 0.1:
            dated.append((str(store.id), day))
            if status in ("paid", "partially_paid"):
                paid_dated.append((str(store.id), day))
        if len(sample) < 200 and number:
            sample.append(str(invoice_id))
    # payments: at least one per payable invoice, the rest dealt at random (at most 8 each)
    counts = [1] * len(payable)
    for _ in range(max(0, sizes.payments - len(payable))):
        index = rng.randrange(len(payable))
        while counts[index] >= 8:
            index = (index + 1) % len(payable)
        counts[index] += 1
    payment_rows: list[tuple[Any, ...]] = []
    partial_paid: dict[uuid.UUID, Decimal] = {}
    for (invoice_id, store, day, total, status), count in zip(payable, counts, strict=True):
        target = (
            total
            if status != "partially_paid"
            else (total * Decimal(rng.randint(10, 90)) / 100).quantize(Decimal("0.01"))
        )
        target = max(target, Decimal("0.01") * count)
        if status == "partially_paid":
            target = min(target, total - Decimal("0.01"))
            partial_paid[invoice_id] = target
        for k, amount in enumerate(_split(target, count, rng)):
            at = datetime.combine(day, datetime.min.time(), ZoneInfo(store.zone)) + timedelta(
                hours=13, minutes=k
            )
            payment_rows.append(
                (
                    uuid.UUID(int=rng.getrandbits(128), version=4), invoice_id,
                    None, store.id, amount, "USD",  # the invoice's number, filled below
                    rng.choice(("cash", "card", "bank_transfer")), day + timedelta(days=min(k, 3)),
                    "", SEED_ACTOR, at if status == "void" else None,
                    (day + timedelta(days=1)) if status == "void" else None,
                    "void: bench: voided" if status == "void" else None, at, at,
                )
            )  # fmt: skip
    numbers = {row[0]: row[3] for row in invoice_rows}
    payment_rows = [(row[0], row[1], numbers[row[1]], *row[3:]) for row in payment_rows]
    invoice_rows = [
        (*row[:18], partial_paid[row[0]], *row[19:]) if row[0] in partial_paid else row
        for row in invoice_rows
    ]
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as connection:
        async with connection.cursor() as cursor:
            await copy_rows(
                cursor, "stores", ("id", "code", "name", "time_zone", "is_active", "synced_at"),
                [(s.id, s.code, f"Bench {s.code}", s.zone, True, now) for s in stores],
            )  # fmt: skip
            await copy_rows(
                cursor, "customers", ("id", "customer_number", "name", "email", "is_active", "synced_at"),
                [(c[0], c[1], c[2], f"{c[0]}@bench.example", True, now) for c in customers],
            )  # fmt: skip
            await copy_rows(cursor, "invoices", INVOICE_COLUMNS, invoice_rows)
            await copy_rows(cursor, "invoice_snapshots", ("invoice_id", "snapshot"), snapshot_rows)
            await copy_rows(cursor, "invoice_lines", LINE_COLUMNS, line_rows)
            await copy_rows(cursor, "payments", PAYMENT_COLUMNS, payment_rows)
            await copy_rows(
                cursor, "invoice_counters", ("store_id", "year", "last_number"),
                [(store_id, year, last) for (store_id, year), last in counters.items()],
            )  # fmt: skip
        await connection.commit()
        await connection.set_autocommit(True)
        for table in (
            "stores",
            "customers",
            "invoices",
            "invoice_snapshots",
            "invoice_lines",
            "payments",
            "invoice_counters",
        ):
            await connection.execute(f"VACUUM ANALYZE {table}")
    return Seeded(
        sizes=sizes,
        random_seed=random_seed,
        stores=stores,
        customer_numbers=sorted(invoiced_customers),
        surnames=sorted(
            {
                name.rsplit(" ", 1)[-1]
                for _, number, name in customers
                if number in invoiced_customers
            }
        ),
        sample_invoices=sample,
        dated=dated or [(str(stores[0].id), now.date())],
        paid_dated=paid_dated or [(str(stores[0].id), now.date())],
        invoices=len(invoice_rows),
        lines=len(line_rows),
        payments=len(payment_rows),
        seconds=time.perf_counter() - started,
    )


INVOICE_COLUMNS = (
    "id", "store_id", "status", "number", "number_year", "sequence", "customer_id",
    "customer_number", "customer_name", "customer_email", "currency", "invoice_date", "due_date",
    "discount_percent", "subtotal", "discount_total", "tax_total", "total", "paid_amount", "notes",
    "source", "source_id", "created_by", "issued_at", "issued_by", "paid_at",
    "voided_at", "voided_by", "void_reason", "created_at", "updated_at",
)  # fmt: skip
LINE_COLUMNS = (
    "invoice_id", "line_no", "description", "sku", "quantity", "unit_price", "discount_percent",
    "tax_rate", "gross", "discount_amount", "net",
)  # fmt: skip
PAYMENT_COLUMNS = (
    "id", "invoice_id", "invoice_number", "store_id", "amount", "currency", "method", "paid_on",
    "reference", "recorded_by", "reversed_at", "reversed_on", "reversal_reason", "created_at",
    "updated_at",
)  # fmt: skip


# ------------------------------------------------------------------ the lookups


def _query(path: str, **params: object) -> str:
    return f"{path}?{urlencode(params)}" if params else path


REPORTS = (
    "revenue",
    "kpi-dashboard",
    "invoice-status",
    "monthly-invoices",
    "cash-flow",
    "customer-ltv",
    "product-revenue",
    "product-demand",
)


GROUPED = ("revenue", "cash-flow", "product-demand")  # the reports whose rows are periods


def scenarios(seeded: Seeded, today: date) -> list[Scenario]:
    rng = random.Random(seeded.random_seed + 1)
    stores = [str(store.id) for store in seeded.stores]

    def month_of(store: str, day: date) -> dict[str, str]:
        """The calendar month around an invoice that exists (a month with results)."""
        first = day.replace(day=1)
        return {
            "store": store,
            "date_from": first.isoformat(),
            "date_to": (first + timedelta(days=31)).replace(day=1).isoformat(),
        }

    year = {"date_from": (today - timedelta(days=365)).isoformat(), "date_to": today.isoformat()}
    found = [
        Scenario("invoices: page 1 (newest first)", ["/api/invoices"]),
        Scenario(
            "invoices: store + status=paid",
            [_query("/api/invoices", store=store, status="paid") for store in stores],
        ),
        Scenario(
            "invoices: store + one month",
            [_query("/api/invoices", **month_of(*rng.choice(seeded.dated))) for _ in range(12)],
        ),
        Scenario("invoices: status=overdue", ["/api/invoices?status=overdue"]),
        Scenario(
            "invoices: one customer's",
            [
                _query("/api/invoices", customer=rng.choice(seeded.customer_numbers))
                for _ in range(20)
            ],
        ),
        Scenario(
            "invoices: search a surname",
            [_query("/api/invoices", search=name) for name in seeded.surnames],
        ),
        Scenario(
            "payments: one invoice's",
            [_query("/api/payments", invoice=invoice) for invoice in seeded.sample_invoices[:50]],
            expect_results=False,  # an issued invoice has none
        ),
        Scenario(
            "payments: store + one month",
            [
                _query("/api/payments", **month_of(*rng.choice(seeded.paid_dated)))
                for _ in range(12)
            ],
        ),
    ]
    by_month = {**year, "group_by": "month"}  # a year's figures as a back office asks for them
    for name in REPORTS:
        params = by_month if name in GROUPED else year
        found.append(
            Scenario(
                f"report {name} (365 days{', by month' if name in GROUPED else ''})",
                [_query(f"/api/reports/{name}", **params)],
                expect_results=False,
            )
        )
    month = {"date_from": (today - timedelta(days=30)).isoformat(), "date_to": today.isoformat()}
    found.append(
        Scenario(
            "report revenue (31 days, by day)",
            [_query("/api/reports/revenue", **month, store=store) for store in stores]
            + [_query("/api/reports/revenue", **month)],
            expect_results=False,
        )
    )
    return found


# ------------------------------------------------------------------ sales from POS


def sale_payload(seeded: Seeded, rng: random.Random) -> dict[str, Any]:
    """A ``pos.sale.completed`` as POS's sale_payload writes it (the fields invoicing reads and
    the rest), 1-3 lines at the store's 8.75 %, paid by card and the rest in cash."""
    store = rng.choice(seeded.stores)
    lines: list[dict[str, Any]] = []
    terms: list[_Line] = []
    for n in range(1, rng.randint(1, 3) + 1):
        price = Decimal(rng.randint(500, 50_000)) / 100
        terms.append(_Line(Decimal(1), price, Decimal(0), Decimal("8.75")))
        lines.append(
            {
                "line_id": str(n), "kind": "quantity", "sku": f"SKU-{rng.randrange(1, PRODUCTS):05d}",
                "name": f"Product {n}", "item_id": None, "article_id": str(uuid.uuid4()), "quantity": "1",
                "unit_price": to_wire(price), "discount_percent": "0.00", "discount_amount": "0.00",
                "line_total": to_wire(price),
            }
        )  # fmt: skip
    total = invoice_totals(terms, Decimal(0), "USD").total
    card = (total / 2).quantize(Decimal("0.01"))
    return {
        "sale_id": str(uuid.uuid4()),
        "receipt_number": f"{store.code}-BENCH",
        "store_id": str(store.id),
        "register_id": str(uuid.uuid4()),
        "drawer_id": str(uuid.uuid4()),
        "cashier_id": "bench-cashier",
        "customer_number": rng.choice(seeded.customer_numbers) if rng.random() < 0.5 else None,
        "currency": "USD",
        "lines": lines,
        "subtotal": to_wire(sum((t.unit_price for t in terms), Decimal(0))),
        "discount_percent": "0.00",
        "discount_total": "0.00",
        "tax_rate": "0.0875",
        "tax_total": to_wire(total - sum((t.unit_price for t in terms), Decimal(0))),
        "total": to_wire(total),
        "payments": [
            {"method": "card", "amount": to_wire(card), "tendered": None},
            {"method": "cash", "amount": to_wire(total - card), "tendered": to_wire(total - card)},
        ],
        "change_due": "0.00",
        "completed_at": datetime.now(UTC).isoformat(),
    }


async def publish_sales(nats_url: str, payloads: Sequence[dict[str, Any]]) -> None:
    """Publish to the POS stream as POS's relay does (one envelope each, acks awaited)."""
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        for start in range(0, len(payloads), PUBLISH_WINDOW):
            envelopes = [
                Envelope(
                    type="pos.sale.completed", source="pos", actor="bench-cashier", data=payload
                )
                for payload in payloads[start : start + PUBLISH_WINDOW]
            ]
            await asyncio.gather(
                *(
                    js.publish(
                        "pos.sale.completed",
                        envelope.to_bytes(),
                        headers={"Nats-Msg-Id": str(envelope.id)},
                    )
                    for envelope in envelopes
                )
            )
    finally:
        await connection.close()


@dataclass
class SaleLatency:
    """Per sale (ms after the publish ack): invoicing's transaction began (its first payment's
    ``created_at``), and the invoice committed ``paid`` as the 5 ms poll saw it."""

    began: list[float] = field(default_factory=list)
    paid: list[float] = field(default_factory=list)

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "scenario": "sale → invoicing began handling it",
                **LatencyStats.of(self.began).as_ms_dict(),
            },
            {
                "scenario": "sale → invoice paid (committed)",
                **LatencyStats.of(self.paid).as_ms_dict(),
            },
        ]

    def __str__(self) -> str:
        paid = LatencyStats.of(self.paid)
        return (
            f"POS sale → invoice paid: p50 {paid.p50:.1f} ms, p95 {paid.p95:.1f} ms over {paid.count} "
            "sales (from JetStream's publish ack to invoicing's committed paid invoice)"
        )


async def measure_sales(
    nats_url: str, database_url: str, seeded: Seeded, *, sales: int, warmup: int, timeout: float
) -> tuple[SaleLatency, list[str]]:
    rng = random.Random(seeded.random_seed + 2)
    latency = SaleLatency()
    published: list[str] = []
    connection = await nats.connect(nats_url)
    async with await psycopg.AsyncConnection.connect(libpq(database_url), autocommit=True) as db:
        try:
            js = connection.jetstream()
            for n in range(warmup + sales):
                payload = sale_payload(seeded, rng)
                envelope = Envelope(type="pos.sale.completed", source="pos", data=payload)
                await js.publish(
                    "pos.sale.completed",
                    envelope.to_bytes(),
                    headers={"Nats-Msg-Id": str(envelope.id)},
                )
                acked = time.time()
                published.append(payload["sale_id"])
                deadline = time.monotonic() + timeout
                while True:
                    cursor = await db.execute(
                        "SELECT i.status, extract(epoch FROM min(p.created_at)) FROM invoices i"
                        " LEFT JOIN payments p ON p.invoice_id = i.id"
                        " WHERE i.source = 'pos_sale' AND i.source_id = %s GROUP BY i.status",
                        (payload["sale_id"],),
                    )
                    row = await cursor.fetchone()
                    if row is not None and row[0] == "paid":
                        seen = time.time()
                        break
                    if time.monotonic() > deadline:
                        raise BenchmarkFailed(
                            f"sale {payload['sale_id']} was not invoiced within {timeout:.0f} s"
                        )
                    await asyncio.sleep(POLL_S)
                if n >= warmup:
                    latency.paid.append((seen - acked) * 1000)
                    latency.began.append((float(row[1]) - acked) * 1000)
        finally:
            await connection.close()
    return latency, published


@dataclass(frozen=True)
class CatchUp:
    sales: int
    seconds: float  # from invoicing ready to the last backlog invoice
    consumer_seconds: float  # first to last inbox row of the backlog

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "invoicing catch-up (pos.sale.completed backlog)",
            "sales": self.sales,
            "seconds": self.seconds,
            "sales_per_s": self.sales / self.seconds if self.seconds > 0 else 0.0,
            "consumer_sales_per_s": (
                (self.sales - 1) / self.consumer_seconds if self.consumer_seconds > 0 else 0.0
            ),
        }


async def _count_invoiced(db: psycopg.AsyncConnection[Any]) -> int:
    cursor = await db.execute("SELECT count(*) FROM invoices WHERE source = 'pos_sale'")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def wait_invoiced(database_url: str, expected: int, *, stall_timeout: float) -> float:
    """``time.perf_counter()`` when ``expected`` sales are invoiced; fails after a stall."""
    async with await psycopg.AsyncConnection.connect(libpq(database_url), autocommit=True) as db:
        last, moved = -1, time.monotonic()
        while True:
            count = await _count_invoiced(db)
            if count >= expected:
                return time.perf_counter()
            if count != last:
                last, moved = count, time.monotonic()
            elif time.monotonic() - moved > stall_timeout:
                raise BenchmarkFailed(
                    f"invoicing stalled at {count:,} of {expected:,} sales invoiced"
                )
            await asyncio.sleep(CATCH_UP_POLL_S)


async def consumer_span(database_url: str, since: float) -> float:
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as db:
        cursor = await db.execute(
            "SELECT extract(epoch FROM max(processed_at) - min(processed_at)) FROM event_inbox"
            " WHERE subscriber = %s AND processed_at >= to_timestamp(%s)",
            (SALES_SUBSCRIBER, since),
        )
        row = await cursor.fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


# ------------------------------------------------------------------ the check


@dataclass(frozen=True)
class InvoicingCheck:
    sales: int
    invoiced_paid: int
    wrong: list[str]
    dead_letters: int
    gaps: list[str]

    @property
    def ok(self) -> bool:
        return (
            self.invoiced_paid == self.sales
            and not self.wrong
            and not self.dead_letters
            and not self.gaps
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": "check",
            "sales": self.sales,
            "invoiced_paid": self.invoiced_paid,
            "wrong": len(self.wrong),
            "dead_letters": self.dead_letters,
            "sequence_gaps": len(self.gaps),
            "ok": self.ok,
        }

    def __str__(self) -> str:
        verdict = "OK" if self.ok else "NO"
        text = (
            f"check: {verdict} ({self.invoiced_paid:,} of {self.sales:,} sales invoiced once and paid, "
            f"{self.dead_letters} dead letters, {len(self.gaps)} numbering gaps)"
        )
        details = [*self.wrong[:5], *self.gaps[:5]]
        return text + ("".join(f"\n  {line}" for line in details) if details else "")


async def check_invoicing(database_url: str, sale_ids: Sequence[str]) -> InvoicingCheck:
    """Every sale: one paid invoice whose payments add up to its total; numbers gapless."""
    async with await psycopg.AsyncConnection.connect(libpq(database_url)) as db:
        cursor = await db.execute(
            "SELECT i.source_id, count(DISTINCT i.id), min(i.status), min(i.total),"
            " coalesce(sum(p.amount), 0) FROM invoices i LEFT JOIN payments p"
            " ON p.invoice_id = i.id AND p.reversed_at IS NULL"
            " WHERE i.source = 'pos_sale' AND i.source_id = ANY(%s) GROUP BY i.source_id",
            (list(sale_ids),),
        )
        rows = await cursor.fetchall()
        wrong = [
            f"sale {sale}: {count} invoices, {status}, total {total}, paid {paid}"
            for sale, count, status, total, paid in rows
            if count != 1 or status != "paid" or total != paid
        ]
        cursor = await db.execute("SELECT count(*) FROM event_dead_letters")
        dead = await cursor.fetchone()
        cursor = await db.execute(
            "SELECT c.store_id, c.year, c.last_number, count(i.id), count(DISTINCT i.sequence),"
            " max(i.sequence) FROM invoice_counters c LEFT JOIN invoices i ON i.store_id = c.store_id"
            " AND i.number_year = c.year GROUP BY c.store_id, c.year, c.last_number"
        )
        gaps = [
            f"store {store} {year}: counter {last}, {count} numbers, {distinct} distinct, max {top}"
            for store, year, last, count, distinct, top in await cursor.fetchall()
            if not (last == count == distinct == top)
        ]
    return InvoicingCheck(
        sales=len(sale_ids),
        invoiced_paid=len(rows) - len(wrong),
        wrong=wrong,
        dead_letters=int(dead[0]) if dead else 0,
        gaps=gaps,
    )


# ------------------------------------------------------------------ the run


@dataclass
class InvoicingReport:
    sizes: Sizes
    seeded: Seeded
    lookups: list[Result]
    latency: SaleLatency
    catch_up: CatchUp
    check: InvoicingCheck
    service_errors: list[str]
    database_url: str | None
    seeded_on: date = field(default_factory=lambda: datetime.now(UTC).date())

    def lookup_rows(self) -> list[dict[str, object]]:
        return [
            {
                "scenario": result.name,
                "count": result.count,
                "p50_ms": result.p50_ms,
                "p95_ms": result.p95_ms,
                "max_ms": result.max_ms,
                "within_150ms": result.p95_ms <= TARGET_P95_MS,
            }
            for result in self.lookups
        ]

    def json_rows(self) -> list[dict[str, object]]:
        return [
            self.seeded.table_row(),
            *self.lookup_rows(),
            *self.latency.rows(),
            self.catch_up.to_dict(),
            self.check.to_dict(),
        ]

    def slow(self) -> list[Result]:
        return [result for result in self.lookups if result.p95_ms > TARGET_P95_MS]

    def problems(self) -> list[str]:
        return [] if self.check.ok else [str(self.check)]


async def run_invoicing(
    backend: Backends,
    *,
    sizes: Sizes | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    random_seed: int = DEFAULT_RANDOM_SEED,
    only: Sequence[str] = (),
    keep_database: bool = False,
    progress: Progress | None = None,
) -> InvoicingReport:
    """Seed, serve invoicing, look up, sell, stop, pile a backlog, restart, catch up, check."""
    say = progress or (lambda _message: None)
    sizes = sizes or Sizes()
    key = Ed25519PrivateKey.generate()
    pem = public_pem(key)
    headers = {"Authorization": f"Bearer {admin_token(key)}"}
    async with (
        own_streams(backend.nats_url, SERVICE_STREAMS),
        service_database(backend.postgres_url, "invoicing", keep=keep_database) as url,
    ):
        say(f"seeding {sizes.invoices:,} invoices and {sizes.payments:,} payments (COPY)")
        seeded = await seed_invoicing(url, sizes, random_seed)
        say(f"seeded in {seeded.seconds:.1f} s: {seeded.lines:,} lines")
        with tempfile.TemporaryDirectory(prefix="sf-bench-invoicing-") as directory:
            log = Path(directory, "invoicing.log")
            lookups: list[Result] = []
            async with (
                with_log_tail("invoicing", log),
                serve_service("invoicing", url, backend.nats_url, pem, log) as base,
            ):
                say(f"invoicing serving on {base}")
                today = datetime.now(UTC).date()
                for scenario in scenarios(seeded, today):
                    if only and scenario.name not in only:
                        continue
                    say(f"{scenario.name}: {sizes.warmup} warm-up + {sizes.requests} requests")
                    lookups.append(
                        await run_scenario(
                            scenario, base, headers, requests=sizes.requests, warmup=sizes.warmup
                        )
                    )
                say(f"sale → invoice paid: {min(sizes.warmup, 5)} warm-up + {sizes.sales} sales")
                latency, sold = await measure_sales(
                    backend.nats_url,
                    url,
                    seeded,
                    sales=sizes.sales,
                    warmup=min(sizes.warmup, 5),
                    timeout=timeout,
                )
            rng = random.Random(random_seed + 3)
            backlog = [sale_payload(seeded, rng) for _ in range(sizes.backlog)]
            say(f"invoicing stopped: publishing {sizes.backlog:,} sales")
            await publish_sales(backend.nats_url, backlog)
            log_again = Path(directory, "invoicing-2.log")
            async with (
                with_log_tail("invoicing", log_again),
                serve_service("invoicing", url, backend.nats_url, pem, log_again),
            ):
                ready = time.perf_counter()
                since = time.time()
                done = await wait_invoiced(url, len(sold) + len(backlog), stall_timeout=timeout)
                catch_up = CatchUp(
                    sales=len(backlog),
                    seconds=done - ready,
                    consumer_seconds=await consumer_span(url, since),
                )
                say(f"caught up in {catch_up.seconds:.1f} s")
            service_errors = [*error_lines(log), *error_lines(log_again)]
        say("checking every sale's invoice and every store's numbers")
        check = await check_invoicing(url, [*sold, *(sale["sale_id"] for sale in backlog)])
    return InvoicingReport(
        sizes=sizes,
        seeded=seeded,
        lookups=lookups,
        latency=latency,
        catch_up=catch_up,
        check=check,
        service_errors=service_errors,
        database_url=url if keep_database else None,
        seeded_on=today,
    )
