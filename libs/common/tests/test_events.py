"""Outbox, relay and consumer against real PostgreSQL and NATS."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import nats
import pytest
from sqlalchemy import func, select

from common.config import normalise_database_url
from common.db import Database
from common.errors import Unprocessable
from common.events.bus import NatsBus
from common.events.consumer import EventConsumer
from common.events.envelope import Envelope
from common.events.memory import InMemoryPublisher
from common.events.relay import OutboxRelay
from common.roles import Role
from common.testing.engines import NatsServer, free_port
from common.testing.helpers import read_events, running_app
from tests.widgets import SUBSCRIPTIONS, TABLES, Effect, make_app, outbox


async def _count(database: Database, table) -> int:  # type: ignore[no-untyped-def]
    async with database.session() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def _wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_committed_change_is_published_with_the_envelope(
    widgets_app, auth_headers, nats_url
) -> None:
    since = time.time()
    async with running_app(widgets_app) as client:
        response = await client.post(
            "/api/widgets",
            json={"name": "sprocket", "size": 3},
            headers=auth_headers(Role.system_admin, user_id="admin-1"),
        )
        assert response.status_code == 201
        events = await read_events(nats_url, "widgets.widget.created", since=since)
    assert len(events) == 1
    event = events[0]
    assert event.type == "widgets.widget.created" and event.source == "widgets"
    assert event.actor == "admin-1"
    assert event.data == {"id": response.json()["id"], "name": "sprocket"}
    assert event.time.tzinfo is not None


async def test_rolled_back_change_publishes_nothing(
    widgets_app, auth_headers, widgets_settings
) -> None:
    async with running_app(widgets_app) as client:
        response = await client.post(
            "/api/widgets",
            json={"name": "explode", "size": 1},
            headers=auth_headers(Role.system_admin),
        )
    assert response.status_code == 500  # the route raised after its outbox write
    database = Database(widgets_settings.database_url)
    try:
        assert await _count(database, TABLES.outbox) == 0
    finally:
        await database.dispose()


async def test_a_payload_the_wire_cannot_carry_is_refused_before_it_is_written(
    widgets_app, widgets_settings
) -> None:
    database = Database(widgets_settings.database_url)
    try:
        async with running_app(widgets_app), database.session() as session:  # migrated
            with pytest.raises(Unprocessable, match=r"widgets\.widget\.created"):
                await outbox.add(session, "widgets.widget.created", {"id": "w-1", "count": 2**70})
            await session.commit()
        assert await _count(database, TABLES.outbox) == 0
    finally:
        await database.dispose()


async def test_relay_wakes_on_commit_without_polling(widgets_settings, nats_url) -> None:
    """The sweep interval is an hour: only the NOTIFY of the commit can make this publish."""
    database = Database(widgets_settings.database_url)
    bus = NatsBus(nats_url, name="relay-test")
    await bus.connect()
    await bus.ensure_stream("widgets")
    relay = OutboxRelay(database, TABLES, bus, source="widgets", sweep_interval=3600)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.3)  # listener connected; the initial sweep has run
        async with database.session() as session:
            envelope = await outbox.add(session, "widgets.widget.created", {"n": 1})
        assert await _wait_for(lambda: _sent(database, envelope.id), timeout=5)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await bus.close()
        await database.dispose()


async def _sent(database: Database, event_id: uuid.UUID) -> bool:
    async with database.session() as session:
        row = (
            await session.execute(
                select(TABLES.outbox.c.sent_at).where(TABLES.outbox.c.id == event_id)
            )
        ).first()
    return row is not None and row.sent_at is not None


async def test_relay_crash_between_publish_and_mark_causes_one_effect(
    widgets_settings, nats_url
) -> None:
    """Publish, 'crash' before the relay's commit, publish again: the consumer applies it once."""
    database = Database(widgets_settings.database_url)
    bus = NatsBus(nats_url, name="crash-test")
    await bus.connect()
    await bus.ensure_stream("widgets")
    relay = OutboxRelay(database, TABLES, bus, source="widgets")
    consumer = EventConsumer(
        service="widgets", database=database, tables=TABLES, bus=bus, subscriptions=SUBSCRIPTIONS
    )
    try:
        async with database.session() as session:
            envelope = await outbox.add(session, "widgets.effect.requested", {"crash": True})
        async with database.sessionmaker() as session:
            assert await relay._publish_batch(session) == 1
            await session.rollback()  # the relay died before its commit: the row is unsent
        assert not await _sent(database, envelope.id)
        assert await relay.sweep() == 1  # a second relay publishes it again
        consuming = asyncio.create_task(consumer.run())
        try:
            assert await _wait_for(lambda: _effects_for(database, envelope.id, 1))
            await asyncio.sleep(0.5)
            assert await _effects_for(database, envelope.id, 1)
        finally:
            consuming.cancel()
            await asyncio.gather(consuming, return_exceptions=True)
    finally:
        await bus.close()
        await database.dispose()


