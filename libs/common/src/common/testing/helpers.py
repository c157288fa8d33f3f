"""Helpers for service tests: run an app with its lifespan, truncate tables, read events back.

``running_app`` starts the real lifespan (database, NATS, relay, consumers) and
gives an httpx client speaking ASGI to it; before each request it tells the
app's revocation read-model about the users the plugin minted tokens for. ``read_events`` reads what a stream
holds with an ephemeral consumer, as another service would see it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx
import nats
from fastapi import FastAPI
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import create_async_engine

from common.config import normalise_database_url
from common.events.envelope import Envelope, stream_name
from common.testing.minted import MINTED_USERS


class _AnnouncingTransport(httpx.ASGITransport):
    """ASGI transport that first announces newly minted users to the app's read-model."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__(app=app)
        self._app = app
        self._announced = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        guard = getattr(self._app.state, "revocations", None)
        if guard is not None and self._announced < len(MINTED_USERS):
            guard.snapshot.assume_known(MINTED_USERS[self._announced :])
            self._announced = len(MINTED_USERS)
        return await super().handle_async_request(request)


@asynccontextmanager
async def running_app(
    app: FastAPI, base_url: str = "http://testserver"
) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = _AnnouncingTransport(app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            yield client


async def truncate_all(database_url: str, metadata: MetaData) -> None:
    """Empty every table of ``metadata`` (test isolation without re-migrating)."""
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    if not names:
        return
    engine = create_async_engine(normalise_database_url(database_url))
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


def _reader_config(since: float | None) -> ConsumerConfig:
    """An ephemeral reader from the stream's start, or from ``since`` on.

    A message is stored after its envelope was made, so starting at ``since`` by the
    stream's clock skips only events made earlier (``read_events`` filters on the
    envelope's time as well); a long session's stream is not read whole at every call.
    """
    config = ConsumerConfig(
        ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=5.0
    )
    if since is not None:
        config.deliver_policy = DeliverPolicy.BY_START_TIME
        config.opt_start_time = datetime.fromtimestamp(since, UTC)
    return config


async def read_events(
    nats_url: str,
    subject: str,
    *,
    expected: int = 1,
    timeout: float = 10.0,
    since: float | None = None,
) -> list[Envelope]:
    """Envelopes on ``subject`` (wildcards allowed) in its stream, waiting until ``expected`` arrive.

    ``since`` (a ``time.time()`` value) skips events published earlier, so tests
    sharing a stream see only their own.
    """
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        deadline = time.monotonic() + timeout
        found: list[Envelope] = []
        while time.monotonic() < deadline:
            try:
                subscription = await js.pull_subscribe(
                    subject, stream=stream_name(subject), config=_reader_config(since)
                )
            except nats.js.errors.NotFoundError:
                await asyncio.sleep(0.1)
                continue
            found = []
            # Read what the consumer has, no more: waiting out a fetch's timeout to learn the
            # stream is drained cost every call 0.3 s.
            pending = (await subscription.consumer_info()).num_pending or 0
            while pending > 0:
                try:
                    messages = await subscription.fetch(batch=100, timeout=5)
                except (nats.errors.TimeoutError, TimeoutError):
                    break
                for message in messages:
                    envelope = Envelope.from_bytes(message.data)
                    if since is None or envelope.time.timestamp() >= since:
                        found.append(envelope)
                    pending = message.metadata.num_pending
            await subscription.unsubscribe()
            if len(found) >= expected:
                return found
            await asyncio.sleep(0.1)
        return found
    finally:
        await connection.close()


def migration_drift(database_url: str, metadata: MetaData) -> list[object]:
    """What the tables and sequences of ``metadata`` have that the migrated database lacks
    (empty when in step)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from common.migrations import missing_sequences

    engine = create_engine(normalise_database_url(database_url))
    try:
        with engine.connect() as connection:
            drift: list[object] = list(
                compare_metadata(MigrationContext.configure(connection), metadata)
            )
            drift.extend(
                ("missing_sequence", name) for name in missing_sequences(connection, metadata)
            )
            return drift
    finally:
        engine.dispose()
