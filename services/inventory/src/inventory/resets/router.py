"""Seed 002 reset steps of /api/inventory/orders/{order_id}/ (staff, own stores)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.openapi import described
from common.security import StaffUser
from inventory.deps import ResetServiceDep
from inventory.resets.schemas import DeletePreviewOut, PurgedOut, PurgeIn

router = APIRouter(prefix="/api/inventory/orders/{order_id}", tags=["intake"])
NOT_FOUND = described(r404="No such order", r403="Another store's order")


@router.get(
    "/delete-preview",
    summary="What purge-delete would remove, step by step, and what would stop it",
    responses=NOT_FOUND,
)
async def delete_preview(
    order_id: uuid.UUID, _: StaffUser, resets: ResetServiceDep
) -> DeletePreviewOut:
    return DeletePreviewOut.model_validate(await resets.preview(order_id))


@router.post(
    "/purge-delete",
    summary="Remove the order and everything it owns, in reverse order, all or nothing",
    responses={**NOT_FOUND, **described(r409="Units are stock now, or stock was received")},
)
async def purge_delete(
    order_id: uuid.UUID, body: PurgeIn, _: StaffUser, resets: ResetServiceDep
) -> PurgedOut:
    return PurgedOut.model_validate(await resets.purge(order_id, body.confirm_order_number))
