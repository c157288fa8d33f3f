"""The event benchmarks' consumer, in a process of its own as another service's would be.

``consumer_process(...)`` starts it (spawned, so nothing of the parent's event
loop or connections is inherited) and always stops it. Its effect is one
``bench_effects`` row per event, stamped with this process's clock: written by a
handler called per event (one INSERT each, as most handlers of the services are), or
with ``batch=True`` by a batch handler (``subscribe_batch``: one multi-row INSERT for
a batch's events).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from multiprocessing.process import BaseProcess
from typing import Any

import uvloop
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import Database
from common.events.bus import NatsBus
from common.events.consumer import EventConsumer, Subscription
from common.events.envelope import Envelope
from shopfloor_bench.schema import TABLES, effects

SUBSCRIBER = "bench"


def probe_subject(source: str) -> str:
    return f"{source}.probe.committed"


async def record_effect(session: AsyncSession, envelope: Envelope) -> None:
    """The consumer's effect: one row stamped with the handler's clock."""
    await session.execute(insert(effects).values(event_id=envelope.id, effect_at=datetime.now(UTC)))


async def record_effects(session: AsyncSession, envelopes: Sequence[Envelope]) -> None:
    """The same effect for a batch: one multi-row INSERT."""
    now = datetime.now(UTC)
    await session.execute(
        insert(effects), [{"event_id": envelope.id, "effect_at": now} for envelope in envelopes]
    )


async def consume(database_url: str, nats_url: str, source: str, batch: bool = False) -> None:
    """Run the consumer until cancelled (or the process is terminated)."""
    database = Database(database_url, pool_size=2)
    bus = NatsBus(nats_url, name="bench-consumer")
    await bus.connect(timeout=15)
    subscription: Subscription[Any] = (
        Subscription("effects", probe_subject(source), record_effects, batch=True)
        if batch
        else Subscription("effect", probe_subject(source), record_effect)
    )
    consumer = EventConsumer(
        service=SUBSCRIBER, database=database, tables=TABLES, bus=bus, subscriptions=[subscription]
    )
    try:
        await consumer.run()
    finally:
        await bus.close()
        await database.dispose()


def _main(database_url: str, nats_url: str, source: str, batch: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING, format="consumer %(levelname)s %(name)s: %(message)s"
    )
    uvloop.run(consume(database_url, nats_url, source, batch))


@contextlib.contextmanager
def consumer_process(
    database_url: str, nats_url: str, source: str, *, batch: bool = False
) -> Iterator[BaseProcess]:
    """The consumer running in a spawned process for the block; terminated afterwards."""
    context = multiprocessing.get_context("spawn")
    process = context.Process(
        target=_main,
        args=(database_url, nats_url, source, batch),
        name="bench-consumer",
        daemon=True,
    )
    process.start()
    try:
        yield process
    finally:
        process.terminate()
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()
