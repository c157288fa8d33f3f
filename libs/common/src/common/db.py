"""Async SQLAlchemy on psycopg 3: engine, sessions, the request session dependency, wait-for-db.

The session dependency commits when the request handler returns and rolls back
when it raises, so services never commit themselves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from sqlalchemy import DateTime, MetaData, Numeric, func, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.util import greenlet_spawn
from tenacity import (
    AsyncRetrying,
    before_sleep_log,
    retry_if_exception_type,
    stop_after_delay,
    wait_exponential,
)

from common.after_commit import run_due
from common.pool import PING_AFTER_IDLE_SECONDS, IdleReleasingPool, ping_when_idle

logger = logging.getLogger(__name__)

# Constraint names Alembic can find again in every service.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def libpq_url(sqlalchemy_url: str) -> str:
    """The URL psycopg itself connects with (a LISTEN connection, a plain pool)."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def new_metadata() -> MetaData:
    """Each service owns one MetaData; tables of two services never share one."""
    return MetaData(naming_convention=NAMING_CONVENTION)


class ServiceBase(DeclarativeBase):
    """Subclass once per service: ``class Base(ServiceBase): metadata = new_metadata()``."""

    __abstract__ = True


# 19 digits or more: an integer orjson would read as a float (past 64 bits), or a number
# it refuses (past a double's range) — the standard library reads those exactly.
_LONG_NUMBER = re.compile(rb"\d{19}")


def read_json(text: str | bytes) -> Any:
    """JSON and JSONB values as the standard library reads them, at orjson's speed.

    orjson reads every value the same (objects, strings, floats, integers up to 64 bits);
    a text with a run of 19 digits goes to ``json.loads``, whose integers have no limit
    (a list of 20 products decodes 60 small documents: the standard library cost a tenth
    of the request)."""
    data = text.encode() if isinstance(text, str) else text
    if _LONG_NUMBER.search(data) is None:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data)


class Database:
    """One engine and session factory for a service's own database.

    Its pool (``common.pool``) hands out the most recently used connection first; with
    ``idle_seconds`` set, ``release_idle_connections()`` (a task of the app's lifespan)
    closes the ones unused that long, so an idle service keeps no more backends than its
    background tasks use."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        idle_seconds: float | None = None,
        ping_after_seconds: float = PING_AFTER_IDLE_SECONDS,
        echo: bool = False,
    ) -> None:
        self.url = url
        self.idle_seconds = idle_seconds
        self.engine: AsyncEngine = create_async_engine(
            url,
            poolclass=IdleReleasingPool,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_use_lifo=True,
            echo=echo,
            json_deserializer=read_json,
        )
        ping_when_idle(self.engine, ping_after_seconds)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: commit on success, roll back on any error; then what waited for
        the commit (``common.after_commit``)."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            await run_due(session)

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def wait_until_ready(self, timeout: float = 60.0) -> None:
        """Retry with backoff until the database answers (start-up ordering is not guaranteed)."""
        async for attempt in AsyncRetrying(
            stop=stop_after_delay(timeout),
            wait=wait_exponential(multiplier=0.1, max=2),
            retry=retry_if_exception_type(Exception),
            before_sleep=before_sleep_log(logger, logging.WARNING),
            reraise=True,
        ):
            with attempt:
                await self.ping()

    async def release_idle(self, idle_seconds: float) -> int:
        """Close the pooled connections unused for ``idle_seconds``; how many were closed."""
        pool = self.engine.sync_engine.pool
        if not isinstance(pool, IdleReleasingPool):
            return 0
        closed: int = await greenlet_spawn(pool.release_idle, idle_seconds)
        return closed

    async def release_idle_connections(self) -> None:
        """Until cancelled: every ``idle_seconds / 2``, close what sat idle ``idle_seconds``."""
        if not self.idle_seconds:
            return
        while True:
            await asyncio.sleep(self.idle_seconds / 2)
            try:
                await self.release_idle(self.idle_seconds)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a close that failed: the connection is gone anyway
                logger.warning("closing idle database connections failed: %r", exc)

    async def dispose(self) -> None:
        await self.engine.dispose()


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The route's session; the transaction commits when the route returns, before the
    response is sent, so a client never sees a 2xx for a write that did not commit."""
    async with get_database(request).session() as session:
        yield session


# scope="function": the commit runs when the route function returns, not after the
# response has gone out (FastAPI's default for yield dependencies).
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_database)]

_AUTOCOMMIT: dict[int, AsyncEngine] = {}


def _autocommit(engine: AsyncEngine) -> AsyncEngine:
    """The engine's autocommit twin (same pool), made once per engine."""
    key = id(engine)
    found = _AUTOCOMMIT.get(key)
    if found is None or found.sync_engine.pool is not engine.sync_engine.pool:
        found = engine.execution_options(isolation_level="AUTOCOMMIT")
        _AUTOCOMMIT[key] = found
    return found


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for routes that never write: no transaction around their statements.

    Under PostgreSQL's READ COMMITTED each statement of a transaction sees its own snapshot
    anyway, so a read (a page's rows, then maybe its count) answers exactly the same in
    autocommit mode, without the ``BEGIN`` and ``COMMIT`` round trips (bench/README.md,
    catalog-list). A write through it would commit statement by statement: never use it
    on a route that writes."""
    engine = _autocommit(get_database(request).engine)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session


ReadSessionDep = Annotated[AsyncSession, Depends(read_session)]


MONEY = Numeric(12, 2)
QUANTITY = Numeric(14, 3)


class Timestamps:
    """``created_at`` / ``updated_at`` set by the database (a mixin for service models)."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
