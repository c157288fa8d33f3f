"""catalog's store events and auth's user events build the read-models through real JetStream
(the payloads as those services publish them today); an older event never overwrites a newer
one; a payload breaking the contract is dead-lettered at once; a store's circle geofences
check-ins as soon as its event arrives."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from attendance.models import EVENT_TABLES, Person, Store
from common.db import Database
from common.events.envelope import Envelope
from common.roles import Role
from common.testing.events import eventually, publish_event
from tests.conftest import photo


def catalog_store(store_id: uuid.UUID, name: str, **changes: Any) -> dict[str, Any]:
    """catalog's store payload (services/catalog/src/catalog/events.py)."""
    return {
        "store_id": str(store_id),
        "code": "LA-02",
        "name": name,
        "address": "1 Ocean Front Walk",
        "phone": "",
        "time_zone": "America/Los_Angeles",
        "latitude": "33.985000",
        "longitude": "-118.472000",
        "geofence_radius_m": 120,
        "is_headquarters": False,
        "is_active": True,
        "deleted": False,
        **changes,
    }


def auth_user(user_id: str, role: str, stores: list[str], **changes: Any) -> dict[str, Any]:
    """auth's user payload (services/auth/src/auth/events.py)."""
    return {
        "user_id": user_id,
        "email": f"{user_id}@shop.example",
        "first_name": "Maria",
        "last_name": "Lopez",
        "phone": "",
        "role": role,
        "store_ids": stores,
        "is_active": True,
        "customer_number": None,
        **changes,
    }


async def _store(database: Database, store_id: uuid.UUID) -> Store | None:
    async with database.session() as session:
        return await session.get(Store, store_id)


async def _person(database: Database, person_id: str) -> Person | None:
    async with database.session() as session:
        return await session.get(Person, person_id)


async def test_store_events_build_the_read_model_with_its_geofence(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    store = uuid.uuid4()
    await publish_event(nats_url, "catalog.store.created", catalog_store(store, "Venice Beach"))

    async def arrived() -> bool:
        found = await _store(database, store)
        return found is not None and found.name == "Venice Beach"

    await eventually(arrived)
    found = await _store(database, store)
    assert found is not None
    assert (found.latitude, found.longitude, found.geofence_radius_m) == (33.985, -118.472, 120)
    assert found.zone.key == "America/Los_Angeles"

    now = datetime.now(UTC)
    newer = Envelope(
        type="catalog.store.updated",
        source="catalog",
        time=now,
        data=catalog_store(store, "Venice"),
    )
    older = Envelope(
        type="catalog.store.updated",
        source="catalog",
        time=now - timedelta(minutes=1),
        data=catalog_store(store, "Old name"),
    )
    await publish_event(nats_url, newer.type, {}, envelope=newer)
    await publish_event(nats_url, older.type, {}, envelope=older, times=2)
    deleted = Envelope(
        type="catalog.store.deleted",
        source="catalog",
        time=now + timedelta(seconds=1),
        data=catalog_store(store, "Venice", deleted=True),
    )
    await publish_event(nats_url, deleted.type, {}, envelope=deleted)

    async def closed() -> bool:
        found = await _store(database, store)
        return found is not None and not found.is_active

    await eventually(closed)
    final = await _store(database, store)
    assert final is not None and final.name == "Venice"


async def test_user_events_keep_the_staff_and_only_the_staff(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    advisor, customer = f"u-{uuid.uuid4().hex[:8]}", f"c-{uuid.uuid4().hex[:8]}"
    await publish_event(nats_url, "auth.user.registered", auth_user(customer, "customer", []))
    await publish_event(nats_url, "auth.user.created", auth_user(advisor, "advisor", ["s-1"]))

    async def kept() -> bool:
        return await _person(database, advisor) is not None

    await eventually(kept)
    updated = auth_user(advisor, "branch_head", ["s-1", "s-2"], changed=["role", "store_ids"])
    await publish_event(nats_url, "auth.user.updated", updated)

    async def promoted() -> bool:
        found = await _person(database, advisor)
        return found is not None and found.role == "branch_head"

    await eventually(promoted)
    found = await _person(database, advisor)
    assert found is not None and found.store_ids == ["s-1", "s-2"] and found.name == "Maria Lopez"
    # auth.user.* also carries this one: sessions ended, the person unchanged, nothing refused.
    invalidated = await publish_event(
        nats_url,
        "auth.user.tokens_invalidated",
        {"user_id": advisor, "not_before": datetime.now(UTC).isoformat(), "reason": "logout"},
    )
    await publish_event(
        nats_url, "auth.user.deactivated", auth_user(advisor, "branch_head", [], is_active=False)
    )

    async def gone() -> bool:
        found = await _person(database, advisor)
        return found is not None and not found.is_active

    await eventually(gone)
    assert await _person(database, customer) is None
    async with database.session() as session:
        refused = (
            await session.execute(
                select(EVENT_TABLES.dead_letters).where(
                    EVENT_TABLES.dead_letters.c.event_id == invalidated.id
                )
            )
        ).all()
    assert refused == []


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


async def test_a_store_and_an_advisor_from_events_are_ready_to_punch(
    client: httpx.AsyncClient,
    database: Database,
    nats_url: str,
    auth_headers: Callable[..., dict[str, str]],
) -> None:
    store, advisor = uuid.uuid4(), f"u-{uuid.uuid4().hex[:8]}"
    await publish_event(nats_url, "catalog.store.created", catalog_store(store, "Venice Beach"))
    await publish_event(nats_url, "auth.user.created", auth_user(advisor, "advisor", [str(store)]))

    async def both() -> bool:
        return (
            await _store(database, store) is not None
            and await _person(database, advisor) is not None
        )

    await eventually(both)
    headers = auth_headers(Role.advisor, user_id=advisor, stores=[str(store)])
    files = {"selfie": ("s.jpg", photo(), "image/jpeg")}
    near = await client.post(
        "/api/attendance/check-in",
        data={"latitude": "33.9851", "longitude": "-118.4721", "accuracy": "15"},
        files=files,
        headers=headers,
    )
    assert near.status_code == 201, near.text
    assert near.json()["approvals"] == []
    assert near.json()["check_in"]["distance_m"] < 20
