"""catalog's store events build the stores read-model through real JetStream; an older event
never overwrites a newer one, and a payload breaking the contract is dead-lettered at once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import select

from audit.models import EVENT_TABLES, Store
from common.db import Database
from common.events.envelope import Envelope
from common.testing.events import eventually, publish_event


def _store(store_id: uuid.UUID, name: str) -> dict[str, object]:
    return {
        "store_id": str(store_id),
        "code": "LA-01",
        "name": name,
        "time_zone": "America/Los_Angeles",
        "is_active": True,
    }


async def _store_named(database: Database, store_id: uuid.UUID, name: str) -> bool:
    async with database.session() as session:
        store = await session.get(Store, store_id)
    return store is not None and store.name == name


async def test_store_events_build_the_read_model(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    store = uuid.uuid4()
    await publish_event(nats_url, "catalog.store.created", _store(store, "Venice Beach"))
    await eventually(lambda: _store_named(database, store, "Venice Beach"))
    now = datetime.now(UTC)
    newer = Envelope(
        type="catalog.store.updated", source="catalog", time=now, data=_store(store, "Venice")
    )
    older = Envelope(
        type="catalog.store.updated",
        source="catalog",
        time=now - timedelta(minutes=1),
        data=_store(store, "Old name"),
    )
    await publish_event(nats_url, newer.type, {}, envelope=newer)
    await eventually(lambda: _store_named(database, store, "Venice"))
    await publish_event(nats_url, older.type, {}, envelope=older, times=2)
    marker = uuid.uuid4()
    await publish_event(nats_url, "catalog.store.created", _store(marker, "marker"))
    await eventually(
        lambda: _store_named(database, marker, "marker")
    )  # the older ones were handled
    assert await _store_named(database, store, "Venice")


async def test_a_store_event_breaking_the_contract_is_dead_lettered_at_once(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    bad = await publish_event(nats_url, "catalog.store.created", {"store_id": "not-a-uuid"})

    async def dead_lettered() -> bool:
        async with database.session() as session:
            row = (
                await session.execute(
                    select(EVENT_TABLES.dead_letters).where(
                        EVENT_TABLES.dead_letters.c.event_id == bad.id
                    )
                )
            ).first()
        return row is not None and row.attempts == 1 and "store_id" in row.error

    await eventually(dead_lettered)
