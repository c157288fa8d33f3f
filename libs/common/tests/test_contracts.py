"""Typed event contracts: what is published is validated before it is written; what arrives
is validated before the handler runs, and a payload that cannot pass is dead-lettered at once."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import Table, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import Database
from common.events.bus import NatsBus
from common.events.consumer import EventConsumer, EventRejected, subscribe
from common.events.contracts import Consumed, ContractViolation, Event, Published
from common.events.outbox import Outbox
from common.events.relay import OutboxRelay
from common.money import Amount
from tests.widgets import TABLES, Effect


class PartSold(Published, subjects=("widgets.part.sold",)):
    part_id: uuid.UUID
    sku: str
    price: Amount


class PartSoldCopy(Consumed):
    """The consumer's own trimmed copy: only what it reads."""

    part_id: uuid.UUID
    price: Decimal


outbox = Outbox(TABLES, source="widgets", contracts=[PartSold])
seen: list[Event[PartSoldCopy]] = []


async def record_sale(session: AsyncSession, event: Event[PartSoldCopy]) -> None:
    if event.data.price < 0:
        raise EventRejected("a sale at a negative price is never applied")
    seen.append(event)
    session.add(Effect(event_id=event.id))


SALES = subscribe("record-sale", "widgets.part.sold", PartSoldCopy, record_sale)


@pytest.fixture
async def events(widgets_settings, nats_url) -> AsyncIterator[tuple[Database, NatsBus]]:  # type: ignore[no-untyped-def]
    database = Database(widgets_settings.database_url)
    bus = NatsBus(nats_url, name=f"contracts-{uuid.uuid4().hex[:6]}")
    await bus.connect()
    await bus.ensure_stream("widgets")
    # Each test consumes under its own durable name, so old messages of other tests are
    # applied to this test's (truncated) tables only if they are on its subject.
    await bus.js.purge_stream("WIDGETS")
    seen.clear()
    try:
        yield database, bus
    finally:
        await bus.close()
        await database.dispose()


