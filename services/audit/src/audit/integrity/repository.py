"""The rows of one month in chain order, read through a server-side cursor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from sqlalchemy import select

from audit.entries.models import AuditEntry
from audit.partitions.months import add_months, start_of
from common.db import Database

FETCH = 2000


async def chain_of(database: Database, month: date, up_to: int) -> AsyncIterator[Any]:
    """Rows at positions 1..``up_to`` of ``month`` (later ones are still being written)."""
    statement = (
        select(AuditEntry.__table__)
        .where(
            AuditEntry.recorded_at >= start_of(month),
            AuditEntry.recorded_at < start_of(add_months(month, 1)),
            AuditEntry.position <= up_to,
        )
        .order_by(AuditEntry.position)
        .execution_options(yield_per=FETCH)
    )
    async with database.engine.connect() as connection:
        result = await connection.stream(statement)
        async for row in result:
            yield row
