"""Running a step in the request or as a background job. A manifest of at most
``threshold`` rows (INTAKE_BACKGROUND_ROWS) is standardised, matched and made into units in the
request, as before; above it, process-manifest, match-products and create-items (and the
units deliver creates) are queued as an ``intake_jobs`` row once the step's own checks pass
(the same 404/403/409/422 as in the request), and answered 202 with where to poll. Asking
again while the job is queued or running answers the same job at once (without waiting for
the order's lock, which a running job holds); another kind of job of the order still going
is a 409.

The worker (``run``) does the step in ONE transaction that also holds the job's row lock and
marks it done with the step's answer: the step is all or nothing (no half-written rows), a
second worker's ``SKIP LOCKED`` claim never takes a job being run, and a worker that dies
mid-step leaves the job ``running`` with its transaction rolled back, so it is claimed
again once its heartbeat is stale and runs again from the start (every step is idempotent).
A refusal met when it runs (a 409 of a step done meanwhile) fails the job with its status
and detail.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import Database
from common.errors import Conflict, DomainError
from common.roles import Principal
from inventory.ai_cleanup.models import IntakeJob, JobStatus
from inventory.ai_cleanup.repository import JobRepository
from inventory.batches.schemas import CreatedItemsOut
from inventory.batches.service import BatchService
from inventory.intake_products.catalog import Catalog
from inventory.manifests.announce import job_queued
from inventory.manifests.models import Manifest
from inventory.manifests.repository import ManifestRepository
from inventory.manifests.schemas import ProcessIn, ProcessOut
from inventory.manifests.service import ManifestService, Processed
from inventory.matching.schemas import MatchSummary
from inventory.matching.service import MatchingService
from inventory.orders.models import PurchaseOrder
from inventory.orders.service import OrderService
from inventory.queued.answers import Queued

logger = logging.getLogger(__name__)
DEFAULT_THRESHOLD = 2_000
STEP_KINDS = ("process_manifest", "match_products", "create_items")


class IntakeJobService:
    def __init__(
        self,
        session: AsyncSession,
        actor: Principal | None,
        *,
        threshold: int = DEFAULT_THRESHOLD,
        catalog: Catalog | None = None,
        actor_id: str | None = None,
    ) -> None:
        self.session = session
        self.actor_id = actor.user_id if actor is not None else actor_id
        self.threshold = threshold
        self.orders = OrderService(session, actor)
        self.manifests = ManifestService(session, actor, actor_id=actor_id)
        self.matching = MatchingService(session, actor, catalog=catalog, actor_id=actor_id)
        self.batches = BatchService(session, actor, actor_id=actor_id)
        self.rows = ManifestRepository(session)
        self.jobs = JobRepository(session)

    # -- the steps: in the request, or queued ----------------------------------------------

    async def process(self, order_id: uuid.UUID, body: ProcessIn) -> Processed | Queued:
        if (going := await self._going(order_id, "process_manifest")) is not None:
            return going
        staged = await self.manifests.stage(order_id)
        if not self._large(staged.manifest):
            return await self.manifests.process(order_id, body)
        await self.manifests.check_process(staged, body)
        return await self._queue(
            staged.order, staged.manifest, "process_manifest", body.model_dump(mode="json")
        )

    async def match(self, order_id: uuid.UUID) -> dict[str, Any] | Queued:
        if (going := await self._going(order_id, "match_products")) is not None:
            return going
        staged = await self.matching.check_match(order_id)
        if not self._large(staged.manifest):
            return await self.matching.match(order_id)
        return await self._queue(staged.order, staged.manifest, "match_products", {})

    async def create_items(self, order_id: uuid.UUID) -> dict[str, Any] | Queued:
        if (going := await self._going(order_id, "create_items")) is not None:
            return going
        staged = await self.manifests.standardised(order_id)
        if not self._large(staged.manifest) or staged.manifest.items_created_at is not None:
            return await self.batches.create_items(order_id)
        await self.batches.check_create(staged.order, staged.manifest)
        return await self._queue(staged.order, staged.manifest, "create_items", {})

    async def create_when_delivered(self, order: PurchaseOrder) -> None:
        """``deliver``'s hook: a large manifest's units are made by a job, not in the request."""
        manifest = await self.rows.of_order(order.id, lock=True)
        if manifest is None or not self._large(manifest):
            await self.batches.create_if_ready(order)
        elif manifest.finalized_at is not None and manifest.items_created_at is None:
            await self._queue(order, manifest, "create_items", {})

    async def status(self, order_id: uuid.UUID) -> dict[str, Any]:
        order = await self.orders.get(order_id)
        job = await self.jobs.latest(order.id)
        return {"status": job.status if job else "none", "job": job}

    async def _going(self, order_id: uuid.UUID, kind: str) -> Queued | None:
        """The order's job of ``kind`` already queued or running, read without waiting for the
        order's lock (a running job holds it until it ends); another kind going is a 409."""
        order = await self.orders.get(order_id)
        active = await self.jobs.active(order.id)
        if active is None:
            return None
        if active.kind != kind:
            raise _busy(order, active)
        return Queued(order.id, active)

    def _large(self, manifest: Manifest) -> bool:
        return manifest.row_count > self.threshold

    async def _queue(
        self, order: PurchaseOrder, manifest: Manifest, kind: str, params: dict[str, Any]
    ) -> Queued:
        active = await self.jobs.active(order.id, lock=True)
        if active is not None:
            if active.kind == kind:
                return Queued(order.id, active)
            raise _busy(order, active)
        job = await self.jobs.add(
            IntakeJob(
                order_id=order.id,
                kind=kind,
                batch_size=manifest.row_count,
                total=manifest.row_count,
                done=0,
                model="",
                params=params,
                requested_by=self.actor_id,
            )
        )
        await job_queued(self.session, order, job, actor=self.actor_id)
        return Queued(order.id, job)


