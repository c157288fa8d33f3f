"""events-relay: how many outbox events per second ``OutboxRelay.sweep()`` moves to JetStream.

For each batch size: an empty outbox and an empty stream, ``events`` rows
written with ``Outbox.add`` in committed chunks (timed too: outbox writes/s),
``VACUUM ANALYZE``, then one timed ``sweep()``: claim a batch ``FOR UPDATE SKIP
LOCKED``, publish it pipelined and wait for every JetStream ack, mark it sent,
until the outbox is empty. The run is checked: every row sent, every event in
the stream exactly once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, text

from common.db import Database
from common.events.bus import NatsBus
from common.events.outbox import Outbox
from common.events.relay import OutboxRelay
from shopfloor_bench.engines import (
    Backends,
    new_source,
    reset_stream,
    scratch_bus,
    scratch_database,
    stream_messages,
    vacuum,
)
from shopfloor_bench.schema import TABLES

DEFAULT_EVENTS = 20_000
DEFAULT_BATCH_SIZES = (50, 200, 500)
DEFAULT_WRITE_CHUNK = 500
WARMUP_EVENTS = 1_000

Progress = Callable[[str], None]


class BenchmarkFailed(RuntimeError):
    """The scenario ran but its result is wrong (lost or duplicated events, timeouts)."""


@dataclass(frozen=True)
class RelayRun:
    """One measured sweep."""

    batch_size: int
    events: int
    write_s: float
    sweep_s: float
    in_stream: int

    def to_dict(self) -> dict[str, object]:
        return {
            "scenario": f"events-relay batch={self.batch_size}",
            "events": self.events,
            "batch_size": self.batch_size,
            "sweep_s": self.sweep_s,
            "events_per_s": self.events / self.sweep_s,
            "outbox_writes_per_s": self.events / self.write_s,
            "in_stream": self.in_stream,
        }


def sample_payload(index: int) -> dict[str, object]:
    """About the size of a real event (a sold item)."""
    return {
        "sale_id": str(uuid.uuid4()),
        "item_id": str(uuid.uuid4()),
        "store_id": "store-0001",
        "sku": f"SKU-{index:08d}",
        "quantity": 1,
        "price": str(Decimal("19.99")),
        "currency": "EUR",
    }


async def write_outbox(database: Database, outbox: Outbox, events: int, chunk: int) -> float:
    """``events`` outbox rows in transactions of ``chunk``; returns the seconds it took."""
    subject = f"{outbox.source}.item.sold"
    started = time.perf_counter()
    for first in range(0, events, chunk):
        async with database.session() as session:
            for index in range(first, min(first + chunk, events)):
                await outbox.add(session, subject, sample_payload(index))
    return time.perf_counter() - started


async def _unsent(database: Database) -> int:
    outbox = TABLES.outbox
    async with database.session() as session:
        query = select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
        return int((await session.execute(query)).scalar_one())


async def _reset(database: Database, bus: NatsBus, source: str) -> None:
    async with database.session() as session:
        await session.execute(text("TRUNCATE event_outbox RESTART IDENTITY"))
    await reset_stream(bus, source)


async def _measure(
    url: str, database: Database, bus: NatsBus, source: str, events: int, batch: int, chunk: int
) -> RelayRun:
    await _reset(database, bus, source)
    write_s = await write_outbox(database, Outbox(TABLES, source), events, chunk)
    await vacuum(url, TABLES.outbox.name)
    relay = OutboxRelay(database, TABLES, bus, source=source, batch_size=batch)
    started = time.perf_counter()
    published = await relay.sweep()
    sweep_s = time.perf_counter() - started
    in_stream = await stream_messages(bus, source)
    unsent = await _unsent(database)
    if published != events or unsent or in_stream != events:
        raise BenchmarkFailed(
            f"batch {batch}: published {published}, unsent {unsent}, "
            f"in stream {in_stream}, expected {events}"
        )
    return RelayRun(batch, events, write_s, sweep_s, in_stream)


async def run_events_relay(
    backends: Backends,
    *,
    events: int = DEFAULT_EVENTS,
    batch_sizes: Sequence[int] = DEFAULT_BATCH_SIZES,
    write_chunk: int = DEFAULT_WRITE_CHUNK,
    progress: Progress = lambda _message: None,
) -> list[RelayRun]:
    """One measured sweep of ``events`` per batch size, after an unmeasured warm-up."""
    source = new_source("relay")
    runs: list[RelayRun] = []
    async with (
        scratch_database(backends.postgres_url, source) as url,
        scratch_bus(backends.nats_url, source, name="bench-relay") as bus,
    ):
        database = Database(url, pool_size=4)
        try:
            progress(f"warm-up: {WARMUP_EVENTS} events")
            await _measure(url, database, bus, source, WARMUP_EVENTS, batch_sizes[0], write_chunk)
            for batch in batch_sizes:
                progress(f"batch size {batch}: writing {events} outbox rows, then one sweep")
                run = await _measure(url, database, bus, source, events, batch, write_chunk)
                progress(f"batch size {batch}: {run.events / run.sweep_s:,.0f} events/s")
                runs.append(run)
        finally:
            await database.dispose()
    return runs
