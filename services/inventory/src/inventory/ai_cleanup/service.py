"""AI cleanup rules. Starting one queues a job (never the work itself: the worker does that,
outside the request) after the standardised rows exist and before matching — the cleaned
titles are what matching reads; one active job per order (asking again answers it). Its
status counts the cleaned rows. Cancelling stops the job, clears every AI field and, because
matching read them, the matching fields too; refused once rows are priced or items exist.

``clean_batch`` is one unit of the worker's work: the next rows of a job, sent to the
provider, their answers checked (``CleanedRow``) and written, the progress counted — in the
worker's own transactions, so progress survives a failure and a crash resumes the job.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, Unprocessable
from common.roles import Principal
from inventory.ai.provider import AIProvider, Message, configured
from inventory.ai_cleanup.models import IntakeJob, JobStatus
from inventory.ai_cleanup.repository import JobRepository
from inventory.ai_cleanup.schemas import CleanedRow, CleanupIn
from inventory.items.repository import ItemRepository
from inventory.manifests.announce import job_queued, step_done
from inventory.manifests.models import ManifestRow
from inventory.manifests.repository import ManifestRepository
from inventory.manifests.service import ManifestService
from inventory.manifests.steps import must_undo_first
from inventory.orders.repository import OrderRepository

ROWS = TypeAdapter(list[CleanedRow])
SYSTEM = (
    "You clean up product rows of a resale store's vendor manifest. For each row you get its "
    "row number, title, brand, model and specs. Answer with a JSON array and nothing else: one "
    'object per row, {"row": <row number>, "title": <a clear shelf title, at most 120 '
    'characters>, "brand": <brand or null>, "model": <model or null>, "specs": {<name>: '
    "<value>}}. Keep facts from the row only; never invent a capacity, colour or grade."
)


class CleanupService:
    def __init__(
        self, session: AsyncSession, actor: Principal | None, provider: AIProvider | None
    ) -> None:
        self.session = session
        self.actor_id = actor.user_id if actor is not None else None
        self.stages = ManifestService(session, actor)
        self.rows = ManifestRepository(session)
        self.items = ItemRepository(session)
        self.jobs = JobRepository(session)
        self.provider = provider

    async def start(self, order_id: uuid.UUID, body: CleanupIn) -> IntakeJob:
        provider = configured(self.provider)
        staged = await self.stages.standardised(order_id)
        order, manifest = staged.order, staged.manifest
        if manifest.items_created_at is not None or await self.items.count_of_order(order.id):
            raise Conflict(f"Order {order.number}: items exist; its rows can no longer change.")
        if manifest.matched_at is not None:
            raise must_undo_first(order.number, "undo-product-matching", "its rows are matched")
        running = await self.jobs.active(order.id)
        if running is not None:
            return running
        total = await self.rows.row_count(order.id) - body.offset
        if total <= 0:
            raise Unprocessable(
                [{"field": "offset", "loc": ["body", "offset"], "type": "value_error",
                  "msg": f"The order has {total + body.offset} rows; offset {body.offset} skips them all."}]
            )  # fmt: skip
        job = await self.jobs.add(
            IntakeJob(
                order_id=order.id,
                batch_size=body.batch_size,
                start_offset=body.offset,
                total=total,
                done=0,
                model=provider.default_model,
                requested_by=self.actor_id,
            )
        )
        await job_queued(self.session, order, job, actor=self.actor_id)
        return job

    async def status(self, order_id: uuid.UUID) -> dict[str, Any]:
        staged = await self.stages.stage(order_id, lock=False)
        order_id = staged.order.id
        job = await self.jobs.latest(order_id, kind="ai_cleanup")
        return {
            "status": job.status if job else "none",
            "cleaned_rows": await self.rows.row_count(order_id, ai_cleaned_at__not=None),
            "total_rows": await self.rows.row_count(order_id),
            "job": job,
        }

    async def cancel(self, order_id: uuid.UUID) -> int:
        staged = await self.stages.standardised(order_id)
        order, manifest = staged.order, staged.manifest
        if manifest.items_created_at is not None or await self.items.count_of_order(order.id):
            raise Conflict(f"Order {order.number}: items exist; its rows can no longer change.")
        if manifest.priced_at is not None or manifest.finalized_at is not None:
            raise must_undo_first(order.number, "clear-pricing", "its rows are priced")
        job = await self.jobs.active(order.id, lock=True)
        if job is not None:
            job.status = JobStatus.cancelled
            job.finished_at = datetime.now(UTC)
        cleared = await self.rows.clear_ai(order.id)
        await self.rows.clear_matching(order.id)
        manifest.matched_at = None
        await self.rows.flush()
        await step_done(
            self.session,
            order,
            "cancel-ai-cleanup",
            {"cleared": cleared},
            actor=self.actor_id,
            job_id=None if job is None else job.id,
        )
        return cleared

    # -- the worker's unit of work -----------------------------------------------------------

    async def next_rows(self, job: IntakeJob) -> list[ManifestRow]:
        return await self.rows.rows(
            job.order_id,
            offset=job.start_offset + job.done,
            limit=min(job.batch_size, job.total - job.done),
        )

    @staticmethod
    async def ask(
        provider: AIProvider, job: IntakeJob, rows: list[ManifestRow], timeout: float
    ) -> list[CleanedRow]:
        prompt = json.dumps(
            [
                {
                    "row": row.row_no,
                    "title": row.title,
                    "brand": row.brand,
                    "model": row.model,
                    "specs": row.specs,
                }
                for row in rows
            ]
        )
        answer = await provider.complete(
            model=job.model,
            system=SYSTEM,
            messages=[Message("user", prompt)],
            max_tokens=min(4096, 200 * len(rows) + 200),
            timeout=timeout,
        )
        return parse_answer(answer.content)

    async def record(
        self, job_id: uuid.UUID, rows: list[ManifestRow], cleaned: list[CleanedRow]
    ) -> bool:
        """Write one batch's answers and progress; False when the job was cancelled meanwhile."""
        job = await self.jobs.get(job_id, lock=True)
        if job is None or job.status != JobStatus.running:
            return False
        by_number = {row.row_no: row for row in rows}
        now = datetime.now(UTC)
        changes = [
            {
                "id": by_number[answer.row].id,
                "ai_title": answer.title.strip(),
                "ai_brand": (answer.brand or "").strip() or None,
                "ai_model": (answer.model or "").strip() or None,
                "ai_specs": {name[:40]: value[:200] for name, value in answer.specs.items()},
                "ai_cleaned_at": now,
            }
            for answer in cleaned
            if answer.row in by_number
        ]
        await self.rows.update_each(changes)
        job.done += len(rows)
        job.heartbeat_at = now
        if job.done >= job.total:
            job.status, job.finished_at = JobStatus.done, now
            await self._cleaned(job)
        await self.jobs.flush()
        return job.status == JobStatus.running

    async def _cleaned(self, job: IntakeJob) -> None:
        """The job's last batch: one event for the whole cleanup, sent as this batch commits."""
        order = await OrderRepository(self.session).get(job.order_id)
        if order is None:
            return
        cleaned = await self.rows.row_count(job.order_id, ai_cleaned_at__not=None)
        await step_done(
            self.session,
            order,
            "ai-cleanup-rows",
            {"cleaned": cleaned, "rows": job.total},
            actor=job.requested_by,
            job_id=job.id,
        )


def parse_answer(text: str) -> list[CleanedRow]:
    """The JSON array in the model's answer (text around it ignored); [] when there is none."""
    found = re.search(r"\[.*\]", text, re.DOTALL)
    if found is None:
        return []
    try:
        raw = json.loads(found.group(0))
    except ValueError:
        return []
    if not isinstance(raw, list):
        return []
    kept = []
    for entry in raw:
        try:
            kept.extend(ROWS.validate_python([entry]))
        except ValidationError:
            continue
    return kept
