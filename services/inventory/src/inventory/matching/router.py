"""Seed 002 matching steps of /api/inventory/orders/{order_id}/ (staff, own stores)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from common.openapi import described
from common.security import StaffUser
from inventory.deps import IntakeJobServiceDep, MatchingServiceDep
from inventory.manifests.models import MatchStatus
from inventory.manifests.schemas import ClearedOut
from inventory.matching.schemas import MatchResultsOut, MatchSummary, ReviewIn, ReviewOut
from inventory.queued.answers import ACCEPTED, answer

router = APIRouter(prefix="/api/inventory/orders/{order_id}", tags=["intake"])
STEP = described(
    r404="No such order", r403="Another store's order", r409="A step must come first (it is named)"
)


@router.post(
    "/match-products",
    summary="Match every row: UPC, vendor ref, then fuzzy text (a large manifest: 202, a job)",
    response_model=MatchSummary,
    responses={**STEP, **ACCEPTED},
)
async def match_products(
    order_id: uuid.UUID, _: StaffUser, jobs: IntakeJobServiceDep
) -> MatchSummary | JSONResponse:
    return answer(MatchSummary, await jobs.match(order_id))


@router.get(
    "/match-results", summary="The summary and each row's decision and candidates", responses=STEP
)
async def match_results(
    order_id: uuid.UUID,
    _: StaffUser,
    matching: MatchingServiceDep,
    status: Annotated[MatchStatus | None, Query(description="Only rows with this status")] = None,
    offset: Annotated[int, Query(ge=0, le=200_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> MatchResultsOut:
    found = await matching.results(order_id, status=status, offset=offset, limit=limit)
    return MatchResultsOut.model_validate(found)


@router.post(
    "/review-matches",
    summary="Accept, reject, change or create the product of rows (accepted rows teach UPCs and vendor refs)",
    responses={**STEP, **described(r503="A create decision needs catalog, which is not reachable")},
)
async def review_matches(
    order_id: uuid.UUID, body: ReviewIn, _: StaffUser, matching: MatchingServiceDep
) -> ReviewOut:
    return ReviewOut.model_validate(await matching.review(order_id, body))


@router.post(
    "/undo-product-matching", summary="Undo matching: clear every row's match", responses=STEP
)
async def undo_product_matching(
    order_id: uuid.UUID, _: StaffUser, matching: MatchingServiceDep
) -> ClearedOut:
    return ClearedOut(cleared=await matching.undo(order_id))
