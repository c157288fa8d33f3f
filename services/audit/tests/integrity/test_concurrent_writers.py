"""Several writers of one month (replicas sharing the durable consumer, or streams consumed
side by side) lock its head in turn: with batches written at once, some events delivered to
two of them (a redelivery), the month holds each event once as one unbroken chain that
``verify`` accepts."""

from __future__ import annotations

import asyncio
import itertools

import httpx

from audit.partitions.months import month_label, month_of
from audit.streams.recorder import Recorder
from common.db import Database
from tests.conftest import received, rows_where, sale_event

WRITERS = 4
BATCHES = 6  # per writer
BATCH = 25


async def test_concurrent_batches_with_redeliveries_make_one_valid_chain(
    client: httpx.AsyncClient, database: Database, admin: dict[str, str]
) -> None:
    events = [sale_event() for _ in range(WRITERS * BATCHES * BATCH)]
    messages = [received(event, sequence=number + 1) for number, event in enumerate(events)]
    batches = [messages[start : start + BATCH] for start in range(0, len(messages), BATCH)]

    async def writer(number: int) -> None:
        recorder = Recorder(database)  # each replica has its own
        for batch in batches[number::WRITERS]:
            # Half of the batch before it comes again with this one (a redelivery elsewhere).
            before = batches[max(batches.index(batch) - 1, 0)][: BATCH // 2]
            await recorder.record("POS", [*before, *batch])

    await asyncio.gather(*(writer(number) for number in range(WRITERS)))

    rows = sorted(await rows_where(database), key=lambda row: row.position)
    assert sorted(str(row.event_id) for row in rows) == sorted(str(e.id) for e in events)
    assert [row.position for row in rows] == list(range(1, len(events) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(rows))
    month = month_label(month_of(rows[0].recorded_at))
    answer = await client.get("/api/audit/verify", params={"month": month}, headers=admin)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["valid"], body["rows"], body["head_hash"], body["first_broken"]) == (
        True,
        len(events),
        rows[-1].hash,
        None,
    )
