"""audit test fixtures: the shared ones of common.testing.service, stores as catalog announced
them, and helpers to publish events (real JetStream) and wait for their rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from audit.config import AuditSettings
from audit.main import build_app
from audit.models import AuditEntry, Base, Store
from audit.streams.reading import Received
from audit.streams.recorder import Recorder
from common.db import Database
from common.events.envelope import Envelope
from common.testing.events import eventually
from common.testing.service import ServiceUnderTest

pytest_plugins = ["common.testing.plugin", "common.testing.service"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
STORE_A = uuid.UUID("0000000a-0000-4000-8000-00000000000a")
STORE_B = uuid.UUID("0000000b-0000-4000-8000-00000000000b")


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    return ServiceUnderTest(
        package="audit",
        migrations=MIGRATIONS,
        metadata=Base.metadata,
        settings_class=AuditSettings,
        build_app=build_app,
        # Discovery every half second, so a test sees a new stream picked up quickly.
        settings={"audit_discovery_interval_seconds": 0.5, "audit_retention_months": 0},
    )


async def open_stores(database: Database) -> None:
    """Stores A and B, as catalog's events would have stored them."""
    now = datetime.now(UTC)
    async with database.session() as session:
        session.add_all(
            [
                Store(id=STORE_A, code="NYC-01", name="Manhattan", synced_at=now),
                Store(id=STORE_B, code="BOS-01", name="Boston", synced_at=now),
            ]
        )


@pytest.fixture
async def stores(database: Database) -> None:
    await open_stores(database)


async def rows_where(database: Database, *conditions: Any) -> list[AuditEntry]:
    async with database.session() as session:
        return list(
            (await session.execute(select(AuditEntry).where(*conditions).order_by(AuditEntry.id)))
            .scalars()
            .all()
        )


async def count_where(database: Database, *conditions: Any) -> int:
    async with database.session() as session:
        return int(
            await session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
            or 0
        )


async def wait_for_rows(database: Database, count: int, *conditions: Any) -> list[AuditEntry]:
    """The rows matching ``conditions`` once there are ``count`` of them."""

    async def arrived() -> bool:
        return await count_where(database, *conditions) >= count

    await eventually(arrived, timeout=30)
    return await rows_where(database, *conditions)


def received(envelope: Envelope, *, stream: str = "POS", sequence: int = 1) -> Received:
    """A message as JetStream would deliver ``envelope`` (for writing rows without NATS)."""
    return Received(
        subject=envelope.type,
        data=envelope.to_bytes(),
        headers={"Nats-Msg-Id": str(envelope.id)},
        stream=stream,
        sequence=sequence,
        stored_at=envelope.time,
    )


async def record(
    database: Database,
    envelopes: list[Envelope],
    *,
    stream: str = "POS",
    now: datetime | None = None,
) -> list[AuditEntry]:
    """Write ``envelopes`` as the ingester would (one batch), returning their rows."""
    await Recorder(database).record(
        stream,
        [received(e, stream=stream, sequence=i + 1) for i, e in enumerate(envelopes)],
        now=now,
    )
    return await rows_where(database, AuditEntry.event_id.in_([e.id for e in envelopes]))


def sale_event(store: uuid.UUID = STORE_A, *, actor: str = "cashier-1", **data: Any) -> Envelope:
    return Envelope(
        type="pos.sale.completed",
        source="pos",
        actor=actor,
        data={"sale_id": str(uuid.uuid4()), "store_id": str(store), "total": "10.00", **data},
    )


async def discovered(app: FastAPI) -> None:
    """Until the ingester has registered every stream JetStream had at start-up."""

    async def one_round() -> bool:
        ingester = getattr(app.state, "ingester", None)
        return ingester is not None and ingester.rounds >= 1

    await eventually(one_round)
