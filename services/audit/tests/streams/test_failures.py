"""A message the log cannot write is retried, then kept as a flagged row with its error, and
only when even that fails dead-lettered — never dropped; GET /api/audit/streams shows per
stream how far the log has got, its lag, flagged rows and dead letters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from audit.models import EVENT_TABLES, AuditEntry
from audit.streams.ingester import DURABLE, dead_letter_subscriber
from audit.streams.reading import EntryDraft
from audit.streams.service import StreamStatusService
from common.db import Database
from common.events.bus import NatsBus
from common.testing.events import eventually, publish_event
from tests.conftest import discovered, wait_for_rows


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"event_max_deliver": 2}


def fail_on(app: FastAPI, marker: str, *, also_last_resort: bool = False) -> None:
    """Make the app's recorder fail for rows carrying ``marker`` (as a broken disk would);
    the last resort (a flagged row with the error) fails too when ``also_last_resort``."""
    recorder = app.state.ingester.recorder
    record_drafts = recorder.record_drafts

    async def failing(stream: str, drafts: Sequence[EntryDraft], **kwargs: Any) -> Any:
        for draft in drafts:
            if marker in (draft.payload or draft.raw or ""):
                last_resort = (draft.parse_error or "").startswith("could not be recorded")
                raise RuntimeError("still full" if last_resort else "disk full")
        return await record_drafts(stream, drafts, **kwargs)

    async def failing_but_the_last_resort(
        stream: str, drafts: Sequence[EntryDraft], **kwargs: Any
    ) -> Any:
        if all((d.parse_error or "").startswith("could not be recorded") for d in drafts):
            return await record_drafts(stream, drafts, **kwargs)
        return await failing(stream, drafts, **kwargs)

    recorder.record_drafts = failing if also_last_resort else failing_but_the_last_resort


async def test_a_message_failing_every_attempt_is_kept_flagged_with_its_error(
    app: FastAPI, client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    await discovered(app)
    marker = uuid.uuid4().hex
    fail_on(app, marker)
    event = await publish_event(nats_url, "pos.drawer.closed", {"drawer_id": marker})
    [row] = await wait_for_rows(database, 1, AuditEntry.event_id == event.id)
    assert (row.parse_error or "").startswith("could not be recorded: RuntimeError('disk full')")
    assert row.raw is not None and marker in row.raw and row.action == "pos.drawer.closed"


async def test_when_even_that_fails_it_is_dead_lettered_and_shown(
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    nats_url: str,
    admin: dict[str, str],
) -> None:
    await discovered(app)
    marker = uuid.uuid4().hex
    fail_on(app, marker, also_last_resort=True)
    await publish_event(
        nats_url, "pos.drawer.opened", {"drawer_id": marker, "email": "x@y.example"}
    )
    table = EVENT_TABLES.dead_letters

    async def dead_lettered() -> bool:
        async with database.session() as session:
            rows = (await session.execute(select(table))).mappings().all()
        return any(marker in row["payload"] for row in rows)

    await eventually(dead_lettered, timeout=30)
    async with database.session() as session:
        [letter] = (await session.execute(select(table))).mappings().all()
    assert letter["subscriber"] == dead_letter_subscriber("POS")
    assert "disk full" in letter["error"] and "still full" in letter["error"]
    assert "x@y.example" not in letter["payload"]  # masked there too
    status = (await client.get("/api/audit/streams", headers=admin)).json()
    [pos] = [stream for stream in status["streams"] if stream["name"] == "POS"]
    assert pos["dead_letters"] == 1


async def test_stream_status_shows_progress_and_lag(
    app: FastAPI,
    client: httpx.AsyncClient,
    database: Database,
    nats_url: str,
    admin: dict[str, str],
) -> None:
    source = f"status{uuid.uuid4().hex[:6]}"
    events = [await publish_event(nats_url, f"{source}.thing.done", {"n": n}) for n in range(3)]
    await wait_for_rows(database, 3, AuditEntry.event_id.in_([event.id for event in events]))

    async def caught_up() -> bool:
        answer = (await client.get("/api/audit/streams", headers=admin)).json()
        found = [stream for stream in answer["streams"] if stream["name"] == source.upper()]
        return bool(found) and found[0]["lag"] == 0

    await eventually(caught_up)
    answer = (await client.get("/api/audit/streams", headers=admin)).json()
    [stream] = [stream for stream in answer["streams"] if stream["name"] == source.upper()]
    assert answer["nats"] == "connected"
    assert stream["consumed"] is True and stream["subjects"] == [f"{source}.>"]
    assert (stream["recorded"], stream["last_sequence"], stream["stream_last_sequence"]) == (
        3,
        3,
        3,
    )
    assert (stream["flagged"], stream["dead_letters"]) == (0, 0)


async def test_without_nats_the_status_says_so_and_keeps_what_the_database_knows(
    client: httpx.AsyncClient, database: Database, nats_url: str
) -> None:
    await publish_event(nats_url, "catalog.unit.created", {"unit_id": "u-1"})
    await wait_for_rows(database, 1, AuditEntry.action == "catalog.unit.created")
    async with database.session() as session:
        status = await StreamStatusService(
            session, NatsBus(nats_url, name="never-connected")
        ).status()
    assert (status.nats, status.behind) == ("unreachable", None)
    [catalog] = [stream for stream in status.streams if stream.name == "CATALOG"]
    assert catalog.lag is None and catalog.recorded >= 1 and DURABLE == "audit--log"
