"""What an intake step tells the others: ONE ``inventory.intake.step_done`` per step with its
counts (a step over 20,000 rows is one event, not 20,000), and ``inventory.intake.job_queued``
when a step is left to a background job. Both go through the outbox in the step's own
transaction: a job's event is sent only when the job's work commits."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Protocol, cast

from sqlalchemy.ext.asyncio import AsyncSession

from inventory.events.contracts import IntakeJobQueued, IntakeStep, IntakeStepDone, JobKind
from inventory.events.outbox import outbox
from inventory.orders.models import PurchaseOrder
from inventory.orders.refs import order_ref


async def step_done(
    session: AsyncSession,
    order: PurchaseOrder,
    step: IntakeStep,
    counts: Mapping[str, object],
    *,
    actor: str | None,
    job_id: uuid.UUID | None = None,
) -> None:
    """``counts`` may be a step's whole answer: its whole numbers are kept, the rest (flags,
    breakdowns) left to the answer."""
    kept = {
        name: value
        for name, value in counts.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }
    await outbox.publish(
        session,
        IntakeStepDone(
            **order_ref(order),
            step=step,
            job_id=job_id,
            counts=kept,
        ),
        actor=actor,
    )


class QueuedJob(Protocol):
    """An intake job as its event reads it (``ai_cleanup.models.IntakeJob``; not imported:
    ai_cleanup depends on manifests, not the other way round)."""

    id: uuid.UUID
    kind: str
    total: int


async def job_queued(
    session: AsyncSession, order: PurchaseOrder, job: QueuedJob, *, actor: str | None
) -> None:
    await outbox.publish(
        session,
        IntakeJobQueued(
            **order_ref(order),
            job_id=job.id,
            kind=cast(JobKind, job.kind),  # the column is text; the contract checks it
            total=job.total,
        ),
        actor=actor,
    )
