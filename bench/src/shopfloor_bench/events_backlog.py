"""events-backlog: how fast one consumer drains a backlog already on JetStream.

A writer commits ``events`` outbox rows (``per_commit`` to a transaction), the relay
(``OutboxRelay.run()``) publishes them all to JetStream, and only then does an
``EventConsumer`` start, in a process of its own as in a consuming service (durable
pull, batched fetch, inbox rows + effects in one transaction per batch, then the acks).
Measured: the drain rate, effects per second from the first effect to the last (the
handler's clock), and the same from the consumer's start (its start-up included).

Two handler shapes, each on a backlog of its own: a batch handler (``subscribe_batch``:
one multi-row INSERT per batch — the target's subject) and a handler called per event
(one INSERT each: the rate of a service whose handler does a statement per event).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, func, select

from common.db import Database
from common.events.outbox import Outbox
from common.events.relay import OutboxRelay
from common.tasks import stop_tasks
from shopfloor_bench.consumer_process import consumer_process, probe_subject
from shopfloor_bench.engines import Backends, new_source, scratch_bus, scratch_database
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.schema import TABLES, effects

DEFAULT_EVENTS = 10_000
DEFAULT_PER_COMMIT = 100
DEFAULT_TIMEOUT_S = 120.0
TARGET_PER_S = 2_000.0

Progress = Callable[[str], None]


HANDLERS = ("batch", "per-event")


@dataclass(frozen=True)
class BacklogReport:
    handler: str  # "batch" or "per-event"
    events: int
    publish_seconds: float  # commit of the first row → the relay has sent the last
    drain_seconds: float  # first effect → last effect
    since_start_seconds: float  # consumer process started → last effect

    @property
    def drain_per_s(self) -> float:
        return self.events / self.drain_seconds if self.drain_seconds > 0 else 0.0

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "scenario": f"events-backlog drain, {self.handler} handler",
                "events": self.events,
                "publish_s": round(self.publish_seconds, 3),
                "drain_s": round(self.drain_seconds, 3),
                "drain_per_s": round(self.drain_per_s, 1),
                "since_consumer_start_per_s": round(self.events / self.since_start_seconds, 1),
                "target_per_s": TARGET_PER_S,
            }
        ]

    def verdict(self) -> str:
        met = "met" if self.drain_per_s >= TARGET_PER_S else "NOT met"
        return (
            f"{self.handler} handler: a {self.events:,}-event backlog drained at "
            f"{self.drain_per_s:,.0f} events/s (first → last effect): "
            + (f"target ≥ {TARGET_PER_S:,.0f}/s {met}" if self.handler == "batch" else "no target")
        )


async def _write_backlog(database: Database, outbox: Outbox, events: int, per_commit: int) -> None:
    subject = probe_subject(outbox.source)
    written = 0
    while written < events:
        async with database.session() as session:
            for _ in range(min(per_commit, events - written)):
                data = {"phase": "backlog", "seq": written, "at": datetime.now(UTC).isoformat()}
                await outbox.add(session, subject, data)
                written += 1


async def _count(database: Database, query: Select[tuple[int]]) -> int:
    async with database.session() as session:
        return int((await session.execute(query)).scalar_one())


async def _until(
    database: Database, query: Select[tuple[int]], expected: int, timeout: float, what: str
) -> None:
    deadline = time.monotonic() + timeout
    while (done := await _count(database, query)) < expected:
        if time.monotonic() > deadline:
            raise BenchmarkFailed(f"only {done} of {expected} {what} within {timeout:.0f}s")
        await asyncio.sleep(0.05)


async def run_events_backlog(
    backends: Backends,
    *,
    handler: str = "batch",
    events: int = DEFAULT_EVENTS,
    per_commit: int = DEFAULT_PER_COMMIT,
    timeout: float = DEFAULT_TIMEOUT_S,
    progress: Progress = lambda _message: None,
) -> BacklogReport:
    """Publish ``events`` with no consumer, then time one consumer draining them all."""
    if handler not in HANDLERS:
        raise ValueError(f"handler must be one of {HANDLERS}, not {handler!r}")
    source = new_source("backlog")
    async with (
        scratch_database(backends.postgres_url, source) as url,
        scratch_bus(backends.nats_url, source, name="bench-relay") as bus,
    ):
        writer, relay_db = Database(url, pool_size=4), Database(url, pool_size=4)
        relay = OutboxRelay(relay_db, TABLES, bus, source=source, sweep_interval=3600)
        relaying = asyncio.create_task(relay.run(), name="relay")
        try:
            progress(f"backlog: {events:,} events, {per_commit} a commit, relayed to JetStream")
            started = time.monotonic()
            await _write_backlog(writer, Outbox(TABLES, source), events, per_commit)
            sent = select(func.count()).select_from(TABLES.outbox)
            await _until(
                writer, sent.where(TABLES.outbox.c.sent_at.is_not(None)), events, timeout, "sent"
            )
            published = time.monotonic() - started
            progress(f"draining: the consumer starts ({handler} handler)")
            consumer_started = time.time()
            with consumer_process(
                url, backends.nats_url, source, batch=handler == "batch"
            ) as consumer:
                done = select(func.count()).select_from(effects)
                await _until(writer, done, events, timeout, "effects")
                if not consumer.is_alive():
                    raise BenchmarkFailed(f"the consumer process exited with {consumer.exitcode}")
            async with writer.session() as session:
                first, last = (
                    await session.execute(
                        select(func.min(effects.c.effect_at), func.max(effects.c.effect_at))
                    )
                ).one()
            return BacklogReport(
                handler=handler,
                events=events,
                publish_seconds=published,
                drain_seconds=(last - first).total_seconds(),
                since_start_seconds=last.timestamp() - consumer_started,
            )
        finally:
            await stop_tasks([relaying])
            await writer.dispose()
            await relay_db.dispose()
