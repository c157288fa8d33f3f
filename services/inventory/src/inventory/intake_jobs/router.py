"""Seed 002's intake steps run as background jobs for large manifests: their progress at
/api/inventory/orders/{order_id}/job-status (staff, own stores)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.openapi import described
from common.security import StaffUser
from inventory.deps import IntakeJobServiceDep
from inventory.queued.schemas import JobStatusOut

router = APIRouter(prefix="/api/inventory/orders/{order_id}", tags=["intake"])


@router.get(
    "/job-status",
    summary="The order's latest intake job (a large manifest's step): progress and answer",
    responses=described(r404="No such order", r403="Another store's order"),
)
async def job_status(order_id: uuid.UUID, _: StaffUser, jobs: IntakeJobServiceDep) -> JobStatusOut:
    return JobStatusOut.model_validate(await jobs.status(order_id))
