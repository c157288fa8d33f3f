"""A session for the public reads (lists and details): no transaction around them.

``SessionDep`` wraps every request in a transaction that commits when the route returns,
which a write needs. A read does not: its statements (the page's count, then its rows)
each see their own snapshot either way under PostgreSQL's READ COMMITTED, so running
them in autocommit mode returns exactly the same answers while saving the ``BEGIN`` and
``COMMIT`` round trips (two of a list's five; bench/README.md, catalog-list). Only routes
that never write use it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from common.db import get_database

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
    engine = _autocommit(get_database(request).engine)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session


ReadSessionDep = Annotated[AsyncSession, Depends(read_session)]
