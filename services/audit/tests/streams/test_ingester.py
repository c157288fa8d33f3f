"""Every event of every stream becomes one log row, through real JetStream: once however
often it is delivered, with its actor, entity, store, request and trace ids; unreadable
messages kept raw and flagged; a stream created after start-up picked up by discovery."""

from __future__ import annotations

import itertools
import json
import uuid

import httpx
import nats

from audit.models import AuditEntry, ConsumedStream
from common.db import Database
from common.events.envelope import Envelope
from common.testing.events import eventually, publish_event
from tests.conftest import STORE_A, count_where, rows_where, wait_for_rows

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def publish_raw(nats_url: str, subject: str, data: bytes, headers: dict[str, str]) -> None:
    connection = await nats.connect(nats_url)
    try:
        await connection.jetstream().publish(subject, data, headers=headers)
    finally:
        await connection.close()


async def test_an_event_published_three_times_is_one_row(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    sale = str(uuid.uuid4())
    event = await publish_event(
        nats_url,
        "pos.sale.completed",
        {"sale_id": sale, "store_id": str(STORE_A), "total": "412.16"},
        actor="cashier-7",
        times=3,
    )
    marker = await publish_event(nats_url, "pos.sale.voided", {"sale_id": sale, "reason": "x"})
    await wait_for_rows(database, 1, AuditEntry.event_id == marker.id)  # the copies came first
    [row] = await rows_where(database, AuditEntry.event_id == event.id)
    assert (row.action, row.source, row.actor) == ("pos.sale.completed", "pos", "cashier-7")
    assert (row.entity_type, row.entity_id, row.store_id) == ("sale", sale, STORE_A)
    assert json.loads(row.payload or "")["total"] == "412.16"
    assert row.stream == "POS" and row.parse_error is None


async def test_headers_give_the_request_and_trace_ids(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    envelope = Envelope(
        type="catalog.product.created", source="catalog", data={"product_id": "p-1"}
    )
    await publish_raw(
        nats_url,
        envelope.type,
        envelope.to_bytes(),
        {"Nats-Msg-Id": str(envelope.id), "X-Request-ID": "req-42", "traceparent": TRACEPARENT},
    )
    [row] = await wait_for_rows(database, 1, AuditEntry.event_id == envelope.id)
    assert (row.request_id, row.trace_id) == ("req-42", "4bf92f3577b34da6a3ce929d0e0e4736")
    assert (row.entity_type, row.entity_id, row.store_id) == ("product", "p-1", None)


async def test_a_message_that_is_no_event_is_kept_raw_and_flagged(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    await publish_event(nats_url, "inventory.stock.changed", {"sku": "warm-up"})  # the stream
    bad = b'{"type": "inventory.stock.changed", "password": "hunter2", "note": "mail ann@shop.example"'
    await publish_raw(nats_url, "inventory.stock.changed", bad, {"Nats-Msg-Id": "not-a-uuid-1"})
    not_json = b"\x00\xffnot json at all"
    await publish_raw(nats_url, "inventory.stock.changed", not_json, {})
    rows = await wait_for_rows(database, 2, AuditEntry.parse_error.is_not(None))
    assert [row.action for row in rows] == ["inventory.stock.changed"] * 2
    first, second = rows
    assert first.payload is None and "not an event envelope" in (first.parse_error or "")
    assert "hunter2" not in (first.raw or "") and '"password": "[masked]"' in (first.raw or "")
    assert "a***@shop.example" in (first.raw or "")
    assert second.raw is not None and "not json at all" in second.raw and "\x00" not in second.raw
    async with database.session() as session:
        stream = await session.get(ConsumedStream, "INVENTORY")
    assert stream is not None and stream.flagged == 2


async def test_a_stream_created_after_start_up_is_picked_up(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    await eventually(lambda: _consuming(database, "POS"))  # discovery has run at start-up
    service = f"late{uuid.uuid4().hex[:8]}"
    event = await publish_event(nats_url, f"{service}.widget.assembled", {"widget_id": "w-1"})
    [row] = await wait_for_rows(database, 1, AuditEntry.event_id == event.id)
    assert (row.stream, row.source, row.entity_type, row.entity_id) == (
        service.upper(),
        service,
        "widget",
        "w-1",
    )


async def test_a_backlog_is_written_in_batches_as_one_unbroken_chain(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    source = f"bulk{uuid.uuid4().hex[:6]}"
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        await js.add_stream(name=source.upper(), subjects=[f"{source}.>"])
        for number in range(300):
            envelope = Envelope(type=f"{source}.thing.counted", source=source, data={"n": number})
            await js.publish(
                envelope.type, envelope.to_bytes(), headers={"Nats-Msg-Id": str(envelope.id)}
            )
    finally:
        await connection.close()
    rows = await wait_for_rows(database, 300, AuditEntry.source == source)
    assert [json.loads(row.payload or "")["n"] for row in rows] == list(range(300))
    positions = [row.position for row in rows]
    assert positions == list(range(positions[0], positions[0] + 300))
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(rows))
    assert await count_where(database, AuditEntry.source == source) == 300


async def _consuming(database: Database, stream: str) -> bool:
    async with database.session() as session:
        return await session.get(ConsumedStream, stream) is not None
