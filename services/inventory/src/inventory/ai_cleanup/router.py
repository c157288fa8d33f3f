"""Seed 002 AI cleanup steps of /api/inventory/orders/{order_id}/ (staff, own stores)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.openapi import described
from common.security import StaffUser
from inventory.ai_cleanup.schemas import CleanupIn, CleanupStatusOut, JobOut
from inventory.deps import CleanupServiceDep
from inventory.manifests.schemas import ClearedOut

router = APIRouter(prefix="/api/inventory/orders/{order_id}", tags=["intake"])
STEP = described(
    r404="No such order", r403="Another store's order", r409="A step must come first (it is named)"
)


@router.post(
    "/ai-cleanup-rows",
    status_code=202,
    summary="Queue the AI cleanup of the rows (a background job; progress at ai-cleanup-status)",
    responses={**STEP, **described(r503="AI is not configured")},
)
async def ai_cleanup_rows(
    order_id: uuid.UUID, _: StaffUser, cleanup: CleanupServiceDep, body: CleanupIn | None = None
) -> JobOut:
    return JobOut.model_validate(await cleanup.start(order_id, body or CleanupIn()))


@router.get(
    "/ai-cleanup-status",
    summary="The cleanup's progress: cleaned_rows of total_rows",
    responses=STEP,
)
async def ai_cleanup_status(
    order_id: uuid.UUID, _: StaffUser, cleanup: CleanupServiceDep
) -> CleanupStatusOut:
    return CleanupStatusOut.model_validate(await cleanup.status(order_id))


@router.post(
    "/cancel-ai-cleanup",
    summary="Undo the cleanup: stop the job, clear the AI fields and the matching built on them",
    responses=STEP,
)
async def cancel_ai_cleanup(
    order_id: uuid.UUID, _: StaffUser, cleanup: CleanupServiceDep
) -> ClearedOut:
    return ClearedOut(cleared=await cleanup.cancel(order_id))
