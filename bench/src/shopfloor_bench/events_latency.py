"""events-latency: from a committed outbox row to JetStream, and on to a consumer's effect.

``OutboxRelay.run()`` (woken by LISTEN/NOTIFY, its slow sweep set to an hour so
only the NOTIFY path is measured) runs beside a writer that commits one event
per transaction at a steady pace (each started on time, not after the previous
one), in one process and event loop as in the publishing service; an ``EventConsumer`` (durable pull, inbox row + effect in
one transaction, then ack) runs in a process of its own, as in the consuming
service. Each event carries its writer's clock; the moment its COMMIT returned
is kept per event id. Measured:

- commit → relay: the outbox row's ``sent_at - created_at`` (database clock;
  ``created_at`` is the writing transaction's start, ``sent_at`` the start of
  the relay transaction that claimed it, before the publish),
- commit → JetStream: the stream's store timestamp - COMMIT returned,
- commit → effect: the handler's clock when it wrote the effect - COMMIT returned.

All clocks are this machine's (an external ``BENCH_*`` server on another host
would skew the JetStream figure by the clock offset).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.process import BaseProcess

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import func, select

from common.db import Database
from common.events.envelope import Envelope, stream_name
from common.events.outbox import Outbox
from common.events.relay import OutboxRelay
from common.tasks import stop_tasks
from shopfloor_bench.consumer_process import consumer_process, probe_subject
from shopfloor_bench.engines import Backends, new_source, scratch_bus, scratch_database
from shopfloor_bench.events_relay import BenchmarkFailed
from shopfloor_bench.schema import TABLES, effects
from shopfloor_bench.stats import LatencyStats

DEFAULT_EVENTS = 300
DEFAULT_INTERVAL_MS = 10.0
DEFAULT_WARMUP = 20
DEFAULT_TIMEOUT_S = 30.0
PUBLISH_TARGET_MS = 50.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class LatencyReport:
    """The three latency summaries (milliseconds) of one run, and what pace produced them."""

    events: int
    interval_ms: float
    offered_per_s: float  # the pace the writer achieved
    drain_ms: float  # from the last commit to the last effect
    commit_to_relay: LatencyStats
    commit_to_stream: LatencyStats
    commit_to_effect: LatencyStats

    def rows(self) -> list[dict[str, object]]:
        named = (
            ("commit→relay claim (sent_at-created_at)", self.commit_to_relay),
            ("commit→JetStream stored", self.commit_to_stream),
            ("commit→consumer effect", self.commit_to_effect),
        )
        return [
            {
                "scenario": f"events-latency {name}",
                "interval_ms": self.interval_ms,
                "offered_per_s": self.offered_per_s,
            }
            | stats.as_ms_dict()
            for name, stats in named
        ]

    def verdict(self) -> str:
        worst = max(self.commit_to_relay.p95, self.commit_to_stream.p95)
        met = "met" if worst < PUBLISH_TARGET_MS else "NOT met"
        return (
            f"commit → publish p95 {worst:.1f} ms: target < {PUBLISH_TARGET_MS:.0f} ms {met}; "
            f"{self.offered_per_s:,.0f} commits/s offered, last effect "
            f"{self.drain_ms:,.1f} ms after the last commit"
        )


async def _count_effects(database: Database, ids: list[uuid.UUID]) -> int:
    async with database.session() as session:
        query = select(func.count()).select_from(effects).where(effects.c.event_id.in_(ids))
        return int((await session.execute(query)).scalar_one())


async def _write_paced(
    database: Database, outbox: Outbox, count: int, interval: float, phase: str
) -> dict[uuid.UUID, float]:
    """Commit ``count`` events, one per transaction, started every ``interval`` s whether or
    not the previous one has committed (an open loop: a slow commit does not lower the pace
    offered, as on a machine taking requests); id → COMMIT returned."""
    subject = probe_subject(outbox.source)
    committed: dict[uuid.UUID, float] = {}

    async def commit(index: int) -> None:
        async with database.session() as session:
            data = {"phase": phase, "seq": index, "written_at": datetime.now(UTC).isoformat()}
            envelope = await outbox.add(session, subject, data)
        committed[envelope.id] = time.time()

    loop = asyncio.get_running_loop()
    start = loop.time()
    writes: list[asyncio.Task[None]] = []
    try:
        for index in range(count):
            await asyncio.sleep(max(0.0, start + index * interval - loop.time()))
            writes.append(asyncio.create_task(commit(index)))
        await asyncio.gather(*writes)
    finally:
        await stop_tasks(writes)
    return committed


async def _wait_for_effects(
    database: Database, ids: list[uuid.UUID], timeout: float, alive: Callable[[], None]
) -> int:
    """How many of ``ids`` have their effect, waiting up to ``timeout`` s for all of them."""
    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        alive()
        done = await _count_effects(database, ids)
        if done == len(ids):
            break
        await asyncio.sleep(0.05)
    return done


async def _stream_times(nats_url: str, source: str, expected: int) -> dict[uuid.UUID, float]:
    """Event id → when JetStream stored it, read back with an ephemeral consumer."""
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        config = ConsumerConfig(ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL)
        pull = await js.pull_subscribe(f"{source}.>", stream=stream_name(source), config=config)
        stored: dict[uuid.UUID, float] = {}
        while len(stored) < expected:
            try:
                messages = await pull.fetch(batch=500, timeout=2.0)
            except (nats.errors.TimeoutError, TimeoutError):
                break
            for message in messages:
                stored[Envelope.from_bytes(message.data).id] = (
                    message.metadata.timestamp.timestamp()
                )
        await pull.unsubscribe()
        return stored
    finally:
        await connection.close()


async def _relay_latencies(database: Database, ids: list[uuid.UUID]) -> list[float]:
    outbox = TABLES.outbox
    query = select(outbox.c.created_at, outbox.c.sent_at).where(outbox.c.id.in_(ids))
    async with database.session() as session:
        rows = (await session.execute(query)).all()
    return [(row.sent_at - row.created_at).total_seconds() * 1000 for row in rows if row.sent_at]


async def _effect_times(database: Database, ids: list[uuid.UUID]) -> dict[uuid.UUID, float]:
    query = select(effects.c.event_id, effects.c.effect_at).where(effects.c.event_id.in_(ids))
    async with database.session() as session:
        rows = (await session.execute(query)).all()
    return {row.event_id: row.effect_at.timestamp() for row in rows}


def _since(committed: dict[uuid.UUID, float], times: dict[uuid.UUID, float]) -> list[float]:
    return [(times[key] - at) * 1000 for key, at in committed.items() if key in times]


def _liveness(relay: asyncio.Task[None], consumer: BaseProcess) -> Callable[[], None]:
    """A check that fails the run at once when the relay or the consumer died."""

    def check() -> None:
        if relay.done():
            raise BenchmarkFailed(f"the relay stopped: {relay.exception()!r}")
        if not consumer.is_alive():
            raise BenchmarkFailed(f"the consumer process exited with {consumer.exitcode}")

    return check


async def run_events_latency(
    backends: Backends,
    *,
    events: int = DEFAULT_EVENTS,
    interval_ms: float = DEFAULT_INTERVAL_MS,
    warmup: int = DEFAULT_WARMUP,
    timeout: float = DEFAULT_TIMEOUT_S,
    progress: Progress = lambda _message: None,
) -> LatencyReport:
    """Warm up, then ``events`` paced commits; fails if any effect is missing after ``timeout``."""
    source = new_source("latency")
    interval = interval_ms / 1000
    async with (
        scratch_database(backends.postgres_url, source) as url,
        scratch_bus(backends.nats_url, source, name="bench-relay") as bus,
    ):
        writer, relay_db = Database(url, pool_size=4), Database(url, pool_size=4)
        relay = OutboxRelay(relay_db, TABLES, bus, source=source, sweep_interval=3600)
        outbox = Outbox(TABLES, source)
        relaying = asyncio.create_task(relay.run(), name="relay")
        try:
            with consumer_process(url, backends.nats_url, source) as consumer:
                alive = _liveness(relaying, consumer)
                progress(f"warm-up: {warmup} events (the consumer process starts)")
                primed = await _write_paced(writer, outbox, max(warmup, 1), interval, "warmup")
                if await _wait_for_effects(writer, list(primed), timeout, alive) < len(primed):
                    raise BenchmarkFailed("warm-up events never reached the consumer")
                progress(f"measuring: {events} commits, one every {interval_ms:g} ms")
                committed = await _write_paced(writer, outbox, events, interval, "measured")
                done = await _wait_for_effects(writer, list(committed), timeout, alive)
            if done < events:
                raise BenchmarkFailed(f"only {done} of {events} effects within {timeout:.0f}s")
            ids = list(committed)
            stored = await _stream_times(backends.nats_url, source, len(primed) + events)
            effected = await _effect_times(writer, ids)
            first, last = min(committed.values()), max(committed.values())
            return LatencyReport(
                events=events,
                interval_ms=interval_ms,
                offered_per_s=(events - 1) / (last - first) if last > first else 0.0,
                drain_ms=(max(effected.values()) - last) * 1000,
                commit_to_relay=LatencyStats.of(await _relay_latencies(writer, ids)),
                commit_to_stream=LatencyStats.of(_since(committed, stored)),
                commit_to_effect=LatencyStats.of(_since(committed, effected)),
            )
        finally:
            await stop_tasks([relaying])
            await writer.dispose()
            await relay_db.dispose()