async def _count(database: Database, table: Table) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def _eventually(check, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def _consume(database: Database, bus: NatsBus, **options: object) -> EventConsumer:
    return EventConsumer(
        service="widgets",
        database=database,
        tables=TABLES,
        bus=bus,
        subscriptions=[SALES],
        retry_base_delay=0.05,
        **options,  # type: ignore[arg-type]
    )


async def test_published_payload_is_validated_before_it_is_written(events) -> None:  # type: ignore[no-untyped-def]
    database, _ = events
    with pytest.raises(ContractViolation, match="price"):
        async with database.session() as session:
            await outbox.add(
                session,
                "widgets.part.sold",
                {"part_id": str(uuid.uuid4()), "sku": "A", "price": "x"},
            )
    with pytest.raises(ValueError, match=r"no published contract declares 'widgets\.part\.stolen'"):
        async with database.session() as session:
            await outbox.add(session, "widgets.part.stolen", {})
    with pytest.raises(ValidationError, match="extra"):
        PartSold(part_id=uuid.uuid4(), sku="A", price=Decimal("1.00"), colour="red")  # type: ignore[call-arg]
    assert await _count(database, TABLES.outbox) == 0


async def test_published_contract_travels_in_its_wire_form(events) -> None:  # type: ignore[no-untyped-def]
    database, _ = events
    part = uuid.uuid4()
    async with database.session() as session:
        envelope = await outbox.publish(
            session, PartSold(part_id=part, sku="A-1", price=Decimal("12.5")), actor="u-1"
        )
    assert envelope.type == "widgets.part.sold" and envelope.actor == "u-1"
    assert envelope.data == {"part_id": str(part), "sku": "A-1", "price": "12.50"}


async def test_handler_receives_the_validated_trimmed_copy(events) -> None:  # type: ignore[no-untyped-def]
    database, bus = events
    part = uuid.uuid4()
    async with database.session() as session:
        envelope = await outbox.publish(
            session, PartSold(part_id=part, sku="A", price=Decimal("3"))
        )
    await OutboxRelay(database, TABLES, bus, source="widgets").sweep()
    consumer = await _consume(database, bus)
    task = asyncio.create_task(consumer.run())
    try:
        await _eventually(lambda: _count_effects(database, envelope.id, 1))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert len(seen) == 1
    assert seen[0].data == PartSoldCopy(part_id=part, price=Decimal("3.00"))
    assert seen[0].type == "widgets.part.sold" and seen[0].verb == "sold"


async def _count_effects(database: Database, event_id: uuid.UUID, expected: int) -> bool:
    async with database.session() as session:
        found = await session.scalar(
            select(func.count()).select_from(Effect).where(Effect.event_id == event_id)
        )
    return int(found or 0) == expected


async def _dead_letter(database: Database, event_id: uuid.UUID):  # type: ignore[no-untyped-def]
    async with database.session() as session:
        return (
            await session.execute(
                select(TABLES.dead_letters).where(TABLES.dead_letters.c.event_id == event_id)
            )
        ).first()


async def test_payload_breaking_the_contract_is_dead_lettered_at_once(events) -> None:  # type: ignore[no-untyped-def]
    """No retries: a malformed payload is not a transient failure."""
    database, bus = events
    unchecked = Outbox(TABLES, source="widgets")  # a publisher that skipped its contract
    async with database.session() as session:
        bad = await unchecked.add(session, "widgets.part.sold", {"part_id": "not-a-uuid"})
        good = await outbox.publish(
            session, PartSold(part_id=uuid.uuid4(), sku="B", price=Decimal("1"))
        )
    await OutboxRelay(database, TABLES, bus, source="widgets").sweep()
    consumer = await _consume(database, bus, max_deliver=5)
    task = asyncio.create_task(consumer.run())
    try:
        await _eventually(lambda: _count_effects(database, good.id, 1))
        await _eventually(lambda: _has_dead_letter(database, bad.id))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    row = await _dead_letter(database, bad.id)
    assert row.attempts == 1
    assert "part_id" in row.error and "price" in row.error and "PartSoldCopy" in row.error
    assert await _count_effects(database, bad.id, 0)


async def _has_dead_letter(database: Database, event_id: uuid.UUID) -> bool:
    return await _dead_letter(database, event_id) is not None


async def test_handler_rejecting_an_event_dead_letters_it_without_retries(events) -> None:  # type: ignore[no-untyped-def]
    database, bus = events
    async with database.session() as session:
        refused = await outbox.publish(
            session, PartSold(part_id=uuid.uuid4(), sku="C", price=Decimal("-1"))
        )
    await OutboxRelay(database, TABLES, bus, source="widgets").sweep()
    consumer = await _consume(database, bus, max_deliver=5)
    task = asyncio.create_task(consumer.run())
    try:
        await _eventually(lambda: _has_dead_letter(database, refused.id))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    row = await _dead_letter(database, refused.id)
    assert row.attempts == 1 and "negative price" in row.error


async def test_one_notify_per_transaction_however_many_events(events) -> None:  # type: ignore[no-untyped-def]
    database, _ = events
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with database.session() as session:
            for index in range(11):
                await outbox.publish(
                    session, PartSold(part_id=uuid.uuid4(), sku=f"L{index}", price=Decimal(1))
                )
        async with database.session() as session:
            await outbox.publish(session, PartSold(part_id=uuid.uuid4(), sku="N", price=Decimal(1)))
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
    notifies = [statement for statement in statements if "pg_notify" in statement]
    assert len(notifies) == 2  # one per transaction
    # ... sent by the transaction's first INSERT, not by a statement (a round trip) of its own
    assert all(statement.startswith("INSERT INTO event_outbox") for statement in notifies)
    assert len(statements) == 12
    assert await _count(database, TABLES.outbox) == 12


def test_an_event_of_a_row_reads_its_declared_fields_and_nothing_else() -> None:
    class RateChanged(Published, subjects=("test.rate.updated",)):
        rate_id: int
        name: str
        changed: list[str]

    class Row:  # a row with a column the contract leaves off the wire
        id = 7
        name = "Weekend"
        hourly_rate = "42.00"

    event = RateChanged.of(Row(), rate_id=Row.id, changed=["name"])
    assert event.payload() == {"rate_id": 7, "name": "Weekend", "changed": ["name"]}
    renamed = RateChanged.of(Row(), rate_id=1, name="given", changed=[])
    assert (renamed.rate_id, renamed.name) == (1, "given")