class _FailingOn(InMemoryPublisher):
    """JetStream refusing one envelope (its ``n``); the others are accepted."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    async def publish(self, envelope: Envelope, headers: dict[str, str]) -> None:
        if envelope.data.get("n") == self.n:
            raise ConnectionError("no responders")
        await super().publish(envelope, headers)


async def test_a_failed_publish_leaves_it_and_what_follows_unsent_with_the_error(
    widgets_settings,
) -> None:
    """The claim marks the batch sent; a publish failing in it unmarks the rest."""
    database = Database(widgets_settings.database_url)
    try:
        async with database.session() as session:
            envelopes = [
                await outbox.add(session, "widgets.widget.created", {"n": n}) for n in (1, 2, 3)
            ]
        failing = OutboxRelay(database, TABLES, _FailingOn(2), source="widgets")
        with pytest.raises(ConnectionError):
            await failing.sweep()
        query = select(
            TABLES.outbox.c.id,
            TABLES.outbox.c.sent_at,
            TABLES.outbox.c.attempts,
            TABLES.outbox.c.last_error,
        ).where(TABLES.outbox.c.id.in_([envelope.id for envelope in envelopes]))
        async with database.session() as session:
            rows = {row.id: row for row in await session.execute(query)}
        first, second, third = (rows[envelope.id] for envelope in envelopes)
        assert first.sent_at is not None and first.attempts == 0
        assert second.sent_at is None and second.attempts == 1
        assert "no responders" in second.last_error
        assert third.sent_at is None and third.attempts == 0
        working = InMemoryPublisher()
        assert await OutboxRelay(database, TABLES, working, source="widgets").sweep() == 2
        assert [envelope.data["n"] for envelope, _ in working.published] == [2, 3]
    finally:
        await database.dispose()


async def _effects_for(database: Database, event_id: uuid.UUID, expected: int) -> bool:
    async with database.session() as session:
        count = (
            await session.execute(
                select(func.count()).select_from(Effect).where(Effect.event_id == event_id)
            )
        ).scalar_one()
    return int(count) == expected


async def test_redelivered_event_has_one_effect(widgets_settings, nats_url) -> None:
    """The same envelope delivered twice under different message ids (past the dedupe window)."""
    database = Database(widgets_settings.database_url)
    bus = NatsBus(nats_url, name="redelivery-test")
    await bus.connect()
    await bus.ensure_stream("widgets")
    envelope = Envelope(type="widgets.effect.requested", source="widgets", data={})
    connection = await nats.connect(nats_url)
    js = connection.jetstream()
    for attempt in range(3):
        await js.publish(
            envelope.type, envelope.to_bytes(), headers={"Nats-Msg-Id": f"{envelope.id}-{attempt}"}
        )
    await connection.close()
    consumer = EventConsumer(
        service="widgets", database=database, tables=TABLES, bus=bus, subscriptions=SUBSCRIPTIONS
    )
    consuming = asyncio.create_task(consumer.run())
    try:
        assert await _wait_for(lambda: _effects_for(database, envelope.id, 1))
        await asyncio.sleep(0.5)
        assert await _effects_for(database, envelope.id, 1)
        assert await _count(database, TABLES.dead_letters) == 0
    finally:
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await bus.close()
        await database.dispose()


async def test_failing_handler_ends_in_dead_letters(widgets_settings, nats_url) -> None:
    database = Database(widgets_settings.database_url)
    bus = NatsBus(nats_url, name="dlq-test")
    await bus.connect()
    await bus.ensure_stream("widgets")
    consumer = EventConsumer(
        service="widgets",
        database=database,
        tables=TABLES,
        bus=bus,
        subscriptions=SUBSCRIPTIONS,
        max_deliver=3,
        retry_base_delay=0.05,
    )
    async with database.session() as session:
        envelope = await outbox.add(session, "widgets.effect.requested", {"fail": True})
    await OutboxRelay(database, TABLES, bus, source="widgets").sweep()
    consuming = asyncio.create_task(consumer.run())
    try:
        assert await _wait_for(lambda: _dead_lettered(database, envelope.id))
        async with database.session() as session:
            row = (
                await session.execute(
                    select(TABLES.dead_letters).where(TABLES.dead_letters.c.event_id == envelope.id)
                )
            ).one()
        assert row.attempts == 3
        assert "handler refuses this event" in row.error
        assert row.subscriber == "record-effect"
        assert await _effects_for(database, envelope.id, 0)
    finally:
        consuming.cancel()
        await asyncio.gather(consuming, return_exceptions=True)
        await bus.close()
        await database.dispose()


async def _dead_lettered(database: Database, event_id: uuid.UUID) -> bool:
    async with database.session() as session:
        row = (
            await session.execute(
                select(TABLES.dead_letters.c.id).where(TABLES.dead_letters.c.event_id == event_id)
            )
        ).first()
    return row is not None


async def test_consumer_in_app_applies_published_events(widgets_settings, nats_url) -> None:
    """The app factory runs relay and consumer together: outbox → JetStream → effect."""
    app = make_app(widgets_settings, with_consumer=True)
    database = Database(widgets_settings.database_url)
    try:
        async with running_app(app):
            async with database.session() as session:
                envelope = await outbox.add(session, "widgets.effect.requested", {})
            assert await _wait_for(lambda: _effects_for(database, envelope.id, 1))
    finally:
        await database.dispose()


async def test_events_survive_a_nats_restart(tmp_path: Path, widgets_settings) -> None:
    server = NatsServer(tmp_path / "nats", free_port())
    server.start()
    try:
        bus = NatsBus(server.url, name="restart-test")
        await bus.connect()
        await bus.ensure_stream("widgets")
        envelope = Envelope(type="widgets.widget.created", source="widgets", data={"kept": True})
        await bus.publish(envelope, {})
        await bus.close()
        server.stop()
        server.start()
        events = await read_events(server.url, "widgets.widget.created")
        assert [event.id for event in events] == [envelope.id]
    finally:
        server.stop()


def test_database_url_normalisation() -> None:
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(ValueError, match="PostgreSQL"):
        normalise_database_url("mysql://u@h/db")


async def test_trace_continues_from_request_through_nats_to_consumer(
    widgets_settings, nats_url
) -> None:
    """HTTP/DB span → outbox → relay PRODUCER span → consumer CONSUMER span: one trace id."""
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from common.telemetry import configure_tracing

    configure_tracing("widgets", None)
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))

    database = Database(widgets_settings.database_url)
    bus = NatsBus(nats_url, name="trace-test")
    await bus.connect()
    await bus.ensure_stream("widgets")
    consumer = EventConsumer(
        service="widgets", database=database, tables=TABLES, bus=bus, subscriptions=SUBSCRIPTIONS
    )
    try:
        with trace.get_tracer("test").start_as_current_span("POST /api/widgets") as request_span:
            async with database.session() as session:
                envelope = await outbox.add(session, "widgets.effect.requested", {})
        await OutboxRelay(database, TABLES, bus, source="widgets").sweep()
        consuming = asyncio.create_task(consumer.run())
        try:
            assert await _wait_for(lambda: _effects_for(database, envelope.id, 1))
        finally:
            consuming.cancel()
            await asyncio.gather(consuming, return_exceptions=True)
    finally:
        await bus.close()
        await database.dispose()
    trace_id = request_span.get_span_context().trace_id
    names = {
        span.name for span in exporter.get_finished_spans() if span.context.trace_id == trace_id
    }
    assert {"publish widgets.effect.requested", "consume widgets.effect.requested"} <= names
