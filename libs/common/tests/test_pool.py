"""The engine's pool closes connections left idle, and only those, and pings only what sat
idle (real PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from common.config import normalise_database_url
from common.db import Database, libpq_url
from common.pool import PING_AFTER_IDLE_SECONDS
from common.testing.events import eventually


@pytest.fixture(scope="module")
def pool_db(fresh_database: Callable[[str], str]) -> str:
    return fresh_database("pool")


@pytest.fixture
async def database(pool_db: str) -> AsyncIterator[Database]:
    found = Database(normalise_database_url(pool_db), pool_size=5)
    yield found
    await found.dispose()


async def backends(url: str) -> set[int]:
    """The pids of the backends connected to this database (but the one asking)."""
    plain = libpq_url(normalise_database_url(url))
    async with await psycopg.AsyncConnection.connect(plain, autocommit=True) as connection:
        cursor = await connection.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {int(row[0]) for row in await cursor.fetchall()}


async def burst(database: Database, clients: int) -> set[int]:
    """``clients`` sessions at once, as concurrent requests would; their backends' pids."""
    ready = asyncio.Barrier(clients)

    async def one() -> int:
        async with database.session() as session:
            pid = int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            await ready.wait()  # all connections are checked out at the same time
            return pid

    return set(await asyncio.gather(*(one() for _ in range(clients))))


async def pid_of_next_session(database: Database) -> int:
    async with database.session() as session:
        return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_idle_connections_are_closed_and_their_backends_end(
    database: Database, pool_db: str
) -> None:
    opened = await burst(database, 4)
    assert len(opened) == 4
    assert await backends(pool_db) == opened  # a queue pool keeps all four
    assert await database.release_idle(60) == 0  # none has been idle a minute
    assert await backends(pool_db) == opened
    await asyncio.sleep(0.3)
    assert await database.release_idle(0.2) == 4
    await eventually(lambda: _empty(pool_db), timeout=5)
    # The pool opens again what the next request needs.
    assert await pid_of_next_session(database) not in opened


async def test_the_most_recently_used_connection_stays(database: Database, pool_db: str) -> None:
    opened = await burst(database, 3)
    await asyncio.sleep(0.4)
    kept = await pid_of_next_session(database)  # LIFO: the last one returned, used again
    assert await database.release_idle(0.3) == 2
    await eventually(lambda: _only(pool_db, {kept}), timeout=5)
    assert kept in opened
    assert await pid_of_next_session(database) == kept


async def test_a_connection_in_use_is_never_closed(database: Database, pool_db: str) -> None:
    async with database.session() as session:
        pid = int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())
        await asyncio.sleep(0.3)
        assert await database.release_idle(0.1) == 0
        assert (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one() == pid
    assert await backends(pool_db) == {pid}


async def test_the_background_release_keeps_a_steadily_used_connection(pool_db: str) -> None:
    """``release_idle_connections`` (the app runs it): a burst's extra backends end after
    ``idle_seconds``; a task using the pool every 50 ms keeps one and the same backend
    (no churn under a steady load)."""
    database = Database(normalise_database_url(pool_db), pool_size=5, idle_seconds=0.6)
    releasing = asyncio.create_task(database.release_idle_connections())
    try:
        await burst(database, 4)
        steady: set[int] = set()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 2.5  # four idle periods
        while loop.time() < deadline:
            steady.add(await pid_of_next_session(database))
            await asyncio.sleep(0.05)
        assert len(steady) == 1
        assert await backends(pool_db) == steady
    finally:
        releasing.cancel()
        await asyncio.gather(releasing, return_exceptions=True)
        await database.dispose()


async def _empty(url: str) -> bool:
    return not await backends(url)


async def _only(url: str, pids: set[int]) -> bool:
    return await backends(url) == pids


async def _terminate(url: str, pid: int) -> None:
    plain = libpq_url(normalise_database_url(url))
    async with await psycopg.AsyncConnection.connect(plain, autocommit=True) as connection:
        await connection.execute("SELECT pg_terminate_backend(%s)", (pid,))


async def test_a_connection_back_a_moment_ago_is_used_without_a_ping(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pool_pre_ping`` would cost a round trip per checkout; only an idle one is pinged."""
    pings: list[object] = []
    dialect = database.engine.dialect
    real_ping = dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return real_ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    pid = await pid_of_next_session(database)
    for _ in range(20):
        assert await pid_of_next_session(database) == pid
    assert pings == []
    await asyncio.sleep(PING_AFTER_IDLE_SECONDS + 0.1)
    assert await pid_of_next_session(database) == pid
    assert len(pings) == 1


async def test_an_idle_connection_whose_backend_died_is_replaced_before_use(
    database: Database, pool_db: str
) -> None:
    pid = await pid_of_next_session(database)
    await _terminate(pool_db, pid)
    await asyncio.sleep(PING_AFTER_IDLE_SECONDS + 0.1)
    assert await pid_of_next_session(database) != pid  # the ping found it dead: no error


async def test_a_hot_connection_whose_backend_died_fails_once_then_the_pool_reconnects(
    database: Database, pool_db: str
) -> None:
    pids = await burst(database, 3)
    for pid in pids:  # the database restarted under every pooled connection
        await _terminate(pool_db, pid)
    with pytest.raises(DBAPIError) as lost:
        await pid_of_next_session(database)
    assert lost.value.connection_invalidated  # common's middleware answers it with a 503
    # SQLAlchemy marked every older pooled connection stale: the next sessions reconnect.
    after = {await pid_of_next_session(database) for _ in range(3)}
    assert after.isdisjoint(pids)
