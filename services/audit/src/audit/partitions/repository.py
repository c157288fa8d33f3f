"""Queries and DDL of the monthly partitions and their registry rows (``log_months``).

Partition DDL is built from a ``date`` only (never from caller text), and serialised
between replicas by a transaction-level advisory lock.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from audit.db import EVENT_TABLES
from audit.entries.models import NO_STORE
from audit.partitions.models import LogMonth
from audit.partitions.months import SCHEMA, add_months, qualified, start_of

DDL_LOCK = 7_413_062  # pg_advisory_xact_lock key for partition DDL (migrations use 7413061)


class MonthRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def partitions(self) -> set[date]:
        """The months whose partition exists now (read from the catalog, not the registry)."""
        names = (
            await self.session.execute(
                text(
                    "SELECT child.relname FROM pg_inherits "
                    "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
                    "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
                    "JOIN pg_namespace ns ON ns.oid = child.relnamespace "
                    "WHERE parent.relname = 'audit_entries' AND ns.nspname = :schema"
                ),
                {"schema": SCHEMA},
            )
        ).scalars()
        months: set[date] = set()
        for name in names:
            _, year, month = name.split("_")
            months.add(date(int(year), int(month), 1))
        return months

    async def lock_ddl(self) -> None:
        await self.session.execute(select(func.pg_advisory_xact_lock(DDL_LOCK)))

    async def create_partition(self, month: date) -> None:
        start, end = start_of(month), start_of(add_months(month, 1))
        await self.session.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS {qualified(month)} PARTITION OF audit_entries "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        )

    async def drop_partition(self, month: date) -> None:
        await self.session.execute(text(f"DROP TABLE IF EXISTS {qualified(month)}"))

    async def register(self, month: date) -> None:
        """The month's registry row, empty, unless it exists."""
        await self.session.execute(
            pg_insert(LogMonth)
            .values(month=month, partition=qualified(month), rows=0, head_position=0)
            .on_conflict_do_nothing()
        )

    async def get(self, month: date) -> LogMonth | None:
        return await self.session.get(LogMonth, month)

    async def lock(self, month: date) -> LogMonth | None:
        """The month's row, locked: the chain of a month grows one transaction at a time."""
        return (
            await self.session.execute(
                select(LogMonth).where(LogMonth.month == month).with_for_update()
            )
        ).scalar_one_or_none()

    async def advance(self, month: date, *, rows: int, position: int, head: str) -> None:
        await self.session.execute(
            update(LogMonth)
            .where(LogMonth.month == month)
            .values(rows=LogMonth.rows + rows, head_position=position, head_hash=head)
        )

    async def mark_dropped(self, month: date, at: datetime) -> None:
        await self.session.execute(
            update(LogMonth).where(LogMonth.month == month).values(dropped_at=at)
        )

    async def counts_by_action(self, month: date) -> list[tuple[str, uuid.UUID, int]]:
        """(action, store or NO_STORE, rows) of one partition, before it is dropped."""
        rows = await self.session.execute(
            text(
                "SELECT action, COALESCE(store_id, :none) AS store, count(*) "
                f"FROM {qualified(month)} GROUP BY 1, 2 ORDER BY 1, 2"
            ),
            {"none": NO_STORE},
        )
        return [(row[0], row[1], int(row[2])) for row in rows]

    async def forget_events_of(self, month: date, subscriber: str) -> None:
        """The inbox rows of the partition's events (before it is dropped)."""
        inbox = EVENT_TABLES.inbox
        await self.session.execute(
            delete(inbox).where(
                inbox.c.subscriber == subscriber,
                inbox.c.event_id.in_(text(f"SELECT event_id FROM {qualified(month)}")),
            )
        )
