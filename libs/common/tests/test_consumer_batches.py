"""Batched consumption: a backlog is applied once and in order, one failing event holds back
no other, and two workers (two relays, two consumers on one durable) still give one effect;
a batch handler gets a batch's new events in one call."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import Database
from common.events.bus import NatsBus
from common.events.consumer import EventConsumer, Subscription, subscribe, subscribe_batch
from common.events.contracts import Consumed, Event, Published
from common.events.outbox import Outbox
from common.events.relay import OutboxRelay
from tests.widgets import TABLES, Effect


class Ticked(Published, subjects=("widgets.clock.ticked",)):
    n: int
    fail: bool = False


class TickedCopy(Consumed):
    n: int
    fail: bool = False


outbox = Outbox(TABLES, source="widgets", contracts=[Ticked])
order: list[int] = []


async def record_tick(session: AsyncSession, event: Event[TickedCopy]) -> None:
    if event.data.fail:
        raise RuntimeError(f"tick {event.data.n} cannot be applied")
    order.append(event.data.n)
    session.add(Effect(event_id=event.id))


TICKS = subscribe("record-tick", "widgets.clock.ticked", TickedCopy, record_tick)
calls: list[list[int]] = []


async def record_ticks(session: AsyncSession, events: Sequence[Event[TickedCopy]]) -> None:
    """A batch handler: one call, one multi-row insert."""
    if any(event.data.fail for event in events):
        raise RuntimeError(f"ticks {[event.data.n for event in events]} cannot be applied")
    calls.append([event.data.n for event in events])
    session.add_all([Effect(event_id=event.id) for event in events])


TICK_BATCHES = subscribe_batch("record-ticks", "widgets.clock.ticked", TickedCopy, record_ticks)


@pytest.fixture
async def database(widgets_settings, nats_url) -> AsyncIterator[Database]:  # type: ignore[no-untyped-def]
    database = Database(widgets_settings.database_url)
    bus = NatsBus(nats_url, name="batches-setup")
    await bus.connect()
    await bus.ensure_stream("widgets")
    await bus.js.purge_stream("WIDGETS")
    await bus.close()
    order.clear()
    calls.clear()
    try:
        yield database
    finally:
        await database.dispose()


async def _bus(nats_url: str, name: str) -> NatsBus:
    bus = NatsBus(nats_url, name=name)
    await bus.connect()
    return bus


async def _write_ticks(
    database: Database, count: int, *, failing: frozenset[int] = frozenset()
) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    async with database.session() as session:
        for n in range(count):
            envelope = await outbox.publish(session, Ticked(n=n, fail=n in failing))
            ids.append(envelope.id)
    return ids


async def _effects(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Effect)) or 0)


async def _dead_letters(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(TABLES.dead_letters)) or 0)


async def _until(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def _consumer(
    database: Database, bus: NatsBus, subscription: Subscription[Any] = TICKS, **options: object
) -> EventConsumer:
    return EventConsumer(
        service="widgets",
        database=database,
        tables=TABLES,
        bus=bus,
        subscriptions=[subscription],
        retry_base_delay=0.05,
        **options,  # type: ignore[arg-type]
    )


async def _stop(*tasks: asyncio.Task[None]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_a_backlog_is_applied_once_in_stream_order(database: Database, nats_url: str) -> None:
    bus = await _bus(nats_url, "batches-backlog")
    try:
        await _write_ticks(database, 600)
        await OutboxRelay(database, TABLES, bus, source="widgets").sweep()
        consumer = _consumer(database, bus, batch_size=100)
        task = asyncio.create_task(consumer.run())
        try:
            await _until(lambda: _count_is(database, 600))
        finally:
            await _stop(task)
        assert order == list(range(600))
        assert await _dead_letters(database) == 0
    finally:
        await bus.close()


async def _count_is(database: Database, expected: int) -> bool:
    return await _effects(database) == expected


@pytest.mark.parametrize(
    ("subscription", "error"),
    [(TICKS, "tick 7"), (TICK_BATCHES, "ticks [7]")],
    ids=["each", "batch"],
)
async def test_one_failing_event_in_a_batch_holds_back_no_other(
    database: Database, nats_url: str, subscription: Subscription[Any], error: str
) -> None:
    """A batch handler too is called with one event at a time after its batch failed."""
    bus = await _bus(nats_url, f"batches-failing-{subscription.name}")
    try:
        ids = await _write_ticks(database, 50, failing=frozenset({7}))
        await OutboxRelay(database, TABLES, bus, source="widgets").sweep()
        consumer = _consumer(database, bus, subscription, batch_size=50, max_deliver=2)
        task = asyncio.create_task(consumer.run())
        try:
            await _until(lambda: _count_is(database, 49))
            await _until(lambda: _dead_letters_are(database, 1))
        finally:
            await _stop(task)
        async with database.session() as session:
            applied = set((await session.execute(select(Effect.event_id))).scalars())
            row = (await session.execute(select(TABLES.dead_letters))).one()
        assert applied == set(ids) - {ids[7]}
        assert row.event_id == ids[7] and row.attempts == 2 and error in row.error
    finally:
        await bus.close()


async def _dead_letters_are(database: Database, expected: int) -> bool:
    return await _dead_letters(database) == expected


async def test_two_workers_relay_and_consume_each_event_once(
    widgets_settings, database: Database, nats_url: str
) -> None:
    """Two relays on one outbox (SKIP LOCKED) and two consumers on one durable, each with its
    own connections — as two uvicorn workers of one service run them."""
    second = Database(widgets_settings.database_url)
    buses = [await _bus(nats_url, f"worker-{index}") for index in range(2)]
    relays = [
        OutboxRelay(db, TABLES, bus, source="widgets")
        for db, bus in zip((database, second), buses, strict=True)
    ]
    consumers = [
        _consumer(db, bus, batch_size=20) for db, bus in zip((database, second), buses, strict=True)
    ]
    tasks = [asyncio.create_task(worker.run()) for worker in (*relays, *consumers)]
    try:
        for _ in range(10):
            await _write_ticks(database, 40)
        await _until(lambda: _count_is(database, 400))
        await asyncio.sleep(0.5)  # anything applied twice would show now
        assert await _effects(database) == 400
        assert sorted(order) == sorted(list(range(40)) * 10)
        assert sum(relay.published for relay in relays) == 400  # no row published twice
        async with database.session() as session:
            unsent = await session.scalar(
                select(func.count())
                .select_from(TABLES.outbox)
                .where(TABLES.outbox.c.sent_at.is_(None))
            )
        assert unsent == 0
    finally:
        await _stop(*tasks)
        for bus in buses:
            await bus.close()
        await second.dispose()


async def test_a_batch_handler_gets_each_batch_in_one_call_in_order_without_redeliveries(
    database: Database, nats_url: str
) -> None:
    bus = await _bus(nats_url, "batches-handler")
    try:
        ids = await _write_ticks(database, 250)
        async with database.session() as session:  # 0-9 were applied before (a redelivery)
            await session.execute(
                TABLES.inbox.insert(),
                [
                    {
                        "subscriber": TICK_BATCHES.name,
                        "event_id": event_id,
                        "subject": "widgets.clock.ticked",
                    }
                    for event_id in ids[:10]
                ],
            )
        await OutboxRelay(database, TABLES, bus, source="widgets").sweep()
        consumer = _consumer(database, bus, TICK_BATCHES, batch_size=100)
        task = asyncio.create_task(consumer.run())
        try:
            await _until(lambda: _count_is(database, 240))
        finally:
            await _stop(task)
        assert [n for call in calls for n in call] == list(range(10, 250))
        assert len(calls) < 10  # batches, not an event a call (the first fetch may be of one)
        assert max(len(call) for call in calls) > 50
        assert await _dead_letters(database) == 0
    finally:
        await bus.close()
