"""The background worker of intake jobs: claims a queued job (or a running one whose worker
died: no heartbeat for ``STALE``); a step job (a large manifest's process-manifest,
match-products or create-items) goes to ``steps`` (``inventory.intake_jobs.service.run``,
wired by ``main``); an AI cleanup job it runs itself: it cleans its rows batch by batch, each batch's answers
and progress committed on their own; a cancelled job stops at the next batch, a provider
failure marks the job failed with its reason (the progress made stays). Woken by the NOTIFY
of the transaction that queued a job (on the process's shared LISTEN connection,
``common.notifications``), with a sweep every ``poll`` seconds as a safety net.
(The loop is the outbox relay's; a generic job runner would belong in ``common``.)"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from common.db import Database, libpq_url
from common.notifications import Notifications, wake_on
from inventory.ai.provider import AIProvider, ProviderError
from inventory.ai_cleanup.models import JobStatus
from inventory.ai_cleanup.repository import CHANNEL, JobRepository
from inventory.ai_cleanup.service import CleanupService

logger = logging.getLogger(__name__)
StepRunner = Callable[[uuid.UUID], Awaitable[None]]
STALE = timedelta(seconds=120)


class CleanupWorker:
    def __init__(
        self,
        database: Database,
        provider: Callable[[], AIProvider | None],
        *,
        poll: float = 5.0,
        timeout: float = 60.0,
        steps: StepRunner | None = None,
        notifications: Notifications | None = None,
    ) -> None:
        self.database = database
        self.provider = provider
        self.steps = steps
        self.poll = poll
        self.timeout = timeout
        self.notifications = notifications

    async def run(self) -> None:
        async with wake_on(CHANNEL, self.notifications, libpq_url(self.database.url)) as wake:
            while True:
                await wake.wait(self.poll)
                try:
                    while await self.run_one():
                        pass
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # the database went away: try again next round
                    logger.warning("intake job worker failed: %r", exc)

    async def run_one(self) -> bool:
        """Claim and run one job to its end; False when there was none."""
        async with self.database.session() as session:
            kinds = None if self.steps is not None else ("ai_cleanup",)
            job = await JobRepository(session).claim(datetime.now(UTC), STALE, kinds=kinds)
            if job is None:
                return False
            job.status = JobStatus.running
            job.started_at = job.started_at or datetime.now(UTC)
            job.heartbeat_at = datetime.now(UTC)
            job_id, kind = job.id, job.kind
            await session.commit()
        if kind != "ai_cleanup" and self.steps is not None:
            await self.steps(job_id)  # a large manifest's step (inventory.intake_jobs)
            return True
        provider = self.provider()
        while True:
            async with self.database.session() as session:
                service = CleanupService(session, None, provider)
                job = await JobRepository(session).get(job_id)
                if job is None or job.status != JobStatus.running:
                    return True
                rows = await service.next_rows(job)
                if not rows or provider is None:
                    await self._finish(job_id, "" if rows == [] else "AI is not configured")
                    return True
            try:
                cleaned = await CleanupService.ask(provider, job, rows, self.timeout)
            except ProviderError as exc:
                await self._finish(job_id, str(exc))
                return True
            async with self.database.session() as session:
                going = await CleanupService(session, None, provider).record(job_id, rows, cleaned)
                await session.commit()
            if not going:
                return True

    async def _finish(self, job_id: object, error: str) -> None:
        async with self.database.session() as session:
            job = await JobRepository(session).get(job_id, lock=True)  # type: ignore[arg-type]
            if job is not None and job.status == JobStatus.running:
                job.status = JobStatus.failed if error else JobStatus.done
                job.error = error[:2000]
                job.finished_at = datetime.now(UTC)
            await session.commit()
