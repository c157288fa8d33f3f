"""Seed 002 pricing steps of /api/inventory/orders/{order_id}/ (staff, own stores)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.openapi import described
from common.security import StaffUser
from inventory.deps import PricingServiceDep
from inventory.manifests.schemas import ClearedOut
from inventory.pricing.schemas import FinalizeIn, FinalizeOut, PricingIn, PricingOut

router = APIRouter(prefix="/api/inventory/orders/{order_id}", tags=["intake"])
STEP = described(
    r404="No such order", r403="Another store's order", r409="A step must come first (it is named)"
)


@router.post(
    "/update-manifest-pricing",
    summary="Propose pre-arrival prices: a rule over the rows and/or per-row prices",
    responses=STEP,
)
async def update_manifest_pricing(
    order_id: uuid.UUID, body: PricingIn, _: StaffUser, pricing: PricingServiceDep
) -> PricingOut:
    return PricingOut.model_validate(await pricing.propose(order_id, body))


@router.post(
    "/finalize-rows",
    summary="Apply edits and make rows final (pricing_stage final, with a final price)",
    responses=STEP,
)
async def finalize_rows(
    order_id: uuid.UUID, body: FinalizeIn, _: StaffUser, pricing: PricingServiceDep
) -> FinalizeOut:
    return FinalizeOut.model_validate(await pricing.finalize(order_id, body))


@router.post(
    "/clear-pricing", summary="Undo pricing: clear proposed and final prices", responses=STEP
)
async def clear_pricing(
    order_id: uuid.UUID, _: StaffUser, pricing: PricingServiceDep
) -> ClearedOut:
    return ClearedOut(cleared=await pricing.clear(order_id))
