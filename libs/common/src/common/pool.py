"""The connection pool of every service engine: a LIFO queue pool that closes what sits idle.

SQLAlchemy's queue pool keeps every connection it ever opened up to
``pool_size``: after a start-up or a burst of ``n`` concurrent requests, ``n``
PostgreSQL backends (12-19 MiB each) stay open for the life of the process.
``IdleReleasingPool`` hands out the most recently returned connection first
(LIFO), so under a steady load the same few connections stay busy and the
others age, and ``release_idle(seconds)`` closes the ones that sat unused that
long. ``Database`` calls it periodically (``database_pool_idle_seconds``).
A connection in use is never touched; the next burst opens what it needs again,
so connections churn at most once per idle period, never under a steady load.

A connection is checked before use only when it sat idle ``ping_after_seconds`` (one
second) or more — ``ping_when_idle(engine)``. SQLAlchemy's ``pool_pre_ping`` pings on
every checkout: one more round trip per request and per consumer batch, for a connection
returned milliseconds ago. A backend that died under a connection used within the last
second (the database restarted) fails that one statement; SQLAlchemy then marks every
older pooled connection stale, and the service answers that request with a 503
(``common.middleware``) and the next one on a new connection.

It reaches into the queue pool's queue (``_pool``) and overflow counter, which
SQLAlchemy keeps private; ``libs/common/tests/test_pool.py`` proves it against
the installed version.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry, PoolProxiedConnection
from sqlalchemy.util import queue as sqla_queue

IDLE_SINCE = "shopfloor_idle_since"
PING_AFTER_IDLE_SECONDS = 1.0


def ping_when_idle(engine: AsyncEngine, after_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Before a checkout, ping the connection if it sat idle ``after_seconds`` or more; a
    dead one (and every pooled one older) is replaced by a new connection."""
    dialect = engine.dialect
    driver_error: type[Exception] = dialect.loaded_dbapi.Error

    @event.listens_for(engine.sync_engine, "checkout")
    def _ping_if_idle(
        dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        idle_since = record.info.get(IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < after_seconds:
            return  # new, or back in the pool a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except driver_error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):  # type: ignore[arg-type]
                raise exc.InvalidatePoolError() from error
            raise


class IdleReleasingPool(AsyncAdaptedQueuePool):
    """``AsyncAdaptedQueuePool`` that remembers when each connection came back."""

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        record.info[IDLE_SINCE] = time.monotonic()
        super()._do_return_conn(record)

    def release_idle(self, idle_seconds: float) -> int:
        """Close every pooled connection unused for ``idle_seconds``; how many were closed.

        Sync, like the pool: run it with ``greenlet_spawn`` (closing awaits the driver).
        The stale ones leave the queue before the first close awaits, so a checkout
        meanwhile never gets one of them."""
        now = time.monotonic()
        fresh: list[ConnectionPoolEntry] = []
        stale: list[ConnectionPoolEntry] = []
        while True:
            try:
                record = self._pool.get(False)
            except sqla_queue.Empty:
                break
            idle = now - record.info.get(IDLE_SINCE, now)
            (stale if idle >= idle_seconds else fresh).append(record)
        for record in reversed(fresh):  # back in their order: the freshest is taken first
            self._pool.put(record, False)
        for record in stale:
            self._dec_overflow()
            record.close()
        return len(stale)
