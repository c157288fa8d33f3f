"""The standing reader's pool keeps no connection once auth is idle (real PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid

import psycopg

from auth.sessions.standing_reader import StandingReader
from common.db import Database, libpq_url
from common.roles import Principal, Role
from common.testing.events import eventually


async def backends(url: str) -> int:
    async with await psycopg.AsyncConnection.connect(libpq_url(url), autocommit=True) as conn:
        cursor = await conn.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        row = await cursor.fetchone()
        return int(row[0]) if row else 0


async def test_a_burst_of_reads_leaves_no_backend_behind(database: Database) -> None:
    reader = StandingReader(database, 3, idle_seconds=0.3)
    await reader.pool.open(wait=True, timeout=30)
    try:
        idle_before = await backends(database.url)
        nobody = Principal(user_id=str(uuid.uuid4()), role=Role.advisor, token_id="t")
        assert await asyncio.gather(*(reader.read(nobody) for _ in range(6))) == [None] * 6
        assert reader.pool.get_stats()["pool_size"] >= 1

        async def shrunk() -> bool:
            return reader.pool.get_stats()["pool_size"] == 0

        await eventually(shrunk, timeout=10)
        assert await backends(database.url) == idle_before
    finally:
        await reader.pool.close()
