"""The partition keeper: at start-up and then every ``AUDIT_MAINTENANCE_INTERVAL_SECONDS``,
partitions for the coming months, then retention (each dropped month its own transaction)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from audit.config import AuditSettings
from audit.partitions.service import Dropped, PartitionService
from common.db import Database

logger = logging.getLogger(__name__)


class PartitionKeeper:
    def __init__(self, database: Database, settings: AuditSettings) -> None:
        self.database = database
        self.settings = settings

    async def ensure_ahead(self, now: datetime | None = None) -> None:
        async with self.database.session() as session:
            await PartitionService(session).ensure_ahead(
                now or datetime.now(UTC), self.settings.audit_partitions_ahead
            )

    async def apply_retention(self, now: datetime | None = None) -> list[Dropped]:
        now = now or datetime.now(UTC)
        retention = self.settings.audit_retention_months
        async with self.database.session() as session:
            expired = await PartitionService(session).expired(now, retention)
        dropped = []
        for month in expired:
            async with self.database.session() as session:
                done = await PartitionService(session).drop(
                    month, now=now, retention_months=retention
                )
            if done is not None:  # None: another replica dropped it first
                dropped.append(done)
        return dropped

    async def run_once(self, now: datetime | None = None) -> list[Dropped]:
        await self.ensure_ahead(now)
        return await self.apply_retention(now)

    async def run(self) -> None:
        """Until cancelled; a failed round is logged and tried again next interval."""
        while True:
            await asyncio.sleep(self.settings.audit_maintenance_interval_seconds)
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("audit partition maintenance failed; retrying next interval")
