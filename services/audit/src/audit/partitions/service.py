"""The rules of the log's monthly partitions: made ahead of time, one registry row each
holding the month's chain head, and dropped whole when retention says so.

Retention ``AUDIT_RETENTION_MONTHS`` = N keeps the current month and the N before it:
with N = 12 in December 2026, November 2025 and older are dropped, so every row is kept
at least N full months. A drop is on the record three times: the month's registry row
keeps its row count and chain head with ``dropped_at``; ``audit.partition.dropped`` is
published (and so recorded in the log itself, through the AUDIT stream); and a warning is
logged. The action counts lose the dropped rows, and the inbox forgets their event ids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from audit.entries.repository import LOG_SUBSCRIBER, CountDelta, EntryRepository
from audit.events.contracts import PartitionDropped
from audit.events.outbox import outbox
from audit.partitions.models import LogMonth
from audit.partitions.months import add_months, month_label, month_of, qualified
from audit.partitions.repository import MonthRepository

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dropped:
    month: date
    rows: int
    head_hash: str | None


def retention_cutoff(now: datetime, retention_months: int) -> date | None:
    """The first month kept; None when everything is kept (retention 0)."""
    if retention_months <= 0:
        return None
    return add_months(month_of(now), -retention_months)


class PartitionService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.months = MonthRepository(session)

    async def ensure(self, months: list[date]) -> list[date]:
        """Partitions and registry rows for ``months``; returns the partitions created."""
        await self.months.lock_ddl()
        existing = await self.months.partitions()
        created = []
        for month in months:
            if month not in existing:
                await self.months.create_partition(month)
                created.append(month)
            await self.months.register(month)
        for month in created:
            logger.info("created audit partition %s", qualified(month))
        return created

    async def ensure_ahead(self, now: datetime, ahead: int) -> list[date]:
        current = month_of(now)
        return await self.ensure([add_months(current, step) for step in range(ahead + 1)])

    async def head_for_update(self, month: date) -> LogMonth:
        """The month's registry row, locked until the transaction ends (the chain of a month
        grows one transaction at a time, whichever replica or stream writes)."""
        head = await self.months.lock(month)
        if head is None:
            await self.months.register(month)
            head = await self.months.lock(month)
        if head is None:
            raise RuntimeError(f"log month {month} has no registry row")
        return head

    async def advance(self, month: date, *, rows: int, position: int, head: str) -> None:
        await self.months.advance(month, rows=rows, position=position, head=head)

    async def expired(self, now: datetime, retention_months: int) -> list[date]:
        """Months whose partition retention drops, oldest first."""
        cutoff = retention_cutoff(now, retention_months)
        if cutoff is None:
            return []
        return sorted(month for month in await self.months.partitions() if month < cutoff)

    async def drop(self, month: date, *, now: datetime, retention_months: int) -> Dropped | None:
        """Drop one expired month (its own transaction: the caller commits per month); None
        when another replica dropped it first."""
        await self.months.lock_ddl()
        if month not in await self.months.partitions():
            return None
        await self.months.register(month)
        registry = await self.months.lock(month)
        counts = await self.months.counts_by_action(month)
        await self.months.forget_events_of(month, LOG_SUBSCRIBER)
        # The partition goes before the counts: taking its lock before any action-count row
        # keeps the lock order of the writers (insert, then count), so they never deadlock.
        await self.months.drop_partition(month)
        await EntryRepository(self.session).add_counts(
            CountDelta(action, store, "", None, -rows, now) for action, store, rows in counts
        )
        await self.months.mark_dropped(month, now)
        rows = registry.rows if registry is not None else sum(count for *_, count in counts)
        head = registry.head_hash if registry is not None else None
        position = registry.head_position if registry is not None else 0
        await outbox.publish(
            self.session,
            PartitionDropped(
                month=month_label(month),
                partition=qualified(month),
                rows=rows,
                head_position=position,
                head_hash=head,
                retention_months=retention_months,
                dropped_at=now,
            ),
        )
        logger.warning(
            "retention (%d months) dropped audit partition %s: %d rows, chain head %s",
            retention_months,
            qualified(month),
            rows,
            head,
        )
        return Dropped(month, rows, head)
