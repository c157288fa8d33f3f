"""Every query on intake jobs (claiming one is ``FOR UPDATE SKIP LOCKED``: several workers
or replicas never run the same job twice at once)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from inventory.ai_cleanup.models import ACTIVE, IntakeJob, JobStatus

CHANNEL = "inventory_intake_jobs"


class JobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self, order_id: uuid.UUID, *, lock: bool = False) -> IntakeJob | None:
        statement = select(IntakeJob).where(
            IntakeJob.order_id == order_id, IntakeJob.status.in_(ACTIVE)
        )
        if lock:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def latest(self, order_id: uuid.UUID, *, kind: str | None = None) -> IntakeJob | None:
        statement = select(IntakeJob).where(IntakeJob.order_id == order_id)
        if kind is not None:
            statement = statement.where(IntakeJob.kind == kind)
        return (
            await self.session.execute(
                statement.order_by(IntakeJob.created_at.desc(), IntakeJob.id).limit(1)
            )
        ).scalar_one_or_none()

    async def get(self, job_id: uuid.UUID, *, lock: bool = False) -> IntakeJob | None:
        statement = select(IntakeJob).where(IntakeJob.id == job_id)
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def add(self, job: IntakeJob) -> IntakeJob:
        self.session.add(job)
        await self.session.flush()
        await self.session.refresh(job)
        await self.session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
        return job

    async def claim(
        self, now: datetime, stale_after: timedelta, *, kinds: Sequence[str] | None = None
    ) -> IntakeJob | None:
        """The oldest queued job, or a running one whose worker stopped beating (of ``kinds``
        only, when given). A job whose row a worker holds locked (a step running) is skipped."""
        statement = (
            select(IntakeJob)
            .where(
                or_(
                    IntakeJob.status == JobStatus.queued,
                    (IntakeJob.status == JobStatus.running)
                    & (IntakeJob.heartbeat_at < now - stale_after),
                )
            )
            .order_by(IntakeJob.created_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if kinds is not None:
            statement = statement.where(IntakeJob.kind.in_(kinds))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def flush(self) -> None:
        await self.session.flush()