def _busy(order: PurchaseOrder, job: IntakeJob) -> Conflict:
    return Conflict(
        f"Order {order.number}: its {job.kind} job is {job.status}; it must end first (job-status)."
    )


async def run(database: Database, job_id: uuid.UUID) -> None:
    """Run a claimed step job to its end (the worker's hook for every kind but ai_cleanup)."""
    try:
        async with database.session() as session:
            job = await JobRepository(session).get(job_id, lock=True)
            if job is None or job.status != JobStatus.running or job.kind not in STEP_KINDS:
                return
            steps = IntakeJobService(session, None, actor_id=job.requested_by)
            answer = await _step(steps, job)
            now = datetime.now(UTC)
            job.status, job.done, job.result = JobStatus.done, job.total, answer
            job.heartbeat_at = job.finished_at = now
            await session.commit()
    except DomainError as exc:
        await _failed(database, job_id, exc.status_code, exc.detail)
    except Exception as exc:
        logger.exception("intake step job %s failed", job_id)
        await _failed(database, job_id, 500, f"The step failed: {exc!r}"[:2000])


async def _step(steps: IntakeJobService, job: IntakeJob) -> dict[str, Any]:
    answer: BaseModel
    if job.kind == "process_manifest":
        processed = await steps.manifests.process(
            job.order_id, ProcessIn.model_validate(job.params), job_id=job.id
        )
        answer = ProcessOut.model_validate(processed)
    elif job.kind == "match_products":
        answer = MatchSummary.model_validate(
            await steps.matching.match(job.order_id, job_id=job.id)
        )
    else:
        answer = CreatedItemsOut.model_validate(await steps.batches.create_items(job.order_id))
    return answer.model_dump(mode="json")


async def _failed(database: Database, job_id: uuid.UUID, status_code: int, detail: Any) -> None:
    async with database.session() as session:
        job = await JobRepository(session).get(job_id, lock=True)
        if job is not None and job.status == JobStatus.running:
            job.status, job.finished_at = JobStatus.failed, datetime.now(UTC)
            job.error = (detail if isinstance(detail, str) else repr(detail))[:2000]
            job.result = {"status_code": status_code, "detail": detail}
        await session.commit()
