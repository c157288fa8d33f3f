"""PostgreSQL and NATS for the event benchmarks: given ones, or embedded ones for the run.

``BENCH_DATABASE_URL`` (a server URL whose user may create databases) and
``BENCH_NATS_URL`` (NATS with JetStream) select existing servers; whichever is
missing is started from its pip wheel on a free port in a temporary directory
and always stopped at the end. Each scenario then works in a database and a
stream of its own, both removed when it ends, so nothing is left behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from nats.js.errors import NotFoundError
from psycopg import sql

from common.config import normalise_database_url
from common.db import Database
from common.events.bus import NatsBus
from common.events.envelope import stream_name
from common.testing.engines import NatsServer, PostgresServer, free_port
from shopfloor_bench.schema import METADATA


@dataclass(frozen=True)
class Backends:
    """Where the scenarios run; ``started`` says which servers are ours (embedded)."""

    postgres_url: str
    nats_url: str
    started: tuple[str, ...]

    def describe(self) -> str:
        started = ", ".join(self.started) if self.started else "none"
        return (
            f"PostgreSQL {_redact(self.postgres_url)}, NATS {self.nats_url} (embedded: {started})"
        )


def _redact(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}@{host}"


@contextlib.contextmanager
def backends() -> Iterator[Backends]:
    """The servers of ``BENCH_DATABASE_URL`` / ``BENCH_NATS_URL``, or embedded ones."""
    postgres_url = os.environ.get("BENCH_DATABASE_URL") or None
    nats_url = os.environ.get("BENCH_NATS_URL") or None
    started: list[str] = []
    with contextlib.ExitStack() as stack:
        if postgres_url is None or nats_url is None:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sf-bench-")))
        if postgres_url is None:
            postgres = PostgresServer(directory / "postgres", free_port())
            stack.callback(postgres.stop)
            postgres.start()
            postgres_url = postgres.url()
            started.append("postgresql")
        if nats_url is None:
            nats_server = NatsServer(directory / "nats", free_port())
            stack.callback(nats_server.stop)
            nats_server.start()
            nats_url = nats_server.url
            started.append("nats")
        yield Backends(postgres_url, nats_url, tuple(started))


def new_source(scenario: str) -> str:
    """A publisher name unique to this run (its stream and NOTIFY channel are too)."""
    return f"bench{scenario}{uuid.uuid4().hex[:8]}"


def _database_url(server_url: str, name: str) -> str:
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}"


def _libpq(url: str) -> str:
    return normalise_database_url(url).replace("postgresql+psycopg://", "postgresql://", 1)


@contextlib.asynccontextmanager
async def scratch_database(server_url: str, name: str) -> AsyncIterator[str]:
    """A new database with the bench tables; yields its SQLAlchemy URL, drops it afterwards."""
    admin = _libpq(server_url)
    async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
        await connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = normalise_database_url(_database_url(server_url, name))
    try:
        database = Database(url, pool_size=4)
        try:
            async with database.engine.begin() as connection:
                await connection.run_sync(METADATA.create_all)
        finally:
            await database.dispose()
        yield url
    finally:
        async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
            await connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


async def vacuum(url: str, table: str) -> None:
    """``VACUUM ANALYZE`` so every measured run starts from the same table state."""
    async with await psycopg.AsyncConnection.connect(_libpq(url), autocommit=True) as connection:
        await connection.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))


@contextlib.asynccontextmanager
async def scratch_bus(nats_url: str, source: str, *, name: str) -> AsyncIterator[NatsBus]:
    """A connected bus with the ``source`` stream; the stream is deleted afterwards."""
    bus = NatsBus(nats_url, name=name)
    await bus.connect(timeout=15)
    try:
        await bus.ensure_stream(source)
        yield bus
    finally:
        with contextlib.suppress(NotFoundError):
            await bus.js.delete_stream(stream_name(source))
        await bus.close()


async def reset_stream(bus: NatsBus, source: str) -> None:
    """An empty stream (and an empty duplicate window) for the next run."""
    with contextlib.suppress(NotFoundError):
        await bus.js.delete_stream(stream_name(source))
    await bus.ensure_stream(source)


async def stream_messages(bus: NatsBus, source: str) -> int:
    info = await bus.js.stream_info(stream_name(source))
    return int(info.state.messages)
